package data

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"sync"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// snapshotDB copies the database into a new file at dst with SQLite's
// online backup API. The source connection holds one read transaction for
// the whole copy, so the snapshot is the database as of one moment even
// while other connections write (WAL lets them), and the copy never
// restarts. The result is a single self-contained file (rollback journal).
func snapshotDB(ctx context.Context, src *sql.DB, dst string, progress Progress) error {
	ddb, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: dst}).EscapedPath())
	if err != nil {
		return err
	}
	defer ddb.Close()
	dconn, err := ddb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open snapshot: %w", err)
	}
	defer dconn.Close()
	sconn, err := src.Conn(ctx)
	if err != nil {
		return fmt.Errorf("snapshot source: %w", err)
	}
	defer sconn.Close()
	if _, err := sconn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return fmt.Errorf("snapshot begin: %w", err)
	}
	defer sconn.ExecContext(context.Background(), `ROLLBACK`)
	var n int
	if err := sconn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n); err != nil {
		return fmt.Errorf("snapshot read: %w", err)
	}
	err = sconn.Raw(func(sc any) error {
		return dconn.Raw(func(dc any) error {
			b, err := dc.(*sqlite3.SQLiteConn).Backup("main", sc.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return err
			}
			for {
				done, err := b.Step(2048)
				if err != nil {
					b.Finish()
					return err
				}
				if progress != nil {
					pc := int64(b.PageCount())
					progress((pc-int64(b.Remaining()))*4096, pc*4096)
				}
				if done {
					break
				}
				if err := ctx.Err(); err != nil {
					b.Finish()
					return err
				}
			}
			return b.Finish()
		})
	})
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if _, err := dconn.ExecContext(ctx, `PRAGMA journal_mode=DELETE`); err != nil {
		return fmt.Errorf("snapshot journal mode: %w", err)
	}
	return nil
}

// describeSnapshot reads versions, fonds and table counts from a snapshot.
func describeSnapshot(ctx context.Context, path string) (*Manifest, error) {
	db, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	m := &Manifest{Format: backupFormat, FormatVersion: backupFormatVersion, ProgramVersion: Version,
		Counts: map[string]int64{}}
	if m.SchemaVersion, err = schemaVersion(ctx, db); err != nil {
		return nil, fmt.Errorf("snapshot schema: %w", err)
	}
	if m.SchemaVersion == 0 {
		return m, nil // not ours; the caller says so
	}
	if m.FondsCode, err = getSetting(ctx, db, keyFondsCode); err != nil {
		return nil, fmt.Errorf("snapshot fonds: %w", err)
	}
	if m.FondsName, err = getSetting(ctx, db, keyFondsName); err != nil {
		return nil, fmt.Errorf("snapshot fonds: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return nil, err
		}
		tables = append(tables, t)
	}
	rows.Close()
	for _, t := range tables {
		var n int64
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM "`+strings.ReplaceAll(t, `"`, `""`)+`"`).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		m.Counts[t] = n
	}
	return m, nil
}

// describeAsync reads the snapshot's versions, fonds and counts in the
// background while its bytes go into the zip: they are needed only for the
// manifest, written last. The returned fill copies them into m (waiting as
// needed); fill(nil) just waits.
func describeAsync(ctx context.Context, snap string) func(m *Manifest) error {
	var once sync.Once
	var d *Manifest
	var err error
	done := make(chan struct{})
	go func() {
		d, err = describeSnapshot(ctx, snap)
		close(done)
	}()
	return func(m *Manifest) error {
		once.Do(func() { <-done })
		if err != nil || m == nil {
			return err
		}
		m.ProgramVersion, m.SchemaVersion, m.Counts = d.ProgramVersion, d.SchemaVersion, d.Counts
		m.FondsCode, m.FondsName = d.FondsCode, d.FondsName
		return nil
	}
}

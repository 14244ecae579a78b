package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// TestRestoreOlderSchema restores a backup made at schema version 1: the
// restored database is migrated forward when the store reopens.
func TestRestoreOlderSchema(t *testing.T) {
	ctx := context.Background()
	ms, err := migrations()
	if err != nil || len(ms) < 2 {
		t.Skip("needs at least two migrations")
	}
	// An old data directory: only the first migration applied.
	oldDir := t.TempDir()
	db, err := sql.Open("sqlite3", dsn(DBPath(oldDir), false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{ms[0].sql,
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
		`INSERT INTO schema_migrations VALUES (1, '` + ms[0].name + `', '2025-01-01T00:00:00Z')`,
		`INSERT INTO settings VALUES ('fonds_name', '老单位'), ('fonds_code', 'Z9')`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	old := &Store{db: db, dir: oldDir, now: time.Now}
	res, err := old.backup(ctx, t.TempDir(), BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Manifest.SchemaVersion != 1 {
		t.Fatalf("old backup schema %d", res.Manifest.SchemaVersion)
	}

	s, err := Open(filepath.Join(t.TempDir(), "new"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	admin, err := s.Initialize(ctx, SetupInput{FondsCode: "Z1", FondsName: "新单位", Username: "admin", Password: "Archive2026"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.PrepareRestore(ctx, admin, res.Path, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if v, err := schemaVersion(ctx, s.db); err != nil || v != SchemaVersion() {
		t.Fatalf("schema after restore: %d %v", v, err)
	}
	if f, err := s.Fonds(ctx); err != nil || f.Name != "老单位" {
		t.Fatalf("fonds after restore: %+v %v", f, err)
	}
}

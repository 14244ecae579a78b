package data

import (
	"archive/zip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// A backup file (.danganbak) is a zip, every member stored uncompressed:
//
//	dangan.db                consistent snapshot of the database (online backup API)
//	attachments/ab/abcdef…   every file of the attachments folder
//	manifest.json            Manifest: versions, time, fonds, counts, SHA-256 of each member
//
// An encrypted backup wraps such a zip; see backup_crypto.go.

// BackupExt is the file extension of backup files.
const BackupExt = ".danganbak"

const (
	backupFormat        = "dangan-backup"
	backupFormatVersion = 1
	manifestName        = "manifest.json"
	payloadName         = "payload.bin"
	snapshotName        = "dangan.db"
	attachPrefix        = AttachmentsDirName + "/"
)

// Audit entity and actions of backups.
const (
	EntityBackup  = "backup"
	ActionBackup  = "backup"
	ActionRestore = "restore"
)

func init() {
	registerEntity(EntityBackup, "备份")
	registerAction(ActionBackup, "备份")
	registerAction(ActionRestore, "恢复")
}

// Manifest describes a backup. In an encrypted file the outer manifest holds
// only the format, the encryption parameters, the time and the installation
// (for rotation); the full manifest is inside the encrypted payload.
type Manifest struct {
	Format         string           `json:"format"`
	FormatVersion  int              `json:"format_version"`
	Encrypted      bool             `json:"encrypted"`
	KDF            *kdfParams       `json:"kdf,omitempty"`
	CreatedAt      time.Time        `json:"created_at"`
	InstallID      string           `json:"install_id"`
	Auto           bool             `json:"auto,omitempty"`
	ProgramVersion string           `json:"program_version,omitempty"`
	SchemaVersion  int              `json:"schema_version,omitempty"`
	FondsCode      string           `json:"fonds_code,omitempty"`
	FondsName      string           `json:"fonds_name,omitempty"`
	Counts         map[string]int64 `json:"counts,omitempty"`
	Attachments    int64            `json:"attachments"`
	Members        []Member         `json:"members"`
}

// Member is one file of a backup with its size and checksum.
type Member struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// countLabels names the tables whose counts people care about, in order.
var countLabels = []struct{ table, label string }{
	{"customers", "客户"}, {"items", "档案"}, {"departments", "部门"}, {"users", "用户"}, {"audit_log", "日志"},
}

// CountsText lists the backup's content: "客户 12，部门 3，用户 2，日志 40，附件 40".
func (m *Manifest) CountsText() string {
	var parts []string
	for _, c := range countLabels {
		if n, ok := m.Counts[c.table]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", c.label, n))
		}
	}
	parts = append(parts, fmt.Sprintf("附件 %d", m.Attachments))
	return strings.Join(parts, "，")
}

// Summary describes the backup for people: date, fonds and counts, e.g.
// "2026-05-01 17:00 华东机械有限公司：客户 12，部门 3，附件 40".
func (m *Manifest) Summary() string {
	return fmt.Sprintf("%s %s：%s", m.CreatedAt.Local().Format("2006-01-02 15:04"), m.FondsName, m.CountsText())
}

// Progress reports work done out of total bytes; it may be nil.
type Progress func(done, total int64)

// BackupOptions choose how a backup is made.
type BackupOptions struct {
	Password string   // not empty: encrypt the backup with it
	Progress Progress // called from the backup goroutine
	auto     bool
	prefix   string // file name prefix; default "dangan-"
}

// BackupResult tells where a backup went and what it cost.
type BackupResult struct {
	Path     string
	Size     int64
	Duration time.Duration
	Manifest *Manifest
}

// Backup writes a backup of the whole data directory into folder dir (a
// USB disk, a shared folder). Only admins make backups by hand.
func (s *Store) Backup(ctx context.Context, actor *User, dir string, opt BackupOptions) (*BackupResult, error) {
	u, err := s.requireAdmin(ctx, s.db, actor, "备份数据")
	if err != nil {
		return nil, err
	}
	opt.auto = false
	res, err := s.backup(ctx, dir, opt)
	if err != nil {
		return nil, err
	}
	s.auditBackup(ctx, u, res)
	return res, nil
}

// auditBackup records a finished backup; failing to record it does not undo
// the file.
func (s *Store) auditBackup(ctx context.Context, u *User, res *BackupResult) {
	summary := "备份到 " + res.Path
	if res.Manifest.Encrypted {
		summary += "（已加密）"
	}
	s.inTx(ctx, func(tx *sql.Tx) error {
		return s.writeAudit(ctx, tx, u, "系统", auditRecord{Entity: EntityBackup,
			EntityID: filepath.Base(res.Path), Action: ActionBackup, Summary: summary})
	})
}

// backup makes a backup file in dir: a temporary file that is renamed to its
// final name only once complete and synced, so a half-written backup never
// carries the .danganbak name.
func (s *Store) backup(ctx context.Context, dir string, opt BackupOptions) (*BackupResult, error) {
	start := time.Now()
	if strings.TrimSpace(dir) == "" {
		return nil, Errorf(EINVALID, "请选择备份保存到哪个文件夹")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, Errorf(EINVALID, "无法使用备份文件夹 %s：%v", dir, err)
	}
	installID, err := s.installID(ctx)
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(s.dir, tempPrefix)
	if err != nil {
		return nil, fmt.Errorf("backup temp dir: %w", err)
	}
	defer os.RemoveAll(work)

	// The slow key derivation runs while the database is copied.
	type derived struct {
		key []byte
		kdf *kdfParams
		err error
	}
	keyCh := make(chan derived, 1)
	if opt.Password != "" {
		go func() {
			key, kdf, err := newKDF(opt.Password)
			keyCh <- derived{key, kdf, err}
		}()
	}
	files, attBytes, err := listAttachments(s.AttachmentsDir())
	if err != nil {
		return nil, err
	}
	dbBytes, err := s.dbSize(ctx)
	if err != nil {
		return nil, err
	}
	total := 2*dbBytes + attBytes // snapshot, then copy into the zip
	prog := func(done int64) {
		if opt.Progress != nil {
			opt.Progress(min(done, total), total)
		}
	}
	snap := filepath.Join(work, snapshotName)
	if err := snapshotDB(ctx, s.db, snap, func(done, _ int64) { prog(done) }); err != nil {
		return nil, err
	}
	// Count the snapshot's rows while its bytes go into the zip: the
	// counts are needed only for the manifest, written last.
	type described struct {
		m   *Manifest
		err error
	}
	info := make(chan described, 1)
	go func() {
		d, err := describeSnapshot(ctx, snap)
		info <- described{d, err}
	}()
	waited := false
	defer func() {
		if !waited {
			<-info // before the scratch folder goes
		}
	}()
	fill := func(m *Manifest) error {
		waited = true
		d := <-info
		if d.err != nil {
			return d.err
		}
		m.ProgramVersion, m.SchemaVersion, m.Counts = d.m.ProgramVersion, d.m.SchemaVersion, d.m.Counts
		m.FondsCode, m.FondsName = d.m.FondsCode, d.m.FondsName
		return nil
	}
	now := s.now()
	m := &Manifest{Format: backupFormat, FormatVersion: backupFormatVersion, CreatedAt: now.UTC(),
		InstallID: installID, Auto: opt.auto, Attachments: int64(len(files))}

	prefix := opt.prefix
	if prefix == "" {
		prefix = "dangan-"
	}
	name := prefix + now.Local().Format("20060102-150405") + BackupExt
	final := uniquePath(filepath.Join(dir, name))
	tmp := final + ".part"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, Errorf(EINVALID, "无法在 %s 中写入备份文件：%v", dir, err)
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	cw := &countingWriter{w: f, onWrite: func(n int64) {}}
	base := dbBytes
	cw.onWrite = func(n int64) { prog(base + n) }
	if opt.Password == "" {
		err = writePlainBackup(ctx, cw, m, fill, snap, s.AttachmentsDir(), files)
	} else {
		k := <-keyCh
		if err = k.err; err == nil {
			err = writeEncryptedBackup(ctx, cw, m, fill, snap, s.AttachmentsDir(), files, k.key, k.kdf)
		}
	}
	if err != nil {
		return nil, writeErr(dir, err)
	}
	if err := f.Sync(); err != nil {
		return nil, writeErr(dir, err)
	}
	if err := f.Close(); err != nil {
		return nil, writeErr(dir, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return nil, writeErr(dir, err)
	}
	ok = true
	syncDir(dir)
	prog(total)
	return &BackupResult{Path: final, Size: cw.n, Duration: time.Since(start), Manifest: m}, nil
}

func writeErr(dir string, err error) error {
	if _, ok := err.(*Error); ok || errors.Is(err, context.Canceled) {
		return err
	}
	return Errorf(EINVALID, "写入备份文件失败（%s）：%v。请检查磁盘空间和权限后重试。", dir, err)
}

// uniquePath adds -2, -3… before the extension while path exists.
func uniquePath(path string) string {
	base := strings.TrimSuffix(path, BackupExt)
	p := path
	for i := 2; ; i++ {
		if _, err := os.Lstat(p); os.IsNotExist(err) {
			if _, err := os.Lstat(p + ".part"); os.IsNotExist(err) {
				return p
			}
		}
		p = fmt.Sprintf("%s-%d%s", base, i, BackupExt)
	}
}

// tempPrefix names the scratch folders backups and restores make inside the
// data directory; Open removes stale ones.
const tempPrefix = ".dangan-tmp-"

// countingWriter counts bytes and reports the running total.
type countingWriter struct {
	w       io.Writer
	n       int64
	onWrite func(n int64)
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.onWrite(c.n)
	return n, err
}

// attachment is one file under the attachments folder.
type attachment struct {
	rel  string // slash-separated path below the folder
	size int64
}

// listAttachments lists every regular file under dir, sorted.
func listAttachments(dir string) ([]attachment, int64, error) {
	var out []attachment
	var total int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && path == dir {
				return filepath.SkipDir
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		out = append(out, attachment{rel: filepath.ToSlash(rel), size: info.Size()})
		total += info.Size()
		return nil
	})
	if err != nil {
		return nil, 0, Errorf(EINVALID, "无法读取附件文件夹：%v", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out, total, nil
}

func (s *Store) dbSize(ctx context.Context) (int64, error) {
	var pages, size int64
	if err := s.db.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		return 0, fmt.Errorf("page count: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&size); err != nil {
		return 0, fmt.Errorf("page size: %w", err)
	}
	return pages * size, nil
}

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

// writePlainBackup writes the backup zip to w, fills m.Members and, just
// before writing the manifest, the rest of m with fill.
func writePlainBackup(ctx context.Context, w io.Writer, m *Manifest, fill func(*Manifest) error, snap, attDir string, files []attachment) error {
	zw := zip.NewWriter(w)
	m.Members = m.Members[:0]
	c := newCopier()
	add := func(name, path string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return Errorf(EINVALID, "无法读取 %s：%v", path, err)
		}
		defer f.Close()
		mw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: m.CreatedAt})
		if err != nil {
			return err
		}
		n, sum, err := c.copyHashed(mw, f)
		if err != nil {
			return err
		}
		m.Members = append(m.Members, Member{Name: name, Size: n, SHA256: sum})
		return nil
	}
	if err := add(snapshotName, snap); err != nil {
		return err
	}
	for _, a := range files {
		if err := add(attachPrefix+a.rel, filepath.Join(attDir, filepath.FromSlash(a.rel))); err != nil {
			return err
		}
	}
	if err := fill(m); err != nil {
		return err
	}
	if err := writeManifest(zw, m); err != nil {
		return err
	}
	return zw.Close()
}

// copier copies files in 1 MB blocks while another goroutine computes
// their SHA-256, so hashing overlaps the reads and writes.
type copier struct{ free chan []byte }

func newCopier() *copier {
	c := &copier{free: make(chan []byte, 3)}
	for range cap(c.free) {
		c.free <- make([]byte, 1<<20)
	}
	return c
}

// copyHashed copies src to dst and returns the size and SHA-256 of what it
// copied. A block goes back to the free list only once hashed; dst has
// finished with it by then because writes are synchronous.
func (c *copier) copyHashed(dst io.Writer, src io.Reader) (int64, string, error) {
	h := sha256.New()
	work := make(chan []byte, cap(c.free))
	hashed := make(chan struct{})
	go func() {
		for b := range work {
			h.Write(b)
			c.free <- b[:cap(b)]
		}
		close(hashed)
	}()
	var n int64
	var err error
	for {
		buf := <-c.free
		k, rerr := io.ReadFull(src, buf)
		if k > 0 {
			work <- buf[:k]
			if _, err = dst.Write(buf[:k]); err != nil {
				break
			}
			n += int64(k)
		} else {
			c.free <- buf
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			err = rerr
			break
		}
	}
	close(work)
	<-hashed
	return n, hexSum(h), err
}

func writeManifest(zw *zip.Writer, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	mw, err := zw.CreateHeader(&zip.FileHeader{Name: manifestName, Method: zip.Store, Modified: m.CreatedAt})
	if err != nil {
		return err
	}
	_, err = mw.Write(b)
	return err
}

// writeEncryptedBackup streams the plain backup zip through the chunked
// cipher into the payload member of an outer zip; nothing is held in memory
// beyond one chunk.
func writeEncryptedBackup(ctx context.Context, w io.Writer, m *Manifest, fill func(*Manifest) error, snap, attDir string, files []attachment, key []byte, kdf *kdfParams) error {
	zw := zip.NewWriter(w)
	pw, err := zw.CreateHeader(&zip.FileHeader{Name: payloadName, Method: zip.Store, Modified: m.CreatedAt})
	if err != nil {
		return err
	}
	enc, err := newEncWriter(pw, key)
	if err != nil {
		return err
	}
	if err := writePlainBackup(ctx, enc, m, fill, snap, attDir, files); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	m.Encrypted = true
	outer := &Manifest{Format: backupFormat, FormatVersion: backupFormatVersion, Encrypted: true, KDF: kdf,
		CreatedAt: m.CreatedAt, InstallID: m.InstallID, Auto: m.Auto}
	if err := writeManifest(zw, outer); err != nil {
		return err
	}
	return zw.Close()
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// syncDir makes renames in dir durable; not possible (nor needed) on every
// system, so errors are ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

const keyInstallID = "install_id"

// installID returns the random id of this data directory, made on first
// use. Rotation deletes only automatic backups carrying it.
func (s *Store) installID(ctx context.Context) (string, error) {
	id, err := getSetting(ctx, s.db, keyInstallID)
	if err != nil || id != "" {
		return id, err
	}
	b := make([]byte, 16)
	rand.Read(b)
	id = hex.EncodeToString(b)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := getSetting(ctx, tx, keyInstallID)
		if err != nil || cur != "" {
			id = cur
			return err
		}
		return setSetting(ctx, tx, keyInstallID, id)
	})
	return id, err
}

// FormatSize shows a byte count for people: 12.3 MB.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

// FormatDuration shows a duration for people: 1.2 秒, 3 分 5 秒.
func FormatDuration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1f 秒", d.Seconds())
	}
	return fmt.Sprintf("%d 分 %d 秒", int(d.Minutes()), int(d.Seconds())%60)
}

package data

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
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

// backup makes a backup file in dir. The database snapshot is taken first
// (into a scratch folder in the data directory), then streamed with the
// attachments into the zip; see writeAtomically for how the file appears.
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
	key := startKDF(opt.Password) // slow on purpose: runs while the database is copied
	files, attBytes, err := listAttachments(s.AttachmentsDir())
	if err != nil {
		return nil, err
	}
	dbBytes, err := s.dbSize(ctx)
	if err != nil {
		return nil, err
	}
	total := 2*dbBytes + attBytes // snapshot, then copy into the zip
	prog := progressTo(opt.Progress, total)
	snap := filepath.Join(work, snapshotName)
	if err := snapshotDB(ctx, s.db, snap, func(done, _ int64) { prog(done) }); err != nil {
		return nil, err
	}
	fill := describeAsync(ctx, snap)
	defer fill(nil) // the counting must end before the scratch folder goes

	now := s.now()
	m := &Manifest{Format: backupFormat, FormatVersion: backupFormatVersion, CreatedAt: now.UTC(),
		InstallID: installID, Auto: opt.auto, Attachments: int64(len(files))}
	path, size, err := writeAtomically(dir, backupName(opt.prefix, now), func(n int64) { prog(dbBytes + n) },
		func(w io.Writer) error {
			if opt.Password == "" {
				return writePlainBackup(ctx, w, m, fill, snap, s.AttachmentsDir(), files)
			}
			k := <-key
			if k.err != nil {
				return k.err
			}
			return writeEncryptedBackup(ctx, w, m, fill, snap, s.AttachmentsDir(), files, k.key, k.kdf)
		})
	if err != nil {
		return nil, err
	}
	prog(total)
	return &BackupResult{Path: path, Size: size, Duration: time.Since(start), Manifest: m}, nil
}

// progressTo returns a progress function over a known total, or a no-op.
func progressTo(p Progress, total int64) func(done int64) {
	return func(done int64) {
		if p != nil {
			p(min(done, total), total)
		}
	}
}

func backupName(prefix string, now time.Time) string {
	if prefix == "" {
		prefix = "dangan-"
	}
	return prefix + now.Local().Format("20060102-150405") + BackupExt
}

// writeAtomically writes a new file in dir through write: first as
// name.part, renamed to name (or name-2…, never replacing a file) only once
// complete and synced, so a cut-short backup never carries the .danganbak
// name. It returns the final path and size.
func writeAtomically(dir, name string, onWrite func(int64), write func(io.Writer) error) (string, int64, error) {
	final := uniquePath(filepath.Join(dir, name))
	tmp := final + ".part"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", 0, Errorf(EINVALID, "无法在 %s 中写入备份文件：%v", dir, err)
	}
	cw := &countingWriter{w: f, onWrite: onWrite}
	err = write(cw)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.Remove(tmp)
		return "", 0, writeErr(dir, err)
	}
	syncDir(dir)
	return final, cw.n, nil
}

// derivedKey is the result of the key derivation.
type derivedKey struct {
	key []byte
	kdf *kdfParams
	err error
}

// startKDF derives a new key for password in the background; with no
// password the channel never delivers and is never read.
func startKDF(password string) <-chan derivedKey {
	ch := make(chan derivedKey, 1)
	if password != "" {
		go func() {
			key, kdf, err := newKDF(password)
			ch <- derivedKey{key, kdf, err}
		}()
	}
	return ch
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

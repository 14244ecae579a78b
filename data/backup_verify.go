package data

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// VerifyBackup checks a backup file completely: its structure, every
// member's size and SHA-256, and the database snapshot (opened and checked
// for integrity). It returns the backup's manifest, or an *Error saying in
// Chinese what is wrong. password is needed only for encrypted backups.
func VerifyBackup(ctx context.Context, path, password string, progress Progress) (*Manifest, error) {
	tmp, err := os.MkdirTemp("", "dangan-verify-")
	if err != nil {
		return nil, fmt.Errorf("verify temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	return readBackup(ctx, path, password, tmp, false, progress)
}

// BackupEncrypted reports whether the file at path is an encrypted backup,
// so a caller knows to ask for the password first. Files that are not
// backups at all give false; VerifyBackup says what is wrong with them.
func BackupEncrypted(path string) bool {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return false
	}
	defer zr.Close()
	m, err := readManifest(&zr.Reader)
	return err == nil && m.Encrypted
}

func damaged(format string, args ...any) error {
	return Errorf(EINVALID, "备份文件已损坏："+format, args...)
}

var errForeign = Errorf(EINVALID, "这不是档案通的备份文件。")

// readBackup checks the backup at path and extracts its database, and with
// all set its attachments too, into dir (not synced: see syncTree).
func readBackup(ctx context.Context, path, password, dir string, all bool, progress Progress) (*Manifest, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, Errorf(ENOTFOUND, "找不到备份文件 %s", path)
	}
	if st.Size() == 0 {
		return nil, Errorf(EINVALID, "备份文件是空的（0 字节），不能使用。")
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, notZipErr(path)
	}
	defer zr.Close()
	m, err := readManifest(&zr.Reader)
	if err != nil {
		return nil, err
	}
	if !m.Encrypted {
		return m, readPlain(ctx, &zr.Reader, m, dir, all, progress)
	}
	return readEncrypted(ctx, &zr.Reader, m, password, dir, all, progress)
}

// readEncrypted decrypts the payload into a temporary zip in dir and reads
// that as a plain backup, which must match the outer manifest.
func readEncrypted(ctx context.Context, zr *zip.Reader, m *Manifest, password, dir string, all bool, progress Progress) (*Manifest, error) {
	if err := onlyMembers(zr, manifestName, payloadName); err != nil {
		return nil, err
	}
	key, err := m.KDF.deriveKey(password)
	if err != nil {
		return nil, err
	}
	payload, err := zipMember(zr, payloadName)
	if err != nil {
		return nil, err
	}
	innerPath := filepath.Join(dir, "payload.zip")
	defer os.Remove(innerPath)
	if err := decryptMember(payload, innerPath, key, progress); err != nil {
		return nil, err
	}
	izr, err := zip.OpenReader(innerPath)
	if err != nil {
		return nil, damaged("解密后的内容不是有效的备份")
	}
	defer izr.Close()
	inner, err := readManifest(&izr.Reader)
	if err != nil {
		return nil, err
	}
	if inner.Encrypted || !inner.CreatedAt.Equal(m.CreatedAt) || inner.InstallID != m.InstallID {
		return nil, damaged("加密内容与文件清单不符")
	}
	if err := readPlain(ctx, &izr.Reader, inner, dir, all, progress); err != nil {
		return nil, err
	}
	inner.Encrypted = true
	return inner, nil
}

// decryptMember decrypts the payload member into a new file at path.
func decryptMember(payload *zip.File, path string, key []byte, progress Progress) error {
	rc, err := payload.Open()
	if err != nil {
		return damaged("无法读取加密内容（%v）", err)
	}
	defer rc.Close()
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("decrypt temp: %w", err)
	}
	total := int64(payload.UncompressedSize64)
	cr := &countingReader{r: rc, onRead: func(n int64) {
		if progress != nil {
			progress(n, total)
		}
	}}
	if err := decryptTo(out, cr, key); err != nil {
		out.Close()
		if _, ok := err.(*Error); !ok && errors.Is(err, zip.ErrChecksum) {
			return errDamagedPayload
		}
		return err
	}
	return out.Close()
}

// notZipErr tells a truncated backup (it starts like a zip) from a file that
// is something else entirely.
func notZipErr(path string) error {
	f, err := os.Open(path)
	if err == nil {
		defer f.Close()
		head := make([]byte, 4)
		if _, err := io.ReadFull(f, head); err == nil && bytes.Equal(head, []byte("PK\x03\x04")) {
			return Errorf(EINVALID, "备份文件不完整或已损坏（可能在复制时被截断），不能使用。")
		}
	}
	return errForeign
}

// readManifest finds, bounds and parses manifest.json and checks that the
// format is one this program reads.
func readManifest(zr *zip.Reader) (*Manifest, error) {
	seen := map[string]bool{}
	for _, f := range zr.File {
		if !validMemberName(f.Name) {
			return nil, Errorf(EINVALID, "备份文件含有不安全的文件名 %q，已拒绝。", f.Name)
		}
		if seen[f.Name] {
			return nil, damaged("文件 %s 出现了两次", f.Name)
		}
		seen[f.Name] = true
	}
	f, err := zipMember(zr, manifestName)
	if err != nil {
		return nil, errForeign
	}
	const maxManifest = 64 << 20
	if f.UncompressedSize64 > maxManifest {
		return nil, damaged("文件清单过大")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, damaged("无法读取文件清单（%v）", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxManifest+1))
	if err != nil {
		return nil, damaged("无法读取文件清单（%v）", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil || m.Format != backupFormat {
		return nil, errForeign
	}
	if m.FormatVersion > backupFormatVersion {
		return nil, Errorf(EINVALID, "此备份由更新版本的档案通制作（备份格式 %d），本程序不能读取。请先安装新版本的档案通。", m.FormatVersion)
	}
	if !m.Encrypted && m.SchemaVersion > SchemaVersion() {
		return nil, Errorf(EINVALID,
			"此备份由更新版本的档案通制作（数据结构版本 %d，本程序只支持到 %d）。请先安装新版本的档案通再恢复。当前数据未作任何改动。",
			m.SchemaVersion, SchemaVersion())
	}
	return &m, nil
}

// validMemberName accepts only clean relative slash paths: no "..", no
// absolute paths, no backslashes, no drive letters.
func validMemberName(name string) bool {
	return fs.ValidPath(name) && name != "." && !strings.ContainsAny(name, `\:`) && filepath.IsLocal(name)
}

func zipMember(zr *zip.Reader, name string) (*zip.File, error) {
	for _, f := range zr.File {
		if f.Name == name {
			return f, nil
		}
	}
	return nil, damaged("缺少 %s", name)
}

func onlyMembers(zr *zip.Reader, names ...string) error {
	for _, f := range zr.File {
		ok := false
		for _, n := range names {
			ok = ok || f.Name == n
		}
		if !ok {
			return damaged("含有多余的文件 %s", f.Name)
		}
	}
	return nil
}

// readPlain checks every member of a plain backup against the manifest and
// extracts what is asked for, then checks the database snapshot.
func readPlain(ctx context.Context, zr *zip.Reader, m *Manifest, dir string, all bool, progress Progress) error {
	listed := map[string]Member{}
	var total, done int64
	for _, mem := range m.Members {
		if !validMemberName(mem.Name) || !(mem.Name == snapshotName || strings.HasPrefix(mem.Name, attachPrefix)) {
			return Errorf(EINVALID, "备份文件清单含有不安全或未知的文件名 %q，已拒绝。", mem.Name)
		}
		if _, dup := listed[mem.Name]; dup || mem.Size < 0 {
			return damaged("文件清单有误（%s）", mem.Name)
		}
		listed[mem.Name] = mem
		total += mem.Size
	}
	if _, ok := listed[snapshotName]; !ok {
		return damaged("缺少数据库 %s", snapshotName)
	}
	files := map[string]*zip.File{}
	c := newCopier()
	for _, f := range zr.File {
		if f.Name == manifestName {
			continue
		}
		if _, ok := listed[f.Name]; !ok {
			return damaged("含有清单之外的文件 %s", f.Name)
		}
		files[f.Name] = f
	}
	for _, mem := range m.Members {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, ok := files[mem.Name]
		if !ok {
			return damaged("缺少文件 %s", mem.Name)
		}
		// Only stored (uncompressed) members are accepted, and their size
		// must match the manifest: no zip bomb can expand past the file.
		if f.Method != zip.Store || f.UncompressedSize64 != uint64(mem.Size) || f.CompressedSize64 != uint64(mem.Size) {
			return damaged("文件 %s 的大小或压缩方式与清单不符", mem.Name)
		}
		dst := ""
		switch {
		case mem.Name == snapshotName:
			dst = filepath.Join(dir, snapshotName)
		case all:
			dst = filepath.Join(dir, filepath.FromSlash(mem.Name))
		}
		if err := checkMember(c, f, mem, dst, func(n int64) {
			if progress != nil {
				progress(done+n, total)
			}
		}); err != nil {
			return err
		}
		done += mem.Size
	}
	return checkSnapshot(ctx, dir, m)
}

// checkMember reads one member, compares its SHA-256 with the manifest and
// writes it to dst when dst is not empty.
func checkMember(c *copier, f *zip.File, mem Member, dst string, onRead func(int64)) error {
	rc, err := f.Open()
	if err != nil {
		return damaged("无法读取 %s（%v）", mem.Name, err)
	}
	defer rc.Close()
	w := io.Discard
	var out *os.File
	if dst != "" {
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return err
		}
		if out, err = os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err != nil {
			return err
		}
		defer out.Close()
		w = out
	}
	n, sum, err := c.copyHashed(w, &countingReader{r: io.LimitReader(rc, mem.Size+1), onRead: onRead})
	if err != nil {
		if errors.Is(err, zip.ErrChecksum) || errors.Is(err, io.ErrUnexpectedEOF) {
			return damaged("%s 的内容与校验码不符", mem.Name)
		}
		if dst != "" && out != nil {
			return fmt.Errorf("extract %s: %w", mem.Name, err)
		}
		return damaged("无法读取 %s（%v）", mem.Name, err)
	}
	if n != mem.Size || sum != mem.SHA256 {
		return damaged("%s 的 SHA-256 校验和与清单不符", mem.Name)
	}
	if out != nil {
		return out.Close()
	}
	return nil
}

// checkSnapshot opens the extracted database: it must be a 档案通 database of
// the schema version the manifest names, and pass the integrity checks.
func checkSnapshot(ctx context.Context, dir string, m *Manifest) error {
	db := filepath.Join(dir, snapshotName)
	head := make([]byte, 16)
	if f, err := os.Open(db); err == nil {
		io.ReadFull(f, head)
		f.Close()
	}
	if string(head) != "SQLite format 3\x00" {
		return damaged("其中的数据库不是 SQLite 数据库")
	}
	problems, err := Check(ctx, dir)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return damaged("数据库检查未通过：%s", strings.Join(problems, "；"))
	}
	got, err := describeSnapshot(ctx, db)
	if err != nil {
		return damaged("无法读取其中的数据库（%v）", err)
	}
	if got.SchemaVersion == 0 {
		return errForeign
	}
	if got.SchemaVersion != m.SchemaVersion {
		return damaged("数据库的数据结构版本（%d）与清单（%d）不符", got.SchemaVersion, m.SchemaVersion)
	}
	return nil
}

type countingReader struct {
	r      io.Reader
	n      int64
	onRead func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.onRead != nil {
		c.onRead(c.n)
	}
	return n, err
}

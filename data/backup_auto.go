package data

import (
	"archive/zip"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Automatic backup modes.
const (
	AutoOff    = "off"   // no automatic backup
	AutoOnExit = "exit"  // on every exit
	AutoDaily  = "daily" // on exit, at most once a calendar day
)

// AutoLabel returns the Chinese name of an automatic backup mode.
func AutoLabel(mode string) string {
	switch mode {
	case AutoOff:
		return "关闭"
	case AutoOnExit:
		return "每次退出时"
	default:
		return "每天最多一次（退出时）"
	}
}

// DefaultKeep is how many automatic backups are kept unless set otherwise.
const DefaultKeep = 10

const (
	keyBackupDir  = "backup_dir"
	keyBackupKeep = "backup_keep"
	keyBackupAuto = "backup_auto"
	keyBackupLast = "backup_last_auto"
)

// BackupSettings are the office-wide backup settings.
type BackupSettings struct {
	Dir      string    // backup folder; default <data dir>/backups
	Keep     int       // automatic backups kept, at least 1
	Auto     string    // AutoOff, AutoOnExit or AutoDaily
	LastAuto time.Time // when the last automatic backup was made
}

// BackupSettings returns the backup settings with defaults filled in.
func (s *Store) BackupSettings(ctx context.Context) (BackupSettings, error) {
	var set BackupSettings
	vals := map[string]string{}
	for _, k := range []string{keyBackupDir, keyBackupKeep, keyBackupAuto, keyBackupLast} {
		v, err := getSetting(ctx, s.db, k)
		if err != nil {
			return set, err
		}
		vals[k] = v
	}
	set.Dir = vals[keyBackupDir]
	if set.Dir == "" {
		set.Dir = filepath.Join(s.dir, "backups")
		if abs, err := filepath.Abs(set.Dir); err == nil {
			set.Dir = abs
		}
	}
	set.Keep, _ = strconv.Atoi(vals[keyBackupKeep])
	if set.Keep < 1 {
		set.Keep = DefaultKeep
	}
	set.Auto = vals[keyBackupAuto]
	if set.Auto != AutoOff && set.Auto != AutoOnExit {
		set.Auto = AutoDaily
	}
	set.LastAuto = parseTime(vals[keyBackupLast])
	return set, nil
}

// SetBackupSettings changes the backup folder, how many automatic backups
// to keep and when to make them. Admins only.
func (s *Store) SetBackupSettings(ctx context.Context, actor *User, in BackupSettings) error {
	if in.Dir == "" {
		return fieldErr("backup_dir", "请选择备份文件夹")
	}
	if !filepath.IsAbs(in.Dir) {
		return fieldErr("backup_dir", "备份文件夹应为完整路径，例如 D:\\档案备份 或 /media/usb/备份")
	}
	if in.Keep < 1 || in.Keep > 1000 {
		return fieldErr("backup_keep", "保留份数应为 1 到 1000 之间的整数")
	}
	if in.Auto != AutoOff && in.Auto != AutoOnExit && in.Auto != AutoDaily {
		return fieldErr("backup_auto", "请选择自动备份方式")
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		u, err := s.requireAdmin(ctx, tx, actor, "修改备份设置")
		if err != nil {
			return err
		}
		old, err := s.BackupSettings(ctx)
		if err != nil {
			return err
		}
		var ch []Change
		ch = diff(ch, "备份文件夹", old.Dir, in.Dir)
		ch = diff(ch, "保留份数", strconv.Itoa(old.Keep), strconv.Itoa(in.Keep))
		ch = diff(ch, "自动备份", AutoLabel(old.Auto), AutoLabel(in.Auto))
		if len(ch) == 0 {
			return nil
		}
		for _, kv := range [][2]string{{keyBackupDir, in.Dir}, {keyBackupKeep, strconv.Itoa(in.Keep)}, {keyBackupAuto, in.Auto}} {
			if err := setSetting(ctx, tx, kv[0], kv[1]); err != nil {
				return err
			}
		}
		return s.writeAudit(ctx, tx, u, "", auditRecord{Entity: EntitySettings, EntityID: "备份设置",
			Action: ActionUpdate, Summary: "修改备份设置", Changes: ch})
	})
}

// AutoBackupDue reports whether an automatic backup should run now.
func (set BackupSettings) AutoBackupDue(now time.Time) bool {
	switch set.Auto {
	case AutoOff:
		return false
	case AutoOnExit:
		return true
	}
	y1, m1, d1 := set.LastAuto.Local().Date()
	y2, m2, d2 := now.Local().Date()
	return set.LastAuto.IsZero() || y1 != y2 || m1 != m2 || d1 != d2
}

// autoPrefix starts the names of automatic backups.
const autoPrefix = "dangan-auto-"

// AutoBackup makes the automatic backup when one is due (on exit), reads it
// back in full, and only then rotates the backup folder, so the backup just
// made — the newest good one — is proven before any older one goes. It
// returns nil and no error when none was due. It runs for the program, not
// for a user: no login is needed.
func (s *Store) AutoBackup(ctx context.Context, progress Progress) (*BackupResult, error) {
	set, err := s.BackupSettings(ctx)
	if err != nil || !set.AutoBackupDue(s.now()) {
		return nil, err
	}
	phase := func(n int64) Progress { // first half: backup; second: verify
		return func(done, total int64) {
			if progress != nil {
				progress(n*total+done, 2*total)
			}
		}
	}
	res, err := s.backup(ctx, set.Dir, BackupOptions{auto: true, prefix: autoPrefix, Progress: phase(0)})
	if err != nil {
		return nil, err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := setSetting(ctx, tx, keyBackupLast, s.nowText()); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, nil, "系统", auditRecord{Entity: EntityBackup,
			EntityID: filepath.Base(res.Path), Action: ActionBackup, Summary: "自动备份到 " + res.Path})
	})
	if err != nil {
		return res, err
	}
	if _, err := VerifyBackup(ctx, res.Path, "", phase(1)); err != nil {
		return res, Errorf(EINVALID, "自动备份 %s 写入后读回检查未通过（%s），已保留所有旧备份。请检查备份文件夹所在的磁盘。",
			res.Path, ErrorMessage(err))
	}
	_, err = RotateBackups(set.Dir, res.Manifest.InstallID, set.Keep)
	return res, err
}

var autoNameRe = regexp.MustCompile(`^` + autoPrefix + `\d{8}-\d{6}(-\d+)?\` + BackupExt + `$`)

// RotateBackups deletes the oldest automatic backups in dir so that keep of
// them remain, and returns the deleted paths. It counts and deletes only
// files it made: named like an automatic backup, with a readable manifest
// that says automatic and carries installID (and its own .part leftovers a
// day old). Anything else in the folder —
// manual and safety backups, other offices' backups, unreadable files — is
// never touched. The newest backup always stays (keep is at least 1).
func RotateBackups(dir, installID string, keep int) ([]string, error) {
	if keep < 1 {
		keep = 1
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	type cand struct {
		path string
		at   time.Time
	}
	var ours []cand
	for _, e := range ents {
		// A .part file is an automatic backup a crash or a full disk cut
		// short; a day later no backup can still be writing it.
		if base, ok := strings.CutSuffix(e.Name(), ".part"); ok && e.Type().IsRegular() && autoNameRe.MatchString(base) {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > 24*time.Hour {
				os.Remove(filepath.Join(dir, e.Name()))
			}
			continue
		}
		if !e.Type().IsRegular() || !autoNameRe.MatchString(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		zr, err := zip.OpenReader(path)
		if err != nil {
			continue
		}
		m, err := readManifest(&zr.Reader)
		zr.Close()
		if err != nil || !m.Auto || installID == "" || m.InstallID != installID {
			continue
		}
		ours = append(ours, cand{path, m.CreatedAt})
	}
	sort.Slice(ours, func(i, j int) bool {
		if !ours[i].at.Equal(ours[j].at) {
			return ours[i].at.After(ours[j].at)
		}
		return ours[i].path > ours[j].path
	})
	var deleted []string
	for _, c := range ours[min(keep, len(ours)):] {
		if err := os.Remove(c.path); err != nil {
			return deleted, err
		}
		deleted = append(deleted, c.path)
	}
	return deleted, nil
}

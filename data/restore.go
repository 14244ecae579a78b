package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Restore replaces the data directory's database and attachments with a
// backup's, in two steps so the user can confirm in between:
//
//  1. PrepareRestore verifies the backup completely and extracts it into a
//     stage folder inside the data directory (same filesystem, so renames
//     are atomic), every file synced. Nothing live is touched; an error, a
//     crash or Discard just leaves a stage that is deleted.
//  2. Commit makes a safety backup of the current data, closes the
//     database, writes the restore journal (the commit point), swaps the
//     live files for the staged ones by rename, removes the journal and
//     reopens.
//
// Crash safety. Before the journal exists the live data has not been
// touched, so a crash leaves the old data whole and Open deletes the stage.
// Once the journal exists the staged new data is complete and synced, and
// rollForward finishes the swap from whatever point it stopped: each item
// (the database, then the attachments folder) is in exactly one of three
// states — staged in new/ with the old copy still live, staged with the old
// copy moved to old/, or moved in — each told apart by which paths exist,
// and each step is one atomic rename, so running rollForward again (at the
// next Open) after a crash anywhere in it completes the swap and leaves the
// new data whole. The old database's -wal and -shm files move out before
// the new database moves in, so SQLite never applies an old log to the new
// file. The journal is removed only after both items are in place.
type PreparedRestore struct {
	s        *Store
	actor    *User
	path     string
	stage    string
	lock     *os.File
	Manifest *Manifest // the backup's manifest, for the confirmation
}

const (
	restoreStageName   = ".dangan-restore"
	restoreJournalName = ".dangan-restore.journal"
	restoreLockName    = ".dangan-restore.lock"
)

// restoreFailpoint, when set by tests, is called after each step of the
// swap; returning true stops the restore right there, as a crash would.
var restoreFailpoint func(step string) bool

var errFailpoint = errors.New("failpoint: simulated crash")

func failpoint(step string) error {
	if restoreFailpoint != nil && restoreFailpoint(step) {
		return fmt.Errorf("%w at %s", errFailpoint, step)
	}
	return nil
}

// RestoreResult tells what a restore did.
type RestoreResult struct {
	Manifest     *Manifest
	SafetyBackup string // the backup of the data as it was before
	Duration     time.Duration
}

// PrepareRestore verifies the backup at path and stages it for Commit. Only
// admins restore. A damaged, truncated, foreign or newer file is refused
// with a message and nothing changes.
func (s *Store) PrepareRestore(ctx context.Context, actor *User, path, password string, progress Progress) (*PreparedRestore, error) {
	if _, err := s.requireAdmin(ctx, s.db, actor, "恢复备份"); err != nil {
		return nil, err
	}
	lock, err := takeRestoreLock(s.dir)
	if err != nil {
		return nil, err
	}
	stage := filepath.Join(s.dir, restoreStageName)
	if _, err := os.Stat(filepath.Join(s.dir, restoreJournalName)); err == nil {
		releaseRestoreLock(lock)
		return nil, Errorf(ECONFLICT, "上一次恢复尚未完成：请重新启动档案通后再试。")
	}
	os.RemoveAll(stage)
	newDir := filepath.Join(stage, "new")
	if err := os.MkdirAll(filepath.Join(newDir, AttachmentsDirName), 0o700); err != nil {
		releaseRestoreLock(lock)
		return nil, Errorf(EINVALID, "无法在数据目录中准备恢复：%v", err)
	}
	m, err := readBackup(ctx, path, password, newDir, true, progress)
	if err != nil {
		os.RemoveAll(stage)
		releaseRestoreLock(lock)
		return nil, err
	}
	if err := syncTree(newDir); err != nil {
		os.RemoveAll(stage)
		releaseRestoreLock(lock)
		return nil, Errorf(EINVALID, "无法把恢复的内容写入磁盘：%v。数据未作任何改动。", err)
	}
	return &PreparedRestore{s: s, actor: actor, path: path, stage: stage, lock: lock, Manifest: m}, nil
}

// Discard drops a prepared restore; the live data was never touched.
func (p *PreparedRestore) Discard() {
	if p.lock == nil {
		return
	}
	os.RemoveAll(p.stage)
	releaseRestoreLock(p.lock)
	p.lock = nil
}

// Commit makes a safety backup of the current data into the backup folder,
// swaps the staged backup in and reopens the store. The store must not be
// used by anything else meanwhile. After an error the store may be closed:
// callers reopen the program (Open finishes an interrupted swap).
func (p *PreparedRestore) Commit(ctx context.Context) (*RestoreResult, error) {
	if p.lock == nil {
		return nil, errors.New("restore already committed or discarded")
	}
	start := time.Now()
	s := p.s
	u, err := s.requireAdmin(ctx, s.db, p.actor, "恢复备份")
	if err != nil {
		p.Discard()
		return nil, err
	}
	set, err := s.BackupSettings(ctx)
	if err != nil {
		p.Discard()
		return nil, err
	}
	safety, err := s.backup(ctx, set.Dir, BackupOptions{prefix: "dangan-before-restore-"})
	if err != nil {
		p.Discard()
		return nil, Errorf(EINVALID, "无法先为当前数据做安全备份（%s），恢复已取消，数据未作任何改动。", ErrorMessage(err))
	}
	if err := failpoint("safety-backup"); err != nil {
		releaseRestoreLock(p.lock) // a simulated crash: the OS would release it
		return nil, err
	}
	s.db.Close()
	swapErr := swapIn(s.dir)
	if errors.Is(swapErr, errFailpoint) {
		releaseRestoreLock(p.lock) // a simulated crash: leave everything as it is
		return nil, swapErr
	}
	releaseRestoreLock(p.lock)
	p.lock = nil
	ns, err := Open(s.dir)
	if err != nil {
		return nil, err
	}
	ns.now = s.now
	s.db = ns.db
	if swapErr != nil {
		return nil, swapErr
	}
	res := &RestoreResult{Manifest: p.Manifest, SafetyBackup: safety.Path, Duration: time.Since(start)}
	s.inTx(ctx, func(tx *sql.Tx) error {
		return s.writeAudit(ctx, tx, nil, u.Username, auditRecord{Entity: EntityBackup,
			EntityID: filepath.Base(p.path), Action: ActionRestore,
			Summary: fmt.Sprintf("从 %s 恢复（%s）；恢复前的数据已备份到 %s", p.path, p.Manifest.Summary(), safety.Path)})
	})
	return res, nil
}

// swapIn writes the journal and rolls the staged data forward.
func swapIn(dir string) error {
	journal := filepath.Join(dir, restoreJournalName)
	tmp := journal + ".tmp"
	if err := os.WriteFile(tmp, []byte("dangan restore journal 1\nstage="+restoreStageName+"\n"), 0o600); err != nil {
		return fmt.Errorf("write restore journal: %w", err)
	}
	if f, err := os.Open(tmp); err == nil {
		f.Sync()
		f.Close()
	}
	if err := failpoint("journal-written"); err != nil {
		return err
	}
	if err := os.Rename(tmp, journal); err != nil {
		return fmt.Errorf("write restore journal: %w", err)
	}
	syncDir(dir)
	if err := failpoint("journal"); err != nil {
		return err
	}
	return rollForward(dir)
}

// rollForward completes a swap whose journal exists; it is idempotent.
func rollForward(dir string) error {
	stage := filepath.Join(dir, restoreStageName)
	newDir, oldDir := filepath.Join(stage, "new"), filepath.Join(stage, "old")
	if err := os.MkdirAll(oldDir, 0o700); err != nil {
		return err
	}
	move := func(from, to, step string) error {
		if err := os.Rename(from, to); err != nil {
			return fmt.Errorf("restore %s: %w", step, err)
		}
		syncDir(filepath.Dir(from))
		syncDir(filepath.Dir(to))
		return failpoint(step)
	}
	live := DBPath(dir)
	if exists(filepath.Join(newDir, DBFileName)) {
		// The new database is still staged, so any log files beside the
		// live name belong to the old one: move them out first.
		for _, suffix := range []string{"-wal", "-shm", "-journal"} {
			if exists(live + suffix) {
				if err := move(live+suffix, filepath.Join(oldDir, DBFileName+suffix), "db"+suffix+"-out"); err != nil {
					return err
				}
			}
		}
		if exists(live) {
			if err := move(live, filepath.Join(oldDir, DBFileName), "db-out"); err != nil {
				return err
			}
		}
		if err := move(filepath.Join(newDir, DBFileName), live, "db-in"); err != nil {
			return err
		}
	}
	liveAtt := filepath.Join(dir, AttachmentsDirName)
	if exists(filepath.Join(newDir, AttachmentsDirName)) {
		if exists(liveAtt) {
			oldAtt := filepath.Join(oldDir, AttachmentsDirName)
			if exists(oldAtt) { // only after a crash in an earlier roll-forward
				oldAtt += fmt.Sprintf("-%d", time.Now().UnixNano())
			}
			if err := move(liveAtt, oldAtt, "attachments-out"); err != nil {
				return err
			}
		}
		if err := move(filepath.Join(newDir, AttachmentsDirName), liveAtt, "attachments-in"); err != nil {
			return err
		}
	}
	if err := os.Remove(filepath.Join(dir, restoreJournalName)); err != nil && !os.IsNotExist(err) {
		return err
	}
	syncDir(dir)
	if err := failpoint("journal-removed"); err != nil {
		return err
	}
	return os.RemoveAll(stage)
}

// recoverRestore runs at Open: it finishes a swap interrupted by a crash,
// or removes a stage and scratch folders left by an interrupted prepare or
// backup. While another process holds the restore lock it leaves things
// alone (and refuses to open mid-swap).
func recoverRestore(dir string) error {
	journal := exists(filepath.Join(dir, restoreJournalName))
	stage := exists(filepath.Join(dir, restoreStageName))
	if !journal && !stage {
		cleanTemp(dir)
		return nil
	}
	lock, err := takeRestoreLock(dir)
	if err != nil {
		if journal {
			return Errorf(ECONFLICT, "正在恢复备份，请稍后再打开。")
		}
		return nil // a restore is being prepared elsewhere; its stage is not ours
	}
	defer releaseRestoreLock(lock)
	cleanTemp(dir)
	if !exists(filepath.Join(dir, restoreJournalName)) {
		os.Remove(filepath.Join(dir, restoreJournalName+".tmp")) // never committed
		return os.RemoveAll(filepath.Join(dir, restoreStageName))
	}
	if err := rollForward(dir); err != nil {
		return Errorf(EINVALID, "上次恢复备份被中断，自动完成时出错：%v。数据目录 %s 中的 %s 文件夹保存着恢复的内容，请勿删除，并联系技术支持。",
			err, dir, restoreStageName)
	}
	return nil
}

// cleanTemp removes scratch folders of backups that ended a day or more ago
// without cleaning up (a crash); younger ones may belong to a running backup.
func cleanTemp(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > 24*time.Hour {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

func takeRestoreLock(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, restoreLockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, Errorf(EINVALID, "无法打开恢复锁文件：%v", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, Errorf(ECONFLICT, "另一个恢复操作正在进行，请稍后再试。")
	}
	return f, nil
}

func releaseRestoreLock(f *os.File) {
	if f != nil {
		unlockFile(f)
		f.Close()
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// syncTree syncs every file and folder under root. Syncing once all are
// written lets the kernel write them back together instead of one by one.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			syncDir(path)
			return nil
		}
		f, err := os.OpenFile(path, os.O_RDWR, 0) // Windows flushes only writable handles
		if err != nil {
			return err
		}
		defer f.Close()
		return f.Sync()
	})
}

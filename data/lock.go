package data

import (
	"os"
	"path/filepath"
)

// LockFileName is the lock file a running GUI holds in its data directory.
const LockFileName = "dangan.lock"

// DirLock is an exclusive lock on a data directory, held by the one GUI that
// works on it. The OS releases it when the process ends, even on a crash.
type DirLock struct{ f *os.File }

// LockDir takes the data directory's lock, or says that another window has
// it.
func LockDir(dir string) (*DirLock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, Errorf(EINVALID, "无法创建数据目录 %s：%v", dir, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, LockFileName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, Errorf(EINVALID, "无法打开锁文件：%v", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, Errorf(ECONFLICT, "另一个档案通窗口正在使用这个数据目录（%s）。请切换到那个窗口，或先关闭它再打开。", dir)
	}
	return &DirLock{f: f}, nil
}

// Release gives the lock up.
func (l *DirLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	unlockFile(l.f)
	err := l.f.Close()
	l.f = nil
	return err
}

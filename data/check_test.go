package data_test

import (
	"os"
	"testing"

	"dangan/data"
)

func TestCheck(t *testing.T) {
	s, admin := mustSetup(t)
	for i := 0; i < 40; i++ {
		mustDept(t, s, admin, string(rune('1'+i/10))+string(rune('0'+i%10)), "部门"+string(rune('甲'+i)))
	}
	dir := s.Dir()
	s.Close()

	problems, err := data.Check(ctx, dir)
	if err != nil || len(problems) != 0 {
		t.Fatalf("healthy database: %v, %v", problems, err)
	}

	// Damage the middle of the file: overwrite a page with garbage.
	path := data.DBPath(dir)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 4*4096 {
		t.Fatalf("database only %d bytes", len(b))
	}
	for i := 2 * 4096; i < 3*4096; i++ {
		b[i] = byte(i * 7)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	problems, err = data.Check(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) == 0 {
		t.Fatal("damaged database reported ok")
	}
}

func TestCheckMissingDatabase(t *testing.T) {
	_, err := data.Check(ctx, t.TempDir())
	wantErr(t, err, data.ENOTFOUND, "没有数据库文件")
}

func TestLockDir(t *testing.T) {
	dir := t.TempDir()
	l, err := data.LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = data.LockDir(dir)
	wantErr(t, err, data.ECONFLICT, "另一个档案通窗口正在使用")
	l.Release()
	l2, err := data.LockDir(dir)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	l2.Release()
}

package data_test

import (
	"os"
	"testing"

	"dangan/data"
)

func TestOpenMigratesFromEmpty(t *testing.T) {
	dir := t.TempDir()
	s, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := s.Initialized(ctx)
	if err != nil || ok {
		t.Fatalf("new database: initialized=%v err=%v", ok, err)
	}
	s.Close()

	db := rawDB(t, s)
	var v int
	if err := db.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != data.SchemaVersion() || v < 1 {
		t.Fatalf("schema version %d, want %d", v, data.SchemaVersion())
	}
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q (%v), want wal", mode, err)
	}

	// Opening again applies nothing twice.
	s2, err := data.Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	s2.Close()
	var n int
	db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n)
	if n != data.SchemaVersion() {
		t.Fatalf("%d migration rows after reopen, want %d", n, data.SchemaVersion())
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	s := mustOpen(t)
	dir := s.Dir()
	db := rawDB(t, s)
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := data.Open(dir)
	wantErr(t, err, data.EINVALID, "更新版本的档案通")
	wantErr(t, err, data.EINVALID, "999")
}

func TestOpenRefusesForeignFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(data.DBPath(dir), []byte("这不是数据库 this is not a database file at all, just text........"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := data.Open(dir)
	wantErr(t, err, data.EINVALID, "已损坏或不是档案通的数据库")
}

func TestForeignKeysOnEveryConnection(t *testing.T) {
	s, admin := mustSetup(t)
	// Several concurrent operations use several pooled connections; each must
	// refuse a dangling department reference.
	for i := 0; i < 5; i++ {
		_, err := s.CreateUser(ctx, admin, data.UserInput{
			Username: "u" + string(rune('a'+i)), Role: data.RoleOperator, DeptID: 12345, Password: "Passw0rd9",
		})
		wantErr(t, err, data.EINVALID, "所选部门不存在")
	}
}

package data_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"dangan/data"
)

var ctx = context.Background()

const adminPassword = "Archive2026"

// mustOpen opens a store in a fresh temp directory with a fixed clock.
func mustOpen(tb testing.TB) *data.Store {
	tb.Helper()
	s, err := data.Open(tb.TempDir())
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	s.SetClock(func() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC) })
	return s
}

// mustSetup opens a store and completes the first run; it returns the admin.
func mustSetup(tb testing.TB) (*data.Store, *data.User) {
	tb.Helper()
	s := mustOpen(tb)
	admin, err := s.Initialize(ctx, data.SetupInput{
		FondsCode: "Z109", FondsName: "华东机械有限公司", Username: "admin", Password: adminPassword,
	})
	if err != nil {
		tb.Fatalf("initialize: %v", err)
	}
	return s, admin
}

func mustDept(tb testing.TB, s *data.Store, actor *data.User, code, name string) *data.Department {
	tb.Helper()
	d, err := s.CreateDepartment(ctx, actor, code, name)
	if err != nil {
		tb.Fatalf("create department %s: %v", code, err)
	}
	return d
}

func mustUser(tb testing.TB, s *data.Store, actor *data.User, in data.UserInput) *data.User {
	tb.Helper()
	u, err := s.CreateUser(ctx, actor, in)
	if err != nil {
		tb.Fatalf("create user %s: %v", in.Username, err)
	}
	return u
}

// wantErr fails unless err has the code and its message contains want.
func wantErr(tb testing.TB, err error, code, want string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("want %s error containing %q, got nil", code, want)
	}
	if got := data.ErrorCode(err); got != code {
		tb.Fatalf("want code %s, got %s (%v)", code, got, err)
	}
	if msg := data.ErrorMessage(err); !contains(msg, want) {
		tb.Fatalf("want message containing %q, got %q", want, msg)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// auditCount counts audit rows by reading the database file directly.
func auditCount(tb testing.TB, s *data.Store) int {
	tb.Helper()
	db := rawDB(tb, s)
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// rawDB opens a second connection to the store's file, for checks that go
// around the public API.
func rawDB(tb testing.TB, s *data.Store) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+data.DBPath(s.Dir())+"?_busy_timeout=5000")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

package data_test

import (
	"testing"
	"time"

	"dangan/data"
)

func TestAuditRecordsChanges(t *testing.T) {
	s, admin := mustSetup(t)
	d := mustDept(t, s, admin, "01", "销售部")
	u := mustUser(t, s, admin, data.UserInput{Username: "zhao", DisplayName: "赵六", DeptID: d.ID, Role: data.RoleOperator, Password: "Zhao12345"})
	if _, err := s.UpdateUser(ctx, admin, u.ID, data.UserUpdate{DisplayName: "赵六六", DeptID: d.ID, Role: data.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	entries, total, err := s.FindAudit(ctx, admin, data.AuditFilter{Entity: data.EntityUser})
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(entries) != 2 {
		t.Fatalf("total %d, entries %d, want 2", total, len(entries))
	}
	upd := entries[0] // newest first
	if upd.Action != data.ActionUpdate || upd.UserName != "admin" || upd.EntityID != "zhao" {
		t.Fatalf("update entry %+v", upd)
	}
	if got, want := upd.ChangesText(), "显示名：赵六 → 赵六六；角色：操作员 → 管理员"; got != want {
		t.Fatalf("changes %q, want %q", got, want)
	}
	if !upd.At.Equal(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("at %v", upd.At)
	}
}

func TestAuditFilters(t *testing.T) {
	s, admin := mustSetup(t)
	day := time.Date(2026, 3, 1, 10, 0, 0, 0, time.Local)
	s.SetClock(func() time.Time { return day })
	mustDept(t, s, admin, "01", "销售部")
	day = day.AddDate(0, 0, 2)
	mustDept(t, s, admin, "02", "财务部")
	s.Authenticate(ctx, "admin", "wrong-one")

	count := func(f data.AuditFilter) int {
		t.Helper()
		_, n, err := s.FindAudit(ctx, admin, f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(data.AuditFilter{Entity: data.EntityDepartment}); n != 2 {
		t.Fatalf("department entries %d", n)
	}
	if n := count(data.AuditFilter{Entity: data.EntityDepartment, From: time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local)}); n != 1 {
		t.Fatalf("from 3-02: %d", n)
	}
	if n := count(data.AuditFilter{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local), To: time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local)}); n != 1 {
		t.Fatalf("on 3-01: %d", n)
	}
	if n := count(data.AuditFilter{UserName: "admin", Entity: data.EntityUser}); n != 1 {
		t.Fatalf("admin's user entries: %d (the failed login)", n)
	}
	page, total, _ := s.FindAudit(ctx, admin, data.AuditFilter{Limit: 1, Offset: 1})
	if len(page) != 1 || total < 3 {
		t.Fatalf("paging: %d rows of %d", len(page), total)
	}
}

func TestAuditIsAppendOnly(t *testing.T) {
	s, admin := mustSetup(t)
	mustDept(t, s, admin, "01", "销售部")
	db := rawDB(t, s)
	if _, err := db.Exec(`UPDATE audit_log SET user_name = 'x'`); err == nil {
		t.Fatal("audit row updated")
	}
	if _, err := db.Exec(`DELETE FROM audit_log`); err == nil {
		t.Fatal("audit row deleted")
	}
}

func TestAuditInSameTransaction(t *testing.T) {
	s, admin := mustSetup(t)
	// Make the audit insert fail: the change it describes must not stay.
	db := rawDB(t, s)
	if _, err := db.Exec(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log
		WHEN NEW.entity = 'department' BEGIN SELECT RAISE(ABORT, 'boom'); END`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateDepartment(ctx, admin, "01", "销售部"); err == nil {
		t.Fatal("create succeeded although its audit row failed")
	}
	if depts, _ := s.FindDepartments(ctx); len(depts) != 0 {
		t.Fatalf("department kept without its audit row: %+v", depts)
	}
}

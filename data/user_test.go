package data_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"dangan/data"
)

func TestInitialize(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s, admin := mustSetup(t)
		if !admin.IsAdmin() || !admin.Active || admin.MustChangePassword {
			t.Fatalf("admin = %+v", admin)
		}
		f, err := s.Fonds(ctx)
		if err != nil || f.Code != "Z109" || f.Name != "华东机械有限公司" || f.CodingRule != "2-2-2" {
			t.Fatalf("fonds = %+v, %v", f, err)
		}
		if _, err := s.Authenticate(ctx, "admin", adminPassword); err != nil {
			t.Fatalf("login after setup: %v", err)
		}
	})
	t.Run("ErrTwice", func(t *testing.T) {
		s, _ := mustSetup(t)
		_, err := s.Initialize(ctx, data.SetupInput{FondsCode: "Z1", FondsName: "另一家", Username: "root", Password: "Another123"})
		wantErr(t, err, data.ECONFLICT, "已经初始化")
	})
	for _, tc := range []struct {
		name string
		in   data.SetupInput
		want string
	}{
		{"ErrFondsName", data.SetupInput{FondsCode: "Z1", Username: "a", Password: "Abcdefg12"}, "全宗名称不能为空"},
		{"ErrFondsCode", data.SetupInput{FondsCode: "Z-1", FondsName: "某公司", Username: "a", Password: "Abcdefg12"}, "全宗号应由"},
		{"ErrUsername", data.SetupInput{FondsCode: "Z1", FondsName: "某公司", Username: "  ", Password: "Abcdefg12"}, "用户名不能为空"},
		{"ErrWeakPassword", data.SetupInput{FondsCode: "Z1", FondsName: "某公司", Username: "a", Password: "abcdefgh"}, "须同时包含字母和数字"},
		{"ErrShortPassword", data.SetupInput{FondsCode: "Z1", FondsName: "某公司", Username: "a", Password: "ab12"}, "至少 8 位"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustOpen(t)
			_, err := s.Initialize(ctx, tc.in)
			wantErr(t, err, data.EINVALID, tc.want)
			if ok, _ := s.Initialized(ctx); ok {
				t.Fatal("a refused setup left a user behind")
			}
			if n := auditCount(t, s); n != 0 {
				t.Fatalf("a refused setup wrote %d audit rows", n)
			}
		})
	}
}

func TestPasswordsAreSlowHashes(t *testing.T) {
	s, _ := mustSetup(t)
	var hash string
	if err := rawDB(t, s).QueryRow(`SELECT password_hash FROM users WHERE username = 'admin'`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(hash, adminPassword) || !strings.HasPrefix(hash, "$2") {
		t.Fatalf("stored hash %q is not a bcrypt hash", hash)
	}
	// bcrypt's cost sits in characters 4-5: $2a$10$...
	if cost := hash[4:6]; cost < "10" {
		t.Fatalf("bcrypt cost %s, want >= 10", cost)
	}
}

func TestAuthenticate(t *testing.T) {
	s, admin := mustSetup(t)
	d := mustDept(t, s, admin, "01", "销售部")
	mustUser(t, s, admin, data.UserInput{Username: "zhang", DisplayName: "张三", DeptID: d.ID, Role: data.RoleOperator, Password: "Zhang2026"})

	t.Run("OK", func(t *testing.T) {
		u, err := s.Authenticate(ctx, " zhang ", "Zhang2026")
		if err != nil || u.DisplayName != "张三" || u.Role != data.RoleOperator || u.DeptCode != "01" {
			t.Fatalf("got %+v, %v", u, err)
		}
	})
	t.Run("CaseInsensitiveName", func(t *testing.T) {
		if _, err := s.Authenticate(ctx, "ZHANG", "Zhang2026"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrUnknownUser", func(t *testing.T) {
		_, err := s.Authenticate(ctx, "nobody", "Zhang2026")
		wantErr(t, err, data.EINVALID, "用户名或密码错误")
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		_, err := s.Authenticate(ctx, "zhang", "")
		wantErr(t, err, data.EINVALID, "请输入密码")
	})
	t.Run("ErrWrongPasswordSaysAttemptsLeft", func(t *testing.T) {
		_, err := s.Authenticate(ctx, "zhang", "wrong")
		wantErr(t, err, data.EINVALID, "再错 4 次")
		if _, err := s.Authenticate(ctx, "zhang", "Zhang2026"); err != nil {
			t.Fatal(err) // a success resets the count
		}
	})
}

func TestLockout(t *testing.T) {
	s, admin := mustSetup(t)
	d := mustDept(t, s, admin, "01", "销售部")
	li := mustUser(t, s, admin, data.UserInput{Username: "li", DeptID: d.ID, Role: data.RoleOperator, Password: "LiSi20260"})
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.Local)
	s.SetClock(func() time.Time { return now })

	for i := 1; i < data.MaxFailedLogins; i++ {
		_, err := s.Authenticate(ctx, "li", "bad-password")
		wantErr(t, err, data.EINVALID, "用户名或密码错误")
	}
	_, err := s.Authenticate(ctx, "li", "bad-password")
	wantErr(t, err, data.EFORBIDDEN, "已锁定 15 分钟，请于 2026-05-01 09:15 后再试")

	// The right password does not open a locked account.
	now = now.Add(14 * time.Minute)
	_, err = s.Authenticate(ctx, "li", "LiSi20260")
	wantErr(t, err, data.EFORBIDDEN, "请于 2026-05-01 09:15 后再试")

	// After the lock runs out it does.
	now = now.Add(2 * time.Minute)
	if _, err := s.Authenticate(ctx, "li", "LiSi20260"); err != nil {
		t.Fatalf("after lock expired: %v", err)
	}

	// An admin's reset unlocks at once and forces a change.
	for i := 0; i < data.MaxFailedLogins; i++ {
		s.Authenticate(ctx, "li", "bad-password")
	}
	if err := s.ResetPassword(ctx, admin, li.ID, "Temp12345"); err != nil {
		t.Fatal(err)
	}
	u, err := s.Authenticate(ctx, "li", "Temp12345")
	if err != nil || !u.MustChangePassword {
		t.Fatalf("after reset: %+v, %v", u, err)
	}
	if _, err := s.ChangePassword(ctx, u, "Temp12345", "Temp12345"); err == nil {
		t.Fatal("same password accepted")
	}
	u, err = s.ChangePassword(ctx, u, "Temp12345", "NewPass789")
	if err != nil || u.MustChangePassword {
		t.Fatalf("change: %+v, %v", u, err)
	}
}

func TestDisabledAccountCannotLogInOrAct(t *testing.T) {
	s, admin := mustSetup(t)
	second := mustUser(t, s, admin, data.UserInput{Username: "boss", Role: data.RoleAdmin, Password: "Boss12345"})
	if err := s.SetUserActive(ctx, admin, second.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err := s.Authenticate(ctx, "boss", "Boss12345")
	wantErr(t, err, data.EFORBIDDEN, "已停用")
	// A session opened before the account was disabled can no longer act.
	_, err = s.CreateDepartment(ctx, second, "01", "销售部")
	wantErr(t, err, data.EFORBIDDEN, "已被停用")
}

func TestUserValidation(t *testing.T) {
	s, admin := mustSetup(t)
	d := mustDept(t, s, admin, "01", "销售部")
	for _, tc := range []struct {
		name string
		in   data.UserInput
		want string
	}{
		{"ErrEmptyName", data.UserInput{Username: " ", Role: data.RoleAdmin, Password: "Abcdef123"}, "用户名不能为空"},
		{"ErrSpaceInName", data.UserInput{Username: "wang wu", Role: data.RoleAdmin, Password: "Abcdef123"}, "不能包含空格"},
		{"ErrDuplicate", data.UserInput{Username: "ADMIN", Role: data.RoleAdmin, Password: "Abcdef123"}, "用户名“ADMIN”已存在"},
		{"ErrWeak", data.UserInput{Username: "wang", Role: data.RoleAdmin, Password: "12345678"}, "须同时包含字母和数字"},
		{"ErrSameAsName", data.UserInput{Username: "wang12345", Role: data.RoleAdmin, Password: "WANG12345"}, "不能与用户名相同"},
		{"ErrNoRole", data.UserInput{Username: "wang", Password: "Abcdef123"}, "请选择角色"},
		{"ErrOperatorNoDept", data.UserInput{Username: "wang", Role: data.RoleOperator, Password: "Abcdef123"}, "操作员必须指定所属部门"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := auditCount(t, s)
			_, err := s.CreateUser(ctx, admin, tc.in)
			wantErr(t, err, data.EINVALID, tc.want)
			if after := auditCount(t, s); after != before {
				t.Fatalf("refused create wrote %d audit rows", after-before)
			}
		})
	}
	users, _ := s.FindUsers(ctx)
	if len(users) != 1 {
		t.Fatalf("%d users after refused creates, want 1", len(users))
	}
	_ = d
}

func TestLastActiveAdmin(t *testing.T) {
	s, admin := mustSetup(t)
	d := mustDept(t, s, admin, "01", "销售部")

	err := s.SetUserActive(ctx, admin, admin.ID, false)
	wantErr(t, err, data.ECONFLICT, "最后一个启用的管理员，不能停用")
	_, err = s.UpdateUser(ctx, admin, admin.ID, data.UserUpdate{Role: data.RoleOperator, DeptID: d.ID})
	wantErr(t, err, data.EINVALID, "最后一个启用的管理员，不能改为操作员")

	// With a second admin the first may step down.
	mustUser(t, s, admin, data.UserInput{Username: "boss", Role: data.RoleAdmin, Password: "Boss12345"})
	if _, err := s.UpdateUser(ctx, admin, admin.ID, data.UserUpdate{Role: data.RoleOperator, DeptID: d.ID}); err != nil {
		t.Fatal(err)
	}
	u, _ := s.UserByID(ctx, admin.ID)
	if u.Role != data.RoleOperator {
		t.Fatalf("role %s after demotion", u.Role)
	}
}

func TestLastAdminRaceKeepsOne(t *testing.T) {
	s, admin := mustSetup(t)
	b := mustUser(t, s, admin, data.UserInput{Username: "boss", Role: data.RoleAdmin, Password: "Boss12345"})
	// Two admins disable each other at once: write transactions are
	// serialised, so exactly one succeeds.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Add(2)
	go func() { defer wg.Done(); errs[0] = s.SetUserActive(ctx, admin, b.ID, false) }()
	go func() { defer wg.Done(); errs[1] = s.SetUserActive(ctx, b, admin.ID, false) }()
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("want exactly one success, got %v / %v", errs[0], errs[1])
	}
	users, _ := s.FindUsers(ctx)
	active := 0
	for _, u := range users {
		if u.Active && u.IsAdmin() {
			active++
		}
	}
	if active != 1 {
		t.Fatalf("%d active admins, want 1", active)
	}
}

func TestOperatorCannotManage(t *testing.T) {
	s, admin := mustSetup(t)
	d := mustDept(t, s, admin, "01", "销售部")
	op := mustUser(t, s, admin, data.UserInput{Username: "op", DeptID: d.ID, Role: data.RoleOperator, Password: "Oper12345"})
	before := auditCount(t, s)

	_, err := s.CreateUser(ctx, op, data.UserInput{Username: "x", Role: data.RoleAdmin, Password: "Abcdef123"})
	wantErr(t, err, data.EFORBIDDEN, "只有管理员可以新建用户")
	_, err = s.UpdateUser(ctx, op, op.ID, data.UserUpdate{Role: data.RoleAdmin})
	wantErr(t, err, data.EFORBIDDEN, "只有管理员可以修改用户")
	err = s.SetUserActive(ctx, op, admin.ID, false)
	wantErr(t, err, data.EFORBIDDEN, "只有管理员")
	err = s.ResetPassword(ctx, op, admin.ID, "Hijack1234")
	wantErr(t, err, data.EFORBIDDEN, "只有管理员可以重置密码")
	_, err = s.CreateDepartment(ctx, op, "02", "财务部")
	wantErr(t, err, data.EFORBIDDEN, "只有管理员可以管理部门")
	err = s.RenameDepartment(ctx, op, d.ID, "改名")
	wantErr(t, err, data.EFORBIDDEN, "只有管理员")
	err = s.DeleteDepartment(ctx, op, d.ID)
	wantErr(t, err, data.EFORBIDDEN, "只有管理员")
	_, _, err = s.FindAudit(ctx, op, data.AuditFilter{})
	wantErr(t, err, data.EFORBIDDEN, "只有管理员可以查看操作日志")
	_, err = s.CreateUser(ctx, nil, data.UserInput{Username: "x", Role: data.RoleAdmin, Password: "Abcdef123"})
	wantErr(t, err, data.EFORBIDDEN, "请先登录")

	if after := auditCount(t, s); after != before {
		t.Fatalf("refused actions wrote %d audit rows", after-before)
	}
	// Operators change their own password.
	if _, err := s.ChangePassword(ctx, op, "Oper12345", "Oper67890"); err != nil {
		t.Fatal(err)
	}
}

func TestGeneratePasswordPassesPolicy(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		p := data.GeneratePassword()
		if err := data.ValidatePassword("someone", p); err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		seen[p] = true
	}
	if len(seen) < 195 {
		t.Fatalf("only %d distinct passwords in 200", len(seen))
	}
}

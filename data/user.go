package data

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role is what a user may do (DESIGN 3).
type Role string

// Roles.
const (
	RoleAdmin    Role = "admin"
	RoleOperator Role = "operator"
)

// Label returns the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "管理员"
	case RoleOperator:
		return "操作员"
	}
	return string(r)
}

// RoleByLabel returns the role with the given Chinese name.
func RoleByLabel(label string) (Role, bool) {
	for _, r := range []Role{RoleAdmin, RoleOperator} {
		if r.Label() == label {
			return r, true
		}
	}
	return "", false
}

// Lockout policy: this many wrong passwords in a row lock the account for
// LockDuration.
const (
	MaxFailedLogins = 5
	LockDuration    = 15 * time.Minute
)

// User is a person who logs in.
type User struct {
	ID                 int64
	Username           string
	DisplayName        string
	DeptID             int64 // 0: none
	DeptCode           string
	DeptName           string
	Role               Role
	ScopeAll           bool // an operator who sees every department
	Active             bool
	MustChangePassword bool
	FailedLogins       int
	LockedUntil        time.Time
	CreatedAt          time.Time
}

// IsAdmin reports whether u is an administrator.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin }

// Locked reports whether the account is locked at time now.
func (u *User) Locked(now time.Time) bool { return now.Before(u.LockedUntil) }

// UserInput is what an admin enters for a new user.
type UserInput struct {
	Username           string
	DisplayName        string
	DeptID             int64
	Role               Role
	ScopeAll           bool
	Password           string
	MustChangePassword bool
}

// UserUpdate is what an admin may change on an existing user. The user
// name is fixed once created.
type UserUpdate struct {
	DisplayName string
	DeptID      int64
	Role        Role
	ScopeAll    bool
}

const userColumns = `u.id, u.username, u.display_name, coalesce(u.dept_id, 0),
	coalesce(d.code, ''), coalesce(d.name, ''), u.role, u.scope_all, u.active,
	u.must_change_pw, u.failed_logins, u.locked_until, u.created_at`

const userFrom = ` FROM users u LEFT JOIN departments d ON d.id = u.dept_id `

func scanUser(sc interface{ Scan(...any) error }) (*User, error) {
	var u User
	var role, locked, created string
	if err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &u.DeptID, &u.DeptCode, &u.DeptName,
		&role, &u.ScopeAll, &u.Active, &u.MustChangePassword, &u.FailedLogins, &locked, &created); err != nil {
		return nil, err
	}
	u.Role = Role(role)
	u.LockedUntil = parseTime(locked)
	u.CreatedAt = parseTime(created)
	return &u, nil
}

func (s *Store) userByID(ctx context.Context, q queryer, id int64) (*User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "用户不存在")
	}
	return u, nil
}

// UserByID returns one user.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	return s.userByID(ctx, s.db, id)
}

// FindUsers returns every user ordered by user name.
func (s *Store) FindUsers(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+userFrom+`ORDER BY u.username`)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// currentActor reloads the acting user so that a session cannot act after
// the account was disabled, demoted or deleted.
func (s *Store) currentActor(ctx context.Context, q queryer, actor *User) (*User, error) {
	if actor == nil || actor.ID == 0 {
		return nil, Errorf(EFORBIDDEN, "请先登录")
	}
	u, err := s.userByID(ctx, q, actor.ID)
	if err != nil {
		return nil, Errorf(EFORBIDDEN, "当前用户已不存在，请重新登录")
	}
	if !u.Active {
		return nil, Errorf(EFORBIDDEN, "当前用户已被停用，请联系管理员")
	}
	return u, nil
}

// requireAdmin returns the fresh actor if it is an active admin; what names
// the refused action in the message.
func (s *Store) requireAdmin(ctx context.Context, q queryer, actor *User, what string) (*User, error) {
	u, err := s.currentActor(ctx, q, actor)
	if err != nil {
		return nil, err
	}
	if !u.IsAdmin() {
		return nil, Errorf(EFORBIDDEN, "只有管理员可以%s", what)
	}
	return u, nil
}

// normalizeUsername trims the name and checks its form.
func normalizeUsername(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", fieldErr("username", "用户名不能为空")
	case utf8.RuneCountInString(name) > 32:
		return "", fieldErr("username", "用户名太长：最多 32 个字符")
	}
	for _, r := range name {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return "", fieldErr("username", "用户名不能包含空格")
		}
	}
	return name, nil
}

func validateRole(r Role) error {
	if r != RoleAdmin && r != RoleOperator {
		return fieldErr("role", "请选择角色：管理员或操作员")
	}
	return nil
}

// checkUserDept checks the department of a user: operators need one.
func (s *Store) checkUserDept(ctx context.Context, tx *sql.Tx, role Role, deptID int64) error {
	if deptID == 0 {
		if role == RoleOperator {
			return fieldErr("dept", "操作员必须指定所属部门")
		}
		return nil
	}
	if _, err := s.departmentByID(ctx, tx, deptID); err != nil {
		return fieldErr("dept", "所选部门不存在")
	}
	return nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// CreateUser adds a user. Admins only.
func (s *Store) CreateUser(ctx context.Context, actor *User, in UserInput) (*User, error) {
	name, err := normalizeUsername(in.Username)
	if err != nil {
		return nil, err
	}
	if err := validateRole(in.Role); err != nil {
		return nil, err
	}
	if err := ValidatePassword(name, in.Password); err != nil {
		return nil, err
	}
	display := strings.TrimSpace(in.DisplayName)
	if display == "" {
		display = name
	}
	hash, err := hashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "新建用户")
		if err != nil {
			return err
		}
		if err := s.checkUserDept(ctx, tx, in.Role, in.DeptID); err != nil {
			return err
		}
		now := s.nowText()
		res, err := tx.ExecContext(ctx, `INSERT INTO users (username, display_name, dept_id, role,
			scope_all, must_change_pw, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			name, display, nullID(in.DeptID), string(in.Role), in.ScopeAll && in.Role == RoleOperator,
			in.MustChangePassword, hash, now, now)
		if isUniqueViolation(err) {
			return fieldErr("username", "用户名“%s”已存在，请换一个", name)
		} else if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		id, _ = res.LastInsertId()
		u, err := s.userByID(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityUser, EntityID: name, Action: ActionCreate,
			Summary: fmt.Sprintf("新建用户 %s（%s，%s）", name, display, in.Role.Label()),
			Changes: userChanges(nil, u),
		})
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, id)
}

// userChanges lists the fields that differ between two versions of a user.
func userChanges(old, new *User) []Change {
	if old == nil {
		old = &User{}
	}
	var c []Change
	c = diff(c, "显示名", old.DisplayName, new.DisplayName)
	c = diff(c, "部门", deptText(old), deptText(new))
	c = diff(c, "角色", old.Role.Label(), new.Role.Label())
	c = diff(c, "全部门范围", yesNo(old.ScopeAll), yesNo(new.ScopeAll))
	return c
}

func deptText(u *User) string {
	if u.DeptID == 0 {
		return ""
	}
	return u.DeptCode + " " + u.DeptName
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// activeAdmins counts the active administrators.
func activeAdmins(ctx context.Context, tx *sql.Tx) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND active = 1`).Scan(&n)
	return n, err
}

// UpdateUser changes a user's display name, department, role and scope.
// Admins only; the last active admin cannot be demoted.
func (s *Store) UpdateUser(ctx context.Context, actor *User, id int64, in UserUpdate) (*User, error) {
	if err := validateRole(in.Role); err != nil {
		return nil, err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "修改用户")
		if err != nil {
			return err
		}
		old, err := s.userByID(ctx, tx, id)
		if err != nil {
			return err
		}
		display := strings.TrimSpace(in.DisplayName)
		if display == "" {
			display = old.Username
		}
		if err := s.checkUserDept(ctx, tx, in.Role, in.DeptID); err != nil {
			return err
		}
		if old.Role == RoleAdmin && in.Role != RoleAdmin && old.Active {
			if n, err := activeAdmins(ctx, tx); err != nil {
				return err
			} else if n <= 1 {
				return fieldErr("role", "%s 是最后一个启用的管理员，不能改为操作员。请先设置另一位管理员。", old.Username)
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET display_name = ?, dept_id = ?, role = ?,
			scope_all = ?, updated_at = ? WHERE id = ?`,
			display, nullID(in.DeptID), string(in.Role), in.ScopeAll && in.Role == RoleOperator, s.nowText(), id)
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		u, err := s.userByID(ctx, tx, id)
		if err != nil {
			return err
		}
		changes := userChanges(old, u)
		if len(changes) == 0 {
			return nil
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityUser, EntityID: u.Username, Action: ActionUpdate,
			Summary: "修改用户 " + u.Username, Changes: changes,
		})
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, id)
}

// SetUserActive enables or disables a user. Admins only; the last active
// admin cannot be disabled. Enabling also clears a lock.
func (s *Store) SetUserActive(ctx context.Context, actor *User, id int64, active bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "启用或停用用户")
		if err != nil {
			return err
		}
		old, err := s.userByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Active == active {
			return nil
		}
		if !active && old.Role == RoleAdmin {
			if n, err := activeAdmins(ctx, tx); err != nil {
				return err
			} else if n <= 1 {
				return Errorf(ECONFLICT, "%s 是最后一个启用的管理员，不能停用。", old.Username)
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET active = ?, failed_logins = 0,
			locked_until = '', updated_at = ? WHERE id = ?`, active, s.nowText(), id)
		if err != nil {
			return fmt.Errorf("set user active: %w", err)
		}
		action, verb := ActionDisable, "停用"
		if active {
			action, verb = ActionEnable, "启用"
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityUser, EntityID: old.Username, Action: action,
			Summary: verb + "用户 " + old.Username,
			Changes: []Change{{Field: "状态", Old: activeText(old.Active), New: activeText(active)}},
		})
	})
}

func activeText(b bool) string {
	if b {
		return "启用"
	}
	return "停用"
}

// ResetPassword sets a temporary password that the user must change at
// the next login, and unlocks the account. Admins only.
func (s *Store) ResetPassword(ctx context.Context, actor *User, id int64, temp string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "重置密码")
		if err != nil {
			return err
		}
		u, err := s.userByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := ValidatePassword(u.Username, temp); err != nil {
			return err
		}
		hash, err := hashPassword(temp)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_pw = 1,
			failed_logins = 0, locked_until = '', updated_at = ? WHERE id = ?`, hash, s.nowText(), id)
		if err != nil {
			return fmt.Errorf("reset password: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityUser, EntityID: u.Username, Action: ActionResetPassword,
			Summary: "重置用户 " + u.Username + " 的密码（下次登录须修改）",
		})
	})
}

// ChangePassword changes the actor's own password after checking the old
// one, and clears the must-change flag.
func (s *Store) ChangePassword(ctx context.Context, actor *User, oldPw, newPw string) (*User, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.currentActor(ctx, tx, actor)
		if err != nil {
			return err
		}
		id = a.ID
		var hash string
		if err := tx.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, a.ID).Scan(&hash); err != nil {
			return err
		}
		if !checkPassword(hash, oldPw) {
			return fieldErr("old_password", "原密码不正确")
		}
		if oldPw == newPw {
			return fieldErr("password", "新密码不能与原密码相同")
		}
		if err := ValidatePassword(a.Username, newPw); err != nil {
			return err
		}
		newHash, err := hashPassword(newPw)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_pw = 0,
			updated_at = ? WHERE id = ?`, newHash, s.nowText(), a.ID)
		if err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityUser, EntityID: a.Username, Action: ActionChangePassword,
			Summary: a.Username + " 修改了自己的密码",
		})
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, id)
}

// Authenticate checks a user name and password. Wrong passwords are
// counted; MaxFailedLogins in a row lock the account for LockDuration, and
// the message says until when. A disabled account cannot log in.
func (s *Store) Authenticate(ctx context.Context, username, password string) (*User, error) {
	name := strings.TrimSpace(username)
	if name == "" {
		return nil, fieldErr("username", "请输入用户名")
	}
	if password == "" {
		return nil, fieldErr("password", "请输入密码")
	}
	var result error
	var user *User
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		var hash string
		err := tx.QueryRowContext(ctx, `SELECT id, password_hash FROM users WHERE username = ?`, name).Scan(&id, &hash)
		if err == sql.ErrNoRows {
			checkPassword(dummyHash(), password)
			result = Errorf(EINVALID, "用户名或密码错误")
			return s.writeAudit(ctx, tx, nil, name, auditRecord{
				Entity: EntityUser, EntityID: name, Action: ActionLoginFailed, Summary: "未知用户名",
			})
		} else if err != nil {
			return err
		}
		u, err := s.userByID(ctx, tx, id)
		if err != nil {
			return err
		}
		now := s.now()
		switch {
		case !u.Active:
			result = Errorf(EFORBIDDEN, "账户“%s”已停用，请联系管理员", u.Username)
			return nil
		case u.Locked(now):
			result = Errorf(EFORBIDDEN, "账户“%s”因连续 %d 次密码错误已锁定，请于 %s 后再试，或请管理员重置密码",
				u.Username, MaxFailedLogins, u.LockedUntil.Local().Format("2006-01-02 15:04"))
			return nil
		}
		if !checkPassword(hash, password) {
			return s.loginFailed(ctx, tx, u, &result)
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = '' WHERE id = ?`, u.ID)
		if err != nil {
			return err
		}
		u.FailedLogins, u.LockedUntil, user = 0, time.Time{}, u
		return s.writeAudit(ctx, tx, u, "", auditRecord{
			Entity: EntityUser, EntityID: u.Username, Action: ActionLogin, Summary: "登录",
		})
	})
	if err != nil {
		return nil, err
	}
	return user, result
}

// loginFailed counts a wrong password and locks the account at the limit.
func (s *Store) loginFailed(ctx context.Context, tx *sql.Tx, u *User, result *error) error {
	failed := u.FailedLogins + 1
	locked := ""
	action, summary := ActionLoginFailed, "密码错误（第 "+strconv.Itoa(failed)+" 次）"
	if failed >= MaxFailedLogins {
		until := s.now().Add(LockDuration)
		locked = until.UTC().Format(time.RFC3339)
		action = ActionLock
		summary = fmt.Sprintf("连续 %d 次密码错误，锁定到 %s", failed, until.Local().Format("2006-01-02 15:04"))
		*result = Errorf(EFORBIDDEN, "密码错误。账户“%s”已连续 %d 次密码错误，已锁定 %d 分钟，请于 %s 后再试",
			u.Username, failed, int(LockDuration.Minutes()), until.Local().Format("2006-01-02 15:04"))
		failed = 0
	} else {
		*result = Errorf(EINVALID, "用户名或密码错误（再错 %d 次账户将锁定 %d 分钟）",
			MaxFailedLogins-failed, int(LockDuration.Minutes()))
	}
	_, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?`,
		failed, locked, u.ID)
	if err != nil {
		return err
	}
	return s.writeAudit(ctx, tx, nil, u.Username, auditRecord{
		Entity: EntityUser, EntityID: u.Username, Action: action, Summary: summary,
	})
}

package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Entities named in the audit log.
const (
	EntityUser       = "user"
	EntityDepartment = "department"
	EntitySettings   = "settings"
)

// Actions recorded in the audit log.
const (
	ActionCreate         = "create"
	ActionUpdate         = "update"
	ActionDelete         = "delete"
	ActionDisable        = "disable"
	ActionEnable         = "enable"
	ActionResetPassword  = "reset_password"
	ActionChangePassword = "change_password"
	ActionLogin          = "login"
	ActionLoginFailed    = "login_failed"
	ActionLock           = "lock"
	ActionInit           = "init"
)

var (
	entityOrder  []string
	entityLabels = map[string]string{}
	actionLabels = map[string]string{}
)

// registerEntity names an audited entity; each file that adds one calls it
// from init, so the audit filter lists every entity.
func registerEntity(code, label string) {
	if _, ok := entityLabels[code]; !ok {
		entityOrder = append(entityOrder, code)
	}
	entityLabels[code] = label
}

// registerAction names an audited action.
func registerAction(code, label string) { actionLabels[code] = label }

func init() {
	registerEntity(EntityDepartment, "部门")
	registerEntity(EntityUser, "用户")
	registerEntity(EntitySettings, "系统设置")
	for code, label := range map[string]string{
		ActionCreate: "新建", ActionUpdate: "修改", ActionDelete: "删除", ActionDisable: "停用",
		ActionEnable: "启用", ActionResetPassword: "重置密码", ActionChangePassword: "修改密码",
		ActionLogin: "登录", ActionLoginFailed: "登录失败", ActionLock: "账户锁定", ActionInit: "初始化",
	} {
		registerAction(code, label)
	}
}

// EntityLabel returns the Chinese name of an audit entity.
func EntityLabel(entity string) string { return labelOr(entityLabels, entity) }

// ActionLabel returns the Chinese name of an audit action.
func ActionLabel(action string) string { return labelOr(actionLabels, action) }

// AuditEntities lists the entities that can appear in the log, for filters.
func AuditEntities() []string { return append([]string(nil), entityOrder...) }

func labelOr(m map[string]string, k string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return k
}

// Change is one changed field of an audited record.
type Change struct {
	Field string `json:"f"`
	Old   string `json:"o"`
	New   string `json:"n"`
}

// String formats the change as "字段：旧 → 新".
func (c Change) String() string {
	return fmt.Sprintf("%s：%s → %s", c.Field, orDash(c.Old), orDash(c.New))
}

func orDash(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}

// diff appends a Change when old and new differ.
func diff(changes []Change, field, old, new string) []Change {
	if old == new {
		return changes
	}
	return append(changes, Change{Field: field, Old: old, New: new})
}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	ID       int64
	At       time.Time
	UserID   int64
	UserName string
	Entity   string
	EntityID string
	Action   string
	Summary  string
	Changes  []Change
}

// ChangesText joins the entry's changes for display.
func (e AuditEntry) ChangesText() string {
	parts := make([]string, len(e.Changes))
	for i, c := range e.Changes {
		parts[i] = c.String()
	}
	return strings.Join(parts, "；")
}

// auditRecord is what a mutation writes to the log.
type auditRecord struct {
	Entity   string
	EntityID string
	Action   string
	Summary  string
	Changes  []Change
}

// writeAudit appends one entry in tx, the transaction of the change itself.
// actor may be nil for events without a logged-in user (a failed login).
func (s *Store) writeAudit(ctx context.Context, tx *sql.Tx, actor *User, userName string, r auditRecord) error {
	var uid sql.NullInt64
	if actor != nil {
		uid = sql.NullInt64{Int64: actor.ID, Valid: true}
		userName = actor.Username
	}
	changes, err := r.changesJSON()
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, auditInsertSQL, s.nowText(), uid, userName, r.Entity, r.EntityID, r.Action, r.Summary, changes)
	if err != nil {
		return fmt.Errorf("write audit: %w", err)
	}
	return nil
}

// auditInsertSQL writes one audit entry; writeAudit and the bulk import's
// prepared statement share it.
const auditInsertSQL = `INSERT INTO audit_log (at, user_id, user_name, entity, entity_id, action, summary, changes)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

// changesJSON is the stored form of r.Changes: JSON, or "" when none.
func (r auditRecord) changesJSON() (string, error) {
	if len(r.Changes) == 0 {
		return "", nil
	}
	b, err := json.Marshal(r.Changes)
	return string(b), err
}

// AuditFilter selects audit entries. Zero fields do not filter. From and To
// are inclusive calendar days in local time.
type AuditFilter struct {
	UserName string
	Entity   string
	From, To time.Time
	Offset   int
	Limit    int // default 100
}

// FindAudit returns a page of audit entries, newest first, and the total
// number matching. Only admins read the log.
func (s *Store) FindAudit(ctx context.Context, actor *User, f AuditFilter) ([]AuditEntry, int, error) {
	if _, err := s.requireAdmin(ctx, s.db, actor, "查看操作日志"); err != nil {
		return nil, 0, err
	}
	where, args := []string{"1=1"}, []any{}
	if f.UserName != "" {
		where, args = append(where, "user_name = ?"), append(args, f.UserName)
	}
	if f.Entity != "" {
		where, args = append(where, "entity = ?"), append(args, f.Entity)
	}
	if !f.From.IsZero() {
		from := time.Date(f.From.Year(), f.From.Month(), f.From.Day(), 0, 0, 0, 0, time.Local)
		where, args = append(where, "at >= ?"), append(args, from.UTC().Format(time.RFC3339))
	}
	if !f.To.IsZero() {
		to := time.Date(f.To.Year(), f.To.Month(), f.To.Day()+1, 0, 0, 0, 0, time.Local)
		where, args = append(where, "at < ?"), append(args, to.UTC().Format(time.RFC3339))
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, coalesce(user_id, 0), user_name, entity,
		entity_id, action, summary, changes, count(*) OVER ()
		FROM audit_log WHERE `+strings.Join(where, " AND ")+`
		ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	total := 0
	for rows.Next() {
		var e AuditEntry
		var at, changes string
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.UserName, &e.Entity, &e.EntityID,
			&e.Action, &e.Summary, &changes, &total); err != nil {
			return nil, 0, err
		}
		e.At = parseTime(at)
		if changes != "" {
			if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
				return nil, 0, fmt.Errorf("audit %d changes: %w", e.ID, err)
			}
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && f.Offset > 0 {
		err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE `+
			strings.Join(where, " AND "), args...).Scan(&total)
		if err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

package data

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
)

// OrgCode is a department with its 机构(问题)代码, the 档号 segment of the
// items it registers (e.g. XS for 销售部). A department without one uses
// its department code.
type OrgCode struct {
	DeptID      int64
	DeptCode    string
	DeptName    string
	ArchiveCode string // as set; may be empty
}

// Effective returns the code used in 档号.
func (o OrgCode) Effective() string {
	if o.ArchiveCode != "" {
		return o.ArchiveCode
	}
	return o.DeptCode
}

var orgCodeRe = regexp.MustCompile(`^[A-Z0-9]{1,8}$`)

// FindOrgCodes lists every department with its 机构代码, ordered by code.
func (s *Store) FindOrgCodes(ctx context.Context) ([]OrgCode, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, code, name, archive_code FROM departments ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("find org codes: %w", err)
	}
	defer rows.Close()
	var out []OrgCode
	for rows.Next() {
		var o OrgCode
		if err := rows.Scan(&o.DeptID, &o.DeptCode, &o.DeptName, &o.ArchiveCode); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func orgCodeOf(ctx context.Context, q queryer, deptID int64) (OrgCode, error) {
	o := OrgCode{DeptID: deptID}
	err := q.QueryRowContext(ctx, `SELECT code, name, archive_code FROM departments WHERE id = ?`, deptID).
		Scan(&o.DeptCode, &o.DeptName, &o.ArchiveCode)
	if err == sql.ErrNoRows {
		return o, fieldErr("dept", "所选部门不存在，请重新选择")
	}
	return o, err
}

// SetOrgCode sets the 机构代码 of a department (letters and digits, up to
// 8; empty to use the department code). Items already registered keep
// their codes. Admins only; audited.
func (s *Store) SetOrgCode(ctx context.Context, actor *User, deptID int64, code string) error {
	code = strings.ToUpper(strings.TrimSpace(NormalizeWidth(code)))
	if code != "" && !orgCodeRe.MatchString(code) {
		return fieldErr("org_code", "机构代码“%s”不正确：应为 1 到 8 位字母或数字，例如 XS", code)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "设置机构代码")
		if err != nil {
			return err
		}
		o, err := orgCodeOf(ctx, tx, deptID)
		if err != nil {
			return err
		}
		if o.ArchiveCode == code {
			return nil
		}
		if code != "" {
			var other string
			err := tx.QueryRowContext(ctx, `SELECT code || ' ' || name FROM departments
				WHERE archive_code = ? AND id != ?`, code, deptID).Scan(&other)
			if err == nil {
				return fieldErr("org_code", "机构代码“%s”已由部门“%s”使用，请换一个", code, other)
			} else if err != sql.ErrNoRows {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE departments SET archive_code = ?, updated_at = ? WHERE id = ?`,
			code, s.nowText(), deptID); err != nil {
			return fmt.Errorf("set org code: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityDepartment, EntityID: o.DeptCode, Action: ActionUpdate,
			Summary: "部门 " + o.DeptCode + " 设置机构代码",
			Changes: []Change{{Field: "机构代码", Old: o.ArchiveCode, New: code}},
		})
	})
}

package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Department is a node of the company's department tree (DESIGN 2.2). Its
// code follows the coding rule, extends its parent's, and never changes.
type Department struct {
	ID       int64
	Code     string
	Name     string
	ParentID int64 // 0 for a top-level department
}

// Level returns the department's level under rule (1 = top).
func (d Department) Level(rule CodingRule) int { return rule.Level(d.Code) }

const deptColumns = `id, code, name, coalesce(parent_id, 0)`

func scanDept(sc interface{ Scan(...any) error }) (*Department, error) {
	var d Department
	if err := sc.Scan(&d.ID, &d.Code, &d.Name, &d.ParentID); err != nil {
		return nil, err
	}
	return &d, nil
}

func (s *Store) departmentByID(ctx context.Context, q queryer, id int64) (*Department, error) {
	d, err := scanDept(q.QueryRowContext(ctx, `SELECT `+deptColumns+` FROM departments WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "部门不存在")
	}
	return d, nil
}

// DepartmentByCode returns the department with the given code.
func (s *Store) DepartmentByCode(ctx context.Context, code string) (*Department, error) {
	d, err := scanDept(s.db.QueryRowContext(ctx, `SELECT `+deptColumns+` FROM departments WHERE code = ?`, code))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("部门编码“%s”不存在", code))
	}
	return d, nil
}

// FindDepartments returns all departments ordered by code, so each parent
// comes before its children.
func (s *Store) FindDepartments(ctx context.Context) ([]Department, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+deptColumns+` FROM departments ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("find departments: %w", err)
	}
	defer rows.Close()
	var out []Department
	for rows.Next() {
		d, err := scanDept(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}

// NextDepartmentCode suggests a free code for a new child of parent ("" for
// a top-level department).
func (s *Store) NextDepartmentCode(ctx context.Context, parent string) (string, error) {
	rule, err := s.rule(ctx, s.db)
	if err != nil {
		return "", err
	}
	depts, err := s.FindDepartments(ctx)
	if err != nil {
		return "", err
	}
	codes := make([]string, len(depts))
	for i, d := range depts {
		codes[i] = d.Code
	}
	return rule.NextChildCode(parent, codes)
}

func checkDeptName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", fieldErr("name", "部门名称不能为空")
	case utf8.RuneCountInString(name) > 40:
		return "", fieldErr("name", "部门名称太长：最多 40 个字")
	}
	return name, nil
}

// siblingNamed reports a sibling (same parent) with the same name.
func siblingNamed(ctx context.Context, tx *sql.Tx, parentID, exceptID int64, name string) (string, error) {
	var code string
	err := tx.QueryRowContext(ctx, `SELECT code FROM departments
		WHERE coalesce(parent_id, 0) = ? AND name = ? AND id != ?`, parentID, name, exceptID).Scan(&code)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return code, err
}

// CreateDepartment adds a department. Its parent is found from the code:
// 0101 goes under 01, which must exist. Admins only.
func (s *Store) CreateDepartment(ctx context.Context, actor *User, code, name string) (*Department, error) {
	code = strings.TrimSpace(code)
	name, err := checkDeptName(name)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "管理部门")
		if err != nil {
			return err
		}
		id, err = s.createDepartment(ctx, tx, a, code, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.departmentByID(ctx, s.db, id)
}

// createDepartment checks and inserts a department inside tx for the admin
// a: the form (CreateDepartment) and the import share it. name is already
// checked by checkDeptName.
func (s *Store) createDepartment(ctx context.Context, tx *sql.Tx, a *User, code, name string) (int64, error) {
	rule, err := s.rule(ctx, tx)
	if err != nil {
		return 0, err
	}
	if err := rule.Check(code, "部门"); err != nil {
		return 0, err
	}
	var parentID int64
	if pc := rule.ParentCode(code); pc != "" {
		err := tx.QueryRowContext(ctx, `SELECT id FROM departments WHERE code = ?`, pc).Scan(&parentID)
		if err == sql.ErrNoRows {
			return 0, fieldErr("code", "上级部门“%s”不存在：编码“%s”属于它的下级，请先建立上级部门", pc, code)
		} else if err != nil {
			return 0, err
		}
	}
	if other, err := siblingNamed(ctx, tx, parentID, 0, name); err != nil {
		return 0, err
	} else if other != "" {
		return 0, fieldErr("name", "同一上级下已有名为“%s”的部门（编码 %s）", name, other)
	}
	now := s.nowText()
	res, err := tx.ExecContext(ctx, `INSERT INTO departments (code, name, parent_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?)`, code, name, nullID(parentID), now, now)
	if isUniqueViolation(err) {
		return 0, fieldErr("code", "部门编码“%s”已被使用，请换一个", code)
	} else if err != nil {
		return 0, fmt.Errorf("insert department: %w", err)
	}
	id, _ := res.LastInsertId()
	return id, s.writeAudit(ctx, tx, a, "", auditRecord{
		Entity: EntityDepartment, EntityID: code, Action: ActionCreate,
		Summary: "新建部门 " + code + " " + name,
		Changes: []Change{{Field: "编码", New: code}, {Field: "名称", New: name}},
	})
}

// RenameDepartment changes a department's name; its code stays. Admins only.
func (s *Store) RenameDepartment(ctx context.Context, actor *User, id int64, name string) error {
	name, err := checkDeptName(name)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "管理部门")
		if err != nil {
			return err
		}
		d, err := s.departmentByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if d.Name == name {
			return nil
		}
		if other, err := siblingNamed(ctx, tx, d.ParentID, d.ID, name); err != nil {
			return err
		} else if other != "" {
			return fieldErr("name", "同一上级下已有名为“%s”的部门（编码 %s）", name, other)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE departments SET name = ?, updated_at = ? WHERE id = ?`,
			name, s.nowText(), id); err != nil {
			return fmt.Errorf("rename department: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityDepartment, EntityID: d.Code, Action: ActionUpdate,
			Summary: "部门 " + d.Code + " 改名",
			Changes: []Change{{Field: "名称", Old: d.Name, New: name}},
		})
	})
}

func init() {
	registerRef(EntityDepartment, "下级部门", `SELECT code || ' ' || name FROM departments WHERE parent_id = ? ORDER BY code`)
	registerRef(EntityDepartment, "用户", `SELECT username FROM users WHERE dept_id = ? ORDER BY username`)
}

// DeleteDepartment removes a department that nothing refers to. When
// children, users or other records still refer to it, the message says
// which. Admins only.
func (s *Store) DeleteDepartment(ctx context.Context, actor *User, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "管理部门")
		if err != nil {
			return err
		}
		d, err := s.departmentByID(ctx, tx, id)
		if err != nil {
			return err
		}
		blockers, err := referrers(ctx, tx, EntityDepartment, id)
		if err != nil {
			return err
		}
		if len(blockers) > 0 {
			return Errorf(ECONFLICT, "部门“%s %s”不能删除：还有%s。请先移走或删除它们。",
				d.Code, d.Name, strings.Join(blockers, "、"))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM departments WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete department: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityDepartment, EntityID: d.Code, Action: ActionDelete,
			Summary: "删除部门 " + d.Code + " " + d.Name,
			Changes: []Change{{Field: "名称", Old: d.Name}},
		})
	})
}

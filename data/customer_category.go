package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// EntityCustomerCategory names customer categories in the audit log.
const EntityCustomerCategory = "customer_category"

// CustomerCategory is a node of the customer classification (客户分类),
// coded by the coding rule like departments. Customer codes start with
// their category's code.
type CustomerCategory struct {
	ID       int64
	Code     string
	Name     string
	ParentID int64
}

func init() {
	registerEntity(EntityCustomerCategory, "客户分类")
	registerRef(EntityCustomerCategory, "下级分类",
		`SELECT code || ' ' || name FROM customer_categories WHERE parent_id = ? ORDER BY code`)
	registerRef(EntityCustomerCategory, "客户", `SELECT code || ' ' || name FROM customers WHERE category_id = ? ORDER BY code`)
}

const custCategoryColumns = `id, code, name, coalesce(parent_id, 0)`

func scanCustomerCategory(sc interface{ Scan(...any) error }) (*CustomerCategory, error) {
	var c CustomerCategory
	if err := sc.Scan(&c.ID, &c.Code, &c.Name, &c.ParentID); err != nil {
		return nil, err
	}
	return &c, nil
}

func customerCategoryByID(ctx context.Context, q queryer, id int64) (*CustomerCategory, error) {
	c, err := scanCustomerCategory(q.QueryRowContext(ctx, `SELECT `+custCategoryColumns+` FROM customer_categories WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "客户分类不存在")
	}
	return c, nil
}

// CustomerCategoryByCode returns the customer category with the given code.
func (s *Store) CustomerCategoryByCode(ctx context.Context, code string) (*CustomerCategory, error) {
	c, err := scanCustomerCategory(s.db.QueryRowContext(ctx, `SELECT `+custCategoryColumns+` FROM customer_categories WHERE code = ?`, code))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("客户分类编码“%s”不存在", code))
	}
	return c, nil
}

// FindCustomerCategories returns every customer category ordered by code, parents
// before their children.
func (s *Store) FindCustomerCategories(ctx context.Context) ([]CustomerCategory, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+custCategoryColumns+` FROM customer_categories ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("find categories: %w", err)
	}
	defer rows.Close()
	var out []CustomerCategory
	for rows.Next() {
		c, err := scanCustomerCategory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// NextCustomerCategoryCode suggests a free code for a new child of parent ("" for
// the first level).
func (s *Store) NextCustomerCategoryCode(ctx context.Context, parent string) (string, error) {
	rule, err := s.rule(ctx, s.db)
	if err != nil {
		return "", err
	}
	cats, err := s.FindCustomerCategories(ctx)
	if err != nil {
		return "", err
	}
	codes := make([]string, len(cats))
	for i, c := range cats {
		codes[i] = c.Code
	}
	return rule.NextChildCode(parent, codes)
}

func checkCustomerCategoryName(name string) (string, error) {
	name = cleanText(name)
	if name == "" {
		return "", fieldErr("name", "分类名称不能为空")
	}
	return name, checkLen("name", "分类名称", name, 40)
}

// CreateCustomerCategory adds a customer category; its parent is found from the
// code (0101 goes under 01). Admins only.
func (s *Store) CreateCustomerCategory(ctx context.Context, actor *User, code, name string) (*CustomerCategory, error) {
	code = strings.TrimSpace(NormalizeWidth(code))
	name, err := checkCustomerCategoryName(name)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "管理客户分类")
		if err != nil {
			return err
		}
		rule, err := s.rule(ctx, tx)
		if err != nil {
			return err
		}
		if err := rule.Check(code, "分类"); err != nil {
			return err
		}
		var parentID int64
		if pc := rule.ParentCode(code); pc != "" {
			err := tx.QueryRowContext(ctx, `SELECT id FROM customer_categories WHERE code = ?`, pc).Scan(&parentID)
			if err == sql.ErrNoRows {
				return fieldErr("code", "上级分类“%s”不存在：编码“%s”属于它的下级，请先建立上级分类", pc, code)
			} else if err != nil {
				return err
			}
		}
		var other string
		err = tx.QueryRowContext(ctx, `SELECT code FROM customer_categories WHERE coalesce(parent_id, 0) = ? AND name = ?`,
			parentID, name).Scan(&other)
		if err == nil {
			return fieldErr("name", "同一上级下已有名为“%s”的分类（编码 %s）", name, other)
		} else if err != sql.ErrNoRows {
			return err
		}
		now := s.nowText()
		res, err := tx.ExecContext(ctx, `INSERT INTO customer_categories (code, name, parent_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?)`, code, name, nullID(parentID), now, now)
		if isUniqueViolation(err) {
			return fieldErr("code", "分类编码“%s”已被使用，请换一个", code)
		} else if err != nil {
			return fmt.Errorf("insert category: %w", err)
		}
		id, _ = res.LastInsertId()
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityCustomerCategory, EntityID: code, Action: ActionCreate,
			Summary: "新建客户分类 " + code + " " + name,
			Changes: []Change{{Field: "编码", New: code}, {Field: "名称", New: name}},
		})
	})
	if err != nil {
		return nil, err
	}
	return customerCategoryByID(ctx, s.db, id)
}

// RenameCustomerCategory changes a category's name; its code stays. Admins only.
func (s *Store) RenameCustomerCategory(ctx context.Context, actor *User, id int64, name string) error {
	name, err := checkCustomerCategoryName(name)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "管理客户分类")
		if err != nil {
			return err
		}
		c, err := customerCategoryByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Name == name {
			return nil
		}
		var other string
		err = tx.QueryRowContext(ctx, `SELECT code FROM customer_categories
			WHERE coalesce(parent_id, 0) = ? AND name = ? AND id != ?`, c.ParentID, name, id).Scan(&other)
		if err == nil {
			return fieldErr("name", "同一上级下已有名为“%s”的分类（编码 %s）", name, other)
		} else if err != sql.ErrNoRows {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE customer_categories SET name = ?, updated_at = ? WHERE id = ?`,
			name, s.nowText(), id); err != nil {
			return fmt.Errorf("rename category: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityCustomerCategory, EntityID: c.Code, Action: ActionUpdate,
			Summary: "客户分类 " + c.Code + " 改名", Changes: []Change{{Field: "名称", Old: c.Name, New: name}},
		})
	})
}

// DeleteCustomerCategory removes a category that has no sub-categories and no
// customers. Admins only.
func (s *Store) DeleteCustomerCategory(ctx context.Context, actor *User, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "管理客户分类")
		if err != nil {
			return err
		}
		c, err := customerCategoryByID(ctx, tx, id)
		if err != nil {
			return err
		}
		blockers, err := referrers(ctx, tx, EntityCustomerCategory, id)
		if err != nil {
			return err
		}
		if len(blockers) > 0 {
			return Errorf(ECONFLICT, "客户分类“%s %s”不能删除：还有%s。", c.Code, c.Name, strings.Join(blockers, "、"))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM customer_categories WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete category: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityCustomerCategory, EntityID: c.Code, Action: ActionDelete,
			Summary: "删除客户分类 " + c.Code + " " + c.Name, Changes: []Change{{Field: "名称", Old: c.Name}},
		})
	})
}

// nextCustomerCode hands out the next code in a category: its code plus a
// 4-digit serial. The write transaction (_txlock=immediate) serialises
// concurrent saves, and serials are never reused, even after a delete.
func nextCustomerCode(ctx context.Context, tx *sql.Tx, categoryID int64) (string, error) {
	var code string
	var serial int
	err := tx.QueryRowContext(ctx, `UPDATE customer_categories SET last_serial = last_serial + 1
		WHERE id = ? RETURNING code, last_serial`, categoryID).Scan(&code, &serial)
	if err == sql.ErrNoRows {
		return "", fieldErr("category", "请选择客户分类")
	} else if err != nil {
		return "", fmt.Errorf("next customer serial: %w", err)
	}
	if serial > 9999 {
		return "", fieldErr("category", "客户分类“%s”下的 9999 个客户编码已用完，请新建下级分类", code)
	}
	return fmt.Sprintf("%s%04d", code, serial), nil
}

package data

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// EntityCategory names archive categories in the audit log.
const EntityCategory = "archive_category"

// Category is a 门类 (ParentID 0: letter code, no retention) or a 类别 under
// one (code, name, default 保管期限) (DESIGN 2.6). A category in use can be
// renamed or disabled, not deleted.
type Category struct {
	ID        int64
	ParentID  int64
	Code      string
	Name      string
	Retention string // 类别 only
	Active    bool
	ClassCode string // the 门类's code (its own for a 门类)
	ClassName string
}

// IsClass reports whether c is a 门类.
func (c Category) IsClass() bool { return c.ParentID == 0 }

// Label shows the category as “KH-01 合同协议” or “KH 客户档案”.
func (c Category) Label() string {
	if c.IsClass() {
		return c.Code + " " + c.Name
	}
	return c.ClassCode + "-" + c.Code + " " + c.Name
}

// FullCode is KH for a 门类 and KH-01 for a 类别.
func (c Category) FullCode() string {
	if c.IsClass() {
		return c.Code
	}
	return c.ClassCode + "-" + c.Code
}

// CategoryInput is what an admin enters for a new category.
type CategoryInput struct {
	ParentID  int64 // 0 for a new 门类
	Code      string
	Name      string
	Retention string // 类别 only
}

var (
	classCodeRe = regexp.MustCompile(`^[A-Z]{1,4}$`)
	catCodeRe   = regexp.MustCompile(`^[0-9A-Z]{1,6}$`)
)

const categoryColumns = `c.id, coalesce(c.parent_id, 0), c.code, c.name, c.retention, c.active,
	coalesce(p.code, c.code), coalesce(p.name, c.name)`

const categoryFrom = ` FROM archive_categories c LEFT JOIN archive_categories p ON p.id = c.parent_id `

func scanCategory(sc interface{ Scan(...any) error }) (*Category, error) {
	var c Category
	if err := sc.Scan(&c.ID, &c.ParentID, &c.Code, &c.Name, &c.Retention, &c.Active, &c.ClassCode, &c.ClassName); err != nil {
		return nil, err
	}
	return &c, nil
}

func categoryByID(ctx context.Context, q queryer, id int64) (*Category, error) {
	c, err := scanCategory(q.QueryRowContext(ctx, `SELECT `+categoryColumns+categoryFrom+`WHERE c.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "档案类别不存在")
	}
	return c, nil
}

// CategoryByID returns one category.
func (s *Store) CategoryByID(ctx context.Context, id int64) (*Category, error) {
	return categoryByID(ctx, s.db, id)
}

// CategoryByCode finds a category by “KH” (a 门类) or “KH-01” (a 类别).
func (s *Store) CategoryByCode(ctx context.Context, code string) (*Category, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	class, sub, hasSub := strings.Cut(code, "-")
	var c *Category
	var err error
	if hasSub {
		c, err = scanCategory(s.db.QueryRowContext(ctx, `SELECT `+categoryColumns+categoryFrom+
			`WHERE p.code = ? AND c.code = ?`, class, sub))
	} else {
		c, err = scanCategory(s.db.QueryRowContext(ctx, `SELECT `+categoryColumns+categoryFrom+
			`WHERE c.parent_id IS NULL AND c.code = ?`, class))
	}
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("档案类别“%s”不存在（门类写作 KH，类别写作 KH-01）", code))
	}
	return c, nil
}

// FindCategories returns every category: each 门类 (in the order they were
// made, so the seeded KH comes first) followed by its 类别 ordered by code.
func (s *Store) FindCategories(ctx context.Context) ([]Category, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+categoryColumns+categoryFrom+
		`ORDER BY coalesce(p.id, c.id), c.parent_id IS NOT NULL, c.code`)
	if err != nil {
		return nil, fmt.Errorf("find categories: %w", err)
	}
	defer rows.Close()
	var out []Category
	for rows.Next() {
		c, err := scanCategory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

func checkCategoryName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", fieldErr("name", "类别名称不能为空")
	case utf8.RuneCountInString(name) > 40:
		return "", fieldErr("name", "类别名称太长：最多 40 个字")
	}
	return name, nil
}

// CreateCategory adds a 门类 (ParentID 0) or a 类别 under one. Admins only.
func (s *Store) CreateCategory(ctx context.Context, actor *User, in CategoryInput) (*Category, error) {
	code := strings.ToUpper(strings.TrimSpace(NormalizeWidth(in.Code)))
	name, err := checkCategoryName(in.Name)
	if err != nil {
		return nil, err
	}
	ret := ""
	if in.ParentID == 0 {
		if !classCodeRe.MatchString(code) {
			return nil, fieldErr("code", "门类代码“%s”不正确：应为 1 到 4 个英文字母，例如 KH", code)
		}
	} else {
		if !catCodeRe.MatchString(code) {
			return nil, fieldErr("code", "类别代码“%s”不正确：应为 1 到 6 位数字或字母，例如 01", code)
		}
		if ret, err = NormalizeRetention(in.Retention); err != nil {
			return nil, err
		}
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "管理档案类别")
		if err != nil {
			return err
		}
		what := "门类"
		if in.ParentID != 0 {
			p, err := categoryByID(ctx, tx, in.ParentID)
			if err != nil {
				return err
			}
			if !p.IsClass() {
				return fieldErr("parent", "类别只有两级：请在门类下新建类别")
			}
			what = "类别"
		}
		now := s.nowText()
		res, err := tx.ExecContext(ctx, `INSERT INTO archive_categories (parent_id, code, name, retention, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, nullID(in.ParentID), code, name, ret, now, now)
		if isUniqueViolation(err) {
			return fieldErr("code", "%s代码“%s”已被使用，请换一个", what, code)
		} else if err != nil {
			return fmt.Errorf("insert category: %w", err)
		}
		id, _ = res.LastInsertId()
		c, err := categoryByID(ctx, tx, id)
		if err != nil {
			return err
		}
		changes := []Change{{Field: "代码", New: c.FullCode()}, {Field: "名称", New: name}}
		if ret != "" {
			changes = append(changes, Change{Field: "保管期限", New: ret})
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityCategory, EntityID: c.FullCode(), Action: ActionCreate,
			Summary: "新建" + what + " " + c.Label(), Changes: changes,
		})
	})
	if err != nil {
		return nil, err
	}
	return s.CategoryByID(ctx, id)
}

// UpdateCategory renames a category and, for a 类别, changes its default
// 保管期限 (items already registered keep theirs). Its code never changes.
// Admins only.
func (s *Store) UpdateCategory(ctx context.Context, actor *User, id int64, name, retention string) error {
	name, err := checkCategoryName(name)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "管理档案类别")
		if err != nil {
			return err
		}
		c, err := categoryByID(ctx, tx, id)
		if err != nil {
			return err
		}
		ret := ""
		if !c.IsClass() {
			if ret, err = NormalizeRetention(retention); err != nil {
				return err
			}
		}
		var changes []Change
		changes = diff(changes, "名称", c.Name, name)
		changes = diff(changes, "保管期限", c.Retention, ret)
		if len(changes) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE archive_categories SET name = ?, retention = ?, updated_at = ? WHERE id = ?`,
			name, ret, s.nowText(), id); err != nil {
			return fmt.Errorf("update category: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityCategory, EntityID: c.FullCode(), Action: ActionUpdate,
			Summary: "修改档案类别 " + c.FullCode(), Changes: changes,
		})
	})
}

// SetCategoryActive disables or enables a category. A disabled category
// keeps its items but takes no new ones. Admins only.
func (s *Store) SetCategoryActive(ctx context.Context, actor *User, id int64, active bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "管理档案类别")
		if err != nil {
			return err
		}
		c, err := categoryByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Active == active {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE archive_categories SET active = ?, updated_at = ? WHERE id = ?`,
			active, s.nowText(), id); err != nil {
			return fmt.Errorf("set category active: %w", err)
		}
		action, verb := ActionDisable, "停用"
		if active {
			action, verb = ActionEnable, "启用"
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityCategory, EntityID: c.FullCode(), Action: action,
			Summary: verb + "档案类别 " + c.Label(),
			Changes: []Change{{Field: "状态", Old: activeText(c.Active), New: activeText(active)}},
		})
	})
}

func init() {
	registerEntity(EntityCategory, "档案类别")
	registerRef(EntityCategory, "下级类别", `SELECT code || ' ' || name FROM archive_categories WHERE parent_id = ? ORDER BY code`)
	registerRef(EntityCategory, "档案", `SELECT code FROM archive_items WHERE category_id = ?1 OR class_id = ?1 ORDER BY sort_key`)
}

// DeleteCategory removes a category nothing refers to; one with 类别 or
// items is refused with a message naming them (disable it instead).
// Admins only.
func (s *Store) DeleteCategory(ctx context.Context, actor *User, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "管理档案类别")
		if err != nil {
			return err
		}
		c, err := categoryByID(ctx, tx, id)
		if err != nil {
			return err
		}
		blockers, err := referrers(ctx, tx, EntityCategory, id)
		if err != nil {
			return err
		}
		if len(blockers) > 0 {
			return Errorf(ECONFLICT, "档案类别“%s”正在使用，不能删除：还有%s。可以改名或停用它。",
				c.Label(), strings.Join(blockers, "、"))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM archive_categories WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete category: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityCategory, EntityID: c.FullCode(), Action: ActionDelete,
			Summary: "删除档案类别 " + c.Label(),
			Changes: []Change{{Field: "名称", Old: c.Name}},
		})
	})
}

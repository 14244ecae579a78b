package data

import (
	"context"
	"database/sql"
	"fmt"
)

// EntityDictionary names dictionary entries in the audit log.
const EntityDictionary = "dictionary"

// Dictionary kinds (DESIGN 2.4): the lists behind the drop-downs of the
// customer card.
const (
	DictRegion       = "region"
	DictIndustry     = "industry"
	DictSource       = "source"
	DictOwnership    = "ownership"
	DictGrade        = "grade"
	DictCreditGrade  = "credit_grade"
	DictSatisfaction = "satisfaction"
	DictCommMethod   = "comm_method"
)

// DictKind describes one dictionary and where its entries are used.
type DictKind struct {
	Code  string
	Label string
	usage string // SQL listing the records that use entry ?; "" when none
}

// DictKinds lists the dictionaries in the order the 基础资料 tab shows them.
var DictKinds = []DictKind{
	{DictRegion, "地区", `SELECT code || ' ' || name FROM customers WHERE region = ? ORDER BY code`},
	{DictIndustry, "行业", `SELECT code || ' ' || name FROM customers WHERE industry = ? ORDER BY code`},
	{DictSource, "客户来源", `SELECT code || ' ' || name FROM customers WHERE source = ? ORDER BY code`},
	{DictOwnership, "企业性质", `SELECT code || ' ' || name FROM customers WHERE ownership = ? ORDER BY code`},
	{DictGrade, "客户等级", `SELECT code || ' ' || name FROM customers WHERE grade = ? ORDER BY code`},
	{DictCreditGrade, "资信等级", `SELECT code || ' ' || name FROM customers WHERE credit_grade = ? ORDER BY code`},
	{DictSatisfaction, "满意度", `SELECT c.code || ' ' || c.name || ' ' || m.on_date FROM customer_comms m
		JOIN customers c ON c.id = m.customer_id WHERE m.satisfaction = ? ORDER BY m.on_date`},
	{DictCommMethod, "沟通方式", `SELECT c.code || ' ' || c.name || ' ' || m.on_date FROM customer_comms m
		JOIN customers c ON c.id = m.customer_id WHERE m.method = ? ORDER BY m.on_date`},
}

// dictUpdates rename an entry where it is used: kind → statements with
// (new, old) arguments.
var dictUpdates = map[string][]string{
	DictRegion:       {`UPDATE customers SET region = ? WHERE region = ?`},
	DictIndustry:     {`UPDATE customers SET industry = ? WHERE industry = ?`},
	DictSource:       {`UPDATE customers SET source = ? WHERE source = ?`},
	DictOwnership:    {`UPDATE customers SET ownership = ? WHERE ownership = ?`},
	DictGrade:        {`UPDATE customers SET grade = ? WHERE grade = ?`},
	DictCreditGrade:  {`UPDATE customers SET credit_grade = ? WHERE credit_grade = ?`},
	DictSatisfaction: {`UPDATE customer_comms SET satisfaction = ? WHERE satisfaction = ?`},
	DictCommMethod:   {`UPDATE customer_comms SET method = ? WHERE method = ?`},
}

func dictKind(code string) (DictKind, bool) {
	for _, k := range DictKinds {
		if k.Code == code {
			return k, true
		}
	}
	return DictKind{}, false
}

// DictLabel returns the Chinese name of a dictionary kind.
func DictLabel(kind string) string {
	k, _ := dictKind(kind)
	return k.Label
}

// DictEntry is one entry of a dictionary.
type DictEntry struct {
	ID     int64
	Kind   string
	Name   string
	Sort   int
	Active bool
}

func init() {
	registerEntity(EntityDictionary, "基础资料")
}

// FindDictionary returns the entries of one dictionary in their order;
// disabled entries only when withDisabled.
func (s *Store) FindDictionary(ctx context.Context, kind string, withDisabled bool) ([]DictEntry, error) {
	q := `SELECT id, kind, name, sort, active FROM dictionaries WHERE kind = ?`
	if !withDisabled {
		q += ` AND active`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY sort, id`, kind)
	if err != nil {
		return nil, fmt.Errorf("find dictionary: %w", err)
	}
	defer rows.Close()
	var out []DictEntry
	for rows.Next() {
		var e DictEntry
		if err := rows.Scan(&e.ID, &e.Kind, &e.Name, &e.Sort, &e.Active); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// DictNames returns the names of the active entries of one dictionary.
func (s *Store) DictNames(ctx context.Context, kind string) ([]string, error) {
	es, err := s.FindDictionary(ctx, kind, false)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Name
	}
	return out, nil
}

func dictEntryByID(ctx context.Context, q queryer, id int64) (*DictEntry, error) {
	var e DictEntry
	err := q.QueryRowContext(ctx, `SELECT id, kind, name, sort, active FROM dictionaries WHERE id = ?`, id).
		Scan(&e.ID, &e.Kind, &e.Name, &e.Sort, &e.Active)
	if err != nil {
		return nil, notFound(err, "该条基础资料不存在")
	}
	return &e, nil
}

func checkDictName(k DictKind, name string) (string, error) {
	name = cleanText(name)
	if name == "" {
		return "", fieldErr("name", "%s名称不能为空", k.Label)
	}
	return name, checkLen("name", k.Label+"名称", name, 30)
}

// CreateDictEntry adds an entry at the end of a dictionary. Admins only.
func (s *Store) CreateDictEntry(ctx context.Context, actor *User, kind, name string) (*DictEntry, error) {
	k, ok := dictKind(kind)
	if !ok {
		return nil, Errorf(EINVALID, "没有“%s”这种基础资料", kind)
	}
	name, err := checkDictName(k, name)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "维护基础资料")
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO dictionaries (kind, name, sort)
			VALUES (?, ?, (SELECT coalesce(max(sort), 0) + 1 FROM dictionaries WHERE kind = ?))`, kind, name, kind)
		if isUniqueViolation(err) {
			return fieldErr("name", "%s中已有“%s”", k.Label, name)
		} else if err != nil {
			return fmt.Errorf("insert dictionary entry: %w", err)
		}
		id, _ = res.LastInsertId()
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityDictionary, EntityID: k.Label, Action: ActionCreate,
			Summary: "新增" + k.Label + "“" + name + "”", Changes: []Change{{Field: k.Label, New: name}},
		})
	})
	if err != nil {
		return nil, err
	}
	return dictEntryByID(ctx, s.db, id)
}

// RenameDictEntry changes an entry's name, and the customers and records
// that use it along with it. Admins only.
func (s *Store) RenameDictEntry(ctx context.Context, actor *User, id int64, name string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "维护基础资料")
		if err != nil {
			return err
		}
		e, err := dictEntryByID(ctx, tx, id)
		if err != nil {
			return err
		}
		k, _ := dictKind(e.Kind)
		if name, err = checkDictName(k, name); err != nil {
			return err
		}
		if name == e.Name {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE dictionaries SET name = ? WHERE id = ?`, name, id)
		if isUniqueViolation(err) {
			return fieldErr("name", "%s中已有“%s”", k.Label, name)
		} else if err != nil {
			return fmt.Errorf("rename dictionary entry: %w", err)
		}
		for _, q := range dictUpdates[e.Kind] {
			if _, err := tx.ExecContext(ctx, q, name, e.Name); err != nil {
				return fmt.Errorf("rename dictionary entry where used: %w", err)
			}
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityDictionary, EntityID: k.Label, Action: ActionUpdate,
			Summary: k.Label + "改名", Changes: []Change{{Field: k.Label, Old: e.Name, New: name}},
		})
	})
}

// SetDictEntryActive disables or enables an entry. A disabled entry is no
// longer offered for new choices; records that use it keep it. Admins only.
func (s *Store) SetDictEntryActive(ctx context.Context, actor *User, id int64, active bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "维护基础资料")
		if err != nil {
			return err
		}
		e, err := dictEntryByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if e.Active == active {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE dictionaries SET active = ? WHERE id = ?`, active, id); err != nil {
			return fmt.Errorf("set dictionary entry active: %w", err)
		}
		k, _ := dictKind(e.Kind)
		action, verb := ActionDisable, "停用"
		if active {
			action, verb = ActionEnable, "启用"
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityDictionary, EntityID: k.Label, Action: action,
			Summary: verb + k.Label + "“" + e.Name + "”",
		})
	})
}

// DeleteDictEntry removes an entry nothing uses; one in use can only be
// disabled, and the message names where it is used. Admins only.
func (s *Store) DeleteDictEntry(ctx context.Context, actor *User, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "维护基础资料")
		if err != nil {
			return err
		}
		e, err := dictEntryByID(ctx, tx, id)
		if err != nil {
			return err
		}
		k, _ := dictKind(e.Kind)
		names, n, err := firstNames(ctx, tx, k.usage, e.Name, 3)
		if err != nil {
			return fmt.Errorf("check dictionary usage: %w", err)
		}
		if n > 0 {
			return Errorf(ECONFLICT, "%s“%s”正在使用（%d 条记录：%s），不能删除，只能停用。",
				k.Label, e.Name, n, names)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM dictionaries WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete dictionary entry: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityDictionary, EntityID: k.Label, Action: ActionDelete,
			Summary: "删除" + k.Label + "“" + e.Name + "”", Changes: []Change{{Field: k.Label, Old: e.Name}},
		})
	})
}

// checkDictValue accepts "" or an entry of the dictionary; a disabled entry
// only when the record already had it.
func checkDictValue(ctx context.Context, tx *sql.Tx, field, kind, value, old string) (string, error) {
	value = cleanText(value)
	if value == "" || value == old {
		return value, nil
	}
	k, _ := dictKind(kind)
	var active bool
	err := tx.QueryRowContext(ctx, `SELECT active FROM dictionaries WHERE kind = ? AND name = ?`, kind, value).Scan(&active)
	switch {
	case err == sql.ErrNoRows:
		return "", fieldErr(field, "%s“%s”不在基础资料中，请从列表中选择（管理员可在“基础资料”中添加）", k.Label, value)
	case err != nil:
		return "", err
	case !active:
		return "", fieldErr(field, "%s“%s”已停用，请选择其他项", k.Label, value)
	}
	return value, nil
}

package data

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ItemFilter selects items. Zero fields do not filter.
type ItemFilter struct {
	ClassID    int64 // a 门类
	CategoryID int64 // a 类别
	Year       int
	Retention  string
	Status     string
	Secrecy    string
	CustomerID int64
	Customer   string // customer code, or part of its name
	Text       string // part of 题名, 档号, 文号 or 责任者
	BoxID      int64
	Group      *CodeGroup
	Unboxed    bool
	// After continues the list after this item (keyset paging: the next
	// page costs the same however deep it is); Offset then counts from it.
	After  *Item
	Offset int
	Limit  int // default 100
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// likeArg makes a LIKE pattern that finds s anywhere.
func likeArg(s string) string { return "%" + likeEscaper.Replace(s) + "%" }

// itemWhere builds the WHERE clause of f for the user's scope. The filters
// that have indexes (类别/门类, 年度 with the 档号 order) come first.
func (s *Store) itemWhere(ctx context.Context, actor *User, f ItemFilter) (string, []any, error) {
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return "", nil, err
	}
	where, args := []string{}, []any{}
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if f.CategoryID != 0 {
		add("i.category_id = ?", f.CategoryID)
	}
	if f.ClassID != 0 {
		add("i.class_id = ?", f.ClassID)
	}
	if f.Year != 0 {
		add("i.year = ?", f.Year)
	}
	if f.Retention != "" {
		add("i.retention = ?", f.Retention)
	}
	if f.Status != "" {
		add("i.status = ?", f.Status)
	}
	if f.Secrecy != "" {
		add("i.secrecy = ?", f.Secrecy)
	}
	if f.CustomerID != 0 {
		add("i.customer_id = ?", f.CustomerID)
	}
	if c := strings.TrimSpace(f.Customer); c != "" {
		add(`i.customer_id IN (SELECT id FROM customers WHERE code = ? OR name LIKE ? ESCAPE '\')`, c, likeArg(c))
	}
	if t := strings.TrimSpace(f.Text); utf8.RuneCountInString(t) >= 3 {
		// The trigram index finds any substring of 3 characters or more.
		add(`i.id IN (SELECT rowid FROM archive_items_fts WHERE archive_items_fts MATCH ?)`,
			`"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
	} else if t != "" {
		l := likeArg(t)
		add(`(i.title LIKE ? ESCAPE '\' OR i.code LIKE ? ESCAPE '\' OR i.doc_no LIKE ? ESCAPE '\' OR i.author LIKE ? ESCAPE '\')`, l, l, l, l)
	}
	if f.BoxID != 0 {
		add("i.box_id = ?", f.BoxID)
	}
	if f.Unboxed {
		add("i.box_id IS NULL")
	}
	if g := f.Group; g != nil {
		add("i.fonds = ? AND i.class_code = ? AND i.year = ? AND i.retention = ? AND i.org_code = ?",
			g.Fonds, g.Class, g.Year, g.Retention, g.Org)
	}
	if a := f.After; a != nil {
		add("(i.sort_key, i.id) > (?, ?)", a.SortKey, a.ID)
	}
	cond, cargs := sc.Filter("i.dept_id")
	if cond != "1=1" {
		add(cond, cargs...)
	}
	if len(where) == 0 {
		return "1=1", nil, nil
	}
	return strings.Join(where, " AND "), args, nil
}

// itemPageSQL selects the ids of one page in 档号 order; the indexes on
// (类别|门类|年度, sort_key) let SQLite walk them without sorting.
func itemPageSQL(where string) string {
	return `SELECT i.id FROM archive_items i WHERE ` + where + ` ORDER BY i.sort_key, i.id LIMIT ? OFFSET ?`
}

// FindItems returns a page of the items matching f that the user may see,
// ordered by 档号 segment by segment. The page is chosen on the items table
// alone (an index walk in sort_key order), then joined for display.
func (s *Store) FindItems(ctx context.Context, actor *User, f ItemFilter) ([]Item, error) {
	where, args, err := s.itemWhere(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+itemColumns+` FROM (`+itemPageSQL(where)+`) pg
		JOIN archive_items i ON i.id = pg.id`+itemJoins+`ORDER BY i.sort_key, i.id`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, fmt.Errorf("find items: %w", err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *it)
	}
	return out, rows.Err()
}

// CountItems returns how many items match f for the user (After is
// ignored).
func (s *Store) CountItems(ctx context.Context, actor *User, f ItemFilter) (int, error) {
	f.After = nil
	where, args, err := s.itemWhere(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM archive_items i WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count items: %w", err)
	}
	return n, nil
}

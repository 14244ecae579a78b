package data

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Sort orders of the customer list.
const (
	SortByCode     = "code"     // 客户编码
	SortByMnemonic = "mnemonic" // 助记码, i.e. by the pinyin of the name
	SortByUpdated  = "updated"  // most recently changed first
)

// CustomerFilter selects customers for the list. Zero fields do not filter.
type CustomerFilter struct {
	Search       string // code, name, short name, 助记码 (any reading), credit code, phone
	CategoryCode string // the category and its sub-categories
	DeptCode     string // the department and its sub-departments
	SalesmanID   int64
	Grade        string
	Status       string
	Region       string
	Industry     string
	Sort         string // SortByCode unless set
	Desc         bool
	Offset       int
	Limit        int // default 100
}

// CustomerRow is one line of the customer list.
type CustomerRow struct {
	ID             int64
	Code           string
	Name           string
	ShortName      string
	Kind           string
	Status         string
	CategoryName   string
	DeptName       string
	SalesmanName   string
	Grade          string
	Region         string
	Industry       string
	Mnemonic       string
	Phone          string
	PrimaryContact string // name and mobile of the 主要联系人
	LastCommOn     string
	NextFollowUp   string
}

// likeEscape escapes LIKE wildcards; use with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// customerWhere builds the WHERE clause of a filter for the actor's scope.
// With walk set, the filter columns are wrapped in a unary + so that SQLite
// cannot use their indexes and instead walks the sort order's index,
// stopping at the end of the page (see FindCustomers).
func customerWhere(sc Scope, f CustomerFilter, walk bool) ([]string, []any) {
	col := func(c string) string {
		if walk {
			return "+" + c
		}
		return c
	}
	cond, args := sc.Filter(col("c.dept_id"))
	where := []string{cond}
	if q := normSearch(f.Search); q != "" {
		if utf8.RuneCountInString(q) >= 3 {
			// The trigram index finds substrings of 3+ characters.
			where = append(where, col("c.id")+` IN (SELECT rowid FROM customer_search WHERE customer_search MATCH ?)`)
			args = append(args, `"`+strings.ReplaceAll(q, `"`, `""`)+`"`)
		} else {
			// 1–2 characters: trigrams cannot help; search_short is a
			// compact text (names, codes, pinyin pairs) whose covering
			// index is scanned instead of the wide rows.
			where = append(where, `instr(c.search_short, ?) > 0`)
			args = append(args, q)
		}
	}
	if f.CategoryCode != "" {
		where = append(where, col("c.category_id")+` IN (SELECT id FROM customer_categories WHERE code >= ? AND code < ?)`)
		args = append(args, f.CategoryCode, f.CategoryCode+"\xff")
	}
	if f.DeptCode != "" {
		where = append(where, col("c.dept_id")+` IN (SELECT id FROM departments WHERE code >= ? AND code < ?)`)
		args = append(args, f.DeptCode, f.DeptCode+"\xff")
	}
	for _, eq := range []struct {
		col string
		v   any
		set bool
	}{
		{"c.salesman_id", f.SalesmanID, f.SalesmanID != 0},
		{"c.grade", f.Grade, f.Grade != ""},
		{"c.status", f.Status, f.Status != ""},
		{"c.region", f.Region, f.Region != ""},
		{"c.industry", f.Industry, f.Industry != ""},
	} {
		if eq.set {
			where, args = append(where, col(eq.col)+" = ?"), append(args, eq.v)
		}
	}
	return where, args
}

func normSearch(s string) string { return strings.ToLower(strings.TrimSpace(NormalizeWidth(s))) }

// onlySearch reports whether the search is the only condition.
func onlySearch(sc Scope, f CustomerFilter) bool {
	g := f
	g.Search, g.Sort, g.Desc, g.Offset, g.Limit = "", "", false, 0, 0
	return sc.All && g == (CustomerFilter{})
}

func customerOrder(f CustomerFilter) string {
	dir := ""
	if f.Desc {
		dir = " DESC"
	}
	switch f.Sort {
	case SortByMnemonic:
		return "c.mnemonic" + dir + ", c.code" + dir
	case SortByUpdated:
		if f.Desc {
			return "c.updated_at, c.id"
		}
		return "c.updated_at DESC, c.id DESC"
	}
	return "c.code" + dir
}

// SearchCountLimit bounds the count of a search's matches: with a search,
// FindCustomers reports at most SearchCountLimit+1, meaning "more than
// SearchCountLimit", and the list asks for more characters. Counting stops
// there, which keeps a search of one or two letters fast at any size.
const SearchCountLimit = 1000

// FindCustomers returns a page of the customers the actor may see and the
// total number matching (for a search, see SearchCountLimit). The page's ids are found first on the narrow
// indexes; only those rows are then joined and read.
func (s *Store) FindCustomers(ctx context.Context, actor *User, f CustomerFilter) ([]CustomerRow, int, error) {
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	where, args := customerWhere(sc, f, false)
	order := customerOrder(f)
	cond := strings.Join(where, " AND ")
	// A 1–2 character search reads the narrow (code, search_short,
	// dept_id) index: whole for the count, in code order for the page.
	// SQLite would otherwise pick the department index and read wide rows.
	countFrom, pageFrom := "customers c", "customers c"
	if q := normSearch(f.Search); q != "" && utf8.RuneCountInString(q) < 3 {
		countFrom = "customers c INDEXED BY customers_search_short"
		if f.Sort == "" || f.Sort == SortByCode {
			pageFrom = countFrom
		}
	}
	countSQL := `SELECT count(*) FROM ` + countFrom + ` WHERE ` + cond
	if normSearch(f.Search) != "" {
		// A search counts at most SearchCountLimit+1 matches: the count
		// stops early for a letter or two that match half the customers.
		countSQL = fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s LIMIT %d)`,
			countFrom, cond, SearchCountLimit+1)
		if onlySearch(sc, f) && utf8.RuneCountInString(normSearch(f.Search)) >= 3 {
			// Nothing but a long search: the index rows are the answer,
			// without looking up each matching customer.
			countSQL = fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM customer_search
				WHERE customer_search MATCH ? LIMIT %d)`, SearchCountLimit+1)
		}
	}
	var total, all int
	if err := s.db.QueryRowContext(ctx, `SELECT (`+countSQL+`), (SELECT coalesce(max(id), 0) FROM customers)`,
		args...).Scan(&total, &all); err != nil {
		return nil, 0, fmt.Errorf("count customers: %w", err)
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	// Two ways to the page: through the filters' indexes, then sorting all
	// total matches; or walking the sort order's index until offset+limit
	// matches are found, about (offset+limit)·all/total rows. Walk when
	// that is fewer. (max(id) stands in for the row count.)
	if int64(f.Offset+f.Limit)*int64(all) < int64(total)*int64(total) {
		where, args = customerWhere(sc, f, true)
		cond = strings.Join(where, " AND ")
	}
	rows, err := s.db.QueryContext(ctx, `WITH page AS (
			SELECT c.id, row_number() OVER () AS n FROM (SELECT c.id FROM `+pageFrom+` WHERE `+cond+`
			ORDER BY `+order+` LIMIT ? OFFSET ?) c)
		SELECT c.id, c.code, c.name, c.short_name, c.kind, c.status, coalesce(k.name, ''), coalesce(d.name, ''),
			coalesce(u.display_name, ''), c.grade, c.region, c.industry, c.mnemonic, c.phone,
			coalesce(p.name || CASE WHEN p.mobile != '' THEN ' ' || p.mobile ELSE '' END, ''),
			c.last_comm_on, c.next_follow_up
		FROM page JOIN customers c ON c.id = page.id
		LEFT JOIN customer_categories k ON k.id = c.category_id
		LEFT JOIN departments d ON d.id = c.dept_id
		LEFT JOIN users u ON u.id = c.salesman_id
		LEFT JOIN customer_contacts p ON p.customer_id = c.id AND p.is_primary
		ORDER BY page.n`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find customers: %w", err)
	}
	defer rows.Close()
	out := make([]CustomerRow, 0, f.Limit)
	for rows.Next() {
		var r CustomerRow
		if err := rows.Scan(&r.ID, &r.Code, &r.Name, &r.ShortName, &r.Kind, &r.Status, &r.CategoryName, &r.DeptName,
			&r.SalesmanName, &r.Grade, &r.Region, &r.Industry, &r.Mnemonic, &r.Phone, &r.PrimaryContact,
			&r.LastCommOn, &r.NextFollowUp); err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

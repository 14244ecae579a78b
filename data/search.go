package data

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kinds of search hits.
const (
	KindCustomer = "customer"
	KindItem     = "item"
	KindBox      = "box"
)

// Ranks of search hits, best first (see Search).
const (
	RankExactCode  = 0 // the code is the query
	RankCodePrefix = 1 // the code starts with the query
	RankNameStart  = 2 // the name/题名, 简称 or 助记码 starts with the query
	RankName       = 3 // the name/题名 or 简称 holds the query
	RankOther      = 4 // another field holds it
)

// SearchHit is one record found by Search.
type SearchHit struct {
	Kind  string // KindCustomer, KindItem, KindBox
	ID    int64
	Code  string // 客户编码, 档号, or the box's code
	Title string // 客户名称, 题名, or the box's label
	Field string // where the query matched, e.g. 档号, 题名, 联系人电话
	Rank  int
	order string // tie-break within a rank: code order
}

// SearchGroup is the hits of one kind, best first.
type SearchGroup struct {
	Kind  string
	Label string // 客户, 档案, 盒
	Hits  []SearchHit
	More  bool // more records match than are shown
}

// SearchResult is the answer to a query: groups in the order 盒, 客户, 档案
// (empty groups left out).
type SearchResult struct {
	Query  string
	Groups []SearchGroup
	// Scan is set when the query is exactly a box barcode or a 档号 (what a
	// scanner types): Enter opens that record.
	Scan *SearchHit
	// Partial says the indexes are still being built (after an upgrade or a
	// bulk load); short queries may miss records until then.
	Partial bool
}

// Total returns the number of hits shown.
func (r SearchResult) Total() int {
	n := 0
	for _, g := range r.Groups {
		n += len(g.Hits)
	}
	return n
}

// NormalizeQuery is what Search compares: trimmed, half-width, lower case.
func NormalizeQuery(q string) string {
	return strings.ToLower(strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, NormalizeWidth(q))))
}

// ftsPhrase quotes s as one FTS5 phrase.
func ftsPhrase(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// codeForms are the spellings a code query is looked up by: as typed, and
// with "." for the 档号's "·" (keyboards and barcodes have no middle dot).
func codeForms(q string) []string {
	forms := []string{q}
	if strings.Contains(q, ".") {
		forms = append(forms, strings.ReplaceAll(q, ".", "·"))
	}
	return forms
}

// Search finds customers, archive items and boxes the actor may see by
// one query (issue 9):
//   - codes by prefix (客户编码, 档号; case-insensitive, "." for "·");
//   - 3+ characters as a substring: customers' code, names, 助记码, pinyin
//     initials, credit code, phones, address, contacts' names and phones
//     (search_tri); items' 题名, 档号, 文号, 责任者 (archive_items_fts) and
//     备注 (search_tri);
//   - 1–2 Chinese characters through the character/pair index (search_grams);
//     1–2 letters as pinyin initials of customer names;
//   - items of the customers found, matched as 客户;
//   - a box barcode or exact 档号 (ResolveScan) as the Scan result.
//
// Hits are ranked by Rank (exact code, code prefix, name starts with, name
// holds, other field), then by code (档号 in segment order). Text matches
// are taken newest first, up to a few times limit per kind, before ranking.
// limit bounds the hits per group (default 10).
func (s *Store) Search(ctx context.Context, actor *User, query string, limit int) (SearchResult, error) {
	q := NormalizeQuery(query)
	res := SearchResult{Query: q}
	if q == "" {
		return res, nil
	}
	if limit <= 0 {
		limit = 10
	}
	complete, err := s.refreshSearch(ctx)
	if err != nil {
		return res, err
	}
	res.Partial = !complete
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return res, err
	}
	scan, err := s.resolveScan(ctx, sc, query)
	if err != nil {
		return res, err
	}
	res.Scan = scan
	if scan != nil && scan.Kind == KindBox {
		res.Groups = append(res.Groups, SearchGroup{Kind: KindBox, Label: "盒", Hits: []SearchHit{*scan}})
	}
	cand := 5 * limit
	if cand < 50 {
		cand = 50
	}
	sr := searcher{s: s, sc: sc, q: q, cand: cand}
	custs, moreC, err := sr.customers(ctx)
	if err != nil {
		return res, err
	}
	items, moreI, err := sr.items(ctx, custs)
	if err != nil {
		return res, err
	}
	for _, g := range []SearchGroup{
		{Kind: KindCustomer, Label: "客户", Hits: custs, More: moreC},
		{Kind: KindItem, Label: "档案", Hits: items, More: moreI},
	} {
		if len(g.Hits) > limit {
			g.Hits, g.More = g.Hits[:limit], true
		}
		if len(g.Hits) > 0 {
			res.Groups = append(res.Groups, g)
		}
	}
	return res, nil
}

// searcher runs the parts of one search.
type searcher struct {
	s    *Store
	sc   Scope
	q    string // normalised query
	cand int    // candidates taken per path
}

func (sr *searcher) runes() int { return utf8.RuneCountInString(sr.q) }

// gramQuery returns the search_grams phrase for a 1–2 character query, or
// "" when the query has none (digits, punctuation, mixed text).
func (sr *searcher) gramQuery(customers bool) string {
	if n := sr.runes(); n < 1 || n > 2 {
		return ""
	}
	han, letters := true, true
	for _, r := range sr.q {
		han = han && isGramRune(r)
		letters = letters && r < 128 && unicode.IsLetter(r)
	}
	switch {
	case han:
		return ftsPhrase(sr.q)
	case letters && customers:
		return ftsPhrase("py" + sr.q)
	}
	return ""
}

// ids runs a query returning ids, adding new ones to seen/out in order.
func (sr *searcher) ids(ctx context.Context, out []int64, seen map[int64]bool, query string, args ...any) ([]int64, bool, error) {
	rows, err := sr.s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return out, false, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return out, false, err
		}
		n++
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, n >= sr.cand, rows.Err()
}

// candidateSet collects the ids of several queries in order, without
// repeats; more is set when a query stopped at its limit.
type candidateSet struct {
	ctx   context.Context
	sr    *searcher
	sargs []any // the scope's arguments, after each query's own
	seen  map[int64]bool
	ids   []int64
	more  bool
}

func (sr *searcher) candidates(ctx context.Context, sargs []any) *candidateSet {
	return &candidateSet{ctx: ctx, sr: sr, sargs: sargs, seen: map[int64]bool{}}
}

// add runs query with args, the scope's arguments and the candidate limit.
func (c *candidateSet) add(query string, args ...any) error {
	ids, more, err := c.sr.ids(c.ctx, c.ids, c.seen, query, append(args, append(c.sargs, c.sr.cand)...)...)
	c.ids, c.more = ids, c.more || more
	return err
}

// customers finds and ranks the customers.
func (sr *searcher) customers(ctx context.Context) ([]SearchHit, bool, error) {
	scope, sargs := sr.sc.Filter("c.dept_id")
	found := sr.candidates(ctx, sargs)
	add := found.add
	if first, _ := utf8.DecodeRuneInString(sr.q); first < 128 {
		for _, f := range codeForms(sr.q) {
			forms := []string{f}
			if up := strings.ToUpper(f); up != f {
				forms = append(forms, up)
			}
			for _, form := range forms {
				if err := add(`SELECT c.id FROM customers c WHERE c.code >= ? AND c.code < ? AND `+scope+
					` ORDER BY c.code LIMIT ?`, form, form+"\xff"); err != nil {
					return nil, false, fmt.Errorf("search customer codes: %w", err)
				}
			}
		}
	}
	match, table := sr.gramQuery(true), "search_grams"
	if sr.runes() >= 3 {
		match, table = ftsPhrase(sr.q), "search_tri"
	}
	if match != "" {
		if err := add(`SELECT c.id FROM `+table+` f JOIN customers c ON c.id = f.rowid
			WHERE `+table+` MATCH ? AND f.rowid < ? AND `+scope+` ORDER BY f.rowid DESC LIMIT ?`,
			match, itemKeyBase); err != nil {
			return nil, false, fmt.Errorf("search customers: %w", err)
		}
	}
	hits, err := sr.rankCustomers(ctx, found.ids)
	return hits, found.more, err
}

// items finds and ranks the archive items, including those of the
// customers found.
func (sr *searcher) items(ctx context.Context, custs []SearchHit) ([]SearchHit, bool, error) {
	scope, sargs := sr.sc.Filter("i.dept_id")
	found := sr.candidates(ctx, sargs)
	add := found.add
	if first, _ := utf8.DecodeRuneInString(sr.q); first < 128 {
		for _, f := range codeForms(sr.q) {
			if err := add(`SELECT i.id FROM archive_items i WHERE i.code >= ? COLLATE NOCASE
				AND i.code < ? COLLATE NOCASE AND `+scope+` ORDER BY i.code COLLATE NOCASE LIMIT ?`,
				f, f+"\xff"); err != nil {
				return nil, false, fmt.Errorf("search item codes: %w", err)
			}
		}
	}
	byCode := len(found.ids) > 0
	if sr.runes() >= 3 {
		// A query that is a 档号 prefix is not looked for inside every
		// 档号 too: its trigrams are in nearly every item, and matching
		// such a phrase costs a pass over the whole index (about 250 ms at
		// 1,000,000 items) to find only what the prefix found already.
		forms := codeForms(sr.q)
		if byCode {
			forms = nil
		}
		for _, f := range forms {
			if err := add(`SELECT i.id FROM archive_items_fts f JOIN archive_items i ON i.id = f.rowid
				WHERE archive_items_fts MATCH ? AND `+scope+` ORDER BY f.rowid DESC LIMIT ?`, ftsPhrase(f)); err != nil {
				return nil, false, fmt.Errorf("search items: %w", err)
			}
		}
		if err := add(`SELECT i.id FROM search_tri f JOIN archive_items i ON i.id = f.rowid - ?
			WHERE search_tri MATCH ? AND f.rowid >= ? AND `+scope+` ORDER BY f.rowid DESC LIMIT ?`,
			itemKeyBase, ftsPhrase(sr.q), itemKeyBase); err != nil {
			return nil, false, fmt.Errorf("search item remarks: %w", err)
		}
	} else if g := sr.gramQuery(false); g != "" {
		if err := add(`SELECT i.id FROM search_grams f JOIN archive_items i ON i.id = f.rowid - ?
			WHERE search_grams MATCH ? AND f.rowid >= ? AND `+scope+` ORDER BY f.rowid DESC LIMIT ?`,
			itemKeyBase, g, itemKeyBase); err != nil {
			return nil, false, fmt.Errorf("search items: %w", err)
		}
	}
	// Items of the best few customers found by name.
	var owners []string
	for _, c := range custs {
		if c.Rank >= RankNameStart && c.Rank <= RankName && len(owners) < 5 {
			owners = append(owners, strconv.FormatInt(c.ID, 10))
		}
	}
	if len(owners) > 0 {
		if err := add(`SELECT i.id FROM archive_items i WHERE i.customer_id IN (` + strings.Join(owners, ",") + `)
			AND ` + scope + ` ORDER BY i.id DESC LIMIT ?`); err != nil {
			return nil, false, fmt.Errorf("search items of customers: %w", err)
		}
	}
	hits, err := sr.rankItems(ctx, found.ids)
	return hits, found.more, err
}

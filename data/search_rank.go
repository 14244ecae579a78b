package data

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Ranking of search hits (see Search): which field of each candidate holds
// the query, and the order of the hits in a group.

// rankCustomers reads the customers, says where each matched and sorts them.
func (sr *searcher) rankCustomers(ctx context.Context, ids []int64) ([]SearchHit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in := idList(ids)
	rows, err := sr.s.db.QueryContext(ctx, customerDocSQL+` WHERE id IN (`+in+`)`)
	if err != nil {
		return nil, fmt.Errorf("read customers: %w", err)
	}
	var docs []customerDoc
	for rows.Next() {
		d, err := scanCustomerDoc(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	contacts, err := contactsOf(ctx, sr.s.db, `WHERE id IN (`+in+`)`)
	if err != nil {
		return nil, err
	}
	hits := make([]SearchHit, 0, len(docs))
	for _, d := range docs {
		d.contacts = contacts[d.id]
		field, rank := sr.customerField(&d)
		if field == "" {
			continue // matched an older text, or a reading not kept
		}
		hits = append(hits, SearchHit{Kind: KindCustomer, ID: d.id, Code: d.code, Title: d.name,
			Field: field, Rank: rank, order: d.code})
	}
	sortHits(hits)
	return hits, nil
}

// customerField says which field of d holds the query, and the rank.
func (sr *searcher) customerField(d *customerDoc) (string, int) {
	q := sr.q
	code := foldText(d.code)
	switch {
	case code == q || strings.ReplaceAll(q, ".", "·") == code:
		return "客户编码", RankExactCode
	case strings.HasPrefix(code, q) || strings.HasPrefix(code, strings.ReplaceAll(q, ".", "·")):
		return "客户编码", RankCodePrefix
	}
	for _, f := range []struct{ label, v string }{{"客户名称", d.name}, {"简称", d.short}, {"助记码", d.mnemonic}} {
		if strings.HasPrefix(foldText(f.v), q) {
			return f.label, RankNameStart
		}
	}
	for _, f := range []struct{ label, v string }{{"客户名称", d.name}, {"简称", d.short}} {
		if strings.Contains(foldText(f.v), q) {
			return f.label, RankName
		}
	}
	fields := []struct{ label, v string }{{"客户编码", d.code}, {"助记码", d.mnemonic},
		{"统一社会信用代码", d.credit}, {"电话", d.phone}, {"手机", d.mobile}, {"地址", d.address}}
	for _, c := range d.contacts {
		fields = append(fields, struct{ label, v string }{"联系人", c.name},
			struct{ label, v string }{"联系人电话", c.mobile}, struct{ label, v string }{"联系人电话", c.phone})
	}
	for _, f := range fields {
		if strings.Contains(foldText(f.v), q) {
			return f.label, RankOther
		}
	}
	if isLetters(q) {
		keys := strings.Fields(d.keys)
		if len(keys) == 0 {
			keys = PinyinKeys(d.name)
		}
		if d.short != "" {
			keys = append(keys, PinyinKeys(d.short)...)
		}
		for _, k := range keys {
			if strings.Contains(k, q) {
				return "拼音首字母", RankOther
			}
		}
	}
	return "", 0
}

// isLetters reports whether s is ASCII letters only (a pinyin query).
func isLetters(s string) bool {
	for _, r := range s {
		if r >= 128 || !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// rankItems reads the items, says where each matched and sorts them.
func (sr *searcher) rankItems(ctx context.Context, ids []int64) ([]SearchHit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := sr.s.db.QueryContext(ctx, `SELECT i.id, i.title, i.code, i.doc_no, i.author, i.remarks, i.sort_key,
		coalesce(c.name, '') FROM archive_items i LEFT JOIN customers c ON c.id = i.customer_id
		WHERE i.id IN (`+idList(ids)+`)`)
	if err != nil {
		return nil, fmt.Errorf("read items: %w", err)
	}
	defer rows.Close()
	var hits []SearchHit
	for rows.Next() {
		var d itemDoc
		var sortKey, customer string
		if err := rows.Scan(&d.id, &d.title, &d.code, &d.docNo, &d.author, &d.remarks, &sortKey, &customer); err != nil {
			return nil, err
		}
		field, rank := sr.itemField(&d, customer)
		if field == "" {
			continue
		}
		hits = append(hits, SearchHit{Kind: KindItem, ID: d.id, Code: d.code, Title: d.title,
			Field: field, Rank: rank, order: sortKey})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortHits(hits)
	return hits, nil
}

// itemField says which field of d (or its customer's name) holds the
// query, and the rank.
func (sr *searcher) itemField(d *itemDoc, customer string) (string, int) {
	q, dotted := sr.q, strings.ReplaceAll(sr.q, ".", "·")
	code := foldText(d.code)
	switch {
	case code == q || code == dotted:
		return "档号", RankExactCode
	case strings.HasPrefix(code, q) || strings.HasPrefix(code, dotted):
		return "档号", RankCodePrefix
	}
	title := foldText(d.title)
	if strings.HasPrefix(title, q) {
		return "题名", RankNameStart
	}
	if strings.Contains(title, q) {
		return "题名", RankName
	}
	if strings.Contains(code, q) || strings.Contains(code, dotted) {
		return "档号", RankOther
	}
	for _, f := range []struct{ label, v string }{{"文号", d.docNo}, {"责任者", d.author},
		{"备注", d.remarks}, {"客户", customer}} {
		if strings.Contains(foldText(f.v), q) {
			return f.label, RankOther
		}
	}
	return "", 0
}

// sortHits orders hits by rank, then code order, then id.
func sortHits(hits []SearchHit) {
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.Rank != b.Rank {
			return a.Rank < b.Rank
		}
		if a.order != b.order {
			return a.order < b.order
		}
		return a.ID < b.ID
	})
}

// idList formats ids for an IN (…) list; they are integers, never text.
func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

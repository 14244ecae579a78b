package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// BoxBarcode is the text a box's spine barcode carries (see
// reports.BarcodeText and the spine printing): its group and 盒号,
// e.g. Z109-KH.2026-D30-XS-0003 — the 档号 of a box, with "." for "·"
// because Code 128 carries ASCII only.
func (b Box) BoxBarcode() string {
	return strings.ReplaceAll(b.Group.String()+"-"+b.NoText(), "·", ".")
}

// parseBoxCode reads a box code (barcode text, with "." or "·") into its
// group and 盒号.
func parseBoxCode(t string) (CodeGroup, int, bool) {
	t = strings.ReplaceAll(t, "·", ".")
	head, no, ok := cutLast(t, "-")
	if !ok || no == "" || strings.Trim(no, "0123456789") != "" {
		return CodeGroup{}, 0, false
	}
	left, right, ok := strings.Cut(head, ".")
	if !ok {
		return CodeGroup{}, 0, false
	}
	fonds, class, ok := cutLast(left, "-")
	if !ok || fonds == "" || class == "" {
		return CodeGroup{}, 0, false
	}
	parts := strings.SplitN(right, "-", 3)
	if len(parts) != 3 {
		return CodeGroup{}, 0, false
	}
	year, err1 := strconv.Atoi(parts[0])
	n, err2 := strconv.Atoi(no)
	if err1 != nil || err2 != nil {
		return CodeGroup{}, 0, false
	}
	return CodeGroup{Fonds: fonds, Class: class, Year: year, Retention: parts[1], Org: parts[2]}, n, true
}

func cutLast(s, sep string) (string, string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// ResolveScan maps what a barcode scanner types — a box's barcode text or
// a 档号 — to that box or item, if the actor may see it; nil when nothing
// matches. Case and width are folded; "." stands for "·". A text with "·"
// is tried as a 档号 first, anything else as a box first (spines carry the
// box barcode; its text has the 档号's shape).
func (s *Store) ResolveScan(ctx context.Context, actor *User, text string) (*SearchHit, error) {
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return nil, err
	}
	return s.resolveScan(ctx, sc, text)
}

func (s *Store) resolveScan(ctx context.Context, sc Scope, text string) (*SearchHit, error) {
	t := strings.TrimSpace(NormalizeQuery(text))
	if t == "" || strings.ContainsAny(t, " \t") {
		return nil, nil
	}
	tries := []func(context.Context, Scope, string) (*SearchHit, error){s.scanBox, s.scanItem}
	if strings.Contains(t, "·") {
		tries[0], tries[1] = tries[1], tries[0]
	}
	for _, try := range tries {
		h, err := try(ctx, sc, t)
		if err != nil || h != nil {
			return h, err
		}
	}
	return nil, nil
}

func (s *Store) scanBox(ctx context.Context, sc Scope, t string) (*SearchHit, error) {
	g, no, ok := parseBoxCode(t)
	if !ok {
		return nil, nil
	}
	cond, args := sc.Filter("b.dept_id")
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT b.id FROM archive_boxes b WHERE b.fonds = ? COLLATE NOCASE
		AND b.class_code = ? COLLATE NOCASE AND b.year = ? AND b.retention = ? COLLATE NOCASE
		AND b.org_code = ? COLLATE NOCASE AND b.box_no = ? AND `+cond,
		append([]any{g.Fonds, g.Class, g.Year, g.Retention, g.Org, no}, args...)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find box: %w", err)
	}
	b, err := boxByID(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	return &SearchHit{Kind: KindBox, ID: b.ID, Code: b.BoxBarcode(), Title: b.Label(), Field: "盒号",
		Rank: RankExactCode}, nil
}

func (s *Store) scanItem(ctx context.Context, sc Scope, t string) (*SearchHit, error) {
	cond, args := sc.Filter("i.dept_id")
	for _, form := range codeForms(t) {
		var h SearchHit
		err := s.db.QueryRowContext(ctx, `SELECT i.id, i.code, i.title FROM archive_items i
			WHERE i.code = ? COLLATE NOCASE AND `+cond+` ORDER BY i.id LIMIT 1`,
			append([]any{form}, args...)...).Scan(&h.ID, &h.Code, &h.Title)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("find item: %w", err)
		}
		h.Kind, h.Field, h.Rank = KindItem, "档号", RankExactCode
		return &h, nil
	}
	return nil, nil
}

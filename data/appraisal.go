package data

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// Audit actions of appraisal.
const (
	ActionAppraiseKeep = "appraise_keep"
)

func init() {
	registerAction(ActionAppraiseKeep, "鉴定延长保管")
	registerRef(EntityItem, "鉴定记录", `SELECT CASE decision WHEN 'keep' THEN '继续保存' ELSE '提出销毁' END || ' ' || substr(at, 1, 10)
		FROM appraisals WHERE item_id = ? ORDER BY id`)
}

// effectiveRetention is the SQL of an item's retention after appraisals.
const effectiveRetention = `(CASE WHEN i.kept_retention <> '' THEN i.kept_retention ELSE i.retention END)`

// retentionYears returns n of a Dn retention, or 0 for Y (never expires).
func retentionYears(r string) int {
	if !strings.HasPrefix(r, "D") {
		return 0
	}
	n, _ := strconv.Atoi(r[1:])
	return n
}

// DueItem is an item whose retention has run out (年度 + 期限 < this year).
type DueItem struct {
	Item
	Retention   string // in force: the 档号's, or a later appraisal's
	ExpiredYear int    // the last year of its retention
}

// DueFilter selects items due for appraisal.
type DueFilter struct {
	CategoryID int64 // a 类别; 0: all
	Year       int   // 0: all
	Limit      int   // 0: 500
	Offset     int
}

// AppraisalGroup is one category and year with items due.
type AppraisalGroup struct {
	CategoryID int64
	Category   string // e.g. KH-02 合同协议
	Year       int
	Count      int
}

// dueWhere is the WHERE clause of items due for appraisal in this year:
// a Dn retention and 年度 + n before this year; Y never; destroyed items and
// those already proposed are not listed.
func (s *Store) dueWhere(ctx context.Context, actor *User, f DueFilter) (string, []any, error) {
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return "", nil, err
	}
	cond, args := sc.Filter("i.dept_id")
	where := ` WHERE i.status IN ('in', 'lent') AND ` + effectiveRetention + ` LIKE 'D%'
		AND i.year + CAST(substr(` + effectiveRetention + `, 2) AS INTEGER) < ? AND ` + cond
	args = append([]any{s.today().Year()}, args...)
	if f.CategoryID != 0 {
		where += ` AND i.category_id = ?`
		args = append(args, f.CategoryID)
	}
	if f.Year != 0 {
		where += ` AND i.year = ?`
		args = append(args, f.Year)
	}
	return where, args, nil
}

// CountDue counts the items due for appraisal in the user's scope.
func (s *Store) CountDue(ctx context.Context, actor *User, f DueFilter) (int, error) {
	where, args, err := s.dueWhere(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM archive_items i`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count due: %w", err)
	}
	return n, nil
}

// AppraisalGroups lists the categories and years with items due, in
// category and year order.
func (s *Store) AppraisalGroups(ctx context.Context, actor *User) ([]AppraisalGroup, error) {
	where, args, err := s.dueWhere(ctx, actor, DueFilter{})
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT i.category_id, p.code || '-' || c.code || ' ' || c.name, i.year, count(*)
		FROM archive_items i JOIN archive_categories c ON c.id = i.category_id
		JOIN archive_categories p ON p.id = i.class_id`+where+`
		GROUP BY i.category_id, i.year ORDER BY p.code, c.code, i.year`, args...)
	if err != nil {
		return nil, fmt.Errorf("appraisal groups: %w", err)
	}
	defer rows.Close()
	var out []AppraisalGroup
	for rows.Next() {
		var g AppraisalGroup
		if err := rows.Scan(&g.CategoryID, &g.Category, &g.Year, &g.Count); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// FindDue returns a page of the items due for appraisal, by category, year
// and 档号.
func (s *Store) FindDue(ctx context.Context, actor *User, f DueFilter) ([]DueItem, error) {
	where, args, err := s.dueWhere(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 {
		f.Limit = 500
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+itemColumns+`, `+effectiveRetention+` FROM archive_items i`+itemJoins+where+`
		ORDER BY p.code, c.code, i.year, i.sort_key LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, fmt.Errorf("find due: %w", err)
	}
	defer rows.Close()
	var out []DueItem
	for rows.Next() {
		var ret string
		it, err := scanItem(scanExtra{rows, &ret})
		if err != nil {
			return nil, err
		}
		out = append(out, DueItem{Item: *it, Retention: ret, ExpiredYear: it.Group.Year + retentionYears(ret)})
	}
	return out, rows.Err()
}

// KeepItems records an appraisal that keeps the items: each is kept for the
// new retention (counted from its 年度, so it must reach past this year)
// for the reason given. The 档号 stays as it is.
func (s *Store) KeepItems(ctx context.Context, actor *User, itemIDs []int64, retention, reason string) error {
	retention, err := NormalizeRetention(retention)
	if err != nil {
		return err
	}
	reason = cleanText(reason)
	switch {
	case len(itemIDs) == 0:
		return fieldErr("items", "请先选择要鉴定的档案")
	case reason == "":
		return fieldErr("reason", "请填写继续保存的理由（鉴定意见）")
	}
	if err := checkLen("reason", "鉴定意见", reason, 200); err != nil {
		return err
	}
	return s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		now := s.nowText()
		for _, id := range itemIDs {
			it, err := itemInScope(ctx, tx, sc, id, "鉴定")
			if err != nil {
				return err
			}
			if it.Status == StatusDestroyed || it.Status == StatusPendingDestroy {
				return Errorf(ECONFLICT, "档案 %s 状态为“%s”，不能再鉴定", it.Code, StatusLabel(it.Status))
			}
			if n := retentionYears(retention); n != 0 && it.Group.Year+n < s.today().Year() {
				return fieldErr("retention", "按新的保管期限 %s，档案 %s（%d 年度）保管到 %d 年，仍已到期。请选择更长的期限",
					RetentionLabel(retention), it.Code, it.Group.Year, it.Group.Year+n)
			}
			var old string
			if err := tx.QueryRowContext(ctx, `SELECT `+effectiveRetention+` FROM archive_items i WHERE id = ?`, id).Scan(&old); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE archive_items SET kept_retention = ?, updated_at = ? WHERE id = ?`,
				retention, now, id); err != nil {
				return fmt.Errorf("keep item: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO appraisals (item_id, decision, old_retention, new_retention,
				reason, at, user_name) VALUES (?, 'keep', ?, ?, ?, ?, ?)`, id, old, retention, reason, now, a.Username); err != nil {
				return fmt.Errorf("record appraisal: %w", err)
			}
			if err := s.writeAudit(ctx, tx, a, "", auditRecord{
				Entity: EntityItem, EntityID: it.Code, Action: ActionAppraiseKeep,
				Summary: "鉴定：继续保存 " + it.Code + "，" + reason,
				Changes: append(diff(nil, "保管期限", RetentionLabel(old), RetentionLabel(retention)),
					Change{Field: "鉴定意见", New: reason}),
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

package data

import (
	"context"
	"database/sql"
)

// FixItemCodes marks the 档号 of items as fixed (after printing a catalogue
// or labels): they are no longer renumbered or regrouped.
func (s *Store) FixItemCodes(ctx context.Context, actor *User, ids []int64) error {
	return s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		for _, id := range ids {
			it, err := itemByID(ctx, tx, id)
			if err != nil {
				return err
			}
			if it.CodeFixed || !sc.Contains(it.DeptID) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE archive_items SET code_fixed = 1 WHERE id = ?`, id); err != nil {
				return err
			}
			if err := s.writeAudit(ctx, tx, a, "", auditRecord{
				Entity: EntityItem, EntityID: it.Code, Action: ActionFixCode, Summary: "固定档号 " + it.Code,
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Renumber closes the gaps in the 件号 of group g among items that are not
// boxed and whose code is not fixed: fixed items keep their numbers and the
// others take the lowest free numbers in their current order. Each changed
// code is audited. It returns how many items changed.
func (s *Store) Renumber(ctx context.Context, actor *User, g CodeGroup) (int, error) {
	changed := 0
	err := s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		changed = 0
		set, err := archiveSettings(ctx, tx)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, serial, code, coalesce(dept_id, 0), code_fixed OR box_id IS NOT NULL
			FROM archive_items WHERE fonds = ? AND class_code = ? AND year = ? AND retention = ? AND org_code = ?
			ORDER BY serial`, g.Fonds, g.Class, g.Year, g.Retention, g.Org)
		if err != nil {
			return err
		}
		type row struct {
			id     int64
			serial int
			code   string
			dept   int64
			fixed  bool
		}
		var all []row
		used := map[int]bool{}
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.serial, &r.code, &r.dept, &r.fixed); err != nil {
				rows.Close()
				return err
			}
			all = append(all, r)
			if r.fixed {
				used[r.serial] = true
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(all) == 0 {
			return Errorf(ENOTFOUND, "%s 组没有档案", g)
		}
		next := 1
		type move struct {
			row
			to int
		}
		var moves []move
		for _, r := range all {
			if r.fixed {
				continue
			}
			for used[next] {
				next++
			}
			if r.serial != next {
				if !sc.Contains(r.dept) {
					return Errorf(EFORBIDDEN, "%s 组中有不属于您部门的档案（%s），不能重新编号", g, r.code)
				}
				moves = append(moves, move{r, next})
			}
			used[next] = true
		}
		pattern := set.Pattern()
		// Two passes: negative serials first, so the unique index never
		// sees two items with the same number mid-way.
		for _, m := range moves {
			if _, err := tx.ExecContext(ctx, `UPDATE archive_items SET serial = ? WHERE id = ?`, -m.to, m.id); err != nil {
				return err
			}
		}
		for _, m := range moves {
			code := pattern.Format(g, m.to, set.SerialWidth)
			if _, err := tx.ExecContext(ctx, `UPDATE archive_items SET serial = ?, code = ?, sort_key = ?, updated_at = ?
				WHERE id = ?`, m.to, code, pattern.SortKey(g, m.to), s.nowText(), m.id); err != nil {
				return err
			}
			if err := s.writeAudit(ctx, tx, a, "", auditRecord{
				Entity: EntityItem, EntityID: code, Action: ActionRenumber,
				Summary: "重新编号 " + m.code + " → " + code,
				Changes: []Change{{Field: "档号", Old: m.code, New: code}},
			}); err != nil {
				return err
			}
		}
		changed = len(moves)
		return nil
	})
	return changed, err
}

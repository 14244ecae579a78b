package data

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// EntityBox names archive boxes in the audit log.
const EntityBox = "archive_box"

func init() {
	registerEntity(EntityBox, "档案盒")
	registerRef(EntityDepartment, "档案盒", `SELECT fonds || '-' || class_code || '·' || year || '-' || retention || '-' || org_code || ' 第' || box_no || '盒'
		FROM archive_boxes WHERE dept_id = ? ORDER BY id`)
}

// Spine thicknesses in millimetres (DA/T 22-2015 6.4.1).
var Thicknesses = []int{20, 30, 40, 50}

// Box is a 档案盒: items of one group, 起止件号 derived from its items.
type Box struct {
	ID        int64
	Group     CodeGroup
	No        int // 盒号, a serial within the group
	DeptID    int64
	Thickness int // mm
	Room      string
	Cabinet   string
	Shelf     string
	Filer     string // 立卷人
	Checker   string // 检查人
	FiledOn   string // 立卷日期 YYYYMMDD
	Note      string // 情况说明
	First     int    // 起件号, 0 when empty
	Last      int    // 止件号
	Count     int
	CreatedAt time.Time
}

// NoText is the 盒号 as printed, e.g. 0003.
func (b Box) NoText() string { return fmt.Sprintf("%04d", b.No) }

// Label names the box: its group and 盒号.
func (b Box) Label() string { return b.Group.String() + " 第" + b.NoText() + "盒" }

// Location is 库房-柜-层, or empty when not set.
func (b Box) Location() string {
	if b.Room == "" && b.Cabinet == "" && b.Shelf == "" {
		return ""
	}
	return b.Room + "-" + b.Cabinet + "-" + b.Shelf
}

// Range shows 起止件号 as 0001–0012.
func (b Box) Range(width int) string {
	if b.Count == 0 {
		return "（空盒）"
	}
	return fmt.Sprintf("%0*d–%0*d", width, b.First, width, b.Last)
}

// BoxInput is what a clerk enters for a box: spine, location, 备考表.
type BoxInput struct {
	Thickness int
	Room      string
	Cabinet   string
	Shelf     string
	Filer     string
	Checker   string
	FiledOn   string // any form ParseDate reads
	Note      string
}

func (in BoxInput) normalize() (BoxInput, error) {
	for _, p := range []*string{&in.Room, &in.Cabinet, &in.Shelf, &in.Filer, &in.Checker, &in.Note} {
		*p = strings.TrimSpace(*p)
	}
	ok := false
	for _, t := range Thicknesses {
		ok = ok || in.Thickness == t
	}
	if !ok {
		return in, fieldErr("thickness", "盒脊厚度应为 20、30、40 或 50 毫米")
	}
	for _, f := range []struct{ v, name string }{{in.Room, "库房"}, {in.Cabinet, "柜"}, {in.Shelf, "层"}} {
		if utf8.RuneCountInString(f.v) > 20 {
			return in, fieldErr("location", "%s太长：最多 20 个字", f.name)
		}
		if strings.Contains(f.v, "-") {
			return in, fieldErr("location", "%s中不能有“-”：存放位置按 库房-柜-层 分段", f.name)
		}
	}
	if utf8.RuneCountInString(in.Note) > 500 {
		return in, fieldErr("note", "情况说明太长：最多 500 个字")
	}
	var err error
	in.FiledOn, err = compactDate("立卷日期", in.FiledOn)
	return in, err
}

const boxColumns = `b.id, b.fonds, b.class_code, b.year, b.retention, b.org_code, b.box_no, coalesce(b.dept_id, 0),
	b.thickness, b.room, b.cabinet, b.shelf, b.filer, b.checker, b.filed_on, b.note,
	coalesce((SELECT min(serial) FROM archive_items WHERE box_id = b.id), 0),
	coalesce((SELECT max(serial) FROM archive_items WHERE box_id = b.id), 0),
	(SELECT count(*) FROM archive_items WHERE box_id = b.id), b.created_at`

func scanBox(sc interface{ Scan(...any) error }) (*Box, error) {
	var b Box
	var created string
	if err := sc.Scan(&b.ID, &b.Group.Fonds, &b.Group.Class, &b.Group.Year, &b.Group.Retention, &b.Group.Org,
		&b.No, &b.DeptID, &b.Thickness, &b.Room, &b.Cabinet, &b.Shelf, &b.Filer, &b.Checker, &b.FiledOn, &b.Note,
		&b.First, &b.Last, &b.Count, &created); err != nil {
		return nil, err
	}
	b.CreatedAt = parseTime(created)
	return &b, nil
}

func boxByID(ctx context.Context, q queryer, id int64) (*Box, error) {
	b, err := scanBox(q.QueryRowContext(ctx, `SELECT `+boxColumns+` FROM archive_boxes b WHERE b.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "档案盒不存在（可能已被删除）")
	}
	return b, nil
}

// BoxByID returns one box.
func (s *Store) BoxByID(ctx context.Context, id int64) (*Box, error) { return boxByID(ctx, s.db, id) }

// BoxFilter selects boxes. Zero fields do not filter.
type BoxFilter struct {
	Class  string // 门类 code
	Year   int
	Group  *CodeGroup
	Offset int
	Limit  int // default 200
}

// FindBoxes returns boxes the user may see, ordered by group and 盒号.
func (s *Store) FindBoxes(ctx context.Context, actor *User, f BoxFilter) ([]Box, error) {
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return nil, err
	}
	cond, args := sc.Filter("b.dept_id")
	where := []string{cond}
	if f.Class != "" {
		where, args = append(where, "b.class_code = ?"), append(args, f.Class)
	}
	if f.Year != 0 {
		where, args = append(where, "b.year = ?"), append(args, f.Year)
	}
	if g := f.Group; g != nil {
		where = append(where, "b.fonds = ? AND b.class_code = ? AND b.year = ? AND b.retention = ? AND b.org_code = ?")
		args = append(args, g.Fonds, g.Class, g.Year, g.Retention, g.Org)
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+boxColumns+` FROM archive_boxes b WHERE `+strings.Join(where, " AND ")+
		` ORDER BY b.fonds, b.class_code, b.year, length(b.retention), b.retention, b.org_code, b.box_no LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, fmt.Errorf("find boxes: %w", err)
	}
	defer rows.Close()
	var out []Box
	for rows.Next() {
		b, err := scanBox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *b)
	}
	return out, rows.Err()
}

// BoxItems puts items into a box: boxID 0 makes a new box (with in) for
// the items' group; otherwise the items go into that box, which must be of
// their group. Every item must be of one group (全宗, 门类, 年度, 保管期限,
// 机构). Items in another box are moved. Once boxed, an item's 档号 is
// fixed. Each item's change is audited.
func (s *Store) BoxItems(ctx context.Context, actor *User, boxID int64, itemIDs []int64, in BoxInput) (*Box, error) {
	if len(itemIDs) == 0 {
		return nil, Errorf(EINVALID, "请先选择要装盒的档案")
	}
	if boxID == 0 {
		var err error
		if in, err = in.normalize(); err != nil {
			return nil, err
		}
	}
	err := s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		items := make([]*Item, len(itemIDs))
		for i, id := range itemIDs {
			it, err := liveItemInScope(ctx, tx, sc, id, "装盒")
			if err != nil {
				return err
			}
			items[i] = it
			if it.Group != items[0].Group {
				return Errorf(EINVALID, "所选档案不属于同一组：%s 属于 %s，%s 属于 %s。一盒只能装同一全宗、门类、年度、保管期限、机构的档案",
					items[0].Code, items[0].Group, it.Code, it.Group)
			}
		}
		g := items[0].Group
		if boxID == 0 {
			var err error
			if boxID, err = s.createBox(ctx, tx, a, g, items[0].DeptID, in); err != nil {
				return err
			}
		}
		b, err := boxInScope(ctx, tx, sc, boxID, "装盒")
		if err != nil {
			return err
		}
		if b.Group != g {
			return Errorf(EINVALID, "档案盒“%s”装的是 %s 组的档案，所选档案属于 %s 组，不能放进这个盒", b.Label(), b.Group, g)
		}
		for _, it := range items {
			if it.BoxID == boxID {
				continue
			}
			action, summary := ActionBox, "装盒 "+it.Code+" → "+b.Label()
			old := ""
			if it.Boxed() {
				ob, err := boxByID(ctx, tx, it.BoxID)
				if err != nil {
					return err
				}
				action, old = ActionMove, ob.Label()
				summary = "移盒 " + it.Code + "：" + ob.Label() + " → " + b.Label()
			}
			if _, err := tx.ExecContext(ctx, `UPDATE archive_items SET box_id = ?, code_fixed = 1, updated_at = ? WHERE id = ?`,
				boxID, s.nowText(), it.ID); err != nil {
				return fmt.Errorf("box item: %w", err)
			}
			if err := s.writeAudit(ctx, tx, a, "", auditRecord{
				Entity: EntityItem, EntityID: it.Code, Action: action, Summary: summary,
				Changes: []Change{{Field: "盒号", Old: old, New: b.Label()}},
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return boxByID(ctx, s.db, boxID)
}

func (s *Store) createBox(ctx context.Context, tx *sql.Tx, a *User, g CodeGroup, deptID int64, in BoxInput) (int64, error) {
	var no int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(box_no), 0) + 1 FROM archive_boxes
		WHERE fonds = ? AND class_code = ? AND year = ? AND retention = ? AND org_code = ?`,
		g.Fonds, g.Class, g.Year, g.Retention, g.Org).Scan(&no); err != nil {
		return 0, err
	}
	now := s.nowText()
	res, err := tx.ExecContext(ctx, `INSERT INTO archive_boxes (fonds, class_code, year, retention, org_code, box_no,
		dept_id, thickness, room, cabinet, shelf, filer, checker, filed_on, note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		g.Fonds, g.Class, g.Year, g.Retention, g.Org, no, nullID(deptID), in.Thickness, in.Room, in.Cabinet,
		in.Shelf, in.Filer, in.Checker, in.FiledOn, in.Note, now, now)
	if err != nil {
		return 0, fmt.Errorf("insert box: %w", err)
	}
	id, _ := res.LastInsertId()
	b := Box{Group: g, No: no, Room: in.Room, Cabinet: in.Cabinet, Shelf: in.Shelf}
	return id, s.writeAudit(ctx, tx, a, "", auditRecord{
		Entity: EntityBox, EntityID: b.Label(), Action: ActionCreate, Summary: "新建档案盒 " + b.Label(),
		Changes: boxChanges(BoxInput{}, in),
	})
}

func boxChanges(old, in BoxInput) []Change {
	var c []Change
	if old.Thickness != in.Thickness {
		c = append(c, Change{Field: "盒脊厚度", Old: itoaOrEmpty(old.Thickness), New: strconv.Itoa(in.Thickness) + "mm"})
	}
	c = diff(c, "库房", old.Room, in.Room)
	c = diff(c, "柜", old.Cabinet, in.Cabinet)
	c = diff(c, "层", old.Shelf, in.Shelf)
	c = diff(c, "立卷人", old.Filer, in.Filer)
	c = diff(c, "检查人", old.Checker, in.Checker)
	c = diff(c, "立卷日期", old.FiledOn, in.FiledOn)
	c = diff(c, "情况说明", old.Note, in.Note)
	return c
}

// UnboxItems takes items out of their boxes; their 档号 stays fixed.
func (s *Store) UnboxItems(ctx context.Context, actor *User, itemIDs []int64) error {
	if len(itemIDs) == 0 {
		return Errorf(EINVALID, "请先选择要移出盒的档案")
	}
	return s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		for _, id := range itemIDs {
			it, err := itemInScope(ctx, tx, sc, id, "移出盒")
			if err != nil {
				return err
			}
			if !it.Boxed() {
				return Errorf(EINVALID, "档案 %s 没有装盒", it.Code)
			}
			b, err := boxByID(ctx, tx, it.BoxID)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE archive_items SET box_id = NULL, updated_at = ? WHERE id = ?`,
				s.nowText(), id); err != nil {
				return err
			}
			if err := s.writeAudit(ctx, tx, a, "", auditRecord{
				Entity: EntityItem, EntityID: it.Code, Action: ActionUnbox,
				Summary: "移出盒 " + it.Code + "（原在 " + b.Label() + "）",
				Changes: []Change{{Field: "盒号", Old: b.Label()}},
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

// UpdateBox changes a box's spine, location and 备考表. Audited.
func (s *Store) UpdateBox(ctx context.Context, actor *User, id int64, in BoxInput) error {
	in, err := in.normalize()
	if err != nil {
		return err
	}
	return s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		b, err := boxInScope(ctx, tx, sc, id, "修改")
		if err != nil {
			return err
		}
		old := BoxInput{Thickness: b.Thickness, Room: b.Room, Cabinet: b.Cabinet, Shelf: b.Shelf,
			Filer: b.Filer, Checker: b.Checker, FiledOn: b.FiledOn, Note: b.Note}
		changes := boxChanges(old, in)
		if len(changes) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE archive_boxes SET thickness = ?, room = ?, cabinet = ?, shelf = ?,
			filer = ?, checker = ?, filed_on = ?, note = ?, updated_at = ? WHERE id = ?`,
			in.Thickness, in.Room, in.Cabinet, in.Shelf, in.Filer, in.Checker, in.FiledOn, in.Note, s.nowText(), id); err != nil {
			return fmt.Errorf("update box: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityBox, EntityID: b.Label(), Action: ActionUpdate, Summary: "修改档案盒 " + b.Label(),
			Changes: changes,
		})
	})
}

// DeleteBox removes an empty box.
func (s *Store) DeleteBox(ctx context.Context, actor *User, id int64) error {
	return s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		b, err := boxInScope(ctx, tx, sc, id, "删除")
		if err != nil {
			return err
		}
		if b.Count > 0 {
			return Errorf(ECONFLICT, "档案盒“%s”里还有 %d 件档案，请先移出", b.Label(), b.Count)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM archive_boxes WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete box: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityBox, EntityID: b.Label(), Action: ActionDelete, Summary: "删除空档案盒 " + b.Label(),
		})
	})
}

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

// EntityItem names archive items in the audit log.
const EntityItem = "archive_item"

// Audit actions of the archive register.
const (
	ActionRenumber = "renumber"
	ActionBox      = "box"
	ActionUnbox    = "unbox"
	ActionMove     = "move"
	ActionAttach   = "attach"
	ActionDetach   = "detach"
	ActionFixCode  = "fix_code"
)

func init() {
	registerEntity(EntityItem, "档案")
	for code, label := range map[string]string{
		ActionRenumber: "重新编号", ActionBox: "装盒", ActionUnbox: "移出盒", ActionMove: "移盒",
		ActionAttach: "添加附件", ActionDetach: "删除附件", ActionFixCode: "固定档号",
	} {
		registerAction(code, label)
	}
	registerRef(EntityCustomer, "档案", `SELECT code FROM archive_items WHERE customer_id = ? ORDER BY sort_key`)
	registerRef(EntityDepartment, "档案", `SELECT code FROM archive_items WHERE dept_id = ? ORDER BY sort_key`)
}

// Item statuses (DESIGN 2.7).
const (
	StatusIn             = "in"
	StatusLent           = "lent"
	StatusPendingDestroy = "pending_destroy"
	StatusDestroyed      = "destroyed"
)

var itemStatuses = []string{StatusIn, StatusLent, StatusPendingDestroy, StatusDestroyed}

var statusLabels = map[string]string{
	StatusIn: "在库", StatusLent: "借出", StatusPendingDestroy: "待销毁", StatusDestroyed: "已销毁",
}

// ItemStatuses lists the item statuses in order.
func ItemStatuses() []string { return append([]string(nil), itemStatuses...) }

// StatusLabel returns the Chinese name of an item status.
func StatusLabel(s string) string { return labelOr(statusLabels, s) }

// ParseItemStatus accepts a status code (in) or its Chinese name (在库).
func ParseItemStatus(s string) (string, error) {
	s = strings.TrimSpace(s)
	for _, st := range itemStatuses {
		if s == st || s == statusLabels[st] {
			return st, nil
		}
	}
	return "", fieldErr("status", "状态“%s”不正确：应为 在库、借出、待销毁 或 已销毁", s)
}

// compactDate reads an optional date typed by a user (label names it in
// the message) and returns it as YYYYMMDD, or "" when s is blank.
func compactDate(label, s string) (string, error) {
	if s = strings.TrimSpace(s); s == "" {
		return "", nil
	}
	t, err := ParseDate(label, s)
	if err != nil {
		return "", err
	}
	return t.Format("20060102"), nil
}

// Secrecy levels and carriers (DESIGN 2.7).
var (
	SecrecyLevels = []string{"公开", "内部", "秘密", "机密"}
	Carriers      = []string{"纸质", "电子", "实物"}
)

func oneOf(v string, list []string) bool {
	for _, x := range list {
		if v == x {
			return true
		}
	}
	return false
}

// Item is one 件 of the register.
type Item struct {
	ID         int64
	Code       string // 档号
	CategoryID int64
	ClassID    int64
	Category   string // label of the 类别, e.g. KH-02 合同协议
	Group      CodeGroup
	Serial     int // 件号
	CodeFixed  bool
	DeptID     int64
	DeptName   string

	Title      string // 题名
	Author     string // 责任者
	DocNo      string // 文号
	Date       string // YYYYMMDD or empty
	Pages      int
	Secrecy    string
	CustomerID int64
	Customer   string // code and name
	Carrier    string
	BoxID      int64
	BoxNo      int
	Location   string // the box's location when boxed
	Remarks    string
	Status     string

	Attachments     int
	AttachmentBytes int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
	SortKey         string // the 档号's segment-wise sort key; a list cursor
}

// Boxed reports whether the item is in a box.
func (it Item) Boxed() bool { return it.BoxID != 0 }

// SerialText is the 件号 as printed.
func (it Item) SerialText(width int) string { return fmt.Sprintf("%0*d", width, it.Serial) }

// ItemInput is what a clerk enters for an item. 档号 and 件号 are assigned.
type ItemInput struct {
	CategoryID int64 // a 类别
	Year       int
	Retention  string
	DeptID     int64 // gives the 机构代码
	Title      string
	Author     string
	DocNo      string
	Date       string // any form ParseDate reads; stored as YYYYMMDD
	Pages      int
	Secrecy    string
	CustomerID int64
	Carrier    string
	Location   string
	Remarks    string
}

// ParseYear reads a 年度 typed by a user.
func ParseYear(s string) (int, error) {
	s = strings.TrimSpace(NormalizeWidth(s))
	y, err := strconv.Atoi(s)
	if err != nil || y < 1900 || y > 2100 {
		return 0, fieldErr("year", "年度“%s”不正确：应为 1900 到 2100 之间的四位年份", s)
	}
	return y, nil
}

// ParsePages reads a 页数 typed by a user.
func ParsePages(s string) (int, error) {
	s = strings.TrimSpace(NormalizeWidth(s))
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fieldErr("pages", "页数“%s”不正确：应为正整数（至少 1 页）", s)
	}
	return n, nil
}

// normalize trims and checks the input; it returns the cleaned copy.
func (in ItemInput) normalize() (ItemInput, error) {
	in.Title = strings.TrimSpace(in.Title)
	in.Author = strings.TrimSpace(in.Author)
	in.DocNo = strings.TrimSpace(NormalizeWidth(in.DocNo))
	in.Location = strings.TrimSpace(in.Location)
	in.Remarks = strings.TrimSpace(in.Remarks)
	var err error
	switch {
	case in.CategoryID == 0:
		return in, fieldErr("category", "请选择档案类别（门类下的具体类别）")
	case in.Year < 1900 || in.Year > 2100:
		return in, fieldErr("year", "年度“%d”不正确：应为 1900 到 2100 之间的四位年份", in.Year)
	case in.Title == "":
		return in, fieldErr("title", "题名不能为空，请填写文件的标题")
	case utf8.RuneCountInString(in.Title) > 300:
		return in, fieldErr("title", "题名太长：最多 300 个字")
	case utf8.RuneCountInString(in.Author) > 100:
		return in, fieldErr("author", "责任者太长：最多 100 个字")
	case utf8.RuneCountInString(in.DocNo) > 60:
		return in, fieldErr("doc_no", "文号太长：最多 60 个字")
	case in.Pages <= 0:
		return in, fieldErr("pages", "页数“%d”不正确：应为正整数（至少 1 页）", in.Pages)
	case in.DeptID == 0:
		return in, fieldErr("dept", "请选择所属部门：机构代码取自部门。如还没有部门，请先在“部门”页建立")
	case utf8.RuneCountInString(in.Remarks) > 500:
		return in, fieldErr("remarks", "备注太长：最多 500 个字")
	}
	if in.Retention, err = NormalizeRetention(in.Retention); err != nil {
		return in, err
	}
	if in.Date, err = compactDate("日期", in.Date); err != nil {
		return in, err
	}
	if in.Secrecy == "" {
		in.Secrecy = SecrecyLevels[0]
	}
	if !oneOf(in.Secrecy, SecrecyLevels) {
		return in, fieldErr("secrecy", "密级“%s”不正确：应为 公开、内部、秘密 或 机密", in.Secrecy)
	}
	if in.Carrier == "" {
		in.Carrier = Carriers[0]
	}
	if !oneOf(in.Carrier, Carriers) {
		return in, fieldErr("carrier", "载体“%s”不正确：应为 纸质、电子 或 实物", in.Carrier)
	}
	return in, nil
}

const itemColumns = `i.id, i.code, i.category_id, i.class_id, c.code, c.name, p.code, i.fonds, i.class_code,
	i.year, i.retention, i.org_code, i.serial, i.code_fixed, coalesce(i.dept_id, 0), coalesce(d.name, ''),
	i.title, i.author, i.doc_no, i.doc_date, i.pages, i.secrecy, coalesce(i.customer_id, 0),
	coalesce(cu.code || ' ' || cu.name, ''), i.carrier, coalesce(i.box_id, 0), coalesce(b.box_no, 0),
	CASE WHEN b.id IS NULL THEN i.location ELSE b.room || '-' || b.cabinet || '-' || b.shelf END,
	i.remarks, i.status,
	(SELECT count(*) FROM archive_attachments a WHERE a.item_id = i.id),
	(SELECT coalesce(sum(size), 0) FROM archive_attachments a WHERE a.item_id = i.id),
	i.created_at, i.updated_at, i.sort_key`

const itemJoins = ` JOIN archive_categories c ON c.id = i.category_id
	JOIN archive_categories p ON p.id = i.class_id
	LEFT JOIN departments d ON d.id = i.dept_id
	LEFT JOIN customers cu ON cu.id = i.customer_id
	LEFT JOIN archive_boxes b ON b.id = i.box_id `

func scanItem(sc interface{ Scan(...any) error }) (*Item, error) {
	var it Item
	var catCode, catName, classCode, created, updated string
	if err := sc.Scan(&it.ID, &it.Code, &it.CategoryID, &it.ClassID, &catCode, &catName, &classCode,
		&it.Group.Fonds, &it.Group.Class, &it.Group.Year, &it.Group.Retention, &it.Group.Org, &it.Serial,
		&it.CodeFixed, &it.DeptID, &it.DeptName, &it.Title, &it.Author, &it.DocNo, &it.Date, &it.Pages,
		&it.Secrecy, &it.CustomerID, &it.Customer, &it.Carrier, &it.BoxID, &it.BoxNo, &it.Location,
		&it.Remarks, &it.Status, &it.Attachments, &it.AttachmentBytes, &created, &updated, &it.SortKey); err != nil {
		return nil, err
	}
	it.Category = classCode + "-" + catCode + " " + catName
	it.CreatedAt, it.UpdatedAt = parseTime(created), parseTime(updated)
	return &it, nil
}

func itemByID(ctx context.Context, q queryer, id int64) (*Item, error) {
	it, err := scanItem(q.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM archive_items i`+itemJoins+`WHERE i.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "档案不存在（可能已被删除）")
	}
	return it, nil
}

// ItemByID returns one item the user may see.
func (s *Store) ItemByID(ctx context.Context, actor *User, id int64) (*Item, error) {
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return nil, err
	}
	return itemInScope(ctx, s.db, sc, id, "查看")
}

// CustomerChoice finds a customer by its code, for linking items; only
// customers of the user's scope are found.
func (s *Store) CustomerChoice(ctx context.Context, actor *User, code string) (int64, string, error) {
	code = strings.TrimSpace(NormalizeWidth(code))
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return 0, "", err
	}
	cond, args := sc.Filter("dept_id")
	var id int64
	var name string
	err = s.db.QueryRowContext(ctx, `SELECT id, name FROM customers WHERE code = ? AND (dept_id IS NULL OR `+cond+`)`,
		append([]any{code}, args...)...).Scan(&id, &name)
	if err == sql.ErrNoRows {
		return 0, "", fieldErr("customer", "客户编码“%s”不存在（或不在您的部门范围内），请检查", code)
	}
	return id, name, err
}

// resolved is what CreateItem and UpdateItem work out for an input.
type resolved struct {
	cat      *Category
	group    CodeGroup
	customer string
	pattern  CodePattern
	width    int
}

func (s *Store) resolveItem(ctx context.Context, tx *sql.Tx, sc Scope, in ItemInput) (*resolved, error) {
	if !sc.Contains(in.DeptID) {
		return nil, Errorf(EFORBIDDEN, "您只能登记和修改本部门（及下级部门）的档案")
	}
	cat, err := categoryByID(ctx, tx, in.CategoryID)
	if err != nil {
		return nil, fieldErr("category", "所选档案类别不存在，请重新选择")
	}
	if cat.IsClass() {
		return nil, fieldErr("category", "请选择门类“%s”下的具体类别", cat.Label())
	}
	org, err := orgCodeOf(ctx, tx, in.DeptID)
	if err != nil {
		return nil, err
	}
	f, err := s.fondsIn(ctx, tx)
	if err != nil {
		return nil, err
	}
	a, err := archiveSettings(ctx, tx)
	if err != nil {
		return nil, err
	}
	r := &resolved{cat: cat, pattern: a.Pattern(), width: a.SerialWidth,
		group: CodeGroup{Fonds: f.Code, Class: cat.ClassCode, Year: in.Year, Retention: in.Retention, Org: org.Effective()}}
	return r, nil
}

// nextSerial returns the next free 件号 of group g. Write transactions are
// immediate (store.go), so two saves cannot both read the same maximum.
func nextSerial(ctx context.Context, tx *sql.Tx, g CodeGroup, width int) (int, error) {
	var max int
	err := tx.QueryRowContext(ctx, `SELECT coalesce(max(serial), 0) FROM archive_items
		WHERE fonds = ? AND class_code = ? AND year = ? AND retention = ? AND org_code = ?`,
		g.Fonds, g.Class, g.Year, g.Retention, g.Org).Scan(&max)
	if err != nil {
		return 0, fmt.Errorf("next serial: %w", err)
	}
	limit := 1
	for i := 0; i < width; i++ {
		limit *= 10
	}
	if max+1 >= limit {
		return 0, Errorf(ECONFLICT, "%s 组的件号已用到 %d，%d 位件号已用完。请在系统设置中加大件号位数",
			g, max, width)
	}
	return max + 1, nil
}

func itemChanges(old *Item, in ItemInput, customer string) []Change {
	var c []Change
	c = diff(c, "题名", old.Title, in.Title)
	c = diff(c, "责任者", old.Author, in.Author)
	c = diff(c, "文号", old.DocNo, in.DocNo)
	c = diff(c, "日期", old.Date, in.Date)
	c = diff(c, "页数", itoaOrEmpty(old.Pages), itoaOrEmpty(in.Pages))
	c = diff(c, "密级", old.Secrecy, in.Secrecy)
	c = diff(c, "关联客户", old.Customer, customer)
	c = diff(c, "载体", old.Carrier, in.Carrier)
	c = diff(c, "存放位置", old.Location, in.Location)
	c = diff(c, "备注", old.Remarks, in.Remarks)
	return c
}

func itoaOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// CreateItem registers an item and assigns its 档号: the next 件号 of its
// group (全宗, 门类, 年度, 保管期限, 机构), without gaps. Operators register
// items of their department subtree only; a frozen or closed customer gets
// no new items.
func (s *Store) CreateItem(ctx context.Context, actor *User, in ItemInput) (*Item, error) {
	in, err := in.normalize()
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		var err error
		id, err = s.createItem(ctx, tx, a, sc, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return itemByID(ctx, s.db, id)
}

// createItem registers a normalised item inside tx for actor a with scope
// sc and returns its id: the form (CreateItem) and the import share it, so
// both apply the same rules and number items the same way.
func (s *Store) createItem(ctx context.Context, tx *sql.Tx, a *User, sc Scope, in ItemInput) (int64, error) {
	r, err := s.resolveItem(ctx, tx, sc, in)
	if err != nil {
		return 0, err
	}
	if !r.cat.Active {
		return 0, fieldErr("category", "档案类别“%s”已停用，不能登记新档案", r.cat.Label())
	}
	if r.customer, err = requireCustomerOpen(ctx, tx, &sc, in.CustomerID); err != nil {
		return 0, err
	}
	serial, err := nextSerial(ctx, tx, r.group, r.width)
	if err != nil {
		return 0, err
	}
	code := r.pattern.Format(r.group, serial, r.width)
	now := s.nowText()
	res, err := tx.ExecContext(ctx, `INSERT INTO archive_items (category_id, class_id, fonds, class_code,
		year, retention, org_code, serial, code, sort_key, dept_id, title, author, doc_no, doc_date, pages,
		secrecy, customer_id, carrier, location, remarks, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.cat.ID, r.cat.ParentID, r.group.Fonds, r.group.Class, r.group.Year, r.group.Retention,
		r.group.Org, serial, code, r.pattern.SortKey(r.group, serial), in.DeptID, in.Title, in.Author,
		in.DocNo, in.Date, in.Pages, in.Secrecy, nullID(in.CustomerID), in.Carrier, in.Location,
		in.Remarks, a.ID, now, now)
	if err != nil {
		return 0, fmt.Errorf("insert item: %w", err)
	}
	id, _ := res.LastInsertId()
	changes := append([]Change{{Field: "档号", New: code}, {Field: "类别", New: r.cat.Label()}},
		itemChanges(&Item{}, in, r.customer)...)
	return id, s.writeAudit(ctx, tx, a, "", auditRecord{
		Entity: EntityItem, EntityID: code, Action: ActionCreate,
		Summary: "登记档案 " + code + " " + in.Title, Changes: changes,
	})
}

// UpdateItem changes an item. When its group changes (门类, 年度, 保管期限
// or 部门) it gets the next 件号 of the new group, unless its 档号 is fixed
// (boxed or printed): then the change is refused.
func (s *Store) UpdateItem(ctx context.Context, actor *User, id int64, in ItemInput) (*Item, error) {
	in, err := in.normalize()
	if err != nil {
		return nil, err
	}
	err = s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		old, err := liveItemInScope(ctx, tx, sc, id, "修改")
		if err != nil {
			return err
		}
		r, err := s.resolveItem(ctx, tx, sc, in)
		if err != nil {
			return err
		}
		r.customer = old.Customer
		if in.CustomerID != old.CustomerID {
			if r.customer, err = requireCustomerOpen(ctx, tx, &sc, in.CustomerID); err != nil {
				return err
			}
		}
		code, serial, sortKey := old.Code, old.Serial, old.SortKey
		if r.group != old.Group {
			if old.CodeFixed || old.Boxed() {
				return fieldErr("code", "档号“%s”已固定（已装盒或已打印），不能再修改门类、年度、保管期限或所属部门（机构代码）", old.Code)
			}
			if serial, err = nextSerial(ctx, tx, r.group, r.width); err != nil {
				return err
			}
			code, sortKey = r.pattern.Format(r.group, serial, r.width), r.pattern.SortKey(r.group, serial)
		}
		changes := []Change{}
		changes = diff(changes, "档号", old.Code, code)
		changes = diff(changes, "类别", old.Category, r.cat.Label())
		changes = diff(changes, "部门", old.DeptName, deptNameOf(ctx, tx, in.DeptID))
		changes = append(changes, itemChanges(old, in, r.customer)...)
		if len(changes) == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE archive_items SET category_id = ?, class_id = ?, fonds = ?,
			class_code = ?, year = ?, retention = ?, org_code = ?, serial = ?, code = ?, sort_key = ?, dept_id = ?,
			title = ?, author = ?, doc_no = ?, doc_date = ?, pages = ?, secrecy = ?, customer_id = ?, carrier = ?,
			location = ?, remarks = ?, updated_at = ? WHERE id = ?`,
			r.cat.ID, r.cat.ParentID, r.group.Fonds, r.group.Class, r.group.Year, r.group.Retention, r.group.Org,
			serial, code, sortKey, in.DeptID, in.Title, in.Author, in.DocNo, in.Date, in.Pages, in.Secrecy,
			nullID(in.CustomerID), in.Carrier, in.Location, in.Remarks, s.nowText(), id)
		if err != nil {
			return fmt.Errorf("update item: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityItem, EntityID: code, Action: ActionUpdate,
			Summary: "修改档案 " + code, Changes: changes,
		})
	})
	if err != nil {
		return nil, err
	}
	return itemByID(ctx, s.db, id)
}

func deptNameOf(ctx context.Context, q queryer, id int64) string {
	var name string
	q.QueryRowContext(ctx, `SELECT name FROM departments WHERE id = ?`, id).Scan(&name)
	return name
}

// DeleteItem removes an item registered by mistake: only an unboxed item
// whose 档号 is not fixed and that has no attachments. The gap it leaves is
// closed by Renumber.
func (s *Store) DeleteItem(ctx context.Context, actor *User, id int64) error {
	return s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		it, err := itemInScope(ctx, tx, sc, id, "删除")
		if err != nil {
			return err
		}
		switch {
		case it.Boxed() || it.CodeFixed:
			return Errorf(ECONFLICT, "档案 %s 已装盒或已打印，档号已固定，不能删除", it.Code)
		case it.Attachments > 0:
			return Errorf(ECONFLICT, "档案 %s 还有 %d 个附件，请先删除附件", it.Code, it.Attachments)
		case it.Status != StatusIn:
			return Errorf(ECONFLICT, "档案 %s 状态为“%s”，不能删除", it.Code, StatusLabel(it.Status))
		}
		blockers, err := referrers(ctx, tx, EntityItem, id)
		if err != nil {
			return err
		}
		if len(blockers) > 0 {
			return Errorf(ECONFLICT, "档案 %s 已有%s，记录须保留，不能删除", it.Code, strings.Join(blockers, "、"))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM archive_items WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete item: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityItem, EntityID: it.Code, Action: ActionDelete,
			Summary: "删除档案 " + it.Code + " " + it.Title,
			Changes: []Change{{Field: "题名", Old: it.Title}},
		})
	})
}

package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// The bulk path of customer and item imports. It applies the rules of the
// forms' createCustomer and createItem — the same validators, messages and
// code assignment, the same rows and audit entries — but works out what
// does not change during an import once (categories, departments, scope,
// archive settings, the code counters) and reuses prepared statements
// across rows. The per-row trigger that fills the items' search index is
// set aside for the import and the new rows are indexed in one statement
// at the end, inside the same transaction (see itemBulk.finish). The
// equivalence with the forms is tested in import_bulk_test.go.

// bulkAudit writes per-record audit entries through one prepared
// statement, exactly as writeAudit does.
type bulkAudit struct {
	s  *Store
	a  *User
	st *sql.Stmt
}

func newBulkAudit(ctx context.Context, tx *sql.Tx, s *Store, a *User) (*bulkAudit, error) {
	st, err := tx.PrepareContext(ctx, auditInsertSQL)
	if err != nil {
		return nil, fmt.Errorf("prepare audit: %w", err)
	}
	return &bulkAudit{s: s, a: a, st: st}, nil
}

func (w *bulkAudit) write(ctx context.Context, r auditRecord) error {
	changes, err := r.changesJSON()
	if err != nil {
		return err
	}
	_, err = w.st.ExecContext(ctx, w.s.nowText(), sql.NullInt64{Int64: w.a.ID, Valid: true}, w.a.Username,
		r.Entity, r.EntityID, r.Action, r.Summary, changes)
	if err != nil {
		return fmt.Errorf("write audit: %w", err)
	}
	return nil
}

// memo caches the result of a lookup that cannot change during the
// import's transaction.
type memo[K comparable, V any] struct {
	m map[K]memoEntry[V]
}

type memoEntry[V any] struct {
	v   V
	err error
}

func (c *memo[K, V]) get(k K, f func() (V, error)) (V, error) {
	if c.m == nil {
		c.m = map[K]memoEntry[V]{}
	}
	if e, ok := c.m[k]; ok {
		return e.v, e.err
	}
	v, err := f()
	if ErrorCode(err) == EINTERNAL && err != nil {
		return v, err // not cached: the import stops on it anyway
	}
	c.m[k] = memoEntry[V]{v, err}
	return v, err
}

// customerBulk creates customers as createCustomer does.
type customerBulk struct {
	s     *Store
	a     *User
	sc    Scope
	audit *bulkAudit

	dicts  memo[string, string]
	cats   memo[int64, *CustomerCategory]
	depts  memo[int64, *Department]
	users  memo[int64, *User]
	serial map[int64]*codeCounter // customer category id → counter

	nameDup, creditDup, codeTaken, insert, search *sql.Stmt
	known                                         *knownCustomers
}

// knownCustomers is what the customers table held when the import began,
// read once so that the duplicate checks and the taken codes are looked up
// in memory instead of three queries a row. Rows the import adds need no
// entry: the importer refuses duplicates inside the file first, and the
// codes it assigns only go up.
type knownCustomers struct {
	names, credits map[string][2]string // name key / credit code → code, name
	codes          map[string]bool
}

// knownCustomersLimit bounds the table read into memory (about 100 bytes
// a customer); above it the prepared statements are used instead.
const knownCustomersLimit = 300_000

func loadKnownCustomers(ctx context.Context, tx *sql.Tx) (*knownCustomers, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&n); err != nil {
		return nil, fmt.Errorf("count customers: %w", err)
	}
	if n > knownCustomersLimit {
		return nil, nil
	}
	k := &knownCustomers{names: make(map[string][2]string, n), credits: map[string][2]string{}, codes: make(map[string]bool, n)}
	rows, err := tx.QueryContext(ctx, `SELECT code, name, coalesce(name_key, ''), coalesce(credit_code, '') FROM customers`)
	if err != nil {
		return nil, fmt.Errorf("read customers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, name, key, credit string
		if err := rows.Scan(&code, &name, &key, &credit); err != nil {
			return nil, fmt.Errorf("read customers: %w", err)
		}
		if key != "" { // NULL never equals a name key
			k.names[key] = [2]string{code, name}
		}
		if credit != "" {
			k.credits[credit] = [2]string{code, name}
		}
		k.codes[code] = true
	}
	return k, rows.Err()
}

// codeCounter is a customer category's last_serial, advanced in memory and
// written back once at the end.
type codeCounter struct {
	code   string
	serial int
}

var customerInsertCols = func() []string {
	cols := []string{"code", "name", "name_key", "kind", "status", "category_id", "dept_id", "salesman_id",
		"mnemonic", "credit_code", "created_by", "created_at", "updated_at", "pinyin_keys", "search_short"}
	for _, f := range cardFields {
		cols = append(cols, f.col)
	}
	return cols
}()

func newCustomerBulk(ctx context.Context, tx *sql.Tx, s *Store, a *User, sc Scope) (*customerBulk, error) {
	b := &customerBulk{s: s, a: a, sc: sc, serial: map[int64]*codeCounter{}}
	var err error
	if b.audit, err = newBulkAudit(ctx, tx, s, a); err != nil {
		return nil, err
	}
	// The search texts are staged in a temporary table and go into the
	// trigram index in one statement at the end: FTS5 builds its segments
	// far faster from one INSERT…SELECT than row by row (8.5 s against
	// about 2 s of a 100,000-customer import here).
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS import_customer_search
		(id INTEGER PRIMARY KEY, text TEXT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("stage search: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.import_customer_search`); err != nil {
		return nil, fmt.Errorf("stage search: %w", err)
	}
	if b.known, err = loadKnownCustomers(ctx, tx); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		st **sql.Stmt
		q  string
	}{
		{&b.nameDup, `SELECT code, name FROM customers WHERE name_key = ? AND id != ?`},
		{&b.creditDup, `SELECT code, name FROM customers WHERE credit_code = ? AND id != ?`},
		{&b.codeTaken, `SELECT count(*) FROM customers WHERE code = ?`},
		{&b.insert, `INSERT INTO customers (` + strings.Join(customerInsertCols, ", ") + `) VALUES (` +
			strings.TrimSuffix(strings.Repeat("?, ", len(customerInsertCols)), ", ") + `)`},
		{&b.search, `INSERT INTO temp.import_customer_search (id, text) VALUES (?, ?)`},
	} {
		if *p.st, err = tx.PrepareContext(ctx, p.q); err != nil {
			return nil, fmt.Errorf("prepare: %w", err)
		}
	}
	return b, nil
}

// checkCard is Store.checkCard for a new card, with the lookups cached and
// the duplicate checks on prepared statements; the messages are the same.
// The importer has run c.Validate already (it needs the cleaned name for
// the duplicates in the file); Validate gives the same card when run
// again, so it is not.
func (b *customerBulk) checkCard(ctx context.Context, tx *sql.Tx, c *Customer) error {
	for _, f := range cardFields {
		if f.kind != kDict {
			continue
		}
		p := f.ptr(c)
		v, err := b.dicts.get(f.col+"\x00"+*p, func() (string, error) {
			return checkDictValue(ctx, tx, f.col, f.dict, *p, "")
		})
		if err != nil {
			return err
		}
		*p = v
	}
	k, err := b.cats.get(c.CategoryID, func() (*CustomerCategory, error) { return customerCategoryByID(ctx, tx, c.CategoryID) })
	if err != nil {
		return fieldErr("category", "客户分类不存在，请重新选择")
	}
	c.CategoryCode, c.CategoryName = k.Code, k.Name
	c.DeptCode, c.DeptName, c.SalesmanName = "", "", ""
	if c.DeptID == 0 && !b.sc.All {
		return fieldErr("dept", "请选择所属部门")
	}
	if c.DeptID != 0 {
		d, err := b.depts.get(c.DeptID, func() (*Department, error) { return b.s.departmentByID(ctx, tx, c.DeptID) })
		if err != nil {
			return fieldErr("dept", "所属部门不存在，请重新选择")
		}
		if !b.sc.Contains(c.DeptID) {
			return &Error{Code: EFORBIDDEN, Field: "dept", Message: fmt.Sprintf(
				"部门“%s %s”不在你的范围内：你只能把客户放在本部门及下级部门", d.Code, d.Name)}
		}
		c.DeptCode, c.DeptName = d.Code, d.Name
	}
	if c.SalesmanID != 0 {
		u, err := b.users.get(c.SalesmanID, func() (*User, error) { return b.s.userByID(ctx, tx, c.SalesmanID) })
		if err != nil {
			return fieldErr("salesman", "负责业务员不存在，请重新选择")
		}
		c.SalesmanName = u.DisplayName
	}
	dupName := func(code, name string) error {
		return fieldErr("name", "客户名称“%s”已被使用：已有客户“%s”（编码 %s）", c.Name, name, code)
	}
	dupCredit := func(code, name string) error {
		return fieldErr("credit_code", "统一社会信用代码“%s”已登记在客户“%s”（编码 %s）名下", c.CreditCode, name, code)
	}
	if b.known != nil {
		if v, ok := b.known.names[NameKey(c.Name)]; ok {
			return dupName(v[0], v[1])
		}
		if v, ok := b.known.credits[c.CreditCode]; ok && c.CreditCode != "" {
			return dupCredit(v[0], v[1])
		}
		return nil
	}
	var code, name string
	err = b.nameDup.QueryRowContext(ctx, NameKey(c.Name), c.ID).Scan(&code, &name)
	if err == nil {
		return dupName(code, name)
	} else if err != sql.ErrNoRows {
		return err
	}
	if c.CreditCode != "" {
		err := b.creditDup.QueryRowContext(ctx, c.CreditCode, c.ID).Scan(&code, &name)
		if err == nil {
			return dupCredit(code, name)
		} else if err != sql.ErrNoRows {
			return err
		}
	}
	return nil
}

// nextCode is nextCustomerCode with the category's counter kept in memory.
func (b *customerBulk) nextCode(ctx context.Context, tx *sql.Tx, categoryID int64) (string, error) {
	k := b.serial[categoryID]
	if k == nil {
		k = &codeCounter{}
		err := tx.QueryRowContext(ctx, `SELECT code, last_serial FROM customer_categories WHERE id = ?`, categoryID).
			Scan(&k.code, &k.serial)
		if err == sql.ErrNoRows {
			return "", fieldErr("category", "请选择客户分类")
		} else if err != nil {
			return "", fmt.Errorf("next customer serial: %w", err)
		}
		b.serial[categoryID] = k
	}
	k.serial++
	if k.serial > 9999 {
		return "", fieldErr("category", "客户分类“%s”下的 9999 个客户编码已用完，请新建下级分类", k.code)
	}
	return fmt.Sprintf("%s%04d", k.code, k.serial), nil
}

// create is createCustomer for a card that has passed c.Validate; py is
// pinyinOf(c.Name, c.ShortName), worked out ahead.
func (b *customerBulk) create(ctx context.Context, tx *sql.Tx, c *Customer, py *searchPinyin) error {
	c.ID, c.Status = 0, CustomerNormal
	var err error
	if c.CreatedOn == "" {
		c.CreatedOn = b.s.now().Local().Format("2006-01-02")
	}
	if err := b.checkCard(ctx, tx, c); err != nil {
		return err
	}
	for {
		if c.Code, err = b.nextCode(ctx, tx, c.CategoryID); err != nil {
			return err
		}
		if b.known != nil {
			if !b.known.codes[c.Code] {
				break
			}
			continue
		}
		var n int
		if err := b.codeTaken.QueryRowContext(ctx, c.Code).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	c.CreatedBy = b.a.Username
	now := b.s.nowText()
	// The search columns as indexCustomer computes them from the stored row.
	r := searchRow{code: c.Code, name: c.Name, short: c.ShortName, mnemonic: c.Mnemonic, credit: c.CreditCode,
		phone: c.Phone, mobile: c.Mobile}
	keys, short, full := r.textsWith(*py)
	args := []any{c.Code, c.Name, NameKey(c.Name), c.Kind, c.Status, c.CategoryID, nullID(c.DeptID), nullID(c.SalesmanID),
		c.Mnemonic, c.CreditCode, c.CreatedBy, now, now, keys, short}
	for _, f := range cardFields {
		args = append(args, f.dbValue(c))
	}
	res, err := b.insert.ExecContext(ctx, args...)
	if isUniqueViolation(err) {
		return fieldErr("name", "客户名称或统一社会信用代码已被使用，请核对")
	} else if err != nil {
		return fmt.Errorf("insert customer: %w", err)
	}
	c.ID, _ = res.LastInsertId()
	if len(c.Contacts) > 0 || len(c.BankAccounts) > 0 {
		if err := writeSubLists(ctx, tx, c); err != nil {
			return err
		}
	}
	if _, err := b.search.ExecContext(ctx, c.ID, full); err != nil {
		return fmt.Errorf("index customer: %w", err)
	}
	var changes []Change
	changes = diff(changes, "客户名称", "", c.Name)
	changes = append(changes, cardChanges(&Customer{}, c)...)
	return b.audit.write(ctx, auditRecord{
		Entity: EntityCustomer, EntityID: c.Code, Action: ActionCreate,
		Summary: "新建客户 " + c.Code + " " + c.Name, Changes: changes,
	})
}

// finish indexes the staged search texts and writes the advanced code
// counters back.
func (b *customerBulk) finish(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO customer_search (rowid, text)
		SELECT id, text FROM temp.import_customer_search ORDER BY id`); err != nil {
		return fmt.Errorf("index customers: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.import_customer_search`); err != nil {
		return fmt.Errorf("index customers: %w", err)
	}
	for id, k := range b.serial {
		if _, err := tx.ExecContext(ctx, `UPDATE customer_categories SET last_serial = ? WHERE id = ?`, k.serial, id); err != nil {
			return fmt.Errorf("customer serial: %w", err)
		}
	}
	return nil
}

// itemBulk registers items as createItem does.
type itemBulk struct {
	s     *Store
	a     *User
	sc    Scope
	audit *bulkAudit

	resolved  memo[resolveKey, *resolved]
	customers memo[int64, string]
	serial    map[CodeGroup]int // last 件号 given in each group
	insert    *sql.Stmt

	ftsTrigger string // the index trigger set aside during the import
	firstID    int64  // the first new item's id
}

type resolveKey struct {
	dept, cat int64
	year      int
	retention string
}

const itemFTSTrigger = "archive_items_fts_insert"

func newItemBulk(ctx context.Context, tx *sql.Tx, s *Store, a *User, sc Scope) (*itemBulk, error) {
	b := &itemBulk{s: s, a: a, sc: sc, serial: map[CodeGroup]int{}}
	var err error
	if b.audit, err = newBulkAudit(ctx, tx, s, a); err != nil {
		return nil, err
	}
	if b.insert, err = tx.PrepareContext(ctx, `INSERT INTO archive_items (category_id, class_id, fonds, class_code,
		year, retention, org_code, serial, code, sort_key, dept_id, title, author, doc_no, doc_date, pages,
		secrecy, customer_id, carrier, location, remarks, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	// Set the search index trigger aside; finish indexes the new rows in
	// one statement and puts the trigger back as it was. A rollback
	// restores it too.
	err = tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`, itemFTSTrigger).
		Scan(&b.ftsTrigger)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", itemFTSTrigger, err)
	}
	if _, err := tx.ExecContext(ctx, `DROP TRIGGER `+itemFTSTrigger); err != nil {
		return nil, fmt.Errorf("drop %s: %w", itemFTSTrigger, err)
	}
	return b, nil
}

// create is createItem for a normalised input.
func (b *itemBulk) create(ctx context.Context, tx *sql.Tx, in ItemInput) error {
	rp, err := b.resolved.get(resolveKey{in.DeptID, in.CategoryID, in.Year, in.Retention}, func() (*resolved, error) {
		return b.s.resolveItem(ctx, tx, b.sc, in)
	})
	if err != nil {
		return err
	}
	r := *rp
	if !r.cat.Active {
		return fieldErr("category", "档案类别“%s”已停用，不能登记新档案", r.cat.Label())
	}
	if r.customer, err = b.customers.get(in.CustomerID, func() (string, error) {
		return requireCustomerOpen(ctx, tx, &b.sc, in.CustomerID)
	}); err != nil {
		return err
	}
	serial, ok := b.serial[r.group]
	if ok && serial+1 < pow10(r.width) {
		serial++
	} else if serial, err = nextSerial(ctx, tx, r.group, r.width); err != nil {
		return err // the group's rows are all in the table: nextSerial reads the true maximum
	}
	b.serial[r.group] = serial
	code := r.pattern.Format(r.group, serial, r.width)
	now := b.s.nowText()
	res, err := b.insert.ExecContext(ctx, r.cat.ID, r.cat.ParentID, r.group.Fonds, r.group.Class, r.group.Year,
		r.group.Retention, r.group.Org, serial, code, r.pattern.SortKey(r.group, serial), in.DeptID, in.Title,
		in.Author, in.DocNo, in.Date, in.Pages, in.Secrecy, nullID(in.CustomerID), in.Carrier, in.Location,
		in.Remarks, b.a.ID, now, now)
	if err != nil {
		return fmt.Errorf("insert item: %w", err)
	}
	if b.firstID == 0 {
		b.firstID, _ = res.LastInsertId()
	}
	changes := append([]Change{{Field: "档号", New: code}, {Field: "类别", New: r.cat.Label()}},
		itemChanges(&Item{}, in, r.customer)...)
	return b.audit.write(ctx, auditRecord{
		Entity: EntityItem, EntityID: code, Action: ActionCreate,
		Summary: "登记档案 " + code + " " + in.Title, Changes: changes,
	})
}

// finish indexes the new items as the trigger would have, row for row, and
// restores the trigger.
func (b *itemBulk) finish(ctx context.Context, tx *sql.Tx) error {
	if b.firstID != 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO archive_items_fts (rowid, title, code, doc_no, author)
			SELECT id, title, code, doc_no, author FROM archive_items WHERE id >= ? ORDER BY id`, b.firstID); err != nil {
			return fmt.Errorf("index items: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, b.ftsTrigger); err != nil {
		return fmt.Errorf("restore %s: %w", itemFTSTrigger, err)
	}
	return nil
}

func pow10(n int) int {
	p := 1
	for i := 0; i < n; i++ {
		p *= 10
	}
	return p
}

package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// customerSelect reads a whole card; the plain fields follow the fixed
// columns in cardFields order.
var customerSelect = func() string {
	cols := []string{`c.id, c.code, c.kind, c.status, coalesce(c.category_id, 0), coalesce(c.dept_id, 0), coalesce(c.salesman_id, 0),
		coalesce(k.code, ''), coalesce(k.name, ''), coalesce(d.code, ''), coalesce(d.name, ''), coalesce(u.display_name, ''),
		c.name, c.mnemonic, c.created_by, c.freeze_reason, c.credit_code, c.last_comm_on, c.next_follow_up,
		c.created_at, c.updated_at`}
	for _, f := range cardFields {
		cols = append(cols, f.selectExpr())
	}
	return `SELECT ` + strings.Join(cols, ", ") + ` FROM customers c
		LEFT JOIN customer_categories k ON k.id = c.category_id
		LEFT JOIN departments d ON d.id = c.dept_id
		LEFT JOIN users u ON u.id = c.salesman_id `
}()

func scanCustomer(sc interface{ Scan(...any) error }) (*Customer, error) {
	var c Customer
	var created, updated string
	dst := []any{&c.ID, &c.Code, &c.Kind, &c.Status, &c.CategoryID, &c.DeptID, &c.SalesmanID,
		&c.CategoryCode, &c.CategoryName, &c.DeptCode, &c.DeptName, &c.SalesmanName,
		&c.Name, &c.Mnemonic, &c.CreatedBy, &c.FreezeReason, &c.CreditCode, &c.LastCommOn, &c.NextFollowUp,
		&created, &updated}
	for _, f := range cardFields {
		dst = append(dst, f.ptr(&c))
	}
	if err := sc.Scan(dst...); err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt = parseTime(created), parseTime(updated)
	return &c, nil
}

// customerByID reads a card with its contacts and bank accounts.
func customerByID(ctx context.Context, q queryer, id int64) (*Customer, error) {
	c, err := scanCustomer(q.QueryRowContext(ctx, customerSelect+`WHERE c.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "客户不存在，可能已被删除")
	}
	rows, err := q.QueryContext(ctx, `SELECT id, name, title, mobile, phone, email, birthday, is_primary, remark
		FROM customer_contacts WHERE customer_id = ? ORDER BY seq, id`, id)
	if err != nil {
		return nil, fmt.Errorf("read contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ct Contact
		if err := rows.Scan(&ct.ID, &ct.Name, &ct.Title, &ct.Mobile, &ct.Phone, &ct.Email, &ct.Birthday,
			&ct.Primary, &ct.Remark); err != nil {
			return nil, err
		}
		c.Contacts = append(c.Contacts, ct)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	brows, err := q.QueryContext(ctx, `SELECT id, bank, account_name, account_no, is_primary
		FROM customer_bank_accounts WHERE customer_id = ? ORDER BY seq, id`, id)
	if err != nil {
		return nil, fmt.Errorf("read bank accounts: %w", err)
	}
	defer brows.Close()
	for brows.Next() {
		var b BankAccount
		if err := brows.Scan(&b.ID, &b.Bank, &b.AccountName, &b.AccountNo, &b.Primary); err != nil {
			return nil, err
		}
		c.BankAccounts = append(c.BankAccounts, b)
	}
	return c, brows.Err()
}

// Customer returns one card, if the actor may see it.
func (s *Store) Customer(ctx context.Context, actor *User, id int64) (*Customer, error) {
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return nil, err
	}
	return customerInScope(ctx, s.db, sc, id)
}

// CustomerByCode returns the card with the given code, if the actor may
// see it.
func (s *Store) CustomerByCode(ctx context.Context, actor *User, code string) (*Customer, error) {
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT id FROM customers WHERE code = ?`, strings.TrimSpace(code)).Scan(&id); err != nil {
		return nil, notFound(err, fmt.Sprintf("客户编码“%s”不存在", code))
	}
	return s.Customer(ctx, actor, id)
}

// checkScope refuses a card outside the actor's departments.
func checkScope(sc Scope, c *Customer) error {
	if sc.All || (c.DeptID != 0 && sc.Contains(c.DeptID)) {
		return nil
	}
	return Errorf(EFORBIDDEN, "客户“%s %s”属于%s，不在你的部门范围内：你只能查看和编辑本部门及下级部门的客户",
		c.Code, c.Name, orText(deptText2(c.DeptCode, c.DeptName), "其他部门"))
}

func deptText2(code, name string) string {
	if code == "" {
		return ""
	}
	return "部门 " + code + " " + name
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// requireEditable refuses changes to a frozen or closed card.
func requireEditable(c *Customer) error {
	switch c.Status {
	case CustomerFrozen:
		return Errorf(ECONFLICT, "客户“%s %s”已冻结（原因：%s），只能查看；请先解冻再修改", c.Code, c.Name, orText(c.FreezeReason, "未填写"))
	case CustomerClosed:
		return Errorf(ECONFLICT, "客户“%s %s”已注销，只能查看", c.Code, c.Name)
	}
	return nil
}

// requireCustomerOpen refuses a new record (an archive item, a loan) for
// customer id when that customer is missing, frozen or closed or, when sc
// is not nil, outside scope sc; it returns the customer's code and name,
// or "" when id is 0 (no customer). The archive register and loans call it
// inside their transactions; the errors name the field "customer".
func requireCustomerOpen(ctx context.Context, q queryer, sc *Scope, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	var code, name, status, reason string
	var dept int64
	err := q.QueryRowContext(ctx, `SELECT code, name, status, freeze_reason, coalesce(dept_id, 0) FROM customers WHERE id = ?`, id).
		Scan(&code, &name, &status, &reason, &dept)
	if err == sql.ErrNoRows {
		return "", fieldErr("customer", "所选客户不存在（可能已被删除），请重新选择")
	} else if err != nil {
		return "", err
	}
	switch {
	case sc != nil && dept != 0 && !sc.Contains(dept):
		return "", fieldErr("customer", "客户“%s %s”不属于您的部门，不能关联", code, name)
	case status == CustomerFrozen:
		return "", fieldErr("customer", "客户“%s %s”已冻结（原因：%s），解冻前不能新增档案或借阅", code, name, orText(reason, "未填写"))
	case status == CustomerClosed:
		return "", fieldErr("customer", "客户“%s %s”已注销，不能新增档案或借阅", code, name)
	}
	return code + " " + name, nil
}

// checkCard runs the checks that need the database: dictionaries, the
// category, department and salesman, scope, and unique name and credit
// code. old is the stored card, or nil for a new one.
func (s *Store) checkCard(ctx context.Context, tx *sql.Tx, sc Scope, c, old *Customer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	for _, f := range cardFields {
		if f.kind == kDict {
			if err := f.check(ctx, tx, c, old); err != nil {
				return err
			}
		}
	}
	k, err := customerCategoryByID(ctx, tx, c.CategoryID)
	if err != nil {
		return fieldErr("category", "客户分类不存在，请重新选择")
	}
	c.CategoryCode, c.CategoryName = k.Code, k.Name
	c.DeptCode, c.DeptName, c.SalesmanName = "", "", ""
	if c.DeptID == 0 && !sc.All {
		return fieldErr("dept", "请选择所属部门")
	}
	if c.DeptID != 0 {
		d, err := s.departmentByID(ctx, tx, c.DeptID)
		if err != nil {
			return fieldErr("dept", "所属部门不存在，请重新选择")
		}
		if !sc.Contains(c.DeptID) {
			return &Error{Code: EFORBIDDEN, Field: "dept", Message: fmt.Sprintf(
				"部门“%s %s”不在你的范围内：你只能把客户放在本部门及下级部门", d.Code, d.Name)}
		}
		c.DeptCode, c.DeptName = d.Code, d.Name
	}
	if c.SalesmanID != 0 {
		u, err := s.userByID(ctx, tx, c.SalesmanID)
		if err != nil {
			return fieldErr("salesman", "负责业务员不存在，请重新选择")
		}
		c.SalesmanName = u.DisplayName
	}
	var code, name string
	err = tx.QueryRowContext(ctx, `SELECT code, name FROM customers WHERE name_key = ? AND id != ?`,
		NameKey(c.Name), c.ID).Scan(&code, &name)
	if err == nil {
		return fieldErr("name", "客户名称“%s”已被使用：已有客户“%s”（编码 %s）", c.Name, name, code)
	} else if err != sql.ErrNoRows {
		return err
	}
	if c.CreditCode != "" {
		err := tx.QueryRowContext(ctx, `SELECT code, name FROM customers WHERE credit_code = ? AND id != ?`,
			c.CreditCode, c.ID).Scan(&code, &name)
		if err == nil {
			return fieldErr("credit_code", "统一社会信用代码“%s”已登记在客户“%s”（编码 %s）名下", c.CreditCode, name, code)
		} else if err != sql.ErrNoRows {
			return err
		}
	}
	return nil
}

// CreateCustomer saves a new card with its contacts and bank accounts and
// assigns its code. Operators create customers of their own departments.
func (s *Store) CreateCustomer(ctx context.Context, actor *User, in Customer) (*Customer, error) {
	c := in
	c.ID, c.Status = 0, CustomerNormal
	var id int64
	err := s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		if err := s.createCustomer(ctx, tx, a, sc, &c); err != nil {
			return err
		}
		id = c.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return customerByID(ctx, s.db, id)
}

// createCustomer checks and inserts a new card inside tx for actor a with
// scope sc: the form (CreateCustomer) and the import share it, so both apply
// the same rules and assign codes the same way. On success c holds the
// stored card's ID and code.
func (s *Store) createCustomer(ctx context.Context, tx *sql.Tx, a *User, sc Scope, c *Customer) error {
	c.ID, c.Status = 0, CustomerNormal
	var err error
	if c.CreatedOn == "" {
		c.CreatedOn = s.now().Local().Format("2006-01-02")
	}
	if err := s.checkCard(ctx, tx, sc, c, nil); err != nil {
		return err
	}
	for {
		if c.Code, err = nextCustomerCode(ctx, tx, c.CategoryID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE code = ?`, c.Code).Scan(&n); err != nil {
			return err
		}
		if n == 0 { // a code taken outside the counter (an import) is skipped
			break
		}
	}
	c.CreatedBy = a.Username
	now := s.nowText()
	cols := []string{"code", "name", "name_key", "kind", "status", "category_id", "dept_id", "salesman_id",
		"mnemonic", "credit_code", "created_by", "created_at", "updated_at"}
	args := []any{c.Code, c.Name, NameKey(c.Name), c.Kind, c.Status, c.CategoryID, nullID(c.DeptID), nullID(c.SalesmanID),
		c.Mnemonic, c.CreditCode, c.CreatedBy, now, now}
	for _, f := range cardFields {
		cols, args = append(cols, f.col), append(args, f.dbValue(c))
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO customers (`+strings.Join(cols, ", ")+`) VALUES (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")+`)`, args...)
	if isUniqueViolation(err) {
		return fieldErr("name", "客户名称或统一社会信用代码已被使用，请核对")
	} else if err != nil {
		return fmt.Errorf("insert customer: %w", err)
	}
	c.ID, _ = res.LastInsertId()
	if err := writeSubLists(ctx, tx, c); err != nil {
		return err
	}
	if err := indexCustomer(ctx, tx, c.ID); err != nil {
		return err
	}
	var changes []Change
	changes = diff(changes, "客户名称", "", c.Name)
	changes = append(changes, cardChanges(&Customer{}, c)...)
	return s.writeAudit(ctx, tx, a, "", auditRecord{
		Entity: EntityCustomer, EntityID: c.Code, Action: ActionCreate,
		Summary: "新建客户 " + c.Code + " " + c.Name, Changes: changes,
	})
}

// UpdateCustomer saves a changed card, its contacts and bank accounts. The
// code never changes; a new name is kept in the rename history. Frozen and
// closed cards are refused.
func (s *Store) UpdateCustomer(ctx context.Context, actor *User, in Customer) (*Customer, error) {
	c := in
	err := s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		old, err := editableCustomer(ctx, tx, sc, c.ID)
		if err != nil {
			return err
		}
		c.Code, c.Status, c.CreatedBy, c.FreezeReason = old.Code, old.Status, old.CreatedBy, old.FreezeReason
		if err := s.checkCard(ctx, tx, sc, &c, old); err != nil {
			return err
		}
		changes := diff(nil, "客户名称", old.Name, c.Name)
		changes = append(changes, cardChanges(old, &c)...)
		if len(changes) == 0 {
			return nil // nothing changed: nothing written
		}
		now := s.nowText()
		sets := []string{"name = ?", "name_key = ?", "kind = ?", "category_id = ?", "dept_id = ?", "salesman_id = ?",
			"mnemonic = ?", "credit_code = ?", "updated_at = ?"}
		args := []any{c.Name, NameKey(c.Name), c.Kind, c.CategoryID, nullID(c.DeptID), nullID(c.SalesmanID),
			c.Mnemonic, c.CreditCode, now}
		for _, f := range cardFields {
			sets, args = append(sets, f.col+" = ?"), append(args, f.dbValue(&c))
		}
		_, err = tx.ExecContext(ctx, `UPDATE customers SET `+strings.Join(sets, ", ")+` WHERE id = ?`, append(args, c.ID)...)
		if isUniqueViolation(err) {
			return fieldErr("name", "客户名称或统一社会信用代码已被使用，请核对")
		} else if err != nil {
			return fmt.Errorf("update customer: %w", err)
		}
		if old.Name != c.Name {
			if _, err := tx.ExecContext(ctx, `INSERT INTO customer_renames (customer_id, old_name, new_name, at, user_name)
				VALUES (?, ?, ?, ?, ?)`, c.ID, old.Name, c.Name, now, a.Username); err != nil {
				return fmt.Errorf("record rename: %w", err)
			}
		}
		if err := writeSubLists(ctx, tx, &c); err != nil {
			return err
		}
		if err := indexCustomer(ctx, tx, c.ID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityCustomer, EntityID: c.Code, Action: ActionUpdate,
			Summary: "修改客户 " + c.Code + " " + c.Name, Changes: changes,
		})
	})
	if err != nil {
		return nil, err
	}
	return customerByID(ctx, s.db, c.ID)
}

// cardChanges lists the changed fields between two versions of a card, for
// the audit log.
func cardChanges(old, c *Customer) []Change {
	var ch []Change
	ch = diff(ch, "类型", kindText(old.Kind), KindLabel(c.Kind))
	ch = diff(ch, "分类", codeName(old.CategoryCode, old.CategoryName), codeName(c.CategoryCode, c.CategoryName))
	ch = diff(ch, "所属部门", codeName(old.DeptCode, old.DeptName), codeName(c.DeptCode, c.DeptName))
	ch = diff(ch, "负责业务员", old.SalesmanName, c.SalesmanName)
	ch = diff(ch, "助记码", old.Mnemonic, c.Mnemonic)
	ch = diff(ch, "统一社会信用代码", old.CreditCode, c.CreditCode)
	for _, f := range cardFields {
		ch = diff(ch, f.label, *f.ptr(old), *f.ptr(c))
	}
	ch = diff(ch, "联系人", contactsText(old.Contacts), contactsText(c.Contacts))
	ch = diff(ch, "银行账户", banksText(old.BankAccounts), banksText(c.BankAccounts))
	return ch
}

func kindText(k string) string {
	if k == "" {
		return ""
	}
	return KindLabel(k)
}

func codeName(code, name string) string {
	if code == "" {
		return ""
	}
	return code + " " + name
}

func contactsText(cs []Contact) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.Name
		if c.Title != "" {
			parts[i] += "/" + c.Title
		}
		if c.Mobile != "" {
			parts[i] += "/" + c.Mobile
		}
		if c.Primary {
			parts[i] += "（主要）"
		}
	}
	return strings.Join(parts, "、")
}

func banksText(bs []BankAccount) string {
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = b.Bank + " " + b.AccountNo
		if b.Primary {
			parts[i] += "（主账户）"
		}
	}
	return strings.Join(parts, "、")
}

// writeSubLists replaces the card's contacts and bank accounts.
func writeSubLists(ctx context.Context, tx *sql.Tx, c *Customer) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM customer_contacts WHERE customer_id = ?`, c.ID); err != nil {
		return fmt.Errorf("clear contacts: %w", err)
	}
	for i, ct := range c.Contacts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO customer_contacts
			(customer_id, seq, name, title, mobile, phone, email, birthday, is_primary, remark)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, i, ct.Name, ct.Title, ct.Mobile, ct.Phone, ct.Email,
			ct.Birthday, ct.Primary, ct.Remark); err != nil {
			return fmt.Errorf("insert contact: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM customer_bank_accounts WHERE customer_id = ?`, c.ID); err != nil {
		return fmt.Errorf("clear bank accounts: %w", err)
	}
	for i, b := range c.BankAccounts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO customer_bank_accounts
			(customer_id, seq, bank, account_name, account_no, is_primary) VALUES (?, ?, ?, ?, ?, ?)`,
			c.ID, i, b.Bank, b.AccountName, b.AccountNo, b.Primary); err != nil {
			return fmt.Errorf("insert bank account: %w", err)
		}
	}
	return nil
}

// DeleteCustomer removes a card that has no archive items, after the user
// confirmed it; a customer with archives can only be closed.
func (s *Store) DeleteCustomer(ctx context.Context, actor *User, id int64) error {
	return s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		c, err := customerInScope(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if c.Status == CustomerFrozen {
			return Errorf(ECONFLICT, "客户“%s %s”已冻结，只能查看，不能删除；请先解冻", c.Code, c.Name)
		}
		blockers, err := referrers(ctx, tx, EntityCustomer, id)
		if err != nil {
			return err
		}
		if len(blockers) > 0 {
			return Errorf(ECONFLICT, "客户“%s %s”不能删除：还有%s。有档案的客户只能注销。",
				c.Code, c.Name, strings.Join(blockers, "、"))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM customer_search WHERE rowid = ?`, id); err != nil {
			return fmt.Errorf("unindex customer: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM customers WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete customer: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityCustomer, EntityID: c.Code, Action: ActionDelete,
			Summary: "删除客户 " + c.Code + " " + c.Name, Changes: []Change{{Field: "客户名称", Old: c.Name}},
		})
	})
}

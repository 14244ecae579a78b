package data

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
)

// ImportContacts is the kind of 联系人 files: each row adds a contact to the
// customer named by 客户编码.
const ImportContacts = "contacts"

func contactImportColumns() []ImportColumn {
	return []ImportColumn{
		{Header: hCustomerCode, Required: true, field: "customer", Example: "010001", Help: "已有客户的客户编码（须先导入客户）"},
		{Header: "姓名", Required: true, field: "contact_name", Example: "张伟", Help: "最多 30 个字"},
		{Header: "职位", field: "contact_title", Example: "采购经理"},
		{Header: "手机", field: "contact_mobile", Example: "13800138000", Help: "11 位手机号"},
		{Header: "电话", field: "contact_phone", Example: "0591-87654321", Help: "带区号"},
		{Header: "邮箱", field: "contact_email", Example: "", Help: "电子邮箱"},
		{Header: "生日", field: "contact_birthday", Date: true, Example: "1985-06-18", Help: "日期"},
		{Header: "主要联系人", field: "contact_primary", Choices: []string{"是", "否"}, Example: "是",
			Help: "是 或 否；每个客户只能有一个主要联系人；客户还没有联系人时第一个为主要联系人"},
		{Header: "备注", field: "contact_remark", Example: "", Help: "最多 200 个字"},
	}
}

// contactImporter adds contacts with the card's own contact rules: the
// customer must be in scope and editable, each contact passes
// Contact.Validate, and a customer keeps one 主要联系人.
type contactImporter struct {
	importBase
	cards   map[string]*Customer // by code, with the contacts added so far
	added   map[string]int
	missing map[string]bool
}

func (m *contactImporter) row(ctx context.Context, tx *sql.Tx, v rowValues) error {
	code := v.get(hCustomerCode)
	if code == "" {
		return fieldErr("customer", "客户编码不能为空")
	}
	c, ok := m.cards[code]
	if !ok {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE code = ?`, code).Scan(&id)
		if err == sql.ErrNoRows {
			m.missing[code] = true
			return fieldErr("customer", "客户编码“%s”不存在：请先导入客户，再导入联系人", code)
		} else if err != nil {
			return err
		}
		if c, err = customerByID(ctx, tx, id); err != nil {
			return err
		}
		if err := checkScope(m.sc, c); err != nil {
			return &Error{Code: EFORBIDDEN, Field: "customer", Message: ErrorMessage(err)}
		}
		if err := requireEditable(c); err != nil {
			return &Error{Code: ECONFLICT, Field: "customer", Message: ErrorMessage(err)}
		}
		m.cards[code] = c
	}
	ct := Contact{Name: v.get("姓名"), Title: v.get("职位"), Mobile: v.get("手机"), Phone: v.get("电话"),
		Email: v.get("邮箱"), Birthday: v.get("生日"), Remark: v.get("备注")}
	switch p := v.get("主要联系人"); p {
	case "是", "Y", "y", "1":
		ct.Primary = true
	case "", "否", "N", "n", "0":
	default:
		return fieldErr("contact_primary", "主要联系人只能填 是 或 否，不是“%s”", p)
	}
	if err := ct.Validate(); err != nil {
		return err
	}
	if ct.Primary {
		for _, o := range c.Contacts {
			if o.Primary {
				return fieldErr("contact_primary", "客户“%s %s”已有主要联系人“%s”：每个客户只能有一个", c.Code, c.Name, o.Name)
			}
		}
	}
	if len(c.Contacts) == 0 {
		ct.Primary = true // as on the card: the first contact is the main one
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO customer_contacts
		(customer_id, seq, name, title, mobile, phone, email, birthday, is_primary, remark)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, len(c.Contacts), ct.Name, ct.Title, ct.Mobile, ct.Phone,
		ct.Email, ct.Birthday, ct.Primary, ct.Remark)
	if err != nil {
		return fmt.Errorf("insert contact: %w", err)
	}
	c.Contacts = append(c.Contacts, ct)
	m.added[code]++
	return nil
}

// finish writes one audit entry per customer whose contacts changed, and
// names missing customers.
func (m *contactImporter) finish(ctx context.Context, tx *sql.Tx, res *ImportResult) error {
	res.Missing = missingCustomers(m.missing, "联系人")
	if res.Failed() {
		return nil
	}
	codes := make([]string, 0, len(m.added))
	for c := range m.added {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, code := range codes {
		c := m.cards[code]
		old := c.Contacts[:len(c.Contacts)-m.added[code]]
		err := m.s.writeAudit(ctx, tx, m.a, "", auditRecord{
			Entity: EntityCustomer, EntityID: c.Code, Action: ActionUpdate,
			Summary: fmt.Sprintf("导入联系人 %d 个：%s %s", m.added[code], c.Code, c.Name),
			Changes: diff(nil, "联系人", contactsText(old), contactsText(c.Contacts)),
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ImportComms is the kind of 沟通纪要 files: each row records a
// communication with the customer named by 客户编码.
const ImportComms = "comms"

func commImportColumns() []ImportColumn {
	const dates = "日期：2026-05-01、2026/5/1、20260501、2026年5月1日 或 Excel 日期"
	return []ImportColumn{
		{Header: hCustomerCode, Required: true, field: "customer", Example: "010001", Help: "已有客户的客户编码（须先导入客户）"},
		{Header: "沟通日期", Required: true, field: "date", Date: true, Example: "2026-05-01", Help: dates},
		{Header: "沟通方式", field: "method", Dict: DictCommMethod, Example: "电话", Help: "基础资料“" + DictLabel(DictCommMethod) + "”中的名称"},
		{Header: "我方人员", field: "our_people", Example: "王销售", Help: "最多 100 个字"},
		{Header: "客户方人员", field: "their_people", Example: "张伟", Help: "最多 100 个字"},
		{Header: "沟通主题", Required: true, field: "subject", Example: "续签合同", Help: "最多 100 个字"},
		{Header: "详细纪要", field: "detail", Example: "", Help: "最多 4000 个字"},
		{Header: "满意度", field: "satisfaction", Dict: DictSatisfaction, Example: "", Help: "基础资料“" + DictLabel(DictSatisfaction) + "”中的名称"},
		{Header: "下次跟进日期", field: "next_follow_up", Date: true, Example: "2026-06-01", Help: dates + "；不早于沟通日期"},
	}
}

// commImporter records communications through addCommunication, the card's
// own path.
type commImporter struct {
	importBase
	ids     map[string]int64
	missing map[string]bool
}

func (m *commImporter) row(ctx context.Context, tx *sql.Tx, v rowValues) error {
	code := v.get(hCustomerCode)
	if code == "" {
		return fieldErr("customer", "客户编码不能为空")
	}
	id, ok := m.ids[code]
	if !ok {
		err := tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE code = ?`, code).Scan(&id)
		if err == sql.ErrNoRows {
			m.missing[code] = true
			return fieldErr("customer", "客户编码“%s”不存在：请先导入客户，再导入沟通纪要", code)
		} else if err != nil {
			return err
		}
		m.ids[code] = id
	}
	c := Communication{CustomerID: id, Date: v.get("沟通日期"), Method: v.get("沟通方式"), OurPeople: v.get("我方人员"),
		TheirPeople: v.get("客户方人员"), Subject: v.get("沟通主题"), Detail: v.get("详细纪要"),
		Satisfaction: v.get("满意度"), NextFollowUp: v.get("下次跟进日期")}
	_, err := m.s.addCommunication(ctx, tx, m.a, m.sc, &c)
	if e, ok := err.(*Error); ok && e.Field == "" { // scope or a frozen card: about the customer
		return &Error{Code: e.Code, Field: "customer", Message: e.Message}
	}
	return err
}

func (m *commImporter) finish(_ context.Context, _ *sql.Tx, res *ImportResult) error {
	res.Missing = missingCustomers(m.missing, "沟通纪要")
	return nil
}

package data

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// EntityCustomer names customer cards in the audit log.
const EntityCustomer = "customer"

// Customer statuses (DESIGN 2.5): a frozen customer is read-only and gets
// no new documents or loans until unfrozen; a closed one is kept for the
// record.
const (
	CustomerNormal = "normal"
	CustomerFrozen = "frozen"
	CustomerClosed = "closed"
)

// Customer kinds: an enterprise card shows the 企业 group, an individual's
// the 个人 group.
const (
	CustomerEnterprise = "enterprise"
	CustomerIndividual = "individual"
)

// Audit actions of customer cards.
const (
	ActionFreeze   = "freeze"
	ActionUnfreeze = "unfreeze"
	ActionClose    = "close"
	ActionReopen   = "reopen"
)

func init() {
	registerEntity(EntityCustomer, "客户")
	registerAction(ActionFreeze, "冻结")
	registerAction(ActionUnfreeze, "解冻")
	registerAction(ActionClose, "注销")
	registerAction(ActionReopen, "恢复")
	registerRef(EntityDepartment, "客户", `SELECT code || ' ' || name FROM customers WHERE dept_id = ? ORDER BY code`)
	registerRef(EntityUser, "负责的客户", `SELECT code || ' ' || name FROM customers WHERE salesman_id = ? ORDER BY code`)
}

// CustomerStatusLabel returns the Chinese name of a customer status.
func CustomerStatusLabel(status string) string {
	switch status {
	case CustomerNormal:
		return "正常"
	case CustomerFrozen:
		return "冻结"
	case CustomerClosed:
		return "注销"
	}
	return status
}

// CustomerStatusByLabel returns the status with the Chinese name label.
func CustomerStatusByLabel(label string) string {
	for _, s := range []string{CustomerNormal, CustomerFrozen, CustomerClosed} {
		if CustomerStatusLabel(s) == label {
			return s
		}
	}
	return ""
}

// KindLabel returns 企业 or 个人.
func KindLabel(kind string) string {
	if kind == CustomerIndividual {
		return "个人"
	}
	return "企业"
}

// Customer is a customer card (客户档案卡, DESIGN 2.5). Every field the user
// types is text, normalised by validation: dates as YYYY-MM-DD, amounts and
// counts as plain numbers, "" when unknown.
type Customer struct {
	ID         int64
	Code       string // category code + 4-digit serial, assigned on save
	Kind       string
	Status     string
	CategoryID int64
	DeptID     int64
	SalesmanID int64

	// Names of the referenced records, filled when read.
	CategoryCode, CategoryName string
	DeptCode, DeptName         string
	SalesmanName               string

	// 基本
	Name, ShortName, Source, Grade, Region, Industry string
	Mnemonic                                         string // 助记码: pinyin initials, editable
	CreatedBy, CreatedOn                             string
	FreezeReason, Remark                             string

	// 企业
	CreditCode, LegalRep, RegCapital, FoundedOn, Ownership, Employees, AnnualSales string
	BusinessScope, Address, Postcode, Phone, Fax, Website, Email                   string

	// 资信
	CreditGrade, CreditLimit, CreditDays, CreditEval, SalesAbility, Potential, Philosophy string

	// 个人
	Gender, BirthDate, Mobile, IDType, IDNumber, NativePlace, Education, Hobbies string

	// Kept from the communication records.
	LastCommOn, NextFollowUp string

	CreatedAt, UpdatedAt time.Time

	Contacts     []Contact
	BankAccounts []BankAccount
}

// ReadOnly reports whether the card cannot be edited: frozen or closed.
func (c *Customer) ReadOnly() bool { return c.Status != CustomerNormal }

// Contact is a person at a customer (联系人).
type Contact struct {
	ID       int64
	Name     string
	Title    string // 职位
	Mobile   string
	Phone    string
	Email    string
	Birthday string // YYYY-MM-DD
	Primary  bool   // 主要联系人: one per customer
	Remark   string
}

// BankAccount is one of a customer's bank accounts.
type BankAccount struct {
	ID          int64
	Bank        string // 开户银行
	AccountName string // 户名
	AccountNo   string // 账号
	Primary     bool   // 主账户: one per customer
}

// fieldKind says how a card field is checked and stored.
type fieldKind int

const (
	kText fieldKind = iota
	kDate
	kMoney
	kCount
	kMobile
	kPhone
	kEmail
	kPostcode
	kWebsite
	kDict
)

// cardField is one plain field of the card: its column, its label (used in
// messages and the audit log), how it is checked, and where it lives in
// Customer.
type cardField struct {
	col   string
	group string // basic, enterprise, contact, credit or individual: the card's tab
	label string
	kind  fieldKind
	max   int    // characters, for text
	dict  string // dictionary kind, for kDict
	ptr   func(c *Customer) *string
}

// cardFields lists the plain fields in form order. Name, kind, category,
// department, salesman and credit code have rules of their own.
var cardFields = []cardField{
	{col: "short_name", group: "basic", label: "简称", max: 40, ptr: func(c *Customer) *string { return &c.ShortName }},
	{col: "source", group: "basic", label: "客户来源", kind: kDict, dict: DictSource, ptr: func(c *Customer) *string { return &c.Source }},
	{col: "grade", group: "basic", label: "客户等级", kind: kDict, dict: DictGrade, ptr: func(c *Customer) *string { return &c.Grade }},
	{col: "region", group: "basic", label: "地区", kind: kDict, dict: DictRegion, ptr: func(c *Customer) *string { return &c.Region }},
	{col: "industry", group: "enterprise", label: "所属行业", kind: kDict, dict: DictIndustry, ptr: func(c *Customer) *string { return &c.Industry }},
	{col: "created_on", group: "basic", label: "建档日期", kind: kDate, ptr: func(c *Customer) *string { return &c.CreatedOn }},
	{col: "remark", group: "basic", label: "备注", max: 500, ptr: func(c *Customer) *string { return &c.Remark }},

	{col: "legal_rep", group: "enterprise", label: "法定代表人", max: 30, ptr: func(c *Customer) *string { return &c.LegalRep }},
	{col: "reg_capital", group: "enterprise", label: "注册资本（万元）", kind: kMoney, ptr: func(c *Customer) *string { return &c.RegCapital }},
	{col: "founded_on", group: "enterprise", label: "成立日期", kind: kDate, ptr: func(c *Customer) *string { return &c.FoundedOn }},
	{col: "ownership", group: "enterprise", label: "企业性质", kind: kDict, dict: DictOwnership, ptr: func(c *Customer) *string { return &c.Ownership }},
	{col: "employees", group: "enterprise", label: "人员数量", kind: kCount, ptr: func(c *Customer) *string { return &c.Employees }},
	{col: "annual_sales", group: "enterprise", label: "年销售额（万元）", kind: kMoney, ptr: func(c *Customer) *string { return &c.AnnualSales }},
	{col: "business_scope", group: "enterprise", label: "经营范围", max: 1000, ptr: func(c *Customer) *string { return &c.BusinessScope }},
	{col: "address", group: "contact", label: "地址", max: 120, ptr: func(c *Customer) *string { return &c.Address }},
	{col: "postcode", group: "contact", label: "邮编", kind: kPostcode, ptr: func(c *Customer) *string { return &c.Postcode }},
	{col: "phone", group: "contact", label: "电话", kind: kPhone, ptr: func(c *Customer) *string { return &c.Phone }},
	{col: "fax", group: "contact", label: "传真", kind: kPhone, ptr: func(c *Customer) *string { return &c.Fax }},
	{col: "website", group: "contact", label: "网址", kind: kWebsite, ptr: func(c *Customer) *string { return &c.Website }},
	{col: "email", group: "contact", label: "邮箱", kind: kEmail, ptr: func(c *Customer) *string { return &c.Email }},

	{col: "credit_grade", group: "credit", label: "资信等级", kind: kDict, dict: DictCreditGrade, ptr: func(c *Customer) *string { return &c.CreditGrade }},
	{col: "credit_limit", group: "credit", label: "信用额度（元）", kind: kMoney, ptr: func(c *Customer) *string { return &c.CreditLimit }},
	{col: "credit_days", group: "credit", label: "信用期限（天）", kind: kCount, ptr: func(c *Customer) *string { return &c.CreditDays }},
	{col: "credit_eval", group: "credit", label: "资信评价", max: 500, ptr: func(c *Customer) *string { return &c.CreditEval }},
	{col: "sales_ability", group: "credit", label: "销售能力", max: 200, ptr: func(c *Customer) *string { return &c.SalesAbility }},
	{col: "potential", group: "credit", label: "发展潜力", max: 200, ptr: func(c *Customer) *string { return &c.Potential }},
	{col: "philosophy", group: "credit", label: "经营观念", max: 200, ptr: func(c *Customer) *string { return &c.Philosophy }},

	{col: "gender", group: "individual", label: "性别", max: 4, ptr: func(c *Customer) *string { return &c.Gender }},
	{col: "birth_date", group: "individual", label: "出生日期", kind: kDate, ptr: func(c *Customer) *string { return &c.BirthDate }},
	{col: "mobile", group: "individual", label: "手机", kind: kMobile, ptr: func(c *Customer) *string { return &c.Mobile }},
	{col: "id_type", group: "individual", label: "证件类型", max: 20, ptr: func(c *Customer) *string { return &c.IDType }},
	{col: "id_number", group: "individual", label: "证件号码", max: 30, ptr: func(c *Customer) *string { return &c.IDNumber }},
	{col: "native_place", group: "individual", label: "籍贯", max: 40, ptr: func(c *Customer) *string { return &c.NativePlace }},
	{col: "education", group: "individual", label: "学历", max: 20, ptr: func(c *Customer) *string { return &c.Education }},
	{col: "hobbies", group: "individual", label: "兴趣爱好", max: 200, ptr: func(c *Customer) *string { return &c.Hobbies }},
}

// selectExpr reads the field's column as text.
func (f cardField) selectExpr() string {
	switch f.kind {
	case kMoney:
		return "CASE WHEN c." + f.col + " IS NULL THEN '' ELSE printf('%.15g', c." + f.col + ") END"
	case kCount:
		return "coalesce(CAST(c." + f.col + " AS TEXT), '')"
	}
	return "c." + f.col
}

// dbValue is what is stored: NULL for an empty amount or count.
func (f cardField) dbValue(c *Customer) any {
	v := *f.ptr(c)
	if v == "" && (f.kind == kMoney || f.kind == kCount) {
		return nil
	}
	return v
}

// check normalises the field's value in c (old is the stored card, or nil).
func (f cardField) check(ctx context.Context, tx *sql.Tx, c, old *Customer) error {
	p := f.ptr(c)
	var err error
	switch f.kind {
	case kText:
		*p = cleanText(*p)
		err = checkLen(f.col, f.label, *p, f.max)
	case kDate:
		*p, err = checkDate(f.col, f.label, *p)
	case kMoney:
		*p, err = checkMoney(f.col, f.label, *p)
	case kCount:
		*p, err = checkCount(f.col, f.label, *p)
	case kMobile:
		*p, err = checkMobile(f.col, f.label, *p)
	case kPhone:
		*p, err = checkPhone(f.col, f.label, *p)
	case kEmail:
		*p, err = checkEmail(f.col, f.label, *p)
	case kPostcode:
		*p, err = checkPostcode(f.col, f.label, *p)
	case kWebsite:
		*p, err = checkWebsite(f.col, f.label, *p)
	case kDict:
		oldV := ""
		if old != nil {
			oldV = *f.ptr(old)
		}
		*p, err = checkDictValue(ctx, tx, f.col, f.dict, *p, oldV)
	}
	return err
}

// Validate checks the parts of a card that need no database: name, kind,
// the plain fields' forms, contacts and bank accounts. The store checks
// the rest (dictionaries, uniqueness, references) when saving.
func (c *Customer) Validate() error {
	c.Name = strings.Join(strings.Fields(cleanText(c.Name)), " ")
	switch {
	case c.Name == "":
		return fieldErr("name", "客户名称不能为空")
	case len([]rune(c.Name)) > 80:
		return fieldErr("name", "客户名称太长：最多 80 个字")
	}
	if c.Kind == "" {
		c.Kind = CustomerEnterprise
	}
	if c.Kind != CustomerEnterprise && c.Kind != CustomerIndividual {
		return fieldErr("kind", "客户类型只能是企业或个人")
	}
	if c.CategoryID == 0 {
		return fieldErr("category", "请选择客户分类")
	}
	c.Mnemonic = strings.ToLower(strings.Join(strings.Fields(cleanCode(c.Mnemonic)), ""))
	if c.Mnemonic == "" {
		c.Mnemonic = Mnemonic(c.Name)
	}
	for _, r := range c.Mnemonic {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return fieldErr("mnemonic", "助记码只能由字母和数字组成，“%s”不符合", c.Mnemonic)
		}
	}
	if err := checkLen("mnemonic", "助记码", c.Mnemonic, 40); err != nil {
		return err
	}
	c.CreditCode = NormalizeCreditCode(c.CreditCode)
	if c.CreditCode != "" {
		if err := CheckCreditCode(c.CreditCode); err != nil {
			return err
		}
	}
	for _, f := range cardFields {
		if f.kind == kDict {
			*f.ptr(c) = cleanText(*f.ptr(c))
			continue
		}
		if err := f.check(context.Background(), nil, c, nil); err != nil {
			return err
		}
	}
	if err := validateContacts(c.Contacts); err != nil {
		return err
	}
	return validateBankAccounts(c.BankAccounts)
}

// Validate checks and normalises one contact.
func (ct *Contact) Validate() error {
	ct.Name = cleanText(ct.Name)
	if ct.Name == "" {
		return fieldErr("contact_name", "联系人姓名不能为空")
	}
	var err error
	who := "联系人“" + ct.Name + "”的"
	ct.Title, ct.Remark = cleanText(ct.Title), cleanText(ct.Remark)
	if err = checkLen("contact_name", "联系人姓名", ct.Name, 30); err != nil {
		return err
	}
	if ct.Mobile, err = checkMobile("contact_mobile", who+"手机", ct.Mobile); err != nil {
		return err
	}
	if ct.Phone, err = checkPhone("contact_phone", who+"电话", ct.Phone); err != nil {
		return err
	}
	if ct.Email, err = checkEmail("contact_email", who+"邮箱", ct.Email); err != nil {
		return err
	}
	if ct.Birthday, err = checkDate("contact_birthday", who+"生日", ct.Birthday); err != nil {
		return err
	}
	return checkLen("contact_remark", who+"备注", ct.Remark, 200)
}

func validateContacts(cs []Contact) error {
	var primary []string
	for i := range cs {
		if err := cs[i].Validate(); err != nil {
			err.(*Error).Field = "contacts"
			return err
		}
		if cs[i].Primary {
			primary = append(primary, cs[i].Name)
		}
	}
	if len(primary) > 1 {
		return fieldErr("contacts", "只能有一个主要联系人：%s 都标为了主要联系人，请只保留一个", quoteJoin(primary))
	}
	if len(primary) == 0 && len(cs) > 0 {
		cs[0].Primary = true // the first contact is the main one unless another is marked
	}
	return nil
}

// Validate checks and normalises one bank account.
func (b *BankAccount) Validate() error {
	b.Bank, b.AccountName = cleanText(b.Bank), cleanText(b.AccountName)
	b.AccountNo = strings.Join(strings.Fields(cleanCode(b.AccountNo)), "")
	switch {
	case b.Bank == "":
		return fieldErr("bank", "开户银行不能为空")
	case b.AccountNo == "":
		return fieldErr("account_no", "银行账号不能为空")
	case !isDigits(strings.ReplaceAll(b.AccountNo, "-", "")) || len(b.AccountNo) < 6 || len(b.AccountNo) > 32:
		return fieldErr("account_no", "银行账号“%s”不对：应为 6 到 32 位数字", b.AccountNo)
	}
	return checkLen("bank", "开户银行", b.Bank, 60)
}

func validateBankAccounts(bs []BankAccount) error {
	var primary []string
	seen := map[string]bool{}
	for i := range bs {
		if err := bs[i].Validate(); err != nil {
			err.(*Error).Field = "bank_accounts"
			return err
		}
		if seen[bs[i].AccountNo] {
			return fieldErr("bank_accounts", "银行账号“%s”重复了", bs[i].AccountNo)
		}
		seen[bs[i].AccountNo] = true
		if bs[i].Primary {
			primary = append(primary, bs[i].Bank+" "+bs[i].AccountNo)
		}
	}
	if len(primary) > 1 {
		return fieldErr("bank_accounts", "只能有一个主账户：%s 都标为了主账户，请只保留一个", quoteJoin(primary))
	}
	if len(primary) == 0 && len(bs) > 0 {
		bs[0].Primary = true
	}
	return nil
}

func quoteJoin(names []string) string {
	return "“" + strings.Join(names, "”“") + "”"
}

// CardField describes one plain field of the card for forms: its column
// (the Field of a validation error), label, group and, for a drop-down,
// its dictionary kind.
type CardField struct {
	Col, Label, Group, Dict string
	Multiline               bool
}

// CardFields lists the plain fields of the card in form order.
func CardFields() []CardField {
	out := make([]CardField, len(cardFields))
	for i, f := range cardFields {
		out[i] = CardField{Col: f.col, Label: f.label, Group: f.group, Dict: f.dict, Multiline: f.max >= 500}
	}
	return out
}

// Field returns a pointer to the plain field with column col, or nil.
func (c *Customer) Field(col string) *string {
	for _, f := range cardFields {
		if f.col == col {
			return f.ptr(c)
		}
	}
	return nil
}

package data

import (
	"context"
	"database/sql"
	"fmt"

	"strings"
)

// Headers shared by several kinds.
const (
	hDeptCode     = "所属部门编码"
	hCustomerCode = "客户编码"
)

func customerImportColumns() []ImportColumn {
	cols := []ImportColumn{
		{Header: "客户名称", Required: true, field: "name", Example: "华东机械有限公司", Help: "最多 80 个字；不能与已有客户重名"},
		{Header: "客户分类编码", Required: true, field: "category", Example: "01", Help: "“客户分类”中已有的分类编码，客户编码按分类自动分配"},
		{Header: hDeptCode, field: "dept", Example: "01", Help: "“部门”中已有的部门编码；操作员只能填本部门及下级部门（必填）"},
		{Header: "客户类型", field: "kind", Example: "企业", Choices: []string{"企业", "个人"}, Help: "企业 或 个人；不填为企业"},
		{Header: "负责业务员", field: "salesman", Example: "", Help: "用户的登录名"},
		{Header: "助记码", field: "mnemonic", Example: "hdjx", Help: "字母和数字；不填则按名称拼音首字母生成"},
		{Header: "统一社会信用代码", field: "credit_code", Example: "91350100M000100Y43", Help: "18 位，含校验位（GB 32100-2015）"},
	}
	for _, f := range cardFields {
		c := ImportColumn{Header: f.label, field: f.col}
		switch f.kind {
		case kDate:
			c.Date, c.Help, c.Example = true, "日期：2026-05-01、2026/5/1、20260501、2026年5月1日 或 Excel 日期", "2026-05-01"
		case kDict:
			c.Dict, c.Help = f.dict, "基础资料“"+DictLabel(f.dict)+"”中的名称"
		case kMoney:
			c.Help = "不为负的金额，最多两位小数"
		case kCount:
			c.Help = "不为负的整数"
		case kMobile:
			c.Help = "11 位手机号"
		case kPhone:
			c.Help, c.Example = "带区号，如 0591-87654321", "0591-87654321"
		case kEmail:
			c.Help = "电子邮箱"
		case kPostcode:
			c.Help = "6 位数字"
		case kWebsite:
			c.Help = "网址"
		default:
			c.Help = fmt.Sprintf("文字，最多 %d 个字", f.max)
		}
		cols = append(cols, c)
	}
	return cols
}

// customerImporter creates customer cards with the rules of createCustomer,
// the form's path, through its bulk form (import_bulk.go).
type customerImporter struct {
	importBase
	cats, users    map[string]int64
	names, credits map[string]int // in this file: key → sheet row
	bulk           *customerBulk
}

// customerPrep is a customer row built and checked by c.Validate ahead
// of the database lookups (Validate needs none), with the pinyin its
// search columns need.
type customerPrep struct {
	c       Customer
	kindErr error // a bad 客户类型, reported before anything else
	err     error // c.Validate's
	pinyin  searchPinyin
}

func (m *customerImporter) prepare(v rowValues) any {
	p := &customerPrep{}
	c := Customer{Name: v.get("客户名称"), Mnemonic: v.get("助记码"), CreditCode: v.get("统一社会信用代码")}
	for _, f := range cardFields {
		*f.ptr(&c) = v.get(f.label)
	}
	switch k := v.get("客户类型"); k {
	case "", "企业":
		c.Kind = CustomerEnterprise
	case "个人":
		c.Kind = CustomerIndividual
	default:
		p.kindErr = fieldErr("kind", "客户类型“%s”不正确：应为 企业 或 个人", k)
		return p
	}
	// Validate only asks whether the category is set: row sets it from the
	// code (or refuses an unknown code first) and leaves it 0 when the code
	// is empty.
	if v.get("客户分类编码") != "" {
		c.CategoryID = -1
	}
	if p.err = c.Validate(); p.err == nil {
		p.pinyin = pinyinOf(c.Name, c.ShortName)
	}
	c.CategoryID = 0
	p.c = c
	return p
}

func (m *customerImporter) row(ctx context.Context, tx *sql.Tx, v rowValues) error {
	p, ok := v.prep.(*customerPrep)
	if !ok {
		p = m.prepare(v).(*customerPrep)
	}
	if p.kindErr != nil {
		return p.kindErr
	}
	c := p.c
	code := strings.ToUpper(v.get("客户分类编码"))
	if id, ok := m.cats[code]; ok {
		c.CategoryID = id
	} else if code != "" {
		err := tx.QueryRowContext(ctx, `SELECT id FROM customer_categories WHERE code = ?`, code).Scan(&c.CategoryID)
		if err == sql.ErrNoRows {
			return fieldErr("category", "客户分类编码“%s”不存在：请先在“客户分类”中建立", code)
		} else if err != nil {
			return err
		}
		m.cats[code] = c.CategoryID
	}
	var err error
	if c.DeptID, err = m.deptID(ctx, tx, v.get(hDeptCode)); err != nil {
		return err
	}
	if name := v.get("负责业务员"); name != "" {
		id, ok := m.users[name]
		if !ok {
			err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE username = ? OR display_name = ? ORDER BY username = ? DESC LIMIT 1`,
				name, name, name).Scan(&id)
			if err == sql.ErrNoRows {
				return fieldErr("salesman", "负责业务员“%s”不是系统中的用户", name)
			} else if err != nil {
				return err
			}
			m.users[name] = id
		}
		c.SalesmanID = id
	}
	// Validate's result: after the lookups, as when it ran here.
	// Duplicates inside the file are named by row before the database is
	// asked, so the message points at the other row.
	if p.err != nil {
		return p.err
	}
	key := NameKey(c.Name)
	if r, ok := m.names[key]; ok {
		return fieldErr("name", "客户名称“%s”与第 %d 行重复", c.Name, r)
	}
	if r, ok := m.credits[c.CreditCode]; ok && c.CreditCode != "" {
		return fieldErr("credit_code", "统一社会信用代码“%s”与第 %d 行重复", c.CreditCode, r)
	}
	if err := m.bulk.create(ctx, tx, &c, &p.pinyin); err != nil {
		return err
	}
	m.names[key] = v.num
	if c.CreditCode != "" {
		m.credits[c.CreditCode] = v.num
	}
	return nil
}

func (m *customerImporter) finish(ctx context.Context, tx *sql.Tx, _ *ImportResult) error {
	return m.bulk.finish(ctx, tx)
}

func itemImportColumns() []ImportColumn {
	return []ImportColumn{
		{Header: "类别编码", Required: true, field: "category", Example: "KH-01", Help: "门类-类别，如 KH-01；须是已启用的类别"},
		{Header: "年度", Required: true, field: "year", Example: "2026", Help: "四位年份"},
		{Header: "保管期限", field: "retention", Example: "D30", Choices: []string{"Y", "D30", "D10", "永久", "定期30年", "定期10年"},
			Help: "Y（永久）、D30、D10 或 Dn；不填取类别的默认期限"},
		{Header: hDeptCode, Required: true, field: "dept", Example: "01", Help: "机构代码取自部门；操作员只能填本部门及下级部门"},
		{Header: "题名", Required: true, field: "title", Example: "2026 年度购销合同", Help: "最多 300 个字"},
		{Header: "责任者", field: "author", Example: "华东机械有限公司", Help: "最多 100 个字"},
		{Header: "文号", field: "doc_no", Example: "华机〔2026〕12 号", Help: "最多 60 个字"},
		{Header: "日期", field: "日期", Date: true, Example: "2026-05-01", Help: "日期：2026-05-01、2026/5/1、20260501、2026年5月1日 或 Excel 日期"},
		{Header: "页数", Required: true, field: "pages", Example: "12", Help: "正整数"},
		{Header: "密级", field: "secrecy", Example: "内部", Choices: SecrecyLevels, Help: "公开、内部、秘密 或 机密；不填为公开"},
		{Header: hCustomerCode, field: "customer", Example: "", Help: "关联客户的客户编码（须先导入客户）"},
		{Header: "载体", field: "carrier", Example: "纸质", Choices: Carriers, Help: "纸质、电子 或 实物；不填为纸质"},
		{Header: "存放位置", field: "location", Example: "", Help: "库房-柜-层"},
		{Header: "备注", field: "remarks", Example: "", Help: "最多 500 个字"},
	}
}

// itemImporter registers items with the rules of createItem, the form's
// path, through its bulk form (import_bulk.go).
type itemImporter struct {
	importBase
	cats      map[string]*Category
	customers map[string]int64
	missing   map[string]bool
	bulk      *itemBulk
}

func (m *itemImporter) row(ctx context.Context, tx *sql.Tx, v rowValues) error {
	in := ItemInput{Title: v.get("题名"), Author: v.get("责任者"), DocNo: v.get("文号"), Date: v.get("日期"),
		Secrecy: v.get("密级"), Carrier: v.get("载体"), Location: v.get("存放位置"), Remarks: v.get("备注")}
	code := strings.ToUpper(v.get("类别编码"))
	cat, ok := m.cats[code]
	if !ok && code != "" {
		c, err := categoryByCodeQ(ctx, tx, code)
		if err != nil {
			return err
		}
		cat, m.cats[code] = c, c
	}
	if cat != nil {
		in.CategoryID = cat.ID
	}
	var err error
	if in.Year, err = ParseYear(v.get("年度")); err != nil {
		return err
	}
	in.Retention = v.get("保管期限")
	if in.Retention == "" && cat != nil {
		in.Retention = cat.Retention
	}
	if p := v.get("页数"); p != "" {
		if in.Pages, err = ParsePages(p); err != nil {
			return err
		}
	}
	if in.DeptID, err = m.deptID(ctx, tx, v.get(hDeptCode)); err != nil {
		return err
	}
	if cc := v.get(hCustomerCode); cc != "" {
		id, ok := m.customers[cc]
		if !ok {
			err := tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE code = ?`, cc).Scan(&id)
			if err == sql.ErrNoRows {
				m.missing[cc] = true
				return fieldErr("customer", "客户编码“%s”不存在：请先导入客户，再导入档案", cc)
			} else if err != nil {
				return err
			}
			m.customers[cc] = id
		}
		in.CustomerID = id
	}
	if in, err = in.normalize(); err != nil {
		return err
	}
	return m.bulk.create(ctx, tx, in)
}

func (m *itemImporter) finish(ctx context.Context, tx *sql.Tx, res *ImportResult) error {
	if err := m.bulk.finish(ctx, tx); err != nil {
		return err
	}
	res.Missing = missingCustomers(m.missing, "档案")
	return nil
}

// categoryByCodeQ finds a 类别 by “KH-01” inside tx.
func categoryByCodeQ(ctx context.Context, q queryer, code string) (*Category, error) {
	class, sub, ok := strings.Cut(code, "-")
	if !ok {
		return nil, fieldErr("category", "类别编码“%s”不对：请写成 门类-类别 的形式，如 KH-01", code)
	}
	c, err := scanCategory(q.QueryRowContext(ctx, `SELECT `+categoryColumns+categoryFrom+
		`WHERE p.code = ? AND c.code = ?`, class, sub))
	if err == sql.ErrNoRows {
		return nil, fieldErr("category", "档案类别“%s”不存在：请先在“档案类别”中建立", code)
	}
	return c, err
}

func departmentImportColumns() []ImportColumn {
	return []ImportColumn{
		{Header: "部门编码", Required: true, field: "code", Example: "0101", Help: "按编码规则分级，如 01、0101；上级部门须已存在或在本表前面的行中"},
		{Header: "部门名称", Required: true, field: "name", Example: "销售一部", Help: "同一上级下不能重名"},
	}
}

// deptImporter creates departments through createDepartment; a parent must
// exist already or come in an earlier row.
type deptImporter struct {
	importBase
	codes map[string]int
}

func (m *deptImporter) row(ctx context.Context, tx *sql.Tx, v rowValues) error {
	code := strings.ToUpper(v.get("部门编码"))
	if r, ok := m.codes[code]; ok {
		return fieldErr("code", "部门编码“%s”与第 %d 行重复", code, r)
	}
	name, err := checkDeptName(v.get("部门名称"))
	if err != nil {
		return err
	}
	if code == "" {
		return fieldErr("code", "部门编码不能为空")
	}
	if _, err := m.s.createDepartment(ctx, tx, m.a, code, name); err != nil {
		return err
	}
	m.codes[code] = v.num
	return nil
}

func (m *deptImporter) finish(context.Context, *sql.Tx, *ImportResult) error { return nil }

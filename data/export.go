package data

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Exportable kinds: the importable ones plus lists that are only exported.
const (
	ExportCustomers   = ImportCustomers
	ExportItems       = ImportItems
	ExportDepartments = ImportDepartments
)

// ExportColumn is one column of an exported list; Date columns hold
// YYYY-MM-DD or YYYYMMDD text for the writer to turn into date cells.
type ExportColumn struct {
	Header string
	Date   bool
	Width  float64
}

// exportCols turns import columns into export columns: the same headers,
// so that an exported file imports again.
func exportCols(lead []ExportColumn, cols []ImportColumn, tail ...ExportColumn) []ExportColumn {
	out := append([]ExportColumn(nil), lead...)
	for _, c := range cols {
		out = append(out, ExportColumn{Header: c.Header, Date: c.Date})
	}
	return append(out, tail...)
}

// CustomerExportColumns are the columns ExportCustomers writes: 客户编码,
// then the import template's columns, then 状态 (extra columns an import
// reports and ignores).
func CustomerExportColumns() []ExportColumn {
	return exportCols([]ExportColumn{{Header: hCustomerCode, Width: 10}}, customerImportColumns(),
		ExportColumn{Header: "状态"}, ExportColumn{Header: "最近沟通", Date: true}, ExportColumn{Header: "下次跟进", Date: true})
}

// ExportCustomers calls emit with every customer the actor may see that f
// selects, in f's order (Offset and Limit are ignored), as text in
// CustomerExportColumns order. Rows stream from one query: none is held.
func (s *Store) ExportCustomers(ctx context.Context, actor *User, f CustomerFilter, emit func([]string) error) error {
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return err
	}
	where, args := customerWhere(sc, f, false)
	rows, err := s.db.QueryContext(ctx, customerSelect+`WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+customerOrder(f), args...)
	if err != nil {
		return fmt.Errorf("export customers: %w", err)
	}
	defer rows.Close()
	row := make([]string, 0, len(cardFields)+12)
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return err
		}
		row = append(row[:0], c.Code, c.Name, c.CategoryCode, c.DeptCode, KindLabel(c.Kind), c.SalesmanName,
			c.Mnemonic, c.CreditCode)
		for _, f := range cardFields {
			row = append(row, *f.ptr(c))
		}
		row = append(row, CustomerStatusLabel(c.Status), c.LastCommOn, c.NextFollowUp)
		if err := emit(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ItemExportColumns are the columns ExportItems writes: 档号, the import
// template's columns, then columns an import ignores.
func ItemExportColumns() []ExportColumn {
	return exportCols([]ExportColumn{{Header: "档号", Width: 24}}, itemImportColumns(),
		ExportColumn{Header: "件号"}, ExportColumn{Header: "盒号"}, ExportColumn{Header: "状态"},
		ExportColumn{Header: "附件数"})
}

// ExportItems calls emit with every item the actor may see that f selects,
// in 档号 order, paging by keyset so memory stays flat.
func (s *Store) ExportItems(ctx context.Context, actor *User, f ItemFilter, emit func([]string) error) error {
	set, err := s.ArchiveSettings(ctx)
	if err != nil {
		return err
	}
	cats := map[int64]string{}
	depts := map[int64]string{}
	const page = 2000
	f.Offset, f.Limit, f.After = 0, page, nil
	row := make([]string, 0, 20)
	for {
		items, err := s.FindItems(ctx, actor, f)
		if err != nil {
			return err
		}
		for i := range items {
			it := &items[i]
			cat, ok := cats[it.CategoryID]
			if !ok {
				c, err := categoryByID(ctx, s.db, it.CategoryID)
				if err != nil {
					return err
				}
				cat, cats[it.CategoryID] = c.FullCode(), c.FullCode()
			}
			dept, ok := depts[it.DeptID]
			if !ok && it.DeptID != 0 {
				d, err := s.departmentByID(ctx, s.db, it.DeptID)
				if err != nil {
					return err
				}
				dept, depts[it.DeptID] = d.Code, d.Code
			}
			customer, _, _ := strings.Cut(it.Customer, " ")
			box := ""
			if it.Boxed() {
				box = fmt.Sprintf("%04d", it.BoxNo)
			}
			row = append(row[:0], it.Code, cat, strconv.Itoa(it.Group.Year), it.Group.Retention, dept, it.Title,
				it.Author, it.DocNo, it.Date, strconv.Itoa(it.Pages), it.Secrecy, customer, it.Carrier, it.Location,
				it.Remarks, it.SerialText(set.SerialWidth), box, StatusLabel(it.Status), strconv.Itoa(it.Attachments))
			if err := emit(row); err != nil {
				return err
			}
		}
		if len(items) < page {
			return nil
		}
		f.After = &items[len(items)-1]
	}
}

// DepartmentExportColumns are the columns ExportDepartments writes.
func DepartmentExportColumns() []ExportColumn {
	return exportCols(nil, departmentImportColumns(), ExportColumn{Header: "上级部门"})
}

// ExportDepartments calls emit with every department in code order.
func (s *Store) ExportDepartments(ctx context.Context, emit func([]string) error) error {
	ds, err := s.FindDepartments(ctx)
	if err != nil {
		return err
	}
	byID := map[int64]Department{}
	for _, d := range ds {
		byID[d.ID] = d
	}
	for _, d := range ds {
		parent := ""
		if p, ok := byID[d.ParentID]; ok {
			parent = p.Code + " " + p.Name
		}
		if err := emit([]string{d.Code, d.Name, parent}); err != nil {
			return err
		}
	}
	return nil
}

// AuditExportColumns are the columns ExportAudit writes.
func AuditExportColumns() []ExportColumn {
	return []ExportColumn{{Header: "时间", Width: 20}, {Header: "用户", Width: 12}, {Header: "对象", Width: 10},
		{Header: "编号", Width: 24}, {Header: "操作", Width: 8}, {Header: "摘要", Width: 40}, {Header: "变更内容", Width: 60}}
}

// ExportAudit calls emit with every audit entry f selects (Offset and
// Limit are ignored), newest first, a page at a time. Admins only, as for
// FindAudit.
func (s *Store) ExportAudit(ctx context.Context, actor *User, f AuditFilter, emit func([]string) error) error {
	const page = 1000
	f.Offset, f.Limit = 0, page
	for {
		es, total, err := s.FindAudit(ctx, actor, f)
		if err != nil {
			return err
		}
		for _, e := range es {
			if err := emit([]string{e.At.Local().Format("2006-01-02 15:04:05"), e.UserName, EntityLabel(e.Entity),
				e.EntityID, ActionLabel(e.Action), e.Summary, e.ChangesText()}); err != nil {
				return err
			}
		}
		f.Offset += len(es)
		if len(es) == 0 || f.Offset >= total {
			return nil
		}
	}
}

// UserExportColumns are the columns ExportUsers writes.
func UserExportColumns() []ExportColumn {
	return []ExportColumn{{Header: "用户名", Width: 14}, {Header: "姓名", Width: 12}, {Header: "部门编码"},
		{Header: "部门", Width: 14}, {Header: "角色"}, {Header: "状态"}, {Header: "建立时间", Width: 20}}
}

// ExportUsers calls emit with every user; admins only.
func (s *Store) ExportUsers(ctx context.Context, actor *User, emit func([]string) error) error {
	if _, err := s.requireAdmin(ctx, s.db, actor, "导出用户列表"); err != nil {
		return err
	}
	us, err := s.FindUsers(ctx)
	if err != nil {
		return err
	}
	for _, u := range us {
		status := "启用"
		if !u.Active {
			status = "停用"
		}
		if err := emit([]string{u.Username, u.DisplayName, u.DeptCode, u.DeptName, u.Role.Label(), status,
			u.CreatedAt.Local().Format("2006-01-02 15:04:05")}); err != nil {
			return err
		}
	}
	return nil
}

// BoxExportColumns are the columns ExportBoxes writes.
func BoxExportColumns() []ExportColumn {
	return []ExportColumn{{Header: "档案盒", Width: 30}, {Header: "全宗号"}, {Header: "门类"}, {Header: "年度"},
		{Header: "保管期限"}, {Header: "机构代码"}, {Header: "盒号"}, {Header: "起止件号", Width: 12}, {Header: "件数"},
		{Header: "盒脊厚度mm"}, {Header: "存放位置", Width: 16}, {Header: "立卷人"}, {Header: "检查人"},
		{Header: "立卷日期", Date: true}, {Header: "情况说明", Width: 40}}
}

// ExportBoxes calls emit with every box f selects (Offset and Limit are
// ignored), a page at a time.
func (s *Store) ExportBoxes(ctx context.Context, actor *User, f BoxFilter, emit func([]string) error) error {
	set, err := s.ArchiveSettings(ctx)
	if err != nil {
		return err
	}
	const page = 1000
	for f.Offset = 0; ; f.Offset += page {
		f.Limit = page
		boxes, err := s.FindBoxes(ctx, actor, f)
		if err != nil {
			return err
		}
		for _, b := range boxes {
			g := b.Group
			if err := emit([]string{b.Label(), g.Fonds, g.Class, strconv.Itoa(g.Year), g.Retention, g.Org, b.NoText(),
				b.Range(set.SerialWidth), strconv.Itoa(b.Count), strconv.Itoa(b.Thickness), b.Location(),
				b.Filer, b.Checker, b.FiledOn, b.Note}); err != nil {
				return err
			}
		}
		if len(boxes) < page {
			return nil
		}
	}
}

// LoanExportColumns are the columns ExportLoans writes.
func LoanExportColumns() []ExportColumn {
	return []ExportColumn{{Header: "借阅单号", Width: 12}, {Header: "借阅人"}, {Header: "单位", Width: 20},
		{Header: "电话", Width: 14}, {Header: "用途", Width: 16}, {Header: "借出日期", Date: true}, {Header: "应还日期", Date: true},
		{Header: "续借次数"}, {Header: "归还日期", Date: true}, {Header: "逾期天数"}, {Header: "件数"}, {Header: "未还件数"},
		{Header: "经办人"}, {Header: "档号", Width: 40}}
}

// ExportLoans calls emit with every loan f selects, in the list's order
// (Offset and Limit are ignored), a page at a time.
func (s *Store) ExportLoans(ctx context.Context, actor *User, f LoanFilter, emit func([]string) error) error {
	const page = 1000
	for f.Offset = 0; ; f.Offset += page {
		f.Limit = page
		loans, _, err := s.FindLoans(ctx, actor, f)
		if err != nil {
			return err
		}
		for _, l := range loans {
			if err := emit([]string{l.No, l.Borrower, l.Unit, l.Phone, l.Purpose, l.LentOn, l.DueOn,
				strconv.Itoa(l.Renewals), l.ReturnedOn, strconv.Itoa(l.OverdueDays), strconv.Itoa(l.ItemCount),
				strconv.Itoa(l.OutCount), l.Handler, l.Codes}); err != nil {
				return err
			}
		}
		if len(loans) < page {
			return nil
		}
	}
}

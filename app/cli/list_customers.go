package cli

import (
	"context"
	"flag"

	"dangan/data"
)

func init() {
	registerLister("customers", lister{
		summary: "客户（编码、名称、类型、分类、部门、业务员、等级、地区、行业、主要联系人、状态）；可用 --category、--dept、--status 筛选",
		setup: func(fs *flag.FlagSet) func(context.Context, *data.Store, *data.User, *TSV) error {
			category := fs.String("category", "", "只列出该客户分类（含下级分类）的客户，如 01")
			dept := fs.String("dept", "", "只列出该部门（含下级部门）的客户，如 0101")
			status := fs.String("status", "", "只列出该状态的客户：normal（正常）、frozen（冻结）、closed（注销），也可写中文")
			return func(ctx context.Context, s *data.Store, u *data.User, w *TSV) error {
				f := data.CustomerFilter{CategoryCode: *category, DeptCode: *dept, Status: *status, Limit: 1000}
				if st := data.CustomerStatusByLabel(*status); st != "" {
					f.Status = st
				}
				switch f.Status {
				case "", data.CustomerNormal, data.CustomerFrozen, data.CustomerClosed:
				default:
					return data.Errorf(data.EINVALID, "--status 只能是 normal、frozen、closed（或 正常、冻结、注销），不是“%s”", *status)
				}
				if f.CategoryCode != "" {
					if _, err := s.CustomerCategoryByCode(ctx, f.CategoryCode); err != nil {
						return err
					}
				}
				if f.DeptCode != "" {
					if _, err := s.DepartmentByCode(ctx, f.DeptCode); err != nil {
						return err
					}
				}
				w.Row("编码", "名称", "类型", "分类", "部门", "业务员", "等级", "地区", "行业", "主要联系人", "电话", "助记码", "状态")
				for {
					rows, total, err := s.FindCustomers(ctx, u, f)
					if err != nil {
						return err
					}
					for _, r := range rows {
						w.Row(r.Code, r.Name, data.KindLabel(r.Kind), r.CategoryName, r.DeptName, r.SalesmanName, r.Grade,
							r.Region, r.Industry, r.PrimaryContact, r.Phone, r.Mnemonic, data.CustomerStatusLabel(r.Status))
					}
					f.Offset += len(rows)
					if len(rows) == 0 || f.Offset >= total {
						return nil
					}
				}
			}
		},
	})
}

package cli

import (
	"context"
	"flag"

	"dangan/data"
)

func init() {
	registerLister("departments", lister{
		summary: "部门（编码、名称、上级编码）",
		setup: func(fs *flag.FlagSet) func(context.Context, *data.Store, *data.User, *TSV) error {
			return func(ctx context.Context, s *data.Store, _ *data.User, w *TSV) error {
				depts, err := s.FindDepartments(ctx)
				if err != nil {
					return err
				}
				f, err := s.Fonds(ctx)
				if err != nil {
					return err
				}
				w.Row("编码", "名称", "上级编码")
				for _, d := range depts {
					w.Row(d.Code, d.Name, f.Rule().ParentCode(d.Code))
				}
				return nil
			}
		},
	})
	registerLister("users", lister{
		summary: "用户（用户名、显示名、部门、角色、状态）",
		setup: func(fs *flag.FlagSet) func(context.Context, *data.Store, *data.User, *TSV) error {
			return func(ctx context.Context, s *data.Store, _ *data.User, w *TSV) error {
				users, err := s.FindUsers(ctx)
				if err != nil {
					return err
				}
				w.Row("用户名", "显示名", "部门编码", "部门名称", "角色", "状态")
				for _, u := range users {
					status := "启用"
					if !u.Active {
						status = "停用"
					}
					w.Row(u.Username, u.DisplayName, u.DeptCode, u.DeptName, u.Role.Label(), status)
				}
				return nil
			}
		},
	})
}

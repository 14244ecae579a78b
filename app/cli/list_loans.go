package cli

import (
	"context"
	"flag"
	"strconv"

	"dangan/data"
)

func init() {
	registerLister("loans", lister{
		summary: "借阅单（单号、借阅人、日期、逾期天数、档号）；--overdue 只列逾期未还的",
		setup: func(fs *flag.FlagSet) func(context.Context, *data.Store, *data.User, *TSV) error {
			overdue := fs.Bool("overdue", false, "只列逾期未还的借阅")
			return func(ctx context.Context, s *data.Store, u *data.User, w *TSV) error {
				f := data.LoanFilter{Limit: listPage}
				if *overdue {
					f.State = data.LoansOverdue
				}
				w.Row("借阅单号", "借阅人", "单位", "用途", "借出日期", "应还日期", "续借次数", "归还日期", "逾期天数", "件数", "未还件数", "档号")
				for {
					loans, total, err := s.FindLoans(ctx, u, f)
					if err != nil {
						return err
					}
					for _, l := range loans {
						w.Row(l.No, l.Borrower, l.Unit, l.Purpose, l.LentOn, l.DueOn, strconv.Itoa(l.Renewals), l.ReturnedOn,
							strconv.Itoa(l.OverdueDays), strconv.Itoa(l.ItemCount), strconv.Itoa(l.OutCount), l.Codes)
					}
					f.Offset += len(loans)
					if len(loans) == 0 || f.Offset >= total {
						return nil
					}
				}
			}
		},
	})
	registerLister("appraisal", lister{
		summary: "保管期限已满、待鉴定的档案（按类别、年度）",
		setup: func(fs *flag.FlagSet) func(context.Context, *data.Store, *data.User, *TSV) error {
			return func(ctx context.Context, s *data.Store, u *data.User, w *TSV) error {
				w.Row("档号", "类别", "年度", "保管期限", "届满年度", "题名", "状态")
				f := data.DueFilter{Limit: listPage}
				for {
					items, err := s.FindDue(ctx, u, f)
					if err != nil {
						return err
					}
					for _, it := range items {
						w.Row(it.Code, it.Category, strconv.Itoa(it.Group.Year), data.RetentionLabel(it.Retention),
							strconv.Itoa(it.ExpiredYear), it.Title, data.StatusLabel(it.Status))
					}
					if len(items) < f.Limit {
						return nil
					}
					f.Offset += len(items)
				}
			}
		},
	})
}

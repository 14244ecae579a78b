package cli

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"dangan/data"
)

// listPage is how many records one query fetches; tests make it small.
var listPage = 1000

// archiveFlags are the filters shared by `list archives` and `list boxes`.
type archiveFlags struct {
	category, year, status *string
}

func addArchiveFlags(fs *flag.FlagSet, withStatus bool) archiveFlags {
	f := archiveFlags{
		category: fs.String("category", "", "门类（如 KH）或类别（如 KH-02）"),
		year:     fs.String("year", "", "年度，如 2026"),
	}
	if withStatus {
		f.status = fs.String("status", "", "状态：在库、借出、待销毁、已销毁（或 in、lent、pending_destroy、destroyed）")
	}
	return f
}

// filter turns the flags into an item filter; bad values get the data
// package's messages.
func (a archiveFlags) filter(ctx context.Context, s *data.Store) (data.ItemFilter, *data.Category, error) {
	var f data.ItemFilter
	var cat *data.Category
	if c := strings.TrimSpace(*a.category); c != "" {
		var err error
		if cat, err = s.CategoryByCode(ctx, c); err != nil {
			return f, nil, err
		}
		if cat.IsClass() {
			f.ClassID = cat.ID
		} else {
			f.CategoryID = cat.ID
		}
	}
	if y := strings.TrimSpace(*a.year); y != "" {
		v, err := data.ParseYear(y)
		if err != nil {
			return f, nil, err
		}
		f.Year = v
	}
	if a.status != nil && strings.TrimSpace(*a.status) != "" {
		st, err := data.ParseItemStatus(*a.status)
		if err != nil {
			return f, nil, err
		}
		f.Status = st
	}
	return f, cat, nil
}

func init() {
	registerLister("categories", lister{
		summary: "档案门类和类别（代码、名称、保管期限、状态）",
		setup: func(fs *flag.FlagSet) func(context.Context, *data.Store, *data.User, *TSV) error {
			return func(ctx context.Context, s *data.Store, _ *data.User, w *TSV) error {
				cats, err := s.FindCategories(ctx)
				if err != nil {
					return err
				}
				w.Row("代码", "名称", "门类", "保管期限", "状态")
				for _, c := range cats {
					status := "启用"
					if !c.Active {
						status = "停用"
					}
					w.Row(c.FullCode(), c.Name, c.ClassCode, c.Retention, status)
				}
				return nil
			}
		},
	})
	registerLister("archives", lister{
		summary: "档案（按档号排序；--category KH|KH-02 --year 2026 --status 在库）",
		setup: func(fs *flag.FlagSet) func(context.Context, *data.Store, *data.User, *TSV) error {
			af := addArchiveFlags(fs, true)
			return func(ctx context.Context, s *data.Store, u *data.User, w *TSV) error {
				f, _, err := af.filter(ctx, s)
				if err != nil {
					return err
				}
				set, err := s.ArchiveSettings(ctx)
				if err != nil {
					return err
				}
				w.Row("档号", "类别", "年度", "保管期限", "机构代码", "件号", "题名", "责任者", "文号", "日期",
					"页数", "密级", "关联客户", "载体", "盒号", "存放位置", "状态", "附件数", "备注")
				page := listPage
				for f.Limit = page; ; {
					items, err := s.FindItems(ctx, u, f)
					if err != nil {
						return err
					}
					for _, it := range items {
						box := ""
						if it.Boxed() {
							box = fmt.Sprintf("%04d", it.BoxNo)
						}
						w.Row(it.Code, it.Category, strconv.Itoa(it.Group.Year), it.Group.Retention, it.Group.Org,
							it.SerialText(set.SerialWidth), it.Title, it.Author, it.DocNo, it.Date, strconv.Itoa(it.Pages),
							it.Secrecy, it.Customer, it.Carrier, box, it.Location, data.StatusLabel(it.Status),
							strconv.Itoa(it.Attachments), it.Remarks)
					}
					if len(items) < page {
						return nil
					}
					f.After = &items[len(items)-1] // keyset: each page costs the same
				}
			}
		},
	})
	registerLister("boxes", lister{
		summary: "档案盒（按组和盒号排序；--category KH --year 2026）",
		setup: func(fs *flag.FlagSet) func(context.Context, *data.Store, *data.User, *TSV) error {
			af := addArchiveFlags(fs, false)
			return func(ctx context.Context, s *data.Store, u *data.User, w *TSV) error {
				f, cat, err := af.filter(ctx, s)
				if err != nil {
					return err
				}
				bf := data.BoxFilter{Year: f.Year}
				if cat != nil {
					bf.Class = cat.ClassCode
				}
				set, err := s.ArchiveSettings(ctx)
				if err != nil {
					return err
				}
				w.Row("盒", "全宗号", "门类", "年度", "保管期限", "机构代码", "盒号", "起止件号", "件数", "盒脊厚度mm",
					"存放位置", "立卷人", "检查人", "立卷日期", "情况说明")
				page := listPage
				for bf.Offset = 0; ; bf.Offset += page {
					bf.Limit = page
					boxes, err := s.FindBoxes(ctx, u, bf)
					if err != nil {
						return err
					}
					for _, b := range boxes {
						g := b.Group
						w.Row(b.Label(), g.Fonds, g.Class, strconv.Itoa(g.Year), g.Retention, g.Org, b.NoText(),
							b.Range(set.SerialWidth), strconv.Itoa(b.Count), strconv.Itoa(b.Thickness), b.Location(),
							b.Filer, b.Checker, b.FiledOn, b.Note)
					}
					if len(boxes) < page {
						return nil
					}
				}
			}
		},
	})
}

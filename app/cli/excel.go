package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"strings"

	"dangan/data"
	"dangan/reports"
)

func kindsText() string {
	var ks []string
	for _, k := range data.ImportKinds() {
		ks = append(ks, k+"（"+data.ImportKindLabel(k)+"）")
	}
	return strings.Join(ks, "、")
}

// twoArgs takes KIND and FILE from the front of args.
func twoArgs(args []string, usage string) (string, string, []string, error) {
	if len(args) < 2 || strings.HasPrefix(args[0], "-") || strings.HasPrefix(args[1], "-") {
		return "", "", nil, &exitError{code: 2, msg: "用法：" + usage + "\n内容：" + kindsText()}
	}
	return args[0], args[1], args[2:], nil
}

// TemplateColumns returns kind's template columns with the dictionaries'
// current entries as drop-down choices, mapped for reports.
func TemplateColumns(ctx context.Context, s *data.Store, kind string) ([]reports.TemplateColumn, error) {
	cols, err := data.ImportColumns(kind)
	if err != nil {
		return nil, err
	}
	if s != nil {
		if err := s.ImportChoices(ctx, cols); err != nil {
			return nil, err
		}
	}
	out := make([]reports.TemplateColumn, len(cols))
	for i, c := range cols {
		out[i] = reports.TemplateColumn{Header: c.Header, Required: c.Required, Help: c.Help,
			Example: c.Example, Choices: c.Choices, Date: c.Date}
	}
	return out, nil
}

func runTemplate(env Env, dir string, args []string) error {
	kind, file, rest, err := twoArgs(args, "dangan template 内容 文件.xlsx")
	if err != nil {
		return err
	}
	if err := parseFlags(newFlags(env, "template"), rest); err != nil {
		return err
	}
	var s *data.Store
	if data.Exists(dir) { // the dictionaries fill the drop-downs
		if s, err = data.Open(dir); err != nil {
			return err
		}
		defer s.Close()
	}
	cols, err := TemplateColumns(context.Background(), s, kind)
	if err != nil {
		return err
	}
	err = reports.SaveWorkbook(file, func(w io.Writer) error {
		return reports.WriteTemplate(w, data.ImportKindLabel(kind), cols)
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, file)
	return nil
}

// ImportOutcome is what ImportFile did: the data result and, when rows
// failed, where the error workbook was written.
type ImportOutcome struct {
	*data.ImportResult
	ErrorWorkbook string
}

// ImportFile reads the workbook at path and imports it as kind for actor;
// when rows fail, it writes the error workbook beside path. The window's
// import dialog uses it too.
func ImportFile(ctx context.Context, s *data.Store, actor *data.User, kind, path string, dryRun bool,
	progress func(done, total int)) (*ImportOutcome, error) {
	// An import makes short-lived garbage on every row (cells, cards,
	// search texts, audit JSON): collecting at 5× the live heap rather than
	// 2× took a sixth off a 100,000-customer import. The soft memory limit
	// keeps a large import's heap bounded all the same.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
	sh, err := reports.OpenSheetFile(path)
	if err != nil {
		return nil, data.Errorf(data.EINVALID, "%s", err.Error())
	}
	res, err := s.Import(ctx, actor, data.ImportInput{Kind: kind, FileName: filepath.Base(path), Header: sh.Header,
		Source: sheetSource{sh}, DryRun: dryRun, Progress: progress})
	sh.Close()
	if err != nil {
		return nil, err
	}
	out := &ImportOutcome{ImportResult: res}
	if res.Failed() {
		errs := make([]reports.CellError, len(res.Errors))
		for i, e := range res.Errors {
			errs[i] = reports.CellError{Row: e.Row, Col: e.Column, Message: e.Message}
		}
		out.ErrorWorkbook = reports.ErrorWorkbookPath(path)
		// The rows are read again from the file: the import keeps none.
		if err := reports.SaveWorkbook(out.ErrorWorkbook, func(w io.Writer) error {
			return reports.WriteErrorWorkbookFrom(w, path, errs)
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// importMemoryLimit is the soft limit of the Go heap during an import.
const importMemoryLimit = 320 << 20

// sheetSource streams a sheet into data.Import; read errors reach the user
// as they are.
type sheetSource struct{ *reports.SheetReader }

func (s sheetSource) Err() error {
	if err := s.SheetReader.Err(); err != nil {
		return data.Errorf(data.EINVALID, "%s", err.Error())
	}
	return nil
}

func runImport(env Env, dir string, args []string) error {
	kind, file, rest, err := twoArgs(args, "dangan import 内容 文件.xlsx [--dry-run] --user 用户名")
	if err != nil {
		return err
	}
	fs := newFlags(env, "import")
	dry := fs.Bool("dry-run", false, "只检查，不写入")
	userName := fs.String("user", "", "以哪个用户的身份（必填）")
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if _, err := data.ImportColumns(kind); err != nil {
		return err
	}
	s, u, err := openAs(env, dir, *userName)
	if err != nil {
		return err
	}
	defer s.Close()
	out, err := ImportFile(context.Background(), s, u, kind, file, *dry, nil)
	if err != nil {
		return err
	}
	if !out.Failed() {
		fmt.Fprintln(env.Stdout, out.Summary())
		return nil
	}
	for _, e := range out.Errors {
		fmt.Fprintf(env.Stderr, "第 %d 行：%s\n", e.Row, e.Message)
	}
	return &exitError{code: 1, msg: out.Summary() + "\n错误说明已写入 " + out.ErrorWorkbook}
}

// ExportColumns maps data's export columns for reports.
func ExportColumns(cols []data.ExportColumn) []reports.ExportColumn {
	out := make([]reports.ExportColumn, len(cols))
	for i, c := range cols {
		out[i] = reports.ExportColumn{Header: c.Header, Date: c.Date, Width: c.Width}
	}
	return out
}

// ExportFile writes a list to path: cols are its columns, fill calls the
// data export with the writer's Add. The query runs on its own goroutine a
// few batches ahead of the writer, so reading the database and building
// the workbook overlap.
func ExportFile(path, sheet string, cols []data.ExportColumn, fill func(add func([]string) error) error) (int, error) {
	x, err := reports.NewExport(sheet, ExportColumns(cols))
	if err != nil {
		return 0, err
	}
	const size = 256
	batches := make(chan [][]string, 4)
	quit := make(chan struct{})
	var fillErr error
	go func() {
		defer close(batches)
		batch := make([][]string, 0, size)
		fillErr = fill(func(r []string) error {
			batch = append(batch, append([]string(nil), r...)) // the data side may reuse r
			if len(batch) == size {
				select {
				case batches <- batch:
				case <-quit:
					return errExportStopped
				}
				batch = make([][]string, 0, size)
			}
			return nil
		})
		if fillErr == nil && len(batch) > 0 {
			select {
			case batches <- batch:
			case <-quit:
			}
		}
	}()
	var writeErr error
	for b := range batches {
		for _, r := range b {
			if writeErr == nil {
				if writeErr = x.Add(r...); writeErr != nil {
					close(quit) // the filler stops; the loop drains what is sent
				}
			}
		}
	}
	if writeErr == nil && fillErr != nil {
		writeErr = fillErr
	}
	if writeErr != nil {
		x.Close()
		return 0, writeErr
	}
	n := x.Rows()
	return n, reports.SaveWorkbook(path, func(w io.Writer) error { _, err := x.WriteTo(w); return err })
}

var errExportStopped = errors.New("export stopped")

func runExport(env Env, dir string, args []string) error {
	kind, file, rest, err := twoArgs(args, "dangan export 内容 文件.xlsx --user 用户名 [筛选]")
	if err != nil {
		return err
	}
	fs := newFlags(env, "export")
	userName := fs.String("user", "", "以哪个用户的身份（必填）")
	var cf data.CustomerFilter
	var af archiveFlags
	var lf data.LoanFilter
	var overdue, current, past bool
	switch kind {
	case data.ExportCustomers:
		fs.StringVar(&cf.CategoryCode, "category", "", "客户分类（含下级），如 01")
		fs.StringVar(&cf.DeptCode, "dept", "", "部门（含下级），如 0101")
		fs.StringVar(&cf.Search, "search", "", "按编码、名称、助记码等查找")
	case data.ExportItems:
		af = addArchiveFlags(fs, true)
	case "loans":
		fs.BoolVar(&current, "current", false, "只导出未还完的借阅")
		fs.BoolVar(&overdue, "overdue", false, "只导出逾期未还的借阅")
		fs.BoolVar(&past, "past", false, "只导出已归还的借阅")
		fs.StringVar(&lf.Query, "search", "", "按借阅单号、借阅人、单位或档号查找")
	case data.ExportDepartments, "users", "audit", "boxes":
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("不能导出“%s”。可以导出：%s、boxes（档案盒）、loans（借阅）、users（用户）、audit（操作日志）", kind, kindsText())}
	}
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	switch {
	case btoi(current)+btoi(overdue)+btoi(past) > 1:
		return &exitError{code: 2, msg: "--current、--overdue、--past 只能选一个"}
	case current:
		lf.State = data.LoansCurrent
	case overdue:
		lf.State = data.LoansOverdue
	case past:
		lf.State = data.LoansPast
	}
	s, u, err := openAs(env, dir, *userName)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := context.Background()
	var n int
	switch kind {
	case data.ExportCustomers:
		n, err = ExportFile(file, "客户", data.CustomerExportColumns(), func(add func([]string) error) error {
			return s.ExportCustomers(ctx, u, cf, add)
		})
	case data.ExportItems:
		f, _, ferr := af.filter(ctx, s)
		if ferr != nil {
			return ferr
		}
		n, err = ExportFile(file, "档案", data.ItemExportColumns(), func(add func([]string) error) error {
			return s.ExportItems(ctx, u, f, add)
		})
	case data.ExportDepartments:
		n, err = ExportFile(file, "部门", data.DepartmentExportColumns(), func(add func([]string) error) error {
			return s.ExportDepartments(ctx, add)
		})
	case "users":
		n, err = ExportFile(file, "用户", data.UserExportColumns(), func(add func([]string) error) error {
			return s.ExportUsers(ctx, u, add)
		})
	case "boxes":
		n, err = ExportFile(file, "档案盒", data.BoxExportColumns(), func(add func([]string) error) error {
			return s.ExportBoxes(ctx, u, data.BoxFilter{}, add)
		})
	case "loans":
		n, err = ExportFile(file, "借阅", data.LoanExportColumns(), func(add func([]string) error) error {
			return s.ExportLoans(ctx, u, lf, add)
		})
	case "audit":
		n, err = ExportFile(file, "操作日志", data.AuditExportColumns(), func(add func([]string) error) error {
			return s.ExportAudit(ctx, u, data.AuditFilter{}, add)
		})
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已导出 %d 行到 %s\n", n, file)
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

package data

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Importable kinds (DESIGN 2.10).
const (
	ImportCustomers   = "customers"
	ImportItems       = "items"
	ImportDepartments = "departments"
)

// EntityImport names whole imports in the audit log; ActionImport is their
// action.
const (
	EntityImport = "import"
	ActionImport = "import"
)

func init() {
	registerEntity(EntityImport, "批量导入")
	registerAction(ActionImport, "导入")
}

// ImportKinds lists the kinds that can be imported, in dependency order.
func ImportKinds() []string {
	return []string{ImportDepartments, ImportCustomers, ImportContacts, ImportComms, ImportItems}
}

// ImportKindLabel returns the Chinese name of an importable kind.
func ImportKindLabel(kind string) string {
	switch kind {
	case ImportCustomers:
		return "客户"
	case ImportItems:
		return "档案"
	case ImportDepartments:
		return "部门"
	case ImportContacts:
		return "联系人"
	case ImportComms:
		return "沟通纪要"
	}
	return kind
}

// ImportColumn is one column of an import template: its header (without
// the * that marks required columns), what it holds, an example value and,
// for small fixed lists, the allowed values. Dict names the dictionary
// whose entries are allowed.
type ImportColumn struct {
	Header   string
	Required bool
	Help     string
	Example  string
	Choices  []string
	Dict     string
	Date     bool
	field    string // the *Error.Field the form's validators use for it
}

// ImportColumns returns the columns of kind's template, in template order.
func ImportColumns(kind string) ([]ImportColumn, error) {
	switch kind {
	case ImportCustomers:
		return customerImportColumns(), nil
	case ImportItems:
		return itemImportColumns(), nil
	case ImportDepartments:
		return departmentImportColumns(), nil
	case ImportContacts:
		return contactImportColumns(), nil
	case ImportComms:
		return commImportColumns(), nil
	}
	return nil, Errorf(EINVALID, "不能导入“%s”：可导入的是 departments（部门）、customers（客户）、contacts（联系人）、comms（沟通纪要）、items（档案）", kind)
}

// ImportChoices fills the Choices of dictionary columns from the current
// dictionaries, for the template's drop-downs.
func (s *Store) ImportChoices(ctx context.Context, cols []ImportColumn) error {
	for i := range cols {
		if cols[i].Dict == "" {
			continue
		}
		names, err := s.DictNames(ctx, cols[i].Dict)
		if err != nil {
			return err
		}
		cols[i].Choices = names
	}
	return nil
}

// ImportInput is a sheet read by reports: its header row and data rows as
// text (Excel date cells as their serial numbers). The rows come either
// from Source, streamed one at a time so that a large sheet is never held
// in memory, or from Rows, where row i is sheet row FirstRow+i.
type ImportInput struct {
	Kind     string
	FileName string
	Header   []string
	Rows     [][]string
	FirstRow int // sheet row number of Rows[0]; 2 when the header is row 1
	Source   RowSource
	DryRun   bool
	// Progress, when set, is called now and then with rows done and the
	// total (Source's estimate, or len(Rows)).
	Progress func(done, total int)
}

// RowSource streams the data rows of a sheet.
type RowSource interface {
	// Next returns the next data row and its sheet row number; ok is
	// false at the end of the sheet or on an error (see Err).
	Next() (num int, cells []string, ok bool)
	// Err is the error that ended the rows, if any; it is shown to the
	// user as it is.
	Err() error
	// Total estimates the number of data rows (0 if unknown).
	Total() int
}

// sliceSource serves ImportInput.Rows.
type sliceSource struct {
	rows  [][]string
	first int
	i     int
}

func (s *sliceSource) Next() (int, []string, bool) {
	if s.i >= len(s.rows) {
		return 0, nil, false
	}
	s.i++
	return s.first + s.i - 1, s.rows[s.i-1], true
}
func (s *sliceSource) Err() error { return nil }
func (s *sliceSource) Total() int { return len(s.rows) }

// RowError is a problem with one row: the sheet row number, the index of
// the column in Header (-1 for the row as a whole) and the message.
type RowError struct {
	Row     int
	Column  int
	Message string
}

// ImportResult says what an import did or, when Errors is not empty, why
// nothing was written.
type ImportResult struct {
	Read    int // non-blank data rows
	Created int
	Skipped int // blank rows
	Extra   []string
	Errors  []RowError
	// Missing names references the file needs that are not in the
	// database (e.g. 客户编码), with the kind to import first.
	Missing string
	DryRun  bool
}

// Failed reports whether any row failed, so that nothing was written.
func (r *ImportResult) Failed() bool { return len(r.Errors) > 0 }

// Summary is a one-line Chinese account of the result.
func (r *ImportResult) Summary() string {
	if r.Failed() {
		rows := map[int]bool{}
		for _, e := range r.Errors {
			rows[e.Row] = true
		}
		s := fmt.Sprintf("共读取 %d 行，其中 %d 行有错误（%d 处），未导入任何数据", r.Read, len(rows), len(r.Errors))
		if r.Missing != "" {
			s += "。" + r.Missing
		}
		return s
	}
	verb := "已导入"
	if r.DryRun {
		verb = "检查通过（试运行，未写入），可导入"
	}
	s := fmt.Sprintf("共读取 %d 行，%s %d 条，跳过空行 %d 行", r.Read, verb, r.Created, r.Skipped)
	if len(r.Extra) > 0 {
		s += "；以下列不认识，已忽略：" + strings.Join(r.Extra, "、")
	}
	return s
}

// importer is the domain side of one kind: it maps a row onto the form's
// input and creates the record with the form's own validator.
type importer interface {
	// row checks and creates one record; errors with a Field are mapped to
	// their column.
	row(ctx context.Context, tx *sql.Tx, v rowValues) error
	// finish runs once after every row; it may add a Missing message.
	finish(ctx context.Context, tx *sql.Tx, res *ImportResult) error
}

// rowValues gives a row's cells by header.
type rowValues struct {
	num   int
	cells []string
	index map[string]int
	prep  any // what the importer's prepare made of the row, if it has one
}

// preparer is implemented by importers that do part of a row's work —
// what needs neither the database nor other rows — ahead, on another
// goroutine, while the rows before it are written. row gets the result in
// rowValues.prep.
type preparer interface {
	prepare(v rowValues) any
}

// preparedRow is a row read, cleaned and prepared ahead.
type preparedRow struct {
	num   int
	cells []string
	blank bool
	prep  any
}

// prepareRows reads src on a goroutine, cleans each row and runs imp's
// prepare on it, and hands the rows over in batches. stop ends the
// goroutine early and waits for it; src.Err may be read once the batches
// are all taken or stop has returned.
func prepareRows(src RowSource, cols []ImportColumn, index map[string]int, imp importer) (<-chan []preparedRow, func()) {
	const size = 256
	out := make(chan []preparedRow, 4)
	quit := make(chan struct{})
	p, _ := imp.(preparer)
	go func() {
		defer close(out)
		send := func(b []preparedRow) bool {
			select {
			case out <- b:
				return true
			case <-quit:
				return false
			}
		}
		batch := make([]preparedRow, 0, size)
		for {
			num, raw, ok := src.Next()
			if !ok {
				break
			}
			cells, blank := cleanRow(raw, cols, index)
			r := preparedRow{num: num, cells: cells, blank: blank}
			if !blank && p != nil {
				r.prep = p.prepare(rowValues{num: num, cells: cells, index: index})
			}
			if batch = append(batch, r); len(batch) == size {
				if !send(batch) {
					return
				}
				batch = make([]preparedRow, 0, size)
			}
		}
		if len(batch) > 0 {
			send(batch)
		}
	}()
	var once sync.Once
	return out, func() {
		once.Do(func() {
			close(quit)
			for range out {
			}
		})
	}
}

func (v rowValues) get(header string) string {
	i, ok := v.index[header]
	if !ok || i >= len(v.cells) {
		return ""
	}
	return v.cells[i]
}

// normalizeHeader matches headers written with *, full-width characters,
// spaces or line breaks.
func normalizeHeader(h string) string {
	h = NormalizeWidth(h)
	h = strings.NewReplacer("*", "", " ", "", "\n", "", "\r", "", "\t", "").Replace(h)
	return h
}

// cleanCell normalises full-width ASCII and trims stray spaces.
func cleanCell(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(NormalizeWidth(s), "\u00a0", " "))
}

// importDate reads an Excel date serial (as read from a date cell) or any
// form ParseDate accepts, and returns it as YYYY-MM-DD; other text is
// returned unchanged for the form's validator to refuse.
func importDate(s string) string {
	if s == "" || (len(s) == 8 && isDigits(s)) {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 1 || f > 2958465 || math.IsNaN(f) {
		return s
	}
	t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f))
	return t.Format("2006-01-02")
}

// missingCustomers names the customer codes a file refers to that the
// database lacks (the first 20, sorted) and says to import customers before
// what (档案, 联系人, …); "" when none are missing.
func missingCustomers(missing map[string]bool, what string) string {
	if len(missing) == 0 {
		return ""
	}
	codes := make([]string, 0, len(missing))
	for c := range missing {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	more := ""
	if len(codes) > 20 {
		codes, more = codes[:20], fmt.Sprintf(" 等 %d 个", len(missing))
	}
	return fmt.Sprintf("缺少客户编码 %s%s：请先导入客户，再导入%s", strings.Join(codes, "、"), more, what)
}

var errCancelled = Errorf(EINVALID, "导入已取消，未写入任何数据")

// Import validates every row of in against the rules the forms apply and,
// if all pass, creates the records in one transaction with one audit entry
// for the import plus the per-record entries. If any row fails, nothing is
// written and the result lists the errors. A missing required column, an
// unknown kind or a refused user is an error.
func (s *Store) Import(ctx context.Context, actor *User, in ImportInput) (*ImportResult, error) {
	cols, err := ImportColumns(in.Kind)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{DryRun: in.DryRun}
	index, err := matchHeader(in.Kind, cols, in.Header, res)
	if err != nil {
		return nil, err
	}
	first := in.FirstRow
	if first == 0 {
		first = 2
	}
	fieldCol := map[string]int{}
	for _, c := range cols {
		if i, ok := index[c.Header]; ok && c.field != "" {
			fieldCol[c.field] = i
		}
	}
	if ctx.Err() != nil {
		return nil, errCancelled
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	a, err := s.currentActor(ctx, tx, actor)
	if err != nil {
		return nil, err
	}
	// The rows' statements run without the caller's cancel: go-sqlite3
	// starts a goroutine per statement to watch a cancellable context,
	// which cost a fifth of a customer import. The loop below checks the
	// cancel before every row and the transaction is rolled back on it,
	// so a cancel still stops the import within a row.
	qctx := context.WithoutCancel(ctx)
	imp, err := s.newImporter(qctx, tx, a, in.Kind)
	if err != nil {
		return nil, err
	}
	src := in.Source
	if src == nil {
		src = &sliceSource{rows: in.Rows, first: first}
	}
	done := 0
	progress := func() {
		if in.Progress != nil {
			in.Progress(done, max(done, src.Total()))
		}
	}
	batches, stop := prepareRows(src, cols, index, imp)
	defer stop()
	for batch := range batches {
		for _, r := range batch {
			if ctx.Err() != nil {
				return nil, errCancelled
			}
			if done%500 == 0 {
				progress()
			}
			done++
			if r.blank {
				res.Skipped++
				continue
			}
			res.Read++
			v := rowValues{num: r.num, cells: r.cells, index: index, prep: r.prep}
			if err := imp.row(qctx, tx, v); err != nil {
				if ErrorCode(err) == EINTERNAL {
					if ctx.Err() != nil { // a query cut short by the cancel
						return nil, errCancelled
					}
					return nil, fmt.Errorf("import row %d: %w", v.num, err)
				}
				col := -1
				if c, ok := fieldCol[ErrorField(err)]; ok {
					col = c
				}
				res.Errors = append(res.Errors, RowError{Row: v.num, Column: col, Message: shortQuoted(ErrorMessage(err))})
				continue
			}
			res.Created++
		}
	}
	if err := src.Err(); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, errCancelled
	}
	progress()
	if err := imp.finish(qctx, tx, res); err != nil {
		if ctx.Err() != nil {
			return nil, errCancelled
		}
		return nil, err
	}
	if res.Failed() || in.DryRun {
		if res.Failed() {
			res.Created = 0
		}
		return res, nil
	}
	name := in.FileName
	if name == "" {
		name = "电子表格"
	}
	err = s.writeAudit(ctx, tx, a, "", auditRecord{
		Entity: EntityImport, EntityID: in.Kind, Action: ActionImport,
		Summary: fmt.Sprintf("从 %s 导入%s %d 条", name, ImportKindLabel(in.Kind), res.Created),
	})
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		if ctx.Err() != nil { // database/sql rolls the transaction back on a cancel
			return nil, errCancelled
		}
		return nil, fmt.Errorf("import: %w", err)
	}
	return res, nil
}

// matchHeader maps column headers to their index in header; it reports
// extra columns in res and refuses a missing required column.
func matchHeader(kind string, cols []ImportColumn, header []string, res *ImportResult) (map[string]int, error) {
	known := map[string]string{}
	for _, c := range cols {
		known[normalizeHeader(c.Header)] = c.Header
	}
	index := map[string]int{}
	for i, h := range header {
		n := normalizeHeader(h)
		if n == "" {
			continue
		}
		if c, ok := known[n]; ok {
			if _, dup := index[c]; dup {
				return nil, Errorf(EINVALID, "表头“%s”出现了两次，请删去一列", c)
			}
			index[c] = i
		} else if n != "错误说明" {
			res.Extra = append(res.Extra, strings.TrimSpace(h))
		}
	}
	var missing []string
	for _, c := range cols {
		if _, ok := index[c.Header]; !ok && c.Required {
			missing = append(missing, c.Header)
		}
	}
	if len(index) == 0 || len(missing) > 0 {
		if other, n, complete := kindOfHeader(header); other != kind && (complete || len(index) == 0 && n >= 2) {
			return nil, Errorf(EINVALID, "这是%s的导入文件，不是%s的：请到%s的页面导入，或下载%s的导入模板",
				ImportKindLabel(other), ImportKindLabel(kind), ImportKindLabel(other), ImportKindLabel(kind))
		}
	}
	if len(index) == 0 {
		return nil, Errorf(EINVALID, "第一行不是导入模板的表头：没有认出任何列。请下载模板，按模板的表头填写")
	}
	if len(missing) > 0 {
		return nil, Errorf(EINVALID, "缺少必填列：%s。请使用导入模板（表头带 * 的列必须有）", strings.Join(missing, "、"))
	}
	return index, nil
}

// kindOfHeader finds the importable kind a header shares the most columns
// with: the kind, how many columns and whether all its required ones are
// there.
func kindOfHeader(header []string) (kind string, n int, complete bool) {
	have := map[string]bool{}
	for _, h := range header {
		have[normalizeHeader(h)] = true
	}
	for _, k := range ImportKinds() {
		cols, _ := ImportColumns(k)
		m, ok := 0, true
		for _, c := range cols {
			if have[normalizeHeader(c.Header)] {
				m++
			} else if c.Required {
				ok = false
			}
		}
		if m > n || m == n && ok && !complete {
			kind, n, complete = k, m, ok
		}
	}
	return kind, n, complete
}

// shortQuoted shortens the values a message quotes (“…”) to 20
// characters, so that a huge cell does not make a huge message.
func shortQuoted(msg string) string {
	if len(msg) < 200 {
		return msg
	}
	var b strings.Builder
	for {
		i := strings.Index(msg, "“")
		if i < 0 {
			break
		}
		j := strings.Index(msg[i:], "”")
		if j < 0 {
			break
		}
		b.WriteString(msg[:i+len("“")])
		v := []rune(msg[i+len("“") : i+j])
		if len(v) > 20 {
			fmt.Fprintf(&b, "%s…（共 %d 字）", string(v[:20]), len(v))
		} else {
			b.WriteString(string(v))
		}
		b.WriteString("”")
		msg = msg[i+j+len("”"):]
	}
	b.WriteString(msg)
	return b.String()
}

// cleanRow normalises the cells of known columns and reports whether the
// row is blank.
func cleanRow(raw []string, cols []ImportColumn, index map[string]int) ([]string, bool) {
	cells := make([]string, len(raw))
	blank := true
	for i, c := range raw {
		cells[i] = cleanCell(c)
		if cells[i] != "" {
			blank = false
		}
	}
	if blank {
		return cells, true
	}
	for _, c := range cols {
		if i, ok := index[c.Header]; ok && c.Date && i < len(cells) {
			cells[i] = importDate(cells[i])
		}
	}
	return cells, false
}

func (s *Store) newImporter(ctx context.Context, tx *sql.Tx, a *User, kind string) (importer, error) {
	sc, err := s.scopeOf(ctx, tx, a)
	if err != nil {
		return nil, err
	}
	base := importBase{s: s, a: a, sc: sc, depts: map[string]int64{}}
	switch kind {
	case ImportCustomers:
		b, err := newCustomerBulk(ctx, tx, s, a, sc)
		if err != nil {
			return nil, err
		}
		return &customerImporter{importBase: base, cats: map[string]int64{}, users: map[string]int64{},
			names: map[string]int{}, credits: map[string]int{}, bulk: b}, nil
	case ImportItems:
		b, err := newItemBulk(ctx, tx, s, a, sc)
		if err != nil {
			return nil, err
		}
		return &itemImporter{importBase: base, cats: map[string]*Category{}, customers: map[string]int64{},
			missing: map[string]bool{}, bulk: b}, nil
	case ImportComms:
		return &commImporter{importBase: base, ids: map[string]int64{}, missing: map[string]bool{}}, nil
	case ImportContacts:
		return &contactImporter{importBase: base, cards: map[string]*Customer{}, added: map[string]int{},
			missing: map[string]bool{}}, nil
	case ImportDepartments:
		if !a.IsAdmin() {
			return nil, Errorf(EFORBIDDEN, "只有管理员可以导入部门")
		}
		return &deptImporter{importBase: base, codes: map[string]int{}}, nil
	}
	return nil, Errorf(EINVALID, "不能导入“%s”", kind)
}

// importBase holds what every importer needs and caches department codes.
type importBase struct {
	s     *Store
	a     *User
	sc    Scope
	depts map[string]int64
}

// deptID resolves a department code (0 when the code is empty).
func (b *importBase) deptID(ctx context.Context, tx *sql.Tx, code string) (int64, error) {
	if code == "" {
		return 0, nil
	}
	if id, ok := b.depts[code]; ok {
		return id, nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM departments WHERE code = ?`, code).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, fieldErr("dept", "部门编码“%s”不存在：请先在“部门”页建立或导入部门", code)
	} else if err != nil {
		return 0, err
	}
	b.depts[code] = id
	return id, nil
}

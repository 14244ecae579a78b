package data

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// EntityLoan names loans (借阅单) in the audit log.
const EntityLoan = "loan"

// Audit actions of loans.
const (
	ActionLend   = "lend"
	ActionReturn = "return"
	ActionRenew  = "renew"
)

func init() {
	registerEntity(EntityLoan, "借阅")
	registerAction(ActionLend, "借出")
	registerAction(ActionReturn, "归还")
	registerAction(ActionRenew, "续借")
	registerRef(EntityItem, "借阅记录", `SELECT l.no FROM loan_items x JOIN loans l ON l.id = x.loan_id WHERE x.item_id = ? ORDER BY l.id`)
}

// DefaultLoanDays is how long a loan runs unless the setting says otherwise.
const DefaultLoanDays = 14

const keyLoanDays = "loan_days"

// dateLayout is how calendar days of loans are stored and shown.
const dateLayout = "2006-01-02"

// Loan is one 借阅单.
type Loan struct {
	ID             int64
	No             string // 借阅单号, e.g. JY2026-0001
	BorrowerUserID int64  // 0: an outside person
	Borrower       string // 姓名
	Unit           string // 单位
	Phone          string
	Purpose        string // 用途
	LentOn         string // YYYY-MM-DD
	DueOn          string
	Renewals       int
	Handler        string // 经办人
	ReturnedOn     string // when the last item came back; empty while any is out
	ItemCount      int
	OutCount       int    // items not yet returned
	Codes          string // the items' 档号, for lists
	OverdueDays    int    // days past due at the store's today; 0 when not overdue
	Items          []LoanItem
	CreatedAt      time.Time
}

// Open reports whether any item of the loan is still out.
func (l Loan) Open() bool { return l.ReturnedOn == "" }

// LoanItem is one item of a loan.
type LoanItem struct {
	ItemID     int64
	Code       string
	Title      string
	Pages      int
	ReturnedOn string
	ReceivedBy string
}

// LoanInput is what the clerk enters when lending.
type LoanInput struct {
	BorrowerUserID int64 // a user of the program, or 0 and the fields below
	Borrower       string
	Unit           string
	Phone          string
	Purpose        string
	LentOn         string // any form ParseDate reads; empty: today
	DueOn          string // empty: LentOn + the loan days setting
	ItemIDs        []int64
}

// LoanState selects loans in FindLoans.
type LoanState string

// Loan states for filters.
const (
	LoansAll     LoanState = ""
	LoansCurrent LoanState = "current" // some item still out
	LoansOverdue LoanState = "overdue" // out and past due
	LoansPast    LoanState = "past"    // all returned
)

// LoanFilter selects loans.
type LoanFilter struct {
	State  LoanState
	Query  string // part of a 借阅单号, borrower, unit or 档号
	Limit  int    // 0: 200
	Offset int
}

// today is the store's calendar day in local time.
func (s *Store) today() time.Time {
	n := s.now().Local()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.Local)
}

// Today returns the store's current calendar day as YYYY-MM-DD.
func (s *Store) Today() string { return s.today().Format(dateLayout) }

// LoanDays returns how many days a loan runs by default (借阅期限).
func (s *Store) LoanDays(ctx context.Context) int {
	v, err := getSetting(ctx, s.db, keyLoanDays)
	if n, e := strconv.Atoi(v); err == nil && e == nil && n > 0 {
		return n
	}
	return DefaultLoanDays
}

// SetLoanDays changes the default loan period. Admins only; audited.
func (s *Store) SetLoanDays(ctx context.Context, actor *User, days string) error {
	n, err := strconv.Atoi(strings.TrimSpace(NormalizeWidth(days)))
	if err != nil || n < 1 || n > 365 {
		return fieldErr("loan_days", "借阅期限“%s”不正确：应为 1 到 365 之间的天数", days)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, "修改借阅期限")
		if err != nil {
			return err
		}
		old, err := getSetting(ctx, tx, keyLoanDays)
		if err != nil {
			return err
		}
		if err := setSetting(ctx, tx, keyLoanDays, strconv.Itoa(n)); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntitySettings, EntityID: keyLoanDays, Action: ActionUpdate,
			Summary: "修改默认借阅期限为 " + strconv.Itoa(n) + " 天",
			Changes: diff(nil, "借阅期限（天）", old, strconv.Itoa(n)),
		})
	})
}

// ItemByCode finds an item by its 档号 as typed or scanned.
func (s *Store) ItemByCode(ctx context.Context, actor *User, code string) (*Item, error) {
	code = strings.TrimSpace(NormalizeWidth(code))
	if code == "" {
		return nil, fieldErr("code", "请输入或扫描档号")
	}
	// A scanned barcode carries "." for the middle dot (reports/code128.go),
	// and some scanners drop it: try the code as typed, then those forms.
	dotted := strings.NewReplacer(".", "·", "・", "·").Replace(code)
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM archive_items WHERE code IN (?, ?)`, code, dotted).Scan(&id)
	if err == sql.ErrNoRows && !strings.Contains(dotted, "·") {
		err = s.db.QueryRowContext(ctx, `SELECT id FROM archive_items WHERE replace(code, '·', '') = ? LIMIT 1`, code).Scan(&id)
	}
	if err == sql.ErrNoRows {
		return nil, fieldErr("code", "档号“%s”不存在，请检查输入或扫描的档号", code)
	} else if err != nil {
		return nil, err
	}
	return s.ItemByID(ctx, actor, id)
}

// LendableItem finds an item by its 档号 and says why it cannot be lent, if
// it cannot: unknown, destroyed, awaiting destruction, out already, or of a
// frozen or closed customer.
func (s *Store) LendableItem(ctx context.Context, actor *User, code string) (*Item, error) {
	it, err := s.ItemByCode(ctx, actor, code)
	if err != nil {
		return nil, err
	}
	return it, checkLendable(ctx, s.db, it)
}

func checkLendable(ctx context.Context, q queryer, it *Item) error {
	switch it.Status {
	case StatusDestroyed:
		return fieldErr("code", "档案 %s 已销毁，不能借阅", it.Code)
	case StatusPendingDestroy:
		return fieldErr("code", "档案 %s 已列入销毁清册（待销毁），不能借阅", it.Code)
	case StatusLent:
		var no, who, due string
		q.QueryRowContext(ctx, `SELECT l.no, l.borrower, l.due_on FROM loan_items li JOIN loans l ON l.id = li.loan_id
			WHERE li.item_id = ? AND li.returned_on = ''`, it.ID).Scan(&no, &who, &due)
		return fieldErr("code", "档案 %s 已借出（借阅单 %s，借阅人 %s，应还 %s），归还后才能再借", it.Code, no, who, due)
	}
	if _, err := requireCustomerOpen(ctx, q, nil, it.CustomerID); err != nil {
		return fieldErr("code", "档案 %s：%s", it.Code, ErrorMessage(err))
	}
	return nil
}

// normalize checks the input against today and the loan days setting.
func (in LoanInput) normalize(today time.Time, days int) (LoanInput, error) {
	in.Borrower, in.Unit = cleanText(in.Borrower), cleanText(in.Unit)
	in.Phone, in.Purpose = cleanText(NormalizeWidth(in.Phone)), cleanText(in.Purpose)
	lent := today
	if strings.TrimSpace(in.LentOn) != "" {
		t, err := ParseDate("借出日期", in.LentOn)
		if err != nil {
			return in, err
		}
		lent = t
	}
	due := lent.AddDate(0, 0, days)
	if strings.TrimSpace(in.DueOn) != "" {
		t, err := ParseDate("应还日期", in.DueOn)
		if err != nil {
			return in, err
		}
		due = t
	}
	in.LentOn, in.DueOn = lent.Format(dateLayout), due.Format(dateLayout)
	switch {
	case len(in.ItemIDs) == 0:
		return in, fieldErr("items", "请至少添加一件要借出的档案（输入或扫描档号后按回车）")
	case in.BorrowerUserID == 0 && in.Borrower == "":
		return in, fieldErr("borrower", "请填写借阅人姓名，或选择一位本单位用户")
	case in.Purpose == "":
		return in, fieldErr("purpose", "请填写借阅用途")
	case lent.After(today):
		return in, fieldErr("lent_on", "借出日期 %s 晚于今天，请填写实际借出的日期", in.LentOn)
	case due.Before(lent):
		return in, fieldErr("due_on", "应还日期 %s 早于借出日期 %s，请改正", in.DueOn, in.LentOn)
	}
	for _, c := range []struct{ f, label, v string }{{"borrower", "借阅人", in.Borrower}, {"unit", "单位", in.Unit},
		{"phone", "电话", in.Phone}, {"purpose", "用途", in.Purpose}} {
		if err := checkLen(c.f, c.label, c.v, 100); err != nil {
			return in, err
		}
	}
	return in, nil
}

// nextNo returns the next register number prefix+year+"-"+serial of table.
func nextNo(ctx context.Context, tx *sql.Tx, table, prefix string, year int) (string, error) {
	p := fmt.Sprintf("%s%d-", prefix, year)
	var n int
	// By number, not text: JY2026-10000 follows JY2026-9999.
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(CAST(substr(no, ?) AS INTEGER)), 0) FROM `+table+`
		WHERE no LIKE ?`, len(p)+1, p+"%").Scan(&n); err != nil {
		return "", fmt.Errorf("next number: %w", err)
	}
	return fmt.Sprintf("%s%04d", p, n+1), nil
}

// Lend records a loan of the items: each is marked 借出. An item already
// out, destroyed, awaiting destruction or of a frozen customer is refused,
// and then nothing is written. Operators and admins may lend (DESIGN 3);
// operators lend items of their scope.
func (s *Store) Lend(ctx context.Context, actor *User, in LoanInput) (*Loan, error) {
	in, err := in.normalize(s.today(), s.LoanDays(ctx))
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		if in.BorrowerUserID != 0 {
			b, err := s.userByID(ctx, tx, in.BorrowerUserID)
			if err != nil {
				return fieldErr("borrower", "所选借阅人（用户）不存在")
			}
			in.Borrower = orText(b.DisplayName, b.Username)
			if in.Unit == "" {
				in.Unit = b.DeptName
			}
		}
		no, err := nextNo(ctx, tx, "loans", "JY", s.today().Year())
		if err != nil {
			return err
		}
		now := s.nowText()
		res, err := tx.ExecContext(ctx, `INSERT INTO loans (no, borrower_user_id, borrower, unit, phone, purpose,
			lent_on, due_on, handler, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			no, nullID(in.BorrowerUserID), in.Borrower, in.Unit, in.Phone, in.Purpose, in.LentOn, in.DueOn,
			orText(a.DisplayName, a.Username), now)
		if err != nil {
			return fmt.Errorf("insert loan: %w", err)
		}
		id, _ = res.LastInsertId()
		var codes []string
		seen := map[int64]bool{}
		for _, itemID := range in.ItemIDs {
			if seen[itemID] {
				continue
			}
			seen[itemID] = true
			it, err := itemInScope(ctx, tx, sc, itemID, "借出")
			if err != nil {
				return err
			}
			if err := checkLendable(ctx, tx, it); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO loan_items (loan_id, item_id) VALUES (?, ?)`, id, itemID); err != nil {
				return fmt.Errorf("insert loan item: %w", err)
			}
			if err := setItemStatus(ctx, tx, itemID, StatusIn, StatusLent, now); err != nil {
				return err
			}
			codes = append(codes, it.Code)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityLoan, EntityID: no, Action: ActionLend,
			Summary: fmt.Sprintf("借出 %d 件给 %s：%s", len(codes), in.Borrower, strings.Join(codes, "、")),
			Changes: []Change{{Field: "借阅人", New: in.Borrower}, {Field: "单位", New: in.Unit},
				{Field: "用途", New: in.Purpose}, {Field: "借出日期", New: in.LentOn}, {Field: "应还日期", New: in.DueOn},
				{Field: "档号", New: strings.Join(codes, "、")}},
		})
	})
	if err != nil {
		return nil, err
	}
	return s.loanByID(ctx, s.db, id)
}

// setItemStatus moves an item from one status to another; it fails when the
// item is not in status from (someone else changed it).
func setItemStatus(ctx context.Context, tx *sql.Tx, id int64, from, to, now string) error {
	res, err := tx.ExecContext(ctx, `UPDATE archive_items SET status = ?, updated_at = ? WHERE id = ? AND status = ?`,
		to, now, id, from)
	if err != nil {
		return fmt.Errorf("set item status: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return Errorf(ECONFLICT, "档案状态已被他人修改，请刷新后重试")
	}
	return nil
}

const loanColumns = `l.id, l.no, coalesce(l.borrower_user_id, 0), l.borrower, l.unit, l.phone, l.purpose,
	l.lent_on, l.due_on, l.renewals, l.handler, l.returned_on, l.created_at,
	(SELECT count(*) FROM loan_items x WHERE x.loan_id = l.id),
	(SELECT count(*) FROM loan_items x WHERE x.loan_id = l.id AND x.returned_on = ''),
	(SELECT group_concat(i.code, '、') FROM loan_items x JOIN archive_items i ON i.id = x.item_id WHERE x.loan_id = l.id)`

func (s *Store) scanLoan(sc interface{ Scan(...any) error }) (*Loan, error) {
	var l Loan
	var created string
	var codes sql.NullString
	if err := sc.Scan(&l.ID, &l.No, &l.BorrowerUserID, &l.Borrower, &l.Unit, &l.Phone, &l.Purpose, &l.LentOn,
		&l.DueOn, &l.Renewals, &l.Handler, &l.ReturnedOn, &created, &l.ItemCount, &l.OutCount, &codes); err != nil {
		return nil, err
	}
	l.Codes = codes.String
	l.CreatedAt = parseTime(created)
	if l.Open() {
		if due, err := time.ParseInLocation(dateLayout, l.DueOn, time.Local); err == nil {
			if d := int(s.today().Sub(due).Hours()/24 + 0.5); d > 0 {
				l.OverdueDays = d
			}
		}
	}
	return &l, nil
}

func (s *Store) loanByID(ctx context.Context, q queryer, id int64) (*Loan, error) {
	l, err := s.scanLoan(q.QueryRowContext(ctx, `SELECT `+loanColumns+` FROM loans l WHERE l.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "借阅单不存在")
	}
	rows, err := q.QueryContext(ctx, `SELECT i.id, i.code, i.title, i.pages, x.returned_on, x.received_by
		FROM loan_items x JOIN archive_items i ON i.id = x.item_id WHERE x.loan_id = ? ORDER BY i.sort_key`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var it LoanItem
		if err := rows.Scan(&it.ItemID, &it.Code, &it.Title, &it.Pages, &it.ReturnedOn, &it.ReceivedBy); err != nil {
			return nil, err
		}
		l.Items = append(l.Items, it)
	}
	return l, rows.Err()
}

// LoanByID returns a loan with its items.
func (s *Store) LoanByID(ctx context.Context, actor *User, id int64) (*Loan, error) {
	if _, err := s.currentActor(ctx, s.db, actor); err != nil {
		return nil, err
	}
	return s.loanByID(ctx, s.db, id)
}

// loanWhere builds the WHERE clause of a loan filter. Operators see loans
// with an item of their scope.
func (s *Store) loanWhere(ctx context.Context, actor *User, f LoanFilter) (string, []any, error) {
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return "", nil, err
	}
	where, args := []string{}, []any{}
	if !sc.All {
		cond, a := sc.Filter("i.dept_id")
		where = append(where, `EXISTS (SELECT 1 FROM loan_items x JOIN archive_items i ON i.id = x.item_id
			WHERE x.loan_id = l.id AND `+cond+`)`)
		args = append(args, a...)
	}
	switch f.State {
	case LoansCurrent:
		where = append(where, `l.returned_on = ''`)
	case LoansOverdue:
		where = append(where, `l.returned_on = '' AND l.due_on < ?`)
		args = append(args, s.Today())
	case LoansPast:
		where = append(where, `l.returned_on <> ''`)
	}
	if q := strings.TrimSpace(NormalizeWidth(f.Query)); q != "" {
		like := likeArg(q)
		where = append(where, `(l.no LIKE ? ESCAPE '\' OR l.borrower LIKE ? ESCAPE '\' OR l.unit LIKE ? ESCAPE '\'
			OR EXISTS (SELECT 1 FROM loan_items x JOIN archive_items i ON i.id = x.item_id
				WHERE x.loan_id = l.id AND i.code LIKE ? ESCAPE '\'))`)
		args = append(args, like, like, like, like)
	}
	if len(where) == 0 {
		return "", args, nil
	}
	return " WHERE " + strings.Join(where, " AND "), args, nil
}

// FindLoans returns a page of loans and the number matching: open ones by
// due date (most overdue first), returned ones newest first.
func (s *Store) FindLoans(ctx context.Context, actor *User, f LoanFilter) ([]Loan, int, error) {
	where, args, err := s.loanWhere(ctx, actor, f)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+loanColumns+`, count(*) OVER () FROM loans l`+where+`
		ORDER BY l.returned_on <> '', CASE WHEN l.returned_on = '' THEN l.due_on END, l.returned_on DESC, l.id DESC
		LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find loans: %w", err)
	}
	defer rows.Close()
	var out []Loan
	total := 0
	for rows.Next() {
		l, err := s.scanLoan(scanExtra{rows, &total})
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *l)
	}
	return out, total, rows.Err()
}

// scanExtra scans a row whose last column is not part of the record.
type scanExtra struct {
	rows  *sql.Rows
	extra any
}

func (e scanExtra) Scan(dst ...any) error { return e.rows.Scan(append(dst, e.extra)...) }

// ReturnLoan records the return of some items of a loan (all still out when
// itemIDs is empty). Each returns to 在库; the loan is closed when the last
// comes back.
func (s *Store) ReturnLoan(ctx context.Context, actor *User, loanID int64, itemIDs []int64) error {
	return s.changeLoan(ctx, actor, loanID, func(tx *sql.Tx, a *User, l *Loan) error {
		if !l.Open() {
			return Errorf(ECONFLICT, "借阅单 %s 的档案已于 %s 全部归还", l.No, l.ReturnedOn)
		}
		all, want := len(itemIDs) == 0, map[int64]bool{}
		for _, id := range itemIDs {
			want[id] = true
		}
		today, now, who := s.Today(), s.nowText(), orText(a.DisplayName, a.Username)
		var codes []string
		for _, it := range l.Items {
			if !all && !want[it.ItemID] {
				continue
			}
			delete(want, it.ItemID)
			if it.ReturnedOn != "" {
				if !all {
					return Errorf(ECONFLICT, "档案 %s 已于 %s 归还", it.Code, it.ReturnedOn)
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE loan_items SET returned_on = ?, received_by = ? WHERE loan_id = ? AND item_id = ?`,
				today, who, loanID, it.ItemID); err != nil {
				return fmt.Errorf("return item: %w", err)
			}
			if err := setItemStatus(ctx, tx, it.ItemID, StatusLent, StatusIn, now); err != nil {
				return err
			}
			codes = append(codes, it.Code)
		}
		if len(codes) == 0 || len(want) > 0 {
			return fieldErr("items", "所选档案不在借阅单 %s 中，请重新选择", l.No)
		}
		if len(codes) == l.OutCount {
			if _, err := tx.ExecContext(ctx, `UPDATE loans SET returned_on = ? WHERE id = ?`, today, loanID); err != nil {
				return fmt.Errorf("close loan: %w", err)
			}
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityLoan, EntityID: l.No, Action: ActionReturn,
			Summary: fmt.Sprintf("归还 %d 件（借阅人 %s）：%s", len(codes), l.Borrower, strings.Join(codes, "、")),
			Changes: []Change{{Field: "归还档号", New: strings.Join(codes, "、")}, {Field: "归还日期", New: today}},
		})
	})
}

// RenewLoan moves the due date of an open loan later (续借); renewals are
// counted and kept.
func (s *Store) RenewLoan(ctx context.Context, actor *User, loanID int64, newDue string) error {
	t, err := ParseDate("新的应还日期", newDue)
	if err != nil {
		return err
	}
	due := t.Format(dateLayout)
	return s.changeLoan(ctx, actor, loanID, func(tx *sql.Tx, a *User, l *Loan) error {
		switch {
		case !l.Open():
			return Errorf(ECONFLICT, "借阅单 %s 的档案已全部归还，不能续借", l.No)
		case due <= l.DueOn:
			return fieldErr("due_on", "新的应还日期 %s 应晚于原应还日期 %s", due, l.DueOn)
		case due < s.Today():
			return fieldErr("due_on", "新的应还日期 %s 早于今天，请改正", due)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE loans SET due_on = ?, renewals = renewals + 1 WHERE id = ?`, due, loanID); err != nil {
			return fmt.Errorf("renew loan: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO loan_renewals (loan_id, old_due, new_due, at, user_name)
			VALUES (?, ?, ?, ?, ?)`, loanID, l.DueOn, due, s.nowText(), a.Username); err != nil {
			return fmt.Errorf("record renewal: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityLoan, EntityID: l.No, Action: ActionRenew,
			Summary: fmt.Sprintf("续借（第 %d 次）至 %s", l.Renewals+1, due),
			Changes: diff(nil, "应还日期", l.DueOn, due),
		})
	})
}

// changeLoan runs fn in one write transaction with the actor reloaded and
// loan loanID read inside it: the opening of returns and renewals.
func (s *Store) changeLoan(ctx context.Context, actor *User, loanID int64, fn func(tx *sql.Tx, a *User, l *Loan) error) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.currentActor(ctx, tx, actor)
		if err != nil {
			return err
		}
		l, err := s.loanByID(ctx, tx, loanID)
		if err != nil {
			return err
		}
		return fn(tx, a, l)
	})
}

// LoanStats are the counts on top of the loans tab.
type LoanStats struct {
	OnLoan       int // items out
	Overdue      int // items out past their due date
	DueAppraisal int // items whose retention has run out
	Awaiting     int // destruction registers awaiting approval
}

// LoanStats counts what the loans tab shows on top, in the user's scope.
func (s *Store) LoanStats(ctx context.Context, actor *User) (LoanStats, error) {
	var st LoanStats
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return st, err
	}
	cond, args := sc.Filter("i.dept_id")
	err = s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(l.due_on < ?), 0) FROM loan_items x
		JOIN loans l ON l.id = x.loan_id JOIN archive_items i ON i.id = x.item_id
		WHERE x.returned_on = '' AND `+cond, append([]any{s.Today()}, args...)...).Scan(&st.OnLoan, &st.Overdue)
	if err != nil {
		return st, fmt.Errorf("loan stats: %w", err)
	}
	if st.DueAppraisal, err = s.CountDue(ctx, actor, DueFilter{}); err != nil {
		return st, err
	}
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM destruction_registers WHERE status = 'draft'`).Scan(&st.Awaiting)
	return st, err
}

package data

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"
)

// BackupWarnAfter is how old the last backup may get before the dashboard
// warns about it.
const BackupWarnAfter = 7 * 24 * time.Hour

// Count is one bar of a dashboard breakdown: Key is what a list filter
// takes (a grade, a status code, a region, a year, a 门类 code), Label what
// people read, ID the record behind it when there is one (a 门类's id).
type Count struct {
	Key   string
	Label string
	ID    int64
	N     int
}

// Dashboard is what the 首页 shows, all in the user's scope.
type Dashboard struct {
	Customers         int
	CustomersByGrade  []Count // grade order; Key "" is 未定级
	CustomersByStatus []Count // 正常, 冻结, 注销
	CustomersByRegion []Count // most customers first; Key "" is 未填

	Items         int
	ItemsByClass  []Count // by 门类 code; ID is the 门类
	ItemsByYear   []Count // oldest year first; Key is the year
	ItemsByStatus []Count // 在库, 借出, 待销毁, 已销毁

	OpenLoans    int // 借阅单 with an item still out (the loans tab's 未还 list)
	OverdueLoans int // of those, past their due date (the 逾期 list)
	DueAppraisal int // items whose retention has run out (the 档案鉴定 list)

	LastBackup time.Time // the newest backup made (manual or automatic); zero: none yet
}

// BackupAge is how long ago the last backup was made at now.
func (d Dashboard) BackupAge(now time.Time) time.Duration {
	if d.LastBackup.IsZero() {
		return 0
	}
	return now.Sub(d.LastBackup)
}

// BackupStale reports a missing backup or one older than BackupWarnAfter.
func (d Dashboard) BackupStale(now time.Time) bool {
	return d.LastBackup.IsZero() || d.BackupAge(now) > BackupWarnAfter
}

// Dashboard counts the customers, items, loans, items due for appraisal and
// the last backup for the 首页. Each figure follows the rule of the list it
// opens: customers and items as FindCustomers and FindItems scope them,
// loans as FindLoans, due items as the 档案鉴定 list (dueWhere).
//
// The items are read in one pass: the rows are grouped by every column a
// figure needs along the index archive_items_dashboard (migration 0006),
// which holds exactly those columns in the GROUP BY order, and the figures
// are sums over the groups (a few thousand at most). Customers likewise.
func (s *Store) Dashboard(ctx context.Context, actor *User) (Dashboard, error) {
	var d Dashboard
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return d, err
	}
	// Customers and items side by side: they fill different fields.
	var custErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		custErr = s.dashCustomers(ctx, sc, &d)
	}()
	err = s.dashItems(ctx, actor, sc, &d)
	wg.Wait()
	if err := errors.Join(custErr, err); err != nil {
		return d, err
	}
	if _, d.OpenLoans, err = s.FindLoans(ctx, actor, LoanFilter{State: LoansCurrent, Limit: 1}); err != nil {
		return d, err
	}
	if _, d.OverdueLoans, err = s.FindLoans(ctx, actor, LoanFilter{State: LoansOverdue, Limit: 1}); err != nil {
		return d, err
	}
	d.LastBackup, err = s.lastBackup(ctx)
	return d, err
}

// dashCustomers counts the customers by status, grade and region in one
// pass over the covering index customers_dashboard.
func (s *Store) dashCustomers(ctx context.Context, sc Scope, d *Dashboard) error {
	cond, args := sc.Filter("c.dept_id")
	rows, err := s.db.QueryContext(ctx, `WITH g AS MATERIALIZED (
			SELECT status, grade, region, count(*) AS n FROM customers c WHERE `+cond+`
			GROUP BY dept_id, status, grade, region)
		SELECT 's', status, sum(n) FROM g GROUP BY status
		UNION ALL SELECT 'g', grade, sum(n) FROM g GROUP BY grade
		UNION ALL SELECT 'r', region, sum(n) FROM g GROUP BY region`, args...)
	if err != nil {
		return fmt.Errorf("dashboard customers: %w", err)
	}
	defer rows.Close()
	status := map[string]int{}
	for rows.Next() {
		var kind, key string
		var n int
		if err := rows.Scan(&kind, &key, &n); err != nil {
			return err
		}
		switch kind {
		case "s":
			status[key] = n
			d.Customers += n
		case "g":
			label := key
			if key == "" {
				label = "未定级"
			}
			d.CustomersByGrade = append(d.CustomersByGrade, Count{Key: key, Label: label, N: n})
		case "r":
			label := key
			if key == "" {
				label = "未填"
			}
			d.CustomersByRegion = append(d.CustomersByRegion, Count{Key: key, Label: label, N: n})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, st := range []string{CustomerNormal, CustomerFrozen, CustomerClosed} {
		d.CustomersByStatus = append(d.CustomersByStatus, Count{Key: st, Label: CustomerStatusLabel(st), N: status[st]})
	}
	sortByKey(d.CustomersByGrade)
	sortCounts(d.CustomersByRegion)
	return nil
}

// dashItems counts the items by 门类, year and status, and those due for
// appraisal, in one pass over the index archive_items_dashboard: the
// departments are split into parts (itemParts) counted side by side on
// their own connections, and the parts' sums added up.
func (s *Store) dashItems(ctx context.Context, actor *User, sc Scope, d *Dashboard) error {
	due, dueArgs, err := s.dueWhere(ctx, actor, DueFilter{})
	if err != nil {
		return err
	}
	parts, err := s.itemParts(ctx, sc)
	if err != nil {
		return err
	}
	type key struct {
		kind string
		id   int64
		code string
	}
	sums, names := map[key]int{}, map[key]string{}
	var mu sync.Mutex
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.dashItemPart(ctx, p, due, dueArgs, func(kind string, id int64, code, name string, n int) {
				mu.Lock()
				defer mu.Unlock()
				k := key{kind, id, code}
				sums[k] += n
				names[k] = name
			})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	status := map[string]int{}
	for k, n := range sums {
		switch k.kind {
		case "c":
			d.ItemsByClass = append(d.ItemsByClass, Count{Key: k.code, Label: k.code + " " + names[k], ID: k.id, N: n})
			d.Items += n
		case "y":
			y := strconv.FormatInt(k.id, 10)
			d.ItemsByYear = append(d.ItemsByYear, Count{Key: y, Label: y, N: n})
		case "s":
			status[k.code] = n
		case "d":
			d.DueAppraisal = n
		}
	}
	for _, st := range itemStatuses {
		d.ItemsByStatus = append(d.ItemsByStatus, Count{Key: st, Label: StatusLabel(st), N: status[st]})
	}
	sortByKey(d.ItemsByClass)
	sortByKey(d.ItemsByYear)
	return nil
}

// dashPart is a set of departments whose items are counted together: a
// condition on i.dept_id with its arguments.
type dashPart struct {
	cond string
	args []any
}

// itemParts splits the scope's departments in two halves (and the items
// of no department), each an index range, so that two cores share the
// scan; a scope of one department is one part.
func (s *Store) itemParts(ctx context.Context, sc Scope) ([]dashPart, error) {
	if !sc.All {
		if len(sc.DeptIDs) < 2 {
			cond, args := sc.Filter("i.dept_id")
			return []dashPart{{cond, args}}, nil
		}
		half := len(sc.DeptIDs) / 2
		a, b := Scope{DeptIDs: sc.DeptIDs[:half]}, Scope{DeptIDs: sc.DeptIDs[half:]}
		ca, aa := a.Filter("i.dept_id")
		cb, ab := b.Filter("i.dept_id")
		return []dashPart{{ca, aa}, {cb, ab}}, nil
	}
	var ids []int64
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM departments ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) < 2 {
		return []dashPart{{"1=1", nil}}, nil
	}
	mid := ids[len(ids)/2]
	return []dashPart{{"i.dept_id < ?", []any{mid}}, {"i.dept_id >= ?", []any{mid}}, {"i.dept_id IS NULL", nil}}, nil
}

// dashItemPart counts the items of one part: they are grouped by every
// column a figure reads, and the figures are sums over the groups.
func (s *Store) dashItemPart(ctx context.Context, p dashPart, due string, dueArgs []any,
	add func(kind string, id int64, code, name string, n int)) error {
	// g has the columns dueWhere reads, under the alias it reads them by.
	rows, err := s.db.QueryContext(ctx, `WITH g AS MATERIALIZED (
			SELECT dept_id, class_id, year, retention, kept_retention, status, count(*) AS n
			FROM archive_items i WHERE `+p.cond+`
			GROUP BY dept_id, class_id, year, retention, kept_retention, status)
		SELECT 'c', g.class_id, p.code, p.name, sum(n) FROM g JOIN archive_categories p ON p.id = g.class_id
			GROUP BY g.class_id
		UNION ALL SELECT 'y', year, '', '', sum(n) FROM g GROUP BY year
		UNION ALL SELECT 's', 0, status, '', sum(n) FROM g GROUP BY status
		UNION ALL SELECT 'd', 0, '', '', coalesce(sum(n), 0) FROM g i`+due, append(p.args, dueArgs...)...)
	if err != nil {
		return fmt.Errorf("dashboard items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, code, name string
		var id int64
		var n int
		if err := rows.Scan(&kind, &id, &code, &name, &n); err != nil {
			return err
		}
		add(kind, id, code, name, n)
	}
	return rows.Err()
}

// lastBackup is the time of the newest backup: every finished backup,
// manual or automatic, writes an audit row.
func (s *Store) lastBackup(ctx context.Context) (time.Time, error) {
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(at), '') FROM audit_log
		WHERE entity = ? AND action = ?`, EntityBackup, ActionBackup).Scan(&at)
	if err != nil {
		return time.Time{}, fmt.Errorf("last backup: %w", err)
	}
	last := parseTime(at)
	if set, err := s.BackupSettings(ctx); err == nil && set.LastAuto.After(last) {
		last = set.LastAuto
	}
	return last, nil
}

// sortCounts orders counts by N, largest first, then by label; an empty
// key goes last.
func sortCounts(cs []Count) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if (a.Key == "") != (b.Key == "") {
			return b.Key == ""
		}
		if a.N != b.N {
			return a.N > b.N
		}
		return a.Label < b.Label
	})
}

// sortByKey orders counts by key; an empty key goes last.
func sortByKey(cs []Count) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if (a.Key == "") != (b.Key == "") {
			return b.Key == ""
		}
		return a.Key < b.Key
	})
}

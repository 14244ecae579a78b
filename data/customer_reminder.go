package data

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Reminder windows (DESIGN 2.5, seed 004 准流失客户).
const (
	BirthdayDays = 7   // contact birthdays from today to this many days ahead
	QuietDays    = 180 // no communication for this many days
	maxReminders = 500
)

// Reminder kinds.
const (
	ReminderBirthday = "birthday"
	ReminderFollowUp = "follow_up"
	ReminderQuiet    = "quiet"
)

// Reminder is one line of the reminders panel.
type Reminder struct {
	Kind       string
	CustomerID int64
	Code       string
	Name       string
	Date       string // the birthday this year, the follow-up date, or the last communication
	Detail     string // Chinese text to show
}

// Reminders lists, for the customers the actor may see and that are not
// closed: contact birthdays today and in the next BirthdayDays days,
// follow-ups due by today, and customers without communication for
// QuietDays days (counting from the card's date when there was none). The
// day is the store clock's, in local time.
func (s *Store) Reminders(ctx context.Context, actor *User) ([]Reminder, error) {
	sc, err := s.scopeOf(ctx, s.db, actor)
	if err != nil {
		return nil, err
	}
	scope, scopeArgs := sc.Filter("c.dept_id")
	now := s.now().Local()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
	var out []Reminder

	// Birthdays: match month-day against the next days, so the year's end
	// and 29 February need no special case.
	var mds []string
	dayOf := map[string]time.Time{}
	for i := 0; i <= BirthdayDays; i++ {
		d := today.AddDate(0, 0, i)
		md := d.Format("01-02")
		mds = append(mds, md)
		dayOf[md] = d
	}
	args := append([]any{}, scopeArgs...)
	for _, md := range mds {
		args = append(args, md)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.code, c.name, p.name, p.title, p.birthday
		FROM customer_contacts p JOIN customers c ON c.id = p.customer_id
		WHERE `+scope+` AND c.status != 'closed' AND p.birthday != ''
		AND substr(p.birthday, 6, 5) IN (`+strings.TrimSuffix(strings.Repeat("?,", len(mds)), ",")+`)
		LIMIT `+fmt.Sprint(maxReminders), args...)
	if err != nil {
		return nil, fmt.Errorf("birthday reminders: %w", err)
	}
	defer rows.Close()
	var bdays []Reminder
	for rows.Next() {
		var r Reminder
		var person, title, bday string
		if err := rows.Scan(&r.CustomerID, &r.Code, &r.Name, &person, &title, &bday); err != nil {
			return nil, err
		}
		d := dayOf[bday[5:]]
		r.Kind, r.Date = ReminderBirthday, d.Format("2006-01-02")
		when := "今天"
		if n := int(d.Sub(today).Hours() / 24); n > 0 {
			when = fmt.Sprintf("%d 天后", n)
		}
		if title != "" {
			person += "（" + title + "）"
		}
		r.Detail = fmt.Sprintf("联系人 %s %s生日（%s）", person, when, d.Format("1月2日"))
		bdays = append(bdays, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortReminders(bdays)
	out = append(out, bdays...)

	todayText := today.Format("2006-01-02")
	rows2, err := s.db.QueryContext(ctx, `SELECT c.id, c.code, c.name, c.next_follow_up FROM customers c
		WHERE `+scope+` AND c.status != 'closed' AND c.next_follow_up != '' AND c.next_follow_up <= ?
		ORDER BY c.next_follow_up, c.code LIMIT `+fmt.Sprint(maxReminders), append(append([]any{}, scopeArgs...), todayText)...)
	if err != nil {
		return nil, fmt.Errorf("follow-up reminders: %w", err)
	}
	defer rows2.Close()
	for rows2.Next() {
		r := Reminder{Kind: ReminderFollowUp}
		if err := rows2.Scan(&r.CustomerID, &r.Code, &r.Name, &r.Date); err != nil {
			return nil, err
		}
		if r.Date == todayText {
			r.Detail = "今天应跟进"
		} else {
			d, _ := time.ParseInLocation("2006-01-02", r.Date, time.Local)
			r.Detail = fmt.Sprintf("应于 %s 跟进，已过 %d 天", r.Date, int(today.Sub(d).Hours()/24))
		}
		out = append(out, r)
	}
	if err := rows2.Err(); err != nil {
		return nil, err
	}

	cutoff := today.AddDate(0, 0, -QuietDays).Format("2006-01-02")
	rows3, err := s.db.QueryContext(ctx, `SELECT c.id, c.code, c.name, c.last_comm_on, c.created_on FROM customers c
		WHERE `+scope+` AND c.status != 'closed' AND coalesce(nullif(c.last_comm_on, ''), c.created_on) < ?
		ORDER BY coalesce(nullif(c.last_comm_on, ''), c.created_on), c.code LIMIT `+fmt.Sprint(maxReminders),
		append(append([]any{}, scopeArgs...), cutoff)...)
	if err != nil {
		return nil, fmt.Errorf("quiet reminders: %w", err)
	}
	defer rows3.Close()
	for rows3.Next() {
		r := Reminder{Kind: ReminderQuiet}
		var created string
		if err := rows3.Scan(&r.CustomerID, &r.Code, &r.Name, &r.Date, &created); err != nil {
			return nil, err
		}
		if r.Date == "" {
			r.Date = created
			r.Detail = fmt.Sprintf("建档（%s）以来没有沟通记录，超过 %d 天", created, QuietDays)
		} else {
			d, _ := time.ParseInLocation("2006-01-02", r.Date, time.Local)
			r.Detail = fmt.Sprintf("最近一次沟通在 %s，已 %d 天没有沟通", r.Date, int(today.Sub(d).Hours()/24))
		}
		out = append(out, r)
	}
	return out, rows3.Err()
}

func sortReminders(rs []Reminder) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && (rs[j].Date < rs[j-1].Date || rs[j].Date == rs[j-1].Date && rs[j].Code < rs[j-1].Code); j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

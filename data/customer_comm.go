package data

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Communication is one 沟通纪要 record (seed 000 专业沟通阶段).
type Communication struct {
	ID           int64
	CustomerID   int64
	Date         string // YYYY-MM-DD
	Method       string // 沟通方式 (dictionary)
	OurPeople    string
	TheirPeople  string
	Subject      string
	Detail       string
	Satisfaction string // 满意度 (dictionary)
	NextFollowUp string // 下次跟进日期
	CreatedBy    string
	CreatedAt    time.Time
}

func (m *Communication) validate(ctx context.Context, tx *sql.Tx) error {
	var err error
	if m.Date, err = checkDate("date", "沟通日期", m.Date); err != nil {
		return err
	}
	if m.Date == "" {
		return fieldErr("date", "沟通日期不能为空")
	}
	m.Subject, m.Detail = cleanText(m.Subject), cleanText(m.Detail)
	m.OurPeople, m.TheirPeople = cleanText(m.OurPeople), cleanText(m.TheirPeople)
	if m.Subject == "" {
		return fieldErr("subject", "沟通主题不能为空")
	}
	for _, c := range []struct {
		field, label, v string
		max             int
	}{{"subject", "沟通主题", m.Subject, 100}, {"detail", "详细纪要", m.Detail, 4000},
		{"our_people", "我方人员", m.OurPeople, 100}, {"their_people", "客户方人员", m.TheirPeople, 100}} {
		if err := checkLen(c.field, c.label, c.v, c.max); err != nil {
			return err
		}
	}
	if m.NextFollowUp, err = checkDate("next_follow_up", "下次跟进日期", m.NextFollowUp); err != nil {
		return err
	}
	if m.NextFollowUp != "" && m.NextFollowUp < m.Date {
		return fieldErr("next_follow_up", "下次跟进日期 %s 早于沟通日期 %s，请核对", m.NextFollowUp, m.Date)
	}
	if m.Method, err = checkDictValue(ctx, tx, "method", DictCommMethod, m.Method, ""); err != nil {
		return err
	}
	m.Satisfaction, err = checkDictValue(ctx, tx, "satisfaction", DictSatisfaction, m.Satisfaction, "")
	return err
}

// AddCommunication records a communication with a customer and updates the
// card's last communication and next follow-up dates. Not on frozen or
// closed cards.
func (s *Store) AddCommunication(ctx context.Context, actor *User, m Communication) (int64, error) {
	var id int64
	err := s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		var err error
		id, err = s.addCommunication(ctx, tx, a, sc, &m)
		return err
	})
	return id, err
}

// addCommunication checks and records m inside tx for actor a with scope
// sc: the card (AddCommunication) and the import share it.
func (s *Store) addCommunication(ctx context.Context, tx *sql.Tx, a *User, sc Scope, m *Communication) (int64, error) {
	c, err := editableCustomer(ctx, tx, sc, m.CustomerID)
	if err != nil {
		return 0, err
	}
	if err := m.validate(ctx, tx); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO customer_comms (customer_id, on_date, method, our_people,
		their_people, subject, detail, satisfaction, next_follow_up, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, m.Date, m.Method, m.OurPeople, m.TheirPeople,
		m.Subject, m.Detail, m.Satisfaction, m.NextFollowUp, a.Username, s.nowText())
	if err != nil {
		return 0, fmt.Errorf("insert communication: %w", err)
	}
	id, _ := res.LastInsertId()
	if err := refreshCommDates(ctx, tx, c.ID); err != nil {
		return 0, err
	}
	return id, s.writeAudit(ctx, tx, a, "", auditRecord{
		Entity: EntityCustomer, EntityID: c.Code, Action: ActionUpdate,
		Summary: "新增沟通纪要 " + c.Code + " " + c.Name,
		Changes: []Change{{Field: "沟通纪要", New: m.Date + " " + m.Subject}},
	})
}

// DeleteCommunication removes a communication record entered by mistake.
func (s *Store) DeleteCommunication(ctx context.Context, actor *User, id int64) error {
	return s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		var custID int64
		var date, subject string
		err := tx.QueryRowContext(ctx, `SELECT customer_id, on_date, subject FROM customer_comms WHERE id = ?`, id).
			Scan(&custID, &date, &subject)
		if err != nil {
			return notFound(err, "该沟通纪要不存在")
		}
		c, err := editableCustomer(ctx, tx, sc, custID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM customer_comms WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete communication: %w", err)
		}
		if err := refreshCommDates(ctx, tx, custID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityCustomer, EntityID: c.Code, Action: ActionUpdate,
			Summary: "删除沟通纪要 " + c.Code + " " + c.Name,
			Changes: []Change{{Field: "沟通纪要", Old: date + " " + subject}},
		})
	})
}

// refreshCommDates copies the newest record's dates onto the card, where
// the list and the reminders read them through indexes.
func refreshCommDates(ctx context.Context, tx *sql.Tx, customerID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE customers SET
		last_comm_on = coalesce((SELECT max(on_date) FROM customer_comms WHERE customer_id = ?1), ''),
		next_follow_up = coalesce((SELECT next_follow_up FROM customer_comms WHERE customer_id = ?1
			ORDER BY on_date DESC, id DESC LIMIT 1), '')
		WHERE id = ?1`, customerID)
	if err != nil {
		return fmt.Errorf("refresh communication dates: %w", err)
	}
	return nil
}

// FindCommunications returns a customer's communication records, newest
// first.
func (s *Store) FindCommunications(ctx context.Context, actor *User, customerID int64) ([]Communication, error) {
	if _, err := s.Customer(ctx, actor, customerID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, customer_id, on_date, method, our_people, their_people, subject,
		detail, satisfaction, next_follow_up, created_by, created_at FROM customer_comms
		WHERE customer_id = ? ORDER BY on_date DESC, id DESC`, customerID)
	if err != nil {
		return nil, fmt.Errorf("find communications: %w", err)
	}
	defer rows.Close()
	var out []Communication
	for rows.Next() {
		var m Communication
		var at string
		if err := rows.Scan(&m.ID, &m.CustomerID, &m.Date, &m.Method, &m.OurPeople, &m.TheirPeople, &m.Subject,
			&m.Detail, &m.Satisfaction, &m.NextFollowUp, &m.CreatedBy, &at); err != nil {
			return nil, err
		}
		m.CreatedAt = parseTime(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

package data

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// StatusChange is one freeze, unfreeze, close or reopen of a customer.
type StatusChange struct {
	OldStatus, NewStatus string
	Reason               string
	At                   time.Time
	UserName             string
}

// Rename is one change of a customer's name (更名记录).
type Rename struct {
	OldName, NewName string
	At               time.Time
	UserName         string
}

// FreezeCustomer makes a card read-only until it is unfrozen; the reason
// is required and recorded.
func (s *Store) FreezeCustomer(ctx context.Context, actor *User, id int64, reason string) error {
	return s.setCustomerStatus(ctx, actor, id, CustomerNormal, CustomerFrozen, ActionFreeze, reason)
}

// UnfreezeCustomer makes a frozen card editable again; the reason is
// recorded.
func (s *Store) UnfreezeCustomer(ctx context.Context, actor *User, id int64, reason string) error {
	return s.setCustomerStatus(ctx, actor, id, CustomerFrozen, CustomerNormal, ActionUnfreeze, reason)
}

// CloseCustomer closes (注销) a normal or frozen customer; the card and its
// archives are kept, read-only.
func (s *Store) CloseCustomer(ctx context.Context, actor *User, id int64, reason string) error {
	return s.setCustomerStatus(ctx, actor, id, "", CustomerClosed, ActionClose, reason)
}

// ReopenCustomer brings a closed customer back to normal. Admins only.
func (s *Store) ReopenCustomer(ctx context.Context, actor *User, id int64, reason string) error {
	return s.setCustomerStatus(ctx, actor, id, CustomerClosed, CustomerNormal, ActionReopen, reason)
}

func (s *Store) setCustomerStatus(ctx context.Context, actor *User, id int64, from, to, action, reason string) error {
	verb := ActionLabel(action)
	reason = cleanText(reason)
	if reason == "" {
		return fieldErr("reason", "请填写%s原因", verb)
	}
	if err := checkLen("reason", verb+"原因", reason, 200); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.currentActor(ctx, tx, actor)
		if err != nil {
			return err
		}
		if action == ActionReopen && !a.IsAdmin() {
			return Errorf(EFORBIDDEN, "只有管理员可以恢复已注销的客户")
		}
		sc, err := s.scopeOf(ctx, tx, a)
		if err != nil {
			return err
		}
		c, err := customerByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkScope(sc, c); err != nil {
			return err
		}
		switch {
		case c.Status == to:
			return Errorf(ECONFLICT, "客户“%s %s”已经是%s状态", c.Code, c.Name, CustomerStatusLabel(to))
		case from != "" && c.Status != from:
			return Errorf(ECONFLICT, "客户“%s %s”当前为%s状态，不能%s", c.Code, c.Name, CustomerStatusLabel(c.Status), verb)
		}
		freezeReason := ""
		if to == CustomerFrozen {
			freezeReason = reason
		}
		now := s.nowText()
		if _, err := tx.ExecContext(ctx, `UPDATE customers SET status = ?, freeze_reason = ?, updated_at = ? WHERE id = ?`,
			to, freezeReason, now, id); err != nil {
			return fmt.Errorf("set customer status: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO customer_status_log
			(customer_id, old_status, new_status, reason, at, user_name) VALUES (?, ?, ?, ?, ?, ?)`,
			id, c.Status, to, reason, now, a.Username); err != nil {
			return fmt.Errorf("record status change: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityCustomer, EntityID: c.Code, Action: action,
			Summary: verb + "客户 " + c.Code + " " + c.Name + "：" + reason,
			Changes: []Change{{Field: "状态", Old: CustomerStatusLabel(c.Status), New: CustomerStatusLabel(to)}, {Field: "原因", New: reason}},
		})
	})
}

// CustomerHistory returns a card's rename and status history, oldest first.
func (s *Store) CustomerHistory(ctx context.Context, actor *User, id int64) ([]Rename, []StatusChange, error) {
	if _, err := s.Customer(ctx, actor, id); err != nil {
		return nil, nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT old_name, new_name, at, user_name FROM customer_renames
		WHERE customer_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("read renames: %w", err)
	}
	defer rows.Close()
	var renames []Rename
	for rows.Next() {
		var r Rename
		var at string
		if err := rows.Scan(&r.OldName, &r.NewName, &at, &r.UserName); err != nil {
			return nil, nil, err
		}
		r.At = parseTime(at)
		renames = append(renames, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	srows, err := s.db.QueryContext(ctx, `SELECT old_status, new_status, reason, at, user_name FROM customer_status_log
		WHERE customer_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("read status log: %w", err)
	}
	defer srows.Close()
	var changes []StatusChange
	for srows.Next() {
		var c StatusChange
		var at string
		if err := srows.Scan(&c.OldStatus, &c.NewStatus, &c.Reason, &at, &c.UserName); err != nil {
			return nil, nil, err
		}
		c.At = parseTime(at)
		changes = append(changes, c)
	}
	return renames, changes, srows.Err()
}

package data

import (
	"context"
	"database/sql"
)

// The shared opening of mutating methods: one write transaction, the actor
// reloaded inside it, the actor's scope, and the record loaded and checked
// against that scope. Each method then writes its rows and its audit row in
// the same transaction.

// mutate runs fn in one write transaction for actor, reloaded inside it (a
// stopped or deleted user is refused) together with the actor's department
// scope.
func (s *Store) mutate(ctx context.Context, actor *User, fn func(tx *sql.Tx, a *User, sc Scope) error) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.currentActor(ctx, tx, actor)
		if err != nil {
			return err
		}
		sc, err := s.scopeOf(ctx, tx, a)
		if err != nil {
			return err
		}
		return fn(tx, a, sc)
	})
}

// itemInScope loads item id for the action verb ("修改", "装盒") and refuses
// it when it is outside scope sc.
func itemInScope(ctx context.Context, q queryer, sc Scope, id int64, verb string) (*Item, error) {
	it, err := itemByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if !sc.Contains(it.DeptID) {
		return nil, Errorf(EFORBIDDEN, "档案 %s 不属于您的部门，不能%s", it.Code, verb)
	}
	return it, nil
}

// liveItemInScope is itemInScope that also refuses a destroyed item.
func liveItemInScope(ctx context.Context, q queryer, sc Scope, id int64, verb string) (*Item, error) {
	it, err := itemInScope(ctx, q, sc, id, verb)
	if err != nil {
		return nil, err
	}
	if it.Status == StatusDestroyed {
		return nil, Errorf(ECONFLICT, "档案 %s 已销毁，不能%s", it.Code, verb)
	}
	return it, nil
}

// boxInScope loads box id for the action verb and refuses it when it is
// outside scope sc.
func boxInScope(ctx context.Context, q queryer, sc Scope, id int64, verb string) (*Box, error) {
	b, err := boxByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if !sc.Contains(b.DeptID) {
		return nil, Errorf(EFORBIDDEN, "档案盒“%s”不属于您的部门，不能%s", b.Label(), verb)
	}
	return b, nil
}

// customerInScope loads a card with its sub-lists and refuses it when it is
// outside scope sc.
func customerInScope(ctx context.Context, q queryer, sc Scope, id int64) (*Customer, error) {
	c, err := customerByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if err := checkScope(sc, c); err != nil {
		return nil, err
	}
	return c, nil
}

// editableCustomer is customerInScope that also refuses a frozen or closed
// card.
func editableCustomer(ctx context.Context, q queryer, sc Scope, id int64) (*Customer, error) {
	c, err := customerInScope(ctx, q, sc, id)
	if err != nil {
		return nil, err
	}
	if err := requireEditable(c); err != nil {
		return nil, err
	}
	return c, nil
}

package data

import (
	"context"
	"strings"
)

// Scope is the set of departments whose records a user may see and edit
// (DESIGN 3): admins and widened operators see all; an operator sees the
// subtree of their own department.
type Scope struct {
	All     bool
	DeptIDs []int64
}

// Contains reports whether records of department deptID are in scope.
func (sc Scope) Contains(deptID int64) bool {
	if sc.All {
		return true
	}
	for _, id := range sc.DeptIDs {
		if id == deptID {
			return true
		}
	}
	return false
}

// Filter returns a SQL condition on column col that keeps rows in scope,
// with its arguments; "1=1" for all. An empty scope keeps nothing.
func (sc Scope) Filter(col string) (string, []any) {
	if sc.All {
		return "1=1", nil
	}
	if len(sc.DeptIDs) == 0 {
		return "0=1", nil
	}
	args := make([]any, len(sc.DeptIDs))
	for i, id := range sc.DeptIDs {
		args[i] = id
	}
	return col + " IN (" + strings.TrimSuffix(strings.Repeat("?,", len(args)), ",") + ")", args
}

// ScopeOf returns the scope of user, read fresh from the database.
func (s *Store) ScopeOf(ctx context.Context, user *User) (Scope, error) {
	return s.scopeOf(ctx, s.db, user)
}

func (s *Store) scopeOf(ctx context.Context, q queryer, user *User) (Scope, error) {
	u, err := s.currentActor(ctx, q, user)
	if err != nil {
		return Scope{}, err
	}
	if u.IsAdmin() || u.ScopeAll {
		return Scope{All: true}, nil
	}
	if u.DeptID == 0 {
		return Scope{}, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id FROM departments WHERE code >= ? AND code < ?`,
		u.DeptCode, u.DeptCode+"\xff")
	if err != nil {
		return Scope{}, err
	}
	defer rows.Close()
	var sc Scope
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return Scope{}, err
		}
		sc.DeptIDs = append(sc.DeptIDs, id)
	}
	return sc, rows.Err()
}

package data

import (
	"context"
	"testing"
)

// RegisterRefForTest registers a reference for the length of one test, so
// delete guards can be tested before the referring tables exist.
func RegisterRefForTest(tb testing.TB, target, what, query string) {
	old := refsTo[target]
	registerRef(target, what, query)
	tb.Cleanup(func() { refsTo[target] = old })
}

// RequireCustomerOpen exposes requireCustomerOpen to tests.
func (s *Store) RequireCustomerOpen(id int64) error {
	_, err := requireCustomerOpen(context.Background(), s.db, nil, id)
	return err
}

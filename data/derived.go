package data

import (
	"context"
	"database/sql"
	"fmt"
)

// Derived indexes are tables computed from others — the search indexes —
// that the normal write path keeps in step row by row. A bulk load that
// inserts rows directly (benchmarks, the synthetic office) skips that path
// and then calls RebuildDerived, which refills every one of them.
type derivedIndex struct {
	name    string
	rebuild func(ctx context.Context, s *Store, tx *sql.Tx) error
}

var derivedIndexes []derivedIndex

// registerDerived adds a derived index; rebuild must recompute it wholly
// from the tables it derives from, inside tx.
func registerDerived(name string, rebuild func(ctx context.Context, s *Store, tx *sql.Tx) error) {
	derivedIndexes = append(derivedIndexes, derivedIndex{name, rebuild})
}

// RebuildDerived recomputes every derived index in one transaction.
func (s *Store) RebuildDerived(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, d := range derivedIndexes {
			if err := d.rebuild(ctx, s, tx); err != nil {
				return fmt.Errorf("rebuild %s: %w", d.name, err)
			}
		}
		return nil
	})
}

func init() {
	registerDerived("archive_items_fts", func(ctx context.Context, _ *Store, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO archive_items_fts (archive_items_fts) VALUES ('rebuild')`)
		return err
	})
	registerDerived("customer_search", func(ctx context.Context, _ *Store, tx *sql.Tx) error {
		return rebuildCustomerSearch(ctx, tx)
	})
}

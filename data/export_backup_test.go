package data

import (
	"context"
	"database/sql"
)

// Hooks for the backup tests in package data_test.

// SetRestoreFailpoint installs a function called after each restore step;
// returning true simulates a crash there.
func SetRestoreFailpoint(f func(step string) bool) { restoreFailpoint = f }

// SetScryptN lowers the KDF cost so tests run fast; it returns the old value.
func SetScryptN(n int) int { old := scryptN; scryptN = n; return old }

// SnapshotDB is the bare online backup, the floor of the benchmark.
func SnapshotDB(ctx context.Context, s *Store, dst string) error {
	return snapshotDB(ctx, s.db, dst, nil)
}

// DB exposes the store's handle to tests.
func (s *Store) DB() *sql.DB { return s.db }

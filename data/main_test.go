package data_test

import (
	"os"
	"testing"
)

// TestMain removes the large benchmark fixtures after the run.
func TestMain(m *testing.M) {
	code := m.Run()
	closeItemBench()
	closeCustomerBench()
	closeBackupBench()
	closeDashBench()
	closeSearchBench()
	os.Exit(code)
}

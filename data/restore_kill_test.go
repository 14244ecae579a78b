//go:build !windows

package data_test

import (
	"os"
	"os/exec"
	"syscall"
	"testing"

	"dangan/data"
)

// TestRestoreKilled runs a restore in a child process and kills it with
// SIGKILL at each step of the swap: no deferred cleanup runs, as in a power
// cut of the program. The next Open must find the old or the new data whole.
func TestRestoreKilled(t *testing.T) {
	if os.Getenv("DANGAN_KILL_DIR") != "" {
		restoreChild(t)
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	for i, step := range []string{"safety-backup", "journal-written", "journal", "db-out", "db-in",
		"attachments-out", "attachments-in", "journal-removed"} {
		t.Run(step, func(t *testing.T) {
			f := newBackupFixture(t)
			res := f.backup(t, "")
			newDump := dumpDir(t, f.s.Dir())
			f.mutate(t)
			oldDump := dumpDir(t, f.s.Dir())
			f.s.Close()
			cmd := exec.Command(os.Args[0], "-test.run=^TestRestoreKilled$")
			cmd.Env = append(os.Environ(), "DANGAN_KILL_DIR="+f.s.Dir(), "DANGAN_KILL_FILE="+res.Path, "DANGAN_KILL_STEP="+step)
			out, err := cmd.CombinedOutput()
			if ee, ok := err.(*exec.ExitError); !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child was not killed at %s: %v\n%s", step, err, out)
			}
			s, err := data.Open(f.s.Dir())
			if err != nil {
				t.Fatalf("reopen after kill at %s: %v", step, err)
			}
			defer s.Close()
			got, wantNew := dumpDir(t, f.s.Dir()), i >= 2
			if !(got == newDump && wantNew || got == oldDump && !wantNew) {
				t.Fatalf("killed at %s: data is neither whole old nor whole new (want new: %v)", step, wantNew)
			}
			if _, err := s.Authenticate(ctx, "admin", adminPassword); err != nil {
				t.Fatalf("login: %v", err)
			}
			if l := leftovers(t, f.s.Dir()); l != "" {
				t.Fatalf("left behind: %s", l)
			}
		})
	}
}

// restoreChild is the child side: restore, and die at the step named.
func restoreChild(t *testing.T) {
	s, err := data.Open(os.Getenv("DANGAN_KILL_DIR"))
	if err != nil {
		t.Fatal(err)
	}
	admin, err := s.UserByID(ctx, 1) // not Authenticate: a login would add to the old data
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.PrepareRestore(ctx, admin, os.Getenv("DANGAN_KILL_FILE"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	step := os.Getenv("DANGAN_KILL_STEP")
	data.SetRestoreFailpoint(func(at string) bool {
		if at == step {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
		return false
	})
	p.Commit(ctx)
	t.Fatal("restore finished without reaching step " + step)
}

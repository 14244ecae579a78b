package data_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math/rand"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dangan/data"
)

func init() { data.SetScryptN(1 << 10) } // keep tests fast; the benchmark uses the real cost

// backupFixture is a set-up store with departments, users and attachments.
type backupFixture struct {
	s     *data.Store
	admin *data.User
	op    *data.User
}

func newBackupFixture(tb testing.TB) *backupFixture {
	tb.Helper()
	s, admin := mustSetup(tb)
	f := &backupFixture{s: s, admin: admin}
	d := mustDept(tb, s, admin, "01", "财务部")
	mustDept(tb, s, admin, "02", "档案室")
	f.op = mustUser(tb, s, admin, data.UserInput{Username: "op", DisplayName: "钱七", DeptID: d.ID,
		Role: data.RoleOperator, Password: "Oper12345"})
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 12; i++ {
		b := make([]byte, 100+rng.Intn(5000))
		rng.Read(b)
		mustAttachment(tb, s, b)
	}
	return f
}

// mustAttachment stores b the way the register does: by content hash.
func mustAttachment(tb testing.TB, s *data.Store, b []byte) string {
	tb.Helper()
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:])
	p := filepath.Join(s.AttachmentsDir(), h[:2], h)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}

// writeRows prints every row of rows, one %q line each, and closes rows.
func writeRows(tb testing.TB, sb *strings.Builder, rows *sql.Rows) {
	tb.Helper()
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		tb.Fatal(err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintf(sb, "%q\n", vals)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
}

// dumpDir is a logical dump of a data directory: every row of every table
// (leaving out the audit entries of backups and restores themselves) and
// the path and SHA-256 of every attachment.
func dumpDir(tb testing.TB, dir string) string {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: data.DBPath(dir)}).EscapedPath()+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var sb strings.Builder
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	for _, t := range tables {
		q := `SELECT * FROM "` + t + `"`
		switch t {
		case "audit_log":
			q += ` WHERE entity <> 'backup'`
		case "settings":
			q += ` WHERE key <> 'backup_last_auto'`
		}
		// Order by every column: some tables (FTS shadow tables) have no rowid.
		var ncol int
		if err := db.QueryRow(`SELECT count(*) FROM pragma_table_info(?)`, t).Scan(&ncol); err != nil {
			tb.Fatal(err)
		}
		order := make([]string, ncol)
		for i := range order {
			order[i] = strconv.Itoa(i + 1)
		}
		rows, err := db.Query(q + ` ORDER BY ` + strings.Join(order, ","))
		if err != nil {
			tb.Fatal(err)
		}
		cols, _ := rows.Columns()
		fmt.Fprintf(&sb, "== %s %v\n", t, cols)
		writeRows(tb, &sb, rows)
	}
	var files []string
	filepath.WalkDir(filepath.Join(dir, data.AttachmentsDirName), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			b, _ := os.ReadFile(p)
			sum := sha256.Sum256(b)
			rel, _ := filepath.Rel(dir, p)
			files = append(files, fmt.Sprintf("%s %x", filepath.ToSlash(rel), sum))
		}
		return nil
	})
	sort.Strings(files)
	sb.WriteString(strings.Join(files, "\n"))
	return sb.String()
}

// mutate changes the data after a backup so a restore is visible.
func (f *backupFixture) mutate(tb testing.TB) {
	tb.Helper()
	mustDept(tb, f.s, f.admin, "03", "销售部")
	mustAttachment(tb, f.s, []byte("后来加入的附件"))
}

func (f *backupFixture) backup(tb testing.TB, password string) *data.BackupResult {
	tb.Helper()
	res, err := f.s.Backup(ctx, f.admin, tb.TempDir(), data.BackupOptions{Password: password})
	if err != nil {
		tb.Fatalf("backup: %v", err)
	}
	return res
}

func (f *backupFixture) restore(tb testing.TB, path, password string) *data.RestoreResult {
	tb.Helper()
	p, err := f.s.PrepareRestore(ctx, f.admin, path, password, nil)
	if err != nil {
		tb.Fatalf("prepare restore: %v", err)
	}
	res, err := p.Commit(ctx)
	if err != nil {
		tb.Fatalf("restore: %v", err)
	}
	return res
}

func TestBackupRoundTrip(t *testing.T) {
	for _, tc := range []struct{ name, password string }{{"Plain", ""}, {"Encrypted", "备份口令2026"}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newBackupFixture(t)
			res := f.backup(t, tc.password)
			want := dumpDir(t, f.s.Dir())
			if !strings.HasSuffix(res.Path, data.BackupExt) || res.Size == 0 {
				t.Fatalf("result %+v", res)
			}
			m := res.Manifest
			if m.SchemaVersion != data.SchemaVersion() || m.FondsName != "华东机械有限公司" ||
				m.Counts["departments"] != 2 || m.Counts["users"] != 2 || m.Attachments != 12 || m.Encrypted != (tc.password != "") {
				t.Fatalf("manifest %+v", m)
			}
			if _, err := data.VerifyBackup(ctx, res.Path, tc.password, nil); err != nil {
				t.Fatalf("verify: %v", err)
			}
			f.mutate(t)
			if dumpDir(t, f.s.Dir()) == want {
				t.Fatal("mutate changed nothing")
			}
			rr := f.restore(t, res.Path, tc.password)
			if got := dumpDir(t, f.s.Dir()); got != want {
				t.Fatalf("restored data differs:\n%s\nwant:\n%s", got, want)
			}
			// The store works after the swap, and the safety backup holds
			// the data as it was just before.
			if _, err := f.s.Authenticate(ctx, "admin", adminPassword); err != nil {
				t.Fatalf("login after restore: %v", err)
			}
			sm, err := data.VerifyBackup(ctx, rr.SafetyBackup, "", nil)
			if err != nil || sm.Counts["departments"] != 3 || sm.Attachments != 13 {
				t.Fatalf("safety backup %+v, %v", sm, err)
			}
			if leftovers(t, f.s.Dir()) != "" {
				t.Fatalf("left behind: %s", leftovers(t, f.s.Dir()))
			}
		})
	}
}

// leftovers lists scratch files a backup or restore left in the data dir.
func leftovers(tb testing.TB, dir string) string {
	ents, _ := os.ReadDir(dir)
	var out []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".dangan-") && e.Name() != ".dangan-restore.lock" {
			out = append(out, e.Name())
		}
	}
	return strings.Join(out, " ")
}

func TestBackupNeedsAdmin(t *testing.T) {
	f := newBackupFixture(t)
	_, err := f.s.Backup(ctx, f.op, t.TempDir(), data.BackupOptions{})
	wantErr(t, err, data.EFORBIDDEN, "只有管理员可以备份数据")
	res := f.backup(t, "")
	_, err = f.s.PrepareRestore(ctx, f.op, res.Path, "", nil)
	wantErr(t, err, data.EFORBIDDEN, "只有管理员可以恢复备份")
}

// TestBackupWhileWriting takes backups while another connection keeps
// writing pairs of rows in transactions: every snapshot must hold whole
// transactions only.
func TestBackupWhileWriting(t *testing.T) {
	f := newBackupFixture(t)
	w := rawDB(t, f.s)
	if _, err := w.Exec(`PRAGMA busy_timeout=5000; CREATE TABLE scratch (k INTEGER NOT NULL, pad BLOB)`); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2000; i++ { // make the copy take several steps
		w.Exec(`INSERT INTO scratch VALUES (0, randomblob(4000))`)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; !stop.Load(); i++ {
			tx, err := w.Begin()
			if err != nil {
				continue
			}
			tx.Exec(`INSERT INTO scratch VALUES (?, randomblob(1000))`, i)
			tx.Exec(`INSERT INTO scratch VALUES (?, randomblob(1000))`, -i)
			tx.Commit()
		}
	}()
	defer func() { stop.Store(true); wg.Wait() }()
	for range 3 {
		res := f.backup(t, "")
		dir := t.TempDir()
		p, err := f.s.PrepareRestore(ctx, f.admin, res.Path, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		p.Discard()
		// Read the snapshot through verify's extraction: restore into a
		// separate store made from the backup.
		s2, err := data.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		a2, _ := s2.Initialize(ctx, data.SetupInput{FondsCode: "Z1", FondsName: "临时", Username: "admin", Password: adminPassword})
		p2, err := s2.PrepareRestore(ctx, a2, res.Path, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p2.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		var sum, n int64
		if err := s2.DB().QueryRow(`SELECT coalesce(sum(k), 0), count(*) FROM scratch`).Scan(&sum, &n); err != nil {
			t.Fatal(err)
		}
		s2.Close()
		if sum != 0 || n%2 != 0 || n < 2000 {
			t.Fatalf("snapshot is not consistent: sum %d, rows %d", sum, n)
		}
	}
}

func TestAutoBackupOncePerDay(t *testing.T) {
	f := newBackupFixture(t)
	dir := t.TempDir()
	if err := f.s.SetBackupSettings(ctx, f.admin, data.BackupSettings{Dir: dir, Keep: 3, Auto: data.AutoDaily}); err != nil {
		t.Fatal(err)
	}
	err := f.s.SetBackupSettings(ctx, f.op, data.BackupSettings{Dir: dir, Keep: 3, Auto: data.AutoDaily})
	wantErr(t, err, data.EFORBIDDEN, "只有管理员")
	res, err := f.s.AutoBackup(ctx, nil)
	if err != nil || res == nil {
		t.Fatalf("first auto backup: %v %v", res, err)
	}
	if res, err := f.s.AutoBackup(ctx, nil); err != nil || res != nil {
		t.Fatalf("second backup the same day: %v %v", res, err)
	}
	f.s.SetClock(func() time.Time { return time.Date(2026, 5, 2, 9, 0, 0, 0, time.UTC) })
	if res, err := f.s.AutoBackup(ctx, nil); err != nil || res == nil {
		t.Fatalf("next day: %v %v", res, err)
	}
}

func TestRotateBackups(t *testing.T) {
	f := newBackupFixture(t)
	dir := t.TempDir()
	if err := f.s.SetBackupSettings(ctx, f.admin, data.BackupSettings{Dir: dir, Keep: 3, Auto: data.AutoOnExit}); err != nil {
		t.Fatal(err)
	}
	// Files rotation did not make: a manual backup, another office's
	// automatic backup, junk named like an automatic backup, anything else.
	manual, err := f.s.Backup(ctx, f.admin, dir, data.BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := mustSetup(t)
	oset, _ := other.BackupSettings(ctx)
	oset.Dir, oset.Auto = dir, data.AutoOnExit
	other.SetClock(func() time.Time { return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) })
	foreign, err := other.AutoBackup(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The other store's settings still point at its own folder: move the file.
	foreignPath := filepath.Join(dir, filepath.Base(foreign.Path))
	if err := os.Rename(foreign.Path, foreignPath); err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, "dangan-auto-20000101-000000.danganbak")
	os.WriteFile(junk, []byte("not a backup"), 0o600)
	notes := filepath.Join(dir, "说明.txt")
	os.WriteFile(notes, []byte("x"), 0o600)
	// Leftovers of cut-short automatic backups: removed once a day old.
	stale := filepath.Join(dir, "dangan-auto-20200101-000000.danganbak.part")
	fresh := filepath.Join(dir, "dangan-auto-20990101-000000.danganbak.part")
	otherPart := filepath.Join(dir, "report.pdf.part")
	for _, p := range []string{stale, fresh, otherPart} {
		os.WriteFile(p, []byte("half"), 0o600)
	}
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(stale, old, old)
	os.Chtimes(otherPart, old, old)

	var made []string
	for i := 0; i < 6; i++ {
		day := i
		f.s.SetClock(func() time.Time { return time.Date(2026, 5, 1+day, 18, 0, 0, 0, time.UTC) })
		res, err := f.s.AutoBackup(ctx, nil)
		if err != nil || res == nil {
			t.Fatalf("auto backup %d: %v", i, err)
		}
		made = append(made, res.Path)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("stale .part of an automatic backup should be removed")
	}
	for _, p := range append([]string{manual.Path, foreignPath, junk, notes, fresh, otherPart}, made[3:]...) {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s should remain: %v", filepath.Base(p), err)
		}
	}
	for _, p := range made[:3] {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s should be rotated away", filepath.Base(p))
		}
	}
	// keep below 1 still keeps the newest.
	if del, err := data.RotateBackups(dir, made[5][:0]+f.installID(t), 0); err != nil || len(del) != 2 {
		t.Fatalf("rotate keep 0: %v %v", del, err)
	}
	if _, err := os.Stat(made[5]); err != nil {
		t.Fatal("newest backup deleted")
	}
}

func (f *backupFixture) installID(tb testing.TB) string {
	res := f.backup(tb, "")
	return res.Manifest.InstallID
}

func sumHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func fmtInt(n int) string { return fmt.Sprint(n) }

// TestBackupOddPaths uses folder names with spaces, Chinese and URI
// characters for the data, the backups and the restore.
func TestBackupOddPaths(t *testing.T) {
	s, err := data.Open(filepath.Join(t.TempDir(), "档案 数据 #1?%"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	admin, err := s.Initialize(ctx, data.SetupInput{FondsCode: "Z1", FondsName: "测试单位", Username: "admin", Password: adminPassword})
	if err != nil {
		t.Fatal(err)
	}
	mustAttachment(t, s, []byte("附件"))
	res, err := s.Backup(ctx, admin, filepath.Join(t.TempDir(), "U盘 备份 #2?"), data.BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := dumpDir(t, s.Dir())
	mustDept(t, s, admin, "01", "财务部")
	p, err := s.PrepareRestore(ctx, admin, res.Path, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if got := dumpDir(t, s.Dir()); got != want {
		t.Fatal("restored data differs")
	}
}

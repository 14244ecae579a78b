package data_test

import (
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"dangan/data"
)

// The backup benchmarks share one generated data directory (issue 8: 100,000
// customers, 1,000,000 items, 200 MB of attachments; DANGAN_BENCH_ITEMS and
// DANGAN_BENCH_ATTACH_MB scale it down). Each reports its seconds per run
// and its ratio to the floor measured in turns with it: the bare online
// backup of the same database plus a plain copy of the attachments (verify
// and restore: to the backup itself).

var bench struct {
	once sync.Once
	root string
	f    *backupFixture
	file string // an unencrypted backup to verify and restore
	err  error
}

// closeBackupBench removes the shared backup benchmark fixture.
func closeBackupBench() {
	if bench.root != "" {
		if bench.f != nil {
			bench.f.s.Close()
		}
		os.RemoveAll(bench.root)
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// benchSetup generates the data directory once and measures the floor.
func benchSetup(b *testing.B) {
	b.Helper()
	bench.once.Do(func() {
		bench.root, bench.err = os.MkdirTemp("", "dangan-bench-")
		if bench.err != nil {
			return
		}
		s, err := data.Open(filepath.Join(bench.root, "data"))
		if err != nil {
			bench.err = err
			return
		}
		admin, err := s.Initialize(ctx, data.SetupInput{FondsCode: "Z109", FondsName: "华东机械有限公司", Username: "admin", Password: adminPassword})
		if err != nil {
			bench.err = err
			return
		}
		bench.f = &backupFixture{s: s, admin: admin}
		items := envInt("DANGAN_BENCH_ITEMS", 1_000_000)
		db := s.DB()
		stmts := []string{
			`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < ` + strconv.Itoa(items/10) + `)
			 INSERT INTO customers (code, name, created_at, updated_at)
			 SELECT printf('C%06d', i), '华东客户' || i || '有限公司', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM c`,
			`CREATE TABLE bench_items (id INTEGER PRIMARY KEY, customer_id INTEGER, code TEXT, title TEXT, note TEXT)`,
			`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < ` + strconv.Itoa(items) + `)
			 INSERT INTO bench_items SELECT i, i % ` + strconv.Itoa(max(items/10, 1)) + ` + 1, printf('Z109-2026-%07d', i),
			 '关于第' || i || '号合同的往来函件及附件目录', hex(randomblob(150)) FROM c`,
			`CREATE INDEX bench_items_customer ON bench_items(customer_id)`,
		}
		for _, q := range stmts {
			if _, err := db.Exec(q); err != nil {
				bench.err = err
				return
			}
		}
		db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
		rng := rand.New(rand.NewSource(1))
		buf := make([]byte, 400<<10)
		for left := envInt("DANGAN_BENCH_ATTACH_MB", 200) << 20; left > 0; left -= len(buf) {
			rng.Read(buf)
			mustAttachment(b, s, buf)
		}
		res, err := s.Backup(ctx, admin, filepath.Join(bench.root, "plain"), data.BackupOptions{})
		if bench.err = err; err == nil {
			bench.file = res.Path
		}
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
}

// floorOnce is the bare online backup plus a plain copy of the attachments.
func floorOnce(s *data.Store) (time.Duration, error) {
	dst := filepath.Join(bench.root, "floor")
	os.MkdirAll(dst, 0o700)
	defer os.RemoveAll(dst)
	start := time.Now()
	if err := data.SnapshotDB(ctx, s, filepath.Join(dst, "snap.db")); err != nil {
		return 0, err
	}
	err := filepath.Walk(s.AttachmentsDir(), func(p string, info os.FileInfo, err error) error {
		if err != nil || !info.Mode().IsRegular() {
			return err
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(filepath.Join(dst, info.Name()))
		if err != nil {
			return err
		}
		defer out.Close()
		_, err = io.Copy(out, in)
		return err
	})
	return time.Since(start), err
}

// report adds seconds per run and the ratio to base, both summed over the
// same iterations (the machine is shared, so they are measured in turns).
func report(b *testing.B, d, base time.Duration, baseName string) {
	b.ReportMetric((d / time.Duration(b.N)).Seconds(), "s/run")
	b.ReportMetric((base / time.Duration(b.N)).Seconds(), baseName+"-s")
	b.ReportMetric(d.Seconds()/base.Seconds(), "x-"+baseName)
}

func mustFloor(b *testing.B) time.Duration {
	d, err := floorOnce(bench.f.s)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// mustBackup times one unencrypted backup and removes it.
func mustBackup(b *testing.B, password string) (time.Duration, int64) {
	start := time.Now()
	res, err := bench.f.s.Backup(ctx, bench.f.admin, filepath.Join(bench.root, "out"), data.BackupOptions{Password: password})
	if err != nil {
		b.Fatal(err)
	}
	d := time.Since(start)
	os.Remove(res.Path)
	return d, res.Size
}

func BenchmarkBackupFloor(b *testing.B) {
	benchSetup(b)
	var total time.Duration
	for range b.N {
		total += mustFloor(b)
	}
	report(b, total, total, "floor")
}

func benchBackup(b *testing.B, password string) {
	benchSetup(b)
	if password != "" {
		defer data.SetScryptN(data.SetScryptN(1 << 17)) // the real KDF cost
	}
	var total, floor time.Duration
	for range b.N {
		b.StopTimer()
		floor += mustFloor(b)
		b.StartTimer()
		d, size := mustBackup(b, password)
		total += d
		b.SetBytes(size)
	}
	report(b, total, floor, "floor")
}

func BenchmarkBackup(b *testing.B) { benchBackup(b, "") }

func BenchmarkBackupEncrypted(b *testing.B) { benchBackup(b, "bench-password-2026") }

func BenchmarkVerify(b *testing.B) {
	benchSetup(b)
	var total, backup time.Duration
	for range b.N {
		b.StopTimer()
		d, _ := mustBackup(b, "")
		backup += d
		b.StartTimer()
		start := time.Now()
		if _, err := data.VerifyBackup(ctx, bench.file, "", nil); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
	}
	report(b, total, backup, "backup")
}

// BenchmarkRestore verifies, stages, makes the safety backup and swaps.
func BenchmarkRestore(b *testing.B) {
	benchSetup(b)
	var total, backup time.Duration
	for range b.N {
		b.StopTimer()
		d, _ := mustBackup(b, "")
		backup += d
		b.StartTimer()
		start := time.Now()
		p, err := bench.f.s.PrepareRestore(ctx, bench.f.admin, bench.file, "", nil)
		if err != nil {
			b.Fatal(err)
		}
		res, err := p.Commit(ctx)
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		os.Remove(res.SafetyBackup)
	}
	report(b, total, backup, "backup")
}

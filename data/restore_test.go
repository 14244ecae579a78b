package data_test

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangan/data"
)

// zent is one member of a backup zip, for building bad files.
type zent struct {
	name   string
	body   []byte
	method uint16
}

func readZip(tb testing.TB, path string) []zent {
	tb.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	var out []zent
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		out = append(out, zent{f.Name, buf.Bytes(), f.Method})
	}
	return out
}

func writeZip(tb testing.TB, path string, ents []zent) {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range ents {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method})
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(e.body)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// withManifest rewrites the manifest member of ents with edit applied.
func withManifest(tb testing.TB, ents []zent, edit func(m *data.Manifest)) []zent {
	tb.Helper()
	out := append([]zent(nil), ents...)
	for i, e := range out {
		if e.name == "manifest.json" {
			var m data.Manifest
			if err := json.Unmarshal(e.body, &m); err != nil {
				tb.Fatal(err)
			}
			edit(&m)
			b, _ := json.Marshal(&m)
			out[i].body = b
		}
	}
	return out
}

func memberSum(b []byte) string {
	h := sumHex(b)
	return h
}

// badBackups builds the refused files from one good plain backup and one
// good encrypted backup (password "right-password").
func badBackups(tb testing.TB, plain, enc string) map[string]string {
	tb.Helper()
	dir := tb.TempDir()
	out := map[string]string{}
	raw, _ := os.ReadFile(plain)
	ents := readZip(tb, plain)
	put := func(name string, b []byte) {
		p := filepath.Join(dir, name+".danganbak")
		os.WriteFile(p, b, 0o600)
		out[name] = p
	}
	zipped := func(name string, es []zent) {
		p := filepath.Join(dir, name+".danganbak")
		writeZip(tb, p, es)
		out[name] = p
	}
	put("empty", nil)
	rng := rand.New(rand.NewSource(7))
	random := make([]byte, 100000)
	rng.Read(random)
	put("random", random)
	put("text", []byte("这是一份会议纪要，不是备份。"))
	for _, n := range []int{4, 100, len(raw) / 2, len(raw) - 30, len(raw) - 1} {
		put("truncated-at-"+itoa(n), raw[:n])
	}
	zr, _ := zip.OpenReader(plain)
	for _, f := range zr.File {
		off, _ := f.DataOffset()
		if f.Name == "dangan.db" {
			b := append([]byte(nil), raw...)
			b[off+5000] ^= 0x40
			put("flipped-byte-in-database", b)
		} else if strings.HasPrefix(f.Name, "attachments/") && out["flipped-byte-in-attachment"] == "" {
			b := append([]byte(nil), raw...)
			b[off+10] ^= 0x01
			put("flipped-byte-in-attachment", b)
		}
	}
	zr.Close()
	var dropped []zent
	for _, e := range ents {
		if !strings.HasPrefix(e.name, "attachments/") || len(dropped) < len(ents)-3 {
			dropped = append(dropped, e)
		}
	}
	zipped("missing-member", dropped)
	var noDB []zent
	for _, e := range ents {
		if e.name != "dangan.db" {
			noDB = append(noDB, e)
		}
	}
	zipped("missing-database", noDB)
	zipped("missing-manifest", ents[:len(ents)-1])
	zipped("extra-attachment", append(append([]zent(nil), ents...), zent{"attachments/ff/extra", []byte("x"), zip.Store}))
	zipped("extra-member", append(append([]zent(nil), ents...), zent{"readme.txt", []byte("x"), zip.Store}))
	zipped("path-traversal", append(append([]zent(nil), ents...), zent{"../../x", []byte("x"), zip.Store}))
	zipped("absolute-path", append(append([]zent(nil), ents...), zent{"/tmp/x", []byte("x"), zip.Store}))
	zipped("backslash-path", append(append([]zent(nil), ents...), zent{`attachments\..\..\x`, []byte("x"), zip.Store}))
	zipped("duplicate-member", append(append([]zent(nil), ents...), ents[1]))
	zipped("manifest-lies-about-checksum", withManifest(tb, ents, func(m *data.Manifest) {
		m.Members[1].SHA256 = strings.Repeat("0", 64)
	}))
	zipped("manifest-lies-about-size", withManifest(tb, ents, func(m *data.Manifest) { m.Members[1].Size++ }))
	zipped("manifest-lists-traversal", withManifest(tb, ents, func(m *data.Manifest) { m.Members[1].Name = "attachments/../../x" }))
	zipped("manifest-schema-mismatch", withManifest(tb, ents, func(m *data.Manifest) { m.SchemaVersion = 1 }))
	zipped("newer-schema", withManifest(tb, ents, func(m *data.Manifest) { m.SchemaVersion = data.SchemaVersion() + 1 }))
	zipped("newer-format", withManifest(tb, ents, func(m *data.Manifest) { m.FormatVersion = 2 }))
	zipped("foreign-format", withManifest(tb, ents, func(m *data.Manifest) { m.Format = "other-backup" }))
	zipped("foreign-zip", []zent{{"word/document.xml", []byte("<w/>"), zip.Deflate}})
	// A zip bomb: 64 MB of zeros deflated to a few kB, honestly listed.
	zeros := make([]byte, 64<<20)
	bomb := withManifest(tb, ents, func(m *data.Manifest) {
		m.Members = append(m.Members, data.Member{Name: "attachments/00/bomb", Size: int64(len(zeros)), SHA256: memberSum(zeros)})
	})
	zipped("zip-bomb", append(bomb, zent{"attachments/00/bomb", zeros, zip.Deflate}))
	// A foreign SQLite database with honest checksums.
	foreignDB := filepath.Join(tb.TempDir(), "other.db")
	db, _ := sql.Open("sqlite3", "file:"+foreignDB)
	db.Exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); INSERT INTO orders VALUES (1, 9.5)`)
	db.Close()
	fb, _ := os.ReadFile(foreignDB)
	foreign := withManifest(tb, ents, func(m *data.Manifest) {
		m.Members[0] = data.Member{Name: "dangan.db", Size: int64(len(fb)), SHA256: memberSum(fb)}
	})
	for i := range foreign {
		if foreign[i].name == "dangan.db" {
			foreign[i].body = fb
		}
	}
	zipped("foreign-database", foreign)

	// Encrypted backups.
	eraw, _ := os.ReadFile(enc)
	put("encrypted-truncated", eraw[:len(eraw)*2/3])
	eents := readZip(tb, enc)
	for i, e := range eents {
		if e.name == "payload.bin" {
			cut := append([]zent(nil), eents...)
			cut[i].body = e.body[:len(e.body)-100]
			zipped("encrypted-payload-cut", cut)
			full := (1 << 20) + 16
			drop := append([]zent(nil), eents...)
			drop[i].body = e.body[:len(e.body)/full*full]
			zipped("encrypted-last-chunk-dropped", drop)
			flip := append([]zent(nil), eents...)
			fb := append([]byte(nil), e.body...)
			fb[len(fb)/2] ^= 1
			flip[i].body = fb
			zipped("encrypted-flipped-byte", flip)
		}
	}
	out["wrong-password"] = enc
	return out
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func TestBadBackupsRefused(t *testing.T) {
	f := newBackupFixture(t)
	big := make([]byte, 2<<20+12345) // makes the encrypted payload span three chunks
	rand.New(rand.NewSource(3)).Read(big)
	mustAttachment(t, f.s, big)
	plain := f.backup(t, "")
	enc := f.backup(t, "right-password")
	f.mutate(t)
	before := dumpDir(t, f.s.Dir())
	bad := badBackups(t, plain.Path, enc.Path)
	if len(bad) < 20 {
		t.Fatalf("only %d kinds of bad file", len(bad))
	}
	for name, path := range bad {
		t.Run(name, func(t *testing.T) {
			pw := "right-password"
			if name == "wrong-password" {
				pw = "wrong-password"
			}
			_, err := data.VerifyBackup(ctx, path, pw, nil)
			if err == nil || data.ErrorCode(err) == data.EINTERNAL {
				t.Fatalf("verify: want a refusal, got %v", err)
			}
			t.Logf("%s: %s", name, data.ErrorMessage(err))
			_, err = f.s.PrepareRestore(ctx, f.admin, path, pw, nil)
			if err == nil || data.ErrorCode(err) == data.EINTERNAL {
				t.Fatalf("restore: want a refusal, got %v", err)
			}
			if got := dumpDir(t, f.s.Dir()); got != before {
				t.Fatal("a refused restore changed the data")
			}
			if l := leftovers(t, f.s.Dir()); l != "" {
				t.Fatalf("left behind: %s", l)
			}
		})
	}
	_, err := data.VerifyBackup(ctx, enc.Path, "wrong", nil)
	wantErr(t, err, data.EINVALID, "备份密码不正确")
	_, err = data.VerifyBackup(ctx, enc.Path, "", nil)
	wantErr(t, err, data.EINVALID, "请输入备份密码")
	_, err = data.VerifyBackup(ctx, bad["newer-schema"], "", nil)
	wantErr(t, err, data.EINVALID, "更新版本")
	_, err = data.VerifyBackup(ctx, bad["path-traversal"], "", nil)
	wantErr(t, err, data.EINVALID, "不安全")
	_, err = data.VerifyBackup(ctx, bad["truncated-at-"+itoa(len(mustRead(t, plain.Path))/2)], "", nil)
	wantErr(t, err, data.EINVALID, "不完整")
}

func mustRead(tb testing.TB, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestRestoreCrashAtEachStep stops a restore at every step, as a crash
// would, then opens the directory again: the data must be the old or the
// new, whole — old before the journal is written, new after.
func TestRestoreCrashAtEachStep(t *testing.T) {
	defer data.SetRestoreFailpoint(nil)
	var steps []string
	for k := 1; ; k++ {
		f := newBackupFixture(t)
		res := f.backup(t, "")
		newDump := dumpDir(t, f.s.Dir())
		f.mutate(t)
		oldDump := dumpDir(t, f.s.Dir())
		p, err := f.s.PrepareRestore(ctx, f.admin, res.Path, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		calls, crashedAt := 0, ""
		data.SetRestoreFailpoint(func(step string) bool {
			calls++
			if calls == k {
				crashedAt = step
				return true
			}
			return false
		})
		_, err = p.Commit(ctx)
		data.SetRestoreFailpoint(nil)
		if crashedAt == "" {
			if err != nil {
				t.Fatal(err)
			}
			break
		}
		steps = append(steps, crashedAt)
		f.s.Close()
		// A second crash while the next Open finishes the swap.
		data.SetRestoreFailpoint(func(string) bool { return true })
		s2, err := data.Open(f.s.Dir())
		data.SetRestoreFailpoint(nil)
		if err == nil {
			s2.Close()
		}
		s2, err = data.Open(f.s.Dir())
		if err != nil {
			t.Fatalf("crash at %s: reopen: %v", crashedAt, err)
		}
		got := dumpDir(t, f.s.Dir())
		wantNew := k > 2 // crashes from the journal on finish the restore
		switch {
		case got == newDump && wantNew, got == oldDump && !wantNew:
		default:
			t.Fatalf("crash at %s: data is neither whole old nor whole new (want new: %v):\n%s", crashedAt, wantNew, got)
		}
		if _, err := s2.Authenticate(ctx, "admin", adminPassword); err != nil {
			t.Fatalf("crash at %s: login: %v", crashedAt, err)
		}
		if l := leftovers(t, f.s.Dir()); l != "" {
			t.Fatalf("crash at %s: left behind %s", crashedAt, l)
		}
		s2.Close()
	}
	t.Logf("crashed at: %s", strings.Join(steps, ", "))
	if len(steps) < 6 {
		t.Fatalf("only %d steps exercised: %v", len(steps), steps)
	}
}

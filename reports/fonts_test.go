package reports

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindCJKFonts(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"SimHei.ttf", "msyh.ttc", "wqy/wqy-microhei.ttc", "DejaVuSans.ttf", "simsun.txt"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := FindCJKFonts([]string{dir, filepath.Join(dir, "missing")})
	want := []string{filepath.Join(dir, "SimHei.ttf"), filepath.Join(dir, "msyh.ttc"), filepath.Join(dir, "wqy/wqy-microhei.ttc")}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

package data_test

import (
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"testing"

	"dangan/data"
)

func TestCodePattern(t *testing.T) {
	cp, err := data.ParseCodePattern(data.DefaultCodePattern)
	if err != nil {
		t.Fatal(err)
	}
	g := data.CodeGroup{Fonds: "Z109", Class: "KH", Year: 2026, Retention: "D30", Org: "XS"}
	if got := cp.Format(g, 1, 4); got != "Z109-KH·2026-D30-XS-0001" {
		t.Fatalf("format: %s", got)
	}
	if cp.String() != data.DefaultCodePattern {
		t.Fatalf("round trip: %s", cp.String())
	}
	other, err := data.ParseCodePattern("{全宗号}/{年度}/{门类代码}/{保管期限}/{机构代码}/{件号}")
	if err != nil {
		t.Fatal(err)
	}
	if got := other.Format(g, 12, 5); got != "Z109/2026/KH/D30/XS/00012" {
		t.Fatalf("custom format: %s", got)
	}
	for _, tc := range []struct{ name, p, want string }{
		{"ErrUnknown", "{全宗号}-{门类}·{年度}-{保管期限}-{机构代码}-{件号}", "“{门类}”不认识"},
		{"ErrMissing", "{全宗号}-{门类代码}·{年度}-{保管期限}-{件号}", "缺少“{机构代码}”"},
		{"ErrTwice", "{全宗号}-{全宗号}-{门类代码}·{年度}-{保管期限}-{机构代码}-{件号}", "出现了两次"},
		{"ErrNoSeparator", "{全宗号}{门类代码}·{年度}-{保管期限}-{机构代码}-{件号}", "前面缺少分隔符"},
		{"ErrBrace", "{全宗号}-{门类代码}·{年度}-{保管期限}-{机构代码}-{件号", "花括号不成对"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := data.ParseCodePattern(tc.p)
			wantErr(t, err, data.EINVALID, tc.want)
		})
	}
}

func TestRetention(t *testing.T) {
	for in, want := range map[string]string{"y": "Y", "D30": "D30", "d10": "D10", "永久": "Y", "D5": "D5", "Ｄ３０": "D30"} {
		if got, err := data.NormalizeRetention(in); err != nil || got != want {
			t.Errorf("%s → %s, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "D", "D0", "X", "D1000", "30"} {
		_, err := data.NormalizeRetention(bad)
		wantErr(t, err, data.EINVALID, "保管期限")
	}
}

// segCompare is the reference order: segment by segment, digits by value.
func segCompare(a, b []string) int {
	for i := range a {
		if c := naturalCompare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// naturalCompare compares two segments: runs of digits by value, the rest
// byte by byte, a prefix before anything longer.
func naturalCompare(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if isDigit(a[i]) && isDigit(b[j]) {
			ei, ej := i, j
			for ei < len(a) && isDigit(a[ei]) {
				ei++
			}
			for ej < len(b) && isDigit(b[ej]) {
				ej++
			}
			na, _ := strconv.Atoi(a[i:ei])
			nb, _ := strconv.Atoi(b[j:ej])
			if na != nb {
				if na < nb {
					return -1
				}
				return 1
			}
			i, j = ei, ej
			continue
		}
		if a[i] != b[j] {
			if a[i] < b[j] {
				return -1
			}
			return 1
		}
		i++
		j++
	}
	switch {
	case len(a)-i < len(b)-j:
		return -1
	case len(a)-i > len(b)-j:
		return 1
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// TestSortKeyIsSegmentOrder: over random groups with mixed widths (件号 9 and
// 10, 年度 2025 and 2026, 门类 KH and KHA, 全宗 Z9 and Z10), ordering by the
// stored sort key equals segment order, while plain string order of the
// 档号 differs.
func TestSortKeyIsSegmentOrder(t *testing.T) {
	cp, _ := data.ParseCodePattern(data.DefaultCodePattern)
	rng := rand.New(rand.NewSource(7))
	pick := func(vals ...string) string { return vals[rng.Intn(len(vals))] }
	type code struct {
		segs []string
		text string
		key  string
	}
	stringOrderDiffers := false
	for round := 0; round < 50; round++ {
		var codes []code
		for i := 0; i < 200; i++ {
			g := data.CodeGroup{
				Fonds: pick("Z9", "Z10", "Z109", "A1"), Class: pick("KH", "KHA", "KJ", "K"),
				Year: 1990 + rng.Intn(40), Retention: pick("Y", "D10", "D30", "D5"), Org: pick("XS", "X", "01", "1", "XS2", "XS10"),
			}
			n := 1 + rng.Intn(12000)
			width := 4
			codes = append(codes, code{
				segs: []string{g.Fonds, g.Class, strconv.Itoa(g.Year), g.Retention, g.Org, strconv.Itoa(n)},
				text: cp.Format(g, n, width), key: cp.SortKey(g, n),
			})
		}
		byKey := append([]code(nil), codes...)
		sort.SliceStable(byKey, func(i, j int) bool { return byKey[i].key < byKey[j].key })
		for i := 1; i < len(byKey); i++ {
			if segCompare(byKey[i-1].segs, byKey[i].segs) > 0 {
				t.Fatalf("sort key puts %s before %s", byKey[i-1].text, byKey[i].text)
			}
		}
		byText := append([]code(nil), codes...)
		sort.SliceStable(byText, func(i, j int) bool { return byText[i].text < byText[j].text })
		for i := 1; i < len(byText); i++ {
			if segCompare(byText[i-1].segs, byText[i].segs) > 0 {
				stringOrderDiffers = true
			}
		}
	}
	if !stringOrderDiffers {
		t.Fatal("the fixtures never tell string order from segment order")
	}
	// The cases the issue names.
	g := data.CodeGroup{Fonds: "Z109", Class: "KH", Year: 2026, Retention: "D30", Org: "XS"}
	if !(cp.SortKey(g, 9) < cp.SortKey(g, 10)) {
		t.Fatal("件号 0009 not before 0010")
	}
	g25 := g
	g25.Year = 2025
	if !(cp.SortKey(g25, 500) < cp.SortKey(g, 1)) {
		t.Fatal("2025 not before 2026")
	}
	kha := g
	kha.Class = "KHA"
	if !(cp.SortKey(g, 9999) < cp.SortKey(kha, 1)) || !(cp.Format(kha, 1, 4) < cp.Format(g, 9999, 4)) {
		t.Fatal("KH/KHA: want segment order KH < KHA where string order says KHA < KH")
	}
	if strings.Contains(cp.SortKey(g, 1), "·") {
		t.Fatal("separators leaked into the sort key")
	}
}

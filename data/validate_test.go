package data

import (
	"strings"
	"testing"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestFieldCheckers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		check func(field, label, s string) (string, error)
		in    string
		want  string // "" with ok=false means an error is expected
		ok    bool
	}{
		{"mobile", checkMobile, "138 0013 8000", "13800138000", true},
		{"mobile full-width", checkMobile, "１３９１２３４５６７８", "13912345678", true},
		{"mobile +86", checkMobile, "+86 139-1234-5678", "13912345678", true},
		{"mobile 12x", checkMobile, "12912345678", "", false},
		{"mobile short", checkMobile, "1391234567", "", false},
		{"phone", checkPhone, "010-62345678", "010-62345678", true},
		{"phone no dash", checkPhone, "053288888888", "053288888888", true},
		{"phone parens", checkPhone, "（0532）88888888", "0532-88888888", true},
		{"phone ext", checkPhone, "0532-88888888转123", "0532-88888888转123", true},
		{"phone 400", checkPhone, "400-800-1234", "400-800-1234", true},
		{"phone no area code", checkPhone, "62345678", "", false},
		{"email", checkEmail, "Li.Na@example.com.cn", "Li.Na@example.com.cn", true},
		{"email no domain", checkEmail, "lina@example", "", false},
		{"postcode", checkPostcode, "２６６１０１", "266101", true},
		{"postcode 5", checkPostcode, "26610", "", false},
		{"money", checkMoney, "1,200.50", "1200.5", true},
		{"money zero", checkMoney, "0", "0", true},
		{"money negative", checkMoney, "-1", "", false},
		{"money 3 decimals", checkMoney, "1.005", "", false},
		{"money text", checkMoney, "一百", "", false},
		{"money exponent", checkMoney, "1e5", "", false},
		{"count", checkCount, "１２０", "120", true},
		{"count fraction", checkCount, "1.5", "", false},
		{"count negative", checkCount, "-3", "", false},
		{"date", checkDate, "2026年2月28日", "2026-02-28", true},
		{"date unreal", checkDate, "2026-02-29", "", false},
		{"date leap", checkDate, "2024/2/29", "2024-02-29", true},
		{"website", checkWebsite, "www.haier.com", "www.haier.com", true},
		{"website bad", checkWebsite, "海尔官网", "", false},
	} {
		got, err := tc.check("f", "字段", tc.in)
		switch {
		case tc.ok && (err != nil || got != tc.want):
			t.Errorf("%s: %q → %q, %v; want %q", tc.name, tc.in, got, err, tc.want)
		case !tc.ok && err == nil:
			t.Errorf("%s: %q accepted as %q", tc.name, tc.in, got)
		case !tc.ok && ErrorField(err) != "f":
			t.Errorf("%s: error field %q", tc.name, ErrorField(err))
		}
	}
}

func TestNameKey(t *testing.T) {
	same := []string{"海尔集团（青岛）ABC", "海尔 集团（青岛）abc", "海尔集团(青岛)ＡＢＣ", " 海尔集团　（青岛）Abc "}
	for _, s := range same[1:] {
		if NameKey(s) != NameKey(same[0]) {
			t.Errorf("NameKey(%q) = %q, want %q", s, NameKey(s), NameKey(same[0]))
		}
	}
	if NameKey("海尔集团") == NameKey("海尔集团公司") {
		t.Error("different names fold together")
	}
}

func TestPinyinKeysCoverReadings(t *testing.T) {
	for name, want := range map[string]string{"重庆": "zq", "银行": "yx", "厦门": "sm", "长春": "zc"} {
		found := false
		for _, k := range PinyinKeys(name) {
			found = found || k == want
		}
		if !found {
			t.Errorf("PinyinKeys(%s) = %v lacks the reading %s", name, PinyinKeys(name), want)
		}
	}
	if got := " " + PinyinPairs("银行") + " "; !contains(got, " yh ") || !contains(got, " yx ") {
		t.Errorf("PinyinPairs(银行) = %q lacks yh or yx", got)
	}
}

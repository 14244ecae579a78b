package data

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

var (
	mobileRe   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	phoneRe    = regexp.MustCompile(`^(0\d{2,3}-?\d{7,8}|[48]00-?\d{3}-?\d{4})((-|转|#)\d{1,6})?$`)
	emailRe    = regexp.MustCompile(`^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$`)
	postcodeRe = regexp.MustCompile(`^\d{6}$`)
	websiteRe  = regexp.MustCompile(`^(https?://)?[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+(:\d+)?(/\S*)?$`)
)

// cleanText trims a free-text value. Full-width punctuation is kept: it is
// right in Chinese text and names (“海尔（集团）”); uniqueness folds it
// (NameKey).
func cleanText(s string) string { return strings.TrimSpace(s) }

// cleanCode trims a structured value (numbers, codes, addresses of mail
// and web) and turns full-width ASCII into half-width, as people type it
// with a Chinese input method on.
func cleanCode(s string) string { return strings.TrimSpace(NormalizeWidth(s)) }

// checkLen refuses text longer than max characters.
func checkLen(field, label, s string, max int) error {
	if utf8.RuneCountInString(s) > max {
		return fieldErr(field, "%s太长：最多 %d 个字", label, max)
	}
	return nil
}

// checkMobile accepts an 11-digit mainland mobile number (1[3-9]…); spaces
// and dashes people type between groups are dropped.
func checkMobile(field, label, s string) (string, error) {
	s = strings.NewReplacer(" ", "", "-", "").Replace(cleanCode(s))
	if len(s) == 14 && strings.HasPrefix(s, "+86") {
		s = s[3:]
	}
	if s == "" || mobileRe.MatchString(s) {
		return s, nil
	}
	return "", fieldErr(field, "%s“%s”不是有效的手机号：应为 11 位数字，以 13–19 开头", label, s)
}

// checkPhone accepts a fixed-line number with its area code (010-12345678,
// 0532-8888888, 400-800-1234), optionally with an extension (-123, 转123).
func checkPhone(field, label, s string) (string, error) {
	s = strings.ReplaceAll(cleanCode(s), " ", "")
	if strings.HasPrefix(s, "(") { // (010)12345678 → 010-12345678
		s = strings.Replace(strings.TrimPrefix(s, "("), ")", "-", 1)
	}
	if s == "" || phoneRe.MatchString(s) {
		return s, nil
	}
	return "", fieldErr(field, "%s“%s”格式不对：请带区号，如 010-12345678、0532-88888888，分机写在后面（-123）", label, s)
}

func checkEmail(field, label, s string) (string, error) {
	s = cleanCode(s)
	if s == "" || emailRe.MatchString(s) {
		return s, nil
	}
	return "", fieldErr(field, "%s“%s”不是有效的邮箱地址，应形如 name@example.com", label, s)
}

func checkPostcode(field, label, s string) (string, error) {
	s = cleanCode(s)
	if s == "" || postcodeRe.MatchString(s) {
		return s, nil
	}
	return "", fieldErr(field, "%s“%s”不对：邮编是 6 位数字", label, s)
}

func checkWebsite(field, label, s string) (string, error) {
	s = cleanCode(s)
	if s == "" || websiteRe.MatchString(s) {
		return s, nil
	}
	return "", fieldErr(field, "%s“%s”不是有效的网址，应形如 www.example.com", label, s)
}

// checkDate normalises a date to YYYY-MM-DD ("" stays "").
func checkDate(field, label, s string) (string, error) {
	s = cleanCode(s)
	if s == "" {
		return "", nil
	}
	t, err := ParseDate(label, s)
	if err != nil {
		e := err.(*Error)
		e.Field = field
		return "", e
	}
	return t.Format("2006-01-02"), nil
}

// checkMoney normalises a non-negative amount with at most 2 decimals
// ("1,200.5" → "1200.5"; "" stays "").
func checkMoney(field, label, s string) (string, error) {
	s = strings.ReplaceAll(cleanCode(s), ",", "")
	if s == "" {
		return "", nil
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || strings.ContainsAny(s, "eEinfINFxX"):
		return "", fieldErr(field, "%s“%s”不是数字", label, s)
	case v < 0:
		return "", fieldErr(field, "%s不能为负数", label)
	case v > 1e12:
		return "", fieldErr(field, "%s“%s”太大了，请核对单位", label, s)
	}
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > 2 {
		return "", fieldErr(field, "%s最多保留 2 位小数", label)
	}
	return strconv.FormatFloat(v, 'f', -1, 64), nil
}

// checkCount normalises a non-negative whole number ("" stays "").
func checkCount(field, label, s string) (string, error) {
	s = strings.ReplaceAll(cleanCode(s), ",", "")
	if s == "" {
		return "", nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil:
		return "", fieldErr(field, "%s“%s”应为整数", label, s)
	case v < 0:
		return "", fieldErr(field, "%s不能为负数", label)
	}
	return strconv.FormatInt(v, 10), nil
}

// NameKey folds a customer name for uniqueness: full-width to half-width,
// upper to lower case, and every space removed, so that “海尔 集团” and
// “海尔集团”, “ＡＢＣ公司” and “abc公司” count as the same name.
func NameKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(NormalizeWidth(name)), ""))
}

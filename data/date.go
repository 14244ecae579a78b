package data

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var dateRe = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

// ParseDate reads a calendar date written as 2026-05-01, 2026/5/1,
// 2026.5.1, 20260501 or 2026年5月1日; full-width digits and stray spaces are
// accepted. It returns the date at midnight local time, or an EINVALID error
// naming the field.
func ParseDate(field, s string) (time.Time, error) {
	s = strings.TrimSpace(NormalizeWidth(s))
	var y, m, d int
	if len(s) == 8 && isDigits(s) {
		y, _ = strconv.Atoi(s[:4])
		m, _ = strconv.Atoi(s[4:6])
		d, _ = strconv.Atoi(s[6:])
	} else if g := dateRe.FindStringSubmatch(s); g != nil {
		y, _ = strconv.Atoi(g[1])
		m, _ = strconv.Atoi(g[2])
		d, _ = strconv.Atoi(g[3])
	} else {
		return time.Time{}, fieldErr(field, "%s“%s”不是日期，请写成 2026-05-01 的形式", field, s)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.Local)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, fieldErr(field, "%s“%s”不是真实的日期", field, s)
	}
	return t, nil
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// NormalizeWidth turns full-width ASCII (ＡＢＣ１２３, full-width space)
// into its half-width form.
func NormalizeWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '\uFF01' && r <= '\uFF5E':
			return r - 0xFEE0
		}
		return r
	}, s)
}

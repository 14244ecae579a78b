package data

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Segments of the 档号 (DESIGN 2.6, DA/T 22-2015).
const (
	SegFonds     = "全宗号"
	SegClass     = "门类代码"
	SegYear      = "年度"
	SegRetention = "保管期限"
	SegOrg       = "机构代码"
	SegSerial    = "件号"
)

// DefaultCodePattern is the DA/T 22-2015 档号 layout.
const DefaultCodePattern = "{全宗号}-{门类代码}·{年度}-{保管期限}-{机构代码}-{件号}"

// DefaultSerialWidth is the number of digits of a 件号.
const DefaultSerialWidth = 4

var allSegments = []string{SegFonds, SegClass, SegYear, SegRetention, SegOrg, SegSerial}

// CodePattern is a parsed 档号 pattern: the six segments in order, with the
// separator written before each (seps[0] is a prefix, usually empty) and a
// suffix.
type CodePattern struct {
	Segs   []string
	Seps   []string
	Suffix string
}

var patternTokenRe = regexp.MustCompile(`\{([^{}]*)\}`)

// ParseCodePattern reads a pattern such as DefaultCodePattern. Every one of
// the six segments appears exactly once, and neighbouring segments are
// separated by at least one character.
func ParseCodePattern(p string) (CodePattern, error) {
	var cp CodePattern
	p = strings.TrimSpace(p)
	locs := patternTokenRe.FindAllStringSubmatchIndex(p, -1)
	seen := map[string]bool{}
	last := 0
	for i, l := range locs {
		seg := p[l[2]:l[3]]
		known := false
		for _, s := range allSegments {
			known = known || s == seg
		}
		if !known {
			return cp, fieldErr("code_pattern", "档号格式中的“{%s}”不认识：可用的段为 %s", seg, segmentList())
		}
		if seen[seg] {
			return cp, fieldErr("code_pattern", "档号格式中“{%s}”出现了两次", seg)
		}
		seen[seg] = true
		sep := p[last:l[0]]
		if i > 0 && sep == "" {
			return cp, fieldErr("code_pattern", "档号格式中“{%s}”前面缺少分隔符（如“-”）", seg)
		}
		if strings.ContainsAny(sep, "{}") {
			return cp, fieldErr("code_pattern", "档号格式中的花括号不成对")
		}
		cp.Segs = append(cp.Segs, seg)
		cp.Seps = append(cp.Seps, sep)
		last = l[1]
	}
	cp.Suffix = p[last:]
	if strings.ContainsAny(cp.Suffix, "{}") {
		return cp, fieldErr("code_pattern", "档号格式中的花括号不成对")
	}
	for _, s := range allSegments {
		if !seen[s] {
			return cp, fieldErr("code_pattern", "档号格式缺少“{%s}”：六个段 %s 都要有", s, segmentList())
		}
	}
	return cp, nil
}

func segmentList() string {
	parts := make([]string, len(allSegments))
	for i, s := range allSegments {
		parts[i] = "{" + s + "}"
	}
	return strings.Join(parts, "、")
}

// String writes the pattern back.
func (cp CodePattern) String() string {
	var b strings.Builder
	for i, s := range cp.Segs {
		b.WriteString(cp.Seps[i] + "{" + s + "}")
	}
	return b.String() + cp.Suffix
}

// CodeGroup is what a 件号 counts within: items with the same 全宗, 门类,
// 年度, 保管期限 and 机构 are numbered 1, 2, 3 … without gaps.
type CodeGroup struct {
	Fonds     string
	Class     string
	Year      int
	Retention string
	Org       string
}

// String shows the group as the 档号 without its 件号, e.g. Z109-KH·2026-D30-XS.
func (g CodeGroup) String() string {
	return fmt.Sprintf("%s-%s·%d-%s-%s", g.Fonds, g.Class, g.Year, g.Retention, g.Org)
}

// values returns the segment values of an item of group g with serial n.
func (g CodeGroup) values(serial, width int) map[string]string {
	return map[string]string{
		SegFonds: g.Fonds, SegClass: g.Class, SegYear: strconv.Itoa(g.Year),
		SegRetention: g.Retention, SegOrg: g.Org, SegSerial: fmt.Sprintf("%0*d", width, serial),
	}
}

// Format returns the 档号 of serial n in group g.
func (cp CodePattern) Format(g CodeGroup, serial, width int) string {
	v := g.values(serial, width)
	var b strings.Builder
	for i, s := range cp.Segs {
		b.WriteString(cp.Seps[i])
		b.WriteString(v[s])
	}
	return b.String() + cp.Suffix
}

// SortKey returns a text whose byte order is the segment-wise order of the
// 档号: segments in pattern order, each ended by \x01 (below every printable
// character, so KH sorts before KHA), with every run of digits padded to 12
// places (so 9 sorts before 10 and 2025 before 2026).
func (cp CodePattern) SortKey(g CodeGroup, serial int) string {
	v := g.values(serial, 1)
	segs := make([]string, len(cp.Segs))
	for i, s := range cp.Segs {
		segs[i] = v[s]
	}
	return SegmentSortKey(segs)
}

// SegmentSortKey builds the sort key of a code split into segments.
func SegmentSortKey(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		i := 0
		for i < len(s) {
			if s[i] >= '0' && s[i] <= '9' {
				j := i
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
				digits := strings.TrimLeft(s[i:j], "0")
				if len(digits) < 12 {
					b.WriteString(strings.Repeat("0", 12-len(digits)))
				}
				b.WriteString(digits)
				i = j
				continue
			}
			b.WriteByte(s[i])
			i++
		}
		b.WriteByte(1)
	}
	return b.String()
}

// Retention periods (DA/T 22-2015): Y 永久, D30 定期30年, D10 定期10年, Dn.
var retentionRe = regexp.MustCompile(`^(Y|D[1-9][0-9]?[0-9]?)$`)

// NormalizeRetention upper-cases a retention code and checks it.
func NormalizeRetention(r string) (string, error) {
	r = strings.ToUpper(strings.TrimSpace(NormalizeWidth(r)))
	switch r {
	case "永久":
		r = "Y"
	case "定期30年", "30年":
		r = "D30"
	case "定期10年", "10年":
		r = "D10"
	}
	if !retentionRe.MatchString(r) {
		return "", fieldErr("retention", "保管期限“%s”不正确：应为 Y（永久）、D30（30年）、D10（10年）或 Dn（n 年）", r)
	}
	return r, nil
}

// RetentionLabel returns the Chinese name of a retention code.
func RetentionLabel(r string) string {
	switch {
	case r == "Y":
		return "永久"
	case strings.HasPrefix(r, "D"):
		return "定期" + r[1:] + "年"
	}
	return r
}

// Retentions lists the usual retention codes for choosers.
func Retentions() []string { return []string{"Y", "D30", "D10"} }

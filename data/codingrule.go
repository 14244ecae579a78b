package data

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultCodingRule is the hierarchical coding rule used unless the office
// sets another: level 1 has 2 digits, level 2 adds 2, level 3 adds 2.
const DefaultCodingRule = "2-2-2"

// CodingRule gives the number of digits each level of a hierarchical code
// adds (DESIGN 2.1, seed 000 U8+ 编码方案).
type CodingRule []int

// ParseCodingRule reads a rule such as "2-2-2".
func ParseCodingRule(s string) (CodingRule, error) {
	parts := strings.Split(strings.TrimSpace(s), "-")
	if len(parts) == 0 || len(parts) > 9 {
		return nil, fieldErr("coding_rule", "编码规则格式应为“2-2-2”：每级位数用“-”分隔，最多 9 级")
	}
	rule := make(CodingRule, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 || n > 9 {
			return nil, fieldErr("coding_rule", "编码规则格式应为“2-2-2”：每级 1 到 9 位，用“-”分隔")
		}
		rule[i] = n
	}
	return rule, nil
}

// String formats the rule as "2-2-2".
func (r CodingRule) String() string {
	parts := make([]string, len(r))
	for i, n := range r {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, "-")
}

// lengths returns the total code length at each level: 2-2-2 → 2, 4, 6.
func (r CodingRule) lengths() []int {
	out := make([]int, len(r))
	total := 0
	for i, n := range r {
		total += n
		out[i] = total
	}
	return out
}

// Level returns the 1-based level of a code of this length, or 0 when no
// level has that length.
func (r CodingRule) Level(code string) int {
	for i, l := range r.lengths() {
		if len(code) == l {
			return i + 1
		}
	}
	return 0
}

// ParentCode returns the code of the parent level ("" for level 1).
func (r CodingRule) ParentCode(code string) string {
	lv := r.Level(code)
	if lv <= 1 {
		return ""
	}
	return code[:r.lengths()[lv-2]]
}

// Check validates the form of a code: digits only, with a length that is
// one of the rule's levels. what names the kind of code in messages.
func (r CodingRule) Check(code, what string) error {
	if code == "" {
		return fieldErr("code", "%s编码不能为空", what)
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return fieldErr("code", "%s编码只能由数字组成，“%s”不符合", what, code)
		}
	}
	if r.Level(code) == 0 {
		ls := r.lengths()
		parts := make([]string, len(ls))
		for i, l := range ls {
			parts[i] = strconv.Itoa(l)
		}
		return fieldErr("code", "%s编码“%s”有 %d 位，按编码规则 %s，编码长度应为 %s 位",
			what, code, len(code), r, strings.Join(parts, "、"))
	}
	return nil
}

// NextChildCode suggests the next free code under parent ("" for level 1)
// given the codes already in use.
func (r CodingRule) NextChildCode(parent string, used []string) (string, error) {
	lv := 1
	if parent != "" {
		lv = r.Level(parent) + 1
	}
	if lv > len(r) {
		return "", fieldErr("code", "编码规则 %s 只有 %d 级，“%s”下不能再建下级", r, len(r), parent)
	}
	width := r[lv-1]
	max := 0
	for _, c := range used {
		if len(c) == len(parent)+width && strings.HasPrefix(c, parent) {
			if n, err := strconv.Atoi(c[len(parent):]); err == nil && n > max {
				max = n
			}
		}
	}
	next := fmt.Sprintf("%0*d", width, max+1)
	if len(next) > width {
		return "", fieldErr("code", "“%s”下的编码已用完", parent)
	}
	return parent + next, nil
}

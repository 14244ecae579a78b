package data

import (
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// maxPinyinKeys bounds the readings stored per name: a name made of many
// polyphonic characters would otherwise multiply out.
const maxPinyinKeys = 32

// phraseInitials fixes the reading of common words whose characters are
// polyphonic, so that the suggested 助记码 reads as people say the word.
// Search matches every reading regardless (see PinyinKeys).
var phraseInitials = map[string]string{
	"重庆": "cq", "银行": "yh", "厦门": "xm", "长沙": "cs", "长春": "cc", "长安": "ca", "长江": "cj",
	"长城": "cc", "行业": "hy", "朝阳": "cy", "蚌埠": "bb", "六安": "la", "乐山": "ls", "音乐": "yy",
	"重工": "zg", "重型": "zx", "重机": "zj", "单县": "sx", "调查": "dc", "都市": "ds", "首都": "sd",
	"成都": "cd", "广厦": "gs", "大厦": "ds", "商行": "sh", "车行": "ch", "发行": "fx", "藏区": "zq",
	"西藏": "xz", "分行": "fh", "支行": "zh", "总行": "zh", "行长": "hz", "同行": "th", "人行": "rh", "石家庄": "sjz", "长治": "cz", "长兴": "cx", "番禺": "py", "银行业": "yhy",
}

var pinyinArgs = pinyin.Args{Style: pinyin.FirstLetter, Heteronym: true}

// initialsOf returns the possible initials of one rune: its pinyin first
// letters for a Chinese character, itself (lower-cased) for a letter or
// digit, nothing for anything else.
func initialsOf(r rune) []string {
	r = unicode.ToLower(r)
	switch {
	case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		return []string{string(r)}
	case unicode.Is(unicode.Han, r):
		if v, ok := hanInitials.Load(r); ok {
			return v.([]string)
		}
		var out []string
		for _, p := range pinyin.SinglePinyin(r, pinyinArgs) {
			if p != "" && !containsStr(out, p) {
				out = append(out, p)
			}
		}
		out = out[:len(out):len(out)] // shared: an append copies
		hanInitials.Store(r, out)
		return out
	}
	return nil
}

// hanInitials caches initialsOf for Chinese characters: go-pinyin is slow
// (regular expressions per call) and bulk imports ask for the same few
// thousand characters over and over.
var hanInitials sync.Map

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Mnemonic suggests the 助记码 of a name: the pinyin initials of its Chinese
// characters, with letters and digits kept (北京海淀科技 → bjhdkj,
// 重庆3D打印 → cq3ddy). Common polyphonic words read as usually said.
func Mnemonic(name string) string {
	runes := []rune(NormalizeWidth(name))
	var b strings.Builder
	for i := 0; i < len(runes); {
		if n, ini := phraseAt(runes, i); n > 0 {
			b.WriteString(ini)
			i += n
			continue
		}
		if ini := initialsOf(runes[i]); len(ini) > 0 {
			b.WriteString(ini[0])
		}
		i++
	}
	return b.String()
}

func phraseAt(runes []rune, i int) (int, string) {
	for n := 3; n >= 2; n-- {
		if i+n <= len(runes) {
			if ini, ok := phraseInitials[string(runes[i:i+n])]; ok {
				return n, ini
			}
		}
	}
	return 0, ""
}

// PinyinKeys returns every reading of the name's initials (up to a bound),
// so that a search for cq finds 重庆 although 重 is mostly read zhòng.
func PinyinKeys(name string) []string {
	keys := []string{""}
	for _, r := range NormalizeWidth(name) {
		ini := initialsOf(r)
		if len(ini) == 0 {
			continue
		}
		next := make([]string, 0, len(keys)*len(ini))
		for _, k := range keys {
			for _, i := range ini {
				if len(next) < maxPinyinKeys {
					next = append(next, k+i)
				}
			}
		}
		keys = next
	}
	if m := Mnemonic(name); !containsStr(keys, m) {
		keys = append([]string{m}, keys...)
	}
	return keys
}

// PinyinPairs returns the distinct one- and two-letter runs of the name's
// initials over every reading, space-separated: enough to answer a 1–2
// letter search such as "yh" (…银行) without storing every full reading.
func PinyinPairs(name string) string {
	var sets [][]string
	for _, r := range NormalizeWidth(name) {
		if ini := initialsOf(r); len(ini) > 0 {
			sets = append(sets, ini)
		}
	}
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for i, set := range sets {
		for _, a := range set {
			if i+1 < len(sets) {
				for _, b := range sets[i+1] {
					add(a + b)
				}
			} else {
				add(a)
			}
		}
	}
	return strings.Join(out, " ")
}

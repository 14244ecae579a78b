package reports

import (
	"fmt"
	"strings"
)

// code128Patterns are the bar/space widths (in modules) of Code 128
// symbols 0–106; each starts with a bar. 106 is the stop pattern.
var code128Patterns = [107]string{
	"212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
	"221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
	"221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
	"212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
	"231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
	"231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
	"314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
	"112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
	"111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
	"214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
	"114131", "311141", "411131", "211412", "211214", "211232", "2331112",
}

const (
	c128StartB = 104
	c128StartC = 105
	c128CodeB  = 100
	c128CodeC  = 99
	c128Stop   = 106
)

// code128 encodes text (printable ASCII) as Code 128 symbol values,
// start and check symbol included, stop excluded. Runs of four or more
// digits use code set C (two digits a symbol), the rest code set B.
func code128(text string) ([]int, error) {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < 32 || c > 126 {
			return nil, fmt.Errorf("条码只能包含英文字母、数字和符号，“%s”中有“%s”", text, string([]rune(text[i:])[:1]))
		}
	}
	if text == "" {
		return nil, fmt.Errorf("条码内容为空")
	}
	digits := func(i int) int { // length of the digit run at i
		n := 0
		for i+n < len(text) && text[i+n] >= '0' && text[i+n] <= '9' {
			n++
		}
		return n
	}
	var syms []int
	set := 0
	for i := 0; i < len(text); {
		n := digits(i)
		useC := n >= 4 && (i == 0 || i+n == len(text) || n >= 6)
		if useC {
			if n%2 == 1 { // odd run: the first digit goes in set B
				if set != 'B' {
					syms = append(syms, switchTo(set, 'B'))
					set = 'B'
				}
				syms = append(syms, int(text[i])-32)
				i++
				n--
			}
			if set != 'C' {
				syms = append(syms, switchTo(set, 'C'))
				set = 'C'
			}
			for ; n > 0; n -= 2 {
				syms = append(syms, int(text[i]-'0')*10+int(text[i+1]-'0'))
				i += 2
			}
			continue
		}
		if set != 'B' {
			syms = append(syms, switchTo(set, 'B'))
			set = 'B'
		}
		syms = append(syms, int(text[i])-32)
		i++
	}
	sum := syms[0]
	for i, s := range syms[1:] {
		sum += (i + 1) * s
	}
	return append(syms, sum%103), nil
}

func switchTo(from, to int) int {
	switch {
	case from == 0 && to == 'B':
		return c128StartB
	case from == 0:
		return c128StartC
	case to == 'B':
		return c128CodeB
	}
	return c128CodeC
}

// code128Modules returns the bar pattern of text: true for a dark module,
// quiet zones not included.
func code128Modules(text string) ([]bool, error) {
	syms, err := code128(text)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for _, s := range append(syms, c128Stop) {
		b.WriteString(code128Patterns[s])
	}
	var mods []bool
	for i, w := range b.String() {
		for k := 0; k < int(w-'0'); k++ {
			mods = append(mods, i%2 == 0)
		}
	}
	return mods, nil
}

// BarcodeText turns a box code into barcode text: Code 128 carries ASCII
// only, so the middle dot of 档号 (·) becomes "." and other non-ASCII
// characters are dropped.
func BarcodeText(code string) string {
	var b strings.Builder
	for _, r := range code {
		switch {
		case r == '·' || r == '・' || r == '．':
			b.WriteByte('.')
		case r >= 32 && r <= 126:
			b.WriteRune(r)
		}
	}
	return b.String()
}

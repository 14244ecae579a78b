package data

import "strings"

// creditCodeChars are the characters of a 统一社会信用代码 in the order of
// their values (GB 32100-2015: digits and capitals without I, O, S, V, Z).
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights are the weights of the first 17 characters: 3^i mod 31.
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeCreditCode upper-cases a credit code and drops spaces and
// full-width forms, as people type it.
func NormalizeCreditCode(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(NormalizeWidth(s)), ""))
}

// CreditCodeCheckChar returns the check character for the first 17
// characters of a credit code, or 0 when they hold a character the standard
// does not use.
func CreditCodeCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeChars, first17[i])
		if v < 0 {
			return 0
		}
		sum += v * creditCodeWeights[i]
	}
	return creditCodeChars[(31-sum%31)%31]
}

// CheckCreditCode validates a normalised 统一社会信用代码 and says what is
// wrong with it, in Chinese.
func CheckCreditCode(code string) error {
	const f = "credit_code"
	if n := len([]rune(code)); n != 18 {
		return fieldErr(f, "统一社会信用代码应为 18 位，“%s”有 %d 位", code, n)
	}
	for i, r := range code {
		if !strings.ContainsRune(creditCodeChars, r) {
			return fieldErr(f, "统一社会信用代码“%s”第 %d 位“%c”不是有效字符（只用数字和除 I、O、S、V、Z 以外的大写字母）",
				code, i+1, r)
		}
	}
	if want := CreditCodeCheckChar(code[:17]); code[17] != want {
		return fieldErr(f, "统一社会信用代码“%s”校验位不对：按 GB 32100-2015 最后一位应为“%c”，请核对是否抄错", code, want)
	}
	return nil
}

package cli

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"dangan/data"
)

func TestSearchCLI(t *testing.T) {
	dir := t.TempDir()
	pw := map[string]string{"DANGAN_PASSWORD": "Archive2026"}
	if code, _, errs := run(t, pw, "", "init", "--admin", "admin", "--fonds-code", "Z109", "--data-dir", dir); code != 0 {
		t.Fatal(errs)
	}
	ctx := t.Context()
	s, _ := data.Open(dir)
	admin, _ := s.Authenticate(ctx, "admin", "Archive2026")
	d1, _ := s.CreateDepartment(ctx, admin, "01", "销售部")
	d2, _ := s.CreateDepartment(ctx, admin, "02", "服务部")
	s.SetOrgCode(ctx, admin, d1.ID, "XS")
	k1, _ := s.CreateCustomerCategory(ctx, admin, "01", "重点客户")
	for _, c := range []data.Customer{
		{Name: "北京海淀科技有限公司", CategoryID: k1.ID, DeptID: d1.ID, Contacts: []data.Contact{{Name: "张伟", Mobile: "13800138000"}}},
		{Name: "海淀区档案服务中心", CategoryID: k1.ID, DeptID: d2.ID},
	} {
		if _, err := s.CreateCustomer(ctx, admin, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateUser(ctx, admin, data.UserInput{Username: "wang", DeptID: d1.ID, Role: data.RoleOperator,
		Password: "Sales2026x"}); err != nil {
		t.Fatal(err)
	}
	kh02, _ := s.CategoryByCode(ctx, "KH-02")
	it, err := s.CreateItem(ctx, admin, data.ItemInput{CategoryID: kh02.ID, Year: 2026, Retention: "D30", DeptID: d1.ID,
		Title: "海淀项目购销合同", Pages: 2, CustomerID: 1})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, out, errs := run(t, pw, "", "search", "海淀", "--user", "admin", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("search: %d %q", code, errs)
	}
	want := "类别\t编码\t名称/题名\t匹配\n" +
		"客户\t010002\t海淀区档案服务中心\t客户名称\n" + // name starts with the query: ranked first
		"客户\t010001\t北京海淀科技有限公司\t客户名称\n" +
		"档案\t" + it.Code + "\t海淀项目购销合同\t题名\n"
	if out != want {
		t.Fatalf("search output:\n%s\nwant:\n%s", out, want)
	}
	// The operator of 销售部 does not see the 服务部 customer; flags may come first.
	pwWang := map[string]string{"DANGAN_PASSWORD": "Sales2026x"}
	code, out, errs = run(t, pwWang, "", "search", "--user", "wang", "--data-dir", dir, "海淀")
	if code != 0 || strings.Contains(out, "档案服务中心") || !strings.Contains(out, "北京海淀科技有限公司") {
		t.Fatalf("operator search: %d %q %q", code, out, errs)
	}
	// Code prefix and phone fragment.
	code, out, _ = run(t, pw, "", "search", "z109-kh.2026", "--user", "admin", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "档案\t"+it.Code+"\t海淀项目购销合同\t档号") {
		t.Fatalf("code prefix: %q", out)
	}
	code, out, _ = run(t, pw, "", "search", "0013800", "--user", "admin", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "北京海淀科技有限公司\t联系人电话") {
		t.Fatalf("phone: %q", out)
	}
	// No query, no user.
	if code, _, errs := run(t, pw, "", "search", "--user", "admin", "--data-dir", dir); code != 2 || !strings.Contains(errs, "请给出要搜索的内容") {
		t.Fatalf("no query: %d %q", code, errs)
	}
	if code, _, errs := run(t, pw, "", "search", "海淀", "--data-dir", dir); code != 2 || !strings.Contains(errs, "--user") {
		t.Fatalf("no user: %d %q", code, errs)
	}
	if code, out, _ := run(t, pw, "", "help"); code != 0 || !strings.Contains(out, "dangan search 内容 --user 用户名") {
		t.Fatalf("help lacks search: %q", out)
	}
}

// TestSpineBarcodeScansBackToItsBox prints spine labels with the print
// command, renders the PDF, decodes each strip's Code 128 barcode from the
// pixels with a decoder of its own, and feeds the decoded text to the scan
// lookup, which must find that very box.
func TestSpineBarcodeScansBackToItsBox(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("poppler-utils not installed")
	}
	dir, _ := printFixture(t)
	pw := map[string]string{"DANGAN_PASSWORD": "Archive2026"}
	out := filepath.Join(t.TempDir(), "spines.pdf")
	if code, _, errs := run(t, pw, "", "print", "spines", "--user", "admin", "-o", out, "--category", "KH",
		"--year", "2026", "--paper", "A4", "--data-dir", dir); code != 0 {
		t.Fatalf("print spines: %d %q", code, errs)
	}
	png := filepath.Join(t.TempDir(), "page")
	if b, err := exec.Command("pdftoppm", "-r", "254", "-f", "1", "-l", "1", "-png", "-singlefile", out, png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, b)
	}
	img := readPNG(t, png+".png")
	s, _ := data.Open(dir)
	defer s.Close()
	ctx := t.Context()
	admin, _ := s.Authenticate(ctx, "admin", "Archive2026")
	boxes, err := s.FindBoxes(ctx, admin, data.BoxFilter{Class: "KH", Year: 2026})
	if err != nil || len(boxes) != 3 {
		t.Fatalf("boxes: %d %v", len(boxes), err)
	}
	// A4 strips: 262 mm high, centred on the 297 mm page, side by side from
	// 12 mm, as wide as each box's spine; 10 px a millimetre.
	x, top, h := 12.0, (297.0-262.0)/2, 262.0
	for _, b := range boxes {
		cx := int((x+float64(b.Thickness)/2)*10) - 10
		text, err := decodeColumn128(img, cx, int(top*10), int((top+h)*10))
		if err != nil {
			t.Fatalf("box %s: %v", b.Label(), err)
		}
		hit, err := s.ResolveScan(ctx, admin, text)
		if err != nil || hit == nil || hit.Kind != data.KindBox || hit.ID != b.ID {
			t.Fatalf("scanned %q resolves to %+v, %v; want box %d (%s)", text, hit, err, b.ID, b.Label())
		}
		x += float64(b.Thickness)
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// code128Widths are the bar/space widths of Code 128 symbols 0–105 (the
// standard table, kept here so that the test does not trust the encoder's).
var code128Widths = strings.Fields(`212222 222122 222221 121223 121322 131222 122213 122312 132212 221213
221312 231212 112232 122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 311222
321122 321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 112313 132113 132311 211313
231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 231131 213113 213311 213131 311123
311321 331121 312113 312311 332111 314111 221411 431111 111224 111422 121124 121421 141122 141221 112214
112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 124112
124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 114311 411113 411311 113141
114131 311141 411131 211412 211214 211232`)

// decodeColumn128 reads the dark/light runs down column x from y0 to y1
// and decodes the first Code 128 symbol found among them.
func decodeColumn128(img image.Image, x, y0, y1 int) (string, error) {
	dark := func(y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return (r+g+b)/3 < 0x8000
	}
	var runs []int
	for y := y0; y < y1; {
		d, j := dark(y), y
		for j < y1 && dark(j) == d {
			j++
		}
		if d || len(runs) > 0 {
			runs = append(runs, j-y)
		}
		y = j
	}
	for i := 0; i < len(runs); i += 2 {
		if s, err := decode128Runs(runs[i:]); err == nil {
			return s, nil
		}
	}
	return "", fmt.Errorf("no barcode in column %d", x)
}

func decode128Runs(runs []int) (string, error) {
	byPattern := map[string]int{}
	for i, p := range code128Widths {
		byPattern[p] = i
	}
	var syms []int
	for i := 0; i+6 <= len(runs); i += 6 {
		sum := 0
		for _, r := range runs[i : i+6] {
			sum += r
		}
		var p strings.Builder
		for _, r := range runs[i : i+6] {
			p.WriteByte(byte('0' + (r*11+sum/2)/sum))
		}
		if p.String() == "233111" { // the stop symbol's first six runs
			break
		}
		v, ok := byPattern[p.String()]
		if !ok {
			return "", fmt.Errorf("unknown pattern %s", p.String())
		}
		syms = append(syms, v)
	}
	if len(syms) < 3 || (syms[0] != 104 && syms[0] != 105) {
		return "", fmt.Errorf("no start symbol")
	}
	sum := syms[0]
	for i, s := range syms[1 : len(syms)-1] {
		sum += (i + 1) * s
	}
	if sum%103 != syms[len(syms)-1] {
		return "", fmt.Errorf("bad check symbol")
	}
	var out strings.Builder
	setC := syms[0] == 105
	for _, s := range syms[1 : len(syms)-1] {
		switch {
		case s == 100:
			setC = false
		case s == 99:
			setC = true
		case setC:
			fmt.Fprintf(&out, "%02d", s)
		default:
			out.WriteByte(byte(s + 32))
		}
	}
	return out.String(), nil
}

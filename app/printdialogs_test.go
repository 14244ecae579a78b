package app

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"dangan/data"
	"dangan/reports"
)

// printUI is archiveUI with 30 items of KH-02 2026 D30 XS (the first four
// in two boxes, 20 and 40 mm) and 3 of 2025; it skips without a Chinese
// font or poppler-utils.
func printUI(t *testing.T) (*UI, []int64) {
	t.Helper()
	if _, err := reports.DiscoverFonts(); err != nil {
		t.Skipf("no Chinese font: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("poppler-utils not installed")
	}
	u := archiveUI(t)
	ctx := context.Background()
	kh02, _ := u.store.CategoryByCode(ctx, "KH-02")
	orgs, _ := u.store.FindOrgCodes(ctx)
	var ids []int64
	for i := 0; i < 33; i++ {
		y := 2026
		if i >= 30 {
			y = 2025
		}
		it, err := u.store.CreateItem(ctx, u.user, data.ItemInput{CategoryID: kh02.ID, Year: y, Retention: "D30",
			DeptID: orgs[0].DeptID, Title: "年度购销合同 ABC-" + string(rune('0'+i%10)), Author: "销售部", Pages: 3, Date: "20260501"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	for i, th := range []int{20, 40} {
		if _, err := u.store.BoxItems(ctx, u.user, 0, ids[2*i:2*i+2], data.BoxInput{Thickness: th, Filer: "王芳"}); err != nil {
			t.Fatal(err)
		}
	}
	return u, ids
}

func pdfOut(t *testing.T, tool, path string) string {
	t.Helper()
	args := []string{path}
	if tool == "pdftotext" {
		args = []string{"-layout", path, "-"}
	}
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	return string(out)
}

func TestPrintCatalogueFromArchiveTab(t *testing.T) {
	u, ids := printUI(t)
	at := u.main.archive
	at.tree.Select(nodeOf(t, at, "KH-02"))
	typeInto(at.year, "2026")
	at.reload()

	// Ctrl+P on the archive tab opens the dialog with the tab's filters.
	u.printCurrentTab()
	d := at.printDlg
	if d == nil {
		t.Fatal("no catalogue dialog")
	}
	if d.category.Selected != "KH-02 合同协议" || d.year.Text != "2026" || d.rows.Selected != rowsStandard || d.orient.Selected != orientLand {
		t.Fatalf("defaults: %q %q %q %q", d.category.Selected, d.year.Text, d.rows.Selected, d.orient.Selected)
	}
	d.retention.SetSelected("D30")
	d.org.SetSelected("XS 销售部")
	d.cover.SetChecked(true)
	waitFor(t, "the page count", func() bool { return strings.Contains(d.info.Text, "共 30 件，1 卷，将打印 4 页。") })
	wantShown(t, u.win, "打印归档文件目录")

	// Other rows: a bad number is caught before anything is written.
	d.rows.SetSelected(rowsOther)
	typeInto(d.rowN, "99")
	test.Tap(d.dlg.submit)
	wantShown(t, u.win, "每页行数应为 1 到 40 之间的整数")
	d.rows.SetSelected(rowsStandard)
	waitFor(t, "the page count", func() bool { return strings.Contains(d.info.Text, "将打印 4 页") })

	// 生成 PDF… closes the dialog and asks for the file (the form dialog
	// must be gone first, or hiding it would take the file dialog along).
	test.Tap(d.dlg.submit)
	wantShown(t, u.win, "归档文件目录-2026.pdf")

	path := filepath.Join(t.TempDir(), "目录.pdf")
	d.writeTo(path)
	waitFor(t, "the PDF result", func() bool { return strings.Contains(shown(u.win), "打印文件已生成") })
	wantShown(t, u.win, "已生成 目录.pdf，共 4 页。", "打开")
	if info := pdfOut(t, "pdfinfo", path); !regexp.MustCompile(`Pages:\s+4\n`).MatchString(info) ||
		!strings.Contains(info, "841.89 x 595.28") { // A4 landscape
		t.Fatalf("pdfinfo:\n%s", info)
	}
	text := pdfOut(t, "pdftotext", path)
	flat := strings.ReplaceAll(text, " ", "")
	for _, want := range []string{"华东机械有限公司", "KH-02合同协议", "XS销售部", "年度购销合同ABC-9", "第1页"} {
		if !strings.Contains(flat, want) {
			t.Fatalf("catalogue lacks %q:\n%s", want, text)
		}
	}
	last := -1
	for i := 1; i <= 30; i++ {
		c := "Z109-KH·2026-D30-XS-" + strings.Repeat("0", 4-len(itoa(i))) + itoa(i)
		at := strings.Index(text, c)
		if at < last {
			t.Fatalf("%s missing or out of order", c)
		}
		last = at
	}
	if strings.Contains(text, "2025-D30") {
		t.Fatal("a 2025 item in the 2026 catalogue")
	}
	// Printed items' 档号 are fixed now; others not.
	for _, c := range []struct {
		id    int64
		fixed bool
	}{{ids[5], true}, {ids[29], true}, {ids[31], false}} {
		it, _ := u.store.ItemByID(context.Background(), u.user, c.id)
		if it.CodeFixed != c.fixed {
			t.Fatalf("%s fixed=%v", it.Code, it.CodeFixed)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestPrintCatalogueRefusesAGlyphNoFontHas(t *testing.T) {
	u, _ := printUI(t)
	ctx := context.Background()
	kh02, _ := u.store.CategoryByCode(ctx, "KH-02")
	orgs, _ := u.store.FindOrgCodes(ctx)
	// U+0F00 (Tibetan) is in neither WenQuanYi nor the Go font.
	if _, err := u.store.CreateItem(ctx, u.user, data.ItemInput{CategoryID: kh02.ID, Year: 2024, Retention: "D30",
		DeptID: orgs[0].DeptID, Title: "合同 ༀ", Pages: 1}); err != nil {
		t.Fatal(err)
	}
	at := u.main.archive
	typeInto(at.year, "2024")
	at.reload()
	test.Tap(at.print)
	path := filepath.Join(t.TempDir(), "x.pdf")
	at.printDlg.writeTo(path)
	waitFor(t, "the error", func() bool { return strings.Contains(shown(u.win), "操作未完成") })
	wantShown(t, u.win, "所选字体中没有这些字符", "U+0F00")
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a file was written")
	}
}

func TestPrintSpinesFromBoxesDialog(t *testing.T) {
	u, _ := printUI(t)
	at := u.main.archive
	test.Tap(at.boxes)
	v := at.boxesDlg
	if v == nil || len(v.boxes) != 2 {
		t.Fatalf("boxes dialog: %+v", v)
	}
	v.showPrint(boxSpines)
	d := v.printDlg
	if d.scope.Selected != scopeAll || d.paper.Selected != paperA3 {
		t.Fatalf("defaults: %q %q", d.scope.Selected, d.paper.Selected)
	}
	wantShown(t, u.win, "2 个盒，将打印 1 页 A3", "请按 100% 实际大小打印")
	d.scope.SetSelected(scopeRange)
	typeInto(d.from, "2")
	wantShown(t, u.win, "1 个盒，将打印 1 页 A3")
	d.scope.SetSelected(scopeAll)
	d.showOrg.SetChecked(true)
	path := filepath.Join(t.TempDir(), "盒脊.pdf")
	d.writeTo(path)
	waitFor(t, "the PDF result", func() bool { return strings.Contains(shown(u.win), "打印文件已生成") })
	wantShown(t, u.win, "共 1 页", "请按 100% 实际大小打印")
	if info := pdfOut(t, "pdfinfo", path); !strings.Contains(info, "(A3)") {
		t.Fatalf("pdfinfo:\n%s", info)
	}
	text := pdfOut(t, "pdftotext", path)
	for _, want := range []string{"Z109", "2026", "0001", "0004", "XS"} {
		if !strings.Contains(text, want) {
			t.Fatalf("spines lack %q:\n%s", want, text)
		}
	}
	// Covers and 备考表 through the same dialog.
	for _, kind := range []string{boxCovers, boxNotes} {
		d.kind.SetSelected(kind)
		p := filepath.Join(t.TempDir(), kind+".pdf")
		d.writeTo(p)
		waitFor(t, kind, func() bool { _, err := os.Stat(p); return err == nil })
		if !strings.Contains(pdfOut(t, "pdfinfo", p), "Pages:           2") {
			t.Fatalf("%s pages:\n%s", kind, pdfOut(t, "pdfinfo", p))
		}
	}
}

func TestPrintStickersAndCard(t *testing.T) {
	u, ids := printUI(t)
	at := u.main.archive
	for _, id := range ids[:5] {
		at.marked[id] = true
	}
	at.updateButtons()
	test.Tap(at.stickers)
	d := at.stickerDlg
	typeInto(d.start, "62")
	wantShown(t, u.win, "将打印 5 张归档章，用 2 张标签纸。")
	path := filepath.Join(t.TempDir(), "归档章.pdf")
	d.writeTo(path)
	waitFor(t, "stickers", func() bool { _, err := os.Stat(path); return err == nil })
	if !strings.Contains(pdfOut(t, "pdfinfo", path), "Pages:           2") {
		t.Fatal(pdfOut(t, "pdfinfo", path))
	}
	if text := pdfOut(t, "pdftotext", path); !strings.Contains(text, "0005") || !strings.Contains(text, "Z109") {
		t.Fatalf("stickers:\n%s", text)
	}
}

func TestPrintCustomerCard(t *testing.T) {
	u, _ := printUI(t)
	ctx := context.Background()
	cat, err := u.store.CreateCustomerCategory(ctx, u.user, "01", "重点客户")
	if err != nil {
		t.Fatal(err)
	}
	c, err := u.store.CreateCustomer(ctx, u.user, data.Customer{Name: "青岛海达机械有限公司", CategoryID: cat.ID,
		Address: "青岛市黄岛区长江路 88 号", Contacts: []data.Contact{{Name: "张伟", Mobile: "13800138000", Primary: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.store.AddCommunication(ctx, u.user, data.Communication{CustomerID: c.ID, Date: "2026-04-20",
		Subject: "续签 2026 年度合同", Detail: "对方同意按原价续签"}); err != nil {
		t.Fatal(err)
	}
	f, err := showCustomerForm(u, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.print == nil {
		t.Fatal("no 打印 button on a stored card")
	}
	path := filepath.Join(t.TempDir(), "卡.pdf")
	u.printCardTo(c.ID, path)
	waitFor(t, "the card", func() bool { _, err := os.Stat(path); return err == nil })
	text := strings.ReplaceAll(pdfOut(t, "pdftotext", path), " ", "")
	for _, want := range []string{"客户档案卡", "青岛海达机械有限公司", c.Code, "张伟", "13800138000", "续签2026年度合同", "长江路88号"} {
		if !strings.Contains(text, want) {
			t.Fatalf("card lacks %q:\n%s", want, text)
		}
	}
}

func TestPrintSettingsFontDialog(t *testing.T) {
	if _, err := reports.DiscoverFonts(); err != nil {
		t.Skipf("no Chinese font: %v", err)
	}
	u := archiveUI(t)
	test.Tap(u.main.archive.print) // reached from a print dialog's 更改…
	u.showPrintSettings()
	ps := u.pdfFonts.settings
	waitFor(t, "the font list", func() bool { return strings.Contains(shown(u.win), "个中文字体") })
	wantShown(t, u.win, "打印设置 · 字体", "当前字体", autoFont, "浏览…")
	var pick string
	for label, c := range ps.choices {
		if c.Err == nil && strings.Contains(c.Path, "wqy-microhei") {
			pick = label
		}
	}
	if pick == "" {
		t.Skip("WenQuanYi Micro Hei not installed")
	}
	ps.fonts.SetSelected(pick)
	wantShown(t, u.win, "可以使用：")
	test.Tap(ps.use)
	if got := u.app.Preferences().String(prefPDFFontPath); !strings.Contains(got, "wqy-microhei") {
		t.Fatalf("preference %q", got)
	}
	wantShown(t, u.win, "已保存", "wqy-microhei.ttc") // also in the print dialog's 字体 row
	// A CFF .otf is refused with the engine's message; a Chinese font
	// without Latin glyphs is usable, with the Go font for Latin.
	if otf, _ := filepath.Glob("/usr/share/fonts/opentype/urw-base35/*.otf"); len(otf) > 0 {
		ps.try(otf[0], 0)
		wantShown(t, u.win, "不能使用", "CFF")
		if !ps.use.Disabled() {
			t.Fatal("a CFF font can be chosen")
		}
	}
	if droid, _ := filepath.Glob("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"); len(droid) > 0 {
		ps.try(droid[0], 0)
		wantShown(t, u.win, "没有西文字母和数字，打印时由程序自带的 Go 字体补上")
	}
}

func TestPrintCancelLeavesNoFile(t *testing.T) {
	u := newTestUI(t, t.TempDir())
	doSetup(t, u)
	path := filepath.Join(t.TempDir(), "目录.pdf")
	if err := os.WriteFile(path, nil, 0o600); err != nil { // as the save dialog leaves it
		t.Fatal(err)
	}
	u.runPDF(path, "", func(w io.Writer, progress func(int, int) bool) (reports.Result, error) {
		for {
			if !progress(1, 2) {
				return reports.Result{}, reports.ErrCancelled
			}
			time.Sleep(5 * time.Millisecond)
		}
	}, nil)
	waitFor(t, "the progress dialog", func() bool { return findButton(u.win, "取消") != nil })
	test.Tap(findButton(u.win, "取消"))
	waitFor(t, "the cancel message", func() bool { return strings.Contains(shown(u.win), "已取消打印") })
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("file left behind: %v", err)
	}
}

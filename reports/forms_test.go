package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// check writes a document, then checks page count, page size and words.
func check(t *testing.T, name string, write func(*bytes.Buffer) (Result, error), pages int, w, h float64, words ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	res, err := write(&buf)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	n, pw, ph := pdfInfo(t, buf.Bytes())
	if n != pages || res.Pages != pages || abs(pw-w) > 0.5 || abs(ph-h) > 0.5 {
		t.Errorf("%s: %d pages (result %d) %.1f×%.1f mm, want %d pages %.0f×%.0f", name, n, res.Pages, pw, ph, pages, w, h)
	}
	flat := strings.Join(strings.Fields(pdfText(t, buf.Bytes())), "")
	for _, word := range words {
		if !strings.Contains(flat, strings.Join(strings.Fields(word), "")) {
			t.Errorf("%s: no %q in text", name, word)
		}
	}
	for p := 1; p <= n && p <= 3; p++ {
		render(t, buf.Bytes(), p, 60, fmt.Sprintf("%s-%d", name, p))
	}
	return buf.Bytes()
}

func TestBoxCoversAndNotes(t *testing.T) {
	fs := cjkFonts(t)
	boxes := sampleBoxes()[:2]
	boxes[0].Note = BoxNote{Description: "本盒共20件，其中第0005件为复印件，原件存财务部。", Arranger: "李明", ArrangedOn: "2026-04-30", Checker: "王芳", CheckedOn: "2026-05-01"}
	check(t, "boxcover-A3", func(b *bytes.Buffer) (Result, error) { return WriteBoxCovers(b, fs, boxes, A3) }, 2, 297, 420, "全宗名称", "华东贸易有限公司")
	check(t, "boxcover-A4", func(b *bytes.Buffer) (Result, error) { return WriteBoxCovers(b, fs, boxes, A4) }, 2, 210, 297, "华东贸易有限公司")
	check(t, "boxnote", func(b *bytes.Buffer) (Result, error) { return WriteBoxNotes(b, fs, boxes) }, 2, 210, 297,
		"备 考 表", "盒内文件情况说明", "原件存财务部", "整理人：李明", "整理日期：2026-04-30", "检查人：王芳", "检查日期：2026-05-01", "盒号：0001")
}

func TestStickers(t *testing.T) {
	fs := cjkFonts(t)
	items := make([]Sticker, 70)
	for i := range items {
		items[i] = Sticker{FondsCode: "Z109", Year: "2026", ItemNo: fmt.Sprintf("%04d", i+1), Org: "XS", Retention: "D30", Pages: fmt.Sprint(i%12 + 1)}
	}
	items[1].Org = "人力资源部"
	if n := StickerPages(70, StickerOptions{Start: 60}); n != 3 {
		t.Errorf("StickerPages = %d", n)
	}
	pdf := check(t, "stickers", func(b *bytes.Buffer) (Result, error) {
		return WriteStickers(b, fs, items, StickerOptions{Start: 60, Outline: true})
	}, 3, 210, 297, "Z109", "0001", "0070", "30年")
	// Label 61 (index 60) is in row 15, column 0: its grid's top-left corner
	// is 1 mm inside the label.
	img := render(t, pdf, 1, 254, "")
	s := DefaultLabelSheet
	x := int((s.Left + 1 + 5) * 10)
	y := int((s.Top + 15*s.LabelH + 1) * 10)
	if !dark(img, x, y) && !dark(img, x, y+1) && !dark(img, x, y-1) {
		t.Errorf("no stamp border at (%d, %d) px", x, y)
	}
	if dark(img, x, int((s.Top+1)*10)) {
		t.Errorf("skipped label printed")
	}
	var buf bytes.Buffer
	if _, err := WriteStickers(&buf, fs, items, StickerOptions{Start: 64}); err == nil {
		t.Error("start past the sheet accepted")
	}
}

func sampleCard(notes int) CustomerCard {
	c := CustomerCard{
		Code: "010001", Name: "上海华东机电设备有限公司", Status: "冻结",
		Sections: []CardSection{
			{Title: "基本信息", Fields: []Field{
				{Label: "简称", Value: "华东机电"}, {Label: "类型", Value: "企业"},
				{Label: "分类", Value: "01 重点客户"}, {Label: "所属部门", Value: "销售部"},
				{Label: "业务员", Value: "张伟"}, {Label: "等级", Value: "A"},
				{Label: "建档人", Value: "李明"}, {Label: "建档日期", Value: "2026-01-05"},
			}},
			{Title: "企业信息", Fields: []Field{
				{Label: "信用代码", Value: "91310000MA1FL3XY2K"}, {Label: "法定代表人", Value: "陈建国"},
				{Label: "注册资本", Value: "5000 万元"}, {Label: "成立日期", Value: "2008-06-18"},
				{Label: "地址", Value: "上海市浦东新区张江高科技园区碧波路690号3号楼5层", Wide: true},
				{Label: "经营范围", Value: strings.Repeat("机电设备、五金交电、仪器仪表的销售，机电设备安装维修，从事货物及技术的进出口业务。", 3), Wide: true},
				{Label: "电话", Value: "021-58881234"}, {Label: "邮箱", Value: "info@hdjd.example.cn"},
			}},
			{Title: "资信", Fields: []Field{
				{Label: "资信等级", Value: "AA"}, {Label: "信用额度", Value: "500,000 元"}, {Label: "信用期限", Value: "60 天"},
			}},
		},
		Contacts: []CardContact{
			{Name: "王芳", Position: "采购经理", Mobile: "13800138000", Phone: "021-58881235", Email: "wangfang@hdjd.example.cn", Primary: true},
			{Name: "赵磊", Position: "财务", Mobile: "13900139000", Note: "对账联系人"},
		},
		PrintedBy: "李明", PrintedOn: "2026-05-01",
	}
	for i := 0; i < notes; i++ {
		c.Notes = append(c.Notes, CardNote{Date: fmt.Sprintf("2026-04-%02d", 28-i), Way: "拜访", OurStaff: "张伟", TheirStaff: "王芳",
			Subject: "二季度采购计划", Detail: "客户计划二季度采购数控机床配件约120万元，要求报价并提供样品；约定下周提交方案。", NextDate: "2026-05-08"})
	}
	return c
}

func TestCustomerCard(t *testing.T) {
	fs := cjkFonts(t)
	check(t, "card", func(b *bytes.Buffer) (Result, error) { return WriteCustomerCard(b, fs, sampleCard(5)) }, 1, 210, 297,
		"客户档案卡", "010001", "上海华东机电设备有限公司", "冻结", "91310000MA1FL3XY2K", "王芳（主）", "沟通纪要", "二季度采购计划", "第 1 页 共 1 页")
	check(t, "card-long", func(b *bytes.Buffer) (Result, error) { return WriteCustomerCard(b, fs, sampleCard(20)) }, 2, 210, 297,
		"客户档案卡（续）", "第 2 页 共 2 页")
	d := droidFonts(t)
	check(t, "card-droid", func(b *bytes.Buffer) (Result, error) { return WriteCustomerCard(b, d, sampleCard(3)) }, 1, 210, 297, "13800138000")
}

func TestLoanSlipAndDestruction(t *testing.T) {
	fs := cjkFonts(t)
	slip := LoanSlip{No: "JY20260501-003", FondsName: "华东贸易有限公司", Borrower: "周强", Unit: "审计署驻沪特派办", Phone: "021-63210000",
		Purpose: "年度审计查阅合同原件", LentOn: "2026-05-01", DueOn: "2026-05-15", Handler: "李明", Renewals: 1}
	for i, r := range sampleRows(4) {
		slip.Items = append(slip.Items, LoanItem{Code: r.Code, Title: r.Title, Pages: r.Pages})
		if i == 0 {
			slip.Items[0].ReturnedOn = "2026-05-10"
		}
	}
	check(t, "loanslip", func(b *bytes.Buffer) (Result, error) { return WriteLoanSlip(b, fs, slip) }, 1, 210, 297,
		"档案借阅单", "JY20260501-003", "周强", "审计署驻沪特派办", "2026-05-15", "Z109-KH·2026-D30-XS-0004", "借阅人签字", "续借")

	list := DestructionList{No: "XH-2026-001", FondsName: "华东贸易有限公司", Reason: "保管期限已满，经鉴定小组鉴定无继续保存价值。",
		Method: "碎纸机粉碎", Proposer: "李明", ProposedOn: "2026-04-20", Approver: "陈建国", ApprovedOn: "2026-04-28"}
	for _, r := range sampleRows(40) {
		list.Items = append(list.Items, DestructionItem{Code: strings.Replace(r.Code, "2026", "2015", 1), Title: r.Title, Year: "2015", Retention: "D10", Pages: r.Pages})
	}
	check(t, "destruction", func(b *bytes.Buffer) (Result, error) { return WriteDestructionList(b, fs, list) }, 2, 210, 297,
		"档案销毁清册", "XH-2026-001", "碎纸机粉碎", "陈建国", "40 件", "Z109-KH·2015-D30-XS-0040", "定期10年", "监销人", "第 2 页 共 2 页")
	var buf bytes.Buffer
	if _, err := WriteDestructionList(&buf, fs, DestructionList{}); err != ErrNothingToPrint {
		t.Errorf("empty list: %v", err)
	}
	if _, err := WriteLoanSlip(&buf, fs, LoanSlip{}); err != ErrNothingToPrint {
		t.Errorf("empty slip: %v", err)
	}
}

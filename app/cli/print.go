package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"dangan/data"
	"dangan/reports"
)

// PrintError turns an error of the reports package (fonts, glyphs, an
// unwritable file: messages written for the user) into a data error with
// that message, so it is not shown as an internal error. Data errors pass.
func PrintError(err error) error {
	if err == nil || data.ErrorCode(err) != data.EINTERNAL {
		return err
	}
	var fe *reports.FontError
	var me *reports.MissingGlyphError
	if errors.As(err, &fe) || errors.As(err, &me) || errors.Is(err, reports.ErrNoCJKFont) ||
		errors.Is(err, reports.ErrNothingToPrint) || errors.Is(err, reports.ErrCancelled) || isWriteError(err) {
		return data.Errorf(data.EINVALID, "%s", err.Error())
	}
	return err
}

// isWriteError spots reports' own messages (无法写入…, 盒 … 的盒脊厚度…,
// 生成 PDF 失败…), which are Chinese sentences for the user.
func isWriteError(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "无法写入") || strings.HasPrefix(msg, "盒 ") || strings.HasPrefix(msg, "生成 PDF 失败")
}

// CatalogueJob is a catalogue selection turned into what reports prints:
// the volumes, and the items whose 档号 is fixed once it is printed.
type CatalogueJob struct {
	Volumes []reports.CatalogueVolume
	ItemIDs []int64
}

// Texts returns every text the catalogue prints, for Fonts.Check.
func (j CatalogueJob) Texts() []string {
	var out []string
	for _, v := range j.Volumes {
		h := v.Header
		out = append(out, h.FondsCode, h.FondsName, h.Category, h.Year, h.Retention, h.Org, h.Customer)
		for _, r := range v.Rows {
			out = append(out, r.Code, r.DocNo, r.Author, r.Title, r.Date, r.Secrecy, r.Pages, r.Note)
		}
	}
	return out
}

// BuildCatalogue selects the items of f (and 机构 org) the user may see, in
// 档号 order, and groups them into volumes by 门类, 年度 and 保管期限, each
// with its header. The print dialogs and `dangan print` share it.
func BuildCatalogue(ctx context.Context, s *data.Store, u *data.User, f data.ItemFilter, org string) (CatalogueJob, error) {
	var job CatalogueJob
	items, err := s.ItemsForPrint(ctx, u, f, org)
	if err != nil {
		return job, err
	}
	if len(items) == 0 {
		return job, data.Errorf(data.EINVALID, "%s", reports.ErrNothingToPrint.Error())
	}
	fonds, err := s.Fonds(ctx)
	if err != nil {
		return job, err
	}
	classes, err := classNames(ctx, s)
	if err != nil {
		return job, err
	}
	for _, v := range data.SplitVolumes(items) {
		h := reports.CatalogueHeader{FondsCode: fonds.Code, FondsName: fonds.Name, Category: classes[v.Class],
			Year: strconv.Itoa(v.Year), Retention: v.Retention}
		if f.CategoryID != 0 {
			h.Category = v.Items[0].Category
		}
		if orgs := v.Orgs(); len(orgs) == 1 {
			h.Org = orgLabel(v.Items[0])
		} else if org != "" {
			h.Org = org
		}
		if f.CustomerID != 0 || strings.TrimSpace(f.Customer) != "" {
			h.Customer = v.Items[0].Customer
		}
		vol := reports.CatalogueVolume{Header: h}
		for _, it := range v.Items {
			vol.Rows = append(vol.Rows, reports.CatalogueRow{Code: it.Code, DocNo: it.DocNo, Author: it.Author,
				Title: it.Title, Date: it.Date, Secrecy: it.Secrecy, Pages: strconv.Itoa(it.Pages), Note: it.Remarks})
			job.ItemIDs = append(job.ItemIDs, it.ID)
		}
		job.Volumes = append(job.Volumes, vol)
	}
	return job, nil
}

// orgLabel is the 机构 of an item as printed: its code and department.
func orgLabel(it data.Item) string {
	if it.DeptName == "" || it.DeptName == it.Group.Org {
		return it.Group.Org
	}
	return it.Group.Org + " " + it.DeptName
}

// classNames maps 门类 codes to "KH 客户档案".
func classNames(ctx context.Context, s *data.Store) (map[string]string, error) {
	cats, err := s.FindCategories(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, c := range cats {
		if c.IsClass() {
			out[c.Code] = c.Code + " " + c.Name
		}
	}
	return out, nil
}

// PrintBoxes turns boxes into what spines, covers and 备考表 print.
func PrintBoxes(ctx context.Context, s *data.Store, boxes []data.Box) ([]reports.Box, error) {
	if len(boxes) == 0 {
		return nil, data.Errorf(data.EINVALID, "所选范围内没有档案盒。")
	}
	fonds, err := s.Fonds(ctx)
	if err != nil {
		return nil, err
	}
	set, err := s.ArchiveSettings(ctx)
	if err != nil {
		return nil, err
	}
	classes, err := classNames(ctx, s)
	if err != nil {
		return nil, err
	}
	out := make([]reports.Box, len(boxes))
	for i, b := range boxes {
		g := b.Group
		rb := reports.Box{Code: b.NoText(), FondsCode: g.Fonds, FondsName: fonds.Name,
			Category: strings.TrimPrefix(classes[g.Class], g.Class+" "), Year: strconv.Itoa(g.Year),
			Retention: g.Retention, Org: g.Org, SpineMM: b.Thickness,
			// The barcode carries the whole box id (group and 盒号), so a
			// scanner finds the one box.
			Barcode: reports.BarcodeText(g.String() + "-" + b.NoText()),
			Note:    reports.BoxNote{Description: b.Note, Arranger: b.Filer, ArrangedOn: b.FiledOn, Checker: b.Checker}}
		if b.Count > 0 {
			rb.StartNo = fmt.Sprintf("%0*d", set.SerialWidth, b.First)
			rb.EndNo = fmt.Sprintf("%0*d", set.SerialWidth, b.Last)
		}
		out[i] = rb
	}
	return out, nil
}

// BoxTexts returns every text printed for boxes, for Fonds.Check.
func BoxTexts(boxes []reports.Box) []string {
	var out []string
	for _, b := range boxes {
		out = append(out, b.Code, b.FondsCode, b.FondsName, b.Category, b.Year, reports.RetentionLabel(b.Retention),
			b.Org, b.StartNo, b.EndNo, b.Note.Description, b.Note.Arranger, b.Note.ArrangedOn, b.Note.Checker, b.Note.CheckedOn)
	}
	return out
}

// PrintStickers turns items into 归档章 stickers.
func PrintStickers(ctx context.Context, s *data.Store, items []data.Item) ([]reports.Sticker, error) {
	set, err := s.ArchiveSettings(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]reports.Sticker, len(items))
	for i, it := range items {
		g := it.Group
		out[i] = reports.Sticker{FondsCode: g.Fonds, Year: strconv.Itoa(g.Year), ItemNo: it.SerialText(set.SerialWidth),
			Org: g.Org, Retention: g.Retention, Pages: strconv.Itoa(it.Pages)}
	}
	return out, nil
}

// StickerTexts returns every text printed on stickers, for Fonts.Check.
func StickerTexts(st []reports.Sticker) []string {
	var out []string
	for _, x := range st {
		out = append(out, x.FondsCode, x.Year, x.ItemNo, x.Org, reports.RetentionLabel(x.Retention), x.Pages)
	}
	return out
}

// cardGroups are the card's field groups in print order.
var cardGroups = []struct{ group, title string }{
	{"basic", "基本信息"}, {"enterprise", "企业信息"}, {"individual", "个人信息"}, {"contact", "联系方式"}, {"credit", "资信"},
}

// recentNotes is how many communication records a printed card shows.
const recentNotes = 10

// PrintCard turns a customer card with its contacts and recent
// communication into the printed 客户档案卡.
func PrintCard(ctx context.Context, s *data.Store, u *data.User, c *data.Customer, printedOn string) (reports.CustomerCard, error) {
	card := reports.CustomerCard{Code: c.Code, Name: c.Name, Status: data.CustomerStatusLabel(c.Status),
		PrintedBy: u.DisplayName, PrintedOn: printedOn}
	kind := "企业"
	if c.Kind != data.CustomerEnterprise {
		kind = "个人"
	}
	head := []reports.Field{{Label: "类型", Value: kind}, {Label: "客户分类", Value: strings.TrimSpace(c.CategoryCode + " " + c.CategoryName)},
		{Label: "所属部门", Value: c.DeptName}, {Label: "负责业务员", Value: c.SalesmanName}, {Label: "助记码", Value: c.Mnemonic}}
	if c.Kind == data.CustomerEnterprise {
		head = append(head, reports.Field{Label: "统一社会信用代码", Value: c.CreditCode})
	}
	fields := data.CardFields()
	for _, g := range cardGroups {
		if (g.group == "enterprise" && c.Kind != data.CustomerEnterprise) || (g.group == "individual" && c.Kind == data.CustomerEnterprise) {
			continue
		}
		sec := reports.CardSection{Title: g.title}
		if g.group == "basic" {
			sec.Fields = head
		}
		for _, f := range fields {
			if f.Group != g.group {
				continue
			}
			if p := c.Field(f.Col); p != nil && strings.TrimSpace(*p) != "" {
				sec.Fields = append(sec.Fields, reports.Field{Label: f.Label, Value: *p, Wide: f.Multiline})
			}
		}
		if len(sec.Fields) > 0 {
			card.Sections = append(card.Sections, sec)
		}
	}
	for _, p := range c.Contacts {
		card.Contacts = append(card.Contacts, reports.CardContact{Name: p.Name, Position: p.Title, Mobile: p.Mobile,
			Phone: p.Phone, Email: p.Email, Birthday: p.Birthday, Note: p.Remark, Primary: p.Primary})
	}
	comms, err := s.FindCommunications(ctx, u, c.ID)
	if err != nil {
		return card, err
	}
	for i, m := range comms {
		if i == recentNotes {
			break
		}
		card.Notes = append(card.Notes, reports.CardNote{Date: m.Date, Way: m.Method, OurStaff: m.OurPeople,
			TheirStaff: m.TheirPeople, Subject: m.Subject, Detail: m.Detail, NextDate: m.NextFollowUp})
	}
	return card, nil
}

// printKinds are the documents `dangan print` writes.
var printKinds = "catalogue（归档文件目录）、spines（盒脊）、covers（盒封面）、notes（备考表）、stickers（归档章）、card（客户档案卡）"

// printFlags are the options of `dangan print`.
type printFlags struct {
	user, out, category, year, retention, org, paper, boxes, customer, font *string
	face, rows, start                                                       *int
	portrait, landscape, cover, showOrg, showCategory, outline              *bool
}

func addPrintFlags(env Env) (*flag.FlagSet, printFlags) {
	fs := newFlags(env, "print")
	p := printFlags{
		user:         fs.String("user", "", "用户名（按其角色和范围取数据）"),
		category:     fs.String("category", "", "门类（如 KH）或类别（如 KH-02）"),
		year:         fs.String("year", "", "年度，如 2026"),
		retention:    fs.String("retention", "", "保管期限：Y、D30、D10"),
		org:          fs.String("org", "", "机构（问题）代码，如 XS"),
		paper:        fs.String("paper", "", "盒脊、盒封面纸张：A3（实际大小）或 A4；默认取系统设置"),
		boxes:        fs.String("boxes", "", "盒号范围，如 0001-0010，或单个盒号"),
		customer:     fs.String("customer", "", "客户编码（card 必填；catalogue 只打该客户的档案）"),
		font:         fs.String("font", "", "中文字体文件（.ttf/.ttc）；默认自动查找"),
		face:         fs.Int("face", 0, ".ttc 字体集合中的字体序号"),
		rows:         fs.Int("rows", 0, "目录每页行数：14 标准、11 宽版或其他；默认取系统设置"),
		start:        fs.Int("start", 0, "归档章：跳过标签纸上已用的前 N 张"),
		portrait:     fs.Bool("portrait", false, "目录纵向（默认取系统设置，一般为横向）"),
		landscape:    fs.Bool("landscape", false, "目录横向（系统设置为纵向时用）"),
		cover:        fs.Bool("cover", false, "目录每卷加封面"),
		showOrg:      fs.Bool("show-org", false, "盒脊印机构（问题）"),
		showCategory: fs.Bool("show-category", false, "盒脊印门类"),
		outline:      fs.Bool("outline", false, "归档章画出边框（用普通纸打印时）"),
	}
	out := fs.String("out", "", "输出的 PDF 文件")
	fs.StringVar(out, "o", "", "同 --out")
	fs.StringVar(p.org, "dept", "", "同 --org")
	p.out = out
	return fs, p
}

func runPrint(env Env, dir string, args []string) error {
	return PrintError(printCmd(env, dir, args))
}

func printCmd(env Env, dir string, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return &exitError{code: 2, msg: "请指定要打印的内容：" + printKinds + "。例如：dangan print catalogue --user admin -o 目录.pdf"}
	}
	kind := args[0]
	fs, p := addPrintFlags(env)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if strings.TrimSpace(*p.out) == "" {
		return &exitError{code: 2, msg: "请用 -o 指定输出的 PDF 文件，例如：-o 目录.pdf"}
	}
	switch kind {
	case "catalogue", "spines", "covers", "notes", "stickers", "stamps", "card":
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("不认识的打印内容“%s”：可打印 %s", kind, printKinds)}
	}
	s, u, err := openAs(env, dir, *p.user)
	if err != nil {
		return err
	}
	defer s.Close()
	fonts, err := reports.OpenFonts(*p.font, *p.face)
	if err != nil {
		return err
	}
	ctx := context.Background()
	write, ids, err := p.job(ctx, s, u, kind, fonts)
	if err != nil {
		return err
	}
	res, err := reports.WriteFile(*p.out, write)
	if err != nil {
		return err
	}
	if len(ids) > 0 { // a printed catalogue fixes its items' 档号 (DESIGN 2.6)
		if err := s.FixItemCodes(ctx, u, ids); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "%s\t%d 页\n", *p.out, res.Pages)
	if n := res.ReplacedNote(); n != "" {
		fmt.Fprintln(env.Stderr, n)
	}
	switch kind {
	case "spines", "covers", "stickers", "stamps":
		fmt.Fprintln(env.Stderr, reports.PrintScaleNote)
	}
	return nil
}

type writeFunc = func(io.Writer) (reports.Result, error)

// job gathers the data of one kind of document and checks its glyphs; it
// returns the writer and, for a catalogue, the items to fix.
func (p printFlags) job(ctx context.Context, s *data.Store, u *data.User, kind string, fonts *reports.Fonts) (writeFunc, []int64, error) {
	set, err := s.ArchiveSettings(ctx)
	if err != nil {
		return nil, nil, err
	}
	af := archiveFlags{category: p.category, year: p.year}
	f, cat, err := af.filter(ctx, s)
	if err != nil {
		return nil, nil, err
	}
	if r := strings.TrimSpace(*p.retention); r != "" {
		if f.Retention, err = data.NormalizeRetention(r); err != nil {
			return nil, nil, err
		}
	}
	org := strings.TrimSpace(*p.org)
	switch kind {
	case "catalogue":
		if c := strings.TrimSpace(*p.customer); c != "" {
			id, _, err := s.CustomerChoice(ctx, u, c)
			if err != nil {
				return nil, nil, err
			}
			f.CustomerID = id
		}
		job, err := BuildCatalogue(ctx, s, u, f, org)
		if err != nil {
			return nil, nil, err
		}
		if err := fonts.Check(job.Texts()...); err != nil {
			return nil, nil, err
		}
		opt := reports.CatalogueOptions{Portrait: *p.portrait || (set.Orientation == data.Portrait && !*p.landscape),
			Rows: set.CatalogueRows, Cover: *p.cover}
		if *p.rows != 0 {
			if *p.rows < 1 || *p.rows > 40 {
				return nil, nil, &exitError{code: 2, msg: "--rows 应在 1 到 40 之间（标准 14 行，宽版 11 行）"}
			}
			opt.Rows = *p.rows
		}
		return func(w io.Writer) (reports.Result, error) { return reports.WriteCatalogue(w, fonts, job.Volumes, opt) }, job.ItemIDs, nil
	case "stickers", "stamps":
		items, err := s.ItemsForPrint(ctx, u, f, org)
		if err != nil {
			return nil, nil, err
		}
		st, err := PrintStickers(ctx, s, items)
		if err != nil {
			return nil, nil, err
		}
		if len(st) == 0 {
			return nil, nil, reports.ErrNothingToPrint
		}
		if err := fonts.Check(StickerTexts(st)...); err != nil {
			return nil, nil, err
		}
		opt := reports.StickerOptions{Start: *p.start, Outline: *p.outline}
		return func(w io.Writer) (reports.Result, error) { return reports.WriteStickers(w, fonts, st, opt) }, nil, nil
	case "card":
		code := strings.TrimSpace(*p.customer)
		if code == "" {
			return nil, nil, &exitError{code: 2, msg: "请用 --customer 指定客户编码"}
		}
		c, err := s.CustomerByCode(ctx, u, code)
		if err != nil {
			return nil, nil, err
		}
		card, err := PrintCard(ctx, s, u, c, s.Now().Local().Format("2006-01-02"))
		if err != nil {
			return nil, nil, err
		}
		return func(w io.Writer) (reports.Result, error) { return reports.WriteCustomerCard(w, fonts, card) }, nil, nil
	}
	// Boxes: spines, covers, notes.
	bf := data.BoxFilter{Year: f.Year}
	if cat != nil {
		bf.Class = cat.ClassCode
	}
	rng, err := ParseBoxRange(*p.boxes)
	if err != nil {
		return nil, nil, err
	}
	boxes, err := s.BoxesForPrint(ctx, u, bf, rng)
	if err != nil {
		return nil, nil, err
	}
	boxes = keepBoxes(boxes, f.Retention, org)
	rb, err := PrintBoxes(ctx, s, boxes)
	if err != nil {
		return nil, nil, err
	}
	if err := fonts.Check(BoxTexts(rb)...); err != nil {
		return nil, nil, err
	}
	paper := reports.A3
	if pp := strings.ToUpper(strings.TrimSpace(*p.paper)); pp == "A4" || (pp == "" && set.LabelPaper == data.PaperA4) {
		paper = reports.A4
	} else if pp != "" && pp != "A3" {
		return nil, nil, &exitError{code: 2, msg: "--paper 应为 A3 或 A4"}
	}
	switch kind {
	case "spines":
		opt := reports.SpineOptions{Paper: paper, Org: *p.showOrg, Category: *p.showCategory}
		return func(w io.Writer) (reports.Result, error) { return reports.WriteSpines(w, fonts, rb, opt) }, nil, nil
	case "covers":
		return func(w io.Writer) (reports.Result, error) { return reports.WriteBoxCovers(w, fonts, rb, paper) }, nil, nil
	}
	return func(w io.Writer) (reports.Result, error) { return reports.WriteBoxNotes(w, fonts, rb) }, nil, nil
}

// keepBoxes keeps the boxes of a retention and 机构 ("" keeps all).
func keepBoxes(boxes []data.Box, retention, org string) []data.Box {
	var out []data.Box
	for _, b := range boxes {
		if (retention == "" || b.Group.Retention == retention) && (org == "" || b.Group.Org == org) {
			out = append(out, b)
		}
	}
	return out
}

// ParseBoxRange reads a 盒号 range: "0001-0010", "3–7", "5" or "".
func ParseBoxRange(s string) (data.BoxRange, error) {
	s = strings.TrimSpace(data.NormalizeWidth(s))
	if s == "" {
		return data.BoxRange{}, nil
	}
	bad := data.Errorf(data.EINVALID, "盒号范围“%s”不正确：应为 起-止，如 0001-0010，或单个盒号", s)
	from, to, found := strings.Cut(strings.NewReplacer("–", "-", "—", "-", "~", "-").Replace(s), "-")
	if !found {
		to = from
	}
	a, err1 := strconv.Atoi(strings.TrimSpace(from))
	b, err2 := strconv.Atoi(strings.TrimSpace(to))
	if err1 != nil || err2 != nil || a < 1 || b < a {
		return data.BoxRange{}, bad
	}
	return data.BoxRange{From: a, To: b}, nil
}

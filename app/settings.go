package app

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// settingsTab is the admin's 系统设置: fonds, coding rule, 档号 pattern,
// 件号 width, catalogue and label defaults, and each department's 机构代码.
type settingsTab struct {
	ui      *UI
	content fyne.CanvasObject

	fondsCode, fondsName, rule, pattern *entry
	width, rows                         *widget.Select
	orientation, paper                  *widget.RadioGroup
	preview, message, saved             *widget.Label
	save                                *widget.Button

	orgs     []data.OrgCode
	orgTable *widget.Table
	orgSel   int
	setOrg   *widget.Button
	dlg      *formDialog // the open 机构代码 form, for tests
}

var orgColumns = []column{{"部门编码", 100}, {"部门名称", 200}, {"机构代码", 100}, {"档号中使用", 110}}

func newSettingsTab(u *UI) *settingsTab {
	t := &settingsTab{ui: u, fondsCode: newEntry(), fondsName: newEntry(), rule: newEntry(), pattern: newEntry(),
		preview: widget.NewLabel(""), message: newMessage(), saved: widget.NewLabel(""), orgSel: -1}
	t.width = widget.NewSelect([]string{"3", "4", "5", "6"}, nil)
	t.rows = widget.NewSelect([]string{"14", "11", "10", "12", "15", "16", "18", "20"}, nil)
	t.orientation = widget.NewRadioGroup([]string{"横向", "纵向"}, nil)
	t.orientation.Horizontal = true
	t.paper = widget.NewRadioGroup([]string{data.PaperA3, data.PaperA4}, nil)
	t.paper.Horizontal = true
	t.pattern.OnChanged = func(string) { t.showPreview() }
	t.width.OnChanged = func(string) { t.showPreview() }
	t.save = widget.NewButton("保存设置", t.onSave)
	t.save.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("全宗号", t.fondsCode),
		widget.NewFormItem("全宗名称", t.fondsName),
		&widget.FormItem{Text: "编码规则", Widget: t.rule, HintText: "部门等分级编码的每级位数，如 2-2-2"},
		&widget.FormItem{Text: "档号格式", Widget: t.pattern, HintText: "六个段：{全宗号}{门类代码}{年度}{保管期限}{机构代码}{件号}，段间写分隔符"},
		widget.NewFormItem("示例档号", t.preview),
		widget.NewFormItem("件号位数", t.width),
		&widget.FormItem{Text: "目录每页行数", Widget: t.rows, HintText: "标准 14 行，宽版 11 行"},
		widget.NewFormItem("目录方向", t.orientation),
		&widget.FormItem{Text: "盒脊纸张", Widget: t.paper, HintText: "A3 按盒高全长打印；A4 缩短打印"},
	)
	note := widget.NewLabel("修改档号格式只影响以后登记或重新编号的档案；已装盒、已打印的档号不会改变。")
	note.Wrapping = fyne.TextWrapWord
	left := container.NewVBox(widget.NewLabelWithStyle("全宗与档号", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		form, note, t.message, container.NewHBox(t.save, t.saved),
		// Fonts belong to the machine: kept per user, also reached from the print dialogs.
		widget.NewLabelWithStyle("打印字体（本机）", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), u.fontRow())

	t.orgTable = newTable(orgColumns, func() int { return len(t.orgs) }, t.orgCell)
	t.orgTable.OnSelected = func(id widget.TableCellID) { t.orgSel = id.Row; setEnabled(t.setOrg, true) }
	t.setOrg = widget.NewButton("设置机构代码", t.showOrgCode)
	t.setOrg.Disable()
	orgNote := widget.NewLabel("机构（问题）代码是档号中的一段，如销售部 XS。未设置时使用部门编码。")
	orgNote.Wrapping = fyne.TextWrapWord
	right := container.NewBorder(container.NewVBox(
		widget.NewLabelWithStyle("部门机构代码", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		orgNote, container.NewHBox(t.setOrg)), nil, nil, nil, t.orgTable)

	split := container.NewHSplit(container.NewVScroll(left), right)
	split.Offset = 0.55
	t.content = split
	t.reload()
	return t
}

func (t *settingsTab) reload() {
	ctx := context.Background()
	f, err := t.ui.store.Fonds(ctx)
	if err != nil {
		showErr(t.message, err)
		return
	}
	a, err := t.ui.store.ArchiveSettings(ctx)
	if err != nil {
		showErr(t.message, err)
		return
	}
	t.fondsCode.SetText(f.Code)
	t.fondsName.SetText(f.Name)
	t.rule.SetText(f.CodingRule)
	t.pattern.SetText(a.CodePattern)
	t.width.SetSelected(strconv.Itoa(a.SerialWidth))
	t.rows.SetSelected(strconv.Itoa(a.CatalogueRows))
	if a.Orientation == data.Portrait {
		t.orientation.SetSelected("纵向")
	} else {
		t.orientation.SetSelected("横向")
	}
	t.paper.SetSelected(a.LabelPaper)
	t.reloadOrgs()
	t.showPreview()
}

func (t *settingsTab) reloadOrgs() {
	orgs, err := t.ui.store.FindOrgCodes(context.Background())
	if err != nil {
		showErr(t.message, err)
		return
	}
	t.orgs = orgs
	t.orgTable.Refresh()
}

func (t *settingsTab) orgCell(row, col int) string {
	if row >= len(t.orgs) {
		return ""
	}
	o := t.orgs[row]
	return [...]string{o.DeptCode, o.DeptName, o.ArchiveCode, o.Effective()}[col]
}

// showPreview formats an example 档号 with the pattern being typed.
func (t *settingsTab) showPreview() {
	cp, err := data.ParseCodePattern(t.pattern.Text)
	if err != nil {
		t.preview.SetText(data.ErrorMessage(err))
		return
	}
	w, _ := strconv.Atoi(t.width.Selected)
	if w == 0 {
		w = data.DefaultSerialWidth
	}
	code := strings.TrimSpace(t.fondsCode.Text)
	t.preview.SetText(cp.Format(data.CodeGroup{Fonds: code, Class: "KH", Year: t.ui.store.Now().Year(),
		Retention: "D30", Org: "XS"}, 1, w))
}

func (t *settingsTab) onSave() {
	t.message.SetText("")
	t.saved.SetText("")
	w, _ := strconv.Atoi(t.width.Selected)
	rows, _ := strconv.Atoi(t.rows.Selected)
	a := data.ArchiveSettings{CodePattern: t.pattern.Text, SerialWidth: w, CatalogueRows: rows,
		Orientation: data.Landscape, LabelPaper: t.paper.Selected}
	if t.orientation.Selected == "纵向" {
		a.Orientation = data.Portrait
	}
	f := data.Fonds{Code: t.fondsCode.Text, Name: t.fondsName.Text, CodingRule: t.rule.Text}
	if err := t.ui.store.UpdateSettings(context.Background(), t.ui.user, f, a); err != nil {
		showErr(t.message, err)
		return
	}
	t.reload()
	t.saved.SetText("设置已保存。")
}

func (t *settingsTab) showOrgCode() {
	if t.orgSel < 0 || t.orgSel >= len(t.orgs) {
		return
	}
	o := t.orgs[t.orgSel]
	code := newEntry()
	code.SetText(o.ArchiveCode)
	items := []*widget.FormItem{
		widget.NewFormItem("部门", widget.NewLabel(o.DeptCode+" "+o.DeptName)),
		{Text: "机构代码", Widget: code, HintText: "1 到 8 位字母或数字，如 XS；留空则用部门编码"},
	}
	t.dlg = newFormDialog(t.ui.win, "设置机构代码", "保存", items, func() error {
		if err := t.ui.store.SetOrgCode(context.Background(), t.ui.user, o.DeptID, code.Text); err != nil {
			return err
		}
		t.reloadOrgs()
		return nil
	})
	t.dlg.Show(t.ui.win)
}

package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// itemForm holds the widgets of the register / edit form.
type itemForm struct {
	category, dept, secrecy, carrier        *widget.Select
	retention                               *widget.SelectEntry
	year, title, author, docNo, date, pages *entry
	customer, location, remarks             *entry
	code                                    *widget.Label
	customerName                            string // shown under the customer code
	catIDs                                  map[string]int64
	catRet                                  map[string]string
	deptIDs                                 map[string]int64
	deptLabels                              map[int64]string
}

// newItemForm builds the form widgets with the choices the user may make:
// active 类别 and the departments in the user's scope.
func (t *archiveTab) newItemForm() (*itemForm, error) {
	ctx := context.Background()
	f := &itemForm{year: newEntry(), title: newEntry(), author: newEntry(), docNo: newEntry(), date: newEntry(),
		pages: newEntry(), customer: newEntry(), location: newEntry(), remarks: newEntry(),
		code: widget.NewLabel("保存时自动生成"), catIDs: map[string]int64{}, catRet: map[string]string{},
		deptIDs: map[string]int64{}, deptLabels: map[int64]string{}}
	var cats []string
	for _, id := range t.allCategoryNodes() {
		c := t.cats[id]
		if c.IsClass() || !c.Active || !t.cats[strconv.FormatInt(c.ParentID, 10)].Active {
			continue
		}
		cats = append(cats, c.Label())
		f.catIDs[c.Label()], f.catRet[c.Label()] = c.ID, c.Retention
	}
	f.category = widget.NewSelect(cats, func(label string) { f.retention.SetText(f.catRet[label]) })
	f.retention = widget.NewSelectEntry(data.Retentions())
	orgs, err := t.ui.store.FindOrgCodes(ctx)
	if err != nil {
		return nil, err
	}
	sc, err := t.ui.store.ScopeOf(ctx, t.ui.user)
	if err != nil {
		return nil, err
	}
	var depts []string
	for _, o := range orgs {
		if !sc.Contains(o.DeptID) {
			continue
		}
		label := fmt.Sprintf("%s %s（机构代码 %s）", o.DeptCode, o.DeptName, o.Effective())
		depts = append(depts, label)
		f.deptIDs[label], f.deptLabels[o.DeptID] = o.DeptID, label
	}
	f.dept = widget.NewSelect(depts, nil)
	f.secrecy = widget.NewSelect(data.SecrecyLevels, nil)
	f.carrier = widget.NewSelect(data.Carriers, nil)
	f.secrecy.SetSelected(data.SecrecyLevels[0])
	f.carrier.SetSelected(data.Carriers[0])
	f.date.SetPlaceHolder("如 2026-05-01 或 20260501")
	f.customer.SetPlaceHolder("客户编码，可不填")
	f.location.SetPlaceHolder("库房-柜-层（装盒后取盒的位置）")
	f.remarks.MultiLine = true
	f.remarks.SetMinRowsVisible(2)
	t.form = f
	return f, nil
}

// allCategoryNodes lists the tree's category ids in tree order.
func (t *archiveTab) allCategoryNodes() []string {
	var out []string
	for _, id := range t.children[""] {
		if id == allNode {
			continue
		}
		out = append(out, id)
		out = append(out, t.children[id]...)
	}
	return out
}

// items lays the form out two fields a row where they are short, so that
// it fits a 720-pixel-high window.
func (f *itemForm) items() []*widget.FormItem {
	pair := func(a, b fyne.CanvasObject) fyne.CanvasObject { return container.NewGridWithColumns(2, a, b) }
	f.year.SetPlaceHolder("年度 1900–2100")
	f.retention.SetPlaceHolder("Y、D30、D10 或 Dn")
	f.author.SetPlaceHolder("责任者")
	f.docNo.SetPlaceHolder("文号")
	f.pages.SetPlaceHolder("页数")
	return []*widget.FormItem{
		widget.NewFormItem("档号", f.code),
		widget.NewFormItem("类别", f.category),
		widget.NewFormItem("年度、保管期限", pair(f.year, f.retention)),
		{Text: "所属部门", Widget: f.dept, HintText: "档号中的机构代码取自部门"},
		widget.NewFormItem("题名", f.title),
		widget.NewFormItem("责任者、文号", pair(f.author, f.docNo)),
		widget.NewFormItem("日期、页数", pair(f.date, f.pages)),
		widget.NewFormItem("密级、载体", pair(f.secrecy, f.carrier)),
		{Text: "关联客户", Widget: f.customer, HintText: f.customerName},
		widget.NewFormItem("存放位置", f.location),
		widget.NewFormItem("备注", f.remarks),
	}
}

// input reads the form; typed numbers and the customer code are checked
// here with the data package's messages.
func (f *itemForm) input(t *archiveTab) (data.ItemInput, error) {
	in := data.ItemInput{CategoryID: f.catIDs[f.category.Selected], Retention: f.retention.Text,
		DeptID: f.deptIDs[f.dept.Selected], Title: f.title.Text, Author: f.author.Text, DocNo: f.docNo.Text,
		Date: f.date.Text, Secrecy: f.secrecy.Selected, Carrier: f.carrier.Selected, Location: f.location.Text,
		Remarks: f.remarks.Text}
	if in.CategoryID == 0 {
		return in, data.Errorf(data.EINVALID, "请选择档案类别（门类下的具体类别）")
	}
	var err error
	if in.Year, err = data.ParseYear(f.year.Text); err != nil {
		return in, err
	}
	if strings.TrimSpace(in.Title) == "" {
		return in, data.Errorf(data.EINVALID, "题名不能为空，请填写文件的标题")
	}
	if in.Pages, err = data.ParsePages(f.pages.Text); err != nil {
		return in, err
	}
	if code := strings.TrimSpace(f.customer.Text); code != "" {
		if in.CustomerID, _, err = t.ui.store.CustomerChoice(context.Background(), t.ui.user, code); err != nil {
			return in, err
		}
	}
	return in, nil
}

// showCreate opens the register form: 类别 from the tree, 年度 this year,
// 保管期限 the category's, 部门 the user's.
func (t *archiveTab) showCreate() {
	f, err := t.newItemForm()
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	if c, ok := t.selectedCategory(); ok {
		if c.IsClass() {
			if kids := t.children[t.node]; len(kids) > 0 {
				c = t.cats[kids[0]]
			}
		}
		if _, ok := f.catIDs[c.Label()]; ok {
			f.category.SetSelected(c.Label())
		}
	}
	f.year.SetText(strconv.Itoa(t.ui.store.Now().Year()))
	if label, ok := f.deptLabels[t.ui.user.DeptID]; ok {
		f.dept.SetSelected(label)
	} else if len(f.dept.Options) > 0 {
		f.dept.SetSelected(f.dept.Options[0])
	}
	t.dlg = newFormDialog(t.ui.win, "登记档案", "保存", f.items(), func() error {
		in, err := f.input(t)
		if err != nil {
			return err
		}
		it, err := t.ui.store.CreateItem(context.Background(), t.ui.user, in)
		if err != nil {
			return err
		}
		t.reload()
		t.message.SetText("")
		t.countLbl.SetText(fmt.Sprintf("共 %d 件    已登记：%s", t.total, it.Code))
		return nil
	})
	t.showForm()
	t.ui.win.Canvas().Focus(f.title)
}

// showForm opens the item form wider than the default form dialog.
func (t *archiveTab) showForm() {
	t.dlg.Show(t.ui.win)
	t.dlg.dlg.Resize(fyne.NewSize(640, t.dlg.dlg.MinSize().Height))
}

// showEdit opens the selected item in the form. A fixed 档号 (boxed or
// printed) keeps its group fields read-only.
func (t *archiveTab) showEdit() {
	it, ok := t.selectedItem()
	if !ok {
		return
	}
	f, err := t.newItemForm()
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	label := it.Category
	if _, ok := f.catIDs[label]; !ok { // a disabled category stays selectable for its own items
		f.category.Options = append(f.category.Options, label)
		f.catIDs[label] = it.CategoryID
	}
	f.category.SetSelected(label)
	f.code.SetText(it.Code)
	f.year.SetText(strconv.Itoa(it.Group.Year))
	f.retention.SetText(it.Group.Retention)
	if l, ok := f.deptLabels[it.DeptID]; ok {
		f.dept.SetSelected(l)
	}
	f.title.SetText(it.Title)
	f.author.SetText(it.Author)
	f.docNo.SetText(it.DocNo)
	f.date.SetText(it.Date)
	f.pages.SetText(strconv.Itoa(it.Pages))
	f.secrecy.SetSelected(it.Secrecy)
	f.carrier.SetSelected(it.Carrier)
	if code, name, ok := strings.Cut(it.Customer, " "); ok {
		f.customer.SetText(code)
		f.customerName = name
	}
	f.location.SetText(it.Location)
	f.remarks.SetText(it.Remarks)
	title := "档案 " + it.Code
	if it.CodeFixed || it.Boxed() {
		f.code.SetText(it.Code + "（已固定）")
		f.year.Disable()
		f.retention.Disable()
		f.dept.Disable()
	}
	if it.Boxed() {
		f.location.Disable()
	}
	items := f.items()
	items = append(items, widget.NewFormItem("状态", widget.NewLabel(fmt.Sprintf("%s    附件 %d 个（%s）",
		data.StatusLabel(it.Status), it.Attachments, data.FormatSize(it.AttachmentBytes)))))
	t.dlg = newFormDialog(t.ui.win, title, "保存修改", items, func() error {
		in, err := f.input(t)
		if err != nil {
			return err
		}
		if _, err := t.ui.store.UpdateItem(context.Background(), t.ui.user, it.ID, in); err != nil {
			return err
		}
		t.refreshKeep()
		return nil
	})
	t.showForm()
}

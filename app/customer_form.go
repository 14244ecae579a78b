package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// customerForm is the customer card (客户档案卡) in a large dialog: tabs
// for the field groups of DESIGN 2.5, the contacts, communication records,
// bank accounts and history. A frozen or closed card opens read-only.
type customerForm struct {
	ui       *UI
	onSaved  func(*data.Customer)
	card     *data.Customer // the stored card; nil for a new one
	readOnly bool

	dlg      dialog.Dialog
	tabs     *container.AppTabs
	basic    *container.TabItem
	ent, ind *container.TabItem
	contact  *container.TabItem
	credit   *container.TabItem
	contacts *contactList
	banks    *bankList
	comms    *commList
	banner   *widget.Label
	message  *widget.Label
	save     *widget.Button
	close    *widget.Button
	print    *widget.Button // 打印 the stored card

	name, mnemonic, creditCode *entry
	kind                       *widget.RadioGroup
	category, dept, salesman   *widget.Select
	fields                     map[string]fyne.CanvasObject // column → entry or select
	fieldTab                   map[string]*container.TabItem

	categoryIDs, deptIDs, salesmanIDs map[string]int64
	autoMnemonic                      string        // the mnemonic derived from the name, while not edited
	loaded                            data.Customer // the widgets' content after load, to spot unsaved edits
}

const (
	notSet    = "（未选）"
	kindEnt   = "企业"
	kindInd   = "个人"
	formWidth = 940
)

// fixedChoices are drop-downs with fixed options on the 个人 group.
var fixedChoices = map[string][]string{
	"gender":    {"男", "女"},
	"id_type":   {"居民身份证", "护照", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "其他"},
	"education": {"博士研究生", "硕士研究生", "大学本科", "大学专科", "高中/中专", "初中及以下"},
}

var fieldHints = map[string]string{
	"created_on": "如 2026-05-01", "founded_on": "如 2008-03-15", "birth_date": "如 1985-10-01",
	"phone": "带区号，如 0532-88888888", "fax": "带区号", "mobile": "11 位手机号",
	"postcode": "6 位数字", "email": "如 name@example.com", "website": "如 www.example.com",
	"employees": "整数", "id_number": "列表中只显示首尾几位",
	"reg_capital": "单位：万元", "annual_sales": "单位：万元", "credit_limit": "单位：元", "credit_days": "单位：天",
}

// showCustomerForm opens the card of c (nil for a new customer).
func showCustomerForm(u *UI, c *data.Customer, onSaved func(*data.Customer)) (*customerForm, error) {
	f := &customerForm{ui: u, onSaved: onSaved, card: c, fields: map[string]fyne.CanvasObject{},
		fieldTab: map[string]*container.TabItem{}}
	if c != nil {
		f.readOnly = c.ReadOnly()
	}
	if err := f.build(); err != nil {
		return nil, err
	}
	f.load()
	f.dlg.Show()
	f.dlg.Resize(fyne.NewSize(formWidth+40, 660))
	if !f.readOnly {
		u.win.Canvas().Focus(f.name)
	}
	return f, nil
}

func newFieldEntry(multiline bool) *entry {
	e := newEntry()
	if multiline {
		e.MultiLine = true
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(3)
	}
	// Lets the form show the store's message under the field (no
	// validator: the data layer has the final word, and no tick marks).
	e.AlwaysShowValidationError = true
	return e
}

func (f *customerForm) build() error {
	ctx := context.Background()
	store := f.ui.store
	cats, err := store.FindCustomerCategories(ctx)
	if err != nil {
		return err
	}
	if len(cats) == 0 {
		return data.Errorf(data.EINVALID, "还没有客户分类：请管理员先在“基础资料 → 客户分类”中建立分类")
	}
	depts, err := store.FindDepartments(ctx)
	if err != nil {
		return err
	}
	users, err := store.FindUsers(ctx)
	if err != nil {
		return err
	}
	f.categoryIDs, f.deptIDs, f.salesmanIDs = map[string]int64{}, map[string]int64{notSet: 0}, map[string]int64{notSet: 0}
	var catOpts []string
	for _, k := range cats {
		label := k.Code + " " + k.Name
		catOpts = append(catOpts, label)
		f.categoryIDs[label] = k.ID
	}
	deptOpts := []string{notSet}
	for _, d := range depts {
		label := d.Code + " " + d.Name
		deptOpts = append(deptOpts, label)
		f.deptIDs[label] = d.ID
	}
	userOpts := []string{notSet}
	for _, us := range users {
		if !us.Active {
			continue
		}
		label := us.DisplayName + "（" + us.Username + "）"
		userOpts = append(userOpts, label)
		f.salesmanIDs[label] = us.ID
	}

	f.name = newFieldEntry(false)
	f.name.SetPlaceHolder("如：青岛海尔电器销售有限公司")
	f.name.OnChanged = f.onNameChanged
	f.mnemonic = newFieldEntry(false)
	f.creditCode = newFieldEntry(false)
	f.kind = widget.NewRadioGroup([]string{kindEnt, kindInd}, f.onKindChanged)
	f.kind.Horizontal = true
	f.category = widget.NewSelect(catOpts, nil)
	f.dept = widget.NewSelect(deptOpts, nil)
	f.salesman = widget.NewSelect(userOpts, nil)

	groups := map[string][]*widget.FormItem{}
	for _, cf := range data.CardFields() {
		var w fyne.CanvasObject
		switch {
		case cf.Dict != "":
			names, err := store.DictNames(ctx, cf.Dict)
			if err != nil {
				return err
			}
			w = widget.NewSelect(append([]string{notSet}, names...), nil)
		case fixedChoices[cf.Col] != nil:
			w = widget.NewSelect(append([]string{notSet}, fixedChoices[cf.Col]...), nil)
		default:
			w = newFieldEntry(cf.Multiline)
		}
		f.fields[cf.Col] = w
		groups[cf.Group] = append(groups[cf.Group], &widget.FormItem{Text: cf.Label, Widget: w, HintText: fieldHints[cf.Col]})
	}
	f.fields["name"], f.fields["mnemonic"], f.fields["credit_code"] = f.name, f.mnemonic, f.creditCode
	f.fields["kind"], f.fields["category"], f.fields["dept"], f.fields["salesman"] = f.kind, f.category, f.dept, f.salesman

	code, status, creator := "保存时自动生成（分类编码 + 4 位流水号）", "正常", f.ui.user.Username
	if c := f.card; c != nil {
		code, status, creator = c.Code, data.CustomerStatusLabel(c.Status), c.CreatedBy
	}
	basicTop := []*widget.FormItem{
		widget.NewFormItem("客户编码", widget.NewLabel(code)),
		{Text: "客户名称", Widget: f.name, HintText: "必填，全公司唯一"},
		widget.NewFormItem("类型", f.kind),
		{Text: "客户分类", Widget: f.category, HintText: "必填；编码按分类生成，保存后不变"},
		widget.NewFormItem("所属部门", f.dept),
		widget.NewFormItem("负责业务员", f.salesman),
	}
	basicMore := []*widget.FormItem{
		widget.NewFormItem("状态", widget.NewLabel(status)),
		widget.NewFormItem("建档人", widget.NewLabel(creator)),
		{Text: "助记码", Widget: f.mnemonic, HintText: "名称拼音首字母，可修改；搜索时可用"},
	}
	basic := groups["basic"]
	f.basic = container.NewTabItem("基本", twoColumns(append(basicTop, basic[:1]...), append(basicMore, basic[1:]...)))
	ent := append([]*widget.FormItem{{Text: "统一社会信用代码", Widget: f.creditCode, HintText: "18 位，按 GB 32100-2015 校验"}},
		groups["enterprise"]...)
	half := (len(ent) + 1) / 2
	f.ent = container.NewTabItem("企业信息", twoColumns(ent[:half], ent[half:]))
	ind := groups["individual"]
	f.ind = container.NewTabItem("个人信息", twoColumns(ind[:(len(ind)+1)/2], ind[(len(ind)+1)/2:]))
	co := groups["contact"]
	f.contact = container.NewTabItem("联系方式", twoColumns(co[:3], co[3:]))
	cr := groups["credit"]
	f.credit = container.NewTabItem("资信", twoColumns(cr[:3], cr[3:]))
	for _, it := range basicTop {
		f.tagTab(it, f.basic)
	}
	for _, it := range append(basicMore, basic...) {
		f.tagTab(it, f.basic)
	}
	for _, it := range ent {
		f.tagTab(it, f.ent)
	}
	for _, it := range ind {
		f.tagTab(it, f.ind)
	}
	for _, it := range cr {
		f.tagTab(it, f.credit)
	}
	for _, it := range co {
		f.tagTab(it, f.contact)
	}

	f.contacts = newContactList(f)
	f.banks = newBankList(f)
	f.comms = newCommList(f)
	contactsItem := container.NewTabItem("联系人", f.contacts.content)
	banksItem := container.NewTabItem("银行账户", f.banks.content)
	f.fieldTab["contacts"], f.fieldTab["bank_accounts"] = contactsItem, banksItem
	items := []*container.TabItem{f.basic, f.ent, f.ind, f.contact, f.credit, contactsItem, banksItem,
		container.NewTabItem("沟通纪要", f.comms.content)}
	if f.card != nil {
		items = append(items, container.NewTabItem("更名与状态记录", f.historyView()))
	}
	f.tabs = container.NewAppTabs(items...)

	f.banner = widget.NewLabel("")
	f.banner.Importance = widget.WarningImportance
	f.banner.Wrapping = fyne.TextWrapWord
	f.banner.Hide()
	f.message = newMessage()
	f.save = widget.NewButton("保存", f.onSave)
	f.save.Importance = widget.HighImportance
	f.close = widget.NewButton("关闭", f.onClose)
	buttons := container.NewHBox(layout.NewSpacer(), f.close, f.save)
	if f.card != nil {
		f.print = widget.NewButton("打印", f.onPrint)
		buttons = container.NewHBox(f.print, layout.NewSpacer(), f.close, f.save)
	}
	spacer := canvas.NewRectangle(nil)
	spacer.SetMinSize(fyne.NewSize(formWidth, 500))
	body := container.NewBorder(f.banner, container.NewVBox(f.message, buttons), nil, nil,
		container.NewStack(spacer, f.tabs))
	title := "新建客户档案"
	if f.card != nil {
		title = "客户档案卡 " + f.card.Code + " " + f.card.Name
	}
	f.dlg = dialog.NewCustomWithoutButtons(title, body, f.ui.win)
	return nil
}

func (f *customerForm) tagTab(it *widget.FormItem, tab *container.TabItem) {
	for col, w := range f.fields {
		if w == it.Widget {
			f.fieldTab[col] = tab
		}
	}
}

// twoColumns lays out two forms side by side, scrolled when tall.
func twoColumns(left, right []*widget.FormItem) fyne.CanvasObject {
	return container.NewVScroll(container.NewGridWithColumns(2, widget.NewForm(left...), widget.NewForm(right...)))
}

// load fills the widgets from the stored card, or with defaults.
func (f *customerForm) load() {
	c := f.card
	if c == nil {
		c = &data.Customer{Kind: data.CustomerEnterprise, DeptID: f.ui.user.DeptID}
		f.category.SetSelectedIndex(0)
	} else {
		f.category.SetSelected(c.CategoryCode + " " + c.CategoryName)
	}
	f.name.SetText(c.Name)
	f.mnemonic.SetText(c.Mnemonic)
	f.autoMnemonic = data.Mnemonic(c.Name)
	if c.Mnemonic != "" && c.Mnemonic != f.autoMnemonic {
		f.autoMnemonic = "" // edited by hand: leave it alone
	}
	f.creditCode.SetText(c.CreditCode)
	f.selectByID(f.dept, f.deptIDs, c.DeptID)
	f.selectByID(f.salesman, f.salesmanIDs, c.SalesmanID)
	if c.Kind == data.CustomerIndividual {
		f.kind.SetSelected(kindInd)
	} else {
		f.kind.SetSelected(kindEnt)
	}
	if f.card == nil {
		c.CreatedOn = f.ui.store.Now().Local().Format("2006-01-02")
	}
	for col, w := range f.fields {
		p := c.Field(col)
		if p == nil {
			continue
		}
		switch w := w.(type) {
		case *entry:
			w.SetText(*p)
		case *widget.Select:
			if *p == "" {
				w.SetSelected(notSet)
			} else {
				if !containsOption(w.Options, *p) { // a disabled entry the card still has
					w.Options = append(w.Options, *p)
				}
				w.SetSelected(*p)
			}
		}
	}
	f.contacts.set(c.Contacts)
	f.banks.set(c.BankAccounts)
	f.comms.reload()
	if f.readOnly {
		f.setReadOnly()
	}
	f.loaded = f.collect()
}

func containsOption(opts []string, s string) bool {
	for _, o := range opts {
		if o == s {
			return true
		}
	}
	return false
}

func (f *customerForm) selectByID(s *widget.Select, ids map[string]int64, id int64) {
	for label, v := range ids {
		if v == id {
			s.SetSelected(label)
			return
		}
	}
	s.SetSelected(notSet)
}

// setReadOnly disables every input and says why.
func (f *customerForm) setReadOnly() {
	c := f.card
	msg := fmt.Sprintf("该客户已冻结（原因：%s），档案卡只能查看。解冻后才能修改。", c.FreezeReason)
	if c.Status == data.CustomerClosed {
		msg = "该客户已注销，档案卡只能查看。"
	}
	f.banner.SetText(msg)
	f.banner.Show()
	for _, w := range f.fields {
		if d, ok := w.(fyne.Disableable); ok {
			d.Disable()
		}
	}
	f.contacts.setReadOnly()
	f.banks.setReadOnly()
	f.comms.setReadOnly()
	f.save.Disable()
}

func (f *customerForm) onNameChanged(name string) {
	// Keep the 助记码 in step with the name until the user edits it.
	if f.mnemonic == nil || f.readOnly {
		return
	}
	if f.mnemonic.Text == "" || f.mnemonic.Text == f.autoMnemonic {
		f.autoMnemonic = data.Mnemonic(name)
		f.mnemonic.SetText(f.autoMnemonic)
	}
}

func (f *customerForm) onKindChanged(kind string) {
	if f.tabs == nil {
		return
	}
	show, hide := f.ent, f.ind
	if kind == kindInd {
		show, hide = f.ind, f.ent
	}
	f.tabs.Remove(hide)
	found := false
	for _, it := range f.tabs.Items {
		found = found || it == show
	}
	if !found {
		f.tabs.Items = append(f.tabs.Items[:1], append([]*container.TabItem{show}, f.tabs.Items[1:]...)...)
		f.tabs.Refresh()
	}
}

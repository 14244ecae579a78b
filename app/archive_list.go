package app

import (
	"context"
	"fmt"
	"strconv"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// The item list of the 档案管理 tab: a count, then pages of itemPageSize
// items fetched as the virtualised table shows rows (keyset pages while
// scrolling down, OFFSET pages after a jump).

// reload counts the matching items and drops the cached pages; the table
// fetches pages as it shows rows.
func (t *archiveTab) reload() { t.load(-1) }

// showFiltered opens the list of the items of one 门类 (0: all), year (0:
// any) and status ("": any), the other filters cleared (from the 首页).
func (t *archiveTab) showFiltered(classID int64, year int, status string) {
	t.node = allNode
	if classID != 0 {
		t.node = strconv.FormatInt(classID, 10)
	}
	onSel := t.tree.OnSelected
	t.tree.OnSelected = nil
	t.tree.Select(t.node)
	t.tree.OnSelected = onSel
	t.year.SetText("")
	if year != 0 {
		t.year.SetText(strconv.Itoa(year))
	}
	t.customer.SetText("")
	t.text.SetText("")
	for s, v := range map[*widget.Select]string{t.retention: anyOption, t.secrecy: anyOption, t.status: anyOption} {
		s.Selected = v
		s.Refresh()
	}
	if status != "" {
		t.status.Selected = data.StatusLabel(status)
		t.status.Refresh()
	}
	t.ui.main.showTab(t.content)
	t.reload()
}

// refreshKeep reloads after a change, keeping the selected row.
func (t *archiveTab) refreshKeep() { t.load(t.sel) }

// slowSearch reports a filter without an index to answer it: text of one
// or two characters is a LIKE scan (about 0.65 s over a 类别 of 170,000
// items), so it runs off the UI goroutine.
func slowSearch(f data.ItemFilter) bool {
	n := utf8.RuneCountInString(f.Text)
	return n > 0 && n < 3
}

// load applies the filter widgets: count and first page, then the table;
// keep is a row to select again, or -1.
func (t *archiveTab) load(keep int) {
	t.message.SetText("")
	f, err := t.readFilter()
	if err != nil {
		showErr(t.message, err)
		return
	}
	ctx := context.Background()
	if a, err := t.ui.store.ArchiveSettings(ctx); err == nil {
		t.width = a.SerialWidth
	}
	t.gen++
	if !slowSearch(f) {
		n, err := t.ui.store.CountItems(ctx, t.ui.user, f)
		t.apply(f, n, nil, err, keep)
		return
	}
	gen, user := t.gen, t.ui.user
	t.filter, t.total, t.pages, t.sel = f, 0, map[int][]data.Item{}, -1
	t.countLbl.SetText("正在查询…")
	t.table.Refresh()
	go func() {
		n, err := t.ui.store.CountItems(ctx, user, f)
		var first []data.Item
		if err == nil && n > 0 {
			pf := f
			pf.Limit = itemPageSize
			first, err = t.ui.store.FindItems(ctx, user, pf)
		}
		fyne.Do(func() {
			if gen == t.gen { // a newer search has started since
				t.apply(f, n, first, err, keep)
			}
			if t.bgDone != nil {
				t.bgDone()
			}
		})
	}()
}

// apply shows a search result: the count and, when fetched already, the
// first page.
func (t *archiveTab) apply(f data.ItemFilter, n int, first []data.Item, err error, keep int) {
	if err != nil {
		showErr(t.message, err)
		t.countLbl.SetText("")
		return
	}
	t.filter, t.total, t.pages, t.sel = f, n, map[int][]data.Item{}, -1
	if first != nil {
		t.pages[0] = first
	}
	t.countLbl.SetText(fmt.Sprintf("共 %d 件", n))
	t.table.UnselectAll()
	t.table.Refresh()
	if keep >= 0 && keep < n {
		t.sel = keep
		t.table.Select(widget.TableCellID{Row: keep, Col: 1})
	} else {
		t.table.ScrollToTop()
	}
	t.updateButtons()
}

// item returns row's item, fetching its page when needed.
func (t *archiveTab) item(row int) (data.Item, bool) {
	if row < 0 || row >= t.total {
		return data.Item{}, false
	}
	p := row / itemPageSize
	page, ok := t.pages[p]
	if !ok {
		f := t.filter
		f.Offset, f.Limit = p*itemPageSize, itemPageSize
		if prev := t.pages[p-1]; len(prev) == itemPageSize {
			// Scrolling down: continue after the previous page's last
			// item, which costs the same at any depth.
			f.After, f.Offset = &prev[itemPageSize-1], 0
		}
		items, err := t.ui.store.FindItems(context.Background(), t.ui.user, f)
		if err != nil {
			showErr(t.message, err)
			return data.Item{}, false
		}
		if len(t.pages) > 50 { // keep memory flat: drop pages far from here
			for k := range t.pages {
				if k < p-5 || k > p+5 {
					delete(t.pages, k)
				}
			}
		}
		t.pages[p], page = items, items
	}
	i := row % itemPageSize
	if i >= len(page) {
		return data.Item{}, false
	}
	return page[i], true
}

func (t *archiveTab) cell(row, col int) string {
	it, ok := t.item(row)
	if !ok {
		return ""
	}
	switch col {
	case 0:
		if t.marked[it.ID] {
			return "√"
		}
	case 1:
		return it.Code
	case 2:
		return it.Title
	case 3:
		return it.Category
	case 4:
		return strconv.Itoa(it.Group.Year)
	case 5:
		return it.Group.Retention
	case 6:
		if it.Boxed() {
			return fmt.Sprintf("%04d", it.BoxNo)
		}
	case 7:
		return data.StatusLabel(it.Status)
	case 8:
		return strconv.Itoa(it.Pages)
	case 9:
		return it.Secrecy
	case 10:
		return it.Date
	case 11:
		return it.Author
	case 12:
		return it.Customer
	case 13:
		if it.Attachments > 0 {
			return fmt.Sprintf("%d 个 %s", it.Attachments, data.FormatSize(it.AttachmentBytes))
		}
	}
	return ""
}

package data_test

import (
	"testing"

	"dangan/data"
)

// TestRebuildDerived empties the search indexes behind the program's back,
// as a bulk load does, and checks RebuildDerived makes both searches find
// their records again.
func TestRebuildDerived(t *testing.T) {
	f := newFixture(t)
	mustCustomer(t, f.s, f.admin, f.card("北京海淀科技有限公司"))
	a := mustArchive(t)
	a.mustItem(t, a.input("年度框架采购合同"))

	find := func() (customers, items int) {
		t.Helper()
		_, n, err := f.s.FindCustomers(ctx, f.admin, data.CustomerFilter{Search: "海淀科技"})
		if err != nil {
			t.Fatal(err)
		}
		its, err := a.s.FindItems(ctx, a.admin, data.ItemFilter{Text: "框架采购"})
		if err != nil {
			t.Fatal(err)
		}
		return n, len(its)
	}
	if c, i := find(); c != 1 || i != 1 {
		t.Fatalf("before: %d customers, %d items found", c, i)
	}
	if _, err := rawDB(t, f.s).Exec(`DELETE FROM customer_search`); err != nil {
		t.Fatal(err)
	}
	if _, err := rawDB(t, a.s).Exec(`INSERT INTO archive_items_fts (archive_items_fts) VALUES ('delete-all')`); err != nil {
		t.Fatal(err)
	}
	if c, i := find(); c != 0 || i != 0 {
		t.Fatalf("emptied indexes still find %d customers, %d items", c, i)
	}
	for _, s := range []*data.Store{f.s, a.s} {
		if err := s.RebuildDerived(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if c, i := find(); c != 1 || i != 1 {
		t.Fatalf("after rebuild: %d customers, %d items found", c, i)
	}
}

package data

import (
	"context"
	"strings"
	"testing"
)

// TestItemPageUsesIndex checks that the list page is read along an index in
// 档号 order, never sorted in a temporary B-tree (which at 1,000,000 items
// would read every matching row).
func TestItemPageUsesIndex(t *testing.T) {
	ctx := context.Background()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	admin, err := s.Initialize(ctx, SetupInput{FondsCode: "Z109", FondsName: "华东机械有限公司", Username: "admin", Password: "Archive2026"})
	if err != nil {
		t.Fatal(err)
	}
	g := &CodeGroup{Fonds: "Z109", Class: "KH", Year: 2026, Retention: "D30", Org: "XS"}
	for _, tc := range []struct {
		name string
		f    ItemFilter
	}{
		{"All", ItemFilter{}},
		{"Category", ItemFilter{CategoryID: 2}},
		{"CategoryYear", ItemFilter{CategoryID: 2, Year: 2026}},
		{"ClassYearStatus", ItemFilter{ClassID: 1, Year: 2026, Status: StatusIn}},
		{"Year", ItemFilter{Year: 2026, Secrecy: "内部"}},
		{"Text", ItemFilter{CategoryID: 2, Text: "合同"}},
		{"Group", ItemFilter{Group: g}},
		{"KeysetCategoryYear", ItemFilter{CategoryID: 2, Year: 2026, After: &Item{ID: 5, SortKey: "x"}}},
		{"Keyset", ItemFilter{After: &Item{ID: 5, SortKey: "x"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			where, args, err := s.itemWhere(ctx, admin, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := s.db.QueryContext(ctx, `EXPLAIN QUERY PLAN `+itemPageSQL(where), append(args, 100, 0)...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			p := strings.Join(plan, "; ")
			if strings.Contains(p, "TEMP B-TREE") || !strings.Contains(p, "INDEX") {
				t.Fatalf("plan: %s", p)
			}
		})
	}
}

package data

import (
	"context"
	"sort"
)

// printPage is how many rows one query of a print selection fetches.
var printPage = 500

// ItemsForPrint returns every item matching f that the user may see, in
// 档号 order (segment by segment), for a catalogue or labels. It walks the
// paged FindItems by keyset, so a large selection costs one index walk;
// f.Limit, f.Offset and f.After are ignored. org, if not empty, keeps the
// items of that 机构(问题) code. Destroyed items are left out.
func (s *Store) ItemsForPrint(ctx context.Context, actor *User, f ItemFilter, org string) ([]Item, error) {
	f.After, f.Offset, f.Limit = nil, 0, printPage
	var out []Item
	for {
		page, err := s.FindItems(ctx, actor, f)
		if err != nil {
			return nil, err
		}
		for _, it := range page {
			if it.Status != StatusDestroyed && (org == "" || it.Group.Org == org) {
				out = append(out, it)
			}
		}
		if len(page) < printPage {
			return out, nil
		}
		last := page[len(page)-1]
		f.After = &last
	}
}

// BoxRange limits boxes to 盒号 From…To (0 means open).
type BoxRange struct{ From, To int }

// Contains reports whether 盒号 n is in the range.
func (r BoxRange) Contains(n int) bool {
	return (r.From == 0 || n >= r.From) && (r.To == 0 || n <= r.To)
}

// BoxesForPrint returns every box matching f that the user may see and
// whose 盒号 is in r, ordered by group and 盒号 (f.Limit and f.Offset are
// ignored).
func (s *Store) BoxesForPrint(ctx context.Context, actor *User, f BoxFilter, r BoxRange) ([]Box, error) {
	f.Limit = printPage
	var out []Box
	for f.Offset = 0; ; f.Offset += printPage {
		page, err := s.FindBoxes(ctx, actor, f)
		if err != nil {
			return nil, err
		}
		for _, b := range page {
			if r.Contains(b.No) {
				out = append(out, b)
			}
		}
		if len(page) < printPage {
			return out, nil
		}
	}
}

// ItemVolume is the items of one catalogue volume: one 门类, 年度 and
// 保管期限, in 档号 order.
type ItemVolume struct {
	Class     string
	Year      int
	Retention string
	Items     []Item
}

// Orgs returns the 机构 codes of the volume's items, sorted, each once.
func (v ItemVolume) Orgs() []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range v.Items {
		if !seen[it.Group.Org] {
			seen[it.Group.Org] = true
			out = append(out, it.Group.Org)
		}
	}
	sort.Strings(out)
	return out
}

// SplitVolumes groups items (in 档号 order) into catalogue volumes: a new
// volume starts where the 门类, 年度 or 保管期限 changes, as the catalogue
// is bound per year and retention (DESIGN 2.9).
func SplitVolumes(items []Item) []ItemVolume {
	var out []ItemVolume
	for _, it := range items {
		g := it.Group
		if n := len(out); n == 0 || out[n-1].Class != g.Class || out[n-1].Year != g.Year || out[n-1].Retention != g.Retention {
			out = append(out, ItemVolume{Class: g.Class, Year: g.Year, Retention: g.Retention})
		}
		out[len(out)-1].Items = append(out[len(out)-1].Items, it)
	}
	return out
}

package ledger_test

import (
	"fmt"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/testworld"
	"github.com/villagecounsel/counsel/store"
)

// walk reads every page of the list forward from the top by the Next cursor.
func walk(t *testing.T, w *svcWorld, a *counsel.Actor, f ledger.EntryFilter) (pages [][]int64, total int) {
	t.Helper()
	for guard := 0; guard < 100; guard++ {
		l, err := w.Lg.Entries(w.Ctx, a, f)
		if err != nil {
			t.Fatalf("entries %+v: %v", f.Page, err)
		}
		var ids []int64
		for _, e := range l.Items {
			ids = append(ids, e.ID)
		}
		pages = append(pages, ids)
		total = l.Total
		if l.Next == "" {
			return pages, total
		}
		f.Page = counsel.Page{Limit: f.Limit, After: l.Next}
	}
	t.Fatal("the pages never end")
	return nil, 0
}

// TestEntriesKeyset pages through entries by cursor at the edges: ties on the
// service date, the last page, going back, rows recorded between two page
// loads, and scope.
func TestEntriesKeyset(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		// 12 entries over 4 dates, three on each: ties on the sort key.
		want := map[int64]string{}
		for i := 0; i < 12; i++ {
			e := testworld.OnsiteEntry(fmt.Sprintf("2026-06-%02d", 1+i%4), 60)
			e.Content = fmt.Sprintf("驻点值班 %d", i)
			got := w.Record(w.Advisor, e)
			want[got.ID] = got.Date
		}
		all, err := w.Lg.Entries(w.Ctx, w.ZNBureau, ledger.EntryFilter{Page: counsel.Page{Limit: 100}})
		if err != nil || len(all.Items) != 12 || all.Total != 12 || all.TotalCapped || all.Next != "" || all.Prev != "" {
			t.Fatalf("one page of everything: %d items, total %d capped %v next %q prev %q, %v", len(all.Items), all.Total, all.TotalCapped, all.Next, all.Prev, err)
		}
		for i := 1; i < len(all.Items); i++ {
			p, e := all.Items[i-1], all.Items[i]
			if p.Date < e.Date || p.Date == e.Date && p.ID < e.ID {
				t.Fatalf("order broken at %d: %s/%d before %s/%d", i, p.Date, p.ID, e.Date, e.ID)
			}
		}
		order := make([]int64, 0, 12)
		for _, e := range all.Items {
			order = append(order, e.ID)
		}

		pages, total := walk(t, w, w.ZNBureau, ledger.EntryFilter{Page: counsel.Page{Limit: 5}})
		if total != 12 || len(pages) != 3 || len(pages[0]) != 5 || len(pages[1]) != 5 || len(pages[2]) != 2 {
			t.Fatalf("pages of 5: %v (total %d)", pages, total)
		}
		var flat []int64
		for _, p := range pages {
			flat = append(flat, p...)
		}
		if fmt.Sprint(flat) != fmt.Sprint(order) {
			t.Fatalf("pages %v, want the order %v", flat, order)
		}
		// A page of exactly the rest: the last page has no next.
		pages, _ = walk(t, w, w.ZNBureau, ledger.EntryFilter{Page: counsel.Page{Limit: 6}})
		if len(pages) != 2 || len(pages[1]) != 6 {
			t.Fatalf("pages of 6: %v", pages)
		}

		// Back from the last page by Prev gives the same pages.
		f := ledger.EntryFilter{Page: counsel.Page{Limit: 5}}
		p1, _ := w.Lg.Entries(w.Ctx, w.ZNBureau, f)
		f.Page = counsel.Page{Limit: 5, After: p1.Next}
		p2, _ := w.Lg.Entries(w.Ctx, w.ZNBureau, f)
		f.Page = counsel.Page{Limit: 5, After: p2.Next}
		p3, _ := w.Lg.Entries(w.Ctx, w.ZNBureau, f)
		if p3.Next != "" || p3.Prev == "" || p1.Prev != "" {
			t.Fatalf("cursors: p1 prev %q, p3 next %q prev %q", p1.Prev, p3.Next, p3.Prev)
		}
		f.Page = counsel.Page{Limit: 5, Before: p3.Prev}
		b2, _ := w.Lg.Entries(w.Ctx, w.ZNBureau, f)
		if fmt.Sprint(ids(b2.Items)) != fmt.Sprint(ids(p2.Items)) || b2.Next != p2.Next || b2.Prev != p2.Prev {
			t.Fatalf("back to page 2: %v (next %q prev %q), want %v (next %q prev %q)", ids(b2.Items), b2.Next, b2.Prev, ids(p2.Items), p2.Next, p2.Prev)
		}
		f.Page = counsel.Page{Limit: 5, Before: b2.Prev}
		b1, _ := w.Lg.Entries(w.Ctx, w.ZNBureau, f)
		if fmt.Sprint(ids(b1.Items)) != fmt.Sprint(ids(p1.Items)) || b1.Prev != "" {
			t.Fatalf("back to page 1: %v prev %q, want %v", ids(b1.Items), b1.Prev, ids(p1.Items))
		}

		// Rows recorded between two page loads: one newer than everything
		// (above page 1) and one in the middle of page 2's dates. Page 2 by
		// cursor continues exactly after page 1's last row (no row twice,
		// none skipped); the middle one shows up in its place.
		top := w.Record(w.Advisor, testworld.OnsiteEntry("2026-06-10", 30))
		mid := w.Record(w.Advisor, testworld.OnsiteEntry("2026-06-02", 30))
		f.Page = counsel.Page{Limit: 5, After: p1.Next}
		n2, _ := w.Lg.Entries(w.Ctx, w.ZNBureau, f)
		seen := map[int64]bool{}
		for _, id := range ids(p1.Items) {
			seen[id] = true
		}
		for _, e := range n2.Items {
			if seen[e.ID] || e.ID == top.ID {
				t.Fatalf("page 2 after an insert repeats %d", e.ID)
			}
		}
		last := p1.Items[len(p1.Items)-1]
		if first := n2.Items[0]; first.Date > last.Date || first.Date == last.Date && first.ID > last.ID {
			t.Fatalf("page 2 starts at %s/%d, above page 1's last %s/%d", first.Date, first.ID, last.Date, last.ID)
		}
		pages, total = walk(t, w, w.ZNBureau, ledger.EntryFilter{Page: counsel.Page{Limit: 5}})
		flat = nil
		for _, p := range pages {
			flat = append(flat, p...)
		}
		if total != 14 || len(flat) != 14 || flat[0] != top.ID || !hasID(flat, mid.ID) {
			t.Fatalf("after the inserts: %v total %d (top %d, mid %d)", flat, total, top.ID, mid.ID)
		}

		// Filters and scope hold on every page.
		pages, total = walk(t, w, w.ZNBureau, ledger.EntryFilter{From: "2026-06-02", To: "2026-06-03", Page: counsel.Page{Limit: 2}})
		flat = nil
		for _, p := range pages {
			flat = append(flat, p...)
		}
		if total != 7 || len(flat) != 7 {
			t.Fatalf("dates 2–3 June: %v total %d, want 7", flat, total)
		}
		for _, id := range flat {
			if d := want[id]; d != "" && d != "2026-06-02" && d != "2026-06-03" {
				t.Fatalf("entry %d of %s outside the dates", id, d)
			}
		}
		if l, err := w.Lg.Entries(w.Ctx, w.JHBureau, ledger.EntryFilter{Page: counsel.Page{Limit: 5, After: p1.Next}}); err != nil || len(l.Items) != 0 || l.Total != 0 {
			t.Fatalf("another county's bureau by a cursor: %d items total %d, %v", len(l.Items), l.Total, err)
		}
		// A malformed cursor reads from the top.
		if l, err := w.Lg.Entries(w.Ctx, w.ZNBureau, ledger.EntryFilter{Page: counsel.Page{Limit: 5, After: "2026-13-99.x"}}); err != nil || len(l.Items) != 5 || l.Items[0].ID != top.ID {
			t.Fatalf("malformed cursor: %v, %v", ids(l.Items), err)
		}
		// Totals count up to the cap and say so beyond it.
		n, capped, err := store.CountUpTo(w.Ctx, w.DB, `SELECT 1 FROM entries`, 10)
		if err != nil || n != 10 || !capped {
			t.Fatalf("count up to 10 of 14: %d %v %v", n, capped, err)
		}
		n, capped, err = store.CountUpTo(w.Ctx, w.DB, `SELECT 1 FROM entries`, 14)
		if err != nil || n != 14 || capped {
			t.Fatalf("count up to 14 of 14: %d %v %v", n, capped, err)
		}
	})
}

// TestAuditKeyset pages the audit log by id cursor both ways.
func TestAuditKeyset(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		acc := account.NewService(w.Svc)
		full, err := acc.Audit(w.Ctx, w.Admin, counsel.Filter{Page: counsel.Page{Limit: 500}})
		if err != nil || len(full.Items) < 10 {
			t.Fatalf("audit: %d rows, %v", len(full.Items), err)
		}
		var flat []int64
		var pages []registryPage
		f := counsel.Filter{Page: counsel.Page{Limit: 4}}
		for guard := 0; ; guard++ {
			l, err := acc.Audit(w.Ctx, w.Admin, f)
			if err != nil || guard > 200 {
				t.Fatalf("audit page: %v", err)
			}
			pg := registryPage{next: l.Next, prev: l.Prev}
			for _, e := range l.Items {
				flat = append(flat, e.ID)
				pg.ids = append(pg.ids, e.ID)
			}
			pages = append(pages, pg)
			if l.Next == "" {
				break
			}
			f.Page = counsel.Page{Limit: 4, After: l.Next}
		}
		var want []int64
		for _, e := range full.Items {
			want = append(want, e.ID)
		}
		if fmt.Sprint(flat) != fmt.Sprint(want) {
			t.Fatalf("audit by cursor %v, want %v", flat, want)
		}
		// Back from the last page.
		for i := len(pages) - 1; i > 0; i-- {
			l, err := acc.Audit(w.Ctx, w.Admin, counsel.Filter{Page: counsel.Page{Limit: 4, Before: pages[i].prev}})
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, e := range l.Items {
				got = append(got, e.ID)
			}
			if i-1 > 0 && fmt.Sprint(got) != fmt.Sprint(pages[i-1].ids) {
				t.Fatalf("back to page %d: %v, want %v", i, got, pages[i-1].ids)
			}
			if i-1 == 0 && (fmt.Sprint(got) != fmt.Sprint(pages[0].ids) || l.Prev != "") {
				t.Fatalf("back to the first page: %v prev %q, want %v", got, l.Prev, pages[0].ids)
			}
		}
		// A county bureau's pages never hold another county's rows.
		l, err := acc.Audit(w.Ctx, w.JHBureau, counsel.Filter{Page: counsel.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range l.Items {
			if !counsel.Within(e.Scope, testworld.JH) {
				t.Fatalf("JH bureau sees audit row of scope %q", e.Scope)
			}
		}
	})
}

type registryPage struct {
	ids        []int64
	next, prev string
}

func ids(es []counsel.Entry) []int64 {
	out := make([]int64, 0, len(es))
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func hasID(xs []int64, x int64) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

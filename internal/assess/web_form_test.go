package assess

import (
	"net/url"
	"testing"
)

// The sheet form's rows become items; blank rows are skipped; a bad number
// is kept as invalid so that validation names the field.
func TestItemsOfForm(t *testing.T) {
	f := url.Values{
		"items.0.id": {"monthly"}, "items.0.name": {"到村服务"}, "items.0.points": {"12"}, "items.0.method": {"monthly"},
		"items.0.per_miss": {"1"}, "items.0.kinds": {"door_visit，onsite_duty"}, "items.0.onsite": {"1"},
		"items.1.id": {""}, "items.1.name": {""},
		"items.2.id": {"plan"}, "items.2.name": {"年度服务计划"}, "items.2.points": {"三分"}, "items.2.method": {"document"},
		"items.2.doc_kind": {"plan"}, "items.2.deduct": {"3"},
	}
	c := compactRows(f)
	if c.Get("items.1.id") != "plan" || c.Get("items.1.points") != "三分" || c.Get("items.2.id") != "" {
		t.Errorf("compacted rows: %v", c)
	}
	items := itemsOf(c)
	if len(items) != 2 {
		t.Fatalf("%d items, want 2 (the blank row skipped)", len(items))
	}
	if it := items[0]; it.Points != Pt(12) || it.PerMiss != Pt(1) || !it.Onsite || len(it.Kinds) != 2 || it.Kinds[1] != "onsite_duty" {
		t.Errorf("first row: %+v", it)
	}
	errs := Sheet{Items: items}.Validate()
	if len(errs) != 1 || errs[0].Field != "items.1.points" || errs[0].Key != "as.err.item_points" {
		t.Errorf("validation %v, want the second item's points", errs)
	}
}

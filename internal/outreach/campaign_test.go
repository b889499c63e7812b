package outreach_test

import (
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/outreach"
	"github.com/villagecounsel/counsel/internal/testworld"
)

func cpDates(ds []outreach.CampaignDay) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Date+" "+d.Kind)
	}
	return strings.Join(out, ", ")
}

func TestFixedCampaignDays(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{"2026-01-01", "2026-12-31", "2026-03-08 national, 2026-06-26 national, 2026-10-18 national, 2026-12-04 national"},
		{"2026-11-20", "2027-03-10", "2026-12-04 national, 2027-03-08 national"},
		{"2025-10-29", "2025-10-29", "2025-10-29 national"},
		{"2026-06-27", "2026-10-17", ""},
		{"2026-12-31", "2026-01-01", ""},
		{"bad", "2026-01-01", ""},
	} {
		if got := cpDates(outreach.FixedCampaignDays(c.from, c.to)); got != c.want {
			t.Errorf("%s..%s: got %q, want %q", c.from, c.to, got, c.want)
		}
	}
	ds := outreach.FixedCampaignDays("2024-10-01", "2024-12-31")
	if len(ds) != 2 || ds[0].Key != "double_ninth" || ds[0].Name != "重阳节" || ds[0].DaysLeft != 10 || ds[1].Name != "国家宪法日" || ds[0].Theme == "" {
		t.Errorf("2024 autumn: %+v", ds)
	}
	// The Double Ninth moves with the lunar calendar.
	for y, want := range map[int]string{2023: "2023-10-23", 2025: "2025-10-29", 2026: "2026-10-18", 2027: "2027-10-08", 2030: "2030-10-05", 2050: ""} {
		if got := outreach.DoubleNinth(y); got != want {
			t.Errorf("Double Ninth %d: %q, want %q", y, got, want)
		}
	}
}

func TestCampaignCalendar(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		// today is 2026-06-15
		before := w.Counts()
		for name, c := range map[string]struct {
			a    *counsel.Actor
			in   outreach.CampaignInput
			code counsel.Code
		}{
			"city":           {w.City, outreach.CampaignInput{RegionCode: testworld.Shanhe, Day: "2026-07-01", Kind: "election"}, counsel.CodeForbidden},
			"advisor":        {w.Advisor, outreach.CampaignInput{RegionCode: testworld.Shanhe, Day: "2026-07-01", Kind: "election"}, counsel.CodeForbidden},
			"another county": {w.JHBureau, outreach.CampaignInput{RegionCode: testworld.Shanhe, Day: "2026-07-01", Kind: "election"}, counsel.CodeForbidden},
			"bad date":       {w.ZNBureau, outreach.CampaignInput{RegionCode: testworld.Shanhe, Day: "2026-02-30", Kind: "election"}, counsel.CodeInvalid},
			"bad kind":       {w.ZNBureau, outreach.CampaignInput{RegionCode: testworld.Shanhe, Day: "2026-07-01", Kind: "national"}, counsel.CodeInvalid},
			"local no name":  {w.ZNBureau, outreach.CampaignInput{RegionCode: testworld.Shanhe, Day: "2026-07-01", Kind: "local"}, counsel.CodeInvalid},
		} {
			_, err := w.rv.AddCampaignDay(w.Ctx, c.a, c.in)
			testworld.WantCode(t, name, err, c.code)
		}
		w.SameCounts("refused days", before, w.Counts())
		el, err := w.rv.AddCampaignDay(w.Ctx, w.ZNBureau, outreach.CampaignInput{RegionCode: testworld.Shanhe, Day: "2026-07-01", Kind: "election"})
		if err != nil || el.Name != "村（社区）两委换届选举" {
			t.Fatalf("election: %+v %v", el, err)
		}
		if _, err := w.rv.AddCampaignDay(w.Ctx, w.Admin, outreach.CampaignInput{RegionCode: testworld.Tiancheng, Day: "2026-06-20", Kind: "local", Name: "天城村普法集市"}); err != nil {
			t.Fatal(err)
		}
		xiaositou := &counsel.Actor{Username: "t-xst", Role: counsel.RoleVillage, RegionCode: testworld.Xiaositou}
		for _, c := range []struct {
			a    *counsel.Actor
			want string
		}{
			{w.Advisor, "2026-06-26 national, 2026-07-01 election"}, // 王伟 of 正宁县
			{w.Village, "2026-06-26 national, 2026-07-01 election"}, // 东关村 lies in 山河镇
			{xiaositou, "2026-06-26 national"},                      // 榆林子镇 has no election entered
			{w.ZNBureau, "2026-06-26 national, 2026-07-01 election"},
			{w.JHBureau, "2026-06-20 local, 2026-06-26 national"},
			{w.Admin, "2026-06-20 local, 2026-06-26 national, 2026-07-01 election"},
		} {
			got, err := w.rv.UpcomingCampaigns(w.Ctx, c.a, 30)
			if err != nil || cpDates(got) != c.want {
				t.Errorf("upcoming for %s: %q %v, want %q", c.a.Username, cpDates(got), err, c.want)
			}
		}
		up, _ := w.rv.UpcomingCampaigns(w.Ctx, w.Advisor, 30)
		if up[0].DaysLeft != 11 || up[1].DaysLeft != 16 || up[1].Theme == "" {
			t.Errorf("days left: %+v", up)
		}
		if _, err := w.rv.CampaignDays(w.Ctx, w.Admin, "2026-01-01", "2029-01-01"); testworld.Field(err, "to") == nil {
			t.Errorf("three years: %v", err)
		}
		testworld.WantCode(t, "delete by another county", w.rv.DeleteCampaignDay(w.Ctx, w.JHBureau, el.ID), counsel.CodeNotFound)
		testworld.WantCode(t, "delete by city", w.rv.DeleteCampaignDay(w.Ctx, w.City, el.ID), counsel.CodeForbidden)
		if err := w.rv.DeleteCampaignDay(w.Ctx, w.ZNBureau, el.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := w.rv.UpcomingCampaigns(w.Ctx, w.Advisor, 30); cpDates(got) != "2026-06-26 national" {
			t.Errorf("after delete: %s", cpDates(got))
		}
	})
}

package dash_test

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/dash"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/testworld"
)

const (
	dsGansu = "620000000000" // 甘肃省
	dsAnhui = "340000000000" // 安徽省
)

// dsEntry is an entry of a kind and mode.
func dsEntry(village, date, kind, mode string, minutes int) *counsel.Entry {
	return &counsel.Entry{VillageCode: village, Kind: kind, Mode: mode, Date: date, Minutes: minutes,
		Place: "村委会", Served: "村民", Content: "服务内容"}
}

// dsLedger records a small year under the Zhengning preset (today is
// 2026-06-15, so the first quarter has ended):
//
//	东关村 (za1): Q1 600 min on site (met), Q2 a 120-min lecture and a phone
//	             consultation — Q2 and the yearly lecture rule still due;
//	小寺头村 (za3): Q1 120 min on site (missed), Q2 a 90-min mediation;
//	天城村 (ja1, 镜湖区, no policy): one WeChat consultation.
func (w *svcWorld) dsLedger() {
	w.T.Helper()
	if err := w.Lg.SavePolicy(w.Ctx, w.ZNBureau, testworld.ZN, policy.Zhengning()); err != nil {
		w.T.Fatal(err)
	}
	za3 := &counsel.Actor{Username: "t-zn-advisor3", Role: counsel.RoleAdvisor, AdvisorID: w.ZA3.ID}
	ja1 := &counsel.Actor{Username: "t-jh-advisor", Role: counsel.RoleAdvisor, AdvisorID: w.JA1.ID}
	w.Record(w.Advisor, dsEntry(testworld.Dongguan, "2026-01-10", policy.KindOnsiteDuty, policy.ModeOnsite, 300))
	w.Record(w.Advisor, dsEntry(testworld.Dongguan, "2026-02-10", policy.KindOnsiteDuty, policy.ModeOnsite, 300))
	w.Record(w.Advisor, dsEntry(testworld.Dongguan, "2026-04-10", policy.KindLecture, policy.ModeOnsite, 120))
	w.Record(w.Advisor, dsEntry(testworld.Dongguan, "2026-05-05", policy.KindConsultation, policy.ModePhone, 30))
	w.Record(za3, dsEntry(testworld.Xiaositou, "2026-02-20", policy.KindOnsiteDuty, policy.ModeOnsite, 120))
	w.Record(za3, dsEntry(testworld.Xiaositou, "2026-06-01", policy.KindMediation, policy.ModeOnsite, 90))
	w.Record(ja1, dsEntry(testworld.Tiancheng, "2026-03-01", policy.KindConsultation, policy.ModeWeChat, 45))
}

func dsDash(t *testing.T, w *svcWorld, a *counsel.Actor, region string) *dash.Dashboard {
	t.Helper()
	d, err := w.dash.Dashboard(w.Ctx, a, region, 2026)
	if err != nil {
		t.Fatalf("%s dashboard of %q: %v", a.Username, region, err)
	}
	return d
}

// dsSame checks that the children of a dashboard add up to its totals.
func dsSame(t *testing.T, d *dash.Dashboard) {
	t.Helper()
	var s dash.DashServices
	var c dash.DashCompliance
	var cov dash.DashCoverage
	for _, ch := range d.Children {
		s.Entries += ch.Services.Entries
		s.Minutes += ch.Services.Minutes
		s.OnsiteEntries += ch.Services.OnsiteEntries
		s.OnsiteMinutes += ch.Services.OnsiteMinutes
		c.Obligations += ch.Compliance.Obligations
		c.Met += ch.Compliance.Met
		c.Closed += ch.Compliance.Closed
		c.ClosedMet += ch.Compliance.ClosedMet
		cov.Villages += ch.Coverage.Villages
		cov.Covered += ch.Coverage.Covered
	}
	if s != d.Services {
		t.Errorf("%s: children's services %+v, region's %+v", d.Region.Code, s, d.Services)
	}
	if c.Obligations != d.Compliance.Obligations || c.Met != d.Compliance.Met || c.Closed != d.Compliance.Closed || c.ClosedMet != d.Compliance.ClosedMet {
		t.Errorf("%s: children's compliance %+v, region's %+v", d.Region.Code, c, d.Compliance)
	}
	if cov.Villages != d.Coverage.Villages || cov.Covered != d.Coverage.Covered {
		t.Errorf("%s: children's coverage %d/%d, region's %d/%d", d.Region.Code, cov.Covered, cov.Villages, d.Coverage.Covered, d.Coverage.Villages)
	}
	var byKind, byMonth dash.DashServices
	for _, k := range d.ByKind {
		byKind.Entries += k.Entries
		byKind.OnsiteMinutes += k.OnsiteMinutes
	}
	for _, m := range d.ByMonth {
		byMonth.Entries += m.Entries
		byMonth.OnsiteMinutes += m.OnsiteMinutes
	}
	if byKind.Entries != d.Services.Entries || byMonth.Entries != d.Services.Entries ||
		byKind.OnsiteMinutes != d.Services.OnsiteMinutes || byMonth.OnsiteMinutes != d.Services.OnsiteMinutes {
		t.Errorf("%s: by kind %+v and by month %+v do not add up to %+v", d.Region.Code, byKind, byMonth, d.Services)
	}
}

func TestDashboardNumbers(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		w.dsLedger()
		zn := dsDash(t, w, w.ZNBureau, "")
		if zn.Region.Code != testworld.ZN || zn.Year != 2026 || len(zn.ByMonth) != 12 {
			t.Fatalf("county dashboard = %+v", zn.Region)
		}
		wantS := dash.DashServices{Entries: 6, Minutes: 960, OnsiteEntries: 5, OnsiteMinutes: 930}
		if zn.Services != wantS {
			t.Fatalf("county services = %+v, want %+v", zn.Services, wantS)
		}
		c := zn.Compliance
		// Saving the rules on 06-15 made the rows of Q1, Q2 and the year for
		// both served villages: Q1 closed (东关村 met, 小寺头村 missed), 4 open.
		if c.Obligations != 6 || c.Met != 1 || c.Closed != 2 || c.ClosedMet != 1 || c.Open != 4 || c.OpenMet != 0 {
			t.Fatalf("county compliance = %+v", c)
		}
		if c.RatePct() != "50.0%" || c.ProgressPct() != "0.0%" || c.Missed() != 1 {
			t.Fatalf("county rate %q progress %q missed %d", c.RatePct(), c.ProgressPct(), c.Missed())
		}
		if zn.ByMonth[0].Entries != 1 || zn.ByMonth[1].Entries != 2 || zn.ByMonth[1].OnsiteMinutes != 420 || zn.ByMonth[4].OnsiteMinutes != 0 {
			t.Fatalf("by month = %+v", zn.ByMonth)
		}
		if len(zn.ByKind) != 4 || zn.ByKind[0].Kind != policy.KindOnsiteDuty || zn.ByKind[0].Entries != 3 || zn.ByKind[0].Name != "驻点值班" {
			t.Fatalf("by kind = %+v", zn.ByKind)
		}
		villages, err := registry.CountRegions(w.Ctx, w.DB, testworld.ZN, counsel.LevelVillage)
		if err != nil {
			t.Fatal(err)
		}
		if zn.Coverage.Villages != villages || zn.Coverage.Covered != 1 {
			t.Fatalf("coverage = %+v, want 1 of %d (only 东关村's agreement is filed)", zn.Coverage, villages)
		}
		if zn.ChildLevel != counsel.LevelTown || len(zn.Children) == 0 {
			t.Fatalf("county children = %d at level %d", len(zn.Children), zn.ChildLevel)
		}
		dsSame(t, zn)
		for _, ch := range zn.Children {
			if ch.Code == testworld.Yulinzi && (ch.Compliance.Closed != 1 || ch.Compliance.ClosedMet != 0 || ch.Compliance.RatePct() != "0.0%") {
				t.Fatalf("榆林子镇 compliance = %+v", ch.Compliance)
			}
		}

		// The same numbers at every level above, for the actors who see them.
		for _, tc := range []struct {
			a      *counsel.Actor
			region string
		}{{w.City, ""}, {w.Admin, dsGansu}, {w.Admin, testworld.ZNCity}} {
			d := dsDash(t, w, tc.a, tc.region)
			if d.Services != zn.Services || d.Compliance.Obligations != zn.Compliance.Obligations || d.Compliance.ClosedMet != zn.Compliance.ClosedMet ||
				d.Compliance.RatePct() != zn.Compliance.RatePct() || d.Coverage.Covered != 1 || d.Coverage.Villages != villages {
				t.Fatalf("%s %q: services %+v compliance %+v coverage %+v; want the county's", tc.a.Username, tc.region, d.Services, d.Compliance, d.Coverage)
			}
			dsSame(t, d)
		}
		// The whole country for the administrator: the provinces.
		all := dsDash(t, w, w.Admin, "")
		if all.Region.Code != "" || all.Services.Entries != 7 || all.Services.Minutes != 1005 {
			t.Fatalf("country = %+v %+v", all.Region, all.Services)
		}
		dsSame(t, all)
		seen := map[string]bool{}
		for _, ch := range all.Children {
			seen[ch.Code] = true
		}
		if !seen[dsGansu] || !seen[dsAnhui] || all.ChildLevel != counsel.LevelProvince {
			t.Fatalf("country's children = %+v", all.Children)
		}

		// Drill down: the town, then the village with its advisor and duties.
		town := dsDash(t, w, w.Judicial, "")
		if town.Region.Code != testworld.Shanhe || town.ChildLevel != counsel.LevelVillage || len(town.Children) != len(testworld.ShanheVillages) {
			t.Fatalf("town dashboard = %+v with %d children", town.Region, len(town.Children))
		}
		dsSame(t, town)
		if len(town.Crumbs) != 0 {
			t.Fatalf("judicial office's crumbs above its town = %+v", town.Crumbs)
		}
		v := dsDash(t, w, w.Judicial, testworld.Dongguan)
		if len(v.Crumbs) != 1 || v.Crumbs[0].Code != testworld.Shanhe {
			t.Fatalf("village crumbs = %+v, want 山河镇", v.Crumbs)
		}
		if c := dsDash(t, w, w.Admin, testworld.Dongguan).Crumbs; len(c) != 4 || c[0].Code != dsGansu || c[3].Code != testworld.Shanhe {
			t.Fatalf("admin's village crumbs = %+v", c)
		}
		if v.Services.Entries != 4 || v.Coverage.Villages != 1 || v.Coverage.Covered != 1 || len(v.Children) != 0 {
			t.Fatalf("village = %+v %+v", v.Services, v.Coverage)
		}
		if len(v.Advisors) != 1 || v.Advisors[0].ID != w.ZA1.ID || v.Advisors[0].Compliance.Obligations != 3 || v.Advisors[0].Compliance.ClosedMet != 1 {
			t.Fatalf("village advisors = %+v", v.Advisors)
		}
		if len(v.Duties) != 3 {
			t.Fatalf("village duties = %+v", v.Duties)
		}
		for _, d := range v.Duties {
			if d.Reason == "" || d.AdvisorID != w.ZA1.ID {
				t.Fatalf("duty without a reason or advisor: %+v", d)
			}
		}
		if v.Duties[0].Period.End < v.Duties[len(v.Duties)-1].Period.End {
			t.Fatalf("duties not latest first: %+v", v.Duties)
		}
		// The village committee sees its own village.
		if own := dsDash(t, w, w.Village, ""); own.Region.Code != testworld.Dongguan || own.Services != v.Services {
			t.Fatalf("village committee's dashboard = %+v %+v", own.Region, own.Services)
		}
		// A past year is empty and fully closed.
		old, err := w.dash.Dashboard(w.Ctx, w.ZNBureau, "", 2025)
		if err != nil || old.Services.Entries != 0 || old.Compliance.Obligations != 0 || old.Compliance.Rate != nil {
			t.Fatalf("2025 = %+v %+v, %v", old.Services, old.Compliance, err)
		}
	})
}

func TestDashboardScopes(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		w.dsLedger()
		before := w.Counts()
		cases := []struct {
			name   string
			a      *counsel.Actor
			region string
			year   int
			code   counsel.Code
		}{
			{"other county", w.JHBureau, testworld.ZN, 2026, counsel.CodeNotFound},
			{"other county's village", w.JHBureau, testworld.Dongguan, 2026, counsel.CodeNotFound},
			{"judicial above its town", w.Judicial, testworld.ZN, 2026, counsel.CodeNotFound},
			{"village its neighbour", w.Village, testworld.Xiguan, 2026, counsel.CodeNotFound},
			{"city the province", w.City, dsGansu, 2026, counsel.CodeNotFound},
			{"provider", w.Provider, "", 2026, counsel.CodeForbidden},
			{"advisor", w.Advisor, testworld.Dongguan, 2026, counsel.CodeForbidden},
			{"bad code", w.ZNBureau, "62102", 2026, counsel.CodeInvalid},
			{"bad year", w.ZNBureau, "", 1999, counsel.CodeInvalid},
			{"unknown region", w.Admin, "110000000000", 2026, counsel.CodeNotFound},
		}
		for _, tc := range cases {
			_, err := w.dash.Dashboard(w.Ctx, tc.a, tc.region, tc.year)
			testworld.WantCode(t, tc.name, err, tc.code)
			_, err = w.dash.Report(w.Ctx, tc.a, tc.region, tc.year, 1)
			testworld.WantCode(t, tc.name+" (report)", err, tc.code)
		}
		_, err := w.dash.Report(w.Ctx, w.ZNBureau, "", 2026, 3)
		testworld.WantField(t, "half 3", err, "half", "err.choice")
		_, err = w.dash.Dashboard(w.Ctx, w.ZNBureau, "", 1999)
		testworld.WantField(t, "year 1999", err, "year", "dash.err_year")
		w.SameCounts("dashboards", before, w.Counts())
	})
}

// TestDashboardCoverageCache: coverage is counted once a minute; a change
// shows after the cache is reset (or a minute later), drilling down reuses
// the county's count.
func TestDashboardCoverageCache(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		d := dsDash(t, w, w.ZNBureau, "")
		if d.Coverage.Covered != 1 {
			t.Fatalf("covered = %d, want 1", d.Coverage.Covered)
		}
		if _, err := w.Svc.MoveAgreement(w.Ctx, w.ZNBureau, w.G2.ID, counsel.AgreementFiled, "2026-03-20"); err != nil {
			t.Fatal(err)
		}
		if d := dsDash(t, w, w.ZNBureau, ""); d.Coverage.Covered != 1 {
			t.Fatalf("covered = %d within the minute, want the cached 1", d.Coverage.Covered)
		}
		// The town of 小寺头村 is answered from the county's cached rows.
		if d := dsDash(t, w, w.ZNBureau, testworld.Yulinzi); d.Coverage.Covered != 0 {
			t.Fatalf("榆林子镇 covered = %d from the county's cache, want 0", d.Coverage.Covered)
		}
		w.dash.ResetCoverageCache()
		if d := dsDash(t, w, w.ZNBureau, ""); d.Coverage.Covered != 2 {
			t.Fatalf("covered = %d after reset, want 2", d.Coverage.Covered)
		}
		if d := dsDash(t, w, w.ZNBureau, testworld.Yulinzi); d.Coverage.Covered != 1 || d.Coverage.Villages == 0 {
			t.Fatalf("榆林子镇 coverage = %+v, want 1 covered", d.Coverage)
		}
	})
}

func TestReportCounty(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		w.dsLedger()
		rp, err := w.dash.Report(w.Ctx, w.ZNBureau, "", 2026, 1)
		if err != nil {
			t.Fatal(err)
		}
		if rp.From != "2026-01-01" || rp.To != "2026-06-30" || !rp.HasAdvisors() || rp.RowLevel != counsel.LevelVillage {
			t.Fatalf("report = %s..%s advisors %v rows at %d", rp.From, rp.To, rp.HasAdvisors(), rp.RowLevel)
		}
		want := dash.DashServices{Entries: 6, Minutes: 960, OnsiteEntries: 5, OnsiteMinutes: 930}
		if rp.Total.Services != want {
			t.Fatalf("total = %+v, want %+v", rp.Total.Services, want)
		}
		if len(rp.Kinds) != 4 || rp.Kinds[0].Kind != policy.KindOnsiteDuty {
			t.Fatalf("kinds = %+v", rp.Kinds)
		}
		// Towns add up to the county, villages to their town, kinds to rows.
		var towns dash.DashServices
		var townComp int64
		for _, g := range rp.Groups {
			towns.Entries += g.Services.Entries
			towns.Minutes += g.Services.Minutes
			townComp += g.Compliance.Obligations
			var vs dash.DashServices
			for _, r := range g.Rows {
				vs.Entries += r.Services.Entries
				vs.Minutes += r.Services.Minutes
				var k int64
				for _, kd := range rp.Kinds {
					k += r.Kind(kd.Kind).Entries
				}
				if k != r.Services.Entries {
					t.Fatalf("%s: kinds add to %d, row says %d", r.Name, k, r.Services.Entries)
				}
				if r.Code == testworld.Dongguan && (len(r.Advisors) != 1 || r.Advisors[0] != w.ZA1.Name) {
					t.Fatalf("东关村 advisors = %v", r.Advisors)
				}
			}
			if vs.Entries != g.Services.Entries || vs.Minutes != g.Services.Minutes {
				t.Fatalf("%s: villages %+v, town %+v", g.Name, vs, g.Services)
			}
		}
		if towns.Entries != 6 || towns.Minutes != 960 || townComp != rp.Total.Compliance.Obligations {
			t.Fatalf("towns = %+v %d obligations; county %+v", towns, townComp, rp.Total.Compliance)
		}
		// Advisors: za1 met its ended quarter, za3 missed it.
		got := map[int64]dash.ReportAdvisor{}
		var advComp int64
		for _, ra := range rp.Advisors {
			got[ra.ID] = ra
			advComp += ra.Compliance.Obligations
		}
		a1, a3 := got[w.ZA1.ID], got[w.ZA3.ID]
		if a1.Result != dash.AssessMet || a1.Services.Entries != 4 || a1.Kind(policy.KindOnsiteDuty).Minutes != 600 || len(a1.Villages) != 1 || a1.Villages[0].Code != testworld.Dongguan {
			t.Fatalf("za1 = %+v", a1)
		}
		if a3.Result != dash.AssessMissed || a3.Services.Minutes != 210 || a3.Compliance.Closed != 1 || a3.ProviderName != w.ZP2.Name {
			t.Fatalf("za3 = %+v", a3)
		}
		if advComp != rp.Total.Compliance.Obligations {
			t.Fatalf("advisors' obligations %d, county's %d", advComp, rp.Total.Compliance.Obligations)
		}
		// The second half has nothing yet; the year is the first half here.
		h2, err := w.dash.Report(w.Ctx, w.ZNBureau, "", 2026, 2)
		if err != nil || h2.Total.Services.Entries != 0 || len(h2.Kinds) != 0 {
			t.Fatalf("H2 = %+v, %v", h2.Total, err)
		}
		yr, err := w.dash.Annual(w.Ctx, w.ZNBureau, "", 2026)
		if err != nil || yr.Ledger.Total.Services != want || yr.Dashboard.Services != want || yr.Ledger.Half != 0 {
			t.Fatalf("annual = %+v, %v", yr, err)
		}
		// A province: cities then counties, no advisor rows.
		prov, err := w.dash.Report(w.Ctx, w.Admin, dsGansu, 2026, 0)
		if err != nil || prov.HasAdvisors() || len(prov.Advisors) != 0 || prov.Total.Services != want || prov.RowLevel != counsel.LevelCounty {
			t.Fatalf("province = %+v rows at %d, %v", prov.Total.Services, prov.RowLevel, err)
		}
		// A village: itself and its advisor.
		v, err := w.dash.Report(w.Ctx, w.Village, "", 2026, 1)
		if err != nil || len(v.Groups) != 1 || v.Total.Services.Entries != 4 || len(v.Advisors) != 1 || v.Advisors[0].ID != w.ZA1.ID {
			t.Fatalf("village report = %+v, %v", v, err)
		}
	})
}

// TestReportSharedVillage: a village served by two advisors in the span is
// counted on both advisors' rows and marked shared.
func TestReportSharedVillage(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		w.dsLedger()
		// za2 takes over 东关村 from July: a second agreement in the year.
		if _, err := w.Svc.MoveAgreement(w.Ctx, w.ZNBureau, w.G1.ID, counsel.AgreementEnded, "2026-06-30"); err != nil {
			t.Fatal(err)
		}
		g := w.NewAgreement(w.ZA2, testworld.Dongguan, counsel.AgreementSigned)
		g.StartDate = "2026-07-01"
		if err := w.Svc.SaveAgreement(w.Ctx, w.ZNBureau, g); err != nil {
			t.Fatal(err)
		}
		rp, err := w.dash.Report(w.Ctx, w.ZNBureau, "", 2026, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !rp.Shared {
			t.Fatal("report not marked shared")
		}
		n := 0
		for _, ra := range rp.Advisors {
			for _, v := range ra.Villages {
				if v.Code == testworld.Dongguan {
					n++
					if !v.Shared || ra.Services.Entries != 4 {
						t.Fatalf("%s at 东关村 = %+v, %+v", ra.Name, v, ra.Services)
					}
				}
			}
		}
		if n != 2 {
			t.Fatalf("东关村 on %d advisor rows, want 2", n)
		}
		// The first half still has only za1 there.
		h1, _ := w.dash.Report(w.Ctx, w.ZNBureau, "", 2026, 1)
		if h1.Shared {
			t.Fatal("first half marked shared")
		}
	})
}

// TestDashboardConcurrent: many first views at once count coverage once and
// agree (run with -race).
func TestDashboardConcurrent(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		w.dsLedger()
		const n = 16
		got := make(chan *dash.Dashboard, n)
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			go func(i int) {
				a, region := w.ZNBureau, ""
				if i%2 == 1 {
					a, region = w.Admin, testworld.Shanhe
				}
				d, err := w.dash.Dashboard(w.Ctx, a, region, 2026)
				errs <- err
				got <- d
			}(i)
		}
		for i := 0; i < n; i++ {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
			d := <-got
			if d.Coverage.Covered != 1 {
				t.Fatalf("%s covered = %d, want 1", d.Region.Code, d.Coverage.Covered)
			}
		}
	})
}

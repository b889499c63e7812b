package major

import (
	"context"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
	"github.com/villagecounsel/counsel/store/storetest"
)

// mjFixture loads a county with two towns and three villages, a provider,
// two advisors and bureau accounts at county and city level.
type mjFixture struct {
	ctx        context.Context
	db         *store.DB
	p          *counsel.Provider
	a1, a2     *counsel.Advisor
	countyUser int64
	cityUser   int64
}

const (
	mjProvince = "620000000000"
	mjCity     = "621000000000"
	mjCounty   = "621025000000"
	mjTown1    = "621025100000"
	mjTown2    = "621025101000"
	mjV1       = "621025100200"
	mjV2       = "621025100201"
	mjV3       = "621025101200"
)

func mjSetup(t *testing.T, db *store.DB) *mjFixture {
	t.Helper()
	f := &mjFixture{ctx: context.Background(), db: db}
	rs := []counsel.Region{
		{Code: mjProvince, Name: "甘肃省", Level: counsel.LevelProvince},
		{Code: mjCity, Name: "庆阳市", Level: counsel.LevelCity, ParentCode: mjProvince},
		{Code: mjCounty, Name: "正宁县", Level: counsel.LevelCounty, ParentCode: mjCity},
		{Code: mjTown1, Name: "山河镇", Level: counsel.LevelTown, ParentCode: mjCounty},
		{Code: mjTown2, Name: "榆林子镇", Level: counsel.LevelTown, ParentCode: mjCounty},
		{Code: mjV1, Name: "东关村委会", Level: counsel.LevelVillage, ParentCode: mjTown1},
		{Code: mjV2, Name: "西关村委会", Level: counsel.LevelVillage, ParentCode: mjTown1},
		{Code: mjV3, Name: "小寺头村委会", Level: counsel.LevelVillage, ParentCode: mjTown2},
	}
	err := db.WithTx(f.ctx, func(tx *store.Tx) error {
		if err := registry.UpsertRegions(f.ctx, tx, rs); err != nil {
			return err
		}
		f.p = &counsel.Provider{Kind: counsel.ProviderLawFirm, Name: "甘肃正义律师事务所", CountyCode: mjCounty}
		if err := registry.CreateProvider(f.ctx, tx, f.p); err != nil {
			return err
		}
		f.a1 = &counsel.Advisor{ProviderID: f.p.ID, Kind: counsel.AdvisorLawyer, Name: "王伟", Active: true}
		f.a2 = &counsel.Advisor{ProviderID: f.p.ID, Kind: counsel.AdvisorLawyer, Name: "李娜", Active: true}
		for _, a := range []*counsel.Advisor{f.a1, f.a2} {
			if err := registry.CreateAdvisor(f.ctx, tx, a); err != nil {
				return err
			}
		}
		for _, u := range []*counsel.User{
			{Username: "mj-county", DisplayName: "正宁县司法局", Role: counsel.RoleBureau, RegionCode: mjCounty},
			{Username: "mj-city", DisplayName: "庆阳市司法局", Role: counsel.RoleBureau, RegionCode: mjCity},
			{Username: "mj-county-off", DisplayName: "停用", Role: counsel.RoleBureau, RegionCode: mjCounty, Disabled: true},
		} {
			u.Lang = "zh"
			if err := account.InsertUser(f.ctx, tx, u, "x"); err != nil {
				return err
			}
			switch u.Username {
			case "mj-county":
				f.countyUser = u.ID
			case "mj-city":
				f.cityUser = u.ID
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return f
}

// mjReport stores a submitted report submitted at ms with a 24 h deadline.
func (f *mjFixture) mjReport(t *testing.T, village string, adv *counsel.Advisor, category string, ms int64) *counsel.MajorReport {
	t.Helper()
	m := &counsel.MajorReport{VillageCode: village, AdvisorID: adv.ID, ProviderID: adv.ProviderID, Category: category, Title: "村民拟集体上访",
		Facts: "30余户村民因征地补偿拟集体上访", OccurredOn: "2026-06-14", People: 30, Status: counsel.MajorSubmitted,
		AckHours: 24, AckDueAt: ms + 24*3600*1000, SubmittedAt: ms, CreatedBy: 1, CreatedAt: ms, UpdatedAt: ms}
	err := f.db.WithTx(f.ctx, func(tx *store.Tx) error {
		if err := createReport(f.ctx, tx, m); err != nil {
			return err
		}
		return addEvent(f.ctx, tx, &counsel.MajorEvent{ReportID: m.ID, Kind: counsel.MajorSubmitted, UserID: 1, Username: "adv", At: ms})
	})
	if err != nil {
		t.Fatalf("create report: %v", err)
	}
	return m
}

func mjIDs(ms []counsel.MajorReport) []int64 {
	var out []int64
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func TestMajorStoreFlow(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := mjSetup(t, db)
		const t0 = int64(1781488800000) // 2026-06-15 10:00 CST
		r1 := f.mjReport(t, mjV1, f.a1, counsel.MajorCollectiveSuit, t0)
		r2 := f.mjReport(t, mjV2, f.a2, counsel.MajorEmergency, t0+1000)
		r3 := f.mjReport(t, mjV3, f.a1, counsel.MajorEmergency, t0+2000)

		got, err := loadReport(f.ctx, db, r1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.VillageName != "东关村委会" || got.TownName != "山河镇" || got.AdvisorName != "王伟" || got.ProviderName != f.p.Name ||
			got.People != 30 || got.AckDueAt != t0+24*3600*1000 || got.Status != counsel.MajorSubmitted {
			t.Fatalf("report = %+v", got)
		}

		list := func(mf Filter) []int64 {
			t.Helper()
			ms, total, err := listReports(f.ctx, db, mf)
			if err != nil {
				t.Fatal(err)
			}
			if total != len(ms) {
				t.Fatalf("total %d, items %d", total, len(ms))
			}
			return mjIDs(ms)
		}
		for _, c := range []struct {
			name string
			f    Filter
			want []int64
		}{
			{"all, newest first", Filter{}, []int64{r3.ID, r2.ID, r1.ID}},
			{"town scope", Filter{Scope: mjTown1}, []int64{r2.ID, r1.ID}},
			{"advisor", Filter{AdvisorID: f.a1.ID}, []int64{r3.ID, r1.ID}},
			{"provider", Filter{ProviderID: f.p.ID + 1000}, nil},
			{"category", Filter{Category: counsel.MajorEmergency}, []int64{r3.ID, r2.ID}},
			{"not yet overdue", Filter{Overdue: true, Now: t0 + 23*3600*1000}, nil},
			{"overdue", Filter{Overdue: true, Now: t0 + 24*3600*1000 + 1000}, []int64{r2.ID, r1.ID}},
			{"search", Filter{Q: "小寺头"}, []int64{r3.ID}},
		} {
			if g := list(c.f); len(g) != len(c.want) || len(g) > 0 && g[0] != c.want[0] || len(g) > 1 && g[1] != c.want[1] {
				t.Errorf("%s: got %v, want %v", c.name, g, c.want)
			}
		}

		// Steps are conditional on the status: a second acknowledgement, a
		// follow-up or close of a submitted report change nothing.
		step := func(fn func(tx *store.Tx) (bool, error)) bool {
			t.Helper()
			var ok bool
			if err := db.WithTx(f.ctx, func(tx *store.Tx) error {
				var err error
				ok, err = fn(tx)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if step(func(tx *store.Tx) (bool, error) { return followUpReport(f.ctx, tx, r1.ID, t0+5) }) {
			t.Error("follow-up of a submitted report changed it")
		}
		if step(func(tx *store.Tx) (bool, error) { return closeReport(f.ctx, tx, r1.ID, "x", 7, t0+5) }) {
			t.Error("close of a submitted report changed it")
		}
		if !step(func(tx *store.Tx) (bool, error) { return escalateReport(f.ctx, tx, r1.ID, 0, 1, t0+5) }) {
			t.Error("escalation 0→1 did not apply")
		}
		if step(func(tx *store.Tx) (bool, error) { return escalateReport(f.ctx, tx, r1.ID, 0, 1, t0+6) }) {
			t.Error("a repeated escalation 0→1 applied twice")
		}
		if !step(func(tx *store.Tx) (bool, error) { return acknowledgeReport(f.ctx, tx, r1.ID, 7, t0+10) }) {
			t.Error("acknowledgement did not apply")
		}
		if step(func(tx *store.Tx) (bool, error) { return acknowledgeReport(f.ctx, tx, r1.ID, 8, t0+11) }) {
			t.Error("second acknowledgement applied")
		}
		if step(func(tx *store.Tx) (bool, error) { return escalateReport(f.ctx, tx, r1.ID, 1, 2, t0+12) }) {
			t.Error("an acknowledged report escalated")
		}
		for i := 0; i < 2; i++ {
			if !step(func(tx *store.Tx) (bool, error) { return followUpReport(f.ctx, tx, r1.ID, t0+20) }) {
				t.Error("follow-up did not apply")
			}
		}
		if !step(func(tx *store.Tx) (bool, error) { return closeReport(f.ctx, tx, r1.ID, "已化解", 7, t0+30) }) {
			t.Error("close did not apply")
		}
		got, _ = loadReport(f.ctx, db, r1.ID)
		if got.Status != counsel.MajorClosed || got.FollowUps != 2 || got.Outcome != "已化解" || got.AcknowledgedBy != 7 || got.Level != 1 || got.ClosedAt != t0+30 {
			t.Errorf("after the flow: %+v", got)
		}
		if g := list(Filter{Status: Open}); len(g) != 2 {
			t.Errorf("open reports %v, want 2", g)
		}
		// Closed reports sort after open ones.
		if g := list(Filter{}); g[2] != r1.ID {
			t.Errorf("order %v: the closed report should come last", g)
		}

		aw, err := awaiting(f.ctx, db, t0+24*3600*1000+5000, counsel.MajorLevelCity, 100)
		if err != nil {
			t.Fatal(err)
		}
		if g := mjIDs(aw); len(g) != 2 || g[0] != r2.ID || g[1] != r3.ID {
			t.Errorf("awaiting %v, want [%d %d]", g, r2.ID, r3.ID)
		}

		evs, err := listEvents(f.ctx, db, r1.ID)
		if err != nil || len(evs) != 1 || evs[0].Kind != counsel.MajorSubmitted || evs[0].Username != "adv" {
			t.Errorf("events %+v, %v", evs, err)
		}
	})
}

func TestMajorStoreSettingsAndAccounts(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := mjSetup(t, db)
		h, set, err := ackHours(f.ctx, db, mjCounty)
		if err != nil || h != counsel.DefaultMajorAckHours || set {
			t.Fatalf("default = %d %v %v, want 24 false", h, set, err)
		}
		for _, hours := range []int{48, 12} {
			if err := db.WithTx(f.ctx, func(tx *store.Tx) error { return saveAckHours(f.ctx, tx, mjCounty, hours, 1) }); err != nil {
				t.Fatal(err)
			}
			if h, set, err = ackHours(f.ctx, db, mjCounty); err != nil || h != hours || !set {
				t.Fatalf("after saving %d: %d %v %v", hours, h, set, err)
			}
		}
		// Exactly the level: the county's enabled accounts, not the city's.
		ids, err := accountsAt(f.ctx, db, counsel.RoleBureau, mjCounty)
		if err != nil || len(ids) != 1 || ids[0] != f.countyUser {
			t.Errorf("county accounts %v %v, want [%d]", ids, err, f.countyUser)
		}
		ids, err = accountsAt(f.ctx, db, counsel.RoleBureau, mjCity)
		if err != nil || len(ids) != 1 || ids[0] != f.cityUser {
			t.Errorf("city accounts %v %v, want [%d]", ids, err, f.cityUser)
		}
	})
}

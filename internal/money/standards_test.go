package money_test

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/money"
	"github.com/villagecounsel/counsel/internal/testworld"
)

const gansu = "620000000000"

// TestStandardFloor is the hand-worked case of a floor raised by the city
// that a county's lower standard cannot undercut.
func TestStandardFloor(t *testing.T) {
	mEngines(t, func(t *testing.T, w *mWorld) {
		// Nothing set: the seed's 5,000 yuan for every kind.
		e, err := w.m.Effective(w.Ctx, testworld.ZN)
		if err != nil || e.Base != 500000 || e.City != 500000 || e.County != 500000 || e.Floor != money.SeedFloor || e.FloorFrom != "" {
			t.Fatalf("default: %+v %v", e, err)
		}
		// The county sets 5,500 yuan, 7,000 for county-level underdeveloped villages.
		if _, err := w.m.SaveStandard(w.Ctx, w.ZNBureau, money.StandardInput{BaseFen: 550000, CountyFen: 700000, TownSharePct: 30}); err != nil {
			t.Fatal(err)
		}
		// The city raises its floor to 6,000 yuan: the county's 5,500 is undercut and 6,000 is paid.
		if _, err := w.m.SaveStandard(w.Ctx, w.City, money.StandardInput{BaseFen: 600000, CityFen: 800000}); err != nil {
			t.Fatal(err)
		}
		e, _ = w.m.Effective(w.Ctx, testworld.ZN)
		if e.Floor != 600000 || e.FloorFrom != testworld.ZNCity || e.Base != 600000 || !e.Raised || e.City != 800000 || e.County != 700000 || e.TownSharePct != 30 {
			t.Errorf("after the city raised the floor: %+v", e)
		}
		// The county may no longer save a standard below the city's floor.
		before := w.Counts()
		_, err = w.m.SaveStandard(w.Ctx, w.ZNBureau, money.StandardInput{BaseFen: 550000})
		testworld.WantField(t, "below the city's floor", err, "base_fen", "err.money_below_floor")
		if fe := testworld.Field(err, "base_fen"); fe == nil || len(fe.Args) != 2 || fe.Args[0] != "庆阳市" || fe.Args[1] != "6,000.00" {
			t.Errorf("floor message args: %+v", fe)
		}
		for name, c := range map[string]struct {
			a     *counsel.Actor
			in    money.StandardInput
			field string
			key   string
		}{
			"negative":                {w.ZNBureau, money.StandardInput{BaseFen: -1}, "base_fen", "err.money_amount"},
			"kind below floor":        {w.ZNBureau, money.StandardInput{BaseFen: 600000, CountyFen: 550000}, "county_fen", "err.money_below_floor"},
			"share over 100":          {w.ZNBureau, money.StandardInput{BaseFen: 600000, TownSharePct: 101}, "town_share_pct", "err.range"},
			"share is a county's":     {w.City, money.StandardInput{BaseFen: 600000, TownSharePct: 20}, "town_share_pct", "err.money_share_county"},
			"province below the seed": {w.Admin, money.StandardInput{RegionCode: gansu, BaseFen: 400000}, "base_fen", "err.money_below_seed"},
			"a town has no standard":  {w.Admin, money.StandardInput{RegionCode: testworld.Shanhe, BaseFen: 600000}, "region_code", "err.money_level"},
		} {
			_, err := w.m.SaveStandard(w.Ctx, c.a, c.in)
			testworld.WantField(t, name, err, c.field, c.key)
		}
		for name, a := range map[string]*counsel.Actor{"another county": w.JHBureau, "judicial": w.Judicial, "provider": w.Provider, "village": w.Village} {
			_, err := w.m.SaveStandard(w.Ctx, a, money.StandardInput{RegionCode: testworld.ZN, BaseFen: 900000})
			testworld.WantCode(t, name, err, counsel.CodeForbidden)
		}
		w.SameCounts("refused standards", before, w.Counts())
		// At or above the floor is fine, and the audit keeps before and after.
		if _, err := w.m.SaveStandard(w.Ctx, w.ZNBureau, money.StandardInput{BaseFen: 600000, CountyFen: 700000, TownSharePct: 30}); err != nil {
			t.Fatal(err)
		}
		e, _ = w.m.Effective(w.Ctx, testworld.ZN)
		if e.Raised || e.Base != 600000 {
			t.Errorf("county at the floor: %+v", e)
		}
		au := w.Audit()
		if len(au) == 0 || au[0].Entity != "subsidy_standard" || au[0].Action != "update" || au[0].Before == "" || au[0].After == "" {
			t.Errorf("audit: %+v", au[:min(1, len(au))])
		}
		// Another county under another city keeps the seed floor.
		if e, _ := w.m.Effective(w.Ctx, testworld.JH); e.Base != 500000 {
			t.Errorf("镜湖区: %+v", e)
		}
	})
}

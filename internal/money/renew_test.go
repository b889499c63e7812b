package money_test

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/money"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// TestRenew renews 正宁县's 2026 agreements for 2027 in one go, and refuses
// the whole batch when one row cannot be renewed.
func TestRenew(t *testing.T) {
	mEngines(t, func(t *testing.T, w *mWorld) {
		gs, err := w.m.Renewable(w.Ctx, w.ZNBureau, testworld.ZN, 2026)
		if err != nil || len(gs) != 2 {
			t.Fatalf("renewable: %d %v", len(gs), err)
		}
		if _, err := w.m.Renewable(w.Ctx, w.Judicial, testworld.ZN, 2026); counsel.ErrorCode(err) != counsel.CodeForbidden {
			t.Errorf("judicial lists renewals: %v", err)
		}
		// 张敏 leaves: renewing his agreement fails the batch, with its row named.
		za3 := *w.ZA3
		za3.Active = false
		if err := w.Svc.SaveAdvisor(w.Ctx, counsel.System, &za3); err != nil {
			t.Fatal(err)
		}
		before := w.Counts()
		in := money.RenewInput{IDs: []int64{w.G1.ID, w.G2.ID}, StartDate: "2027-01-01", EndDate: "2027-12-31", SubsidyFen: 600000}
		_, err = w.m.Renew(w.Ctx, w.ZNBureau, in)
		fe := testworld.Field(err, "ids")
		if fe == nil || fe.Row != 2 || fe.Key != "err.money_renew_row" || fe.Args[0] != "小寺头村委会" || fe.Args[1] != "张敏" || fe.Args[2] != "该法律顾问已停用" {
			t.Errorf("inactive advisor: %v %+v", err, fe)
		}
		for name, c := range map[string]money.RenewInput{
			"no rows":         {StartDate: "2027-01-01", EndDate: "2027-12-31"},
			"bad term":        {IDs: []int64{w.G1.ID}, StartDate: "2027-12-31", EndDate: "2027-01-01"},
			"negative amount": {IDs: []int64{w.G1.ID}, StartDate: "2027-01-01", EndDate: "2027-12-31", SubsidyFen: -1},
			"below the floor": {IDs: []int64{w.G1.ID}, StartDate: "2027-01-01", EndDate: "2027-12-31", SubsidyFen: 400000},
			"another county":  {IDs: []int64{w.GJ.ID}, StartDate: "2027-01-01", EndDate: "2027-12-31"},
		} {
			_, err := w.m.Renew(w.Ctx, w.ZNBureau, c)
			testworld.WantCode(t, name, err, counsel.CodeInvalid)
		}
		_, err = w.m.Renew(w.Ctx, w.City, money.RenewInput{RegionCode: testworld.ZN, IDs: []int64{w.G1.ID}, StartDate: "2027-01-01", EndDate: "2027-12-31"})
		testworld.WantCode(t, "the city", err, counsel.CodeForbidden)
		w.SameCounts("refused renewals", before, w.Counts())

		in.IDs = []int64{w.G1.ID}
		out, err := w.m.Renew(w.Ctx, w.ZNBureau, in)
		if err != nil || len(out) != 1 {
			t.Fatalf("renew: %+v %v", out, err)
		}
		g, _ := registry.Agreement(w.Ctx, w.DB, out[0].ID)
		if g.AdvisorID != w.ZA1.ID || g.RegionCode != testworld.Dongguan || g.StartDate != "2027-01-01" || g.Status != counsel.AgreementDraft || g.SubsidyFen != 600000 || g.Deadline != "2027-03-31" {
			t.Errorf("renewed: %+v", g)
		}
		if au := w.Audit(); au[0].Action != "renew" {
			t.Errorf("audit: %+v", au[0])
		}
	})
}

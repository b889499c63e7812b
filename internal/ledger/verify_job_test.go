package ledger_test

import (
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// A verification started in the background finishes with the same result
// as one in the request, counts every town of the area, keeps its result
// for the next reader, and finds tampering in any town.
func TestVerifyInBackground(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		for i := 0; i < 5; i++ {
			w.Record(w.Advisor, testworld.OnsiteEntry("2026-06-0"+string(rune('1'+i)), 60))
		}
		ja := &counsel.Actor{Username: "t-jh-advisor", Role: counsel.RoleAdvisor, AdvisorID: w.JA1.ID}
		e := testworld.OnsiteEntry("2026-06-02", 60)
		e.VillageCode = testworld.Tiancheng
		w.Record(ja, e)
		if r, err := w.Lg.LastVerify(w.Admin, ""); err != nil || r != nil {
			t.Fatalf("a run before any: %+v, %v", r, err)
		}
		want, err := w.Lg.VerifyLedger(w.Ctx, w.Admin, "")
		if err != nil || want.Entries != 6 || len(want.Problems) != 0 {
			t.Fatalf("verify in the request: %+v, %v", want, err)
		}
		if _, err := w.Lg.StartVerify(w.Ctx, w.Admin, ""); err != nil {
			t.Fatal(err)
		}
		r, err := w.Lg.WaitVerify(w.Ctx, w.Admin, "", time.Minute)
		if err != nil || r == nil || r.Running() || r.Result == nil {
			t.Fatalf("background run: %+v, %v", r, err)
		}
		if r.Result.Entries != want.Entries || r.Result.Villages != want.Villages || r.Towns == 0 || r.TownsDone != r.Towns || r.Entries != 6 {
			t.Fatalf("background run %+v (result %+v), want %+v", r, r.Result, want)
		}
		if kept, _ := w.Lg.LastVerify(w.Admin, ""); kept == nil || kept.Result == nil || kept.FinishedAt != r.FinishedAt {
			t.Fatalf("result not kept: %+v", kept)
		}
		// Tamper with an entry of 镜湖区: the province-wide run finds it.
		if err := w.DB.ExecRaw(w.Ctx, `UPDATE entries SET content = 'changed' WHERE village_code = ?`, testworld.Tiancheng); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Lg.StartVerify(w.Ctx, w.Admin, ""); err != nil {
			t.Fatal(err)
		}
		r, _ = w.Lg.WaitVerify(w.Ctx, w.Admin, "", time.Minute)
		if r == nil || r.Result == nil || len(r.Result.Problems) != 1 || r.Result.Problems[0].Village != testworld.Tiancheng || r.Result.Problems[0].Kind != "edited" {
			t.Fatalf("tampering not found: %+v", r)
		}
		// A county bureau's run covers its county only.
		if _, err := w.Lg.StartVerify(w.Ctx, w.ZNBureau, ""); err != nil {
			t.Fatal(err)
		}
		r, _ = w.Lg.WaitVerify(w.Ctx, w.ZNBureau, "", time.Minute)
		if r == nil || r.Result == nil || r.Result.Entries != 5 || len(r.Result.Problems) != 0 || r.Scope != testworld.ZN {
			t.Fatalf("county run: %+v", r)
		}
	})
}

package assess_test

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/assess"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/testworld"
	"github.com/villagecounsel/counsel/internal/volume"
)

// world is the shared test world with the assessment service over it.
type world struct {
	*testworld.World
	as  *assess.Service
	vol *volume.Service
}

func engines(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Helper()
	testworld.Engines(t, func(t *testing.T, tw *testworld.World) {
		vol := volume.NewService(tw.Svc, tw.Lg)
		fn(t, &world{World: tw, vol: vol, as: assess.NewService(tw.Svc, tw.Lg, vol, public.NewService(tw.Svc))})
	})
}

// testSheet is the county's sheet of the round tests: two ways of reading
// the monthly visits (counters, duty rule), the annual plan, the board and
// two hand-scored items.
func testSheet() assess.Sheet {
	pick := func(s assess.Sheet, id string) assess.Item {
		for _, it := range s.Items {
			if it.ID == id {
				return it
			}
		}
		panic(id)
	}
	c, n := assess.County100(), assess.Ningbo()
	return assess.Sheet{Name: "测试考评表", Items: []assess.Item{
		pick(c, "monthly_visit"), pick(n, "door_visit"), pick(c, "plan"), pick(c, "board"), pick(c, "village"), pick(c, "bureau"),
	}}
}

func item(t *testing.T, res assess.Result, id string) assess.ItemResult {
	t.Helper()
	for _, ir := range res.Items {
		if ir.Item.ID == id {
			return ir
		}
	}
	t.Fatalf("no item %s", id)
	return assess.ItemResult{}
}

func door(date string) *counsel.Entry {
	return &counsel.Entry{VillageCode: testworld.Dongguan, Kind: policy.KindDoorVisit, Mode: policy.ModeOnsite, Date: date,
		StartTime: "09:00", Minutes: 120, Place: "村民家中", Served: "村民", Content: "入户走访，了解法律需求"}
}

// A county's year run end to end: the data items from the ledger, the
// volume and the board; scorers in and out of their scope; grades
// published; an objection in and after the window; a change only with a
// reason; every step audited.
func TestRoundEndToEnd(t *testing.T) {
	engines(t, func(t *testing.T, w *world) {
		ctx := w.Ctx
		if err := w.Lg.SavePolicy(ctx, w.ZNBureau, testworld.ZN, policy.Ningbo()); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{"2026-01-10", "2026-02-10", "2026-03-10", "2026-05-10"} { // none in April
			w.Record(w.Advisor, door(d))
		}
		if err := w.as.SaveSheet(ctx, w.ZNBureau, testworld.ZN, testSheet()); err != nil {
			t.Fatal(err)
		}
		// A sheet with a bad item is refused whole.
		bad := testSheet()
		bad.Items[2].Points = assess.Pt(120)
		testworld.WantField(t, "item beyond 100 points", w.as.SaveSheet(ctx, w.ZNBureau, testworld.ZN, bad), "items.2.points", "as.err.item_points")
		testworld.WantOutOfScope(t, "other county's sheet", w.as.SaveSheet(ctx, w.JHBureau, testworld.ZN, testSheet()), "region")

		// Overlapping bands: a Chinese error and no round.
		_, err := w.as.OpenRound(ctx, w.ZNBureau, assess.RoundInput{Year: 2026, Title: "2026年度考核",
			Thresholds: assess.Thresholds{Excellent: assess.Pt(80), Pass: assess.Pt(85), Basic: assess.Pt(60)}})
		testworld.WantField(t, "overlapping bands", err, "excellent", "as.err.threshold_overlap")
		if rs, _ := w.as.Rounds(ctx, w.ZNBureau); len(rs) != 0 {
			t.Fatalf("a refused round was stored: %v", rs)
		}
		_, err = w.as.OpenRound(ctx, w.JHBureau, assess.RoundInput{CountyCode: testworld.ZN, Year: 2026, Title: "越权"})
		testworld.WantOutOfScope(t, "other county's round", err, "county_code")
		r, err := w.as.OpenRound(ctx, w.ZNBureau, assess.RoundInput{Year: 2026, Title: "2026年度考核"})
		if err != nil {
			t.Fatal(err)
		}

		// The advisor's sheet while scoring, as of 15 June: January to May
		// closed, April without a visit.
		sp, err := w.as.AdvisorSheet(ctx, w.Advisor, r.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		res := sp.Result.Result
		if ir := item(t, res, "monthly_visit"); ir.Lost != assess.Pt(1) || ir.Evidence[0].Args[1] != "2026年4月" {
			t.Errorf("monthly visits from the counters: lost %s, evidence %v; want 1 for April", ir.Lost, ir.Evidence)
		}
		if ir := item(t, res, "door_visit"); ir.Lost != assess.Pt(1) {
			t.Errorf("door visits from the duty rule: lost %s, evidence %v; want 1", ir.Lost, ir.Evidence)
		}
		if ir := item(t, res, "plan"); ir.Lost != assess.Pt(3) {
			t.Errorf("no plan: lost %s, want 3", ir.Lost)
		}
		if ir := item(t, res, "board"); ir.Lost != 0 || ir.Evidence[0].Key != "as.ev.board_ok" {
			t.Errorf("fresh board: lost %s, evidence %v", ir.Lost, ir.Evidence)
		}
		if res.Pending != 2 {
			t.Errorf("pending %d, want the two hand-scored items", res.Pending)
		}
		// Filing the plan gives the 3 points back.
		if err := w.vol.SaveDocument(ctx, w.Advisor, &counsel.Document{Kind: counsel.DocPlan, VillageCode: testworld.Dongguan, Year: 2026, Body: "每月入户走访"}); err != nil {
			t.Fatal(err)
		}
		sp, _ = w.as.AdvisorSheet(ctx, w.Advisor, r.ID, 0)
		if ir := item(t, sp.Result.Result, "plan"); ir.Lost != 0 {
			t.Errorf("with a plan: lost %s", ir.Lost)
		}
		// Another county's bureau and another firm see nothing.
		if _, err := w.as.AdvisorSheet(ctx, w.JHBureau, r.ID, w.ZA1.ID); counsel.ErrorCode(err) != counsel.CodeNotFound {
			t.Errorf("other county: %v, want not found", err)
		}
		zp2 := &counsel.Actor{Role: counsel.RoleProvider, ProviderID: w.ZP2.ID}
		if _, err := w.as.AdvisorSheet(ctx, zp2, r.ID, w.ZA1.ID); counsel.ErrorCode(err) != counsel.CodeNotFound {
			t.Errorf("other firm: %v, want not found", err)
		}

		// Scorers: only their item, only their area, never beyond the points.
		score := func(a *counsel.Actor, adv int64, item, pts string) error {
			return w.as.SaveScore(ctx, a, r.ID, assess.ScoreInput{AdvisorID: adv, ItemID: item, Points: pts})
		}
		testworld.WantField(t, "beyond the item", score(w.Village, w.ZA1.ID, "village", "16"), "points", "as.err.points_range")
		testworld.WantField(t, "two decimals", score(w.Village, w.ZA1.ID, "village", "12.25"), "points", "as.err.points_format")
		testworld.WantCode(t, "village scores another village's advisor", score(w.Village, w.ZA3.ID, "village", "12"), counsel.CodeForbidden)
		testworld.WantCode(t, "town office scores the village's item", score(w.Judicial, w.ZA1.ID, "village", "12"), counsel.CodeForbidden)
		testworld.WantCode(t, "village scores the bureau's item", score(w.Village, w.ZA1.ID, "bureau", "12"), counsel.CodeForbidden)
		testworld.WantField(t, "data item by hand", score(w.ZNBureau, w.ZA1.ID, "plan", "3"), "item_id", "as.err.item_unknown")
		sp, _ = w.as.AdvisorSheet(ctx, w.Advisor, r.ID, 0)
		if sp.Result.Result.Pending != 2 {
			t.Fatalf("refused scores were written: pending %d", sp.Result.Result.Pending)
		}
		xst := &counsel.Actor{Role: counsel.RoleVillage, RegionCode: testworld.Xiaositou}
		for _, s := range []struct {
			a         *counsel.Actor
			adv       int64
			item, pts string
		}{{w.Village, w.ZA1.ID, "village", "13.5"}, {w.ZNBureau, w.ZA1.ID, "bureau", "7"}, {xst, w.ZA3.ID, "village", "9"}} {
			if err := score(s.a, s.adv, s.item, s.pts); err != nil {
				t.Fatalf("%s scores %s: %v", s.a.Role, s.item, err)
			}
		}
		tasks, err := w.as.ScoreTasks(ctx, w.Village, r.ID)
		if err != nil || len(tasks) != 1 || !tasks[0].Scored || tasks[0].Points != 135 {
			t.Errorf("village's tasks: %+v %v; want its one scored item", tasks, err)
		}

		// Publishing needs every hand score (张敏's bureau item is missing)
		// and sound bands.
		testworld.WantField(t, "unscored", w.as.Publish(ctx, w.ZNBureau, r.ID, assess.Thresholds{}), "status", "as.err.unscored")
		if err := score(w.ZNBureau, w.ZA3.ID, "bureau", "6"); err != nil {
			t.Fatal(err)
		}
		testworld.WantField(t, "overlap at publication", w.as.Publish(ctx, w.ZNBureau, r.ID, assess.Thresholds{Excellent: assess.Pt(70), Pass: assess.Pt(70), Basic: assess.Pt(60)}),
			"excellent", "as.err.threshold_overlap")
		testworld.WantCode(t, "town office publishes", w.as.Publish(ctx, w.Judicial, r.ID, assess.Thresholds{}), counsel.CodeForbidden)
		if err := w.as.Publish(ctx, w.ZNBureau, r.ID, assess.Thresholds{}); err != nil {
			t.Fatal(err)
		}
		testworld.WantField(t, "scoring after publication", score(w.Village, w.ZA1.ID, "village", "15"), "points", "as.err.not_scoring")
		sp, err = w.as.AdvisorSheet(ctx, w.Advisor, r.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		// 12 − 1 (April) + 12 − 1 (April) + 3 + 8 + 13.5 + 7 = 53.5 of 58 (92.2 %).
		if got := sp.Result; got.Total != 535 || got.Max != assess.Pt(58) || got.Grade != assess.GradeExcellent {
			t.Errorf("王伟: %s / %s %s, want 53.5 / 58 excellent", got.Total, got.Max, got.Grade)
			for _, ir := range got.Result.Items {
				t.Logf("%s %s %v", ir.Item.ID, ir.Score, ir.Evidence)
			}
		}
		if !sp.CanObject || sp.Round.ObjectionUntil != "2026-06-23" {
			t.Errorf("objection window: can %v until %s, want until 23 June (5 working days from Monday 15 June, 19 June is 端午节)", sp.CanObject, sp.Round.ObjectionUntil)
		}

		// An objection inside the window; after it, a Chinese refusal and nothing written.
		if _, err := w.as.Object(ctx, w.Advisor, r.ID, assess.ObjectionInput{ItemID: "door_visit", Body: "4月走访因疫情改为电话"}); err != nil {
			t.Fatal(err)
		}
		now := w.Now
		w.Now = now.AddDate(0, 0, 10)
		_, err = w.as.Object(ctx, w.Advisor, r.ID, assess.ObjectionInput{ItemID: "plan", Body: "迟到的异议"})
		testworld.WantField(t, "after the window", err, "body", "as.err.objection_late")
		w.Now = now
		sp, _ = w.as.AdvisorSheet(ctx, w.Advisor, r.ID, 0)
		if len(sp.Objections) != 1 {
			t.Fatalf("objections %d, want 1", len(sp.Objections))
		}
		testworld.WantField(t, "final with an open objection", w.as.Finalize(ctx, w.ZNBureau, r.ID), "status", "as.err.open_objections")
		if err := w.as.Answer(ctx, w.ZNBureau, sp.Objections[0].ID, "经核实，4月未到村走访，维持扣分"); err != nil {
			t.Fatal(err)
		}
		if err := w.as.Finalize(ctx, w.ZNBureau, r.ID); err != nil {
			t.Fatal(err)
		}

		// Commendation (R40): only graded advisors, a notice of 5 working
		// days, objections recorded, issued after the notice.
		_, err = w.as.Commend(ctx, w.ZNBureau, r.ID, assess.CommendInput{Title: "2026年度优秀法律顾问", Reasons: map[int64]string{w.ZA1.ID: ""}})
		testworld.WantField(t, "no reason", err, "reason", "as.cm.err_reason")
		_, err = w.as.Commend(ctx, w.ZNBureau, r.ID, assess.CommendInput{Title: "2026年度优秀法律顾问", Reasons: map[int64]string{w.ZA2.ID: "未参加考核"}})
		testworld.WantField(t, "not graded in the round", err, "advisors", "as.cm.err_grade")
		cm, err := w.as.Commend(ctx, w.ZNBureau, r.ID, assess.CommendInput{Title: "2026年度优秀法律顾问", Reasons: map[int64]string{w.ZA1.ID: "全年入户走访11次，考核优秀"}})
		if err != nil {
			t.Fatal(err)
		}
		if cm.NoticeUntil != "2026-06-23" || len(cm.Commendees) != 1 || cm.Commendees[0].Grade != assess.GradeExcellent {
			t.Errorf("commendation: until %s, %+v", cm.NoticeUntil, cm.Commendees)
		}
		testworld.WantField(t, "issued during the notice", w.as.IssueCommendation(ctx, w.ZNBureau, cm.ID), "status", "as.cm.err_notice")
		if err := w.as.RecordCommendObjection(ctx, w.ZNBureau, cm.ID, "有群众反映其4月未到村", "经核实已扣分，不影响表彰"); err != nil {
			t.Fatal(err)
		}
		w.Now = now.AddDate(0, 0, 9)
		if err := w.as.IssueCommendation(ctx, w.ZNBureau, cm.ID); err != nil {
			t.Fatal(err)
		}
		if pc, _ := w.as.PublicCommendation(ctx, cm.ID); pc.Status != assess.CommendIssued || len(pc.Objections) != 1 {
			t.Errorf("after issuing: %+v", pc)
		}
		w.Now = now

		// A final result changes only with a reason.
		testworld.WantField(t, "no reason", w.as.Amend(ctx, w.ZNBureau, r.ID, assess.AmendInput{AdvisorID: w.ZA3.ID, ItemID: "bureau", Points: "8"}), "reason", "as.err.reason_required")
		testworld.WantField(t, "beyond the item", w.as.Amend(ctx, w.ZNBureau, r.ID, assess.AmendInput{AdvisorID: w.ZA3.ID, ItemID: "bureau", Points: "9", Reason: "复核"}), "points", "as.err.points_range")
		before, _ := w.as.AdvisorSheet(ctx, w.ZNBureau, r.ID, w.ZA3.ID)
		if err := w.as.Amend(ctx, w.ZNBureau, r.ID, assess.AmendInput{AdvisorID: w.ZA3.ID, ItemID: "bureau", Points: "8", Reason: "现场复核档案齐全"}); err != nil {
			t.Fatal(err)
		}
		after, _ := w.as.AdvisorSheet(ctx, w.ZNBureau, r.ID, w.ZA3.ID)
		if after.Result.Total != before.Result.Total+assess.Pt(2) || after.Result.Reason != "现场复核档案齐全" {
			t.Errorf("amended: %s → %s, reason %q", before.Result.Total, after.Result.Total, after.Result.Reason)
		}

		seen := map[string]bool{}
		for _, e := range w.Audit() {
			seen[e.Action+" "+e.Entity] = true
		}
		for _, want := range []string{"update assess_sheet", "create assess_round", "score assess_score", "publish assess_round",
			"object assess_objection", "answer assess_objection", "finalize assess_round", "amend assess_result", "create commendation", "issue commendation"} {
			if !seen[want] {
				t.Errorf("no audit entry %q", want)
			}
		}
	})
}

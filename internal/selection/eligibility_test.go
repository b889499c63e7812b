package selection_test

import (
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/selection"
	"github.com/villagecounsel/counsel/internal/testworld"
)

func checkOf(t *testing.T, es []selection.Eligibility, advisor int64, key string) (selection.Check, selection.Eligibility) {
	t.Helper()
	for _, e := range es {
		if e.AdvisorID != advisor {
			continue
		}
		for _, c := range e.Checks {
			if c.Key == key {
				return c, e
			}
		}
	}
	t.Fatalf("no check %s for advisor %d in %+v", key, advisor, es)
	return selection.Check{}, selection.Eligibility{}
}

// R41: each condition from data, explained; a failing one names why.
func TestEligibility(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		c, _ := w.campaign()
		elig := func() []selection.Eligibility {
			t.Helper()
			es, err := w.sel.EligibilityOf(w.Ctx, w.ZNBureau, c.ID, testworld.ZN)
			if err != nil {
				t.Fatal(err)
			}
			return es
		}
		es := elig()
		if ck, e := checkOf(t, es, w.ZA1.ID, selection.CheckServing); !ck.OK || e.Eligible {
			t.Errorf("ZA1 serving %+v, eligible %v (no year of service yet, no recommendation)", ck, e.Eligible)
		}
		if ck, _ := checkOf(t, es, w.ZA1.ID, selection.CheckYears); ck.OK || ck.Why.Args[1] != 0 {
			t.Errorf("ZA1 years before the 2025 agreement: %+v", ck)
		}
		if ck, _ := checkOf(t, es, w.ZA2.ID, selection.CheckServing); ck.OK || ck.Why.Key != "sel.elig.not_serving" {
			t.Errorf("ZA2 without an agreement: %+v", ck)
		}
		// A 2025 agreement gives the year of service by 2026-01-01.
		g := w.NewAgreement(w.ZA1, testworld.Dongguan, counsel.AgreementFiled)
		g.StartDate, g.EndDate, g.SignedOn, g.FiledOn = "2025-01-01", "2025-12-31", "2025-01-05", "2025-03-10"
		if err := w.Svc.SaveAgreement(w.Ctx, counsel.System, g); err != nil {
			t.Fatal(err)
		}
		// The village committee recommends its advisor; the bureau records the assessments.
		if _, err := w.sel.Recommend(w.Ctx, w.Village, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.sel.Recommend(w.Ctx, w.ZNBureau, c.ID); testworld.Code(err) != counsel.CodeForbidden {
			t.Errorf("a bureau recommending: %v", err)
		}
		for _, y := range []int{2023, 2024, 2025} {
			if err := w.sel.RecordAssessment(w.Ctx, w.ZNBureau, w.ZA1.ID, y, true); err != nil {
				t.Fatal(err)
			}
		}
		testworld.WantOutOfScope(t, "other county's assessment", w.sel.RecordAssessment(w.Ctx, w.JHBureau, w.ZA1.ID, 2025, true), "advisor_id")
		es = elig()
		for _, key := range []string{selection.CheckServing, selection.CheckYears, selection.CheckRecommended, selection.CheckAssessed, selection.CheckSanctions, selection.CheckRegistered} {
			if ck, _ := checkOf(t, es, w.ZA1.ID, key); !ck.OK {
				t.Errorf("ZA1 %s: %+v", key, ck)
			}
		}
		if _, e := checkOf(t, es, w.ZA1.ID, selection.CheckYears); !e.Eligible || e.ServiceDays != 365 {
			t.Errorf("ZA1 = eligible %v, %d days; want eligible, 365", e.Eligible, e.ServiceDays)
		}
		// A failed year and a sanction each make the advisor ineligible, with the reason.
		if err := w.sel.RecordAssessment(w.Ctx, w.ZNBureau, w.ZA1.ID, 2024, false); err != nil {
			t.Fatal(err)
		}
		if ck, _ := checkOf(t, elig(), w.ZA1.ID, selection.CheckAssessed); ck.OK || ck.Why.Key != "sel.elig.assess_failed" || ck.Why.Args[0] != "2024" {
			t.Errorf("failed 2024: %+v", ck)
		}
		_ = w.sel.RecordAssessment(w.Ctx, w.ZNBureau, w.ZA1.ID, 2024, true)
		err := w.sel.RecordSanction(w.Ctx, w.ZNBureau, selection.Sanction{AdvisorID: w.ZA1.ID, Kind: "discipline", DecidedOn: "2026-13-01", Authority: "甘肃省律师协会"})
		testworld.WantField(t, "bad date", err, "decided_on", "sel.err_decided_on")
		if err := w.sel.RecordSanction(w.Ctx, w.ZNBureau, selection.Sanction{AdvisorID: w.ZA1.ID, Kind: "discipline", DecidedOn: "2024-05-20", Authority: "甘肃省律师协会"}); err != nil {
			t.Fatal(err)
		}
		if ck, e := checkOf(t, elig(), w.ZA1.ID, selection.CheckSanctions); ck.OK || e.Eligible || ck.Why.Args[1] != "甘肃省律师协会" {
			t.Errorf("sanctioned: %+v eligible %v", ck, e.Eligible)
		}
		// Another county is out of scope; a town is not a county.
		if _, err := w.sel.EligibilityOf(w.Ctx, w.JHBureau, c.ID, testworld.ZN); err == nil {
			t.Error("another county's bureau saw the list")
		}
		if _, err := w.sel.EligibilityOf(w.Ctx, w.ZNBureau, c.ID, testworld.Shanhe); testworld.Code(err) != counsel.CodeInvalid {
			t.Errorf("a town: %v", err)
		}
	})
}

func TestServiceDaysUnion(t *testing.T) {
	gs := []counsel.Agreement{
		{StartDate: "2020-07-01", EndDate: "2021-06-30", Status: counsel.AgreementEnded},
		{StartDate: "2021-01-01", EndDate: "2021-12-31", Status: counsel.AgreementFiled}, // overlaps: counted once
		{StartDate: "2019-01-01", EndDate: "2019-12-31", Status: counsel.AgreementDraft}, // never in force
	}
	// 2020-07-01 .. 2021-12-31 = 184 + 365 days, all before the 2022-01-01 cut-off.
	if got := selection.ServiceDays(gs, "2022-01-01"); got != 549 {
		t.Errorf("service days = %d, want 549", got)
	}
	if got := selection.ServiceDays(gs, "2021-01-01"); got != 184 {
		t.Errorf("to 2021-01-01 = %d, want 184", got)
	}
}

// The panel: each member sees and changes only their own scores; a submitted
// score is locked; the report score is the mean of the submitted ones.
func TestPanelScoring(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		c, ks := w.campaign()
		st := selection.StageProvince
		set := c.Settings
		set.Stages[2].Weights = []selection.Weight{{Component: selection.CompReport, Percent: 70}, {Component: selection.CompVote, Percent: 30}}
		if _, err := w.sel.SaveSettings(w.Ctx, w.City, c.ID, set); err != nil {
			t.Fatal(err)
		}
		u1 := w.User(counsel.User{Username: "panel-one", Role: counsel.RoleBureau, RegionCode: testworld.ZNCity})
		u2 := w.User(counsel.User{Username: "panel-two", Role: counsel.RoleBureau, RegionCode: testworld.ZNCity})
		for _, u := range []string{"panel-one", "panel-two"} {
			if err := w.sel.AddPanelMember(w.Ctx, w.City, c.ID, st, u, "市人大代表"); err != nil {
				t.Fatal(err)
			}
		}
		testworld.WantField(t, "twice", w.sel.AddPanelMember(w.Ctx, w.City, c.ID, st, "panel-one", ""), "username", "sel.err_member_twice")
		testworld.WantCode(t, "county bureau appoints", w.sel.AddPanelMember(w.Ctx, w.ZNBureau, c.ID, st, "panel-one", ""), counsel.CodeForbidden)
		a1, a2 := counsel.ActorOf(u1, "10.0.1.1"), counsel.ActorOf(u2, "10.0.1.2")
		m1, _ := w.sel.MyPanels(w.Ctx, a1)
		m2, _ := w.sel.MyPanels(w.Ctx, a2)
		if len(m1) != 1 || len(m2) != 1 {
			t.Fatalf("panels %v %v", m1, m2)
		}
		testworld.WantField(t, "above the maximum", w.sel.SaveScore(w.Ctx, a1, m1[0].ID, ks[0].ID, "100.5", false), "score", "sel.err_score")
		testworld.WantField(t, "three decimals", w.sel.SaveScore(w.Ctx, a1, m1[0].ID, ks[0].ID, "88.125", false), "score", "sel.err_score")
		if err := w.sel.SaveScore(w.Ctx, a1, m1[0].ID, ks[0].ID, "85.5", false); err != nil {
			t.Fatal(err)
		}
		if err := w.sel.SaveScore(w.Ctx, a1, m1[0].ID, ks[0].ID, "86", true); err != nil {
			t.Fatal(err)
		}
		testworld.WantCode(t, "change after submit", w.sel.SaveScore(w.Ctx, a1, m1[0].ID, ks[0].ID, "99", true), counsel.CodeConflict)
		// Member two cannot use member one's seat nor see their sheet.
		testworld.WantCode(t, "another's seat", w.sel.SaveScore(w.Ctx, a2, m1[0].ID, ks[0].ID, "10", true), counsel.CodeNotFound)
		if _, _, _, err := w.sel.Sheet(w.Ctx, a2, m1[0].ID); testworld.Code(err) != counsel.CodeNotFound {
			t.Errorf("another's sheet: %v", err)
		}
		_, rows, max, err := w.sel.Sheet(w.Ctx, a2, m2[0].ID)
		if err != nil || max != 100 || len(rows) != 3 || rows[0].Scored {
			t.Fatalf("member two's sheet shows %+v (%v)", rows, err)
		}
		// A draft does not count; the mean of the submitted ones does.
		if err := w.sel.SaveScore(w.Ctx, a2, m2[0].ID, ks[0].ID, "90", false); err != nil {
			t.Fatal(err)
		}
		rk, err := w.sel.Ranking(w.Ctx, c, st)
		if err != nil {
			t.Fatal(err)
		}
		if got := rk.Rows[0].Scores[selection.CompReport]; rk.Rows[0].ID != ks[0].ID || got != 8600 {
			t.Errorf("report score with one submitted = %d, want 8600", got)
		}
		if err := w.sel.SaveScore(w.Ctx, a2, m2[0].ID, ks[0].ID, "90", true); err != nil {
			t.Fatal(err)
		}
		rk, _ = w.sel.Ranking(w.Ctx, c, st)
		if got := rk.Rows[0].Scores[selection.CompReport]; got != 8800 || rk.Rows[0].Total != 8800*70 {
			t.Errorf("mean of 86 and 90 = %d (total %d), want 8800 and 616000", got, rk.Rows[0].Total)
		}
	})
}

// R46: per district, each material with its due date; late and overdue ones flagged.
func TestMaterials(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		c, _ := w.campaign() // candidates of 正宁县; the world's day is 2026-06-15
		ms, err := w.sel.Materials(w.Ctx, c)
		if err != nil || len(ms) != 3 {
			t.Fatalf("materials = %+v, %v", ms, err)
		}
		state := func() map[string]selection.MaterialRow {
			ms, _ := w.sel.Materials(w.Ctx, c)
			out := map[string]selection.MaterialRow{}
			for _, m := range ms {
				out[m.Kind] = m
			}
			return out
		}
		st := state()
		if !st["profile"].Late || !st["forms"].Late || st["photos"].Late || st["photos"].Due != "2026-07-20" {
			t.Errorf("before any: %+v", st)
		}
		if err := w.sel.SubmitMaterial(w.Ctx, w.ZNBureau, c.ID, testworld.ZN, "photos", "图片12张"); err != nil {
			t.Fatal(err)
		}
		testworld.WantField(t, "twice", w.sel.SubmitMaterial(w.Ctx, w.ZNBureau, c.ID, testworld.ZN, "photos", ""), "kind", "sel.err_material_twice")
		testworld.WantField(t, "bad kind", w.sel.SubmitMaterial(w.Ctx, w.ZNBureau, c.ID, testworld.ZN, "video", ""), "kind", "err.choice")
		if err := w.sel.SubmitMaterial(w.Ctx, w.ZNBureau, c.ID, testworld.ZN, "forms", ""); err != nil {
			t.Fatal(err)
		}
		st = state()
		if st["photos"].Late || st["photos"].SubmittedOn != "2026-06-15" || !st["forms"].Late || st["forms"].SubmittedOn == "" {
			t.Errorf("after: %+v", st)
		}
	})
}

// R44: a list on notice for five working days takes objections, which the
// bureau answers; it can be confirmed only after the notice ends, and those
// who go on move to the next round.
func TestNoticeObjectionsConfirm(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		c, _ := w.campaign()
		for _, adv := range []*counsel.Advisor{w.ZA1, w.ZA3} {
			if _, err := w.sel.AddCandidate(w.Ctx, w.ZNBureau, c.ID, selection.CandidateInput{Stage: selection.StageDistrict, AdvisorID: adv.ID}); err != nil {
				t.Fatal(err)
			}
		}
		testworld.WantField(t, "objection before the notice", w.sel.Object(w.Ctx, c.ID, selection.StageDistrict, 0, "名单中有人不符合条件，请核实。", "", "10.5.5.5"), "body", "sel.err_no_notice")
		testworld.WantCode(t, "county bureau posts the city's list", func() error {
			_, err := w.sel.PublishList(w.Ctx, w.ZNBureau, c.ID, selection.StageDistrict, "")
			return err
		}(), counsel.CodeForbidden)
		l, err := w.sel.PublishList(w.Ctx, w.City, c.ID, selection.StageDistrict, "")
		if err != nil {
			t.Fatal(err)
		}
		want, _ := selection.NoticePeriod(w.sel.Cal, "2026-06-15", 5)
		if l.Notice != want || l.Notice.End <= "2026-06-19" {
			t.Fatalf("notice = %+v, want %+v", l.Notice, want)
		}
		testworld.WantField(t, "too short", w.sel.Object(w.Ctx, c.ID, selection.StageDistrict, 0, "不对", "", "10.5.5.5"), "body", "sel.err_objection")
		if err := w.sel.Object(w.Ctx, c.ID, selection.StageDistrict, 0, "名单中有人不符合条件，请核实。", "13800007777", "10.5.5.5"); err != nil {
			t.Fatal(err)
		}
		os, _ := w.sel.Objections(w.Ctx, c.ID, selection.StageDistrict)
		if len(os) != 1 || os[0].Contact != "13800007777" {
			t.Fatalf("objections %+v", os)
		}
		if err := w.sel.AnswerObjection(w.Ctx, w.City, c.ID, os[0].ID, "经核实，两人均符合评选条件。"); err != nil {
			t.Fatal(err)
		}
		testworld.WantField(t, "answer twice", w.sel.AnswerObjection(w.Ctx, w.City, c.ID, os[0].ID, "再次答复内容"), "answer", "sel.err_answered")
		testworld.WantField(t, "confirm during the notice", w.sel.ConfirmList(w.Ctx, w.City, c.ID, selection.StageDistrict), "stage", "sel.err_notice_running")
		// The day after the notice ends.
		end, _ := time.ParseInLocation("2006-01-02", l.Notice.NextOpens, cst)
		w.Now = end.Add(9 * time.Hour)
		testworld.WantField(t, "objection after the notice", w.sel.Object(w.Ctx, c.ID, selection.StageDistrict, 0, "名单中有人不符合条件，请核实。", "", "10.5.5.6"), "body", "sel.err_no_notice")
		if err := w.sel.ConfirmList(w.Ctx, w.City, c.ID, selection.StageDistrict); err != nil {
			t.Fatal(err)
		}
		ks, _ := selection.Candidates(w.Ctx, w.DB, c.ID, selection.StageCity)
		goes := 0
		for _, r := range l.Rows {
			if r.GoesOn {
				goes++
			}
		}
		if goes == 0 || len(ks) != goes {
			t.Errorf("%d went on, %d city candidates", goes, len(ks))
		}
		testworld.WantCode(t, "confirm twice", w.sel.ConfirmList(w.Ctx, w.City, c.ID, selection.StageDistrict), counsel.CodeConflict)
	})
}

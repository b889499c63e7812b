package major_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/major"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// mjAccounts are the accounts that receive major-report notifications.
type mjAccounts struct {
	judicial, county, city, jh, advisor *counsel.Actor
}

// mjUsers creates accounts for the world's judicial office, bureaus and
// advisor za1 (straight in the store: the password hash does not matter) and
// returns actors carrying their ids.
func (w *svcWorld) mjUsers() mjAccounts {
	w.T.Helper()
	return mjAccounts{
		judicial: w.Account(w.Judicial, counsel.User{Username: "mj-judicial", Role: counsel.RoleJudicial, RegionCode: testworld.Shanhe}),
		county:   w.Account(w.ZNBureau, counsel.User{Username: "mj-county", Role: counsel.RoleBureau, RegionCode: testworld.ZN}),
		city:     w.Account(w.City, counsel.User{Username: "mj-city", Role: counsel.RoleBureau, RegionCode: testworld.ZNCity}),
		jh:       w.Account(w.JHBureau, counsel.User{Username: "mj-jh", Role: counsel.RoleBureau, RegionCode: testworld.JH}),
		advisor:  w.Account(w.Advisor, counsel.User{Username: "mj-advisor", Role: counsel.RoleAdvisor, AdvisorID: w.ZA1.ID}),
	}
}

// mjInput is a valid report of 东关村 by za1.
func mjInput() *counsel.MajorReport {
	return &counsel.MajorReport{VillageCode: testworld.Dongguan, Category: counsel.MajorCollectiveSuit, Title: "30余户村民拟集体上访",
		Facts: "因征地补偿款分配问题，30余户村民拟于下周赴县集体上访。", OccurredOn: "2026-06-14", People: 32, Suggestion: "建议司法所牵头召开协调会"}
}

func (w *svcWorld) mjSubmit(a *counsel.Actor, m *counsel.MajorReport) *counsel.MajorReport {
	w.T.Helper()
	got, err := w.mj.SubmitMajorReport(w.Ctx, a, m)
	if err != nil {
		w.T.Fatalf("submit %+v: %v", m, err)
	}
	return got
}

func TestMajorFlow(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.mjUsers()
		m := w.mjSubmit(u.advisor, mjInput())
		if m.Status != counsel.MajorSubmitted || m.Level != counsel.MajorLevelTown || m.AdvisorID != w.ZA1.ID || m.ProviderID != w.ZP1.ID ||
			m.AckHours != 24 || m.AckDueAt != testworld.Day.Add(24*time.Hour).UnixMilli() || m.Overdue || m.VillageName != "东关村委会" {
			t.Fatalf("submitted report = %+v", m)
		}
		link := "/major/" + mjItoa(m.ID)
		// The town's judicial office and the county bureau are told; the
		// city and the other county are not.
		for _, who := range []*counsel.Actor{u.judicial, u.county} {
			ns := w.Notes(who, "major_report")
			if len(ns) != 1 || ns[0].Link != link || !strings.Contains(ns[0].Title, "30余户村民拟集体上访") || !strings.Contains(ns[0].Title, "集体诉讼或上访") {
				t.Errorf("%s notifications %+v, want one about the report", who.Username, ns)
			}
		}
		for _, who := range []*counsel.Actor{u.city, u.jh} {
			if ns := w.Notes(who, "major_report"); len(ns) != 0 {
				t.Errorf("%s was told: %+v", who.Username, ns)
			}
		}

		// Who reads it: the area's regional roles, the village, the provider,
		// the advisor; never another county, another village or advisor.
		for _, a := range []*counsel.Actor{w.Admin, w.ZNBureau, w.City, w.Judicial, w.Village, w.Provider, u.advisor} {
			if _, err := w.mj.MajorReport(w.Ctx, a, m.ID); err != nil {
				t.Errorf("%s cannot read the report: %v", a.Username, err)
			}
			l, err := w.mj.MajorReports(w.Ctx, a, major.Filter{})
			if err != nil || l.Total != 1 {
				t.Errorf("%s list: %d, %v, want 1", a.Username, l.Total, err)
			}
		}
		otherVillage := &counsel.Actor{Username: "xiguan", Role: counsel.RoleVillage, RegionCode: testworld.Xiguan}
		otherAdvisor := &counsel.Actor{Username: "za2", Role: counsel.RoleAdvisor, AdvisorID: w.ZA2.ID}
		otherProvider := &counsel.Actor{Username: "zp2", Role: counsel.RoleProvider, ProviderID: w.ZP2.ID}
		for _, a := range []*counsel.Actor{w.JHBureau, otherVillage, otherAdvisor, otherProvider} {
			_, err := w.mj.MajorReport(w.Ctx, a, m.ID)
			testworld.WantCode(t, a.Username+" reads the report", err, counsel.CodeNotFound)
			_, err = w.mj.MajorEvents(w.Ctx, a, m.ID)
			testworld.WantCode(t, a.Username+" reads the timeline", err, counsel.CodeNotFound)
			if l, err := w.mj.MajorReports(w.Ctx, a, major.Filter{}); err != nil || l.Total != 0 {
				t.Errorf("%s list: %d, %v, want none", a.Username, l.Total, err)
			}
		}

		// Wrong roles change nothing.
		before := w.Counts()
		for _, a := range []*counsel.Actor{w.City, w.Village, w.Provider, u.advisor} {
			_, err := w.mj.AcknowledgeMajorReport(w.Ctx, a, m.ID, "")
			testworld.WantCode(t, a.Username+" acknowledges", err, counsel.CodeForbidden)
		}
		_, err := w.mj.AcknowledgeMajorReport(w.Ctx, w.JHBureau, m.ID, "")
		testworld.WantCode(t, "other county acknowledges", err, counsel.CodeNotFound)
		for _, a := range []*counsel.Actor{w.Judicial, w.ZNBureau, w.City, w.Village, w.Provider, w.JHBureau} {
			_, err := w.mj.SubmitMajorReport(w.Ctx, a, mjInput())
			testworld.WantCode(t, a.Username+" submits", err, counsel.CodeForbidden)
		}
		// Steps out of order are refused.
		_, err = w.mj.FollowUpMajorReport(w.Ctx, w.Judicial, m.ID, "已约谈")
		testworld.WantCode(t, "follow-up before acknowledgement", err, counsel.CodeConflict)
		_, err = w.mj.CloseMajorReport(w.Ctx, w.Judicial, m.ID, "已化解")
		testworld.WantCode(t, "close before acknowledgement", err, counsel.CodeConflict)
		w.SameCounts("refused steps", before, w.Counts())

		// The judicial office acknowledges; the advisor hears of it.
		w.Now = testworld.Day.Add(2 * time.Hour)
		m, err = w.mj.AcknowledgeMajorReport(w.Ctx, u.judicial, m.ID, "已收到，马上核实")
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != counsel.MajorAcknowledged || m.AcknowledgedBy != u.judicial.UserID || m.AcknowledgedAt != w.Now.UnixMilli() {
			t.Fatalf("acknowledged = %+v", m)
		}
		if ns := w.Notes(u.advisor, "major_report"); len(ns) != 1 || ns[0].Link != link {
			t.Errorf("advisor notifications %+v, want one", ns)
		}
		_, err = w.mj.AcknowledgeMajorReport(w.Ctx, w.ZNBureau, m.ID, "")
		testworld.WantCode(t, "second acknowledgement", err, counsel.CodeConflict)

		// A follow-up needs a note; bad input writes nothing.
		before = w.Counts()
		_, err = w.mj.FollowUpMajorReport(w.Ctx, w.Judicial, m.ID, "   ")
		testworld.WantField(t, "empty follow-up", err, "note", "err.required")
		_, err = w.mj.FollowUpMajorReport(w.Ctx, w.Judicial, m.ID, strings.Repeat("长", counsel.MaxMajorNote+1))
		testworld.WantField(t, "long follow-up", err, "note", "err.too_long")
		_, err = w.mj.CloseMajorReport(w.Ctx, w.Judicial, m.ID, "")
		testworld.WantField(t, "close without outcome", err, "note", "err.required")
		w.SameCounts("bad input", before, w.Counts())

		// Follow-ups repeat, by the office or the county bureau.
		for i, a := range []*counsel.Actor{w.Judicial, u.county} {
			w.Now = w.Now.Add(time.Hour)
			if m, err = w.mj.FollowUpMajorReport(w.Ctx, a, m.ID, "召开协调会"); err != nil {
				t.Fatal(err)
			}
			if m.Status != counsel.MajorFollowedUp || m.FollowUps != i+1 {
				t.Fatalf("after follow-up %d: %+v", i+1, m)
			}
		}
		w.Now = w.Now.Add(time.Hour)
		if m, err = w.mj.CloseMajorReport(w.Ctx, u.county, m.ID, "补偿款已按方案发放，村民撤回上访"); err != nil {
			t.Fatal(err)
		}
		if m.Status != counsel.MajorClosed || m.Outcome != "补偿款已按方案发放，村民撤回上访" || m.ClosedBy != u.county.UserID {
			t.Fatalf("closed = %+v", m)
		}
		_, err = w.mj.FollowUpMajorReport(w.Ctx, w.Judicial, m.ID, "再次回访")
		testworld.WantCode(t, "follow-up after close", err, counsel.CodeConflict)

		evs, err := w.mj.MajorEvents(w.Ctx, w.Village, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range evs {
			kinds = append(kinds, e.Kind)
		}
		if got, want := strings.Join(kinds, " "), "submitted acknowledged followed_up followed_up closed"; got != want {
			t.Errorf("timeline %q, want %q", got, want)
		}
		if evs[1].UserName != "mj-judicial" || evs[1].Note != "已收到，马上核实" || evs[4].UserID != u.county.UserID {
			t.Errorf("timeline details %+v", evs)
		}
		// The advisor heard of each step: acknowledged, two follow-ups, closed.
		if ns := w.Notes(u.advisor, "major_report"); len(ns) != 4 {
			t.Errorf("advisor notifications: %d, want 4", len(ns))
		}
		// Every change is in the audit log.
		l, err := account.NewService(w.Svc).Audit(w.Ctx, w.Admin, counsel.Filter{Page: counsel.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range l.Items {
			if e.Entity == "major_report" && e.EntityID == mjItoa(m.ID) {
				actions[e.Action]++
				if e.Scope != testworld.Dongguan {
					t.Errorf("audit scope %q, want %s", e.Scope, testworld.Dongguan)
				}
			}
		}
		if actions["create"] != 1 || actions["acknowledged"] != 1 || actions["followed_up"] != 2 || actions["closed"] != 1 {
			t.Errorf("audit actions %v", actions)
		}
	})
}

func TestMajorSubmitRefusals(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.mjUsers()
		before := w.Counts()
		cases := []struct {
			name, field, key string
			edit             func(m *counsel.MajorReport)
		}{
			{"no category", "category", "major.err_category", func(m *counsel.MajorReport) { m.Category = "" }},
			{"unknown category", "category", "major.err_category", func(m *counsel.MajorReport) { m.Category = "riot" }},
			{"no title", "title", "err.required", func(m *counsel.MajorReport) { m.Title = " " }},
			{"long title", "title", "err.too_long", func(m *counsel.MajorReport) { m.Title = strings.Repeat("长", counsel.MaxMajorTitle+1) }},
			{"no facts", "facts", "err.required", func(m *counsel.MajorReport) { m.Facts = "" }},
			{"bad date", "occurred_on", "err.date", func(m *counsel.MajorReport) { m.OccurredOn = "2026-02-30" }},
			{"future date", "occurred_on", "major.err_future", func(m *counsel.MajorReport) { m.OccurredOn = "2026-06-16" }},
			{"negative people", "people", "err.range", func(m *counsel.MajorReport) { m.People = -1 }},
			{"a town", "village_code", "err.need_village", func(m *counsel.MajorReport) { m.VillageCode = testworld.Shanhe }},
			{"a village not served", "village_code", "major.err_not_served", func(m *counsel.MajorReport) { m.VillageCode = testworld.Xiguan }},
			{"another county's village", "village_code", "major.err_not_served", func(m *counsel.MajorReport) { m.VillageCode = testworld.Tiancheng }},
		}
		for _, c := range cases {
			m := mjInput()
			c.edit(m)
			_, err := w.mj.SubmitMajorReport(w.Ctx, u.advisor, m)
			testworld.WantField(t, c.name, err, c.field, c.key)
		}
		_, err := w.mj.SubmitMajorReport(w.Ctx, w.Admin, mjInput())
		testworld.WantField(t, "admin without advisor", err, "advisor_id", "err.required")
		w.SameCounts("refused submissions", before, w.Counts())

		// The administrator reports for an advisor; za3 does not serve 东关村.
		m := mjInput()
		m.AdvisorID = w.ZA3.ID
		_, err = w.mj.SubmitMajorReport(w.Ctx, w.Admin, m)
		testworld.WantField(t, "admin for an advisor not serving", err, "village_code", "major.err_not_served")
		m = mjInput()
		m.AdvisorID = w.ZA1.ID
		if got := w.mjSubmit(w.Admin, m); got.AdvisorID != w.ZA1.ID || got.ProviderID != w.ZP1.ID {
			t.Errorf("admin's report = %+v", got)
		}

		// A retried submission with the same client key returns the first.
		m1 := mjInput()
		m1.ClientKey = "phone-7f3a"
		first := w.mjSubmit(u.advisor, m1)
		n := w.Counts()["major_reports"]
		m2 := mjInput()
		m2.ClientKey = "phone-7f3a"
		again := w.mjSubmit(u.advisor, m2)
		if again.ID != first.ID || w.Counts()["major_reports"] != n {
			t.Errorf("retry made report %d (first %d), rows %d → %d", again.ID, first.ID, n, w.Counts()["major_reports"])
		}
	})
}

func mjItoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestMajorMasksPrivateNumbers: phone and ID numbers typed into a report
// show whole to those who handle it and masked to the city bureau and the
// provider manager (Q4).
func TestMajorMasksPrivateNumbers(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.mjUsers()
		in := mjInput()
		in.Facts = "带头人张某，电话13912345678,13812345678，身份证620321198001011234，门牌12号"
		m := w.mjSubmit(u.advisor, in)
		for _, a := range []*counsel.Actor{w.Judicial, w.ZNBureau, w.Village, u.advisor} {
			got, err := w.mj.MajorReport(w.Ctx, a, m.ID)
			if err != nil || got.Facts != in.Facts {
				t.Errorf("%s sees %q (%v), want the whole text", a.Username, got.Facts, err)
			}
		}
		want := "带头人张某，电话139****5678,138****5678，身份证620321********1234，门牌12号"
		for _, a := range []*counsel.Actor{w.City, w.Provider} {
			got, err := w.mj.MajorReport(w.Ctx, a, m.ID)
			if err != nil || got.Facts != want {
				t.Errorf("%s sees %q (%v), want %q", a.Username, got.Facts, err, want)
			}
			l, err := w.mj.MajorReports(w.Ctx, a, major.Filter{})
			if err != nil || len(l.Items) != 1 || l.Items[0].Facts != want {
				t.Errorf("%s list shows %+v (%v)", a.Username, l.Items, err)
			}
			if testworld.Mobile.MatchString(l.Items[0].Facts) {
				t.Errorf("%s list shows a whole mobile number", a.Username)
			}
		}
	})
}

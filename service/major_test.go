package service_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel/internal/notify"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// mjAccounts are the accounts that receive major-report notifications.
type mjAccounts struct {
	judicial, county, city, jh, advisor *counsel.Actor
}

// mjUsers creates accounts for the world's judicial office, bureaus and
// advisor za1 (straight in the store: the password hash does not matter) and
// returns actors carrying their ids.
func (w *svcWorld) mjUsers() mjAccounts {
	w.t.Helper()
	mk := func(base *counsel.Actor, u counsel.User) *counsel.Actor {
		u.DisplayName, u.Lang = u.Username, "zh"
		if err := w.db.WithTx(w.ctx, func(tx *store.Tx) error { return tx.CreateUser(w.ctx, &u, "x") }); err != nil {
			w.t.Fatalf("user %s: %v", u.Username, err)
		}
		a := *base
		a.UserID, a.Username = u.ID, u.Username
		return &a
	}
	return mjAccounts{
		judicial: mk(w.judicial, counsel.User{Username: "mj-judicial", Role: counsel.RoleJudicial, RegionCode: swShanhe}),
		county:   mk(w.znBureau, counsel.User{Username: "mj-county", Role: counsel.RoleBureau, RegionCode: swZN}),
		city:     mk(w.city, counsel.User{Username: "mj-city", Role: counsel.RoleBureau, RegionCode: swZNCity}),
		jh:       mk(w.jhBureau, counsel.User{Username: "mj-jh", Role: counsel.RoleBureau, RegionCode: swJH}),
		advisor:  mk(w.advisor, counsel.User{Username: "mj-advisor", Role: counsel.RoleAdvisor, AdvisorID: w.za1.ID}),
	}
}

// mjInput is a valid report of 东关村 by za1.
func mjInput() *counsel.MajorReport {
	return &counsel.MajorReport{VillageCode: swDongguan, Category: counsel.MajorCollectiveSuit, Title: "30余户村民拟集体上访",
		Facts: "因征地补偿款分配问题，30余户村民拟于下周赴县集体上访。", OccurredOn: "2026-06-14", People: 32, Suggestion: "建议司法所牵头召开协调会"}
}

func (w *svcWorld) mjSubmit(a *counsel.Actor, m *counsel.MajorReport) *counsel.MajorReport {
	w.t.Helper()
	got, err := w.svc.SubmitMajorReport(w.ctx, a, m)
	if err != nil {
		w.t.Fatalf("submit %+v: %v", m, err)
	}
	return got
}

// mjNotes returns an account's notifications of a kind.
func (w *svcWorld) mjNotes(a *counsel.Actor, kind string) []notify.Notification {
	w.t.Helper()
	ns, err := notify.NotificationsOf(w.ctx, w.db, a.UserID, 100)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []notify.Notification
	for _, n := range ns {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

func TestMajorFlow(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.mjUsers()
		m := w.mjSubmit(u.advisor, mjInput())
		if m.Status != counsel.MajorSubmitted || m.Level != counsel.MajorLevelTown || m.AdvisorID != w.za1.ID || m.ProviderID != w.zp1.ID ||
			m.AckHours != 24 || m.AckDueAt != swDay.Add(24*time.Hour).UnixMilli() || m.Overdue || m.VillageName != "东关村委会" {
			t.Fatalf("submitted report = %+v", m)
		}
		link := "/major/" + mjItoa(m.ID)
		// The town's judicial office and the county bureau are told; the
		// city and the other county are not.
		for _, who := range []*counsel.Actor{u.judicial, u.county} {
			ns := w.mjNotes(who, "major_report")
			if len(ns) != 1 || ns[0].Link != link || !strings.Contains(ns[0].Title, "30余户村民拟集体上访") || !strings.Contains(ns[0].Title, "集体诉讼或上访") {
				t.Errorf("%s notifications %+v, want one about the report", who.Username, ns)
			}
		}
		for _, who := range []*counsel.Actor{u.city, u.jh} {
			if ns := w.mjNotes(who, "major_report"); len(ns) != 0 {
				t.Errorf("%s was told: %+v", who.Username, ns)
			}
		}

		// Who reads it: the area's regional roles, the village, the provider,
		// the advisor; never another county, another village or advisor.
		for _, a := range []*counsel.Actor{w.admin, w.znBureau, w.city, w.judicial, w.village, w.provider, u.advisor} {
			if _, err := w.svc.MajorReport(w.ctx, a, m.ID); err != nil {
				t.Errorf("%s cannot read the report: %v", a.Username, err)
			}
			l, err := w.svc.MajorReports(w.ctx, a, store.MajorFilter{})
			if err != nil || l.Total != 1 {
				t.Errorf("%s list: %d, %v, want 1", a.Username, l.Total, err)
			}
		}
		otherVillage := &counsel.Actor{Username: "xiguan", Role: counsel.RoleVillage, RegionCode: swXiguan}
		otherAdvisor := &counsel.Actor{Username: "za2", Role: counsel.RoleAdvisor, AdvisorID: w.za2.ID}
		otherProvider := &counsel.Actor{Username: "zp2", Role: counsel.RoleProvider, ProviderID: w.zp2.ID}
		for _, a := range []*counsel.Actor{w.jhBureau, otherVillage, otherAdvisor, otherProvider} {
			_, err := w.svc.MajorReport(w.ctx, a, m.ID)
			swWantCode(t, a.Username+" reads the report", err, counsel.CodeNotFound)
			_, err = w.svc.MajorEvents(w.ctx, a, m.ID)
			swWantCode(t, a.Username+" reads the timeline", err, counsel.CodeNotFound)
			if l, err := w.svc.MajorReports(w.ctx, a, store.MajorFilter{}); err != nil || l.Total != 0 {
				t.Errorf("%s list: %d, %v, want none", a.Username, l.Total, err)
			}
		}

		// Wrong roles change nothing.
		before := w.counts()
		for _, a := range []*counsel.Actor{w.city, w.village, w.provider, u.advisor} {
			_, err := w.svc.AcknowledgeMajorReport(w.ctx, a, m.ID, "")
			swWantCode(t, a.Username+" acknowledges", err, counsel.CodeForbidden)
		}
		_, err := w.svc.AcknowledgeMajorReport(w.ctx, w.jhBureau, m.ID, "")
		swWantCode(t, "other county acknowledges", err, counsel.CodeNotFound)
		for _, a := range []*counsel.Actor{w.judicial, w.znBureau, w.city, w.village, w.provider, w.jhBureau} {
			_, err := w.svc.SubmitMajorReport(w.ctx, a, mjInput())
			swWantCode(t, a.Username+" submits", err, counsel.CodeForbidden)
		}
		// Steps out of order are refused.
		_, err = w.svc.FollowUpMajorReport(w.ctx, w.judicial, m.ID, "已约谈")
		swWantCode(t, "follow-up before acknowledgement", err, counsel.CodeConflict)
		_, err = w.svc.CloseMajorReport(w.ctx, w.judicial, m.ID, "已化解")
		swWantCode(t, "close before acknowledgement", err, counsel.CodeConflict)
		w.sameCounts("refused steps", before, w.counts())

		// The judicial office acknowledges; the advisor hears of it.
		w.now = swDay.Add(2 * time.Hour)
		m, err = w.svc.AcknowledgeMajorReport(w.ctx, u.judicial, m.ID, "已收到，马上核实")
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != counsel.MajorAcknowledged || m.AcknowledgedBy != u.judicial.UserID || m.AcknowledgedAt != w.now.UnixMilli() {
			t.Fatalf("acknowledged = %+v", m)
		}
		if ns := w.mjNotes(u.advisor, "major_report"); len(ns) != 1 || ns[0].Link != link {
			t.Errorf("advisor notifications %+v, want one", ns)
		}
		_, err = w.svc.AcknowledgeMajorReport(w.ctx, w.znBureau, m.ID, "")
		swWantCode(t, "second acknowledgement", err, counsel.CodeConflict)

		// A follow-up needs a note; bad input writes nothing.
		before = w.counts()
		_, err = w.svc.FollowUpMajorReport(w.ctx, w.judicial, m.ID, "   ")
		swWantField(t, "empty follow-up", err, "note", "err.required")
		_, err = w.svc.FollowUpMajorReport(w.ctx, w.judicial, m.ID, strings.Repeat("长", counsel.MaxMajorNote+1))
		swWantField(t, "long follow-up", err, "note", "err.too_long")
		_, err = w.svc.CloseMajorReport(w.ctx, w.judicial, m.ID, "")
		swWantField(t, "close without outcome", err, "note", "err.required")
		w.sameCounts("bad input", before, w.counts())

		// Follow-ups repeat, by the office or the county bureau.
		for i, a := range []*counsel.Actor{w.judicial, u.county} {
			w.now = w.now.Add(time.Hour)
			if m, err = w.svc.FollowUpMajorReport(w.ctx, a, m.ID, "召开协调会"); err != nil {
				t.Fatal(err)
			}
			if m.Status != counsel.MajorFollowedUp || m.FollowUps != i+1 {
				t.Fatalf("after follow-up %d: %+v", i+1, m)
			}
		}
		w.now = w.now.Add(time.Hour)
		if m, err = w.svc.CloseMajorReport(w.ctx, u.county, m.ID, "补偿款已按方案发放，村民撤回上访"); err != nil {
			t.Fatal(err)
		}
		if m.Status != counsel.MajorClosed || m.Outcome != "补偿款已按方案发放，村民撤回上访" || m.ClosedBy != u.county.UserID {
			t.Fatalf("closed = %+v", m)
		}
		_, err = w.svc.FollowUpMajorReport(w.ctx, w.judicial, m.ID, "再次回访")
		swWantCode(t, "follow-up after close", err, counsel.CodeConflict)

		evs, err := w.svc.MajorEvents(w.ctx, w.village, m.ID)
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
		if ns := w.mjNotes(u.advisor, "major_report"); len(ns) != 4 {
			t.Errorf("advisor notifications: %d, want 4", len(ns))
		}
		// Every change is in the audit log.
		l, err := w.svc.Audit(w.ctx, w.admin, store.Filter{Page: counsel.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range l.Items {
			if e.Entity == "major_report" && e.EntityID == mjItoa(m.ID) {
				actions[e.Action]++
				if e.Scope != swDongguan {
					t.Errorf("audit scope %q, want %s", e.Scope, swDongguan)
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
		before := w.counts()
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
			{"a town", "village_code", "err.need_village", func(m *counsel.MajorReport) { m.VillageCode = swShanhe }},
			{"a village not served", "village_code", "major.err_not_served", func(m *counsel.MajorReport) { m.VillageCode = swXiguan }},
			{"another county's village", "village_code", "major.err_not_served", func(m *counsel.MajorReport) { m.VillageCode = swTiancheng }},
		}
		for _, c := range cases {
			m := mjInput()
			c.edit(m)
			_, err := w.svc.SubmitMajorReport(w.ctx, u.advisor, m)
			swWantField(t, c.name, err, c.field, c.key)
		}
		_, err := w.svc.SubmitMajorReport(w.ctx, w.admin, mjInput())
		swWantField(t, "admin without advisor", err, "advisor_id", "err.required")
		w.sameCounts("refused submissions", before, w.counts())

		// The administrator reports for an advisor; za3 does not serve 东关村.
		m := mjInput()
		m.AdvisorID = w.za3.ID
		_, err = w.svc.SubmitMajorReport(w.ctx, w.admin, m)
		swWantField(t, "admin for an advisor not serving", err, "village_code", "major.err_not_served")
		m = mjInput()
		m.AdvisorID = w.za1.ID
		if got := w.mjSubmit(w.admin, m); got.AdvisorID != w.za1.ID || got.ProviderID != w.zp1.ID {
			t.Errorf("admin's report = %+v", got)
		}

		// A retried submission with the same client key returns the first.
		m1 := mjInput()
		m1.ClientKey = "phone-7f3a"
		first := w.mjSubmit(u.advisor, m1)
		n := w.counts()["major_reports"]
		m2 := mjInput()
		m2.ClientKey = "phone-7f3a"
		again := w.mjSubmit(u.advisor, m2)
		if again.ID != first.ID || w.counts()["major_reports"] != n {
			t.Errorf("retry made report %d (first %d), rows %d → %d", again.ID, first.ID, n, w.counts()["major_reports"])
		}
	})
}

func TestMajorEscalation(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.mjUsers()
		m := w.mjSubmit(u.advisor, mjInput())
		quiet := w.mjSubmit(u.advisor, mjInput())
		escalate := func(after time.Duration, want int) {
			t.Helper()
			w.now = swDay.Add(after)
			n, err := w.svc.EscalateMajorReports(w.ctx, w.now)
			if err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Errorf("escalate at +%v: %d raised, want %d", after, n, want)
			}
		}
		level := func() *counsel.MajorReport {
			t.Helper()
			got, err := w.svc.MajorReport(w.ctx, w.znBureau, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		// The other report is acknowledged in time and never escalates.
		w.now = swDay.Add(23 * time.Hour)
		if _, err := w.svc.AcknowledgeMajorReport(w.ctx, w.judicial, quiet.ID, ""); err != nil {
			t.Fatal(err)
		}

		escalate(23*time.Hour+59*time.Minute, 0)
		if got := level(); got.Level != 0 || got.Overdue {
			t.Errorf("before the deadline: level %d overdue %v", got.Level, got.Overdue)
		}
		escalate(24*time.Hour, 1)
		got := level()
		if got.Level != counsel.MajorLevelCounty || !got.Overdue || got.EscalatedAt != w.now.UnixMilli() {
			t.Errorf("after 24 h: %+v, want level 1, overdue", got)
		}
		if ns := w.mjNotes(u.county, "major_overdue"); len(ns) != 1 || ns[0].Link != "/major/"+mjItoa(m.ID) || !strings.Contains(ns[0].Title, "区县司法局") {
			t.Errorf("county overdue notifications %+v", ns)
		}
		if ns := w.mjNotes(u.city, "major_overdue"); len(ns) != 0 {
			t.Errorf("city told too early: %+v", ns)
		}
		// The overdue filter and count see it, in scope only.
		l, err := w.svc.MajorReports(w.ctx, w.judicial, store.MajorFilter{Overdue: true})
		if err != nil || l.Total != 1 || l.Items[0].ID != m.ID || !l.Items[0].Overdue {
			t.Errorf("overdue list %+v %v", l, err)
		}
		if n, err := w.svc.MajorOverdueCount(w.ctx, w.jhBureau); err != nil || n != 0 {
			t.Errorf("other county's overdue count %d %v", n, err)
		}

		// Idempotent: running again at the same or a later time within the
		// period changes nothing.
		before := w.counts()
		escalate(24*time.Hour, 0)
		escalate(47*time.Hour, 0)
		w.sameCounts("second run", before, w.counts())

		escalate(48*time.Hour, 1)
		if got := level(); got.Level != counsel.MajorLevelCity {
			t.Errorf("after 48 h: level %d, want 2", got.Level)
		}
		if ns := w.mjNotes(u.city, "major_overdue"); len(ns) != 1 || !strings.Contains(ns[0].Title, "市司法局") {
			t.Errorf("city overdue notifications %+v", ns)
		}
		before = w.counts()
		escalate(200*time.Hour, 0)
		w.sameCounts("above the city", before, w.counts())

		evs, err := w.svc.MajorEvents(w.ctx, w.admin, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		var lv []int
		for _, e := range evs {
			if e.Kind == counsel.MajorEscalated {
				lv = append(lv, e.Level)
			}
		}
		if len(lv) != 2 || lv[0] != 1 || lv[1] != 2 {
			t.Errorf("escalation events at levels %v, want [1 2]", lv)
		}

		// Acknowledgement ends the overdue state; the county bureau may
		// acknowledge an escalated report.
		if _, err := w.svc.AcknowledgeMajorReport(w.ctx, u.county, m.ID, "已督办"); err != nil {
			t.Fatal(err)
		}
		if got := level(); got.Overdue {
			t.Error("acknowledged report still overdue")
		}
		if n, _ := w.svc.MajorOverdueCount(w.ctx, w.znBureau); n != 0 {
			t.Errorf("overdue count %d after acknowledgement", n)
		}

		// A report left three days before the job first runs goes straight
		// to the city, telling the county and the city once each.
		w.now = swDay.Add(300 * time.Hour)
		late := w.mjSubmit(u.advisor, mjInput())
		w.now = w.now.Add(72 * time.Hour)
		n, err := w.svc.EscalateMajorReports(w.ctx, w.now)
		if err != nil || n != 1 {
			t.Fatalf("late report: %d raised, %v", n, err)
		}
		got, _ = w.svc.MajorReport(w.ctx, w.admin, late.ID)
		if got.Level != counsel.MajorLevelCity {
			t.Errorf("late report level %d, want 2", got.Level)
		}
		if len(w.mjNotes(u.county, "major_overdue")) != 2 || len(w.mjNotes(u.city, "major_overdue")) != 2 {
			t.Errorf("late report notifications: county %d, city %d, want 2 each", len(w.mjNotes(u.county, "major_overdue")), len(w.mjNotes(u.city, "major_overdue")))
		}
	})
}

func TestMajorDeadlineSetting(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.mjUsers()
		d, err := w.svc.MajorDeadlineOf(w.ctx, w.judicial, "")
		if err != nil || d.AckHours != 24 || d.Set || d.Region != swZN {
			t.Fatalf("default deadline %+v %v", d, err)
		}
		before := w.counts()
		swWantCode(t, "city sets", w.svc.SaveMajorDeadline(w.ctx, w.city, swZN, 48), counsel.CodeForbidden)
		swWantCode(t, "judicial sets", w.svc.SaveMajorDeadline(w.ctx, w.judicial, swZN, 48), counsel.CodeForbidden)
		swWantCode(t, "advisor sets", w.svc.SaveMajorDeadline(w.ctx, w.advisor, swZN, 48), counsel.CodeForbidden)
		swWantOutOfScope(t, "other county sets", w.svc.SaveMajorDeadline(w.ctx, w.jhBureau, swZN, 48), "region")
		swWantField(t, "zero hours", w.svc.SaveMajorDeadline(w.ctx, w.znBureau, swZN, 0), "ack_hours", "err.range")
		swWantField(t, "too many hours", w.svc.SaveMajorDeadline(w.ctx, w.znBureau, swZN, 721), "ack_hours", "err.range")
		swWantField(t, "admin, a town", w.svc.SaveMajorDeadline(w.ctx, w.admin, swShanhe, 48), "region", "err.county_code")
		w.sameCounts("refused settings", before, w.counts())
		_, err = w.svc.MajorDeadlineOf(w.ctx, w.jhBureau, swZN)
		swWantCode(t, "other county reads", err, counsel.CodeNotFound)

		if err := w.svc.SaveMajorDeadline(w.ctx, w.znBureau, swZN, 48); err != nil {
			t.Fatal(err)
		}
		if d, err = w.svc.MajorDeadlineOf(w.ctx, w.village, ""); err != nil || d.AckHours != 48 || !d.Set {
			t.Errorf("village reads %+v %v, want 48", d, err)
		}
		// Another county keeps the default.
		if d, err = w.svc.MajorDeadlineOf(w.ctx, w.jhBureau, ""); err != nil || d.AckHours != 24 {
			t.Errorf("镜湖区 deadline %+v %v, want 24", d, err)
		}
		m := w.mjSubmit(u.advisor, mjInput())
		if m.AckHours != 48 || m.AckDueAt != swDay.Add(48*time.Hour).UnixMilli() {
			t.Errorf("report deadline %d h, due %d", m.AckHours, m.AckDueAt)
		}
		for _, c := range []struct {
			after time.Duration
			want  int
		}{{24 * time.Hour, 0}, {48 * time.Hour, 1}} {
			n, err := w.svc.EscalateMajorReports(w.ctx, swDay.Add(c.after))
			if err != nil || n != c.want {
				t.Errorf("escalate at +%v: %d %v, want %d", c.after, n, err, c.want)
			}
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
		for _, a := range []*counsel.Actor{w.judicial, w.znBureau, w.village, u.advisor} {
			got, err := w.svc.MajorReport(w.ctx, a, m.ID)
			if err != nil || got.Facts != in.Facts {
				t.Errorf("%s sees %q (%v), want the whole text", a.Username, got.Facts, err)
			}
		}
		want := "带头人张某，电话139****5678,138****5678，身份证620321********1234，门牌12号"
		for _, a := range []*counsel.Actor{w.city, w.provider} {
			got, err := w.svc.MajorReport(w.ctx, a, m.ID)
			if err != nil || got.Facts != want {
				t.Errorf("%s sees %q (%v), want %q", a.Username, got.Facts, err, want)
			}
			l, err := w.svc.MajorReports(w.ctx, a, store.MajorFilter{})
			if err != nil || len(l.Items) != 1 || l.Items[0].Facts != want {
				t.Errorf("%s list shows %+v (%v)", a.Username, l.Items, err)
			}
			if swMobile.MatchString(l.Items[0].Facts) {
				t.Errorf("%s list shows a whole mobile number", a.Username)
			}
		}
	})
}

// An escalation reaches the robot channels of the level it reached: the
// county's WeCom group hears once of a report escalated to the county.
func TestMajorEscalationOutbox(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.mjUsers()
		w.obChannel(w.znBureau, notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "正宁县法律顾问群", URL: obWeComURL, Enabled: true})
		m := w.mjSubmit(u.advisor, mjInput())
		for i := 0; i < 2; i++ { // the job runs again: no second message
			w.now = swDay.Add(25 * time.Hour)
			if _, err := w.svc.EscalateMajorReports(w.ctx, w.now); err != nil {
				t.Fatal(err)
			}
		}
		ms, _, err := notify.OutboxMessages(w.ctx, w.db, notify.OutboxFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var got []notify.OutboxMessage
		for _, x := range ms {
			if x.Event == notify.EventMajorEscalation {
				got = append(got, x)
			}
		}
		if len(got) != 1 || got[0].ChannelKind != notify.ChannelWeCom || got[0].Link != "/major/"+strconv.FormatInt(m.ID, 10) ||
			!strings.Contains(got[0].Body, m.Title) {
			t.Fatalf("outbox after escalation to the county: %+v, want one WeCom message about report %d", got, m.ID)
		}
	})
}

package major_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/major"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/testworld"
)

func TestMajorEscalation(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.mjUsers()
		m := w.mjSubmit(u.advisor, mjInput())
		quiet := w.mjSubmit(u.advisor, mjInput())
		escalate := func(after time.Duration, want int) {
			t.Helper()
			w.Now = testworld.Day.Add(after)
			n, err := w.mj.EscalateMajorReports(w.Ctx, w.Now)
			if err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Errorf("escalate at +%v: %d raised, want %d", after, n, want)
			}
		}
		level := func() *counsel.MajorReport {
			t.Helper()
			got, err := w.mj.MajorReport(w.Ctx, w.ZNBureau, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		// The other report is acknowledged in time and never escalates.
		w.Now = testworld.Day.Add(23 * time.Hour)
		if _, err := w.mj.AcknowledgeMajorReport(w.Ctx, w.Judicial, quiet.ID, ""); err != nil {
			t.Fatal(err)
		}

		escalate(23*time.Hour+59*time.Minute, 0)
		if got := level(); got.Level != 0 || got.Overdue {
			t.Errorf("before the deadline: level %d overdue %v", got.Level, got.Overdue)
		}
		escalate(24*time.Hour, 1)
		got := level()
		if got.Level != counsel.MajorLevelCounty || !got.Overdue || got.EscalatedAt != w.Now.UnixMilli() {
			t.Errorf("after 24 h: %+v, want level 1, overdue", got)
		}
		if ns := w.Notes(u.county, "major_overdue"); len(ns) != 1 || ns[0].Link != "/major/"+mjItoa(m.ID) || !strings.Contains(ns[0].Title, "区县司法局") {
			t.Errorf("county overdue notifications %+v", ns)
		}
		if ns := w.Notes(u.city, "major_overdue"); len(ns) != 0 {
			t.Errorf("city told too early: %+v", ns)
		}
		// The overdue filter and count see it, in scope only.
		l, err := w.mj.MajorReports(w.Ctx, w.Judicial, major.Filter{Overdue: true})
		if err != nil || l.Total != 1 || l.Items[0].ID != m.ID || !l.Items[0].Overdue {
			t.Errorf("overdue list %+v %v", l, err)
		}
		if n, err := w.mj.MajorOverdueCount(w.Ctx, w.JHBureau); err != nil || n != 0 {
			t.Errorf("other county's overdue count %d %v", n, err)
		}

		// Idempotent: running again at the same or a later time within the
		// period changes nothing.
		before := w.Counts()
		escalate(24*time.Hour, 0)
		escalate(47*time.Hour, 0)
		w.SameCounts("second run", before, w.Counts())

		escalate(48*time.Hour, 1)
		if got := level(); got.Level != counsel.MajorLevelCity {
			t.Errorf("after 48 h: level %d, want 2", got.Level)
		}
		if ns := w.Notes(u.city, "major_overdue"); len(ns) != 1 || !strings.Contains(ns[0].Title, "市司法局") {
			t.Errorf("city overdue notifications %+v", ns)
		}
		before = w.Counts()
		escalate(200*time.Hour, 0)
		w.SameCounts("above the city", before, w.Counts())

		evs, err := w.mj.MajorEvents(w.Ctx, w.Admin, m.ID)
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
		if _, err := w.mj.AcknowledgeMajorReport(w.Ctx, u.county, m.ID, "已督办"); err != nil {
			t.Fatal(err)
		}
		if got := level(); got.Overdue {
			t.Error("acknowledged report still overdue")
		}
		if n, _ := w.mj.MajorOverdueCount(w.Ctx, w.ZNBureau); n != 0 {
			t.Errorf("overdue count %d after acknowledgement", n)
		}

		// A report left three days before the job first runs goes straight
		// to the city, telling the county and the city once each.
		w.Now = testworld.Day.Add(300 * time.Hour)
		late := w.mjSubmit(u.advisor, mjInput())
		w.Now = w.Now.Add(72 * time.Hour)
		n, err := w.mj.EscalateMajorReports(w.Ctx, w.Now)
		if err != nil || n != 1 {
			t.Fatalf("late report: %d raised, %v", n, err)
		}
		got, _ = w.mj.MajorReport(w.Ctx, w.Admin, late.ID)
		if got.Level != counsel.MajorLevelCity {
			t.Errorf("late report level %d, want 2", got.Level)
		}
		if len(w.Notes(u.county, "major_overdue")) != 2 || len(w.Notes(u.city, "major_overdue")) != 2 {
			t.Errorf("late report notifications: county %d, city %d, want 2 each", len(w.Notes(u.county, "major_overdue")), len(w.Notes(u.city, "major_overdue")))
		}
	})
}

func TestMajorDeadlineSetting(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.mjUsers()
		d, err := w.mj.MajorDeadlineOf(w.Ctx, w.Judicial, "")
		if err != nil || d.AckHours != 24 || d.Set || d.Region != testworld.ZN {
			t.Fatalf("default deadline %+v %v", d, err)
		}
		before := w.Counts()
		testworld.WantCode(t, "city sets", w.mj.SaveMajorDeadline(w.Ctx, w.City, testworld.ZN, 48), counsel.CodeForbidden)
		testworld.WantCode(t, "judicial sets", w.mj.SaveMajorDeadline(w.Ctx, w.Judicial, testworld.ZN, 48), counsel.CodeForbidden)
		testworld.WantCode(t, "advisor sets", w.mj.SaveMajorDeadline(w.Ctx, w.Advisor, testworld.ZN, 48), counsel.CodeForbidden)
		testworld.WantOutOfScope(t, "other county sets", w.mj.SaveMajorDeadline(w.Ctx, w.JHBureau, testworld.ZN, 48), "region")
		testworld.WantField(t, "zero hours", w.mj.SaveMajorDeadline(w.Ctx, w.ZNBureau, testworld.ZN, 0), "ack_hours", "err.range")
		testworld.WantField(t, "too many hours", w.mj.SaveMajorDeadline(w.Ctx, w.ZNBureau, testworld.ZN, 721), "ack_hours", "err.range")
		testworld.WantField(t, "admin, a town", w.mj.SaveMajorDeadline(w.Ctx, w.Admin, testworld.Shanhe, 48), "region", "err.county_code")
		w.SameCounts("refused settings", before, w.Counts())
		_, err = w.mj.MajorDeadlineOf(w.Ctx, w.JHBureau, testworld.ZN)
		testworld.WantCode(t, "other county reads", err, counsel.CodeNotFound)

		if err := w.mj.SaveMajorDeadline(w.Ctx, w.ZNBureau, testworld.ZN, 48); err != nil {
			t.Fatal(err)
		}
		if d, err = w.mj.MajorDeadlineOf(w.Ctx, w.Village, ""); err != nil || d.AckHours != 48 || !d.Set {
			t.Errorf("village reads %+v %v, want 48", d, err)
		}
		// Another county keeps the default.
		if d, err = w.mj.MajorDeadlineOf(w.Ctx, w.JHBureau, ""); err != nil || d.AckHours != 24 {
			t.Errorf("镜湖区 deadline %+v %v, want 24", d, err)
		}
		m := w.mjSubmit(u.advisor, mjInput())
		if m.AckHours != 48 || m.AckDueAt != testworld.Day.Add(48*time.Hour).UnixMilli() {
			t.Errorf("report deadline %d h, due %d", m.AckHours, m.AckDueAt)
		}
		for _, c := range []struct {
			after time.Duration
			want  int
		}{{24 * time.Hour, 0}, {48 * time.Hour, 1}} {
			n, err := w.mj.EscalateMajorReports(w.Ctx, testworld.Day.Add(c.after))
			if err != nil || n != c.want {
				t.Errorf("escalate at +%v: %d %v, want %d", c.after, n, err, c.want)
			}
		}
	})
}

// An escalation reaches the robot channels of the level it reached: the
// county's WeCom group hears once of a report escalated to the county.
func TestMajorEscalationOutbox(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.mjUsers()
		w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "正宁县法律顾问群", URL: testworld.WeComURL, Enabled: true})
		m := w.mjSubmit(u.advisor, mjInput())
		for i := 0; i < 2; i++ { // the job runs again: no second message
			w.Now = testworld.Day.Add(25 * time.Hour)
			if _, err := w.mj.EscalateMajorReports(w.Ctx, w.Now); err != nil {
				t.Fatal(err)
			}
		}
		ms, _, err := notify.OutboxMessages(w.Ctx, w.DB, notify.OutboxFilter{Limit: 50})
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

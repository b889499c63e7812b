package holiday_test

import (
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/consult"
	"github.com/villagecounsel/counsel/internal/holiday"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// arrangement2027 is the State Council's 2027 arrangement as an
// administrator pastes it (the parts this test needs).
const arrangement2027 = "2027年1月1日至1月3日 放假 元旦\n" +
	"2027-02-06至2027-02-12 放假 春节\n" +
	"2027-02-14 上班 春节\n"

// TestHolidayTableExtendsTheCalendar: 2027 is not in the shipped table, so
// 2027-01-01 counts as a working day, pages warn and a consultation asked
// on 2026-12-31 gets a deadline marked uncertain; once an administrator
// saves the 2027 arrangement the calendar counts it, the warning goes and
// the deadline moves past the holiday.
func TestHolidayTableExtendsTheCalendar(t *testing.T) {
	testworld.Engines(t, func(t *testing.T, w *testworld.World) {
		hs := holiday.NewService(w.Svc)
		cs := consult.NewService(w.Svc, public.NewService(w.Svc), w.Lg)
		cst := time.FixedZone("CST", 8*3600)
		w.Now = time.Date(2026, 12, 31, 10, 0, 0, 0, cst)

		if ok, _ := w.Svc.Calendar(w.Ctx).IsWorkdate("2027-01-01"); !ok {
			t.Fatalf("before: 2027-01-01 is not a working day; the shipped table should not know 2027")
		}
		if got := w.Svc.UncoveredYears(w.Ctx); len(got) != 1 || got[0] != 2027 {
			t.Errorf("before: uncovered years %v, want [2027]", got)
		}
		in := &consult.ConsultRequest{VillageCode: testworld.Dongguan, Category: consult.ConsultCategories[0], Question: "宅基地纠纷怎么办？",
			Name: "张三", Phone: "13912340000", Notice: consult.ConsultNoticeVersion, IP: "10.0.0.9"}
		r1, err := cs.SubmitConsultation(w.Ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		// Counted Monday to Friday: Fri 01-01 and Mon 01-04.
		if r1.DueOn != "2027-01-04" || !r1.DueUncertain {
			t.Errorf("before: due on %s uncertain %v, want 2027-01-04 and uncertain", r1.DueOn, r1.DueUncertain)
		}

		// Only the administrator keeps the table; bad input writes nothing.
		before := w.Counts()
		if _, err := hs.SaveYear(w.Ctx, w.ZNBureau, 2027, arrangement2027); err != counsel.ErrForbidden {
			t.Errorf("bureau saves holidays: got %v, want forbidden", err)
		}
		_, err = hs.SaveYear(w.Ctx, w.Admin, 2027, arrangement2027+"2027-02-15 上班 春节\n")
		if f := testworld.Field(err, "text"); f == nil || f.Row != 4 || f.Key != "hol.err_workday_weekday" {
			t.Errorf("a Monday as make-up working day: got %v, want line 4 hol.err_workday_weekday", err)
		}
		if _, err := hs.SaveYear(w.Ctx, w.Admin, 1999, "1999-10-01 国庆节"); testworld.Field(err, "year") == nil {
			t.Errorf("year 1999: got %v, want an error on year", err)
		}
		w.SameCounts("after refused saves", before, w.Counts())

		p, err := hs.PreviewYear(w.Ctx, w.Admin, 2027, arrangement2027)
		if err != nil || p.Holidays != 10 || p.Workdays != 1 || p.Replaces != 0 {
			t.Fatalf("preview: %+v %v, want 10 days off, 1 working day, nothing replaced", p, err)
		}
		w.SameCounts("after a preview", before, w.Counts())
		if _, err := hs.SaveYear(w.Ctx, w.Admin, 2027, p.CSV); err != nil {
			t.Fatalf("save: %v", err)
		}

		c := w.Svc.Calendar(w.Ctx)
		for date, want := range map[string]bool{"2027-01-01": false, "2027-02-10": false, "2027-02-14": true, "2027-01-04": true} {
			if got, _ := c.IsWorkdate(date); got != want {
				t.Errorf("after: %s working day %v, want %v", date, got, want)
			}
		}
		if got := w.Svc.UncoveredYears(w.Ctx); len(got) != 0 {
			t.Errorf("after: uncovered years %v, want none", got)
		}
		in.Phone = "13912340001"
		r2, err := cs.SubmitConsultation(w.Ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if r2.DueOn != "2027-01-05" || r2.DueUncertain {
			t.Errorf("after: due on %s uncertain %v, want 2027-01-05 and certain", r2.DueOn, r2.DueUncertain)
		}

		// Saving the year again replaces it; each save is audited.
		p, err = hs.SaveYear(w.Ctx, w.Admin, 2027, "2027-01-01 元旦\n")
		if err != nil || p.Replaces != 11 {
			t.Fatalf("second save: %+v %v, want 11 days replaced", p, err)
		}
		if ok, _ := w.Svc.Calendar(w.Ctx).IsWorkdate("2027-02-10"); !ok {
			t.Errorf("after the second save 2027-02-10 is still a day off")
		}
		if n := w.Counts()["holidays"]; n != 1 {
			t.Errorf("holidays rows: %d, want 1", n)
		}
		if got, want := w.Counts()["audit_log"]-before["audit_log"], 2; got < want {
			t.Errorf("audit rows: %d more, want at least %d", got, want)
		}
	})
}

package selection

import (
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/calendar"
)

// Notice is a 公示 period (R44): posted on Start, it runs for Workdays working
// days on the official calendar and ends at the end of End; the next stage
// may open on NextOpens at the earliest.
type Notice struct {
	Start     string `json:"start"`
	End       string `json:"end"`
	Workdays  int    `json:"workdays"`
	NextOpens string `json:"next_opens"`
}

// NoticePeriod computes a 公示 of n working days posted on start. The day it
// is posted is not counted (民法典第二百零一条: a period counted in days
// starts the day after); the working days after it are counted on the
// official calendar, so statutory holidays and the rest days moved next to
// them are skipped and 调休 make-up weekends count. Posted on Friday
// 2022-09-30 for 5 working days, it runs over 国庆 (10-01..10-07 off) and
// counts Saturday 10-08 and Sunday 10-09 (make-up working days), 10-10,
// 10-11 and 10-12: it ends on 2022-10-12.
func NoticePeriod(cal *calendar.Calendar, start string, n int) (Notice, error) {
	if !counsel.ValidDate(start) || n < 1 {
		return Notice{}, counsel.Invalid(counsel.FieldError{Field: "notice_start", Key: "err.date"})
	}
	d, _ := time.ParseInLocation(counsel.DateLayout, start, calendar.Shanghai)
	endExcl := cal.AddWorkdays(d.Add(12*time.Hour), n) // 00:00 after the last day
	last := endExcl.Add(-12 * time.Hour)
	return Notice{Start: start, End: last.Format(counsel.DateLayout), Workdays: n, NextOpens: endExcl.In(calendar.Shanghai).Format(counsel.DateLayout)}, nil
}

// Over reports whether the notice has ended by date today.
func (n Notice) Over(today string) bool { return n.End != "" && today > n.End }

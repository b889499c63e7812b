package selection

import (
	"fmt"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/calendar"
)

// DateCN writes a YYYY-MM-DD date as offices do: 2026年6月15日.
func DateCN(date string) string {
	t, err := time.Parse(counsel.DateLayout, date)
	if err != nil {
		return date
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// dates gives page views the office date format ({{$d.CN .Date}}) and
// score formats.
type dates struct{}

// CN is DateCN.
func (dates) CN(date string) string { return DateCN(date) }

// Score shows hundredths of a point.
func (dates) Score(v int64) string { return FormatScore(v) }

// Total shows a stage total.
func (dates) Total(v int64) string { return FormatTotal(v) }

// Short is the first 12 characters of a hash, for display.
func (dates) Short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// dayOf is the China date of a unix-ms instant.
func dayOf(ms int64) string {
	return time.UnixMilli(ms).In(calendar.Shanghai).Format(counsel.DateLayout)
}

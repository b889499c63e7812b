package registry

import (
	"context"

	"github.com/villagecounsel/counsel/internal/calendar"
)

// Calendar is the calendar of working days: the shipped table of official
// holidays with the years administrators added on the holiday page (the
// holiday feature sets HolidayCalendar). Every working-day deadline uses it.
func (s *Service) Calendar(ctx context.Context) *calendar.Calendar {
	if s.HolidayCalendar != nil {
		if c := s.HolidayCalendar(ctx); c != nil {
			return c
		}
	}
	return shippedCalendar
}

var shippedCalendar = calendar.New(nil)

// UncoveredYears lists this year and next year when the calendar does not
// hold their official arrangement: working days in them are counted Monday
// to Friday, missing the holidays. Pages that count working days warn.
func (s *Service) UncoveredYears(ctx context.Context) []int {
	c := s.Calendar(ctx)
	y := s.Now().In(shanghai).Year()
	var out []int
	for _, year := range []int{y, y + 1} {
		if !c.Known(year) {
			out = append(out, year)
		}
	}
	return out
}

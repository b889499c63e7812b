package holiday

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// cacheFor is how long a process keeps the calendar before reading the
// table again: another server on the same database sees a saved year
// within it (the saving process at once).
const cacheFor = 30 * time.Second

// Service keeps the holiday table and builds the calendar of working days
// from it.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	svc *registry.Service

	mu     sync.Mutex
	cal    *calendar.Calendar
	loaded time.Time
}

// NewService builds the service and makes it the layered service's source
// of the calendar (registry.Service.Calendar), so every working-day
// deadline counts the holidays administrators entered.
func NewService(svc *registry.Service) *Service {
	s := &Service{DB: svc.DB, Log: svc.Log, svc: svc}
	svc.HolidayCalendar = s.Calendar
	return s
}

// Calendar returns the shipped table overridden by the entered days. When
// the table cannot be read it logs and returns the shipped table alone.
func (s *Service) Calendar(ctx context.Context) *calendar.Calendar {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if s.cal != nil && now.Sub(s.loaded) < cacheFor {
		return s.cal
	}
	days, err := storedDays(ctx, s.DB)
	if err != nil {
		s.Log.Error("holiday table", "err", err)
		if s.cal != nil {
			return s.cal
		}
		return calendar.New(nil)
	}
	s.cal, s.loaded = calendar.New(days), now
	return s.cal
}

func (s *Service) drop() {
	s.mu.Lock()
	s.cal = nil
	s.mu.Unlock()
}

// Year is one year of the calendar as the holiday page lists it.
type Year struct {
	Year     int
	Shipped  bool // in the table shipped with the program
	Entered  int  // days an administrator entered
	Holidays int  // days off on weekdays and weekends
	Workdays int  // make-up working days
}

// Years lists the years the calendar covers, newest first.
func (s *Service) Years(ctx context.Context, a *counsel.Actor) ([]Year, error) {
	if !authz.CanKeepHolidays(a) {
		return nil, counsel.ErrForbidden
	}
	entered, err := storedYears(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	c := s.Calendar(ctx)
	var out []Year
	for _, y := range c.Years() {
		yr := Year{Year: y, Shipped: calendar.Shipped(y), Entered: entered[y]}
		for _, d := range c.Days(y) {
			if d.Kind == calendar.KindWorkday {
				yr.Workdays++
			} else {
				yr.Holidays++
			}
		}
		out = append(out, yr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year > out[j].Year })
	return out, nil
}

// Days lists the exceptions of a year as the calendar now counts them.
func (s *Service) Days(ctx context.Context, a *counsel.Actor, year int) ([]calendar.Day, error) {
	if !authz.CanKeepHolidays(a) {
		return nil, counsel.ErrForbidden
	}
	return s.Calendar(ctx).Days(year), nil
}

// Preview is what saving a year's arrangement would do.
type Preview struct {
	Year     int
	Days     []calendar.Day
	Holidays int
	Workdays int
	Replaces int  // days an administrator had entered for the year before
	Shipped  bool // the year is in the shipped table; the entered days override it
	CSV      string
}

// MinYear and MaxYear bound the years an arrangement may be entered for.
const (
	MinYear = 2000
	MaxYear = 2100
)

// PreviewYear reads a year's arrangement (pasted text or an uploaded CSV)
// and says what saving it would do; nothing is written. Errors name the
// field (year, text) and the line.
func (s *Service) PreviewYear(ctx context.Context, a *counsel.Actor, year int, text string) (*Preview, error) {
	if !authz.CanKeepHolidays(a) {
		return nil, counsel.ErrForbidden
	}
	if year < MinYear || year > MaxYear {
		return nil, counsel.Invalid(counsel.FieldError{Field: "year", Key: "hol.err_year_range", Args: []any{MinYear, MaxYear}})
	}
	days, errs := ParseArrangement(year, text)
	if len(errs) > 0 {
		fs := make([]counsel.FieldError, len(errs))
		for i, e := range errs {
			fs[i] = counsel.FieldError{Field: "text", Row: e.Line, Key: e.Key, Args: e.Args}
		}
		return nil, counsel.Invalid(fs...)
	}
	entered, err := storedYears(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	p := &Preview{Year: year, Days: days, Replaces: entered[year], Shipped: calendar.Shipped(year), CSV: FormatCSV(days)}
	for _, d := range days {
		if d.Kind == calendar.KindWorkday {
			p.Workdays++
		} else {
			p.Holidays++
		}
	}
	return p, nil
}

// SaveYear replaces the entered arrangement of a year with the one given
// (the preview's CSV), in one transaction with its audit entry.
func (s *Service) SaveYear(ctx context.Context, a *counsel.Actor, year int, text string) (*Preview, error) {
	p, err := s.PreviewYear(ctx, a, year, text)
	if err != nil {
		return nil, err
	}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		before, err := storedDays(ctx, tx)
		if err != nil {
			return err
		}
		var old []calendar.Day
		for _, d := range before {
			if d.Date[:4] == p.Days[0].Date[:4] {
				old = append(old, d)
			}
		}
		if err := replaceYear(ctx, tx, year, p.Days, a.UserID, s.svc.Now().UnixMilli()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "holidays", int64(year), "", old, p.Days)
	})
	if err != nil {
		return nil, err
	}
	s.drop()
	return p, nil
}

// Package registry is the programme's register and the base every feature
// builds on: regions and their flags, providers, advisors, agreements and
// their filing (the load limit, filing deadlines, packaged town agreements
// R7), coverage, the 附件1 import and export, a jurisdiction's settings, and
// the small shared services features reach through *Service (home regions,
// today's date, the notification core, change hooks).
package registry

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/store"
)

// Config holds the service's tunables.
type Config struct {
	SessionIdle     time.Duration // idle timeout of a browser session
	SessionAbsolute time.Duration // absolute lifetime of a browser session
	MaxFailures     int           // failed logins before an account locks
	LockFor         time.Duration // how long a locked account stays locked
	DataDir         string        // where uploaded photos live
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{SessionIdle: 30 * time.Minute, SessionAbsolute: 12 * time.Hour, MaxFailures: 5, LockFor: 15 * time.Minute}
}

// Service is the application registry.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	Cfg Config
	// Now is the clock; tests replace it.
	Now func() time.Time
	// Notify is the notifications core (in-app notifications, the outbox
	// and its channels) on the same database, logger and clock.
	Notify *notify.Service

	background sync.WaitGroup // recounts after a city's or province's policy change

	ledgerHooks hooks // run by ResetLedgerCache (see OnLedgerChange)

	// KindLabel names a kind of service, built-in or added by a county; the
	// ledger feature sets it (see KindName).
	KindLabel func(ctx context.Context, code, lang string) string

	// MatterOf reads a legal matter for filing an entry under it; the volume
	// feature (which owns matters) sets it. Unset, no entry names a matter.
	MatterOf func(ctx context.Context, id int64) (*counsel.Matter, error)

	// HolidayCalendar returns the calendar of working days with the holidays
	// administrators keep on the holiday page; the holiday feature sets it.
	// Unset, Calendar is the shipped table alone.
	HolidayCalendar func(ctx context.Context) *calendar.Calendar

	boardHooks hooks // run by ResetBoardCache (see public_kit.go)

	agreementHooks agreementHooks // run in every agreement change's transaction (see OnAgreementSaved)
}

// New builds a Service.
func New(db *store.DB, log *slog.Logger, cfg Config) *Service {
	if log == nil {
		log = slog.Default()
	}
	s := &Service{DB: db, Log: log, Cfg: cfg, Now: time.Now}
	s.Notify = notify.New(db, log, func() time.Time { return s.Now() })
	return s
}

// shanghai is the zone dates are shown and compared in.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// Shanghai is the zone dates are shown and compared in.
func Shanghai() *time.Location { return shanghai }

// ResetLedgerCache tells the ledger that agreements, policies or kinds
// changed (the ledger caches who serves which village).
func (s *Service) ResetLedgerCache() { s.ledgerHooks.run() }

// OnLedgerChange adds fn to what ResetLedgerCache runs (each ledger service
// registers the reset of its cache).
func (s *Service) OnLedgerChange(fn func()) { s.ledgerHooks.add(fn) }

// KindName returns the display name of a kind of service (the ledger's
// dictionary; the built-in labels until the ledger is set up).
func (s *Service) KindName(ctx context.Context, code, lang string) string {
	if s.KindLabel != nil {
		return s.KindLabel(ctx, code, lang)
	}
	return policy.KindLabel(code, lang)
}

// Background runs fn after the response, tracked so WaitBackground waits
// for it (recounts after a city's or province's policy change).
func (s *Service) Background(fn func()) {
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		fn()
	}()
}

// WaitBackground waits for the work Background left running (tests, shutdown).
func (s *Service) WaitBackground() { s.background.Wait() }

// Today returns today's date in China as YYYY-MM-DD.
func (s *Service) Today() string { return s.Now().In(shanghai).Format(counsel.DateLayout) }

// baseFilter returns the filter that confines a list to the actor's scope.
func baseFilter(a *counsel.Actor) counsel.Filter {
	switch a.Role {
	case counsel.RoleAdmin:
		return counsel.Filter{}
	case counsel.RoleProvider:
		return counsel.Filter{ProviderID: a.ProviderID}
	case counsel.RoleAdvisor:
		return counsel.Filter{AdvisorID: a.AdvisorID}
	case counsel.RoleFinance:
		// A finance bureau reads its payment lists (the money feature) and
		// none of the registry's lists.
		return counsel.Filter{Scope: "999999999999"}
	default:
		if a.RegionCode == "" {
			// A regional account without a region sees nothing.
			return counsel.Filter{Scope: "999999999999"}
		}
		return counsel.Filter{Scope: a.RegionCode}
	}
}

// BaseFilter is baseFilter for feature packages: the filter that confines a
// list to the actor's scope.
func BaseFilter(a *counsel.Actor) counsel.Filter { return baseFilter(a) }

// HomeRegion returns the region an actor's pages start from: its own region,
// or for a provider or advisor the county of its provider ("" for admin).
func (s *Service) HomeRegion(ctx context.Context, a *counsel.Actor) (string, error) {
	switch a.Role {
	case counsel.RoleAdmin:
		return "", nil
	case counsel.RoleProvider, counsel.RoleAdvisor:
		id := a.ProviderID
		if a.Role == counsel.RoleAdvisor {
			adv, err := Advisor(ctx, s.DB, a.AdvisorID)
			if err != nil {
				return "", err
			}
			id = adv.ProviderID
		}
		p, err := Provider(ctx, s.DB, id)
		if err != nil {
			return "", err
		}
		return p.CountyCode, nil
	default:
		return a.RegionCode, nil
	}
}

// List is one page of a list with its total.
type List[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// ListOf makes one page of a list with its total (for the feature packages).
func ListOf[T any](items []T, total int, p counsel.Page) List[T] { return list(items, total, p) }

func list[T any](items []T, total int, p counsel.Page) List[T] {
	p = p.Clamp()
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items, Total: total, Limit: p.Limit, Offset: p.Offset}
}

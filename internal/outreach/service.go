package outreach

import (
	"log/slog"
	"time"

	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Service holds the rules of revisits (R35) and of the publicity calendar
// (R37).
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// svc is the layered service: the clock (Now, Today) and the actor's
	// home region (HomeRegion) live there.
	svc *registry.Service
}

// NewService builds the outreach service over the layered service (its
// database, logger and clock).
func NewService(svc *registry.Service) *Service {
	return &Service{DB: svc.DB, Log: svc.Log, svc: svc}
}

// Now is the layered service's clock.
func (s *Service) Now() time.Time { return s.svc.Now() }

// Today is the date today in China.
func (s *Service) Today() string { return s.svc.Today() }

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

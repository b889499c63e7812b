// Package consult is the online consultation (我要问, R33): a resident,
// without an account, asks the advisor of a village a question; the
// advisor answers in the app and the answer becomes a ledger entry; an
// unanswered question escalates to the town's judicial office; the resident
// rates the answer once.
package consult

import (
	"context"
	"embed"
	"io/fs"
	"time"

	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/jobs"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed messages.json
var messages []byte

func init() { i18n.Register("internal/consult/messages.json", messages) }

// Feature is the consultation's pages, API operations and job.
type Feature struct{ s *Service }

// New builds the feature over the layered service and the public side.
func New(svc *registry.Service, pub *public.Service, lg *ledger.Service) *Feature {
	return &Feature{s: NewService(svc, pub, lg)}
}

// Service returns the feature's rules.
func (f *Feature) Service() *Service { return f.s }

// Templates holds the consultation's page templates.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the residents' and the staff's pages.
func (f *Feature) PageRoutes(h *web.Web) []server.Route { return f.pageRoutes(h) }

// Operations lists the JSON API operations.
func (f *Feature) Operations(h *api.API) []api.Op { return f.operations(h) }

// Jobs escalates overdue consultations.
func (f *Feature) Jobs() []jobs.Job {
	return []jobs.Job{
		{Name: "overdue consultations (R33)", Every: 10 * time.Minute, Run: func(ctx context.Context, now time.Time) (any, error) {
			return f.s.EscalateConsultations(ctx, now)
		}},
	}
}

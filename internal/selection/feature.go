// Package selection is the annual selection of outstanding village advisors
// (R40–R46, seed 004 常司发〔2022〕21号): campaigns with their stages, weights,
// quotas and dates as settings; candidates and their scores (panel, online
// vote, the province's assessment, the stage before); rankings with ties and
// cuts explained; lists published for a 公示 of N working days on the
// official calendar and confirmed by the bureau; and the public online vote
// (SMS one-time codes, once a day per candidate, counts published daily with
// the head of a hash chain of ballots, anomaly flags, voids with published
// reasons, a verifier that names a tampered ballot).
package selection

import (
	"context"
	"embed"
	"io/fs"
	"time"

	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/jobs"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed messages.json
var messages []byte

func init() { i18n.Register("internal/selection/messages.json", messages) }

// Feature is the selection capability: its service, pages and job.
type Feature struct {
	Svc *Service
}

// New builds the feature over the layered service.
func New(svc *registry.Service, lg *ledger.Service) *Feature {
	return &Feature{Svc: NewService(svc, lg)}
}

// Templates holds the selection's staff and public pages.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the staff pages and the public vote pages.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	return append(staffRoutes(h, f.Svc), voteRoutes(h, f.Svc)...)
}

// Operations: the selection has no JSON API yet.
func (f *Feature) Operations(h *api.API) []api.Op { return nil }

// Jobs publishes the votes' daily counts and chain heads when due.
func (f *Feature) Jobs() []jobs.Job {
	return []jobs.Job{{Name: "selection_publish", Every: time.Minute, Run: func(ctx context.Context, now time.Time) (any, error) {
		return f.Svc.PublishDue(ctx, now)
	}}}
}

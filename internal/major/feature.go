// Package major is the major-matter reports (重大事项报告, R18): an advisor
// reports a matter of one of five categories for a village it serves; the
// town's judicial office or the county bureau acknowledges, follows up and
// closes it; a report not acknowledged within its county's deadline escalates
// to the county bureau and then to the city bureau.
package major

import (
	"context"
	"embed"
	"io/fs"
	"time"

	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/jobs"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed messages.json
var messages []byte

func init() { i18n.Register("major/messages.json", messages) }

// Feature is the major-matter reports' pages, API operations and job.
type Feature struct {
	Svc *Service
}

// New builds the feature over the layered service.
func New(svc *registry.Service) *Feature { return &Feature{Svc: NewService(svc)} }

// Templates holds the pages major, major_form and major_list.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the HTML routes.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	return (&pages{h: h, svc: f.Svc}).routes()
}

// Operations lists the JSON API operations.
func (f *Feature) Operations(h *api.API) []api.Op {
	return (&endpoints{h: h, svc: f.Svc}).ops()
}

// Jobs raises the reports left unacknowledged past their deadline.
func (f *Feature) Jobs() []jobs.Job {
	return []jobs.Job{
		{Name: "major-report escalation (R18)", Every: 10 * time.Minute, Run: func(ctx context.Context, now time.Time) (any, error) {
			return f.Svc.EscalateMajorReports(ctx, now)
		}},
	}
}

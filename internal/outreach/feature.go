// Package outreach is the advisors' outreach to the villages: revisits
// (回访, R35: questionnaires a county sends its villages about their advisor,
// in rounds, with 1–5 ratings, comments and a summary per advisor and year)
// and the publicity calendar (普法日历, R37: the national campaign days and
// the elections and local campaigns a jurisdiction enters, each linked to
// the ledger's publicity entries around it).
package outreach

import (
	"embed"
	"io/fs"

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

func init() { i18n.Register("internal/outreach/messages.json", messages) }

// Feature is the outreach capability: its service, pages and operations.
type Feature struct {
	Svc *Service
}

// New builds the feature over the layered service.
func New(svc *registry.Service) *Feature { return &Feature{Svc: NewService(svc)} }

// Templates holds the revisit and publicity calendar pages.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the revisit and publicity calendar pages.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	return (&pages{h: h, svc: f.Svc}).routes()
}

// Operations lists the revisit and campaign operations of the JSON API.
func (f *Feature) Operations(h *api.API) []api.Op {
	return (&endpoints{h: h, svc: f.Svc}).ops()
}

// Jobs: outreach has no background job.
func (f *Feature) Jobs() []jobs.Job { return nil }

// Package dash is the dashboards and reports: coverage, service statistics
// and compliance of a region from the counters, the dashboard page, the
// ledger statistics and yearly reports as pages, xlsx and JSON.
package dash

import (
	"embed"
	"io/fs"

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

func init() { i18n.Register("internal/dash/messages.json", messages) }

// Feature is the dash capability: its service, pages and operations.
type Feature struct {
	Svc *Service
}

// New builds the feature over the layered service and the ledger.
func New(svc *registry.Service, lg *ledger.Service) *Feature {
	return &Feature{Svc: NewService(svc, lg)}
}

// Templates holds the dashboard and report pages.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the dashboard and report pages.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	return (&pages{h: h, svc: f.Svc}).routes()
}

// Operations lists the dashboard and report operations of the JSON API.
func (f *Feature) Operations(h *api.API) []api.Op {
	return (&endpoints{h: h, svc: f.Svc}).ops()
}

// Jobs: dashboards have no background job (coverage recounts run on demand).
func (f *Feature) Jobs() []jobs.Job { return nil }

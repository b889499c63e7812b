// Package assess is the year's verdict (R38): assessment sheets as data
// (items with points, the standard in words and how each is scored — from
// the ledger's obligations and counters, the volumes' documents, the
// boards and groups, or by a named scorer role), inherited down the
// jurisdiction tree like the duty rules; and the county's yearly round:
// scorers score their items in their scope, the data items are computed,
// the bureau publishes grades, the advisor sees their own sheet item by
// item with the data behind every point and may object within a window of
// working days, and a fixed result changes only with a recorded reason.
package assess

import (
	"embed"
	"io/fs"

	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/jobs"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/volume"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed messages.json
var messages []byte

func init() { i18n.Register("internal/assess/messages.json", messages) }

// Feature is the assessment capability: its service, pages and operations.
type Feature struct {
	Svc *Service
}

// New builds the feature over the features it reads.
func New(svc *registry.Service, lg *ledger.Service, vol *volume.Service, pub *public.Service) *Feature {
	return &Feature{Svc: NewService(svc, lg, vol, pub)}
}

// Templates holds the sheet and round pages.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the sheet and round pages.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	pg := &pages{h: h, svc: f.Svc}
	rs := append(pg.routes(), pg.inspectRoutes()...)
	rs = append(rs, pg.surveyRoutes()...) // sets the public frame the notice uses
	return append(rs, pg.commendRoutes()...)
}

// Operations lists the assessment operations of the JSON API.
func (f *Feature) Operations(h *api.API) []api.Op {
	return (&endpoints{h: h, svc: f.Svc}).ops()
}

// Jobs: the assessment has no background job.
func (f *Feature) Jobs() []jobs.Job { return nil }

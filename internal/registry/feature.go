package registry

import (
	"embed"
	"io/fs"

	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/jobs"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed messages.json
var messages []byte

//go:embed messages_import.json
var importMessages []byte

func init() {
	i18n.Register("registry/messages.json", messages)
	i18n.Register("registry/messages_import.json", importMessages)
}

// Feature is the registry's pages and API operations: regions and
// coverage, providers, advisors, agreements, a county's settings and the
// 附件1 import.
type Feature struct {
	Svc *Service
}

// NewFeature builds the feature over the service.
func NewFeature(svc *Service) *Feature { return &Feature{Svc: svc} }

// Templates holds the registry's pages (regions, village, coverage,
// providers, advisors, agreements, their forms, settings and the imports).
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the HTML routes.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	return (&pages{h: h, svc: f.Svc}).routes()
}

// Operations lists the JSON API operations.
func (f *Feature) Operations(h *api.API) []api.Op {
	return (&endpoints{h: h, svc: f.Svc}).ops()
}

// Jobs: the registry has none.
func (f *Feature) Jobs() []jobs.Job { return nil }

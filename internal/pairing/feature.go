// Package pairing is the 1+N action (“1名村法律顾问+N名法律明白人”): the
// legal-literate persons of a village (R9), their pairings with the
// village's advisor and the activity records of the six duties (R10, R13),
// the 1+N rule per village, the 附件1 pairing table and the 附件2 archive
// cards (R11). The 附件1 import, which also creates providers and advisors,
// stays in the layered service and web.
package pairing

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

func init() { i18n.Register("pairing/messages.json", messages) }

// Feature is the 1+N pages and API operations (it has no job).
type Feature struct {
	Svc *Service
}

// New builds the feature over the layered service.
func New(svc *registry.Service) *Feature { return &Feature{Svc: NewService(svc)} }

// Templates holds the pages persons, person, person_form, pairings,
// pairing, pairing_form, rules and card.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the HTML routes.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	return (&pages{h: h, svc: f.Svc}).routes()
}

// Operations lists the JSON API operations.
func (f *Feature) Operations(h *api.API) []api.Op {
	return (&endpoints{h: h, svc: f.Svc}).ops()
}

// Jobs is empty: the 1+N action runs no background work.
func (f *Feature) Jobs() []jobs.Job { return nil }

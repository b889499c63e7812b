// Package money is contracts and money (issue 15, R39): subsidy standards as
// data per jurisdiction (the 5,000-yuan floor of seed 003, which a province
// or city may raise and a county may not undercut, amounts by village kind,
// who pays), a county's deduction rules, the year's settlement with one line
// per agreement (prorated months, deductions with their reasons, amount due,
// payer) reviewed, locked and signed off, and payment lists per payer in
// figures and Chinese capitals, as pages and streamed xlsx.
package money

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

func init() { i18n.Register("internal/money/messages.json", messages) }

// Feature is the money capability: its service, pages and operations.
type Feature struct {
	Svc *Service
}

// New builds the feature over the layered service and the ledger.
func New(svc *registry.Service, lg *ledger.Service) *Feature {
	return &Feature{Svc: NewService(svc, lg)}
}

// Templates holds the pages money, money_settlement and money_paylist.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the money pages.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	return (&pages{h: h, svc: f.Svc}).routes()
}

// Operations lists the money operations of the JSON API.
func (f *Feature) Operations(h *api.API) []api.Op {
	return (&endpoints{h: h, svc: f.Svc}).ops()
}

// Jobs: money has no background job.
func (f *Feature) Jobs() []jobs.Job { return nil }

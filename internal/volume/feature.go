// Package volume is the printed record of the ledger: legal matter files
// (一案一档, R15), the yearly documents of a village's volume (the service
// plan, R17; the improvement report, R28) and the printable village and
// provider volumes (一村一卷, 一所一卷) with their workbooks.
package volume

import (
	"context"
	"embed"
	"io/fs"

	"github.com/villagecounsel/counsel"
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

func init() { i18n.Register("internal/volume/messages.json", messages) }

// Feature is the volume area: its rules, pages and API operations.
type Feature struct {
	svc *Service
}

// New builds the volume feature over the layered service and lets the
// ledger check the matter an entry is filed under.
func New(svc *registry.Service, lg *ledger.Service) *Feature {
	f := &Feature{svc: NewService(svc, lg)}
	svc.MatterOf = func(ctx context.Context, id int64) (*counsel.Matter, error) {
		return getMatter(ctx, f.svc.DB, id)
	}
	return f
}

// Service returns the feature's rules (for the CLI, the demo and tests).
func (f *Feature) Service() *Service { return f.svc }

// Templates holds the volume pages.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the volume pages.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	return (&pages{Web: h, vol: f.svc}).routes()
}

// Jobs: the volume area has no background work.
func (f *Feature) Jobs() []jobs.Job { return nil }

var _ api.Endpoints = (*Feature)(nil)

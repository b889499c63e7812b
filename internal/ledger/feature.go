// Package ledger is the service ledger (服务台账, R9–R23): recording
// entries in a hash chain per village volume, amendments, the village's
// review sealed in a second chain, service kinds, duty rules per
// jurisdiction and the obligations they make (met, due, missed) with their
// counters, the daily reminders and weekly digest, verification and
// recounts. Its accumulator (chain heads, counters, deferred rows) is the
// ledger's part of every write transaction (see store.Tx.Part).
package ledger

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

func init() { i18n.Register("internal/ledger/messages.json", messages) }

// Feature is the ledger capability: its service, pages and operations.
type Feature struct {
	Svc *Service
}

// New builds the feature over the layered service.
func New(svc *registry.Service) *Feature { return &Feature{Svc: NewService(svc)} }

// Templates holds the ledger pages.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the ledger pages.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	return (&pages{h: h, svc: f.Svc}).routes()
}

// Operations lists the ledger operations of the JSON API.
func (f *Feature) Operations(h *api.API) []api.Op {
	return (&endpoints{h: h, svc: f.Svc}).ops()
}

// Jobs are the daily reminders (R23); the weekly digest of overdue duties
// is the notification feature's job, fed by OverdueByTown.
func (f *Feature) Jobs() []jobs.Job {
	s := f.Svc
	return []jobs.Job{
		{Name: "daily reminders (R23)", Every: time.Hour, Run: func(ctx context.Context, now time.Time) (any, error) { return s.RunDaily(ctx, now) }},
	}
}

// Package notifyui is the notification area as a feature: the outbox and
// channel pages, the signed-in account's notifications, their JSON
// operations and the weekly digest job. The rules live in internal/notify
// (the core the layered service and every feature notify through); this
// package holds only what needs web and api, which import the layered
// service and so cannot be imported by the core.
package notifyui

import (
	"context"
	"embed"
	"io/fs"
	"time"

	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/internal/jobs"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

//go:embed templates/*.html
var templates embed.FS

// Feature is the notification area: the core service of the layered
// service, its pages, operations and the weekly digest.
type Feature struct {
	Svc *notify.Service
	// overdue is the weekly digest's source (the ledger's missed duties).
	overdue notify.OverdueSource
}

// New builds the feature over the layered service's notification core;
// overdue lists the missed duties the weekly digest reports (the ledger's).
func New(svc *registry.Service, overdue notify.OverdueSource) *Feature {
	return &Feature{Svc: svc.Notify, overdue: overdue}
}

// Templates holds the outbox, channel and notification pages.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the outbox, channel and notification pages.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	return (&pages{h: h, svc: f.Svc}).routes()
}

// Operations lists the outbox, channel and notification operations.
func (f *Feature) Operations(h *api.API) []api.Op {
	return (&endpoints{h: h, svc: f.Svc}).ops()
}

// Jobs is the weekly digest of overdue duties (R23). The outbox worker
// (notify.Service.RunOutbox) is no periodic job: cmd starts it beside them.
func (f *Feature) Jobs() []jobs.Job {
	return []jobs.Job{
		{Name: "weekly digest of overdue duties", Every: 6 * time.Hour, Run: func(ctx context.Context, now time.Time) (any, error) {
			return f.Svc.WeeklyDigest(ctx, now, f.overdue)
		}},
	}
}

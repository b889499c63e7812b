// Package public is the public side (R31, R32, R34, R36): village boards
// (公示栏) at /v/{code} with a few seconds' cache per village, the village
// search by name, code, pinyin or initials, service cards with QR codes,
// the public frame the residents' pages are drawn in, and for staff the
// board settings, the judicial offices and the service WeChat group
// register with its QR reminders.
package public

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

func init() { i18n.Register("internal/public/messages.json", messages) }

// Feature is the public side: its service, pages, operations and jobs.
type Feature struct {
	Svc *Service
}

// New builds the feature over the layered service; the layered service's
// registry changes drop its cached boards from then on.
func New(svc *registry.Service) *Feature { return &Feature{Svc: NewService(svc)} }

// Templates holds the public pages and the staff pages of the boards.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the public pages and the staff pages of the boards.
func (f *Feature) PageRoutes(h *web.Web) []server.Route { return f.pageRoutes(h) }

// Operations lists the public and board operations of the JSON API.
func (f *Feature) Operations(h *api.API) []api.Op { return f.operations(h) }

// Jobs reminds advisors of missing or expired group QR codes and keeps the
// search's pinyin index up to date.
func (f *Feature) Jobs() []jobs.Job {
	return []jobs.Job{
		{Name: "WeChat group QR reminders (R34)", Every: 6 * time.Hour, Run: func(ctx context.Context, now time.Time) (any, error) {
			return f.Svc.RemindExpiredGroupQR(ctx, now)
		}},
		{Name: "public search index (pinyin)", Every: 24 * time.Hour, Run: func(ctx context.Context, now time.Time) (any, error) { return f.Svc.SyncPinyin(ctx) }},
	}
}

// Package holiday keeps the holiday table on a page (issue 11, item 6): an
// administrator adds a year's official arrangement (国务院办公厅关于部分节假日
// 安排的通知) by pasting its dates or uploading a CSV, sees a preview, and
// saves it in the database; the calendar of working days (internal/calendar,
// through registry.Service.Calendar) counts it on top of the shipped
// holidays.csv.
package holiday

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

func init() { i18n.Register("internal/holiday/messages.json", messages) }

// Feature is the holiday table: its service and page.
type Feature struct {
	Svc *Service
}

// New builds the feature over the layered service and makes it the source
// of the calendar of working days.
func New(svc *registry.Service) *Feature { return &Feature{Svc: NewService(svc)} }

// Templates holds the holiday page.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the holiday page and its preview and save.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	return (&pages{h: h, svc: f.Svc}).routes()
}

// Operations: the holiday table has no API operation.
func (f *Feature) Operations(h *api.API) []api.Op { return nil }

// Jobs: the holiday table has no background job.
func (f *Feature) Jobs() []jobs.Job { return nil }

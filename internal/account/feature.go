// Package account is accounts and sign-in: login and logout, sessions with
// idle and absolute timeouts, lockout after failed logins, argon2id
// passwords, API tokens, the administration of accounts, the home page and
// the audit log's pages. It authenticates every request for the server
// (server.Authenticator).
package account

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

func init() { i18n.Register("internal/account/messages.json", messages) }

// Feature is the account capability: its service, pages and operations.
type Feature struct {
	Svc *Service
}

// New builds the feature over the layered service.
func New(svc *registry.Service) *Feature { return &Feature{Svc: NewService(svc)} }

// Templates holds the login, home, account, users and audit pages.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the account pages.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	return (&pages{h: h, svc: f.Svc, core: f.Svc.svc}).routes()
}

// Operations lists the account operations of the JSON API.
func (f *Feature) Operations(h *api.API) []api.Op {
	return (&endpoints{h: h, svc: f.Svc}).ops()
}

// Jobs: expired sessions are removed at each login; no background job.
func (f *Feature) Jobs() []jobs.Job { return nil }

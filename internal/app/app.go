// Package app assembles the program: the shared server (routes, auth, CSRF,
// headers), the pages and JSON API still on the layered packages, and every
// feature package (features.go lists them, one line each).
package app

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/jobs"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/store"
	"github.com/villagecounsel/counsel/web"
)

// Feature is one capability in its own package (internal/<name>): its
// pages, API operations and background jobs. Its model, SQL, rules,
// templates and messages live in the same package.
type Feature interface {
	web.Pages
	api.Endpoints
	Jobs() []jobs.Job
}

// App is the assembled HTTP side.
type App struct {
	Handler  http.Handler
	Server   *server.Server // the route table
	Features *Features
}

// New builds the complete HTTP handler — pages and JSON API — for a service
// and its features. `counsel serve` and the tests use it alike.
func New(svc *registry.Service, feats *Features, log *slog.Logger, secureCookies bool) (*App, error) {
	if log == nil {
		log = slog.Default()
	}
	srv := server.New(log)
	srv.SecureCookies = secureCookies
	srv.Auth = feats.Account.Svc
	srv.Recorder = recorder(svc, log)
	var pages []web.Pages
	var eps []api.Endpoints
	for _, f := range feats.all() {
		pages = append(pages, f)
		eps = append(eps, f)
	}
	if _, err := web.Mount(srv, web.Base{Health: func(ctx context.Context) (string, error) { return svc.DB.Engine, svc.DB.Ping(ctx) }, Log: svc.Log, DataDir: svc.Cfg.DataDir, KindName: svc.KindName}, pages...); err != nil {
		return nil, err
	}
	api.Mount(srv, eps...)
	return &App{Handler: srv.Handler(), Server: srv, Features: feats}, nil
}

// Handler builds the handler with a fresh set of features (a shortcut for
// callers that need nothing else).
func Handler(svc *registry.Service, log *slog.Logger, secureCookies bool) (http.Handler, *server.Server, error) {
	a, err := New(svc, NewFeatures(svc), log, secureCookies)
	if err != nil {
		return nil, nil, err
	}
	return a.Handler, a.Server, nil
}

// Jobs lists every feature's background jobs.
func (f *Features) Jobs() []jobs.Job {
	var out []jobs.Job
	for _, ft := range f.all() {
		out = append(out, ft.Jobs()...)
	}
	return out
}

// recorder writes the server's security events (refused requests, exports,
// rate-limit hits, failed logins with bad input) to the audit log, each in
// its own transaction; an anonymous request is recorded under its address.
func recorder(svc *registry.Service, log *slog.Logger) server.Recorder {
	return func(r *http.Request, a *counsel.Actor, action, entity string, detail map[string]any) {
		if a == nil {
			a = &counsel.Actor{Username: "anonymous", IP: server.ClientIP(r)}
		}
		if rid := server.RequestID(r.Context()); rid != "" {
			detail["request_id"] = rid
		}
		err := svc.DB.WithTx(context.WithoutCancel(r.Context()), func(tx *store.Tx) error {
			return audit.Write(context.WithoutCancel(r.Context()), tx, a, action, entity, 0, a.RegionCode, nil, detail)
		})
		if err != nil {
			log.Error("audit: security event not written", "action", action, "request_id", server.RequestID(r.Context()), "err", err)
		}
	}
}

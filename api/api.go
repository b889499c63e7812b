// Package api serves the JSON API under /api/v1 and its OpenAPI 3 document.
package api

import (
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
)

// Mount adds the API routes to srv.
func Mount(srv *server.Server, svc *service.Service) {
	h := &API{srv: srv, svc: svc}
	srv.Add(h.routes()...)
}

// API holds the JSON handlers.
type API struct {
	srv *server.Server
	svc *service.Service
}

func (h *API) routes() []server.Route { return nil }

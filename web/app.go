package web

import (
	"log/slog"
	"net/http"

	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
)

// App builds the complete HTTP handler — pages and JSON API — for a service,
// and returns the server with its route table. `counsel serve` and the tests
// use it alike.
func App(svc *service.Service, log *slog.Logger, secureCookies bool) (http.Handler, *server.Server, error) {
	if log == nil {
		log = slog.Default()
	}
	srv := server.New(svc, log)
	srv.SecureCookies = secureCookies
	if _, err := Mount(srv, svc); err != nil {
		return nil, nil, err
	}
	api.Mount(srv, svc)
	return srv.Handler(), srv, nil
}

package web

import "github.com/villagecounsel/counsel/server"

// pairingRoutes lists the routes of this area of the site.
func (h *Web) pairingRoutes() []server.Route { return nil }

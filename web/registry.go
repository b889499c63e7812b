package web

import "github.com/villagecounsel/counsel/server"

// registryRoutes lists the routes of this area of the site.
func (h *Web) registryRoutes() []server.Route { return nil }

package web

import "github.com/villagecounsel/counsel/server"

// adminRoutes lists the routes of this area of the site.
func (h *Web) adminRoutes() []server.Route { return nil }

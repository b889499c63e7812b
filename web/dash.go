package web

import "github.com/villagecounsel/counsel/server"

// dashRoutes are the pages of the dash area.
func (h *Web) dashRoutes() []server.Route { return nil }

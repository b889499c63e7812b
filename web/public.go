package web

import "github.com/villagecounsel/counsel/server"

// publicRoutes are the pages of the public area.
func (h *Web) publicRoutes() []server.Route { return nil }

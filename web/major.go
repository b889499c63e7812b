package web

import "github.com/villagecounsel/counsel/server"

// majorRoutes are the pages of the major area.
func (h *Web) majorRoutes() []server.Route { return nil }

package web

import "github.com/villagecounsel/counsel/server"

// volumeRoutes are the pages of the volume area.
func (h *Web) volumeRoutes() []server.Route { return nil }

package web

import "github.com/villagecounsel/counsel/server"

// outreachRoutes are the pages of revisits (R35) and the publicity calendar (R37).
func (h *Web) outreachRoutes() []server.Route { return nil }

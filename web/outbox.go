package web

import "github.com/villagecounsel/counsel/server"

// outboxRoutes are the pages of the outbox area.
func (h *Web) outboxRoutes() []server.Route { return nil }

package web

import "github.com/villagecounsel/counsel/server"

// ledgerRoutes are the pages of the ledger area.
func (h *Web) ledgerRoutes() []server.Route { return nil }

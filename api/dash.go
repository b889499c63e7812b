package api

// dashOps are the operations of the dash area.
func (h *API) dashOps() []op { return nil }

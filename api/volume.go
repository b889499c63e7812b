package api

// volumeOps are the operations of the volume area.
func (h *API) volumeOps() []op { return nil }

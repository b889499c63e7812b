package api

// outboxOps are the operations of the outbox area.
func (h *API) outboxOps() []op { return nil }

package api

// ledgerOps are the operations of the ledger area.
func (h *API) ledgerOps() []op { return nil }

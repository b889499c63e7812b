package apptest_test

// ledgerRows are the rows of the ledger area's pages and API operations.
func ledgerRows() map[string]probe { return map[string]probe{} }

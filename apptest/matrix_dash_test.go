package apptest_test

// dashRows are the rows of the dash area's pages and API operations.
func dashRows() map[string]probe { return map[string]probe{} }

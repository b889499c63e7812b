package apptest_test

// majorRows are the rows of the major area's pages and API operations.
func majorRows() map[string]probe { return map[string]probe{} }

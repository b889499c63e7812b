package apptest_test

// publicRows are the rows of the public area's pages and API operations.
func publicRows() map[string]probe { return map[string]probe{} }

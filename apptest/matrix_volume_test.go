package apptest_test

// volumeRows are the rows of the volume area's pages and API operations.
func volumeRows() map[string]probe { return map[string]probe{} }

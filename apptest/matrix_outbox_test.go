package apptest_test

// outboxRows are the rows of the outbox area's pages and API operations.
func outboxRows() map[string]probe { return map[string]probe{} }

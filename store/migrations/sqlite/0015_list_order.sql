-- Keyset pages of the ledger list, newest service date first: the index
-- yields a page of a province's entries without sorting them all (the rowid
-- breaks ties). A new entry's service date is near today, so it appends to
-- the index's last pages.
CREATE INDEX entries_date ON entries (service_date);

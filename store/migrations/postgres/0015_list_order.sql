-- Keyset pages of the ledger list, newest service date first: the index
-- yields a page of a province's entries without sorting them all (the id
-- breaks ties). A new entry's service date is near today, so it appends to
-- the index's last pages.
CREATE INDEX entries_date ON entries (service_date, id);
-- Full-text search of entries (content and place), Chinese included,
-- without extensions: a GIN index (built in) over each entry's set of
-- character bigrams, kept by PostgreSQL in the transaction that writes the
-- entry (GIN's pending list makes an insert cheap). A query of two or more
-- characters needs every one of its bigrams, then LIKE confirms the order;
-- a one-character query is answered by a bounded scan.
CREATE FUNCTION counsel_bigrams(t TEXT) RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT COALESCE(array_agg(DISTINCT g), '{}') FROM (SELECT substr(lower(t), i, 2) AS g FROM generate_series(1, char_length(t) - 1) AS i) s WHERE g !~ '\s' $$;
CREATE INDEX entries_grams ON entries USING gin (counsel_bigrams(content || ' ' || place));

-- Keyset pages of the ledger list, newest service date first: the index
-- yields a page of a province's entries without sorting them all (the rowid
-- breaks ties). A new entry's service date is near today, so it appends to
-- the index's last pages.
CREATE INDEX entries_date ON entries (service_date);
-- Full-text search of entries (content and place), Chinese included: an
-- FTS5 index with the trigram tokenizer (any substring of three or more
-- characters), kept by triggers in the transaction that writes the entry.
-- Shorter queries are answered by a bounded scan (see ledger.textCond).
-- columnsize=0: no per-row size table (ranking is not used), which halved
-- the index's cost per write in a micro-benchmark.
CREATE VIRTUAL TABLE entries_fts USING fts5(content, place, content='entries', content_rowid='id', tokenize='trigram', columnsize=0);
INSERT INTO entries_fts (entries_fts) VALUES ('rebuild');
CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN INSERT INTO entries_fts (rowid, content, place) VALUES (new.id, new.content, new.place); END;
CREATE TRIGGER entries_fts_update AFTER UPDATE OF content, place ON entries BEGIN INSERT INTO entries_fts (entries_fts, rowid, content, place) VALUES ('delete', old.id, old.content, old.place); INSERT INTO entries_fts (rowid, content, place) VALUES (new.id, new.content, new.place); END;
CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN INSERT INTO entries_fts (entries_fts, rowid, content, place) VALUES ('delete', old.id, old.content, old.place); END;

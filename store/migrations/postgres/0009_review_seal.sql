-- Reviews sealed in a chain per village: an entry's confirmation or dispute
-- gets review_seq (the n-th review in its village) and review_hash (SHA-256
-- over the village's previous review hash and the review's fields, see
-- Entry.ReviewSeal); chain_heads keeps the last one, so a review edited,
-- reset to pending or removed with raw SQL shows in `counsel ledger verify`.
-- Reviews made before this migration are sealed by the Go step that runs
-- with it (store.sealReviews), in order of review time.
ALTER TABLE entries ADD COLUMN review_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE entries ADD COLUMN review_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE chain_heads ADD COLUMN review_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE chain_heads ADD COLUMN review_hash TEXT NOT NULL DEFAULT '';

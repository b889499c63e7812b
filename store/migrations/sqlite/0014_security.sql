-- Issue 12 (security). API tokens expire and can be revoked (defect 3): a
-- token made before this migration expires 90 days after it was made;
-- revoked_at > 0 is a revoked token (kept for the list and the audit).
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT NOT NULL DEFAULT 0;
UPDATE api_tokens SET expires_at = created_at + 7776000000;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

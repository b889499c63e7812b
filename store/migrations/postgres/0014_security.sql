-- Issue 12 (security). API tokens expire and can be revoked (defect 3): a
-- token made before this migration expires 90 days after it was made;
-- revoked_at > 0 is a revoked token (kept for the list and the audit).
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT NOT NULL DEFAULT 0;
UPDATE api_tokens SET expires_at = created_at + 7776000000;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The security policy (defect 5): one row, a JSON body over the defaults of
-- account.DefaultSecurityPolicy. When each account's password was last set,
-- for the staff's rotation (existing accounts: their creation).
CREATE TABLE security_settings (
    id INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
ALTER TABLE users ADD COLUMN password_changed_at BIGINT NOT NULL DEFAULT 0;
UPDATE users SET password_changed_at = created_at;

-- The request each audit row was written for (its X-Request-Id; "" for
-- background jobs), so a row leads to the log lines of the same request.
ALTER TABLE audit_log ADD COLUMN request_id TEXT NOT NULL DEFAULT '';

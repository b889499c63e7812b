-- The request each audit row was written for (its X-Request-Id; "" for
-- background jobs), so a row leads to the log lines of the same request.
ALTER TABLE audit_log ADD COLUMN request_id TEXT NOT NULL DEFAULT '';

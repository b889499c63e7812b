-- Failed logins per account name AND source address (issue 12, defect 4): a
-- stranger failing from one address locks only that address out of that
-- account, never the owner signing in from elsewhere. locks counts the locks
-- of the pair, so each lock lasts twice as long as the one before.
CREATE TABLE login_failures (
    username TEXT NOT NULL,
    source TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    locks INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (username, source)
);

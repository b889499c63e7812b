-- Notification outbox (R18, R23, R34): channels per jurisdiction and the
-- messages written in the same transaction as the event that causes them,
-- delivered after commit, retried with backoff and dead-lettered.

-- A channel of a jurisdiction: in-app (roles to notify), a WeCom group robot
-- or a DingTalk robot (webhook URL and signing secret, both secrets).
CREATE TABLE outbox_channels (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    secret TEXT NOT NULL DEFAULT '',
    events TEXT NOT NULL DEFAULT '',
    roles TEXT NOT NULL DEFAULT '',
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX outbox_channels_region ON outbox_channels (region_code);

-- One message for one robot channel. status: pending, sending (claimed until
-- locked_until), sent, dead. dedup_key makes producers idempotent.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel_id BIGINT NOT NULL,
    channel_kind TEXT NOT NULL,
    region_code TEXT NOT NULL,
    event TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    dedup_key TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at BIGINT NOT NULL DEFAULT 0,
    dead_at BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX outbox_channel_dedup ON outbox (channel_id, dedup_key);
CREATE INDEX outbox_due ON outbox (status, next_at);
CREATE INDEX outbox_region ON outbox (region_code, status);

-- Service ledger (R14-R16), obligations (R21-R23), documents (R17, R28),
-- notifications and the counters that keep dashboards off the raw rows.

-- County-extendable kinds of service (R14); built-in kinds live in code.
CREATE TABLE ledger_kinds (
    region_code TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (region_code, code)
);

-- 一案一档: a legal matter groups the entries about it.
CREATE TABLE matters (
    id INTEGER PRIMARY KEY,
    village_code TEXT NOT NULL REFERENCES regions (code),
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    title TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    parties TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT '',
    opened_on TEXT NOT NULL,
    closed_on TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX matters_village ON matters (village_code);
CREATE INDEX matters_advisor ON matters (advisor_id);

-- 一次一记: one row per service. Rows are append-only; seq and hash chain
-- each village's volume (prev_hash is the previous row's hash).
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    village_code TEXT NOT NULL REFERENCES regions (code),
    seq BIGINT NOT NULL,
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    provider_id BIGINT NOT NULL,
    agreement_id BIGINT NOT NULL,
    matter_id BIGINT NOT NULL DEFAULT 0,
    amends_id BIGINT NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    service_date TEXT NOT NULL,
    start_time TEXT NOT NULL DEFAULT '',
    minutes INTEGER NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    served TEXT NOT NULL DEFAULT '',
    attendees INTEGER NOT NULL DEFAULT 0,
    content TEXT NOT NULL,
    result TEXT NOT NULL DEFAULT '',
    photos TEXT NOT NULL DEFAULT '',
    client_key TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    status TEXT NOT NULL,
    review_note TEXT NOT NULL DEFAULT '',
    reviewed_by BIGINT NOT NULL DEFAULT 0,
    reviewed_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX entries_village_seq ON entries (village_code, seq);
CREATE INDEX entries_village_date ON entries (village_code, service_date);
CREATE INDEX entries_advisor_date ON entries (advisor_id, service_date);
CREATE INDEX entries_provider_date ON entries (provider_id, service_date);
CREATE INDEX entries_matter ON entries (matter_id);
CREATE INDEX entries_amends ON entries (amends_id);
CREATE INDEX entries_status ON entries (status, village_code);
CREATE UNIQUE INDEX entries_client_key ON entries (created_by, client_key) WHERE client_key <> '';

-- The head of each village's chain, so deleting the last rows shows.
CREATE TABLE chain_heads (
    village_code TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

-- Services by region (every level, village to province), month and kind.
CREATE TABLE ledger_stats (
    region_code TEXT NOT NULL,
    month TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_code TEXT NOT NULL,
    entries BIGINT NOT NULL DEFAULT 0,
    minutes BIGINT NOT NULL DEFAULT 0,
    onsite_entries BIGINT NOT NULL DEFAULT 0,
    onsite_minutes BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (region_code, month, kind)
);
CREATE INDEX ledger_stats_parent ON ledger_stats (parent_code, month);

-- Obligations: one row per village, rule and period with what counts so far.
CREATE TABLE compliance (
    village_code TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    period_kind TEXT NOT NULL,
    advisor_id BIGINT NOT NULL,
    agreement_id BIGINT NOT NULL,
    cnt INTEGER NOT NULL DEFAULT 0,
    minutes INTEGER NOT NULL DEFAULT 0,
    need INTEGER NOT NULL DEFAULT 0,
    need_minutes INTEGER NOT NULL DEFAULT 0,
    met BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (village_code, rule_id, period_start)
);
CREATE INDEX compliance_advisor ON compliance (advisor_id, period_end);
CREATE INDEX compliance_open ON compliance (period_end, met);

-- Obligation totals by region (every level) and period.
CREATE TABLE compliance_stats (
    region_code TEXT NOT NULL,
    period_kind TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    parent_code TEXT NOT NULL,
    rules BIGINT NOT NULL DEFAULT 0,
    met BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (region_code, period_kind, period_start)
);
CREATE INDEX compliance_stats_parent ON compliance_stats (parent_code, period_start);

-- Policy layers (R21): the rules a jurisdiction sets for its subtree.
CREATE TABLE policies (
    region_code TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Documents of a volume: yearly service plan (R17), improvement report (R28).
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    village_code TEXT NOT NULL REFERENCES regions (code),
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX documents_kind_village_year ON documents (kind, village_code, advisor_id, year);

-- In-app notifications (R23); dedup_key keeps a daily job idempotent.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    dedup_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX notifications_user_dedup ON notifications (user_id, dedup_key);
CREATE INDEX notifications_user ON notifications (user_id, read_at);

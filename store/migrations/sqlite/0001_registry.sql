-- Registry: regions, providers, advisors, agreements, 1+N, accounts, audit.
CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level INTEGER NOT NULL,
    parent_code TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    underdeveloped TEXT NOT NULL DEFAULT '',
    remote BOOLEAN NOT NULL DEFAULT FALSE,
    name_key TEXT NOT NULL DEFAULT ''
);
CREATE INDEX regions_parent ON regions (parent_code);
CREATE INDEX regions_name_key ON regions (name_key);

CREATE TABLE settings (
    region_code TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE providers (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    credit_code TEXT NOT NULL,
    county_code TEXT NOT NULL REFERENCES regions (code),
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX providers_county_name ON providers (county_code, name);
CREATE INDEX providers_credit ON providers (credit_code);

CREATE TABLE advisors (
    id INTEGER PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES providers (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    gender TEXT NOT NULL DEFAULT '',
    licence_no TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL,
    wechat TEXT NOT NULL DEFAULT '',
    photo TEXT NOT NULL DEFAULT '',
    home_code TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX advisors_provider ON advisors (provider_id);
CREATE UNIQUE INDEX advisors_provider_name_phone ON advisors (provider_id, name, phone);

CREATE TABLE agreements (
    id INTEGER PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES providers (id),
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    packaged BOOLEAN NOT NULL DEFAULT FALSE,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    subsidy_fen BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    signed_on TEXT NOT NULL DEFAULT '',
    filed_on TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX agreements_region ON agreements (region_code);
CREATE INDEX agreements_advisor ON agreements (advisor_id);
CREATE INDEX agreements_provider ON agreements (provider_id);

CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    village_code TEXT NOT NULL REFERENCES regions (code),
    name TEXT NOT NULL,
    gender TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL DEFAULT '',
    committee BOOLEAN NOT NULL DEFAULT FALSE,
    phone TEXT NOT NULL,
    photo TEXT NOT NULL DEFAULT '',
    training TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    status_on TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX persons_village_name_phone ON persons (village_code, name, phone);

CREATE TABLE pairings (
    id INTEGER PRIMARY KEY,
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    village_code TEXT NOT NULL REFERENCES regions (code),
    paired_on TEXT NOT NULL,
    ended_on TEXT NOT NULL DEFAULT '',
    evaluation TEXT NOT NULL DEFAULT '',
    remarks TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX pairings_advisor_person ON pairings (advisor_id, person_id);
CREATE INDEX pairings_village ON pairings (village_code);

CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    pairing_id BIGINT NOT NULL REFERENCES pairings (id),
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX activities_pairing ON activities (pairing_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    region_code TEXT NOT NULL DEFAULT '',
    provider_id BIGINT NOT NULL DEFAULT 0,
    advisor_id BIGINT NOT NULL DEFAULT 0,
    phone TEXT NOT NULL DEFAULT '',
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    lang TEXT NOT NULL DEFAULT 'zh',
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id BIGINT NOT NULL DEFAULT 0,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    before_json TEXT NOT NULL DEFAULT '',
    after_json TEXT NOT NULL DEFAULT '',
    scope TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_scope ON audit_log (scope);

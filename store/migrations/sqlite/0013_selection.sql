-- The annual selection (R40–R46, seed 004): campaigns with their settings as
-- JSON, candidates per stage, scores, panels, stage lists with their 公示,
-- objections, the public vote (SMS codes, voters, sessions, ballots in a
-- hash chain per campaign stage, published daily heads, voids, flags),
-- and the eligibility records the bureau keeps.
CREATE TABLE sel_campaigns (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sel_campaigns_region ON sel_campaigns (region_code, year);
-- status: active, withdrawn.
CREATE TABLE sel_candidates (
    id INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES sel_campaigns (id),
    stage TEXT NOT NULL,
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    county_code TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    profile TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX sel_candidates_once ON sel_candidates (campaign_id, stage, advisor_id);
-- Component scores the bureau enters (the province's assessment), hundredths of a point.
CREATE TABLE sel_scores (
    candidate_id BIGINT NOT NULL REFERENCES sel_candidates (id),
    component TEXT NOT NULL,
    score BIGINT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at BIGINT NOT NULL,
    PRIMARY KEY (candidate_id, component)
);
CREATE TABLE sel_panel (
    id INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES sel_campaigns (id),
    stage TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    title TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX sel_panel_once ON sel_panel (campaign_id, stage, user_id);
-- A member's score of a candidate; submitted_at > 0 locks it.
CREATE TABLE sel_panel_scores (
    candidate_id BIGINT NOT NULL REFERENCES sel_candidates (id),
    member_id BIGINT NOT NULL REFERENCES sel_panel (id),
    score BIGINT NOT NULL,
    submitted_at BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (candidate_id, member_id)
);
-- A stage's list as published for 公示 and confirmed by the bureau; snapshot
-- holds the ranking with every score as published.
CREATE TABLE sel_lists (
    campaign_id BIGINT NOT NULL REFERENCES sel_campaigns (id),
    stage TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    notice_start TEXT NOT NULL,
    notice_end TEXT NOT NULL,
    next_opens TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    confirmed_by TEXT NOT NULL DEFAULT '',
    confirmed_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, stage)
);
CREATE TABLE sel_objections (
    id INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES sel_campaigns (id),
    stage TEXT NOT NULL,
    candidate_id BIGINT NOT NULL DEFAULT 0,
    body TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    received_at BIGINT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    answered_by TEXT NOT NULL DEFAULT '',
    answered_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sel_objections_stage ON sel_objections (campaign_id, stage, received_at);
-- One-time codes: only a keyed hash of the code is kept.
CREATE TABLE sel_codes (
    id INTEGER PRIMARY KEY,
    phone TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sel_codes_phone ON sel_codes (phone, created_at);
CREATE INDEX sel_codes_ip ON sel_codes (ip, created_at);
CREATE TABLE sel_voters (
    id INTEGER PRIMARY KEY,
    phone TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX sel_voters_phone ON sel_voters (phone);
CREATE TABLE sel_sessions (
    token_hash TEXT PRIMARY KEY,
    voter_id BIGINT NOT NULL REFERENCES sel_voters (id),
    device TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
-- Ballots: appended, never updated or deleted; each carries the hash of the
-- one before in its campaign stage. slot numbers a voter's votes for one
-- candidate on one day (1 when the rule is once a day).
CREATE TABLE sel_ballots (
    id INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES sel_campaigns (id),
    stage TEXT NOT NULL,
    seq BIGINT NOT NULL,
    candidate_id BIGINT NOT NULL REFERENCES sel_candidates (id),
    voter_id BIGINT NOT NULL REFERENCES sel_voters (id),
    category TEXT NOT NULL,
    day TEXT NOT NULL,
    slot INTEGER NOT NULL,
    ip TEXT NOT NULL,
    device TEXT NOT NULL,
    cast_at BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE UNIQUE INDEX sel_ballots_seq ON sel_ballots (campaign_id, stage, seq);
CREATE UNIQUE INDEX sel_ballots_once ON sel_ballots (campaign_id, stage, voter_id, candidate_id, day, slot);
CREATE INDEX sel_ballots_day ON sel_ballots (campaign_id, stage, day);
CREATE TABLE sel_heads (
    campaign_id BIGINT NOT NULL REFERENCES sel_campaigns (id),
    stage TEXT NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (campaign_id, stage)
);
-- The daily publication: the chain head at publication and the counts.
CREATE TABLE sel_published (
    campaign_id BIGINT NOT NULL REFERENCES sel_campaigns (id),
    stage TEXT NOT NULL,
    day TEXT NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    counts TEXT NOT NULL,
    voided INTEGER NOT NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, stage, day)
);
CREATE TABLE sel_voids (
    ballot_id BIGINT PRIMARY KEY REFERENCES sel_ballots (id),
    reason TEXT NOT NULL,
    voided_by TEXT NOT NULL,
    voided_at BIGINT NOT NULL
);
CREATE TABLE sel_flags (
    id INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES sel_campaigns (id),
    stage TEXT NOT NULL,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    ballots INTEGER NOT NULL,
    detail TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX sel_flags_once ON sel_flags (campaign_id, stage, day, kind, subject);
-- Eligibility records (R41).
CREATE TABLE sel_recommendations (
    campaign_id BIGINT NOT NULL REFERENCES sel_campaigns (id),
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    village_code TEXT NOT NULL REFERENCES regions (code),
    recommended_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, advisor_id, village_code)
);
CREATE TABLE sel_sanctions (
    id INTEGER PRIMARY KEY,
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    kind TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    authority TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sel_sanctions_advisor ON sel_sanctions (advisor_id);
CREATE TABLE sel_assessments (
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    year INTEGER NOT NULL,
    passed BOOLEAN NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (advisor_id, year)
);
-- Typical cases (R30, R45). level: district, city, province, published.
CREATE TABLE sel_cases (
    id INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES sel_campaigns (id),
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    county_code TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    served_on TEXT NOT NULL,
    links TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sel_cases_campaign ON sel_cases (campaign_id, level);
-- Materials per district (R46): kind profile, forms, photos.
CREATE TABLE sel_materials (
    campaign_id BIGINT NOT NULL REFERENCES sel_campaigns (id),
    county_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    submitted_by TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, county_code, kind)
);

-- Revisits (R35): the bureau asks village committees about their advisor;
-- and the publicity calendar's jurisdiction-entered days (R37).

-- A round of revisits a county sends (e.g. the yearly one).
CREATE TABLE revisit_rounds (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL REFERENCES regions (code),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX revisit_rounds_county ON revisit_rounds (county_code, year);

-- One questionnaire: a village committee about its advisor in a round.
-- status: sent, answered.
CREATE TABLE revisits (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES revisit_rounds (id),
    village_code TEXT NOT NULL REFERENCES regions (code),
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    year INTEGER NOT NULL,
    status TEXT NOT NULL,
    respondent TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    answered_by BIGINT NOT NULL DEFAULT 0,
    answered_at BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX revisits_round_village ON revisits (round_id, village_code, advisor_id);
CREATE INDEX revisits_village ON revisits (village_code, year);
CREATE INDEX revisits_advisor ON revisits (advisor_id, year);

-- The 1–5 rating of one question of an answered revisit.
CREATE TABLE revisit_scores (
    revisit_id BIGINT NOT NULL REFERENCES revisits (id),
    question TEXT NOT NULL,
    score INTEGER NOT NULL,
    PRIMARY KEY (revisit_id, question)
);

-- Campaign days a jurisdiction enters (committee elections, local days);
-- the fixed national days live in code.
CREATE TABLE campaign_days (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX campaign_days_day ON campaign_days (day);

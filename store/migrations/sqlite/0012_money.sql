-- Contracts and money (issue 15, R39): subsidy standards per jurisdiction,
-- a county's deduction rules, settlements with their lines and corrections.
-- Amounts are BIGINT fen.

-- A jurisdiction's subsidy standard per village per year (seed 003 三(二)).
-- base_fen is the standard for an ordinary village and the floor for every
-- jurisdiction below; city_fen and county_fen are the amounts for city- and
-- county-level underdeveloped villages (0: the base). town_share_pct is a
-- county's setting: the towns' per cent of an ordinary village's subsidy.
CREATE TABLE money_standards (
    region_code TEXT PRIMARY KEY REFERENCES regions (code),
    base_fen BIGINT NOT NULL,
    city_fen BIGINT NOT NULL DEFAULT 0,
    county_fen BIGINT NOT NULL DEFAULT 0,
    town_share_pct INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    updated_by BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A county's deduction rule. kind: missed_period (amount_fen per missed duty
-- period), hour_short (amount_fen per hour short of the on-site minimum),
-- grade (pct of the line's amount for an assessment grade). duty_rule names
-- the duty rule it applies to ('' = every rule); cap_fen caps the rule's
-- total on one line (0 = no cap).
CREATE TABLE money_rules (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    kind TEXT NOT NULL,
    duty_rule TEXT NOT NULL DEFAULT '',
    grade TEXT NOT NULL DEFAULT '',
    amount_fen BIGINT NOT NULL DEFAULT 0,
    pct INTEGER NOT NULL DEFAULT 0,
    cap_fen BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX money_rules_region ON money_rules (region_code);

-- A county's settlement of a year or half-year. status: draft, reviewed,
-- locked, signed.
CREATE TABLE money_settlements (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    year INTEGER NOT NULL,
    half INTEGER NOT NULL DEFAULT 0,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    status TEXT NOT NULL,
    computed_on TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    reviewed_by BIGINT NOT NULL DEFAULT 0,
    reviewed_at BIGINT NOT NULL DEFAULT 0,
    locked_by BIGINT NOT NULL DEFAULT 0,
    locked_at BIGINT NOT NULL DEFAULT 0,
    signed_by BIGINT NOT NULL DEFAULT 0,
    signed_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX money_settlements_period ON money_settlements (region_code, year, half);

-- One line: an agreement's service of one village in the period. The payer
-- of town_fen is the town (the village's parent); the rest of due_fen is
-- paid by payer_code.
CREATE TABLE money_lines (
    id INTEGER PRIMARY KEY,
    settlement_id BIGINT NOT NULL REFERENCES money_settlements (id),
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    village_code TEXT NOT NULL REFERENCES regions (code),
    advisor_id BIGINT NOT NULL,
    provider_id BIGINT NOT NULL,
    underdeveloped TEXT NOT NULL DEFAULT '',
    term_start TEXT NOT NULL,
    term_end TEXT NOT NULL,
    standard_fen BIGINT NOT NULL,
    months INTEGER NOT NULL,
    prorated_fen BIGINT NOT NULL,
    deduction_fen BIGINT NOT NULL,
    correction_fen BIGINT NOT NULL DEFAULT 0,
    due_fen BIGINT NOT NULL,
    payer_kind TEXT NOT NULL,
    payer_code TEXT NOT NULL,
    town_fen BIGINT NOT NULL DEFAULT 0,
    details TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX money_lines_settlement ON money_lines (settlement_id, village_code);

-- A recorded correction of a locked settlement's line.
CREATE TABLE money_corrections (
    id INTEGER PRIMARY KEY,
    settlement_id BIGINT NOT NULL REFERENCES money_settlements (id),
    line_id BIGINT NOT NULL REFERENCES money_lines (id),
    before_fen BIGINT NOT NULL,
    after_fen BIGINT NOT NULL,
    reason TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX money_corrections_settlement ON money_corrections (settlement_id);

-- The year's verdict (R38, R25): assessment sheets inherited down the
-- jurisdiction tree, the county's yearly assessment round with its hand
-- scores, results and objections, and inspections with their findings and
-- rectification orders.

-- A jurisdiction's own assessment sheet (JSON, assess.Sheet); the sheet
-- binding a village is resolved from its region's layers like the duty
-- rules (policies).
CREATE TABLE assess_sheets (
    region_code TEXT PRIMARY KEY REFERENCES regions (code),
    body TEXT NOT NULL,
    updated_by BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A county's round for a year. status: scoring, published (results out,
-- objections open until objection_until), final. Thresholds in tenths of a
-- point out of 100.
CREATE TABLE assess_rounds (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL REFERENCES regions (code),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    as_of TEXT NOT NULL,
    excellent INTEGER NOT NULL,
    pass INTEGER NOT NULL,
    basic INTEGER NOT NULL,
    objection_days INTEGER NOT NULL,
    published_on TEXT NOT NULL DEFAULT '',
    objection_until TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX assess_rounds_county_year ON assess_rounds (county_code, year);

-- A hand score of one item of an advisor's sheet by one scorer: the village
-- committee for its village, the town office for its town, the bureau for
-- its county (region_code). points in tenths.
CREATE TABLE assess_scores (
    round_id BIGINT NOT NULL REFERENCES assess_rounds (id),
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    item_id TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    points INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    scored_by BIGINT NOT NULL,
    scored_at BIGINT NOT NULL,
    PRIMARY KEY (round_id, advisor_id, item_id, region_code)
);

-- An advisor's result in a round, fixed when the round is published: the
-- scored sheet (JSON, assess.Result with its evidence), total and grade;
-- reason is the recorded reason of the last change after publication.
CREATE TABLE assess_results (
    round_id BIGINT NOT NULL REFERENCES assess_rounds (id),
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    provider_id BIGINT NOT NULL,
    total INTEGER NOT NULL,
    max_points INTEGER NOT NULL,
    grade TEXT NOT NULL,
    body TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    updated_by BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (round_id, advisor_id)
);
CREATE INDEX assess_results_advisor ON assess_results (advisor_id);

-- An advisor's objection to an item of a published result, and its answer.
CREATE TABLE assess_objections (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES assess_rounds (id),
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    item_id TEXT NOT NULL,
    body TEXT NOT NULL,
    filed_by BIGINT NOT NULL,
    filed_at BIGINT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    answered_by BIGINT NOT NULL DEFAULT 0,
    answered_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX assess_objections_round ON assess_objections (round_id, advisor_id);

-- An inspection plan (R25): random checks drawn from a seed written down
-- before the draw, unannounced visits, cross-checks. kind: random,
-- unannounced, cross.
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    seed TEXT NOT NULL,
    sample_size INTEGER NOT NULL,
    planned_on TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX inspections_region ON inspections (region_code);

-- A village drawn into an inspection and the findings recorded there:
-- checklist (JSON: check → ok/problem), note. status: planned, done.
CREATE TABLE inspection_visits (
    id INTEGER PRIMARY KEY,
    inspection_id BIGINT NOT NULL REFERENCES inspections (id),
    village_code TEXT NOT NULL REFERENCES regions (code),
    advisor_id BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    checklist TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    inspected_by BIGINT NOT NULL DEFAULT 0,
    inspected_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX inspection_visits_village ON inspection_visits (inspection_id, village_code);
CREATE INDEX inspection_visits_advisor ON inspection_visits (advisor_id);

-- A rectification order (整改) from a finding to the advisor's firm, with a
-- deadline. status: open, closed.
CREATE TABLE rectifications (
    id INTEGER PRIMARY KEY,
    visit_id BIGINT NOT NULL REFERENCES inspection_visits (id),
    village_code TEXT NOT NULL REFERENCES regions (code),
    advisor_id BIGINT NOT NULL DEFAULT 0,
    provider_id BIGINT NOT NULL DEFAULT 0,
    issue TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    closed_note TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_by BIGINT NOT NULL DEFAULT 0,
    closed_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX rectifications_due ON rectifications (status, due_on);

-- A resident's rating of their village's advisor from the public survey
-- link (no account; abuse limited per address in the process): four 1–5
-- questions and an optional comment. No address or name is stored.
CREATE TABLE assess_surveys (
    id INTEGER PRIMARY KEY,
    village_code TEXT NOT NULL REFERENCES regions (code),
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    year INTEGER NOT NULL,
    attitude INTEGER NOT NULL,
    reach INTEGER NOT NULL,
    help INTEGER NOT NULL,
    overall INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX assess_surveys_advisor ON assess_surveys (advisor_id, year);
CREATE INDEX assess_surveys_village ON assess_surveys (village_code, year);

-- A commendation (R40) proposed from a round's results: published for at
-- least notice_days working days (公示) from published_on, objections
-- recorded, then issued. status: publicized, issued.
CREATE TABLE assess_commendations (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES assess_rounds (id),
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    notice_days INTEGER NOT NULL,
    published_on TEXT NOT NULL,
    notice_until TEXT NOT NULL,
    issued_on TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- The advisors on a commendation list, with the reason shown in the notice.
CREATE TABLE assess_commendees (
    commendation_id BIGINT NOT NULL REFERENCES assess_commendations (id),
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    reason TEXT NOT NULL,
    PRIMARY KEY (commendation_id, advisor_id)
);

-- An objection received during the notice, and how it was handled.
CREATE TABLE assess_commend_objections (
    id INTEGER PRIMARY KEY,
    commendation_id BIGINT NOT NULL REFERENCES assess_commendations (id),
    body TEXT NOT NULL,
    handling TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Major-matter reports (重大事项报告, R18, seed 002 五、3): an advisor reports
-- a matter of one of five categories; the town judicial office or the county
-- bureau acknowledges it, follows it up and closes it. A report not
-- acknowledged in time escalates (level 0 judicial office, 1 county bureau,
-- 2 city bureau).

CREATE TABLE major_reports (
    id INTEGER PRIMARY KEY,
    village_code TEXT NOT NULL REFERENCES regions (code),
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    provider_id BIGINT NOT NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    facts TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    people INTEGER NOT NULL DEFAULT 0,
    suggestion TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    level INTEGER NOT NULL DEFAULT 0,
    ack_hours INTEGER NOT NULL,
    ack_due_at BIGINT NOT NULL,
    submitted_at BIGINT NOT NULL,
    acknowledged_at BIGINT NOT NULL DEFAULT 0,
    acknowledged_by BIGINT NOT NULL DEFAULT 0,
    escalated_at BIGINT NOT NULL DEFAULT 0,
    follow_ups INTEGER NOT NULL DEFAULT 0,
    closed_at BIGINT NOT NULL DEFAULT 0,
    closed_by BIGINT NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT '',
    client_key TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX major_reports_village ON major_reports (village_code, submitted_at);
CREATE INDEX major_reports_advisor ON major_reports (advisor_id, submitted_at);
CREATE INDEX major_reports_provider ON major_reports (provider_id, submitted_at);
CREATE INDEX major_reports_waiting ON major_reports (status, ack_due_at);
CREATE UNIQUE INDEX major_reports_client_key ON major_reports (created_by, client_key) WHERE client_key <> '';

-- Each step of a report: submitted, acknowledged, followed_up, escalated,
-- closed; who (user_id 0 for the system), when and the note.
CREATE TABLE major_events (
    id INTEGER PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES major_reports (id),
    kind TEXT NOT NULL,
    level INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    user_id BIGINT NOT NULL DEFAULT 0,
    username TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX major_events_report ON major_events (report_id, at);

-- A county's acknowledgement deadline in hours (default 24 when absent).
CREATE TABLE major_settings (
    region_code TEXT PRIMARY KEY,
    ack_hours INTEGER NOT NULL,
    updated_at BIGINT NOT NULL
);

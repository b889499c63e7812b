-- Online consultation (我要问, R33): a resident asks a village's advisor
-- without an account; the ticket and the phone's last four digits let the
-- resident follow it. status: open, answered.
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY,
    ticket TEXT NOT NULL,
    village_code TEXT NOT NULL REFERENCES regions (code),
    advisor_id BIGINT NOT NULL REFERENCES advisors (id),
    category TEXT NOT NULL,
    question TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    notice_version TEXT NOT NULL,
    status TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    escalated_at BIGINT NOT NULL DEFAULT 0,
    answer TEXT NOT NULL DEFAULT '',
    answered_by BIGINT NOT NULL DEFAULT 0,
    answered_at BIGINT NOT NULL DEFAULT 0,
    entry_id BIGINT NOT NULL DEFAULT 0,
    rating INTEGER NOT NULL DEFAULT 0,
    rating_comment TEXT NOT NULL DEFAULT '',
    rated_at BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX consultations_ticket ON consultations (ticket);
CREATE INDEX consultations_village ON consultations (village_code, created_at);
CREATE INDEX consultations_advisor ON consultations (advisor_id, status);
CREATE INDEX consultations_due ON consultations (status, escalated_at, due_at);
CREATE INDEX consultations_phone ON consultations (phone, created_at);

-- The holiday table administrators keep on the holiday page (issue 11,
-- item 6): each official arrangement they add, one row per exception to the
-- Monday-Friday week, over the table shipped in internal/calendar. year is
-- the arrangement the row was entered with (a year is replaced as a whole).
CREATE TABLE holidays (
    date TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    updated_by BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX holidays_year ON holidays (year);

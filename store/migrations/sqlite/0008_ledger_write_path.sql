-- Fewer index pages per recorded entry. Every secondary index keyed by a
-- value that is random across villages costs each new entry one more index
-- page written at commit, which bounds recording throughput.
--  * entries_village_date goes: a village's entries are found through
--    entries_village_seq and filtered by date (a village records a few
--    hundred a year).
--  * entries_status (status, village_code) becomes entries_pending: only
--    pending entries, keyed by recording time, so new entries append to the
--    index's last page; the daily reminder reads it.
--  * matter_id and amends_id are 0 for most entries: index only the others.
DROP INDEX entries_village_date;
DROP INDEX entries_status;
DROP INDEX entries_matter;
DROP INDEX entries_amends;
CREATE INDEX entries_pending ON entries (created_at) WHERE status = 'pending';
CREATE INDEX entries_matter ON entries (matter_id) WHERE matter_id > 0;
CREATE INDEX entries_amends ON entries (amends_id) WHERE amends_id > 0;

-- A project's listing filtered on a column with few values (a ticket's level, a finding's kind):
-- with only (project_id, id) and (level, id) SQLite has no statistics to choose between them and
-- may walk every level-2 ticket of every project looking for one project's, which at a million
-- rows takes hundreds of milliseconds. With both columns in one index the planner takes it (two
-- equality columns beat one) and reads the page in id order, statistics or not.
CREATE INDEX tickets_project_level ON tickets (project_id, level, id);
CREATE INDEX findings_project_kind ON findings (project_id, kind, id);

-- Columns that stay NULL for almost every ticket (a lead only for merged tickets, an expiry only
-- for accepted risks) are indexed only where they are set: every query on them compares them to
-- a value, which implies NOT NULL, and ingest no longer adds an entry per new ticket to each.
DROP INDEX tickets_merged_into;
CREATE INDEX tickets_merged_into ON tickets (merged_into) WHERE merged_into IS NOT NULL;
DROP INDEX tickets_risk_expiry;
CREATE INDEX tickets_risk_expiry ON tickets (state, risk_expires_at) WHERE risk_expires_at IS NOT NULL;

-- Merged tickets: a ticket that joined another (its lead) is in state `merged` and points at the
-- lead, which stands for the whole group until it is split again.

ALTER TABLE tickets ADD COLUMN merged_into BIGINT REFERENCES tickets(id);
CREATE INDEX tickets_merged_into ON tickets (merged_into);

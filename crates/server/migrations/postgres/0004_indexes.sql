-- Listings at scale (store/list.rs): a page is the newest matches below the cursor, found by
-- walking an index in id order and stopping at the page's end. A developer's listings are
-- restricted to their teams' projects (`project_id IN (…)`): with (project_id, id) each of those
-- projects yields its findings newest first and the page is merged from them, instead of every
-- finding of those projects being sorted.
CREATE INDEX findings_project ON findings (project_id, id);

-- A kind can be rare (manual and penetration-test findings among thousands of scanner ones):
-- without an index, listing it walks every finding.
CREATE INDEX findings_kind ON findings (kind, id);

-- Breached-ticket listings (`breached=true`) walk tickets (state, mitigation_due), which
-- 0003 creates for the deadline sweep.

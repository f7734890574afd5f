-- Triage: false-positive and risk-acceptance requests, decided by a second person.

ALTER TABLE tickets ADD COLUMN risk_expires_at INTEGER;
CREATE INDEX tickets_risk_expiry ON tickets (state, risk_expires_at);

CREATE TABLE triage_requests (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    expires_at INTEGER,
    state TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    decided_by TEXT,
    decision_note TEXT,
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE INDEX triage_requests_ticket ON triage_requests (ticket_id, id);
CREATE INDEX triage_requests_state ON triage_requests (state, id);

-- Deadlines breached and escalated, and the notification outbox.

-- One row per breach: a ticket's deadline (mitigation or remediation) with the due time it had.
-- The unique key makes recording a breach happen once, whichever process sweeps; a ticket that
-- is reopened with fresh deadlines can breach again.
CREATE TABLE ticket_breaches (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    deadline TEXT NOT NULL,
    due INTEGER NOT NULL,
    breached_at INTEGER NOT NULL,
    escalated_at INTEGER,
    escalated_to TEXT,
    UNIQUE (ticket_id, deadline, due)
);
CREATE INDEX ticket_breaches_pending ON ticket_breaches (escalated_at, breached_at);
CREATE INDEX tickets_mitigation_due ON tickets (state, mitigation_due);

-- Serializes the escalation sweep across processes: its transaction starts by updating this row.
CREATE TABLE worker_locks (
    name TEXT PRIMARY KEY,
    held_at INTEGER NOT NULL
);
INSERT INTO worker_locks (name, held_at) VALUES ('escalation', 0);

-- The outbox: one row per notification, written in the transaction of the change that causes it.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets(id),
    exception_id INTEGER REFERENCES exceptions(id),
    body TEXT NOT NULL,
    only_channel TEXT,
    state TEXT NOT NULL,
    channels TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_ticket ON outbox (ticket_id, id);

-- Every delivery attempt to every channel.
CREATE TABLE outbox_attempts (
    id INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox(id),
    attempt INTEGER NOT NULL,
    channel TEXT NOT NULL,
    at INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    status INTEGER,
    response TEXT,
    error TEXT,
    next_attempt_at INTEGER
);
CREATE INDEX outbox_attempts_outbox ON outbox_attempts (outbox_id, id);

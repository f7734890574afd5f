-- Times are Unix milliseconds; structured values are JSON text.

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    lead_id INTEGER REFERENCES people(id),
    created_at INTEGER NOT NULL
);

CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_members_person ON team_members (person_id);


CREATE TABLE organization (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    sla_policy TEXT NOT NULL DEFAULT '{}',
    default_owner_id INTEGER REFERENCES people(id),
    default_team_id INTEGER REFERENCES teams(id)
);

INSERT INTO organization (id, name, sla_policy) VALUES (1, 'default', '{}');

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    team_id INTEGER REFERENCES teams(id),
    owner_id INTEGER REFERENCES people(id),
    default_branch TEXT,
    sla_policy TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    owner_id INTEGER REFERENCES people(id),
    team_id INTEGER REFERENCES teams(id),
    created_at INTEGER NOT NULL,
    UNIQUE (kind, name)
);

CREATE TABLE uploads (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    digest TEXT NOT NULL,
    format TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (project_id, digest)
);

CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    upload_id INTEGER NOT NULL REFERENCES uploads(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    tool TEXT NOT NULL,
    tool_version TEXT,
    kind TEXT NOT NULL,
    commit_sha TEXT,
    branch TEXT,
    pipeline TEXT,
    stage TEXT,
    created_at INTEGER NOT NULL,
    complete INTEGER NOT NULL,
    problems TEXT NOT NULL,
    moves_lifecycle INTEGER NOT NULL,
    findings_total INTEGER NOT NULL,
    findings_new INTEGER NOT NULL,
    findings_reopened INTEGER NOT NULL,
    findings_fixed INTEGER NOT NULL,
    findings_unchanged INTEGER NOT NULL
);
CREATE INDEX scans_project ON scans (project_id, id);
CREATE INDEX scans_upload ON scans (upload_id);

CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    fingerprint TEXT NOT NULL,
    tool TEXT NOT NULL,
    kind TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    path TEXT,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    host TEXT,
    port INTEGER,
    commit_sha TEXT,
    evidence TEXT NOT NULL,
    detail TEXT NOT NULL,
    state TEXT NOT NULL,
    first_scan_id INTEGER NOT NULL REFERENCES scans(id),
    last_scan_id INTEGER NOT NULL REFERENCES scans(id),
    fixed_scan_id INTEGER REFERENCES scans(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (project_id, fingerprint)
);
CREATE INDEX findings_project_state ON findings (project_id, state, id);
CREATE INDEX findings_state ON findings (state, id);
CREATE INDEX findings_severity ON findings (severity, id);
CREATE INDEX findings_rule ON findings (rule_id, id);
CREATE INDEX findings_created ON findings (created_at);
CREATE INDEX findings_updated ON findings (updated_at);

CREATE TABLE finding_events (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    scan_id INTEGER REFERENCES scans(id),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    note TEXT
);
CREATE INDEX finding_events_finding ON finding_events (finding_id, id);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL UNIQUE REFERENCES findings(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    level INTEGER NOT NULL,
    state TEXT NOT NULL,
    owner_id INTEGER REFERENCES people(id),
    team_id INTEGER REFERENCES teams(id),
    mitigation_due INTEGER NOT NULL,
    remediation_due INTEGER NOT NULL,
    mitigation_note TEXT,
    closed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX tickets_project ON tickets (project_id, id);
CREATE INDEX tickets_state ON tickets (state, id);
CREATE INDEX tickets_level ON tickets (level, id);
CREATE INDEX tickets_due ON tickets (state, remediation_due);
CREATE INDEX tickets_owner ON tickets (owner_id, id);
CREATE INDEX tickets_updated ON tickets (updated_at);

CREATE TABLE exceptions (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    rule TEXT,
    fingerprint TEXT,
    path TEXT,
    advisory TEXT,
    scanner TEXT,
    stages TEXT NOT NULL,
    reason TEXT NOT NULL,
    expires TEXT NOT NULL,
    state TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    decided_by TEXT,
    approver TEXT,
    decision_note TEXT,
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE INDEX exceptions_project ON exceptions (project_id, state, id);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    actor TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX comments_ticket ON comments (ticket_id, id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    projects TEXT NOT NULL,
    person_id INTEGER REFERENCES people(id),
    expires_at INTEGER,
    last_used_at INTEGER,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES people(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- The chain head: one row, updated in the transaction that appends, so appends serialize.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_id INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

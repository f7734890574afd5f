//! Rows as the rest of the server sees them.

use serde::Serialize;
use sqlx::any::AnyRow;

use super::{get, Result, StoreError};

fn json_or_null(text: Option<String>) -> serde_json::Value {
    text.and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null)
}

pub(crate) const PROJECT_SELECT: &str = "SELECT p.id, p.name, p.team_id, t.name AS team_name,
    p.owner_id, o.email AS owner_email, p.default_branch, p.sla_policy, p.created_at, p.updated_at
    FROM projects p LEFT JOIN teams t ON t.id = p.team_id LEFT JOIN people o ON o.id = p.owner_id";

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Project {
    pub id: i64,
    pub name: String,
    #[serde(skip)]
    pub team_id: Option<i64>,
    pub team: Option<String>,
    #[serde(skip)]
    pub owner_id: Option<i64>,
    pub owner: Option<String>,
    pub default_branch: Option<String>,
    /// The project's SLA override (JSON), if any.
    pub sla: serde_json::Value,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Project {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Project {
            id: get(r, "id")?,
            name: get(r, "name")?,
            team_id: get(r, "team_id")?,
            team: get(r, "team_name")?,
            owner_id: get(r, "owner_id")?,
            owner: get(r, "owner_email")?,
            default_branch: get(r, "default_branch")?,
            sla: json_or_null(get(r, "sla_policy")?),
            created_at: get(r, "created_at")?,
            updated_at: get(r, "updated_at")?,
        })
    }

    pub fn sla_text(&self) -> Option<String> {
        (!self.sla.is_null()).then(|| self.sla.to_string())
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Team {
    pub id: i64,
    pub name: String,
    #[serde(skip)]
    pub lead_id: Option<i64>,
    pub lead: Option<String>,
    pub created_at: i64,
}

impl Team {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Team {
            id: get(r, "id")?,
            name: get(r, "name")?,
            lead_id: get(r, "lead_id")?,
            lead: get(r, "lead_email")?,
            created_at: get(r, "created_at")?,
        })
    }
}

pub(crate) const PERSON_SELECT: &str =
    "SELECT id, name, email, role, password_hash, created_at FROM people";

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub created_at: i64,
}

impl Person {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(Person {
            id: get(r, "id")?,
            name: get(r, "name")?,
            email: get(r, "email")?,
            role: get(r, "role")?,
            password_hash: get(r, "password_hash")?,
            created_at: get(r, "created_at")?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub role: String,
    /// The projects it may touch; empty means every project its role allows.
    pub projects: Vec<String>,
    pub person_id: Option<i64>,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub created_at: i64,
}

impl ApiToken {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        let projects: String = get(r, "projects")?;
        Ok(ApiToken {
            id: get(r, "id")?,
            name: get(r, "name")?,
            role: get(r, "role")?,
            projects: serde_json::from_str(&projects)
                .map_err(|e| StoreError::Data(format!("api_tokens.projects: {e}")))?,
            person_id: get(r, "person_id")?,
            expires_at: get(r, "expires_at")?,
            last_used_at: get(r, "last_used_at")?,
            created_at: get(r, "created_at")?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub name: String,
    pub sla_policy: String,
    pub default_owner_id: Option<i64>,
    pub default_team_id: Option<i64>,
    pub first_admin_id: Option<i64>,
}

pub(crate) const SCAN_SELECT: &str =
    "SELECT s.id, s.upload_id, s.project_id, p.name AS project_name,
    s.tool, s.tool_version, s.kind, s.commit_sha, s.branch, s.pipeline, s.stage, s.created_at,
    s.complete, s.problems, s.moves_lifecycle, s.findings_total, s.findings_new,
    s.findings_reopened, s.findings_fixed, s.findings_unchanged
    FROM scans s JOIN projects p ON p.id = s.project_id";

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Scan {
    pub id: i64,
    pub upload: i64,
    #[serde(skip)]
    pub project_id: i64,
    pub project: String,
    pub tool: String,
    pub tool_version: Option<String>,
    pub kind: String,
    pub commit: Option<String>,
    pub branch: Option<String>,
    pub pipeline: Option<String>,
    pub stage: Option<String>,
    pub created_at: i64,
    pub complete: bool,
    pub problems: Vec<String>,
    /// Whether this scan moved the findings' lifecycle (default branch, or none).
    pub moves_lifecycle: bool,
    pub findings: super::ScanCounts,
}

impl Scan {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        let problems: String = get(r, "problems")?;
        Ok(Scan {
            id: get(r, "id")?,
            upload: get(r, "upload_id")?,
            project_id: get(r, "project_id")?,
            project: get(r, "project_name")?,
            tool: get(r, "tool")?,
            tool_version: get(r, "tool_version")?,
            kind: get(r, "kind")?,
            commit: get(r, "commit_sha")?,
            branch: get(r, "branch")?,
            pipeline: get(r, "pipeline")?,
            stage: get(r, "stage")?,
            created_at: get(r, "created_at")?,
            complete: get::<i64>(r, "complete")? != 0,
            problems: serde_json::from_str(&problems).unwrap_or_default(),
            moves_lifecycle: get::<i64>(r, "moves_lifecycle")? != 0,
            findings: super::ScanCounts {
                total: get(r, "findings_total")?,
                new: get(r, "findings_new")?,
                reopened: get(r, "findings_reopened")?,
                fixed: get(r, "findings_fixed")?,
                unchanged: get(r, "findings_unchanged")?,
            },
        })
    }
}

pub(crate) const EXCEPTION_SELECT: &str = "SELECT e.id, e.project_id, p.name AS project_name,
    e.rule, e.fingerprint, e.path, e.advisory, e.scanner, e.stages, e.reason, e.expires, e.state,
    e.requested_by, e.decided_by, e.approver, e.decision_note, e.created_at, e.decided_at
    FROM exceptions e JOIN projects p ON p.id = e.project_id";

/// An exception as the gate reads it: the keys of a `gatehouse.toml` `[[exceptions]]` entry,
/// plus the request's state and history.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ExceptionRecord {
    pub id: i64,
    #[serde(skip)]
    pub project_id: i64,
    pub project: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advisory: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scanner: Option<String>,
    pub stages: Vec<String>,
    pub reason: String,
    /// Who approved it; only approved exceptions have one.
    pub approver: Option<String>,
    pub expires: String,
    pub state: String,
    pub requested_by: String,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

impl ExceptionRecord {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        let stages: String = get(r, "stages")?;
        Ok(ExceptionRecord {
            id: get(r, "id")?,
            project_id: get(r, "project_id")?,
            project: get(r, "project_name")?,
            rule: get(r, "rule")?,
            fingerprint: get(r, "fingerprint")?,
            path: get(r, "path")?,
            advisory: get(r, "advisory")?,
            scanner: get(r, "scanner")?,
            stages: serde_json::from_str(&stages).unwrap_or_default(),
            reason: get(r, "reason")?,
            approver: get(r, "approver")?,
            expires: get(r, "expires")?,
            state: get(r, "state")?,
            requested_by: get(r, "requested_by")?,
            decided_by: get(r, "decided_by")?,
            decision_note: get(r, "decision_note")?,
            created_at: get(r, "created_at")?,
            decided_at: get(r, "decided_at")?,
        })
    }
}

/// One event of the audit log; `before` and `after` are canonical JSON text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct AuditEvent {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(AuditEvent {
            id: get(r, "id")?,
            at: get(r, "at")?,
            actor: get(r, "actor")?,
            action: get(r, "action")?,
            object_type: get(r, "object_type")?,
            object_id: get(r, "object_id")?,
            before: get(r, "before_json")?,
            after: get(r, "after_json")?,
            prev_hash: get(r, "prev_hash")?,
            hash: get(r, "hash")?,
        })
    }
}

pub(crate) const FINDING_SELECT: &str = "SELECT f.id, f.project_id, p.name AS project_name,
    f.fingerprint, f.tool, f.kind, f.rule_id, f.severity, f.title, f.message, f.path,
    f.start_line, f.end_line, f.host, f.port, f.commit_sha, f.evidence, f.state, f.first_scan_id,
    f.last_scan_id, f.fixed_scan_id, f.created_at, f.updated_at,
    t.id AS ticket_id, t.level AS ticket_level, t.state AS ticket_state,
    t.mitigation_due, t.remediation_due
    FROM findings f JOIN projects p ON p.id = f.project_id
    LEFT JOIN tickets t ON t.finding_id = f.id";

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FindingRecord {
    pub id: i64,
    #[serde(skip)]
    pub project_id: i64,
    pub project: String,
    pub fingerprint: String,
    pub tool: String,
    pub kind: String,
    pub rule: String,
    pub severity: String,
    pub title: String,
    pub message: String,
    pub path: Option<String>,
    pub start_line: i64,
    pub end_line: i64,
    pub host: Option<String>,
    pub port: Option<i64>,
    pub commit: Option<String>,
    /// Masked evidence: snippet with secrets masked, the secret's masked preview and hash.
    pub evidence: serde_json::Value,
    pub state: String,
    pub first_scan: i64,
    pub last_scan: i64,
    pub fixed_scan: Option<i64>,
    pub ticket: Option<i64>,
    pub level: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl FindingRecord {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(FindingRecord {
            id: get(r, "id")?,
            project_id: get(r, "project_id")?,
            project: get(r, "project_name")?,
            fingerprint: get(r, "fingerprint")?,
            tool: get(r, "tool")?,
            kind: get(r, "kind")?,
            rule: get(r, "rule_id")?,
            severity: get(r, "severity")?,
            title: get(r, "title")?,
            message: get(r, "message")?,
            path: get(r, "path")?,
            start_line: get(r, "start_line")?,
            end_line: get(r, "end_line")?,
            host: get(r, "host")?,
            port: get(r, "port")?,
            commit: get(r, "commit_sha")?,
            evidence: json_or_null(get(r, "evidence")?),
            state: get(r, "state")?,
            first_scan: get(r, "first_scan_id")?,
            last_scan: get(r, "last_scan_id")?,
            fixed_scan: get(r, "fixed_scan_id")?,
            ticket: get(r, "ticket_id")?,
            level: get(r, "ticket_level")?,
            created_at: get(r, "created_at")?,
            updated_at: get(r, "updated_at")?,
        })
    }
}

pub(crate) const TICKET_SELECT: &str = "SELECT t.id, t.finding_id, t.project_id,
    p.name AS project_name, tm.name AS team_name, o.email AS owner_email, t.level, t.state,
    t.mitigation_due, t.remediation_due, t.mitigation_note, t.closed_at, t.created_at,
    t.updated_at, t.risk_expires_at, t.merged_into, f.rule_id, f.severity, f.title, f.kind, f.path, f.start_line
    FROM tickets t JOIN findings f ON f.id = t.finding_id JOIN projects p ON p.id = t.project_id
    LEFT JOIN teams tm ON tm.id = t.team_id LEFT JOIN people o ON o.id = t.owner_id";

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TicketRecord {
    pub id: i64,
    pub finding: i64,
    #[serde(skip)]
    pub project_id: i64,
    pub project: String,
    pub team: Option<String>,
    pub owner: Option<String>,
    pub level: i64,
    pub state: String,
    pub mitigation_due: i64,
    pub remediation_due: i64,
    /// Past a deadline that still applies (mitigation while open, remediation until closed).
    pub breached: bool,
    pub mitigation_note: Option<String>,
    pub closed_at: Option<i64>,
    /// When an accepted risk lapses and the ticket reopens.
    pub risk_expires_at: Option<i64>,
    /// The ticket this one was merged into (state `merged`), which stands for both.
    pub merged_into: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub rule: String,
    pub severity: String,
    pub title: String,
    pub kind: String,
    pub path: Option<String>,
    pub line: i64,
}

impl TicketRecord {
    pub(crate) fn from_row(r: &AnyRow, now: i64) -> Result<Self> {
        let state: String = get(r, "state")?;
        let mitigation_due: i64 = get(r, "mitigation_due")?;
        let remediation_due: i64 = get(r, "remediation_due")?;
        let breached = (state == "open" && now > mitigation_due)
            || ((state == "open" || state == "mitigated") && now > remediation_due);
        Ok(TicketRecord {
            id: get(r, "id")?,
            finding: get(r, "finding_id")?,
            project_id: get(r, "project_id")?,
            project: get(r, "project_name")?,
            team: get(r, "team_name")?,
            owner: get(r, "owner_email")?,
            level: get(r, "level")?,
            state,
            mitigation_due,
            remediation_due,
            breached,
            mitigation_note: get(r, "mitigation_note")?,
            closed_at: get(r, "closed_at")?,
            risk_expires_at: get(r, "risk_expires_at")?,
            merged_into: get(r, "merged_into")?,
            created_at: get(r, "created_at")?,
            updated_at: get(r, "updated_at")?,
            rule: get(r, "rule_id")?,
            severity: get(r, "severity")?,
            title: get(r, "title")?,
            kind: get(r, "kind")?,
            path: get(r, "path")?,
            line: get(r, "start_line")?,
        })
    }
}

//! Triage: ticket state changes, false-positive and risk-acceptance requests, comments, history.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{get, Result, Store, TicketRecord, Tx, TICKET_SELECT};

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TriageRequest {
    pub id: i64,
    pub ticket: i64,
    /// `false_positive` or `risk_accepted`.
    pub kind: String,
    pub reason: String,
    pub expires_at: Option<i64>,
    pub state: String,
    pub requested_by: String,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

impl TriageRequest {
    fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(TriageRequest {
            id: get(r, "id")?,
            ticket: get(r, "ticket_id")?,
            kind: get(r, "kind")?,
            reason: get(r, "reason")?,
            expires_at: get(r, "expires_at")?,
            state: get(r, "state")?,
            requested_by: get(r, "requested_by")?,
            decided_by: get(r, "decided_by")?,
            decision_note: get(r, "decision_note")?,
            created_at: get(r, "created_at")?,
            decided_at: get(r, "decided_at")?,
        })
    }
}

const REQUEST_COLUMNS: &str = "id, ticket_id, kind, reason, expires_at, state, requested_by,
    decided_by, decision_note, created_at, decided_at";

fn request_select() -> String {
    format!("SELECT {REQUEST_COLUMNS} FROM triage_requests")
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Comment {
    pub id: i64,
    pub actor: String,
    pub body: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FindingEventRecord {
    pub at: i64,
    pub actor: String,
    pub scan: Option<i64>,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: Option<String>,
}

/// A ticket whose accepted risk has lapsed.
#[derive(Debug, Clone)]
pub struct ExpiredRisk {
    pub ticket_id: i64,
    pub finding_id: i64,
    pub level: i64,
    pub project_sla: Option<String>,
}

/// How often a rule's findings were judged false positives.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RuleRate {
    pub rule: String,
    pub findings: i64,
    pub false_positives: i64,
    pub rate: f64,
}

impl Store {
    pub async fn ticket(&self, id: i64, now: i64) -> Result<Option<TicketRecord>> {
        let row = sqlx::query(&format!("{TICKET_SELECT} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(self.reader())
            .await?;
        row.map(|r| TicketRecord::from_row(&r, now)).transpose()
    }

    pub async fn triage_request(&self, id: i64) -> Result<Option<TriageRequest>> {
        let row = sqlx::query(&format!("{} WHERE id = $1", request_select()))
            .bind(id)
            .fetch_optional(self.reader())
            .await?;
        row.map(|r| TriageRequest::from_row(&r)).transpose()
    }

    pub async fn triage_requests_of(&self, ticket: i64) -> Result<Vec<TriageRequest>> {
        let rows = sqlx::query(&format!(
            "{} WHERE ticket_id = $1 ORDER BY id",
            request_select()
        ))
        .bind(ticket)
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(TriageRequest::from_row).collect()
    }

    pub async fn comments_of(&self, ticket: i64) -> Result<Vec<Comment>> {
        let rows = sqlx::query(
            "SELECT id, actor, body, created_at FROM comments WHERE ticket_id = $1 ORDER BY id",
        )
        .bind(ticket)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Comment {
                    id: get(r, "id")?,
                    actor: get(r, "actor")?,
                    body: get(r, "body")?,
                    created_at: get(r, "created_at")?,
                })
            })
            .collect()
    }

    pub async fn finding_history(&self, finding: i64) -> Result<Vec<FindingEventRecord>> {
        let rows = sqlx::query(
            "SELECT at, actor, scan_id, from_state, to_state, note FROM finding_events
             WHERE finding_id = $1 ORDER BY id",
        )
        .bind(finding)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FindingEventRecord {
                    at: get(r, "at")?,
                    actor: get(r, "actor")?,
                    scan: get(r, "scan_id")?,
                    from_state: get(r, "from_state")?,
                    to_state: get(r, "to_state")?,
                    note: get(r, "note")?,
                })
            })
            .collect()
    }

    /// Per rule: findings and false positives, over the given projects (`None`: all).
    pub async fn false_positive_rates(&self, visible: Option<&[i64]>) -> Result<Vec<RuleRate>> {
        let scope = match visible {
            None => String::new(),
            Some([]) => "WHERE 1 = 0".into(),
            Some(ids) => format!("WHERE project_id IN ({})", super::id_list(ids)),
        };
        let rows = sqlx::query(&format!(
            "SELECT rule_id, COUNT(*) AS findings,
                CAST(SUM(CASE WHEN state = 'false_positive' THEN 1 ELSE 0 END) AS BIGINT) AS fps
             FROM findings {scope} GROUP BY rule_id ORDER BY rule_id"
        ))
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let findings: i64 = r.try_get(1)?;
                let fps: i64 = r.try_get(2)?;
                Ok(RuleRate {
                    rule: r.try_get(0)?,
                    findings,
                    false_positives: fps,
                    rate: if findings > 0 {
                        fps as f64 / findings as f64
                    } else {
                        0.0
                    },
                })
            })
            .collect()
    }
}

impl Tx {
    pub async fn ticket(&mut self, id: i64, now: i64) -> Result<Option<TicketRecord>> {
        let row = sqlx::query(&format!("{TICKET_SELECT} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| TicketRecord::from_row(&r, now)).transpose()
    }

    /// Moves a ticket and its finding from `from` to `to`; false when the ticket was not in
    /// `from` any more.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_ticket_state(
        &mut self,
        ticket: i64,
        finding: i64,
        from: &str,
        to: &str,
        note: Option<&str>,
        closed_at: Option<i64>,
        risk_expires_at: Option<i64>,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE tickets SET state = $1, mitigation_note = COALESCE($2, mitigation_note),
                closed_at = $3, risk_expires_at = $4, updated_at = $5
             WHERE id = $6 AND state = $7",
        )
        .bind(to)
        .bind(note)
        .bind(closed_at)
        .bind(risk_expires_at)
        .bind(now)
        .bind(ticket)
        .bind(from)
        .execute(self.conn())
        .await?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        // The lead of merged tickets may be open for its members while its own finding is fixed.
        sqlx::query(
            "UPDATE findings SET state = $1, updated_at = $2 WHERE id = $3 AND state <> 'fixed'",
        )
        .bind(to)
        .bind(now)
        .bind(finding)
        .execute(self.conn())
        .await?;
        Ok(true)
    }

    /// Reopens a ticket (and its finding) with new deadlines.
    pub async fn reopen_ticket(
        &mut self,
        ticket: i64,
        finding: i64,
        from: &str,
        deadlines: (i64, i64),
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE tickets SET state = 'open', closed_at = NULL, risk_expires_at = NULL,
                mitigation_due = $1, remediation_due = $2, updated_at = $3
             WHERE id = $4 AND state = $5",
        )
        .bind(deadlines.0)
        .bind(deadlines.1)
        .bind(now)
        .bind(ticket)
        .bind(from)
        .execute(self.conn())
        .await?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE findings SET state = 'open', updated_at = $1 WHERE id = $2 AND state <> 'fixed'",
        )
            .bind(now)
            .bind(finding)
            .execute(self.conn())
            .await?;
        Ok(true)
    }

    pub async fn pending_request(&mut self, ticket: i64) -> Result<Option<i64>> {
        let row = sqlx::query(
            "SELECT id FROM triage_requests WHERE ticket_id = $1 AND state = 'requested'",
        )
        .bind(ticket)
        .fetch_optional(self.conn())
        .await?;
        Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
    }

    pub async fn insert_triage_request(
        &mut self,
        ticket: i64,
        kind: &str,
        reason: &str,
        expires_at: Option<i64>,
        requested_by: &str,
        now: i64,
    ) -> Result<TriageRequest> {
        let row = sqlx::query(&format!(
            "INSERT INTO triage_requests (ticket_id, kind, reason, expires_at, state, requested_by,
                created_at)
             VALUES ($1, $2, $3, $4, 'requested', $5, $6)
             RETURNING {REQUEST_COLUMNS}"
        ))
        .bind(ticket)
        .bind(kind)
        .bind(reason)
        .bind(expires_at)
        .bind(requested_by)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        TriageRequest::from_row(&row)
    }

    /// Decides a pending request; `None` when it was not pending any more.
    pub async fn decide_triage_request(
        &mut self,
        id: i64,
        state: &str,
        decided_by: &str,
        note: Option<&str>,
        now: i64,
    ) -> Result<Option<TriageRequest>> {
        let row = sqlx::query(&format!(
            "UPDATE triage_requests SET state = $1, decided_by = $2, decision_note = $3,
                decided_at = $4
             WHERE id = $5 AND state = 'requested'
             RETURNING {REQUEST_COLUMNS}"
        ))
        .bind(state)
        .bind(decided_by)
        .bind(note)
        .bind(now)
        .bind(id)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| TriageRequest::from_row(&r)).transpose()
    }

    pub async fn insert_comment(
        &mut self,
        ticket: i64,
        actor: &str,
        body: &str,
        now: i64,
    ) -> Result<Comment> {
        let row = sqlx::query(
            "INSERT INTO comments (ticket_id, actor, body, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(ticket)
        .bind(actor)
        .bind(body)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(Comment {
            id: row.try_get(0)?,
            actor: actor.to_string(),
            body: body.to_string(),
            created_at: now,
        })
    }

    pub async fn expired_risks(&mut self, now: i64) -> Result<Vec<ExpiredRisk>> {
        let rows = sqlx::query(
            "SELECT t.id, t.finding_id, t.level, p.sla_policy FROM tickets t
             JOIN projects p ON p.id = t.project_id
             WHERE t.state = 'risk_accepted' AND t.risk_expires_at IS NOT NULL
               AND t.risk_expires_at <= $1
             ORDER BY t.id",
        )
        .bind(now)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ExpiredRisk {
                    ticket_id: r.try_get(0)?,
                    finding_id: r.try_get(1)?,
                    level: r.try_get(2)?,
                    project_sla: r.try_get(3)?,
                })
            })
            .collect()
    }
}

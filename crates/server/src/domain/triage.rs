//! Triage of tickets: mitigation with a note; false-positive and risk-acceptance requests that a
//! different person with the security role approves or rejects; risk acceptance that lapses and
//! reopens the ticket; comments. Every change records who, when and why.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::sla::SlaPolicy;
use super::{service, DomainError, Principal, Result};
use crate::store::{
    Breach, Comment, FindingEventRecord, RuleRate, Store, TicketRecord, TriageRequest,
};

/// The actor the periodic sweep writes in the audit log.
pub const SWEEP_ACTOR: &str = "system:sweep";

/// A ticket with its requests, comments and its finding's history.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TicketDetail {
    #[serde(flatten)]
    pub ticket: TicketRecord,
    pub requests: Vec<TriageRequest>,
    pub comments: Vec<Comment>,
    pub history: Vec<FindingEventRecord>,
    /// The tickets merged into this one, which it stands for.
    pub merged: Vec<TicketRecord>,
    /// Deadlines breached, and when each breach was escalated.
    pub breaches: Vec<Breach>,
}

/// The history lines of a triage step on a ticket and on the findings of the tickets merged
/// into it, which move with it.
fn group_events<'a>(
    finding: i64,
    members: &[i64],
    actor: &'a str,
    from: &'a str,
    to: &'a str,
    note: &'a str,
) -> Vec<crate::store::FindingEvent<'a>> {
    std::iter::once(finding)
        .chain(members.iter().copied())
        .map(|finding_id| crate::store::FindingEvent {
            finding_id,
            scan_id: None,
            actor,
            from_state: Some(from),
            to_state: to,
            note: Some(note),
        })
        .collect()
}

/// A ticket the caller may see.
async fn visible_ticket(store: &Store, who: &Principal, id: i64, now: i64) -> Result<TicketRecord> {
    let t = store
        .ticket(id, now)
        .await?
        .ok_or_else(|| DomainError::NotFound(format!("no ticket {id}")))?;
    service::project(store, who, &t.project).await?;
    Ok(t)
}

pub async fn ticket(store: &Store, who: &Principal, id: i64, now: i64) -> Result<TicketDetail> {
    let ticket = visible_ticket(store, who, id, now).await?;
    Ok(TicketDetail {
        requests: store.triage_requests_of(id).await?,
        comments: store.comments_of(id).await?,
        history: store.finding_history(ticket.finding).await?,
        merged: store.merged_into(id, now).await?,
        breaches: store.breaches_of(id).await?,
        ticket,
    })
}

fn required(what: &str, v: &str) -> Result<String> {
    let v = v.trim();
    if v.is_empty() {
        return Err(DomainError::Invalid(format!("{what} is required")));
    }
    Ok(v.to_string())
}

/// Records the temporary mitigation of an open ticket.
pub async fn mitigate(
    store: &Store,
    who: &Principal,
    id: i64,
    note: &str,
    now: i64,
) -> Result<TicketRecord> {
    let note = required("note (what was done)", note)?;
    let t = visible_ticket(store, who, id, now).await?;
    let mut tx = store.begin().await?;
    if !tx
        .set_ticket_state(
            t.id,
            t.finding,
            "open",
            "mitigated",
            Some(&note),
            None,
            None,
            now,
        )
        .await?
    {
        return Err(DomainError::Conflict(format!(
            "ticket {id} is {}; only open tickets are mitigated",
            t.state
        )));
    }
    let members = tx.follow_group(t.id, &["open"], "mitigated", now).await?;
    tx.insert_finding_events(
        &group_events(t.finding, &members, &who.actor, "open", "mitigated", &note),
        now,
    )
    .await?;
    let after = tx
        .ticket(id, now)
        .await?
        .ok_or_else(|| DomainError::NotFound(format!("no ticket {id}")))?;
    tx.audit(
        now,
        &who.actor,
        "ticket.mitigate",
        "ticket",
        &id.to_string(),
        Some(&serde_json::to_value(&t).unwrap_or_default()),
        Some(&serde_json::to_value(&after).unwrap_or_default()),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    /// `false_positive` or `risk_accepted`.
    pub kind: String,
    pub reason: String,
    /// Risk acceptance only, and required there: the last day it holds (`YYYY-MM-DD`).
    #[serde(default)]
    pub expires: Option<String>,
}

/// Asks for a ticket to be closed as a false positive or an accepted risk.
pub async fn request(
    store: &Store,
    who: &Principal,
    id: i64,
    r: NewRequest,
    now: i64,
) -> Result<TriageRequest> {
    let reason = required("reason", &r.reason)?;
    let expires_at = match (r.kind.as_str(), r.expires.as_deref()) {
        ("false_positive", None) => None,
        ("false_positive", Some(_)) => {
            return Err(DomainError::Invalid(
                "expires: only a risk acceptance expires".into(),
            ))
        }
        ("risk_accepted", None) => {
            return Err(DomainError::Invalid(
                "expires: a risk acceptance needs the last day it holds (YYYY-MM-DD)".into(),
            ))
        }
        ("risk_accepted", Some(d)) => {
            let date: jiff::civil::Date = d.trim().parse().map_err(|_| {
                DomainError::Invalid(format!("expires: `{d}` is not a date (YYYY-MM-DD)"))
            })?;
            // It holds through that day (UTC).
            let end = date
                .tomorrow()
                .and_then(|t| t.to_zoned(jiff::tz::TimeZone::UTC))
                .map_err(|e| DomainError::Invalid(format!("expires: {e}")))?
                .timestamp()
                .as_millisecond();
            if end <= now {
                return Err(DomainError::Invalid(format!(
                    "expires: {date} is in the past"
                )));
            }
            Some(end)
        }
        (other, _) => {
            return Err(DomainError::Invalid(format!(
                "kind: `{other}` (expected false_positive or risk_accepted)"
            )))
        }
    };
    let t = visible_ticket(store, who, id, now).await?;
    if t.state != "open" && t.state != "mitigated" {
        return Err(DomainError::Conflict(format!(
            "ticket {id} is {} already",
            t.state
        )));
    }
    let mut tx = store.begin().await?;
    if let Some(p) = tx.pending_request(id).await? {
        return Err(DomainError::Conflict(format!(
            "ticket {id} has a pending request ({p}); it is decided first"
        )));
    }
    let req = tx
        .insert_triage_request(id, &r.kind, &reason, expires_at, &who.actor, now)
        .await?;
    tx.audit(
        now,
        &who.actor,
        "ticket.request",
        "triage_request",
        &req.id.to_string(),
        None,
        Some(&serde_json::to_value(&req).unwrap_or_default()),
    )
    .await?;
    super::notify::triage_requested(&mut tx, &req, now).await?;
    tx.commit().await?;
    Ok(req)
}

/// Approves or rejects a request: a different person with the security role (four eyes).
pub async fn decide(
    store: &Store,
    who: &Principal,
    id: i64,
    approve: bool,
    note: Option<&str>,
    now: i64,
) -> Result<TriageRequest> {
    let req = store
        .triage_request(id)
        .await?
        .ok_or_else(|| DomainError::NotFound(format!("no request {id}")))?;
    let t = visible_ticket(store, who, req.ticket, now).await?;
    who.check_not_requester(&req.requested_by, &format!("request {id}"))?;
    let mut tx = store.begin().await?;
    let state = if approve { "approved" } else { "rejected" };
    let decided = tx
        .decide_triage_request(id, state, &who.actor, note, now)
        .await?
        .ok_or_else(|| DomainError::Conflict(format!("request {id} is {} already", req.state)))?;
    if approve {
        let (closed, risk) = (Some(now), decided.expires_at);
        let current = tx
            .ticket(t.id, now)
            .await?
            .ok_or_else(|| DomainError::NotFound(format!("no ticket {}", t.id)))?;
        if current.state != "open" && current.state != "mitigated" {
            return Err(DomainError::Conflict(format!(
                "ticket {} is {} now; the request no longer applies",
                t.id, current.state
            )));
        }
        if !tx
            .set_ticket_state(
                t.id,
                t.finding,
                &current.state,
                &decided.kind,
                None,
                closed,
                risk,
                now,
            )
            .await?
        {
            return Err(DomainError::Conflict(format!(
                "ticket {} changed meanwhile; retry",
                t.id
            )));
        }
        let why = format!(
            "{} approved by {}: {}",
            decided.kind, who.actor, decided.reason
        );
        let members = tx
            .follow_group(t.id, &["open", "mitigated"], &decided.kind, now)
            .await?;
        tx.insert_finding_events(
            &group_events(
                t.finding,
                &members,
                &who.actor,
                &current.state,
                &decided.kind,
                &why,
            ),
            now,
        )
        .await?;
    }
    tx.audit(
        now,
        &who.actor,
        if approve {
            "ticket.request.approve"
        } else {
            "ticket.request.reject"
        },
        "triage_request",
        &id.to_string(),
        Some(&serde_json::to_value(&req).unwrap_or_default()),
        Some(&serde_json::to_value(&decided).unwrap_or_default()),
    )
    .await?;
    super::notify::triage_decided(&mut tx, &decided, now).await?;
    tx.commit().await?;
    Ok(decided)
}

pub async fn comment(
    store: &Store,
    who: &Principal,
    id: i64,
    body: &str,
    now: i64,
) -> Result<Comment> {
    let body = required("body", body)?;
    if body.len() > 20_000 {
        return Err(DomainError::Invalid(
            "a comment has at most 20,000 bytes".into(),
        ));
    }
    visible_ticket(store, who, id, now).await?;
    let mut tx = store.begin().await?;
    let c = tx.insert_comment(id, &who.actor, &body, now).await?;
    tx.audit(
        now,
        &who.actor,
        "ticket.comment",
        "comment",
        &c.id.to_string(),
        None,
        Some(&json!({"ticket": id, "body": body})),
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

/// Reopens tickets whose accepted risk has lapsed, with fresh deadlines, and tells each owner.
/// Safe to run from several server processes at once: each ticket moves once.
pub async fn sweep(store: &Store, now: i64) -> Result<usize> {
    let mut tx = store.begin().await?;
    let org = tx.organization().await?;
    let expired = tx.expired_risks(now).await?;
    let mut reopened = 0;
    for e in &expired {
        let project_sla: serde_json::Value = e
            .project_sla
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default();
        let sla = SlaPolicy::effective(&org.sla_policy, &project_sla);
        let expired_at = tx
            .ticket(e.ticket_id, now)
            .await?
            .and_then(|t| t.risk_expires_at)
            .unwrap_or(now);
        if !tx
            .reopen_ticket(
                e.ticket_id,
                e.finding_id,
                "risk_accepted",
                sla.deadlines(e.level, now),
                now,
            )
            .await?
        {
            continue;
        }
        let members = tx
            .follow_group(e.ticket_id, &["risk_accepted"], "open", now)
            .await?;
        tx.insert_finding_events(
            &group_events(
                e.finding_id,
                &members,
                SWEEP_ACTOR,
                "risk_accepted",
                "open",
                "the risk acceptance expired",
            ),
            now,
        )
        .await?;
        tx.audit(
            now,
            SWEEP_ACTOR,
            "ticket.reopen",
            "ticket",
            &e.ticket_id.to_string(),
            Some(&json!({"state": "risk_accepted"})),
            Some(&json!({"state": "open", "why": "the risk acceptance expired"})),
        )
        .await?;
        super::notify::risk_expired(&mut tx, e.ticket_id, expired_at, now).await?;
        reopened += 1;
    }
    tx.commit().await?;
    Ok(reopened)
}

/// Per-rule false-positive rates over the projects the caller may see, for tuning rules.
pub async fn false_positive_rates(store: &Store, who: &Principal) -> Result<Vec<RuleRate>> {
    let visible = service::visible(store, who).await?;
    Ok(store.false_positive_rates(visible.as_deref()).await?)
}

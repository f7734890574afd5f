//! Merging tickets: several findings with one cause (one vulnerable library flagged in five
//! manifests, one leaked key in three files) become one ticket, the lead, with one owner and one
//! pair of deadlines. Merging never loosens anything: the group takes the strictest level and the
//! earliest deadlines of its tickets. Triage on the lead moves the whole group; the lead is fixed
//! when every finding of the group is. A split gives the members back their own tickets.

use serde::Deserialize;
use serde_json::json;

use super::triage::{ticket, TicketDetail};
use super::{DomainError, Principal, Result};
use crate::store::{Store, TicketRecord};

/// At most this many tickets join a group in one request.
pub const MAX_MERGE: usize = 1_000;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The tickets to merge into (or split from) the ticket of the path.
    pub tickets: Vec<i64>,
    /// Why: recorded in the audit log.
    pub reason: String,
}

fn checked(lead: i64, r: &MergeRequest) -> Result<(Vec<i64>, String)> {
    let reason = r.reason.trim();
    if reason.is_empty() {
        return Err(DomainError::Invalid(
            "reason is required (why these tickets are one)".into(),
        ));
    }
    if r.tickets.is_empty() {
        return Err(DomainError::Invalid(
            "tickets: give at least one ticket id".into(),
        ));
    }
    if r.tickets.len() > MAX_MERGE {
        return Err(DomainError::Invalid(format!(
            "tickets: at most {MAX_MERGE} in one request"
        )));
    }
    let mut ids = r.tickets.clone();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != r.tickets.len() {
        return Err(DomainError::Invalid("tickets: an id is repeated".into()));
    }
    if ids.contains(&lead) {
        return Err(DomainError::Invalid(format!(
            "tickets: {lead} is the ticket the others are merged into"
        )));
    }
    Ok((ids, reason.to_string()))
}

fn open_lead(t: &TicketRecord) -> Result<()> {
    if let Some(l) = t.merged_into {
        return Err(DomainError::Conflict(format!(
            "ticket {} is merged into ticket {l}; use that one",
            t.id
        )));
    }
    if t.state != "open" && t.state != "mitigated" {
        return Err(DomainError::Conflict(format!(
            "ticket {} is {}; only open or mitigated tickets are merged or split",
            t.id, t.state
        )));
    }
    Ok(())
}

/// Merges `r.tickets` into `lead`. Members that lead groups of their own bring their members.
pub async fn merge(
    store: &Store,
    who: &Principal,
    lead: i64,
    r: MergeRequest,
    now: i64,
) -> Result<TicketDetail> {
    let (ids, reason) = checked(lead, &r)?;
    let before = ticket(store, who, lead, now).await?;
    open_lead(&before.ticket)?;
    let mut members = Vec::with_capacity(ids.len());
    for id in &ids {
        let m = store
            .ticket(*id, now)
            .await?
            .ok_or_else(|| DomainError::NotFound(format!("no ticket {id}")))?;
        if m.project_id != before.ticket.project_id {
            return Err(DomainError::Invalid(format!(
                "ticket {id} belongs to project {}, ticket {lead} to {}: only tickets of one \
                 project are merged",
                m.project, before.ticket.project
            )));
        }
        open_lead(&m)?;
        members.push(m);
    }
    let mut tx = store.begin().await?;
    let mut all = ids.clone();
    all.push(lead);
    if let Some((t, req)) = tx.pending_request_among(&all).await? {
        return Err(DomainError::Conflict(format!(
            "ticket {t} has a pending request ({req}); it is decided first"
        )));
    }
    // The strictest of the group, the members' own members included.
    let mut group: Vec<TicketRecord> = vec![before.ticket.clone()];
    group.extend(members.iter().cloned());
    for m in &members {
        group.extend(tx.merged_into(m.id, now).await?);
    }
    let level = group
        .iter()
        .map(|t| t.level)
        .min()
        .unwrap_or(before.ticket.level);
    let mitigation_due = group
        .iter()
        .map(|t| t.mitigation_due)
        .min()
        .unwrap_or(before.ticket.mitigation_due);
    let remediation_due = group
        .iter()
        .map(|t| t.remediation_due)
        .min()
        .unwrap_or(before.ticket.remediation_due);
    let state = if before.ticket.state == "open" || members.iter().any(|m| m.state == "open") {
        "open"
    } else {
        "mitigated"
    };
    if !tx
        .merge_tickets(
            lead,
            &ids,
            level,
            (mitigation_due, remediation_due),
            state,
            now,
        )
        .await?
    {
        return Err(DomainError::Conflict(
            "a ticket changed meanwhile; retry".into(),
        ));
    }
    tx.audit(
        now,
        &who.actor,
        "ticket.merge",
        "ticket",
        &lead.to_string(),
        Some(&json!({
            "lead": before.ticket,
            "merged": before.merged,
            "joining": members,
        })),
        Some(&json!({
            "reason": reason,
            "merged": ids,
            "level": level,
            "mitigation_due": mitigation_due,
            "remediation_due": remediation_due,
            "state": state,
        })),
    )
    .await?;
    tx.commit().await?;
    ticket(store, who, lead, now).await
}

/// Takes `r.tickets` out of `lead`'s group: each is its own ticket again, in its finding's
/// state, with its own level and deadlines. The lead keeps the group's deadlines.
pub async fn split(
    store: &Store,
    who: &Principal,
    lead: i64,
    r: MergeRequest,
    now: i64,
) -> Result<TicketDetail> {
    let (ids, reason) = checked(lead, &r)?;
    let before = ticket(store, who, lead, now).await?;
    open_lead(&before.ticket)?;
    for id in &ids {
        if !before.merged.iter().any(|m| m.id == *id) {
            return Err(DomainError::Invalid(format!(
                "tickets: {id} is not merged into ticket {lead}"
            )));
        }
    }
    let mut tx = store.begin().await?;
    if !tx.split_tickets(lead, &ids, now).await? {
        return Err(DomainError::Conflict(
            "a ticket changed meanwhile; retry".into(),
        ));
    }
    tx.audit(
        now,
        &who.actor,
        "ticket.split",
        "ticket",
        &lead.to_string(),
        Some(&json!({"lead": before.ticket, "merged": before.merged})),
        Some(&json!({"reason": reason, "split": ids})),
    )
    .await?;
    tx.commit().await?;
    ticket(store, who, lead, now).await
}

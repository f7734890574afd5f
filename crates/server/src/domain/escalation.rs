//! Deadlines checked continuously: a ticket past a deadline that still applies is recorded as
//! breached and its owner told (stage 1); a breach still standing after the escalation delay is
//! escalated to the team lead (stage 2). Each stage happens once per breach, whichever process
//! sweeps and however often.

use serde::Serialize;
use serde_json::json;

use super::triage::SWEEP_ACTOR;
use super::{notify, Result};
use crate::store::Store;

/// How many tickets one transaction handles; the sweep loops until none is left.
const BATCH: i64 = 200;

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    /// Breaches recorded (owners notified).
    pub breached: usize,
    /// Breaches escalated (team leads notified).
    pub escalated: usize,
}

/// Records new breaches and escalates old ones, as of `now`. A breach is escalated when it was
/// recorded at least `escalate_after_ms` ago and the ticket is still past that same deadline:
/// a ticket mitigated (for the mitigation deadline), fixed, closed or reopened with fresh
/// deadlines since is not escalated.
///
/// Safe to run from several processes at once: each transaction first takes the `escalation`
/// worker lock (a row), breaches are unique per (ticket, deadline, due time) and an escalation
/// marks its breach only if nobody did, so each owner and lead is told once.
pub async fn sweep(store: &Store, escalate_after_ms: i64, now: i64) -> Result<SweepReport> {
    let mut report = SweepReport::default();
    loop {
        let mut tx = store.begin().await?;
        tx.lock_worker("escalation", now).await?;
        let breaches = tx.breach_candidates(now, BATCH).await?;
        for b in &breaches {
            let Some(id) = tx
                .insert_breach(b.ticket_id, &b.deadline, b.due, now)
                .await?
            else {
                continue;
            };
            let t = tx.notice_ticket(b.ticket_id).await?;
            let state = t.as_ref().map(|t| t.state.clone());
            let owner = t.and_then(|t| t.owner).map(|o| o.email);
            tx.audit(
                now,
                SWEEP_ACTOR,
                "ticket.breach",
                "ticket",
                &b.ticket_id.to_string(),
                Some(&json!({ "state": state })),
                Some(&json!({
                    "breach": id, "deadline": b.deadline, "due": b.due, "owner": owner
                })),
            )
            .await?;
            notify::breached(&mut tx, b.ticket_id, &b.deadline, now).await?;
            report.breached += 1;
        }
        let escalations = tx
            .escalation_candidates(now.saturating_sub(escalate_after_ms), BATCH)
            .await?;
        for e in &escalations {
            let to = notify::escalation_contact(&mut tx, e.ticket_id).await?;
            if !tx
                .mark_escalated(e.breach_id, to.as_ref().map(|c| c.email.as_str()), now)
                .await?
            {
                continue;
            }
            let lead = to.as_ref().map(|c| c.email.clone());
            tx.audit(
                now,
                SWEEP_ACTOR,
                "ticket.escalate",
                "ticket",
                &e.ticket_id.to_string(),
                Some(&json!({
                    "breach": e.breach_id, "deadline": e.deadline, "due": e.due,
                    "breached_at": e.breached_at, "escalated_at": null
                })),
                Some(&json!({ "breach": e.breach_id, "escalated_at": now, "escalated_to": lead })),
            )
            .await?;
            notify::escalated(&mut tx, e.ticket_id, &e.deadline, to.as_ref(), now).await?;
            report.escalated += 1;
        }
        tx.commit().await?;
        if (breaches.len() as i64) < BATCH && (escalations.len() as i64) < BATCH {
            return Ok(report);
        }
    }
}

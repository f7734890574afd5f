//! Merged tickets. A group is a lead ticket and the tickets merged into it (state `merged`,
//! `merged_into` = the lead). The lead stands for the group: its level and deadlines are the
//! strictest of the group's, triage on it moves every open finding of the group, and it is fixed
//! only when every finding of the group is. The members keep their own rows (level, deadlines,
//! finding) so a split restores them.

use sqlx::Row;

use super::{id_list, Result, Store, TicketRecord, Tx, ID_BATCH, TICKET_SELECT};

/// The tickets merged into `lead`, by id.
const MEMBERS: &str = "WHERE t.merged_into = $1 ORDER BY t.id";

/// A lead that is still open or mitigated although every finding of its group is fixed: its own
/// finding is fixed and no member's finding is open or mitigated. `tickets` is the table the
/// clause is applied to.
const GROUP_FIXED: &str =
    "(SELECT f.state FROM findings f WHERE f.id = tickets.finding_id) = 'fixed'
    AND NOT EXISTS (SELECT 1 FROM tickets m JOIN findings mf ON mf.id = m.finding_id
        WHERE m.merged_into = tickets.id AND mf.state IN ('open', 'mitigated'))";

/// No member of the group `tickets` leads has an open or mitigated finding.
pub(crate) const MEMBERS_FIXED: &str = "NOT EXISTS (SELECT 1 FROM tickets m
    JOIN findings mf ON mf.id = m.finding_id
    WHERE m.merged_into = tickets.id AND mf.state IN ('open', 'mitigated'))";

impl Store {
    pub async fn merged_into(&self, lead: i64, now: i64) -> Result<Vec<TicketRecord>> {
        let rows = sqlx::query(&format!("{TICKET_SELECT} {MEMBERS}"))
            .bind(lead)
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|r| TicketRecord::from_row(r, now))
            .collect()
    }
}

impl Tx {
    pub async fn merged_into(&mut self, lead: i64, now: i64) -> Result<Vec<TicketRecord>> {
        let rows = sqlx::query(&format!("{TICKET_SELECT} {MEMBERS}"))
            .bind(lead)
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| TicketRecord::from_row(r, now))
            .collect()
    }

    /// Whether any of `tickets` has an undecided triage request.
    pub async fn pending_request_among(&mut self, tickets: &[i64]) -> Result<Option<(i64, i64)>> {
        if tickets.is_empty() {
            return Ok(None);
        }
        let row = sqlx::query(&format!(
            "SELECT ticket_id, id FROM triage_requests WHERE state = 'requested'
             AND ticket_id IN ({}) ORDER BY id LIMIT 1",
            id_list(tickets)
        ))
        .fetch_optional(self.conn())
        .await?;
        Ok(match row {
            Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
            None => None,
        })
    }

    /// Merges `members` (open or mitigated, not merged) into `lead`, whose level, deadlines and
    /// state become the group's. The members' own members follow. False when a member changed
    /// meanwhile.
    #[allow(clippy::too_many_arguments)]
    pub async fn merge_tickets(
        &mut self,
        lead: i64,
        members: &[i64],
        level: i64,
        deadlines: (i64, i64),
        state: &str,
        now: i64,
    ) -> Result<bool> {
        let list = id_list(members);
        let moved = sqlx::query(&format!(
            "UPDATE tickets SET state = 'merged', merged_into = $1, updated_at = $2
             WHERE id IN ({list}) AND merged_into IS NULL AND state IN ('open', 'mitigated')"
        ))
        .bind(lead)
        .bind(now)
        .execute(self.conn())
        .await?;
        if moved.rows_affected() != members.len() as u64 {
            return Ok(false);
        }
        sqlx::query(&format!(
            "UPDATE tickets SET merged_into = $1, updated_at = $2 WHERE merged_into IN ({list})"
        ))
        .bind(lead)
        .bind(now)
        .execute(self.conn())
        .await?;
        let r = sqlx::query(
            "UPDATE tickets SET level = $1, mitigation_due = $2, remediation_due = $3, state = $4,
                updated_at = $5
             WHERE id = $6 AND merged_into IS NULL AND state IN ('open', 'mitigated')",
        )
        .bind(level)
        .bind(deadlines.0)
        .bind(deadlines.1)
        .bind(state)
        .bind(now)
        .bind(lead)
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Takes `members` out of `lead`'s group: each becomes a ticket of its own again, in its
    /// finding's state, with its own level and deadlines. The lead is fixed if what is left of
    /// the group is. False when one of them is not a member of `lead`.
    pub async fn split_tickets(&mut self, lead: i64, members: &[i64], now: i64) -> Result<bool> {
        let list = id_list(members);
        let fstate = "(SELECT f.state FROM findings f WHERE f.id = tickets.finding_id)";
        let r = sqlx::query(&format!(
            "UPDATE tickets SET merged_into = NULL, state = {fstate},
                closed_at = CASE WHEN {fstate} IN ('open', 'mitigated') THEN NULL ELSE $1 END,
                mitigation_note = CASE WHEN {fstate} = 'mitigated'
                    THEN (SELECT l.mitigation_note FROM tickets l WHERE l.id = $2)
                    ELSE mitigation_note END,
                risk_expires_at = CASE WHEN {fstate} = 'risk_accepted'
                    THEN (SELECT l.risk_expires_at FROM tickets l WHERE l.id = $2)
                    ELSE NULL END,
                updated_at = $1
             WHERE id IN ({list}) AND merged_into = $2"
        ))
        .bind(now)
        .bind(lead)
        .execute(self.conn())
        .await?;
        if r.rows_affected() != members.len() as u64 {
            return Ok(false);
        }
        self.settle_leads(&[lead], now).await?;
        Ok(true)
    }

    /// Moves the findings of `lead`'s members that are in one of `from` to `to` (triage on a
    /// lead applies to its group); returns their ids for the history.
    pub async fn follow_group(
        &mut self,
        lead: i64,
        from: &[&str],
        to: &str,
        now: i64,
    ) -> Result<Vec<i64>> {
        let states = from
            .iter()
            .map(|s| format!("'{}'", s.replace('\'', "''")))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT f.id FROM tickets m JOIN findings f ON f.id = m.finding_id
             WHERE m.merged_into = $1 AND f.state IN ({states}) ORDER BY f.id"
        ))
        .bind(lead)
        .fetch_all(self.conn())
        .await?;
        let ids = rows
            .iter()
            .map(|r| r.try_get::<i64, _>(0))
            .collect::<Result<Vec<_>, _>>()?;
        if !ids.is_empty() {
            sqlx::query(&format!(
                "UPDATE findings SET state = $1, updated_at = $2 WHERE id IN ({})",
                id_list(&ids)
            ))
            .bind(to)
            .bind(now)
            .execute(self.conn())
            .await?;
        }
        Ok(ids)
    }

    /// Fixes the leads among `leads` whose whole group is fixed.
    pub async fn settle_leads(&mut self, leads: &[i64], now: i64) -> Result<u64> {
        let mut fixed = 0;
        for chunk in leads.chunks(ID_BATCH) {
            let r = sqlx::query(&format!(
                "UPDATE tickets SET state = 'fixed', closed_at = $1, updated_at = $1
                 WHERE id IN ({}) AND merged_into IS NULL AND state IN ('open', 'mitigated')
                   AND {GROUP_FIXED}",
                id_list(chunk)
            ))
            .bind(now)
            .execute(self.conn())
            .await?;
            fixed += r.rows_affected();
        }
        Ok(fixed)
    }

    /// The leads of the groups the tickets of `findings` are members of.
    pub async fn leads_of_findings(&mut self, findings: &[i64]) -> Result<Vec<i64>> {
        let mut leads = Vec::new();
        for chunk in findings.chunks(ID_BATCH) {
            let rows = sqlx::query(&format!(
                "SELECT DISTINCT merged_into FROM tickets
                 WHERE finding_id IN ({}) AND merged_into IS NOT NULL",
                id_list(chunk)
            ))
            .fetch_all(self.conn())
            .await?;
            for r in &rows {
                leads.push(r.try_get::<i64, _>(0)?);
            }
        }
        leads.sort_unstable();
        leads.dedup();
        Ok(leads)
    }
}

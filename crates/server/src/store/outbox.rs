//! Breaches of ticket deadlines, and the notification outbox: rows written in the transaction of
//! the change that causes them, claimed by delivery workers with a lease, and every delivery
//! attempt recorded.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{get, list, Backend, ListPage, Result, Store, Tx};

/// A ticket past a deadline whose breach is not recorded yet.
#[derive(Debug, Clone)]
pub struct BreachCandidate {
    pub ticket_id: i64,
    /// `mitigation` or `remediation`.
    pub deadline: String,
    pub due: i64,
}

/// A recorded breach, not escalated, of a ticket that is still breached.
#[derive(Debug, Clone)]
pub struct EscalationCandidate {
    pub breach_id: i64,
    pub ticket_id: i64,
    pub deadline: String,
    pub due: i64,
    pub breached_at: i64,
}

/// A breach as the ticket's detail shows it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Breach {
    pub deadline: String,
    pub due: i64,
    pub breached_at: i64,
    pub escalated_at: Option<i64>,
    pub escalated_to: Option<String>,
}

/// What a notification says about a ticket and whom it can reach.
#[derive(Debug, Clone)]
pub struct NoticeTicket {
    pub id: i64,
    pub title: String,
    pub level: i64,
    pub project: String,
    pub severity: String,
    pub state: String,
    pub mitigation_due: i64,
    pub remediation_due: i64,
    pub risk_expires_at: Option<i64>,
    pub owner: Option<Contact>,
    pub team: Option<String>,
    pub lead: Option<Contact>,
}

/// A person a notification can name and email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub email: String,
}

/// An outbox row as the delivery worker and the API see it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub ticket: Option<i64>,
    pub exception: Option<i64>,
    /// The notification (JSON), without its id and link, which delivery adds.
    #[serde(skip)]
    pub body: String,
    /// A test notification's one channel.
    pub channel: Option<String>,
    /// `pending`, `delivered`, `failed` or `skipped` (no channel takes this kind).
    pub state: String,
    /// Per channel: its state, attempts and next attempt (JSON).
    #[serde(skip)]
    pub channels: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    #[serde(skip)]
    pub lease_until: Option<i64>,
    #[serde(skip)]
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const OUTBOX_COLUMNS: &str = "id, kind, ticket_id, exception_id, body, only_channel, state,
    channels, attempts, next_attempt_at, lease_until, last_error, created_at, updated_at";

impl OutboxRow {
    fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(OutboxRow {
            id: get(r, "id")?,
            kind: get(r, "kind")?,
            ticket: get(r, "ticket_id")?,
            exception: get(r, "exception_id")?,
            body: get(r, "body")?,
            channel: get(r, "only_channel")?,
            state: get(r, "state")?,
            channels: get(r, "channels")?,
            attempts: get(r, "attempts")?,
            next_attempt_at: get(r, "next_attempt_at")?,
            lease_until: get(r, "lease_until")?,
            last_error: get(r, "last_error")?,
            created_at: get(r, "created_at")?,
            updated_at: get(r, "updated_at")?,
        })
    }
}

/// One delivery attempt to one channel.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Attempt {
    #[serde(skip)]
    pub outbox_id: i64,
    pub attempt: i64,
    pub channel: String,
    pub at: i64,
    pub ok: bool,
    /// HTTP status or SMTP reply code.
    pub status: Option<i64>,
    /// The receiver's answer (shortened, without credentials).
    pub response: Option<String>,
    /// The `DeliveryError` (JSON).
    pub error: Option<serde_json::Value>,
    /// When the channel is tried again; `null` when it is not.
    pub next_attempt_at: Option<i64>,
}

/// A new outbox row.
pub struct NewOutbox<'a> {
    pub kind: &'a str,
    pub ticket_id: Option<i64>,
    pub exception_id: Option<i64>,
    pub body: &'a str,
    pub only_channel: Option<&'a str>,
}

/// What a delivery round changes on a claimed row.
pub struct OutboxUpdate<'a> {
    pub state: &'a str,
    pub channels: &'a str,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<&'a str>,
}

/// Which outbox rows to list.
#[derive(Debug, Clone, Default)]
pub struct OutboxFilter {
    pub state: Vec<String>,
    pub kind: Vec<String>,
    pub ticket: Option<i64>,
    pub before_id: Option<i64>,
    pub limit: i64,
}

fn contact(name: Option<String>, email: Option<String>) -> Option<Contact> {
    match (name, email) {
        (Some(name), Some(email)) => Some(Contact { name, email }),
        _ => None,
    }
}

impl Tx {
    /// Takes the named worker lock for the rest of the transaction: on SQLite the write lock
    /// (before anything is read, so the transaction never has to upgrade a stale snapshot), on
    /// PostgreSQL the row's lock, so sweeps of several processes run one after the other.
    pub async fn lock_worker(&mut self, name: &str, now: i64) -> Result<()> {
        sqlx::query("UPDATE worker_locks SET held_at = $1 WHERE name = $2")
            .bind(now)
            .bind(name)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Open tickets past their mitigation deadline and open or mitigated tickets past their
    /// remediation deadline, whose breach of that deadline (with that due time) is not recorded.
    pub async fn breach_candidates(
        &mut self,
        now: i64,
        limit: i64,
    ) -> Result<Vec<BreachCandidate>> {
        let rows = sqlx::query(
            "SELECT t.id, 'mitigation' AS deadline, t.mitigation_due AS due FROM tickets t
             WHERE t.state = 'open' AND t.mitigation_due < $1
               AND NOT EXISTS (SELECT 1 FROM ticket_breaches b WHERE b.ticket_id = t.id
                   AND b.deadline = 'mitigation' AND b.due = t.mitigation_due)
             UNION ALL
             SELECT t.id, 'remediation' AS deadline, t.remediation_due AS due FROM tickets t
             WHERE t.state IN ('open', 'mitigated') AND t.remediation_due < $2
               AND NOT EXISTS (SELECT 1 FROM ticket_breaches b WHERE b.ticket_id = t.id
                   AND b.deadline = 'remediation' AND b.due = t.remediation_due)
             ORDER BY 1, 2 LIMIT $3",
        )
        .bind(now)
        .bind(now)
        .bind(limit)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BreachCandidate {
                    ticket_id: r.try_get(0)?,
                    deadline: r.try_get(1)?,
                    due: r.try_get(2)?,
                })
            })
            .collect()
    }

    /// Records a breach; `None` when it was recorded already (by this or another process).
    pub async fn insert_breach(
        &mut self,
        ticket: i64,
        deadline: &str,
        due: i64,
        now: i64,
    ) -> Result<Option<i64>> {
        let row = sqlx::query(
            "INSERT INTO ticket_breaches (ticket_id, deadline, due, breached_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (ticket_id, deadline, due) DO NOTHING RETURNING id",
        )
        .bind(ticket)
        .bind(deadline)
        .bind(due)
        .bind(now)
        .fetch_optional(self.conn())
        .await?;
        Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
    }

    /// Breaches recorded at or before `cutoff`, not escalated, whose ticket is still past that
    /// same deadline (not mitigated, fixed or closed since, not given new deadlines).
    pub async fn escalation_candidates(
        &mut self,
        cutoff: i64,
        limit: i64,
    ) -> Result<Vec<EscalationCandidate>> {
        let rows = sqlx::query(
            "SELECT b.id, b.ticket_id, b.deadline, b.due, b.breached_at
             FROM ticket_breaches b JOIN tickets t ON t.id = b.ticket_id
             WHERE b.escalated_at IS NULL AND b.breached_at <= $1
               AND ((b.deadline = 'mitigation' AND t.state = 'open'
                     AND t.mitigation_due = b.due)
                 OR (b.deadline = 'remediation' AND t.state IN ('open', 'mitigated')
                     AND t.remediation_due = b.due))
             ORDER BY b.id LIMIT $2",
        )
        .bind(cutoff)
        .bind(limit)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EscalationCandidate {
                    breach_id: r.try_get(0)?,
                    ticket_id: r.try_get(1)?,
                    deadline: r.try_get(2)?,
                    due: r.try_get(3)?,
                    breached_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Marks a breach escalated; false when it was already (by another process).
    pub async fn mark_escalated(
        &mut self,
        breach: i64,
        to: Option<&str>,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE ticket_breaches SET escalated_at = $1, escalated_to = $2
             WHERE id = $3 AND escalated_at IS NULL",
        )
        .bind(now)
        .bind(to)
        .bind(breach)
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// A ticket with its owner and its team's lead, for a notification.
    pub async fn notice_ticket(&mut self, id: i64) -> Result<Option<NoticeTicket>> {
        let row = sqlx::query(
            "SELECT t.id, f.title, t.level, p.name AS project, f.severity, t.state,
                t.mitigation_due, t.remediation_due, t.risk_expires_at,
                o.name AS owner_name, o.email AS owner_email, tm.name AS team_name,
                l.name AS lead_name, l.email AS lead_email
             FROM tickets t JOIN findings f ON f.id = t.finding_id
             JOIN projects p ON p.id = t.project_id
             LEFT JOIN people o ON o.id = t.owner_id
             LEFT JOIN teams tm ON tm.id = t.team_id
             LEFT JOIN people l ON l.id = tm.lead_id
             WHERE t.id = $1",
        )
        .bind(id)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| {
            Ok(NoticeTicket {
                id: get(&r, "id")?,
                title: get(&r, "title")?,
                level: get(&r, "level")?,
                project: get(&r, "project")?,
                severity: get(&r, "severity")?,
                state: get(&r, "state")?,
                mitigation_due: get(&r, "mitigation_due")?,
                remediation_due: get(&r, "remediation_due")?,
                risk_expires_at: get(&r, "risk_expires_at")?,
                owner: contact(get(&r, "owner_name")?, get(&r, "owner_email")?),
                team: get(&r, "team_name")?,
                lead: contact(get(&r, "lead_name")?, get(&r, "lead_email")?),
            })
        })
        .transpose()
    }

    /// The person with this email (an actor of the audit log), if it is a person.
    pub async fn contact_by_email(&mut self, email: &str) -> Result<Option<Contact>> {
        let row = sqlx::query("SELECT name, email FROM people WHERE email = $1")
            .bind(email)
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| {
            Ok(Contact {
                name: r.try_get(0)?,
                email: r.try_get(1)?,
            })
        })
        .transpose()
    }

    /// The people who may decide requests (security and administrators), by email.
    pub async fn deciders(&mut self) -> Result<Vec<Contact>> {
        let rows = sqlx::query(
            "SELECT name, email FROM people WHERE role IN ('security', 'administrator')
             ORDER BY email",
        )
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Contact {
                    name: r.try_get(0)?,
                    email: r.try_get(1)?,
                })
            })
            .collect()
    }

    /// Who an escalation goes to when the ticket's team has no lead: the organization's default
    /// owner, else the first administrator.
    pub async fn escalation_fallback(&mut self) -> Result<Option<Contact>> {
        let row = sqlx::query(
            "SELECT name, email FROM people WHERE id = COALESCE(
                (SELECT default_owner_id FROM organization WHERE id = 1),
                (SELECT MIN(id) FROM people WHERE role = 'administrator'))",
        )
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| {
            Ok(Contact {
                name: r.try_get(0)?,
                email: r.try_get(1)?,
            })
        })
        .transpose()
    }

    /// Queues a notification; it is delivered once the transaction commits.
    pub async fn enqueue(&mut self, n: &NewOutbox<'_>, now: i64) -> Result<OutboxRow> {
        let row = sqlx::query(&format!(
            "INSERT INTO outbox (kind, ticket_id, exception_id, body, only_channel, state, channels,
                attempts, next_attempt_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 'pending', '{{}}', 0, $6, $6, $6)
             RETURNING {OUTBOX_COLUMNS}"
        ))
        .bind(n.kind)
        .bind(n.ticket_id)
        .bind(n.exception_id)
        .bind(n.body)
        .bind(n.only_channel)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        OutboxRow::from_row(&row)
    }
}

impl Store {
    /// Claims up to `limit` due rows for `owner` until `lease_until`: pending, due, and not
    /// leased or with an expired lease (a worker that crashed). On PostgreSQL the rows are
    /// picked with `FOR UPDATE SKIP LOCKED`, so concurrent workers take different rows; on
    /// SQLite the one writer connection serializes claims.
    pub async fn claim_outbox(
        &self,
        owner: &str,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<OutboxRow>> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let due = "state = 'pending' AND next_attempt_at <= $3
            AND (lease_until IS NULL OR lease_until <= $3)";
        let sql = format!(
            "UPDATE outbox SET lease_owner = $1, lease_until = $2
             WHERE {due} AND id IN (SELECT id FROM outbox WHERE {due}
                 ORDER BY next_attempt_at, id LIMIT $4{lock})
             RETURNING {OUTBOX_COLUMNS}"
        );
        let mut tx = self.begin().await?;
        let rows = sqlx::query(&sql)
            .bind(owner)
            .bind(lease_until)
            .bind(now)
            .bind(limit)
            .fetch_all(tx.conn())
            .await?;
        tx.commit().await?;
        let mut rows = rows
            .iter()
            .map(OutboxRow::from_row)
            .collect::<Result<Vec<_>>>()?;
        rows.sort_by_key(|r| (r.next_attempt_at, r.id));
        Ok(rows)
    }

    /// Records a delivery round on a row `owner` holds: its attempts, then the row's new state,
    /// releasing the lease. False (and nothing written) when the lease was lost, i.e. it expired
    /// and another worker claimed the row.
    pub async fn finish_outbox(
        &self,
        id: i64,
        owner: &str,
        update: &OutboxUpdate<'_>,
        attempts: &[Attempt],
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let r = sqlx::query(
            "UPDATE outbox SET state = $1, channels = $2, attempts = $3, next_attempt_at = $4,
                last_error = COALESCE($5, last_error), lease_owner = NULL, lease_until = NULL,
                updated_at = $6
             WHERE id = $7 AND lease_owner = $8",
        )
        .bind(update.state)
        .bind(update.channels)
        .bind(update.attempts)
        .bind(update.next_attempt_at)
        .bind(update.last_error)
        .bind(now)
        .bind(id)
        .bind(owner)
        .execute(tx.conn())
        .await?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        for a in attempts {
            sqlx::query(
                "INSERT INTO outbox_attempts (outbox_id, attempt, channel, at, ok, status,
                    response, error, next_attempt_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(a.attempt)
            .bind(a.channel.as_str())
            .bind(a.at)
            .bind(i64::from(a.ok))
            .bind(a.status)
            .bind(a.response.as_deref())
            .bind(a.error.as_ref().map(|e| e.to_string()))
            .bind(a.next_attempt_at)
            .execute(tx.conn())
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    pub async fn outbox_row(&self, id: i64) -> Result<Option<OutboxRow>> {
        let row = sqlx::query(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.reader())
        .await?;
        row.map(|r| OutboxRow::from_row(&r)).transpose()
    }

    /// Outbox rows, newest first, with keyset pagination.
    pub async fn list_outbox(&self, f: &OutboxFilter) -> Result<ListPage<OutboxRow>> {
        let mut clauses: Vec<String> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut ints: Vec<i64> = Vec::new();
        // Text parameters first ($1…), then integers, so they bind in order.
        for (col, values) in [("state", &f.state), ("kind", &f.kind)] {
            if values.is_empty() {
                continue;
            }
            let ps: Vec<String> = values
                .iter()
                .map(|v| {
                    texts.push(v.clone());
                    format!("${}", texts.len())
                })
                .collect();
            clauses.push(format!("{col} IN ({})", ps.join(", ")));
        }
        for (col, op, v) in [("ticket_id", "=", f.ticket), ("id", "<", f.before_id)] {
            if let Some(v) = v {
                ints.push(v);
                clauses.push(format!("{col} {op} ${}", texts.len() + ints.len()));
            }
        }
        let mut sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox");
        if !clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&clauses.join(" AND "));
        }
        sql.push_str(&format!(" ORDER BY id DESC LIMIT {}", f.limit + 1));
        let mut q = sqlx::query(&sql);
        for t in &texts {
            q = q.bind(t.as_str());
        }
        for i in &ints {
            q = q.bind(*i);
        }
        let rows = q.fetch_all(self.reader()).await?;
        let mut items = rows
            .iter()
            .map(OutboxRow::from_row)
            .collect::<Result<Vec<_>>>()?;
        let more = items.len() as i64 > f.limit;
        items.truncate(f.limit.max(0) as usize);
        let next_cursor = if more {
            items.last().map(|r| list::encode_cursor(r.id))
        } else {
            None
        };
        Ok(ListPage { items, next_cursor })
    }

    /// The attempts of these outbox rows, in order.
    pub async fn outbox_attempts(&self, ids: &[i64]) -> Result<Vec<Attempt>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "SELECT outbox_id, attempt, channel, at, ok, status, response, error, next_attempt_at
             FROM outbox_attempts WHERE outbox_id IN ({}) ORDER BY outbox_id, id",
            super::id_list(ids)
        ))
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let error: Option<String> = get(r, "error")?;
                Ok(Attempt {
                    outbox_id: get(r, "outbox_id")?,
                    attempt: get(r, "attempt")?,
                    channel: get(r, "channel")?,
                    at: get(r, "at")?,
                    ok: get::<i64>(r, "ok")? != 0,
                    status: get(r, "status")?,
                    response: get(r, "response")?,
                    error: error.and_then(|e| serde_json::from_str(&e).ok()),
                    next_attempt_at: get(r, "next_attempt_at")?,
                })
            })
            .collect()
    }

    /// A ticket's recorded breaches, oldest first.
    pub async fn breaches_of(&self, ticket: i64) -> Result<Vec<Breach>> {
        let rows = sqlx::query(
            "SELECT deadline, due, breached_at, escalated_at, escalated_to FROM ticket_breaches
             WHERE ticket_id = $1 ORDER BY id",
        )
        .bind(ticket)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Breach {
                    deadline: get(r, "deadline")?,
                    due: get(r, "due")?,
                    breached_at: get(r, "breached_at")?,
                    escalated_at: get(r, "escalated_at")?,
                    escalated_to: get(r, "escalated_to")?,
                })
            })
            .collect()
    }
}

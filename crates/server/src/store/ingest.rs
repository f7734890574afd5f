//! Ingest's writes: uploads, scans, and findings, tickets and history in batches.

use serde::Serialize;
use sqlx::Row;

use super::merge::MEMBERS_FIXED;
use super::{id_list, Backend, Result, Scan, Tx, ID_BATCH, SCAN_SELECT};

/// What a scan did to the findings of its project.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ScanCounts {
    pub total: i64,
    pub new: i64,
    pub reopened: i64,
    pub fixed: i64,
    pub unchanged: i64,
}

impl ScanCounts {
    pub fn add(&mut self, o: &ScanCounts) {
        self.total += o.total;
        self.new += o.new;
        self.reopened += o.reopened;
        self.fixed += o.fixed;
        self.unchanged += o.unchanged;
    }
}

pub struct ScanInsert<'a> {
    pub upload_id: i64,
    pub project_id: i64,
    pub tool: &'a str,
    pub tool_version: Option<&'a str>,
    pub kind: &'a str,
    pub commit: Option<&'a str>,
    pub branch: Option<&'a str>,
    pub pipeline: Option<&'a str>,
    pub stage: Option<&'a str>,
    pub complete: bool,
    pub problems_json: String,
    pub moves_lifecycle: bool,
    pub now: i64,
}

/// What ingest needs to know of a stored finding.
#[derive(Debug, Clone)]
pub struct ExistingFinding {
    pub id: i64,
    pub fingerprint: String,
    pub state: String,
    pub tool: String,
    pub kind: String,
    pub severity: String,
}

/// A finding to insert; `evidence` and `detail` are JSON text.
#[derive(Debug, Clone)]
pub struct NewFinding {
    pub fingerprint: String,
    pub tool: String,
    pub kind: String,
    pub rule_id: String,
    pub severity: String,
    pub title: String,
    pub message: String,
    pub path: Option<String>,
    pub start_line: i64,
    pub end_line: i64,
    pub host: Option<String>,
    pub port: Option<i64>,
    pub commit: Option<String>,
    pub evidence: String,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct NewTicket {
    pub finding_id: i64,
    pub project_id: i64,
    pub level: i64,
    pub owner_id: Option<i64>,
    pub team_id: Option<i64>,
    pub mitigation_due: i64,
    pub remediation_due: i64,
}

/// One line of a finding's history.
#[derive(Debug, Clone)]
pub struct FindingEvent<'a> {
    pub finding_id: i64,
    pub scan_id: Option<i64>,
    pub actor: &'a str,
    pub from_state: Option<&'a str>,
    pub to_state: &'a str,
    pub note: Option<&'a str>,
}

/// Parameters per multi-row statement: under SQLite's 32,766 and PostgreSQL's 65,535.
const BATCH_PARAMS: usize = 16_000;

/// `($1, $2, …), (…)` for `rows` rows of `cols` values. On SQLite the parameters of these large
/// statements are anonymous (`?`, bound in order): SQLite finds a numbered parameter's slot with
/// a linear search, which makes binding a statement of n numbered parameters cost n².
fn placeholders(backend: Backend, rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 6);
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push(',');
            }
            match backend {
                Backend::Sqlite => s.push('?'),
                Backend::Postgres => {
                    s.push('$');
                    s.push_str(&n.to_string());
                }
            }
            n += 1;
        }
        s.push(')');
    }
    s
}

/// The upload of `project` with this digest, if one was stored.
pub(super) async fn upload_by_digest<'e, E>(e: E, project: i64, digest: &str) -> Result<Option<i64>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row = sqlx::query("SELECT id FROM uploads WHERE project_id = $1 AND digest = $2")
        .bind(project)
        .bind(digest)
        .fetch_optional(e)
        .await?;
    Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
}

impl Tx {
    /// Takes the project's row lock until the transaction ends (PostgreSQL; SQLite has one
    /// writer anyway), so two uploads to one project apply one after the other and never race
    /// on the same new fingerprint.
    pub async fn lock_project(&mut self, project: i64, now: i64) -> Result<()> {
        sqlx::query("UPDATE projects SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(project)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn upload_by_digest(&mut self, project: i64, digest: &str) -> Result<Option<i64>> {
        upload_by_digest(self.conn(), project, digest).await
    }

    /// The new upload's id, or `None` when the same digest is already there.
    pub async fn insert_upload(
        &mut self,
        project: i64,
        digest: &str,
        format: &str,
        actor: &str,
        now: i64,
    ) -> Result<Option<i64>> {
        let row = sqlx::query(
            "INSERT INTO uploads (project_id, digest, format, actor, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (project_id, digest) DO NOTHING RETURNING id",
        )
        .bind(project)
        .bind(digest)
        .bind(format)
        .bind(actor)
        .bind(now)
        .fetch_optional(self.conn())
        .await?;
        Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
    }

    pub async fn scans_of_upload(&mut self, upload: i64) -> Result<Vec<Scan>> {
        let rows = sqlx::query(&format!(
            "{SCAN_SELECT} WHERE s.upload_id = $1 ORDER BY s.id"
        ))
        .bind(upload)
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(Scan::from_row).collect()
    }

    pub async fn insert_scan(&mut self, s: &ScanInsert<'_>) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO scans (upload_id, project_id, tool, tool_version, kind, commit_sha, branch,
                pipeline, stage, created_at, complete, problems, moves_lifecycle, findings_total,
                findings_new, findings_reopened, findings_fixed, findings_unchanged)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, 0, 0, 0, 0)
             RETURNING id",
        )
        .bind(s.upload_id)
        .bind(s.project_id)
        .bind(s.tool)
        .bind(s.tool_version)
        .bind(s.kind)
        .bind(s.commit)
        .bind(s.branch)
        .bind(s.pipeline)
        .bind(s.stage)
        .bind(s.now)
        .bind(s.complete as i64)
        .bind(s.problems_json.as_str())
        .bind(s.moves_lifecycle as i64)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn set_scan_counts(&mut self, scan: i64, c: &ScanCounts) -> Result<()> {
        sqlx::query(
            "UPDATE scans SET findings_total = $1, findings_new = $2, findings_reopened = $3,
                findings_fixed = $4, findings_unchanged = $5 WHERE id = $6",
        )
        .bind(c.total)
        .bind(c.new)
        .bind(c.reopened)
        .bind(c.fixed)
        .bind(c.unchanged)
        .bind(scan)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn existing_findings(&mut self, project: i64) -> Result<Vec<ExistingFinding>> {
        let rows = sqlx::query(
            "SELECT id, fingerprint, state, tool, kind, severity FROM findings WHERE project_id = $1",
        )
        .bind(project)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ExistingFinding {
                    id: r.try_get(0)?,
                    fingerprint: r.try_get(1)?,
                    state: r.try_get(2)?,
                    tool: r.try_get(3)?,
                    kind: r.try_get(4)?,
                    severity: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// Inserts open findings first seen by `scan`; returns (id, fingerprint) of each.
    pub async fn insert_findings(
        &mut self,
        project: i64,
        scan: i64,
        now: i64,
        findings: &[NewFinding],
    ) -> Result<Vec<(i64, String)>> {
        const COLS: usize = 21;
        let mut out = Vec::with_capacity(findings.len());
        for chunk in findings.chunks(BATCH_PARAMS / COLS) {
            let sql = format!(
                "INSERT INTO findings (project_id, fingerprint, tool, kind, rule_id, severity, title,
                    message, path, start_line, end_line, host, port, commit_sha, evidence, detail,
                    state, first_scan_id, last_scan_id, created_at, updated_at)
                 VALUES {} RETURNING id, fingerprint",
                placeholders(self.backend, chunk.len(), COLS)
            );
            let mut q = sqlx::query(&sql);
            for f in chunk {
                q = q
                    .bind(project)
                    .bind(f.fingerprint.as_str())
                    .bind(f.tool.as_str())
                    .bind(f.kind.as_str())
                    .bind(f.rule_id.as_str())
                    .bind(f.severity.as_str())
                    .bind(f.title.as_str())
                    .bind(f.message.as_str())
                    .bind(f.path.as_deref())
                    .bind(f.start_line)
                    .bind(f.end_line)
                    .bind(f.host.as_deref())
                    .bind(f.port)
                    .bind(f.commit.as_deref())
                    .bind(f.evidence.as_str())
                    .bind(f.detail.as_str())
                    .bind("open")
                    .bind(scan)
                    .bind(scan)
                    .bind(now)
                    .bind(now);
            }
            for r in q.fetch_all(self.conn()).await? {
                out.push((r.try_get(0)?, r.try_get(1)?));
            }
        }
        Ok(out)
    }

    pub async fn insert_tickets(&mut self, tickets: &[NewTicket], now: i64) -> Result<()> {
        const COLS: usize = 10;
        for chunk in tickets.chunks(BATCH_PARAMS / COLS) {
            let sql = format!(
                "INSERT INTO tickets (finding_id, project_id, level, state, owner_id, team_id,
                    mitigation_due, remediation_due, created_at, updated_at)
                 VALUES {}
                 ON CONFLICT (finding_id) DO NOTHING",
                placeholders(self.backend, chunk.len(), COLS)
            );
            let mut q = sqlx::query(&sql);
            for t in chunk {
                q = q
                    .bind(t.finding_id)
                    .bind(t.project_id)
                    .bind(t.level)
                    .bind("open")
                    .bind(t.owner_id)
                    .bind(t.team_id)
                    .bind(t.mitigation_due)
                    .bind(t.remediation_due)
                    .bind(now)
                    .bind(now);
            }
            q.execute(self.conn()).await?;
        }
        Ok(())
    }

    pub async fn insert_finding_events(
        &mut self,
        events: &[FindingEvent<'_>],
        now: i64,
    ) -> Result<()> {
        const COLS: usize = 7;
        for chunk in events.chunks(BATCH_PARAMS / COLS) {
            let sql = format!(
                "INSERT INTO finding_events (finding_id, scan_id, at, actor, from_state, to_state, note)
                 VALUES {}",
                placeholders(self.backend, chunk.len(), COLS)
            );
            let mut q = sqlx::query(&sql);
            for e in chunk {
                q = q
                    .bind(e.finding_id)
                    .bind(e.scan_id)
                    .bind(now)
                    .bind(e.actor)
                    .bind(e.from_state)
                    .bind(e.to_state)
                    .bind(e.note);
            }
            q.execute(self.conn()).await?;
        }
        Ok(())
    }

    /// Records that `scan` saw these findings (state unchanged).
    pub async fn touch_findings(&mut self, ids: &[i64], scan: i64) -> Result<()> {
        for chunk in ids.chunks(ID_BATCH) {
            sqlx::query(&format!(
                "UPDATE findings SET last_scan_id = $1 WHERE id IN ({})",
                id_list(chunk)
            ))
            .bind(scan)
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    /// Marks findings fixed by `scan`, with their tickets.
    pub async fn fix_findings(&mut self, ids: &[i64], scan: i64, now: i64) -> Result<()> {
        for chunk in ids.chunks(ID_BATCH) {
            let list = id_list(chunk);
            sqlx::query(&format!(
                "UPDATE findings SET state = 'fixed', fixed_scan_id = $1, updated_at = $2
                 WHERE id IN ({list})"
            ))
            .bind(scan)
            .bind(now)
            .execute(self.conn())
            .await?;
            // A lead of merged tickets stays open while a member's finding is.
            sqlx::query(&format!(
                "UPDATE tickets SET state = 'fixed', closed_at = $1, updated_at = $1
                 WHERE finding_id IN ({list}) AND state IN ('open', 'mitigated')
                   AND {MEMBERS_FIXED}"
            ))
            .bind(now)
            .execute(self.conn())
            .await?;
        }
        // Groups whose last open finding was a member's.
        let leads = self.leads_of_findings(ids).await?;
        self.settle_leads(&leads, now).await?;
        Ok(())
    }

    /// Reopens fixed findings `scan` saw again. Their tickets reopen with fresh deadlines
    /// (`deadlines` per level); a finding without a ticket gets one from `new_tickets`.
    pub async fn reopen_findings(&mut self, ids: &[i64], scan: i64, now: i64) -> Result<()> {
        for chunk in ids.chunks(ID_BATCH) {
            sqlx::query(&format!(
                "UPDATE findings SET state = 'open', fixed_scan_id = NULL, last_scan_id = $1,
                    updated_at = $2 WHERE id IN ({})",
                id_list(chunk)
            ))
            .bind(scan)
            .bind(now)
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    /// Reopens the tickets of reopened findings: state open, new deadlines. A merged ticket's
    /// lead reopens instead (if it was fixed), at the stricter of its level and the finding's.
    pub async fn reopen_tickets(&mut self, tickets: &[NewTicket], now: i64) -> Result<()> {
        for t in tickets {
            let r = sqlx::query(
                "UPDATE tickets SET state = 'open',
                    level = CASE WHEN $1 < level OR (finding_id = $5 AND NOT EXISTS
                        (SELECT 1 FROM tickets g WHERE g.merged_into = tickets.id))
                        THEN $1 ELSE level END,
                    mitigation_due = $2, remediation_due = $3, closed_at = NULL,
                    mitigation_note = NULL, updated_at = $4
                 WHERE state = 'fixed' AND id = COALESCE(
                    (SELECT m.merged_into FROM tickets m WHERE m.finding_id = $5),
                    (SELECT m.id FROM tickets m WHERE m.finding_id = $5))",
            )
            .bind(t.level)
            .bind(t.mitigation_due)
            .bind(t.remediation_due)
            .bind(now)
            .bind(t.finding_id)
            .execute(self.conn())
            .await?;
            if r.rows_affected() == 0 {
                let exists = sqlx::query("SELECT 1 FROM tickets WHERE finding_id = $1")
                    .bind(t.finding_id)
                    .fetch_optional(self.conn())
                    .await?;
                if exists.is_none() {
                    self.insert_tickets(std::slice::from_ref(t), now).await?;
                }
            }
        }
        Ok(())
    }
}

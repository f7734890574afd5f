//! Ingest: an upload becomes scans, and the scans move the findings' lifecycle, in one
//! transaction that commits before the upload is acknowledged.
//!
//! - The upload's digest (SHA-256 of the body and the context parameters) is unique per
//!   project: the same upload twice returns the first one's scans and changes nothing.
//! - Findings are keyed by (project, fingerprint).
//! - Only scans on the project's default branch (or without a branch, or every scan while the
//!   project has no default branch) move the lifecycle: a new fingerprint opens a finding and
//!   its ticket, a fixed one reopens with its history, and a complete scan marks the open
//!   findings of its scope (project, tool, kind) it did not see as fixed, with itself as the
//!   evidence. False positives and accepted risks stay closed when they reappear.

use std::collections::{HashMap, HashSet};

use gatehouse_core::Finding;
use gatehouse_import::{Format, ImportedScan};
use serde::Serialize;

use super::sla::SlaPolicy;
use super::{sha256_hex, DomainError, Principal, Result};
use crate::store::{
    ExistingFinding, FindingEvent, NewFinding, NewTicket, Project, ScanCounts, ScanInsert, Store,
    Tx,
};

/// The upload's query parameters; they take precedence over what the report carries.
#[derive(Debug, Clone, Default)]
pub struct UploadParams {
    pub format: Option<String>,
    pub commit: Option<String>,
    pub branch: Option<String>,
    pub pipeline: Option<String>,
    pub stage: Option<String>,
}

/// One scan of an upload, as the answer lists it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ScanSummary {
    pub id: i64,
    pub tool: String,
    pub kind: String,
    pub complete: bool,
    pub findings: ScanCounts,
}

/// What an upload did.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct IngestOutcome {
    /// The ids of the upload's scans (one per tool and kind in the report).
    pub id: Vec<i64>,
    pub upload: i64,
    pub project: String,
    /// True when the same upload was already there: nothing changed.
    pub duplicate: bool,
    /// False for scans of a branch other than the project's default branch: they are recorded
    /// but open, reopen and fix nothing.
    pub moves_lifecycle: bool,
    pub scans: Vec<ScanSummary>,
    pub findings: ScanCounts,
    /// True when the project has no owner or no team and the organization's defaults were used
    /// for the new tickets.
    pub owner_defaulted: bool,
    /// Who the project's tickets go to (email), and their team.
    pub owner: Option<String>,
    pub team: Option<String>,
}

pub fn unknown_project(name: &str) -> DomainError {
    DomainError::NotFound(format!(
        "no project `{name}` on this server; create it first: POST /api/v1/projects with \
         {{\"name\": \"{name}\"}} (security or administrator role)"
    ))
}

/// The digest that makes uploads idempotent.
fn digest(body: &[u8], p: &UploadParams) -> String {
    let mut bytes = Vec::with_capacity(body.len() + 128);
    for part in [&p.format, &p.commit, &p.branch, &p.pipeline, &p.stage] {
        match part {
            Some(s) => {
                bytes.push(1);
                bytes.extend_from_slice(&(s.len() as u64).to_be_bytes());
                bytes.extend_from_slice(s.as_bytes());
            }
            None => bytes.push(0),
        }
    }
    bytes.extend_from_slice(body);
    sha256_hex(&bytes)
}

/// Reads and stores one upload.
pub async fn ingest<B>(
    store: &Store,
    who: &Principal,
    project_name: &str,
    body: B,
    params: UploadParams,
    now: i64,
) -> Result<IngestOutcome>
where
    B: AsRef<[u8]> + Send + 'static,
{
    let project = store
        .project_by_name(project_name)
        .await?
        .ok_or_else(|| unknown_project(project_name))?;
    if !who.sees(&project) {
        return Err(DomainError::Forbidden(format!(
            "{} may not upload to project `{project_name}`",
            who.actor
        )));
    }
    let format = match params.format.as_deref() {
        None | Some("") => None,
        Some(name) => Some(Format::from_name(name).ok_or_else(|| {
            DomainError::Invalid(format!(
                "unknown format `{name}` (accepted: {})",
                Format::ALL.map(Format::name).join(", ")
            ))
        })?),
    };
    let digest = digest(body.as_ref(), &params);
    // The same report again (a retried pipeline step) is answered from the stored upload without
    // being parsed again; the check inside the transaction below still settles a race.
    if let Some(id) = store.upload_by_digest(project.id, &digest).await? {
        return duplicate(store.begin().await?, &project, id).await;
    }
    // Parsing is CPU work on up to the body limit: off the async workers, before the
    // transaction so the writer is not held while it runs.
    let import =
        tokio::task::spawn_blocking(move || gatehouse_import::parse(body.as_ref(), format))
            .await
            .map_err(|e| DomainError::Invalid(format!("reading the upload failed: {e}")))??;

    let mut tx = store.begin().await?;
    let project = tx
        .project_by_name(project_name)
        .await?
        .ok_or_else(|| unknown_project(project_name))?;
    tx.lock_project(project.id, now).await?;
    let upload = match tx
        .insert_upload(project.id, &digest, import.format.name(), &who.actor, now)
        .await?
    {
        Some(id) => id,
        None => {
            let id = tx
                .upload_by_digest(project.id, &digest)
                .await?
                .ok_or_else(|| {
                    DomainError::Conflict("the upload was being stored twice; retry".into())
                })?;
            return duplicate(tx, &project, id).await;
        }
    };

    let ctx = import.context;
    let commit = params.commit.or(ctx.commit);
    let branch = params.branch.or(ctx.branch);
    let pipeline = params.pipeline.or(ctx.pipeline);
    let stage = params.stage.or(ctx.stage);
    let moves = match (&project.default_branch, &branch) {
        (Some(default), Some(b)) => default == b,
        _ => true,
    };

    let org = tx.organization().await?;
    let sla = SlaPolicy::effective(&org.sla_policy, &project.sla);
    let owner_id = project
        .owner_id
        .or(org.default_owner_id)
        .or(org.first_admin_id)
        .or(who.person_id);
    let team_id = project.team_id.or(org.default_team_id);
    let owner_defaulted = project.owner_id.is_none() || project.team_id.is_none();

    let mut existing: HashMap<String, ExistingFinding> = tx
        .existing_findings(project.id)
        .await?
        .into_iter()
        .map(|f| (f.fingerprint.clone(), f))
        .collect();
    let mut in_upload: HashSet<String> = HashSet::new();
    let mut total = ScanCounts::default();
    let mut scans = Vec::new();
    for scan in &import.scans {
        let s = ScanInsert {
            upload_id: upload,
            project_id: project.id,
            tool: &scan.tool,
            tool_version: scan.tool_version.as_deref(),
            kind: scan.kind.as_str(),
            commit: commit.as_deref(),
            branch: branch.as_deref(),
            pipeline: pipeline.as_deref(),
            stage: stage.as_deref(),
            complete: scan.complete,
            problems_json: serde_json::to_string(&scan.problems).unwrap_or_else(|_| "[]".into()),
            moves_lifecycle: moves,
            now,
        };
        let scan_id = tx.insert_scan(&s).await?;
        let counts = apply_scan(
            &mut tx,
            ScanCtx {
                who,
                project: &project,
                scan_id,
                moves,
                now,
                sla: &sla,
                owner_id,
                team_id,
            },
            scan,
            &mut existing,
            &mut in_upload,
        )
        .await?;
        tx.set_scan_counts(scan_id, &counts).await?;
        total.add(&counts);
        scans.push(ScanSummary {
            id: scan_id,
            tool: scan.tool.clone(),
            kind: scan.kind.as_str().to_string(),
            complete: scan.complete,
            findings: counts,
        });
    }

    let owner = match owner_id {
        Some(id) => tx.person_email(id).await?,
        None => None,
    };
    let team = match team_id {
        Some(id) => tx.team_name(id).await?,
        None => None,
    };
    let outcome = IngestOutcome {
        id: scans.iter().map(|s| s.id).collect(),
        upload,
        project: project.name.clone(),
        duplicate: false,
        moves_lifecycle: moves,
        scans,
        findings: total,
        owner_defaulted,
        owner,
        team,
    };
    let after = serde_json::json!({
        "project": project.name,
        "format": import.format.name(),
        "digest": digest,
        "commit": commit,
        "branch": branch,
        "pipeline": pipeline,
        "stage": stage,
        "scans": outcome.scans,
    });
    tx.audit(
        now,
        &who.actor,
        "scan.upload",
        "upload",
        &upload.to_string(),
        None,
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

async fn duplicate(mut tx: Tx, project: &Project, upload: i64) -> Result<IngestOutcome> {
    let scans = tx.scans_of_upload(upload).await?;
    let mut total = ScanCounts::default();
    for s in &scans {
        total.add(&s.findings);
    }
    let owner = match project.owner_id {
        Some(id) => tx.person_email(id).await?,
        None => None,
    };
    tx.commit().await?;
    Ok(IngestOutcome {
        id: scans.iter().map(|s| s.id).collect(),
        upload,
        project: project.name.clone(),
        duplicate: true,
        moves_lifecycle: scans.first().is_none_or(|s| s.moves_lifecycle),
        scans: scans
            .iter()
            .map(|s| ScanSummary {
                id: s.id,
                tool: s.tool.clone(),
                kind: s.kind.clone(),
                complete: s.complete,
                findings: s.findings,
            })
            .collect(),
        findings: total,
        owner_defaulted: project.owner_id.is_none() || project.team_id.is_none(),
        owner,
        team: project.team.clone(),
    })
}

struct ScanCtx<'a> {
    who: &'a Principal,
    project: &'a Project,
    scan_id: i64,
    moves: bool,
    now: i64,
    sla: &'a SlaPolicy,
    owner_id: Option<i64>,
    team_id: Option<i64>,
}

impl ScanCtx<'_> {
    fn ticket(&self, finding_id: i64, f: &Finding) -> Option<NewTicket> {
        let level = self.sla.level(f.severity)?;
        let (mitigation_due, remediation_due) = self.sla.deadlines(level, self.now);
        Some(NewTicket {
            finding_id,
            project_id: self.project.id,
            level,
            owner_id: self.owner_id,
            team_id: self.team_id,
            mitigation_due,
            remediation_due,
        })
    }
}

async fn apply_scan(
    tx: &mut Tx,
    c: ScanCtx<'_>,
    scan: &ImportedScan,
    existing: &mut HashMap<String, ExistingFinding>,
    in_upload: &mut HashSet<String>,
) -> Result<ScanCounts> {
    let mut counts = ScanCounts::default();
    let mut seen: HashSet<&str> = HashSet::with_capacity(scan.findings.len());
    let mut new: Vec<&Finding> = Vec::new();
    let mut reopen: Vec<(i64, &Finding)> = Vec::new();
    let mut unchanged: Vec<i64> = Vec::new();
    for f in &scan.findings {
        let fp = f.fingerprint.as_str();
        seen.insert(fp);
        if !in_upload.insert(fp.to_string()) {
            continue;
        }
        counts.total += 1;
        match existing.get(fp) {
            None => {
                counts.new += 1;
                if c.moves {
                    new.push(f);
                }
            }
            Some(e) if e.state == "fixed" && c.moves => {
                counts.reopened += 1;
                reopen.push((e.id, f));
            }
            Some(e) => {
                counts.unchanged += 1;
                unchanged.push(e.id);
            }
        }
    }
    if !c.moves {
        return Ok(counts);
    }
    let actor = c.who.actor.as_str();
    let scan_kind = scan.kind.as_str();

    // New findings, their tickets and the first line of their history.
    let rows: Vec<NewFinding> = new
        .iter()
        .map(|f| new_finding(&scan.tool, scan_kind, f))
        .collect();
    let ids = tx
        .insert_findings(c.project.id, c.scan_id, c.now, &rows)
        .await?;
    let by_fp: HashMap<&str, &Finding> = new.iter().map(|f| (f.fingerprint.as_str(), *f)).collect();
    let mut tickets = Vec::new();
    let mut events = Vec::with_capacity(ids.len());
    for (id, fp) in &ids {
        if let Some(f) = by_fp.get(fp.as_str()) {
            tickets.extend(c.ticket(*id, f));
            existing.insert(
                fp.clone(),
                ExistingFinding {
                    id: *id,
                    fingerprint: fp.clone(),
                    state: "open".into(),
                    tool: scan.tool.clone(),
                    kind: scan_kind.to_string(),
                    severity: f.severity.as_str().to_string(),
                },
            );
        }
        events.push(FindingEvent {
            finding_id: *id,
            scan_id: Some(c.scan_id),
            actor,
            from_state: None,
            to_state: "open",
            note: None,
        });
    }
    tx.insert_tickets(&tickets, c.now).await?;

    // Fixed findings that came back.
    let reopen_ids: Vec<i64> = reopen.iter().map(|(id, _)| *id).collect();
    tx.reopen_findings(&reopen_ids, c.scan_id, c.now).await?;
    let reopened_tickets: Vec<NewTicket> = reopen
        .iter()
        .filter_map(|(id, f)| c.ticket(*id, f))
        .collect();
    tx.reopen_tickets(&reopened_tickets, c.now).await?;
    for (id, f) in &reopen {
        events.push(FindingEvent {
            finding_id: *id,
            scan_id: Some(c.scan_id),
            actor,
            from_state: Some("fixed"),
            to_state: "open",
            note: Some("seen again"),
        });
        if let Some(e) = existing.get_mut(f.fingerprint.as_str()) {
            e.state = "open".into();
        }
    }
    tx.touch_findings(&unchanged, c.scan_id).await?;

    // A complete scan is evidence that what it did not see in its scope is gone.
    let mut fixed: Vec<(i64, String)> = Vec::new();
    if scan.complete {
        for e in existing.values_mut() {
            if e.tool == scan.tool
                && e.kind == scan_kind
                && (e.state == "open" || e.state == "mitigated")
                && !seen.contains(e.fingerprint.as_str())
            {
                fixed.push((e.id, std::mem::replace(&mut e.state, "fixed".into())));
            }
        }
        fixed.sort_unstable();
        let fixed_ids: Vec<i64> = fixed.iter().map(|(id, _)| *id).collect();
        tx.fix_findings(&fixed_ids, c.scan_id, c.now).await?;
        counts.fixed = fixed.len() as i64;
    }
    for (id, from) in &fixed {
        events.push(FindingEvent {
            finding_id: *id,
            scan_id: Some(c.scan_id),
            actor,
            from_state: Some(from.as_str()),
            to_state: "fixed",
            note: Some("not seen by a complete scan of its scope"),
        });
    }
    tx.insert_finding_events(&events, c.now).await?;
    Ok(counts)
}

fn new_finding(tool: &str, kind: &str, f: &Finding) -> NewFinding {
    // The database holds the masked preview and the hash, never a plain value, whatever the
    // report carried.
    let mut evidence = f.evidence.clone();
    if let Some(s) = evidence.secret.as_mut() {
        s.plain = None;
    }
    let detail = serde_json::json!({
        "confidence": f.confidence,
        "cwe": f.cwe,
        "ids": f.ids,
        "remediation": f.remediation,
        "fix": f.fix,
        "start_column": f.location.start_column,
        "end_column": f.location.end_column,
        "commit": f.location.commit,
        "properties": f.properties,
    });
    NewFinding {
        fingerprint: f.fingerprint.as_str().to_string(),
        tool: tool.to_string(),
        kind: kind.to_string(),
        rule_id: f.rule_id.clone(),
        severity: f.severity.as_str().to_string(),
        title: f.title.clone(),
        message: f.message.clone(),
        path: f.location.path.clone(),
        start_line: f.location.start_line as i64,
        end_line: f.location.end_line as i64,
        host: f.location.host.clone(),
        port: f.location.port.map(i64::from),
        commit: f.location.commit.as_ref().map(|c| c.id.clone()),
        evidence: serde_json::to_string(&evidence).unwrap_or_else(|_| "{}".into()),
        detail: detail.to_string(),
    }
}

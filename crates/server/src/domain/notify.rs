//! Notifications: the configuration file (channels, routing, escalation delay, retries), the
//! messages queued in the outbox by the changes that cause them, and the delivery worker that
//! sends them through `gatehouse_notify` with a lease, retries and a record of every attempt.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use gatehouse_notify::{
    Channel, Deadline, Decision, Event, Exception, Notification, Notifier, Recipient, Request,
    RetryPolicy, Ticket,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{DomainError, Principal, Result};
use crate::store::{
    Attempt, Contact, ExceptionRecord, NewOutbox, NoticeTicket, OutboxFilter, OutboxRow,
    OutboxUpdate, Store, TriageRequest, Tx,
};

const HOUR_MS: i64 = 3_600_000;

/// The kinds a route may name (`test` goes only to the channel named in the request).
pub const ROUTABLE_KINDS: [&str; 7] = [
    "deadline_breached",
    "escalated",
    "risk_acceptance_expired",
    "approval_requested",
    "approval_decided",
    "exception_requested",
    "exception_decided",
];

/// The notification settings every server process reads from the same file.
#[derive(Debug, Clone)]
pub struct NotifyConfig {
    /// Named channels.
    pub channels: BTreeMap<String, Channel>,
    /// Per event kind, the channels it goes to; a kind not listed goes to every channel.
    pub routes: BTreeMap<String, Vec<String>>,
    /// The ticket's page, with `{id}` for the ticket number.
    pub ticket_url: Option<String>,
    /// How long after the owner was told of a breach the team lead is.
    pub escalate_after_ms: i64,
    pub retry: RetryPolicy,
    /// How long a worker holds the rows it claimed; another process takes them over after.
    pub lease_ms: i64,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            channels: BTreeMap::new(),
            routes: BTreeMap::new(),
            ticket_url: None,
            escalate_after_ms: 24 * HOUR_MS,
            retry: RetryPolicy::default(),
            lease_ms: 5 * 60_000,
        }
    }
}

/// A notification configuration that cannot be used; the message names the file and the key.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct NotifyConfigError {
    pub file: String,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    ticket_url: Option<String>,
    #[serde(default)]
    escalate_after_hours: Option<f64>,
    #[serde(default)]
    lease_seconds: Option<u64>,
    #[serde(default)]
    retry: Option<RetryFile>,
    #[serde(default)]
    channels: BTreeMap<String, Channel>,
    #[serde(default)]
    routes: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RetryFile {
    #[serde(default)]
    max_attempts: Option<u32>,
    #[serde(default)]
    base_delay_seconds: Option<u64>,
    #[serde(default)]
    max_delay_seconds: Option<u64>,
}

impl NotifyConfig {
    /// Reads and checks a TOML file.
    pub fn load(path: &Path) -> Result<NotifyConfig, NotifyConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| NotifyConfigError {
            file: file.clone(),
            message: format!("cannot read it: {e}"),
        })?;
        NotifyConfig::parse(&text, &file)
    }

    /// Parses and checks the TOML text of the file named `file`. Messages never quote a value
    /// (webhook URLs and secrets are credentials), only keys, lines and the problem.
    pub fn parse(text: &str, file: &str) -> Result<NotifyConfig, NotifyConfigError> {
        let err = |message: String| NotifyConfigError {
            file: file.to_string(),
            message,
        };
        let raw: ConfigFile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let message = e.message().trim().to_string();
            err(match line {
                Some(l) => format!("line {l}: {message}"),
                None => message,
            })
        })?;
        let mut config = NotifyConfig::default();
        for (name, channel) in &raw.channels {
            if name.is_empty()
                || name.len() > 64
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(err(format!(
                    "channel name `{name}`: use 1 to 64 letters, digits, `-` or `_`"
                )));
            }
            channel
                .validate()
                .map_err(|e| err(format!("channel `{name}`: {e}")))?;
            if let Channel::Email(c) = channel {
                if let Some(var) = &c.password_env {
                    if std::env::var_os(var).is_none() {
                        return Err(err(format!(
                            "channel `{name}`: environment variable `{var}` (password_env) is not set"
                        )));
                    }
                }
            }
        }
        for (kind, names) in &raw.routes {
            if !ROUTABLE_KINDS.contains(&kind.as_str()) {
                return Err(err(format!(
                    "routes: unknown event `{kind}` (expected one of: {})",
                    ROUTABLE_KINDS.join(", ")
                )));
            }
            for n in names {
                if !raw.channels.contains_key(n) {
                    return Err(err(format!(
                        "routes.{kind}: no channel named `{n}` (define it as [channels.{n}])"
                    )));
                }
            }
        }
        if let Some(url) = &raw.ticket_url {
            let ok = (url.starts_with("https://") || url.starts_with("http://"))
                && url.contains("{id}")
                && gatehouse_notify::WebhookUrl::parse(&url.replace("{id}", "1")).is_ok();
            if !ok {
                return Err(err(
                    "ticket_url: an http(s) URL with `{id}` where the ticket number goes".into(),
                ));
            }
        }
        if let Some(h) = raw.escalate_after_hours {
            if !(h > 0.0 && h <= 24.0 * 366.0) {
                return Err(err(
                    "escalate_after_hours: more than 0 and at most a year".into()
                ));
            }
            config.escalate_after_ms = (h * HOUR_MS as f64).round() as i64;
        }
        if let Some(s) = raw.lease_seconds {
            if !(10..=86_400).contains(&s) {
                return Err(err("lease_seconds: 10 to 86400".into()));
            }
            config.lease_ms = s as i64 * 1000;
        }
        if let Some(r) = raw.retry {
            if let Some(n) = r.max_attempts {
                if !(1..=100).contains(&n) {
                    return Err(err("retry.max_attempts: 1 to 100".into()));
                }
                config.retry.max_attempts = n;
            }
            if let Some(s) = r.base_delay_seconds {
                if !(1..=86_400).contains(&s) {
                    return Err(err("retry.base_delay_seconds: 1 to 86400".into()));
                }
                config.retry.base_delay = Duration::from_secs(s);
            }
            if let Some(s) = r.max_delay_seconds {
                if !(1..=7 * 86_400).contains(&s) {
                    return Err(err("retry.max_delay_seconds: 1 to 604800".into()));
                }
                config.retry.max_delay = Duration::from_secs(s);
            }
            if config.retry.max_delay < config.retry.base_delay {
                return Err(err(
                    "retry: max_delay_seconds is less than base_delay_seconds".into(),
                ));
            }
        }
        config.channels = raw.channels;
        config.routes = raw.routes;
        config.ticket_url = raw.ticket_url;
        Ok(config)
    }

    /// The channels a notification of `kind` goes to.
    pub fn channels_for(&self, kind: &str) -> Vec<String> {
        match self.routes.get(kind) {
            Some(names) => names.clone(),
            None => self.channels.keys().cloned().collect(),
        }
    }

    fn link(&self, ticket: Option<i64>) -> Option<String> {
        let (url, id) = (self.ticket_url.as_ref()?, ticket?);
        Some(url.replace("{id}", &id.to_string()))
    }
}

// ----- what is queued -----

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| ms.to_string())
}

fn ticket_of(t: &NoticeTicket) -> Ticket {
    Ticket {
        id: t.id.to_string(),
        title: t.title.clone(),
        level: u8::try_from(t.level).unwrap_or(0),
        project: t.project.clone(),
        severity: t.severity.parse().unwrap_or(gatehouse_core::Severity::Info),
        state: t.state.clone(),
        mitigation_deadline: Some(rfc3339(t.mitigation_due)),
        remediation_deadline: Some(rfc3339(t.remediation_due)),
    }
}

fn recipient(c: &Contact) -> Recipient {
    Recipient {
        name: c.name.clone(),
        email: Some(c.email.clone()),
    }
}

/// Each person once, in the order given.
fn recipients<'a>(people: impl IntoIterator<Item = &'a Contact>) -> Vec<Recipient> {
    let mut seen = BTreeSet::new();
    people
        .into_iter()
        .filter(|c| seen.insert(c.email.to_lowercase()))
        .map(recipient)
        .collect()
}

async fn enqueue(
    tx: &mut Tx,
    event: Event,
    to: Vec<Recipient>,
    ticket: Option<i64>,
    exception: Option<i64>,
    now: i64,
) -> Result<OutboxRow> {
    let kind = event.kind();
    let n = Notification {
        id: None,
        event,
        recipients: to,
        link: None,
    };
    let body = serde_json::to_string(&n)
        .map_err(|e| DomainError::Invalid(format!("notification: {e}")))?;
    Ok(tx
        .enqueue(
            &NewOutbox {
                kind,
                ticket_id: ticket,
                exception_id: exception,
                body: &body,
                only_channel: None,
            },
            now,
        )
        .await?)
}

async fn notice(tx: &mut Tx, ticket: i64) -> Result<NoticeTicket> {
    tx.notice_ticket(ticket)
        .await?
        .ok_or_else(|| DomainError::NotFound(format!("no ticket {ticket}")))
}

pub(crate) fn deadline(name: &str) -> Deadline {
    if name == "mitigation" {
        Deadline::Mitigation
    } else {
        Deadline::Remediation
    }
}

/// The ticket's owner is told a deadline passed. Without an owner, the team lead is.
pub(crate) async fn breached(tx: &mut Tx, ticket: i64, which: &str, now: i64) -> Result<()> {
    let t = notice(tx, ticket).await?;
    let to = recipients(t.owner.iter().chain(t.lead.iter()).take(1));
    let event = Event::DeadlineBreached {
        ticket: ticket_of(&t),
        deadline: deadline(which),
    };
    enqueue(tx, event, to, Some(ticket), None, now).await?;
    Ok(())
}

/// Who an escalation of this ticket goes to: its team's lead, else the organization's default
/// owner, else the first administrator.
pub(crate) async fn escalation_contact(tx: &mut Tx, ticket: i64) -> Result<Option<Contact>> {
    let t = notice(tx, ticket).await?;
    match t.lead {
        Some(lead) => Ok(Some(lead)),
        None => Ok(tx.escalation_fallback().await?),
    }
}

/// The team lead (or the fallback) is told the owner did not act; the owner is named.
pub(crate) async fn escalated(
    tx: &mut Tx,
    ticket: i64,
    which: &str,
    to: Option<&Contact>,
    now: i64,
) -> Result<()> {
    let t = notice(tx, ticket).await?;
    let event = Event::Escalated {
        ticket: ticket_of(&t),
        deadline: deadline(which),
        owner: t
            .owner
            .as_ref()
            .map(|o| format!("{} <{}>", o.name, o.email)),
    };
    enqueue(tx, event, recipients(to), Some(ticket), None, now).await?;
    Ok(())
}

/// The owner is told an accepted risk lapsed and the ticket is open again.
pub(crate) async fn risk_expired(
    tx: &mut Tx,
    ticket: i64,
    expired_at: i64,
    now: i64,
) -> Result<()> {
    let t = notice(tx, ticket).await?;
    let to = recipients(t.owner.iter());
    let event = Event::RiskAcceptanceExpired {
        ticket: ticket_of(&t),
        expired_at: rfc3339(expired_at),
    };
    enqueue(tx, event, to, Some(ticket), None, now).await?;
    Ok(())
}

fn request_kind(kind: &str) -> Request {
    if kind == "false_positive" {
        Request::FalsePositive
    } else {
        Request::RiskAcceptance
    }
}

fn decision(state: &str) -> Decision {
    if state == "approved" {
        Decision::Approved
    } else {
        Decision::Rejected
    }
}

/// The people who may decide (security and administrators), but not the requester.
async fn deciders_except(tx: &mut Tx, requester: &str) -> Result<Vec<Contact>> {
    Ok(tx
        .deciders()
        .await?
        .into_iter()
        .filter(|c| !c.email.eq_ignore_ascii_case(requester))
        .collect())
}

/// A false-positive or risk-acceptance request goes to the people who may decide it.
pub(crate) async fn triage_requested(tx: &mut Tx, r: &TriageRequest, now: i64) -> Result<()> {
    let t = notice(tx, r.ticket).await?;
    let to = deciders_except(tx, &r.requested_by).await?;
    let event = Event::ApprovalRequested {
        ticket: ticket_of(&t),
        request: request_kind(&r.kind),
        requested_by: r.requested_by.clone(),
        reason: Some(r.reason.clone()),
    };
    enqueue(tx, event, recipients(&to), Some(r.ticket), None, now).await?;
    Ok(())
}

/// A decision goes to the requester and the ticket's owner.
pub(crate) async fn triage_decided(tx: &mut Tx, r: &TriageRequest, now: i64) -> Result<()> {
    let t = notice(tx, r.ticket).await?;
    let requester = tx.contact_by_email(&r.requested_by).await?;
    let to = recipients(requester.iter().chain(t.owner.iter()));
    let event = Event::ApprovalDecided {
        ticket: ticket_of(&t),
        request: request_kind(&r.kind),
        decision: decision(&r.state),
        decided_by: r.decided_by.clone().unwrap_or_default(),
        comment: r.decision_note.clone(),
    };
    enqueue(tx, event, to, Some(r.ticket), None, now).await?;
    Ok(())
}

fn exception_of(x: &ExceptionRecord) -> Exception {
    let mut parts = Vec::new();
    for (k, v) in [
        ("rule", &x.rule),
        ("fingerprint", &x.fingerprint),
        ("path", &x.path),
        ("advisory", &x.advisory),
        ("scanner", &x.scanner),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k} {v}"));
        }
    }
    if !x.stages.is_empty() {
        parts.push(format!("stages {}", x.stages.join(" ")));
    }
    Exception {
        id: x.id.to_string(),
        project: x.project.clone(),
        applies_to: parts.join(", "),
        expires: x.expires.clone(),
    }
}

/// An exception request goes to the people who may decide it.
pub(crate) async fn exception_requested(tx: &mut Tx, x: &ExceptionRecord, now: i64) -> Result<()> {
    let to = deciders_except(tx, &x.requested_by).await?;
    let event = Event::ExceptionRequested {
        exception: exception_of(x),
        requested_by: x.requested_by.clone(),
        reason: Some(x.reason.clone()),
    };
    enqueue(tx, event, recipients(&to), None, Some(x.id), now).await?;
    Ok(())
}

/// A decided exception goes to its requester.
pub(crate) async fn exception_decided(tx: &mut Tx, x: &ExceptionRecord, now: i64) -> Result<()> {
    let requester = tx.contact_by_email(&x.requested_by).await?;
    let event = Event::ExceptionDecided {
        exception: exception_of(x),
        decision: decision(&x.state),
        decided_by: x.decided_by.clone().unwrap_or_default(),
        comment: x.decision_note.clone(),
    };
    enqueue(
        tx,
        event,
        recipients(requester.iter()),
        None,
        Some(x.id),
        now,
    )
    .await?;
    Ok(())
}

/// Queues a test message to one configured channel (administrators, to check a channel).
pub async fn send_test(
    store: &Store,
    config: &NotifyConfig,
    who: &Principal,
    channel: &str,
    message: Option<&str>,
    now: i64,
) -> Result<OutboxRow> {
    if !config.channels.contains_key(channel) {
        let known: Vec<&str> = config.channels.keys().map(String::as_str).collect();
        return Err(DomainError::Invalid(if known.is_empty() {
            format!(
                "channel: no channel `{channel}`: this server has no channels \
                 (gatehouse serve --notify-config FILE)"
            )
        } else {
            format!(
                "channel: no channel `{channel}` (configured: {})",
                known.join(", ")
            )
        }));
    }
    let message = message.map(str::trim).filter(|m| !m.is_empty());
    if message.is_some_and(|m| m.len() > 2000) {
        return Err(DomainError::Invalid("message: at most 2,000 bytes".into()));
    }
    let n = Notification {
        id: None,
        event: Event::Test {
            message: Some(
                message
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("Sent by {} to check this channel.", who.actor)),
            ),
        },
        recipients: Vec::new(),
        link: None,
    };
    let body = serde_json::to_string(&n)
        .map_err(|e| DomainError::Invalid(format!("notification: {e}")))?;
    let mut tx = store.begin().await?;
    let row = tx
        .enqueue(
            &NewOutbox {
                kind: "test",
                ticket_id: None,
                exception_id: None,
                body: &body,
                only_channel: Some(channel),
            },
            now,
        )
        .await?;
    tx.audit(
        now,
        &who.actor,
        "notification.test",
        "notification",
        &row.id.to_string(),
        None,
        Some(&json!({"channel": channel, "message": message})),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

// ----- delivery -----

/// One channel's progress on one row.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChannelState {
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: u32,
    pub next_attempt_at: i64,
}

/// What one call of [`deliver_due`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryReport {
    /// Rows claimed.
    pub claimed: usize,
    /// Rows now delivered to every channel.
    pub delivered: usize,
    /// Rows given up on (a permanent error, or the attempts used up, on some channel).
    pub failed: usize,
    /// Rows to try again later.
    pub retrying: usize,
    /// Rows no channel takes.
    pub skipped: usize,
}

/// The most rows one call claims; the next call takes the rest.
const BATCH: i64 = 20;

fn worker_id() -> Result<String> {
    super::new_secret("worker-")
}

/// Claims the rows due at `now` (one at a time, each with a lease) and delivers them to their
/// channels, until none is due or `max_rows` were handled. Every process may run it at once: a
/// row is held by one worker until its lease expires.
pub async fn deliver_due(
    store: &Store,
    config: &NotifyConfig,
    notifier: &Notifier,
    now: i64,
    max_rows: usize,
) -> Result<DeliveryReport> {
    let owner = worker_id()?;
    let mut report = DeliveryReport::default();
    while report.claimed < max_rows {
        let limit = BATCH.min((max_rows - report.claimed) as i64);
        let rows = store
            .claim_outbox(&owner, now, now + config.lease_ms, limit)
            .await?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            report.claimed += 1;
            match deliver_row(store, config, notifier, &owner, &row, now).await? {
                "delivered" => report.delivered += 1,
                "failed" => report.failed += 1,
                "skipped" => report.skipped += 1,
                _ => report.retrying += 1,
            }
        }
    }
    Ok(report)
}

/// One delivery round of a claimed row: every pending channel whose time has come. Returns the
/// row's new state.
async fn deliver_row(
    store: &Store,
    config: &NotifyConfig,
    notifier: &Notifier,
    owner: &str,
    row: &OutboxRow,
    now: i64,
) -> Result<&'static str> {
    let mut channels: BTreeMap<String, ChannelState> =
        serde_json::from_str(&row.channels).unwrap_or_default();
    if channels.is_empty() && row.attempts == 0 {
        // First round: the channels are chosen now, from the configuration.
        let names = match &row.channel {
            Some(one) => vec![one.clone()],
            None => config.channels_for(&row.kind),
        };
        for n in names {
            channels.insert(
                n,
                ChannelState {
                    state: "pending".into(),
                    attempts: 0,
                    next_attempt_at: now,
                },
            );
        }
    }
    let round = row.attempts + 1;
    let mut attempts = Vec::new();
    let mut last_error = None;
    let parsed: std::result::Result<Notification, _> = serde_json::from_str(&row.body);
    for (name, ch) in channels.iter_mut() {
        if ch.state != "pending" || ch.next_attempt_at > now {
            continue;
        }
        ch.attempts += 1;
        let mut attempt = Attempt {
            outbox_id: row.id,
            attempt: i64::from(ch.attempts),
            channel: name.clone(),
            at: now,
            ok: false,
            status: None,
            response: None,
            error: None,
            next_attempt_at: None,
        };
        let local = |failure: &str, message: String| json!({"channel": null, "failure": failure, "message": message, "status": null});
        let outcome = match (config.channels.get(name), &parsed) {
            (None, _) => Err((
                local(
                    "config",
                    format!("no channel `{name}` is configured any more"),
                ),
                None,
            )),
            (Some(_), Err(e)) => Err((
                local(
                    "invalid_notification",
                    format!("the stored notification cannot be read: {e}"),
                ),
                None,
            )),
            (Some(channel), Ok(n)) => {
                let mut n = n.clone();
                n.id = Some(row.id.to_string());
                n.link = config.link(row.ticket);
                match notifier.deliver(channel, &n).await {
                    Ok(d) => Ok(d),
                    Err(e) => {
                        attempt.status = e.status.map(i64::from);
                        let next = config
                            .retry
                            .next_attempt(ch.attempts, &e, row.id as u64)
                            .map(|d| now + i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 4));
                        Err((serde_json::to_value(&e).unwrap_or_default(), next))
                    }
                }
            }
        };
        match outcome {
            Ok(d) => {
                ch.state = "delivered".into();
                attempt.ok = true;
                attempt.status = d.status.map(i64::from);
                attempt.response = Some(d.response);
            }
            Err((value, next)) => {
                match next {
                    Some(at) => {
                        ch.next_attempt_at = at;
                        attempt.next_attempt_at = Some(at);
                    }
                    None => ch.state = "failed".into(),
                }
                tracing::warn!(
                    "notification {} to channel `{name}`: {}",
                    row.id,
                    value["message"].as_str().unwrap_or("failed")
                );
                last_error = Some(value.to_string());
                attempt.error = Some(value);
            }
        }
        attempts.push(attempt);
    }
    let pending: Vec<i64> = channels
        .values()
        .filter(|c| c.state == "pending")
        .map(|c| c.next_attempt_at)
        .collect();
    let state = if channels.is_empty() {
        "skipped"
    } else if !pending.is_empty() {
        "pending"
    } else if channels.values().all(|c| c.state == "delivered") {
        "delivered"
    } else {
        "failed"
    };
    let next_attempt_at = pending.iter().min().copied().unwrap_or(row.next_attempt_at);
    let channels_json = serde_json::to_string(&channels).unwrap_or_else(|_| "{}".into());
    let finished = store
        .finish_outbox(
            row.id,
            owner,
            &OutboxUpdate {
                state,
                channels: &channels_json,
                attempts: if attempts.is_empty() {
                    row.attempts
                } else {
                    round
                },
                next_attempt_at,
                last_error: last_error.as_deref(),
            },
            &attempts,
            now,
        )
        .await?;
    if !finished {
        tracing::warn!(
            "notification {}: the lease expired during delivery and another worker took the row",
            row.id
        );
    }
    Ok(state)
}

// ----- reading -----

/// An outbox row with its channels and attempts, as the API shows it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct NotificationRecord {
    #[serde(flatten)]
    pub row: OutboxRow,
    pub channels: BTreeMap<String, ChannelState>,
    pub last_error: Option<serde_json::Value>,
    /// The message: its event and recipients.
    pub notification: serde_json::Value,
    pub deliveries: Vec<Attempt>,
}

/// Outbox rows, newest first, each with its attempts.
pub async fn list(
    store: &Store,
    filter: &OutboxFilter,
) -> Result<crate::store::ListPage<NotificationRecord>> {
    for s in &filter.state {
        if !["pending", "delivered", "failed", "skipped"].contains(&s.as_str()) {
            return Err(DomainError::Invalid(format!(
                "state: `{s}` (expected pending, delivered, failed or skipped)"
            )));
        }
    }
    for k in &filter.kind {
        if !ROUTABLE_KINDS.contains(&k.as_str()) && k != "test" {
            return Err(DomainError::Invalid(format!(
                "kind: `{k}` (expected one of: {}, test)",
                ROUTABLE_KINDS.join(", ")
            )));
        }
    }
    let page = store.list_outbox(filter).await?;
    let ids: Vec<i64> = page.items.iter().map(|r| r.id).collect();
    let mut attempts = store.outbox_attempts(&ids).await?;
    let items = page
        .items
        .into_iter()
        .map(|row| {
            let (mine, rest): (Vec<Attempt>, Vec<Attempt>) =
                attempts.drain(..).partition(|a| a.outbox_id == row.id);
            attempts = rest;
            NotificationRecord {
                channels: serde_json::from_str(&row.channels).unwrap_or_default(),
                last_error: row
                    .last_error
                    .as_deref()
                    .and_then(|e| serde_json::from_str(e).ok()),
                notification: serde_json::from_str(&row.body).unwrap_or_default(),
                deliveries: mine,
                row,
            }
        })
        .collect();
    Ok(crate::store::ListPage {
        items,
        next_cursor: page.next_cursor,
    })
}

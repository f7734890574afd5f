//! Outbound notifications: what a message says on each channel, and delivering it.
//!
//! The platform server keeps an outbox; for each row it calls [`Notifier::deliver`] with a
//! [`Channel`] (configuration, stored as JSON) and a [`Notification`] (what happened), records
//! the [`Delivery`] or the [`DeliveryError`], and asks [`RetryPolicy::next_attempt`] when to try
//! again. This crate has no database and no knowledge of the server.
//!
//! # Channels
//!
//! | `type` | keys | success |
//! |---|---|---|
//! | `webhook` | `url`, `headers` (map), `secret` | any 2xx |
//! | `slack` | `url` | HTTP 200, body `ok` |
//! | `wecom` | `url` (with `key=`) | HTTP 200, `errcode` 0 |
//! | `dingtalk` | `url` (with `access_token=`), `secret` | HTTP 200, `errcode` 0 |
//! | `feishu` | `url`, `secret` | HTTP 200, `code` (or older `StatusCode`) 0 |
//! | `email` | `host`, `port`, `tls` (`none`, `starttls`, `tls`), `username`, `password_env`, `from`, `to`, `html` | SMTP 250 |
//!
//! ```toml
//! type = "dingtalk"
//! url = "https://oapi.dingtalk.com/robot/send?access_token=…"
//! secret = "SEC…"
//! ```
//!
//! Webhook URLs carry the robots' credentials, so [`WebhookUrl`] prints only a redacted form,
//! and every error message is scrubbed of the URL's secret parts, signing secrets, header values
//! and SMTP passwords.
//!
//! # Signatures
//!
//! - `webhook`: `X-Gatehouse-Timestamp` (Unix seconds) and
//!   `X-Gatehouse-Signature: sha256=<hex HMAC-SHA256(secret, "{timestamp}.{body}")>`.
//! - `dingtalk`: `timestamp` (ms) and `sign` = URL-encoded Base64 of
//!   HMAC-SHA256(secret, `"{timestamp}\n{secret}"`), appended to the URL's query.
//! - `feishu`: `timestamp` (s) and `sign` = Base64 of HMAC-SHA256 keyed with
//!   `"{timestamp}\n{secret}"` over an empty message, in the JSON body.
//!
//! # The webhook body (`version` 1)
//!
//! ```json
//! {"version": 1, "id": "outbox-17", "kind": "deadline_breached",
//!  "summary": "Mitigation deadline breached: SQL injection in /login",
//!  "ticket": {"id": "42", "title": "…", "level": 1, "project": "shop", "severity": "critical",
//!             "state": "open", "mitigation_deadline": "…", "remediation_deadline": "…"},
//!  "details": {"deadline": "mitigation"},
//!  "recipients": [{"name": "Alice", "email": "alice@example.com"}],
//!  "link": "https://gatehouse.example/tickets/42"}
//! ```
//!
//! `kind` is one of `deadline_breached`, `escalated`, `risk_acceptance_expired`,
//! `approval_requested`, `approval_decided`, `exception_requested`, `exception_decided`, `test`;
//! `ticket` is `null` for the exception kinds and `test`. New fields
//! may be added within version 1; a field's meaning never changes.
//!
//! # Retries
//!
//! [`DeliveryError::is_retryable`]: network errors, timeouts, HTTP 5xx and 408, HTTP 429 and the
//! providers' rate-limit codes (with `retry_after` from `Retry-After` or the provider's
//! documented penalty). Everything else (4xx, provider error codes, a rejected signature, bad
//! configuration, a malformed notification) is permanent.

mod config;
mod deliver;
mod error;
mod notification;
mod redact;
pub mod render;
mod retry;
pub mod sign;
mod smtp;

pub use config::{
    Channel, ChannelKind, ConfigError, DingtalkConfig, EmailConfig, FeishuConfig, Secret,
    SlackConfig, TlsMode, UrlError, WebhookConfig, WebhookUrl, WecomConfig,
};
pub use deliver::{deliver, Clock, FixedClock, Notifier, SystemClock, DEFAULT_TIMEOUT};
pub use error::{Delivery, DeliveryError, Failure};
pub use notification::{
    Deadline, Decision, Event, Exception, Notification, NotificationError, Recipient, Request,
    Ticket,
};
pub use retry::{RetryPolicy, MAX_RETRY_AFTER};

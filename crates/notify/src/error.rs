//! Delivery outcomes.

use std::time::Duration;

use serde::Serialize;

use crate::config::ChannelKind;

/// A message the receiver accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub channel: ChannelKind,
    /// HTTP status, or the SMTP reply code of the final `DATA`.
    pub status: Option<u16>,
    /// The receiver's answer, shortened, with no credential in it.
    pub response: String,
}

/// Why a delivery failed, which decides whether it is worth trying again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// Could not connect, or the connection broke. Retryable.
    Network,
    /// No answer in time. Retryable.
    Timeout,
    /// The receiver failed (HTTP 5xx, SMTP 4xx, a provider's "system busy"). Retryable.
    ServerError,
    /// Too many requests (HTTP 429, a provider's rate-limit code). Retryable, after
    /// `retry_after` when known.
    RateLimited,
    /// The receiver refused the message (HTTP 4xx, a provider error code, SMTP 5xx). Permanent.
    Rejected,
    /// The receiver refused the signature or the timestamp. Permanent: the secret is wrong
    /// (or the clock is far off).
    SignatureRejected,
    /// The channel's configuration cannot work. Permanent until it is changed.
    Config,
    /// The notification itself is malformed. Permanent.
    InvalidNotification,
}

impl Failure {
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            Failure::Network | Failure::Timeout | Failure::ServerError | Failure::RateLimited
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Failure::Network => "network",
            Failure::Timeout => "timeout",
            Failure::ServerError => "server_error",
            Failure::RateLimited => "rate_limited",
            Failure::Rejected => "rejected",
            Failure::SignatureRejected => "signature_rejected",
            Failure::Config => "config",
            Failure::InvalidNotification => "invalid_notification",
        }
    }
}

/// A failed delivery. The message is short and never holds a webhook credential or password,
/// so it can be stored with the outbox row and shown to administrators.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{channel} delivery failed ({}): {message}", failure.as_str())]
pub struct DeliveryError {
    pub channel: ChannelKind,
    pub failure: Failure,
    pub message: String,
    /// HTTP status or SMTP reply code, when the receiver answered.
    pub status: Option<u16>,
    /// How long the receiver asked to wait (`Retry-After`, or a provider's documented penalty).
    #[serde(skip_serializing_if = "Option::is_none", with = "opt_secs")]
    pub retry_after: Option<Duration>,
}

impl DeliveryError {
    pub(crate) fn new(channel: ChannelKind, failure: Failure, message: impl Into<String>) -> Self {
        DeliveryError {
            channel,
            failure,
            message: message.into(),
            status: None,
            retry_after: None,
        }
    }

    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub(crate) fn with_retry_after(mut self, after: Option<Duration>) -> Self {
        self.retry_after = after;
        self
    }

    pub fn is_retryable(&self) -> bool {
        self.failure.is_retryable()
    }
}

mod opt_secs {
    use std::time::Duration;

    use serde::Serializer;

    pub fn serialize<S: Serializer>(value: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(d) => s.serialize_some(&d.as_secs()),
            None => s.serialize_none(),
        }
    }
}

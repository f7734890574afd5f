//! What a notification says: the event, the ticket it is about, who it is for and where to look.
//! Channel-neutral; `render` turns it into each channel's format.

use gatehouse_core::Severity;
use serde::{Deserialize, Serialize};

/// One message to deliver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    /// The sender's identifier for this message (the outbox row), sent along so receivers can
    /// drop the duplicates that retries produce.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub event: Event,
    /// Who the message is for: the owner, or the team lead on escalation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<Recipient>,
    /// The ticket's page on the platform (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// A person the message is addressed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The ticket a notification is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ticket {
    pub id: String,
    pub title: String,
    /// The platform's level, 1 (most urgent) to 3.
    pub level: u8,
    pub project: String,
    pub severity: Severity,
    /// The ticket's state, as the server names it (`open`, `mitigated`, …).
    pub state: String,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mitigation_deadline: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation_deadline: Option<String>,
}

/// A project's exception to the gate: what it exempts and until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    pub id: String,
    pub project: String,
    /// What it exempts, as the server describes it (`rule generic-api-key, path tests/**`).
    pub applies_to: String,
    /// The last day it applies (`YYYY-MM-DD`).
    pub expires: String,
}

/// Which of a ticket's two deadlines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deadline {
    /// Temporary mitigation.
    Mitigation,
    /// Full remediation.
    Remediation,
}

impl Deadline {
    pub fn as_str(self) -> &'static str {
        match self {
            Deadline::Mitigation => "mitigation",
            Deadline::Remediation => "remediation",
        }
    }
}

/// What an approval request asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    FalsePositive,
    RiskAcceptance,
}

impl Request {
    pub fn as_str(self) -> &'static str {
        match self {
            Request::FalsePositive => "false_positive",
            Request::RiskAcceptance => "risk_acceptance",
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Request::FalsePositive => "False positive",
            Request::RiskAcceptance => "Risk acceptance",
        }
    }
}

/// An approver's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approved,
    Rejected,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::Rejected => "rejected",
        }
    }
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// A deadline passed without the ticket reaching the matching state; sent to the owner.
    DeadlineBreached { ticket: Ticket, deadline: Deadline },
    /// A breach went unanswered and is escalated to the team lead.
    Escalated {
        ticket: Ticket,
        deadline: Deadline,
        /// The owner who did not act, named to the lead.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
    },
    /// A risk acceptance reached its expiry; the ticket is open again.
    RiskAcceptanceExpired {
        ticket: Ticket,
        /// RFC 3339.
        expired_at: String,
    },
    /// Someone asks for a false positive or risk acceptance to be approved.
    ApprovalRequested {
        ticket: Ticket,
        request: Request,
        requested_by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An approver decided a request.
    ApprovalDecided {
        ticket: Ticket,
        request: Request,
        decision: Decision,
        decided_by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// Someone asks for an exception to the gate; sent to the people who may decide it.
    ExceptionRequested {
        exception: Exception,
        requested_by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An approver decided an exception request; sent to the requester.
    ExceptionDecided {
        exception: Exception,
        decision: Decision,
        decided_by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// Sent from the settings page to check a channel.
    Test {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
}

impl Event {
    /// The stable name of the event's kind (`deadline_breached`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Event::DeadlineBreached { .. } => "deadline_breached",
            Event::Escalated { .. } => "escalated",
            Event::RiskAcceptanceExpired { .. } => "risk_acceptance_expired",
            Event::ApprovalRequested { .. } => "approval_requested",
            Event::ApprovalDecided { .. } => "approval_decided",
            Event::ExceptionRequested { .. } => "exception_requested",
            Event::ExceptionDecided { .. } => "exception_decided",
            Event::Test { .. } => "test",
        }
    }

    pub fn ticket(&self) -> Option<&Ticket> {
        match self {
            Event::DeadlineBreached { ticket, .. }
            | Event::Escalated { ticket, .. }
            | Event::RiskAcceptanceExpired { ticket, .. }
            | Event::ApprovalRequested { ticket, .. }
            | Event::ApprovalDecided { ticket, .. } => Some(ticket),
            Event::ExceptionRequested { .. }
            | Event::ExceptionDecided { .. }
            | Event::Test { .. } => None,
        }
    }

    /// The exception an exception event is about.
    pub fn exception(&self) -> Option<&Exception> {
        match self {
            Event::ExceptionRequested { exception, .. }
            | Event::ExceptionDecided { exception, .. } => Some(exception),
            _ => None,
        }
    }
}

/// A notification that cannot be sent as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotificationError {
    #[error("ticket level {0} is not 1, 2 or 3")]
    Level(u8),
    #[error("`{field}` is not an RFC 3339 time: {value}")]
    Time { field: &'static str, value: String },
    #[error("the link must be an http or https URL")]
    Link,
}

impl Notification {
    /// Checks the level, the times and the link. Delivery refuses a notification that fails.
    pub fn validate(&self) -> Result<(), NotificationError> {
        if let Some(ticket) = self.event.ticket() {
            if !(1..=3).contains(&ticket.level) {
                return Err(NotificationError::Level(ticket.level));
            }
            check_time("mitigation_deadline", ticket.mitigation_deadline.as_deref())?;
            check_time(
                "remediation_deadline",
                ticket.remediation_deadline.as_deref(),
            )?;
        }
        if let Event::RiskAcceptanceExpired { expired_at, .. } = &self.event {
            check_time("expired_at", Some(expired_at))?;
        }
        if let Some(link) = &self.link {
            if crate::render::safe_link(link).is_none() {
                return Err(NotificationError::Link);
            }
        }
        Ok(())
    }
}

fn check_time(field: &'static str, value: Option<&str>) -> Result<(), NotificationError> {
    match value {
        Some(v) if v.parse::<jiff::Timestamp>().is_err() => Err(NotificationError::Time {
            field,
            value: v.to_owned(),
        }),
        _ => Ok(()),
    }
}

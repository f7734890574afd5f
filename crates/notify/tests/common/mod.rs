//! Notifications shared by the tests: one per kind, with text that tries every markup.
#![allow(dead_code)]

use gatehouse_core::Severity;
use gatehouse_notify::{
    Deadline, Decision, Event, Exception, Notification, Recipient, Request, Ticket,
};

pub fn ticket() -> Ticket {
    Ticket {
        id: "42".into(),
        title:
            "SQL injection in *login* <form> & [search](javascript:alert(1)) _x_\n# not a heading"
                .into(),
        level: 1,
        project: "shop-api".into(),
        severity: Severity::Critical,
        state: "open".into(),
        mitigation_deadline: Some("2025-03-01T09:00:00Z".into()),
        remediation_deadline: Some("2025-03-07T09:00:00Z".into()),
    }
}

pub fn exception() -> Exception {
    Exception {
        id: "7".into(),
        project: "shop-api".into(),
        applies_to: "rule generic-api-key, path tests/**/*.py".into(),
        expires: "2025-06-30".into(),
    }
}

fn with(event: Event) -> Notification {
    Notification {
        id: Some("outbox-17".into()),
        event,
        recipients: vec![Recipient {
            name: "Alice <alice> Liddell".into(),
            email: Some("alice@example.com".into()),
        }],
        link: Some("https://gatehouse.example/tickets/42?tab=history(1)".into()),
    }
}

/// Every kind, named for snapshot files.
pub fn all() -> Vec<(&'static str, Notification)> {
    vec![
        (
            "deadline_breached",
            with(Event::DeadlineBreached {
                ticket: ticket(),
                deadline: Deadline::Mitigation,
            }),
        ),
        (
            "escalated",
            with(Event::Escalated {
                ticket: ticket(),
                deadline: Deadline::Remediation,
                owner: Some("Bob".into()),
            }),
        ),
        (
            "risk_acceptance_expired",
            with(Event::RiskAcceptanceExpired {
                ticket: Ticket {
                    state: "reopened".into(),
                    ..ticket()
                },
                expired_at: "2025-02-28T00:00:00Z".into(),
            }),
        ),
        (
            "approval_requested",
            with(Event::ApprovalRequested {
                ticket: ticket(),
                request: Request::RiskAcceptance,
                requested_by: "Carol".into(),
                reason: Some("Compensating WAF rule in place.\nSee <!channel> & @all".into()),
            }),
        ),
        (
            "approval_decided",
            with(Event::ApprovalDecided {
                ticket: ticket(),
                request: Request::FalsePositive,
                decision: Decision::Approved,
                decided_by: "Dave".into(),
                comment: Some("Input is an enum, not user text.".into()),
            }),
        ),
        (
            "exception_requested",
            Notification {
                link: None,
                ..with(Event::ExceptionRequested {
                    exception: exception(),
                    requested_by: "Carol".into(),
                    reason: Some("Vendored test keys <b>*only*</b>".into()),
                })
            },
        ),
        (
            "exception_decided",
            Notification {
                link: None,
                ..with(Event::ExceptionDecided {
                    exception: exception(),
                    decision: Decision::Rejected,
                    decided_by: "Dave".into(),
                    comment: None,
                })
            },
        ),
        (
            "test",
            Notification {
                id: None,
                event: Event::Test {
                    message: Some("Hello from the settings page".into()),
                },
                recipients: vec![],
                link: None,
            },
        ),
    ]
}

pub fn breached() -> Notification {
    all().remove(0).1
}

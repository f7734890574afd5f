//! Each channel's message for a notification. Pure functions, snapshot-tested.
//!
//! Everything the crate writes itself (labels, headlines) is fixed text; everything that comes
//! from users (titles, names, reasons) goes through the channel's escaper, is put on one line
//! (so it cannot open a heading, quote or list) and is bounded in length.

use serde_json::{json, Value};

use crate::config::Channel;
use crate::notification::{Deadline, Decision, Event, Notification};
use crate::redact::truncate;

/// A rendered message: a JSON body for the HTTP channels, or an email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rendered {
    Json(Value),
    Email(Email),
}

/// An email's subject and bodies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The message `channel` would send for `notification`, before any signature.
pub fn render(channel: &Channel, notification: &Notification) -> Rendered {
    match channel {
        Channel::Webhook(_) => Rendered::Json(webhook(notification)),
        Channel::Slack(_) => Rendered::Json(slack(notification)),
        Channel::Wecom(_) => Rendered::Json(wecom(notification)),
        Channel::Dingtalk(_) => Rendered::Json(dingtalk(notification)),
        Channel::Feishu(_) => Rendered::Json(feishu(notification)),
        Channel::Email(_) => Rendered::Email(email(notification)),
    }
}

const FIELD_MAX: usize = 200;
const NOTE_MAX: usize = 1000;

/// The channel-neutral content every renderer lays out.
struct Summary {
    /// Fixed text: what happened.
    headline: String,
    /// User text: the ticket's title (or nothing for a test message).
    subject: Option<String>,
    fields: Vec<(&'static str, String)>,
    note: Option<(&'static str, String)>,
    link: Option<String>,
    tone: Tone,
}

#[derive(Clone, Copy)]
enum Tone {
    Urgent,
    Attention,
    Good,
    Neutral,
    Info,
}

impl Summary {
    fn of(n: &Notification) -> Summary {
        let mut fields = Vec::new();
        if let Some(t) = n.event.ticket() {
            fields.push(("Ticket", format!("#{}", t.id)));
            fields.push(("Project", t.project.clone()));
            fields.push(("Level", format!("L{}", t.level)));
            fields.push(("Severity", t.severity.as_str().to_owned()));
            fields.push(("State", t.state.clone()));
            if let Some(d) = &t.mitigation_deadline {
                fields.push(("Mitigation deadline", d.clone()));
            }
            if let Some(d) = &t.remediation_deadline {
                fields.push(("Remediation deadline", d.clone()));
            }
        }
        if let Some(x) = n.event.exception() {
            fields.push(("Exception", format!("#{}", x.id)));
            fields.push(("Project", x.project.clone()));
            fields.push(("Applies to", x.applies_to.clone()));
            fields.push(("Expires", x.expires.clone()));
        }
        let (headline, tone, note) = match &n.event {
            Event::DeadlineBreached { deadline, .. } => (
                format!("{} deadline breached", deadline_label(*deadline)),
                Tone::Urgent,
                None,
            ),
            Event::Escalated {
                deadline, owner, ..
            } => {
                if let Some(owner) = owner {
                    fields.push(("Owner", owner.clone()));
                }
                (
                    format!("Escalated: {} deadline breached", deadline.as_str()),
                    Tone::Urgent,
                    None,
                )
            }
            Event::RiskAcceptanceExpired { expired_at, .. } => {
                fields.push(("Expired at", expired_at.clone()));
                (
                    "Risk acceptance expired, ticket reopened".to_owned(),
                    Tone::Urgent,
                    None,
                )
            }
            Event::ApprovalRequested {
                request,
                requested_by,
                reason,
                ..
            } => {
                fields.push(("Requested by", requested_by.clone()));
                (
                    format!("Approval requested: {}", request.label().to_lowercase()),
                    Tone::Attention,
                    reason.clone().map(|r| ("Reason", r)),
                )
            }
            Event::ApprovalDecided {
                request,
                decision,
                decided_by,
                comment,
                ..
            } => {
                fields.push(("Decided by", decided_by.clone()));
                let tone = match decision {
                    Decision::Approved => Tone::Good,
                    Decision::Rejected => Tone::Neutral,
                };
                (
                    format!("{} {}", request.label(), decision.as_str()),
                    tone,
                    comment.clone().map(|c| ("Comment", c)),
                )
            }
            Event::ExceptionRequested {
                requested_by,
                reason,
                ..
            } => {
                fields.push(("Requested by", requested_by.clone()));
                (
                    "Approval requested: exception".to_owned(),
                    Tone::Attention,
                    reason.clone().map(|r| ("Reason", r)),
                )
            }
            Event::ExceptionDecided {
                decision,
                decided_by,
                comment,
                ..
            } => {
                fields.push(("Decided by", decided_by.clone()));
                let tone = match decision {
                    Decision::Approved => Tone::Good,
                    Decision::Rejected => Tone::Neutral,
                };
                (
                    format!("Exception {}", decision.as_str()),
                    tone,
                    comment.clone().map(|c| ("Comment", c)),
                )
            }
            Event::Test { message } => (
                "Gatehouse test notification".to_owned(),
                Tone::Info,
                message.clone().map(|m| ("Message", m)),
            ),
        };
        if !n.recipients.is_empty() {
            let names: Vec<&str> = n.recipients.iter().map(|r| r.name.as_str()).collect();
            fields.push(("For", names.join(", ")));
        }
        Summary {
            headline,
            subject: n
                .event
                .ticket()
                .map(|t| one_line(&t.title, FIELD_MAX))
                .or_else(|| {
                    n.event
                        .exception()
                        .map(|x| one_line(&x.applies_to, FIELD_MAX))
                }),
            fields: fields
                .into_iter()
                .map(|(k, v)| (k, one_line(&v, FIELD_MAX)))
                .collect(),
            note: note.map(|(k, v)| (k, one_line(&v, NOTE_MAX))),
            link: n.link.as_deref().and_then(safe_link),
            tone,
        }
    }

    /// `headline: subject`, unescaped, for plain-text places.
    fn title(&self) -> String {
        match &self.subject {
            Some(s) => format!("{}: {}", self.headline, s),
            None => self.headline.clone(),
        }
    }
}

fn deadline_label(d: Deadline) -> &'static str {
    match d {
        Deadline::Mitigation => "Mitigation",
        Deadline::Remediation => "Remediation",
    }
}

/// Whitespace runs (newlines included) become one space; bounded length.
fn one_line(text: &str, max: usize) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate(&joined, max)
}

/// The link if it is an absolute http(s) URL, with the characters that would end a markdown
/// link (`)`), a Slack link (`|`, `>`) or an HTML attribute percent-encoded.
pub(crate) fn safe_link(link: &str) -> Option<String> {
    let url = url::Url::parse(link.trim()).ok()?;
    if url.scheme() != "http" && url.scheme() != "https" || url.host_str().is_none() {
        return None;
    }
    let mut out = String::with_capacity(url.as_str().len());
    for c in url.as_str().chars() {
        match c {
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '|' => out.push_str("%7C"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push_str("%22"),
            '\'' => out.push_str("%27"),
            ' ' => out.push_str("%20"),
            c => out.push(c),
        }
    }
    Some(out)
}

/// Slack mrkdwn: `&`, `<` and `>` are Slack's control characters and must be sent as HTML
/// entities; nothing else is entity-encoded (Slack would show the entity literally).
pub fn escape_slack(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Markdown (WeCom, DingTalk): inline markup characters backslash-escaped, and `&`, `<`, `>` as
/// entities so no HTML-like tag (`<font>`, `<@userid>` mentions) can be formed. Block markup
/// (`#`, `>`, `-` at a line start) cannot occur: user text is always put on one line after a
/// label.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '*' | '_' | '`' | '[' | ']' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Feishu `lark_md`: special characters as HTML entities, the escape form Feishu's card
/// markdown documents (`&#42;` for `*`, `&lt;` for `<`, …); `<at>` tags cannot be formed.
pub fn escape_lark_md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_' | '`' | '[' | ']' | '(' | ')' | '~' | '\\' => {
                out.push_str(&format!("&#{};", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// HTML text and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Slack incoming webhook: Block Kit `blocks` plus top-level `text`, which Slack uses for
/// notifications and as the fallback. Header blocks take `plain_text` of at most 150
/// characters; section text is mrkdwn of at most 3000.
pub fn slack(n: &Notification) -> Value {
    let s = Summary::of(n);
    let title = s.title();
    let mut lines: Vec<String> = s
        .fields
        .iter()
        .map(|(k, v)| format!("*{k}:* {}", escape_slack(v)))
        .collect();
    if let Some((k, v)) = &s.note {
        lines.push(format!("*{k}:* {}", escape_slack(v)));
    }
    let mut blocks = vec![
        json!({
            "type": "header",
            "text": {"type": "plain_text", "text": truncate_chars(&title, 150), "emoji": false}
        }),
        json!({
            "type": "section",
            "text": {"type": "mrkdwn", "text": truncate(&lines.join("\n"), 3000)}
        }),
    ];
    let mut text = escape_slack(&title);
    if let Some(link) = &s.link {
        blocks.push(json!({
            "type": "actions",
            "elements": [{
                "type": "button",
                "text": {"type": "plain_text", "text": "Open ticket"},
                "url": link
            }]
        }));
        text.push_str(&format!(" <{link}|Open ticket>"));
    }
    json!({"text": text, "blocks": blocks})
}

/// Slack's plain_text limits count characters.
fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// WeCom group robot `markdown` message: `{"msgtype":"markdown","markdown":{"content":…}}`,
/// content at most 4096 bytes of UTF-8. Colours are WeCom's `<font color="info|comment|warning">`.
pub fn wecom(n: &Notification) -> Value {
    let s = Summary::of(n);
    let color = match s.tone {
        Tone::Urgent | Tone::Attention => "warning",
        Tone::Good | Tone::Info => "info",
        Tone::Neutral => "comment",
    };
    let mut content = format!("<font color=\"{color}\">**{}**</font>", s.headline);
    if let Some(subject) = &s.subject {
        content.push_str(&format!("\n**{}**", escape_markdown(subject)));
    }
    for (k, v) in &s.fields {
        content.push_str(&format!("\n> {k}: {}", escape_markdown(v)));
    }
    if let Some((k, v)) = &s.note {
        content.push_str(&format!("\n\n{k}: {}", escape_markdown(v)));
    }
    if let Some(link) = &s.link {
        content.push_str(&format!("\n\n[Open ticket]({link})"));
    }
    json!({"msgtype": "markdown", "markdown": {"content": truncate(&content, 4000)}})
}

/// DingTalk custom robot `markdown` message: `title` is what the conversation list shows
/// (plain text), `text` the markdown body.
pub fn dingtalk(n: &Notification) -> Value {
    let s = Summary::of(n);
    let mut text = format!("### {}", s.headline);
    if let Some(subject) = &s.subject {
        text.push_str(&format!("\n\n**{}**", escape_markdown(subject)));
    }
    text.push('\n');
    for (k, v) in &s.fields {
        text.push_str(&format!("\n- **{k}:** {}", escape_markdown(v)));
    }
    if let Some((k, v)) = &s.note {
        text.push_str(&format!("\n\n**{k}:** {}", escape_markdown(v)));
    }
    if let Some(link) = &s.link {
        text.push_str(&format!("\n\n[Open ticket]({link})"));
    }
    json!({
        "msgtype": "markdown",
        "markdown": {"title": truncate_chars(&s.title(), 100), "text": text},
        "at": {"isAtAll": false}
    })
}

/// Feishu/Lark custom bot interactive card (`msg_type: interactive`): a coloured header with the
/// headline, a `lark_md` body and a button to the ticket.
pub fn feishu(n: &Notification) -> Value {
    let s = Summary::of(n);
    let template = match s.tone {
        Tone::Urgent => "red",
        Tone::Attention => "orange",
        Tone::Good => "green",
        Tone::Neutral => "grey",
        Tone::Info => "blue",
    };
    let mut body: Vec<String> = Vec::new();
    if let Some(subject) = &s.subject {
        body.push(format!("**{}**", escape_lark_md(subject)));
    }
    for (k, v) in &s.fields {
        body.push(format!("**{k}:** {}", escape_lark_md(v)));
    }
    if let Some((k, v)) = &s.note {
        body.push(format!("**{k}:** {}", escape_lark_md(v)));
    }
    let mut elements = vec![json!({
        "tag": "div",
        "text": {"tag": "lark_md", "content": body.join("\n")}
    })];
    if let Some(link) = &s.link {
        elements.push(json!({
            "tag": "action",
            "actions": [{
                "tag": "button",
                "text": {"tag": "plain_text", "content": "Open ticket"},
                "type": "primary",
                "url": link
            }]
        }));
    }
    json!({
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": true},
            "header": {
                "title": {"tag": "plain_text", "content": s.headline},
                "template": template
            },
            "elements": elements
        }
    })
}

/// Email: `[Gatehouse]` subject, plain-text body, and a simple HTML alternative.
pub fn email(n: &Notification) -> Email {
    let s = Summary::of(n);
    let subject = format!("[Gatehouse] {}", s.title());
    let mut text = s.title();
    text.push_str("\n\n");
    for (k, v) in &s.fields {
        text.push_str(&format!("{k}: {v}\n"));
    }
    // The note keeps its lines in email, where nothing is interpreted.
    let note = note_text(n);
    if let (Some((k, _)), Some(full)) = (&s.note, &note) {
        text.push_str(&format!("\n{k}:\n{full}\n"));
    }
    if let Some(link) = &s.link {
        text.push_str(&format!("\nOpen the ticket: {link}\n"));
    }
    text.push_str("\n-- \nSent by Gatehouse.\n");

    let mut html = String::from("<!DOCTYPE html>\n<html><body>\n");
    html.push_str(&format!("<h2>{}</h2>\n", escape_html(&s.headline)));
    if let Some(subject) = &s.subject {
        html.push_str(&format!(
            "<p><strong>{}</strong></p>\n",
            escape_html(subject)
        ));
    }
    html.push_str("<table>\n");
    for (k, v) in &s.fields {
        html.push_str(&format!(
            "<tr><th align=\"left\">{k}</th><td>{}</td></tr>\n",
            escape_html(v)
        ));
    }
    html.push_str("</table>\n");
    if let (Some((k, _)), Some(full)) = (&s.note, &note) {
        html.push_str(&format!(
            "<p><strong>{k}:</strong></p>\n<pre>{}</pre>\n",
            escape_html(full)
        ));
    }
    if let Some(link) = &s.link {
        html.push_str(&format!(
            "<p><a href=\"{}\">Open ticket</a></p>\n",
            escape_html(link)
        ));
    }
    html.push_str("<p>Sent by Gatehouse.</p>\n</body></html>\n");
    Email {
        subject: one_line(&subject, 250),
        text,
        html,
    }
}

fn note_text(n: &Notification) -> Option<String> {
    let raw = match &n.event {
        Event::ApprovalRequested { reason, .. } => reason.as_deref(),
        Event::ApprovalDecided { comment, .. } => comment.as_deref(),
        Event::ExceptionRequested { reason, .. } => reason.as_deref(),
        Event::ExceptionDecided { comment, .. } => comment.as_deref(),
        Event::Test { message } => message.as_deref(),
        _ => None,
    }?;
    Some(truncate(raw.trim(), 4 * NOTE_MAX))
}

fn exception_json(x: &crate::notification::Exception) -> Value {
    json!({"id": x.id, "project": x.project, "applies_to": x.applies_to, "expires": x.expires})
}

/// The generic webhook body, a stable object (`version: 1`); see the crate documentation.
pub fn webhook(n: &Notification) -> Value {
    let s = Summary::of(n);
    let ticket = n.event.ticket().map(|t| {
        json!({
            "id": t.id,
            "title": t.title,
            "level": t.level,
            "project": t.project,
            "severity": t.severity.as_str(),
            "state": t.state,
            "mitigation_deadline": t.mitigation_deadline,
            "remediation_deadline": t.remediation_deadline,
        })
    });
    let details = match &n.event {
        Event::DeadlineBreached { deadline, .. } => json!({"deadline": deadline.as_str()}),
        Event::Escalated {
            deadline, owner, ..
        } => {
            json!({"deadline": deadline.as_str(), "owner": owner})
        }
        Event::RiskAcceptanceExpired { expired_at, .. } => json!({"expired_at": expired_at}),
        Event::ApprovalRequested {
            request,
            requested_by,
            reason,
            ..
        } => json!({
            "request": request.as_str(), "requested_by": requested_by, "reason": reason
        }),
        Event::ApprovalDecided {
            request,
            decision,
            decided_by,
            comment,
            ..
        } => json!({
            "request": request.as_str(), "decision": decision.as_str(),
            "decided_by": decided_by, "comment": comment
        }),
        Event::ExceptionRequested {
            exception,
            requested_by,
            reason,
        } => json!({
            "exception": exception_json(exception), "requested_by": requested_by, "reason": reason
        }),
        Event::ExceptionDecided {
            exception,
            decision,
            decided_by,
            comment,
        } => json!({
            "exception": exception_json(exception), "decision": decision.as_str(),
            "decided_by": decided_by, "comment": comment
        }),
        Event::Test { message } => json!({"message": message}),
    };
    let recipients: Vec<Value> = n
        .recipients
        .iter()
        .map(|r| json!({"name": r.name, "email": r.email}))
        .collect();
    json!({
        "version": 1,
        "id": n.id,
        "kind": n.event.kind(),
        "summary": s.title(),
        "ticket": ticket,
        "details": details,
        "recipients": recipients,
        "link": s.link,
    })
}

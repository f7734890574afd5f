//! Deadlines, escalation and notification delivery: breaches recorded and escalated once,
//! notifications queued with the changes that cause them, and the outbox delivered to a webhook
//! on loopback with retries, permanent failures and leases. Once on SQLite and once on
//! PostgreSQL when `GATEHOUSE_TEST_DATABASE_URL` is set. The clock is the tests': every domain
//! function takes `now`.

mod common;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use common::{finding, scan_json, Backend, TestServer};
use gatehouse_core::Severity;
use gatehouse_server::domain::{escalation, notify, now_ms, triage, Principal, Role};
use gatehouse_server::{NotifyConfig, Store};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

for_each_backend!(
    breaches_notify_the_owner_once_then_the_lead_after_the_delay,
    requests_decisions_and_lapsed_risks_notify,
    delivery_retries_records_and_gives_up,
    an_expired_lease_is_taken_over,
);

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn upload(s: &TestServer, token: &str, project: &str, body: &[u8]) -> Value {
    let (st, r) = s.call(
        "POST",
        &format!("/api/v1/projects/{project}/scans"),
        Some(token),
        Some(body),
    );
    assert!(st == 201 || st == 200, "{r}");
    r
}

/// The outbox through the API.
fn outbox(s: &TestServer, token: &str, query: &str) -> Vec<Value> {
    let (st, page) = s.get(&format!("/api/v1/notifications{query}"), token);
    assert_eq!(st, 200, "{page}");
    page["items"].as_array().unwrap().clone()
}

fn emails(n: &Value) -> Vec<String> {
    n["notification"]["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["email"].as_str().unwrap().to_string())
        .collect()
}

fn audit_actions(s: &TestServer, action: &str) -> usize {
    let (events, _) = s.rt.block_on(s.store.audit_log()).unwrap();
    events.iter().filter(|e| e.action == action).count()
}

/// A team `pay` led by Leo, whose project `pay` Olive owns.
fn team_and_project(s: &TestServer, admin: &str) {
    for (name, email) in [
        ("Leo Lead", "leo@example.org"),
        ("Olive Owner", "olive@example.org"),
    ] {
        s.person(name, email, Role::Developer, "correct horse battery", &[]);
    }
    let (st, e) = s.post(
        "/api/v1/teams",
        admin,
        &json!({"name": "pay", "lead": "leo@example.org", "members": ["olive@example.org"]}),
    );
    assert_eq!(st, 201, "{e}");
    let (st, e) = s.post(
        "/api/v1/projects",
        admin,
        &json!({"name": "pay", "team": "pay", "owner": "olive@example.org"}),
    );
    assert_eq!(st, 201, "{e}");
}

fn tickets(s: &TestServer, token: &str) -> Vec<Value> {
    let (st, t) = s.get("/api/v1/tickets?project=pay", token);
    assert_eq!(st, 200, "{t}");
    t["items"].as_array().unwrap().clone()
}

fn breaches_notify_the_owner_once_then_the_lead_after_the_delay(b: Backend) {
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    let auditor = s.token("aud", Role::Auditor, None, &[]);
    team_and_project(&s, &admin);
    let kept = finding("kept", "aws-key", Severity::High, "src/a.py", 1);
    let fixed = finding("fixed", "aws-key", Severity::High, "src/b.py", 1);
    upload(
        &s,
        &admin,
        "pay",
        &scan_json(vec![kept.clone(), fixed], true),
    );
    let all = tickets(&s, &admin);
    assert_eq!(all.len(), 2);
    let t0 = all
        .iter()
        .map(|t| t["created_at"].as_i64().unwrap())
        .max()
        .unwrap();
    let kept_id = all.iter().find(|t| t["path"] == "src/a.py").unwrap()["id"]
        .as_i64()
        .unwrap();

    // Not yet due: nothing.
    let r =
        s.rt.block_on(escalation::sweep(&s.store, DAY, t0 + 23 * HOUR))
            .unwrap();
    assert_eq!((r.breached, r.escalated), (0, 0));

    // Past the mitigation deadline (24 h for level 1), swept by two processes at once: each
    // ticket's owner is told once.
    let other = s.rt.block_on(Store::open(&s.db_url)).unwrap();
    let t1 = t0 + 25 * HOUR;
    let (a, b2) = s.rt.block_on(async {
        tokio::join!(
            escalation::sweep(&s.store, DAY, t1),
            escalation::sweep(&other, DAY, t1)
        )
    });
    let (a, b2) = (a.unwrap(), b2.unwrap());
    assert_eq!(a.breached + b2.breached, 2, "{a:?} {b2:?}");
    let again =
        s.rt.block_on(escalation::sweep(&other, DAY, t1 + HOUR))
            .unwrap();
    assert_eq!((again.breached, again.escalated), (0, 0));
    s.rt.block_on(other.close());
    let breached = outbox(&s, &auditor, "?kind=deadline_breached");
    assert_eq!(breached.len(), 2, "{breached:?}");
    for n in &breached {
        assert_eq!(emails(n), ["olive@example.org"]);
        assert_eq!(n["state"], "pending");
        assert_eq!(n["notification"]["event"]["deadline"], "mitigation");
    }
    assert_eq!(audit_actions(&s, "ticket.breach"), 2);
    let (_, detail) = s.get(&format!("/api/v1/tickets/{kept_id}"), &admin);
    assert_eq!(detail["breaches"][0]["deadline"], "mitigation", "{detail}");
    assert_eq!(detail["breaches"][0]["breached_at"], t1);
    assert!(detail["breaches"][0]["escalated_at"].is_null());

    // One ticket is fixed by a complete scan: it is never escalated.
    upload(&s, &admin, "pay", &scan_json(vec![kept], true));

    // Before the delay (24 h after the breach was recorded): no escalation; after: one, to the
    // team lead, naming the owner; once.
    let r =
        s.rt.block_on(escalation::sweep(&s.store, DAY, t1 + DAY - 1))
            .unwrap();
    assert_eq!(r.escalated, 0);
    let t2 = t1 + DAY;
    let r = s.rt.block_on(escalation::sweep(&s.store, DAY, t2)).unwrap();
    assert_eq!((r.breached, r.escalated), (0, 1));
    let r =
        s.rt.block_on(escalation::sweep(&s.store, DAY, t2 + HOUR))
            .unwrap();
    assert_eq!(r.escalated, 0);
    let escalated = outbox(&s, &auditor, "?kind=escalated");
    assert_eq!(escalated.len(), 1);
    assert_eq!(emails(&escalated[0]), ["leo@example.org"]);
    assert_eq!(escalated[0]["ticket"], kept_id);
    assert_eq!(
        escalated[0]["notification"]["event"]["owner"],
        "Olive Owner <olive@example.org>"
    );
    assert_eq!(audit_actions(&s, "ticket.escalate"), 1);
    let (_, detail) = s.get(&format!("/api/v1/tickets/{kept_id}"), &admin);
    assert_eq!(detail["breaches"][0]["escalated_to"], "leo@example.org");

    // The remediation deadline (7 days) is a new breach: the owner is told again.
    let t3 = t0 + 7 * DAY + HOUR;
    let r = s.rt.block_on(escalation::sweep(&s.store, DAY, t3)).unwrap();
    assert_eq!((r.breached, r.escalated), (1, 0));
    let mine = outbox(
        &s,
        &auditor,
        &format!("?ticket={kept_id}&kind=deadline_breached"),
    );
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0]["notification"]["event"]["deadline"], "remediation");

    // The listing filters and pages; developers do not read it.
    let page = outbox(&s, &auditor, "?limit=1");
    assert_eq!(page.len(), 1);
    let (st, e) = s.get("/api/v1/notifications?state=lost", &auditor);
    assert_eq!(st, 422, "{e}");
    let dev = s.token("dev", Role::Developer, Some("olive@example.org"), &[]);
    let (st, _) = s.get("/api/v1/notifications", &dev);
    assert_eq!(st, 403, "developers do not read the delivery log");
    let (events, head) = s.rt.block_on(s.store.audit_log()).unwrap();
    assert!(gatehouse_server::domain::audit::verify(&events, &head).is_ok());
}

fn requests_decisions_and_lapsed_risks_notify(b: Backend) {
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    let auditor = s.token("aud", Role::Auditor, None, &[]);
    team_and_project(&s, &admin);
    for (name, email) in [("Sec", "sec@example.org"), ("Sue", "sue@example.org")] {
        s.person(name, email, Role::Security, "correct horse battery", &[]);
    }
    let olive = s.token("olive", Role::Developer, Some("olive@example.org"), &[]);
    let sec = s.token("sec", Role::Security, Some("sec@example.org"), &[]);
    let sue = s.token("sue", Role::Security, Some("sue@example.org"), &[]);
    let fp = finding("fp", "noisy", Severity::High, "tests/x.py", 1);
    let risk = finding("risk", "old-crypto", Severity::Medium, "src/legacy.py", 1);
    upload(&s, &admin, "pay", &scan_json(vec![fp, risk], true));
    let all = tickets(&s, &admin);
    let id_of = |path: &str| {
        all.iter().find(|t| t["path"] == path).unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (t_fp, t_risk) = (id_of("tests/x.py"), id_of("src/legacy.py"));

    // A request goes to the people who may decide it.
    let (st, r) = s.post(
        &format!("/api/v1/tickets/{t_fp}/requests"),
        &olive,
        &json!({"kind": "false_positive", "reason": "a test fixture"}),
    );
    assert_eq!(st, 201, "{r}");
    let asked = outbox(&s, &auditor, "?kind=approval_requested");
    assert_eq!(asked.len(), 1);
    assert_eq!(emails(&asked[0]), ["sec@example.org", "sue@example.org"]);
    assert_eq!(
        asked[0]["notification"]["event"]["requested_by"],
        "olive@example.org"
    );
    assert_eq!(
        asked[0]["notification"]["event"]["reason"],
        "a test fixture"
    );

    // The decision goes to the requester and the ticket's owner.
    let (st, _) = s.post(
        &format!("/api/v1/requests/{}/approve", r["id"]),
        &sec,
        &json!({"note": "agreed"}),
    );
    assert_eq!(st, 200);
    let decided = outbox(&s, &auditor, "?kind=approval_decided");
    assert_eq!(emails(&decided[0]), ["olive@example.org"]);
    assert_eq!(decided[0]["notification"]["event"]["decision"], "approved");
    assert_eq!(decided[0]["notification"]["event"]["comment"], "agreed");

    // A security person's own request goes to the others only; the decision to them and the
    // owner.
    let tomorrow = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .tomorrow()
        .unwrap();
    let (st, r) = s.post(
        &format!("/api/v1/tickets/{t_risk}/requests"),
        &sec,
        &json!({"kind": "risk_accepted", "reason": "replaced in Q3", "expires": tomorrow.to_string()}),
    );
    assert_eq!(st, 201, "{r}");
    let asked = outbox(&s, &auditor, "?kind=approval_requested");
    assert_eq!(emails(&asked[0]), ["sue@example.org"]);
    assert_eq!(
        asked[0]["notification"]["event"]["request"],
        "risk_acceptance"
    );
    let (st, _) = s.post(
        &format!("/api/v1/requests/{}/approve", r["id"]),
        &sue,
        &json!({}),
    );
    assert_eq!(st, 200);
    let decided = outbox(&s, &auditor, "?kind=approval_decided");
    assert_eq!(
        emails(&decided[0]),
        ["sec@example.org", "olive@example.org"]
    );

    // The risk lapses: the ticket reopens and its owner is told.
    let later = now_ms() + 3 * DAY;
    assert_eq!(s.rt.block_on(triage::sweep(&s.store, later)).unwrap(), 1);
    let lapsed = outbox(&s, &auditor, "?kind=risk_acceptance_expired");
    assert_eq!(lapsed.len(), 1);
    assert_eq!(emails(&lapsed[0]), ["olive@example.org"]);
    assert_eq!(lapsed[0]["ticket"], t_risk);
    assert_eq!(
        lapsed[0]["notification"]["event"]["ticket"]["state"],
        "open"
    );
    assert_eq!(s.rt.block_on(triage::sweep(&s.store, later)).unwrap(), 0);
    assert_eq!(
        outbox(&s, &auditor, "?kind=risk_acceptance_expired").len(),
        1
    );

    // Exceptions: requested (to the deciders), decided (to the requester).
    let (st, x) = s.post(
        "/api/v1/projects/pay/exceptions",
        &olive,
        &json!({"rule": "noisy", "path": "tests/**", "reason": "fixtures", "expires": "2999-01-01"}),
    );
    assert_eq!(st, 201, "{x}");
    let asked = outbox(&s, &auditor, "?kind=exception_requested");
    assert_eq!(emails(&asked[0]), ["sec@example.org", "sue@example.org"]);
    assert_eq!(asked[0]["exception"], x["id"]);
    assert_eq!(
        asked[0]["notification"]["event"]["exception"]["applies_to"],
        "rule noisy, path tests/**"
    );
    let (st, _) = s.post(
        &format!("/api/v1/exceptions/{}/reject", x["id"]),
        &sue,
        &json!({"note": "fix the fixtures"}),
    );
    assert_eq!(st, 200);
    let decided = outbox(&s, &auditor, "?kind=exception_decided");
    assert_eq!(emails(&decided[0]), ["olive@example.org"]);
    assert_eq!(decided[0]["notification"]["event"]["decision"], "rejected");

    // Nothing was sent: this server has no channels. A test message needs a configured one.
    assert!(outbox(&s, &auditor, "")
        .iter()
        .all(|n| n["state"] == "pending" && n["attempts"] == 0));
    let (st, e) = s.post(
        "/api/v1/notifications/test",
        &admin,
        &json!({"channel": "ops"}),
    );
    assert_eq!(st, 422, "{e}");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("ops"),
        "{e}"
    );
}

/// A webhook receiver on loopback: answers each request with the next queued status (200 when
/// none is queued) and keeps what it received.
#[derive(Clone, Default)]
struct Receiver {
    answers: Arc<Mutex<VecDeque<u16>>>,
    seen: Arc<Mutex<Vec<(String, HeaderMap, Bytes)>>>,
}

async fn receive(
    State(r): State<Receiver>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    r.seen
        .lock()
        .unwrap()
        .push((uri.path().to_string(), headers, body));
    if uri.path() == "/broken" {
        return (StatusCode::BAD_REQUEST, "no such hook");
    }
    let status = r.answers.lock().unwrap().pop_front().unwrap_or(200);
    (StatusCode::from_u16(status).unwrap(), "ok")
}

fn start_receiver(s: &TestServer) -> (Receiver, String) {
    let r = Receiver::default();
    let listener =
        s.rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .route("/broken", axum::routing::post(receive))
        .with_state(r.clone());
    s.rt.spawn(async move { axum::serve(listener, app).await });
    (r, base)
}

fn config(base: &str) -> NotifyConfig {
    let text = format!(
        r#"
ticket_url = "https://gatehouse.example/tickets/{{id}}"
escalate_after_hours = 12

[retry]
max_attempts = 3
base_delay_seconds = 60

[channels.hook]
type = "webhook"
url = "{base}/hook"
secret = "s3cret-signing-key"

[channels.broken]
type = "webhook"
url = "{base}/broken"

[routes]
deadline_breached = ["hook"]
"#
    );
    NotifyConfig::parse(&text, "notify.toml").unwrap()
}

/// HMAC-SHA256, written out from RFC 2104 so the check does not share the sender's code.
fn hmac_sha256(key: &[u8], message: &[u8]) -> String {
    let mut k = [0u8; 64];
    k[..key.len()].copy_from_slice(key);
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn delivery_retries_records_and_gives_up(b: Backend) {
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    let auditor = s.token("aud", Role::Auditor, None, &[]);
    let (receiver, base) = start_receiver(&s);
    let config = config(&base);
    let notifier = gatehouse_notify::Notifier::new().unwrap();
    team_and_project(&s, &admin);
    upload(
        &s,
        &admin,
        "pay",
        &scan_json(
            vec![finding("k", "aws-key", Severity::Critical, "src/a.py", 1)],
            true,
        ),
    );
    let ticket = tickets(&s, &admin)[0].clone();
    let t0 = ticket["created_at"].as_i64().unwrap();

    // The breach goes to the one channel its route names; the receiver answers 500 first.
    receiver.answers.lock().unwrap().push_back(500);
    let t1 = t0 + 25 * HOUR;
    s.rt.block_on(escalation::sweep(&s.store, config.escalate_after_ms, t1))
        .unwrap();
    let r =
        s.rt.block_on(notify::deliver_due(&s.store, &config, &notifier, t1, 100))
            .unwrap();
    assert_eq!((r.claimed, r.retrying), (1, 1), "{r:?}");
    let n = &outbox(&s, &auditor, "?kind=deadline_breached")[0];
    assert_eq!(n["state"], "pending");
    assert_eq!(n["attempts"], 1);
    assert_eq!(n["channels"]["hook"]["state"], "pending");
    assert!(n["channels"].get("broken").is_none(), "{n}");
    let first = &n["deliveries"][0];
    assert_eq!(first["ok"], false);
    assert_eq!(first["status"], 500);
    assert_eq!(first["error"]["failure"], "server_error");
    assert_eq!(n["last_error"]["failure"], "server_error");
    let retry_at = first["next_attempt_at"].as_i64().unwrap();
    // Backoff of 60 s drawn from its upper half.
    assert!(
        (t1 + 30_000..=t1 + 60_000).contains(&retry_at),
        "{retry_at}"
    );
    assert_eq!(n["next_attempt_at"], retry_at);

    // Not due yet: nothing is claimed. Due: delivered, and recorded.
    let r =
        s.rt.block_on(notify::deliver_due(
            &s.store,
            &config,
            &notifier,
            retry_at - 1,
            100,
        ))
        .unwrap();
    assert_eq!(r.claimed, 0);
    let r =
        s.rt.block_on(notify::deliver_due(
            &s.store, &config, &notifier, retry_at, 100,
        ))
        .unwrap();
    assert_eq!((r.claimed, r.delivered), (1, 1), "{r:?}");
    let n = &outbox(&s, &auditor, "?kind=deadline_breached")[0];
    assert_eq!(n["state"], "delivered");
    assert_eq!(n["attempts"], 2);
    assert_eq!(n["deliveries"][1]["ok"], true);
    assert_eq!(n["deliveries"][1]["status"], 200);
    assert_eq!(n["deliveries"][1]["attempt"], 2);
    let id = n["id"].as_i64().unwrap();

    // Both requests carried the outbox id, a valid signature and the same body.
    let seen = receiver.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    for (path, headers, body) in &seen {
        assert_eq!(path, "/hook");
        assert_eq!(headers["x-gatehouse-delivery"], id.to_string().as_str());
        let ts = headers["x-gatehouse-timestamp"].to_str().unwrap();
        let mut signed = format!("{ts}.").into_bytes();
        signed.extend_from_slice(body);
        assert_eq!(
            headers["x-gatehouse-signature"].to_str().unwrap(),
            format!("sha256={}", hmac_sha256(b"s3cret-signing-key", &signed))
        );
        let v: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(v["kind"], "deadline_breached");
        assert_eq!(v["id"], id.to_string());
        assert_eq!(v["ticket"]["id"], ticket["id"].to_string());
        assert_eq!(v["details"]["deadline"], "mitigation");
        assert_eq!(v["recipients"][0]["email"], "olive@example.org");
        assert_eq!(
            v["link"],
            format!("https://gatehouse.example/tickets/{}", ticket["id"])
        );
    }

    // A permanent failure (HTTP 400) is not retried: failed, with the error recorded.
    let who = Principal::local_admin();
    let row =
        s.rt.block_on(notify::send_test(
            &s.store, &config, &who, "broken", None, t1,
        ))
        .unwrap();
    let r =
        s.rt.block_on(notify::deliver_due(
            &s.store,
            &config,
            &notifier,
            t1 + 1,
            100,
        ))
        .unwrap();
    assert_eq!((r.claimed, r.failed), (1, 1), "{r:?}");
    let n = &outbox(&s, &auditor, "?state=failed")[0];
    assert_eq!(n["id"], row.id);
    assert_eq!(n["channel"], "broken");
    assert_eq!(n["last_error"]["failure"], "rejected");
    assert_eq!(n["last_error"]["status"], 400);
    assert!(n["deliveries"][0]["next_attempt_at"].is_null());
    assert_eq!(audit_actions(&s, "notification.test"), 1);

    // A receiver failing every time: retried until the policy's attempts are used up.
    receiver.answers.lock().unwrap().extend([503, 503, 503]);
    let row =
        s.rt.block_on(notify::send_test(
            &s.store,
            &config,
            &who,
            "hook",
            Some("hi"),
            t1,
        ))
        .unwrap();
    let mut now = t1 + 2;
    for _ in 0..3 {
        s.rt.block_on(notify::deliver_due(&s.store, &config, &notifier, now, 100))
            .unwrap();
        now += DAY;
    }
    let n = s.rt.block_on(s.store.outbox_row(row.id)).unwrap().unwrap();
    assert_eq!((n.state.as_str(), n.attempts), ("failed", 3));

    // Events no route names go to every channel; a kind nobody takes is skipped.
    assert_eq!(config.channels_for("escalated"), ["broken", "hook"]);
    let empty = NotifyConfig::default();
    s.rt.block_on(notify::send_test(
        &s.store, &config, &who, "hook", None, now,
    ))
    .unwrap();
    let r =
        s.rt.block_on(notify::deliver_due(&s.store, &empty, &notifier, now, 100))
            .unwrap();
    assert_eq!(
        r.failed, 1,
        "a channel removed from the configuration: {r:?}"
    );
}

fn an_expired_lease_is_taken_over(b: Backend) {
    let s = TestServer::start(&b);
    let (receiver, base) = start_receiver(&s);
    let config = config(&base);
    let notifier = gatehouse_notify::Notifier::new().unwrap();
    let who = Principal::local_admin();
    let now = now_ms();
    let row =
        s.rt.block_on(notify::send_test(
            &s.store, &config, &who, "hook", None, now,
        ))
        .unwrap();
    // A worker claims the row and dies before recording anything.
    let claimed =
        s.rt.block_on(
            s.store
                .claim_outbox("crashed", now, now + config.lease_ms, 10),
        )
        .unwrap();
    assert_eq!(claimed.len(), 1);
    // While its lease holds, nobody else takes the row.
    let r =
        s.rt.block_on(notify::deliver_due(
            &s.store,
            &config,
            &notifier,
            now + 1000,
            10,
        ))
        .unwrap();
    assert_eq!(r.claimed, 0);
    // After it, another worker does, and delivers.
    let later = now + config.lease_ms + 1;
    let r =
        s.rt.block_on(notify::deliver_due(&s.store, &config, &notifier, later, 10))
            .unwrap();
    assert_eq!((r.claimed, r.delivered), (1, 1), "{r:?}");
    assert_eq!(receiver.seen.lock().unwrap().len(), 1);
    // The crashed worker's late report changes nothing.
    let stale = gatehouse_server::store::OutboxUpdate {
        state: "failed",
        channels: "{}",
        attempts: 9,
        next_attempt_at: later,
        last_error: None,
    };
    let kept =
        s.rt.block_on(s.store.finish_outbox(row.id, "crashed", &stale, &[], later))
            .unwrap();
    assert!(!kept);
    let n = s.rt.block_on(s.store.outbox_row(row.id)).unwrap().unwrap();
    assert_eq!((n.state.as_str(), n.attempts), ("delivered", 1));
}

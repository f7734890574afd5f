//! The API end to end: the real server on a loopback port, each test on a fresh database, once
//! on SQLite and once on PostgreSQL when `GATEHOUSE_TEST_DATABASE_URL` is set.

mod common;

use common::{finding, scan_json, Backend, TestServer};
use gatehouse_core::Severity;
use gatehouse_server::domain::Role;
use serde_json::{json, Value};

for_each_backend!(
    ingest_moves_the_lifecycle,
    uploads_are_idempotent_by_digest,
    other_branches_do_not_move_the_lifecycle,
    bad_uploads_are_refused_with_a_message,
    listings_filter_and_paginate,
    exceptions_reach_the_gate_after_a_second_person_approves,
    every_route_checks_its_permission,
    developers_see_their_teams_projects_only,
    sessions_from_passwords,
    the_audit_chain_catches_edits_and_deletions,
    the_api_description_matches_the_routes,
    triage_needs_a_second_person_and_risk_lapses,
    organization_and_project_settings_drive_tickets,
);

const HOUR: i64 = 3_600_000;

fn upload(s: &TestServer, token: &str, project: &str, body: &[u8], query: &str) -> (u16, Value) {
    s.call(
        "POST",
        &format!("/api/v1/projects/{project}/scans{query}"),
        Some(token),
        Some(body),
    )
}

fn findings_of(s: &TestServer, token: &str, project: &str) -> Vec<Value> {
    let (status, page) = s.get(
        &format!("/api/v1/projects/{project}/findings?limit=500"),
        token,
    );
    assert_eq!(status, 200, "{page}");
    page["items"].as_array().unwrap().clone()
}

fn state_of(findings: &[Value], rule: &str) -> String {
    findings
        .iter()
        .find(|f| f["rule"] == rule)
        .map(|f| f["state"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no finding of {rule}: {findings:?}"))
}

fn ingest_moves_the_lifecycle(b: Backend) {
    let s = TestServer::start(&b);
    s.person(
        "Ada",
        "ada@example.org",
        Role::Administrator,
        "correct horse battery",
        &[],
    );
    let admin = s.token("admin", Role::Administrator, None, &[]);
    let (st, p) = s.post("/api/v1/projects", &admin, &json!({"name": "payments"}));
    assert_eq!(st, 201, "{p}");

    let a = finding(
        "a",
        "aws-access-key",
        Severity::Critical,
        "config/prod.env",
        3,
    );
    let m = finding("m", "generic-api-key", Severity::Medium, "src/app.py", 10);
    let i = finding("i", "slack-webhook", Severity::Info, "README.md", 1);
    let before = gatehouse_server::domain::now_ms();
    let (st, r) = upload(
        &s,
        &admin,
        "payments",
        &scan_json(vec![a.clone(), m.clone(), i.clone()], true),
        "",
    );
    assert_eq!(st, 201, "{r}");
    assert_eq!(
        r["findings"],
        json!({"total": 3, "new": 3, "reopened": 0, "fixed": 0, "unchanged": 0})
    );
    assert_eq!(r["duplicate"], false);
    assert_eq!(r["project"], "payments");
    // No owner or team on the project: the first administrator is responsible, and we are told.
    assert_eq!(r["owner_defaulted"], true);
    assert_eq!(r["owner"], "ada@example.org");
    let scan_id = r["id"][0].as_i64().unwrap();

    let (st, scan) = s.get(&format!("/api/v1/scans/{scan_id}"), &admin);
    assert_eq!(st, 200, "{scan}");
    assert_eq!(scan["kind"], "secrets");
    assert_eq!(scan["findings"]["new"], 3);
    assert_eq!(scan["complete"], true);

    let found = findings_of(&s, &admin, "payments");
    assert_eq!(found.len(), 3);
    assert!(found.iter().all(|f| f["state"] == "open"));
    let evidence = found
        .iter()
        .find(|f| f["rule"] == "aws-access-key")
        .unwrap()["evidence"]
        .to_string();
    assert!(
        evidence.contains("ghp_ab…(40)") && !evidence.contains("\"plain\""),
        "{evidence}"
    );

    // Tickets: level from severity, deadlines from the default SLA; info opens none.
    let (_, t) = s.get("/api/v1/tickets?project=payments", &admin);
    let tickets = t["items"].as_array().unwrap();
    assert_eq!(tickets.len(), 2, "{t}");
    let critical = tickets
        .iter()
        .find(|t| t["rule"] == "aws-access-key")
        .unwrap();
    assert_eq!(critical["level"], 1);
    assert_eq!(critical["owner"], "ada@example.org");
    let opened = critical["created_at"].as_i64().unwrap();
    assert!(opened >= before);
    assert_eq!(
        critical["mitigation_due"].as_i64().unwrap() - opened,
        24 * HOUR
    );
    assert_eq!(
        critical["remediation_due"].as_i64().unwrap() - opened,
        7 * 24 * HOUR
    );
    let medium = tickets
        .iter()
        .find(|t| t["rule"] == "generic-api-key")
        .unwrap();
    assert_eq!(medium["level"], 2);
    assert_eq!(
        medium["remediation_due"].as_i64().unwrap() - medium["created_at"].as_i64().unwrap(),
        30 * 24 * HOUR
    );

    // An incomplete scan that misses findings fixes nothing.
    let (st, r) = upload(
        &s,
        &admin,
        "payments",
        &scan_json(vec![a.clone()], false),
        "",
    );
    assert_eq!(st, 201, "{r}");
    assert_eq!(r["findings"]["fixed"], 0);
    assert_eq!(r["findings"]["unchanged"], 1);

    // A complete scan that misses them fixes them, with the scan as evidence.
    let (st, r) = upload(
        &s,
        &admin,
        "payments",
        &scan_json(vec![a.clone()], true),
        "?commit=abc123",
    );
    assert_eq!(st, 201, "{r}");
    assert_eq!(
        r["findings"],
        json!({"total": 1, "new": 0, "reopened": 0, "fixed": 2, "unchanged": 1})
    );
    let fixing_scan = r["id"][0].as_i64().unwrap();
    let found = findings_of(&s, &admin, "payments");
    assert_eq!(state_of(&found, "generic-api-key"), "fixed");
    assert_eq!(state_of(&found, "slack-webhook"), "fixed");
    assert_eq!(state_of(&found, "aws-access-key"), "open");
    let fixed = found
        .iter()
        .find(|f| f["rule"] == "generic-api-key")
        .unwrap();
    assert_eq!(fixed["fixed_scan"], fixing_scan);
    let (_, t) = s.get("/api/v1/tickets?project=payments&state=fixed", &admin);
    assert_eq!(t["items"].as_array().unwrap().len(), 1, "{t}");

    // It comes back: reopened, same finding, with a fresh ticket deadline.
    let (st, r) = upload(
        &s,
        &admin,
        "payments",
        &scan_json(vec![a.clone(), m.clone()], true),
        "",
    );
    assert_eq!(st, 201, "{r}");
    assert_eq!(r["findings"]["reopened"], 1);
    assert_eq!(r["findings"]["new"], 0);
    let found = findings_of(&s, &admin, "payments");
    assert_eq!(found.len(), 3, "no duplicate finding");
    assert_eq!(state_of(&found, "generic-api-key"), "open");
    let (_, t) = s.get("/api/v1/tickets?project=payments&state=open", &admin);
    assert_eq!(t["items"].as_array().unwrap().len(), 2, "{t}");
}

fn uploads_are_idempotent_by_digest(b: Backend) {
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    s.post("/api/v1/projects", &admin, &json!({"name": "api"}));
    let body = scan_json(
        vec![finding("k", "generic-api-key", Severity::High, "a.py", 1)],
        true,
    );
    let (st, first) = upload(&s, &admin, "api", &body, "?branch=main&pipeline=7");
    assert_eq!(st, 201, "{first}");
    let (events_before, _) = s.rt.block_on(s.store.audit_log()).unwrap();
    let (st, second) = upload(&s, &admin, "api", &body, "?branch=main&pipeline=7");
    assert_eq!(st, 200, "{second}");
    assert_eq!(second["duplicate"], true);
    assert_eq!(second["id"], first["id"]);
    assert_eq!(second["findings"], first["findings"]);
    let (events_after, _) = s.rt.block_on(s.store.audit_log()).unwrap();
    assert_eq!(
        events_before.len(),
        events_after.len(),
        "a duplicate changes nothing"
    );
    // The same body with other context is another upload.
    let (st, third) = upload(&s, &admin, "api", &body, "?branch=main&pipeline=8");
    assert_eq!(st, 201, "{third}");
    assert_eq!(third["findings"]["unchanged"], 1);
}

fn other_branches_do_not_move_the_lifecycle(b: Backend) {
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    let (st, _) = s.post(
        "/api/v1/projects",
        &admin,
        &json!({"name": "web", "default_branch": "main"}),
    );
    assert_eq!(st, 201);
    let a = finding("a", "generic-api-key", Severity::High, "a.py", 1);
    let n = finding("n", "generic-api-key", Severity::High, "b.py", 1);
    let (_, r) = upload(
        &s,
        &admin,
        "web",
        &scan_json(vec![a.clone()], true),
        "?branch=main",
    );
    assert_eq!(r["findings"]["new"], 1);
    // A merge-request pipeline on another branch: recorded, but opens and fixes nothing.
    let (st, r) = upload(
        &s,
        &admin,
        "web",
        &scan_json(vec![n.clone()], true),
        "?branch=feature/x",
    );
    assert_eq!(st, 201, "{r}");
    assert_eq!(r["moves_lifecycle"], false);
    assert_eq!(r["findings"]["fixed"], 0);
    let found = findings_of(&s, &admin, "web");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["state"], "open");
    // Without a branch the scan counts as the main line.
    let (_, r) = upload(&s, &admin, "web", &scan_json(vec![n], true), "");
    assert_eq!(r["moves_lifecycle"], true);
    assert_eq!(r["findings"]["fixed"], 1);
}

fn bad_uploads_are_refused_with_a_message(b: Backend) {
    let s = TestServer::with_limit(&b, 4096);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    let body = scan_json(
        vec![finding("k", "generic-api-key", Severity::High, "a.py", 1)],
        true,
    );

    let (st, e) = upload(&s, &admin, "nowhere", &body, "");
    assert_eq!(st, 404, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("POST /api/v1/projects"),
        "{e}"
    );

    s.post("/api/v1/projects", &admin, &json!({"name": "p"}));
    let big = vec![b' '; 5000];
    let (st, e) = upload(&s, &admin, "p", &big, "");
    assert_eq!(st, 413, "{e}");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("4096"),
        "{e}"
    );

    let (st, e) = upload(&s, &admin, "p", b"{\"runs\": 3", "?format=sarif");
    assert!((400..500).contains(&st), "{st} {e}");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("sarif"),
        "{e}"
    );

    let (st, e) = upload(&s, &admin, "p", &body, "?format=nessus");
    assert_eq!(st, 422, "{e}");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("trivy"),
        "{e}"
    );

    let (st, e) = upload(&s, &admin, "p", &body, "?colour=red");
    assert_eq!(st, 400, "{e}");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("colour"),
        "{e}"
    );

    let (st, e) = s.call("POST", "/api/v1/projects/p/scans", None, Some(&body));
    assert_eq!(st, 401, "{e}");
    assert_eq!(e["error"]["code"], "unauthorized");

    // Nothing was stored by the failures.
    assert!(findings_of(&s, &admin, "p").is_empty());
    let (st, e) = s.get("/api/v1/nothing-here", &admin);
    assert_eq!(st, 404);
    assert_eq!(e["error"]["code"], "not_found");
}

fn listings_filter_and_paginate(b: Backend) {
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    s.post("/api/v1/teams", &admin, &json!({"name": "core"}));
    s.post(
        "/api/v1/projects",
        &admin,
        &json!({"name": "one", "team": "core"}),
    );
    s.post("/api/v1/projects", &admin, &json!({"name": "two"}));
    let severities = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];
    let many: Vec<_> = (0..7)
        .map(|i| {
            finding(
                &format!("k{i}"),
                &format!("rule-{}", i % 2),
                severities[i % 5],
                &format!("f{i}.py"),
                1,
            )
        })
        .collect();
    upload(&s, &admin, "one", &scan_json(many, true), "");
    upload(
        &s,
        &admin,
        "two",
        &scan_json(
            vec![finding("x", "rule-x", Severity::High, "x.py", 1)],
            true,
        ),
        "",
    );

    // Pages of 3 with the cursor: every finding once, newest first.
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = match &cursor {
            Some(c) => format!("/api/v1/findings?limit=3&cursor={c}"),
            None => "/api/v1/findings?limit=3".to_string(),
        };
        let (st, page) = s.get(&q, &admin);
        assert_eq!(st, 200, "{page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 3);
        ids.extend(items.iter().map(|f| f["id"].as_i64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(ids.len(), 8);
    let mut sorted = ids.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(ids, sorted);

    let count = |q: &str| -> usize {
        let (st, page) = s.get(&format!("/api/v1/findings?{q}"), &admin);
        assert_eq!(st, 200, "{q}: {page}");
        page["items"].as_array().unwrap().len()
    };
    assert_eq!(count("project=one"), 7);
    assert_eq!(count("team=core"), 7);
    assert_eq!(count("severity=critical,high"), 5);
    assert_eq!(count("level=1"), 5);
    assert_eq!(count("level=3"), 1);
    assert_eq!(count("rule=rule-0&project=one"), 4);
    assert_eq!(count("kind=secrets"), 8);
    assert_eq!(count("state=fixed"), 0);
    assert_eq!(count("breached=true"), 0);
    assert_eq!(count("breached=false"), 8);
    assert_eq!(count("created_from=2000-01-01"), 8);
    assert_eq!(count("created_to=2000-01-01"), 0);
    assert_eq!(count("updated_from=2999-01-01T00:00:00Z"), 0);
    let (_, t) = s.get("/api/v1/tickets?severity=info", &admin);
    assert_eq!(
        t["items"].as_array().unwrap().len(),
        0,
        "info opens no ticket"
    );
    let (_, t) = s.get("/api/v1/tickets?level=2&team=core", &admin);
    assert_eq!(t["items"].as_array().unwrap().len(), 1, "{t}");

    for bad in [
        "limit=501",
        "severity=severe",
        "level=4",
        "cursor=zz",
        "created_from=yesterday",
        "sort=id",
    ] {
        let (st, e) = s.get(&format!("/api/v1/findings?{bad}"), &admin);
        assert_eq!(st, 400, "{bad}: {e}");
        assert!(e["error"]["message"].is_string());
    }
}

fn exceptions_reach_the_gate_after_a_second_person_approves(b: Backend) {
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    s.post("/api/v1/teams", &admin, &json!({"name": "pay"}));
    s.post(
        "/api/v1/projects",
        &admin,
        &json!({"name": "payments api", "team": "pay"}),
    );
    s.person(
        "Dev",
        "dev@example.org",
        Role::Developer,
        "correct horse battery",
        &["pay"],
    );
    s.person(
        "Sec",
        "sec@example.org",
        Role::Security,
        "correct horse battery",
        &[],
    );
    s.person(
        "Sue",
        "sue@example.org",
        Role::Security,
        "correct horse battery",
        &[],
    );
    let dev = s.token("dev", Role::Developer, Some("dev@example.org"), &[]);
    let sec = s.token("sec", Role::Security, Some("sec@example.org"), &[]);
    let sue = s.token("sue", Role::Security, Some("sue@example.org"), &[]);
    let base = "/api/v1/projects/payments%20api/exceptions";

    let (st, x) = s.post(
        base,
        &dev,
        &json!({"rule": "python.command-injection-os", "path": "tools/**",
        "stages": ["release"], "reason": "admin-only tool", "expires": "2999-12-31"}),
    );
    assert_eq!(st, 201, "{x}");
    assert_eq!(x["state"], "requested");
    assert_eq!(x["requested_by"], "dev@example.org");
    let id = x["id"].as_i64().unwrap();
    // A developer cannot decide; the approver is never the requester.
    let (st, _) = s.post(
        &format!("/api/v1/exceptions/{id}/approve"),
        &dev,
        &json!({}),
    );
    assert_eq!(st, 403);
    let (st, x2) = s.post(
        base,
        &sec,
        &json!({"advisory": "RUSTSEC-2024-0001", "reason": "not reachable",
        "expires": "2999-01-01"}),
    );
    assert_eq!(st, 201, "{x2}");
    let id2 = x2["id"].as_i64().unwrap();
    let (st, e) = s.post(
        &format!("/api/v1/exceptions/{id2}/approve"),
        &sec,
        &json!({}),
    );
    assert_eq!(st, 403, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("another person"),
        "{e}"
    );
    let (st, r) = s.post(
        &format!("/api/v1/exceptions/{id2}/reject"),
        &sue,
        &json!({"note": "upgrade"}),
    );
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["state"], "rejected");

    let (st, a) = s.post(
        &format!("/api/v1/exceptions/{id}/approve"),
        &sec,
        &json!({"note": "ok"}),
    );
    assert_eq!(st, 200, "{a}");
    assert_eq!(a["state"], "approved");
    assert_eq!(a["approver"], "sec@example.org");
    let (st, e) = s.post(&format!("/api/v1/exceptions/{id}/reject"), &sue, &json!({}));
    assert_eq!(st, 409, "decided once: {e}");

    // What the gate fetches, read by the gate's own reader.
    let (st, body) = s.get(&format!("{base}?state=approved"), &dev);
    assert_eq!(st, 200, "{body}");
    let stages = gatehouse_policy::config::Config::defaults(std::path::Path::new(".")).stages;
    let xs =
        gatehouse_policy::config::server_exceptions(&body.to_string(), &s.url, &stages).unwrap();
    assert_eq!(xs.len(), 1, "{body}");
    assert_eq!(xs[0].id, id.to_string());
    assert_eq!(xs[0].approver, "sec@example.org");
    assert_eq!(xs[0].reason, "admin-only tool");
    assert_eq!(xs[0].rule.as_deref(), Some("python.command-injection-os"));
    // Every state, and bad requests.
    let (_, all) = s.get(base, &dev);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    for bad in [
        json!({"reason": "r", "expires": "2999-01-01"}),
        json!({"rule": "r", "reason": "r", "expires": "2000-01-01"}),
        json!({"rule": "r", "reason": " ", "expires": "2999-01-01"}),
        json!({"fingerprint": "xyz", "reason": "r", "expires": "2999-01-01"}),
        json!({"rule": "r", "scanner": "dast", "reason": "r", "expires": "2999-01-01"}),
        json!({"rule": "r", "reason": "r", "expires": "2999-01-01", "approver": "me"}),
    ] {
        let (st, e) = s.post(base, &dev, &bad);
        assert_eq!(st, 422, "{bad}: {e}");
    }
}

/// What each role may do, written from the role descriptions, not from the route table.
fn expected_allowed(role: Role, method: &str, path: &str) -> bool {
    if path == "/api/v1/session" || path == "/api/v1/openapi.json" {
        return true;
    }
    // The web pages: signing in, and what every signed-in person may see and do.
    if !path.starts_with("/api/") {
        return true;
    }
    let people_or_tokens = path.starts_with("/api/v1/people") || path.starts_with("/api/v1/tokens");
    // Delivery records are operational logs, read as the audit log is; a test message is sent by
    // administrators only.
    let audit = path.starts_with("/api/v1/audit") || path == "/api/v1/notifications";
    let test_message = path == "/api/v1/notifications/test";
    match role {
        Role::Administrator => true,
        Role::Security => !people_or_tokens && !test_message,
        Role::Auditor => method == "GET",
        Role::Developer => {
            (method == "GET" && !audit && !people_or_tokens)
                || (method == "POST"
                    && path.starts_with("/api/v1/projects/")
                    && (path.ends_with("/scans") || path.ends_with("/exceptions")))
                || (method == "POST"
                    && path.starts_with("/api/v1/tickets/")
                    && (path.ends_with("/mitigate")
                        || path.ends_with("/requests")
                        || path.ends_with("/comments")
                        || path.ends_with("/merge")
                        || path.ends_with("/split")))
        }
    }
}

fn every_route_checks_its_permission(b: Backend) {
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    s.post("/api/v1/teams", &admin, &json!({"name": "matrix-team"}));
    s.post(
        "/api/v1/projects",
        &admin,
        &json!({"name": "matrix", "team": "matrix-team"}),
    );
    let (_, up) = upload(
        &s,
        &admin,
        "matrix",
        &scan_json(vec![finding("k", "r", Severity::High, "a", 1)], true),
        "",
    );
    let scan = up["id"][0].as_i64().unwrap();
    s.person(
        "Dev",
        "dev@example.org",
        Role::Developer,
        "correct horse battery",
        &["matrix-team"],
    );
    let tokens = [
        (
            Role::Administrator,
            s.token("a", Role::Administrator, None, &[]),
        ),
        (Role::Security, s.token("s", Role::Security, None, &[])),
        (
            Role::Developer,
            s.token("d", Role::Developer, Some("dev@example.org"), &[]),
        ),
        (Role::Auditor, s.token("u", Role::Auditor, None, &[])),
    ];
    let requester = s.token("requester", Role::Security, None, &[]);
    let (_, t) = s.get("/api/v1/tickets?project=matrix", &admin);
    let ticket = t["items"][0]["id"].as_i64().unwrap();
    let mut fresh = 0;
    let mut checked = 0;
    for route in gatehouse_server::http::routes() {
        let method = route.verb.method().to_string();
        for (role, token) in &tokens {
            // Fresh objects per call, so approving one does not conflict with the next.
            let id = if route.path.starts_with("/api/v1/exceptions") {
                let (_, x) = s.post(
                    "/api/v1/projects/matrix/exceptions",
                    &requester,
                    &json!({"rule": "r", "reason": "r", "expires": "2999-01-01"}),
                );
                x["id"].as_i64().unwrap()
            } else if route.path.starts_with("/api/v1/requests") {
                fresh += 1;
                upload(
                    &s,
                    &admin,
                    "matrix",
                    &scan_json(
                        vec![finding(&format!("f{fresh}"), "r", Severity::High, "b", 1)],
                        false,
                    ),
                    "",
                );
                let (_, t) = s.get("/api/v1/tickets?project=matrix&limit=1", &admin);
                let tid = t["items"][0]["id"].as_i64().unwrap();
                let (st, r) = s.post(
                    &format!("/api/v1/tickets/{tid}/requests"),
                    &requester,
                    &json!({"kind": "false_positive", "reason": "test data"}),
                );
                assert_eq!(st, 201, "{r}");
                r["id"].as_i64().unwrap()
            } else if route.path.starts_with("/api/v1/tickets") {
                ticket
            } else {
                scan
            };
            let path = route
                .path
                .replace("{project}", "matrix")
                .replace("{id}", &id.to_string());
            let body = (method != "GET").then_some(&b"{}"[..]);
            let (st, answer) = s.call(&method, &path, Some(token), body);
            let allowed = expected_allowed(*role, &method, route.path);
            if allowed {
                assert!(
                    st != 401 && st != 403,
                    "{role:?} {method} {path}: {st} {answer}"
                );
            } else {
                assert_eq!(st, 403, "{role:?} {method} {path}: {answer}");
                assert_eq!(answer["error"]["code"], "forbidden");
            }
            checked += 1;
        }
        // Without a token only the public routes answer.
        let (st, _) = s.call(
            &method,
            &route
                .path
                .replace("{project}", "matrix")
                .replace("{id}", "1"),
            None,
            (method == "POST").then_some(&b"{}"[..]),
        );
        if route.path == "/api/v1/session"
            || route.path == "/api/v1/openapi.json"
            || route.path == "/login"
        {
            assert_ne!(st, 401, "{method} {}", route.path);
        } else if !route.path.starts_with("/api/") {
            // A page sends the browser to the sign-in page instead.
            assert_eq!(st, 303, "{method} {}", route.path);
        } else {
            assert_eq!(st, 401, "{method} {}", route.path);
        }
    }
    assert!(checked >= 4 * 25, "{checked}");
}

fn developers_see_their_teams_projects_only(b: Backend) {
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    s.post("/api/v1/teams", &admin, &json!({"name": "red"}));
    s.post("/api/v1/teams", &admin, &json!({"name": "blue"}));
    s.post(
        "/api/v1/projects",
        &admin,
        &json!({"name": "mine", "team": "red"}),
    );
    s.post(
        "/api/v1/projects",
        &admin,
        &json!({"name": "theirs", "team": "blue"}),
    );
    for p in ["mine", "theirs"] {
        upload(
            &s,
            &admin,
            p,
            &scan_json(vec![finding(p, "r", Severity::High, "a", 1)], true),
            "",
        );
    }
    s.person(
        "Dev",
        "dev@example.org",
        Role::Developer,
        "correct horse battery",
        &["red"],
    );
    let dev = s.token("dev", Role::Developer, Some("dev@example.org"), &[]);
    let (_, ps) = s.get("/api/v1/projects", &dev);
    let names: Vec<&str> = ps["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["mine"]);
    let (_, fs) = s.get("/api/v1/findings", &dev);
    assert_eq!(fs["items"].as_array().unwrap().len(), 1);
    assert_eq!(fs["items"][0]["project"], "mine");
    let (st, _) = s.get("/api/v1/projects/theirs/findings", &dev);
    assert_eq!(st, 403);
    let body = scan_json(vec![], true);
    let (st, _) = upload(&s, &dev, "theirs", &body, "");
    assert_eq!(st, 403);
    // A token scoped to one project sees that one only, whatever its role.
    let ci = s.token("ci", Role::Security, None, &["theirs"]);
    let (_, ps) = s.get("/api/v1/projects", &ci);
    assert_eq!(ps["items"].as_array().unwrap().len(), 1);
    let (st, _) = upload(&s, &ci, "mine", &body, "");
    assert_eq!(st, 403);
    let (_, ts) = s.get("/api/v1/tickets", &ci);
    assert!(ts["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["project"] == "theirs"));
}

fn sessions_from_passwords(b: Backend) {
    let s = TestServer::start(&b);
    s.person(
        "Ada",
        "ada@example.org",
        Role::Auditor,
        "correct horse battery",
        &[],
    );
    let (st, e) = s.call(
        "POST",
        "/api/v1/session",
        None,
        Some(br#"{"email": "ada@example.org", "password": "wrong password!"}"#),
    );
    assert_eq!(st, 401, "{e}");
    let (st, r) = s.call(
        "POST",
        "/api/v1/session",
        None,
        Some(br#"{"email": "ada@example.org", "password": "correct horse battery"}"#),
    );
    assert_eq!(st, 201, "{r}");
    let token = r["token"].as_str().unwrap();
    let (st, _) = s.get("/api/v1/projects", token);
    assert_eq!(st, 200);
    let (st, _) = s.post("/api/v1/projects", token, &json!({"name": "x"}));
    assert_eq!(st, 403, "auditors read only");
    // Stored only as a hash.
    let (st, _) = s.get("/api/v1/projects", "ght_0000");
    assert_eq!(st, 401);
}

fn the_audit_chain_catches_edits_and_deletions(b: Backend) {
    use gatehouse_server::domain::audit::verify_store;
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    for p in ["a", "b", "c"] {
        s.post("/api/v1/projects", &admin, &json!({"name": p}));
    }
    upload(
        &s,
        &admin,
        "a",
        &scan_json(vec![finding("k", "r", Severity::High, "a", 1)], true),
        "",
    );
    let verify = || s.rt.block_on(verify_store(&s.store)).unwrap();
    let n = verify().unwrap();
    assert!(n >= 5, "{n}");
    let (st, v) = s.get("/api/v1/audit/verify", &admin);
    assert_eq!((st, v["intact"].clone()), (200, json!(true)));
    let (events, _) = s.rt.block_on(s.store.audit_log()).unwrap();
    let upload_event = events.iter().find(|e| e.action == "scan.upload").unwrap();
    assert!(upload_event
        .after
        .as_deref()
        .unwrap()
        .contains("\"digest\""));

    // Edited.
    s.sql("UPDATE audit_events SET actor = 'mallory' WHERE id = 3");
    let t = verify().unwrap_err();
    assert_eq!(t.id, 3, "{t}");
    assert!(t.why.contains("edited"), "{t}");
    let (_, v) = s.get("/api/v1/audit/verify", &admin);
    assert_eq!(v["first_bad_event"], 3);
    s.sql(&format!(
        "UPDATE audit_events SET actor = '{}' WHERE id = 3",
        events[2].actor
    ));
    assert_eq!(verify(), Ok(n));

    // Edited together with its own hash: the next link breaks.
    s.sql("UPDATE audit_events SET after_json = '{}' WHERE id = 2");
    let forged = {
        let (evs, _) = s.rt.block_on(s.store.audit_log()).unwrap();
        gatehouse_server::domain::audit::event_hash(&evs[1])
    };
    s.sql(&format!(
        "UPDATE audit_events SET hash = '{forged}' WHERE id = 2"
    ));
    assert_eq!(verify().unwrap_err().id, 3);
    let e = &events[1];
    s.sql(&format!(
        "UPDATE audit_events SET after_json = '{}', hash = '{}' WHERE id = 2",
        e.after.as_deref().unwrap().replace('\'', "''"),
        e.hash
    ));
    assert_eq!(verify(), Ok(n));

    // Deleted in the middle, then at the end.
    s.sql("DELETE FROM audit_events WHERE id = 2");
    let t = verify().unwrap_err();
    assert_eq!(t.id, 2, "{t}");
    assert!(t.why.contains("deleted"), "{t}");
    s.sql("DELETE FROM audit_events WHERE id > 2");
    s.sql("DELETE FROM audit_events WHERE id = 1");
    let t = verify().unwrap_err();
    assert!(t.why.contains("deleted"), "{t}");
}

fn the_api_description_matches_the_routes(b: Backend) {
    let s = TestServer::start(&b);
    let (st, doc) = s.call("GET", "/api/v1/openapi.json", None, None);
    assert_eq!(st, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    documented.sort();
    let mut mounted: Vec<(String, String)> = gatehouse_server::http::routes()
        .iter()
        .map(|r| (r.verb.method().to_string(), r.path.to_string()))
        .collect();
    mounted.sort();
    assert_eq!(documented, mounted);
    // And each documented operation is really served: no 404 or 405 from the router.
    for (method, path) in &documented {
        let concrete = path.replace("{project}", "nope").replace("{id}", "1");
        let (st, e) = s.call(
            method,
            &concrete,
            None,
            (method == "POST").then_some(&b"{}"[..]),
        );
        assert!(
            st != 405 && e["error"]["code"] != "method_not_allowed",
            "{method} {path}"
        );
        assert!(
            !(st == 404
                && e["error"]["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("no such endpoint")),
            "{method} {path}"
        );
    }
}

fn triage_needs_a_second_person_and_risk_lapses(b: Backend) {
    use gatehouse_server::domain::{now_ms, triage};
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    s.post("/api/v1/teams", &admin, &json!({"name": "pay"}));
    s.post(
        "/api/v1/projects",
        &admin,
        &json!({"name": "pay", "team": "pay"}),
    );
    s.person(
        "Dev",
        "dev@example.org",
        Role::Developer,
        "correct horse battery",
        &["pay"],
    );
    s.person(
        "Sec",
        "sec@example.org",
        Role::Security,
        "correct horse battery",
        &[],
    );
    s.person(
        "Sue",
        "sue@example.org",
        Role::Security,
        "correct horse battery",
        &[],
    );
    let dev = s.token("dev", Role::Developer, Some("dev@example.org"), &[]);
    let sec = s.token("sec", Role::Security, Some("sec@example.org"), &[]);
    let sue = s.token("sue", Role::Security, Some("sue@example.org"), &[]);
    let fp = finding("fp", "noisy-rule", Severity::High, "tests/fixture.py", 1);
    let risk = finding("risk", "old-crypto", Severity::Medium, "src/legacy.py", 9);
    let keep = finding("keep", "noisy-rule", Severity::Low, "src/app.py", 3);
    upload(
        &s,
        &admin,
        "pay",
        &scan_json(vec![fp.clone(), risk.clone(), keep.clone()], true),
        "",
    );
    let (_, t) = s.get("/api/v1/tickets?project=pay", &dev);
    let ticket_of = |rule: &str, path: &str| -> i64 {
        t["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["rule"] == rule && t["path"] == path)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (t_fp, t_risk, t_keep) = (
        ticket_of("noisy-rule", "tests/fixture.py"),
        ticket_of("old-crypto", "src/legacy.py"),
        ticket_of("noisy-rule", "src/app.py"),
    );

    // Mitigation with a note, by the developer.
    let (st, m) = s.post(
        &format!("/api/v1/tickets/{t_keep}/mitigate"),
        &dev,
        &json!({"note": "WAF rule 42"}),
    );
    assert_eq!(st, 200, "{m}");
    assert_eq!(m["state"], "mitigated");
    assert_eq!(m["mitigation_note"], "WAF rule 42");
    let (st, _) = s.post(
        &format!("/api/v1/tickets/{t_keep}/mitigate"),
        &dev,
        &json!({"note": "again"}),
    );
    assert_eq!(st, 409);
    let (st, c) = s.post(
        &format!("/api/v1/tickets/{t_keep}/comments"),
        &dev,
        &json!({"body": "patch in review"}),
    );
    assert_eq!(st, 201, "{c}");

    // False positive: requested by the developer, decided by security, never by oneself.
    let (st, r) = s.post(
        &format!("/api/v1/tickets/{t_fp}/requests"),
        &dev,
        &json!({"kind": "false_positive", "reason": "test fixture"}),
    );
    assert_eq!(st, 201, "{r}");
    let req = r["id"].as_i64().unwrap();
    let (st, _) = s.post(
        &format!("/api/v1/tickets/{t_fp}/requests"),
        &dev,
        &json!({"kind": "false_positive", "reason": "again"}),
    );
    assert_eq!(st, 409, "one pending request per ticket");
    let (st, _) = s.post(&format!("/api/v1/requests/{req}/approve"), &dev, &json!({}));
    assert_eq!(st, 403);
    let (st, a) = s.post(
        &format!("/api/v1/requests/{req}/approve"),
        &sec,
        &json!({"note": "agreed"}),
    );
    assert_eq!(st, 200, "{a}");
    assert_eq!(a["state"], "approved");

    // Risk acceptance until tomorrow: security asks, another security person approves.
    let tomorrow = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .tomorrow()
        .unwrap();
    let (st, e) = s.post(
        &format!("/api/v1/tickets/{t_risk}/requests"),
        &sec,
        &json!({"kind": "risk_accepted", "reason": "r"}),
    );
    assert_eq!(st, 422, "a risk needs an expiry: {e}");
    let (st, r) = s.post(&format!("/api/v1/tickets/{t_risk}/requests"), &sec, &json!({"kind": "risk_accepted", "reason": "legacy, replaced in Q3", "expires": tomorrow.to_string()}));
    assert_eq!(st, 201, "{r}");
    let req = r["id"].as_i64().unwrap();
    let (st, e) = s.post(&format!("/api/v1/requests/{req}/approve"), &sec, &json!({}));
    assert_eq!(st, 403, "{e}");
    let (st, _) = s.post(&format!("/api/v1/requests/{req}/approve"), &sue, &json!({}));
    assert_eq!(st, 200);
    let (st, e) = s.post(&format!("/api/v1/requests/{req}/reject"), &sue, &json!({}));
    assert_eq!(st, 409, "{e}");

    let (_, detail) = s.get(&format!("/api/v1/tickets/{t_fp}"), &dev);
    assert_eq!(detail["state"], "false_positive");
    assert_eq!(detail["requests"][0]["decided_by"], "sec@example.org");
    let states: Vec<&str> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to_state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["open", "false_positive"]);
    let (_, detail) = s.get(&format!("/api/v1/tickets/{t_keep}"), &dev);
    assert_eq!(detail["comments"][0]["body"], "patch in review");
    assert_eq!(detail["comments"][0]["actor"], "dev@example.org");

    // Approved false positives stay closed when they reappear or vanish.
    let (_, r) = upload(
        &s,
        &admin,
        "pay",
        &scan_json(vec![fp.clone(), risk.clone(), keep.clone()], true),
        "?pipeline=2",
    );
    assert_eq!(r["findings"]["reopened"], 0, "{r}");
    let found = findings_of(&s, &admin, "pay");
    assert_eq!(state_of(&found, "old-crypto"), "risk_accepted");
    let fp_state = found
        .iter()
        .find(|f| f["path"] == "tests/fixture.py")
        .unwrap()["state"]
        .clone();
    assert_eq!(fp_state, "false_positive");

    // The risk lapses: the next sweep reopens the ticket with fresh deadlines.
    assert_eq!(s.rt.block_on(triage::sweep(&s.store, now_ms())).unwrap(), 0);
    let later = now_ms() + 3 * 24 * HOUR;
    assert_eq!(s.rt.block_on(triage::sweep(&s.store, later)).unwrap(), 1);
    assert_eq!(
        s.rt.block_on(triage::sweep(&s.store, later)).unwrap(),
        0,
        "once"
    );
    let (_, detail) = s.get(&format!("/api/v1/tickets/{t_risk}"), &dev);
    assert_eq!(detail["state"], "open");
    assert_eq!(
        detail["mitigation_due"].as_i64().unwrap(),
        later + 7 * 24 * HOUR
    );
    assert_eq!(
        detail["history"].as_array().unwrap().last().unwrap()["note"],
        "the risk acceptance expired"
    );

    // Per-rule false-positive rates, for tuning.
    let (st, rates) = s.get("/api/v1/rules/false-positive-rates", &dev);
    assert_eq!(st, 200, "{rates}");
    let noisy = rates["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "noisy-rule")
        .unwrap();
    assert_eq!(
        (
            noisy["findings"].as_i64(),
            noisy["false_positives"].as_i64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(noisy["rate"], 0.5);

    for bad in [
        json!({"kind": "maybe", "reason": "r"}),
        json!({"kind": "false_positive", "reason": " "}),
        json!({"kind": "risk_accepted", "reason": "r", "expires": "2000-01-01"}),
    ] {
        let (st, e) = s.post(&format!("/api/v1/tickets/{t_keep}/requests"), &dev, &bad);
        assert_eq!(st, 422, "{bad}: {e}");
    }
    let (st, _) = s.post(
        &format!("/api/v1/tickets/{t_keep}/requests"),
        &s.token("aud", Role::Auditor, None, &[]),
        &json!({"kind": "false_positive", "reason": "r"}),
    );
    assert_eq!(st, 403);
}

fn organization_and_project_settings_drive_tickets(b: Backend) {
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    s.person(
        "Ada",
        "ada@example.org",
        Role::Administrator,
        "correct horse battery",
        &["core"],
    );
    s.person(
        "Bob",
        "bob@example.org",
        Role::Security,
        "correct horse battery",
        &["sec-team"],
    );
    let (st, org) = s.call(
        "PATCH",
        "/api/v1/organization",
        Some(&admin),
        Some(
            json!({
        "default_owner": "bob@example.org", "default_team": "sec-team",
        "sla": {"levels": {"1": {"mitigation_hours": 12}}}})
            .to_string()
            .as_bytes(),
        ),
    );
    assert_eq!(st, 200, "{org}");
    assert_eq!(
        org["effective_sla"]["levels"]["1"],
        json!({"mitigation_hours": 12, "remediation_hours": 168})
    );
    assert_eq!(org["first_administrator"], "ada@example.org");
    s.post("/api/v1/projects", &admin, &json!({"name": "p"}));

    let (_, r) = upload(
        &s,
        &admin,
        "p",
        &scan_json(vec![finding("one", "r", Severity::Critical, "a", 1)], false),
        "",
    );
    assert_eq!(
        (
            r["owner_defaulted"].clone(),
            r["owner"].clone(),
            r["team"].clone()
        ),
        (json!(true), json!("bob@example.org"), json!("sec-team")),
        "{r}"
    );
    let (_, t) = s.get("/api/v1/tickets?project=p", &admin);
    let t0 = &t["items"][0];
    assert_eq!(t0["owner"], "bob@example.org");
    assert_eq!(t0["team"], "sec-team");
    assert_eq!(
        t0["mitigation_due"].as_i64().unwrap() - t0["created_at"].as_i64().unwrap(),
        12 * HOUR
    );

    let (st, p) = s.call(
        "PATCH",
        "/api/v1/projects/p",
        Some(&admin),
        Some(
            json!({
        "owner": "ada@example.org", "team": "core", "default_branch": "main",
        "sla": {"levels": {"1": {"remediation_hours": 48}}}})
            .to_string()
            .as_bytes(),
        ),
    );
    assert_eq!(st, 200, "{p}");
    assert_eq!(
        (
            p["owner"].clone(),
            p["team"].clone(),
            p["default_branch"].clone()
        ),
        (json!("ada@example.org"), json!("core"), json!("main"))
    );
    let (_, r) = upload(
        &s,
        &admin,
        "p",
        &scan_json(vec![finding("two", "r", Severity::High, "b", 1)], false),
        "?branch=main",
    );
    assert_eq!(
        (r["owner_defaulted"].clone(), r["owner"].clone()),
        (json!(false), json!("ada@example.org")),
        "{r}"
    );
    let (_, t) = s.get("/api/v1/tickets?project=p&limit=1", &admin);
    let t1 = &t["items"][0];
    assert_eq!(t1["owner"], "ada@example.org");
    let opened = t1["created_at"].as_i64().unwrap();
    assert_eq!(
        t1["mitigation_due"].as_i64().unwrap() - opened,
        12 * HOUR,
        "the organization's"
    );
    assert_eq!(
        t1["remediation_due"].as_i64().unwrap() - opened,
        48 * HOUR,
        "the project's"
    );

    for (path, body) in [
        (
            "/api/v1/organization",
            json!({"sla": {"levels": {"4": {}}}}),
        ),
        ("/api/v1/organization", json!({"default_team": "nobody"})),
        ("/api/v1/projects/p", json!({"owner": "nobody@example.org"})),
        ("/api/v1/projects/p", json!({"colour": "red"})),
    ] {
        let (st, e) = s.call(
            "PATCH",
            path,
            Some(&admin),
            Some(body.to_string().as_bytes()),
        );
        assert_eq!(st, 422, "{path} {body}: {e}");
    }
}

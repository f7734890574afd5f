//! Merged tickets: one ticket for findings with one cause, on SQLite and PostgreSQL.

mod common;

use common::{finding, scan_json, Backend, TestServer};
use gatehouse_core::{Finding, Severity};
use gatehouse_server::domain::Role;
use serde_json::{json, Value};

for_each_backend!(
    merged_tickets_move_as_one,
    merging_refuses_what_it_cannot_do,
);

struct World {
    s: TestServer,
    admin: String,
    dev: String,
    sec: String,
}

fn world(b: Backend) -> World {
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    for (team, project) in [("pay", "pay"), ("web", "web")] {
        s.post("/api/v1/teams", &admin, &json!({"name": team}));
        s.post(
            "/api/v1/projects",
            &admin,
            &json!({"name": project, "team": team}),
        );
    }
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
    let dev = s.token("dev", Role::Developer, Some("dev@example.org"), &[]);
    let sec = s.token("sec", Role::Security, Some("sec@example.org"), &[]);
    World { s, admin, dev, sec }
}

/// Uploads a complete scan, as a new pipeline each time (the same report twice is one upload).
fn upload(w: &World, project: &str, findings: Vec<Finding>) -> Value {
    static PIPELINE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = PIPELINE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (st, v) = w.s.call(
        "POST",
        &format!("/api/v1/projects/{project}/scans?pipeline={n}"),
        Some(&w.admin),
        Some(&scan_json(findings, true)),
    );
    assert_eq!(st, 201, "{v}");
    v
}

fn tickets(w: &World, query: &str) -> Vec<Value> {
    let (st, v) =
        w.s.get(&format!("/api/v1/tickets?limit=500{query}"), &w.admin);
    assert_eq!(st, 200, "{v}");
    v["items"].as_array().unwrap().clone()
}

fn ticket_of(w: &World, path: &str) -> Value {
    tickets(w, "")
        .into_iter()
        .find(|t| t["path"] == path)
        .unwrap_or_else(|| panic!("no ticket for {path}"))
}

fn id(t: &Value) -> i64 {
    t["id"].as_i64().unwrap()
}

fn finding_state(w: &World, path: &str) -> String {
    let (_, v) = w.s.get("/api/v1/projects/pay/findings?limit=500", &w.admin);
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap()["state"]
        .as_str()
        .unwrap()
        .to_string()
}

fn merged_tickets_move_as_one(b: Backend) {
    let w = world(b);
    // One vulnerable library in three manifests, and something unrelated.
    let a = finding(
        "lib-a",
        "GHSA-1",
        Severity::High,
        "svc-a/package-lock.json",
        1,
    );
    let bb = finding(
        "lib-b",
        "GHSA-1",
        Severity::Medium,
        "svc-b/package-lock.json",
        1,
    );
    let c = finding(
        "lib-c",
        "GHSA-1",
        Severity::Low,
        "svc-c/package-lock.json",
        1,
    );
    let other = finding("other", "sqli", Severity::High, "src/db.py", 7);
    upload(
        &w,
        "pay",
        vec![a.clone(), bb.clone(), c.clone(), other.clone()],
    );
    let (ta, tb, tc) = (
        ticket_of(&w, "svc-a/package-lock.json"),
        ticket_of(&w, "svc-b/package-lock.json"),
        ticket_of(&w, "svc-c/package-lock.json"),
    );
    assert_eq!(
        [&ta["level"], &tb["level"], &tc["level"]],
        [&json!(1), &json!(2), &json!(3)]
    );

    // The developer merges them into the medium one: the group takes the strictest level and
    // the earliest deadlines.
    let (st, g) = w.s.post(
        &format!("/api/v1/tickets/{}/merge", id(&tb)),
        &w.dev,
        &json!({"tickets": [id(&ta), id(&tc)], "reason": "one library, GHSA-1"}),
    );
    assert_eq!(st, 200, "{g}");
    assert_eq!(g["level"], 1);
    assert_eq!(g["mitigation_due"], ta["mitigation_due"]);
    assert_eq!(g["remediation_due"], ta["remediation_due"]);
    assert_eq!(g["state"], "open");
    let merged: Vec<i64> = g["merged"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(merged, vec![id(&ta), id(&tc)]);
    for m in g["merged"].as_array().unwrap() {
        assert_eq!(m["state"], "merged");
        assert_eq!(m["merged_into"], id(&tb));
        assert_eq!(m["breached"], false);
    }
    // Open tickets: the group once, and the unrelated one.
    let open: Vec<i64> = tickets(&w, "&state=open").iter().map(id).collect();
    assert_eq!(open.len(), 2, "{open:?}");
    assert!(open.contains(&id(&tb)));

    // The lead's finding is gone but the members' are not: the group stays open.
    upload(&w, "pay", vec![a.clone(), c.clone(), other.clone()]);
    assert_eq!(finding_state(&w, "svc-b/package-lock.json"), "fixed");
    assert_eq!(ticket_of(&w, "svc-b/package-lock.json")["state"], "open");
    // One member left.
    upload(&w, "pay", vec![c.clone(), other.clone()]);
    assert_eq!(ticket_of(&w, "svc-b/package-lock.json")["state"], "open");
    // All gone: the group is fixed.
    upload(&w, "pay", vec![other.clone()]);
    let lead = ticket_of(&w, "svc-b/package-lock.json");
    assert_eq!(lead["state"], "fixed");
    assert!(lead["closed_at"].is_i64());
    assert_eq!(ticket_of(&w, "svc-a/package-lock.json")["state"], "merged");

    // A member's finding comes back: the lead reopens, as strict as the group.
    upload(&w, "pay", vec![c.clone(), other.clone()]);
    let lead = ticket_of(&w, "svc-b/package-lock.json");
    assert_eq!(lead["state"], "open");
    assert_eq!(
        lead["level"], 1,
        "a reopened group keeps its strictest level"
    );
    assert_eq!(ticket_of(&w, "svc-c/package-lock.json")["state"], "merged");
    assert_eq!(finding_state(&w, "svc-c/package-lock.json"), "open");
    upload(&w, "pay", vec![a.clone(), c.clone(), other.clone()]);

    // Triage on the lead moves the group's findings.
    let (st, m) = w.s.post(
        &format!("/api/v1/tickets/{}/mitigate", id(&tb)),
        &w.dev,
        &json!({"note": "lockfile pinned to a patched fork"}),
    );
    assert_eq!(st, 200, "{m}");
    assert_eq!(finding_state(&w, "svc-a/package-lock.json"), "mitigated");
    assert_eq!(finding_state(&w, "svc-c/package-lock.json"), "mitigated");

    // A split gives a member its own ticket back, in its finding's state, with its own level.
    let (st, g) = w.s.post(
        &format!("/api/v1/tickets/{}/split", id(&tb)),
        &w.dev,
        &json!({"tickets": [id(&tc)], "reason": "svc-c pins a different version"}),
    );
    assert_eq!(st, 200, "{g}");
    assert_eq!(g["merged"].as_array().unwrap().len(), 1);
    let own = ticket_of(&w, "svc-c/package-lock.json");
    assert_eq!(own["state"], "mitigated");
    assert_eq!(own["merged_into"], Value::Null);
    assert_eq!(own["level"], 3);
    assert_eq!(own["mitigation_note"], "lockfile pinned to a patched fork");

    // A false positive approved on the lead closes the group's findings.
    let (st, r) = w.s.post(
        &format!("/api/v1/tickets/{}/requests", id(&tb)),
        &w.dev,
        &json!({"kind": "false_positive", "reason": "not reachable: build-time only"}),
    );
    assert_eq!(st, 201, "{r}");
    let (st, d) = w.s.post(
        &format!("/api/v1/requests/{}/approve", r["id"]),
        &w.sec,
        &json!({}),
    );
    assert_eq!(st, 200, "{d}");
    assert_eq!(
        ticket_of(&w, "svc-b/package-lock.json")["state"],
        "false_positive"
    );
    assert_eq!(
        finding_state(&w, "svc-a/package-lock.json"),
        "false_positive"
    );
    assert_eq!(finding_state(&w, "svc-c/package-lock.json"), "mitigated");
    // Its history says why.
    let (_, detail) = w.s.get(&format!("/api/v1/tickets/{}", id(&ta)), &w.admin);
    let last = detail["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["to_state"], "false_positive", "{detail}");

    // Everything is in the audit log, whose chain holds.
    let (_, audit) = w.s.get("/api/v1/audit?limit=500", &w.admin);
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"ticket.merge"), "{actions:?}");
    assert!(actions.contains(&"ticket.split"), "{actions:?}");
    let (st, v) = w.s.get("/api/v1/audit/verify", &w.admin);
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["intact"], true, "{v}");
}

fn merging_refuses_what_it_cannot_do(b: Backend) {
    let w = world(b);
    upload(
        &w,
        "pay",
        vec![
            finding("one", "r1", Severity::High, "a.py", 1),
            finding("two", "r2", Severity::High, "b.py", 1),
            finding("three", "r3", Severity::High, "c.py", 1),
        ],
    );
    upload(
        &w,
        "web",
        vec![finding("web", "r1", Severity::High, "w.py", 1)],
    );
    let (t1, t2, t3, tw) = (
        id(&ticket_of(&w, "a.py")),
        id(&ticket_of(&w, "b.py")),
        id(&ticket_of(&w, "c.py")),
        id(&ticket_of(&w, "w.py")),
    );
    let merge = |lead: i64, body: Value, token: &str| {
        w.s.post(&format!("/api/v1/tickets/{lead}/merge"), token, &body)
    };
    for (body, why) in [
        (json!({"tickets": [t2], "reason": " "}), "reason"),
        (json!({"tickets": [], "reason": "x"}), "tickets"),
        (json!({"tickets": [t2, t2], "reason": "x"}), "repeated"),
        (json!({"tickets": [t1], "reason": "x"}), "merged into"),
        (json!({"tickets": [tw], "reason": "x"}), "project"),
        (json!({"tickets": [t2], "reason": "x", "extra": 1}), "extra"),
    ] {
        let (st, e) = merge(t1, body.clone(), &w.admin);
        assert_eq!(st, 422, "{body}: {e}");
        assert!(e.to_string().contains(why), "{body}: {e}");
    }
    let (st, _) = merge(t1, json!({"tickets": [999_999], "reason": "x"}), &w.admin);
    assert_eq!(st, 404);
    // Nor another team's project for a developer.
    let (st, _) = merge(tw, json!({"tickets": [t1], "reason": "x"}), &w.dev);
    assert_eq!(st, 403);

    // A pending request is decided first.
    let (st, _) = w.s.post(
        &format!("/api/v1/tickets/{t3}/requests"),
        &w.dev,
        &json!({"kind": "false_positive", "reason": "fixture"}),
    );
    assert_eq!(st, 201);
    let (st, e) = merge(t1, json!({"tickets": [t3], "reason": "x"}), &w.dev);
    assert_eq!(st, 409, "{e}");

    // A member is not a lead; a group merged into another brings its members.
    let (st, _) = merge(t1, json!({"tickets": [t2], "reason": "x"}), &w.dev);
    assert_eq!(st, 200);
    let (st, e) = merge(t2, json!({"tickets": [t1], "reason": "x"}), &w.dev);
    assert_eq!(st, 409, "{e}");
    assert!(
        e.to_string().contains(&format!("merged into ticket {t1}")),
        "{e}"
    );
    // Splitting what is not a member is refused; nothing changed.
    let (st, e) = w.s.post(
        &format!("/api/v1/tickets/{t1}/split"),
        &w.dev,
        &json!({"tickets": [t3], "reason": "x"}),
    );
    assert_eq!(st, 422, "{e}");
    assert_eq!(ticket_of(&w, "b.py")["merged_into"], t1);
}

//! The OpenAPI document against itself and against the real server: every reference resolves,
//! every route has a declared answer, and the answers the server really gives (successes and
//! errors) validate against the schemas the document declares for their status.

mod common;

use common::{finding, scan_json, Backend, TestServer};
use gatehouse_core::Severity;
use gatehouse_server::domain::Role;
use serde_json::{json, Value};

for_each_backend!(answers_match_their_declared_schemas);

fn document() -> Value {
    gatehouse_server::http::openapi::document()
}

/// Every `$ref` of `v` (as JSON pointers into the document).
fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if k == "$ref" {
                    if let Some(r) = x.as_str() {
                        out.push(r);
                    }
                }
                refs(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[test]
fn the_document_is_whole() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let problems = gatehouse_server::http::openapi::problems(&doc);
    assert!(problems.is_empty(), "{problems:#?}");

    // Every reference resolves.
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 30, "{}", all.len());
    for r in &all {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{r}: not local"));
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }

    // Every component schema is a valid JSON Schema 2020-12 (checked by compiling it, with the
    // document's components beside it for the references).
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        let mut s = schema.clone();
        if let Some(o) = s.as_object_mut() {
            o.insert(
                "$schema".into(),
                json!("https://json-schema.org/draft/2020-12/schema"),
            );
            o.insert("components".into(), doc["components"].clone());
        }
        jsonschema::validator_for(&s).unwrap_or_else(|e| panic!("{name}: {e}"));
    }

    // The table and the document name the same operations.
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    documented.sort();
    let mut table: Vec<(String, String)> = gatehouse_server::http::routes()
        .iter()
        .map(|r| (r.verb.method().to_string(), r.path.to_string()))
        .collect();
    table.sort();
    assert_eq!(documented, table);

    // What the handlers' types say, spot-checked.
    let op = |m: &str, p: &str| doc["paths"][p][m].clone();
    let create = op("post", "/api/v1/projects");
    assert_eq!(
        create["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/NewProject"
    );
    assert_eq!(
        create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Project"
    );
    for status in ["401", "403", "409", "415", "422"] {
        assert_eq!(
            create["responses"][status]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorBody",
            "{status}"
        );
    }
    let listing = op("get", "/api/v1/findings");
    let params: Vec<&str> = listing["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "project",
        "team",
        "severity",
        "level",
        "state",
        "rule",
        "kind",
        "breached",
        "created_from",
        "created_to",
        "updated_from",
        "updated_to",
        "cursor",
        "limit",
    ] {
        assert!(params.contains(&p), "{p}: {params:?}");
    }
    let ticket = op("get", "/api/v1/tickets/{id}");
    assert_eq!(ticket["parameters"][0]["in"], "path");
    assert_eq!(ticket["parameters"][0]["schema"]["type"], "integer");
    let upload = op("post", "/api/v1/projects/{project}/scans");
    for media in ["application/json", "application/xml", "text/csv"] {
        assert!(
            upload["requestBody"]["content"][media].is_object(),
            "{media}"
        );
    }
    for status in ["200", "201", "413"] {
        assert!(upload["responses"][status].is_object(), "{status}");
    }
    let approve = op("post", "/api/v1/requests/{id}/approve");
    assert_eq!(approve["requestBody"]["required"], false);
    let login = op("post", "/login");
    assert!(login["requestBody"]["content"]["application/x-www-form-urlencoded"].is_object());
    assert!(login["responses"]["303"].is_object());
    assert!(op("get", "/")["responses"]["200"]["content"]["text/html"].is_object());
}

/// Validates `body`, answered with `status` by `method template`, against the schema the
/// document declares for it; an undeclared status fails.
fn check(doc: &Value, method: &str, template: &str, status: u16, body: &Value) {
    let response = &doc["paths"][template][method.to_lowercase()]["responses"][status.to_string()];
    let schema = response["content"]["application/json"]["schema"].clone();
    assert!(
        schema.is_object(),
        "{method} {template} answered {status}, which the document does not declare: {body}"
    );
    let mut s = schema;
    let o = s.as_object_mut().unwrap();
    o.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    o.insert("components".into(), doc["components"].clone());
    let v = jsonschema::validator_for(&s).unwrap();
    let errors: Vec<String> = v
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {template} {status}: {errors:#?}\n{body:#}"
    );
}

struct Client<'a> {
    s: &'a TestServer,
    doc: Value,
    checked: std::cell::RefCell<std::collections::BTreeSet<(String, String)>>,
}

impl Client<'_> {
    /// Calls `method path` (the concrete path of `template`) and checks the answer.
    fn call(
        &self,
        method: &str,
        template: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&[u8]>,
    ) -> (u16, Value) {
        let (st, v) = self.s.call(method, path, token, body);
        check(&self.doc, method, template, st, &v);
        self.checked
            .borrow_mut()
            .insert((method.to_string(), template.to_string()));
        (st, v)
    }

    fn json(&self, method: &str, template: &str, path: &str, token: &str, body: &Value) -> Value {
        let (st, v) = self.call(
            method,
            template,
            path,
            Some(token),
            Some(body.to_string().as_bytes()),
        );
        assert!(st < 300, "{method} {path}: {st} {v}");
        v
    }

    fn get(&self, template: &str, path: &str, token: &str) -> Value {
        let (st, v) = self.call("GET", template, path, Some(token), None);
        assert_eq!(st, 200, "GET {path}: {v}");
        v
    }
}

fn answers_match_their_declared_schemas(b: Backend) {
    let s = TestServer::start(&b);
    let c = Client {
        s: &s,
        doc: {
            let (st, doc) = s.call("GET", "/api/v1/openapi.json", None, None);
            assert_eq!(st, 200);
            assert_eq!(doc, document(), "the served document is the generated one");
            doc
        },
        checked: Default::default(),
    };
    c.get("/api/v1/openapi.json", "/api/v1/openapi.json", "none");
    let admin = s.token("admin", Role::Administrator, None, &[]);
    s.person(
        "Ada",
        "ada@example.org",
        Role::Security,
        "correct horse battery",
        &[],
    );
    let (st, session) = c.call(
        "POST",
        "/api/v1/session",
        "/api/v1/session",
        None,
        Some(br#"{"email": "ada@example.org", "password": "correct horse battery"}"#),
    );
    assert_eq!(st, 201);
    let ada = session["token"].as_str().unwrap().to_string();
    let (st, _) = c.call(
        "POST",
        "/api/v1/session",
        "/api/v1/session",
        None,
        Some(br#"{"email": "nobody@example.org", "password": "correct horse battery"}"#),
    );
    assert_eq!(st, 401);

    c.json(
        "POST",
        "/api/v1/teams",
        "/api/v1/teams",
        &admin,
        &json!({"name": "pay", "lead": "ada@example.org"}),
    );
    c.get("/api/v1/teams", "/api/v1/teams", &admin);
    c.json(
        "POST",
        "/api/v1/people",
        "/api/v1/people",
        &admin,
        &json!({"name": "Dev", "email": "dev@example.org", "role": "developer",
                "password": "correct horse battery", "teams": ["pay"]}),
    );
    let tok = c.json(
        "POST",
        "/api/v1/tokens",
        "/api/v1/tokens",
        &admin,
        &json!({"name": "dev", "role": "developer", "person": "dev@example.org"}),
    );
    let dev = tok["token"].as_str().unwrap().to_string();
    c.json(
        "POST",
        "/api/v1/projects",
        "/api/v1/projects",
        &admin,
        &json!({"name": "pay", "team": "pay", "owner": "dev@example.org",
                "sla": {"levels": {"1": {"mitigation_hours": 12}}}}),
    );
    let (st, _) = c.call(
        "POST",
        "/api/v1/projects",
        "/api/v1/projects",
        Some(&admin),
        Some(br#"{"name": "pay"}"#),
    );
    assert_eq!(st, 409);
    let (st, _) = c.call(
        "POST",
        "/api/v1/projects",
        "/api/v1/projects",
        Some(&admin),
        Some(br#"{"name": "x", "colour": "red"}"#),
    );
    assert_eq!(st, 422);
    let (st, _) = c.call(
        "POST",
        "/api/v1/projects",
        "/api/v1/projects",
        Some(&dev),
        Some(br#"{"name": "x"}"#),
    );
    assert_eq!(st, 403);
    let (st, _) = c.call("GET", "/api/v1/projects", "/api/v1/projects", None, None);
    assert_eq!(st, 401);
    c.get("/api/v1/projects", "/api/v1/projects", &dev);
    c.get("/api/v1/projects/{project}", "/api/v1/projects/pay", &dev);
    let (st, _) = c.call(
        "GET",
        "/api/v1/projects/{project}",
        "/api/v1/projects/nope",
        Some(&dev),
        None,
    );
    assert_eq!(st, 404);
    c.json(
        "PATCH",
        "/api/v1/projects/{project}",
        "/api/v1/projects/pay",
        &admin,
        &json!({"default_branch": "main"}),
    );
    c.get("/api/v1/organization", "/api/v1/organization", &dev);
    c.json(
        "PATCH",
        "/api/v1/organization",
        "/api/v1/organization",
        &admin,
        &json!({"sla": {"severity_levels": {"info": 3}}, "default_team": "pay"}),
    );

    let report = scan_json(
        vec![
            finding("a", "aws-key", Severity::High, "src/a.py", 1),
            finding("b", "generic-api-key", Severity::Medium, "src/b.py", 2),
            finding("c", "generic-api-key", Severity::Low, "src/c.py", 3),
        ],
        true,
    );
    let scans = "/api/v1/projects/{project}/scans";
    let (st, up) = c.call(
        "POST",
        scans,
        "/api/v1/projects/pay/scans?branch=main&commit=abc",
        Some(&dev),
        Some(&report),
    );
    assert_eq!(st, 201, "{up}");
    let (st, again) = c.call(
        "POST",
        scans,
        "/api/v1/projects/pay/scans?branch=main&commit=abc",
        Some(&dev),
        Some(&report),
    );
    assert_eq!((st, &again["duplicate"]), (200, &json!(true)));
    let (st, _) = c.call(
        "POST",
        scans,
        "/api/v1/projects/pay/scans",
        Some(&dev),
        Some(b"not a report"),
    );
    assert!(st == 400 || st == 422, "{st}");
    let (st, _) = c.call(
        "POST",
        scans,
        "/api/v1/projects/pay/scans?colour=red",
        Some(&dev),
        Some(&report),
    );
    assert_eq!(st, 400);
    let scan = up["id"][0].as_i64().unwrap();
    c.get("/api/v1/scans/{id}", &format!("/api/v1/scans/{scan}"), &dev);
    let (st, _) = c.call(
        "GET",
        "/api/v1/scans/{id}",
        "/api/v1/scans/x",
        Some(&dev),
        None,
    );
    assert_eq!(st, 400);

    c.get(
        "/api/v1/projects/{project}/findings",
        "/api/v1/projects/pay/findings?severity=high,medium&limit=2",
        &dev,
    );
    c.get("/api/v1/findings", "/api/v1/findings?breached=false", &dev);
    let (st, _) = c.call(
        "GET",
        "/api/v1/findings",
        "/api/v1/findings?severity=dire",
        Some(&dev),
        None,
    );
    assert_eq!(st, 400);
    let tickets = c.get("/api/v1/tickets", "/api/v1/tickets?project=pay", &dev);
    let ids: Vec<i64> = tickets["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    let t = |i: usize| format!("/api/v1/tickets/{}", ids[i]);
    c.json(
        "POST",
        "/api/v1/tickets/{id}/mitigate",
        &format!("{}/mitigate", t(0)),
        &dev,
        &json!({"note": "WAF rule"}),
    );
    let (st, _) = c.call(
        "POST",
        "/api/v1/tickets/{id}/mitigate",
        &format!("{}/mitigate", t(0)),
        Some(&dev),
        Some(br#"{"note": "again"}"#),
    );
    assert_eq!(st, 409);
    c.json(
        "POST",
        "/api/v1/tickets/{id}/comments",
        &format!("{}/comments", t(0)),
        &dev,
        &json!({"body": "in review"}),
    );
    let merged = c.json(
        "POST",
        "/api/v1/tickets/{id}/merge",
        &format!("{}/merge", t(0)),
        &dev,
        &json!({"tickets": [ids[2]], "reason": "one cause"}),
    );
    assert_eq!(merged["merged"].as_array().unwrap().len(), 1);
    let (st, _) = c.call(
        "POST",
        "/api/v1/tickets/{id}/merge",
        &format!("{}/merge", t(2)),
        Some(&dev),
        Some(format!(r#"{{"tickets": [{}], "reason": "x"}}"#, ids[0]).as_bytes()),
    );
    assert_eq!(st, 409);
    c.json(
        "POST",
        "/api/v1/tickets/{id}/split",
        &format!("{}/split", t(0)),
        &dev,
        &json!({"tickets": [ids[2]], "reason": "two causes after all"}),
    );
    let r = c.json(
        "POST",
        "/api/v1/tickets/{id}/requests",
        &format!("{}/requests", t(1)),
        &dev,
        &json!({"kind": "false_positive", "reason": "fixture"}),
    );
    c.json(
        "POST",
        "/api/v1/requests/{id}/approve",
        &format!("/api/v1/requests/{}/approve", r["id"]),
        &ada,
        &json!({"note": "agreed"}),
    );
    let r = c.json(
        "POST",
        "/api/v1/tickets/{id}/requests",
        &format!("{}/requests", t(2)),
        &dev,
        &json!({"kind": "risk_accepted", "reason": "legacy", "expires": "2999-01-01"}),
    );
    let (st, _) = c.call(
        "POST",
        "/api/v1/requests/{id}/reject",
        &format!("/api/v1/requests/{}/reject", r["id"]),
        Some(&ada),
        None,
    );
    assert_eq!(st, 200);
    c.get("/api/v1/tickets/{id}", &t(0), &dev);
    c.get("/api/v1/tickets/{id}", &t(1), &dev);
    c.get(
        "/api/v1/rules/false-positive-rates",
        "/api/v1/rules/false-positive-rates",
        &dev,
    );

    let x = c.json(
        "POST",
        "/api/v1/projects/{project}/exceptions",
        "/api/v1/projects/pay/exceptions",
        &dev,
        &json!({"rule": "aws-key", "scanner": "secrets", "stages": ["commit"],
                "reason": "test keys", "expires": "2999-01-01"}),
    );
    let approve = "/api/v1/exceptions/{id}/approve";
    let (st, _) = c.call(
        "POST",
        approve,
        &format!("/api/v1/exceptions/{}/approve", x["id"]),
        Some(&dev),
        None,
    );
    assert_eq!(st, 403);
    c.json(
        "POST",
        approve,
        &format!("/api/v1/exceptions/{}/approve", x["id"]),
        &ada,
        &json!({}),
    );
    let (st, _) = c.call(
        "POST",
        approve,
        &format!("/api/v1/exceptions/{}/approve", x["id"]),
        Some(&ada),
        None,
    );
    assert_eq!(st, 409);
    let x = c.json(
        "POST",
        "/api/v1/projects/{project}/exceptions",
        "/api/v1/projects/pay/exceptions",
        &dev,
        &json!({"path": "tests/**", "reason": "fixtures", "expires": "2999-01-01"}),
    );
    c.json(
        "POST",
        "/api/v1/exceptions/{id}/reject",
        &format!("/api/v1/exceptions/{}/reject", x["id"]),
        &ada,
        &json!({"note": "too broad"}),
    );
    c.get(
        "/api/v1/projects/{project}/exceptions",
        "/api/v1/projects/pay/exceptions?state=approved",
        &dev,
    );

    c.get(
        "/api/v1/notifications",
        "/api/v1/notifications?kind=approval_requested&limit=5",
        &admin,
    );
    let (st, _) = c.call(
        "POST",
        "/api/v1/notifications/test",
        "/api/v1/notifications/test",
        Some(&admin),
        Some(br#"{"channel": "nowhere"}"#),
    );
    assert_eq!(st, 422, "a server without channels has no channel to test");
    c.get("/api/v1/audit", "/api/v1/audit?limit=5", &admin);
    c.get("/api/v1/audit/verify", "/api/v1/audit/verify", &admin);
    s.sql("UPDATE audit_events SET actor = 'mallory' WHERE id = 2");
    let v = c.get("/api/v1/audit/verify", "/api/v1/audit/verify", &admin);
    assert_eq!(v["intact"], false);

    // Every JSON route of the table was called at least once.
    let checked = c.checked.borrow();
    let missing: Vec<String> = gatehouse_server::http::routes()
        .iter()
        .filter(|r| r.path.starts_with("/api/"))
        .map(|r| (r.verb.method().to_string(), r.path.to_string()))
        .filter(|k| !checked.contains(k))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(missing.is_empty(), "not checked: {missing:?}");
}

//! Listings: every filter alone and every pair of filters, on findings and on tickets, for an
//! administrator and for a developer who sees one team's two projects, checked against the same
//! filter applied by hand to the unfiltered listing, page by page with the cursor.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{finding, scan_json, Backend, TestServer};
use gatehouse_core::{ScannerKind, Severity};
use gatehouse_server::domain::Role;
use serde_json::{json, Value};

for_each_backend!(every_filter_and_pair_of_filters_matches_a_reference);

/// Every item of a listing, following `next_cursor` with small pages; the ids must come newest
/// first, each once.
fn all(s: &TestServer, token: &str, path: &str, limit: usize) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut out: Vec<Value> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
            None => format!("{path}{sep}limit={limit}"),
        };
        let (st, page) = s.get(&url, token);
        assert_eq!(st, 200, "{url}: {page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= limit, "{url}");
        out.extend(items.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => {
                assert_eq!(items.len(), limit, "{url}: a short page with a next cursor");
                cursor = Some(c.to_string());
            }
            None => break,
        }
    }
    let ids: Vec<i64> = out.iter().map(|v| v["id"].as_i64().unwrap()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] > w[1]),
        "{path}: not newest first, or repeated: {ids:?}"
    );
    out
}

fn ids(items: &[Value]) -> Vec<i64> {
    items.iter().map(|v| v["id"].as_i64().unwrap()).collect()
}

fn every_filter_and_pair_of_filters_matches_a_reference(b: Backend) {
    let s = TestServer::start(&b);
    let admin = s.token("admin", Role::Administrator, None, &[]);
    for team in ["red", "blue"] {
        s.post("/api/v1/teams", &admin, &json!({"name": team}));
    }
    // Team red has two projects: a developer's listings and `team=red` are merged from one walk
    // per project.
    for (p, team) in [
        ("a", Some("red")),
        ("b", Some("blue")),
        ("c", None),
        ("d", Some("red")),
    ] {
        let mut body = json!({"name": p});
        if let Some(t) = team {
            body["team"] = json!(t);
        }
        let (st, r) = s.post("/api/v1/projects", &admin, &body);
        assert_eq!(st, 201, "{r}");
    }
    s.person(
        "Dev",
        "dev@example.org",
        Role::Developer,
        "correct horse battery",
        &["red"],
    );
    let dev = s.token("dev", Role::Developer, Some("dev@example.org"), &[]);

    // Findings of two kinds, five severities and three rules per project; a second complete
    // upload leaves some out, which fixes them.
    let severities = Severity::ALL;
    let make = |p: &str, i: usize| {
        let mut f = finding(
            &format!("{p}{i}"),
            &format!("rule-{}", i % 3),
            severities[i % severities.len()],
            &format!("src/{p}{i}.py"),
            1 + i as u32,
        );
        if i.is_multiple_of(4) {
            f.scanner = ScannerKind::Code;
        }
        f
    };
    for p in ["a", "b", "c", "d"] {
        let first: Vec<_> = (0..12).map(|i| make(p, i)).collect();
        let (st, r) = s.call(
            "POST",
            &format!("/api/v1/projects/{p}/scans?pipeline=1"),
            Some(&admin),
            Some(&scan_json(first, true)),
        );
        assert_eq!(st, 201, "{r}");
        let second: Vec<_> = (0..12).filter(|i| i % 5 != 1).map(|i| make(p, i)).collect();
        let (st, r) = s.call(
            "POST",
            &format!("/api/v1/projects/{p}/scans?pipeline=2"),
            Some(&admin),
            Some(&scan_json(second, true)),
        );
        assert_eq!(st, 201, "{r}");
        assert!(r["findings"]["fixed"].as_i64().unwrap() > 0, "{r}");
    }
    // A mitigated ticket, and deadlines in the past: some tickets are breached.
    let open = all(&s, &admin, "/api/v1/tickets?state=open", 50);
    let (st, r) = s.post(
        &format!("/api/v1/tickets/{}/mitigate", open[0]["id"]),
        &admin,
        &json!({"note": "blocked at the proxy"}),
    );
    assert_eq!(st, 200, "{r}");
    s.sql("UPDATE tickets SET mitigation_due = 1 WHERE id % 3 = 0");
    s.sql("UPDATE tickets SET remediation_due = 1 WHERE id % 4 = 0");

    // The reference: everything, unfiltered.
    let findings = all(&s, &admin, "/api/v1/findings", 500);
    let tickets = all(&s, &admin, "/api/v1/tickets", 500);
    assert_eq!(findings.len(), 48);
    let team_of: BTreeMap<&str, &str> = [("a", "red"), ("b", "blue"), ("d", "red")].into();
    let breached_finding: BTreeSet<i64> = tickets
        .iter()
        .filter(|t| t["breached"] == true)
        .map(|t| t["finding"].as_i64().unwrap())
        .collect();
    assert!(!breached_finding.is_empty());
    assert!(findings.iter().any(|f| f["state"] == "fixed"));
    assert!(tickets.iter().any(|t| t["state"] == "mitigated"));

    let dims: [(&str, &[&str]); 8] = [
        ("project", &["a", "b"]),
        ("team", &["red", "blue"]),
        ("severity", &["critical", "high,medium", "info"]),
        ("level", &["1", "2,3"]),
        ("state", &["open", "fixed,mitigated"]),
        ("rule", &["rule-0", "rule-1,rule-2"]),
        ("kind", &["secrets", "code"]),
        ("breached", &["true", "false"]),
    ];
    let mut combos: Vec<Vec<(&str, &str)>> = vec![Vec::new()];
    for (i, (k, vs)) in dims.iter().enumerate() {
        for v in *vs {
            combos.push(vec![(k, v)]);
            for (k2, vs2) in &dims[i + 1..] {
                for v2 in *vs2 {
                    combos.push(vec![(k, v), (k2, v2)]);
                }
            }
        }
    }

    // Whether a finding (`ticket` false) or a ticket passes one filter.
    let passes = |item: &Value, ticket: bool, key: &str, value: &str| -> bool {
        let any = |field: &Value| value.split(',').any(|v| field.as_str() == Some(v));
        match key {
            "project" => item["project"] == value,
            "team" => team_of.get(item["project"].as_str().unwrap()) == Some(&value),
            "severity" => any(&item["severity"]),
            "level" => value
                .split(',')
                .any(|v| item["level"].as_i64() == v.parse::<i64>().ok()),
            "state" => any(&item["state"]),
            "rule" => any(&item["rule"]),
            "kind" => any(&item["kind"]),
            "breached" => {
                let breached = if ticket {
                    item["breached"] == true
                } else {
                    breached_finding.contains(&item["id"].as_i64().unwrap())
                };
                breached == (value == "true")
            }
            _ => unreachable!(),
        }
    };

    // Both ways of finding a page: from a rare filter's index (every filter is rare here, the
    // data being small), and walking the listed table in id order (nothing counts as rare); in
    // between, some filters are rare and some not (on PostgreSQL some are then decided by the
    // planner's estimate alone).
    let mut checked = 0;
    for (threshold, combo) in [5_000, 2, 0]
        .into_iter()
        .flat_map(|t| combos.iter().map(move |c| (t, c)))
    {
        gatehouse_server::store::set_rare_threshold(threshold);
        let query: Vec<String> = combo.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let query = query.join("&");
        for (who, token, sees) in [
            ("admin", &admin, &["a", "b", "c", "d"][..]),
            ("dev", &dev, &["a", "d"][..]),
        ] {
            // Naming a project the caller may not see is refused, not filtered.
            if combo
                .iter()
                .any(|(k, v)| *k == "project" && !sees.contains(v))
            {
                continue;
            }
            for (listing, reference, ticket) in
                [("findings", &findings, false), ("tickets", &tickets, true)]
            {
                let expected: Vec<i64> = reference
                    .iter()
                    .filter(|item| sees.contains(&item["project"].as_str().unwrap()))
                    .filter(|item| combo.iter().all(|(k, v)| passes(item, ticket, k, v)))
                    .map(|item| item["id"].as_i64().unwrap())
                    .collect();
                let got = ids(&all(&s, token, &format!("/api/v1/{listing}?{query}"), 4));
                assert_eq!(
                    got, expected,
                    "{who}: /api/v1/{listing}?{query} (rare below {threshold})"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 1200, "{checked}");
}

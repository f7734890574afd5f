//! Native advisory formats converted to OSV: fixtures copied from ruby-advisory-db,
//! FriendsOfPHP and the Node.js security WG (`tests/data/advisories-native/`), and, when the
//! shared data is there, every file of the three full databases.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gatehouse_sca::advisory::convert::{
    self, convert_tree, detect, merge_records, to_osv, Converted, NativeFormat, SkipReason,
    TreeConversion,
};
use gatehouse_sca::advisory::osv::Advisory;
use serde_json::{json, Value};

fn fixtures(db: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/advisories-native")
        .join(db)
}

fn shared_data() -> PathBuf {
    std::env::var_os("GATEHOUSE_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn record<'a>(t: &'a TreeConversion, id: &str) -> &'a Value {
    t.advisories
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no record {id}"))
}

/// The events of every range of the first affected entry, as `kind=version` strings.
fn events(rec: &Value) -> Vec<Vec<String>> {
    rec["affected"][0]["ranges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let (k, v) = e.as_object().unwrap().iter().next().unwrap();
                    format!("{k}={}", v.as_str().unwrap())
                })
                .collect()
        })
        .collect()
}

fn ev(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// What every converted record must satisfy: it reads as OSV, has the fields the schema
/// requires, and each range starts with `introduced` and does not mix `fixed` with
/// `last_affected`.
fn check_record(rec: &Value) {
    let text = rec.to_string();
    let adv = Advisory::from_json(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(rec["schema_version"], "1.6.0");
    assert!(!adv.id.is_empty());
    let ts = |s: &str| s.len() == 20 && s.ends_with('Z') && s.as_bytes()[10] == b'T';
    assert!(ts(&adv.modified), "{}: modified {}", adv.id, adv.modified);
    if let Some(p) = &adv.published {
        assert!(ts(p), "{}: published {p}", adv.id);
    }
    assert!(!adv.affected.is_empty(), "{}", adv.id);
    for a in &adv.affected {
        let p = a.package.as_ref().expect("package");
        assert!(!p.name.is_empty() && !p.ecosystem.is_empty());
        assert!(!a.ranges.is_empty(), "{}: no ranges", adv.id);
        for r in &a.ranges {
            let kinds: Vec<&str> = r.events.iter().map(|e| e.kind.as_str()).collect();
            assert_eq!(kinds.first(), Some(&"introduced"), "{}: {kinds:?}", adv.id);
            assert!(
                !(kinds.contains(&"fixed") && kinds.contains(&"last_affected")),
                "{}: {kinds:?}",
                adv.id
            );
        }
    }
    for r in &adv.references {
        assert!(r.url.starts_with("http"), "{}: {}", adv.id, r.url);
    }
    assert!(!adv.aliases.contains(&adv.id));
}

#[test]
fn ruby_advisory_db() {
    let t = convert_tree(&fixtures("rubysec"));
    for a in &t.advisories {
        check_record(a);
    }
    assert_eq!(t.files, 33);
    assert_eq!(t.converted[&NativeFormat::RubyAdvisoryDb], 26);
    assert_eq!(t.skipped[&SkipReason::RubyInterpreter], 2);
    // Three files share GHSA-333g-rpr4-7hxq and two OSVDB-62067: 26 files, 23 records.
    assert_eq!(t.advisories.len(), 23);

    let rack = record(&t, "GHSA-v6j3-7jrw-hq2p");
    assert_eq!(rack["aliases"], json!(["CVE-2011-5036", "OSVDB-78121"]));
    assert_eq!(rack["affected"][0]["package"]["ecosystem"], "RubyGems");
    assert_eq!(rack["affected"][0]["package"]["name"], "rack");
    assert_eq!(rack["affected"][0]["ranges"][0]["type"], "ECOSYSTEM");
    assert_eq!(
        events(rack),
        [ev(&[
            "introduced=0",
            "fixed=1.1.3",
            "introduced=1.2",
            "fixed=1.2.5",
            "introduced=1.3",
            "fixed=1.3.6"
        ])]
    );
    assert_eq!(rack["published"], "2011-12-28T00:00:00Z");
    assert_eq!(rack["database_specific"]["cvss_v2"], 5.0);
    assert_eq!(rack["database_specific"]["severity"], "MODERATE");

    // Unaffected below 2.1.0, patched in ~> 2.1.3 and >= 2.2.2.
    let csrf = record(&t, "GHSA-8fqx-7pv4-3jwm");
    assert_eq!(
        events(csrf),
        [ev(&[
            "introduced=2.1.0",
            "fixed=2.1.3",
            "introduced=2.2",
            "fixed=2.2.2"
        ])]
    );

    // `unaffected: > 3.0.4`-style bounds end in `last_affected`.
    let ar = record(&t, "GHSA-jmm9-2p29-vh2w");
    assert_eq!(ar["affected"][0]["package"]["name"], "activerecord");
    assert_eq!(
        events(ar),
        [ev(&["introduced=3.0.0", "last_affected=3.0.4"])]
    );
    // `unaffected: < 4.2.3` and `> 4.2.3`: exactly one version.
    let airbrake = t
        .advisories
        .iter()
        .find(|a| a["affected"][0]["package"]["name"] == "airbrake-ruby")
        .unwrap();
    assert_eq!(
        events(airbrake),
        [ev(&["introduced=4.2.3", "last_affected=4.2.3"])]
    );

    // One vulnerability, one file per gem: merged into one record.
    let backdoor = record(&t, "GHSA-333g-rpr4-7hxq");
    let names: BTreeSet<&str> = backdoor["affected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["package"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["awesome-bot", "capistrano-colors", "coin_base"])
    );
    assert_eq!(backdoor["aliases"], json!(["CVE-2019-15224"]));

    // No GHSA, no CVE: the OSVDB id; a JRuby-only advisory says so.
    let bcrypt = record(&t, "OSVDB-62067");
    assert_eq!(bcrypt["affected"].as_array().unwrap().len(), 2);
    assert_eq!(
        bcrypt["affected"][0]["ecosystem_specific"]["platform"],
        "jruby"
    );
    assert!(bcrypt.get("aliases").is_none());

    // Neither patched nor unaffected versions: every version.
    let prawn = t
        .advisories
        .iter()
        .find(|a| a["affected"][0]["package"]["name"] == "Arabic-Prawn")
        .unwrap();
    assert_eq!(events(prawn), [ev(&["introduced=0"])]);

    // A pre-release bound as written.
    let decidim = record(&t, "GHSA-w3q8-m492-4pwp");
    assert_eq!(
        events(decidim),
        [ev(&[
            "introduced=0.0.1.alpha3",
            "fixed=0.26.9",
            "introduced=0.27",
            "fixed=0.27.5"
        ])]
    );

    let mut failed: Vec<String> = t
        .errors
        .iter()
        .map(|e| {
            e.path
                .strip_prefix(fixtures("rubysec"))
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    failed.sort();
    assert_eq!(
        failed,
        [
            "gems/actionpack/CVE-2012-3424.yml",
            "gems/bundler/CVE-2020-36327.yml",
            "gems/nokogiri/CVE-2022-23476.yml",
            "gems/sinatra/CVE-2018-11627.yml",
        ]
    );
    let ap = t
        .errors
        .iter()
        .find(|e| e.path.ends_with("actionpack/CVE-2012-3424.yml"))
        .unwrap();
    assert_eq!(ap.line, Some(18));
    let msg = ap.to_string();
    assert!(msg.contains("CVE-2012-3424.yml:18:"), "{msg}");
    assert!(msg.contains(">= 2.3.5, <= 2.3.14"), "{msg}");
    assert!(msg.contains("just above 2.3.14"), "{msg}");
    // Patched and unaffected versions that cover every version: skipped, not an error.
    assert_eq!(
        t.skipped
            .get(&gatehouse_sca::advisory::convert::SkipReason::NothingAffected),
        Some(&1)
    );
}

#[test]
fn friendsofphp() {
    let t = convert_tree(&fixtures("friendsofphp"));
    for a in &t.advisories {
        check_record(a);
    }
    assert_eq!(t.files, 25);
    assert_eq!(t.converted[&NativeFormat::FriendsOfPhp], 21);
    assert_eq!(t.advisories.len(), 21);

    let webhook = record(&t, "FOP-symfony-webhook-CVE-2023-46735");
    assert_eq!(webhook["aliases"], json!(["CVE-2023-46735"]));
    assert_eq!(webhook["affected"][0]["package"]["ecosystem"], "Packagist");
    assert_eq!(webhook["affected"][0]["package"]["name"], "symfony/webhook");
    assert_eq!(
        webhook["affected"][0]["package"]["purl"],
        "pkg:composer/symfony/webhook"
    );
    assert_eq!(events(webhook), [ev(&["introduced=6.3.0", "fixed=6.3.8"])]);
    assert_eq!(webhook["modified"], "2023-11-10T08:00:00Z");
    assert_eq!(
        webhook["references"][0]["url"],
        "https://symfony.com/cve-2023-46735"
    );

    // Many branches, one range; the same CVE in two packages gets two ids.
    let twig = record(&t, "FOP-symfony-twig-bridge-CVE-2023-46734");
    let sym = record(&t, "FOP-symfony-symfony-CVE-2023-46734");
    assert_eq!(twig["aliases"], sym["aliases"]);
    assert_eq!(
        events(twig)[0].first().map(String::as_str),
        Some("introduced=2.0.0")
    );

    // Magento's patch releases.
    let magento = record(&t, "FOP-magento-product-community-edition-CVE-2019-8122");
    assert!(
        events(magento)[0].contains(&"fixed=2.3.2-p2".to_string()),
        "{:?}",
        events(magento)
    );

    // An inclusive bound: its own range with `last_affected`.
    let illuminate = record(&t, "FOP-illuminate-database-CVE-2020-24940");
    assert!(events(illuminate)
        .iter()
        .any(|r| r.iter().any(|e| e.starts_with("last_affected="))));

    // A time with an offset, converted to UTC; no CVE, no alias.
    let ss = record(&t, "FOP-silverstripe-framework-SS-2015-013-1");
    assert_eq!(ss["modified"], "2015-05-29T00:53:14Z");
    assert!(ss.get("aliases").is_none());
    let cart = record(&t, "FOP-cart2quote-module-quotation-2017-02-01");
    assert_eq!(cart["database_specific"]["composer_repository"], false);
    assert_eq!(
        events(cart),
        [ev(&[
            "introduced=4.1.6",
            "fixed=4.4.6",
            "introduced=5.0.0",
            "fixed=5.4.4"
        ])]
    );

    let mut failed: Vec<String> = t
        .errors
        .iter()
        .map(|e| {
            assert!(e.message.contains("just above"), "{e}");
            e.path
                .strip_prefix(fixtures("friendsofphp"))
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    failed.sort();
    assert_eq!(
        failed,
        [
            "amphp/artax/CVE-2016-5385.yaml",
            "drupal/core/CVE-2019-6342.yaml",
            "drupal/drupal/CVE-2019-6342.yaml",
            "livewire/livewire/2020-09-22-1.yaml",
        ]
    );
    let artax = &t
        .errors
        .iter()
        .find(|e| e.path.ends_with("CVE-2016-5385.yaml"))
        .unwrap();
    assert!(artax.message.contains("\">0.7.1\""), "{artax}");
    assert!(artax.line.is_some());
}

#[test]
fn nodejs_security_wg() {
    let t = convert_tree(&fixtures("nodejs-security-wg"));
    for a in &t.advisories {
        check_record(a);
    }
    assert!(t.errors.is_empty(), "{:?}", t.errors);
    assert_eq!(t.converted[&NativeFormat::NodeSecurityWg], 25);
    assert_eq!(t.skipped[&SkipReason::NodeCore], 2);
    assert_eq!(t.skipped[&SkipReason::NodeDependency], 1);

    let bassmaster = record(&t, "NSWG-ECO-1");
    assert_eq!(bassmaster["aliases"], json!(["CVE-2014-7205"]));
    assert_eq!(bassmaster["affected"][0]["package"]["ecosystem"], "npm");
    assert_eq!(bassmaster["affected"][0]["ranges"][0]["type"], "SEMVER");
    assert_eq!(
        events(bassmaster),
        [ev(&["introduced=0", "last_affected=1.5.1"])]
    );
    assert_eq!(
        bassmaster["severity"],
        json!([{"type": "CVSS_V3", "score": "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N"}])
    );
    assert_eq!(bassmaster["modified"], "2016-04-28T00:00:00Z");
    assert_eq!(bassmaster["published"], "2014-09-27T00:00:00Z");

    let cases: [(&str, &[&[&str]]); 12] = [
        // `<3.11 || >= 4 <4.5`: partial versions.
        (
            "NSWG-ECO-8",
            &[&[
                "introduced=0",
                "fixed=3.11.0",
                "introduced=4.0.0",
                "fixed=4.5.0",
            ]],
        ),
        // `2.0.x || 2.1.x`
        ("NSWG-ECO-11", &[&["introduced=2.0.0", "fixed=2.2.0"]]),
        // `<=v2.0.0-alpha7`
        (
            "NSWG-ECO-66",
            &[&["introduced=0", "last_affected=2.0.0-alpha7"]],
        ),
        // `<3.4.6 || > 4.0.0 <4.0.5`: the least version above 4.0.0 is 4.0.1-0.
        (
            "NSWG-ECO-75",
            &[&[
                "introduced=0",
                "fixed=3.4.6",
                "introduced=4.0.1-0",
                "fixed=4.0.5",
            ]],
        ),
        // `<= 2.4.2 || >= 3.0.0 <=3.0.1`
        (
            "NSWG-ECO-92",
            &[&[
                "introduced=0",
                "last_affected=2.4.2",
                "introduced=3.0.0",
                "last_affected=3.0.1",
            ]],
        ),
        // `<= 1.0`
        ("NSWG-ECO-107", &[&["introduced=0", "fixed=1.1.0"]]),
        (
            "NSWG-ECO-123",
            &[&["introduced=2.1.4", "last_affected=2.1.4"]],
        ),
        // `<=99.999.99999`
        (
            "NSWG-ECO-125",
            &[&["introduced=0", "last_affected=99.999.99999"]],
        ),
        // `>= 0.2.0 <= 0.9.6 || ~0.8.0-pre`
        (
            "NSWG-ECO-305",
            &[&["introduced=0.2.0", "last_affected=0.9.6"]],
        ),
        // `*`
        ("NSWG-ECO-477", &[&["introduced=0"]]),
        // `<2.0.18 || <3.0.16 || <3.1.6 || <4.0.8 || <5.0.0-beta.5` is one interval.
        ("NSWG-ECO-495", &[&["introduced=0", "fixed=5.0.0-beta.5"]]),
        (
            "NSWG-ECO-500",
            &[&[
                "introduced=0",
                "fixed=3.5.1",
                "introduced=4.0.0",
                "fixed=4.1.3",
                "introduced=5.0.0",
                "fixed=5.6.1",
                "introduced=6.0.0",
                "fixed=6.1.2",
            ]],
        ),
    ];
    for (id, want) in cases {
        let want: Vec<Vec<String>> = want.iter().map(|r| ev(r)).collect();
        assert_eq!(events(record(&t, id)), want, "{id}");
    }
    // `2.1.0-M1 || 2.1.0-M2`: two single versions in one range.
    assert_eq!(
        events(record(&t, "NSWG-ECO-137")),
        [ev(&[
            "introduced=2.1.0-M1",
            "last_affected=2.1.0-M1",
            "introduced=2.1.0-M2",
            "last_affected=2.1.0-M2"
        ])]
    );
    // `>=2.2.6 <2.47.0 || >2.51.0 <=2.67.0`: one range per kind of end.
    assert_eq!(
        events(record(&t, "NSWG-ECO-309")),
        [
            ev(&["introduced=2.2.6", "fixed=2.47.0"]),
            ev(&["introduced=2.51.1-0", "last_affected=2.67.0"])
        ]
    );

    // `CVE-2014-4671A` is not a CVE id: kept aside, not an alias.
    let hapi = record(&t, "NSWG-ECO-12");
    assert!(hapi.get("aliases").is_none());
    assert_eq!(
        hapi["database_specific"]["unrecognized_cves"],
        json!(["CVE-2014-4671A"])
    );
    // An invalid vector (`I:U`) is kept aside, not a severity.
    let statics = record(&t, "NSWG-ECO-504");
    assert!(statics.get("severity").is_none());
    assert!(statics["database_specific"]["cvss_vector"]
        .as_str()
        .unwrap()
        .contains("I:U"));
    assert_eq!(
        record(&t, "NSWG-ECO-3")["references"][0]["url"],
        "https://github.com/nodejs/security-wg/blob/main/vuln/npm/3.json"
    );
}

#[test]
fn detection() {
    let p = Path::new;
    for (db, format) in [
        ("rubysec", NativeFormat::RubyAdvisoryDb),
        ("friendsofphp", NativeFormat::FriendsOfPhp),
        ("nodejs-security-wg", NativeFormat::NodeSecurityWg),
    ] {
        let mut n = 0;
        for path in walk(&fixtures(db)) {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy();
            let want =
                (name.ends_with(".yml") || name.ends_with(".yaml") || name.ends_with(".json"))
                    .then_some(format);
            assert_eq!(detect(&path, &text), want, "{}", path.display());
            n += usize::from(want.is_some());
        }
        assert!(n >= 25, "{db}: {n}");
    }
    let osv = r#"{"id": "GHSA-x", "modified": "2024-01-01T00:00:00Z"}"#;
    assert_eq!(detect(p("GHSA-x.json"), osv), None);
    let index = r#"{"1": {"module_name": "x", "vulnerable_versions": "*"}}"#;
    // The security WG's per-directory lists are recognised so that they are skipped.
    assert_eq!(
        detect(p("vuln/npm/index.json"), index),
        Some(NativeFormat::NodeSecurityWg)
    );
    assert_eq!(detect(p("elsewhere/index.json"), index), None);
    assert_eq!(
        detect(p("PYSEC-1.yaml"), "id: PYSEC-1\nmodified: x\n"),
        None
    );
}

#[test]
fn single_files_and_skips() {
    let dir = fixtures("nodejs-security-wg");
    let core = dir.join("vuln/core/1.json");
    let text = std::fs::read_to_string(&core).unwrap();
    let format = detect(&core, &text).unwrap();
    assert_eq!(
        convert::convert(format, &core, &text).unwrap(),
        Converted::Skipped(SkipReason::NodeCore)
    );
    assert!(to_osv(format, &core, &text).unwrap().is_empty());

    let rack = fixtures("rubysec").join("gems/rack/CVE-2011-5036.yml");
    let text = std::fs::read_to_string(&rack).unwrap();
    let v = to_osv(NativeFormat::RubyAdvisoryDb, &rack, &text).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["id"], "GHSA-v6j3-7jrw-hq2p");
    // Conversion is deterministic.
    assert_eq!(
        v,
        to_osv(NativeFormat::RubyAdvisoryDb, &rack, &text).unwrap()
    );

    // Merging keeps every package, the latest `modified` and the earliest `published`.
    let mut a = v[0].clone();
    let mut b = v[0].clone();
    a["modified"] = json!("2020-01-01T00:00:00Z");
    b["modified"] = json!("2021-01-01T00:00:00Z");
    b["published"] = json!("2001-01-01T00:00:00Z");
    b["affected"][0]["package"]["name"] = json!("rack-next");
    b["aliases"] = json!(["CVE-2011-5036", "CVE-2099-1", "GHSA-v6j3-7jrw-hq2p"]);
    let m = merge_records(vec![a, b]);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0]["modified"], "2021-01-01T00:00:00Z");
    assert_eq!(m[0]["published"], "2001-01-01T00:00:00Z");
    assert_eq!(m[0]["affected"].as_array().unwrap().len(), 2);
    assert_eq!(
        m[0]["aliases"],
        json!(["CVE-2011-5036", "OSVDB-78121", "CVE-2099-1"])
    );
}

/// Broken input is an error naming the file (and line where it can), never a panic.
#[test]
fn broken_input_is_an_error() {
    let p = Path::new("gems/x/CVE-1.yml");
    let cases: [(NativeFormat, &str, &str); 12] = [
        (
            NativeFormat::RubyAdvisoryDb,
            "gem: x\npatched_versions: [\"~> \"]\n",
            "~> ",
        ),
        (
            NativeFormat::RubyAdvisoryDb,
            "gem: x\npatched_versions: [\">= 1..2\"]\n",
            "1..2",
        ),
        (
            NativeFormat::RubyAdvisoryDb,
            "gem: x\npatched_versions: \">= 1\"\n",
            "invalid YAML",
        ),
        (NativeFormat::RubyAdvisoryDb, "gem: [x\n", "invalid YAML"),
        (NativeFormat::RubyAdvisoryDb, "title: no gem\n", "no `gem`"),
        (
            NativeFormat::FriendsOfPhp,
            "reference: composer://a/b\nbranches:\n  1.x:\n    versions: ['^1.0']\n",
            "single comparison",
        ),
        (
            NativeFormat::FriendsOfPhp,
            "reference: composer://a/b\nbranches:\n  1.x:\n    versions: []\n",
            "no `versions`",
        ),
        (
            NativeFormat::FriendsOfPhp,
            "reference: https://a/b\nbranches: {}\n",
            "composer://",
        ),
        (
            NativeFormat::NodeSecurityWg,
            r#"{"id": 1, "module_name": "x", "vulnerable_versions": ">=1.0.0 <"}"#,
            "without a version",
        ),
        (
            NativeFormat::NodeSecurityWg,
            r#"{"id": 1, "module_name": "x", "vulnerable_versions": "latest"}"#,
            "invalid version",
        ),
        (
            NativeFormat::NodeSecurityWg,
            r#"{"id": 1, "module_name": "x"}"#,
            "neither",
        ),
        (NativeFormat::NodeSecurityWg, "[1, 2", "invalid JSON"),
    ];
    for (format, text, want) in cases {
        let err = to_osv(format, p, text).unwrap_err();
        assert_eq!(err.path, p);
        assert!(err.to_string().contains(want), "{format}: {err}");
    }
    let err = to_osv(
        NativeFormat::RubyAdvisoryDb,
        p,
        "gem: x\npatched_versions:\n  - \"~> \"\n",
    )
    .unwrap_err();
    assert_eq!(err.line, Some(3), "{err}");

    // Every prefix of every fixture converts or fails, without panicking.
    for db in ["rubysec", "friendsofphp", "nodejs-security-wg"] {
        for path in walk(&fixtures(db)) {
            let text = std::fs::read_to_string(&path).unwrap();
            let Some(format) = detect(&path, &text) else {
                continue;
            };
            for cut in (0..text.len())
                .step_by(37)
                .filter(|&i| text.is_char_boundary(i))
            {
                let _ = to_osv(format, &path, &text[..cut]);
            }
        }
    }
}

/// Every file of the three full databases, when the shared data is there: prints a summary
/// and every failure with its file; only advisories that OSV events cannot express exactly
/// (or that affect nothing) may fail.
#[test]
fn full_databases() {
    let root = shared_data().join("advisories");
    let dbs = [
        ("rubysec", NativeFormat::RubyAdvisoryDb, 1000),
        ("friendsofphp", NativeFormat::FriendsOfPhp, 1400),
        ("nodejs-security-wg", NativeFormat::NodeSecurityWg, 400),
    ];
    let mut unexpected = Vec::new();
    for (db, format, at_least) in dbs {
        let dir = root.join(db);
        if !dir.is_dir() {
            println!(
                "note: {} is not there; skipping the full {db} conversion",
                dir.display()
            );
            continue;
        }
        let t = convert_tree(&dir);
        println!(
            "{db}: {} files, {} converted, {} records, skipped {:?}, {} failed",
            t.files,
            t.converted.get(&format).copied().unwrap_or(0),
            t.advisories.len(),
            t.skipped,
            t.errors.len()
        );
        for e in &t.errors {
            println!("  {e}");
            let known =
                e.message.contains("just above") || e.message.contains("nothing is affected");
            if !known {
                unexpected.push(e.to_string());
            }
        }
        assert!(
            t.converted.get(&format).copied().unwrap_or(0) >= at_least,
            "{db}: too few converted"
        );
        assert_eq!(
            t.files,
            t.converted.values().sum::<usize>()
                + t.skipped.values().sum::<usize>()
                + t.errors.len()
        );
        let mut ids = BTreeSet::new();
        for a in &t.advisories {
            check_record(a);
            assert!(
                ids.insert(a["id"].as_str().unwrap().to_string()),
                "{db}: duplicate id {}",
                a["id"]
            );
        }
    }
    assert!(
        unexpected.is_empty(),
        "unexpected failures:\n{}",
        unexpected.join("\n")
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

//! SBOMs in and out, and VEX in: fixtures in `tests/data/sbom/`, generated documents validated
//! against the official schemas in `tests/schemas/` (offline).

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gatehouse_core::Severity;
use gatehouse_sca::lockfile::{self, Format};
use gatehouse_sca::sbom::{
    cyclonedx, spdx, vex, SbomCvss, SbomInput, SbomVulnerability, VexAnalysis, VexResponse,
    VexStatement, VexStatus,
};
use gatehouse_sca::{Ecosystem, Manifest, Package};
use serde_json::{json, Value};

const FIXTURES: [&str; 5] = [
    "npm-app-1.4.cdx.json",
    "java-service-1.6.cdx.json",
    "maven-1.4.cdx.xml",
    "polyglot-1.6.cdx.xml",
    "worker.spdx.json",
];

const VEX_FIXTURES: [&str; 3] = ["openvex.json", "openvex-v0.0.1.json", "cyclonedx.vex.json"];

/// 2024-01-01T00:00:00Z
const CREATED: i64 = 1_704_067_200;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/sbom")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(data(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn manifest(name: &str) -> Manifest {
    let path = data(name);
    let text = read(name);
    let format = lockfile::detect(&path).unwrap_or_else(|| panic!("{name}: format not detected"));
    assert_eq!(lockfile::sniff(&text), Some(format), "{name}");
    let mut m = format
        .parse(&path, &text)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    m.path = format!("sbom/{name}");
    m
}

/// (ecosystem, name, version, direct, dev) of every package.
type Row = (Ecosystem, String, String, Option<bool>, Option<bool>);

fn rows(m: &Manifest) -> Vec<Row> {
    m.packages
        .iter()
        .map(|p| {
            (
                p.ecosystem,
                p.name.clone(),
                p.version.clone(),
                p.direct,
                p.dev,
            )
        })
        .collect()
}

fn row(e: Ecosystem, name: &str, version: &str, direct: Option<bool>, dev: Option<bool>) -> Row {
    (e, name.to_string(), version.to_string(), direct, dev)
}

fn warnings(m: &Manifest) -> Vec<&str> {
    m.warnings.iter().map(|w| w.message.as_str()).collect()
}

/// Every package's line holds its purl (as JSON writes it, or as XML text).
fn assert_lines_point_at_purls(name: &str, m: &Manifest) {
    let text = read(name);
    let lines: Vec<&str> = text.lines().collect();
    for p in &m.packages {
        let line = p
            .line
            .unwrap_or_else(|| panic!("{name}: {} has no line", p.name));
        let purl = p.purl.as_deref().unwrap();
        let at = lines[line as usize - 1];
        assert!(
            at.contains(purl)
                && (at.contains("\"purl\"")
                    || at.contains("<purl>")
                    || at.contains("referenceLocator")),
            "{name}: line {line} of {} is `{at}`",
            p.name
        );
    }
}

// ---------------------------------------------------------------------------------------------
// SBOMs as input

#[test]
fn cyclonedx_1_4_json_npm() {
    let m = manifest("npm-app-1.4.cdx.json");
    assert_eq!(m.format, Format::CycloneDxJson);
    use Ecosystem::Npm;
    assert_eq!(
        rows(&m),
        [
            row(Npm, "express", "4.17.1", Some(true), None),
            row(Npm, "@babel/traverse", "7.22.5", Some(true), Some(true)),
            row(Npm, "qs", "6.7.0", Some(false), None),
            row(Npm, "npm-bundled", "6.0.0", Some(true), None),
            row(Npm, "npm-normalize-package-bin", "1.0.1", Some(false), None),
        ]
    );
    assert_eq!(
        m.packages[1].purl.as_deref(),
        Some("pkg:npm/%40babel/traverse@7.22.5")
    );
    assert_lines_point_at_purls("npm-app-1.4.cdx.json", &m);
    let w = warnings(&m);
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w[0].contains("`left-pad@1.3.0-local` (bom-ref `left-pad-local`) has no purl"),
        "{}",
        w[0]
    );
    assert!(
        w[1].contains("`actions/checkout@v4`")
            && w[1].contains("purl type `github` is not supported"),
        "{}",
        w[1]
    );
    // Warnings point at the component's purl, or at its bom-ref when it has no purl.
    let text = read("npm-app-1.4.cdx.json");
    let line = |l: Option<u32>| text.lines().nth(l.unwrap() as usize - 1).unwrap();
    assert!(line(m.warnings[0].line).contains("\"bom-ref\": \"left-pad-local\""));
    assert!(line(m.warnings[1].line).contains("\"purl\": \"pkg:github/actions/checkout@v4\""));
}

#[test]
fn cyclonedx_1_6_json_maven_go_debian() {
    let m = manifest("java-service-1.6.cdx.json");
    use Ecosystem::*;
    let (t, f) = (Some(true), Some(false));
    assert_eq!(
        rows(&m),
        [
            row(Maven, "org.apache.logging.log4j:log4j-core", "2.14.1", t, f),
            row(
                Maven,
                "com.fasterxml.jackson.core:jackson-databind",
                "2.13.2",
                t,
                f
            ),
            row(Maven, "com.example:payments-shaded", "1.8.2", t, f),
            row(Maven, "com.google.guava:guava", "31.0-jre", f, None),
            row(Maven, "org.yaml:snakeyaml", "1.30", f, None),
            row(Maven, "junit:junit", "4.13.1", t, t),
            row(Go, "golang.org/x/net", "v0.17.0", f, None),
            row(Debian, "openssl", "3.0.11-1~deb12u2", f, None),
        ]
    );
    assert_lines_point_at_purls("java-service-1.6.cdx.json", &m);
    let w = warnings(&m);
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].contains("`debian@12.5` (bom-ref `os-debian`) has no purl"));
    assert!(w[1].contains("`com.example/internal-bom`") && w[1].contains("no version"));
}

#[test]
fn cyclonedx_1_4_xml_maven_nested_and_pedigree() {
    let m = manifest("maven-1.4.cdx.xml");
    assert_eq!(m.format, Format::CycloneDxXml);
    use Ecosystem::Maven;
    let (t, f) = (Some(true), Some(false));
    // The pedigree ancestor (commons-text) is history, not a part of the product.
    assert_eq!(
        rows(&m),
        [
            row(Maven, "org.springframework:spring-webmvc", "5.3.17", t, f),
            row(Maven, "org.springframework:spring-beans", "5.3.17", f, f),
            row(Maven, "org.acme:acme-commons", "2.1.0", t, f),
            row(
                Maven,
                "commons-collections:commons-collections",
                "3.2.1",
                f,
                None
            ),
            row(Maven, "org.mockito:mockito-core", "4.5.1", t, t),
        ]
    );
    assert_lines_point_at_purls("maven-1.4.cdx.xml", &m);
    assert_eq!(m.warnings.len(), 1);
    assert!(m.warnings[0]
        .message
        .contains("`native-helper.so` (bom-ref `lib/native-helper.so`)"));
    // The line of the component without purl is its start tag's.
    let line = m.warnings[0].line.unwrap() as usize;
    assert!(read("maven-1.4.cdx.xml")
        .lines()
        .nth(line - 1)
        .unwrap()
        .contains("<component type=\"file\""));
}

#[test]
fn cyclonedx_1_6_xml_polyglot() {
    let m = manifest("polyglot-1.6.cdx.xml");
    use Ecosystem::*;
    let (t, f) = (Some(true), Some(false));
    assert_eq!(
        rows(&m),
        [
            row(Npm, "react", "18.2.0", t, None),
            row(Npm, "@types/node", "20.11.5", t, t),
            row(PyPI, "PyYAML", "5.3.1", t, None),
            row(Packagist, "guzzlehttp/guzzle", "7.4.4", t, None),
            row(Go, "git.example.com/harbor/sidecar", "v0.4.0", t, None),
            row(Go, "github.com/golang-jwt/jwt/v4", "v4.4.1", f, None),
            row(Go, "stdlib", "1.21.4", f, None),
            row(CratesIo, "image", "0.24.7", f, None),
            row(NuGet, "Newtonsoft.Json", "12.0.3", f, None),
            row(RubyGems, "rack", "2.2.3", f, None),
        ]
    );
    assert_lines_point_at_purls("polyglot-1.6.cdx.xml", &m);
    assert_eq!(warnings(&m).len(), 1);
    assert!(warnings(&m)[0].contains("`zlib@1.2.13`") && warnings(&m)[0].contains("`conan`"));
}

#[test]
fn spdx_2_3_json() {
    let m = manifest("worker.spdx.json");
    assert_eq!(m.format, Format::SpdxJson);
    use Ecosystem::PyPI;
    assert_eq!(
        rows(&m),
        [
            row(PyPI, "django", "3.2.12", Some(true), None),
            row(PyPI, "sqlparse", "0.4.1", Some(false), None),
            row(PyPI, "pytest", "7.1.0", Some(true), Some(true)),
        ]
    );
    assert_lines_point_at_purls("worker.spdx.json", &m);
    let w = warnings(&m);
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].contains("`githubactions` is not supported"));
    assert!(w[1].contains("`libyaml@0.2.5` (SPDXRef-libyaml-0.2.5) has no purl"));
}

/// Truncated and corrupted fixtures are errors or partial results, never panics.
#[test]
fn damaged_inputs_never_panic() {
    for name in FIXTURES.iter().chain(VEX_FIXTURES.iter()) {
        let text = read(name);
        let path = data(name);
        let format = lockfile::detect(&path);
        let step = (text.len() / 400).max(1);
        let mut cut = 0;
        while cut <= text.len() {
            if text.is_char_boundary(cut) {
                let part = &text[..cut];
                if let Some(f) = format {
                    let _ = f.parse(&path, part);
                }
                let _ = vex::parse(&path, part);
                // A corrupted byte in the middle instead of a cut.
                let mut broken = text.clone().into_bytes();
                if cut < broken.len() {
                    broken[cut] = b'"';
                    if let Ok(b) = String::from_utf8(broken) {
                        if let Some(f) = format {
                            let _ = f.parse(&path, &b);
                        }
                        let _ = vex::parse(&path, &b);
                    }
                }
            }
            cut += step;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SBOMs as output

fn all_manifests() -> Vec<Manifest> {
    FIXTURES.iter().map(|n| manifest(n)).collect()
}

fn vulnerabilities() -> Vec<SbomVulnerability> {
    vec![
        SbomVulnerability {
            id: "GHSA-jfh8-c2jp-5v3q".into(),
            aliases: vec!["CVE-2021-44228".into()],
            summary: Some("Remote code injection in Log4j".into()),
            details: Some("Apache Log4j2 JNDI features do not protect against attacker controlled LDAP endpoints.".into()),
            cvss: vec![SbomCvss {
                vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H".into(),
                score: Some(10.0),
            }],
            severity: Some(Severity::Critical),
            cwes: vec!["CWE-502".into(), "CWE-400".into(), "20".into()],
            affects: vec!["pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar".into()],
            fixed_version: Some("2.15.0".into()),
            references: vec![
                "https://logging.apache.org/log4j/2.x/security.html".into(),
                "https://nvd.nist.gov/vuln/detail/CVE-2021-44228".into(),
            ],
            ..Default::default()
        },
        SbomVulnerability {
            id: "CVE-2022-24999".into(),
            aliases: vec!["GHSA-hrpp-h998-j3pp".into()],
            source_name: Some("NVD".into()),
            source_url: Some("https://nvd.nist.gov/vuln/detail/CVE-2022-24999".into()),
            summary: Some("qs prototype pollution".into()),
            cvss: vec![
                SbomCvss { vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H".into(), score: Some(7.5) },
                SbomCvss { vector: "AV:N/AC:L/Au:N/C:N/I:N/A:P".into(), score: Some(5.0) },
                SbomCvss { vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N".into(), score: None },
            ],
            severity: Some(Severity::High),
            cwes: vec!["CWE-1321".into()],
            affects: vec!["pkg:npm/qs@6.7.0".into()],
            fixed_version: Some("6.7.3".into()),
            analysis: Some(VexAnalysis {
                state: VexStatus::NotAffected,
                justification: Some("vulnerable_code_not_in_execute_path".into()),
                response: vec![VexResponse::WillNotFix],
                detail: Some("depth is limited to 1".into()),
            }),
            ..Default::default()
        },
        SbomVulnerability {
            id: "PYSEC-2022-19".into(),
            severity: Some(Severity::Medium),
            affects: vec!["pkg:pypi/django@3.2.12".into()],
            analysis: Some(VexAnalysis {
                state: VexStatus::UnderInvestigation,
                justification: Some("we think it is fine".into()),
                response: vec![],
                detail: None,
            }),
            ..Default::default()
        },
        // The same advisory found through a second manifest: merged with the first.
        SbomVulnerability {
            id: "GHSA-jfh8-c2jp-5v3q".into(),
            aliases: vec!["CVE-2021-44228".into()],
            summary: Some("Remote code injection in Log4j".into()),
            details: Some("Apache Log4j2 JNDI features do not protect against attacker controlled LDAP endpoints.".into()),
            cvss: vec![SbomCvss {
                vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H".into(),
                score: Some(10.0),
            }],
            severity: Some(Severity::Critical),
            cwes: vec!["CWE-502".into(), "CWE-400".into(), "20".into()],
            affects: vec!["pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar".into()],
            fixed_version: Some("2.15.0".into()),
            references: vec![
                "https://logging.apache.org/log4j/2.x/security.html".into(),
                "https://nvd.nist.gov/vuln/detail/CVE-2021-44228".into(),
            ],
            ..Default::default()
        },
    ]
}

fn input<'a>(manifests: &'a [Manifest], vulns: &'a [SbomVulnerability]) -> SbomInput<'a> {
    SbomInput {
        project_name: "harbor",
        project_version: Some("1.4.0"),
        manifests,
        vulnerabilities: vulns,
        created: Some(CREATED),
    }
}

fn schema(file: &str) -> Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/schemas")
            .join(file),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn cyclonedx_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        // The BOM schema refers to its neighbours relative to its `$id`; they are served from
        // the local copies.
        let resource = |f| jsonschema::Resource::from_contents(schema(f)).unwrap();
        jsonschema::options()
            .should_validate_formats(true)
            .with_resource(
                "http://cyclonedx.org/schema/spdx.schema.json",
                resource("cyclonedx-spdx.schema.json"),
            )
            .with_resource(
                "http://cyclonedx.org/schema/jsf-0.82.schema.json",
                resource("cyclonedx-jsf-0.82.schema.json"),
            )
            .build(&schema("cyclonedx-bom-1.6.schema.json"))
            .unwrap_or_else(|e| panic!("CycloneDX schema: {e}"))
    })
}

fn spdx_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema("spdx-2.3-schema.json"))
            .unwrap_or_else(|e| panic!("SPDX schema: {e}"))
    })
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{e} (at {})", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not valid:\n{}",
        errors.join("\n")
    );
}

/// What the SPDX schema does not check but the specification requires.
fn check_spdx(doc: &Value, what: &str) {
    assert_valid(spdx_validator(), doc, what);
    let id_re = regex::Regex::new(r"^SPDXRef-[A-Za-z0-9.\-]+$").unwrap();
    let mut ids = HashSet::from(["SPDXRef-DOCUMENT".to_string()]);
    for p in doc["packages"].as_array().unwrap() {
        let id = p["SPDXID"].as_str().unwrap();
        assert!(id_re.is_match(id), "{what}: bad SPDXID {id}");
        assert!(ids.insert(id.to_string()), "{what}: duplicate SPDXID {id}");
    }
    for r in doc["relationships"].as_array().unwrap() {
        for k in ["spdxElementId", "relatedSpdxElement"] {
            let id = r[k].as_str().unwrap();
            assert!(ids.contains(id), "{what}: relationship to unknown {id}");
        }
    }
    // Every package is related to something.
    let related: HashSet<&str> = doc["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            [
                r["spdxElementId"].as_str().unwrap(),
                r["relatedSpdxElement"].as_str().unwrap(),
            ]
        })
        .collect();
    assert!(
        ids.iter().all(|i| related.contains(i.as_str())),
        "{what}: orphan package"
    );
    let ns = doc["documentNamespace"].as_str().unwrap();
    assert!(
        ns.starts_with("https://") && !ns.contains('#') && !ns.contains(' '),
        "{what}: {ns}"
    );
    let created = doc["creationInfo"]["created"].as_str().unwrap();
    assert!(
        regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            .unwrap()
            .is_match(created),
        "{what}: {created}"
    );
}

#[test]
fn cyclonedx_output_is_valid_and_complete() {
    let manifests = all_manifests();
    let vulns = vulnerabilities();
    let text = cyclonedx::to_string(&input(&manifests, &vulns));
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_valid(cyclonedx_validator(), &doc, "CycloneDX");
    assert!(text.ends_with("}\n"));
    assert_eq!(lockfile::sniff(&text), Some(Format::CycloneDxJson));

    assert_eq!(doc["specVersion"], "1.6");
    assert_eq!(doc["metadata"]["timestamp"], "2024-01-01T00:00:00Z");
    assert_eq!(
        doc["metadata"]["tools"]["components"][0]["name"],
        "gatehouse"
    );
    assert_eq!(
        doc["metadata"]["tools"]["components"][0]["version"],
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(doc["metadata"]["component"]["name"], "harbor");
    assert_eq!(doc["metadata"]["component"]["version"], "1.4.0");

    let total: usize = manifests.iter().map(|m| m.packages.len()).sum();
    let components = doc["components"].as_array().unwrap();
    assert_eq!(components.len(), total);
    let purls: Vec<&str> = components
        .iter()
        .map(|c| c["purl"].as_str().unwrap())
        .collect();
    let mut sorted = purls.clone();
    sorted.sort();
    assert_eq!(purls, sorted, "components are sorted by purl");
    let find = |purl: &str| {
        components
            .iter()
            .find(|c| c["purl"] == purl)
            .unwrap_or_else(|| panic!("{purl}"))
    };

    let babel = find("pkg:npm/%40babel/traverse@7.22.5");
    assert_eq!(babel["group"], "@babel");
    assert_eq!(babel["name"], "traverse");
    assert_eq!(babel["scope"], "optional");
    assert_eq!(babel["bom-ref"], "pkg:npm/%40babel/traverse@7.22.5");
    assert_eq!(
        babel["properties"],
        json!([{"name": "gatehouse:manifest", "value": "sbom/npm-app-1.4.cdx.json"}])
    );
    let log4j = find("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar");
    assert_eq!(
        (&log4j["group"], &log4j["name"], &log4j["scope"]),
        (
            &json!("org.apache.logging.log4j"),
            &json!("log4j-core"),
            &json!("required")
        )
    );
    let jwt = find("pkg:golang/github.com/golang-jwt/jwt/v4@v4.4.1");
    assert_eq!(
        (&jwt["group"], &jwt["name"]),
        (&json!("github.com/golang-jwt/jwt"), &json!("v4"))
    );
    let yaml = find("pkg:pypi/pyyaml@5.3.1");
    assert_eq!(yaml["name"], "PyYAML");
    assert!(yaml.get("group").is_none() && yaml.get("scope").is_none());

    let deps = doc["dependencies"].as_array().unwrap();
    assert_eq!(deps.len(), 1);
    assert_eq!(deps[0]["ref"], doc["metadata"]["component"]["bom-ref"]);
    let direct: usize = manifests
        .iter()
        .flat_map(|m| &m.packages)
        .filter(|p| p.direct == Some(true))
        .count();
    assert_eq!(deps[0]["dependsOn"].as_array().unwrap().len(), direct);

    let v = doc["vulnerabilities"].as_array().unwrap();
    let ids: Vec<&str> = v.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["CVE-2022-24999", "GHSA-jfh8-c2jp-5v3q", "PYSEC-2022-19"],
        "sorted, duplicates merged"
    );
    let log4shell = &v[1];
    assert_eq!(
        log4shell["source"],
        json!({"name": "GitHub", "url": "https://github.com/advisories/GHSA-jfh8-c2jp-5v3q"})
    );
    assert_eq!(
        log4shell["references"],
        json!([{"id": "CVE-2021-44228", "source": {"name": "NVD", "url": "https://nvd.nist.gov/vuln/detail/CVE-2021-44228"}}])
    );
    assert_eq!(
        log4shell["ratings"],
        json!([{"score": 10.0, "severity": "critical", "method": "CVSSv31", "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}])
    );
    assert_eq!(log4shell["cwes"], json!([20, 400, 502]));
    assert_eq!(log4shell["description"], "Remote code injection in Log4j");
    assert_eq!(
        log4shell["recommendation"],
        "Upgrade to version 2.15.0 or later."
    );
    assert_eq!(log4shell["advisories"].as_array().unwrap().len(), 2);
    assert_eq!(
        log4shell["affects"],
        json!([{"ref": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar", "versions": [{"version": "2.14.1", "status": "affected"}]}])
    );
    assert!(log4shell.get("analysis").is_none());

    let qs = &v[0];
    let methods: Vec<&str> = qs["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["CVSSv31", "CVSSv2", "CVSSv4"]);
    assert_eq!(qs["ratings"][1]["severity"], "medium");
    assert_eq!(
        qs["ratings"][2]["severity"], "high",
        "label when there is no score"
    );
    assert_eq!(qs["source"]["name"], "NVD");
    assert_eq!(
        qs["analysis"],
        json!({"state": "not_affected", "justification": "code_not_reachable", "response": ["will_not_fix"], "detail": "depth is limited to 1"})
    );
    assert_eq!(qs["affects"][0]["versions"][0]["status"], "unaffected");

    let pysec = &v[2];
    assert_eq!(
        pysec["source"]["url"],
        "https://osv.dev/vulnerability/PYSEC-2022-19"
    );
    assert_eq!(
        pysec["ratings"],
        json!([{"severity": "medium", "method": "other"}])
    );
    assert_eq!(
        pysec["analysis"],
        json!({"state": "in_triage", "detail": "Justification: we think it is fine"})
    );
    assert_eq!(pysec["affects"][0]["versions"][0]["status"], "unknown");
}

#[test]
fn the_schema_checks_are_strict() {
    let manifests = all_manifests();
    let vulns = vulnerabilities();
    let doc: Value =
        serde_json::from_str(&cyclonedx::to_string(&input(&manifests, &vulns))).unwrap();
    let v = cyclonedx_validator();
    assert!(v.is_valid(&doc));
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut d = doc.clone();
        edit(&mut d);
        d
    };
    assert!(!v.is_valid(&broken(
        &|d| d["components"][0]["scope"] = json!("sometimes")
    )));
    assert!(!v.is_valid(&broken(
        &|d| d["serialNumber"] = json!("urn:uuid:not-a-uuid")
    )));
    assert!(!v.is_valid(&broken(
        &|d| d["vulnerabilities"][0]["analysis"]["justification"] = json!("because")
    )));
    assert!(!v.is_valid(&broken(
        &|d| d["vulnerabilities"][0]["ratings"][0]["method"] = json!("CVSSv5")
    )));
    assert!(
        !v.is_valid(&broken(&|d| d["metadata"]["timestamp"] = json!("yesterday"))),
        "formats are not validated"
    );
    // The referenced SPDX licence list is resolved from the local copy.
    let mut licensed = doc.clone();
    licensed["components"][0]["licenses"] = json!([{"license": {"id": "MIT"}}]);
    assert!(v.is_valid(&licensed));
    licensed["components"][0]["licenses"] = json!([{"license": {"id": "Not-A-Licence"}}]);
    assert!(!v.is_valid(&licensed));
}

#[test]
fn spdx_output_is_valid_and_complete() {
    let manifests = all_manifests();
    let text = spdx::to_string(&input(&manifests, &vulnerabilities()));
    let doc: Value = serde_json::from_str(&text).unwrap();
    check_spdx(&doc, "SPDX");
    assert_eq!(lockfile::sniff(&text), Some(Format::SpdxJson));
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
    assert_eq!(doc["dataLicense"], "CC0-1.0");
    assert_eq!(
        doc["creationInfo"]["creators"],
        json!([format!("Tool: gatehouse-{}", env!("CARGO_PKG_VERSION"))])
    );
    assert_eq!(doc["creationInfo"]["created"], "2024-01-01T00:00:00Z");
    let packages = doc["packages"].as_array().unwrap();
    let total: usize = manifests.iter().map(|m| m.packages.len()).sum();
    assert_eq!(packages.len(), total + 1);
    let babel = packages
        .iter()
        .find(|p| p["name"] == "@babel/traverse")
        .unwrap();
    assert_eq!(
        babel["SPDXID"],
        "SPDXRef-Package-npm--babel-traverse-7.22.5"
    );
    assert_eq!(
        babel["externalRefs"],
        json!([{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/%40babel/traverse@7.22.5"}])
    );
    assert_eq!(babel["primaryPackagePurpose"], "LIBRARY");
    assert_eq!(babel["downloadLocation"], "NOASSERTION");
    assert_eq!(babel["filesAnalyzed"], false);
    let kinds: BTreeSet<&str> = doc["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["relationshipType"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["CONTAINS", "DEPENDS_ON", "DESCRIBES", "DEV_DEPENDENCY_OF"])
    );
}

#[test]
fn output_is_deterministic_and_identified_by_content() {
    let manifests = all_manifests();
    let vulns = vulnerabilities();
    let a = cyclonedx::to_string(&input(&manifests, &vulns));
    // Manifests in another order: the same document.
    let reversed: Vec<Manifest> = manifests.iter().rev().cloned().collect();
    assert_eq!(a, cyclonedx::to_string(&input(&reversed, &vulns)));
    let s = spdx::to_string(&input(&manifests, &vulns));
    assert_eq!(s, spdx::to_string(&input(&reversed, &vulns)));

    // Another time: another timestamp, the same serial number.
    let mut later = input(&manifests, &vulns);
    later.created = Some(CREATED + 86_400);
    let b: Value = serde_json::from_str(&cyclonedx::to_string(&later)).unwrap();
    let a: Value = serde_json::from_str(&a).unwrap();
    assert_eq!(a["serialNumber"], b["serialNumber"]);
    assert_ne!(a["metadata"]["timestamp"], b["metadata"]["timestamp"]);
    let sb: Value = serde_json::from_str(&spdx::to_string(&later)).unwrap();
    let s: Value = serde_json::from_str(&s).unwrap();
    assert_eq!(s["documentNamespace"], sb["documentNamespace"]);

    // Other content: another serial number and namespace.
    let fewer = &manifests[1..];
    let c: Value = serde_json::from_str(&cyclonedx::to_string(&input(fewer, &vulns))).unwrap();
    assert_ne!(a["serialNumber"], c["serialNumber"]);
    let sc: Value = serde_json::from_str(&spdx::to_string(&input(fewer, &vulns))).unwrap();
    assert_ne!(s["documentNamespace"], sc["documentNamespace"]);
}

#[test]
fn source_date_epoch_sets_the_time() {
    // The only test that leaves the time to the environment.
    std::env::set_var("SOURCE_DATE_EPOCH", "1700000000");
    let manifests = [manifest("worker.spdx.json")];
    let mut i = input(&manifests, &[]);
    i.created = None;
    let c: Value = serde_json::from_str(&cyclonedx::to_string(&i)).unwrap();
    let s: Value = serde_json::from_str(&spdx::to_string(&i)).unwrap();
    std::env::remove_var("SOURCE_DATE_EPOCH");
    assert_eq!(c["metadata"]["timestamp"], "2023-11-14T22:13:20Z");
    assert_eq!(s["creationInfo"]["created"], "2023-11-14T22:13:20Z");
}

#[test]
fn identical_packages_of_several_manifests_are_one_component() {
    let mut a = Manifest::new(Format::CargoLock);
    a.path = "Cargo.lock".into();
    let mut serde = Package::new(Ecosystem::CratesIo, "serde", "1.0.190");
    serde.direct = Some(false);
    serde.dev = Some(true);
    serde.line = Some(10);
    a.packages.push(serde.clone());
    let mut b = Manifest::new(Format::CargoLock);
    b.path = "tools/Cargo.lock".into();
    serde.direct = Some(true);
    serde.dev = Some(false);
    serde.line = Some(99);
    b.packages.push(serde);
    b.packages
        .push(Package::new(Ecosystem::CratesIo, "serde", "1.0.191"));
    let manifests = [a, b];
    let doc: Value = serde_json::from_str(&cyclonedx::to_string(&input(&manifests, &[]))).unwrap();
    assert_valid(cyclonedx_validator(), &doc, "merged");
    let components = doc["components"].as_array().unwrap();
    assert_eq!(components.len(), 2);
    assert_eq!(components[0]["purl"], "pkg:cargo/serde@1.0.190");
    assert_eq!(
        components[0]["scope"], "required",
        "dev only if every manifest says so"
    );
    assert_eq!(
        components[0]["properties"],
        json!([{"name": "gatehouse:manifest", "value": "Cargo.lock"}, {"name": "gatehouse:manifest", "value": "tools/Cargo.lock"}])
    );
    assert_eq!(
        doc["dependencies"][0]["dependsOn"],
        json!(["pkg:cargo/serde@1.0.190"])
    );
    let s: Value = serde_json::from_str(&spdx::to_string(&input(&manifests, &[]))).unwrap();
    check_spdx(&s, "merged SPDX");
    assert_eq!(s["packages"].as_array().unwrap().len(), 3);
}

#[test]
fn an_empty_project_is_a_valid_sbom() {
    let doc: Value = serde_json::from_str(&cyclonedx::to_string(&input(&[], &[]))).unwrap();
    assert_valid(cyclonedx_validator(), &doc, "empty CycloneDX");
    assert!(doc.get("dependencies").is_none() && doc.get("vulnerabilities").is_none());
    let s: Value = serde_json::from_str(&spdx::to_string(&input(&[], &[]))).unwrap();
    check_spdx(&s, "empty SPDX");
}

#[test]
fn hostile_strings_still_make_valid_documents() {
    let weird = [
        "",
        " ",
        "\u{0}\u{1b}[31m",
        "a\"b\\c",
        "<script>&amp;",
        "ü/ß/日本",
        "#?@%/:",
        "\u{202e}rtl",
        "x y z",
    ];
    let mut m = Manifest::new(Format::NpmLock);
    m.path = "weird/\u{0}path".into();
    for (i, w) in weird.iter().enumerate() {
        for e in [
            Ecosystem::Npm,
            Ecosystem::Maven,
            Ecosystem::Go,
            Ecosystem::PyPI,
            Ecosystem::Debian,
        ] {
            let mut p = Package::new(e, format!("{w}{i}/{w}:{w}"), w.to_string());
            p.direct = Some(i % 2 == 0);
            m.packages.push(p);
        }
    }
    let mut long = Package::new(Ecosystem::Npm, "long", "9".repeat(5000));
    long.purl = Some(format!("pkg:npm/long@{}", "9".repeat(5000)));
    m.packages.push(long);
    let vulns: Vec<SbomVulnerability> = weird
        .iter()
        .map(|w| SbomVulnerability {
            id: w.to_string(),
            aliases: vec![w.to_string(), format!("CVE-{w}")],
            source_name: Some(w.to_string()),
            source_url: Some(w.to_string()),
            summary: Some(w.to_string()),
            cvss: vec![
                SbomCvss {
                    vector: w.to_string(),
                    score: Some(f64::NAN),
                },
                SbomCvss {
                    vector: "CVSS:3.1/".into(),
                    score: Some(11.0),
                },
            ],
            cwes: vec![w.to_string(), "CWE-0".into(), "CWE-99999999999".into()],
            affects: vec![w.to_string(), "pkg:npm/nowhere@1".into()],
            fixed_version: Some(w.to_string()),
            references: vec![
                w.to_string(),
                "javascript:alert(1)".into(),
                "https://a b".into(),
            ],
            analysis: Some(VexAnalysis {
                state: VexStatus::FalsePositive,
                justification: Some(w.to_string()),
                response: vec![VexResponse::Update, VexResponse::Update],
                detail: Some(w.to_string()),
            }),
            ..Default::default()
        })
        .collect();
    let manifests = [m];
    for name in weird {
        let i = SbomInput {
            project_name: name,
            project_version: Some(name),
            ..input(&manifests, &vulns)
        };
        let c: Value = serde_json::from_str(&cyclonedx::to_string(&i)).unwrap();
        assert_valid(
            cyclonedx_validator(),
            &c,
            &format!("CycloneDX for {name:?}"),
        );
        let s: Value = serde_json::from_str(&spdx::to_string(&i)).unwrap();
        check_spdx(&s, &format!("SPDX for {name:?}"));
    }
}

// ---------------------------------------------------------------------------------------------
// Round trips

fn comparable(m: &Manifest) -> BTreeSet<(String, Row)> {
    m.packages
        .iter()
        .map(|p| {
            (
                p.purl(),
                (
                    p.ecosystem,
                    p.name.clone(),
                    p.version.clone(),
                    p.direct,
                    p.dev,
                ),
            )
        })
        .collect()
}

#[test]
fn cyclonedx_round_trip_keeps_the_packages() {
    let manifests = all_manifests();
    let text = cyclonedx::to_string(&input(&manifests, &[]));
    let back = lockfile::cyclonedx::parse_json(Path::new("bom.json"), &text).unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    let want: BTreeSet<_> = manifests.iter().flat_map(comparable).collect();
    assert_eq!(comparable(&back), want);
    // Lines point at the purls of the written document.
    let lines: Vec<&str> = text.lines().collect();
    for p in &back.packages {
        assert!(
            lines[p.line.unwrap() as usize - 1].contains("\"purl\""),
            "{}",
            p.name
        );
    }
}

#[test]
fn cyclonedx_round_trip_from_lockfile_packages() {
    // Packages as lockfile parsers make them: no purl of their own.
    let mut m = Manifest::new(Format::PoetryLock);
    for (e, name, version, direct, dev) in [
        (Ecosystem::PyPI, "Django", "4.2.1", Some(true), Some(false)),
        (
            Ecosystem::PyPI,
            "typing_extensions",
            "4.8.0",
            Some(false),
            None,
        ),
        (
            Ecosystem::Npm,
            "@types/node",
            "20.1.0",
            Some(true),
            Some(true),
        ),
        (
            Ecosystem::Maven,
            "org.yaml:snakeyaml",
            "1.33",
            Some(false),
            Some(false),
        ),
        (
            Ecosystem::Go,
            "github.com/gin-gonic/gin",
            "v1.9.0",
            Some(true),
            None,
        ),
        (
            Ecosystem::Packagist,
            "symfony/http-kernel",
            "v6.3.0",
            Some(true),
            None,
        ),
        (
            Ecosystem::Debian,
            "libc6",
            "2.36-9+deb12u4",
            Some(false),
            None,
        ),
        (
            Ecosystem::NuGet,
            "Newtonsoft.Json",
            "13.0.1",
            Some(true),
            None,
        ),
        (Ecosystem::Hex, "plug", "1.14.0", Some(false), None),
    ] {
        let mut p = Package::new(e, name, version);
        p.direct = direct;
        p.dev = dev;
        m.packages.push(p);
    }
    let manifests = [m];
    let text = cyclonedx::to_string(&input(&manifests, &[]));
    let back = lockfile::cyclonedx::parse_json(Path::new("bom.json"), &text).unwrap();
    let strip = |s: BTreeSet<(String, Row)>| s.into_iter().map(|(_, r)| r).collect::<BTreeSet<_>>();
    assert_eq!(strip(comparable(&back)), strip(comparable(&manifests[0])));

    // SPDX keeps the direct flags and development dependencies that are direct.
    let text = spdx::to_string(&input(&manifests, &[]));
    let back = lockfile::spdx::parse(Path::new("x.spdx.json"), &text).unwrap();
    let want: BTreeSet<Row> = manifests[0]
        .packages
        .iter()
        .map(|p| {
            let dev = (p.direct == Some(true) && p.dev == Some(true)).then_some(true);
            (
                p.ecosystem,
                p.name.clone(),
                p.version.clone(),
                p.direct,
                dev,
            )
        })
        .collect();
    assert_eq!(strip(comparable(&back)), want);
}

#[test]
fn spdx_round_trip_keeps_the_packages() {
    let manifests = all_manifests();
    let text = spdx::to_string(&input(&manifests, &[]));
    let back = lockfile::spdx::parse(Path::new("x.spdx.json"), &text).unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    let names = |m: &Manifest| -> BTreeSet<(Ecosystem, String, String, Option<bool>)> {
        m.packages
            .iter()
            .map(|p| (p.ecosystem, p.name.clone(), p.version.clone(), p.direct))
            .collect()
    };
    let want: BTreeSet<_> = manifests.iter().flat_map(names).collect();
    assert_eq!(names(&back), want);
}

#[test]
fn the_cyclonedx_output_is_a_vex_document() {
    let manifests = all_manifests();
    let vulns = vulnerabilities();
    let text = cyclonedx::to_string(&input(&manifests, &vulns));
    let statements = vex::parse(Path::new("out.cdx.json"), &text).unwrap();
    // Only analysed vulnerabilities are statements.
    assert_eq!(statements.len(), 2);
    let qs = &statements[0];
    assert_eq!(qs.vulnerability, "CVE-2022-24999");
    assert_eq!(qs.aliases, ["GHSA-hrpp-h998-j3pp"]);
    assert_eq!(qs.status, VexStatus::NotAffected);
    assert_eq!(qs.justification.as_deref(), Some("code_not_reachable"));
    assert_eq!(qs.product_purls, ["pkg:npm/qs@6.7.0"]);
    assert!(qs.applies(&["GHSA-hrpp-h998-j3pp".to_string()], "pkg:npm/qs@6.7.0"));
    assert_eq!(statements[1].status, VexStatus::UnderInvestigation);
}

// ---------------------------------------------------------------------------------------------
// VEX input

fn statements(name: &str) -> Vec<VexStatement> {
    vex::read(&data(name)).unwrap_or_else(|e| panic!("{e}"))
}

fn ids(s: &[&str]) -> Vec<String> {
    s.iter().map(|s| s.to_string()).collect()
}

#[test]
fn openvex_statements() {
    let s = statements("openvex.json");
    assert_eq!(s.len(), 5);
    assert_eq!(s[0].vulnerability, "CVE-2022-24999");
    assert_eq!(s[0].aliases, ["GHSA-hrpp-h998-j3pp"]);
    assert_eq!(
        s[0].product_purls,
        ["pkg:npm/storefront-web@2.3.0", "pkg:npm/qs@6.7.0"]
    );
    assert_eq!(s[0].status, VexStatus::NotAffected);
    assert_eq!(
        s[0].justification.as_deref(),
        Some("vulnerable_code_not_in_execute_path")
    );
    assert!(s[0]
        .detail
        .as_deref()
        .unwrap()
        .starts_with("The query parser"));
    assert_eq!(
        s[0].timestamp.as_deref(),
        Some("2024-04-02T10:00:00Z"),
        "the document's time"
    );
    assert_eq!(s[0].source, data("openvex.json"));
    assert_eq!(s[1].product_purls, ["pkg:npm/%40babel/traverse"]);
    assert_eq!(s[1].status, VexStatus::UnderInvestigation);
    assert_eq!(
        s[2].detail.as_deref(),
        Some("Upgrade express to 4.19.2 in the next release.")
    );
    assert_eq!(
        s[3].detail.as_deref(),
        Some("Backported the redirect fix in our build of express.")
    );
    // An image digest is not a package this scanner sees.
    assert!(s[4].product_purls.is_empty());

    // Matching: by alias, ignoring qualifiers; a purl without version covers every version.
    assert!(s[0].applies(&ids(&["GHSA-HRPP-H998-J3PP"]), "pkg:npm/qs@6.7.0?foo=bar"));
    assert!(!s[0].applies(&ids(&["CVE-2022-24999"]), "pkg:npm/qs@6.7.1"));
    assert!(s[1].applies(
        &ids(&["GHSA-67hx-6x53-jw92"]),
        "pkg:npm/@babel/traverse@7.22.5"
    ));
    assert!(s[1].applies(
        &ids(&["GHSA-67hx-6x53-jw92"]),
        "pkg:npm/%40babel/traverse@7.0.0"
    ));
    assert!(!s[1].applies(&ids(&["GHSA-67hx-6x53-jw92"]), "pkg:npm/traverse@7.0.0"));

    // The later statement about express decides: fixed, so the match is suppressed.
    let d = vex::deciding(&s, &ids(&["CVE-2024-29041"]), "pkg:npm/express@4.17.1").unwrap();
    assert_eq!(d.status, VexStatus::Fixed);
    assert!(d.status.suppresses());
    let d = vex::deciding(
        &s,
        &ids(&["GHSA-67hx-6x53-jw92"]),
        "pkg:npm/%40babel/traverse@7.22.5",
    )
    .unwrap();
    assert!(!d.status.suppresses());
}

#[test]
fn openvex_legacy_statements() {
    let s = statements("openvex-v0.0.1.json");
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].vulnerability, "CVE-2023-12345");
    assert_eq!(
        s[0].product_purls,
        [
            "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64",
            "pkg:apk/wolfi/openssl@3.0.7-r0"
        ]
    );
    assert_eq!(s[0].status, VexStatus::Fixed);
    assert_eq!(s[0].timestamp.as_deref(), Some("2023-01-08T18:02:03-06:00"));
    assert!(s[0].applies(
        &ids(&["CVE-2023-12345"]),
        "pkg:apk/wolfi/openssl@3.0.7-r0?arch=aarch64"
    ));
}

#[test]
fn cyclonedx_vex_statements() {
    let s = statements("cyclonedx.vex.json");
    assert_eq!(
        s.len(),
        3,
        "the vulnerability without analysis is not a statement"
    );
    assert_eq!(s[0].vulnerability, "CVE-2021-44228");
    assert_eq!(s[0].aliases, ["GHSA-jfh8-c2jp-5v3q"]);
    assert_eq!(s[0].status, VexStatus::NotAffected);
    assert_eq!(
        s[0].justification.as_deref(),
        Some("requires_configuration")
    );
    assert_eq!(s[0].timestamp.as_deref(), Some("2024-10-01T12:00:00Z"));
    // bom-refs resolve to purls, nested components included.
    assert_eq!(
        s[0].product_purls,
        ["pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"]
    );
    assert!(s[0].applies(
        &ids(&["GHSA-jfh8-c2jp-5v3q"]),
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    ));
    assert_eq!(s[1].status, VexStatus::FalsePositive);
    assert_eq!(
        s[1].product_purls,
        [
            "pkg:maven/org.yaml/snakeyaml",
            "pkg:maven/org.yaml/snakeyaml@1.30"
        ]
    );
    assert!(s[1].applies(
        &ids(&["CVE-2022-1471"]),
        "pkg:maven/org.yaml/snakeyaml@1.33"
    ));
    assert_eq!(s[2].status, VexStatus::Affected);
    assert!(!s[2].status.suppresses());
}

#[test]
fn vex_statements_apply_to_sbom_input_packages() {
    // The packages of the Java SBOM against the CycloneDX VEX written for it.
    let m = manifest("java-service-1.6.cdx.json");
    let s = statements("cyclonedx.vex.json");
    let suppressed: Vec<&str> = m
        .packages
        .iter()
        .filter(|p| {
            vex::deciding(
                &s,
                &ids(&["CVE-2021-44228", "CVE-2022-1471", "CVE-2022-42003"]),
                &p.purl(),
            )
            .is_some_and(|st| st.status.suppresses())
        })
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        suppressed,
        ["org.apache.logging.log4j:log4j-core", "org.yaml:snakeyaml"]
    );
}

#[test]
fn invalid_vex_documents_name_file_and_field() {
    let e = vex::read(&data("invalid-openvex-status.json")).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("statements[1].status"));
    let msg = e.to_string();
    assert!(
        msg.contains("invalid-openvex-status.json: statements[1].status: unknown status `wontfix`"),
        "{msg}"
    );

    let e = vex::read(&data("invalid-cyclonedx-vex-purl.json")).unwrap_err();
    assert_eq!(
        e.field.as_deref(),
        Some("vulnerabilities[0].affects[0].ref")
    );
    assert!(
        e.to_string().contains("invalid-cyclonedx-vex-purl.json"),
        "{e}"
    );

    let e = vex::read(&data("no-such-file.json")).unwrap_err();
    assert!(
        e.to_string().contains("no-such-file.json: cannot read"),
        "{e}"
    );

    for (text, field, msg) in [
        ("[1]", None, "not an object"),
        ("{\"a\": 1}", None, "neither an OpenVEX"),
        ("{", None, "invalid JSON"),
        (
            r#"{"@context": "https://openvex.dev/ns/v0.2.0"}"#,
            Some("statements"),
            "missing",
        ),
        (
            r#"{"@context": ["https://openvex.dev/ns/v0.2.0"], "statements": [{"products": [], "status": "fixed"}]}"#,
            Some("statements[0].vulnerability"),
            "missing",
        ),
        (
            r#"{"@context": "https://openvex.dev/ns", "statements": [{"vulnerability": "CVE-1", "status": "fixed"}]}"#,
            Some("statements[0].products"),
            "missing",
        ),
        (
            r#"{"@context": "https://openvex.dev/ns", "statements": [{"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a@1", "identifiers": {"purl": 3}}], "status": "fixed"}]}"#,
            Some("statements[0].products[0].identifiers.purl"),
            "not a string",
        ),
        (
            r#"{"@context": "https://openvex.dev/ns", "statements": [{"vulnerability": {"name": "CVE-1"}, "products": ["pkg:"], "status": "fixed"}]}"#,
            Some("statements[0].products[0]"),
            "invalid package URL",
        ),
        (
            r#"{"bomFormat": "CycloneDX"}"#,
            Some("vulnerabilities"),
            "missing",
        ),
        (
            r#"{"bomFormat": "CycloneDX", "vulnerabilities": [{"analysis": {"state": "not_affected"}}]}"#,
            Some("vulnerabilities[0].id"),
            "missing",
        ),
        (
            r#"{"bomFormat": "CycloneDX", "vulnerabilities": [{"id": "X", "analysis": {"state": "fine"}}]}"#,
            Some("vulnerabilities[0].analysis.state"),
            "unknown state `fine`",
        ),
        (
            r#"{"bomFormat": "CycloneDX", "vulnerabilities": [{"id": "X", "analysis": {"state": "resolved"}, "affects": [{}]}]}"#,
            Some("vulnerabilities[0].affects[0].ref"),
            "missing",
        ),
    ] {
        let e = vex::parse(Path::new("doc.json"), text).unwrap_err();
        assert_eq!(e.field.as_deref(), field, "{text}: {e}");
        assert!(e.message.contains(msg), "{text}: {e}");
        assert!(e.to_string().starts_with("doc.json: "), "{e}");
    }
}

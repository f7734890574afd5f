//! FriendsOfPHP/security-advisories (`<vendor>/<package>/<id>.yaml`) to OSV.
//!
//! The database has no ids of its own and several files share one CVE (`drupal/core` and
//! `drupal/drupal`), so the OSV id is built from the package and the file name:
//! `FOP-<vendor>-<package>-<file stem>`; the CVE becomes an alias.
//!
//! Each branch's `versions` are Composer constraints that must all hold (`['>=1.0', '<1.2']`);
//! a version is affected when some branch holds. Their versions compare as Composer compares
//! them: normalised (`v1.2` and `1.2.0` are `1.2.0.0`), then ordered by the Packagist scheme
//! (PHP's `version_compare`); events show them as written, without a `v`. A constraint `> X`
//! starts an affected interval just above `X`, which that order gives no next version for: such
//! files are errors.
//! `modified` and `published` are the latest and earliest branch `time` (when the fixes were
//! released); without any, a placeholder.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Map, Value};
use serde_yaml_ng::Value as Yaml;

use super::ranges::{Lower, Point, Set, Upper};
use super::{
    datetime_to_rfc3339, is_cve, one_line, osv_ranges, Context, ConvertError, Converted, Record,
};
use crate::version::{Scheme, Version};

#[derive(Debug, Deserialize)]
struct Advisory {
    title: Option<String>,
    link: Option<String>,
    cve: Option<String>,
    branches: Option<BTreeMap<String, Option<Branch>>>,
    reference: Option<String>,
    #[serde(rename = "composer-repository")]
    composer_repository: Option<Yaml>,
}

#[derive(Debug, Deserialize)]
struct Branch {
    time: Option<String>,
    versions: Option<Vec<String>>,
}

pub(super) fn convert(cx: &Context) -> Result<Converted, ConvertError> {
    let adv: Advisory = serde_yaml_ng::from_str(cx.text).map_err(|e| cx.yaml_error(&e))?;
    let reference = adv.reference.as_deref().map(str::trim).unwrap_or("");
    let Some(name) = reference.strip_prefix("composer://") else {
        return Err(cx.error(
            cx.line_of("reference:"),
            format!("`reference` {reference:?} is not composer://<vendor>/<package>"),
        ));
    };
    let name = name.trim_matches('/').to_ascii_lowercase();
    let Some((vendor, package)) = name
        .split_once('/')
        .filter(|(v, p)| !v.is_empty() && !p.is_empty() && !p.contains('/'))
    else {
        return Err(cx.error(
            cx.line_of("reference:"),
            format!("`reference` {reference:?} is not composer://<vendor>/<package>"),
        ));
    };
    let stem = cx.stem();
    let id = format!("FOP-{vendor}-{package}-{stem}");

    let branches = adv
        .branches
        .as_ref()
        .filter(|b| !b.is_empty())
        .ok_or_else(|| cx.error(cx.line_of("branches:"), "no `branches`"))?;
    let mut affected = Set::empty();
    let mut times = Vec::new();
    let mut branch_db = Map::new();
    for (branch_name, branch) in branches {
        let versions = branch
            .as_ref()
            .and_then(|b| b.versions.as_ref())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                cx.error_at(
                    &format!("{branch_name}:"),
                    format!("branch {branch_name:?} has no `versions`"),
                )
            })?;
        let mut set = Set::all();
        for constraint in versions {
            let s = parse_constraint(constraint).map_err(|m| {
                cx.error_at(
                    constraint,
                    format!("branch {branch_name:?}: constraint {constraint:?}: {m}"),
                )
            })?;
            set = set.intersect(&s);
        }
        affected = affected.union(&set);
        let time = branch
            .as_ref()
            .and_then(|b| b.time.as_deref())
            .and_then(datetime_to_rfc3339);
        let mut entry = json!({ "versions": versions });
        if let Some(t) = &time {
            entry["time"] = json!(t);
            times.push(t.clone());
        }
        branch_db.insert(branch_name.clone(), entry);
    }
    if affected.is_empty() {
        return Err(cx.error(
            cx.line_of("branches:"),
            "the branches' constraints match no version",
        ));
    }
    let ranges = osv_ranges(&affected, "ECOSYSTEM").map_err(|e| {
        let culprit = branches
            .iter()
            .filter_map(|(name, b)| Some((name, b.as_ref()?.versions.as_ref()?)))
            .flat_map(|(name, list)| list.iter().map(move |c| (name, c)))
            .find(|(_, c)| c.contains(&e.after));
        match culprit {
            Some((name, c)) => cx.error_at(c, format!("branch {name:?}: constraint {c:?}: {e}")),
            None => cx.error(None, e.to_string()),
        }
    })?;

    times.sort();
    let modified = times
        .last()
        .cloned()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut rec = Record::new(&id, &modified);
    rec.set_str("published", times.first().map(String::as_str));
    let cve = adv.cve.as_deref().map(str::trim).filter(|c| !c.is_empty());
    rec.set_list(
        "aliases",
        cve.filter(|c| is_cve(c))
            .map(str::to_string)
            .into_iter()
            .collect(),
    );
    rec.set_str("summary", adv.title.as_deref().map(one_line).as_deref());
    rec.set(
        "affected",
        json!([{
            "package": {
                "ecosystem": "Packagist",
                "name": name,
                "purl": format!("pkg:composer/{vendor}/{package}"),
            },
            "ranges": ranges,
            "database_specific": { "branches": branch_db },
        }]),
    );
    if let Some(link) = &adv.link {
        rec.reference("ADVISORY", link);
    }
    let mut db = Map::new();
    db.insert("source".into(), json!("friendsofphp"));
    db.insert("path".into(), json!(format!("{name}/{}", file_name(cx))));
    if let Some(c) = cve.filter(|c| !is_cve(c)) {
        db.insert("cve".into(), json!(c));
    }
    if let Some(Yaml::Bool(false)) = adv.composer_repository {
        // Not installable from a Composer repository (deleted, or distributed elsewhere).
        db.insert("composer_repository".into(), json!(false));
    } else if let Some(Yaml::String(url)) = &adv.composer_repository {
        db.insert("composer_repository".into(), json!(url));
    }
    rec.set("database_specific", Value::Object(db));
    Ok(Converted::Advisories(vec![rec.finish()]))
}

fn file_name(cx: &Context) -> String {
    cx.path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// One Composer comparison (`>=1.0`, `<2.3.2-p2`, `!=1.5`, `1.0`) as a set.
pub(super) fn parse_constraint(c: &str) -> Result<Set, String> {
    let c = c.trim();
    const OPS: [&str; 8] = [">=", "<=", "<>", "!=", "==", ">", "<", "="];
    let op = OPS
        .iter()
        .find(|op| c.starts_with(**op))
        .copied()
        .unwrap_or("");
    let text = c[op.len()..].trim();
    if text.is_empty() || text.contains([' ', ',', '|', '*', '^', '~']) {
        return Err("only a single comparison is supported here".into());
    }
    let v = composer_version(text)?;
    // Versions are shown as written, without a `v` prefix.
    let shown = text
        .strip_prefix(['v', 'V'])
        .filter(|r| r.starts_with(|ch: char| ch.is_ascii_digit()))
        .unwrap_or(text);
    let at = || Point::shown_as(v.clone(), shown);
    Ok(match op {
        "" | "=" | "==" => Set::interval(Lower::Incl(at()), Upper::Incl(at())),
        "!=" | "<>" => Set::interval(Lower::Min, Upper::Excl(at()))
            .union(&Set::interval(Lower::Excl(at()), Upper::Max)),
        ">" => Set::interval(Lower::Excl(at()), Upper::Max),
        ">=" => Set::interval(Lower::Incl(at()), Upper::Max),
        "<" => Set::interval(Lower::Min, Upper::Excl(at())),
        _ => Set::interval(Lower::Min, Upper::Incl(at())),
    })
}

/// A constraint's version as Composer compares it: its normal form ([`composer_normalize`]:
/// `v1.2` and `1.2.0` are both `1.2.0.0`), ordered by the Packagist scheme (PHP's
/// `version_compare`).
fn composer_version(text: &str) -> Result<Version, String> {
    Scheme::Packagist
        .parse(&composer_normalize(text)?)
        .map_err(|e| e.to_string())
}

/// Composer's `VersionParser::normalize` for plain versions (branches and dates are errors).
fn composer_normalize(text: &str) -> Result<String, String> {
    let bad = || format!("malformed Composer version {text:?}");
    let t = text.trim();
    let t = t
        .strip_prefix(['v', 'V'])
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(t);
    let b = t.as_bytes();
    let mut i = 0;
    let mut nums: Vec<&str> = Vec::new();
    loop {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if start == i {
            return Err(bad());
        }
        nums.push(&t[start..i]);
        if nums.len() < 4 && i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i += 1;
        } else {
            break;
        }
    }
    // Composer's `\d{1,5}` major keeps date versions (20240101) out of this syntax.
    if nums[0].len() > 5 {
        return Err(bad());
    }
    let mut normal = nums
        .iter()
        .map(|n| n.trim_start_matches('0'))
        .map(|n| if n.is_empty() { "0" } else { n })
        .collect::<Vec<_>>()
        .join(".");
    for _ in nums.len()..4 {
        normal.push_str(".0");
    }
    let mut rest = &t[i..];
    if rest.is_empty() {
        return Ok(normal);
    }
    rest = rest.strip_prefix(['.', '_', '-']).unwrap_or(rest);
    let lower = rest.to_ascii_lowercase();
    // Alternation order as in Composer's modifier regex: longer names first.
    let stabilities = [
        ("stable", ""),
        ("beta", "beta"),
        ("b", "beta"),
        ("rc", "RC"),
        ("alpha", "alpha"),
        ("a", "alpha"),
        ("patch", "patch"),
        ("pl", "patch"),
        ("p", "patch"),
    ];
    let mut dev_only = false;
    let mut modifier = None;
    if lower == "dev" {
        dev_only = true;
        rest = "";
    } else {
        let (name, expanded) = stabilities
            .iter()
            .find(|(name, _)| lower.starts_with(name))
            .ok_or_else(bad)?;
        rest = &rest[name.len()..];
        // `(?:[.-]?\d+)*`
        let rb = rest.as_bytes();
        let mut j = 0;
        loop {
            let mut k = j;
            if k < rb.len() && (rb[k] == b'.' || rb[k] == b'-') {
                k += 1;
            }
            let digits_start = k;
            while k < rb.len() && rb[k].is_ascii_digit() {
                k += 1;
            }
            if k == digits_start {
                break;
            }
            j = k;
        }
        let number = rest[..j].trim_start_matches(['.', '-']).to_string();
        rest = &rest[j..];
        modifier = Some((*expanded, number));
    }
    let dev = if dev_only {
        true
    } else {
        let r = rest.strip_prefix(['.', '-']).unwrap_or(rest);
        if r.eq_ignore_ascii_case("dev") {
            rest = "";
            true
        } else {
            false
        }
    };
    if !rest.is_empty() {
        return Err(bad());
    }
    if let Some((expanded, number)) = modifier {
        // Composer returns a `stable` version as it is, dropping any `-dev`.
        if expanded.is_empty() {
            return Ok(normal);
        }
        normal.push('-');
        normal.push_str(expanded);
        normal.push_str(&number);
    }
    if dev {
        normal.push_str("-dev");
    }
    Ok(normal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::osv::EventKind::{self, Fixed, Introduced as In, LastAffected as Last};

    fn affected(branches: &[&[&str]]) -> Result<Vec<Vec<(EventKind, String)>>, String> {
        let mut out = Set::empty();
        for b in branches {
            let mut set = Set::all();
            for c in *b {
                set = set.intersect(&parse_constraint(c)?);
            }
            out = out.union(&set);
        }
        out.to_events().map_err(|e| e.to_string())
    }

    fn ev(list: &[(EventKind, &str)]) -> Vec<(EventKind, String)> {
        list.iter().map(|(k, v)| (*k, v.to_string())).collect()
    }

    #[test]
    fn branches() {
        assert_eq!(
            affected(&[
                &[">=6.3.0", "<6.3.8"],
                &[">=5.4.0", "<5.4.31"],
                &["<4.4.50"]
            ])
            .unwrap(),
            [ev(&[
                (In, "0"),
                (Fixed, "4.4.50"),
                (In, "5.4.0"),
                (Fixed, "5.4.31"),
                (In, "6.3.0"),
                (Fixed, "6.3.8")
            ])]
        );
        assert_eq!(
            affected(&[&[">=5.5.0", "<=5.5.44"], &["<2.3.2-p2"]]).unwrap(),
            [
                ev(&[(In, "0"), (Fixed, "2.3.2-p2")]),
                ev(&[(In, "5.5.0"), (Last, "5.5.44")])
            ]
        );
        // Adjacent branches merge; `v` prefixes are dropped; `1.0` equals `1.0.0`.
        assert_eq!(
            affected(&[&[">=v1.0", "<1.1"], &[">=1.1.0", "<1.2"]]).unwrap(),
            [ev(&[(In, "1.0"), (Fixed, "1.2")])]
        );
    }

    #[test]
    fn exclusive_lower_bounds() {
        let err = affected(&[&[">0.7.1", "<1.0.4"]]).unwrap_err();
        assert!(err.contains("just above 0.7.1"), "{err}");
        // `>3.2` is fine when another branch covers 3.2 itself.
        assert_eq!(
            affected(&[&[">3.2", "<3.3.0"], &["<=3.2"]]).unwrap(),
            [ev(&[(In, "0"), (Fixed, "3.3.0")])]
        );
    }

    fn holds(c: &str, v: &Version) -> bool {
        let c = c.trim();
        let op = [">=", "<=", "<>", "!=", "==", ">", "<", "="]
            .into_iter()
            .find(|op| c.starts_with(op))
            .unwrap_or("");
        let r = composer_version(c[op.len()..].trim()).unwrap();
        match op {
            ">=" => *v >= r,
            "<=" => *v <= r,
            ">" => *v > r,
            "<" => *v < r,
            "!=" | "<>" => *v != r,
            _ => *v == r,
        }
    }

    /// The events agree with the branches on versions around every bound, for every advisory
    /// of the shared FriendsOfPHP copy when it is there.
    #[test]
    fn events_agree_with_constraints() {
        let root = crate::advisory::convert::tests::shared_data("advisories/friendsofphp");
        let mut files = Vec::new();
        for vendor in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            for package in std::fs::read_dir(vendor.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                for f in std::fs::read_dir(package.path())
                    .into_iter()
                    .flatten()
                    .flatten()
                {
                    files.push(f.path());
                }
            }
        }
        let mut cases: Vec<Vec<Vec<String>>> = vec![vec![
            vec![">=2.0.0-alpha1".into(), "<2.3.2-p2".into()],
            vec![">=1.0".into(), "<=1.5".into()],
            vec!["<0.9".into()],
        ]];
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            let Ok(adv) = serde_yaml_ng::from_str::<Advisory>(&text) else {
                continue;
            };
            let branches = adv.branches.unwrap_or_default();
            cases.push(
                branches
                    .into_values()
                    .flatten()
                    .filter_map(|b| b.versions)
                    .collect(),
            );
        }
        let mut checked = 0;
        for branches in &cases {
            let refs: Vec<Vec<&str>> = branches
                .iter()
                .map(|b| b.iter().map(String::as_str).collect())
                .collect();
            let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
            let Ok(groups) = affected(&slices) else {
                continue;
            };
            let mut texts = vec!["0.0.1".to_string(), "99.0".into()];
            for c in branches.iter().flatten() {
                let t = c.trim_start_matches(['>', '<', '=', '!']).trim();
                for suffix in ["", ".1", "-p1", "-RC1", "-alpha1", "-dev"] {
                    texts.push(format!("{t}{suffix}"));
                }
            }
            let versions: Vec<Version> = texts
                .iter()
                .filter_map(|t| composer_version(t).ok())
                .collect();
            let got = crate::advisory::convert::ranges::osv_affects(
                &groups,
                |x| composer_version(x).unwrap(),
                &versions,
            );
            for (v, got) in versions.iter().zip(got) {
                let want = branches.iter().any(|b| b.iter().all(|c| holds(c, v)));
                assert_eq!(got, want, "{branches:?} at {v:?}");
                checked += 1;
            }
        }
        assert!(checked > 10, "{checked}");
    }

    fn normal(s: &str) -> String {
        composer_normalize(s).unwrap()
    }

    #[test]
    fn composer_normalisation() {
        assert_eq!(normal("1.2"), "1.2.0.0");
        assert_eq!(normal("v1.2.3"), "1.2.3.0");
        assert_eq!(normal("2.3.2-p2"), "2.3.2.0-patch2");
        assert_eq!(normal("1.0-rc1"), "1.0.0.0-RC1");
        assert_eq!(normal("4.0.0-alpha.2"), "4.0.0.0-alpha2");
        assert_eq!(normal("1.0.0-beta1-dev"), "1.0.0.0-beta1-dev");
        assert_eq!(normal("1.0.0-stable"), "1.0.0.0");
        assert_eq!(normal("007.1"), "7.1.0.0");
        assert!(composer_normalize("dev-master").is_err());
        assert!(composer_normalize("1.0-foo").is_err());
        assert!(composer_normalize("20240101").is_err());
    }

    #[test]
    fn composer_order() {
        let v = |s| composer_version(s).unwrap();
        assert_eq!(v("1.2"), v("1.2.0"));
        assert_eq!(v("v1.2"), v("1.2.0.0"));
        assert!(v("2.3.2") < v("2.3.2-p1"));
        assert!(v("2.3.2-p1") < v("2.3.2-p2"));
        assert!(v("2.3.2-p9") < v("2.3.3"));
        assert!(v("2.0.0-alpha1") < v("2.0.0-beta1"));
        assert!(v("2.0.0-beta1") < v("2.0.0-RC1"));
        assert!(v("2.0.0-RC1") < v("2.0.0"));
        assert!(v("2.0.0-dev") < v("2.0.0-alpha1"));
        assert!(v("4.0.0-rc10") > v("4.0.0-rc2"));
        assert!(v("1.10") > v("1.9"));
    }

    #[test]
    fn unsupported_constraints() {
        for bad in ["^1.0", ">=1.0 <2.0", "dev-master", ">=", "~1.2", "1.*"] {
            assert!(parse_constraint(bad).is_err(), "{bad}");
        }
    }
}

//! rubysec/ruby-advisory-db (`gems/<gem>/<id>.yml`) to OSV.
//!
//! The id is the advisory's GHSA id when it has one, else its CVE, else its OSVDB id: OSV's
//! RubyGems records are GitHub's, so a converted advisory and the same advisory from an OSV
//! export share an id and the newer `modified` wins. The other ids become aliases.
//!
//! A version is affected, as bundler-audit decides, when it satisfies none of
//! `patched_versions` and none of `unaffected_versions` (RubyGems requirements; one entry may
//! join several with `, `, all of which must hold). The affected set is their complement,
//! written as `ECOSYSTEM` events, with versions ordered by the RubyGems scheme. `~> X` is
//! `>= X` below `X`'s bump ([`Version::bump`]: `~> 1.2.3` is `< 1.3`).
//! An unaffected `<= X` (or a patched `= X`) leaves affected versions starting just above `X`,
//! which RubyGems' order gives no next version for: such files are errors.
//!
//! The database gives CVSS scores, not vectors, so they go to `database_specific` with GitHub's
//! severity word; `rubies/` (interpreters) are skipped.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Map, Value};
use serde_yaml_ng::Value as Yaml;

use super::ranges::{Lower, Point, Set, Upper};
use super::{
    date_to_rfc3339, is_cve, one_line, osv_ranges, severity_word, Context, ConvertError, Converted,
    Record, SkipReason,
};
use crate::cvss::CvssVersion;
use crate::version::{Scheme, Version};

#[derive(Debug, Deserialize)]
struct Advisory {
    gem: Option<String>,
    engine: Option<String>,
    cve: Option<String>,
    ghsa: Option<String>,
    osvdb: Option<String>,
    url: Option<String>,
    title: Option<String>,
    date: Option<String>,
    description: Option<String>,
    cvss_v2: Option<Yaml>,
    cvss_v3: Option<Yaml>,
    cvss_v4: Option<Yaml>,
    patched_versions: Option<Vec<String>>,
    unaffected_versions: Option<Vec<String>>,
    related: Option<BTreeMap<String, Yaml>>,
    platform: Option<String>,
    framework: Option<String>,
    library: Option<String>,
    notes: Option<String>,
}

pub(super) fn convert(cx: &Context) -> Result<Converted, ConvertError> {
    let parents = cx.parents();
    if parents.get(1).map(String::as_str) == Some("rubies") {
        return Ok(Converted::Skipped(SkipReason::RubyInterpreter));
    }
    let adv: Advisory = serde_yaml_ng::from_str(cx.text).map_err(|e| cx.yaml_error(&e))?;
    let gem = match adv.gem.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        Some(g) => g.to_string(),
        None if adv.engine.is_some() => return Ok(Converted::Skipped(SkipReason::RubyInterpreter)),
        None => return Err(cx.error(None, "no `gem`")),
    };

    let ghsa = adv.ghsa.as_deref().map(|g| prefixed("GHSA-", g));
    let cve = adv.cve.as_deref().map(|c| prefixed("CVE-", c));
    let osvdb = adv.osvdb.as_deref().map(|o| prefixed("OSVDB-", o));
    let stem = cx.stem();
    let id = ghsa
        .clone()
        .or_else(|| cve.clone())
        .or_else(|| osvdb.clone())
        .or_else(|| (!stem.is_empty()).then(|| stem.clone()))
        .ok_or_else(|| cx.error(None, "no ghsa, cve or osvdb id and no file name"))?;

    let Some((ranges, safe)) = affected_ranges(cx, &adv)? else {
        return Ok(Converted::Skipped(SkipReason::NothingAffected));
    };

    let date = adv.date.as_deref().and_then(date_to_rfc3339);
    let modified = date
        .clone()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut rec = Record::new(&id, &modified);
    rec.set_str("published", date.as_deref());
    let mut aliases: Vec<String> = [ghsa, cve.filter(|c| is_cve(c)), osvdb]
        .into_iter()
        .flatten()
        .collect();
    let stem_is_id = ["CVE-", "GHSA-", "OSVDB-"]
        .iter()
        .any(|p| stem.starts_with(p));
    if stem_is_id {
        aliases.push(stem.clone());
    }
    aliases.retain(|a| *a != id);
    rec.set_list("aliases", aliases);

    let mut related = Vec::new();
    let mut related_urls = Vec::new();
    for (key, value) in adv.related.iter().flatten() {
        let items: Vec<String> = match value {
            Yaml::Sequence(seq) => seq.iter().filter_map(yaml_text).collect(),
            other => yaml_text(other).into_iter().collect(),
        };
        match key.as_str() {
            "cve" => related.extend(items.iter().map(|c| prefixed("CVE-", c))),
            "ghsa" => related.extend(items.iter().map(|g| prefixed("GHSA-", g))),
            "osvdb" => related.extend(items.iter().map(|o| prefixed("OSVDB-", o))),
            "url" => related_urls.extend(items),
            _ => {}
        }
    }
    related.retain(|r| *r != id);
    rec.set_list("related", related);
    rec.set_str("summary", adv.title.as_deref().map(one_line).as_deref());
    rec.set_str("details", adv.description.as_deref());

    let mut affected = json!({
        "package": { "ecosystem": "RubyGems", "name": gem, "purl": format!("pkg:gem/{gem}") },
        "ranges": ranges,
        "database_specific": safe,
    });
    if let Some(platform) = adv
        .platform
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        // The advisory concerns only this platform's builds of the gem (e.g. `jruby`).
        affected["ecosystem_specific"] = json!({ "platform": platform });
    }
    rec.set("affected", json!([affected]));

    if let Some(url) = &adv.url {
        rec.reference("ADVISORY", url);
    }
    for url in &related_urls {
        rec.reference("WEB", url);
    }

    let mut db = Map::new();
    db.insert("source".into(), json!("ruby-advisory-db"));
    let mut word = None;
    for (key, value, version) in [
        ("cvss_v2", &adv.cvss_v2, CvssVersion::V2),
        ("cvss_v3", &adv.cvss_v3, CvssVersion::V3_1),
        ("cvss_v4", &adv.cvss_v4, CvssVersion::V4_0),
    ] {
        if let Some(score) = value.as_ref().and_then(Yaml::as_f64) {
            db.insert(key.into(), json!(score));
            // The newest version's rating wins.
            word = severity_word(version, score).or(word);
        }
    }
    if let Some(word) = word {
        db.insert("severity".into(), json!(word));
    }
    for (key, value) in [
        ("framework", &adv.framework),
        ("library", &adv.library),
        ("notes", &adv.notes),
    ] {
        if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            db.insert(key.into(), json!(v));
        }
    }
    rec.set("database_specific", Value::Object(db));
    Ok(Converted::Advisories(vec![rec.finish()]))
}

/// The OSV ranges of the affected versions and the requirements as written (for
/// `affected[].database_specific`).
/// The affected ranges and the written safe lists; `None` when no version is affected.
fn affected_ranges(
    cx: &Context,
    adv: &Advisory,
) -> Result<Option<(Vec<Value>, Value)>, ConvertError> {
    let mut safe = Set::empty();
    let mut written = Map::new();
    for (key, list) in [
        ("patched_versions", &adv.patched_versions),
        ("unaffected_versions", &adv.unaffected_versions),
    ] {
        let Some(list) = list else { continue };
        for req in list {
            let set = parse_requirement(req)
                .map_err(|m| cx.error_at(req, format!("`{key}` entry {req:?}: {m}")))?;
            safe = safe.union(&set);
        }
        written.insert(key.into(), json!(list));
    }
    let affected = safe.complement();
    if affected.is_empty() {
        return Ok(None);
    }
    let ranges = osv_ranges(&affected, "ECOSYSTEM").map_err(|e| {
        let culprit = [
            ("patched_versions", &adv.patched_versions),
            ("unaffected_versions", &adv.unaffected_versions),
        ]
        .into_iter()
        .flat_map(|(key, list)| list.iter().flatten().map(move |r| (key, r)))
        .find(|(_, r)| r.contains(&e.after));
        match culprit {
            Some((key, r)) => cx.error_at(r, format!("`{key}` entry {r:?}: {e}")),
            None => cx.error(None, e.to_string()),
        }
    })?;
    Ok(Some((ranges, Value::Object(written))))
}

/// A RubyGems requirement (`~> 1.2.3`, `>= 2.0, < 2.1`, `!= 1.0`, `1.0`) as a set.
pub(super) fn parse_requirement(req: &str) -> Result<Set, String> {
    let mut set = Set::all();
    for part in req.split(',') {
        let part = part.trim();
        if part.is_empty() {
            return Err("empty requirement".into());
        }
        const OPS: [&str; 7] = ["~>", ">=", "<=", "!=", "=", ">", "<"];
        let op = OPS
            .iter()
            .find(|op| part.starts_with(**op))
            .copied()
            .unwrap_or("=");
        let text = part.strip_prefix(op).unwrap_or(part).trim();
        if text.is_empty() {
            return Err(format!("no version after {op:?}"));
        }
        let v = gem_version(text)?;
        let at = || Point::new(v.clone());
        let s = match op {
            "=" => Set::interval(Lower::Incl(at()), Upper::Incl(at())),
            "!=" => Set::interval(Lower::Min, Upper::Excl(at()))
                .union(&Set::interval(Lower::Excl(at()), Upper::Max)),
            ">" => Set::interval(Lower::Excl(at()), Upper::Max),
            ">=" => Set::interval(Lower::Incl(at()), Upper::Max),
            "<" => Set::interval(Lower::Min, Upper::Excl(at())),
            "<=" => Set::interval(Lower::Min, Upper::Incl(at())),
            _ => {
                let bump = v
                    .bump()
                    .ok_or_else(|| format!("cannot bump {text:?} for `~>`"))?;
                Set::interval(Lower::Incl(at()), Upper::Excl(Point::new(bump)))
            }
        };
        set = set.intersect(&s);
    }
    Ok(set)
}

/// A version of a requirement, as `Gem::Version.new` accepts it (`ANCHORED_VERSION_PATTERN`:
/// digits, then `.`-separated runs of letters and digits, then an optional `-` pre-release, so
/// `1.2.a` and `1.0-rc1` but not `1..2` or `a.1`), ordered by the RubyGems scheme, which
/// reads such text more leniently than requirements may be written.
fn gem_version(text: &str) -> Result<Version, String> {
    let (release, pre) = match text.split_once('-') {
        Some((r, p)) => (r, Some(p)),
        None => (text, None),
    };
    let mut parts = release.split('.');
    let first = parts.next().unwrap_or("");
    let valid = !first.is_empty()
        && first.bytes().all(|b| b.is_ascii_digit())
        && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()))
        && pre.is_none_or(|p| {
            p.split('.')
                .all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        });
    if !valid {
        return Err(format!("malformed RubyGems version {text:?}"));
    }
    Scheme::RubyGems.parse(text).map_err(|e| e.to_string())
}

/// `2011-5036` → `CVE-2011-5036`; an id that already has the prefix is kept.
fn prefixed(prefix: &str, id: &str) -> String {
    let id = id.trim();
    match (id.get(..prefix.len()), id.get(prefix.len()..)) {
        (Some(head), Some(rest)) if head.eq_ignore_ascii_case(prefix) => format!("{prefix}{rest}"),
        _ => format!("{prefix}{id}"),
    }
}

fn yaml_text(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Yaml::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::osv::EventKind::{self, Fixed, Introduced as In, LastAffected as Last};

    fn affected(reqs: &[&str]) -> Result<Vec<Vec<(EventKind, String)>>, String> {
        let mut safe = Set::empty();
        for r in reqs {
            safe = safe.union(&parse_requirement(r)?);
        }
        safe.complement().to_events().map_err(|e| e.to_string())
    }

    fn ev(list: &[(EventKind, &str)]) -> Vec<(EventKind, String)> {
        list.iter().map(|(k, v)| (*k, v.to_string())).collect()
    }

    #[test]
    fn pessimistic_and_plain_requirements() {
        assert_eq!(
            affected(&["~> 1.1.3", "~> 1.2.5", "~> 1.3.6", ">= 1.4.0"]).unwrap(),
            [ev(&[
                (In, "0"),
                (Fixed, "1.1.3"),
                (In, "1.2"),
                (Fixed, "1.2.5"),
                (In, "1.3"),
                (Fixed, "1.3.6")
            ])]
        );
        // `< 2.1.0` unaffected, then `~> 2.1.3` and `>= 2.2.2` patched.
        assert_eq!(
            affected(&["~> 2.1.3", ">= 2.2.2", "< 2.1.0"]).unwrap(),
            [ev(&[
                (In, "2.1.0"),
                (Fixed, "2.1.3"),
                (In, "2.2"),
                (Fixed, "2.2.2")
            ])]
        );
        assert_eq!(
            affected(&[">= 2.0, < 2.1", ">= 2.1.4"]).unwrap(),
            [ev(&[
                (In, "0"),
                (Fixed, "2.0"),
                (In, "2.1"),
                (Fixed, "2.1.4")
            ])]
        );
        // An unaffected `> X` makes X the last affected version.
        assert_eq!(
            affected(&["> 3.0"]).unwrap(),
            [ev(&[(In, "0"), (Last, "3.0")])]
        );
        assert_eq!(affected(&[]).unwrap(), [ev(&[(In, "0")])]);
        assert_eq!(
            affected(&["~> 1"]).unwrap(),
            [ev(&[(In, "0"), (Fixed, "1"), (In, "2")])]
        );
    }

    #[test]
    fn equal_versions_merge() {
        // `1.0` and `1.0.0` are the same RubyGems version, so the ranges touch.
        assert_eq!(
            affected(&["< 1.0", ">= 1.0.0"]).unwrap(),
            Vec::<Vec<_>>::new()
        );
    }

    #[test]
    fn exclusive_starts_are_errors() {
        let err = affected(&["<= 1.0", ">= 1.2"]).unwrap_err();
        assert!(err.contains("just above 1.0"), "{err}");
        assert!(affected(&["= 2.0.0-alpha", ">= 2.0.0"]).is_err());
        // Covered by another requirement, the gap disappears.
        assert_eq!(
            affected(&["<= 1.0", "~> 1.0.5", ">= 1.2"]).unwrap_err(),
            affected(&["<= 1.0", ">= 1.2"]).unwrap_err()
        );
        assert_eq!(
            affected(&["<= 1.0", ">= 0.9, < 1.1", ">= 1.2"]).unwrap(),
            [ev(&[(In, "1.1"), (Fixed, "1.2")])]
        );
    }

    /// Gem::Requirement's operators applied directly (with `~>` as `>= X, < bump(X)`).
    fn satisfies(req: &str, v: &Version) -> bool {
        req.split(',').all(|part| {
            let part = part.trim();
            let op = ["~>", ">=", "<=", "!=", "=", ">", "<"]
                .into_iter()
                .find(|op| part.starts_with(op))
                .unwrap_or("=");
            let r = gem_version(part[op.len()..].trim()).unwrap();
            match op {
                "~>" => *v >= r && *v < r.bump().unwrap(),
                ">=" => *v >= r,
                "<=" => *v <= r,
                "!=" => *v != r,
                ">" => *v > r,
                "<" => *v < r,
                _ => *v == r,
            }
        })
    }

    /// Versions around every version a requirement names.
    fn candidates(reqs: &[String]) -> Vec<Version> {
        let mut out = vec!["0", "0.0.1", "0.1", "1", "999"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        for r in reqs {
            for part in r.split(',') {
                let t = part
                    .trim()
                    .trim_start_matches(['~', '>', '<', '=', '!'])
                    .trim();
                let Ok(v) = gem_version(t) else {
                    continue;
                };
                out.push(t.to_string());
                out.push(format!("{t}.1"));
                out.push(format!("{t}.a"));
                out.extend(v.bump().map(|b| b.as_str().to_string()));
                let nums: Vec<&str> = t.split('.').collect();
                for i in 0..nums.len() {
                    if let Ok(n) = nums[i].parse::<u64>() {
                        let mut up = nums[..i].to_vec();
                        let next = (n + 1).to_string();
                        up.push(&next);
                        out.push(up.join("."));
                        if n > 0 {
                            let mut down = nums[..=i].to_vec();
                            let prev = (n - 1).to_string();
                            down[i] = &prev;
                            out.push(down.join("."));
                        }
                    }
                }
            }
        }
        out.iter().filter_map(|t| gem_version(t).ok()).collect()
    }

    /// The events agree with the requirements on versions around every bound, for the inline
    /// cases and, when it is there, every advisory of the shared ruby-advisory-db copy.
    #[test]
    fn events_agree_with_requirements() {
        let mut cases: Vec<Vec<String>> = [
            &["~> 1.1.3", "~> 1.2.5", "~> 1.3.6", ">= 1.4.0"][..],
            &["~> 2.1.3", ">= 2.2.2", "< 2.1.0"],
            &["> 2.0", "< 1.0"],
            &[">= 2.0, < 2.1", ">= 2.1.4", "!= 0.5"],
            &["~> 4.2.5, >= 4.2.5.1", "~> 5.0.0.beta3", ">= 5.0.0"],
        ]
        .iter()
        .map(|c| c.iter().map(|s| s.to_string()).collect())
        .collect();
        let root = crate::advisory::convert::tests::shared_data("advisories/rubysec/gems");
        for dir in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            for file in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let text = std::fs::read_to_string(file.path()).unwrap_or_default();
                let Ok(adv) = serde_yaml_ng::from_str::<Advisory>(&text) else {
                    continue;
                };
                let reqs: Vec<String> = adv
                    .patched_versions
                    .into_iter()
                    .chain(adv.unaffected_versions)
                    .flatten()
                    .collect();
                cases.push(reqs);
            }
        }
        let mut checked = 0;
        for reqs in &cases {
            let refs: Vec<&str> = reqs.iter().map(String::as_str).collect();
            let Ok(groups) = affected(&refs) else {
                continue;
            };
            let versions = candidates(reqs);
            let got = crate::advisory::convert::ranges::osv_affects(
                &groups,
                |t| gem_version(t).unwrap(),
                &versions,
            );
            for (v, got) in versions.iter().zip(got) {
                let want = !reqs.iter().any(|r| satisfies(r, v));
                assert_eq!(got, want, "{reqs:?} at {v:?}");
                checked += 1;
            }
        }
        assert!(checked > 50, "{checked}");
    }

    #[test]
    fn bad_requirements() {
        for bad in [
            "", ">= ", "~> x", "1.0, ", ">> 1", ">= 1..2", "< 1.0-", "1.0+x",
        ] {
            assert!(parse_requirement(bad).is_err(), "{bad:?}");
        }
        for good in [
            "1.0.a",
            "2.0.0.rc1",
            "1.0-rc1",
            "1.2beta",
            "3.0.0-beta-2",
            "7.0.0-rc3",
        ] {
            assert!(gem_version(good).is_ok(), "{good:?}");
        }
        // The RubyGems scheme orders them (`-` reads as `.pre.`).
        let gem = |t| gem_version(t).unwrap();
        assert!(gem("7.0.0-rc3") < gem("7.0.0"));
        assert!(gem("7.0.0-rc3") > gem("7.0.0.beta"));
        assert_eq!(gem("1.0.0"), gem("1"));
        assert_eq!(prefixed("CVE-", "2011-5036"), "CVE-2011-5036");
        assert_eq!(
            prefixed("GHSA-", "GHSA-v6j3-7jrw-hq2p"),
            "GHSA-v6j3-7jrw-hq2p"
        );
    }
}

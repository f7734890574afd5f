//! nodejs/security-wg's legacy npm advisories (`vuln/npm/<n>.json`, the former Node Security
//! Project database) to OSV.
//!
//! The id is `NSWG-ECO-<n>`, the name the working group gives these reports; `cves` become
//! aliases. `vulnerable_versions` (a node-semver range) is the affected set, as `npm audit`
//! read it; `patched_versions` is used only when it is missing, and kept in
//! `database_specific` either way (the two disagree in a few files). `vuln/core` and
//! `vuln/deps` describe Node.js itself and are skipped.
//!
//! node-semver ranges: `||` unions, space-separated comparators intersect, operators `<`,
//! `<=`, `>`, `>=`, `=`, `~`, `~>`, `^`, x-ranges (`1.x`, `1.2.*`, `*`, partial versions) and
//! hyphen ranges (`1.2 - 2.3.4`), with the loose syntax the database uses (`v` prefixes, a space
//! after an operator). Upper bounds implied by partial versions, `~`, `^` and x-ranges are
//! written as release versions (`~1.2.3` is fixed at `1.3.0`, where node-semver desugars to
//! `<1.3.0-0` to exclude pre-releases it would exclude anyway).

use serde_json::{json, Map, Value};

use super::ranges::{Lower, Point, Set, Upper};
use super::{
    date_to_rfc3339, is_cve, one_line, osv_ranges, Context, ConvertError, Converted, Record,
    SkipReason,
};
use crate::version::Scheme;

pub(super) fn convert(cx: &Context) -> Result<Converted, ConvertError> {
    if cx.path.file_name().and_then(|n| n.to_str()) == Some("index.json") {
        return Ok(Converted::Skipped(SkipReason::NodeIndex));
    }
    let parents = cx.parents();
    match parents.first().map(String::as_str) {
        Some("core") => return Ok(Converted::Skipped(SkipReason::NodeCore)),
        Some("deps") => return Ok(Converted::Skipped(SkipReason::NodeDependency)),
        _ => {}
    }
    let doc: Value = serde_json::from_str(cx.text).map_err(|e| cx.json_error(&e))?;
    let Some(obj) = doc.as_object() else {
        return Err(cx.error(Some(1), "expected a JSON object"));
    };
    if !obj.contains_key("module_name") && obj.contains_key("vulnerable") {
        return Ok(Converted::Skipped(SkipReason::NodeCore));
    }
    let field_line = |key: &str| cx.line_of(&format!("\"{key}\""));
    let number = match obj.get("id") {
        Some(Value::Number(n)) if n.is_u64() => n.to_string(),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.clone()
        }
        None | Some(Value::Null) => {
            let stem = cx.stem();
            if stem.is_empty() || !stem.bytes().all(|b| b.is_ascii_digit()) {
                return Err(cx.error(None, "no numeric `id` and the file name is not a number"));
            }
            stem
        }
        Some(_) => return Err(cx.error(field_line("id"), "`id` is not a number")),
    };
    let id = format!("NSWG-ECO-{number}");
    let name = match obj.get("module_name") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        _ => {
            return Err(cx.error(
                field_line("module_name"),
                "`module_name` is missing or not a package name",
            ))
        }
    };
    let text_field = |key: &str| -> Result<Option<&str>, ConvertError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(cx.error(field_line(key), format!("`{key}` is not a string"))),
        }
    };
    let vulnerable = text_field("vulnerable_versions")?.filter(|s| !s.trim().is_empty());
    let patched = text_field("patched_versions")?.filter(|s| !s.trim().is_empty());
    let (set, written, key) = match (vulnerable, patched) {
        (Some(v), _) => (parse_range(v), v, "vulnerable_versions"),
        (None, Some(p)) => (
            parse_range(p).map(|s| s.complement()),
            p,
            "patched_versions",
        ),
        (None, None) => {
            return Err(cx.error(
                field_line("vulnerable_versions"),
                "neither `vulnerable_versions` nor `patched_versions` is given",
            ))
        }
    };
    let range_error =
        |message: String| cx.error(field_line(key), format!("`{key}` {written:?}: {message}"));
    let set = set.map_err(range_error)?;
    if set.is_empty() {
        return Err(range_error("affects no version".into()));
    }
    let ranges = osv_ranges(&set, "SEMVER").map_err(|e| range_error(e.to_string()))?;

    let modified = text_field("updated_at")?
        .or(text_field("publish_date")?)
        .or(text_field("created_at")?)
        .and_then(date_to_rfc3339)
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut rec = Record::new(&id, &modified);
    // `1970-01-01` is the database's placeholder for "not published yet".
    let published = text_field("publish_date")?
        .and_then(date_to_rfc3339)
        .filter(|d| !d.starts_with("1970-01-01"));
    rec.set_str("published", published.as_deref());

    let mut aliases = Vec::new();
    let mut odd_cves = Vec::new();
    if let Some(Value::Array(cves)) = obj.get("cves") {
        for c in cves.iter().filter_map(Value::as_str).map(str::trim) {
            if is_cve(c) {
                aliases.push(c.to_string());
            } else if !c.is_empty() {
                odd_cves.push(c.to_string());
            }
        }
    }
    rec.set_list("aliases", aliases);
    rec.set_str("summary", text_field("title")?.map(one_line).as_deref());
    let mut details = text_field("overview")?.unwrap_or("").trim().to_string();
    if let Some(r) = text_field("recommendation")?
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        if !details.is_empty() {
            details.push_str("\n\n");
        }
        details.push_str("## Recommendation\n\n");
        details.push_str(r);
    }
    rec.set_str("details", Some(&details));

    let mut db = Map::new();
    db.insert("source".into(), json!("nodejs-security-wg"));
    if let Some(vector) = text_field("cvss_vector")?
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        match crate::cvss::parse(vector) {
            Ok(cvss) => {
                let kind = match cvss.version {
                    crate::cvss::CvssVersion::V2 => "CVSS_V2",
                    crate::cvss::CvssVersion::V3_0 | crate::cvss::CvssVersion::V3_1 => "CVSS_V3",
                    crate::cvss::CvssVersion::V4_0 => "CVSS_V4",
                };
                rec.set("severity", json!([{ "type": kind, "score": vector }]));
            }
            // An invalid vector is kept for reference but scores nothing.
            Err(_) => {
                db.insert("cvss_vector".into(), json!(vector));
            }
        }
    }
    for key in ["cvss_score", "coordinating_vendor"] {
        if let Some(v) = obj.get(key).filter(|v| !v.is_null()) {
            db.insert(key.into(), v.clone());
        }
    }
    if !odd_cves.is_empty() {
        db.insert("unrecognized_cves".into(), json!(odd_cves));
    }

    let mut affected_db = Map::new();
    if let Some(v) = vulnerable {
        affected_db.insert("vulnerable_versions".into(), json!(v));
    }
    if let Some(p) = patched {
        affected_db.insert("patched_versions".into(), json!(p));
    }
    rec.set(
        "affected",
        json!([{
            "package": { "ecosystem": "npm", "name": name, "purl": purl(&name) },
            "ranges": ranges,
            "database_specific": affected_db,
        }]),
    );

    rec.reference(
        "ADVISORY",
        &format!("https://github.com/nodejs/security-wg/blob/main/vuln/npm/{number}.json"),
    );
    if let Some(Value::Array(refs)) = obj.get("references") {
        for r in refs.iter().filter_map(Value::as_str) {
            rec.reference("WEB", r);
        }
    }
    if let Some(author) = obj.get("author").and_then(Value::as_object) {
        let name = author.get("name").and_then(Value::as_str).map(str::trim);
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            let contact: Vec<&str> = author
                .get("website")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|w| w.starts_with("https://") || w.starts_with("http://"))
                .into_iter()
                .collect();
            let mut credit = json!({ "name": name, "type": "FINDER" });
            if !contact.is_empty() {
                credit["contact"] = json!(contact);
            }
            rec.set("credits", json!([credit]));
        }
    }
    rec.set("database_specific", Value::Object(db));
    Ok(Converted::Advisories(vec![rec.finish()]))
}

/// `pkg:npm/name`, with a scope's `@` percent-encoded as the purl specification asks.
fn purl(name: &str) -> String {
    match name.strip_prefix('@') {
        Some(scoped) => format!("pkg:npm/%40{scoped}"),
        None => format!("pkg:npm/{name}"),
    }
}

type Versions = Set;

/// Evaluates a node-semver range to a set of versions.
pub(super) fn parse_range(range: &str) -> Result<Versions, String> {
    let mut out = Set::empty();
    for alternative in range.split("||") {
        out = out.union(&parse_comparator_set(alternative.trim())?);
    }
    Ok(out)
}

fn parse_comparator_set(s: &str) -> Result<Versions, String> {
    let tokens: Vec<&str> = s.split_whitespace().collect();
    if tokens.is_empty() {
        return Ok(Set::all());
    }
    if tokens.len() == 3 && tokens[1] == "-" {
        return hyphen(tokens[0], tokens[2]);
    }
    let mut set = Set::all();
    let mut i = 0;
    while i < tokens.len() {
        let mut token = tokens[i].to_string();
        // A space after an operator (`>= 1.2.3`) belongs to the comparator.
        if token.bytes().all(|b| b"<>=~^".contains(&b)) {
            let next = tokens
                .get(i + 1)
                .ok_or_else(|| format!("operator {token:?} without a version"))?;
            token.push_str(next);
            i += 1;
        }
        set = set.intersect(&comparator(&token)?);
        i += 1;
    }
    Ok(set)
}

/// A version as a range operand: `*`, `1`, `1.2`, `1.2.x` or a full version.
#[derive(Debug, Clone)]
enum Partial {
    Any,
    Major(u64),
    Minor(u64, u64),
    Full(Full),
}

/// A full version operand: its numbers (for `~` and `^`) and the version.
#[derive(Debug, Clone)]
struct Full {
    major: u64,
    minor: u64,
    patch: u64,
    at: Point,
}

fn parse_partial(s: &str) -> Result<Partial, String> {
    let bad = || format!("invalid version {s:?}");
    let t = s.trim_start_matches(['v', 'V', '=']);
    if t.is_empty() {
        return Err(bad());
    }
    let (core, build) = match t.split_once('+') {
        Some((c, b)) => (c, Some(b)),
        None => (t, None),
    };
    if let Some(b) = build {
        if b.is_empty()
            || !b
                .split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
        {
            return Err(bad());
        }
    }
    // Components are digit runs or wildcards; what follows the third (after an optional `-`)
    // is the pre-release.
    let mut nums: Vec<Option<u64>> = Vec::new();
    let mut rest = core;
    loop {
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, 'x' | 'X' | '*')))
            .unwrap_or(rest.len());
        let part = &rest[..end];
        let value = match part {
            "x" | "X" | "*" => None,
            p if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(
                p.parse()
                    .map_err(|_| format!("version number too large in {s:?}"))?,
            ),
            _ => return Err(bad()),
        };
        nums.push(value);
        rest = &rest[end..];
        if nums.len() < 3 && rest.starts_with('.') {
            rest = &rest[1..];
        } else {
            break;
        }
    }
    let pre = if rest.is_empty() {
        None
    } else {
        if nums.len() < 3 || nums.iter().any(Option::is_none) {
            return Err(bad());
        }
        Some(rest.strip_prefix('-').unwrap_or(rest))
    };
    // Components after a wildcard are ignored, as node-semver does (`1.x.3` is `1.x`).
    let known: Vec<u64> = nums.iter().map_while(|n| *n).collect();
    Ok(match known.as_slice() {
        [] => Partial::Any,
        [m] => Partial::Major(*m),
        [m, n] => Partial::Minor(*m, *n),
        [m, n, p, ..] => {
            let mut text = format!("{m}.{n}.{p}");
            if let Some(pre) = pre {
                // Numeric identifiers are written without leading zeros, as SemVer asks.
                for (i, ident) in pre.split('.').enumerate() {
                    text.push(if i == 0 { '-' } else { '.' });
                    let digits = !ident.is_empty() && ident.bytes().all(|b| b.is_ascii_digit());
                    text.push_str(match ident.trim_start_matches('0') {
                        "" if digits => "0",
                        stripped if digits => stripped,
                        _ => ident,
                    });
                }
            }
            Partial::Full(Full {
                major: *m,
                minor: *n,
                patch: *p,
                at: semver(&text).map_err(|_| format!("invalid pre-release in {s:?}"))?,
            })
        }
    })
}

/// A bound of SemVer version `text`, shown as written.
fn semver(text: &str) -> Result<Point, String> {
    Scheme::Semver
        .parse(text)
        .map(Point::new)
        .map_err(|e| e.message)
}

fn release(major: u64, minor: u64, patch: u64) -> Result<Point, String> {
    semver(&format!("{major}.{minor}.{patch}"))
}

fn inc(n: u64) -> Result<u64, String> {
    n.checked_add(1)
        .ok_or_else(|| "version number too large".to_string())
}

/// The first version of a partial operand and the first version after it
/// (`1.2` → `1.2.0`, `1.3.0`).
fn partial_bounds(p: &Partial) -> Result<(Point, Point), String> {
    match p {
        Partial::Major(m) => Ok((release(*m, 0, 0)?, release(inc(*m)?, 0, 0)?)),
        Partial::Minor(m, n) => Ok((release(*m, *n, 0)?, release(*m, inc(*n)?, 0)?)),
        Partial::Any | Partial::Full(_) => Err("internal: not a partial version".into()),
    }
}

fn comparator(token: &str) -> Result<Versions, String> {
    const OPS: [&str; 8] = [">=", "<=", "~>", ">", "<", "=", "~", "^"];
    let op = OPS
        .iter()
        .find(|op| token.starts_with(**op))
        .copied()
        .unwrap_or("");
    let operand = parse_partial(&token[op.len()..])?;
    use Partial::*;
    let set = match (&operand, op) {
        (Any, "<" | ">") => Set::empty(),
        (Any, _) => Set::all(),
        (Full(v), "" | "=") => Set::interval(Lower::Incl(v.at.clone()), Upper::Incl(v.at.clone())),
        (Full(v), ">") => Set::interval(Lower::Excl(v.at.clone()), Upper::Max),
        (Full(v), ">=") => Set::interval(Lower::Incl(v.at.clone()), Upper::Max),
        (Full(v), "<") => Set::interval(Lower::Min, Upper::Excl(v.at.clone())),
        (Full(v), "<=") => Set::interval(Lower::Min, Upper::Incl(v.at.clone())),
        (Full(v), "~" | "~>") => Set::interval(
            Lower::Incl(v.at.clone()),
            Upper::Excl(release(v.major, inc(v.minor)?, 0)?),
        ),
        (Full(v), "^") => {
            let hi = if v.major > 0 {
                release(inc(v.major)?, 0, 0)?
            } else if v.minor > 0 {
                release(0, inc(v.minor)?, 0)?
            } else {
                release(0, 0, inc(v.patch)?)?
            };
            Set::interval(Lower::Incl(v.at.clone()), Upper::Excl(hi))
        }
        (Major(_) | Minor(..), op) => {
            let (first, next) = partial_bounds(&operand)?;
            match op {
                "" | "=" | "~" | "~>" => Set::interval(Lower::Incl(first), Upper::Excl(next)),
                "^" => {
                    let hi = match &operand {
                        Minor(0, n) => release(0, inc(*n)?, 0)?,
                        Minor(m, _) | Major(m) => release(inc(*m)?, 0, 0)?,
                        _ => next,
                    };
                    Set::interval(Lower::Incl(first), Upper::Excl(hi))
                }
                ">=" => Set::interval(Lower::Incl(first), Upper::Max),
                ">" => Set::interval(Lower::Incl(next), Upper::Max),
                "<" => Set::interval(Lower::Min, Upper::Excl(first)),
                "<=" => Set::interval(Lower::Min, Upper::Excl(next)),
                _ => return Err(format!("unsupported comparator {token:?}")),
            }
        }
        _ => return Err(format!("unsupported comparator {token:?}")),
    };
    Ok(set)
}

/// `A - B`: from A (missing components are zeros) to B inclusive (a partial B covers all of
/// its versions: `- 2.3` ends before `2.4.0`).
fn hyphen(from: &str, to: &str) -> Result<Versions, String> {
    let lo = match parse_partial(from)? {
        Partial::Any => Lower::Min,
        Partial::Full(v) => Lower::Incl(v.at),
        p => Lower::Incl(partial_bounds(&p)?.0),
    };
    let hi = match parse_partial(to)? {
        Partial::Any => Upper::Max,
        Partial::Full(v) => Upper::Incl(v.at),
        p => Upper::Excl(partial_bounds(&p)?.1),
    };
    Ok(Set::interval(lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::osv::EventKind::{self, Fixed, Introduced as In, LastAffected as Last};

    fn events(range: &str) -> Vec<Vec<(EventKind, String)>> {
        parse_range(range).unwrap().to_events().unwrap()
    }

    fn ev(list: &[(EventKind, &str)]) -> Vec<(EventKind, String)> {
        list.iter().map(|(k, v)| (*k, v.to_string())).collect()
    }

    #[test]
    fn primitive_comparators() {
        assert_eq!(events("<=1.5.1"), [ev(&[(In, "0"), (Last, "1.5.1")])]);
        assert_eq!(events("< 2.0.5"), [ev(&[(In, "0"), (Fixed, "2.0.5")])]);
        assert_eq!(
            events(">=4.17.15 <4.17.19"),
            [ev(&[(In, "4.17.15"), (Fixed, "4.17.19")])]
        );
        assert_eq!(
            events(">2.51.0 <=2.67.0"),
            [ev(&[(In, "2.51.1-0"), (Last, "2.67.0")])]
        );
        assert_eq!(events("2.1.4"), [ev(&[(In, "2.1.4"), (Last, "2.1.4")])]);
        assert_eq!(
            events("=3.0.0-rc.1"),
            [ev(&[(In, "3.0.0-rc.1"), (Last, "3.0.0-rc.1")])]
        );
        assert_eq!(
            events("<=v2.0.0-alpha7"),
            [ev(&[(In, "0"), (Last, "2.0.0-alpha7")])]
        );
        assert_eq!(events("*"), [ev(&[(In, "0")])]);
        assert_eq!(events(""), [ev(&[(In, "0")])]);
        // Numeric pre-release identifiers lose their leading zeros; the least version above a
        // pre-release appends a `0` identifier.
        assert_eq!(
            events(">=1.0.0-beta.01 <v1.0.0+build"),
            [ev(&[(In, "1.0.0-beta.1"), (Fixed, "1.0.0")])]
        );
        assert_eq!(events(">1.0.0-rc.1"), [ev(&[(In, "1.0.0-rc.1.0")])]);
    }

    #[test]
    fn x_ranges_and_partials() {
        assert_eq!(
            events("2.0.x || 2.1.x"),
            [ev(&[(In, "2.0.0"), (Fixed, "2.2.0")])]
        );
        assert_eq!(
            events("<3.11 || >= 4 <4.5"),
            [ev(&[
                (In, "0"),
                (Fixed, "3.11.0"),
                (In, "4.0.0"),
                (Fixed, "4.5.0")
            ])]
        );
        assert_eq!(events("<= 1.0"), [ev(&[(In, "0"), (Fixed, "1.1.0")])]);
        assert_eq!(events(">1.2"), [ev(&[(In, "1.3.0")])]);
        assert_eq!(events("1"), [ev(&[(In, "1.0.0"), (Fixed, "2.0.0")])]);
        assert_eq!(events("1.x.3"), [ev(&[(In, "1.0.0"), (Fixed, "2.0.0")])]);
        assert!(parse_range("<*").unwrap().is_empty());
    }

    #[test]
    fn tilde_caret_hyphen() {
        assert_eq!(events("~1.2.3"), [ev(&[(In, "1.2.3"), (Fixed, "1.3.0")])]);
        assert_eq!(events("~1"), [ev(&[(In, "1.0.0"), (Fixed, "2.0.0")])]);
        assert_eq!(
            events("~>0.8.0-pre"),
            [ev(&[(In, "0.8.0-pre"), (Fixed, "0.9.0")])]
        );
        assert_eq!(events("^1.2.3"), [ev(&[(In, "1.2.3"), (Fixed, "2.0.0")])]);
        assert_eq!(events("^0.2.3"), [ev(&[(In, "0.2.3"), (Fixed, "0.3.0")])]);
        assert_eq!(events("^0.0.3"), [ev(&[(In, "0.0.3"), (Fixed, "0.0.4")])]);
        assert_eq!(events("^0.0"), [ev(&[(In, "0.0.0"), (Fixed, "0.1.0")])]);
        assert_eq!(events("^1.x"), [ev(&[(In, "1.0.0"), (Fixed, "2.0.0")])]);
        assert_eq!(
            events("1.2 - 2.3.4"),
            [ev(&[(In, "1.2.0"), (Last, "2.3.4")])]
        );
        assert_eq!(
            events("1.2.3 - 2.3"),
            [ev(&[(In, "1.2.3"), (Fixed, "2.4.0")])]
        );
        assert_eq!(events("* - 2"), [ev(&[(In, "0"), (Fixed, "3.0.0")])]);
    }

    #[test]
    fn unions_overlap_and_mix() {
        assert_eq!(
            events(">= 5.2.1 <= 6.0.0 || >=6.0.0 <= 6.0.2"),
            [ev(&[(In, "5.2.1"), (Last, "6.0.2")])]
        );
        assert_eq!(
            events("<2.0.18 || <3.0.16 || <5.0.0-beta.5"),
            [ev(&[(In, "0"), (Fixed, "5.0.0-beta.5")])]
        );
        assert_eq!(
            events(">=3.0.0 <=3.9.1 || =3.10.2"),
            [ev(&[
                (In, "3.0.0"),
                (Last, "3.9.1"),
                (In, "3.10.2"),
                (Last, "3.10.2")
            ])]
        );
        assert_eq!(
            events("<3.4.6 || > 4.0.0 <4.0.5"),
            [ev(&[
                (In, "0"),
                (Fixed, "3.4.6"),
                (In, "4.0.1-0"),
                (Fixed, "4.0.5")
            ])]
        );
        assert_eq!(
            events("<= 2.4.2 || >= 3.0.0 <=3.0.1 || >= 4 < 5"),
            [
                ev(&[(In, "4.0.0"), (Fixed, "5.0.0")]),
                ev(&[(In, "0"), (Last, "2.4.2"), (In, "3.0.0"), (Last, "3.0.1")])
            ]
        );
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        for bad in [
            "1.2-beta",
            ">=",
            "1.2.3.4",
            "latest",
            "1.2.3 - ",
            "99999999999999999999",
        ] {
            assert!(parse_range(bad).is_err(), "{bad}");
        }
    }
}

//! OWASP ZAP's traditional reports: JSON (`-J`, template `traditional-json`) and XML (`-x`,
//! template `traditional-xml`). Scanner kind dast.
//!
//! One finding per alert instance (per URL, method and parameter), or one per alert when it has
//! no instances.
//!
//! - **Severity**: `riskcode` 3 → high, 2 → medium, 1 → low, 0 → info. ZAP has no critical.
//! - **Confidence**: `confidence` 3 (high) and 4 (user confirmed) → high, 2 → medium, 1 → low;
//!   0 is ZAP's "false positive", and such alerts are left out.
//! - **Location**: no path; the instance's URL (else the site's name) in `properties.url`, its
//!   host and port in the location (from the URL, else the site's `host` and `port`); method,
//!   parameter, attack, evidence and other information in properties.
//! - **Fingerprint**: the fallback with the URL without its query and fragment in the path's
//!   place and `METHOD param` in the snippet's: query values change from run to run.
//! - **Rule**: `alertRef` (which tells apart variants of one scan rule), else `pluginid`.
//! - HTML in descriptions and solutions is reduced to text.
//! - Always complete: the reports have no place for errors.

use gatehouse_core::{Confidence, Finding, ScannerKind, Severity};
use quick_xml::events::Event;
use serde::Deserialize;
use serde_json::Value;

use crate::common::{
    cwe_id, fallback_fingerprint, from_json, invalid, new_finding, push_unique, scan, url_host_port,
};
use crate::{Format, Import, ImportContext, ImportError};

const TOOL: &str = "zap";

#[derive(Default, Deserialize)]
struct Report {
    #[serde(default, rename = "@version")]
    version: Option<String>,
    #[serde(default)]
    site: Vec<Site>,
}

#[derive(Default, Deserialize)]
struct Site {
    #[serde(default, rename = "@name")]
    name: String,
    #[serde(default, rename = "@host")]
    host: Option<String>,
    #[serde(default, rename = "@port")]
    port: Option<String>,
    #[serde(default)]
    alerts: Vec<Alert>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Alert {
    #[serde(default)]
    pluginid: String,
    #[serde(default)]
    alert_ref: Option<String>,
    #[serde(default)]
    alert: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    riskcode: String,
    #[serde(default)]
    confidence: String,
    #[serde(default)]
    desc: Option<String>,
    #[serde(default)]
    solution: Option<String>,
    #[serde(default)]
    otherinfo: Option<String>,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    cweid: Option<String>,
    #[serde(default)]
    wascid: Option<String>,
    #[serde(default)]
    instances: Vec<Instance>,
}

#[derive(Default, Deserialize, Clone)]
struct Instance {
    #[serde(default)]
    uri: String,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    param: Option<String>,
    #[serde(default)]
    attack: Option<String>,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    otherinfo: Option<String>,
}

pub(crate) fn parse_json(bytes: &[u8]) -> Result<Import, ImportError> {
    let report: Report = from_json(bytes, Format::ZapJson)?;
    import(report, Format::ZapJson, |s, a| {
        format!("at `site[{s}].alerts[{a}]`")
    })
}

pub(crate) fn parse_xml(bytes: &[u8]) -> Result<Import, ImportError> {
    let report = read_xml(bytes)?;
    import(report, Format::ZapXml, |s, a| {
        format!("in <alertitem> {} of <site> {}", a + 1, s + 1)
    })
}

fn import(
    report: Report,
    format: Format,
    place: impl Fn(usize, usize) -> String,
) -> Result<Import, ImportError> {
    let mut findings = Vec::new();
    for (si, site) in report.site.iter().enumerate() {
        for (ai, alert) in site.alerts.iter().enumerate() {
            let severity = match alert.riskcode.trim() {
                "3" => Severity::High,
                "2" => Severity::Medium,
                "1" => Severity::Low,
                "0" => Severity::Info,
                other => {
                    return Err(invalid(
                        format,
                        format!("{}: riskcode `{other}` is not 0, 1, 2 or 3", place(si, ai)),
                    ))
                }
            };
            let confidence = match alert.confidence.trim() {
                "0" => continue,
                "1" => Confidence::Low,
                "2" | "" => Confidence::Medium,
                "3" | "4" => Confidence::High,
                other => {
                    return Err(invalid(
                        format,
                        format!("{}: confidence `{other}` is not 0 to 4", place(si, ai)),
                    ))
                }
            };
            let instances = if alert.instances.is_empty() {
                vec![Instance {
                    uri: site.name.clone(),
                    ..Instance::default()
                }]
            } else {
                alert.instances.clone()
            };
            for inst in instances {
                findings.push(finding(site, alert, &inst, severity, confidence));
            }
        }
    }
    Ok(Import {
        format,
        scans: vec![scan(
            TOOL,
            report.version,
            ScannerKind::Dast,
            Vec::new(),
            findings,
        )],
        context: ImportContext::default(),
    })
}

fn finding(
    site: &Site,
    alert: &Alert,
    inst: &Instance,
    severity: Severity,
    confidence: Confidence,
) -> Finding {
    let rule = alert
        .alert_ref
        .clone()
        .filter(|r| !r.trim().is_empty())
        .unwrap_or_else(|| alert.pluginid.clone());
    let title = alert
        .name
        .clone()
        .or(alert.alert.clone())
        .unwrap_or_default();
    let mut f = new_finding(&rule, ScannerKind::Dast, severity, &title);
    f.confidence = confidence;
    let url = if inst.uri.trim().is_empty() {
        site.name.clone()
    } else {
        inst.uri.trim().to_string()
    };
    f.message = alert
        .desc
        .as_deref()
        .map(html_to_text)
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| f.title.clone());
    f.remediation = alert
        .solution
        .as_deref()
        .map(html_to_text)
        .filter(|s| !s.is_empty());
    if let Some(c) = alert
        .cweid
        .as_deref()
        .filter(|c| !matches!(c.trim(), "" | "0" | "-1"))
        .and_then(cwe_id)
    {
        push_unique(&mut f.cwe, c);
    }
    match url_host_port(&url) {
        Some((host, port)) => {
            f.location.host = Some(host);
            f.location.port = port;
        }
        None => {
            f.location.host = site.host.clone().filter(|h| !h.is_empty());
            f.location.port = site.port.as_deref().and_then(|p| p.trim().parse().ok());
        }
    }
    let mut put = |k: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            f.properties.insert(k.into(), Value::String(v.to_string()));
        }
    };
    put("url", Some(&url));
    put("method", inst.method.as_deref());
    put("param", inst.param.as_deref());
    put("attack", inst.attack.as_deref());
    put("evidence", inst.evidence.as_deref());
    put(
        "otherinfo",
        inst.otherinfo.as_deref().or(alert.otherinfo.as_deref()),
    );
    put(
        "reference",
        alert.reference.as_deref().map(html_to_text).as_deref(),
    );
    put("wascid", alert.wascid.as_deref());
    put("pluginid", Some(&alert.pluginid));
    let base = url.split(['?', '#']).next().unwrap_or("").to_string();
    let what = format!(
        "{} {}",
        inst.method.as_deref().unwrap_or(""),
        inst.param.as_deref().unwrap_or("")
    );
    f.fingerprint = fallback_fingerprint(TOOL, &f.rule_id, Some(&base), Some(&what), 0);
    f
}

/// Text of an HTML fragment: tags dropped (paragraphs become line breaks), common entities
/// decoded.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut tag = String::new();
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let t = tag.trim_start_matches('/').to_ascii_lowercase();
                if (t.starts_with('p') || t.starts_with("br") || t.starts_with("li"))
                    && !out.ends_with('\n')
                    && !out.is_empty()
                {
                    out.push('\n');
                }
            }
            (true, c) => tag.push(c),
            (false, c) => out.push(c),
        }
    }
    if in_tag {
        // Not a tag after all (a lone `<`): keep it as text.
        out.push('<');
        out.push_str(&tag);
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads the XML report without building a tree (so no depth of nesting can exhaust the stack):
/// the elements the report uses are picked out by their parent.
fn read_xml(bytes: &[u8]) -> Result<Report, ImportError> {
    const F: Format = Format::ZapXml;
    let line_of = |pos: u64| -> usize {
        let pos = usize::try_from(pos).unwrap_or(usize::MAX).min(bytes.len());
        bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1
    };
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut report = Report::default();
    let mut site: Option<Site> = None;
    let mut alert: Option<Alert> = None;
    let mut instance: Option<Instance> = None;
    let mut seen_root = false;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            invalid(
                F,
                format!(
                    "invalid XML at line {}: {e}",
                    line_of(reader.error_position())
                ),
            )
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if !seen_root {
                    if name != "OWASPZAPReport" {
                        return Err(invalid(
                            F,
                            format!("the root element is <{name}>, not <OWASPZAPReport>"),
                        ));
                    }
                    seen_root = true;
                    for a in e.attributes().flatten() {
                        if a.key.local_name().as_ref() == b"version" {
                            report.version = a.unescape_value().ok().map(|v| v.into_owned());
                        }
                    }
                }
                text.clear();
                match name.as_str() {
                    "site" if stack.last().map(String::as_str) == Some("OWASPZAPReport") => {
                        let mut s = Site::default();
                        for a in e.attributes().flatten() {
                            let v = a
                                .unescape_value()
                                .map(|v| v.into_owned())
                                .unwrap_or_default();
                            match a.key.local_name().as_ref() {
                                b"name" => s.name = v,
                                b"host" => s.host = Some(v),
                                b"port" => s.port = Some(v),
                                _ => {}
                            }
                        }
                        if empty {
                            report.site.push(s);
                        } else {
                            site = Some(s);
                        }
                    }
                    "alertitem" if site.is_some() && !empty => alert = Some(Alert::default()),
                    "instance" if alert.is_some() && !empty => instance = Some(Instance::default()),
                    _ => {}
                }
                if !empty {
                    stack.push(name);
                }
            }
            Event::Text(t) => {
                let s = t.unescape().map_err(|e| {
                    invalid(
                        F,
                        format!(
                            "invalid XML at line {}: {e}",
                            line_of(reader.buffer_position())
                        ),
                    )
                })?;
                text.push_str(&s);
            }
            Event::CData(c) => text.push_str(&String::from_utf8_lossy(&c.into_inner())),
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                let value = std::mem::take(&mut text);
                match (parent, name.as_str()) {
                    (_, "instance") => {
                        if let (Some(a), Some(i)) = (alert.as_mut(), instance.take()) {
                            a.instances.push(i);
                        }
                    }
                    (_, "alertitem") => {
                        if let (Some(s), Some(a)) = (site.as_mut(), alert.take()) {
                            s.alerts.push(a);
                        }
                    }
                    ("OWASPZAPReport", "site") => {
                        if let Some(s) = site.take() {
                            report.site.push(s);
                        }
                    }
                    ("instance", field) => {
                        if let Some(i) = instance.as_mut() {
                            match field {
                                "uri" => i.uri = value,
                                "method" => i.method = Some(value),
                                "param" => i.param = Some(value),
                                "attack" => i.attack = Some(value),
                                "evidence" => i.evidence = Some(value),
                                "otherinfo" => i.otherinfo = Some(value),
                                _ => {}
                            }
                        }
                    }
                    ("alertitem", field) => {
                        if let Some(a) = alert.as_mut() {
                            match field {
                                "pluginid" => a.pluginid = value,
                                "alertRef" => a.alert_ref = Some(value),
                                "alert" => a.alert = Some(value),
                                "name" => a.name = Some(value),
                                "riskcode" => a.riskcode = value,
                                "confidence" => a.confidence = value,
                                "desc" => a.desc = Some(value),
                                "solution" => a.solution = Some(value),
                                "otherinfo" => a.otherinfo = Some(value),
                                "reference" => a.reference = Some(value),
                                "cweid" => a.cweid = Some(value),
                                "wascid" => a.wascid = Some(value),
                                // ZAP before 2.10 wrote the location on the alert itself.
                                "uri" => a.instances.push(Instance {
                                    uri: value,
                                    ..Instance::default()
                                }),
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !seen_root {
        return Err(invalid(F, "no root element: the document is empty"));
    }
    if !stack.is_empty() {
        return Err(invalid(
            F,
            format!("the document ends inside <{}>", stack.join("><")),
        ));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            html_to_text("<p>One &amp; two</p><p>Three</p>"),
            "One & two\nThree"
        );
        assert_eq!(html_to_text("a < b"), "a < b");
        assert_eq!(html_to_text(""), "");
    }
}

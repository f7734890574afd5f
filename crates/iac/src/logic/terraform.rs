//! Terraform checks that need logic: firewall rules open to the internet (every provider's
//! shape), IAM policy documents, and S3 settings that live in companion resources.

use super::{Ctx, Hit, ADMIN_PORTS, DB_PORTS};
use crate::check::OPEN_SOURCES;
use crate::input::Resource;
use crate::tree::{from_json, Node, Value};

/// One inbound rule open to the internet.
struct OpenRule {
    line: u32,
    address: String,
    attribute: String,
    /// Inclusive port ranges; `None` means every port.
    ports: Option<Vec<(u32, u32)>>,
}

fn open(n: Option<&Node>) -> bool {
    n.is_some_and(|n| {
        n.items().iter().any(|i| {
            i.scalar_text()
                .is_some_and(|s| OPEN_SOURCES.contains(&s.trim().to_ascii_lowercase().as_str()))
        })
    })
}

fn text(n: Option<&Node>) -> Option<String> {
    n.and_then(Node::scalar_text)
}

fn all_protocols(p: Option<String>) -> bool {
    p.is_some_and(|p| matches!(p.to_ascii_lowercase().as_str(), "-1" | "all" | "*"))
}

/// `22`, `20-30`, `22/22`, `-1/-1`, `*`, `ALL`, `80,443`: `None` for every port, an empty
/// list when it cannot be read.
fn port_spec(s: &str) -> Option<Vec<(u32, u32)>> {
    let s = s.trim();
    if matches!(
        s.to_ascii_lowercase().as_str(),
        "*" | "all" | "-1/-1" | "-1" | "0-65535" | "1-65535" | "1/65535"
    ) {
        return None;
    }
    let mut out = Vec::new();
    for part in s.split(',') {
        let part = part.trim();
        let (a, b) = part
            .split_once('-')
            .or_else(|| part.split_once('/'))
            .unwrap_or((part, part));
        if let (Ok(a), Ok(b)) = (a.trim().parse::<u32>(), b.trim().parse::<u32>()) {
            out.push((a, b));
        }
    }
    Some(out)
}

fn aws_ports(rule: &Node) -> Option<Option<Vec<(u32, u32)>>> {
    if all_protocols(text(
        rule.get("protocol").or_else(|| rule.get("ip_protocol")),
    )) {
        return Some(None);
    }
    let from = rule.get("from_port")?.as_i64()?;
    let to = rule.get("to_port")?.as_i64()?;
    if (from <= 0 && to >= 65535) || (from == -1 && to == -1) {
        return Some(None);
    }
    Some(Some(vec![(from.max(0) as u32, to.max(0) as u32)]))
}

fn open_rules(resources: &[Resource]) -> Vec<OpenRule> {
    let mut out = Vec::new();
    let mut push = |r: &Resource, n: &Node, attribute: String, ports: Option<Vec<(u32, u32)>>| {
        out.push(OpenRule {
            line: if n.line > 0 { n.line } else { r.line },
            address: r.address.clone(),
            attribute,
            ports,
        })
    };
    for r in resources {
        let b = &r.body;
        match r.rtype.as_str() {
            "aws_security_group" => {
                for (i, rule) in b
                    .get("ingress")
                    .map(Node::items)
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                {
                    if open(rule.get("cidr_blocks")) || open(rule.get("ipv6_cidr_blocks")) {
                        if let Some(p) = aws_ports(rule) {
                            push(r, rule, format!("ingress[{i}]"), p);
                        }
                    }
                }
            }
            "aws_security_group_rule"
                if text(b.get("type")).as_deref() == Some("ingress")
                    && (open(b.get("cidr_blocks")) || open(b.get("ipv6_cidr_blocks"))) =>
            {
                if let Some(p) = aws_ports(b) {
                    push(
                        r,
                        b.get("cidr_blocks").unwrap_or(b),
                        "cidr_blocks".into(),
                        p,
                    );
                }
            }
            "aws_vpc_security_group_ingress_rule"
                if open(b.get("cidr_ipv4")) || open(b.get("cidr_ipv6")) =>
            {
                if let Some(p) = aws_ports(b) {
                    push(r, b.get("cidr_ipv4").unwrap_or(b), "cidr_ipv4".into(), p);
                }
            }
            "azurerm_network_security_rule" | "azurerm_network_security_group" => {
                let rules: Vec<&Node> = if r.rtype == "azurerm_network_security_rule" {
                    vec![b]
                } else {
                    b.get("security_rule").map(Node::items).unwrap_or_default()
                };
                for (i, rule) in rules.into_iter().enumerate() {
                    let is = |k: &str, v: &str| {
                        text(rule.get(k)).is_some_and(|t| t.eq_ignore_ascii_case(v))
                    };
                    if !is("direction", "Inbound") || !is("access", "Allow") {
                        continue;
                    }
                    if !(open(rule.get("source_address_prefix"))
                        || open(rule.get("source_address_prefixes")))
                    {
                        continue;
                    }
                    let mut ranges = Vec::new();
                    let mut every = false;
                    for k in ["destination_port_range", "destination_port_ranges"] {
                        for p in rule.get(k).map(Node::items).unwrap_or_default() {
                            match p.scalar_text().map(|s| port_spec(&s)) {
                                Some(None) => every = true,
                                Some(Some(v)) => ranges.extend(v),
                                None => {}
                            }
                        }
                    }
                    let attr = if r.rtype == "azurerm_network_security_rule" {
                        "source_address_prefix".to_string()
                    } else {
                        format!("security_rule[{i}]")
                    };
                    push(r, rule, attr, if every { None } else { Some(ranges) });
                }
            }
            "google_compute_firewall" => {
                let dir = text(b.get("direction")).unwrap_or_else(|| "INGRESS".into());
                if !dir.eq_ignore_ascii_case("INGRESS") || !open(b.get("source_ranges")) {
                    continue;
                }
                for (i, allow) in b
                    .get("allow")
                    .map(Node::items)
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                {
                    let ports = allow.get("ports").map(Node::items).unwrap_or_default();
                    let spec = if all_protocols(text(allow.get("protocol"))) || ports.is_empty() {
                        None
                    } else {
                        let mut v = Vec::new();
                        for p in ports {
                            if let Some(s) = p.scalar_text().and_then(|s| port_spec(&s)) {
                                v.extend(s);
                            }
                        }
                        Some(v)
                    };
                    push(r, allow, format!("allow[{i}]"), spec);
                }
            }
            "alicloud_security_group_rule" | "tencentcloud_security_group_rule" => {
                let ingress =
                    text(b.get("type")).is_some_and(|t| t.eq_ignore_ascii_case("ingress"));
                let accept = text(b.get("policy")).is_none_or(|p| p.eq_ignore_ascii_case("accept"));
                if !ingress || !accept || !open(b.get("cidr_ip")) {
                    continue;
                }
                let spec = if all_protocols(text(b.get("ip_protocol"))) {
                    None
                } else {
                    match text(b.get("port_range")) {
                        Some(s) => port_spec(&s),
                        None => None,
                    }
                };
                push(r, b.get("cidr_ip").unwrap_or(b), "cidr_ip".into(), spec);
            }
            "tencentcloud_security_group_lite_rule" => {
                // "ACCEPT#0.0.0.0/0#22#TCP"
                for (i, e) in b
                    .get("ingress")
                    .map(Node::items)
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                {
                    let Some(t) = e.scalar_text() else { continue };
                    let parts: Vec<&str> = t.split('#').collect();
                    let [action, cidr, port, proto] = parts.as_slice() else {
                        continue;
                    };
                    if !action.eq_ignore_ascii_case("accept")
                        || !OPEN_SOURCES.contains(&cidr.to_ascii_lowercase().as_str())
                    {
                        continue;
                    }
                    let spec = if all_protocols(Some(proto.to_string())) {
                        None
                    } else {
                        port_spec(port)
                    };
                    push(r, e, format!("ingress[{i}]"), spec);
                }
            }
            _ => {}
        }
    }
    out
}

fn ports_hit(ctx: &Ctx<'_>, list: &[(u16, &str)]) -> Vec<Hit> {
    let mut out = Vec::new();
    for rule in open_rules(&ctx.file.resources) {
        let Some(ranges) = &rule.ports else { continue };
        let hit: Vec<String> = list
            .iter()
            .filter(|(p, _)| {
                ranges
                    .iter()
                    .any(|(a, b)| *a <= *p as u32 && *p as u32 <= *b)
            })
            .map(|(p, n)| format!("{p} ({n})"))
            .collect();
        if !hit.is_empty() {
            out.push(
                Hit::new(rule.line, rule.address, rule.attribute)
                    .detail(format!("port {} open to the internet", hit.join(", "))),
            );
        }
    }
    out
}

pub fn admin_ports_open(ctx: &Ctx<'_>) -> Vec<Hit> {
    ports_hit(ctx, &ADMIN_PORTS)
}

pub fn db_ports_open(ctx: &Ctx<'_>) -> Vec<Hit> {
    ports_hit(ctx, &DB_PORTS)
}

pub fn all_ports_open(ctx: &Ctx<'_>) -> Vec<Hit> {
    open_rules(&ctx.file.resources)
        .into_iter()
        .filter(|r| r.ports.is_none())
        .map(|r| Hit::new(r.line, r.address, r.attribute).detail("every port open to the internet"))
        .collect()
}

/// Policy statements of a resource: JSON documents in strings, `jsonencode` objects, and
/// `aws_iam_policy_document` statement blocks; keys read case-insensitively.
fn statements(r: &Resource) -> Vec<(Node, u32)> {
    let mut docs = Vec::new();
    if r.rtype == "data.aws_iam_policy_document" {
        for s in r.body.get("statement").map(Node::items).unwrap_or_default() {
            docs.push((s.clone(), s.line));
        }
        return docs;
    }
    let attr = match r.rtype.as_str() {
        "aws_iam_policy"
        | "aws_iam_role_policy"
        | "aws_iam_user_policy"
        | "aws_iam_group_policy"
        | "aws_s3_bucket_policy" => "policy",
        "alicloud_ram_policy" => {
            if r.body.get("document").is_some() {
                "document"
            } else {
                "policy_document"
            }
        }
        "tencentcloud_cam_policy" => "document",
        _ => return docs,
    };
    let Some(p) = r.body.get(attr) else {
        return docs;
    };
    let doc = match &p.value {
        Value::Str(s) => match serde_json::from_str::<serde_json::Value>(s) {
            Ok(v) => from_json(&v, p.line),
            Err(_) => return docs,
        },
        Value::Map(_) => p.clone(),
        _ => return docs,
    };
    let st = ci_get(&doc, "statement").cloned();
    for s in st
        .map(|s| s.items().into_iter().cloned().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        docs.push((s, p.line));
    }
    docs
}

fn ci_get<'a>(n: &'a Node, key: &str) -> Option<&'a Node> {
    n.entries()
        .iter()
        .find(|e| e.key.eq_ignore_ascii_case(key))
        .map(|e| &e.value)
}

fn strings(n: Option<&Node>) -> Vec<String> {
    n.map(|n| n.items().iter().filter_map(|i| i.scalar_text()).collect())
        .unwrap_or_default()
}

fn allows(s: &Node) -> bool {
    ci_get(s, "effect")
        .and_then(Node::scalar_text)
        .is_none_or(|e| e.eq_ignore_ascii_case("allow"))
}

fn policy_hits(ctx: &Ctx<'_>, pick: impl Fn(&Node) -> Option<String>) -> Vec<Hit> {
    let mut out = Vec::new();
    for r in &ctx.file.resources {
        for (i, (s, line)) in statements(r).into_iter().enumerate() {
            if !allows(&s) {
                continue;
            }
            if let Some(d) = pick(&s) {
                out.push(
                    Hit::new(line.max(s.line), &r.address, format!("statement[{i}]")).detail(d),
                );
            }
        }
    }
    out
}

pub fn iam_admin_wildcard(ctx: &Ctx<'_>) -> Vec<Hit> {
    policy_hits(ctx, |s| {
        let actions = strings(ci_get(s, "action").or_else(|| ci_get(s, "actions")));
        let resources = strings(ci_get(s, "resource").or_else(|| ci_get(s, "resources")));
        (actions.iter().any(|a| a == "*") && resources.iter().any(|r| r == "*"))
            .then(|| "allows every action on every resource".to_string())
    })
}

pub fn iam_action_wildcard(ctx: &Ctx<'_>) -> Vec<Hit> {
    policy_hits(ctx, |s| {
        let actions = strings(ci_get(s, "action").or_else(|| ci_get(s, "actions")));
        let wild: Vec<&String> = actions.iter().filter(|a| a.ends_with(":*")).collect();
        (!wild.is_empty()).then(|| {
            format!(
                "allows every action of {}",
                wild.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    })
}

pub fn s3_policy_public(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for r in ctx
        .file
        .resources
        .iter()
        .filter(|r| r.rtype == "aws_s3_bucket_policy")
    {
        for (i, (s, line)) in statements(r).into_iter().enumerate() {
            if !allows(&s) || ci_get(&s, "condition").is_some() {
                continue;
            }
            let Some(p) = ci_get(&s, "principal") else {
                continue;
            };
            let public = p.scalar_text().as_deref() == Some("*")
                || p.entries()
                    .iter()
                    .any(|e| strings(Some(&e.value)).iter().any(|v| v == "*"));
            if public {
                out.push(Hit::new(
                    line,
                    &r.address,
                    format!("statement[{i}].Principal"),
                ));
            }
        }
    }
    out
}

/// Whether some resource of `rtype` in the module is about bucket `b` (its `bucket` refers to
/// the bucket resource or equals its name) and satisfies `ok`.
fn companion(ctx: &Ctx<'_>, b: &Resource, rtype: &str, ok: impl Fn(&Node) -> bool) -> bool {
    let name = b.body.get("bucket").and_then(Node::scalar_text);
    let reference = format!("aws_s3_bucket.{}.", b.name);
    ctx.module.iter().any(|r| {
        r.rtype == rtype
            && r.body.get("bucket").is_some_and(|v| match &v.value {
                Value::Expr(e) => e.contains(&reference),
                Value::Str(s) => name.as_deref() == Some(s),
                _ => false,
            })
            && ok(&r.body)
    })
}

fn buckets<'a>(ctx: &'a Ctx<'_>) -> impl Iterator<Item = &'a Resource> {
    ctx.file
        .resources
        .iter()
        .filter(|r| r.rtype == "aws_s3_bucket")
}

pub fn s3_no_encryption(ctx: &Ctx<'_>) -> Vec<Hit> {
    buckets(ctx)
        .filter(|b| {
            b.body.get("server_side_encryption_configuration").is_none()
                && !companion(
                    ctx,
                    b,
                    "aws_s3_bucket_server_side_encryption_configuration",
                    |_| true,
                )
        })
        .map(|b| Hit::new(b.line, &b.address, "server_side_encryption_configuration"))
        .collect()
}

pub fn s3_no_versioning(ctx: &Ctx<'_>) -> Vec<Hit> {
    buckets(ctx)
        .filter(|b| {
            !b.body.at("versioning.enabled").is_some_and(Node::is_true)
                && !companion(ctx, b, "aws_s3_bucket_versioning", |n| {
                    n.at("versioning_configuration.status")
                        .and_then(Node::scalar_text)
                        .is_some_and(|s| s.eq_ignore_ascii_case("enabled"))
                })
        })
        .map(|b| Hit::new(b.line, &b.address, "versioning"))
        .collect()
}

pub fn s3_no_logging(ctx: &Ctx<'_>) -> Vec<Hit> {
    buckets(ctx)
        .filter(|b| {
            b.body.get("logging").is_none_or(|l| l.items().is_empty())
                && !companion(ctx, b, "aws_s3_bucket_logging", |_| true)
        })
        .map(|b| Hit::new(b.line, &b.address, "logging"))
        .collect()
}

pub fn s3_no_public_access_block(ctx: &Ctx<'_>) -> Vec<Hit> {
    buckets(ctx)
        .filter(|b| !companion(ctx, b, "aws_s3_bucket_public_access_block", |_| true))
        .map(|b| Hit::new(b.line, &b.address, "aws_s3_bucket_public_access_block"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_specs() {
        assert_eq!(port_spec("22"), Some(vec![(22, 22)]));
        assert_eq!(port_spec("20-30"), Some(vec![(20, 30)]));
        assert_eq!(port_spec("22/22"), Some(vec![(22, 22)]));
        assert_eq!(port_spec("80,443"), Some(vec![(80, 80), (443, 443)]));
        assert_eq!(port_spec("*"), None);
        assert_eq!(port_spec("-1/-1"), None);
    }
}

//! docker-compose checks that need logic (the simple ones are data). Addresses are
//! `services.<name>`.

use super::{image_tag_problem, literal_secret_value, port_name, secret_name, Ctx, Hit};
use crate::tree::{Node, Value};

fn services<'a>(ctx: &'a Ctx<'_>) -> impl Iterator<Item = &'a crate::input::Resource> {
    ctx.file.resources.iter().filter(|r| r.rtype == "service")
}

pub fn image_tag(ctx: &Ctx<'_>) -> Vec<Hit> {
    services(ctx)
        .filter_map(|s| {
            let img = s.body.get("image")?;
            let text = img.scalar_text()?;
            let p = image_tag_problem(&text)?;
            Some(Hit::new(img.line, &s.address, "image").detail(format!("image `{text}` {p}")))
        })
        .collect()
}

/// `environment:` as a mapping or as a list of `KEY=value`.
fn environment(n: &Node) -> Vec<(String, Option<String>, u32)> {
    let Some(env) = n.get("environment") else {
        return Vec::new();
    };
    match &env.value {
        Value::Map(entries) => entries
            .iter()
            .map(|e| (e.key.clone(), e.value.scalar_text(), e.line))
            .collect(),
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| {
                let t = i.scalar_text()?;
                let (k, v) = match t.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (t, None),
                };
                Some((k, v, i.line))
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub fn secret_env(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for s in services(ctx) {
        for (k, v, line) in environment(&s.body) {
            if secret_name(&k) && v.as_deref().is_some_and(literal_secret_value) {
                out.push(
                    Hit::new(line, &s.address, format!("environment.{k}"))
                        .detail(format!("variable `{k}`")),
                );
            }
        }
    }
    out
}

pub fn runtime_socket(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for s in services(ctx) {
        for v in s.body.get("volumes").map(Node::items).unwrap_or_default() {
            let src = match &v.value {
                Value::Str(t) => t.split(':').next().unwrap_or("").to_string(),
                Value::Map(_) => v
                    .get("source")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default(),
                _ => continue,
            };
            if src.ends_with("docker.sock")
                || src.ends_with("containerd.sock")
                || src.ends_with("podman.sock")
            {
                out.push(Hit::new(v.line, &s.address, "volumes").detail(format!("mounts `{src}`")));
            }
        }
    }
    out
}

pub fn resource_limits(ctx: &Ctx<'_>) -> Vec<Hit> {
    services(ctx)
        .filter(|s| {
            s.body.at("deploy.resources.limits").is_none()
                && s.body.get("mem_limit").is_none()
                && s.body.get("cpus").is_none()
        })
        .map(|s| Hit::new(s.line, &s.address, "deploy.resources.limits"))
        .collect()
}

/// The host side of a published port: (host address, host port) of `"[ip:]host:container"`
/// or the long syntax.
fn published(p: &Node) -> Option<(String, u16)> {
    match &p.value {
        Value::Map(_) => {
            let port = p.get("published")?.as_i64()?;
            let ip = p
                .get("host_ip")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            Some((ip, u16::try_from(port).ok()?))
        }
        _ => {
            let t = p.scalar_text()?;
            let t = t.split('/').next()?;
            let parts: Vec<&str> = t.rsplitn(3, ':').collect();
            match parts.as_slice() {
                [_, host] => Some((String::new(), host.parse().ok()?)),
                [_, host, ip] => Some((ip.to_string(), host.parse().ok()?)),
                _ => None,
            }
        }
    }
}

pub fn exposed_admin_port(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for s in services(ctx) {
        for p in s.body.get("ports").map(Node::items).unwrap_or_default() {
            let Some((ip, port)) = published(p) else {
                continue;
            };
            let local = ip.starts_with("127.") || ip == "localhost" || ip == "::1" || ip == "[::1]";
            if local {
                continue;
            }
            if let Some(name) = port_name(port) {
                out.push(
                    Hit::new(p.line, &s.address, format!("ports[{port}]"))
                        .detail(format!("port {port} ({name}) published on all interfaces")),
                );
            }
        }
    }
    out
}

//! Kubernetes checks on workloads (the pod template of every workload kind), services,
//! namespaces and network policies. Addresses are `Kind/namespace/name`; a container's
//! attribute path is `<pod spec path>.containers[name].<field>`.

use super::{image_tag_problem, literal_secret_value, port_name, secret_name, Ctx, Hit};
use super::{ADMIN_PORTS, DB_PORTS};
use crate::input::Resource;
use crate::tree::Node;

/// Where each workload kind keeps its pod spec.
fn pod_spec_path(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Pod" => "spec",
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => "spec.template.spec",
        "CronJob" => "spec.jobTemplate.spec.template.spec",
        _ => return None,
    })
}

struct Pod<'a> {
    r: &'a Resource,
    spec: &'a Node,
    path: &'static str,
}

fn pods<'a>(ctx: &'a Ctx<'_>) -> Vec<Pod<'a>> {
    ctx.file
        .resources
        .iter()
        .filter_map(|r| {
            let path = pod_spec_path(&r.rtype)?;
            let spec = r.body.at(path)?;
            Some(Pod { r, spec, path })
        })
        .collect()
}

struct Container<'a> {
    node: &'a Node,
    name: String,
    /// `containers[web]`, `initContainers[setup]`.
    path: String,
    init: bool,
}

fn containers<'a>(p: &Pod<'a>) -> Vec<Container<'a>> {
    let mut out = Vec::new();
    for key in ["containers", "initContainers", "ephemeralContainers"] {
        let Some(list) = p.spec.get(key) else {
            continue;
        };
        for c in list.items() {
            let name = c
                .get("name")
                .and_then(Node::scalar_text)
                .unwrap_or_else(|| "unnamed".into());
            out.push(Container {
                node: c,
                path: format!("{}.{key}[{name}]", p.path),
                name,
                init: key != "containers",
            });
        }
    }
    out
}

/// One hit per container for which `bad` returns the line it is about.
fn per_container(
    ctx: &Ctx<'_>,
    field: &str,
    bad: impl Fn(&Pod<'_>, &Container<'_>) -> Option<u32>,
) -> Vec<Hit> {
    let mut out = Vec::new();
    for p in pods(ctx) {
        for c in containers(&p) {
            if let Some(line) = bad(&p, &c) {
                out.push(
                    Hit::new(line, &p.r.address, format!("{}.{field}", c.path))
                        .detail(format!("container `{}`", c.name)),
                );
            }
        }
    }
    out
}

fn line_or(n: Option<&Node>, fallback: u32) -> u32 {
    n.map_or(fallback, |n| n.line)
}

pub fn privileged(ctx: &Ctx<'_>) -> Vec<Hit> {
    per_container(ctx, "securityContext.privileged", |_, c| {
        let v = c.node.at("securityContext.privileged")?;
        v.is_true().then_some(v.line)
    })
}

pub fn privilege_escalation(ctx: &Ctx<'_>) -> Vec<Hit> {
    per_container(ctx, "securityContext.allowPrivilegeEscalation", |_, c| {
        let v = c.node.at("securityContext.allowPrivilegeEscalation");
        if v.is_some_and(Node::is_false) {
            return None;
        }
        Some(line_or(v, c.node.line))
    })
}

pub fn root(ctx: &Ctx<'_>) -> Vec<Hit> {
    per_container(ctx, "securityContext.runAsNonRoot", |p, c| {
        let own = |k: &str| c.node.at(&format!("securityContext.{k}"));
        let pod = |k: &str| p.spec.at(&format!("securityContext.{k}"));
        // The container's setting wins over the pod's.
        let uid = own("runAsUser").or_else(|| pod("runAsUser"));
        if let Some(u) = uid {
            if u.as_i64() == Some(0) {
                return Some(u.line);
            }
            if u.as_i64().is_some_and(|u| u > 0) {
                return None;
            }
        }
        let non_root = own("runAsNonRoot").or_else(|| pod("runAsNonRoot"));
        match non_root {
            Some(n) if n.is_true() => None,
            Some(n) => Some(n.line),
            None => Some(c.node.line),
        }
    })
}

fn pod_flag(ctx: &Ctx<'_>, field: &str) -> Vec<Hit> {
    pods(ctx)
        .into_iter()
        .filter_map(|p| {
            let v = p.spec.get(field)?;
            v.is_true()
                .then(|| Hit::new(v.line, &p.r.address, format!("{}.{field}", p.path)))
        })
        .collect()
}

pub fn host_network(ctx: &Ctx<'_>) -> Vec<Hit> {
    pod_flag(ctx, "hostNetwork")
}

pub fn host_pid(ctx: &Ctx<'_>) -> Vec<Hit> {
    pod_flag(ctx, "hostPID")
}

pub fn host_ipc(ctx: &Ctx<'_>) -> Vec<Hit> {
    pod_flag(ctx, "hostIPC")
}

pub fn added_capabilities(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for p in pods(ctx) {
        for c in containers(&p) {
            let Some(add) = c.node.at("securityContext.capabilities.add") else {
                continue;
            };
            let caps: Vec<String> = add.items().iter().filter_map(|n| n.scalar_text()).collect();
            // NET_BIND_SERVICE is the one capability the restricted policy allows adding.
            let caps: Vec<String> = caps
                .into_iter()
                .filter(|c| !c.eq_ignore_ascii_case("NET_BIND_SERVICE"))
                .collect();
            if !caps.is_empty() {
                out.push(
                    Hit::new(
                        add.line,
                        &p.r.address,
                        format!("{}.securityContext.capabilities.add", c.path),
                    )
                    .detail(format!(
                        "container `{}` adds {}",
                        c.name,
                        caps.join(", ")
                    )),
                );
            }
        }
    }
    out
}

pub fn drop_all(ctx: &Ctx<'_>) -> Vec<Hit> {
    per_container(ctx, "securityContext.capabilities.drop", |_, c| {
        let drop = c.node.at("securityContext.capabilities.drop");
        let all = drop.is_some_and(|d| {
            d.items().iter().any(|n| {
                n.scalar_text()
                    .is_some_and(|s| s.eq_ignore_ascii_case("ALL"))
            })
        });
        (!all).then(|| line_or(drop, c.node.line))
    })
}

pub fn writable_root(ctx: &Ctx<'_>) -> Vec<Hit> {
    per_container(ctx, "securityContext.readOnlyRootFilesystem", |_, c| {
        let v = c.node.at("securityContext.readOnlyRootFilesystem");
        (!v.is_some_and(Node::is_true)).then(|| line_or(v, c.node.line))
    })
}

pub fn resource_limits(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for p in pods(ctx) {
        for c in containers(&p) {
            let limits = c.node.at("resources.limits");
            let missing: Vec<&str> = ["cpu", "memory"]
                .into_iter()
                .filter(|k| limits.and_then(|l| l.get(k)).is_none())
                .collect();
            if !missing.is_empty() {
                out.push(
                    Hit::new(
                        line_or(limits, c.node.line),
                        &p.r.address,
                        format!("{}.resources.limits", c.path),
                    )
                    .detail(format!(
                        "container `{}` has no {} limit",
                        c.name,
                        missing.join(" or ")
                    )),
                );
            }
        }
    }
    out
}

pub fn image_tag(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for p in pods(ctx) {
        for c in containers(&p) {
            let Some(img) = c.node.get("image") else {
                continue;
            };
            let Some(text) = img.scalar_text() else {
                continue;
            };
            if let Some(problem) = image_tag_problem(&text) {
                out.push(
                    Hit::new(img.line, &p.r.address, format!("{}.image", c.path))
                        .detail(format!("container `{}`: image `{text}` {problem}", c.name)),
                );
            }
        }
    }
    out
}

pub fn secret_env(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for p in pods(ctx) {
        for c in containers(&p) {
            let Some(env) = c.node.get("env") else {
                continue;
            };
            for e in env.items() {
                let (Some(name), Some(value)) =
                    (e.get("name").and_then(Node::scalar_text), e.get("value"))
                else {
                    continue;
                };
                if secret_name(&name)
                    && value
                        .scalar_text()
                        .is_some_and(|v| literal_secret_value(&v))
                {
                    out.push(
                        Hit::new(value.line, &p.r.address, format!("{}.env.{name}", c.path))
                            .detail(format!("container `{}`, variable `{name}`", c.name)),
                    );
                }
            }
        }
    }
    out
}

pub fn probes(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for p in pods(ctx) {
        // Run-to-completion workloads have nothing to probe.
        if matches!(&*p.r.rtype, "Job" | "CronJob") {
            continue;
        }
        for c in containers(&p).into_iter().filter(|c| !c.init) {
            if c.node.get("livenessProbe").is_none() && c.node.get("readinessProbe").is_none() {
                out.push(
                    Hit::new(
                        c.node.line,
                        &p.r.address,
                        format!("{}.livenessProbe", c.path),
                    )
                    .detail(format!("container `{}`", c.name)),
                );
            }
        }
    }
    out
}

pub fn token_automount(ctx: &Ctx<'_>) -> Vec<Hit> {
    pods(ctx)
        .into_iter()
        .filter_map(|p| {
            let v = p.spec.get("automountServiceAccountToken");
            (!v.is_some_and(Node::is_false)).then(|| {
                Hit::new(
                    line_or(v, p.r.line),
                    &p.r.address,
                    format!("{}.automountServiceAccountToken", p.path),
                )
            })
        })
        .collect()
}

/// Kinds that live outside namespaces.
const CLUSTER_SCOPED: [&str; 14] = [
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "StorageClass",
    "PriorityClass",
    "IngressClass",
    "RuntimeClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "APIService",
    "PodSecurityPolicy",
];

pub fn default_namespace(ctx: &Ctx<'_>) -> Vec<Hit> {
    ctx.file
        .resources
        .iter()
        .filter(|r| !CLUSTER_SCOPED.contains(&r.rtype.as_str()))
        .filter(|r| r.namespace.as_deref().is_none_or(|n| n == "default"))
        .map(|r| {
            let line = line_or(r.body.at("metadata.namespace"), r.line);
            Hit::new(line, &r.address, "metadata.namespace")
        })
        .collect()
}

pub fn exposed_admin_port(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for r in ctx.file.resources.iter().filter(|r| r.rtype == "Service") {
        let Some(t) = r.body.at("spec.type").and_then(Node::scalar_text) else {
            continue;
        };
        if t != "NodePort" && t != "LoadBalancer" {
            continue;
        }
        let Some(ports) = r.body.at("spec.ports") else {
            continue;
        };
        for p in ports.items() {
            let nums = ["port", "targetPort"]
                .iter()
                .filter_map(|k| p.get(k).and_then(Node::as_i64))
                .collect::<Vec<_>>();
            let hit = nums.iter().find_map(|&n| {
                let n = u16::try_from(n).ok()?;
                ADMIN_PORTS
                    .iter()
                    .chain(DB_PORTS.iter())
                    .any(|(q, _)| *q == n)
                    .then_some(n)
            });
            if let Some(n) = hit {
                out.push(
                    Hit::new(p.line, &r.address, format!("spec.ports[{n}]")).detail(format!(
                        "{t} service exposes port {n} ({})",
                        port_name(n).unwrap_or("admin")
                    )),
                );
            }
        }
    }
    out
}

pub fn network_policy(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for p in pods(ctx) {
        let ns = p.r.namespace.clone().unwrap_or_else(|| "default".into());
        if ctx.facts.network_policy_namespaces.contains(&ns) || !seen.insert(ns.clone()) {
            continue;
        }
        out.push(
            Hit::new(p.r.line, &p.r.address, "NetworkPolicy")
                .detail(format!("namespace `{ns}` has no NetworkPolicy")),
        );
    }
    out
}

fn volumes<'a>(p: &Pod<'a>) -> Vec<&'a Node> {
    p.spec.get("volumes").map(Node::items).unwrap_or_default()
}

const RUNTIME_SOCKETS: [&str; 5] = [
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "cri-dockerd.sock",
    "podman.sock",
];

fn is_runtime_socket(path: &str) -> bool {
    RUNTIME_SOCKETS.iter().any(|s| path.ends_with(s))
}

pub fn host_path(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for p in pods(ctx) {
        for v in volumes(&p) {
            let Some(hp) = v.at("hostPath.path").and_then(Node::scalar_text) else {
                continue;
            };
            if is_runtime_socket(&hp) {
                continue;
            }
            let name = v
                .get("name")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            out.push(
                Hit::new(
                    v.line,
                    &p.r.address,
                    format!("{}.volumes[{name}].hostPath", p.path),
                )
                .detail(format!("volume `{name}` mounts `{hp}` from the node")),
            );
        }
    }
    out
}

pub fn runtime_socket(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for p in pods(ctx) {
        for v in volumes(&p) {
            let Some(hp) = v.at("hostPath.path").and_then(Node::scalar_text) else {
                continue;
            };
            if is_runtime_socket(&hp) {
                let name = v
                    .get("name")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default();
                out.push(
                    Hit::new(
                        v.line,
                        &p.r.address,
                        format!("{}.volumes[{name}].hostPath", p.path),
                    )
                    .detail(format!("volume `{name}` mounts `{hp}`")),
                );
            }
        }
    }
    out
}

pub fn host_port(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for p in pods(ctx) {
        for c in containers(&p) {
            for port in c.node.get("ports").map(Node::items).unwrap_or_default() {
                if let Some(h) = port
                    .get("hostPort")
                    .filter(|h| h.as_i64().is_some_and(|n| n > 0))
                {
                    out.push(
                        Hit::new(h.line, &p.r.address, format!("{}.ports.hostPort", c.path))
                            .detail(format!(
                                "container `{}` binds host port {}",
                                c.name,
                                h.as_i64().unwrap_or(0)
                            )),
                    );
                }
            }
        }
    }
    out
}

pub fn seccomp(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for p in pods(ctx) {
        let pod_level = p.spec.at("securityContext.seccompProfile.type");
        let ok = |n: Option<&Node>| {
            n.and_then(Node::scalar_text)
                .is_some_and(|t| t == "RuntimeDefault" || t == "Localhost")
        };
        if ok(pod_level) {
            continue;
        }
        let cs = containers(&p);
        if !cs.is_empty()
            && cs
                .iter()
                .all(|c| ok(c.node.at("securityContext.seccompProfile.type")))
        {
            continue;
        }
        out.push(Hit::new(
            line_or(pod_level, p.r.line),
            &p.r.address,
            format!("{}.securityContext.seccompProfile", p.path),
        ));
    }
    out
}

//! CI definitions: GitHub Actions workflows (addresses `jobs.<id>`, or `workflow` for
//! workflow-level settings) and GitLab CI files (addresses are job names, or `variables` /
//! `include` for top-level keys).

use std::sync::LazyLock;

use regex::Regex;

use super::{disables_tls, image_tag_problem, literal_secret_value, pipes_to_shell, secret_name};
use super::{Ctx, Hit};
use crate::input::Resource;
use crate::tree::{Node, Value};

fn jobs<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a Resource> {
    ctx.file.resources.iter().filter(|r| r.rtype == "job")
}

/// `(step index, step)` of a GitHub job.
fn steps(job: &Node) -> Vec<(usize, &Node)> {
    job.get("steps")
        .map(|s| s.items().into_iter().enumerate().collect())
        .unwrap_or_default()
}

static UNTRUSTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\$\{\{[^}]*\b(github\.event\.(issue\.(title|body)|pull_request\.(title|body|head\.ref|head\.label|head\.repo\.default_branch)|comment\.body|review\.body|review_comment\.body|pages\.[^}]*\.page_name|commits\.[^}]*\.(message|author\.(email|name))|head_commit\.(message|author\.(email|name))|workflow_run\.(head_branch|head_commit\.message|head_commit\.author\.(email|name)|display_title)|discussion\.(title|body))|github\.head_ref)\b[^}]*\}\}",
    )
    .expect("a valid regex")
});

pub fn gha_script_injection(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for j in jobs(ctx) {
        for (i, s) in steps(&j.body) {
            let script = s.get("run").or_else(|| {
                let uses = s.get("uses")?.scalar_text()?;
                uses.starts_with("actions/github-script")
                    .then(|| s.at("with.script"))
                    .flatten()
            });
            let Some(script) = script else { continue };
            let Some(text) = script.scalar_text() else {
                continue;
            };
            if let Some(m) = UNTRUSTED.find(&text) {
                out.push(
                    Hit::new(script.line, &j.address, format!("steps[{i}].run"))
                        .detail(format!("`{}` is expanded into the script", m.as_str())),
                );
            }
        }
    }
    out
}

/// The workflow's triggers: `on: push`, `on: [push, pull_request]`, or a mapping.
fn triggers(root: &Node) -> Vec<String> {
    let Some(on) = root.get("on").or_else(|| root.get("true")) else {
        return Vec::new();
    };
    match &on.value {
        Value::Map(e) => e.iter().map(|e| e.key.clone()).collect(),
        _ => on.items().iter().filter_map(|n| n.scalar_text()).collect(),
    }
}

pub fn gha_pr_target_checkout(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for d in &ctx.file.docs {
        if !triggers(&d.root).iter().any(|t| t == "pull_request_target") {
            continue;
        }
        for e in d.root.get("jobs").map(Node::entries).unwrap_or_default() {
            for (i, s) in steps(&e.value) {
                let uses = s
                    .get("uses")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default();
                if !uses.starts_with("actions/checkout") {
                    continue;
                }
                let Some(r) = s.at("with.ref") else { continue };
                let t = r.scalar_text().unwrap_or_default();
                if t.contains("github.event.pull_request.head")
                    || t.contains("github.head_ref")
                    || t.contains("refs/pull/")
                {
                    out.push(
                        Hit::new(
                            r.line,
                            format!("jobs.{}", e.key),
                            format!("steps[{i}].with.ref"),
                        )
                        .detail(format!(
                            "checks out `{t}` in a pull_request_target workflow"
                        )),
                    );
                }
            }
        }
    }
    out
}

static SHA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9a-f]{40}$").expect("a valid regex"));

pub fn gha_unpinned_action(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for j in jobs(ctx) {
        let mut uses: Vec<(String, &Node)> = Vec::new();
        if let Some(u) = j.body.get("uses") {
            uses.push(("uses".into(), u));
        }
        for (i, s) in steps(&j.body) {
            if let Some(u) = s.get("uses") {
                uses.push((format!("steps[{i}].uses"), u));
            }
        }
        for (attr, u) in uses {
            let Some(t) = u.scalar_text() else { continue };
            let pinned = if t.starts_with("./") {
                true
            } else if let Some(img) = t.strip_prefix("docker://") {
                img.contains("@sha256:")
            } else {
                let owner = t.split('/').next().unwrap_or("");
                let r = t.rsplit_once('@').map(|(_, r)| r).unwrap_or("");
                owner == "actions" || owner == "github" || SHA.is_match(r)
            };
            if !pinned {
                out.push(
                    Hit::new(u.line, &j.address, attr)
                        .detail(format!("`{t}` is not pinned to a commit SHA")),
                );
            }
        }
    }
    out
}

fn write_all(n: Option<&Node>) -> Option<u32> {
    let n = n?;
    (n.scalar_text().as_deref() == Some("write-all")).then_some(n.line)
}

pub fn gha_write_all(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for d in &ctx.file.docs {
        if let Some(l) = write_all(d.root.get("permissions")) {
            out.push(Hit::new(l, "workflow", "permissions"));
        }
    }
    for j in jobs(ctx) {
        if let Some(l) = write_all(j.body.get("permissions")) {
            out.push(Hit::new(l, &j.address, "permissions"));
        }
    }
    out
}

pub fn gha_no_permissions(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for d in &ctx.file.docs {
        if d.root.get("jobs").is_none() || d.root.get("permissions").is_some() {
            continue;
        }
        let all_jobs_set = d
            .root
            .get("jobs")
            .map(|j| {
                j.entries()
                    .iter()
                    .all(|e| e.value.get("permissions").is_some())
            })
            .unwrap_or(false);
        if !all_jobs_set {
            out.push(Hit::new(d.line.max(1), "workflow", "permissions"));
        }
    }
    out
}

/// Every `env:` mapping of a workflow: top level, jobs, steps.
fn envs(root: &Node) -> Vec<(String, &Node)> {
    let mut out = Vec::new();
    if let Some(e) = root.get("env") {
        out.push(("workflow".to_string(), e));
    }
    for j in root.get("jobs").map(Node::entries).unwrap_or_default() {
        if let Some(e) = j.value.get("env") {
            out.push((format!("jobs.{}", j.key), e));
        }
        for (_, s) in steps(&j.value) {
            if let Some(e) = s.get("env") {
                out.push((format!("jobs.{}", j.key), e));
            }
        }
    }
    out
}

pub fn gha_unsecure_commands(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for d in &ctx.file.docs {
        for (addr, env) in envs(&d.root) {
            if let Some(v) = env.get("ACTIONS_ALLOW_UNSECURE_COMMANDS") {
                if v.is_true() {
                    out.push(Hit::new(
                        v.line,
                        addr,
                        "env.ACTIONS_ALLOW_UNSECURE_COMMANDS",
                    ));
                }
            }
        }
    }
    out
}

pub fn gha_pipe_to_shell(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for j in jobs(ctx) {
        for (i, s) in steps(&j.body) {
            let Some(run) = s.get("run") else { continue };
            if run.scalar_text().is_some_and(|t| pipes_to_shell(&t)) {
                out.push(Hit::new(run.line, &j.address, format!("steps[{i}].run")));
            }
        }
    }
    out
}

/// Script lines of a GitLab job (`before_script`, `script`, `after_script`), with their keys.
fn scripts(job: &Node) -> Vec<(String, &Node)> {
    let mut out = Vec::new();
    for k in ["before_script", "script", "after_script"] {
        if let Some(s) = job.get(k) {
            for (i, l) in s.items().into_iter().enumerate() {
                out.push((format!("{k}[{i}]"), l));
            }
        }
    }
    out
}

/// Script lines of every job and of the `default` section.
fn gitlab_script_lines<'a>(ctx: &Ctx<'a>) -> Vec<(String, String, &'a Node)> {
    let mut out = Vec::new();
    for j in jobs(ctx) {
        for (a, l) in scripts(&j.body) {
            out.push((j.address.clone(), a, l));
        }
    }
    for d in &ctx.file.docs {
        for (a, l) in scripts(&d.root) {
            out.push(("default".into(), a, l));
        }
        if let Some(def) = d.root.get("default") {
            for (a, l) in scripts(def) {
                out.push(("default".into(), a, l));
            }
        }
    }
    out
}

static PRINTS_VAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(echo|printf|print)\b[^;&|\n]*\$\{?([A-Za-z_][A-Za-z0-9_]*)")
        .expect("a valid regex")
});
static PRINTS_ALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(printenv|env|export|set(\s+-x)?|declare\s+-p)\s*(\||$)")
        .expect("a valid regex")
});

const GITLAB_SECRETS: [&str; 4] = [
    "CI_JOB_TOKEN",
    "CI_REGISTRY_PASSWORD",
    "CI_DEPLOY_PASSWORD",
    "CI_JOB_JWT",
];

pub fn gitlab_secret_printed(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for (addr, attr, l) in gitlab_script_lines(ctx) {
        let Some(t) = l.scalar_text() else { continue };
        for line in t.lines() {
            let var = PRINTS_VAR
                .captures_iter(line)
                .filter_map(|c| c.get(2).map(|m| m.as_str().to_string()))
                .find(|v| secret_name(v) || GITLAB_SECRETS.contains(&v.as_str()));
            let detail = match var {
                Some(v) => format!("prints `${v}` into the job log"),
                None if PRINTS_ALL.is_match(line) => {
                    format!("`{}` prints every variable into the job log", line.trim())
                }
                None => continue,
            };
            out.push(Hit::new(l.line, &addr, attr.clone()).detail(detail));
            break;
        }
    }
    out
}

fn is_deploy(job: &Node) -> bool {
    let stage = job
        .get("stage")
        .and_then(Node::scalar_text)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let env = job
        .get("environment")
        .and_then(|e| {
            e.scalar_text()
                .or_else(|| e.get("name").and_then(Node::scalar_text))
        })
        .unwrap_or_default()
        .to_ascii_lowercase();
    stage.contains("deploy")
        || stage.contains("release")
        || env.starts_with("prod")
        || env.starts_with("live")
}

fn restricted(job: &Node) -> bool {
    if job.get("when").and_then(Node::scalar_text).as_deref() == Some("manual") {
        return true;
    }
    const GUARDS: [&str; 6] = [
        "CI_COMMIT_BRANCH",
        "CI_DEFAULT_BRANCH",
        "CI_COMMIT_REF_PROTECTED",
        "CI_COMMIT_TAG",
        "CI_COMMIT_REF_NAME",
        "when: manual",
    ];
    if let Some(rules) = job.get("rules") {
        for r in rules.items() {
            let cond = r.get("if").and_then(Node::scalar_text).unwrap_or_default();
            let manual = r.get("when").and_then(Node::scalar_text).as_deref() == Some("manual");
            if manual || GUARDS.iter().any(|g| cond.contains(g)) {
                return true;
            }
        }
    }
    if let Some(only) = job.get("only") {
        let refs = only.get("refs").unwrap_or(only);
        return refs
            .items()
            .iter()
            .filter_map(|n| n.scalar_text())
            .all(|r| r != "branches" && r != "merge_requests" && r != "pushes");
    }
    false
}

pub fn gitlab_unprotected_deploy(ctx: &Ctx<'_>) -> Vec<Hit> {
    jobs(ctx)
        .filter(|j| is_deploy(&j.body) && !restricted(&j.body))
        .map(|j| Hit::new(j.line, &j.address, "rules"))
        .collect()
}

pub fn gitlab_secret_variable(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut sections: Vec<(String, &Node)> = Vec::new();
    for d in &ctx.file.docs {
        if let Some(v) = d.root.get("variables") {
            sections.push(("variables".into(), v));
        }
    }
    for j in jobs(ctx) {
        if let Some(v) = j.body.get("variables") {
            sections.push((j.address.clone(), v));
        }
    }
    for (addr, vars) in sections {
        for e in vars.entries() {
            let value = match &e.value.value {
                Value::Map(_) => e.value.get("value").and_then(Node::scalar_text),
                _ => e.value.scalar_text(),
            };
            if secret_name(&e.key) && value.as_deref().is_some_and(literal_secret_value) {
                out.push(
                    Hit::new(e.line, &addr, format!("variables.{}", e.key))
                        .detail(format!("variable `{}`", e.key)),
                );
            }
        }
    }
    out
}

pub fn gitlab_image_tag(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut images: Vec<(String, &Node)> = Vec::new();
    for d in &ctx.file.docs {
        if let Some(i) = d.root.get("image").or_else(|| d.root.at("default.image")) {
            images.push(("default".into(), i));
        }
    }
    for j in jobs(ctx) {
        if let Some(i) = j.body.get("image") {
            images.push((j.address.clone(), i));
        }
    }
    images
        .into_iter()
        .filter_map(|(addr, i)| {
            let t = i
                .scalar_text()
                .or_else(|| i.get("name").and_then(Node::scalar_text))?;
            let p = image_tag_problem(&t)?;
            Some(Hit::new(i.line, addr, "image").detail(format!("image `{t}` {p}")))
        })
        .collect()
}

pub fn gitlab_pipe_to_shell(ctx: &Ctx<'_>) -> Vec<Hit> {
    gitlab_script_lines(ctx)
        .into_iter()
        .filter(|(_, _, l)| l.scalar_text().is_some_and(|t: String| pipes_to_shell(&t)))
        .map(|(addr, attr, l)| Hit::new(l.line, addr, attr))
        .collect()
}

pub fn gitlab_tls_disabled(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out: Vec<Hit> = gitlab_script_lines(ctx)
        .into_iter()
        .filter(|(_, _, l)| l.scalar_text().is_some_and(|t: String| disables_tls(&t)))
        .map(|(addr, attr, l)| Hit::new(l.line, addr, attr))
        .collect();
    let mut sections: Vec<(String, &Node)> = Vec::new();
    for d in &ctx.file.docs {
        if let Some(v) = d.root.get("variables") {
            sections.push(("variables".into(), v));
        }
    }
    for j in jobs(ctx) {
        if let Some(v) = j.body.get("variables") {
            sections.push((j.address.clone(), v));
        }
    }
    for (addr, vars) in sections {
        for e in vars.entries() {
            let v = e.value.scalar_text().unwrap_or_default();
            if disables_tls(&format!("{}={v}", e.key)) {
                out.push(Hit::new(e.line, &addr, format!("variables.{}", e.key)));
            }
        }
    }
    out
}

pub fn gitlab_http_include(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for d in &ctx.file.docs {
        let Some(inc) = d.root.get("include") else {
            continue;
        };
        for i in inc.items() {
            let remote = match &i.value {
                Value::Map(_) => i.get("remote"),
                _ => Some(i),
            };
            let Some(r) = remote else { continue };
            if r.scalar_text()
                .is_some_and(|t| t.to_ascii_lowercase().starts_with("http://"))
            {
                out.push(Hit::new(r.line, "include", "include.remote"));
            }
        }
    }
    out
}

//! The inputs: which files are which (by name, then by content), and how each is read into
//! resources that checks look at.
//!
//! | input | detected by | resources (address) |
//! |---|---|---|
//! | Dockerfile | `Dockerfile`, `Dockerfile.*`, `*.dockerfile`, `Containerfile` | stages (`stage:build`, `stage[0]`) |
//! | Kubernetes | `*.yaml`/`*.yml` whose documents have `apiVersion` and `kind` | objects (`Deployment/default/web`); `kind: *List` items |
//! | compose | `docker-compose*.yml`, `compose*.yml` | services (`services.web`) |
//! | Terraform | `*.tf` (and `*.tfvars` for values), read per directory | resources (`aws_s3_bucket.logs`, `data.aws_iam_policy_document.p`) |
//! | Terraform plan | `*.json` with `planned_values` (`terraform show -json`) | `planned_values` resources, by their plan address |
//! | GitHub Actions | `.github/workflows/*.yml` | jobs (`jobs.build`) |
//! | GitLab CI | `.gitlab-ci.yml`, `*.gitlab-ci.yml`, and local `include:` files | jobs (`deploy`) |

pub mod docker;
pub mod hcl;
pub mod yaml;

use crate::tree::{from_json, Node, Value};
use yaml::Document;

/// What kind of input a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Dockerfile,
    Kubernetes,
    Compose,
    Terraform,
    TerraformPlan,
    GithubActions,
    GitlabCi,
}

impl Kind {
    /// The name checks use in `input:` (a plan is `terraform`: the same checks read both).
    pub fn input_name(self) -> &'static str {
        match self {
            Kind::Dockerfile => "dockerfile",
            Kind::Kubernetes => "kubernetes",
            Kind::Compose => "compose",
            Kind::Terraform | Kind::TerraformPlan => "terraform",
            Kind::GithubActions => "github-actions",
            Kind::GitlabCi => "gitlab-ci",
        }
    }

    pub const INPUT_NAMES: [&'static str; 6] = [
        "dockerfile",
        "kubernetes",
        "compose",
        "terraform",
        "github-actions",
        "gitlab-ci",
    ];
}

/// What a file's name says it may be; `Yaml` and `Json` need a look at the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameGuess {
    Known(Kind),
    /// Terraform variable values, read with the module's `.tf` files.
    TfVars,
    Yaml,
    Json,
}

/// Classifies a project-relative path (`/`-separated) by its name.
pub fn guess(rel: &str) -> Option<NameGuess> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    if lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
    {
        // `Dockerfile.md` and friends are documentation, not Dockerfiles.
        let ext = lower.rsplit('.').next().unwrap_or("");
        if matches!(ext, "md" | "txt" | "json" | "yml" | "yaml" | "sh" | "py") {
            return None;
        }
        return Some(NameGuess::Known(Kind::Dockerfile));
    }
    if lower.ends_with(".tf") {
        return Some(NameGuess::Known(Kind::Terraform));
    }
    if lower == "terraform.tfvars" || lower.ends_with(".auto.tfvars") {
        return Some(NameGuess::TfVars);
    }
    if yaml {
        if rel.contains(".github/workflows/") {
            return Some(NameGuess::Known(Kind::GithubActions));
        }
        if lower == ".gitlab-ci.yml" || lower.ends_with(".gitlab-ci.yml") {
            return Some(NameGuess::Known(Kind::GitlabCi));
        }
        if lower.starts_with("docker-compose") || lower.starts_with("compose.") {
            return Some(NameGuess::Known(Kind::Compose));
        }
        return Some(NameGuess::Yaml);
    }
    if lower.ends_with(".json") {
        return Some(NameGuess::Json);
    }
    None
}

/// Whether YAML text looks like Kubernetes manifests: some line starts with `apiVersion:` and
/// some with `kind:`.
pub fn looks_like_kubernetes(text: &str) -> bool {
    let mut api = false;
    let mut kind = false;
    for l in text.lines() {
        let t = l.trim_start_matches(['-', ' ']);
        api |= t.starts_with("apiVersion:");
        kind |= t.starts_with("kind:");
        if api && kind {
            return true;
        }
    }
    false
}

/// Whether JSON text looks like `terraform show -json` output.
pub fn looks_like_plan(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(1 << 16)];
    let has = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    has(b"\"format_version\"") && has(b"\"terraform_version\"")
}

/// The first line with `{{` that is not a GitHub Actions `${{` expression: templating left
/// unrendered (Helm, Go templates, Jinja's `{%` too).
pub fn unrendered_template_line(text: &str) -> Option<u32> {
    for (i, l) in text.lines().enumerate() {
        let t = l.trim_start();
        if t.starts_with('#') {
            continue;
        }
        let bytes = l.as_bytes();
        for at in memchr::memmem::find_iter(bytes, b"{{") {
            if at == 0 || bytes[at - 1] != b'$' {
                return Some(i as u32 + 1);
            }
        }
        if l.contains("{%") {
            return Some(i as u32 + 1);
        }
    }
    None
}

/// Byte offsets of line starts, to turn spans into 1-based lines.
#[derive(Debug, Clone, Default)]
pub struct LineIndex(Vec<usize>);

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex(starts)
    }

    pub fn line_of(&self, offset: usize) -> u32 {
        self.0.partition_point(|&s| s <= offset).max(1) as u32
    }
}

/// One thing a check looks at: a Terraform resource, a Kubernetes object, a compose service, a
/// CI job.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Terraform type (`aws_s3_bucket`, `data.aws_iam_policy_document`), Kubernetes kind,
    /// `service` (compose), `job` (CI).
    pub rtype: String,
    pub name: String,
    /// How findings name it.
    pub address: String,
    pub line: u32,
    pub body: Node,
    /// The Kubernetes namespace, when the manifest sets one.
    pub namespace: Option<String>,
}

/// Kubernetes objects of a stream: every document with `apiVersion` and `kind`, and the items
/// of `kind: List` (or any `*List`).
pub fn kubernetes_resources(docs: &[Document]) -> Vec<Resource> {
    let mut out = Vec::new();
    let mut stack: Vec<&Node> = docs.iter().rev().map(|d| &d.root).collect();
    while let Some(n) = stack.pop() {
        let (Some(kind), Some(_)) = (
            n.get("kind").and_then(Node::as_str),
            n.get("apiVersion").and_then(Node::as_str),
        ) else {
            continue;
        };
        if kind.ends_with("List") {
            if let Some(items) = n.get("items") {
                stack.extend(items.items().into_iter().rev());
            }
            continue;
        }
        let name = n
            .at("metadata.name")
            .and_then(Node::scalar_text)
            .unwrap_or_else(|| "unnamed".into());
        let namespace = n.at("metadata.namespace").and_then(Node::scalar_text);
        let address = format!(
            "{kind}/{}/{name}",
            namespace.as_deref().unwrap_or("default")
        );
        out.push(Resource {
            rtype: kind.to_string(),
            name,
            address,
            line: n.get("kind").map_or(n.line, |k| k.line.min(n.line.max(1))),
            body: n.clone(),
            namespace,
        });
    }
    out
}

/// The services of a compose file.
pub fn compose_resources(docs: &[Document]) -> Vec<Resource> {
    let mut out = Vec::new();
    for d in docs {
        let Some(services) = d.root.entry("services") else {
            continue;
        };
        for e in services.value.entries() {
            out.push(Resource {
                rtype: "service".into(),
                name: e.key.clone(),
                address: format!("services.{}", e.key),
                line: e.line,
                body: e.value.clone(),
                namespace: None,
            });
        }
    }
    out
}

/// GitLab CI keys that are not jobs.
const GITLAB_RESERVED: [&str; 10] = [
    "image",
    "services",
    "stages",
    "types",
    "before_script",
    "after_script",
    "variables",
    "cache",
    "include",
    "default",
];

/// The jobs of a CI file: GitHub Actions `jobs.<id>`, GitLab top-level jobs (hidden `.name`
/// templates and `workflow` left out).
pub fn ci_jobs(kind: Kind, docs: &[Document]) -> Vec<Resource> {
    let mut out = Vec::new();
    for d in docs {
        match kind {
            Kind::GithubActions => {
                let Some(jobs) = d.root.get("jobs") else {
                    continue;
                };
                for e in jobs.entries() {
                    out.push(Resource {
                        rtype: "job".into(),
                        name: e.key.clone(),
                        address: format!("jobs.{}", e.key),
                        line: e.line,
                        body: e.value.clone(),
                        namespace: None,
                    });
                }
            }
            Kind::GitlabCi => {
                for e in d.root.entries() {
                    if e.key.starts_with('.')
                        || e.key == "workflow"
                        || GITLAB_RESERVED.contains(&e.key.as_str())
                        || !matches!(e.value.value, Value::Map(_))
                    {
                        continue;
                    }
                    out.push(Resource {
                        rtype: "job".into(),
                        name: e.key.clone(),
                        address: e.key.clone(),
                        line: e.line,
                        body: e.value.clone(),
                        namespace: None,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// An error reading a plan, with what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct PlanError {
    pub line: u32,
    pub message: String,
}

/// The resources of a plan's `planned_values`, child modules included.
pub fn plan_resources(text: &str) -> Result<Vec<Resource>, PlanError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| PlanError {
        line: e.line() as u32,
        message: format!("invalid JSON: {e}"),
    })?;
    let Some(root) = v.pointer("/planned_values/root_module") else {
        return Err(PlanError {
            line: 1,
            message: "a Terraform plan without `planned_values.root_module`".into(),
        });
    };
    let lines = LineIndex::new(text);
    let mut out = Vec::new();
    let mut modules = vec![root];
    while let Some(m) = modules.pop() {
        if let Some(children) = m.get("child_modules").and_then(|c| c.as_array()) {
            modules.extend(children.iter().rev());
        }
        let Some(resources) = m.get("resources").and_then(|r| r.as_array()) else {
            continue;
        };
        for r in resources {
            let s = |k: &str| r.get(k).and_then(|x| x.as_str()).unwrap_or_default();
            let (address, rtype, name) = (s("address"), s("type"), s("name"));
            if rtype.is_empty() {
                continue;
            }
            let rtype = if s("mode") == "data" {
                format!("data.{rtype}")
            } else {
                rtype.to_string()
            };
            let quoted = format!("\"{address}\"");
            let line = memchr::memmem::find(text.as_bytes(), quoted.as_bytes())
                .map_or(1, |o| lines.line_of(o));
            let body = r
                .get("values")
                .map(|v| from_json(v, line))
                .unwrap_or_else(|| Node::new(Value::Map(Vec::new()), line));
            out.push(Resource {
                rtype,
                name: name.to_string(),
                address: address.to_string(),
                line,
                body,
                namespace: None,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_content() {
        let k = |p| guess(p);
        assert_eq!(k("a/Dockerfile"), Some(NameGuess::Known(Kind::Dockerfile)));
        assert_eq!(
            k("api.dockerfile"),
            Some(NameGuess::Known(Kind::Dockerfile))
        );
        assert_eq!(k("Dockerfile.md"), None);
        assert_eq!(k("Containerfile"), Some(NameGuess::Known(Kind::Dockerfile)));
        assert_eq!(k("infra/main.tf"), Some(NameGuess::Known(Kind::Terraform)));
        assert_eq!(
            k(".github/workflows/ci.yml"),
            Some(NameGuess::Known(Kind::GithubActions))
        );
        assert_eq!(k(".gitlab-ci.yml"), Some(NameGuess::Known(Kind::GitlabCi)));
        assert_eq!(
            k("docker-compose.prod.yaml"),
            Some(NameGuess::Known(Kind::Compose))
        );
        assert_eq!(k("k8s/app.yaml"), Some(NameGuess::Yaml));
        assert_eq!(k("plan.json"), Some(NameGuess::Json));
        assert_eq!(k("main.go"), None);
        assert!(looks_like_kubernetes("---\napiVersion: v1\nkind: Pod\n"));
        assert!(!looks_like_kubernetes("name: x\n"));
        assert_eq!(
            unrendered_template_line("a: 1\nb: {{ .Values.x }}\n"),
            Some(2)
        );
        assert_eq!(
            unrendered_template_line("run: echo ${{ github.sha }}\n"),
            None
        );
    }

    #[test]
    fn kubernetes_lists_and_addresses() {
        let docs = yaml::parse_stream(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a, namespace: prod}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
        )
        .unwrap();
        let r = kubernetes_resources(&docs);
        let a: Vec<_> = r.iter().map(|r| (r.address.as_str(), r.line)).collect();
        assert_eq!(a, [("Service/prod/a", 4), ("Deployment/default/web", 8)]);
    }

    #[test]
    fn plans() {
        let text = r#"{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"acl":"public-read"}}],"child_modules":[{"resources":[{"address":"module.m.aws_ebs_volume.v","mode":"managed","type":"aws_ebs_volume","name":"v","values":{"encrypted":false}}]}]}}}"#;
        assert!(looks_like_plan(text));
        let r = plan_resources(text).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].address, "module.m.aws_ebs_volume.v");
        assert!(r[1].body.get("encrypted").unwrap().is_false());
        assert!(plan_resources("{").is_err());
    }
}

/// A file read and parsed once, as the checks see it.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub kind: Kind,
    /// The project-relative path.
    pub rel: String,
    pub text: String,
    pub docker: Option<docker::Dockerfile>,
    /// YAML documents (Kubernetes, compose, CI files).
    pub docs: Vec<Document>,
    pub resources: Vec<Resource>,
}

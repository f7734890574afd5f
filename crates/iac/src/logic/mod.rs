//! Checks that need logic, one file per family. Each is a function from a parsed file (and, for
//! Terraform, the other resources of its module) to the places it reports; the check's
//! metadata and examples are data in `rules/iac/`, which names the function with `logic:`.

mod ci;
mod compose;
mod docker;
mod kubernetes;
mod terraform;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::input::{ParsedFile, Resource};
use crate::tree::Node;

/// What a logic check sees.
pub struct Ctx<'a> {
    pub file: &'a ParsedFile,
    /// Terraform: every resource of the module (the file's directory); else the file's own.
    pub module: &'a [Resource],
    pub facts: &'a Facts,
}

/// What is known about the whole scan before checks run.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Namespaces that some scanned NetworkPolicy is in (`default` for none given).
    pub network_policy_namespaces: BTreeSet<String>,
}

/// One place a check reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub line: u32,
    pub address: String,
    /// The attribute path (or instruction) it is about; part of the fingerprint.
    pub attribute: String,
    /// What exactly, for the message (`container web`, `port 22`).
    pub detail: Option<String>,
}

impl Hit {
    pub fn new(line: u32, address: impl Into<String>, attribute: impl Into<String>) -> Hit {
        Hit {
            line,
            address: address.into(),
            attribute: attribute.into(),
            detail: None,
        }
    }

    pub fn detail(mut self, d: impl Into<String>) -> Hit {
        self.detail = Some(d.into());
        self
    }
}

pub type LogicFn = fn(&Ctx<'_>) -> Vec<Hit>;

/// Every logic function by the name check files use.
pub const ALL: &[(&str, LogicFn)] = &[
    ("docker-root-user", docker::root_user),
    ("docker-image-tag", docker::image_tag),
    ("docker-add-url", docker::add_url),
    ("docker-pipe-to-shell", docker::pipe_to_shell),
    ("docker-sudo", docker::sudo),
    ("docker-healthcheck", docker::healthcheck),
    ("docker-secret-env", docker::secret_env),
    ("docker-tls-disabled", docker::tls_disabled),
    ("docker-add-local", docker::add_local),
    ("docker-expose-ssh", docker::expose_ssh),
    ("docker-chmod-777", docker::chmod_777),
    ("docker-update-alone", docker::update_alone),
    ("k8s-privileged", kubernetes::privileged),
    ("k8s-privilege-escalation", kubernetes::privilege_escalation),
    ("k8s-root", kubernetes::root),
    ("k8s-host-network", kubernetes::host_network),
    ("k8s-host-pid", kubernetes::host_pid),
    ("k8s-host-ipc", kubernetes::host_ipc),
    ("k8s-added-capabilities", kubernetes::added_capabilities),
    ("k8s-drop-all", kubernetes::drop_all),
    ("k8s-writable-root", kubernetes::writable_root),
    ("k8s-resource-limits", kubernetes::resource_limits),
    ("k8s-image-tag", kubernetes::image_tag),
    ("k8s-secret-env", kubernetes::secret_env),
    ("k8s-probes", kubernetes::probes),
    ("k8s-token-automount", kubernetes::token_automount),
    ("k8s-default-namespace", kubernetes::default_namespace),
    ("k8s-exposed-admin-port", kubernetes::exposed_admin_port),
    ("k8s-network-policy", kubernetes::network_policy),
    ("k8s-host-path", kubernetes::host_path),
    ("k8s-runtime-socket", kubernetes::runtime_socket),
    ("k8s-host-port", kubernetes::host_port),
    ("k8s-seccomp", kubernetes::seccomp),
    ("compose-image-tag", compose::image_tag),
    ("compose-secret-env", compose::secret_env),
    ("compose-runtime-socket", compose::runtime_socket),
    ("compose-resource-limits", compose::resource_limits),
    ("compose-exposed-admin-port", compose::exposed_admin_port),
    ("net-admin-ports-open", terraform::admin_ports_open),
    ("net-db-ports-open", terraform::db_ports_open),
    ("net-all-ports-open", terraform::all_ports_open),
    ("iam-admin-wildcard", terraform::iam_admin_wildcard),
    ("iam-action-wildcard", terraform::iam_action_wildcard),
    ("s3-policy-public", terraform::s3_policy_public),
    ("s3-no-encryption", terraform::s3_no_encryption),
    ("s3-no-versioning", terraform::s3_no_versioning),
    ("s3-no-logging", terraform::s3_no_logging),
    (
        "s3-no-public-access-block",
        terraform::s3_no_public_access_block,
    ),
    ("gha-script-injection", ci::gha_script_injection),
    ("gha-pr-target-checkout", ci::gha_pr_target_checkout),
    ("gha-unpinned-action", ci::gha_unpinned_action),
    ("gha-write-all", ci::gha_write_all),
    ("gha-no-permissions", ci::gha_no_permissions),
    ("gha-unsecure-commands", ci::gha_unsecure_commands),
    ("gha-pipe-to-shell", ci::gha_pipe_to_shell),
    ("gitlab-secret-printed", ci::gitlab_secret_printed),
    ("gitlab-unprotected-deploy", ci::gitlab_unprotected_deploy),
    ("gitlab-secret-variable", ci::gitlab_secret_variable),
    ("gitlab-image-tag", ci::gitlab_image_tag),
    ("gitlab-pipe-to-shell", ci::gitlab_pipe_to_shell),
    ("gitlab-http-include", ci::gitlab_http_include),
    ("gitlab-tls-disabled", ci::gitlab_tls_disabled),
];

pub fn find(name: &str) -> Option<LogicFn> {
    ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// Ports that give an administrator a shell or a desktop.
pub const ADMIN_PORTS: [(u16, &str); 8] = [
    (22, "SSH"),
    (23, "Telnet"),
    (3389, "RDP"),
    (5900, "VNC"),
    (5985, "WinRM"),
    (5986, "WinRM"),
    (2375, "Docker API"),
    (10250, "kubelet"),
];

/// Ports of databases and caches.
pub const DB_PORTS: [(u16, &str); 11] = [
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (5984, "CouchDB"),
    (6379, "Redis"),
    (9042, "Cassandra"),
    (9200, "Elasticsearch"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
    (7000, "Cassandra"),
];

pub fn port_name(p: u16) -> Option<&'static str> {
    ADMIN_PORTS
        .iter()
        .chain(DB_PORTS.iter())
        .find(|(q, _)| *q == p)
        .map(|(_, n)| *n)
}

/// What is wrong with an image reference's tag: `latest`, or no tag at all. Digests, variables
/// and `scratch` are fine.
pub fn image_tag_problem(image: &str) -> Option<&'static str> {
    let image = image.trim();
    if image.is_empty() || image.contains('@') || image.contains('$') || image == "scratch" {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => Some("has no tag (so it means `latest`)"),
        Some((_, tag)) if tag.eq_ignore_ascii_case("latest") => Some("uses the `latest` tag"),
        Some(_) => None,
    }
}

static SECRET_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(passw(or)?d|passwd|secret|token|api_?key|access_?key|private_?key|credentials?|auth_?key|client_?secret)")
        .expect("a valid regex")
});

static NOT_SECRET_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(_file|_path|_dir|_name|_url|_uri|_endpoint|_id|_length|_ttl|_expir\w*|_header|_type|_enabled)$")
        .expect("a valid regex")
});

/// Whether a variable name says its value is a secret (`DB_PASSWORD`, `API_KEY`), and not that
/// it only points at one (`PASSWORD_FILE`, `SECRET_NAME`).
pub fn secret_name(name: &str) -> bool {
    SECRET_NAME.is_match(name) && !NOT_SECRET_NAME.is_match(name)
}

/// Whether a value is a literal secret rather than a reference to one (`$VAR`, `${VAR}`,
/// `${{ secrets.X }}`, `{{ … }}`) or empty.
pub fn literal_secret_value(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']);
    !(v.is_empty() || v.starts_with('$') || v.contains("{{") || v.starts_with('<'))
}

static PIPE_TO_SHELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(curl|wget)\b[^|;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?(ba|z|da|k|fi)?sh\b|\b(curl|wget)\b[^|;&\n]*\|\s*(sudo\s+)?(python[23]?|perl|ruby|node)\b|(ba)?sh\s+<\(\s*(curl|wget)\b")
        .expect("a valid regex")
});

/// Whether a shell command pipes a download into an interpreter.
pub fn pipes_to_shell(cmd: &str) -> bool {
    PIPE_TO_SHELL.is_match(cmd)
}

static TLS_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bcurl\b[^;&|\n]*\s(-k|--insecure)\b|\bwget\b[^;&|\n]*--no-check-certificate|--trusted-host\b|strict-ssl\s+false|sslverify\s+false|GIT_SSL_NO_VERIFY\s*[=:]\s*['\x22]?(1|true)|NODE_TLS_REJECT_UNAUTHORIZED\s*[=:]\s*['\x22]?0|PYTHONHTTPSVERIFY\s*[=:]\s*['\x22]?0")
        .expect("a valid regex")
});

/// Whether a command or setting turns TLS certificate verification off.
pub fn disables_tls(cmd: &str) -> bool {
    TLS_OFF.is_match(cmd)
}

/// A node's text and line, for values that may be strings or numbers.
pub fn text_of(n: &Node) -> Option<String> {
    n.scalar_text()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(
            image_tag_problem("nginx"),
            Some("has no tag (so it means `latest`)")
        );
        assert!(image_tag_problem("registry:5000/team/app").is_some());
        assert!(image_tag_problem("nginx:latest").is_some());
        assert_eq!(image_tag_problem("registry:5000/team/app:1.2"), None);
        assert_eq!(image_tag_problem("nginx@sha256:abcd"), None);
        assert_eq!(image_tag_problem("$BASE"), None);
        assert!(secret_name("DB_PASSWORD"));
        assert!(secret_name("api_key"));
        assert!(!secret_name("PASSWORD_FILE"));
        assert!(!secret_name("HOME"));
        assert!(literal_secret_value("hunter2"));
        assert!(!literal_secret_value("${DB_PASSWORD}"));
        assert!(pipes_to_shell("curl -fsSL https://x.sh | sh"));
        assert!(pipes_to_shell("wget -qO- https://x | sudo -E bash -"));
        assert!(pipes_to_shell("bash <(curl -s https://x)"));
        assert!(!pipes_to_shell(
            "curl -o x.sh https://x && sha256sum -c x.sha && sh x.sh"
        ));
        assert!(disables_tls("curl -k https://x"));
        assert!(disables_tls("pip install --trusted-host pypi.org x"));
        assert!(!disables_tls("curl -kx"));
    }
}

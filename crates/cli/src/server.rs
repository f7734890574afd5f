//! The gate's two calls to a Gatehouse server: the project's approved exceptions, and the upload
//! of a run's results. Both authenticate with an API token from the environment.

use std::time::Duration;

use anyhow::{anyhow, Context as _};
use gatehouse_policy::config::{server_exceptions, ServerConfig, Stage};
use gatehouse_policy::Exception;

fn agent(server: &ServerConfig) -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(server.timeout_secs))
        .user_agent(concat!("gatehouse/", env!("CARGO_PKG_VERSION")))
        .build()
}

fn token(server: &ServerConfig) -> anyhow::Result<String> {
    std::env::var(&server.token_env)
        .ok()
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.trim().to_string())
        .ok_or_else(|| {
            anyhow!(
                "the server needs an API token: set {} (create one with `gatehouse admin \
                 create-token` on the server)",
                server.token_env
            )
        })
}

/// `{url}/api/v1/projects/{project}{rest}`, the project name percent-encoded.
fn project_url(server: &ServerConfig, project: &str, rest: &str) -> String {
    let mut name = String::new();
    for b in project.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            name.push(b as char);
        } else {
            name.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{}/api/v1/projects/{name}{rest}", server.url)
}

/// Turns a failed request into a message that says what to do.
fn request_error(what: &str, url: &str, e: ureq::Error) -> anyhow::Error {
    match e {
        ureq::Error::Status(status, resp) => {
            let body = resp.into_string().unwrap_or_default();
            let detail = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| {
                    v.get("error")
                        .and_then(|e| e.get("message").or(Some(e)))
                        .and_then(|m| m.as_str().map(str::to_string))
                })
                .unwrap_or_else(|| body.chars().take(200).collect());
            anyhow!("{what}: {url} answered HTTP {status}: {detail}")
        }
        ureq::Error::Transport(t) => anyhow!(
            "{what}: cannot reach {url}: {t} (is the server running? `gatehouse serve`; \
             --no-server uses the exceptions in gatehouse.toml instead)"
        ),
    }
}

/// The approved exceptions the server holds for `project`.
pub fn exceptions(
    server: &ServerConfig,
    project: &str,
    stages: &std::collections::BTreeMap<String, Stage>,
) -> anyhow::Result<Vec<Exception>> {
    let url = project_url(server, project, "/exceptions?state=approved");
    let token = token(server)?;
    let body = agent(server)
        .get(&url)
        .set("Authorization", &format!("Bearer {token}"))
        .set("Accept", "application/json")
        .call()
        .map_err(|e| request_error("fetching the approved exceptions", &url, e))?
        .into_string()
        .with_context(|| format!("reading the answer of {url}"))?;
    server_exceptions(&body, &server.url, stages).map_err(|m| anyhow!(m))
}

/// Uploads a gate run's JSON report; returns what the server said, for the log.
pub fn upload(server: &ServerConfig, project: &str, report_json: &str) -> anyhow::Result<String> {
    let url = project_url(server, project, "/scans");
    let token = token(server)?;
    let resp = agent(server)
        .post(&url)
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "application/json")
        .send_string(report_json)
        .map_err(|e| request_error("uploading the results", &url, e))?;
    let status = resp.status();
    let body = resp.into_string().unwrap_or_default();
    // `id` is the list of scans the upload made (one per tool and kind), or one id.
    let ids: Vec<String> = match serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("id").cloned())
    {
        Some(serde_json::Value::Array(list)) => list.iter().map(plain).collect(),
        Some(one) => vec![plain(&one)],
        None => Vec::new(),
    };
    Ok(match ids.len() {
        0 => format!("uploaded to {url} (HTTP {status})"),
        1 => format!("uploaded to {url} (HTTP {status}, scan {})", ids[0]),
        _ => format!(
            "uploaded to {url} (HTTP {status}, scans {})",
            ids.join(", ")
        ),
    })
}

fn plain(v: &serde_json::Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

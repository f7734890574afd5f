//! `gatehouse serve`: the platform server, and the database location every server command shares.

use std::path::Path;

use anyhow::Context as _;
use gatehouse_server::Store;

use crate::cli::{DatabaseArgs, ServeArgs};
use crate::exit::{ExitStatus, Failure};

/// `--database-url`, else the SQLite file `gatehouse.db` in the data directory (created).
pub fn database_url(db: &DatabaseArgs, data_dir: &Path) -> Result<String, Failure> {
    if let Some(url) = db.database_url.as_deref().filter(|u| !u.trim().is_empty()) {
        return Ok(url.trim().to_string());
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating the data directory {}", data_dir.display()))
        .map_err(Failure::runtime)?;
    Ok(gatehouse_server::sqlite_url(&data_dir.join("gatehouse.db")))
}

/// The URL without its password, for messages.
pub fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
        .map_err(Failure::runtime)
}

/// Opens (creating and migrating) the database.
pub async fn open(url: &str) -> Result<Store, Failure> {
    Store::open(url)
        .await
        .with_context(|| format!("opening the database {}", redacted(url)))
        .map_err(Failure::runtime)
}

pub fn run(a: ServeArgs, data_dir: &Path) -> Result<ExitStatus, Failure> {
    // Checked before anything starts: a bad file is a usage error naming the file and the key.
    let notify = match &a.notify_config {
        Some(path) => gatehouse_server::NotifyConfig::load(path)
            .map_err(|e| Failure::usage(anyhow::anyhow!("--notify-config {e}")))?,
        None => gatehouse_server::NotifyConfig::default(),
    };
    let url = database_url(&a.db, data_dir)?;
    runtime()?.block_on(async {
        let store = open(&url).await?;
        eprintln!("gatehouse: database {}", redacted(&url));
        if a.notify_config.is_some() {
            // Names and kinds only: channel URLs carry credentials.
            let channels: Vec<String> = notify
                .channels
                .iter()
                .map(|(name, c)| format!("{name} ({})", c.kind()))
                .collect();
            eprintln!("gatehouse: notification channels: {}", channels.join(", "));
        }
        let options = gatehouse_server::ServeOptions {
            max_upload_bytes: a.max_upload_bytes,
            notify,
        };
        gatehouse_server::serve_configured(
            a.listen,
            store,
            options,
            |addr| eprintln!("gatehouse: listening on http://{addr}"),
            shutdown(),
        )
        .await
        .map_err(Failure::runtime)?;
        eprintln!("gatehouse: stopped");
        Ok(ExitStatus::Pass)
    })
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    eprintln!("gatehouse: shutting down");
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            super::redacted("postgres://gh:s3cret@db:5432/gh"),
            "postgres://gh:***@db:5432/gh"
        );
        assert_eq!(
            super::redacted("sqlite:///x/gatehouse.db"),
            "sqlite:///x/gatehouse.db"
        );
    }
}

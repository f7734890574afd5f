//! `gatehouse audit verify|export`: the server's hash-chained audit log, read from its database.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;
use gatehouse_server::domain::audit;

use crate::cli::{AuditExportArgs, AuditVerifyArgs};
use crate::exit::{ExitStatus, Failure};
use crate::serve::{database_url, open, runtime};

pub fn verify(a: AuditVerifyArgs, data_dir: &Path) -> Result<ExitStatus, Failure> {
    let url = database_url(&a.db, data_dir)?;
    runtime()?.block_on(async {
        let store = open(&url).await?;
        let result = audit::verify_store(&store)
            .await
            .map_err(Failure::runtime)?;
        store.close().await;
        Ok(match result {
            Ok(n) => {
                println!("audit log intact: {n} events");
                ExitStatus::Pass
            }
            Err(t) => {
                println!("audit log tampered: event {}: {}", t.id, t.why);
                ExitStatus::Findings
            }
        })
    })
}

pub fn export(a: AuditExportArgs, data_dir: &Path) -> Result<ExitStatus, Failure> {
    let url = database_url(&a.db, data_dir)?;
    let (events, _) = runtime()?.block_on(async {
        let store = open(&url).await?;
        let log = store.audit_log().await.map_err(Failure::runtime)?;
        store.close().await;
        Ok::<_, Failure>(log)
    })?;
    let mut out = String::new();
    for e in &events {
        out.push_str(&serde_json::to_string(e).map_err(Failure::runtime)?);
        out.push('\n');
    }
    match &a.output {
        Some(path) => {
            std::fs::write(path, out)
                .with_context(|| format!("writing {}", path.display()))
                .map_err(Failure::runtime)?;
            eprintln!(
                "gatehouse: {} audit events written to {}",
                events.len(),
                path.display()
            );
        }
        None => {
            std::io::stdout()
                .write_all(out.as_bytes())
                .context("writing the audit log")
                .map_err(Failure::runtime)?;
        }
    }
    Ok(ExitStatus::Pass)
}

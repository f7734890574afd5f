//! `gatehouse admin`: people and API tokens written to the server's database directly, so access
//! can be bootstrapped before anyone can sign in.

use std::path::Path;

use anyhow::anyhow;
use gatehouse_server::domain::{self, service, Principal, Role};

use crate::cli::{CreateTokenArgs, CreateUserArgs, RoleArg};
use crate::exit::{ExitStatus, Failure};
use crate::serve::{database_url, open, runtime};

fn role(r: RoleArg) -> Role {
    match r {
        RoleArg::Administrator => Role::Administrator,
        RoleArg::Security => Role::Security,
        RoleArg::Developer => Role::Developer,
        RoleArg::Auditor => Role::Auditor,
    }
}

/// Domain errors the user can fix are usage errors; the database failing is a runtime one.
fn failure(e: domain::DomainError) -> Failure {
    match e {
        domain::DomainError::Store(_) => Failure::runtime(e),
        _ => Failure::usage(e),
    }
}

pub fn create_user(a: CreateUserArgs, data_dir: &Path) -> Result<ExitStatus, Failure> {
    let url = database_url(&a.db, data_dir)?;
    let (password, generated) = match &a.password_env {
        Some(var) => (
            std::env::var(var)
                .map_err(|_| Failure::usage(anyhow!("--password-env: {var} is not set")))?,
            false,
        ),
        None => (
            domain::new_secret("").map_err(failure)?[..24].to_string(),
            true,
        ),
    };
    runtime()?.block_on(async {
        let store = open(&url).await?;
        let id = service::create_person(
            &store,
            &Principal::local_admin(),
            &a.name,
            &a.email,
            role(a.role),
            &password,
            &a.teams,
            domain::now_ms(),
        )
        .await
        .map_err(failure)?;
        store.close().await;
        eprintln!(
            "gatehouse: created {} ({}), person {id}",
            a.email,
            role(a.role).as_str()
        );
        if generated {
            eprintln!("gatehouse: the generated password follows; it is not shown again");
            println!("{password}");
        }
        Ok(ExitStatus::Pass)
    })
}

pub fn create_token(a: CreateTokenArgs, data_dir: &Path) -> Result<ExitStatus, Failure> {
    let url = database_url(&a.db, data_dir)?;
    runtime()?.block_on(async {
        let store = open(&url).await?;
        let (id, token) = service::create_token(
            &store,
            &Principal::local_admin(),
            &a.name,
            role(a.role),
            &a.projects,
            a.user.as_deref(),
            a.expires,
            domain::now_ms(),
        )
        .await
        .map_err(failure)?;
        store.close().await;
        eprintln!(
            "gatehouse: created token {id} `{}` ({})",
            a.name,
            role(a.role).as_str()
        );
        println!("{token}");
        Ok(ExitStatus::Pass)
    })
}

//! `gatehouse hook install`: a git pre-commit hook that blocks commits adding secrets.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{anyhow, Context as _};

use crate::cli::HookInstallArgs;
use crate::exit::{ExitStatus, Failure};

/// The line that marks a hook as Gatehouse's, so reinstalling updates it.
const MARKER: &str = "# gatehouse pre-commit hook";

fn script(binary: &Path) -> String {
    let bin = binary.display().to_string().replace('\'', "'\\''");
    format!(
        "#!/bin/sh\n\
         {MARKER} (written by `gatehouse hook install`; reinstalling replaces it)\n\
         # Scans what is staged and blocks the commit if it adds a secret.\n\
         # Skip once with `git commit --no-verify`; silence a line with a gatehouse:allow comment.\n\
         hooks=$(dirname \"$0\")\n\
         if [ -x \"$hooks/pre-commit.orig\" ]; then\n\
         \x20   \"$hooks/pre-commit.orig\" \"$@\" || exit $?\n\
         fi\n\
         gatehouse='{bin}'\n\
         if [ -n \"$GATEHOUSE\" ]; then gatehouse=$GATEHOUSE\n\
         elif [ ! -x \"$gatehouse\" ]; then gatehouse=gatehouse\n\
         fi\n\
         exec \"$gatehouse\" scan secrets --staged --no-progress\n"
    )
}

/// Where git looks for hooks in the repository at `dir` (honours `core.hooksPath`).
fn hooks_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    let out = Command::new("git")
        .args(["rev-parse", "--path-format=absolute", "--git-path", "hooks"])
        .current_dir(dir)
        .output()
        .context("running git (a pre-commit hook needs git)")?;
    if !out.status.success() {
        return Err(anyhow!(
            "{}: not a git repository ({})",
            dir.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

pub fn install(a: HookInstallArgs) -> Result<ExitStatus, Failure> {
    let dir = a.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let hooks = hooks_dir(&dir).map_err(Failure::usage)?;
    std::fs::create_dir_all(&hooks)
        .with_context(|| format!("creating {}", hooks.display()))
        .map_err(Failure::runtime)?;
    let hook = hooks.join("pre-commit");
    let mut kept = None;
    if let Ok(existing) = std::fs::read_to_string(&hook) {
        if !existing.contains(MARKER) {
            if !a.force {
                return Err(Failure::usage(anyhow!(
                    "{} exists and is not Gatehouse's; --force keeps it as pre-commit.orig and \
                     runs it before the secret scan",
                    hook.display()
                )));
            }
            let orig = hooks.join("pre-commit.orig");
            std::fs::rename(&hook, &orig)
                .with_context(|| format!("moving {} aside", hook.display()))
                .map_err(Failure::runtime)?;
            kept = Some(orig);
        }
    }
    let binary = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("gatehouse"));
    std::fs::write(&hook, script(&binary))
        .with_context(|| format!("writing {}", hook.display()))
        .map_err(Failure::runtime)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("making {} executable", hook.display()))
            .map_err(Failure::runtime)?;
    }
    eprintln!("gatehouse: pre-commit hook installed at {}", hook.display());
    if let Some(orig) = kept {
        eprintln!(
            "gatehouse: the previous hook is kept as {} and runs first",
            orig.display()
        );
    }
    Ok(ExitStatus::Pass)
}

//! Where Gatehouse keeps state (the advisory database, later the server's SQLite file).

use std::path::PathBuf;

use anyhow::anyhow;

/// The data directory: `--data-dir` (or `GATEHOUSE_DATA_DIR`, which clap folds into it), else
/// the per-user default (`$XDG_DATA_HOME/gatehouse`, `~/.local/share/gatehouse` on Linux; the
/// platform's equivalent elsewhere).
pub fn resolve(flag: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = flag.filter(|d| !d.as_os_str().is_empty()) {
        return Ok(dir);
    }
    dirs::data_local_dir()
        .map(|d| d.join("gatehouse"))
        .ok_or_else(|| {
            anyhow!(
                "no per-user data directory (HOME is not set); pass --data-dir DIR or set GATEHOUSE_DATA_DIR"
            )
        })
}

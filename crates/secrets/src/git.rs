//! Placeholder until the history walk lands.
use std::path::Path;

pub enum HistoryScope {
    All,
    Since(String),
    Staged,
}

pub struct BlobItem<'a> {
    pub data: &'a [u8],
    pub path: &'a str,
    pub commit: Option<&'a gatehouse_core::CommitInfo>,
    pub previous: Option<&'a [u8]>,
}

#[derive(Default)]
pub struct HistoryOutcome {
    pub commits: u64,
    pub blobs: u64,
    pub bytes: u64,
    pub skipped_too_large: u64,
    pub errors: Vec<gatehouse_core::ScanError>,
}

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{0}: not supported yet")]
    Unsupported(String),
}

pub fn scan_history<F>(
    repo: &Path,
    _scope: &HistoryScope,
    _max: u64,
    _visit: F,
) -> Result<HistoryOutcome, GitError>
where
    F: Fn(BlobItem<'_>) + Sync,
{
    Err(GitError::Unsupported(repo.display().to_string()))
}

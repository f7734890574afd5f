//! Secret detection: rule loading, multi-pattern matching, entropy and placeholder filters,
//! allowlists, base64 carriers, the working-tree walk and the git history walk.
//!
//! **Architecture invariant:** a secret value never leaves this crate unmasked. Findings carry a
//! masked preview and a SHA-256; the plain value only when the caller set
//! [`ScanOptions::show_secrets`] because the user asked for it.

pub mod decode;
pub mod engine;
pub mod filters;
pub mod git;
mod keywords;
pub mod rules;
pub mod scan;
pub mod suppress;
pub mod validators;

pub use engine::{Candidate, Context, Engine};
pub use gatehouse_core::Baseline;
pub use gatehouse_walk::project_root;
pub use git::HistoryScope;
pub use rules::RuleSources;
pub use scan::{looks_binary, ScanOptions, Scanner};
pub use suppress::{load_baseline, IgnoreFile};

/// A rule file that cannot be used. Always names the file, and the line where known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("{origin}: cannot read: {message}")]
    Read { origin: String, message: String },
    #[error("{origin}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Syntax {
        origin: String,
        line: Option<u32>,
        message: String,
    },
    #[error("{origin}{}: {}{message}", line.map(|l| format!(":{l}")).unwrap_or_default(), rule.as_ref().map(|r| format!("rule `{r}`: ")).unwrap_or_default())]
    Invalid {
        origin: String,
        line: Option<u32>,
        rule: Option<String>,
        message: String,
    },
}

/// Something that stops a scan before it starts: unreadable or invalid configuration, or a
/// repository that cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Rules(#[from] RuleError),
    #[error("{path}: cannot read: {message}")]
    Read { path: String, message: String },
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Config {
        path: String,
        line: Option<u32>,
        message: String,
    },
    #[error(transparent)]
    Git(#[from] git::GitError),
}

//! The pipeline gate: the project's configuration (`gatehouse.toml`), the stages' thresholds,
//! what counts as new code (a baseline, or a diff against a revision), exceptions with expiry,
//! and the decision about every finding.
//!
//! **Architecture invariant:** the policy sees only [`gatehouse_core::Finding`]s and
//! [`gatehouse_core::ScanReport`]s. It runs no scanner and renders nothing; `gatehouse gate`
//! (the binary) runs the scanners, hands their reports here, and gives the outcome to the
//! renderers.

pub mod config;
pub mod diff;
pub mod exception;
pub mod gate;
pub mod size;

pub use config::{Config, ConfigError, Stage};
pub use diff::{DiffBase, DiffError, FileChange};
pub use exception::{Exception, PathPattern};
pub use gate::{decide, verdict, NewCode, Outcome, PackageReader, Policy};

//! Infrastructure-as-code checks: Dockerfiles, Kubernetes manifests, docker-compose files,
//! Terraform (HCL and plan JSON), GitHub Actions workflows and GitLab CI files.
//!
//! ```no_run
//! use gatehouse_iac::{CheckSet, ScanOptions, Scanner};
//! let checks = CheckSet::builtin().expect("the built-in checks load");
//! let report = Scanner::new(checks, ScanOptions::default()).scan_paths(&[".".into()]);
//! println!("{} findings", report.findings.len());
//! ```
//!
//! **Architecture invariant:** no input makes the scanner panic or loop: the YAML reader keeps
//! its own stack with a depth limit and an alias budget, the HCL parser limits nesting, the
//! Dockerfile reader is line-based, and a file that cannot be read is an error naming its path
//! and line while the rest of the scan completes.

pub mod check;
pub mod input;
pub mod logic;
pub mod scan;
mod suppress;
pub mod tree;

pub use check::{Check, CheckBody, CheckError, CheckSet, Example};
pub use scan::{ScanOptions, Scanner};

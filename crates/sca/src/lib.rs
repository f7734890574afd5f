//! Gatehouse's dependency scanner.
//!
//! Data flow: [`lockfile`] finds and parses lockfiles, manifests and SBOMs into [`Manifest`]s of
//! [`Package`]s; [`advisory`] imports advisory data (OSV is the model) into a local indexed
//! database and matches packages against it with the [`version`] scheme of each [`Ecosystem`];
//! [`cvss`] computes severities from vectors; [`sbom`] writes CycloneDX and SPDX and reads VEX.

pub mod advisory;
pub mod audit;
pub mod cvss;
pub mod discover;
pub mod ecosystem;
pub mod lockfile;
pub mod package;
pub mod sbom;
pub mod version;

pub use ecosystem::Ecosystem;
pub use package::{Manifest, Package, ParseError, ParseWarning, SourceKind};

//! What the platform does, without HTTP: access rules, ingest and the findings lifecycle,
//! tickets and SLA, exceptions, people and tokens, the audit chain, deadlines and notifications.

pub mod access;
pub mod audit;
pub mod escalation;
pub mod ingest;
pub mod merge;
pub mod notify;
pub mod service;
pub mod sla;
pub mod triage;

pub use access::{Permission, Principal, Role};

use sha2::{Digest, Sha256};

use crate::store::StoreError;

/// Why a request could not be done. Messages say what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("{0}")]
    NotFound(String),
    /// The caller could not be identified.
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// The request is well-formed but its content is wrong.
    #[error("{0}")]
    Invalid(String),
    /// The request conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// An upload could not be read.
    #[error("{0}")]
    Import(#[from] gatehouse_import::ImportError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T, E = DomainError> = std::result::Result<T, E>;

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// A new bearer secret: `prefix` and 256 random bits in hex. Only its SHA-256 is stored.
pub fn new_secret(prefix: &str) -> Result<String> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf)
        .map_err(|e| DomainError::Invalid(format!("no random numbers from the system: {e}")))?;
    Ok(format!("{prefix}{}", hex(&buf)))
}

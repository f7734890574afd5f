use std::fmt;

use sha2::{Digest, Sha256};

/// A finding's identity across scans: stable under line moves, reformatting, rebases and squashes.
///
/// It is the first 128 bits of a SHA-256 over the identifying parts, written as 32 hex digits.
/// What the parts are is each scanner's choice (see DESIGN.md, "Fingerprint").
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Fingerprint(String);

impl Fingerprint {
    /// Fingerprint over `parts`, each length-prefixed so that no two part lists collide.
    pub fn from_parts<I, P>(parts: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let mut h = Sha256::new();
        for p in parts {
            let p = p.as_ref();
            h.update((p.len() as u64).to_le_bytes());
            h.update(p);
        }
        let digest = h.finalize();
        Fingerprint(hex(&digest[..16]))
    }

    /// Accepts a fingerprint read back from a file (baseline, ignore list), if it has the right shape.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        (s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Fingerprint(s.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Hex SHA-256 of a secret value: what storage and outputs keep instead of the value.
pub fn secret_sha256(secret: &[u8]) -> String {
    hex(&Sha256::digest(secret))
}

/// The masked preview of a secret: a short prefix, an ellipsis and the length, e.g. `ghp_ab…(40)`.
///
/// At most a quarter of the secret, and never more than six characters, is shown; secrets shorter
/// than eight characters show nothing but their length.
pub fn mask_secret(secret: &str) -> String {
    let len = secret.chars().count();
    let shown = if len < 8 { 0 } else { (len / 4).min(6) };
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}…({len})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_length_prefixed() {
        let a = Fingerprint::from_parts(["secrets", "rule", "a/b.txt", "value"]);
        let b = Fingerprint::from_parts(["secrets", "rule", "a/b.txt", "value"]);
        assert_eq!(a, b);
        assert_eq!(a.as_str().len(), 32);
        // Moving bytes between parts changes the fingerprint.
        let c = Fingerprint::from_parts(["secrets", "rule", "a/b.txtv", "alue"]);
        assert_ne!(a, c);
        assert_eq!(Fingerprint::parse(a.as_str()), Some(a.clone()));
        assert_eq!(Fingerprint::parse("xyz"), None);
    }

    #[test]
    fn masking_reveals_little() {
        assert_eq!(
            mask_secret("ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            "ghp_ab…(40)"
        );
        assert_eq!(mask_secret("hunter2"), "…(7)");
        assert_eq!(mask_secret("12345678"), "12…(8)");
        assert_eq!(mask_secret("密码密码密码密码"), "密码…(8)");
    }
}

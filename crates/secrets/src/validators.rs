//! Offline structural checks of candidate secrets: checksums and encodings. Nothing here touches the
//! network; a validator only says whether a string can be a real token of its kind.

use base64::Engine;

/// A named structural check a rule can require of its secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validator {
    /// GitHub's tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`): the last six characters are the
    /// base62 CRC32 of the thirty random ones.
    GithubChecksum,
    /// npm's `npm_` tokens use the same scheme as GitHub's.
    NpmChecksum,
    /// A JSON Web Token: base64url header with an `alg`, payload and signature parts.
    Jwt,
    /// Base64 of printable `user:password` (HTTP basic auth, Docker registry `auth`).
    BasicAuth,
    /// The secret decodes as base64 (standard or URL-safe, padded or not).
    Base64,
    /// A PEM or OpenSSH private key block with a real body (not `...` or a placeholder).
    PrivateKey,
}

impl Validator {
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "github-checksum" => Validator::GithubChecksum,
            "npm-checksum" => Validator::NpmChecksum,
            "jwt" => Validator::Jwt,
            "basic-auth" => Validator::BasicAuth,
            "base64" => Validator::Base64,
            "private-key" => Validator::PrivateKey,
            _ => return None,
        })
    }

    pub const NAMES: &'static str =
        "github-checksum, npm-checksum, jwt, basic-auth, base64, private-key";

    pub fn check(self, secret: &[u8]) -> bool {
        match self {
            Validator::GithubChecksum | Validator::NpmChecksum => crc32_base62_checksum(secret),
            Validator::Jwt => jwt(secret),
            Validator::BasicAuth => basic_auth(secret),
            Validator::Base64 => decode_base64(secret).is_some(),
            Validator::PrivateKey => private_key(secret),
        }
    }
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn base62_6(mut n: u32) -> [u8; 6] {
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out
}

/// `<prefix>_<30 random><6 checksum>`: the checksum is base62(CRC32(random)), zero-padded.
fn crc32_base62_checksum(token: &[u8]) -> bool {
    let Some(us) = token.iter().position(|&b| b == b'_') else {
        return false;
    };
    let body = &token[us + 1..];
    if body.len() != 36 || !body.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let (random, check) = body.split_at(30);
    base62_6(crc32fast::hash(random)) == check
}

/// Decodes standard or URL-safe base64, with or without padding.
pub fn decode_base64(s: &[u8]) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let s = s.trim_ascii();
    if s.is_empty() {
        return None;
    }
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        if let Ok(v) = engine.decode(s) {
            return Some(v);
        }
    }
    None
}

fn jwt(token: &[u8]) -> bool {
    let mut parts = token.split(|&b| b == b'.');
    let (Some(header), Some(payload), Some(_sig)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let Some(h) = decode_base64(header) else {
        return false;
    };
    let Ok(h) = serde_json::from_slice::<serde_json::Value>(&h) else {
        return false;
    };
    h.get("alg").is_some_and(|a| a.is_string()) && decode_base64(payload).is_some()
}

fn basic_auth(secret: &[u8]) -> bool {
    let Some(d) = decode_base64(secret) else {
        return false;
    };
    let Ok(s) = std::str::from_utf8(&d) else {
        return false;
    };
    let Some((user, pass)) = s.split_once(':') else {
        return false;
    };
    !user.is_empty()
        && pass.chars().count() >= 3
        && s.chars().all(|c| !c.is_control())
        && !crate::filters::is_placeholder(pass)
}

fn private_key(block: &[u8]) -> bool {
    let text = String::from_utf8_lossy(block);
    // Drop header/footer lines and PEM headers such as `Proc-Type:`; count base64 characters left.
    let mut body = 0usize;
    for line in text.split(['\n', '\r']).flat_map(|l| l.split("\\n")) {
        let line = line.trim();
        if line.starts_with("-----") || line.contains(':') {
            continue;
        }
        if line.contains("...") || line.contains('<') || line.contains("${") {
            return false;
        }
        body += line
            .bytes()
            .filter(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
            .count();
    }
    body >= 64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn github_token(random: &str, prefix: &str) -> String {
        let sum = base62_6(crc32fast::hash(random.as_bytes()));
        format!("{prefix}_{random}{}", std::str::from_utf8(&sum).unwrap())
    }

    #[test]
    fn github_checksums() {
        let t = github_token("Zq8W3nK0pLr5TbY2vXc9MhJ4dGs7Fa", "ghp");
        assert!(Validator::GithubChecksum.check(t.as_bytes()));
        let mut bad = t.clone().into_bytes();
        let last = bad.len() - 1;
        bad[last] = if bad[last] == b'A' { b'B' } else { b'A' };
        assert!(!Validator::GithubChecksum.check(&bad));
        assert!(!Validator::GithubChecksum.check(b"ghp_short"));
    }

    #[test]
    fn jwts() {
        let jwt = b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
        assert!(Validator::Jwt.check(jwt));
        assert!(!Validator::Jwt.check(b"eyJub3QiOiJqd3QifQ.eyJzdWIiOiJhbGljZSJ9.c2ln"));
        assert!(!Validator::Jwt.check(b"abc.def"));
    }

    #[test]
    fn basic_auth_values() {
        // admin:s3cr3tP4ss
        assert!(Validator::BasicAuth.check(b"YWRtaW46czNjcjN0UDRzcw=="));
        // user:${PASSWORD}
        assert!(!Validator::BasicAuth.check(b"dXNlcjoke1BBU1NXT1JEfQ=="));
        assert!(!Validator::BasicAuth.check(b"not base64!"));
    }

    #[test]
    fn private_key_bodies() {
        let real = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF\nlWxqz8Vj0bI2b0sE6uK3D0s0W5lVjKQf0T0lZmV6MHJr5X3ZJ3sNqP6Lk2kVb3Xq\n-----END RSA PRIVATE KEY-----";
        assert!(Validator::PrivateKey.check(real.as_bytes()));
        let fake = "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----";
        assert!(!Validator::PrivateKey.check(fake.as_bytes()));
    }
}

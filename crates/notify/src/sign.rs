//! Request signatures, each exactly as its receiver documents it.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

/// Gatehouse's own webhook signature: `sha256=` + hex HMAC-SHA256 keyed with the secret over
/// `"{timestamp}.{body}"`, the timestamp (Unix seconds) being the `X-Gatehouse-Timestamp`
/// header. Signing the timestamp with the body lets a receiver refuse old requests (replays)
/// without trusting an unsigned header.
pub fn webhook_signature(secret: &str, timestamp_secs: u64, body: &[u8]) -> String {
    let mut message = Vec::with_capacity(body.len() + 21);
    message.extend_from_slice(timestamp_secs.to_string().as_bytes());
    message.push(b'.');
    message.extend_from_slice(body);
    format!("sha256={}", hex(&hmac_sha256(secret.as_bytes(), &message)))
}

/// DingTalk custom robot 加签: `string_to_sign = timestamp + "\n" + secret`, HMAC-SHA256 keyed with
/// the secret, Base64. The timestamp is in milliseconds and must be within one hour of
/// DingTalk's clock. The caller URL-encodes the result into the `sign` query parameter (next to
/// `timestamp`).
pub fn dingtalk_sign(secret: &str, timestamp_ms: u64) -> String {
    let string_to_sign = format!("{timestamp_ms}\n{secret}");
    base64::engine::general_purpose::STANDARD
        .encode(hmac_sha256(secret.as_bytes(), string_to_sign.as_bytes()))
}

/// Feishu/Lark custom bot 签名校验: `timestamp + "\n" + secret` is the HMAC-SHA256 *key* and the
/// message is empty; Base64. The timestamp is in seconds, within one hour of Feishu's clock,
/// and goes with `sign` into the JSON body.
pub fn feishu_sign(secret: &str, timestamp_secs: u64) -> String {
    let key = format!("{timestamp_secs}\n{secret}");
    base64::engine::general_purpose::STANDARD.encode(hmac_sha256(key.as_bytes(), b""))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values computed independently (Python's hmac/hashlib/base64) from the providers'
    // documented algorithms.
    #[test]
    fn dingtalk_matches_documented_algorithm() {
        assert_eq!(
            dingtalk_sign("secret", 1_700_000_000_000),
            "OuzzJR5+xZ4/EYwqtNt6sMYZQMTa/HEGvc9miJe7XzY="
        );
    }

    #[test]
    fn feishu_matches_documented_algorithm() {
        assert_eq!(feishu_sign("secret", 1_599_360_473), FEISHU_EXPECTED);
    }

    #[test]
    fn webhook_signature_covers_timestamp_and_body() {
        assert_eq!(
            webhook_signature("secret", 1_700_000_000, b"{}"),
            WEBHOOK_EXPECTED
        );
        assert_ne!(
            webhook_signature("secret", 1_700_000_001, b"{}"),
            webhook_signature("secret", 1_700_000_000, b"{}")
        );
    }

    const FEISHU_EXPECTED: &str = "q4jswNiMy51J5JuQV566yJat0/lQ/c+22kINzUgKsGU=";
    const WEBHOOK_EXPECTED: &str =
        "sha256=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163";
}

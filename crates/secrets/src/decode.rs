//! Credentials hidden in base64 where they usually are: Kubernetes `Secret` data and Docker registry
//! configurations (`.dockerconfigjson`, `.dockercfg`). Values in those carriers are decoded and the
//! decoded text is scanned with every rule; findings point at the encoded value.
//!
//! Basic-auth headers and Docker `auth` fields are single values, checked by rules with the
//! `basic-auth` validator instead.

use std::ops::Range;

use crate::validators::decode_base64;

/// Markers of a file whose values are base64-encoded secrets, matched ASCII case-insensitively by
/// the engine's keyword pass.
pub const CARRIERS: &[&[u8]] = &[
    b"kind: Secret",
    b"kind: \"Secret\"",
    b"kind: 'Secret'",
    b"\"kind\": \"Secret\"",
    b"\"kind\":\"Secret\"",
    b".dockerconfigjson",
    b".dockercfg",
];

/// One decoded value: where its encoded form is and the text to scan for it.
pub struct Decoded {
    pub encoded: Range<usize>,
    /// `key: decoded value`, so that rules keyed on names (`password: …`) apply.
    pub text: Vec<u8>,
    /// Where the decoded value starts in `text`.
    pub value_offset: usize,
}

/// Every `key: base64` (YAML) or `"key": "base64"` (JSON) value of a carrier that decodes to text.
pub fn decode_values(data: &[u8]) -> Vec<Decoded> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in data.split(|&b| b == b'\n') {
        let start = pos;
        pos += line.len() + 1;
        if let Some((key, value)) = key_value(line) {
            let encoded = start + value.start..start + value.end;
            let raw = &data[encoded.clone()];
            if raw.len() < 8 || !raw.len().is_multiple_of(4) {
                continue;
            }
            let Some(bytes) = decode_base64(raw) else {
                continue;
            };
            if !is_text(&bytes) {
                continue;
            }
            let key = &line[key];
            let mut text = Vec::with_capacity(key.len() + bytes.len() + 2);
            text.extend_from_slice(key);
            text.extend_from_slice(b": ");
            let value_offset = text.len();
            text.extend_from_slice(&bytes);
            out.push(Decoded {
                encoded,
                text,
                value_offset,
            });
        }
    }
    out
}

/// `  name: dmFsdWU=`, `"name": "dmFsdWU=",`, `name: "dmFsdWU="`: the key and value ranges.
fn key_value(line: &[u8]) -> Option<(Range<usize>, Range<usize>)> {
    let colon = memchr::memchr(b':', line)?;
    let key_part = &line[..colon];
    let ks = key_part
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != b'"' && *b != b'\'')?;
    let ke = key_part
        .iter()
        .rposition(|b| !b.is_ascii_whitespace() && *b != b'"' && *b != b'\'')?
        + 1;
    if ks >= ke
        || !key_part[ks..ke]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    {
        return None;
    }
    let rest = &line[colon + 1..];
    let vs = rest
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != b'"' && *b != b'\'')?;
    let ve = vs
        + rest[vs..]
            .iter()
            .position(|b| {
                !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'))
            })
            .unwrap_or(rest.len() - vs);
    let tail = &rest[ve..];
    if !tail
        .iter()
        .all(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b','))
    {
        return None;
    }
    Some((ks..ke, colon + 1 + vs..colon + 1 + ve))
}

fn is_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|s| {
        s.chars()
            .all(|c| !c.is_control() || c == '\n' || c == '\r' || c == '\t')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_secret_values_decode() {
        // password: Zx81!qPwLm-prod
        let yaml = b"apiVersion: v1\nkind: Secret\ndata:\n  password: Wng4MSFxUHdMbS1wcm9k\n  port: ODA4MA==\n";
        let d = decode_values(yaml);
        let texts: Vec<_> = d
            .iter()
            .map(|d| String::from_utf8_lossy(&d.text).into_owned())
            .collect();
        assert!(
            texts.contains(&"password: Zx81!qPwLm-prod".to_string()),
            "{texts:?}"
        );
        let first = &d[0];
        assert_eq!(&yaml[first.encoded.clone()], b"Wng4MSFxUHdMbS1wcm9k");
    }

    #[test]
    fn json_values_decode() {
        let json = br#"{"kind": "Secret", "data": {"token": "c2stbGl2ZV8xMjM0NTY3ODkw"}}"#;
        // One line with several pairs is not split: only `key: value` lines are carriers' values.
        assert!(decode_values(json).is_empty());
        let json = b"{\n  \"kind\": \"Secret\",\n  \"data\": {\n    \"token\": \"c2stbGl2ZV8xMjM0NTY3ODkw\"\n  }\n}\n";
        assert_eq!(decode_values(json).len(), 1);
    }
}

//! Keeping credentials out of messages: webhook URLs carry them in the query (WeCom `key`,
//! DingTalk `access_token`) or the path (Slack, Feishu), and transport errors may echo the URL.

use url::Url;

const MASK: &str = "***";

/// A path segment is kept only when it reads as a plain word (`cgi-bin`, `webhook`,
/// `services`: lowercase letters, at most 16) or is very short (`v2`); anything with digits,
/// capitals or of token length is masked.
fn segment_is_public(segment: &str) -> bool {
    if segment.len() <= 3 {
        return true;
    }
    segment.len() <= 16
        && segment
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_' || b == b'.')
}

/// `scheme://host[:port]/path?name=***`, user info and fragment dropped.
pub(crate) fn redact_url(url: &Url) -> String {
    let mut out = format!("{}://{}", url.scheme(), url.host_str().unwrap_or(""));
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    if let Some(segments) = url.path_segments() {
        for segment in segments {
            out.push('/');
            out.push_str(if segment_is_public(segment) {
                segment
            } else {
                MASK
            });
        }
    }
    let names: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
    if !names.is_empty() {
        out.push('?');
        let parts: Vec<String> = names.iter().map(|k| format!("{k}={MASK}")).collect();
        out.push_str(&parts.join("&"));
    }
    out
}

/// Every piece of the URL `redact_url` masks, raw and as it appears percent-encoded.
pub(crate) fn url_secret_parts(url: &Url) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(segments) = url.path_segments() {
        parts.extend(
            segments
                .filter(|s| !segment_is_public(s))
                .map(str::to_owned),
        );
    }
    if let Some(query) = url.query() {
        for pair in query.split('&') {
            if let Some((_, value)) = pair.split_once('=') {
                parts.push(value.to_owned());
            }
        }
    }
    parts.extend(url.query_pairs().map(|(_, v)| v.into_owned()));
    if let Some(password) = url.password() {
        parts.push(password.to_owned());
    }
    if !url.username().is_empty() {
        parts.push(url.username().to_owned());
    }
    parts.retain(|p| !p.is_empty());
    parts.sort();
    parts.dedup();
    // Longest first, so a secret that contains another is replaced whole.
    parts.sort_by_key(|p| std::cmp::Reverse(p.len()));
    parts
}

/// Replaces every secret in `text` with `***`, and bounds its length.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scrubber {
    secrets: Vec<String>,
}

impl Scrubber {
    pub(crate) fn new() -> Self {
        Scrubber::default()
    }

    pub(crate) fn add(&mut self, secret: &str) {
        // One- and two-character "secrets" would shred every message; real ones are longer.
        if secret.len() >= 3 {
            self.secrets.push(secret.to_owned());
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    pub(crate) fn add_all(&mut self, secrets: impl IntoIterator<Item = String>) {
        for s in secrets {
            self.add(&s);
        }
    }

    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), MASK);
            }
        }
        truncate(&out, 300)
    }
}

/// At most `max` bytes, cut at a character boundary, with `…` when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(input: &str) -> String {
        redact_url(&Url::parse(input).unwrap())
    }

    #[test]
    fn masks_robot_credentials() {
        assert_eq!(
            redacted("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***"
        );
        assert_eq!(
            redacted("https://oapi.dingtalk.com/robot/send?access_token=abc123def456"),
            "https://oapi.dingtalk.com/robot/send?access_token=***"
        );
        assert_eq!(
            redacted(
                "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
            ),
            "https://hooks.slack.com/services/***/***/***"
        );
        assert_eq!(
            redacted(
                "https://open.feishu.cn/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd"
            ),
            "https://open.feishu.cn/open-apis/bot/v2/hook/***"
        );
        assert_eq!(
            redacted("http://user:pw@127.0.0.1:8080/hooks/gatehouse#frag"),
            "http://127.0.0.1:8080/hooks/gatehouse"
        );
    }

    #[test]
    fn scrubber_removes_raw_and_encoded_forms() {
        let url = Url::parse("https://x.example/send?key=a%2Bb%3D&other=plainvalue").unwrap();
        let mut s = Scrubber::new();
        s.add_all(url_secret_parts(&url));
        let text = "failed for https://x.example/send?key=a%2Bb%3D (a+b=) plainvalue";
        let out = s.scrub(text);
        assert!(
            !out.contains("a%2Bb%3D") && !out.contains("a+b=") && !out.contains("plainvalue"),
            "{out}"
        );
    }

    #[test]
    fn truncates_at_char_boundary() {
        assert_eq!(truncate("ééé", 3), "é…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}

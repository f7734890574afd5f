//! Small text helpers shared by the renderers: escaping, encoding, number formatting.

use std::borrow::Cow;
use std::fmt::Write as _;

use gatehouse_core::{CommitInfo, Location};

/// Percent-encodes a relative path for a URI reference (RFC 3986): unreserved characters and `/`
/// stay, every other byte of the UTF-8 encoding becomes `%XX`.
pub fn percent_encode_path(path: &str) -> String {
    percent_encode(path, b"-._~/")
}

/// Percent-encodes `s` as one path segment: as [`percent_encode_path`], but `/` is encoded too.
pub fn percent_encode_segment(s: &str) -> String {
    percent_encode(s, b"-._~")
}

fn percent_encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A URI for a path from a report: relative paths become a percent-encoded relative reference
/// (`relative` is true: resolve it against the scan root); absolute paths become a `file:` URI.
pub struct ArtifactUri {
    pub uri: String,
    pub relative: bool,
}

pub fn artifact_uri(path: &str) -> ArtifactUri {
    let unix = path.replace('\\', "/");
    let bytes = unix.as_bytes();
    if unix.starts_with('/') {
        return ArtifactUri {
            uri: format!("file://{}", percent_encode_path(&unix)),
            relative: false,
        };
    }
    if bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/' {
        // A Windows drive path, `C:/x`.
        return ArtifactUri {
            uri: format!(
                "file:///{}:{}",
                bytes[0] as char,
                percent_encode_path(&unix[2..])
            ),
            relative: false,
        };
    }
    let trimmed = unix.strip_prefix("./").unwrap_or(&unix);
    ArtifactUri {
        uri: percent_encode_path(trimmed),
        relative: true,
    }
}

/// An absolute http(s) URL with nothing in it that a URI may not contain.
pub fn is_plain_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > "https://".len()
        && s.bytes()
            .all(|b| b.is_ascii_graphic() && !b"<>\"{}|\\^`".contains(&b))
}

/// `GitHub personal access token` → `GitHubPersonalAccessToken`: words split at anything that is
/// not a letter or digit, each word's first letter upper-cased, the rest kept.
pub fn pascal_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| !c.is_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The number of a CWE id written as `CWE-798`, `cwe-798` or `798`.
pub fn cwe_number(cwe: &str) -> Option<&str> {
    let t = cwe.trim();
    let n = match t.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("cwe-") => &t[4..],
        _ => t,
    };
    (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(n)
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 finding`, `1,234 findings`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// Decimal (SI) size: `512 B`, `1.5 kB`, `56.3 MB`, `2.1 GB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["kB", "MB", "GB", "TB", "PB", "EB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut v = n as f64;
    let mut unit = "B";
    for u in UNITS {
        if v < 1000.0 {
            break;
        }
        v /= 1000.0;
        unit = u;
    }
    if v >= 999.95 && unit != "EB" {
        // 999.96 kB would print as `1000.0 kB`.
        let next = UNITS
            .iter()
            .position(|&u| u == unit)
            .map_or(unit, |i| UNITS[i + 1]);
        return format!("1.0 {next}");
    }
    format!("{v:.1} {unit}")
}

/// `1240` → `1.24 s`, `12300` → `12.3 s`, `125000` → `2 min 5 s`.
pub fn human_duration(ms: u64) -> String {
    if ms < 10_000 {
        format!("{}.{:02} s", ms / 1000, (ms % 1000) / 10)
    } else if ms < 60_000 {
        format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
    } else {
        let s = ms / 1000;
        format!("{} min {} s", s / 60, s % 60)
    }
}

/// Characters that could change what a terminal shows: controls and bidirectional overrides.
fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text from a finding made safe for a terminal: control characters (escape sequences, newlines)
/// and bidirectional overrides are shown as Rust escapes (`\u{1b}`, `\n`) instead of acting.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_for_terminal) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe_for_terminal(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// At most `max` characters of `s`, with `…` at the end when cut.
pub fn truncate_chars(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some(_) => {
            let keep = max.saturating_sub(1);
            let end = s.char_indices().nth(keep).map_or(s.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &s[..end]))
        }
    }
}

/// Whether XML 1.0 allows `c` in a document at all.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Appends `s` as XML character data: `&`, `<` and `>` escaped, characters XML 1.0 forbids
/// replaced with U+FFFD, `\r` kept as a character reference so parsers do not normalize it away.
pub fn push_xml_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if !is_xml_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// Appends `s` as a double-quoted XML attribute value's content: as [`push_xml_text`], plus `"`,
/// `'` and the whitespace characters a parser would normalize to spaces.
pub fn push_xml_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if !is_xml_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// The first `n` characters of a commit id.
pub fn short_commit(id: &str, n: usize) -> &str {
    id.char_indices().nth(n).map_or(id, |(i, _)| &id[..i])
}

/// The date part of an RFC 3339 timestamp (`2024-05-01T12:00:00Z` → `2024-05-01`).
pub fn date_part(date: &str) -> &str {
    date.split_once('T').map_or(date, |(d, _)| d)
}

/// `path:line:col`, `path:line`, `path`, `host:port`, or `(no location)`.
pub fn location_label(loc: &Location) -> String {
    let mut s = match (&loc.path, &loc.host) {
        (Some(p), _) => p.clone(),
        (None, Some(h)) => match loc.port {
            Some(port) if h.contains(':') => format!("[{h}]:{port}"),
            Some(port) => format!("{h}:{port}"),
            None => h.clone(),
        },
        (None, None) => return "(no location)".to_string(),
    };
    if loc.path.is_some() && loc.start_line > 0 {
        let _ = write!(s, ":{}", loc.start_line);
        if loc.start_column > 0 {
            let _ = write!(s, ":{}", loc.start_column);
        }
    }
    s
}

/// `1a2b3c4d (Ada Lovelace <ada@x.org>, 2024-05-01)`.
pub fn commit_label(c: &CommitInfo) -> String {
    let mut who = c.author_name.clone();
    if !c.author_email.is_empty() {
        if !who.is_empty() {
            who.push(' ');
        }
        let _ = write!(who, "<{}>", c.author_email);
    }
    let date = date_part(&c.date);
    let details = match (who.is_empty(), date.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!(" ({who})"),
        (true, false) => format!(" ({date})"),
        (false, false) => format!(" ({who}, {date})"),
    };
    format!("{}{details}", short_commit(&c.id, 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_keeps_slashes_and_unreserved() {
        assert_eq!(percent_encode_path("src/a-b_c.~d.py"), "src/a-b_c.~d.py");
        assert_eq!(
            percent_encode_path("my dir/#1 100%.txt"),
            "my%20dir/%231%20100%25.txt"
        );
        assert_eq!(
            percent_encode_path("ünï/日本.rs"),
            "%C3%BCn%C3%AF/%E6%97%A5%E6%9C%AC.rs"
        );
        assert_eq!(percent_encode_path("a:b"), "a%3Ab");
        assert_eq!(percent_encode_segment("/h:1"), "%2Fh%3A1");
    }

    #[test]
    fn artifact_uris() {
        let a = artifact_uri("./src/x y.rs");
        assert_eq!((a.uri.as_str(), a.relative), ("src/x%20y.rs", true));
        let a = artifact_uri("/etc/passwd");
        assert_eq!((a.uri.as_str(), a.relative), ("file:///etc/passwd", false));
        let a = artifact_uri("C:\\Users\\x.txt");
        assert_eq!(
            (a.uri.as_str(), a.relative),
            ("file:///C:/Users/x.txt", false)
        );
    }

    #[test]
    fn pascal_case_words() {
        assert_eq!(
            pascal_case("GitHub personal access token"),
            "GitHubPersonalAccessToken"
        );
        assert_eq!(pascal_case("AWS access-key (legacy)"), "AWSAccessKeyLegacy");
        assert_eq!(pascal_case("ключ доступа"), "КлючДоступа");
        assert_eq!(pascal_case("  "), "");
    }

    #[test]
    fn cwe_numbers() {
        assert_eq!(cwe_number("CWE-798"), Some("798"));
        assert_eq!(cwe_number("cwe-79"), Some("79"));
        assert_eq!(cwe_number("200"), Some("200"));
        assert_eq!(cwe_number("CWE-"), None);
        assert_eq!(cwe_number("CWE-7x"), None);
        assert_eq!(cwe_number("ü"), None);
        assert_eq!(cwe_number("cwé-1"), None);
        assert_eq!(cwe_number("日本語"), None);
    }

    #[test]
    fn numbers_sizes_durations() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1500), "1.5 kB");
        assert_eq!(human_bytes(56_300_000), "56.3 MB");
        assert_eq!(human_bytes(999_960), "1.0 MB");
        assert!(human_bytes(u64::MAX).ends_with("EB"));
        assert_eq!(human_duration(0), "0.00 s");
        assert_eq!(human_duration(1240), "1.24 s");
        assert_eq!(human_duration(12_345), "12.3 s");
        assert_eq!(human_duration(125_000), "2 min 5 s");
        assert!(!human_duration(u64::MAX).is_empty());
    }

    #[test]
    fn terminal_text_cannot_act() {
        assert_eq!(terminal_safe("plain ü"), "plain ü");
        assert_eq!(terminal_safe("a\x1b[31mb\n"), "a\\u{1b}[31mb\\n");
        assert_eq!(terminal_safe("x\u{202E}y"), "x\\u{202e}y");
    }

    #[test]
    fn truncation_counts_characters() {
        assert_eq!(truncate_chars("abc", 3), "abc");
        assert_eq!(truncate_chars("abcd", 3), "ab…");
        assert_eq!(truncate_chars("日本語です", 3), "日本…");
        assert_eq!(truncate_chars("abc", 0), "…");
    }

    #[test]
    fn xml_escaping() {
        let mut s = String::new();
        push_xml_text(&mut s, "a<b>&c\u{0}\u{1b}\r\n\"'");
        assert_eq!(s, "a&lt;b&gt;&amp;c\u{FFFD}\u{FFFD}&#13;\n\"'");
        let mut s = String::new();
        push_xml_attr(&mut s, "\"x\"\t'y'\n\u{FFFF}");
        assert_eq!(s, "&quot;x&quot;&#9;&apos;y&apos;&#10;\u{FFFD}");
    }

    #[test]
    fn labels() {
        let mut loc = Location {
            path: Some("a.py".into()),
            start_line: 3,
            start_column: 7,
            ..Location::default()
        };
        assert_eq!(location_label(&loc), "a.py:3:7");
        loc.start_column = 0;
        assert_eq!(location_label(&loc), "a.py:3");
        loc.start_line = 0;
        assert_eq!(location_label(&loc), "a.py");
        let net = Location {
            host: Some("::1".into()),
            port: Some(22),
            ..Location::default()
        };
        assert_eq!(location_label(&net), "[::1]:22");
        assert_eq!(location_label(&Location::default()), "(no location)");
        let c = CommitInfo {
            id: "1a2b3c4d5e6f".into(),
            author_name: "Ada Lovelace".into(),
            author_email: "ada@x.org".into(),
            date: "2024-05-01T12:00:00Z".into(),
        };
        assert_eq!(
            commit_label(&c),
            "1a2b3c4d (Ada Lovelace <ada@x.org>, 2024-05-01)"
        );
    }
}

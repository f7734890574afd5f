//! Inline suppressions: a `nosemgrep` or `gatehouse:ignore` comment on the line where a finding
//! starts, or alone on the line above it.
//!
//! Either marker may be followed by `:` or spaces and a comma-separated list of rule ids
//! (`# nosemgrep: python.sqli-string-format`, `// gatehouse:ignore java.weak-hash`); without a
//! list it silences every rule on that line. An id matches a rule whose id is equal to it or ends
//! with `.` and it, so the short form of a built-in id (`sqli-string-format`) works too.

const MARKERS: [&str; 2] = ["nosemgrep", "gatehouse:ignore"];

/// Comment openers that make a line "a comment alone" (the line above a finding counts only then,
/// so that trailing code on it is not silenced by accident).
const COMMENT_STARTS: [&str; 7] = ["#", "//", "/*", "*", "--", "<!--", "'"];

/// Whether the finding of `rule_id` starting on 1-based `line` of `source` is suppressed.
pub fn is_suppressed(source: &[u8], line: u32, rule_id: &str) -> bool {
    let Some(idx) = (line as usize).checked_sub(1) else {
        return false;
    };
    let (this, above) = lines_around(source, idx);
    if this.is_some_and(|l| suppresses(l, rule_id)) {
        return true;
    }
    above.is_some_and(|l| {
        let t = l.trim_start();
        COMMENT_STARTS.iter().any(|c| t.starts_with(c)) && suppresses(l, rule_id)
    })
}

/// The text of line `idx` (0-based) and of the line before it.
fn lines_around(source: &[u8], idx: usize) -> (Option<&str>, Option<&str>) {
    let mut start = 0;
    let mut prev: Option<&[u8]> = None;
    for i in 0..=idx {
        let end = memchr::memchr(b'\n', &source[start..]).map_or(source.len(), |e| start + e);
        let line = &source[start..end];
        if i == idx {
            return (line_text(line), prev.and_then(line_text));
        }
        if end >= source.len() {
            return (None, None);
        }
        prev = Some(line);
        start = end + 1;
    }
    (None, None)
}

fn line_text(b: &[u8]) -> Option<&str> {
    std::str::from_utf8(b)
        .ok()
        .map(|s| s.trim_end_matches('\r'))
}

fn suppresses(line: &str, rule_id: &str) -> bool {
    for marker in MARKERS {
        let mut rest = line;
        while let Some(at) = rest.find(marker) {
            let after = &rest[at + marker.len()..];
            let ids = listed_ids(after);
            if ids.is_empty() || ids.iter().any(|id| id_matches(rule_id, id)) {
                return true;
            }
            rest = after;
        }
    }
    false
}

/// The ids after a marker: `: a, b` or ` a,b`; empty when there is no list.
fn listed_ids(after: &str) -> Vec<&str> {
    let list = after
        .strip_prefix(':')
        .or_else(|| after.strip_prefix(' '))
        .unwrap_or("");
    let end = list
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ',' | ' ' | '/')))
        .unwrap_or(list.len());
    list[..end]
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn id_matches(rule_id: &str, listed: &str) -> bool {
    rule_id == listed
        || rule_id
            .strip_suffix(listed)
            .is_some_and(|head| head.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_line_and_comment_line_above() {
        let src = b"a = 1\nos.system(x)  # nosemgrep\n# gatehouse:ignore python.cmd\nos.system(y)\nz = 1; os.system(z)\n";
        assert!(is_suppressed(src, 2, "python.cmd"));
        assert!(is_suppressed(src, 4, "python.cmd"));
        assert!(!is_suppressed(src, 4, "python.other"));
        assert!(!is_suppressed(src, 1, "python.cmd"));
        assert!(!is_suppressed(src, 5, "python.cmd"));
        assert!(!is_suppressed(src, 9, "python.cmd"));
        assert!(!is_suppressed(src, 0, "python.cmd"));
    }

    #[test]
    fn id_lists_and_short_ids() {
        let src = b"f(x) // nosemgrep: java.a, b\n";
        assert!(is_suppressed(src, 1, "java.a"));
        assert!(is_suppressed(src, 1, "java.b"));
        assert!(!is_suppressed(src, 1, "java.c"));
        assert!(!is_suppressed(src, 1, "java.xb"));
        let src = b"f(x) // gatehouse:ignore weak-hash and more words\n";
        assert!(is_suppressed(src, 1, "java.weak-hash"));
    }

    #[test]
    fn code_on_the_line_above_does_not_suppress() {
        let src = b"g(1)  # nosemgrep\nf(x)\n";
        assert!(is_suppressed(src, 1, "r"));
        assert!(!is_suppressed(src, 2, "r"));
    }
}

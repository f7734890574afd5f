//! Inline suppression: a comment with `gatehouse:ignore` (every check) or
//! `gatehouse:ignore ID[, ID…]` on the line of a finding, or alone on the line above it (or
//! above the resource the finding is in). Comments are `#` (Dockerfile, YAML, HCL) or `//`
//! (HCL).

const MARKER: &str = "gatehouse:ignore";

/// The lines of a file, for suppression lookups.
pub struct Lines<'a>(Vec<&'a str>);

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines(text.lines().collect())
    }

    /// The text of 1-based `line`.
    pub fn get(&self, line: u32) -> Option<&'a str> {
        (line as usize)
            .checked_sub(1)
            .and_then(|i| self.0.get(i).copied())
    }

    /// Whether a finding of `id` reported at any of `lines` is suppressed.
    pub fn suppressed(&self, lines: &[u32], id: &str) -> bool {
        lines.iter().any(|&l| {
            self.get(l).is_some_and(|t| suppresses(t, id))
                || l.checked_sub(1)
                    .and_then(|above| self.get(above))
                    .is_some_and(|t| {
                        let t = t.trim_start();
                        (t.starts_with('#') || t.starts_with("//")) && suppresses(t, id)
                    })
        })
    }
}

fn suppresses(line: &str, id: &str) -> bool {
    let Some(at) = line.find(MARKER) else {
        return false;
    };
    // Only in a comment: the marker must follow `#` or `//` on the line.
    let before = &line[..at];
    if !before.contains('#') && !before.contains("//") {
        return false;
    }
    let after = line[at + MARKER.len()..].trim_start_matches([':', ' ', '\t']);
    let ids: Vec<&str> = after
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .take_while(|s| {
            // Check ids have a `-`; words after them are the reason.
            s.contains('-')
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        })
        .collect();
    ids.is_empty() || ids.iter().any(|i| i.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let text = "a: 1 # gatehouse:ignore\n# gatehouse:ignore IAC-K8S-001, IAC-K8S-002\nb: 2\nc: gatehouse:ignore\n// gatehouse:ignore: X-1 because reasons\nd = 1\n";
        let l = Lines::new(text);
        assert!(l.suppressed(&[1], "ANY"));
        assert!(l.suppressed(&[3], "IAC-K8S-002"));
        assert!(!l.suppressed(&[3], "IAC-K8S-003"));
        assert!(!l.suppressed(&[4], "ANY"), "not in a comment");
        assert!(l.suppressed(&[6], "X-1"));
        assert!(!l.suppressed(&[6], "because"));
    }
}

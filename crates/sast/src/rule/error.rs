//! The one error type of the rule loader.

use std::fmt;

/// A problem with a rule file: where it is and what is wrong.
///
/// Displayed as `file:line:column: key.path: message`, for example
/// `rules/sast/python/sqli.yaml:14:9: rules[0].patterns[2]: unknown key "pattern-nott"`.
/// The line and column are 1-based (the column counts characters); they are absent only for
/// errors about a whole file (it cannot be read), and the key path is empty for errors about the
/// document itself (it is not a mapping).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RuleError {
    /// The file, as the caller named it (or the `origin` given to `load_str`).
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Where in the document: `rules[0].patterns[2].pattern-inside`. For an unknown or duplicate
    /// key, the path of the mapping that holds it; otherwise the path of the offending value.
    pub key_path: String,
    pub message: String,
}

impl RuleError {
    pub(crate) fn at(
        file: &str,
        line: usize,
        column: usize,
        key_path: &str,
        message: impl Into<String>,
    ) -> Self {
        RuleError {
            file: file.to_string(),
            line: Some(line),
            column: Some(column),
            key_path: key_path.to_string(),
            message: message.into(),
        }
    }

    /// An error about a whole file, with no position (it could not be read).
    pub(crate) fn file_level(file: &str, message: impl Into<String>) -> Self {
        RuleError {
            file: file.to_string(),
            line: None,
            column: None,
            key_path: String::new(),
            message: message.into(),
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        f.write_str(": ")?;
        if !self.key_path.is_empty() {
            write!(f, "{}: ", self.key_path)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for RuleError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_with_and_without_position() {
        let e = RuleError::at(
            "rules/sast/python/sqli.yaml",
            14,
            9,
            "rules[0].patterns[2]",
            "unknown key \"pattern-nott\"",
        );
        assert_eq!(
            e.to_string(),
            "rules/sast/python/sqli.yaml:14:9: rules[0].patterns[2]: unknown key \"pattern-nott\""
        );
        let e = RuleError::file_level("x.yaml", "cannot read the file: denied");
        assert_eq!(e.to_string(), "x.yaml: cannot read the file: denied");
        let e = RuleError::at("x.yaml", 1, 1, "", "empty");
        assert_eq!(e.to_string(), "x.yaml:1:1: empty");
    }
}

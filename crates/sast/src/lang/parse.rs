//! Parsing source files: one cached parser per language and thread, a deadline, error counts.

use std::cell::RefCell;
use std::ops::{ControlFlow, Range};
use std::time::{Duration, Instant};

use tree_sitter::{Node, ParseOptions, ParseState, Parser, Tree};

use super::Language;

/// How long [`parse`] lets one file take before giving up.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How many syntax errors [`ParsedFile::errors`] keeps (all are counted).
pub const MAX_REPORTED_ERRORS: usize = 5;

/// Options for [`parse_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseConfig {
    /// Wall-clock limit for one parse; checked by tree-sitter's progress callback.
    pub timeout: Duration,
}

impl Default for ParseConfig {
    fn default() -> Self {
        ParseConfig {
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// A parsed source file. The tree may contain `ERROR` and `MISSING` nodes: tree-sitter recovers
/// from syntax errors, and rules run on the rest of the tree.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub language: Language,
    pub tree: Tree,
    /// Number of `ERROR` and `MISSING` nodes in the tree.
    pub error_count: usize,
    /// The first [`MAX_REPORTED_ERRORS`] of them, in document order.
    pub errors: Vec<SyntaxError>,
}

impl ParsedFile {
    /// Whether the file parsed without any syntax error.
    pub fn is_clean(&self) -> bool {
        self.error_count == 0
    }
}

/// One `ERROR` or `MISSING` node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte range in the source (empty for a `MISSING` node).
    pub bytes: Range<usize>,
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based column of the start, in bytes (as [`gatehouse_core`] locations count).
    pub column: u32,
    /// For a `MISSING` node, the kind of node tree-sitter inserted (`;`, `)`, `identifier`);
    /// `None` for an `ERROR` node (unexpected text).
    pub missing: Option<String>,
}

/// Why a file could not be parsed at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseFailure {
    #[error("parsing took longer than {0:?}")]
    Timeout(Duration),
    #[error("file too large to parse ({0} bytes; tree-sitter addresses at most 4 GiB)")]
    TooLarge(usize),
    #[error("the {0} grammar could not be loaded: {1}")]
    Grammar(Language, String),
}

/// Parses a source file with the default [`ParseConfig`].
pub fn parse(lang: Language, source: &[u8]) -> Result<ParsedFile, ParseFailure> {
    parse_with(lang, source, &ParseConfig::default())
}

/// Parses a source file. The thread's parser for `lang` is reused (tree-sitter parsers are not
/// `Sync`; each thread keeps one per language, created on first use).
pub fn parse_with(
    lang: Language,
    source: &[u8],
    config: &ParseConfig,
) -> Result<ParsedFile, ParseFailure> {
    let tree = parse_tree(lang, source, config.timeout)?;
    let (error_count, errors) = collect_errors(tree.root_node(), MAX_REPORTED_ERRORS);
    Ok(ParsedFile {
        language: lang,
        tree,
        error_count,
        errors,
    })
}

thread_local! {
    static PARSERS: RefCell<Vec<Option<Parser>>> = const { RefCell::new(Vec::new()) };
}

/// Parses with the thread's cached parser, under a deadline.
pub(super) fn parse_tree(
    lang: Language,
    source: &[u8],
    timeout: Duration,
) -> Result<Tree, ParseFailure> {
    if u32::try_from(source.len()).is_err() {
        return Err(ParseFailure::TooLarge(source.len()));
    }
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        if parsers.len() < Language::all().len() {
            parsers.resize_with(Language::all().len(), || None);
        }
        let slot = &mut parsers[lang.index()];
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&lang.ts_language())
                .map_err(|e| ParseFailure::Grammar(lang, e.to_string()))?;
            *slot = Some(parser);
        }
        let Some(parser) = slot.as_mut() else {
            return Err(ParseFailure::Grammar(lang, "no parser".into()));
        };
        let deadline = Instant::now() + timeout;
        let mut progress = |_: &ParseState| {
            if Instant::now() >= deadline {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let options = ParseOptions::new().progress_callback(&mut progress);
        let len = source.len();
        let tree = parser.parse_with_options(
            &mut |offset, _| source.get(offset..len).unwrap_or_default(),
            None,
            Some(options),
        );
        match tree {
            Some(tree) => Ok(tree),
            None => {
                // A cancelled parse would otherwise resume on the next call.
                parser.reset();
                Err(ParseFailure::Timeout(timeout))
            }
        }
    })
}

/// Counts `ERROR` and `MISSING` nodes under `root` and keeps the first `keep` of them.
/// Iterative, and skips subtrees without errors.
pub(super) fn collect_errors(root: Node<'_>, keep: usize) -> (usize, Vec<SyntaxError>) {
    let mut count = 0;
    let mut errors = Vec::new();
    if !root.has_error() {
        return (0, errors);
    }
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            count += 1;
            if errors.len() < keep {
                errors.push(syntax_error(node));
            }
        }
        let descend = node.has_error() && cursor.goto_first_child();
        if descend {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return (count, errors);
            }
        }
    }
}

fn syntax_error(node: Node<'_>) -> SyntaxError {
    let start = node.start_position();
    SyntaxError {
        bytes: node.byte_range(),
        line: to_u32(start.row).saturating_add(1),
        column: to_u32(start.column).saturating_add(1),
        missing: node.is_missing().then(|| node.kind().to_string()),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_errors_and_missing_nodes() {
        let clean = parse(Language::Python, b"import os\nos.system(cmd)\n").unwrap();
        assert!(clean.is_clean());
        let broken = parse(Language::Java, b"class A { void f() { int x = ; g(; } }").unwrap();
        assert!(broken.error_count >= 1, "{:?}", broken.errors);
        assert_eq!(broken.errors[0].line, 1);
        let missing = parse(Language::Java, b"class A { void f() { int x = 1 } }").unwrap();
        assert!(
            missing.errors.iter().any(|e| e.missing.is_some()),
            "{missing:?}"
        );
    }

    #[test]
    fn parsers_are_reused_after_a_timeout() {
        let source = "x = [".repeat(20_000);
        let config = ParseConfig {
            timeout: Duration::ZERO,
        };
        let result = parse_with(Language::Python, source.as_bytes(), &config);
        assert_eq!(result.unwrap_err(), ParseFailure::Timeout(Duration::ZERO));
        let ok = parse(Language::Python, b"y = 1\n").unwrap();
        assert!(ok.is_clean());
        assert_eq!(ok.tree.root_node().end_byte(), 6);
    }
}

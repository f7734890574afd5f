//! Parsing Semgrep pattern snippets into tree-sitter trees that can be matched node by node
//! against the trees of target files.
//!
//! # From pattern text to a tree
//!
//! 1. **Rewriting** (`rewrite.rs`). Semgrep's operators are not valid syntax in most grammars,
//!    so each is replaced by an identifier the grammar accepts, chosen by language and by
//!    position. All invented identifiers start with `__gh_` (Ruby class names: `GH_MV_`), and
//!    every replacement is recorded as a [`Placeholder`]:
//!
//!    | pattern | becomes | kind |
//!    |---|---|---|
//!    | `$X` | `$X` where it is already an identifier or variable (JavaScript, TypeScript, Java, C, C++: `$` is an identifier character; PHP, Bash: a variable), otherwise `__gh_mv_X` (Python, Go, C#, Kotlin, Ruby; PHP after `function`/`class`; Ruby after `class`/`module` → `GH_MV_X`) | [`PlaceholderKind::Metavariable`] |
//!    | `$...ARGS` | `__gh_mvs_ARGS` (PHP: `$__gh_mvs_ARGS`) in the same positional forms as `...` | [`PlaceholderKind::EllipsisMetavariable`] |
//!    | `...` | `__gh_ell_N` (N counts from 0; PHP: `$__gh_ell_N`), in a form that fits where it stands (below) | [`PlaceholderKind::Ellipsis`] |
//!    | `<... E ...>` | `__gh_deep_N(E)` (a call; not in Bash) | [`PlaceholderKind::Deep`] |
//!
//!    Forms of `...` (and `$...X`), by position:
//!    - in an argument list, array, subscript, interpolation or deep expression: the bare
//!      identifier, `foo(__gh_ell_0)`;
//!    - in a parameter list of a Java/C# declaration: `__gh_t __gh_ell_0`, Kotlin:
//!      `__gh_ell_0: __gh_t` (the whole parameter node is the placeholder); other languages
//!      accept the bare identifier as a parameter;
//!    - as a statement: `__gh_ell_0;` (C, C++, Java, JavaScript, TypeScript, PHP),
//!      `__gh_ell_0();` (C#, where a bare name is not a statement), the bare identifier
//!      (Python, Ruby, Go, Kotlin, Bash); the `;` is left out when the pattern has one;
//!    - as a class member: `int __gh_ell_0;` (Java, C#, C, C++), `val __gh_ell_0 = 0;` (Kotlin),
//!      `public $__gh_ell_0;` (PHP);
//!    - as a dictionary element: `**__gh_ell_0` (Python dictionaries, Ruby hashes); as an
//!      object element (JavaScript) it is a shorthand property.
//!
//!    Not rewritten: `...` glued to a name (`...args`, `xs...`, `String... a`) where the language
//!    has spread or variadic syntax; anything in string literals and comments, except
//!    interpolated code (`f"{$X}"`, `` `${$X}` ``, `"#{$X}"`, C# `$"{$X}"`). A string literal
//!    whose content is `...` or a metavariable stays a string node: see
//!    [`PatternTree::string_placeholder`]. In PHP and Bash, `$X` inside double quotes is a
//!    native variable node and is recorded as a metavariable.
//!
//! 2. **Wrapping** (`wrap.rs`). The rewritten text is tried in a list of contexts per language,
//!    in order, and the first one that parses without any `ERROR` or `MISSING` node wins, e.g.
//!    for Java: as a program, in a class body, in a method body, in a method body followed by
//!    `;`, as a call argument, as an annotation before a method. In Java, C# and Kotlin, the
//!    rewriting is redone with every parenthesised list read as arguments if the guess that a
//!    list is a declaration's parameters made every wrapper fail.
//!
//! 3. **Extraction**. The pattern's nodes are the top-most named nodes that lie wholly inside
//!    the pattern's byte range (comments excluded), so the wrapper disappears. The wrapper must
//!    not swallow any of the pattern's tokens. A single node that is an expression statement
//!    (`foo(x);`), a C# global statement, a modifier list holding one annotation, or an
//!    argument holding one expression is replaced by what it holds.
//!
//! # Matching against a target tree
//!
//! Walk [`PatternTree::roots`] and the target's nodes together. For each pattern node, first
//! ask [`PatternTree::placeholder_of`]: it answers for the identifier itself and for any node
//! spanning exactly the inserted form (the `expression_statement` of `__gh_ell_0;`, the
//! `formal_parameter` of `__gh_t __gh_ell_0`, PHP's `argument` holding `$__gh_ell_0`, the call
//! `__gh_deep_0(...)`), so the outermost such node is where the operator applies. For a
//! [`PlaceholderKind::Deep`] node, [`PatternTree::deep_operand`] gives the inner pattern. All
//! other nodes compare by kind and, for leaves, by text ([`PatternTree::text`]).

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::time::{Duration, Instant};

use tree_sitter::{Node, Tree};

use super::parse::{collect_errors, parse_tree, ParseFailure};
use super::rewrite::{self, Rewritten};
use super::wrap::{self, Wrapper};
use super::Language;

/// Total time all attempts at one pattern may take.
const PATTERN_TIMEOUT: Duration = Duration::from_secs(2);

/// What a pattern is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatternKind {
    /// One expression (assignments and calls included); it matches wherever such an expression
    /// occurs, at any depth.
    Expression,
    /// One statement or a sequence of statements.
    Statements,
    /// Top-level or member declarations: functions, methods, classes, fields, imports,
    /// annotations and decorators.
    Declaration,
}

/// What a placeholder stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceholderKind {
    /// `$X`: matches one node and binds it; the same name must match equal code.
    Metavariable,
    /// `$...ARGS`: matches a sequence (arguments, parameters, statements) and binds it.
    EllipsisMetavariable,
    /// `...`: matches any sequence, including an empty one.
    Ellipsis,
    /// `<... E ...>`: matches a node that contains a match of `E` at any depth.
    Deep,
}

/// A placeholder the rewriter put into the pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub kind: PlaceholderKind,
    /// The metavariable as written (`$X`, `$...ARGS`); `None` for `...` and `<... ...>`.
    pub metavariable: Option<String>,
    /// The identifier as it is spelled in [`PatternTree::source`] (`__gh_mv_X`, `$X`,
    /// `__gh_ell_0`, `__gh_deep_1`).
    pub spelling: String,
}

/// A pattern that no wrapper could parse, or that could not be parsed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub language: Language,
    /// The pattern as written.
    pub pattern: String,
    /// Byte offset in `pattern` of the first syntax error (of the attempt that got furthest).
    pub offset: usize,
    /// 1-based line in `pattern`.
    pub line: u32,
    /// 1-based column in `pattern`, in characters.
    pub column: u32,
    /// What is wrong there: `unexpected "..."`, `missing ";"`, `empty pattern`, ...
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} pattern at line {}, column {}: {}\n  | {}",
            self.language,
            self.line,
            self.column,
            self.message,
            self.pattern.trim_end().replace('\n', "\n  | ")
        )
    }
}

impl std::error::Error for PatternError {}

#[derive(Debug, Clone)]
struct Occurrence {
    placeholder: usize,
    full: Range<usize>,
    ident: Range<usize>,
    inner: Option<Range<usize>>,
}

/// A parsed pattern: the tree of the wrapped, rewritten text and the pattern's nodes in it.
#[derive(Debug, Clone)]
pub struct PatternTree {
    language: Language,
    pattern: String,
    source: String,
    tree: Tree,
    kind: PatternKind,
    wrapper: &'static str,
    region: Range<usize>,
    /// Descendant indices (in the whole tree) of the root nodes.
    roots: Vec<usize>,
    placeholders: Vec<Placeholder>,
    by_spelling: HashMap<String, usize>,
    occurrences: Vec<Occurrence>,
    /// (start byte, occurrence index) for each occurrence's `full.start` and `ident.start`.
    starts: Vec<(usize, usize)>,
    rewritten: Rewritten,
}

impl PatternTree {
    pub fn language(&self) -> Language {
        self.language
    }

    pub fn kind(&self) -> PatternKind {
        self.kind
    }

    /// The pattern as written.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The text that was parsed: wrapper prefix, rewritten pattern, wrapper suffix. Node
    /// offsets index into this.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// The wrapper that parsed (`program`, `class-body`, `expression`, ...).
    pub fn wrapper(&self) -> &'static str {
        self.wrapper
    }

    /// Byte range of the rewritten pattern within [`Self::source`].
    pub fn region(&self) -> Range<usize> {
        self.region.clone()
    }

    /// The pattern's nodes, in order: one for an expression, one or more for statements and
    /// declarations. Never empty.
    pub fn roots(&self) -> Vec<Node<'_>> {
        let mut cursor = self.tree.walk();
        self.roots
            .iter()
            .map(|&i| {
                cursor.goto_descendant(i);
                cursor.node()
            })
            .collect()
    }

    /// The first of [`Self::roots`].
    pub fn root(&self) -> Node<'_> {
        let mut cursor = self.tree.walk();
        if let Some(&i) = self.roots.first() {
            cursor.goto_descendant(i);
        }
        cursor.node()
    }

    /// The source text of a node of this tree.
    pub fn text(&self, node: Node<'_>) -> &str {
        self.source.get(node.byte_range()).unwrap_or("")
    }

    /// Every placeholder, in order of first appearance.
    pub fn placeholders(&self) -> &[Placeholder] {
        &self.placeholders
    }

    /// The placeholder an identifier spells (`__gh_mv_X`, `$X`, `__gh_ell_0`), if it is one.
    pub fn placeholder(&self, spelling: &str) -> Option<&Placeholder> {
        self.by_spelling
            .get(spelling)
            .and_then(|&i| self.placeholders.get(i))
    }

    /// The placeholder a node of this tree stands for: the node is the placeholder identifier,
    /// or spans exactly the form inserted for it (trailing `;` and whitespace allowed).
    pub fn placeholder_of(&self, node: Node<'_>) -> Option<&Placeholder> {
        let range = node.byte_range();
        let first = self.starts.partition_point(|&(s, _)| s < range.start);
        for &(start, i) in &self.starts[first..] {
            if start != range.start {
                break;
            }
            let occ = &self.occurrences[i];
            let whole = occ.full.start == range.start
                && (occ.full.end == range.end
                    || (range.end > occ.full.end
                        && self
                            .source
                            .as_bytes()
                            .get(occ.full.end..range.end)
                            .is_some_and(|t| {
                                t.iter().all(|b| b.is_ascii_whitespace() || *b == b';')
                            })));
            if whole || occ.ident == range {
                return self.placeholders.get(occ.placeholder);
            }
        }
        None
    }

    /// For a `<... E ...>` node (the `__gh_deep_N(...)` call), the node of `E`.
    pub fn deep_operand<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        let range = node.byte_range();
        let occ = self.occurrences.iter().find(|o| o.full == range)?;
        if self.placeholders.get(occ.placeholder)?.kind != PlaceholderKind::Deep {
            return None;
        }
        let inner = occ.inner.clone().filter(|r| !r.is_empty())?;
        node.named_descendant_for_byte_range(inner.start, inner.end)
    }

    /// The byte range in [`Self::pattern`] that a byte range of [`Self::source`] came from.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let map = |o: usize| {
            let o = o
                .saturating_sub(self.region.start)
                .min(self.rewritten.text.len());
            self.rewritten.original_offset(o).min(self.pattern.len())
        };
        map(range.start)..map(range.end)
    }

    /// What a string literal's content means in a pattern: `"..."` matches any string
    /// ([`PlaceholderKind::Ellipsis`]), `"$X"` any string, bound to `$X`
    /// ([`PlaceholderKind::Metavariable`]). `content` excludes the quotes.
    pub fn string_placeholder(content: &str) -> Option<PlaceholderKind> {
        if content == "..." {
            return Some(PlaceholderKind::Ellipsis);
        }
        let name = content.strip_prefix('$')?;
        let mut chars = name.chars();
        let first = chars.next()?;
        let ok = (first.is_ascii_uppercase() || first == '_')
            && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        ok.then_some(PlaceholderKind::Metavariable)
    }
}

/// Parses a Semgrep pattern written for `lang`. See the module documentation for how.
pub fn parse_pattern(lang: Language, text: &str) -> Result<PatternTree, PatternError> {
    let error = |offset: usize, message: String| {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        PatternError {
            language: lang,
            pattern: text.to_string(),
            offset,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            message,
        }
    };
    if text.trim().is_empty() {
        return Err(error(0, "empty pattern".into()));
    }
    let deadline = Instant::now() + PATTERN_TIMEOUT;
    // The attempt whose first error is furthest into the pattern: (offset, message).
    let mut best: Option<(usize, String)> = None;
    for &mode in rewrite::param_modes(lang) {
        let rewritten = rewrite::rewrite(lang, text, mode);
        for wrapper in wrap::wrappers(lang) {
            let remaining = deadline.saturating_duration_since(Instant::now());
            match attempt(lang, text, &rewritten, wrapper, remaining) {
                Ok(tree) => return Ok(tree),
                Err(Attempt::Fatal(message)) => return Err(error(0, message)),
                Err(Attempt::Failed { offset, message }) => {
                    if best.as_ref().is_none_or(|(o, _)| offset > *o) {
                        best = Some((offset, message));
                    }
                }
            }
        }
    }
    let (offset, message) = best.unwrap_or((0, "cannot parse".into()));
    Err(error(offset, message))
}

enum Attempt {
    /// This wrapper did not fit; the first problem, as an offset in the original pattern.
    Failed { offset: usize, message: String },
    /// No wrapper can succeed (timeout, grammar).
    Fatal(String),
}

fn attempt(
    lang: Language,
    pattern: &str,
    rewritten: &Rewritten,
    wrapper: &Wrapper,
    timeout: Duration,
) -> Result<PatternTree, Attempt> {
    let mut source =
        String::with_capacity(wrapper.prefix.len() + rewritten.text.len() + wrapper.suffix.len());
    source.push_str(wrapper.prefix);
    source.push_str(&rewritten.text);
    source.push_str(wrapper.suffix);
    let region = wrapper.prefix.len()..wrapper.prefix.len() + rewritten.text.len();
    let to_original = |o: usize| {
        let o = o.saturating_sub(region.start).min(rewritten.text.len());
        rewritten.original_offset(o).min(pattern.len())
    };
    let tree = match parse_tree(lang, source.as_bytes(), timeout) {
        Ok(tree) => tree,
        Err(ParseFailure::Timeout(_)) => {
            return Err(Attempt::Fatal("the pattern took too long to parse".into()))
        }
        Err(e) => return Err(Attempt::Fatal(e.to_string())),
    };
    let (count, errors) = collect_errors(tree.root_node(), 1);
    if count > 0 {
        let Some(first) = errors.first() else {
            return Err(Attempt::Failed {
                offset: 0,
                message: "syntax error".into(),
            });
        };
        let offset = to_original(first.bytes.start);
        let message = match &first.missing {
            Some(kind) => format!("missing {kind:?}"),
            None => {
                let found: String = pattern
                    .get(offset..)
                    .unwrap_or("")
                    .chars()
                    .take_while(|c| *c != '\n')
                    .take(20)
                    .collect();
                if found.is_empty() {
                    "unexpected end of pattern".to_string()
                } else {
                    format!("unexpected {found:?}")
                }
            }
        };
        return Err(Attempt::Failed { offset, message });
    }
    let not_whole = || Attempt::Failed {
        offset: 0,
        message: format!("the pattern is not a whole {lang} construct"),
    };
    // Nodes may end in the suffix's leading blank (a preprocessor line owns its newline).
    let blank = wrapper.suffix.len() - wrapper.suffix.trim_start().len();
    let roots = extract(&tree, source.as_bytes(), region.clone(), blank).ok_or_else(not_whole)?;
    let roots = unwrap_global_statements(&tree, roots);
    let (roots, unwrapped) = unwrap_single(&tree, roots);
    if !wrapper.reject.is_empty() {
        let mut cursor = tree.walk();
        for &root in &roots {
            cursor.goto_descendant(root);
            if wrapper.reject.contains(&cursor.node().kind()) {
                return Err(not_whole());
            }
        }
    }
    if misreads_keyword(lang, &tree, source.as_bytes(), &region) {
        return Err(not_whole());
    }
    let kind = classify(lang, wrapper, &tree, &roots, unwrapped);
    Ok(build(
        lang, pattern, source, tree, kind, wrapper, region, roots, rewritten,
    ))
}

/// Java's grammar accepts a reserved word as a type name in some recoveries-free parses
/// (`new T() { ... }` in a class body reads as a method returning type `new`); such a parse is
/// the wrong wrapper, and the next one is tried.
fn misreads_keyword(lang: Language, tree: &Tree, source: &[u8], region: &Range<usize>) -> bool {
    const JAVA_RESERVED: &[&str] = &[
        "new",
        "class",
        "return",
        "if",
        "else",
        "for",
        "while",
        "do",
        "switch",
        "case",
        "try",
        "catch",
        "finally",
        "throw",
        "throws",
        "import",
        "package",
        "extends",
        "implements",
        "instanceof",
        "interface",
        "enum",
        "static",
        "public",
        "private",
        "protected",
        "final",
    ];
    if lang != Language::Java {
        return false;
    }
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        let r = node.byte_range();
        let overlaps = r.start < region.end && region.start < r.end;
        if overlaps
            && node.child_count() == 0
            && matches!(node.kind(), "identifier" | "type_identifier")
            && source
                .get(r)
                .and_then(|t| std::str::from_utf8(t).ok())
                .is_some_and(|t| JAVA_RESERVED.contains(&t))
        {
            return true;
        }
        if overlaps && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return false;
            }
        }
    }
}

/// The top-most named, non-extra nodes wholly inside `region` (or ending at most `slack` bytes
/// after it), as descendant indices; `None` when a token straddles the region's edge, when an
/// anonymous token other than `;` is left over, or when some non-blank byte of the region
/// belongs to no node.
fn extract(tree: &Tree, source: &[u8], region: Range<usize>, slack: usize) -> Option<Vec<usize>> {
    let mut roots = Vec::new();
    let mut covered: Vec<Range<usize>> = Vec::new();
    let mut cursor = tree.walk();
    // The root node always contains the wrapper; start inside it.
    if !cursor.goto_first_child() {
        return None;
    }
    loop {
        let node = cursor.node();
        let r = node.byte_range();
        let outside = r.end <= region.start || r.start >= region.end || r.is_empty();
        let inside = r.start >= region.start && r.end <= region.end + slack;
        let mut descend = false;
        if outside {
        } else if inside {
            if node.is_extra() {
                covered.push(r);
            } else if node.is_named() {
                roots.push(cursor.descendant_index());
                covered.push(r);
            } else if source.get(r.clone()) != Some(b";".as_slice()) {
                return None;
            }
        } else {
            descend = true;
        }
        if descend {
            if cursor.goto_first_child() {
                continue;
            }
            return None;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() || cursor.depth() == 0 {
                // Back at the root: done.
                let blank = |b: &u8| b.is_ascii_whitespace() || *b == b';';
                covered.sort_by_key(|r| r.start);
                let mut pos = region.start;
                for r in &covered {
                    if r.start > pos && !source.get(pos..r.start)?.iter().all(blank) {
                        return None;
                    }
                    pos = pos.max(r.end);
                }
                if pos < region.end && !source.get(pos..region.end)?.iter().all(blank) {
                    return None;
                }
                return (!roots.is_empty()).then_some(roots);
            }
        }
    }
}

/// Node kinds that only hold what they wrap, when the pattern is that one node.
fn is_transparent(kind: &str) -> bool {
    matches!(
        kind,
        "expression_statement" | "modifiers" | "argument" | "value_argument"
    )
}

/// C# top-level statements are wrapped in `global_statement`s, which statements in methods
/// are not.
fn unwrap_global_statements(tree: &Tree, roots: Vec<usize>) -> Vec<usize> {
    let mut cursor = tree.walk();
    roots
        .into_iter()
        .map(|root| {
            cursor.goto_descendant(root);
            if cursor.node().kind() == "global_statement" && cursor.goto_first_child() {
                loop {
                    if cursor.node().is_named() && !cursor.node().is_extra() {
                        return cursor.descendant_index();
                    }
                    if !cursor.goto_next_sibling() {
                        break;
                    }
                }
            }
            root
        })
        .collect()
}

/// Replaces a single root that merely wraps one node by that node. Returns the roots and
/// whether an expression statement was unwrapped.
fn unwrap_single(tree: &Tree, roots: Vec<usize>) -> (Vec<usize>, bool) {
    let [mut current] = roots[..] else {
        return (roots, false);
    };
    let mut cursor = tree.walk();
    let mut unwrapped = false;
    loop {
        cursor.goto_descendant(current);
        let kind = cursor.node().kind();
        if !is_transparent(kind) {
            break;
        }
        let mut named = Vec::new();
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                if child.is_named() && !child.is_extra() {
                    named.push(cursor.descendant_index());
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        let [only] = named[..] else { break };
        unwrapped |= wrap::is_expression_statement(kind);
        current = only;
    }
    (vec![current], unwrapped)
}

fn classify(
    lang: Language,
    wrapper: &Wrapper,
    tree: &Tree,
    roots: &[usize],
    unwrapped: bool,
) -> PatternKind {
    if wrapper.kind == Some(PatternKind::Expression) || unwrapped {
        return PatternKind::Expression;
    }
    let mut cursor = tree.walk();
    let kinds: Vec<&str> = roots
        .iter()
        .map(|&i| {
            cursor.goto_descendant(i);
            cursor.node().kind()
        })
        .collect();
    if kinds.iter().all(|k| wrap::is_declaration(lang, k)) {
        return PatternKind::Declaration;
    }
    match kinds.as_slice() {
        [one] if !wrap::is_statement(lang, one) => PatternKind::Expression,
        _ => PatternKind::Statements,
    }
}

#[allow(clippy::too_many_arguments)]
fn build(
    lang: Language,
    pattern: &str,
    source: String,
    tree: Tree,
    kind: PatternKind,
    wrapper: &Wrapper,
    region: Range<usize>,
    roots: Vec<usize>,
    rewritten: &Rewritten,
) -> PatternTree {
    let shift = region.start;
    let mut placeholders: Vec<Placeholder> = Vec::new();
    let mut by_spelling: HashMap<String, usize> = HashMap::new();
    let mut occurrences = Vec::new();
    for occ in &rewritten.occurrences {
        let index = *by_spelling.entry(occ.spelling.clone()).or_insert_with(|| {
            placeholders.push(Placeholder {
                kind: occ.kind,
                metavariable: occ.metavariable.clone(),
                spelling: occ.spelling.clone(),
            });
            placeholders.len() - 1
        });
        let moved = |r: &Range<usize>| r.start + shift..r.end + shift;
        occurrences.push(Occurrence {
            placeholder: index,
            full: moved(&occ.full),
            ident: moved(&occ.ident),
            inner: occ.inner.as_ref().map(moved),
        });
    }
    let mut starts: Vec<(usize, usize)> = occurrences
        .iter()
        .enumerate()
        .flat_map(|(i, o)| [(o.full.start, i), (o.ident.start, i)])
        .collect();
    starts.sort_unstable();
    starts.dedup();
    PatternTree {
        language: lang,
        pattern: pattern.to_string(),
        source,
        tree,
        kind,
        wrapper: wrapper.name,
        region,
        roots,
        placeholders,
        by_spelling,
        occurrences,
        starts,
        rewritten: rewritten.clone(),
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

//! Patterns compiled from their tree-sitter trees into flat arrays: node kinds as grammar ids,
//! placeholders resolved, strings reduced to their content, punctuation and comments dropped.
//! Matching then never consults the pattern's tree-sitter tree again.

use std::ops::Range;

use tree_sitter::Node;

use crate::lang::{PatternKind, PatternTree, PlaceholderKind};

use super::langinfo::{self, LangInfo};

/// How deep a pattern may nest; deeper patterns are rejected when the rule compiles, which
/// bounds the matcher's recursion.
pub(crate) const MAX_PATTERN_DEPTH: usize = 200;

/// Metavariable names of one rule, interned: bindings refer to them by index.
#[derive(Debug, Default, Clone)]
pub(crate) struct MvTable {
    names: Vec<String>,
}

impl MvTable {
    pub(crate) fn id(&mut self, name: &str) -> u16 {
        if let Some(i) = self.names.iter().position(|n| n == name) {
            return i as u16;
        }
        self.names.push(name.to_string());
        (self.names.len() - 1) as u16
    }

    pub(crate) fn find(&self, name: &str) -> Option<u16> {
        self.names.iter().position(|n| n == name).map(|i| i as u16)
    }

    pub(crate) fn name(&self, id: u16) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PKind {
    /// An ordinary node: same kind, then text (leaves) or children.
    Node,
    /// `$X`
    Mv(u16),
    /// `$_`
    Wild,
    /// `...`
    Ellipsis,
    /// `$...X`
    MvSeq(u16),
    /// `<... E ...>`; the operand is the only child.
    Deep,
    /// `"..."`
    AnyString,
    /// `"$X"`: binds the string's content.
    StringMv(u16),
    /// A string literal without interpolation, compared by content (`text`).
    StringLit,
}

#[derive(Debug, Clone)]
pub(crate) struct PNode {
    pub kind: PKind,
    pub ts_kind: u16,
    pub field: u16,
    pub named: bool,
    /// Matched in any order among its siblings (keyword arguments).
    pub unordered: bool,
    /// Can match nothing (an ellipsis, a block of ellipses).
    pub nullable: bool,
    /// A node with children that are all punctuation (`{}`, `()`): it matches an equally
    /// empty node, whatever its comments and spacing.
    pub empty_container: bool,
    /// `"..."` written as an interpolated string (`f"..."`, `$"..."`, `` `...` ``): it also
    /// matches strings with interpolated code.
    pub interpolated: bool,
    /// The dotted name the node spells (`os.system`), for import aliases; empty otherwise.
    pub dotted: Range<u32>,
    /// Fields of the children, one bit per field id below 63; bit 63 for any larger id.
    pub fields_mask: u64,
    pub text: Range<u32>,
    pub children: Range<u32>,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledPattern {
    pub nodes: Vec<PNode>,
    pub child_ids: Vec<u32>,
    pub roots: Vec<u32>,
    pub text: Vec<u8>,
    /// Whether the pattern binds any metavariable (then every way it matches matters).
    pub binds: bool,
    /// Texts that any code this pattern matches contains.
    pub literals: Vec<Vec<u8>>,
    /// An expression written as a statement (`foo();`): a match reports the statement.
    pub as_statement: bool,
}

impl CompiledPattern {
    #[inline]
    pub(crate) fn node(&self, id: u32) -> &PNode {
        &self.nodes[id as usize]
    }

    #[inline]
    pub(crate) fn children(&self, id: u32) -> &[u32] {
        let r = &self.nodes[id as usize].children;
        &self.child_ids[r.start as usize..r.end as usize]
    }

    #[inline]
    pub(crate) fn text(&self, id: u32) -> &[u8] {
        let r = &self.nodes[id as usize].text;
        &self.text[r.start as usize..r.end as usize]
    }
}

/// The byte range of a string literal's content inside its text: after any prefix letters
/// (`f`, `r`, `b`, `@`, `$`) and the opening quotes, before the closing quotes.
pub(crate) fn string_content(text: &[u8]) -> Range<usize> {
    let mut start = 0;
    while start < text.len()
        && (text[start].is_ascii_alphabetic() || matches!(text[start], b'@' | b'$'))
    {
        start += 1;
    }
    let rest = &text[start..];
    let quote = match rest.first() {
        Some(&q @ (b'"' | b'\'' | b'`')) => q,
        _ => return 0..text.len(),
    };
    let run = if rest.len() >= 6 && rest[..3].iter().all(|&b| b == quote) {
        3
    } else {
        1
    };
    let open = start + run;
    let mut close = text.len();
    let mut n = 0;
    while n < run && close > open && text[close - 1] == quote {
        close -= 1;
        n += 1;
    }
    open..close.max(open)
}

struct Compiler<'a> {
    tree: &'a PatternTree,
    info: &'static LangInfo,
    mvs: &'a mut MvTable,
    out: CompiledPattern,
}

/// Compiles a parsed pattern; errors are messages about the pattern (the caller adds where).
pub(crate) fn compile_pattern(
    tree: &PatternTree,
    mvs: &mut MvTable,
) -> Result<CompiledPattern, String> {
    let lang = tree.language();
    let mut c = Compiler {
        tree,
        info: LangInfo::get(lang),
        mvs,
        out: CompiledPattern {
            nodes: Vec::new(),
            child_ids: Vec::new(),
            roots: Vec::new(),
            text: Vec::new(),
            binds: false,
            literals: Vec::new(),
            as_statement: tree.kind() == PatternKind::Expression
                && tree.pattern().trim_end().ends_with(';'),
        },
    };
    let mut roots = Vec::new();
    for root in tree.roots() {
        roots.push(c.node(root, 0, 0)?);
    }
    c.out.roots = roots;
    c.out.literals.sort();
    c.out.literals.dedup();
    Ok(c.out)
}

impl Compiler<'_> {
    fn push(&mut self, node: PNode) -> u32 {
        self.out.nodes.push(node);
        (self.out.nodes.len() - 1) as u32
    }

    fn leaf(&mut self, kind: PKind, n: Node<'_>, field: u16) -> PNode {
        PNode {
            kind,
            ts_kind: n.kind_id(),
            field,
            named: n.is_named(),
            unordered: false,
            nullable: matches!(kind, PKind::Ellipsis | PKind::MvSeq(_)),
            empty_container: false,
            interpolated: false,
            dotted: 0..0,
            fields_mask: 0,
            text: 0..0,
            children: 0..0,
        }
    }

    fn add_text(&mut self, bytes: &[u8]) -> Range<u32> {
        let start = self.out.text.len() as u32;
        self.out.text.extend_from_slice(bytes);
        start..self.out.text.len() as u32
    }

    fn mv(&mut self, name: &str) -> PKind {
        if name == "$_" || name == "$..._" {
            return if name.starts_with("$...") {
                PKind::Ellipsis
            } else {
                PKind::Wild
            };
        }
        self.out.binds = true;
        let id = self.mvs.id(name);
        if name.starts_with("$...") {
            PKind::MvSeq(id)
        } else {
            PKind::Mv(id)
        }
    }

    fn node(&mut self, n: Node<'_>, field: u16, depth: usize) -> Result<u32, String> {
        if depth > MAX_PATTERN_DEPTH {
            return Err(format!(
                "the pattern nests more than {MAX_PATTERN_DEPTH} levels deep"
            ));
        }
        let list_wrapper = n.is_named()
            && self.info.has(n.kind_id(), langinfo::LIST)
            && n.named_child_count() == 1
            && n.named_child(0)
                .is_some_and(|c| c.byte_range() == n.byte_range());
        // An argument list without parentheses (`redirect_to $URL`) spans exactly its one
        // argument: the placeholder is the argument, not the list.
        let placeholder = if list_wrapper {
            None
        } else {
            self.tree.placeholder_of(n)
        };
        if let Some(ph) = placeholder {
            let ph = ph.clone();
            let kind = match ph.kind {
                PlaceholderKind::Metavariable | PlaceholderKind::EllipsisMetavariable => {
                    self.mv(ph.metavariable.as_deref().unwrap_or("$_"))
                }
                PlaceholderKind::Ellipsis => PKind::Ellipsis,
                PlaceholderKind::Deep => {
                    let operand = self
                        .tree
                        .deep_operand(n)
                        .ok_or_else(|| "`<... ...>` needs an expression inside".to_string())?;
                    let inner = self.node(operand, 0, depth + 1)?;
                    let mut node = self.leaf(PKind::Deep, n, field);
                    let start = self.out.child_ids.len() as u32;
                    self.out.child_ids.push(inner);
                    node.children = start..start + 1;
                    return Ok(self.push(node));
                }
            };
            let node = self.leaf(kind, n, field);
            return Ok(self.push(node));
        }
        let kind = n.kind_id();
        if n.is_named() && self.info.has(kind, langinfo::STRING) && is_plain_string(n) {
            let text = self.tree.text(n).as_bytes();
            let content = &text[string_content(text)];
            let content_str = String::from_utf8_lossy(content).into_owned();
            let pkind = match PatternTree::string_placeholder(&content_str) {
                Some(PlaceholderKind::Ellipsis) => PKind::AnyString,
                Some(PlaceholderKind::Metavariable) => {
                    self.out.binds = true;
                    PKind::StringMv(self.mvs.id(&content_str))
                }
                _ => PKind::StringLit,
            };
            let mut node = self.leaf(pkind, n, field);
            node.interpolated =
                matches!(text.first(), Some(b'f' | b'F' | b'$' | b'`')) || text.starts_with(b"@$");
            if pkind == PKind::StringLit {
                if content.len() >= 3 {
                    self.out.literals.push(content.to_vec());
                }
                node.text = self.add_text(content);
            }
            return Ok(self.push(node));
        }
        // Significant children, as the file index keeps them.
        let mut kids: Vec<(Node<'_>, u16)> = Vec::new();
        let mut cursor = n.walk();
        if n.is_named() && cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                let ck = child.kind_id();
                let keep = !child.is_extra()
                    && if child.is_named() {
                        !self.info.has(ck, langinfo::DELIM)
                    } else {
                        !self.info.has(ck, langinfo::PUNCT)
                    };
                if keep && child.is_named() && self.info.has(ck, langinfo::FLATTEN) {
                    flatten_into(child, self.info, &mut kids, 0);
                } else if keep {
                    kids.push((child, cursor.field_id().map_or(0, |f| f.get())));
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        if kids.is_empty() {
            let mut node = self.leaf(PKind::Node, n, field);
            node.empty_container = n.is_named() && n.child_count() > 0;
            if n.is_named() {
                let text = self.tree.text(n).as_bytes().to_vec();
                if text.len() >= 2 && !text.iter().all(|b| b.is_ascii_digit()) {
                    self.out.literals.push(text.clone());
                }
                node.text = self.add_text(&text);
                if std::str::from_utf8(&text).is_ok_and(super::imports::is_name) {
                    node.dotted = node.text.clone();
                }
            }
            return Ok(self.push(node));
        }
        let mut ids = Vec::with_capacity(kids.len());
        for (child, f) in kids {
            // In an interpolated string or a shell command, a `...` fragment is an ellipsis.
            if child.is_named() && child.child_count() == 0 && self.tree.text(child) == "..." {
                let node = self.leaf(PKind::Ellipsis, child, f);
                ids.push(self.push(node));
                continue;
            }
            ids.push(self.node(child, f, depth + 1)?);
        }
        let start = self.out.child_ids.len() as u32;
        let mut mask = 0u64;
        let mut all_nullable = true;
        for &id in &ids {
            let child = &mut self.out.nodes[id as usize];
            child.unordered =
                child.kind == PKind::Node && self.info.has(child.ts_kind, langinfo::UNORDERED);
            mask |= field_bit(child.field);
            all_nullable &= child.nullable;
        }
        self.out.child_ids.extend_from_slice(&ids);
        let mut node = self.leaf(PKind::Node, n, field);
        node.children = start..self.out.child_ids.len() as u32;
        node.fields_mask = mask;
        if let Some(d) = self.dotted(&ids) {
            node.dotted = self.add_text(d.as_bytes());
        }
        // A block or argument list of ellipses may be missing altogether (`{}` in Go has no
        // statement list; a Kotlin call with a trailing lambda has no argument list).
        node.nullable = all_nullable
            && (self.info.has(kind, langinfo::BLOCK)
                || (self.info.has(kind, langinfo::LIST)
                    && self.info.kind_name(kind).contains("argument")));
        Ok(self.push(node))
    }
}

impl Compiler<'_> {
    /// `a.b.c` when the children are names (each dotted) separated by `.`-like tokens.
    fn dotted(&self, ids: &[u32]) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        for &id in ids {
            let c = &self.out.nodes[id as usize];
            if c.kind != PKind::Node {
                return None;
            }
            if !c.named {
                let t = &self.out.text[c.text.start as usize..c.text.end as usize];
                // Anonymous tokens keep no text: only a `.`-like kind passes.
                let kind = self.info.kind_name(c.ts_kind);
                if !matches!(kind, "." | "::" | "->" | "\\") || !t.is_empty() {
                    return None;
                }
                continue;
            }
            if c.dotted.is_empty() {
                return None;
            }
            let d = &self.out.text[c.dotted.start as usize..c.dotted.end as usize];
            parts.push(String::from_utf8_lossy(d).into_owned());
        }
        (parts.len() >= 2).then(|| parts.join("."))
    }
}

/// The items of a right-nested list, in order.
fn flatten_into<'t>(n: Node<'t>, info: &LangInfo, out: &mut Vec<(Node<'t>, u16)>, depth: usize) {
    let mut cursor = n.walk();
    if !cursor.goto_first_child() {
        return;
    }
    loop {
        let child = cursor.node();
        if child.is_named() && !child.is_extra() {
            if info.has(child.kind_id(), langinfo::FLATTEN) && depth < MAX_PATTERN_DEPTH {
                flatten_into(child, info, out, depth + 1);
            } else {
                out.push((child, 0));
            }
        }
        if !cursor.goto_next_sibling() {
            break;
        }
    }
}

#[inline]
pub(crate) fn field_bit(field: u16) -> u64 {
    if field == 0 {
        0
    } else if field < 63 {
        1 << field
    } else {
        1 << 63
    }
}

/// A string literal without interpolated code: its named children are leaves.
fn is_plain_string(n: Node<'_>) -> bool {
    let mut cursor = n.walk();
    if !cursor.goto_first_child() {
        return true;
    }
    loop {
        let child = cursor.node();
        if child.is_named() && !child.is_extra() && child.named_child_count() > 0 {
            return false;
        }
        if !cursor.goto_next_sibling() {
            return true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_contents() {
        let cases: &[(&str, &str)] = &[
            ("\"abc\"", "abc"),
            ("'abc'", "abc"),
            ("f\"a{b}\"", "a{b}"),
            ("r'x'", "x"),
            ("\"\"\"doc\"\"\"", "doc"),
            ("`t`", "t"),
            ("@\"v\"", "v"),
            ("\"\"", ""),
            ("abc", "abc"),
        ];
        for (text, want) in cases {
            let r = string_content(text.as_bytes());
            assert_eq!(&text[r], *want, "{text}");
        }
    }
}

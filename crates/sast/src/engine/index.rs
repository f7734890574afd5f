//! A parsed file flattened into arrays, built once per file and shared by every rule.
//!
//! Nodes are numbered in pre-order, so the descendants of node `i` are exactly the nodes
//! `i + 1 .. nodes[i].subtree_end`: "is inside" is two comparisons and a subtree is a slice.
//! Each node's significant children (named, or anonymous tokens that are not punctuation;
//! never comments) are a slice of one shared array, and named nodes are bucketed by kind so a
//! pattern only visits the nodes of its root's kind. Anonymous tokens are leaves: their
//! internal structure (`is not` holds `is` and `not`) is not indexed.

use crate::lang::{Language, ParsedFile};

use super::imports::{self, Aliases};
use super::langinfo::{self, LangInfo};

pub(crate) const NONE: u32 = u32::MAX;

pub(crate) const F_NAMED: u8 = 1;
pub(crate) const F_EXTRA: u8 = 1 << 1;
/// A significant child of its parent (see the module documentation).
pub(crate) const F_SIG: u8 = 1 << 2;

#[derive(Debug, Clone, Copy)]
pub(crate) struct TNode {
    pub start: u32,
    pub end: u32,
    pub parent: u32,
    /// One past the last descendant.
    pub subtree_end: u32,
    /// Offset of the significant children in [`FileIndex::child_ids`].
    pub children: u32,
    pub nchildren: u32,
    pub kind: u16,
    /// The field this node is in its parent, 0 for none.
    pub field: u16,
    pub flags: u8,
}

/// A target file prepared for matching: build it once with [`super::index`] and pass it to
/// every rule's [`super::CompiledRule::run_indexed`].
pub struct FileIndex {
    pub(crate) language: Language,
    pub(crate) nodes: Vec<TNode>,
    pub(crate) child_ids: Vec<u32>,
    kind_start: Vec<u32>,
    kind_nodes: Vec<u32>,
    line_starts: Vec<u32>,
    pub(crate) info: &'static LangInfo,
    /// Local names of imports → the dotted names they stand for.
    pub(crate) aliases: Aliases,
}

impl std::fmt::Debug for FileIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileIndex")
            .field("language", &self.language)
            .field("nodes", &self.nodes.len())
            .finish()
    }
}

impl FileIndex {
    /// Indexes a parsed file. Iterative: deep trees do not grow the stack.
    pub(crate) fn build(parsed: &ParsedFile, source: &[u8]) -> FileIndex {
        let info = LangInfo::get(parsed.language);
        let mut nodes: Vec<TNode> = Vec::with_capacity(source.len() / 5 + 16);
        let mut cursor = parsed.tree.walk();
        let mut parents: Vec<u32> = Vec::new();
        loop {
            let node = cursor.node();
            let id = nodes.len() as u32;
            let kind = node.kind_id();
            let named = info.has(kind, langinfo::NAMED);
            let extra = node.is_extra();
            let mut flags = 0;
            if named {
                flags |= F_NAMED;
            }
            if extra {
                flags |= F_EXTRA;
            }
            if !extra && (named || !info.has(kind, langinfo::PUNCT)) {
                flags |= F_SIG;
            }
            nodes.push(TNode {
                start: node.start_byte() as u32,
                end: node.end_byte() as u32,
                parent: parents.last().copied().unwrap_or(NONE),
                subtree_end: id + 1,
                children: 0,
                nchildren: 0,
                kind,
                field: cursor.field_id().map_or(0, |f| f.get()),
                flags,
            });
            if named && cursor.goto_first_child() {
                parents.push(id);
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    break;
                }
                if let Some(p) = parents.pop() {
                    let end = nodes.len() as u32;
                    nodes[p as usize].subtree_end = end;
                }
            }
            if parents.is_empty() && cursor.depth() == 0 {
                break;
            }
        }
        let n = nodes.len();
        if let Some(root) = nodes.first_mut() {
            root.subtree_end = n as u32;
        }
        // Significant children, grouped per parent in document order.
        let mut counts = vec![0u32; n + 1];
        for node in &nodes {
            if node.parent != NONE && node.flags & F_SIG != 0 {
                counts[node.parent as usize] += 1;
            }
        }
        let mut offset = 0u32;
        for (i, node) in nodes.iter_mut().enumerate() {
            node.children = offset;
            offset += counts[i];
        }
        let mut child_ids = vec![0u32; offset as usize];
        let mut fill = vec![0u32; n];
        for i in 0..n {
            let node = nodes[i];
            if node.parent != NONE && node.flags & F_SIG != 0 {
                let p = node.parent as usize;
                let slot = nodes[p].children + fill[p];
                child_ids[slot as usize] = i as u32;
                fill[p] += 1;
            }
        }
        for (i, node) in nodes.iter_mut().enumerate() {
            node.nchildren = fill[i];
        }
        // Named nodes by kind.
        let kinds = info.kind_count().max(1);
        let mut kind_start = vec![0u32; kinds + 1];
        for node in &nodes {
            if node.flags & F_NAMED != 0 && node.flags & F_EXTRA == 0 {
                let k = (node.kind as usize).min(kinds - 1);
                kind_start[k + 1] += 1;
            }
        }
        for k in 0..kinds {
            kind_start[k + 1] += kind_start[k];
        }
        let mut kind_nodes = vec![0u32; kind_start[kinds] as usize];
        let mut kind_fill = kind_start.clone();
        for (i, node) in nodes.iter().enumerate() {
            if node.flags & F_NAMED != 0 && node.flags & F_EXTRA == 0 {
                let k = (node.kind as usize).min(kinds - 1);
                kind_nodes[kind_fill[k] as usize] = i as u32;
                kind_fill[k] += 1;
            }
        }
        let mut line_starts = vec![0u32];
        line_starts.extend(memchr::memchr_iter(b'\n', source).map(|i| i as u32 + 1));
        let mut index = FileIndex {
            language: parsed.language,
            nodes,
            child_ids,
            kind_start,
            kind_nodes,
            line_starts,
            info,
            aliases: Aliases::new(),
        };
        index.aliases = imports::read(&index, source);
        index
    }

    /// An index of no tree, for rules that only read the text.
    pub(crate) fn text_only(language: Language, source: &[u8]) -> FileIndex {
        let mut line_starts = vec![0u32];
        line_starts.extend(memchr::memchr_iter(b'\n', source).map(|i| i as u32 + 1));
        FileIndex {
            language,
            nodes: Vec::new(),
            child_ids: Vec::new(),
            kind_start: vec![0],
            kind_nodes: Vec::new(),
            line_starts,
            info: LangInfo::get(language),
            aliases: Aliases::new(),
        }
    }

    /// The file's language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The number of nodes indexed.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    #[inline]
    pub(crate) fn node(&self, id: u32) -> &TNode {
        &self.nodes[id as usize]
    }

    #[inline]
    pub(crate) fn children(&self, id: u32) -> &[u32] {
        let n = &self.nodes[id as usize];
        let start = n.children as usize;
        &self.child_ids[start..start + n.nchildren as usize]
    }

    /// Named nodes of one kind, in document order.
    pub(crate) fn of_kind(&self, kind: u16) -> &[u32] {
        let k = kind as usize;
        if k + 1 >= self.kind_start.len() {
            return &[];
        }
        &self.kind_nodes[self.kind_start[k] as usize..self.kind_start[k + 1] as usize]
    }

    /// 1-based line and 1-based byte column of a byte offset.
    pub(crate) fn point(&self, offset: u32) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line.saturating_sub(1)];
        (line as u32, offset - start + 1)
    }

    /// Whether a node's children are all plain (it has no significant child).
    #[inline]
    pub(crate) fn is_leaf(&self, id: u32) -> bool {
        self.nodes[id as usize].nchildren == 0
    }

    /// The first significant named child with a field.
    pub(crate) fn child_by_field(&self, id: u32, field: u16) -> Option<u32> {
        self.children(id)
            .iter()
            .copied()
            .find(|&c| self.nodes[c as usize].field == field)
    }

    /// Named significant children.
    pub(crate) fn named_children(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
        self.children(id)
            .iter()
            .copied()
            .filter(|&c| self.nodes[c as usize].flags & F_NAMED != 0)
    }

    /// Whether a node is a statement: a named child of a statement container.
    #[inline]
    pub(crate) fn is_statement(&self, id: u32) -> bool {
        let n = &self.nodes[id as usize];
        n.parent != NONE
            && n.flags & F_NAMED != 0
            && n.flags & F_EXTRA == 0
            && self
                .info
                .has(self.nodes[n.parent as usize].kind, langinfo::BLOCK)
    }

    /// The innermost node whose range is exactly `start..end`, or the smallest that covers it.
    pub(crate) fn node_at(&self, start: u32, end: u32) -> u32 {
        if self.nodes.is_empty() {
            return NONE;
        }
        let mut current = 0u32;
        'down: loop {
            for &c in self.children(current) {
                let n = &self.nodes[c as usize];
                if n.start <= start && end <= n.end && n.flags & F_NAMED != 0 {
                    current = c;
                    continue 'down;
                }
            }
            return current;
        }
    }
}

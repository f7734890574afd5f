//! Helpers shared by the lockfile parsers: line numbers from byte offsets, JSON strings that
//! remember where they were in the input, a small line-based YAML reader that keeps line
//! numbers, duplicate merging and reading files beside a lockfile.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::path::Path;

use crate::{Package, ParseError, SourceKind};

/// The start offset of every line, built once so that each lookup is a binary search.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line(&self, offset: usize) -> u32 {
        let line = self.starts.partition_point(|&s| s <= offset);
        u32::try_from(line.max(1)).unwrap_or(u32::MAX)
    }

    /// The line of `part` when it is a slice of `base` (the text this index was built from).
    pub(crate) fn line_of(&self, base: &str, part: &str) -> Option<u32> {
        offset_of(base, part).map(|o| self.line(o))
    }
}

/// Where `part` starts inside `base`, when it is a slice of it.
pub(crate) fn offset_of(base: &str, part: &str) -> Option<usize> {
    let b = base.as_ptr() as usize;
    let p = part.as_ptr() as usize;
    (p >= b && p + part.len() <= b + base.len()).then(|| p - b)
}

/// Converts a count to a line number without panicking on absurd inputs.
pub(crate) fn line_no(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------------------------
// JSON

/// A JSON string that borrows from the input when it has no escapes, so that its position (and
/// so its line) can be recovered from the pointer: serde_json reports no positions itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct JsonStr<'a>(pub(crate) Cow<'a, str>);

impl<'a> JsonStr<'a> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The line of this string in `base`, when it was borrowed from it.
    pub(crate) fn line(&self, index: &LineIndex, base: &str) -> Option<u32> {
        match &self.0 {
            Cow::Borrowed(s) => index.line_of(base, s),
            Cow::Owned(_) => None,
        }
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for JsonStr<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = JsonStr<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(JsonStr(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(JsonStr(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(JsonStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

/// A JSON object kept in file order (serde_json's own map is sorted unless a crate-wide feature
/// is switched on), with keys that know their position.
#[derive(Debug)]
pub(crate) struct OrderedMap<'a, V>(pub(crate) Vec<(JsonStr<'a>, V)>);

impl<'a, V> Default for OrderedMap<'a, V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<'de: 'a, 'a, V: serde::Deserialize<'de>> serde::Deserialize<'de> for OrderedMap<'a, V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<'a, V>(std::marker::PhantomData<(&'a (), V)>);
        impl<'de: 'a, 'a, V: serde::Deserialize<'de>> serde::de::Visitor<'de> for Vis<'a, V> {
            type Value = OrderedMap<'a, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(k) = map.next_key::<JsonStr<'a>>()? {
                    out.push((k, map.next_value::<V>()?));
                }
                Ok(OrderedMap(out))
            }
        }
        d.deserialize_map(Vis(std::marker::PhantomData))
    }
}

/// The keys of a JSON object whose values do not matter (dependency ranges).
pub(crate) type KeyList<'a> = OrderedMap<'a, serde::de::IgnoredAny>;

impl<'a> KeyList<'a> {
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

/// A serde_json error as a [`ParseError`] at its line.
pub(crate) fn json_error(e: serde_json::Error) -> ParseError {
    let message = match e.classify() {
        serde_json::error::Category::Data => format!("unexpected content: {e}"),
        _ => format!("invalid JSON: {e}"),
    };
    match u32::try_from(e.line()) {
        Ok(l) if l > 0 => ParseError::at(l, message),
        _ => ParseError::new(message),
    }
}

// ---------------------------------------------------------------------------------------------
// Packages

/// Merges packages that are the same (name, version, source), keeping the first one's position:
/// lockfiles list one package once per place it is installed. The merged package is direct if
/// any occurrence is, and development-only if every occurrence is.
pub(crate) fn dedup(packages: Vec<Package>) -> Vec<Package> {
    let mut out: Vec<Package> = Vec::with_capacity(packages.len());
    let mut index: HashMap<u64, Vec<usize>> = HashMap::with_capacity(packages.len());
    for p in packages {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&p.name, &p.version, p.source, &p.file).hash(&mut h);
        let slot = index.entry(h.finish()).or_default();
        let same = slot.iter().copied().find(|&i| {
            out.get(i).is_some_and(|q| {
                q.name == p.name
                    && q.version == p.version
                    && q.source == p.source
                    && q.file == p.file
            })
        });
        match same.and_then(|i| out.get_mut(i)) {
            Some(q) => {
                q.direct = merge_direct(q.direct, p.direct);
                q.dev = merge_dev(q.dev, p.dev);
            }
            None => {
                slot.push(out.len());
                out.push(p);
            }
        }
    }
    out
}

fn merge_direct(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), _) | (_, Some(false)) => Some(false),
        _ => None,
    }
}

fn merge_dev(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// Reads a file beside the lockfile (`package.json`, `composer.json`, `go.sum`); `None` when
/// there is none. Other read errors are returned so the caller can warn.
pub(crate) fn read_sibling(
    path: &Path,
    name: &str,
) -> Option<Result<(std::path::PathBuf, String), String>> {
    let sibling = path.parent().unwrap_or_else(|| Path::new("")).join(name);
    match std::fs::read(&sibling) {
        Ok(bytes) => Some(
            String::from_utf8(bytes)
                .map(|s| (sibling.clone(), s))
                .map_err(|_| format!("{} is not UTF-8", sibling.display())),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => None,
        Err(e) => Some(Err(format!("could not read {}: {e}", sibling.display()))),
    }
}

/// How an npm-style `resolved` URL or dependency specifier says a package was fetched.
pub(crate) fn npm_source_of(resolved: &str) -> SourceKind {
    let r = resolved.trim();
    if r.is_empty() {
        return SourceKind::Registry;
    }
    let lower = r.to_ascii_lowercase();
    if lower.starts_with("file:") || lower.starts_with("link:") || lower.starts_with("portal:") {
        return SourceKind::Path;
    }
    if lower.starts_with("git+")
        || lower.starts_with("git:")
        || lower.starts_with("git@")
        || lower.starts_with("ssh:")
        || lower.starts_with("github:")
        || lower.starts_with("gitlab:")
        || lower.starts_with("bitbucket:")
        || lower.starts_with("gist:")
        || lower.starts_with("https://codeload.github.com/")
        || lower.contains(".git#")
        || lower.ends_with(".git")
    {
        return SourceKind::Git;
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        // Registry tarballs are `<registry>/<name>/-/<name>-<version>.tgz`; anything else is an
        // arbitrary URL whose contents the version does not identify.
        if lower.contains("/-/") {
            return SourceKind::Registry;
        }
        if lower.contains('#') || lower.starts_with("https://github.com/") {
            return SourceKind::Git;
        }
        return SourceKind::Other;
    }
    SourceKind::Registry
}

/// Splits `name@rest` where a scoped name (`@scope/name`) keeps its leading `@`.
pub(crate) fn split_name_at(spec: &str) -> (&str, Option<&str>) {
    let search_from = usize::from(spec.starts_with('@'));
    match spec.get(search_from..).and_then(|s| s.find('@')) {
        Some(i) => {
            let at = i + search_from;
            (spec.get(..at).unwrap_or(spec), spec.get(at + 1..))
        }
        None => (spec, None),
    }
}

/// Whether a string is a plain version (starts with a digit), as opposed to a URL, path or tag.
pub(crate) fn looks_like_version(v: &str) -> bool {
    v.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

// ---------------------------------------------------------------------------------------------
// YAML

/// A small block-YAML reader for generated lockfiles (pnpm, Berry yarn, pubspec): block
/// mappings and sequences, plain and quoted scalars, single-line flow collections, comments.
/// Every mapping entry keeps its line. Documents it does not understand (anchors, tags, complex
/// keys) are read with `serde_yaml_ng` instead, without lines.
pub(crate) mod yaml {
    use super::*;

    /// Deepest nesting accepted, so hostile input cannot exhaust the stack.
    const MAX_DEPTH: usize = 128;

    #[derive(Debug, Clone, PartialEq)]
    pub(crate) enum Value<'a> {
        Null,
        Str(Cow<'a, str>),
        Map(Vec<Entry<'a>>),
        Seq(Vec<Value<'a>>),
    }

    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct Entry<'a> {
        pub(crate) key: Cow<'a, str>,
        /// 1-based; 0 when unknown (documents read by the fallback reader).
        pub(crate) line: u32,
        pub(crate) value: Value<'a>,
    }

    impl Entry<'_> {
        pub(crate) fn line(&self) -> Option<u32> {
            (self.line > 0).then_some(self.line)
        }
    }

    static EMPTY: Vec<Entry<'static>> = Vec::new();

    impl<'a> Value<'a> {
        pub(crate) fn get(&self, key: &str) -> Option<&Value<'a>> {
            self.entry(key).map(|e| &e.value)
        }

        pub(crate) fn entry(&self, key: &str) -> Option<&Entry<'a>> {
            match self {
                Value::Map(m) => m.iter().find(|e| e.key == key),
                _ => None,
            }
        }

        pub(crate) fn as_str(&self) -> Option<&str> {
            match self {
                Value::Str(s) => Some(s),
                _ => None,
            }
        }

        /// The entries of a mapping; empty for anything else.
        pub(crate) fn entries(&self) -> &[Entry<'a>] {
            match self {
                Value::Map(m) => m,
                _ => &EMPTY,
            }
        }

        pub(crate) fn is_true(&self) -> bool {
            matches!(self.as_str(), Some("true" | "True" | "TRUE"))
        }

        pub(crate) fn is_null(&self) -> bool {
            match self {
                Value::Null => true,
                Value::Str(s) => matches!(s.as_ref(), "~" | "null" | "Null" | "NULL"),
                _ => false,
            }
        }

        fn into_owned(self) -> Value<'static> {
            match self {
                Value::Null => Value::Null,
                Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
                Value::Map(m) => Value::Map(
                    m.into_iter()
                        .map(|e| Entry {
                            key: Cow::Owned(e.key.into_owned()),
                            line: e.line,
                            value: e.value.into_owned(),
                        })
                        .collect(),
                ),
                Value::Seq(s) => Value::Seq(s.into_iter().map(Value::into_owned).collect()),
            }
        }
    }

    /// Parses a document. An empty document is `Null`.
    pub(crate) fn parse(text: &str) -> Result<Value<'_>, ParseError> {
        match Parser::new(text).document() {
            Ok(v) => Ok(v),
            // serde_yaml_ng takes minutes on deeply nested flow collections: never hand it
            // input that is too deep anyway.
            Err(own) if own.message == TOO_DEEP || flow_too_deep(text) => Err(own),
            Err(own) => fallback(text).map_err(|theirs| {
                // Both failed: the file is not YAML; the full parser's message is the better one
                // unless it has no line and ours does.
                if theirs.line.is_none() && own.line.is_some() {
                    own
                } else {
                    theirs
                }
            }),
        }
    }

    const TOO_DEEP: &str = "nesting too deep";

    /// Whether brackets nest deeper than this reader accepts (quoting ignored: this only
    /// decides whether the fallback reader may be tried).
    fn flow_too_deep(text: &str) -> bool {
        let mut depth = 0usize;
        for b in text.bytes() {
            match b {
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return true;
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        false
    }

    fn fallback(text: &str) -> Result<Value<'static>, ParseError> {
        let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| {
            let message = format!("invalid YAML: {e}");
            match e.location().and_then(|l| u32::try_from(l.line()).ok()) {
                Some(l) if l > 0 => ParseError::at(l, message),
                _ => ParseError::new(message),
            }
        })?;
        Ok(convert(v, 0))
    }

    fn convert(v: serde_yaml_ng::Value, depth: usize) -> Value<'static> {
        use serde_yaml_ng::Value as Y;
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        match v {
            Y::Null => Value::Null,
            Y::Bool(b) => Value::Str(Cow::Owned(b.to_string())),
            Y::Number(n) => Value::Str(Cow::Owned(n.to_string())),
            Y::String(s) => Value::Str(Cow::Owned(s)),
            Y::Sequence(s) => Value::Seq(s.into_iter().map(|v| convert(v, depth + 1)).collect()),
            Y::Mapping(m) => Value::Map(
                m.into_iter()
                    .map(|(k, v)| Entry {
                        key: Cow::Owned(match convert(k, depth + 1) {
                            Value::Str(s) => s.into_owned(),
                            _ => String::new(),
                        }),
                        line: 0,
                        value: convert(v, depth + 1),
                    })
                    .collect(),
            ),
            Y::Tagged(t) => convert(t.value, depth + 1),
        }
    }

    #[derive(Clone, Copy)]
    struct Line<'a> {
        no: u32,
        indent: usize,
        text: &'a str,
    }

    impl Line<'_> {
        fn significant(&self) -> bool {
            !self.text.is_empty() && !self.text.starts_with('#')
        }
    }

    struct Parser<'a> {
        lines: Vec<Line<'a>>,
        pos: usize,
        depth: usize,
    }

    fn err(line: u32, msg: impl Into<String>) -> ParseError {
        ParseError::at(line, msg)
    }

    impl<'a> Parser<'a> {
        fn new(text: &'a str) -> Self {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let lines = text
                .split('\n')
                .enumerate()
                .map(|(i, raw)| {
                    let raw = raw.strip_suffix('\r').unwrap_or(raw);
                    let trimmed = raw.trim_start_matches(' ');
                    Line {
                        no: line_no(i + 1),
                        indent: raw.len() - trimmed.len(),
                        text: trimmed.trim_end(),
                    }
                })
                .collect();
            Parser {
                lines,
                pos: 0,
                depth: 0,
            }
        }

        /// Moves to the next line with content and returns it.
        fn peek(&mut self) -> Option<Line<'a>> {
            while let Some(l) = self.lines.get(self.pos) {
                if l.significant() {
                    return Some(*l);
                }
                self.pos += 1;
            }
            None
        }

        fn document(&mut self) -> Result<Value<'a>, ParseError> {
            // Directives and a document start marker.
            while let Some(l) = self.peek() {
                if l.indent == 0 && (l.text.starts_with('%') || l.text == "---") {
                    self.pos += 1;
                } else {
                    break;
                }
            }
            let Some(first) = self.peek() else {
                return Ok(Value::Null);
            };
            if first.text.starts_with('\t') {
                return Err(err(first.no, "tab used for indentation"));
            }
            let value = if first.text.starts_with('{') || first.text.starts_with('[') {
                self.pos += 1;
                self.inline(first.text, first.no, first.indent)?
            } else {
                self.block(first.indent)?
            };
            if let Some(l) = self.peek() {
                if l.indent == 0 && l.text == "..." {
                    return Ok(value);
                }
                return Err(err(l.no, "unexpected content (bad indentation?)"));
            }
            Ok(value)
        }

        fn block(&mut self, indent: usize) -> Result<Value<'a>, ParseError> {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                let no = self.peek().map_or(0, |l| l.no);
                return Err(err(no, TOO_DEEP));
            }
            let r = match self.peek() {
                Some(l) if is_seq_item(l.text) => self.seq(indent),
                Some(_) => self.map(indent),
                None => Ok(Value::Null),
            };
            self.depth -= 1;
            r
        }

        fn map(&mut self, indent: usize) -> Result<Value<'a>, ParseError> {
            let mut entries = Vec::new();
            while let Some(l) = self.peek() {
                if l.indent < indent || (l.indent == indent && is_seq_item(l.text)) {
                    break;
                }
                if l.indent > indent {
                    return Err(err(l.no, "unexpected indentation"));
                }
                if l.text.starts_with('\t') {
                    return Err(err(l.no, "tab used for indentation"));
                }
                let Some((key, rest)) = split_key(l.text) else {
                    return Err(err(l.no, "expected `key: value`"));
                };
                let key = key.map_err(|m| err(l.no, m))?;
                self.pos += 1;
                let value = self.after_key(indent, rest, l.no)?;
                entries.push(Entry {
                    key,
                    line: l.no,
                    value,
                });
            }
            Ok(Value::Map(entries))
        }

        fn seq(&mut self, indent: usize) -> Result<Value<'a>, ParseError> {
            let mut items = Vec::new();
            while let Some(l) = self.peek() {
                if l.indent < indent || !is_seq_item(l.text) {
                    if l.indent > indent {
                        return Err(err(l.no, "unexpected indentation"));
                    }
                    break;
                }
                if l.indent > indent {
                    return Err(err(l.no, "unexpected indentation"));
                }
                let after_dash = l.text.get(1..).unwrap_or("");
                let rest = after_dash.trim_start_matches([' ', '\t']);
                if rest.is_empty() || rest.starts_with('#') {
                    self.pos += 1;
                    items.push(self.nested(indent, false)?);
                } else if split_key(rest).is_some() {
                    // `- key: value` opens a mapping indented to where `key` starts.
                    let col = l.indent + 1 + (after_dash.len() - rest.len());
                    if let Some(slot) = self.lines.get_mut(self.pos) {
                        slot.indent = col;
                        slot.text = rest;
                    }
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(err(l.no, TOO_DEEP));
                    }
                    let v = self.map(col);
                    self.depth -= 1;
                    items.push(v?);
                } else {
                    self.pos += 1;
                    items.push(self.inline(rest, l.no, indent)?);
                }
            }
            Ok(Value::Seq(items))
        }

        /// The value of a key or item whose line ended after the indicator.
        fn nested(
            &mut self,
            indent: usize,
            allow_same_indent_seq: bool,
        ) -> Result<Value<'a>, ParseError> {
            match self.peek() {
                Some(n) if n.indent > indent => self.block(n.indent),
                Some(n) if allow_same_indent_seq && n.indent == indent && is_seq_item(n.text) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(err(n.no, TOO_DEEP));
                    }
                    let v = self.seq(indent);
                    self.depth -= 1;
                    v
                }
                _ => Ok(Value::Null),
            }
        }

        fn after_key(
            &mut self,
            indent: usize,
            rest: &'a str,
            no: u32,
        ) -> Result<Value<'a>, ParseError> {
            let rest = rest.trim_start_matches([' ', '\t']);
            if rest.is_empty() || rest.starts_with('#') {
                return self.nested(indent, true);
            }
            if rest.starts_with('|') || rest.starts_with('>') {
                return Ok(self.block_scalar(indent, rest.starts_with('|')));
            }
            if rest.starts_with(['&', '*', '!']) {
                return Err(err(
                    no,
                    "YAML anchors, aliases and tags are not supported here",
                ));
            }
            self.inline(rest, no, indent)
        }

        /// `|` and `>` scalars: the following lines indented deeper than the key.
        fn block_scalar(&mut self, indent: usize, literal: bool) -> Value<'a> {
            let mut parts: Vec<&str> = Vec::new();
            while let Some(l) = self.lines.get(self.pos) {
                if l.text.is_empty() || l.indent > indent {
                    parts.push(l.text);
                    self.pos += 1;
                } else {
                    break;
                }
            }
            while parts.last().is_some_and(|p| p.is_empty()) {
                parts.pop();
            }
            Value::Str(Cow::Owned(parts.join(if literal { "\n" } else { " " })))
        }

        /// A value that starts on the current line: a scalar (possibly continued on deeper
        /// lines) or a flow collection.
        fn inline(
            &mut self,
            rest: &'a str,
            no: u32,
            indent: usize,
        ) -> Result<Value<'a>, ParseError> {
            if rest.starts_with(['{', '[']) {
                match flow(rest, no) {
                    Ok(v) => return Ok(v),
                    Err(FlowError::Unterminated) => {
                        let mut joined = rest.to_string();
                        while let Some(l) = self.peek() {
                            if l.indent <= indent {
                                break;
                            }
                            joined.push(' ');
                            joined.push_str(l.text);
                            self.pos += 1;
                            match flow(&joined, no) {
                                Ok(v) => return Ok(v.into_owned()),
                                Err(FlowError::Unterminated) => {}
                                Err(FlowError::Bad(m)) => return Err(err(no, m)),
                            }
                        }
                        return Err(err(no, "unterminated flow collection"));
                    }
                    Err(FlowError::Bad(m)) => return Err(err(no, m)),
                }
            }
            if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
                return match quoted(rest, q) {
                    Some((s, end)) => {
                        let tail = rest.get(end..).unwrap_or("").trim_start();
                        if !tail.is_empty() && !tail.starts_with('#') {
                            return Err(err(no, "unexpected text after quoted value"));
                        }
                        Ok(Value::Str(s))
                    }
                    None => {
                        // A quoted scalar folded over several lines.
                        let mut joined = rest.to_string();
                        while let Some(l) = self.lines.get(self.pos) {
                            if !l.text.is_empty() && l.indent <= indent {
                                break;
                            }
                            joined.push(' ');
                            joined.push_str(l.text);
                            self.pos += 1;
                            if let Some((s, _)) = quoted(&joined, q) {
                                return Ok(Value::Str(Cow::Owned(s.into_owned())));
                            }
                        }
                        Err(err(no, "unterminated quoted string"))
                    }
                };
            }
            let first = strip_comment(rest);
            // Plain scalars continue on deeper-indented lines, folded with spaces.
            let mut joined: Option<String> = None;
            while let Some(l) = self.peek() {
                if l.indent <= indent {
                    break;
                }
                if split_key(l.text).is_some() || is_seq_item(l.text) {
                    return Err(err(l.no, "unexpected indentation"));
                }
                let j = joined.get_or_insert_with(|| first.to_string());
                j.push(' ');
                j.push_str(strip_comment(l.text));
                self.pos += 1;
            }
            Ok(match joined {
                Some(j) => Value::Str(Cow::Owned(j)),
                None if first.is_empty() => Value::Null,
                None => Value::Str(Cow::Borrowed(first)),
            })
        }
    }

    fn is_seq_item(text: &str) -> bool {
        text == "-" || text.starts_with("- ") || text.starts_with("-\t")
    }

    fn strip_comment(s: &str) -> &str {
        let bytes = s.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'#' && i > 0 && matches!(bytes.get(i - 1), Some(b' ' | b'\t')) {
                return s.get(..i).unwrap_or(s).trim_end();
            }
        }
        s.trim_end()
    }

    type Key<'a> = Result<Cow<'a, str>, &'static str>;

    /// Splits `key: rest`; `None` when the line is not a mapping entry.
    fn split_key(text: &str) -> Option<(Key<'_>, &str)> {
        if let Some(q) = text.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let (key, end) = quoted(text, q)?;
            let after = text.get(end..)?.trim_start_matches([' ', '\t']);
            let rest = after.strip_prefix(':')?;
            if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
                return None;
            }
            return Some((Ok(key), rest));
        }
        if text.starts_with(['{', '[', '#']) || is_seq_item(text) {
            return None;
        }
        if text.starts_with("? ") || text == "?" {
            return Some((Err("complex mapping keys are not supported here"), ""));
        }
        let bytes = text.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            match b {
                b':' if matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) => {
                    let key = text.get(..i)?.trim_end();
                    return Some((Ok(Cow::Borrowed(key)), text.get(i + 1..)?));
                }
                b'#' if i > 0 && matches!(bytes.get(i - 1), Some(b' ' | b'\t')) => return None,
                _ => {}
            }
        }
        None
    }

    /// A quoted scalar at the start of `s`: its value and the offset just past the closing quote.
    fn quoted(s: &str, q: char) -> Option<(Cow<'_, str>, usize)> {
        let body = s.get(1..)?;
        if q == '\'' {
            let mut out: Option<String> = None;
            let mut start = 0;
            let mut iter = body.char_indices().peekable();
            while let Some((i, c)) = iter.next() {
                if c == '\'' {
                    if matches!(iter.peek(), Some((_, '\''))) {
                        let o = out.get_or_insert_with(String::new);
                        o.push_str(body.get(start..i)?);
                        o.push('\'');
                        iter.next();
                        start = i + 2;
                    } else {
                        let value = match out {
                            Some(mut o) => {
                                o.push_str(body.get(start..i)?);
                                Cow::Owned(o)
                            }
                            None => Cow::Borrowed(body.get(..i)?),
                        };
                        return Some((value, i + 2));
                    }
                }
            }
            return None;
        }
        let mut escaped = false;
        let mut iter = body.char_indices();
        while let Some((i, c)) = iter.next() {
            match c {
                '\\' => {
                    escaped = true;
                    iter.next();
                }
                '"' => {
                    let raw = body.get(..i)?;
                    let value = if escaped {
                        Cow::Owned(unescape_double(raw))
                    } else {
                        Cow::Borrowed(raw)
                    };
                    return Some((value, i + 2));
                }
                _ => {}
            }
        }
        None
    }

    fn unescape_double(raw: &str) -> String {
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('0') => out.push('\0'),
                Some(h @ ('x' | 'u' | 'U')) => {
                    let n = match h {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = chars.by_ref().take(n).collect();
                    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        Some(ch) => out.push(ch),
                        None => out.push('\u{fffd}'),
                    }
                }
                Some(other) => out.push(other),
                None => {}
            }
        }
        out
    }

    enum FlowError {
        Unterminated,
        Bad(&'static str),
    }

    /// A flow collection (`{a: b, c: [d]}`) that makes up the whole of `s` (bar a comment).
    fn flow(s: &str, no: u32) -> Result<Value<'_>, FlowError> {
        let mut p = Flow {
            s,
            i: 0,
            no,
            depth: 0,
        };
        let v = p.value()?;
        p.ws();
        let tail = p.s.get(p.i..).unwrap_or("");
        if !tail.is_empty() && !tail.starts_with('#') {
            return Err(FlowError::Bad("unexpected text after flow collection"));
        }
        Ok(v)
    }

    struct Flow<'a> {
        s: &'a str,
        i: usize,
        no: u32,
        depth: usize,
    }

    impl<'a> Flow<'a> {
        fn peek(&self) -> Option<u8> {
            self.s.as_bytes().get(self.i).copied()
        }

        fn ws(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\t')) {
                self.i += 1;
            }
        }

        fn value(&mut self) -> Result<Value<'a>, FlowError> {
            self.ws();
            match self.peek() {
                None => Err(FlowError::Unterminated),
                Some(b'{') => self.nest(|p| p.map()),
                Some(b'[') => self.nest(|p| p.seq()),
                Some(q @ (b'"' | b'\'')) => {
                    let rest = self.s.get(self.i..).ok_or(FlowError::Unterminated)?;
                    let (v, end) = quoted(rest, q as char).ok_or(FlowError::Unterminated)?;
                    self.i += end;
                    Ok(Value::Str(v))
                }
                Some(_) => Ok(self.plain(false)),
            }
        }

        fn nest(
            &mut self,
            f: impl FnOnce(&mut Self) -> Result<Value<'a>, FlowError>,
        ) -> Result<Value<'a>, FlowError> {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(FlowError::Bad(TOO_DEEP));
            }
            self.i += 1;
            let v = f(self);
            self.depth -= 1;
            v
        }

        /// A plain scalar, up to a flow indicator (and for keys, a `: `).
        fn plain(&mut self, key: bool) -> Value<'a> {
            let start = self.i;
            let bytes = self.s.as_bytes();
            while let Some(&b) = bytes.get(self.i) {
                match b {
                    b',' | b'}' | b']' => break,
                    b':' if key
                        && matches!(
                            bytes.get(self.i + 1),
                            None | Some(b' ' | b'\t' | b',' | b'}' | b']')
                        ) =>
                    {
                        break
                    }
                    b'#' if self.i > start
                        && matches!(bytes.get(self.i - 1), Some(b' ' | b'\t')) =>
                    {
                        break
                    }
                    _ => self.i += 1,
                }
            }
            let text = self.s.get(start..self.i).unwrap_or("").trim();
            if text.is_empty() {
                Value::Null
            } else {
                Value::Str(Cow::Borrowed(text))
            }
        }

        fn map(&mut self) -> Result<Value<'a>, FlowError> {
            let mut entries = Vec::new();
            loop {
                self.ws();
                match self.peek() {
                    None => return Err(FlowError::Unterminated),
                    Some(b'}') => {
                        self.i += 1;
                        return Ok(Value::Map(entries));
                    }
                    _ => {}
                }
                let key = match self.peek() {
                    Some(q @ (b'"' | b'\'')) => {
                        let rest = self.s.get(self.i..).ok_or(FlowError::Unterminated)?;
                        let (v, end) = quoted(rest, q as char).ok_or(FlowError::Unterminated)?;
                        self.i += end;
                        v
                    }
                    _ => match self.plain(true) {
                        Value::Str(s) => s,
                        _ => return Err(FlowError::Bad("empty key in flow mapping")),
                    },
                };
                self.ws();
                let value = if self.peek() == Some(b':') {
                    self.i += 1;
                    self.ws();
                    match self.peek() {
                        Some(b',' | b'}') => Value::Null,
                        _ => self.value()?,
                    }
                } else {
                    Value::Null
                };
                entries.push(Entry {
                    key,
                    line: self.no,
                    value,
                });
                self.ws();
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(b'}') => {}
                    None => return Err(FlowError::Unterminated),
                    Some(_) => return Err(FlowError::Bad("expected `,` or `}` in flow mapping")),
                }
            }
        }

        fn seq(&mut self) -> Result<Value<'a>, FlowError> {
            let mut items = Vec::new();
            loop {
                self.ws();
                match self.peek() {
                    None => return Err(FlowError::Unterminated),
                    Some(b']') => {
                        self.i += 1;
                        return Ok(Value::Seq(items));
                    }
                    _ => {}
                }
                items.push(self.value()?);
                self.ws();
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(b']') => {}
                    None => return Err(FlowError::Unterminated),
                    Some(_) => return Err(FlowError::Bad("expected `,` or `]` in flow sequence")),
                }
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn s(v: Option<&Value>) -> Option<String> {
            v.and_then(|v| v.as_str()).map(str::to_string)
        }

        #[test]
        fn block_mappings_sequences_and_lines() {
            let doc = "# c\nlockfileVersion: '6.0'\n\npackages:\n  /a@1.0.0:\n    resolution: {integrity: sha512-x==, tarball: https://h/x.tgz}\n    dev: true # note\n    os:\n      - darwin\n      - linux\n    cpu: [x64, arm64]\n  \"q:k\":\n    v: \"a\\\"b\"\nlist:\n- one\n- k: v\n  k2: v2\n";
            let v = parse(doc).unwrap();
            assert_eq!(s(v.get("lockfileVersion")), Some("6.0".into()));
            let pkgs = v.entry("packages").unwrap();
            assert_eq!(pkgs.line, 4);
            let a = &pkgs.value.entries()[0];
            assert_eq!((a.key.as_ref(), a.line), ("/a@1.0.0", 5));
            assert_eq!(
                s(a.value.get("resolution").and_then(|r| r.get("tarball"))),
                Some("https://h/x.tgz".into())
            );
            assert!(a.value.get("dev").unwrap().is_true());
            assert_eq!(
                a.value.get("os"),
                Some(&Value::Seq(vec![
                    Value::Str("darwin".into()),
                    Value::Str("linux".into())
                ]))
            );
            assert!(matches!(a.value.get("cpu"), Some(Value::Seq(x)) if x.len() == 2));
            let q = &pkgs.value.entries()[1];
            assert_eq!(q.key, "q:k");
            assert_eq!(s(q.value.get("v")), Some("a\"b".into()));
            match v.get("list") {
                Some(Value::Seq(items)) => {
                    assert_eq!(items.len(), 2);
                    assert_eq!(s(items[1].get("k2")), Some("v2".into()));
                }
                other => panic!("{other:?}"),
            }
        }

        #[test]
        fn odd_indentation_and_plain_keys_with_colons() {
            let doc = "packages:\n maa:\n    source: path\n  \nfile:..:\n  name: x\n";
            let v = parse(doc).unwrap();
            assert_eq!(
                s(v.get("packages")
                    .and_then(|p| p.get("maa"))
                    .and_then(|m| m.get("source"))),
                Some("path".into())
            );
            assert_eq!(
                s(v.get("file:..").and_then(|m| m.get("name"))),
                Some("x".into())
            );
        }

        #[test]
        fn not_yaml_is_an_error_and_empty_is_null() {
            assert!(parse("this is not valid yaml!\n: :\n  - [").is_err());
            assert_eq!(parse("").unwrap(), Value::Null);
            assert_eq!(parse("# only a comment\n").unwrap(), Value::Null);
            let e = parse("a: b\n   c: d\n").unwrap_err();
            assert!(e.line.is_some(), "{e:?}");
        }

        #[test]
        fn falls_back_for_anchors() {
            let v = parse("a: &x\n  b: 1\nc: *x\n").unwrap();
            assert_eq!(s(v.get("c").and_then(|c| c.get("b"))), Some("1".into()));
        }

        #[test]
        fn deep_nesting_does_not_overflow() {
            let mut doc = String::new();
            for i in 0..5000 {
                doc.push_str(&" ".repeat(i));
                doc.push_str("a:\n");
            }
            let _ = parse(&doc);
            let flow = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
            let _ = parse(&flow);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ecosystem;

    #[test]
    fn line_index() {
        let t = "a\nbb\n\nccc";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(1), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
        assert_eq!(idx.line(1000), 4);
        assert_eq!(idx.line_of(t, &t[6..]), Some(4));
        assert_eq!(idx.line_of(t, "elsewhere"), None);
    }

    #[test]
    fn names_and_sources() {
        assert_eq!(
            split_name_at("@babel/core@7.0.0"),
            ("@babel/core", Some("7.0.0"))
        );
        assert_eq!(
            split_name_at("a@git+ssh://git@x"),
            ("a", Some("git+ssh://git@x"))
        );
        assert_eq!(split_name_at("plain"), ("plain", None));
        assert_eq!(split_name_at("@"), ("@", None));
        assert_eq!(
            npm_source_of("https://registry.npmjs.org/a/-/a-1.0.0.tgz"),
            SourceKind::Registry
        );
        assert_eq!(
            npm_source_of("git+ssh://git@github.com/a/b.git#abc"),
            SourceKind::Git
        );
        assert_eq!(
            npm_source_of("https://codeload.github.com/a/b/tar.gz/abc"),
            SourceKind::Git
        );
        assert_eq!(npm_source_of("file:../x"), SourceKind::Path);
        assert_eq!(
            npm_source_of("https://example.com/x.tgz"),
            SourceKind::Other
        );
    }

    #[test]
    fn dedup_merges_flags() {
        let mut a = Package::new(Ecosystem::Npm, "a", "1.0.0");
        a.dev = Some(true);
        a.direct = Some(false);
        a.line = Some(3);
        let mut b = a.clone();
        b.dev = Some(false);
        b.direct = Some(true);
        b.line = Some(9);
        let c = Package::new(Ecosystem::Npm, "a", "2.0.0");
        let out = dedup(vec![a, c, b]);
        assert_eq!(out.len(), 2);
        assert_eq!(
            (out[0].line, out[0].dev, out[0].direct),
            (Some(3), Some(false), Some(true))
        );
        assert_eq!(out[1].version, "2.0.0");
    }
}

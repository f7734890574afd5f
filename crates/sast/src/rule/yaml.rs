//! A YAML document as a tree in which every node and every mapping key knows its line and column.
//!
//! Built from `saphyr-parser`'s event stream without recursion, so hostile input cannot overflow
//! the stack: nesting deeper than [`MAX_DEPTH`] is an error, aliases are expanded within a budget
//! (no "billion laughs"), duplicate keys are errors, and a file holds at most one document.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::error::RuleError;

/// How deep containers may nest. A rule needs about two levels per formula level, so this allows
/// formulas about thirty levels deep, far more than any real rule, while keeping every recursive
/// walk over the tree shallow.
pub(crate) const MAX_DEPTH: usize = 64;

/// A 1-based line and column (the column counts characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Mark {
    pub line: usize,
    pub column: usize,
}

/// How a scalar was written; decides its type (only plain scalars can be null, booleans or
/// numbers) and how positions inside its text map back to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextStyle {
    /// `key: text`
    Plain,
    /// `key: 'text'`
    SingleQuoted,
    /// `key: "text"`
    DoubleQuoted,
    /// `key: |` followed by indented lines, kept verbatim.
    Literal,
    /// `key: >` followed by indented lines, folded into one.
    Folded,
}

/// A mapping key: always a scalar.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Key {
    pub text: String,
    pub mark: Mark,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Scalar {
        text: String,
        style: TextStyle,
        /// Tagged `!!str`: a string whatever it looks like.
        forced_string: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub value: Value,
    /// Where the node starts: for a scalar, its first character (the quote of a quoted scalar,
    /// the first content line of a block scalar).
    pub mark: Mark,
    /// How much memory the node stands for, counted against the alias-expansion budget.
    weight: usize,
}

/// What a scalar means under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

impl Node {
    /// The node as a scalar under the YAML 1.2 core schema, or `None` for a list or mapping.
    pub fn scalar(&self) -> Option<Scalar<'_>> {
        let Value::Scalar {
            text,
            style,
            forced_string,
        } = &self.value
        else {
            return None;
        };
        if *style != TextStyle::Plain || *forced_string {
            return Some(Scalar::Str(text));
        }
        Some(resolve_plain(text))
    }

    /// What kind of value this is, for messages ("expected a string, found a list").
    pub fn describe(&self) -> &'static str {
        match &self.value {
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
            Value::Scalar { .. } => match self.scalar() {
                Some(Scalar::Null) | None => "null",
                Some(Scalar::Bool(_)) => "a boolean",
                Some(Scalar::Int(_)) | Some(Scalar::Float(_)) => "a number",
                Some(Scalar::Str(_)) => "a string",
            },
        }
    }

    /// The raw text and style of a scalar, whatever its type.
    pub fn scalar_text(&self) -> Option<(&str, TextStyle)> {
        match &self.value {
            Value::Scalar { text, style, .. } => Some((text, *style)),
            _ => None,
        }
    }
}

fn resolve_plain(text: &str) -> Scalar<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "true" | "True" | "TRUE" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" => return Scalar::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Scalar::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = text.parse::<i64>() {
            return Scalar::Int(i);
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(oct, 8) {
            return Scalar::Int(i);
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(hex, 16) {
            return Scalar::Int(i);
        }
    }
    if looks_like_float(text) {
        if let Ok(f) = text.parse::<f64>() {
            return Scalar::Float(f);
        }
    }
    Scalar::Str(text)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the core schema's float.
fn looks_like_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (mantissa, None),
    };
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac {
        None => !int.is_empty() && all_digits(int),
        Some(frac) => all_digits(int) && all_digits(frac) && !(int.is_empty() && frac.is_empty()),
    };
    let exponent_ok = match exponent {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && all_digits(e)
        }
    };
    mantissa_ok && exponent_ok
}

/// A container being built.
enum Frame {
    Seq {
        items: Vec<Node>,
        mark: Mark,
        anchor: usize,
        weight: usize,
    },
    Map {
        entries: Vec<(Key, Node)>,
        /// The key waiting for its value.
        pending: Option<Key>,
        /// First position of every key, to report duplicates.
        seen: HashMap<String, Mark>,
        mark: Mark,
        anchor: usize,
        weight: usize,
    },
}

/// Parses `text` into its single document's root node (`None` for an empty stream).
///
/// Errors that stop parsing (YAML syntax, nesting, aliases, a second document) come back alone;
/// duplicate keys are collected and parsing goes on, keeping the first value of each key.
pub(crate) fn parse(text: &str, file: &str) -> (Option<Node>, Vec<RuleError>) {
    let mut builder = Builder {
        file,
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        documents: 0,
        budget: text.len().saturating_mul(4).saturating_add(1_000_000),
        errors: Vec::new(),
    };
    match builder.run(text) {
        Ok(()) => (builder.root, builder.errors),
        Err(fatal) => {
            let mut errors = builder.errors;
            errors.push(fatal);
            (None, errors)
        }
    }
}

struct Builder<'f> {
    file: &'f str,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    documents: usize,
    /// Weight still allowed: the input's own size plus a margin; aliases spend from it.
    budget: usize,
    errors: Vec<RuleError>,
}

fn mark_of(marker: &saphyr_parser::Marker) -> Mark {
    Mark {
        line: marker.line().max(1),
        column: marker.col() + 1,
    }
}

fn text_style(style: ScalarStyle) -> TextStyle {
    match style {
        ScalarStyle::Plain => TextStyle::Plain,
        ScalarStyle::SingleQuoted => TextStyle::SingleQuoted,
        ScalarStyle::DoubleQuoted => TextStyle::DoubleQuoted,
        ScalarStyle::Literal => TextStyle::Literal,
        ScalarStyle::Folded => TextStyle::Folded,
    }
}

impl Builder<'_> {
    fn run(&mut self, text: &str) -> Result<(), RuleError> {
        for event in Parser::new_from_str(text) {
            let (event, span) = match event {
                Ok(ok) => ok,
                Err(e) => {
                    let mark = mark_of(e.marker());
                    let info = match e.info() {
                        "recursion limit exceeded" => "nesting is too deep",
                        info => info,
                    };
                    return Err(self.error(mark, format!("invalid YAML: {info}")));
                }
            };
            let mark = mark_of(&span.start);
            match event {
                Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => {}
                Event::DocumentStart(_) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(self.error(
                            mark,
                            "a rule file holds one YAML document; found a second one",
                        ));
                    }
                }
                Event::Alias(id) => {
                    let Some(node) = self.anchors.get(&id) else {
                        return Err(self.error(mark, "alias to an unknown anchor"));
                    };
                    let mut node = node.clone();
                    node.mark = mark;
                    self.spend(node.weight, mark)?;
                    self.complete(node)?;
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let mut forced_string = false;
                    if let Some(tag) = tag {
                        if tag.is_yaml_core_schema() && tag.suffix == "str" {
                            forced_string = true;
                        } else if !tag.is_yaml_core_schema() {
                            return Err(self.error(
                                mark,
                                format!("YAML tags are not supported (found `{}`)", tag.suffix),
                            ));
                        }
                    }
                    self.spend(1 + value.len(), mark)?;
                    let node = Node {
                        weight: 1 + value.len(),
                        value: Value::Scalar {
                            text: value.into_owned(),
                            style: text_style(style),
                            forced_string,
                        },
                        mark,
                    };
                    self.register_anchor(anchor, &node);
                    self.complete(node)?;
                }
                Event::SequenceStart(anchor, tag) => {
                    self.check_container(mark, tag.as_deref())?;
                    self.stack.push(Frame::Seq {
                        items: Vec::new(),
                        mark,
                        anchor,
                        weight: 1,
                    });
                }
                Event::MappingStart(anchor, tag) => {
                    self.check_container(mark, tag.as_deref())?;
                    self.stack.push(Frame::Map {
                        entries: Vec::new(),
                        pending: None,
                        seen: HashMap::new(),
                        mark,
                        anchor,
                        weight: 1,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let node = match self.stack.pop() {
                        Some(Frame::Seq {
                            items,
                            mark,
                            anchor,
                            weight,
                        }) => {
                            let node = Node {
                                value: Value::Seq(items),
                                mark,
                                weight,
                            };
                            self.register_anchor(anchor, &node);
                            node
                        }
                        Some(Frame::Map {
                            entries,
                            mark,
                            anchor,
                            weight,
                            ..
                        }) => {
                            let node = Node {
                                value: Value::Map(entries),
                                mark,
                                weight,
                            };
                            self.register_anchor(anchor, &node);
                            node
                        }
                        None => return Err(self.error(mark, "unbalanced YAML structure")),
                    };
                    self.complete(node)?;
                }
            }
        }
        Ok(())
    }

    fn check_container(
        &mut self,
        mark: Mark,
        tag: Option<&saphyr_parser::Tag>,
    ) -> Result<(), RuleError> {
        if let Some(tag) = tag {
            if !tag.is_yaml_core_schema() {
                return Err(self.error(
                    mark,
                    format!("YAML tags are not supported (found `{}`)", tag.suffix),
                ));
            }
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(
                mark,
                format!("nesting deeper than {MAX_DEPTH} levels is not allowed"),
            ));
        }
        self.spend(1, mark)
    }

    /// Counts `weight` against the budget; aliases that would expand past it are an error.
    fn spend(&mut self, weight: usize, mark: Mark) -> Result<(), RuleError> {
        match self.budget.checked_sub(weight) {
            Some(rest) => {
                self.budget = rest;
                Ok(())
            }
            None => Err(self.error(
                mark,
                "aliases expand to more data than the file's size allows",
            )),
        }
    }

    fn register_anchor(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }

    /// Puts a finished node where it belongs: the root, a list item, a mapping key or value.
    fn complete(&mut self, node: Node) -> Result<(), RuleError> {
        let path = self.container_path();
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
            }
            Some(Frame::Seq { items, weight, .. }) => {
                *weight = weight.saturating_add(node.weight);
                items.push(node);
            }
            Some(Frame::Map {
                entries,
                pending,
                seen,
                weight,
                ..
            }) => match pending.take() {
                None => {
                    let Value::Scalar { text, .. } = node.value else {
                        return Err(RuleError::at(
                            self.file,
                            node.mark.line,
                            node.mark.column,
                            &path,
                            "mapping keys must be scalars, not lists or mappings",
                        ));
                    };
                    *weight = weight.saturating_add(node.weight);
                    *pending = Some(Key {
                        text,
                        mark: node.mark,
                    });
                }
                Some(key) => {
                    *weight = weight.saturating_add(node.weight);
                    if let Some(first) = seen.get(&key.text) {
                        let message = format!(
                            "duplicate key {:?} (first at line {})",
                            key.text, first.line
                        );
                        self.errors.push(RuleError::at(
                            self.file,
                            key.mark.line,
                            key.mark.column,
                            &path,
                            message,
                        ));
                    } else {
                        seen.insert(key.text.clone(), key.mark);
                        entries.push((key, node));
                    }
                }
            },
        }
        Ok(())
    }

    /// The key path of what is being parsed now (`rules[0].patterns[1]`).
    fn key_path(&self) -> String {
        path_of(&self.stack)
    }

    /// The key path of the innermost open container itself.
    fn container_path(&self) -> String {
        path_of(&self.stack[..self.stack.len().saturating_sub(1)])
    }

    fn error(&self, mark: Mark, message: impl Into<String>) -> RuleError {
        RuleError::at(self.file, mark.line, mark.column, &self.key_path(), message)
    }
}

fn path_of(frames: &[Frame]) -> String {
    let mut path = String::new();
    for frame in frames {
        match frame {
            Frame::Seq { items, .. } => path.push_str(&format!("[{}]", items.len())),
            Frame::Map {
                pending: Some(key), ..
            } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key.text);
            }
            Frame::Map { pending: None, .. } => {}
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema_scalars() {
        assert_eq!(resolve_plain(""), Scalar::Null);
        assert_eq!(resolve_plain("~"), Scalar::Null);
        assert_eq!(resolve_plain("True"), Scalar::Bool(true));
        assert_eq!(
            resolve_plain("yes"),
            Scalar::Str("yes"),
            "YAML 1.2: not a boolean"
        );
        assert_eq!(resolve_plain("-12"), Scalar::Int(-12));
        assert_eq!(resolve_plain("0o17"), Scalar::Int(15));
        assert_eq!(resolve_plain("0x1f"), Scalar::Int(31));
        assert_eq!(resolve_plain("1.5e3"), Scalar::Float(1500.0));
        assert_eq!(resolve_plain(".5"), Scalar::Float(0.5));
        assert_eq!(resolve_plain("99999999999999999999"), Scalar::Float(1e20));
        assert_eq!(resolve_plain("1.2.3"), Scalar::Str("1.2.3"));
        assert_eq!(resolve_plain("CWE-89"), Scalar::Str("CWE-89"));
        assert_eq!(resolve_plain("."), Scalar::Str("."));
        assert_eq!(resolve_plain("e5"), Scalar::Str("e5"));
    }

    #[test]
    fn tree_positions_and_duplicates() {
        let (root, errors) = parse("a:\n  - x\n  - {b: 'y'}\na: 2\n", "f.yaml");
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "f.yaml:4:1: duplicate key \"a\" (first at line 1)"
        );
        let root = root.expect("a document");
        let Value::Map(entries) = &root.value else {
            panic!("a mapping")
        };
        assert_eq!(entries.len(), 1);
        let Value::Seq(items) = &entries[0].1.value else {
            panic!("a list")
        };
        assert_eq!(items[1].mark, Mark { line: 3, column: 5 });
        let Value::Map(inner) = &items[1].value else {
            panic!("a mapping")
        };
        assert_eq!(inner[0].0.mark, Mark { line: 3, column: 6 });
        assert_eq!(inner[0].1.scalar(), Some(Scalar::Str("y")));
        assert_eq!(inner[0].1.describe(), "a string");
        assert_eq!(parse("", "f.yaml"), (None, Vec::new()));
    }
}

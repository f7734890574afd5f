//! YAML streams (Kubernetes manifests, compose files, CI definitions, and the check files
//! themselves) as [`Node`] trees with lines, built from `saphyr-parser`'s event stream.
//!
//! The builder keeps its own stack instead of recursing, so hostile input cannot overflow the
//! stack: nesting deeper than [`MAX_DEPTH`] is an error, aliases are expanded within a budget
//! proportional to the input (no "billion laughs"), and `<<` merge keys are applied as GitLab CI
//! and compose files use them. A stream may hold many documents.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::tree::{Entry, Node, Value};

/// How deep containers may nest; real manifests (CRD schemas included) stay far below.
pub const MAX_DEPTH: usize = 200;

/// An error with the line and column it was found at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct YamlError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// One document of a stream and the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: Node,
    pub line: u32,
}

enum Frame {
    Seq {
        items: Vec<Node>,
        line: u32,
        anchor: usize,
        weight: usize,
    },
    Map {
        entries: Vec<Entry>,
        pending: Option<(String, u32)>,
        line: u32,
        anchor: usize,
        weight: usize,
    },
}

/// Parses every document of `text`. Empty documents are left out.
pub fn parse_stream(text: &str) -> Result<Vec<Document>, YamlError> {
    let mut b = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        docs: Vec::new(),
        doc_line: 1,
        budget: text.len().saturating_mul(4).saturating_add(100_000),
    };
    b.run(text)?;
    Ok(b.docs)
}

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    docs: Vec<Document>,
    doc_line: u32,
    budget: usize,
}

fn err(line: u32, column: u32, message: impl Into<String>) -> YamlError {
    YamlError {
        line,
        column,
        message: message.into(),
    }
}

fn scalar(text: String, style: ScalarStyle, forced_string: bool) -> Value {
    if style != ScalarStyle::Plain || forced_string {
        return Value::Str(text);
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(&text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = text.parse::<i64>() {
            return Value::Int(i);
        }
    }
    if digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
    {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(text)
}

impl Builder {
    fn run(&mut self, text: &str) -> Result<(), YamlError> {
        for event in Parser::new_from_str(text) {
            let (event, span) = match event {
                Ok(ok) => ok,
                Err(e) => {
                    let m = e.marker();
                    let info = match e.info() {
                        "recursion limit exceeded" => "nesting is too deep",
                        info => info,
                    };
                    return Err(err(
                        m.line().max(1) as u32,
                        m.col() as u32 + 1,
                        format!("invalid YAML: {info}"),
                    ));
                }
            };
            let line = span.start.line().max(1) as u32;
            let column = span.start.col() as u32 + 1;
            match event {
                Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => {}
                Event::DocumentStart(_) => {
                    self.doc_line = line;
                    self.anchors.clear();
                }
                Event::Alias(id) => {
                    let Some((node, weight)) = self.anchors.get(&id) else {
                        return Err(err(line, column, "alias to an unknown anchor"));
                    };
                    let (mut node, weight) = (node.clone(), *weight);
                    node.line = line;
                    self.spend(weight, line, column)?;
                    self.complete(node, weight, line, column)?;
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let forced = tag
                        .as_ref()
                        .is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
                    let weight = 1 + value.len() / 16;
                    self.spend(weight, line, column)?;
                    let node = Node::new(scalar(value.into_owned(), style, forced), line);
                    if anchor != 0 {
                        self.anchors.insert(anchor, (node.clone(), weight));
                    }
                    self.complete(node, weight, line, column)?;
                }
                Event::SequenceStart(anchor, _) => {
                    self.open(line, column)?;
                    self.stack.push(Frame::Seq {
                        items: Vec::new(),
                        line,
                        anchor,
                        weight: 1,
                    });
                }
                Event::MappingStart(anchor, _) => {
                    self.open(line, column)?;
                    self.stack.push(Frame::Map {
                        entries: Vec::new(),
                        pending: None,
                        line,
                        anchor,
                        weight: 1,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let (node, anchor, weight) = match self.stack.pop() {
                        Some(Frame::Seq {
                            items,
                            line,
                            anchor,
                            weight,
                        }) => (Node::new(Value::Seq(items), line), anchor, weight),
                        Some(Frame::Map {
                            entries,
                            line,
                            anchor,
                            weight,
                            ..
                        }) => (Node::new(Value::Map(entries), line), anchor, weight),
                        None => return Err(err(line, column, "unbalanced YAML structure")),
                    };
                    if anchor != 0 {
                        self.anchors.insert(anchor, (node.clone(), weight));
                    }
                    self.complete(node, weight, line, column)?;
                }
            }
        }
        Ok(())
    }

    fn open(&mut self, line: u32, column: u32) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(err(
                line,
                column,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.spend(1, line, column)
    }

    fn spend(&mut self, weight: usize, line: u32, column: u32) -> Result<(), YamlError> {
        match self.budget.checked_sub(weight) {
            Some(rest) => {
                self.budget = rest;
                Ok(())
            }
            None => Err(err(
                line,
                column,
                "aliases expand to more data than the file's size allows",
            )),
        }
    }

    fn complete(
        &mut self,
        node: Node,
        node_weight: usize,
        line: u32,
        column: u32,
    ) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            None => {
                if !node.is_null() {
                    self.docs.push(Document {
                        root: node,
                        line: self.doc_line,
                    });
                }
            }
            Some(Frame::Seq { items, weight, .. }) => {
                *weight = weight.saturating_add(node_weight);
                items.push(node);
            }
            Some(Frame::Map {
                entries,
                pending,
                weight,
                ..
            }) => {
                *weight = weight.saturating_add(node_weight);
                match pending.take() {
                    None => {
                        let key = match node.value {
                            Value::Str(s) => s,
                            Value::Null => String::new(),
                            Value::Bool(b) => b.to_string(),
                            Value::Int(i) => i.to_string(),
                            Value::Float(f) => f.to_string(),
                            _ => {
                                return Err(err(
                                    line,
                                    column,
                                    "mapping keys must be scalars, not lists or mappings",
                                ))
                            }
                        };
                        *pending = Some((key, node.line));
                    }
                    Some((key, _)) if key == "<<" => merge(entries, node),
                    Some((key, key_line)) => {
                        // A repeated key replaces the earlier value, as most YAML readers do.
                        entries.retain(|e| e.key != key);
                        entries.push(Entry {
                            key,
                            line: key_line,
                            value: node,
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

/// `<<: *base` (or a list of them): the base's keys that the mapping does not set itself.
fn merge(entries: &mut Vec<Entry>, node: Node) {
    let sources = match node.value {
        Value::Seq(items) => items,
        other => vec![Node::new(other, node.line)],
    };
    for src in sources {
        if let Value::Map(base) = src.value {
            for e in base {
                if !entries.iter().any(|x| x.key == e.key) {
                    entries.push(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_lines_and_merge_keys() {
        let text = "a: 1\n---\n# c\nkind: Pod\nspec:\n  containers:\n    - name: x\n      image: nginx\n---\n---\nbase: &b {x: 1, y: two}\njob:\n  <<: *b\n  y: 3\n";
        let docs = parse_stream(text).unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].line, 1);
        assert_eq!(docs[1].line, 2);
        let image = docs[1].root.at("spec.containers").unwrap().items()[0]
            .get("image")
            .unwrap();
        assert_eq!((image.as_str(), image.line), (Some("nginx"), 8));
        let job = docs[2].root.get("job").unwrap();
        assert_eq!(job.get("x").unwrap().as_i64(), Some(1));
        assert_eq!(job.get("y").unwrap().as_i64(), Some(3));
    }

    #[test]
    fn errors_have_lines_and_bombs_are_refused() {
        let e = parse_stream("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(e.line >= 2, "{e}");
        assert!(e.message.starts_with("invalid YAML"), "{e}");
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            bomb.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let e = parse_stream(&bomb).unwrap_err();
        assert!(e.message.contains("aliases"), "{e}");
        let deep = "[".repeat(5000);
        assert!(parse_stream(&deep).is_err());
    }
}

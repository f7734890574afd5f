//! The one value tree every input is read into: YAML documents, Terraform bodies (blocks become
//! lists of mappings, as in `terraform show -json`) and plan JSON. Every node knows its 1-based
//! line, so a check on any input can say where it found something.

/// A value and the line it starts on (0 when the input has no lines, e.g. a plan's values).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A Terraform expression that could not be resolved to a literal, as written.
    Expr(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A mapping entry: the key, the line of the key, and the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub line: u32,
    pub value: Node,
}

/// One place a path leads to: a node, or the node where the path stopped because a key is
/// missing (a check on an absent attribute points there).
#[derive(Debug, Clone, Copy)]
pub enum Reached<'a> {
    Found(&'a Node, u32),
    Missing(u32),
}

impl Node {
    pub fn new(value: Value, line: u32) -> Node {
        Node { value, line }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    /// The entry of `key`, with the key's line.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// Follows `a.b.c` through mappings; a list on the way yields the first element's value
    /// only when it is a block-style list of one (Terraform's single nested blocks).
    pub fn at(&self, path: &str) -> Option<&Node> {
        let mut cur = self;
        for seg in path.split('.') {
            cur = match &cur.value {
                Value::Seq(items) if items.len() == 1 => items[0].get(seg)?,
                _ => cur.get(seg)?,
            };
        }
        Some(cur)
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Map(e) => e,
            _ => &[],
        }
    }

    /// The node's items if it is a list, itself as a one-item list if it is anything else but
    /// null, and nothing for null.
    pub fn items(&self) -> Vec<&Node> {
        match &self.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            _ => vec![self],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A scalar as text (`true`, `42`, the string itself); `None` for lists, mappings, null and
    /// unresolved expressions.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            _ => None,
        }
    }

    /// Whether this is `true` (a boolean, or the string `true` as Terraform converts it).
    pub fn is_true(&self) -> bool {
        match &self.value {
            Value::Bool(b) => *b,
            Value::Str(s) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }

    /// Whether this is `false`, as [`Node::is_true`] reads it.
    pub fn is_false(&self) -> bool {
        match &self.value {
            Value::Bool(b) => !*b,
            Value::Str(s) => s.eq_ignore_ascii_case("false"),
            _ => false,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Int(i) => Some(*i),
            Value::Float(f) if f.fract() == 0.0 => Some(*f as i64),
            Value::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn is_expr(&self) -> bool {
        matches!(self.value, Value::Expr(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// Every place `path` (dot-separated keys) leads to. Lists are entered wherever they are
    /// met, including at the end, so `ingress.cidr_blocks` reaches every CIDR of every ingress
    /// block; a key missing on the way is a [`Reached::Missing`] at the node that lacks it.
    pub fn reach(&self, path: &str) -> Vec<Reached<'_>> {
        let mut current: Vec<Reached<'_>> = vec![Reached::Found(self, self.line)];
        for seg in path.split('.').filter(|s| !s.is_empty()) {
            let mut next = Vec::new();
            for r in current {
                match r {
                    Reached::Missing(line) => next.push(Reached::Missing(line)),
                    Reached::Found(node, line) => step(node, seg, line, &mut next),
                }
            }
            current = next;
        }
        // A list at the end stands for its items; an empty one for nothing at all.
        let mut out = Vec::new();
        for r in current {
            match r {
                Reached::Found(n, line) => match &n.value {
                    Value::Seq(items) if items.is_empty() => out.push(Reached::Missing(line)),
                    Value::Seq(items) => {
                        out.extend(items.iter().map(|i| Reached::Found(i, line_of(i, line))))
                    }
                    Value::Null => out.push(Reached::Missing(line)),
                    _ => out.push(r),
                },
                Reached::Missing(_) => out.push(r),
            }
        }
        out
    }

    /// Every node of the tree, depth first, without recursion.
    pub fn walk(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            out.push(n);
            match &n.value {
                Value::Seq(items) => stack.extend(items.iter().rev()),
                Value::Map(entries) => stack.extend(entries.iter().rev().map(|e| &e.value)),
                _ => {}
            }
        }
        out
    }
}

fn line_of(n: &Node, fallback: u32) -> u32 {
    if n.line > 0 {
        n.line
    } else {
        fallback
    }
}

fn step<'a>(node: &'a Node, seg: &str, line: u32, out: &mut Vec<Reached<'a>>) {
    match &node.value {
        Value::Map(entries) => match entries.iter().find(|e| e.key == seg) {
            Some(e) => out.push(Reached::Found(
                &e.value,
                line_of(&e.value, e.line.max(line)),
            )),
            None => out.push(Reached::Missing(line_of(node, line))),
        },
        Value::Seq(items) if items.is_empty() => out.push(Reached::Missing(line_of(node, line))),
        Value::Seq(items) => {
            for i in items {
                step(i, seg, line_of(i, line), out);
            }
        }
        // An unresolved expression may hold anything: nothing is known about its keys.
        Value::Expr(_) => {}
        _ => out.push(Reached::Missing(line_of(node, line))),
    }
}

/// Converts JSON (a plan, a policy document written as a string) to a tree with every node on
/// `line`, without recursion on the caller's stack beyond JSON's own nesting limit.
pub fn from_json(v: &serde_json::Value, line: u32) -> Node {
    let value = match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::Str(s.clone()),
        serde_json::Value::Array(a) => Value::Seq(a.iter().map(|x| from_json(x, line)).collect()),
        serde_json::Value::Object(o) => Value::Map(
            o.iter()
                .map(|(k, x)| Entry {
                    key: k.clone(),
                    line,
                    value: from_json(x, line),
                })
                .collect(),
        ),
    };
    Node { value, line }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: Vec<(&str, Node)>, line: u32) -> Node {
        Node::new(
            Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| Entry {
                        key: k.into(),
                        line: v.line,
                        value: v,
                    })
                    .collect(),
            ),
            line,
        )
    }

    #[test]
    fn reach_enters_lists_and_reports_missing_keys() {
        let s = |t: &str, l| Node::new(Value::Str(t.into()), l);
        let root = map(
            vec![(
                "ingress",
                Node::new(
                    Value::Seq(vec![
                        map(
                            vec![("cidr", Node::new(Value::Seq(vec![s("a", 3), s("b", 3)]), 3))],
                            2,
                        ),
                        map(vec![], 5),
                    ]),
                    2,
                ),
            )],
            1,
        );
        let r = root.reach("ingress.cidr");
        let found: Vec<_> = r
            .iter()
            .map(|r| match r {
                Reached::Found(n, l) => format!("{}@{l}", n.as_str().unwrap()),
                Reached::Missing(l) => format!("missing@{l}"),
            })
            .collect();
        assert_eq!(found, ["a@3", "b@3", "missing@5"]);
        assert!(matches!(root.reach("nope")[..], [Reached::Missing(1)]));
    }
}

//! Terraform HCL: `hcl-edit` parses each file with byte spans (hcl-rs's own parser, which keeps
//! positions where `hcl::parse` drops them), then every file of a directory (a module) is read
//! together, so a resource in `main.tf` sees the `variable` defaults of `variables.tf`, the
//! values of `terraform.tfvars` and `*.auto.tfvars`, and the module's `locals`.
//!
//! Bodies become [`Node`] trees shaped as `terraform show -json` shapes resource values (a
//! nested block is a list of mappings under its type), so the same checks read HCL and plans.
//! An expression that is not a literal after resolving `var.*` and `local.*` stays an
//! [`Value::Expr`] with its text: checks treat it as unknown, never as a violation.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, BlockLabel, Body, Structure};
use hcl_edit::template::{Element, Template};
use hcl_edit::Span;

use crate::input::{LineIndex, Resource};
use crate::tree::{Entry, Node, Value};

/// A syntax error with its position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct HclError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// One parsed file of a module.
pub struct HclFile {
    pub body: Body,
    pub text: String,
    pub lines: LineIndex,
    /// `terraform.tfvars` or `*.auto.tfvars`: values for the module's variables.
    pub tfvars: bool,
}

pub fn parse(text: &str) -> Result<Body, HclError> {
    hcl_edit::parser::parse_body(text).map_err(|e| HclError {
        line: e.location().line() as u32,
        column: e.location().column() as u32,
        message: format!("invalid HCL: {}", first_line(e.message())),
    })
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// How deep `local` references may chain before resolution gives up.
const MAX_RESOLVE_DEPTH: usize = 32;

/// The module's resources, each with the index of the file it is in.
pub fn module_resources(files: &[HclFile]) -> Vec<(usize, Resource)> {
    let r = Resolver::new(files);
    let mut out = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        if f.tfvars {
            continue;
        }
        for s in f.body.iter() {
            let Structure::Block(b) = s else { continue };
            let kind = b.ident.as_str();
            let labels: Vec<&str> = b.labels.iter().map(label).collect();
            let (rtype, name, address) = match (kind, labels.as_slice()) {
                ("resource", [t, n]) => (t.to_string(), n.to_string(), format!("{t}.{n}")),
                ("data", [t, n]) => (format!("data.{t}"), n.to_string(), format!("data.{t}.{n}")),
                _ => continue,
            };
            let line = f.lines.line_of(b.span().map_or(0, |s| s.start));
            out.push((
                fi,
                Resource {
                    rtype,
                    name,
                    address,
                    line,
                    body: r.body(&b.body, fi, line),
                    namespace: None,
                },
            ));
        }
    }
    out
}

fn label(l: &BlockLabel) -> &str {
    match l {
        BlockLabel::Ident(i) => i.as_str(),
        BlockLabel::String(s) => s.as_str(),
    }
}

struct Resolver<'a> {
    files: &'a [HclFile],
    vars: HashMap<String, Node>,
    locals: HashMap<String, (usize, &'a Expression)>,
    cache: RefCell<HashMap<String, Option<Node>>>,
    active: RefCell<HashSet<String>>,
}

impl<'a> Resolver<'a> {
    fn new(files: &'a [HclFile]) -> Resolver<'a> {
        let mut r = Resolver {
            files,
            vars: HashMap::new(),
            locals: HashMap::new(),
            cache: RefCell::new(HashMap::new()),
            active: RefCell::new(HashSet::new()),
        };
        let mut tfvars = Vec::new();
        let mut defaults = Vec::new();
        for (fi, f) in files.iter().enumerate() {
            for s in f.body.iter() {
                match s {
                    Structure::Attribute(a) if f.tfvars => {
                        tfvars.push((a.key.to_string(), fi, &a.value));
                    }
                    Structure::Block(b) if b.ident.as_str() == "variable" => {
                        if let (Some(name), Some(d)) =
                            (b.labels.first(), b.body.get_attribute("default"))
                        {
                            defaults.push((label(name).to_string(), fi, &d.value));
                        }
                    }
                    Structure::Block(b) if b.ident.as_str() == "locals" => {
                        for s in b.body.iter() {
                            if let Structure::Attribute(a) = s {
                                r.locals.insert(a.key.to_string(), (fi, &a.value));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        // Literal-only: a default cannot refer to anything.
        for (name, fi, e) in defaults.into_iter().chain(tfvars) {
            let n = r.expr(e, fi, 0, usize::MAX);
            r.vars.insert(name, n);
        }
        r
    }

    fn body(&self, body: &Body, fi: usize, line: u32) -> Node {
        let mut entries: Vec<Entry> = Vec::new();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let l = self.line(fi, a.span());
                    entries.push(Entry {
                        key: a.key.to_string(),
                        line: l,
                        value: self.expr(&a.value, fi, l, 0),
                    });
                }
                Structure::Block(b) => {
                    let l = self.line(fi, b.span());
                    let (key, node) = self.block(b, fi, l);
                    match entries.iter_mut().find(|e| e.key == key) {
                        Some(Entry {
                            value:
                                Node {
                                    value: Value::Seq(items),
                                    ..
                                },
                            ..
                        }) => items.push(node),
                        _ => entries.push(Entry {
                            key,
                            line: l,
                            value: Node::new(Value::Seq(vec![node]), l),
                        }),
                    }
                }
            }
        }
        Node::new(Value::Map(entries), line)
    }

    /// A nested block: `dynamic "x" { content { … } }` reads as a block `x`.
    fn block(&self, b: &Block, fi: usize, line: u32) -> (String, Node) {
        if b.ident.as_str() == "dynamic" {
            if let (Some(name), Some(content)) =
                (b.labels.first(), b.body.get_blocks("content").next())
            {
                return (label(name).to_string(), self.body(&content.body, fi, line));
            }
        }
        (b.ident.to_string(), self.body(&b.body, fi, line))
    }

    fn line(&self, fi: usize, span: Option<std::ops::Range<usize>>) -> u32 {
        self.files[fi].lines.line_of(span.map_or(0, |s| s.start))
    }

    fn text(&self, fi: usize, e: &Expression) -> String {
        let text = e
            .span()
            .and_then(|s| self.files[fi].text.get(s))
            .unwrap_or("<expression>");
        let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.chars().count() > 200 {
            format!("{}…", collapsed.chars().take(200).collect::<String>())
        } else {
            collapsed
        }
    }

    /// `depth` counts local-to-local hops; `usize::MAX` means references are not resolved.
    fn expr(&self, e: &Expression, fi: usize, line: u32, depth: usize) -> Node {
        let l = match e.span() {
            Some(s) => self.files[fi].lines.line_of(s.start),
            None => line,
        };
        let value = match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => {
                let n = n.value();
                match n.as_i64() {
                    Some(i) => Value::Int(i),
                    None => Value::Float(n.as_f64().unwrap_or(0.0)),
                }
            }
            Expression::String(s) => Value::Str(s.value().to_string()),
            Expression::Array(a) => {
                Value::Seq(a.iter().map(|x| self.expr(x, fi, l, depth)).collect())
            }
            Expression::Object(o) => Value::Map(
                o.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(i) => i.to_string(),
                            ObjectKey::Expression(x) => match self.expr(x, fi, l, depth).value {
                                Value::Str(s) => s,
                                _ => self.text(fi, x),
                            },
                        };
                        let value = self.expr(v.expr(), fi, l, depth);
                        Entry {
                            key,
                            line: value.line,
                            value,
                        }
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => self.template(t, fi, l, depth, e),
            Expression::HeredocTemplate(h) => self.template(&h.template, fi, l, depth, e),
            Expression::Parenthesis(p) => return self.expr(p.inner(), fi, l, depth),
            Expression::FuncCall(f) => {
                let name = f.name.name.as_str();
                let args: Vec<&Expression> = f.args.iter().collect();
                match (name, args.as_slice()) {
                    // The structure is what matters to checks (policy documents).
                    ("jsonencode" | "tolist" | "toset" | "tomap", [inner]) => {
                        let mut n = self.expr(inner, fi, l, depth);
                        n.line = l;
                        return n;
                    }
                    _ => Value::Expr(self.text(fi, e)),
                }
            }
            Expression::Variable(_) | Expression::Traversal(_) => {
                match self.reference(e, fi, l, depth) {
                    Some(mut n) => {
                        n.line = l;
                        return n;
                    }
                    None => Value::Expr(self.text(fi, e)),
                }
            }
            _ => Value::Expr(self.text(fi, e)),
        };
        Node::new(value, l)
    }

    fn template(
        &self,
        t: &Template,
        fi: usize,
        line: u32,
        depth: usize,
        whole: &Expression,
    ) -> Value {
        let mut out = String::new();
        for el in t.iter() {
            match el {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => {
                    match self.expr(&i.expr, fi, line, depth).scalar_text() {
                        Some(s) => out.push_str(&s),
                        None => return Value::Expr(self.text(fi, whole)),
                    }
                }
                Element::Directive(_) => return Value::Expr(self.text(fi, whole)),
            }
        }
        Value::Str(out)
    }

    /// `var.x`, `local.x`, and attribute or index steps into what they hold.
    fn reference(&self, e: &Expression, fi: usize, line: u32, depth: usize) -> Option<Node> {
        if depth == usize::MAX {
            return None;
        }
        let Expression::Traversal(t) = e else {
            return None;
        };
        let Expression::Variable(root) = &t.expr else {
            return None;
        };
        let mut ops = t.operators.iter();
        let Some(TraversalOperator::GetAttr(name)) = ops.next().map(|o| o.value()) else {
            return None;
        };
        let mut node = match root.as_str() {
            "var" => self.vars.get(name.as_str())?.clone(),
            "local" => self.local(name.as_str(), depth)?,
            _ => return None,
        };
        for op in ops {
            node = match op.value() {
                TraversalOperator::GetAttr(k) => node.get(k.as_str())?.clone(),
                TraversalOperator::Index(i) => {
                    let idx = self.expr(i, fi, line, depth);
                    match (&node.value, &idx.value) {
                        (Value::Seq(items), Value::Int(n)) => {
                            items.get(usize::try_from(*n).ok()?)?.clone()
                        }
                        (Value::Map(_), Value::Str(k)) => node.get(k)?.clone(),
                        _ => return None,
                    }
                }
                _ => return None,
            };
        }
        Some(node)
    }

    fn local(&self, name: &str, depth: usize) -> Option<Node> {
        if let Some(c) = self.cache.borrow().get(name) {
            return c.clone();
        }
        if depth >= MAX_RESOLVE_DEPTH || !self.active.borrow_mut().insert(name.to_string()) {
            return None;
        }
        let &(fi, e) = self.locals.get(name)?;
        let n = self.expr(e, fi, 0, depth + 1);
        self.active.borrow_mut().remove(name);
        let n = (!n.is_expr()).then_some(n);
        self.cache.borrow_mut().insert(name.to_string(), n.clone());
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str, tfvars: bool) -> HclFile {
        HclFile {
            body: parse(text).unwrap(),
            text: text.to_string(),
            lines: LineIndex::new(text),
            tfvars,
        }
    }

    #[test]
    fn resources_lines_and_resolution_across_files() {
        let vars = file(
            "variable \"acl\" {\n  default = \"private\"\n}\nvariable \"ports\" { default = [22, 443] }\n",
            false,
        );
        let tfvars = file("acl = \"public-read\"\n", true);
        let main = file(
            "locals {\n  prefix = \"app\"\n  name = \"${local.prefix}-logs\"\n  loop = local.loop\n}\n\nresource \"aws_s3_bucket\" \"logs\" {\n  bucket = local.name\n  acl    = var.acl\n  x      = local.loop\n  port   = var.ports[0]\n  other  = aws_kms_key.k.arn\n  ingress {\n    from_port = 22\n  }\n  ingress {\n    from_port = 80\n  }\n}\ndata \"aws_iam_policy_document\" \"p\" {}\n",
            false,
        );
        let files = [vars, tfvars, main];
        let res = module_resources(&files);
        assert_eq!(res.len(), 2);
        let (fi, r) = &res[0];
        assert_eq!(
            (*fi, r.address.as_str(), r.line),
            (2, "aws_s3_bucket.logs", 7)
        );
        let b = &r.body;
        assert_eq!(b.get("bucket").unwrap().as_str(), Some("app-logs"));
        assert_eq!(b.get("acl").unwrap().as_str(), Some("public-read"));
        assert_eq!(b.get("acl").unwrap().line, 9);
        assert!(b.get("x").unwrap().is_expr(), "a cycle stays unresolved");
        assert_eq!(b.get("port").unwrap().as_i64(), Some(22));
        assert_eq!(
            b.get("other").unwrap().value,
            Value::Expr("aws_kms_key.k.arn".into())
        );
        let ingress = b.get("ingress").unwrap().items();
        assert_eq!(ingress.len(), 2);
        assert_eq!(ingress[1].get("from_port").unwrap().line, 17);
        assert_eq!(res[1].1.address, "data.aws_iam_policy_document.p");
    }

    #[test]
    fn syntax_errors_have_lines() {
        let e = parse("resource \"a\" \"b\" {\n  x = \n}\n").unwrap_err();
        assert!(e.line >= 2, "{e}");
        assert!(e.message.starts_with("invalid HCL"));
    }
}

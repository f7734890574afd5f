//! `metavariable-comparison`: the Python-like expressions Semgrep rules use, parsed when the
//! rule compiles and evaluated per range.
//!
//! Supported: integer, float and string literals, `True`/`False`, metavariables, `+ - * / // %`,
//! comparisons (chained, as in Python) including `in` and `not in`, `and`, `or`, `not`,
//! parentheses, list literals, and the functions `int()`, `float()`, `str()`, `len()`,
//! `re.match()`. A metavariable's value is its bound text read as a number when it is one
//! (`0x1F`, `1_000`, `2.5`), as the string's value when it is a string literal, else as text.
//! Anything else is rejected when the rule compiles.

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Mv(String),
    List(Vec<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `a < b <= c`
    Compare(Box<Expr>, Vec<(CmpOp, Expr)>),
    Call(Func, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum UnOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    In,
    NotIn,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Func {
    Int,
    Float,
    Str,
    Len,
    ReMatch,
}

impl Expr {
    /// Calls `f` with every metavariable name the expression reads.
    pub(crate) fn metavariables(&self, f: &mut dyn FnMut(&str)) {
        match self {
            Expr::Mv(name) => f(name),
            Expr::List(items) | Expr::Call(_, items) => {
                items.iter().for_each(|e| e.metavariables(f))
            }
            Expr::Unary(_, e) => e.metavariables(f),
            Expr::Binary(_, a, b) => {
                a.metavariables(f);
                b.metavariables(f);
            }
            Expr::Compare(a, rest) => {
                a.metavariables(f);
                rest.iter().for_each(|(_, e)| e.metavariables(f));
            }
            _ => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Int(i64),
    Float(f64),
    Str(String),
    Name(String),
    Mv(String),
    Op(&'static str),
}

const MAX_DEPTH: usize = 64;

fn lex(text: &str) -> Result<Vec<Tok>, String> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'$' {
            let start = i;
            i += 1;
            if text[i..].starts_with("...") {
                i += 3;
            }
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Tok::Mv(text[start..i].to_string()));
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            let lit = &text[start..i];
            match number(lit) {
                Some(Value::Int(n)) => out.push(Tok::Int(n)),
                Some(Value::Float(x)) => out.push(Tok::Float(x)),
                _ => return Err(format!("bad number {lit:?}")),
            }
            continue;
        }
        if c == b'"' || c == b'\'' {
            let quote = c;
            i += 1;
            let mut s = String::new();
            let mut closed = false;
            while i < b.len() {
                let ch = text[i..].chars().next().unwrap_or('\0');
                if ch as u32 == quote as u32 {
                    i += 1;
                    closed = true;
                    break;
                }
                if ch == '\\' && i + 1 < b.len() {
                    let next = text[i + 1..].chars().next().unwrap_or('\0');
                    s.push(match next {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                    i += 1 + next.len_utf8();
                    continue;
                }
                s.push(ch);
                i += ch.len_utf8();
            }
            if !closed {
                return Err("unterminated string".into());
            }
            out.push(Tok::Str(s));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            out.push(Tok::Name(text[start..i].to_string()));
            continue;
        }
        let ops: &[&'static str] = &[
            "//", "<=", ">=", "==", "!=", "<", ">", "+", "-", "*", "/", "%", "(", ")", "[", "]",
            ",",
        ];
        match ops.iter().find(|op| text[i..].starts_with(**op)) {
            Some(op) => {
                out.push(Tok::Op(op));
                i += op.len();
            }
            None => {
                let ch = text[i..].chars().next().unwrap_or('?');
                return Err(format!("unexpected {ch:?}"));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

/// Parses a comparison expression.
pub(crate) fn parse(text: &str) -> Result<Expr, String> {
    let toks = lex(text)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let e = p.or()?;
    if p.pos != p.toks.len() {
        return Err(format!("unexpected {:?}", p.toks[p.pos]));
    }
    Ok(e)
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn name_is(&self, name: &str) -> bool {
        matches!(self.peek(), Some(Tok::Name(n)) if n == name)
    }

    fn op_is(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }

    fn expect(&mut self, op: &str) -> Result<(), String> {
        if self.op_is(op) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected {op:?}"))
        }
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression nested too deeply".into());
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, String> {
        self.enter()?;
        let mut e = self.and()?;
        while self.name_is("or") {
            self.pos += 1;
            let r = self.and()?;
            e = Expr::Binary(BinOp::Or, Box::new(e), Box::new(r));
        }
        self.depth -= 1;
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut e = self.not()?;
        while self.name_is("and") {
            self.pos += 1;
            let r = self.not()?;
            e = Expr::Binary(BinOp::And, Box::new(e), Box::new(r));
        }
        Ok(e)
    }

    fn not(&mut self) -> Result<Expr, String> {
        if self.name_is("not") {
            self.pos += 1;
            self.enter()?;
            let e = self.not()?;
            self.depth -= 1;
            return Ok(Expr::Unary(UnOp::Not, Box::new(e)));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Expr, String> {
        let first = self.arith()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek() {
                Some(Tok::Op("<")) => CmpOp::Lt,
                Some(Tok::Op("<=")) => CmpOp::Le,
                Some(Tok::Op(">")) => CmpOp::Gt,
                Some(Tok::Op(">=")) => CmpOp::Ge,
                Some(Tok::Op("==")) => CmpOp::Eq,
                Some(Tok::Op("!=")) => CmpOp::Ne,
                Some(Tok::Name(n)) if n == "in" => CmpOp::In,
                Some(Tok::Name(n)) if n == "not" => {
                    if matches!(self.toks.get(self.pos + 1), Some(Tok::Name(m)) if m == "in") {
                        self.pos += 1;
                        CmpOp::NotIn
                    } else {
                        break;
                    }
                }
                _ => break,
            };
            self.pos += 1;
            rest.push((op, self.arith()?));
        }
        Ok(if rest.is_empty() {
            first
        } else {
            Expr::Compare(Box::new(first), rest)
        })
    }

    fn arith(&mut self) -> Result<Expr, String> {
        let mut e = self.term()?;
        loop {
            let op = if self.op_is("+") {
                BinOp::Add
            } else if self.op_is("-") {
                BinOp::Sub
            } else {
                break;
            };
            self.pos += 1;
            let r = self.term()?;
            e = Expr::Binary(op, Box::new(e), Box::new(r));
        }
        Ok(e)
    }

    fn term(&mut self) -> Result<Expr, String> {
        let mut e = self.unary()?;
        loop {
            let op = if self.op_is("*") {
                BinOp::Mul
            } else if self.op_is("//") {
                BinOp::FloorDiv
            } else if self.op_is("/") {
                BinOp::Div
            } else if self.op_is("%") {
                BinOp::Mod
            } else {
                break;
            };
            self.pos += 1;
            let r = self.unary()?;
            e = Expr::Binary(op, Box::new(e), Box::new(r));
        }
        Ok(e)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.op_is("-") {
            self.pos += 1;
            self.enter()?;
            let e = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Unary(UnOp::Neg, Box::new(e)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let tok = self.peek().cloned().ok_or("unexpected end")?;
        self.pos += 1;
        match tok {
            Tok::Int(n) => Ok(Expr::Int(n)),
            Tok::Float(x) => Ok(Expr::Float(x)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Mv(m) => Ok(Expr::Mv(m)),
            Tok::Op("(") => {
                let e = self.or()?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Op("[") => {
                let mut items = Vec::new();
                while !self.op_is("]") {
                    items.push(self.or()?);
                    if self.op_is(",") {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                self.expect("]")?;
                Ok(Expr::List(items))
            }
            Tok::Name(n) => match n.as_str() {
                "True" | "true" => Ok(Expr::Bool(true)),
                "False" | "false" => Ok(Expr::Bool(false)),
                _ => {
                    let func = match n.as_str() {
                        "int" => Func::Int,
                        "float" => Func::Float,
                        "str" => Func::Str,
                        "len" => Func::Len,
                        "re.match" => Func::ReMatch,
                        _ => return Err(format!("unknown name {n:?}")),
                    };
                    self.expect("(")?;
                    let mut args = Vec::new();
                    while !self.op_is(")") {
                        args.push(self.or()?);
                        if self.op_is(",") {
                            self.pos += 1;
                        } else {
                            break;
                        }
                    }
                    self.expect(")")?;
                    let arity = match func {
                        Func::ReMatch => 2,
                        _ => 1,
                    };
                    if args.len() != arity && !(func == Func::Int && args.len() == 2) {
                        return Err(format!("{n}() takes {arity} argument(s)"));
                    }
                    Ok(Expr::Call(func, args))
                }
            },
            Tok::Op(op) => Err(format!("unexpected {op:?}")),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    List(Vec<Value>),
    Error,
}

/// A Python integer or float literal.
fn number(text: &str) -> Option<Value> {
    let t: String = text.chars().filter(|&c| c != '_').collect();
    let lower = t.to_ascii_lowercase();
    let lower = lower.trim_end_matches(['l', 'u']);
    let (digits, radix) = if let Some(h) = lower.strip_prefix("0x") {
        (h, 16)
    } else if let Some(o) = lower.strip_prefix("0o") {
        (o, 8)
    } else if let Some(b) = lower.strip_prefix("0b") {
        (b, 2)
    } else {
        (lower, 10)
    };
    if let Ok(n) = i64::from_str_radix(digits, radix) {
        return Some(Value::Int(n));
    }
    if radix == 10 {
        if let Ok(x) = lower.trim_end_matches(['f', 'd']).parse::<f64>() {
            return Some(Value::Float(x));
        }
    }
    None
}

fn mv_value(text: &str, strip: bool, base: Option<u32>) -> Value {
    let mut t = text.trim();
    let quoted = t.len() >= 2
        && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\'')));
    if quoted {
        t = &t[1..t.len() - 1];
        if !strip {
            return Value::Str(t.to_string());
        }
    }
    if let Some(base) = base {
        if let Ok(n) = i64::from_str_radix(t, base) {
            return Value::Int(n);
        }
    }
    number(t).unwrap_or_else(|| Value::Str(t.to_string()))
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Int(n) => *n != 0,
        Value::Float(x) => *x != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::Bool(b) => *b,
        Value::List(l) => !l.is_empty(),
        Value::Error => false,
    }
}

fn to_string(v: &Value) -> String {
    match v {
        Value::Int(n) => n.to_string(),
        Value::Float(x) => x.to_string(),
        Value::Str(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::List(_) | Value::Error => String::new(),
    }
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Int(n) => Some(*n as f64),
        Value::Float(x) => Some(*x),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

fn compare(op: CmpOp, a: &Value, b: &Value) -> bool {
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => None,
        },
    };
    match op {
        CmpOp::Eq => ord == Some(Ordering::Equal),
        CmpOp::Ne => ord != Some(Ordering::Equal),
        CmpOp::Lt => ord == Some(Ordering::Less),
        CmpOp::Le => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
        CmpOp::Gt => ord == Some(Ordering::Greater),
        CmpOp::Ge => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
        CmpOp::In | CmpOp::NotIn => {
            let found = match b {
                Value::List(items) => items.iter().any(|i| compare(CmpOp::Eq, a, i)),
                Value::Str(s) => s.contains(&to_string(a)),
                _ => false,
            };
            found == (op == CmpOp::In)
        }
    }
}

struct Eval<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    strip: bool,
    base: Option<u32>,
}

impl Eval<'_> {
    fn eval(&self, e: &Expr) -> Value {
        match e {
            Expr::Int(n) => Value::Int(*n),
            Expr::Float(x) => Value::Float(*x),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Mv(name) => match (self.lookup)(name) {
                Some(text) => mv_value(&text, self.strip, self.base),
                None => Value::Error,
            },
            Expr::List(items) => Value::List(items.iter().map(|i| self.eval(i)).collect()),
            Expr::Unary(UnOp::Not, e) => Value::Bool(!truthy(&self.eval(e))),
            Expr::Unary(UnOp::Neg, e) => match self.eval(e) {
                Value::Int(n) => n.checked_neg().map_or(Value::Error, Value::Int),
                Value::Float(x) => Value::Float(-x),
                _ => Value::Error,
            },
            Expr::Binary(BinOp::And, a, b) => {
                let l = self.eval(a);
                if !truthy(&l) {
                    return l;
                }
                self.eval(b)
            }
            Expr::Binary(BinOp::Or, a, b) => {
                let l = self.eval(a);
                if truthy(&l) {
                    return l;
                }
                self.eval(b)
            }
            Expr::Binary(op, a, b) => {
                let (l, r) = (self.eval(a), self.eval(b));
                arith(*op, &l, &r)
            }
            Expr::Compare(first, rest) => {
                let mut left = self.eval(first);
                for (op, e) in rest {
                    let right = self.eval(e);
                    if matches!(left, Value::Error) || matches!(right, Value::Error) {
                        return Value::Bool(false);
                    }
                    if !compare(*op, &left, &right) {
                        return Value::Bool(false);
                    }
                    left = right;
                }
                Value::Bool(true)
            }
            Expr::Call(func, args) => {
                let vals: Vec<Value> = args.iter().map(|a| self.eval(a)).collect();
                match (func, vals.as_slice()) {
                    (Func::Int, [Value::Str(s)]) => number(s.trim())
                        .and_then(|v| match v {
                            Value::Int(n) => Some(Value::Int(n)),
                            _ => None,
                        })
                        .unwrap_or(Value::Error),
                    (Func::Int, [Value::Str(s), Value::Int(base)]) => u32::try_from(*base)
                        .ok()
                        .filter(|b| (2..=36).contains(b))
                        .and_then(|b| i64::from_str_radix(s.trim(), b).ok())
                        .map_or(Value::Error, Value::Int),
                    (Func::Int, [Value::Int(n)]) => Value::Int(*n),
                    (Func::Int, [Value::Float(x)]) if x.is_finite() => Value::Int(x.trunc() as i64),
                    (Func::Int, [Value::Bool(b)]) => Value::Int(i64::from(*b)),
                    (Func::Float, [v]) => match v {
                        Value::Str(s) => s.trim().parse::<f64>().map_or(Value::Error, Value::Float),
                        other => num(other).map_or(Value::Error, Value::Float),
                    },
                    (Func::Str, [v]) => Value::Str(to_string(v)),
                    (Func::Len, [Value::Str(s)]) => Value::Int(s.chars().count() as i64),
                    (Func::Len, [Value::List(l)]) => Value::Int(l.len() as i64),
                    (Func::Len, [v @ (Value::Int(_) | Value::Float(_))]) => {
                        Value::Int(to_string(v).chars().count() as i64)
                    }
                    (Func::ReMatch, [Value::Str(re), v]) => {
                        let text = to_string(v);
                        match regex::Regex::new(&format!(r"\A(?:{re})")) {
                            Ok(re) => Value::Bool(re.is_match(&text)),
                            Err(_) => Value::Error,
                        }
                    }
                    _ => Value::Error,
                }
            }
        }
    }
}

fn arith(op: BinOp, l: &Value, r: &Value) -> Value {
    match (l, r) {
        (Value::Int(a), Value::Int(b)) => {
            let v = match op {
                BinOp::Add => a.checked_add(*b),
                BinOp::Sub => a.checked_sub(*b),
                BinOp::Mul => a.checked_mul(*b),
                BinOp::FloorDiv => (*b != 0).then(|| a.div_euclid(*b)),
                BinOp::Mod => (*b != 0).then(|| a.rem_euclid(*b)),
                BinOp::Div => {
                    return if *b == 0 {
                        Value::Error
                    } else {
                        Value::Float(*a as f64 / *b as f64)
                    }
                }
                BinOp::And | BinOp::Or => None,
            };
            v.map_or(Value::Error, Value::Int)
        }
        (Value::Str(a), Value::Str(b)) if op == BinOp::Add => Value::Str(format!("{a}{b}")),
        _ => match (num(l), num(r)) {
            (Some(a), Some(b)) => match op {
                BinOp::Add => Value::Float(a + b),
                BinOp::Sub => Value::Float(a - b),
                BinOp::Mul => Value::Float(a * b),
                BinOp::Div if b != 0.0 => Value::Float(a / b),
                BinOp::FloorDiv if b != 0.0 => Value::Float((a / b).floor()),
                BinOp::Mod if b != 0.0 => Value::Float(a.rem_euclid(b)),
                _ => Value::Error,
            },
            _ => Value::Error,
        },
    }
}

/// Whether the comparison holds with the given metavariable texts (an unbound metavariable
/// or a type error makes it false).
pub(crate) fn holds(
    e: &Expr,
    lookup: &dyn Fn(&str) -> Option<String>,
    strip: bool,
    base: Option<u32>,
) -> bool {
    let ev = Eval {
        lookup,
        strip,
        base,
    };
    truthy(&ev.eval(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(expr: &str, vars: &[(&str, &str)]) -> bool {
        let e = parse(expr).unwrap_or_else(|err| panic!("{expr}: {err}"));
        let lookup = |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        holds(&e, &lookup, false, None)
    }

    #[test]
    fn comparisons() {
        assert!(check("$X > 1024", &[("$X", "2048")]));
        assert!(!check("$X > 1024", &[("$X", "80")]));
        assert!(check("$X == 0x10", &[("$X", "16")]));
        assert!(check("$A < $B <= 10", &[("$A", "1"), ("$B", "10")]));
        assert!(check("not $X < 3 and $X != 7", &[("$X", "5")]));
        assert!(check("$X < 3 or $X == 7", &[("$X", "7")]));
        assert!(check("int($X) % 2 == 0", &[("$X", "\"8\"")]));
        assert!(check("str($X) == \"abc\"", &[("$X", "'abc'")]));
        assert!(check("len(str($F)) < 64", &[("$F", "handler")]));
        assert!(check("re.match(\"get_\", $F)", &[("$F", "get_user")]));
        assert!(!check("re.match(\"get_\", $F)", &[("$F", "put_user")]));
        assert!(check("$X in [1, 2, 3]", &[("$X", "2")]));
        assert!(check("$X not in [1, 2, 3]", &[("$X", "4")]));
        assert!(check("$X * 2 - 1 >= 2.5", &[("$X", "2")]));
        assert!(!check("$UNBOUND > 1", &[]));
        assert!(check("$X // 3 == 2", &[("$X", "7")]));
    }

    #[test]
    fn rejects_what_it_cannot_evaluate() {
        for bad in [
            "today() > 1",
            "$X >",
            "$X.bit_length()",
            "(",
            "$X > 1 if True",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = format!("{}1{}", "(".repeat(200), ")".repeat(200));
        assert!(parse(&deep).is_err());
    }
}

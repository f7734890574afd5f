//! Rewriting a Semgrep pattern into text the language's grammar accepts.
//!
//! A small lexer finds the pattern's metavariables (`$X`), ellipsis metavariables (`$...X`),
//! ellipses (`...`) and deep-expression brackets (`<...`, `...>`) outside string literals and
//! comments (and inside string interpolations, which are code), and each is replaced by a
//! spelling that depends on the language and on where it stands. Everything else (whitespace,
//! comments, strings) is copied unchanged, so Python's indentation survives. See
//! [`super::PatternTree`] for the resulting scheme.

use std::ops::Range;

use super::{Language, PlaceholderKind};

/// One replaced token in the rewritten text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Occurrence {
    /// How the placeholder is spelled (the identifier text in the rewritten source).
    pub spelling: String,
    pub kind: PlaceholderKind,
    /// The metavariable as written (`$X`, `$...ARGS`), if any.
    pub metavariable: Option<String>,
    /// Everything inserted for it, e.g. `int __gh_ell_0;` or `__gh_deep_0(...)`.
    pub full: Range<usize>,
    /// The identifier within `full`.
    pub ident: Range<usize>,
    /// For a deep expression: the operand between the parentheses.
    pub inner: Option<Range<usize>>,
    /// Where it stood in the original pattern.
    pub original: Range<usize>,
}

/// The result of rewriting (offsets relative to the rewritten text, before any wrapper).
#[derive(Debug, Clone, Default)]
pub(super) struct Rewritten {
    pub text: String,
    pub occurrences: Vec<Occurrence>,
    /// (rewritten range, original range) of every replaced token, in order.
    pub shifts: Vec<(Range<usize>, Range<usize>)>,
}

impl Rewritten {
    /// Maps an offset in the rewritten text back to the original pattern.
    pub fn original_offset(&self, offset: usize) -> usize {
        let i = self.shifts.partition_point(|(out, _)| out.start <= offset);
        if i == 0 {
            return offset;
        }
        let (out, orig) = &self.shifts[i - 1];
        if offset < out.end {
            orig.start + (offset - out.start).min(orig.len())
        } else {
            orig.end + (offset - out.end)
        }
    }
}

/// How parenthesised lists holding an ellipsis are read in Java, C# and Kotlin, where a
/// parameter needs a type and an argument must not have one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ParamMode {
    /// A list that looks like a declaration's parameters (`void f(...)`, `fun f(...)`) gets
    /// typed placeholders; every other list gets plain identifiers.
    Guess,
    /// Every list is an argument list.
    AllArguments,
}

pub(super) fn param_modes(lang: Language) -> &'static [ParamMode] {
    if dialect(lang).param_form.is_some() {
        &[ParamMode::Guess, ParamMode::AllArguments]
    } else {
        &[ParamMode::Guess]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MvSpelling {
    /// `$X` is already an identifier (JavaScript, TypeScript, Java, C, C++) or a variable (PHP,
    /// Bash): kept as written.
    Keep,
    /// `$X` → `__gh_mv_X`.
    Ident,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Interp {
    None,
    /// `{expr}`, `{{` escapes a brace (Python f-strings, C# `$"..."`).
    Brace,
    /// `${expr}` (JavaScript templates, Kotlin strings).
    DollarBrace,
    /// `#{expr}` (Ruby).
    HashBrace,
    /// `$X` metavariables are native inside the string (PHP, Bash double quotes): recorded, not
    /// rewritten.
    Native,
}

#[derive(Debug, Clone, Copy)]
struct Quote {
    close: &'static [u8],
    escapes: bool,
    interp: Interp,
}

struct Dialect {
    mv: MvSpelling,
    /// `$` continues an identifier (`foo$bar`).
    dollar_in_ident: bool,
    /// Ellipses, ellipsis metavariables: spelled as variables (`$__gh_ell_0`, PHP).
    dollar_ellipsis: bool,
    /// `...` glued to an identifier is the language's own spread/variadic syntax.
    native_spread: bool,
    line_comments: &'static [&'static str],
    hash_comments: bool,
    block_comments: bool,
    deep: bool,
    /// Statement-position form: `{}` is replaced by the placeholder; `;` is appended when the
    /// form ends with it and the pattern has none.
    stmt_form: &'static str,
    /// Class-body form, when different from the statement form.
    member_form: Option<&'static str>,
    /// Typed parameter form (Java, C#, Kotlin).
    param_form: Option<&'static str>,
    /// Dictionary-element form (`**{}` for Python and Ruby hashes).
    object_form: &'static str,
    /// `{` after these punctuation tokens opens an object/initializer, not a block.
    object_after: &'static [&'static str],
    /// Every `{` is a dictionary (Python).
    all_braces_object: bool,
    /// `new T(...) { ... }` declares an anonymous class (Java).
    anonymous_classes: bool,
    /// `new T { A = b }` initializes members (C#).
    object_initializers: bool,
    /// `{` opens a block only after a call (`foo { |x| ... }`, `foo(1) { ... }`); elsewhere it
    /// opens a hash (Ruby).
    blocks_follow_calls: bool,
}

fn dialect(lang: Language) -> Dialect {
    let c_like = Dialect {
        mv: MvSpelling::Keep,
        dollar_in_ident: true,
        dollar_ellipsis: false,
        native_spread: false,
        line_comments: &["//"],
        hash_comments: false,
        block_comments: true,
        deep: true,
        stmt_form: "{};",
        member_form: Some("int {};"),
        param_form: None,
        object_form: "{}",
        object_after: &["=", "(", ",", "]", "return"],
        all_braces_object: false,
        anonymous_classes: false,
        object_initializers: false,
        blocks_follow_calls: false,
    };
    match lang {
        Language::Python => Dialect {
            mv: MvSpelling::Ident,
            dollar_in_ident: false,
            native_spread: false,
            line_comments: &[],
            hash_comments: true,
            block_comments: false,
            stmt_form: "{}",
            member_form: None,
            object_form: "**{}",
            all_braces_object: true,
            ..c_like
        },
        Language::JavaScript | Language::TypeScript | Language::Tsx => Dialect {
            native_spread: true,
            member_form: None,
            object_after: &["=", "(", ",", "[", ":", "?", "return", "||", "&&", "??"],
            ..c_like
        },
        Language::Java => Dialect {
            native_spread: true,
            anonymous_classes: true,
            param_form: Some("__gh_t {}"),
            ..c_like
        },
        Language::CSharp => Dialect {
            mv: MvSpelling::Ident,
            dollar_in_ident: false,
            stmt_form: "{}();",
            param_form: Some("__gh_t {}"),
            object_initializers: true,
            ..c_like
        },
        Language::Kotlin => Dialect {
            mv: MvSpelling::Ident,
            dollar_in_ident: false,
            stmt_form: "{}",
            member_form: Some("val {} = 0;"),
            param_form: Some("{}: __gh_t"),
            object_after: &[],
            ..c_like
        },
        Language::Go => Dialect {
            mv: MvSpelling::Ident,
            dollar_in_ident: false,
            native_spread: true,
            stmt_form: "{}",
            member_form: None,
            ..c_like
        },
        Language::C => c_like,
        Language::Cpp => Dialect {
            native_spread: true,
            ..c_like
        },
        Language::Php => Dialect {
            dollar_in_ident: false,
            dollar_ellipsis: true,
            native_spread: true,
            hash_comments: true,
            member_form: Some("public {};"),
            object_after: &[],
            ..c_like
        },
        Language::Ruby => Dialect {
            mv: MvSpelling::Ident,
            dollar_in_ident: false,
            native_spread: true,
            line_comments: &[],
            hash_comments: true,
            block_comments: false,
            stmt_form: "{}",
            member_form: None,
            object_form: "**{}",
            blocks_follow_calls: true,
            ..c_like
        },
        Language::Bash => Dialect {
            dollar_in_ident: false,
            line_comments: &[],
            hash_comments: true,
            block_comments: false,
            deep: false,
            stmt_form: "{}",
            member_form: None,
            object_after: &[],
            ..c_like
        },
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word,
    Metavar,
    EllipsisMv,
    Ellipsis,
    DeepOpen,
    DeepClose,
    Punct,
    /// A string segment that ends where an interpolation begins.
    StrOpen,
    /// A string segment that starts where an interpolation ends.
    StrClose,
    Str,
    /// A native ellipsis (spread, variadic), copied unchanged.
    Native,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    range: Range<usize>,
    newline_before: bool,
}

/// PHP's superglobals look like metavariables but are variables.
const PHP_SUPERGLOBALS: &[&str] = &[
    "$_GET",
    "$_POST",
    "$_REQUEST",
    "$_COOKIE",
    "$_SERVER",
    "$_FILES",
    "$_ENV",
    "$_SESSION",
    "$GLOBALS",
];

/// The metavariable at `text[i..]` (`$X`, `$...X`): its kind and length.
fn metavariable_at(text: &[u8], i: usize, lang: Language) -> Option<(Tok, usize)> {
    if text.get(i) != Some(&b'$') {
        return None;
    }
    let (tok, name_start) = if text.get(i + 1..i + 4) == Some(b"...") {
        (Tok::EllipsisMv, i + 4)
    } else {
        (Tok::Metavar, i + 1)
    };
    let first = *text.get(name_start)?;
    if !(first.is_ascii_uppercase() || first == b'_') {
        return None;
    }
    let mut end = name_start;
    while end < text.len() && is_ident_byte(text[end]) {
        end += 1;
    }
    let name = &text[name_start..end];
    if !name
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
    {
        return None;
    }
    if lang == Language::Php && tok == Tok::Metavar {
        let word = &text[i..end];
        if PHP_SUPERGLOBALS.iter().any(|g| g.as_bytes() == word) {
            return None;
        }
    }
    Some((tok, end - i))
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

enum Mode {
    Code {
        /// Inside an interpolation: braces opened since it began.
        interp_depth: Option<usize>,
    },
    Str {
        quote: Quote,
    },
}

/// Splits the pattern into the tokens the rewriter needs to see.
fn lex(lang: Language, d: &Dialect, text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut tokens = Vec::new();
    let mut stack = vec![Mode::Code { interp_depth: None }];
    let mut i = 0;
    let mut newline = false;
    let mut deep_depth = 0usize;
    // `<...` opens a deep expression only if a `...>` follows somewhere.
    let last_deep_close = text.rfind("...>");
    // Start of the current string segment, when in a string.
    let mut seg_start = 0;
    let push = |tokens: &mut Vec<Token>, tok: Tok, range: Range<usize>, nl: &mut bool| {
        tokens.push(Token {
            tok,
            range,
            newline_before: *nl,
        });
        *nl = false;
    };
    while i < b.len() {
        let Some(mode) = stack.last_mut() else { break };
        match mode {
            Mode::Str { quote } => {
                let quote = *quote;
                let c = b[i];
                if quote.escapes && c == b'\\' {
                    i += 2;
                    continue;
                }
                if b[i..].starts_with(quote.close) {
                    i += quote.close.len();
                    stack.pop();
                    push(&mut tokens, Tok::Str, seg_start..i, &mut newline);
                    continue;
                }
                let opener = match quote.interp {
                    Interp::Brace if c == b'{' => {
                        if b.get(i + 1) == Some(&b'{') {
                            i += 2;
                            continue;
                        }
                        1
                    }
                    Interp::DollarBrace if b[i..].starts_with(b"${") => 2,
                    Interp::HashBrace if b[i..].starts_with(b"#{") => 2,
                    Interp::Native => {
                        if let Some((tok, len)) = metavariable_at(b, i, lang) {
                            if tok == Tok::Metavar {
                                push(&mut tokens, Tok::Str, seg_start..i, &mut newline);
                                push(&mut tokens, Tok::Metavar, i..i + len, &mut newline);
                                i += len;
                                seg_start = i;
                                continue;
                            }
                        }
                        0
                    }
                    _ => 0,
                };
                if opener > 0 {
                    i += opener;
                    push(&mut tokens, Tok::StrOpen, seg_start..i, &mut newline);
                    stack.push(Mode::Code {
                        interp_depth: Some(0),
                    });
                    continue;
                }
                i += 1;
            }
            Mode::Code { interp_depth } => {
                let c = b[i];
                if c.is_ascii_whitespace() {
                    newline |= c == b'\n';
                    i += 1;
                    continue;
                }
                // Comments.
                let line_comment = d
                    .line_comments
                    .iter()
                    .any(|p| b[i..].starts_with(p.as_bytes()))
                    || (d.hash_comments && c == b'#' && hash_starts_comment(lang, b, i));
                if line_comment {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                if d.block_comments && b[i..].starts_with(b"/*") {
                    let end = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                    newline |= b[i..end].contains(&b'\n');
                    i = end;
                    continue;
                }
                // Interpolation end.
                if c == b'}' {
                    if let Some(depth) = interp_depth {
                        if *depth == 0 {
                            stack.pop();
                            i += 1;
                            // The `}` itself; the rest of the string is a later segment.
                            push(&mut tokens, Tok::StrClose, i - 1..i, &mut newline);
                            seg_start = i;
                            continue;
                        }
                        *depth -= 1;
                    }
                }
                if c == b'{' {
                    if let Some(depth) = interp_depth {
                        *depth += 1;
                    }
                }
                // Strings.
                if let Some((quote, prefix_len)) = string_start(lang, b, i) {
                    seg_start = i;
                    i += prefix_len;
                    stack.push(Mode::Str { quote });
                    continue;
                }
                // Metavariables.
                if let Some((tok, len)) = metavariable_at(b, i, lang) {
                    push(&mut tokens, tok, i..i + len, &mut newline);
                    i += len;
                    continue;
                }
                // Deep expressions and ellipses.
                if d.deep
                    && b[i..].starts_with(b"<...")
                    && !(i > 0 && is_ident_byte(b[i - 1]))
                    && last_deep_close.is_some_and(|close| close >= i + 4)
                {
                    deep_depth += 1;
                    push(&mut tokens, Tok::DeepOpen, i..i + 4, &mut newline);
                    i += 4;
                    continue;
                }
                if b[i..].starts_with(b"...") {
                    if deep_depth > 0 && b.get(i + 3) == Some(&b'>') {
                        deep_depth -= 1;
                        push(&mut tokens, Tok::DeepClose, i..i + 4, &mut newline);
                        i += 4;
                        continue;
                    }
                    let glued_after = b.get(i + 3).is_some_and(|&n| is_ident_byte(n) || n == b'$');
                    let glued_before = i > 0 && is_ident_byte(b[i - 1]);
                    let tok = if d.native_spread && (glued_after || glued_before) {
                        Tok::Native
                    } else {
                        Tok::Ellipsis
                    };
                    push(&mut tokens, tok, i..i + 3, &mut newline);
                    i += 3;
                    continue;
                }
                // Words.
                if is_ident_byte(c) || (c == b'$' && d.dollar_in_ident) {
                    let start = i;
                    i += 1;
                    while i < b.len()
                        && (is_ident_byte(b[i]) || (b[i] == b'$' && d.dollar_in_ident))
                    {
                        i += 1;
                    }
                    push(&mut tokens, Tok::Word, start..i, &mut newline);
                    continue;
                }
                let len = if [b"=>", b"->", b"::", b"||", b"&&", b"??"]
                    .iter()
                    .any(|p| b[i..].starts_with(*p))
                {
                    2
                } else {
                    // Whole UTF-8 characters only (non-ASCII bytes are words above).
                    1
                };
                push(&mut tokens, Tok::Punct, i..i + len, &mut newline);
                i += len;
            }
        }
    }
    if let Some(Mode::Str { .. }) = stack.last() {
        // Unterminated string: the rest is its text.
        push(&mut tokens, Tok::Str, seg_start..b.len(), &mut newline);
    }
    tokens
}

/// Whether `#` at `i` starts a comment.
fn hash_starts_comment(lang: Language, b: &[u8], i: usize) -> bool {
    match lang {
        // `#[Attribute]`.
        Language::Php => b.get(i + 1) != Some(&b'['),
        // `$#`, `${#x}`, `foo#bar` are not comments.
        Language::Bash => {
            i == 0
                || matches!(
                    b[i - 1],
                    b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b'('
                )
        }
        _ => true,
    }
}

/// A string literal starting at `i`: its quoting and the length of its opening (prefix and
/// quote).
fn string_start(lang: Language, b: &[u8], i: usize) -> Option<(Quote, usize)> {
    let q = |close: &'static [u8], escapes: bool, interp: Interp| Quote {
        close,
        escapes,
        interp,
    };
    let rest = &b[i..];
    let prev_ident = i > 0 && is_ident_byte(b[i - 1]);
    match lang {
        Language::Python => {
            // Prefixes: r, b, u, f and pairs (not the end of a longer name).
            let mut p = 0;
            while !prev_ident && p < 2 && rest.get(p).is_some_and(|c| b"rRbBuUfF".contains(c)) {
                p += 1;
            }
            let quote = *rest.get(p)?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let f = rest[..p].iter().any(|c| *c == b'f' || *c == b'F');
            let interp = if f { Interp::Brace } else { Interp::None };
            let triple = rest
                .get(p..p + 3)
                .is_some_and(|t| t[0] == t[1] && t[1] == t[2]);
            let close: &'static [u8] = match (quote, triple) {
                (b'"', true) => b"\"\"\"",
                (b'"', false) => b"\"",
                (_, true) => b"'''",
                _ => b"'",
            };
            Some((q(close, true, interp), p + close.len()))
        }
        Language::JavaScript | Language::TypeScript | Language::Tsx => match rest[0] {
            b'"' => Some((q(b"\"", true, Interp::None), 1)),
            b'\'' => Some((q(b"'", true, Interp::None), 1)),
            b'`' => Some((q(b"`", true, Interp::DollarBrace), 1)),
            _ => None,
        },
        Language::Kotlin => {
            if rest.starts_with(b"\"\"\"") {
                Some((q(b"\"\"\"", false, Interp::DollarBrace), 3))
            } else {
                match rest[0] {
                    b'"' => Some((q(b"\"", true, Interp::DollarBrace), 1)),
                    b'\'' => Some((q(b"'", true, Interp::None), 1)),
                    _ => None,
                }
            }
        }
        Language::CSharp => {
            let mut p = 0;
            let (mut interp, mut verbatim) = (false, false);
            while p < 2 {
                match rest.get(p) {
                    Some(b'$') => interp = true,
                    Some(b'@') => verbatim = true,
                    _ => break,
                }
                p += 1;
            }
            match rest.get(p) {
                Some(b'"') => {
                    let i = if interp { Interp::Brace } else { Interp::None };
                    Some((q(b"\"", !verbatim, i), p + 1))
                }
                Some(b'\'') if p == 0 => Some((q(b"'", true, Interp::None), 1)),
                _ => None,
            }
        }
        Language::Ruby => match rest[0] {
            b'"' => Some((q(b"\"", true, Interp::HashBrace), 1)),
            b'`' => Some((q(b"`", true, Interp::HashBrace), 1)),
            b'\'' => Some((q(b"'", true, Interp::None), 1)),
            _ => None,
        },
        Language::Php => match rest[0] {
            b'"' => Some((q(b"\"", true, Interp::Native), 1)),
            b'`' => Some((q(b"`", true, Interp::Native), 1)),
            b'\'' => Some((q(b"'", true, Interp::None), 1)),
            _ => None,
        },
        Language::Bash => match rest[0] {
            b'"' => Some((q(b"\"", true, Interp::Native), 1)),
            b'\'' => Some((q(b"'", false, Interp::None), 1)),
            _ => None,
        },
        Language::Go => match rest[0] {
            b'"' => Some((q(b"\"", true, Interp::None), 1)),
            b'\'' => Some((q(b"'", true, Interp::None), 1)),
            b'`' => Some((q(b"`", false, Interp::None), 1)),
            _ => None,
        },
        Language::Java | Language::C | Language::Cpp => match rest[0] {
            b'"' => Some((q(b"\"", true, Interp::None), 1)),
            b'\'' => Some((q(b"'", true, Interp::None), 1)),
            _ => None,
        },
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bracket {
    Paren {
        params: bool,
    },
    /// The arguments of a Java annotation: `...` there stands for `name = value` pairs.
    Annotation,
    Square,
    Brace(BraceKind),
    Deep,
    Interp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BraceKind {
    Block,
    Member,
    Object,
    /// A C# object initializer (`new T { Name = value, ... }`): `...` stands for assignments.
    Initializer,
}

/// Words that introduce a class-like body, whose members are declarations.
const MEMBER_HEADERS: &[&str] = &[
    "class",
    "interface",
    "enum",
    "record",
    "struct",
    "union",
    "object",
    "trait",
];

/// Words that cannot be the name of a declared function, or stand right before one.
const NOT_DECLARATION_WORDS: &[&str] = &[
    "new",
    "return",
    "throw",
    "else",
    "await",
    "case",
    "yield",
    "in",
    "is",
    "as",
    "out",
    "typeof",
    "sizeof",
    "nameof",
    "instanceof",
    "assert",
    "goto",
    "do",
    "if",
    "while",
    "for",
    "foreach",
    "switch",
    "catch",
    "synchronized",
    "lock",
    "using",
    "fixed",
    "default",
    "checked",
    "unchecked",
    "this",
    "super",
    "base",
    "when",
    "not",
    "and",
    "or",
    "with",
    "ref",
];

struct Ctx<'a> {
    text: &'a str,
    tokens: &'a [Token],
}

impl Ctx<'_> {
    fn s(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.text.get(t.range.clone()))
            .unwrap_or("")
    }

    fn is_word(&self, i: usize) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| matches!(t.tok, Tok::Word | Tok::Metavar))
    }

    /// Whether the `(` at `open` starts a declaration's parameter list.
    fn is_param_list(&self, lang: Language, open: usize) -> bool {
        if open == 0 {
            return false;
        }
        let name = open - 1;
        if lang == Language::Kotlin {
            // `fun name(`, `fun <T> Type.name(`, `constructor(`, `class Name(`.
            let mut k = name;
            loop {
                let w = self.s(k);
                if matches!(w, "fun" | "constructor" | "class") {
                    return true;
                }
                let skippable = self.is_word(k) || matches!(w, "." | "<" | ">" | "," | "?" | "*");
                if !skippable || k == 0 {
                    return false;
                }
                k -= 1;
            }
        }
        // Java and C#: `Type name(`, `public name(` (constructor), `T[] name(`, `List<T> name(`.
        if !self.is_word(name) || NOT_DECLARATION_WORDS.contains(&self.s(name)) || name == 0 {
            return false;
        }
        let before = name - 1;
        let w = self.s(before);
        (self.is_word(before) && !NOT_DECLARATION_WORDS.contains(&w))
            || matches!(w, "]" | ">" | "?")
    }

    /// Whether the `(` at `open` follows `@Name` or `@a.b.Name` (a Java annotation).
    fn is_annotation_args(&self, open: usize) -> bool {
        let mut k = open;
        loop {
            if k == 0 || !self.is_word(k - 1) {
                return false;
            }
            k -= 1;
            match k.checked_sub(1).map(|b| self.s(b)) {
                Some("@") => return true,
                Some(".") => k -= 1,
                _ => return false,
            }
        }
    }

    /// `new T {` or `new T(...) {` whose braces hold `Name = value` items (C#).
    fn is_object_initializer(&self, open: usize) -> bool {
        // Back over `(...)`, a (qualified, generic) type name, to `new`.
        let mut k = open;
        let mut depth = 0i32;
        let mut found_new = false;
        while k > 0 {
            k -= 1;
            match self.s(k) {
                ")" | ">" | "]" => depth += 1,
                "(" | "<" | "[" => depth -= 1,
                "new" if depth == 0 => {
                    found_new = true;
                    break;
                }
                ";" | "{" | "}" | "=>" => break,
                _ => {}
            }
        }
        if !found_new {
            return false;
        }
        // Forward: an `=` at the top level of the braces, or nothing but ellipses.
        let mut depth = 0i32;
        let mut only_ellipses = true;
        let mut i = open + 1;
        while i < self.tokens.len() {
            match self.s(i) {
                "{" | "(" | "[" => depth += 1,
                "}" if depth == 0 => return only_ellipses,
                "}" | ")" | "]" => depth -= 1,
                "=" if depth == 0 => return true,
                "..." | "," if depth == 0 => {}
                _ => only_ellipses = false,
            }
            i += 1;
        }
        false
    }

    /// What the `{` at `open` opens.
    fn brace_kind(&self, d: &Dialect, open: usize) -> BraceKind {
        if d.all_braces_object {
            return BraceKind::Object;
        }
        if d.blocks_follow_calls {
            let after_call = open > 0 && (self.is_word(open - 1) || self.s(open - 1) == ")");
            return if after_call {
                BraceKind::Block
            } else {
                BraceKind::Object
            };
        }
        if open == 0 {
            return BraceKind::Block;
        }
        if d.object_initializers && self.is_object_initializer(open) {
            return BraceKind::Initializer;
        }
        let prev = self.s(open - 1);
        if d.object_after.contains(&prev) {
            return BraceKind::Object;
        }
        let mut k = open;
        // The header: tokens back to the previous `;`, `{` or `}`.
        while k > 0 {
            k -= 1;
            let w = self.s(k);
            if matches!(w, ";" | "{" | "}") {
                break;
            }
            // `new Foo(...) { ... }`: an anonymous class body.
            let anonymous = d.anonymous_classes && w == "new" && prev == ")";
            if MEMBER_HEADERS.contains(&w) || anonymous {
                return BraceKind::Member;
            }
        }
        BraceKind::Block
    }
}

/// Rewrites `text` for `lang`.
pub(super) fn rewrite(lang: Language, text: &str, mode: ParamMode) -> Rewritten {
    let d = dialect(lang);
    let tokens = lex(lang, &d, text);
    let ctx = Ctx {
        text,
        tokens: &tokens,
    };
    let mut out = Rewritten {
        text: String::with_capacity(text.len() + 64),
        ..Rewritten::default()
    };
    let mut stack: Vec<Bracket> = Vec::new();
    // Open deep expressions: (index in out.occurrences).
    let mut deep_open: Vec<usize> = Vec::new();
    let mut copied = 0;
    let mut counter = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        let src = &text[token.range.clone()];
        // Maintain the bracket stack.
        match token.tok {
            Tok::Punct => match src {
                "(" if lang == Language::Java && ctx.is_annotation_args(i) => {
                    stack.push(Bracket::Annotation);
                }
                "(" => {
                    let params = d.param_form.is_some()
                        && mode == ParamMode::Guess
                        && ctx.is_param_list(lang, i);
                    stack.push(Bracket::Paren { params });
                }
                "[" => stack.push(Bracket::Square),
                "{" => stack.push(Bracket::Brace(ctx.brace_kind(&d, i))),
                ")" => pop_to(&mut stack, |b| {
                    matches!(b, Bracket::Paren { .. } | Bracket::Annotation)
                }),
                "]" => pop_to(&mut stack, |b| b == Bracket::Square),
                "}" => pop_to(&mut stack, |b| matches!(b, Bracket::Brace(_))),
                _ => {}
            },
            Tok::StrOpen => stack.push(Bracket::Interp),
            Tok::StrClose => pop_to(&mut stack, |b| b == Bracket::Interp),
            _ => {}
        }
        let is_placeholder = matches!(
            token.tok,
            Tok::Metavar | Tok::EllipsisMv | Tok::Ellipsis | Tok::DeepOpen | Tok::DeepClose
        );
        if !is_placeholder {
            continue;
        }
        out.text.push_str(&text[copied..token.range.start]);
        copied = token.range.end;
        let start = out.text.len();
        match token.tok {
            Tok::Metavar => {
                let spelling = metavar_spelling(lang, &d, &ctx, i, src);
                out.text.push_str(&spelling);
                let r = start..out.text.len();
                out.occurrences.push(Occurrence {
                    spelling,
                    kind: PlaceholderKind::Metavariable,
                    metavariable: Some(src.to_string()),
                    full: r.clone(),
                    ident: r,
                    inner: None,
                    original: token.range.clone(),
                });
            }
            Tok::Ellipsis | Tok::EllipsisMv => {
                let (kind, base, metavariable) = if token.tok == Tok::Ellipsis {
                    let n = counter;
                    counter += 1;
                    (PlaceholderKind::Ellipsis, format!("__gh_ell_{n}"), None)
                } else {
                    let name = src.get(4..).unwrap_or("");
                    (
                        PlaceholderKind::EllipsisMetavariable,
                        format!("__gh_mvs_{name}"),
                        Some(src.to_string()),
                    )
                };
                let spelling = if d.dollar_ellipsis {
                    format!("${base}")
                } else {
                    base
                };
                let form = ellipsis_form(lang, &d, &ctx, &stack, i);
                let form = if form.ends_with(';') && ctx.s(i + 1) == ";" {
                    &form[..form.len() - 1]
                } else {
                    form
                };
                let (before, after) = form.split_once("{}").unwrap_or(("", ""));
                out.text.push_str(before);
                let ident = out.text.len()..out.text.len() + spelling.len();
                out.text.push_str(&spelling);
                out.text.push_str(after);
                out.occurrences.push(Occurrence {
                    spelling,
                    kind,
                    metavariable,
                    full: start..out.text.len(),
                    ident,
                    inner: None,
                    original: token.range.clone(),
                });
            }
            Tok::DeepOpen => {
                let n = counter;
                counter += 1;
                let spelling = format!("__gh_deep_{n}");
                out.text.push_str(&spelling);
                out.text.push('(');
                deep_open.push(out.occurrences.len());
                out.occurrences.push(Occurrence {
                    spelling,
                    kind: PlaceholderKind::Deep,
                    metavariable: None,
                    full: start..out.text.len(),
                    ident: start..out.text.len() - 1,
                    inner: Some(out.text.len()..out.text.len()),
                    original: token.range.clone(),
                });
                stack.push(Bracket::Deep);
            }
            Tok::DeepClose => {
                out.text.push(')');
                pop_to(&mut stack, |b| b == Bracket::Deep);
                if let Some(occ) = deep_open.pop().and_then(|k| out.occurrences.get_mut(k)) {
                    occ.inner = Some(trim_range(&out.text, occ.full.end..start));
                    occ.full = occ.full.start..out.text.len();
                    occ.original = occ.original.start..token.range.end;
                }
            }
            _ => {}
        }
        out.shifts
            .push((start..out.text.len(), token.range.clone()));
    }
    out.text.push_str(&text[copied..]);
    // A deep expression's shift covers only its brackets; occurrences stay in text order.
    out.occurrences.sort_by_key(|o| o.full.start);
    out
}

/// `range` without the whitespace at its ends.
fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(slice) = text.get(range.clone()) else {
        return range;
    };
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.end - (slice.len() - slice.trim_end().len());
    start..end.max(start)
}

fn pop_to(stack: &mut Vec<Bracket>, is_match: impl Fn(Bracket) -> bool) {
    if let Some(pos) = stack.iter().rposition(|&b| is_match(b)) {
        stack.truncate(pos);
    }
}

fn metavar_spelling(lang: Language, d: &Dialect, ctx: &Ctx<'_>, i: usize, src: &str) -> String {
    let name = src.get(1..).unwrap_or("");
    let prev = if i > 0 { ctx.s(i - 1) } else { "" };
    match lang {
        // A name, not a variable, after these keywords.
        Language::Php
            if matches!(
                prev.to_ascii_lowercase().as_str(),
                "function"
                    | "class"
                    | "interface"
                    | "trait"
                    | "enum"
                    | "extends"
                    | "implements"
                    | "namespace"
                    | "use"
                    | "const"
                    | "goto"
            ) =>
        {
            format!("__gh_mv_{name}")
        }
        // A class or module name must be a constant.
        Language::Ruby if matches!(prev, "class" | "module") => format!("GH_MV_{name}"),
        // A function or loop variable name is a word, not an expansion.
        Language::Bash if matches!(prev, "function" | "for" | "select") || ctx.s(i + 1) == "(" => {
            format!("__gh_mv_{name}")
        }
        _ => match d.mv {
            MvSpelling::Keep => src.to_string(),
            MvSpelling::Ident => format!("__gh_mv_{name}"),
        },
    }
}

/// Shell words that end a command list.
const BASH_CLOSERS: &[&str] = &["fi", "done", "esac", "then", "do", "else", "elif", "}"];

/// The form an ellipsis (or ellipsis metavariable) takes where it stands.
fn ellipsis_form(
    lang: Language,
    d: &Dialect,
    ctx: &Ctx<'_>,
    stack: &[Bracket],
    i: usize,
) -> &'static str {
    let statement_position =
        || i == 0 || ctx.tokens[i].newline_before || matches!(ctx.s(i - 1), ";" | "{" | "}");
    match stack.last() {
        Some(Bracket::Paren { params: true }) => d.param_form.unwrap_or("{}"),
        Some(Bracket::Annotation) => "{} = 0",
        Some(Bracket::Paren { .. } | Bracket::Square | Bracket::Deep | Bracket::Interp) => "{}",
        Some(Bracket::Brace(BraceKind::Object)) => d.object_form,
        Some(Bracket::Brace(BraceKind::Initializer)) => "{} = 0",
        Some(Bracket::Brace(BraceKind::Member)) if statement_position() => {
            d.member_form.unwrap_or(d.stmt_form)
        }
        // `then ... fi` on one line: the keyword must not become an argument.
        Some(Bracket::Brace(_)) | None
            if lang == Language::Bash
                && BASH_CLOSERS.contains(&ctx.s(i + 1))
                && !ctx.tokens.get(i + 1).is_some_and(|t| t.newline_before) =>
        {
            "{};"
        }
        Some(Bracket::Brace(_)) | None if statement_position() => d.stmt_form,
        _ => "{}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(lang: Language, text: &str) -> String {
        rewrite(lang, text, ParamMode::Guess).text
    }

    #[test]
    fn metavariables_per_language() {
        assert_eq!(
            rw(Language::Python, "$X.foo($Y)"),
            "__gh_mv_X.foo(__gh_mv_Y)"
        );
        assert_eq!(rw(Language::JavaScript, "$X.foo($Y)"), "$X.foo($Y)");
        assert_eq!(
            rw(Language::Php, "function $F($X) {}"),
            "function __gh_mv_F($X) {}"
        );
        assert_eq!(rw(Language::Php, "$_GET[$K]"), "$_GET[$K]");
        assert_eq!(
            rw(Language::Ruby, "class $C < $B; end"),
            "class GH_MV_C < __gh_mv_B; end"
        );
        assert_eq!(rw(Language::Python, "$x + $Xy"), "$x + $Xy");
    }

    #[test]
    fn ellipses_by_position() {
        assert_eq!(rw(Language::Python, "foo(...)"), "foo(__gh_ell_0)");
        assert_eq!(
            rw(Language::Python, "{..., 'a': 1}"),
            "{**__gh_ell_0, 'a': 1}"
        );
        assert_eq!(rw(Language::JavaScript, "foo(...args)"), "foo(...args)");
        assert_eq!(
            rw(Language::Java, "$X = $Y;\n...\n$Z($X);"),
            "$X = $Y;\n__gh_ell_0;\n$Z($X);"
        );
        assert_eq!(
            rw(Language::Java, "a(); ...; b();"),
            "a(); __gh_ell_0; b();"
        );
        assert_eq!(
            rw(Language::Java, "void $M(...) { ... }"),
            "void $M(__gh_t __gh_ell_0) { __gh_ell_1; }"
        );
        assert_eq!(
            rw(Language::Java, "class $C { ... }"),
            "class $C { int __gh_ell_0; }"
        );
        assert_eq!(rw(Language::CSharp, "{ ... }"), "{ __gh_ell_0(); }");
        assert_eq!(
            rw(Language::Kotlin, "fun $F(...)"),
            "fun __gh_mv_F(__gh_ell_0: __gh_t)"
        );
        assert_eq!(rw(Language::Php, "foo(...)"), "foo($__gh_ell_0)");
        assert_eq!(rw(Language::Go, "f($...ARGS)"), "f(__gh_mvs_ARGS)");
        assert_eq!(rw(Language::Go, "f(xs...)"), "f(xs...)");
    }

    #[test]
    fn strings_comments_and_interpolation() {
        assert_eq!(
            rw(Language::Python, "foo(\"...$X\")  # $Y ..."),
            "foo(\"...$X\")  # $Y ..."
        );
        assert_eq!(rw(Language::Python, "f\"a{$X}b\""), "f\"a{__gh_mv_X}b\"");
        assert_eq!(
            rw(Language::Ruby, "\"#{$X}\" # it's"),
            "\"#{__gh_mv_X}\" # it's"
        );
        assert_eq!(rw(Language::JavaScript, "`${...}`"), "`${__gh_ell_0}`");
        let bash = rewrite(Language::Bash, "echo \"$X\" $#", ParamMode::Guess);
        assert_eq!(bash.text, "echo \"$X\" $#");
        assert_eq!(bash.occurrences.len(), 1);
    }

    #[test]
    fn deep_expressions() {
        let r = rewrite(Language::Python, "foo(<... $X ...>)", ParamMode::Guess);
        assert_eq!(r.text, "foo(__gh_deep_0( __gh_mv_X ))");
        let deep = &r.occurrences[0];
        assert_eq!(deep.kind, PlaceholderKind::Deep);
        assert_eq!(&r.text[deep.full.clone()], "__gh_deep_0( __gh_mv_X )");
        assert_eq!(deep.inner.clone().map(|i| &r.text[i]), Some("__gh_mv_X"));
        assert_eq!(deep.original, 4..16);
        assert_eq!(r.original_offset(r.text.len()), 17);
        // `List<...>` is not a deep expression.
        assert_eq!(rw(Language::Java, "List<...> x;"), "List<__gh_ell_0> x;");
    }
}

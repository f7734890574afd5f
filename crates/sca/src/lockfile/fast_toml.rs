//! A reader for the TOML that lock generators write (Poetry, uv, PDM), several times faster
//! than a full parse because it builds only the values asked for and skips the rest (file
//! hashes, wheel lists, descriptions) without allocating. It understands the usual shapes: table
//! headers, dotted keys, all string kinds, arrays and inline tables over several lines,
//! comments. On anything else, or anything malformed, it gives up with [`Unsupported`] and the
//! caller parses the file with the `toml` crate, which also words the errors.

use std::borrow::Cow;

/// Not read: hand the file to the full parser.
#[derive(Debug)]
pub(crate) struct Unsupported;

type Result<T> = std::result::Result<T, Unsupported>;

/// Nesting of arrays and inline tables accepted before giving up.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    Str(Cow<'a, str>),
    /// Integers, floats, booleans, dates, as written.
    Bare(&'a str),
    Array(Vec<Value<'a>>),
    Table(Vec<(Cow<'a, str>, Value<'a>)>),
}

impl<'a> Value<'a> {
    pub(crate) fn into_str(self) -> Result<Cow<'a, str>> {
        match self {
            Value::Str(s) => Ok(s),
            _ => Err(Unsupported),
        }
    }

    pub(crate) fn into_array(self) -> Result<Vec<Value<'a>>> {
        match self {
            Value::Array(a) => Ok(a),
            _ => Err(Unsupported),
        }
    }

    pub(crate) fn into_table(self) -> Result<Vec<(Cow<'a, str>, Value<'a>)>> {
        match self {
            Value::Table(t) => Ok(t),
            _ => Err(Unsupported),
        }
    }

    pub(crate) fn into_strings(self) -> Result<Vec<Cow<'a, str>>> {
        self.into_array()?
            .into_iter()
            .map(Value::into_str)
            .collect()
    }
}

pub(crate) enum Item<'a> {
    /// `[a.b]` (`array` false) or `[[a.b]]`; `offset` is that of the `[`.
    Table {
        keys: Vec<Cow<'a, str>>,
        array: bool,
        offset: usize,
    },
    /// `a.b =`: the caller must then call [`Reader::value`] or [`Reader::skip`].
    Key {
        keys: Vec<Cow<'a, str>>,
        offset: usize,
    },
}

pub(crate) struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Hashes of what TOML forbids defining twice, so that a malformed file goes to the
    /// full parser for its error (a hash collision only costs that fall back): the current
    /// table's keys, the prefixes of its dotted keys, and the tables opened so far, each
    /// made unique per element of the arrays of tables it is in.
    keys: Seen,
    dotted: Seen,
    tables: Seen,
    /// Array-of-tables path hash → elements so far.
    arrays: std::collections::HashMap<u64, u64>,
}

/// A set of hashes: a vector while small (most tables have a dozen keys), a hash set when
/// large (`[metadata.files]` has one key per package).
#[derive(Default)]
struct Seen {
    small: Vec<u64>,
    large: std::collections::HashSet<u64>,
}

impl Seen {
    fn insert(&mut self, hash: u64) -> bool {
        if self.large.is_empty() {
            if self.small.contains(&hash) {
                return false;
            }
            if self.small.len() < 32 {
                self.small.push(hash);
                return true;
            }
            self.large.extend(self.small.drain(..));
        }
        self.large.insert(hash)
    }

    fn contains(&self, hash: u64) -> bool {
        self.small.contains(&hash) || self.large.contains(&hash)
    }

    fn clear(&mut self) {
        self.small.clear();
        self.large.clear();
    }
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over one more key of a dotted path.
fn hash_key(mut h: u64, key: &str) -> u64 {
    for &b in key.as_bytes().iter().chain(std::iter::once(&0xff)) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            keys: Seen::default(),
            dotted: Seen::default(),
            tables: Seen::default(),
            arrays: std::collections::HashMap::new(),
        }
    }

    /// The next header or key, `None` at the end.
    pub(crate) fn next(&mut self) -> Result<Option<Item<'a>>> {
        self.blank(true);
        let offset = self.pos;
        match self.peek() {
            None => Ok(None),
            Some(b'[') => {
                self.pos += 1;
                let array = self.peek() == Some(b'[');
                if array {
                    self.pos += 1;
                }
                let keys = self.keys()?;
                if !self.eat(b']') {
                    return Err(Unsupported);
                }
                if array {
                    if self.peek() != Some(b']') {
                        return Err(Unsupported);
                    }
                    self.pos += 1;
                }
                self.end_of_line()?;
                self.keys.clear();
                self.dotted.clear();
                self.header(&keys, array)?;
                Ok(Some(Item::Table {
                    keys,
                    array,
                    offset,
                }))
            }
            Some(_) => {
                let keys = self.keys()?;
                if !self.eat(b'=') {
                    return Err(Unsupported);
                }
                self.assignment(&keys)?;
                Ok(Some(Item::Key { keys, offset }))
            }
        }
    }

    /// Refuses a table defined twice: `[a.b]` is the same table again unless an array of
    /// tables on its path (`[[a]]`) has had a new element since.
    fn header(&mut self, keys: &[Cow<str>], array: bool) -> Result<()> {
        let mut path = FNV_START;
        let mut identity = FNV_START;
        let last = keys.len().saturating_sub(1);
        for (i, key) in keys.iter().enumerate() {
            path = hash_key(path, key);
            identity = hash_key(identity, key);
            if i < last {
                if let Some(element) = self.arrays.get(&path) {
                    identity = hash_key(identity, &element.to_string());
                }
            }
        }
        if array {
            *self.arrays.entry(path).or_insert(0) += 1;
            return Ok(());
        }
        if self.arrays.contains_key(&path) || !self.tables.insert(identity) {
            return Err(Unsupported);
        }
        Ok(())
    }

    /// Refuses a key assigned twice in a table, or both as a value and as a dotted prefix.
    fn assignment(&mut self, keys: &[Cow<str>]) -> Result<()> {
        let mut h = FNV_START;
        let last = keys.len().saturating_sub(1);
        for (i, key) in keys.iter().enumerate() {
            h = hash_key(h, key);
            if i < last {
                if self.keys.contains(h) {
                    return Err(Unsupported);
                }
                self.dotted.insert(h);
            }
        }
        if self.dotted.contains(h) || !self.keys.insert(h) {
            return Err(Unsupported);
        }
        Ok(())
    }

    /// The value of the key just read.
    pub(crate) fn value(&mut self) -> Result<Value<'a>> {
        let v = self.read(true, 0)?.ok_or(Unsupported)?;
        self.end_of_line()?;
        Ok(v)
    }

    /// Passes over the value of the key just read.
    pub(crate) fn skip(&mut self) -> Result<()> {
        self.read(false, 0)?;
        self.end_of_line()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        self.spaces();
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Spaces, and with `newlines` also line breaks and comments.
    fn blank(&mut self, newlines: bool) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'\n' | b'\r') if newlines => self.pos += 1,
                Some(b'#') if newlines => self.comment(),
                _ => return,
            }
        }
    }

    fn comment(&mut self) {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        self.pos += memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    }

    fn end_of_line(&mut self) -> Result<()> {
        self.spaces();
        if self.peek() == Some(b'#') {
            self.comment();
        }
        if self.peek() == Some(b'\r') {
            self.pos += 1;
        }
        match self.peek() {
            None => Ok(()),
            Some(b'\n') => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(Unsupported),
        }
    }

    /// A dotted key: `a`, `"a b".c`, `'x'`.
    fn keys(&mut self) -> Result<Vec<Cow<'a, str>>> {
        let mut keys = Vec::with_capacity(2);
        loop {
            self.spaces();
            let key = match self.peek() {
                Some(b'"') => self.basic_string(true)?.ok_or(Unsupported)?,
                Some(b'\'') => self.literal_string()?,
                _ => {
                    let start = self.pos;
                    while self
                        .peek()
                        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
                    {
                        self.pos += 1;
                    }
                    if self.pos == start {
                        return Err(Unsupported);
                    }
                    Cow::Borrowed(self.text.get(start..self.pos).ok_or(Unsupported)?)
                }
            };
            keys.push(key);
            self.spaces();
            if self.peek() != Some(b'.') {
                return Ok(keys);
            }
            self.pos += 1;
        }
    }

    /// A value; built only when `keep`.
    fn read(&mut self, keep: bool, depth: usize) -> Result<Option<Value<'a>>> {
        if depth > MAX_DEPTH {
            return Err(Unsupported);
        }
        self.spaces();
        match self.peek() {
            Some(b'"') if self.bytes.get(self.pos..self.pos + 3) == Some(b"\"\"\"") => {
                self.multiline(b'"')?;
                if keep {
                    return Err(Unsupported);
                }
                Ok(None)
            }
            Some(b'\'') if self.bytes.get(self.pos..self.pos + 3) == Some(b"'''") => {
                self.multiline(b'\'')?;
                if keep {
                    return Err(Unsupported);
                }
                Ok(None)
            }
            Some(b'"') => Ok(self.basic_string(keep)?.map(Value::Str)),
            Some(b'\'') => {
                let s = self.literal_string()?;
                Ok(keep.then_some(Value::Str(s)))
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.blank(true);
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        return Ok(keep.then_some(Value::Array(items)));
                    }
                    let item = self.read(keep, depth + 1)?;
                    if let Some(item) = item {
                        items.push(item);
                    }
                    self.blank(true);
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {}
                        _ => return Err(Unsupported),
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut entries = Vec::new();
                loop {
                    self.blank(true);
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        return Ok(keep.then_some(Value::Table(entries)));
                    }
                    let mut keys = self.keys()?;
                    if !self.eat(b'=') {
                        return Err(Unsupported);
                    }
                    let value = self.read(keep, depth + 1)?;
                    if keep {
                        // Dotted keys inside inline tables are legal but never written by
                        // lock generators; the full parser handles them.
                        let (Some(key), true, Some(value)) = (keys.pop(), keys.is_empty(), value)
                        else {
                            return Err(Unsupported);
                        };
                        entries.push((key, value));
                    }
                    self.blank(true);
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {}
                        _ => return Err(Unsupported),
                    }
                }
            }
            Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-') => {
                let start = self.pos;
                while self.peek().is_some_and(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.' | b'_' | b':')
                }) {
                    self.pos += 1;
                }
                let raw = self.text.get(start..self.pos).ok_or(Unsupported)?;
                if !valid_bare(raw) {
                    return Err(Unsupported);
                }
                Ok(keep.then_some(Value::Bare(raw)))
            }
            _ => Err(Unsupported),
        }
    }

    /// A one-line `"…"` string; borrowed unless it has escapes.
    fn basic_string(&mut self, keep: bool) -> Result<Option<Cow<'a, str>>> {
        let start = self.pos + 1;
        let mut i = start;
        let mut escaped = false;
        let end = loop {
            let rest = self.bytes.get(i..).ok_or(Unsupported)?;
            let at = memchr::memchr3(b'"', b'\\', b'\n', rest).ok_or(Unsupported)?;
            match rest.get(at) {
                Some(b'"') => break i + at,
                Some(b'\\') => {
                    escaped = true;
                    i += at + 1 + escape_len(rest.get(at + 1..).unwrap_or_default())?;
                }
                _ => return Err(Unsupported),
            }
        };
        self.pos = end + 1;
        if !keep {
            return Ok(None);
        }
        let raw = self.text.get(start..end).ok_or(Unsupported)?;
        if !escaped {
            return Ok(Some(Cow::Borrowed(raw)));
        }
        unescape(raw).map(|s| Some(Cow::Owned(s)))
    }

    fn literal_string(&mut self) -> Result<Cow<'a, str>> {
        let start = self.pos + 1;
        let rest = self.bytes.get(start..).ok_or(Unsupported)?;
        let len = memchr::memchr2(b'\'', b'\n', rest).ok_or(Unsupported)?;
        if rest.get(len) != Some(&b'\'') {
            return Err(Unsupported);
        }
        self.pos = start + len + 1;
        Ok(Cow::Borrowed(
            self.text.get(start..start + len).ok_or(Unsupported)?,
        ))
    }

    /// Passes over a `"""…"""` or `'''…'''` string (up to two quotes may end the content).
    fn multiline(&mut self, quote: u8) -> Result<()> {
        let mut i = self.pos + 3;
        loop {
            let rest = self.bytes.get(i..).ok_or(Unsupported)?;
            let at = if quote == b'"' {
                memchr::memchr2(b'"', b'\\', rest)
            } else {
                memchr::memchr(b'\'', rest)
            }
            .ok_or(Unsupported)?;
            i += at;
            if self.bytes.get(i) == Some(&b'\\') {
                let after = self.bytes.get(i + 1..).unwrap_or_default();
                // A backslash ending a line joins it to the next.
                let blank = after
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t' | b'\r'))
                    .count();
                i += 1 + if after.get(blank) == Some(&b'\n') {
                    blank
                } else {
                    escape_len(after)?
                };
                continue;
            }
            if self.bytes.get(i..i + 3) == Some(&[quote; 3]) {
                let mut end = i + 3;
                for _ in 0..2 {
                    if self.bytes.get(end) == Some(&quote) {
                        end += 1;
                    }
                }
                self.pos = end;
                return Ok(());
            }
            i += 1;
        }
    }
}

/// Booleans, integers, floats and dates as TOML writes them (dates loosely).
fn valid_bare(raw: &str) -> bool {
    if matches!(raw, "true" | "false") {
        return true;
    }
    let unsigned = raw.strip_prefix(['+', '-']).unwrap_or(raw);
    if matches!(unsigned, "inf" | "nan") {
        return true;
    }
    let digits = |s: &str, radix: u32| {
        !s.is_empty()
            && !s.starts_with('_')
            && !s.ends_with('_')
            && !s.contains("__")
            && s.chars().all(|c| c == '_' || c.is_digit(radix))
    };
    if unsigned.len() == raw.len() {
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
            if let Some(rest) = raw.strip_prefix(prefix) {
                return digits(rest, radix);
            }
        }
    }
    let bytes = raw.as_bytes();
    let date = bytes.len() >= 10 && bytes.get(4) == Some(&b'-') && bytes.get(7) == Some(&b'-');
    let time = bytes.len() >= 8 && bytes.get(2) == Some(&b':') && bytes.get(5) == Some(&b':');
    if date || time {
        return raw.bytes().all(|b| {
            b.is_ascii_digit() || matches!(b, b'-' | b':' | b'.' | b'T' | b't' | b'Z' | b'z' | b'+')
        });
    }
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let (int, fraction) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let int_ok = digits(int, 10) && (int == "0" || !int.starts_with('0'));
    int_ok
        && fraction.is_none_or(|f| digits(f, 10))
        && exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e), 10))
}

/// The length of a valid escape after its backslash (`n`, `u00e9`, …).
fn escape_len(after: &[u8]) -> Result<usize> {
    let hex = match after.first() {
        Some(b'b' | b't' | b'n' | b'f' | b'r' | b'e' | b'"' | b'\\') => return Ok(1),
        Some(b'x') => 2,
        Some(b'u') => 4,
        Some(b'U') => 8,
        _ => return Err(Unsupported),
    };
    let digits = after.get(1..=hex).ok_or(Unsupported)?;
    if digits.iter().all(u8::is_ascii_hexdigit) {
        Ok(1 + hex)
    } else {
        Err(Unsupported)
    }
}

fn unescape(raw: &str) -> Result<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let decoded = match chars.next().ok_or(Unsupported)? {
            'b' => '\u{8}',
            't' => '\t',
            'n' => '\n',
            'f' => '\u{c}',
            'r' => '\r',
            'e' => '\u{1b}',
            '"' => '"',
            '\\' => '\\',
            kind @ ('x' | 'u' | 'U') => {
                let digits = match kind {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars.by_ref().take(digits).collect();
                if hex.len() != digits {
                    return Err(Unsupported);
                }
                let code = u32::from_str_radix(&hex, 16).map_err(|_| Unsupported)?;
                char::from_u32(code).ok_or(Unsupported)?
            }
            _ => return Err(Unsupported),
        };
        out.push(decoded);
    }
    Ok(out)
}

/// `count` copies of `text` (when not too large) with one to three ASCII bytes replaced by
/// TOML syntax characters, from a fixed pseudo-random sequence so failures reproduce.
#[cfg(test)]
pub(crate) fn damaged(text: &str, count: usize) -> Vec<String> {
    const SYNTAX: &[u8] = b"\"'[]{}<>=\\\n#$,:;./- ";
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap_or(0)
    };
    if text.is_empty() || text.len() > 30_000 {
        return Vec::new();
    }
    (0..count)
        .map(|_| {
            let mut bytes = text.as_bytes().to_vec();
            for _ in 0..1 + next() % 3 {
                let at = next() % bytes.len();
                if bytes.get(at).is_some_and(u8::is_ascii) {
                    bytes[at] = SYNTAX[next() % SYNTAX.len()];
                }
            }
            String::from_utf8(bytes).unwrap_or_default()
        })
        .collect()
}

/// What one reader made of a text, built into the parser's result; `None` where it refused.
#[cfg(test)]
pub(crate) type Built = Option<std::result::Result<crate::Manifest, crate::ParseError>>;

/// (the fast reader's result, the full parser's result) for one text.
#[cfg(test)]
pub(crate) type Readers = fn(&str) -> (Built, Built);

#[cfg(test)]
fn fixtures(dir: &str) -> Vec<(std::path::PathBuf, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/lockfiles")
        .join(dir);
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect()
}

/// Damaged copies of the fixtures in `tests/data/lockfiles/<dir>`: whatever the fast reader
/// accepts, the full parser accepts and reads the same way.
#[cfg(test)]
pub(crate) fn check_damaged_fixtures(dir: &str, readers: Readers) {
    for (path, original) in fixtures(dir) {
        for text in damaged(&original, 150) {
            if let (Some(fast), slow) = readers(&text) {
                assert!(
                    slow.is_some_and(|slow| fast == slow),
                    "{}:\n{text}",
                    path.display()
                );
            }
        }
    }
}

/// The fast reader takes every fixture in `tests/data/lockfiles/<dir>` that the full parser
/// takes (at least `min` of them) and reads it the same way.
#[cfg(test)]
pub(crate) fn check_fixtures(dir: &str, min: usize, readers: Readers) {
    let mut read = 0;
    for (path, text) in fixtures(dir) {
        let (fast, slow) = readers(&text);
        let Some(slow) = slow else {
            continue;
        };
        let fast = fast.unwrap_or_else(|| panic!("{}", path.display()));
        assert_eq!(fast, slow, "{}", path.display());
        read += 1;
    }
    assert!(read >= min);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Result<Vec<(Vec<String>, Option<Value<'_>>)>> {
        let mut r = Reader::new(text);
        let mut out = Vec::new();
        while let Some(item) = r.next()? {
            match item {
                Item::Table { keys, array, .. } => {
                    let mut k: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
                    if array {
                        k.insert(0, "[[".into());
                    }
                    out.push((k, None));
                }
                Item::Key { keys, .. } => {
                    let k: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
                    let keep = !k.iter().any(|k| k == "skip");
                    let v = if keep {
                        Some(r.value()?)
                    } else {
                        r.skip().map(|_| None)?
                    };
                    out.push((k, v));
                }
            }
        }
        Ok(out)
    }

    #[test]
    fn reads_what_lock_generators_write() {
        let text =
            "# c\nversion = 1\r\n[[package]]\nname = \"a\\u00e9\"\nskip = \"\"\"\nx = \"\"\"\"\"\n\
                    x.skip = '''y'''\nsource = { git = 'g', \"q k\" = [1, 2,] }\n\
                    deps = [\n  { name = \"b\" }, # note\n  \"c\",\n]\n[ package . \"x y\" ]\n";
        let got = items(text).unwrap();
        assert_eq!(got[0], (vec!["version".into()], Some(Value::Bare("1"))));
        assert_eq!(got[1].0, vec!["[[".to_string(), "package".into()]);
        assert_eq!(got[2].1, Some(Value::Str(Cow::Owned("a\u{e9}".into()))));
        assert_eq!(got[3], (vec!["skip".into()], None));
        assert_eq!(got[4], (vec!["x".into(), "skip".into()], None));
        assert_eq!(
            got[5].1,
            Some(Value::Table(vec![
                ("git".into(), Value::Str("g".into())),
                (
                    "q k".into(),
                    Value::Array(vec![Value::Bare("1"), Value::Bare("2")])
                ),
            ]))
        );
        assert_eq!(
            got[6].1,
            Some(Value::Array(vec![
                Value::Table(vec![("name".into(), Value::Str("b".into()))]),
                Value::Str("c".into()),
            ]))
        );
        assert_eq!(got[7].0, vec!["package".to_string(), "x y".into()]);
    }

    #[test]
    fn gives_up_on_the_unusual_and_the_malformed() {
        for text in [
            "a = 1\na = 2\n",
            "a.b = 1\na = 2\n",
            "a = 1\na.b = 2\n",
            "[t]\n[t]\n",
            "[[t]]\n[t.s]\n[[u]]\n[t.s]\n",
            "[[t]]\n[t]\n",
            "a = tru\n",
            "a = 1.\n",
            "a = 01\n",
            "a = 4:3\n",
            "a = bare\n",
            "a = \"\\=\"\n",
            "skip = \"\"\"\\q\"\"\"\n",
            "a = \"unterminated\n",
            "a = 1 2\n",
            "[a\n",
            "a = [1\n",
            "= 1\n",
            "a = \"\"\"x\"\"\"\n", // kept multi-line strings go to the full parser
            "a = { b.c = 1 }\n",
            "a = \"\\q\"\n",
            "a = 'x\n'",
            "a = \"\"\"never closed",
        ] {
            assert!(items(text).is_err(), "{text:?}");
        }
        let deep = format!("skip = {}{}", "[".repeat(100), "]".repeat(100));
        assert!(items(&deep).is_err());
        let fine =
            "a = 1_000\nb = -0.5e+3\nc = 0x1F\nd = 1979-05-27T07:32:00Z\ne = inf\nf = false\n\
                    [[t]]\nk = 1\n[t.s]\n[[t]]\nk = 1\n[t.s]\n[x]\na.b = 1\na.c = 2\n";
        assert!(items(fine).is_ok());
    }
}

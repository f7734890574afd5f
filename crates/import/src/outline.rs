//! The outline of a JSON document, which is all that format detection reads: the top-level keys
//! with the kind of each value (and the text of short strings), and for an array the keys of its
//! first element. Everything else is skipped as it is lexed, so detecting a 100 MB report costs a
//! scan of its bytes and a few small allocations rather than a tree of every value in it.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A top-level value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// An array, with the keys of its first element (empty when that is not an object, `None`
    /// when the array is empty).
    Array(Option<Vec<String>>),
    Str(String),
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outline {
    Object(HashMap<String, Shape>),
    /// A top-level array: the keys of its first element, as in [`Shape::Array`].
    Array(Option<Vec<String>>),
    Other,
}

impl Outline {
    pub(crate) fn read(bytes: &[u8]) -> Option<Outline> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let outline = OutlineSeed.deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(outline)
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        matches!(self, Outline::Object(m) if m.contains_key(key))
    }

    /// The value of `key` is an array.
    pub(crate) fn arr(&self, key: &str) -> bool {
        self.array(key).is_some()
    }

    /// The array at `key`: the keys of its first element (`None` inside when it is empty).
    pub(crate) fn array(&self, key: &str) -> Option<&Option<Vec<String>>> {
        match self {
            Outline::Object(m) => match m.get(key) {
                Some(Shape::Array(first)) => Some(first),
                _ => None,
            },
            _ => None,
        }
    }

    pub(crate) fn str(&self, key: &str) -> Option<&str> {
        match self {
            Outline::Object(m) => match m.get(key) {
                Some(Shape::Str(s)) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// How many keys a top-level object has.
    pub(crate) fn len(&self) -> usize {
        match self {
            Outline::Object(m) => m.len(),
            _ => 0,
        }
    }
}

/// Whether the first element of an array (given as its keys) has `key`.
pub(crate) fn first_has(first: &Option<Vec<String>>, key: &str) -> bool {
    first.as_ref().is_some_and(|k| k.iter().any(|k| k == key))
}

/// Visitor methods that answer `$v` for every scalar (strings included unless a visitor has its
/// own `visit_str`).
macro_rules! scalars {
    ($t:ty, $v:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<$t, E> {
            Ok($v)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<$t, E> {
            Ok($v)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<$t, E> {
            Ok($v)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<$t, E> {
            Ok($v)
        }
        fn visit_unit<E: de::Error>(self) -> Result<$t, E> {
            Ok($v)
        }
    };
}

/// Strings longer than this are not kept (detection only compares short values).
const MAX_STR: usize = 256;

struct OutlineSeed;

impl<'de> DeserializeSeed<'de> for OutlineSeed {
    type Value = Outline;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Outline, D::Error> {
        d.deserialize_any(OutlineVisitor)
    }
}

struct OutlineVisitor;

impl<'de> Visitor<'de> for OutlineVisitor {
    type Value = Outline;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON document")
    }
    scalars!(Outline, Outline::Other);
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outline, A::Error> {
        let mut keys = HashMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let shape = map.next_value_seed(ShapeSeed)?;
            keys.insert(key, shape);
        }
        Ok(Outline::Object(keys))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Outline, A::Error> {
        Ok(Outline::Array(first_keys(seq)?))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Outline, E> {
        Ok(Outline::Other)
    }
}

/// The keys of an array's first element; the rest of the array is skipped.
fn first_keys<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Vec<String>>, A::Error> {
    let first = seq.next_element_seed(KeysSeed)?;
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(first)
}

struct ShapeSeed;

impl<'de> DeserializeSeed<'de> for ShapeSeed {
    type Value = Shape;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    scalars!(Shape, Shape::Other);
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Shape, A::Error> {
        Ok(Shape::Array(first_keys(seq)?))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Shape, A::Error> {
        IgnoredAny.visit_map(map)?;
        Ok(Shape::Other)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Shape, E> {
        Ok(if s.len() <= MAX_STR {
            Shape::Str(s.to_string())
        } else {
            Shape::Other
        })
    }
}

/// The keys of an object (values skipped); any other value has none.
struct KeysSeed;

impl<'de> DeserializeSeed<'de> for KeysSeed {
    type Value = Vec<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
        d.deserialize_any(KeysVisitor)
    }
}

struct KeysVisitor;

impl<'de> Visitor<'de> for KeysVisitor {
    type Value = Vec<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    scalars!(Vec<String>, Vec::new());
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
        let mut keys = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            keys.push(key);
        }
        Ok(keys)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<String>, A::Error> {
        IgnoredAny.visit_seq(seq)?;
        Ok(Vec::new())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_keeps_what_detection_reads() {
        let doc = format!(
            r#"{{"version": "2.1.0", "runs": [{{"tool": {{}}, "results": [1, 2]}}, {{"x": 1}}],
                "empty": [], "n": 3, "obj": {{"a": [1]}}, "long": "{}"}}"#,
            "x".repeat(MAX_STR + 1)
        );
        let o = Outline::read(doc.as_bytes()).unwrap();
        assert_eq!(o.str("version"), Some("2.1.0"));
        assert!(o.arr("runs") && o.arr("empty") && !o.arr("n") && !o.arr("obj"));
        assert!(first_has(o.array("runs").unwrap(), "results"));
        assert_eq!(o.array("empty"), Some(&None));
        assert_eq!(o.str("long"), None);
        assert!(o.has("long") && !o.has("missing"));
        assert_eq!(o.len(), 6);
        assert_eq!(
            Outline::read(br#"[{"RuleID": "x"}, {}]"#),
            Some(Outline::Array(Some(vec!["RuleID".into()])))
        );
        assert_eq!(Outline::read(b"[]"), Some(Outline::Array(None)));
        assert_eq!(Outline::read(b"{\"a\": 1} trailing"), None);
        assert_eq!(Outline::read(b"{\"a\": "), None);
    }
}

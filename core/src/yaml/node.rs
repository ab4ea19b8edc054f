//! The spanned YAML tree shared by every later stage.

use crate::diagnostic::Span;

/// A YAML value with the place it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value is written (for an alias: where the anchored value is written).
    pub span: Span,
    /// `!reset` / `!override`, if the author wrote one.
    pub tag: Option<Tag>,
}

/// Compose merge tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// `!reset`: remove the value from what earlier files built.
    Reset,
    /// `!override`: replace the value from earlier files without merging.
    Override,
}

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar (null, bool, number and string all start as text).
    Scalar(Scalar),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping with string keys, in source order.
    Map(Map),
}

/// How a scalar was written: plain scalars are typed by their text, quoted ones are strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    /// `foo`, `123`, `~`.
    Plain,
    /// `'foo'`, `"foo"`, block scalars `|` and `>`.
    Quoted,
}

/// A scalar: its text after YAML escapes, and how it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The text (escapes already processed, block scalars folded).
    pub text: String,
    /// Plain or quoted.
    pub style: ScalarStyle,
}

/// A mapping: keys are strings (compose converts scalar keys to strings), order kept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    /// The entries: (key text, key span, value).
    pub entries: Vec<(String, Span, Node)>,
}

impl Scalar {
    /// True for a plain `null`, `Null`, `NULL`, `~` or empty plain scalar (YAML 1.2 core schema).
    pub fn is_null(&self) -> bool {
        self.style == ScalarStyle::Plain
            && matches!(self.text.as_str(), "" | "~" | "null" | "Null" | "NULL")
    }

    /// A plain `true`/`false` (YAML 1.2 core schema: `yes`/`on` are strings).
    pub fn as_bool(&self) -> Option<bool> {
        if self.style != ScalarStyle::Plain {
            return None;
        }
        match self.text.as_str() {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }

    /// A plain decimal integer (`0x`/`0o` forms too); `0440` and `1_000` are not integers.
    pub fn as_i64(&self) -> Option<i64> {
        if self.style != ScalarStyle::Plain {
            return None;
        }
        let t = self.text.as_str();
        let (neg, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let value = if let Some(hex) = digits.strip_prefix("0x") {
            i64::from_str_radix(hex, 16).ok()?
        } else if let Some(oct) = digits.strip_prefix("0o") {
            i64::from_str_radix(oct, 8).ok()?
        } else {
            let leading_zero = digits.len() > 1 && digits.starts_with('0');
            if digits.is_empty() || leading_zero || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse().ok()?
        };
        Some(if neg { -value } else { value })
    }

    /// A plain float (or integer) in YAML 1.2 core schema syntax.
    pub fn as_f64(&self) -> Option<f64> {
        if self.style != ScalarStyle::Plain {
            return None;
        }
        if let Some(i) = self.as_i64() {
            return Some(i as f64);
        }
        let t = self.text.as_str();
        match t {
            ".inf" | ".Inf" | ".INF" | "+.inf" => return Some(f64::INFINITY),
            "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
            ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
            _ => {}
        }
        let body = t.strip_prefix(['-', '+']).unwrap_or(t);
        // `0440` is not a number here (octal-looking text stays a string, like YAML 1.2 ints).
        let leading_zero =
            body.len() > 1 && body.starts_with('0') && body.as_bytes()[1].is_ascii_digit();
        let ok = !body.is_empty()
            && !leading_zero
            && body
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
            && body
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_digit() || b == b'.');
        if ok {
            t.parse().ok()
        } else {
            None
        }
    }
}

impl Node {
    /// A node with no tag.
    pub fn new(value: Value, span: Span) -> Self {
        Node {
            value,
            span,
            tag: None,
        }
    }

    /// A quoted-string scalar node (used when the tool builds nodes itself).
    pub fn string(text: impl Into<String>, span: Span) -> Self {
        Node::new(
            Value::Scalar(Scalar {
                text: text.into(),
                style: ScalarStyle::Quoted,
            }),
            span,
        )
    }

    /// The mapping, if this is one.
    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The sequence, if this is one.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar, if this is one.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar's text if this is a non-null scalar.
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar()
            .filter(|s| !s.is_null())
            .map(|s| s.text.as_str())
    }

    /// Any scalar's text, null included (`~` reads as `~`).
    pub fn scalar_text(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text.as_str())
    }

    /// A whole number: a plain integer, or a scalar whose text (trimmed) is one (`"80"`).
    pub fn integer(&self) -> Option<i64> {
        self.as_scalar()
            .and_then(Scalar::as_i64)
            .or_else(|| self.as_str().and_then(|t| t.trim().parse().ok()))
    }

    /// A number (integer or decimal): a plain one, or a scalar whose text (trimmed) is one.
    pub fn number(&self) -> Option<f64> {
        self.as_scalar()
            .and_then(Scalar::as_f64)
            .or_else(|| self.as_str().and_then(|t| t.trim().parse().ok()))
    }

    /// `true` / `false`: plain (`True`, `TRUE` too, as YAML 1.2 reads them), or quoted.
    pub fn boolean(&self) -> Option<bool> {
        match self.as_scalar()?.text.as_str() {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }

    /// True for a null scalar.
    pub fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(Scalar::is_null)
    }

    /// Looks up `key` if this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// What kind of value this is, as compose error messages name it.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Map(_) => "mapping",
            Value::Seq(_) => "sequence",
            Value::Scalar(s) if s.is_null() => "null",
            Value::Scalar(s) if s.as_bool().is_some() => "boolean",
            Value::Scalar(s) if s.as_f64().is_some() => "number",
            Value::Scalar(_) => "string",
        }
    }
}

impl Map {
    /// The value for `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, v)| v)
    }

    /// The value for `key`, mutable.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.entries
            .iter_mut()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, v)| v)
    }

    /// The key's own span.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, s, _)| *s)
    }

    /// Iterates over (key, value).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.entries.iter().map(|(k, _, v)| (k.as_str(), v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sets `key` to `value`, replacing an existing entry in place or appending.
    pub fn insert(&mut self, key: String, key_span: Span, value: Node) {
        match self.entries.iter_mut().find(|(k, _, _)| *k == key) {
            Some(entry) => entry.2 = value,
            None => self.entries.push((key, key_span, value)),
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let i = self.entries.iter().position(|(k, _, _)| k == key)?;
        Some(self.entries.remove(i).2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(t: &str) -> Scalar {
        Scalar {
            text: t.into(),
            style: ScalarStyle::Plain,
        }
    }

    #[test]
    fn yaml_1_2_scalars_stay_strings() {
        for s in ["yes", "on", "22:22", "0440", "1_000", "no"] {
            let sc = plain(s);
            assert_eq!((sc.as_bool(), sc.as_i64()), (None, None), "{s}");
        }
        assert_eq!(plain("0o440").as_i64(), Some(288));
        assert_eq!(plain("-12").as_i64(), Some(-12));
        assert_eq!(plain("1e3").as_f64(), Some(1000.0));
        assert_eq!(plain("0.5").as_f64(), Some(0.5));
        assert!(plain("~").is_null());
        assert!(!Scalar {
            text: "null".into(),
            style: ScalarStyle::Quoted
        }
        .is_null());
    }

    fn node(text: &str, style: ScalarStyle) -> Node {
        Node::new(
            Value::Scalar(Scalar {
                text: text.into(),
                style,
            }),
            Span::default(),
        )
    }

    #[test]
    fn the_readers_take_plain_values_and_strings_that_hold_them() {
        use ScalarStyle::{Plain, Quoted};
        assert_eq!(node("80", Plain).integer(), Some(80));
        assert_eq!(node(" 80 ", Quoted).integer(), Some(80));
        assert_eq!(node("0x10", Plain).integer(), Some(16));
        assert_eq!(node("8O", Plain).integer(), None);
        assert_eq!(node("~", Plain).integer(), None);
        assert_eq!(node("2.5", Quoted).number(), Some(2.5));
        assert_eq!(node("1e3", Plain).number(), Some(1000.0));
        assert_eq!(node("many", Plain).number(), None);
        for (text, style, value) in [
            ("true", Plain, Some(true)),
            ("FALSE", Plain, Some(false)),
            ("True", Quoted, Some(true)),
            ("yes", Plain, None),
            ("", Plain, None),
        ] {
            assert_eq!(node(text, style).boolean(), value, "{text}");
        }
        assert_eq!(node("~", Plain).scalar_text(), Some("~"));
        assert_eq!(node("~", Plain).as_str(), None);
        let seq = Node::new(Value::Seq(vec![]), Span::default());
        assert_eq!(
            (seq.scalar_text(), seq.integer(), seq.boolean()),
            (None, None, None)
        );
    }
}

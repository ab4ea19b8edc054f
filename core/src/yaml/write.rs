//! The one block-style YAML writer. Templates (JSON values) and compose files (YAML nodes) are
//! both written by [`to_yaml`]; they differ only in how scalars are written and in whether a
//! sequence under a key is indented ([`Style`]).

/// What the writer needs from a tree.
pub trait Tree: Sized {
    /// The entries, when this is a non-empty mapping.
    fn entries(&self) -> Option<impl Iterator<Item = (&str, &Self)> + '_>;
    /// The items, when this is a non-empty sequence.
    fn items(&self) -> Option<&[Self]>;
    /// Writes a scalar, or an empty mapping or sequence, on one line.
    fn write_inline(&self, out: &mut String);
}

/// The layout choices that differ between writers.
pub struct Style {
    /// Extra indentation of a block sequence under a mapping key (0: at the key's column).
    pub sequence_indent: usize,
    /// Writes a mapping key.
    pub key: fn(&mut String, &str),
}

/// `tree` as block-style YAML ending in a newline: mappings and sequences one entry a line,
/// the first entry of a mapping in a sequence on the `- ` line.
pub fn to_yaml<T: Tree>(tree: &T, style: &Style) -> String {
    let mut out = String::new();
    if let Some(entries) = tree.entries() {
        write_map(&mut out, entries, 0, style);
    } else if let Some(items) = tree.items() {
        write_seq(&mut out, items, 0, style);
    } else {
        tree.write_inline(&mut out);
        out.push('\n');
    }
    out
}

/// Spaces copied by slice: every line of every template starts with an indent.
const SPACES: &str = "                                                                ";

pub(crate) fn indent(out: &mut String, mut level: usize) {
    while level > SPACES.len() {
        out.push_str(SPACES);
        level -= SPACES.len();
    }
    out.push_str(&SPACES[..level]);
}

/// Writes entries at `level` spaces; the caller has placed the first one.
pub(crate) fn write_map<'a, T: Tree + 'a>(
    out: &mut String,
    entries: impl Iterator<Item = (&'a str, &'a T)>,
    level: usize,
    style: &Style,
) {
    for (i, (key, value)) in entries.enumerate() {
        if i > 0 {
            indent(out, level);
        }
        write_entry(out, key, value, level, style);
    }
}

/// Writes one `key: value` entry whose key sits at `level` spaces (already placed).
pub(crate) fn write_entry<T: Tree>(
    out: &mut String,
    key: &str,
    value: &T,
    level: usize,
    style: &Style,
) {
    (style.key)(out, key);
    out.push(':');
    if let Some(inner) = value.entries() {
        out.push('\n');
        indent(out, level + 2);
        write_map(out, inner, level + 2, style);
    } else if let Some(items) = value.items() {
        let level = level + style.sequence_indent;
        out.push('\n');
        indent(out, level);
        write_seq(out, items, level, style);
    } else {
        out.push(' ');
        value.write_inline(out);
        out.push('\n');
    }
}

/// Writes `key:` opening a block mapping whose entries sit at `level + 2` spaces (the caller
/// places each of them with [`indent`]).
pub(crate) fn open_map(out: &mut String, key: &str, style: &Style) {
    (style.key)(out, key);
    out.push_str(":\n");
}

/// Writes items at `level` spaces; the caller has placed the first one.
fn write_seq<T: Tree>(out: &mut String, items: &[T], level: usize, style: &Style) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        out.push_str("- ");
        if let Some(entries) = item.entries() {
            write_map(out, entries, level + 2, style);
        } else if let Some(inner) = item.items() {
            write_seq(out, inner, level + 2, style);
        } else {
            item.write_inline(out);
            out.push('\n');
        }
    }
}

/// `s` as a YAML double-quoted scalar; every character YAML does not allow raw (controls, BOM,
/// line and paragraph separators, NEL) is escaped.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_double_quoted(&mut out, s);
    out
}

/// Writes [`double_quoted`] `s`.
pub fn write_double_quoted(out: &mut String, s: &str) {
    use std::fmt::Write as _;
    out.push('"');
    // Runs of characters written raw are copied as one slice.
    let mut run_start = 0;
    for (at, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\t' => "\\t",
            '\r' => "\\r",
            c if c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}') => "",
            _ => continue,
        };
        out.push_str(&s[run_start..at]);
        run_start = at + c.len_utf8();
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04X}", u32::from(c));
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&s[run_start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal tree to pin the layout independently of either real tree.
    enum T {
        S(&'static str),
        M(Vec<(&'static str, T)>),
        L(Vec<T>),
    }

    impl Tree for T {
        fn entries(&self) -> Option<impl Iterator<Item = (&str, &Self)> + '_> {
            match self {
                T::M(m) if !m.is_empty() => Some(m.iter().map(|(k, v)| (*k, v))),
                _ => None,
            }
        }
        fn items(&self) -> Option<&[Self]> {
            match self {
                T::L(l) if !l.is_empty() => Some(l),
                _ => None,
            }
        }
        fn write_inline(&self, out: &mut String) {
            out.push_str(match self {
                T::S(s) => s,
                T::M(_) => "{}",
                T::L(_) => "[]",
            });
        }
    }

    fn sample() -> T {
        T::M(vec![
            ("a", T::S("1")),
            (
                "b",
                T::L(vec![
                    T::M(vec![("c", T::S("2")), ("d", T::L(vec![]))]),
                    T::L(vec![T::S("x"), T::S("y")]),
                    T::M(vec![]),
                ]),
            ),
            ("e", T::M(vec![("f", T::L(vec![T::S("z")]))])),
        ])
    }

    #[test]
    fn sequences_at_the_key_column_or_indented() {
        let key: fn(&mut String, &str) = |out, k| out.push_str(k);
        let flush = Style {
            sequence_indent: 0,
            key,
        };
        assert_eq!(
            to_yaml(&sample(), &flush),
            "a: 1\nb:\n- c: 2\n  d: []\n- - x\n  - y\n- {}\ne:\n  f:\n  - z\n"
        );
        let indented = Style {
            sequence_indent: 2,
            key,
        };
        assert_eq!(
            to_yaml(&sample(), &indented),
            "a: 1\nb:\n  - c: 2\n    d: []\n  - - x\n    - y\n  - {}\ne:\n  f:\n    - z\n"
        );
        assert_eq!(to_yaml(&T::S("x"), &flush), "x\n");
        assert_eq!(to_yaml(&T::L(vec![]), &flush), "[]\n");
    }

    #[test]
    fn double_quoting_escapes_what_yaml_does_not_allow_raw() {
        assert_eq!(
            double_quoted("a\"b\\c\nd\te\u{1}\u{feff}\u{2028}é"),
            "\"a\\\"b\\\\c\\nd\\te\\u0001\\uFEFF\\u2028é\""
        );
    }
}

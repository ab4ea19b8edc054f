//! Prints a compose tree as YAML (block style, source order), quoting every string that a YAML
//! 1.1 or 1.2 reader could take for something else (`"22:22"`, `"yes"`, `"0440"`, `"1.0"`,
//! `"null"`, `""`), so that reading the output back gives the same values.
//!
//! The layout is the shared writer's ([`write::to_yaml`]); the quoting is this file's own on
//! purpose: double quotes and plain strings wherever safe, as `docker compose config` prints,
//! where templates quote conservatively for CloudFormation's YAML 1.1 reader.

use crate::yaml::write::{self, Style, Tree};
use crate::yaml::{Node, Scalar, ScalarStyle, Value};

/// The tree as YAML text ending in a newline.
pub fn to_yaml(tree: &Node) -> String {
    let style = Style {
        sequence_indent: 2,
        key: |out, key| out.push_str(&string(key)),
    };
    write::to_yaml(tree, &style)
}

impl Tree for Node {
    fn entries(&self) -> Option<impl Iterator<Item = (&str, &Self)> + '_> {
        match &self.value {
            Value::Map(m) if !m.is_empty() => {
                Some(m.entries.iter().map(|(k, _, v)| (k.as_str(), v)))
            }
            _ => None,
        }
    }

    fn items(&self) -> Option<&[Self]> {
        match &self.value {
            Value::Seq(items) if !items.is_empty() => Some(items),
            _ => None,
        }
    }

    fn write_inline(&self, out: &mut String) {
        match &self.value {
            Value::Scalar(s) => out.push_str(&scalar(s)),
            Value::Map(_) => out.push_str("{}"),
            Value::Seq(_) => out.push_str("[]"),
        }
    }
}

/// A scalar as the tree types it: plain null/bool/number text stays plain, strings are quoted
/// when needed.
fn scalar(s: &Scalar) -> String {
    if s.style == ScalarStyle::Plain {
        if s.is_null() {
            return "null".to_string();
        }
        if s.as_bool().is_some() || s.as_f64().is_some() {
            return s.text.clone();
        }
    }
    string(&s.text)
}

/// A string: plain when no reader could mistake it, else double-quoted.
fn string(text: &str) -> String {
    if needs_quotes(text) {
        write::double_quoted(text)
    } else {
        text.to_string()
    }
}

const RESERVED: &[&str] = &[
    "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "+.inf", "-.inf",
    ".nan", "<<", "=",
];

fn needs_quotes(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return true;
    };
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(text)) {
        return true;
    }
    // Anything number-like (ints, floats, octal, hex, `1_000`, `22:22` base 60, dates).
    let numberish = (first.is_ascii_digit() || matches!(first, '+' | '-' | '.'))
        && text.chars().all(|c| {
            c.is_ascii_hexdigit()
                || matches!(c, 'x' | 'X' | 'o' | 'O' | '.' | '_' | ':' | '+' | '-')
        });
    if numberish {
        return true;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || first.is_whitespace() {
        return true;
    }
    let last = text.chars().next_back().unwrap_or(first);
    last.is_whitespace()
        || last == ':'
        || text.contains(": ")
        || text.contains(" #")
        || text.chars().any(|c| {
            c.is_control() || c == '\u{feff}' || c == '\u{85}' || c == '\u{2028}' || c == '\u{2029}'
        })
}

//! Prints a compose tree as YAML (block style, source order), quoting every string that a YAML
//! 1.1 or 1.2 reader could take for something else (`"22:22"`, `"yes"`, `"0440"`, `"1.0"`,
//! `"null"`, `""`), so that reading the output back gives the same values.

use crate::yaml::{Node, Scalar, ScalarStyle, Value};

/// The tree as YAML text ending in a newline.
pub fn to_yaml(tree: &Node) -> String {
    let mut out = String::new();
    match &tree.value {
        Value::Map(m) if !m.is_empty() => write_map_body(tree, 0, &mut out),
        Value::Seq(s) if !s.is_empty() => write_seq_body(tree, 0, &mut out),
        _ => {
            out.push_str(&inline(tree));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A value that fits after `key: ` or `- ` (scalars, empty collections).
fn inline(node: &Node) -> String {
    match &node.value {
        Value::Scalar(s) => scalar(s),
        Value::Map(_) => "{}".to_string(),
        Value::Seq(_) => "[]".to_string(),
    }
}

fn is_block(node: &Node) -> bool {
    match &node.value {
        Value::Map(m) => !m.is_empty(),
        Value::Seq(s) => !s.is_empty(),
        Value::Scalar(_) => false,
    }
}

fn write_map_body(node: &Node, level: usize, out: &mut String) {
    let Value::Map(map) = &node.value else { return };
    for (i, (key, _, value)) in map.entries.iter().enumerate() {
        // The first entry of a map inside a sequence item shares the `- ` line.
        if i > 0 || !out.ends_with("- ") {
            indent(out, level);
        }
        out.push_str(&string(key));
        out.push(':');
        write_value(value, level, out);
    }
}

fn write_seq_body(node: &Node, level: usize, out: &mut String) {
    let Value::Seq(items) = &node.value else {
        return;
    };
    for item in items {
        if !out.ends_with("- ") {
            indent(out, level);
        }
        out.push_str("- ");
        match &item.value {
            Value::Map(m) if !m.is_empty() => write_map_body(item, level + 2, out),
            Value::Seq(s) if !s.is_empty() => {
                write_seq_body(item, level + 2, out);
            }
            _ => {
                out.push_str(&inline(item));
                out.push('\n');
            }
        }
    }
}

/// Writes what follows `key:` at nesting `level`.
fn write_value(value: &Node, level: usize, out: &mut String) {
    if is_block(value) {
        out.push('\n');
        match &value.value {
            Value::Map(_) => write_map_body(value, level + 2, out),
            _ => write_seq_body(value, level + 2, out),
        }
    } else {
        out.push(' ');
        out.push_str(&inline(value));
        out.push('\n');
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
        crate::cfn::double_quoted(text)
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

//! Reading x-key values written by the user: YAML nodes as CloudFormation JSON, allowed keys,
//! booleans, spans.

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::{Node, ScalarStyle, Value as NodeValue};

/// A YAML node as a JSON value for CloudFormation properties the user wrote verbatim: plain
/// `true`/`false`, integers and floats keep their type, null is null, everything else is a string.
pub fn to_json(node: &Node) -> Value {
    match &node.value {
        NodeValue::Scalar(s) if s.style == ScalarStyle::Plain => {
            if s.is_null() {
                Value::Null
            } else if let Some(b) = s.as_bool() {
                Value::Bool(b)
            } else if let Some(i) = s.as_i64() {
                Value::from(i)
            } else if let Some(f) = s.as_f64().and_then(serde_json::Number::from_f64) {
                Value::Number(f)
            } else {
                Value::String(s.text.clone())
            }
        }
        NodeValue::Scalar(s) => Value::String(s.text.clone()),
        NodeValue::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        NodeValue::Map(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect())
        }
    }
}

/// Reports every key of `node` (a mapping) not in `allowed` as error `code`, with a suggestion.
pub fn check_keys(
    node: &Node,
    allowed: &[&str],
    code: &'static str,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(map) = node.as_map() else { return };
    for (key, key_span, _) in &map.entries {
        if allowed.contains(&key.as_str()) {
            continue;
        }
        let mut d = Diagnostic::error(code, format!("{what}: unknown key `{key}`"), *key_span);
        d = match crate::suggest::did_you_mean(key, allowed.iter().copied()) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!("allowed keys: {}", allowed.join(", "))),
        };
        diagnostics.push(d);
    }
}

/// A boolean option: plain `true`/`false` (any case YAML 1.2 allows); anything else is error
/// `code` and reads as None.
pub fn bool_option(
    node: &Node,
    code: &'static str,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<bool> {
    let value = node.as_scalar().and_then(|s| s.as_bool());
    if value.is_none() {
        diagnostics.push(Diagnostic::error(
            code,
            format!("{what} must be true or false, not a {}", node.kind_name()),
            node.span,
        ));
    }
    value
}

/// The span of `key`'s value in `node`, else of `node`.
pub fn span_of(node: &Node, key: &str) -> Span {
    node.get(key).map(|n| n.span).unwrap_or(node.span)
}

//! YAML nodes the user wrote verbatim (CloudFormation properties) as JSON values, and spans
//! inside scalars.

use std::ops::Range;

use serde_json::{Map, Number, Value};

use crate::diagnostic::Span;
use crate::yaml::{Node, ScalarStyle, Value as NodeValue};

/// A node as JSON: plain `true`/`false`, integers and floats keep their type, null is null,
/// everything else is a string.
pub fn node_to_json(node: &Node) -> Value {
    match &node.value {
        NodeValue::Scalar(s) if s.style == ScalarStyle::Plain => {
            if s.is_null() {
                Value::Null
            } else if let Some(b) = s.as_bool() {
                Value::Bool(b)
            } else if let Some(i) = s.as_i64() {
                Value::Number(i.into())
            } else if let Some(n) = s.as_f64().and_then(Number::from_f64) {
                Value::Number(n)
            } else {
                Value::String(s.text.clone())
            }
        }
        NodeValue::Scalar(s) => Value::String(s.text.clone()),
        NodeValue::Seq(items) => Value::Array(items.iter().map(node_to_json).collect()),
        NodeValue::Map(map) => {
            let mut out = Map::new();
            for (key, _, value) in &map.entries {
                out.insert(key.clone(), node_to_json(value));
            }
            Value::Object(out)
        }
    }
}

/// The span of bytes `range` of a scalar's text, when the source holds the text unchanged
/// (plain, or quoted without escapes); the whole node's span otherwise.
pub fn sub_span(node: &Node, range: Range<usize>) -> Span {
    let Some(scalar) = node.as_scalar() else {
        return node.span;
    };
    let (start, end) = (node.span.start as usize, node.span.end as usize);
    let width = end.saturating_sub(start);
    let text_len = scalar.text.len();
    let offset = match scalar.style {
        ScalarStyle::Plain if width == text_len => 0,
        ScalarStyle::Quoted if width == text_len + 2 => 1,
        _ => return node.span,
    };
    if range.end > text_len || range.start > range.end {
        return node.span;
    }
    Span::new(
        node.span.file,
        start + offset + range.start,
        start + offset + range.end,
    )
}

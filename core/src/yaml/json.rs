//! YAML nodes as JSON values, for CloudFormation properties the user wrote verbatim.

use serde_json::{Map, Number, Value};

use super::{Node, ScalarStyle, Value as NodeValue};

/// `node` as JSON: plain `true`/`false`, integers and floats keep their type, null is null,
/// everything else (quoted scalars included) is a string.
pub fn to_json(node: &Node) -> Value {
    to_json_with(node, &mut |_, _| None)
}

/// [`to_json`], except that `string` may replace a string scalar (`node`, its text) with
/// another value, e.g. a resolved `x-<module>::<name>` reference.
pub fn to_json_with(node: &Node, string: &mut dyn FnMut(&Node, &str) -> Option<Value>) -> Value {
    match &node.value {
        NodeValue::Scalar(s) => {
            if s.style == ScalarStyle::Plain {
                if s.is_null() {
                    return Value::Null;
                }
                if let Some(b) = s.as_bool() {
                    return Value::Bool(b);
                }
                if let Some(i) = s.as_i64() {
                    return Value::from(i);
                }
                if let Some(n) = s.as_f64().and_then(Number::from_f64) {
                    return Value::Number(n);
                }
            }
            string(node, &s.text).unwrap_or_else(|| Value::String(s.text.clone()))
        }
        NodeValue::Seq(items) => Value::Array(
            items
                .iter()
                .map(|item| to_json_with(item, &mut *string))
                .collect(),
        ),
        NodeValue::Map(map) => {
            let mut out = Map::with_capacity(map.entries.len());
            for (key, _, value) in &map.entries {
                out.insert(key.clone(), to_json_with(value, &mut *string));
            }
            Value::Object(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, Limits};
    use serde_json::json;

    fn node(text: &str) -> Node {
        parse(0, text, &Limits::default()).0.remove(0)
    }

    #[test]
    fn plain_scalars_keep_their_type_and_quoted_ones_are_strings() {
        let n = node(
            "a: true\nb: 12\nc: 1.5\nd: ~\ne: \"12\"\nf: 'true'\ng: text\nh: [1, x]\ni: yes\n",
        );
        assert_eq!(
            to_json(&n),
            json!({"a": true, "b": 12, "c": 1.5, "d": null, "e": "12", "f": "true", "g": "text",
                   "h": [1, "x"], "i": "yes"})
        );
    }

    #[test]
    fn strings_can_be_replaced_but_typed_scalars_are_not_offered() {
        let n = node("a: x-sqs::q\nb: [x-sqs::q, 3, \"x-sqs::q\"]\n");
        let mut seen = Vec::new();
        let v = to_json_with(&n, &mut |_, text| {
            seen.push(text.to_string());
            (text == "x-sqs::q").then(|| json!({"Ref": "Q"}))
        });
        assert_eq!(
            v,
            json!({"a": {"Ref": "Q"}, "b": [{"Ref": "Q"}, 3, {"Ref": "Q"}]})
        );
        assert_eq!(seen, ["x-sqs::q", "x-sqs::q", "x-sqs::q"]);
    }
}

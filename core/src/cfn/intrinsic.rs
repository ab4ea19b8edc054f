//! Intrinsic functions as JSON values, in their long form (`{"Ref": ..}`, `{"Fn::GetAtt": [..]}`).

use serde_json::{Map, Value};

/// `AWS::Region`.
pub const AWS_REGION: &str = "AWS::Region";
/// `AWS::AccountId`.
pub const AWS_ACCOUNT_ID: &str = "AWS::AccountId";
/// `AWS::StackName`.
pub const AWS_STACK_NAME: &str = "AWS::StackName";
/// `AWS::Partition`.
pub const AWS_PARTITION: &str = "AWS::Partition";
/// `AWS::URLSuffix`.
pub const AWS_URL_SUFFIX: &str = "AWS::URLSuffix";
/// `AWS::NoValue`.
pub const AWS_NO_VALUE: &str = "AWS::NoValue";

/// `{"Key": value, ...}`: an object whose values are moved in (`Value::from` each), keys in the
/// order written. Hot emitters use it instead of `json!`, which deep-copies every `Value` it is
/// given through the serializer and then drops the original.
macro_rules! object {
    (@one $key:literal) => {
        ()
    };
    ($($key:literal : $value:expr),* $(,)?) => {{
        // Sized once: growing a map rehashes it.
        let mut object = serde_json::Map::with_capacity([$(object!(@one $key)),*].len());
        $(object.insert(String::from($key), serde_json::Value::from($value));)*
        serde_json::Value::Object(object)
    }};
}
pub(crate) use object;

/// `{name: argument}`: the one-key object every intrinsic is. Built directly rather than with
/// `json!`, which deep-copies every `Value` argument through the serializer.
fn call(name: &str, argument: Value) -> Value {
    let mut object = Map::with_capacity(1);
    object.insert(name.to_owned(), argument);
    Value::Object(object)
}

fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

/// `{"Ref": name}`.
pub fn ref_(name: &str) -> Value {
    call("Ref", text(name))
}

/// `{"Fn::GetAtt": [logical_id, attribute]}`.
pub fn get_att(logical_id: &str, attribute: &str) -> Value {
    call(
        "Fn::GetAtt",
        Value::Array(vec![text(logical_id), text(attribute)]),
    )
}

/// `{"Fn::Sub": template}` (variables are `${Name}` / `${Name.Attr}` of the same template).
pub fn sub(template: &str) -> Value {
    call("Fn::Sub", text(template))
}

/// `{"Fn::Sub": [template, variables]}`.
pub fn sub_with(template: &str, variables: Map<String, Value>) -> Value {
    call(
        "Fn::Sub",
        Value::Array(vec![text(template), Value::Object(variables)]),
    )
}

/// `{"Fn::Join": [delimiter, values]}`.
pub fn join(delimiter: &str, values: Vec<Value>) -> Value {
    join_list(delimiter, Value::Array(values))
}

/// `{"Fn::Join": [delimiter, list]}` where `list` is itself a list-valued expression.
pub fn join_list(delimiter: &str, list: Value) -> Value {
    call("Fn::Join", Value::Array(vec![text(delimiter), list]))
}

/// `{"Fn::If": [condition, when_true, when_false]}`.
pub fn if_(condition: &str, when_true: Value, when_false: Value) -> Value {
    call(
        "Fn::If",
        Value::Array(vec![text(condition), when_true, when_false]),
    )
}

/// `{"Fn::Select": [index, list]}`.
pub fn select(index: u32, list: Value) -> Value {
    call(
        "Fn::Select",
        Value::Array(vec![Value::String(index.to_string()), list]),
    )
}

/// `{"Fn::GetAZs": region}`; an empty region means the stack's own region (`Ref AWS::Region`).
pub fn get_azs(region: &str) -> Value {
    if region.is_empty() {
        call("Fn::GetAZs", ref_(AWS_REGION))
    } else {
        call("Fn::GetAZs", text(region))
    }
}

/// `{"Fn::ImportValue": name}`.
pub fn import_value(name: Value) -> Value {
    call("Fn::ImportValue", name)
}

/// `{"Fn::Split": [delimiter, source]}`.
pub fn split(delimiter: &str, source: Value) -> Value {
    call("Fn::Split", Value::Array(vec![text(delimiter), source]))
}

/// `{"Ref": "AWS::NoValue"}`: removes the property it is assigned to.
pub fn no_value() -> Value {
    ref_(AWS_NO_VALUE)
}

/// `{"Fn::FindInMap": [map, top_key, second_key]}`.
pub fn find_in_map(map: &str, top_key: Value, second_key: Value) -> Value {
    call(
        "Fn::FindInMap",
        Value::Array(vec![text(map), top_key, second_key]),
    )
}

/// `{"Fn::Equals": [a, b]}` (conditions).
pub fn equals(a: Value, b: Value) -> Value {
    call("Fn::Equals", Value::Array(vec![a, b]))
}

/// `{"Fn::Not": [condition]}` (conditions).
pub fn not(condition: Value) -> Value {
    call("Fn::Not", Value::Array(vec![condition]))
}

/// `{"Fn::And": [..]}` (conditions).
pub fn and(conditions: Vec<Value>) -> Value {
    call("Fn::And", Value::Array(conditions))
}

/// `{"Fn::Or": [..]}` (conditions).
pub fn or(conditions: Vec<Value>) -> Value {
    call("Fn::Or", Value::Array(conditions))
}

/// `{"Condition": name}` (a condition used inside another condition).
pub fn condition(name: &str) -> Value {
    call("Condition", text(name))
}

/// `{"Fn::Base64": value}`.
pub fn base64(value: Value) -> Value {
    call("Fn::Base64", value)
}

/// `{"Fn::Cidr": [ip_block, count, cidr_bits]}`.
pub fn cidr(ip_block: Value, count: u32, cidr_bits: u32) -> Value {
    call(
        "Fn::Cidr",
        Value::Array(vec![
            ip_block,
            Value::String(count.to_string()),
            Value::String(cidr_bits.to_string()),
        ]),
    )
}

/// A `[{Key, Value}]` tag list.
pub fn tags<'a, I: IntoIterator<Item = (&'a str, Value)>>(pairs: I) -> Value {
    Value::Array(
        pairs
            .into_iter()
            .map(|(key, value)| {
                let mut tag = Map::with_capacity(2);
                tag.insert("Key".to_owned(), text(key));
                tag.insert("Value".to_owned(), value);
                Value::Object(tag)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_forms() {
        assert_eq!(ref_("Vpc").to_string(), r#"{"Ref":"Vpc"}"#);
        assert_eq!(
            get_att("Vpc", "CidrBlock").to_string(),
            r#"{"Fn::GetAtt":["Vpc","CidrBlock"]}"#
        );
        assert_eq!(
            select(1, get_azs("")).to_string(),
            r#"{"Fn::Select":["1",{"Fn::GetAZs":{"Ref":"AWS::Region"}}]}"#
        );
        assert_eq!(no_value().to_string(), r#"{"Ref":"AWS::NoValue"}"#);
        assert_eq!(
            if_("C", json!("a"), no_value()).to_string(),
            r#"{"Fn::If":["C","a",{"Ref":"AWS::NoValue"}]}"#
        );
        assert_eq!(
            join(",", vec![ref_("A"), ref_("B")]).to_string(),
            r#"{"Fn::Join":[",",[{"Ref":"A"},{"Ref":"B"}]]}"#
        );
        assert_eq!(
            split(",", ref_("L")).to_string(),
            r#"{"Fn::Split":[",",{"Ref":"L"}]}"#
        );
        assert_eq!(
            import_value(sub("${X}-Vpc")).to_string(),
            r#"{"Fn::ImportValue":{"Fn::Sub":"${X}-Vpc"}}"#
        );
        let mut vars = Map::new();
        vars.insert("N".into(), ref_("P"));
        assert_eq!(
            sub_with("${N}x", vars).to_string(),
            r#"{"Fn::Sub":["${N}x",{"N":{"Ref":"P"}}]}"#
        );
        assert_eq!(
            cidr(json!("10.0.0.0/16"), 6, 8).to_string(),
            r#"{"Fn::Cidr":["10.0.0.0/16","6","8"]}"#
        );
        assert_eq!(
            tags([("k", json!("v"))]).to_string(),
            r#"[{"Key":"k","Value":"v"}]"#
        );
    }
}

//! Intrinsic functions as JSON values, in their long form (`{"Ref": ..}`, `{"Fn::GetAtt": [..]}`).

use serde_json::{json, Map, Value};

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

/// `{"Ref": name}`.
pub fn ref_(name: &str) -> Value {
    json!({ "Ref": name })
}

/// `{"Fn::GetAtt": [logical_id, attribute]}`.
pub fn get_att(logical_id: &str, attribute: &str) -> Value {
    json!({ "Fn::GetAtt": [logical_id, attribute] })
}

/// `{"Fn::Sub": template}` (variables are `${Name}` / `${Name.Attr}` of the same template).
pub fn sub(template: &str) -> Value {
    json!({ "Fn::Sub": template })
}

/// `{"Fn::Sub": [template, variables]}`.
pub fn sub_with(template: &str, variables: Map<String, Value>) -> Value {
    json!({ "Fn::Sub": [template, Value::Object(variables)] })
}

/// `{"Fn::Join": [delimiter, values]}`.
pub fn join(delimiter: &str, values: Vec<Value>) -> Value {
    json!({ "Fn::Join": [delimiter, values] })
}

/// `{"Fn::Join": [delimiter, list]}` where `list` is itself a list-valued expression.
pub fn join_list(delimiter: &str, list: Value) -> Value {
    json!({ "Fn::Join": [delimiter, list] })
}

/// `{"Fn::If": [condition, when_true, when_false]}`.
pub fn if_(condition: &str, when_true: Value, when_false: Value) -> Value {
    json!({ "Fn::If": [condition, when_true, when_false] })
}

/// `{"Fn::Select": [index, list]}`.
pub fn select(index: u32, list: Value) -> Value {
    json!({ "Fn::Select": [index.to_string(), list] })
}

/// `{"Fn::GetAZs": region}`; an empty region means the stack's own region (`Ref AWS::Region`).
pub fn get_azs(region: &str) -> Value {
    if region.is_empty() {
        json!({ "Fn::GetAZs": ref_(AWS_REGION) })
    } else {
        json!({ "Fn::GetAZs": region })
    }
}

/// `{"Fn::ImportValue": name}`.
pub fn import_value(name: Value) -> Value {
    json!({ "Fn::ImportValue": name })
}

/// `{"Fn::Split": [delimiter, source]}`.
pub fn split(delimiter: &str, source: Value) -> Value {
    json!({ "Fn::Split": [delimiter, source] })
}

/// `{"Ref": "AWS::NoValue"}`: removes the property it is assigned to.
pub fn no_value() -> Value {
    ref_(AWS_NO_VALUE)
}

/// `{"Fn::FindInMap": [map, top_key, second_key]}`.
pub fn find_in_map(map: &str, top_key: Value, second_key: Value) -> Value {
    json!({ "Fn::FindInMap": [map, top_key, second_key] })
}

/// `{"Fn::Equals": [a, b]}` (conditions).
pub fn equals(a: Value, b: Value) -> Value {
    json!({ "Fn::Equals": [a, b] })
}

/// `{"Fn::Not": [condition]}` (conditions).
pub fn not(condition: Value) -> Value {
    json!({ "Fn::Not": [condition] })
}

/// `{"Fn::And": [..]}` (conditions).
pub fn and(conditions: Vec<Value>) -> Value {
    json!({ "Fn::And": conditions })
}

/// `{"Fn::Or": [..]}` (conditions).
pub fn or(conditions: Vec<Value>) -> Value {
    json!({ "Fn::Or": conditions })
}

/// `{"Condition": name}` (a condition used inside another condition).
pub fn condition(name: &str) -> Value {
    json!({ "Condition": name })
}

/// `{"Fn::Base64": value}`.
pub fn base64(value: Value) -> Value {
    json!({ "Fn::Base64": value })
}

/// `{"Fn::Cidr": [ip_block, count, cidr_bits]}`.
pub fn cidr(ip_block: Value, count: u32, cidr_bits: u32) -> Value {
    json!({ "Fn::Cidr": [ip_block, count.to_string(), cidr_bits.to_string()] })
}

/// A `[{Key, Value}]` tag list.
pub fn tags<'a, I: IntoIterator<Item = (&'a str, Value)>>(pairs: I) -> Value {
    Value::Array(
        pairs
            .into_iter()
            .map(|(k, v)| json!({ "Key": k, "Value": v }))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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

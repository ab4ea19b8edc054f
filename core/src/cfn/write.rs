//! Template -> JSON value -> text. Key order is insertion order everywhere (serde_json's
//! `preserve_order`), so the same template always gives the same bytes.

use serde_json::{json, Map, Value};

use super::{Output, Parameter, Resource, Template, FORMAT_VERSION};
use crate::yaml::write::{self as yaml, Style, Tree};

pub(super) fn template_value(t: &Template) -> Value {
    let mut root = Map::new();
    root.insert("AWSTemplateFormatVersion".into(), json!(FORMAT_VERSION));
    if let Some(d) = &t.description {
        root.insert("Description".into(), json!(d));
    }
    let mut section = |name: &str, entries: Map<String, Value>| {
        if !entries.is_empty() {
            root.insert(name.into(), Value::Object(entries));
        }
    };
    section(
        "Metadata",
        t.metadata
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    );
    section(
        "Parameters",
        t.parameters
            .iter()
            .map(|(k, p)| (k.clone(), parameter_value(p)))
            .collect(),
    );
    section(
        "Mappings",
        t.mappings
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    );
    section(
        "Conditions",
        t.conditions
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    );
    section(
        "Resources",
        t.resources
            .iter()
            .map(|(k, r)| (k.clone(), resource_value(r)))
            .collect(),
    );
    section(
        "Outputs",
        t.outputs
            .iter()
            .map(|(k, o)| (k.clone(), output_value(o)))
            .collect(),
    );
    Value::Object(root)
}

fn parameter_value(p: &Parameter) -> Value {
    let mut m = Map::new();
    m.insert("Type".into(), json!(p.type_));
    if let Some(d) = &p.default {
        m.insert("Default".into(), json!(d));
    }
    if let Some(d) = &p.description {
        m.insert("Description".into(), json!(d));
    }
    if !p.allowed_values.is_empty() {
        m.insert("AllowedValues".into(), json!(p.allowed_values));
    }
    if let Some(v) = &p.allowed_pattern {
        m.insert("AllowedPattern".into(), json!(v));
    }
    if let Some(v) = &p.constraint_description {
        m.insert("ConstraintDescription".into(), json!(v));
    }
    if let Some(v) = p.min_length {
        m.insert("MinLength".into(), json!(v));
    }
    if let Some(v) = p.max_length {
        m.insert("MaxLength".into(), json!(v));
    }
    if let Some(v) = p.min_value {
        m.insert("MinValue".into(), json!(v));
    }
    if let Some(v) = p.max_value {
        m.insert("MaxValue".into(), json!(v));
    }
    if p.no_echo {
        m.insert("NoEcho".into(), json!(true));
    }
    Value::Object(m)
}

fn resource_value(r: &Resource) -> Value {
    let mut m = Map::new();
    m.insert("Type".into(), json!(r.type_));
    if let Some(c) = &r.condition {
        m.insert("Condition".into(), json!(c));
    }
    match r.depends_on.as_slice() {
        [] => {}
        [one] => {
            m.insert("DependsOn".into(), json!(one));
        }
        many => {
            m.insert("DependsOn".into(), json!(many));
        }
    }
    if let Some(v) = &r.deletion_policy {
        m.insert("DeletionPolicy".into(), json!(v));
    }
    if let Some(v) = &r.update_replace_policy {
        m.insert("UpdateReplacePolicy".into(), json!(v));
    }
    if let Some(v) = &r.metadata {
        m.insert("Metadata".into(), v.clone());
    }
    if !r.properties.is_empty() {
        m.insert("Properties".into(), Value::Object(r.properties.clone()));
    }
    Value::Object(m)
}

fn output_value(o: &Output) -> Value {
    let mut m = Map::new();
    if let Some(d) = &o.description {
        m.insert("Description".into(), json!(d));
    }
    if let Some(c) = &o.condition {
        m.insert("Condition".into(), json!(c));
    }
    m.insert("Value".into(), o.value.clone());
    if let Some(e) = &o.export_name {
        m.insert("Export".into(), json!({ "Name": e }));
    }
    Value::Object(m)
}

/// 2-space pretty JSON plus a trailing newline.
pub(super) fn to_json(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Block-style YAML with a trailing newline. A string is written plain only when every YAML 1.1
/// and 1.2 reader sees it as that same string (so `yes`, `0440`, `10`, `on`, `~` are quoted):
/// CloudFormation and cfn-lint read templates as YAML 1.1.
pub(super) fn to_yaml(value: &Value) -> String {
    let style = Style {
        sequence_indent: 0,
        key: write_string,
    };
    yaml::to_yaml(value, &style)
}

impl Tree for Value {
    fn entries(&self) -> Option<impl Iterator<Item = (&str, &Self)> + '_> {
        match self {
            Value::Object(m) if !m.is_empty() => Some(m.iter().map(|(k, v)| (k.as_str(), v))),
            _ => None,
        }
    }

    fn items(&self) -> Option<&[Self]> {
        match self {
            Value::Array(a) if !a.is_empty() => Some(a),
            _ => None,
        }
    }

    fn write_inline(&self, out: &mut String) {
        write_scalar(out, self);
    }
}

fn write_scalar(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

fn write_string(out: &mut String, s: &str) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if s
        .chars()
        .all(|c| c == ' ' || !(c.is_control() || c == '\u{feff}' || c.is_whitespace()))
    {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    } else {
        yaml::write_double_quoted(out, s);
    }
}

/// Words YAML 1.1 resolves to booleans or null.
const RESERVED: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
    "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", "=",
    "<<",
];

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !first.is_ascii_alphabetic() && first != '_' && first != '/' && first != '$' {
        return false; // digits, '.', '+', '-' could read as numbers, dates or indicators
    }
    if RESERVED.contains(&s) || s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.contains("  ") {
        return false;
    }
    s.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, '_' | '.' | '/' | ':' | '-' | '+' | '=' | ' ' | '$' | '@')
    }) && !s.contains("${") // keep Sub templates visibly quoted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::*;

    fn sample() -> Template {
        let mut t = Template::new("sample");
        t.add_parameter("Env", Parameter::string().with_default("dev"));
        t.add_resource(
            "vpc",
            Resource::new(
                "AWS::EC2::VPC",
                json!({ "CidrBlock": "10.0.0.0/16", "Tags": tags([("Name", sub("${AWS::StackName}-vpc"))]) }),
            ),
        );
        t.add_resource(
            "subnet",
            Resource::new(
                "AWS::EC2::Subnet",
                json!({
                    "VpcId": ref_("Vpc"),
                    "AvailabilityZone": select(0, get_azs("")),
                    "CidrBlock": "10.0.0.0/24",
                    "Odd": ["yes", "0440", "10", "true", "", "a: b", "multi\nline"]
                }),
            ),
        );
        t.add_output("VpcId", Output::new(ref_("Vpc")));
        t
    }

    #[test]
    fn json_is_pretty_with_trailing_newline() {
        let text = sample().to_json();
        assert!(text.starts_with(
            "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Description\": \"sample\",\n"
        ));
        assert!(text.ends_with("}\n"));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, sample().to_value());
    }

    #[test]
    fn yaml_round_trips_and_keeps_strings_strings() {
        let text = sample().to_yaml();
        assert!(text.contains("Ref: Vpc"), "{text}");
        assert!(text.contains("Fn::GetAZs:"), "{text}");
        // Every ambiguous scalar stays a string when read back (YAML 1.1 readers too: quoted).
        for quoted in [
            "- 'yes'",
            "- '0440'",
            "- '10'",
            "- 'true'",
            "- ''",
            "- 'a: b'",
            "- \"multi\\nline\"",
        ] {
            assert!(text.contains(quoted), "{quoted} in {text}");
        }
        assert!(text.contains("Fn::Sub: '${AWS::StackName}-vpc'"), "{text}");
        let back: Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back, sample().to_value());
        assert_eq!(text, sample().to_yaml());
    }

    #[test]
    fn awkward_strings_survive_yaml() {
        let strings = [
            "tab\there",
            "quote \" and \\ backslash",
            "nel\u{85}ls\u{2028}bom\u{feff}",
            "bell\u{7}",
            "crlf\r\n",
            "  leading",
            "trailing ",
            "- dash",
            "? q",
            "key: value",
            "# hash",
            "a #b",
            "été",
            "1:20",
            "1e3",
            ".5",
            "0x1F",
            "<<",
            "@at",
            "`tick",
            "!tag",
            "&anchor",
            "*alias",
            "%percent",
            "{brace",
            "[bracket",
            "|pipe",
            ">fold",
            "null",
            "Off",
        ];
        let value = json!({ "List": strings, "Key: odd": 1, "": "empty key" });
        let text = to_yaml(&value);
        let back: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back, value, "{text}");
        assert!(text.contains("\"nel\\u0085ls\\u2028bom\\uFEFF\""), "{text}");
    }

    #[test]
    fn sections_in_order_and_empty_ones_left_out() {
        let v = sample().to_value();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "AWSTemplateFormatVersion",
                "Description",
                "Parameters",
                "Resources",
                "Outputs"
            ]
        );
    }
}

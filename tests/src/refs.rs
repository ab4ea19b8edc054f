//! Rendered templates read back by independent parsers (serde_json, serde_yaml), and every `Ref`
//! and `Fn::GetAtt` checked to name something of the same template: a parameter, a resource or
//! a pseudo parameter (a nested stack sees only what it declares; its parent passes the rest as
//! parameters). Shared by the corpus test and the render fuzz target (fuzz/src/lib.rs includes
//! this file by path), so it depends on serde_json and serde_yaml only.

use serde_json::Value;

/// CloudFormation's pseudo parameters.
pub const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// True for an output file that is a template (not a `.params.json` / `.config.json` file).
pub fn is_template(path: &str) -> bool {
    let parameters = path.ends_with(".params.json") || path.ends_with(".config.json");
    !parameters && (path.ends_with(".json") || path.ends_with(".yaml"))
}

/// The template `text` of file `path`, parsed as JSON (`.json`) or YAML (`.yaml`).
pub fn parse(path: &str, text: &str) -> Result<Value, String> {
    if path.ends_with(".json") {
        serde_json::from_str(text).map_err(|e| format!("{path}: invalid JSON: {e}"))
    } else {
        serde_yaml::from_str(text).map_err(|e| format!("{path}: invalid YAML: {e}"))
    }
}

/// Every `Ref` / `Fn::GetAtt` of `template` that names nothing it declares, as messages.
pub fn unresolved(template: &Value) -> Vec<String> {
    let names = |key: &str| -> Vec<&str> {
        template
            .get(key)
            .and_then(Value::as_object)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    };
    let parameters = names("Parameters");
    let resources = names("Resources");
    let mut bad = Vec::new();
    walk(template, "", &mut |path, key, value| match (key, value) {
        ("Ref", Value::String(name)) => {
            let known = parameters.contains(&name.as_str())
                || resources.contains(&name.as_str())
                || PSEUDO_PARAMETERS.contains(&name.as_str());
            if !known {
                bad.push(format!("{path}: Ref `{name}` is no parameter or resource"));
            }
        }
        ("Ref", other) => bad.push(format!("{path}: Ref of a non-string {other}")),
        ("Fn::GetAtt", value) => {
            let target = match value {
                Value::Array(items) if items.len() == 2 => items[0].as_str(),
                Value::String(dotted) => dotted.split_once('.').map(|(r, _)| r),
                _ => None,
            };
            match target {
                Some(name) if resources.contains(&name) => {}
                Some(name) => bad.push(format!("{path}: Fn::GetAtt `{name}` is no resource")),
                None => bad.push(format!("{path}: malformed Fn::GetAtt {value}")),
            }
        }
        _ => {}
    });
    bad
}

/// Calls `visit(path, key, value)` for every key of every mapping under `value`.
fn walk(value: &Value, path: &str, visit: &mut dyn FnMut(&str, &str, &Value)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                visit(path, key, child);
                walk(child, &format!("{path}/{key}"), visit);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(child, &format!("{path}/{i}"), visit);
            }
        }
        _ => {}
    }
}

/// Every problem of the rendered `files` (path, text): a template that does not parse, or a
/// reference it does not resolve.
pub fn check_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, text) in files {
        if !is_template(path) {
            continue;
        }
        match parse(path, text) {
            Ok(template) => problems.extend(
                unresolved(&template)
                    .into_iter()
                    .map(|p| format!("{path}{p}")),
            ),
            Err(e) => problems.push(e),
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_only_to_what_the_template_declares() {
        let template: Value = serde_yaml::from_str(
            "Parameters:\n  VpcId: {Type: String}\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      VpcId: {Ref: VpcId}\n      Region: {Ref: AWS::Region}\n      A: {'Fn::GetAtt': [Sg, GroupId]}\n      B: {'Fn::GetAtt': Sg.GroupId}\n      C: {Ref: Missing}\n      D: {'Fn::GetAtt': [VpcId, Arn]}\n      E: {'Fn::GetAtt': 3}\n",
        )
        .unwrap();
        let bad = unresolved(&template);
        assert_eq!(
            bad,
            [
                "/Resources/Sg/Properties/C: Ref `Missing` is no parameter or resource",
                "/Resources/Sg/Properties/D: Fn::GetAtt `VpcId` is no resource",
                "/Resources/Sg/Properties/E: malformed Fn::GetAtt 3",
            ]
        );
    }

    #[test]
    fn templates_must_parse_and_parameter_files_are_left_alone() {
        let problems = check_files([
            ("a.json", "{\"Resources\": {}"),
            ("a.yaml", "Resources: [\n"),
            ("a.params.json", "not json"),
            (
                "b.json",
                "{\"Outputs\": {\"X\": {\"Value\": {\"Ref\": \"Y\"}}}}",
            ),
        ]);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("a.json: invalid JSON"));
        assert!(problems[1].starts_with("a.yaml: invalid YAML"));
        assert_eq!(
            problems[2],
            "b.json/Outputs/X/Value: Ref `Y` is no parameter or resource"
        );
    }
}

use serde_json::json;

use super::{LEVELS, LEVEL_NAMES};
use crate::modules::testing::{emit, emit_with};

fn level(name: &str) -> Vec<&'static str> {
    LEVELS
        .iter()
        .find(|(l, _)| *l == name)
        .map(|(_, a)| a.to_vec())
        .unwrap_or_default()
}

const APP_CONFIG: &str = include_str!("fixtures/app-config.json");
const ROUTES: &str = include_str!("fixtures/routes.yaml");

#[test]
fn access_levels_are_explicit_action_lists() {
    assert_eq!(
        level("RO"),
        [
            "ssm:GetParameter",
            "ssm:GetParameterHistory",
            "ssm:GetParameters",
            "ssm:GetParametersByPath"
        ]
    );
    assert_eq!(
        level("ROStrict"),
        ["ssm:GetParameter", "ssm:GetParameterHistory"]
    );
    assert_eq!(
        level("RWStrict"),
        [
            "ssm:GetParameter",
            "ssm:GetParameterHistory",
            "ssm:PutParameter"
        ]
    );
    assert!(level("RW").contains(&"ssm:PutParameter"));
    // SAM's policy also names ssm:DescribeParameters, which has no resource-level permission.
    assert_eq!(
        level("SSMParameterReadPolicy"),
        [
            "ssm:GetParameter",
            "ssm:GetParameters",
            "ssm:GetParametersByPath"
        ]
    );
    let names: Vec<&str> = LEVELS.iter().map(|(l, _)| *l).collect();
    assert_eq!(names, LEVEL_NAMES);
}

#[test]
fn parameters_values_arns_and_links() {
    let r = emit(include_str!("fixtures/parameters.yml"));
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let t = r.template("ssm");
    let exports = r.stacks.get("ssm").expect("the ssm stack").exports();
    assert_eq!(
        t.resources["FeatureFlags"].properties["Value"],
        json!("checkout-v2,fast-search")
    );
    // The ARN holds the name after `parameter`, with a `/` only when the name has none.
    let arn = |name: &str| exports[name].value["Fn::Sub"][0].clone();
    assert_eq!(
        arn("SsmFeatureFlagsParameterArn"),
        json!("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${Name}")
    );
    assert_eq!(
        arn("SsmBannerParameterArn"),
        json!("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${Name}")
    );
    assert_eq!(r.actions("admin", "SsmFeatureFlags"), [level("RW")]);
    let known = &r.stacks.known_values;
    assert_eq!(
        known["SsmSharedEndpointParameterName"],
        "/platform/endpoint"
    );
    insta::assert_snapshot!(r.summary());
}

#[test]
fn values_from_files_are_validated_and_transformed() {
    let r = emit_with(
        include_str!("fixtures/from_file.yml"),
        &[("app-config.json", APP_CONFIG), ("routes.yaml", ROUTES)],
    );
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let t = r.template("ssm");
    assert_eq!(
        t.resources["AppConfig"].properties["Value"],
        json!(r#"{"currency":"EUR","page_size":20,"features":["search","checkout"]}"#)
    );
    let routes: serde_json::Value = serde_json::from_str(
        t.resources["Routes"].properties["Value"]
            .as_str()
            .expect("a string"),
    )
    .expect("JSON");
    assert_eq!(
        routes["routes"][1],
        json!({"path": "/admin", "backend": "admin", "private": true})
    );
    assert_eq!(
        t.resources["AppConfigB64"].properties["Value"],
        json!({"Fn::Base64": APP_CONFIG})
    );
    assert_eq!(t.resources["Routes"].properties["Type"], json!("String"));
}

#[test]
fn bad_values_are_located() {
    let text = "services:\n  app:\n    image: nginx\nx-ssm_parameter:\n  a:\n    MacroParameters:\n      FromFile: ./a.json\n      ValidateJson: true\n  b:\n    MacroParameters:\n      FromFile: missing.json\n  c:\n    Properties:\n      Type: SecureString\n      Value: x\n  d:\n    Properties:\n      Description: nothing\n  e:\n    Properties:\n      Value: inline\n    MacroParameters:\n      FromFile: ./a.json\n  f:\n    MacroParameters:\n      FromFile: ./r.yaml\n      ValidateYaml: true\n  g:\n    Properties:\n      Value: [a, b]\n";
    let r = emit_with(
        text,
        &[
            ("a.json", "{\n  \"a\": 1,\n  \"b\": [\n}\n"),
            ("r.yaml", "a: [1, 2\n"),
        ],
    );
    insta::assert_snapshot!(r.diagnostics().join("\n"));
    // The JSON error also points into the file, at the line that breaks.
    let json_error = r
        .diags
        .iter()
        .find(|d| d.message.contains("not valid JSON"))
        .expect("reported");
    assert_eq!(
        json_error.labels[0].location.as_ref().map(|l| l.line),
        Some(4)
    );
}

#[test]
fn a_value_over_the_standard_tier_is_refused() {
    let long = "x".repeat(4097);
    let text = format!("services:\n  app:\n    image: nginx\nx-ssm_parameter:\n  big:\n    Properties:\n      Value: {long}\n");
    let r = emit(&text);
    assert_eq!(r.error_codes(), ["CX602"]);
    let text = text.replace(
        "    Properties:\n",
        "    Properties:\n      Tier: Advanced\n",
    );
    assert!(emit(&text).error_codes().is_empty());
}

#[test]
fn readme_examples_render() {
    crate::modules::testing::assert_readme_examples_render(include_str!("README.md"));
}

use serde_json::{json, Value};

use super::LEVELS;
use crate::modules::testing::emit;

fn level(name: &str) -> Vec<&'static str> {
    LEVELS
        .iter()
        .find(|(l, _)| *l == name)
        .map(|(_, a)| a.to_vec())
        .unwrap_or_default()
}

#[test]
fn access_levels_are_explicit_action_lists() {
    assert_eq!(level("RW"), ["aps:DescribeWorkspace", "aps:RemoteWrite"]);
    assert_eq!(
        level("Query"),
        [
            "aps:DescribeWorkspace",
            "aps:GetLabels",
            "aps:GetMetricMetadata",
            "aps:GetSeries",
            "aps:QueryMetrics"
        ]
    );
    for (_, actions) in LEVELS {
        assert!(actions
            .iter()
            .all(|a| a.starts_with("aps:") && !a.contains('*')));
    }
}

#[test]
fn workspaces_log_groups_lookups_and_links() {
    let r = emit(include_str!("fixtures/workspaces.yml"));
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let t = r.template("aps");
    let ws = &t.resources["Metrics"];
    assert_eq!(ws.type_, "AWS::APS::Workspace");
    assert_eq!(ws.properties["Alias"], json!("app-metrics"));
    // The new log group (the user's retention wins) is the workspace's logging destination.
    assert_eq!(
        ws.properties["LoggingConfiguration"],
        json!({"LogGroupArn": {"Fn::GetAtt": ["MetricsLoggingGroup", "Arn"]}})
    );
    assert_eq!(
        Value::Object(t.resources["MetricsLoggingGroup"].properties.clone()),
        json!({"RetentionInDays": 30})
    );
    // The remote write URL is the endpoint followed by its API path.
    let exports = r.stacks.get("aps").map(|s| s.exports()).unwrap();
    assert_eq!(
        exports["ApsMetricsRemoteWriteUrl"].value,
        json!({"Fn::Sub": "${Metrics.PrometheusEndpoint}api/v1/remote_write"})
    );
    assert_eq!(r.actions("collector", "ApsMetrics"), [level("RW")]);
    assert_eq!(r.actions("dashboard", "ApsMetrics"), [level("Query")]);
    assert_eq!(r.actions("collector", "ApsShared"), [level("RW")]);
    // The looked-up workspace's values follow from its ARN.
    let known = &r.stacks.known_values;
    assert_eq!(
        known["ApsSharedRemoteWriteUrl"],
        "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0a1b2c3d-4e5f-6789-abcd-ef0123456789/api/v1/remote_write"
    );
    assert_eq!(
        known["ApsSharedArn"],
        "arn:aws:aps:eu-west-1:123456789012:workspace/ws-0a1b2c3d-4e5f-6789-abcd-ef0123456789"
    );
    insta::assert_snapshot!(r.summary());
}

#[test]
fn bad_levels_and_log_group_settings_are_located() {
    let r = emit(
        "services:\n  app:\n    image: nginx\nx-aps:\n  ws:\n    Properties:\n      LoggingConfiguration: {LogGroupArn: arn:aws:logs:eu-west-1:123456789012:log-group:x:*}\n    MacroParameters:\n      CreateNewLogGroup: true\n    Services:\n      app:\n        Access: ReadActions\n  other:\n    MacroParameters:\n      CreateNewLogGroup: yes please\n",
    );
    insta::assert_snapshot!(r.diagnostics().join("\n"));
}

#[test]
fn readme_examples_render() {
    crate::modules::testing::assert_readme_examples_render(include_str!("README.md"));
}

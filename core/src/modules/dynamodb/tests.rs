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
    assert_eq!(
        level("RO"),
        [
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:Scan"
        ]
    );
    assert_eq!(
        level("RW"),
        [
            "dynamodb:BatchGetItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:DeleteItem",
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "dynamodb:Scan",
            "dynamodb:UpdateItem"
        ]
    );
    // ComposeX's PowerUser was NotAction [CreateTable, DeleteTable, DeleteBackup].
    assert_eq!(
        level("PowerUser"),
        [
            "dynamodb:BatchGetItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:CreateBackup",
            "dynamodb:DeleteItem",
            "dynamodb:DescribeContinuousBackups",
            "dynamodb:DescribeTable",
            "dynamodb:DescribeTimeToLive",
            "dynamodb:GetItem",
            "dynamodb:ListTagsOfResource",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "dynamodb:Scan",
            "dynamodb:TagResource",
            "dynamodb:UntagResource",
            "dynamodb:UpdateContinuousBackups",
            "dynamodb:UpdateItem",
            "dynamodb:UpdateTable",
            "dynamodb:UpdateTimeToLive"
        ]
    );
    assert_eq!(
        level("KinesisKCL"),
        [
            "dynamodb:DeleteItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Scan",
            "dynamodb:UpdateItem"
        ]
    );
    assert_eq!(LEVELS.len(), 4);
}

#[test]
fn tables_indexes_and_auto_scaling() {
    let r = emit(include_str!("fixtures/tables.yml"));
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let t = r.template("dynamodb");
    assert_eq!(
        t.resources["Sessions"].properties["BillingMode"],
        "PAY_PER_REQUEST"
    );
    assert_eq!(
        t.resources["Sessions"].deletion_policy.as_deref(),
        Some("Retain")
    );
    // Table read + write, and CopyToIndexes gives the index the same two.
    let targets = t
        .resources
        .values()
        .filter(|r| r.type_ == "AWS::ApplicationAutoScaling::ScalableTarget")
        .count();
    assert_eq!(targets, 4);
    // Access covers the table and its indexes.
    let links = r.links.family("app02").unwrap();
    let resources = &links.policies[0].statements[0].resources;
    assert_eq!(resources.len(), 2);
    assert_eq!(
        resources[1],
        serde_json::json!({"Fn::Join": ["", [{"Ref": "DynamodbAlbumsArn"}, "/index/*"]]})
    );
    insta::assert_snapshot!(r.summary());
}

#[test]
fn scaling_an_unknown_index_or_an_on_demand_table_is_an_error() {
    let text = "services:\n  app:\n    image: nginx\nx-dynamodb:\n  t:\n    Properties:\n      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n      GlobalSecondaryIndexes:\n        - IndexName: gsi\n    Scaling:\n      Table: {}\n      Indexes:\n        gsj: {}\n  u:\n    Scaling:\n      Table: {}\n";
    let r = emit(text);
    let d = r.diagnostics();
    assert!(d.iter().any(|m| m.starts_with("error CX361 13:9 x-dynamodb t: no global secondary index `gsj` (help: did you mean `gsi`?)")), "{d:?}");
    assert!(
        d.iter()
            .any(|m| m
                .starts_with("error CX370 16:7 x-dynamodb u: Scaling needs provisioned capacity")),
        "{d:?}"
    );
}

#[test]
fn unread_settings_are_reported_as_ignored() {
    let text = "services:\n  app:\n    image: nginx\nx-dynamodb:\n  t:\n    Settings:\n      x-cloudmap:\n        Namespace: private\n";
    let r = emit(text);
    assert_eq!(
        r.diagnostics(),
        ["warning CX372 7:7 x-dynamodb t: Settings.x-cloudmap is ignored (help: registering x-resources in CloudMap is not supported)"]
    );
}

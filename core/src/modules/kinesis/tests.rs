use serde_json::json;

use super::access::{LEVELS, LEVEL_NAMES};
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
        level("Producer"),
        [
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:ListShards",
            "kinesis:PutRecord",
            "kinesis:PutRecords"
        ]
    );
    // ComposeX's Consumer lacks GetShardIterator: without it no record can be read.
    assert_eq!(
        level("Consumer"),
        [
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:ListShards"
        ]
    );
    // ComposeX's PowerUser was NotAction [CreateStream, DeleteStream]: here an explicit list.
    let power = level("PowerUser");
    assert!(!power.contains(&"kinesis:CreateStream") && !power.contains(&"kinesis:DeleteStream"));
    assert!(power.contains(&"kinesis:UpdateShardCount") && power.contains(&"kinesis:PutRecords"));
    for (_, actions) in LEVELS {
        assert!(actions
            .iter()
            .all(|a| a.starts_with("kinesis:") && !a.contains('*')));
    }
    let names: Vec<&str> = LEVELS.iter().map(|(l, _)| *l).collect();
    assert_eq!(names, LEVEL_NAMES);
}

#[test]
fn streams_encryption_kcl_and_links() {
    let r = emit(include_str!("fixtures/streams.yml"));
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let t = r.template("kinesis");
    // Provisioned by default with one shard, encrypted with the AWS managed key.
    assert_eq!(t.resources["Clicks"].properties["ShardCount"], json!(1));
    assert_eq!(
        t.resources["Clicks"].properties["StreamEncryption"],
        json!({"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"})
    );
    // On demand: no shard count; the user's key (an x-kms key, imported) wins.
    let orders = &t.resources["Orders"].properties;
    assert!(orders.get("ShardCount").is_none());
    assert_eq!(
        orders["StreamEncryption"]["KeyId"],
        json!({"Ref": "KmsStreamKeyArn"})
    );
    // Producers of the key-encrypted stream may generate data keys, consumers decrypt.
    assert_eq!(
        r.actions("collector", "KinesisOrders"),
        [level("Producer"), vec!["kms:GenerateDataKey"]]
    );
    assert_eq!(
        r.actions("analytics", "KinesisOrders"),
        [level("Consumer"), vec!["kms:Decrypt"]]
    );
    // KCL: the stream with enhanced fan-out, the named lease table, the metrics.
    let kcl = r.actions("analytics", "KinesisClicks");
    assert_eq!(kcl[0], level("Consumer"));
    assert_eq!(
        kcl[1],
        [
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:ListShards",
            "kinesis:RegisterStreamConsumer"
        ]
    );
    assert_eq!(
        kcl[2],
        ["kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"]
    );
    assert!(kcl[3].contains(&"dynamodb:CreateTable") && kcl[3].contains(&"dynamodb:UpdateItem"));
    assert_eq!(kcl[4], ["cloudwatch:PutMetricData"]);
    // The collector (no KCL settings) only produces.
    assert_eq!(r.actions("collector", "KinesisClicks"), [level("Producer")]);
    // The looked-up stream's values come from its ARN.
    let known = &r.stacks.known_values;
    assert_eq!(known["KinesisAuditStreamId"], "audit-trail");
    insta::assert_snapshot!(r.summary());
}

#[test]
fn on_demand_with_shards_and_kcl_mistakes_are_located() {
    let r = emit(
        "services:\n  app:\n    image: nginx\nx-kinesis:\n  s:\n    Properties:\n      ShardCount: 2\n      StreamModeDetails: {StreamMode: ON_DEMAND}\n    MacroParameters:\n      SetupIAMForKCL:\n        other: true\n    Services:\n      app:\n        Access: Consumers\n",
    );
    insta::assert_snapshot!(r.diagnostics().join("\n"));
}

#[test]
fn kcl_without_tables_grants_no_table_and_says_so() {
    let r = emit(
        "services:\n  app:\n    image: nginx\nx-kinesis:\n  s:\n    MacroParameters:\n      SetupIAMForKCL:\n        app: true\n    Services:\n      app:\n        Access: Consumer\n",
    );
    let d = r.diagnostics();
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].starts_with("warning CX372 8:14 x-kinesis s: no DynamoDB permission"),
        "{d:?}"
    );
    let actions = r.actions("app", "KinesisS");
    assert!(actions
        .iter()
        .all(|a| !a.iter().any(|x| x.starts_with("dynamodb:"))));
    assert!(actions.iter().any(|a| a == &["cloudwatch:PutMetricData"]));
}

#[test]
fn readme_examples_render() {
    crate::modules::testing::assert_readme_examples_render(include_str!("README.md"));
}

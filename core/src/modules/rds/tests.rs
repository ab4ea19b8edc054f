use crate::modules::testing::emit;

use super::access::{CLUSTER_RO, CONNECT, INSTANCE_RO, LEVELS, LEVEL_NAMES};

const FIXTURE: &str = include_str!("fixtures/databases.yml");

#[test]
fn access_levels_are_explicit_action_lists() {
    assert_eq!(
        CLUSTER_RO,
        ["rds:DescribeDBClusters", "rds:ListTagsForResource"]
    );
    assert_eq!(
        INSTANCE_RO,
        ["rds:DescribeDBInstances", "rds:ListTagsForResource"]
    );
    assert_eq!(CONNECT, ["rds-db:connect"]);
    let names: Vec<&str> = LEVELS.iter().map(|(l, _)| *l).collect();
    assert_eq!(names, LEVEL_NAMES);
}

#[test]
fn levels_give_describe_and_connect() {
    let r = emit(FIXTURE);
    // web: {DBCluster: RW} -> describe the cluster + IAM database authentication.
    assert_eq!(
        r.actions("web", "RdsOrders"),
        [CLUSTER_RO.to_vec(), CONNECT.to_vec()]
    );
    // jobs: RO -> describe only; the task role may read the secret (GrantTaskAccess).
    assert_eq!(r.actions("jobs", "RdsOrders"), [CLUSTER_RO.to_vec()]);
    assert_eq!(
        r.actions("jobs", "RdsOrdersSecret"),
        [vec!["secretsmanager:GetSecretValue"]]
    );
    // worker (family jobs) links `legacy` without Access: no task role statement for it.
    let jobs = r.links.family("jobs").expect("jobs links");
    assert!(!jobs.policies.iter().any(|p| p.name == "RdsLegacy"));
    // Every linked family's execution role reads exactly the secrets it gets.
    let names: Vec<&str> = jobs.execution.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["RdsOrdersSecret", "RdsLegacySecret"]);
}

#[test]
fn databases_secrets_and_ingress() {
    let r = emit(FIXTURE);
    insta::assert_snapshot!(r.summary());
}

fn errors_of(text: &str) -> Vec<String> {
    emit(text).diagnostics()
}

#[test]
fn bad_engine_and_version_are_located() {
    let d = errors_of("x-rds:\n  db:\n    MacroParameters:\n      Engine: aurora-postgres\n");
    assert_eq!(
        d,
        ["error CX380 4:15 x-rds db: `aurora-postgres` is not an RDS engine (help: did you mean `aurora-postgresql`?)"]
    );
    let d = errors_of(
        "x-rds:\n  db:\n    Properties:\n      Engine: aurora-mysql\n      EngineVersion: \"5.7.100\"\n",
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].starts_with("error CX380 5:22 x-rds db: `5.7.100` is not a version of aurora-mysql"),
        "{d:?}"
    );
    let d = errors_of("x-rds:\n  db:\n    Properties:\n      DatabaseName: x\n");
    assert!(
        d[0].starts_with("error CX380 2:3 x-rds db: a database needs an engine"),
        "{d:?}"
    );
}

#[test]
fn instance_properties_and_settings_are_checked() {
    // DatabaseName is a cluster property: a DB instance calls it DBName.
    let d = errors_of(
        "x-rds:\n  db:\n    Properties:\n      Engine: postgres\n      DatabaseName: x\n      StorageEncrypted: false\n    Settings:\n      Subnets: Private\n",
    );
    assert_eq!(
        d,
        [
            "error CX362 5:7 x-rds db: AWS::RDS::DBInstance has no property `DatabaseName` (help: did you mean `DBName`?)",
            "error CX381 6:25 x-rds db: storage is always encrypted (help: remove StorageEncrypted: false (set KmsKeyId to use your own key))",
            "error CX381 8:16 x-rds db: Settings.Subnets names no subnet group (help: use StorageSubnets (the default), AppSubnets or PublicSubnets)",
        ]
    );
}

#[test]
fn instance_offers_no_reader_endpoint() {
    let d = errors_of(
        "services:\n  a:\n    image: x\nx-rds:\n  db:\n    Properties:\n      Engine: mysql\n    Services:\n      a:\n        ReturnValues:\n          ReadEndpoint.Address: READER\n",
    );
    assert_eq!(
        d,
        ["error CX365 11:11 x-rds db: a DB instance offers no value `ReadEndpoint.Address`"]
    );
}

#[test]
fn lookup_becomes_parameters() {
    let r = emit(
        "services:\n  a:\n    image: x\nx-rds:\n  db:\n    Lookup:\n      Arn: arn:aws:rds:eu-west-1:123456789012:cluster:prod\n    Services:\n      a:\n        Access: RO\n",
    );
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    assert_eq!(
        r.stacks
            .known_values
            .get("RdsDbDBCluster")
            .map(String::as_str),
        Some("prod")
    );
    assert_eq!(
        r.stacks
            .known_values
            .get("RdsDbDBClusterArn")
            .map(String::as_str),
        Some("arn:aws:rds:eu-west-1:123456789012:cluster:prod")
    );
    assert!(!r.stacks.contains("rds"));
}

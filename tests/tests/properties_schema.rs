//! Snapshot tests of `Properties` checked against the CloudFormation resource schemas: one per
//! kind of mistake (unknown, kind, allowed value, required, nested, pattern / KMS key format,
//! range, legacy), each at its line with its help, as the CLI prints them. Each snapshot was
//! read by hand. Then what must pass: CloudFormation's own scalar conversions, intrinsic
//! functions and x-module references, and the check switched off.

use composex::report;
use composex_core::{Input, Options, SourceFile};

fn input(text: &str) -> Input {
    Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        ..Input::default()
    }
}

fn validate(text: &str) -> String {
    let input = input(text);
    let out = composex_core::validate(&input);
    report::text(&out.diagnostics, &input.files, false)
}

const APP: &str = "services:\n  app:\n    image: nginx\n";

#[test]
fn wrong_type() {
    insta::assert_snapshot!(validate(&format!(
        "{APP}x-sqs:\n  jobs:\n    Properties:\n      DelaySeconds: soon\n      FifoQueue: maybe\n"
    )));
}

#[test]
fn bad_enum_lists_the_allowed_values_closest_first() {
    insta::assert_snapshot!(validate(&format!(
        "{APP}x-dynamodb:\n  table:\n    Properties:\n      BillingMode: PAY_PER_REQUESTS\n      AttributeDefinitions:\n        - AttributeName: id\n          AttributeType: S\n      KeySchema:\n        - AttributeName: id\n          KeyType: HASH\n"
    )));
}

#[test]
fn missing_required_in_a_list_item() {
    insta::assert_snapshot!(validate(&format!(
        "{APP}x-dynamodb:\n  table:\n    Properties:\n      AttributeDefinitions:\n        - AttributeName: id\n      KeySchema:\n        - AttributeName: id\n          KeyType: HASH\n"
    )));
}

#[test]
fn missing_required_at_the_top() {
    insta::assert_snapshot!(validate(&format!(
        "{APP}x-dynamodb:\n  table:\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n"
    )));
}

#[test]
fn nested_enum_and_unknown_nested_key() {
    insta::assert_snapshot!(validate(&format!(
        "{APP}x-s3:\n  bucket:\n    Properties:\n      VersioningConfiguration:\n        Status: On\n      PublicAccessBlockConfiguration:\n        BlockPublicAcl: true\n"
    )));
}

#[test]
fn kms_key_format() {
    insta::assert_snapshot!(validate(&format!(
        "{APP}x-s3:\n  bucket:\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n              KMSMasterKeyID: aws/s3\n"
    )));
}

#[test]
fn unknown_property_with_did_you_mean() {
    insta::assert_snapshot!(validate(&format!(
        "{APP}x-sns:\n  topic:\n    Properties:\n      TopicNme: alerts\n"
    )));
}

#[test]
fn out_of_range_and_pattern() {
    insta::assert_snapshot!(validate(&format!(
        "{APP}x-sqs:\n  jobs:\n    Properties:\n      MessageRetentionPeriod: 30\nx-kms:\n  key:\n    Properties:\n      PendingWindowInDays: 3\nx-events:\n  nightly:\n    Properties:\n      Name: nightly job\n      ScheduleExpression: rate(1 day)\n    Services:\n      app:\n        DeleteDefaultService: true\n"
    )));
}

#[test]
fn legacy_property_warns() {
    insta::assert_snapshot!(validate(&format!(
        "{APP}x-s3:\n  bucket:\n    Properties:\n      AccessControl: Private\n"
    )));
}

#[test]
fn load_balancer_properties() {
    insta::assert_snapshot!(validate(
        "services:\n  app01:\n    image: nginx\n    ports:\n      - 5000:5000\nx-elbv2:\n  public-alb:\n    Properties:\n      Scheme: internet-facing\n      Type: application\n      IpAddressTyp: dualstack\n    Listeners:\n      80:\n        Protocol: HTTP\n        Targets:\n          - name: app01:app01\n            access: /\n    Services:\n      app01:app01:\n        port: 5000\n        protocol: HTTP\n        healthcheck: \"5000:HTTP:/:200\"\n"
    ));
}

#[test]
fn what_cloudformation_accepts_passes() {
    // Quoted numbers are numbers, numbers are strings, "true" is a boolean; intrinsic functions
    // and references stand for any value.
    let text = format!(
        "{APP}x-sqs:\n  dlq:\n    Properties:\n      MessageRetentionPeriod: \"1209600\"\n  jobs:\n    Properties:\n      DelaySeconds: '5'\n      FifoQueue: \"false\"\n      VisibilityTimeout: {{\"Fn::If\": [c, 1, 2]}}\n      KmsMasterKeyId: x-kms::key\n      RedrivePolicy:\n        deadLetterTargetArn: x-sqs::dlq\n        maxReceiveCount: 5\n      Tags:\n        - Key: team\n          Value: 42\nx-kms:\n  key:\n    Properties:\n      Description: {{Ref: AWS::StackName}}\nx-s3:\n  bucket:\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n              KMSMasterKeyID: alias/aws/s3\n"
    );
    let report = validate(&text);
    assert!(!report.contains("error"), "{report}");
}

#[test]
fn switched_off_only_names_are_checked() {
    let text = format!(
        "{APP}x-sqs:\n  jobs:\n    Properties:\n      DelaySeconds: soon\n      DelaySecond: 5\n"
    );
    let mut off = input(&text);
    off.options = Options {
        check_properties: false,
        ..Options::default()
    };
    let codes: Vec<&str> = composex_core::validate(&off)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect::<Vec<_>>()
        .into_iter()
        .filter(|c| c.starts_with("CX5") || *c == "CX362")
        .collect();
    assert_eq!(codes, ["CX362"]);
    let on: Vec<&str> = composex_core::validate(&input(&text))
        .diagnostics
        .iter()
        .map(|d| d.code)
        .filter(|c| c.starts_with("CX5") || *c == "CX362")
        .collect();
    assert_eq!(on, ["CX500", "CX362"]);
}

#[test]
fn instance_classes_no_region_offers() {
    // An Aurora cluster's instances take its engine; a standalone instance's engine may sit in
    // MacroParameters; a cache node type has one list. Each at the value, closest names first.
    insta::assert_snapshot!(validate(&format!(
        "{APP}x-rds:\n  aurora:\n    MacroParameters:\n      Engine: aurora-postgresql\n      EngineVersion: \"14.6\"\n      Instances:\n        - DBInstanceClass: db.m5a.large\n        - DBInstanceClass: db.r6g.large\n  pg:\n    MacroParameters:\n      Engine: postgres\n      EngineVersion: \"16.3\"\n    Properties:\n      DBInstanceClass: db.t4g.mikro\nx-elasticache:\n  cache:\n    Properties:\n      Engine: redis\n      CacheNodeType: cache.t3.smal\n      NumCacheNodes: 1\n"
    )));
}

#[test]
fn instance_classes_offered_somewhere_pass() {
    let text = format!(
        "{APP}x-rds:\n  aurora:\n    MacroParameters:\n      Engine: aurora-mysql\n      EngineVersion: \"8.0.mysql_aurora.3.05.2\"\n      Instances:\n        - DBInstanceClass: db.serverless\n        - DBInstanceClass: {{Ref: InstanceClass}}\n  pg:\n    Properties:\n      Engine: postgres\n      DBInstanceClass: db.t4g.micro\n"
    );
    let report = validate(&text);
    assert!(!report.contains("CX506"), "{report}");
}

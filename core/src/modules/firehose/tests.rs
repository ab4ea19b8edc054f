use serde_json::json;

use super::PRODUCER;
use crate::modules::testing::emit;

#[test]
fn delivery_streams_roles_and_encryption() {
    let r = emit(include_str!("fixtures/delivery.yml"));
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let t = r.template("firehose");
    let direct = &t.resources["EventsToS3"].properties;
    // Direct put: encrypted with an AWS owned key; the stream's own role writes to the bucket.
    assert_eq!(
        direct["DeliveryStreamEncryptionConfigurationInput"],
        json!({"KeyType": "AWS_OWNED_CMK"})
    );
    assert_eq!(
        direct["ExtendedS3DestinationConfiguration"]["RoleARN"],
        json!({"Fn::GetAtt": ["EventsToS3Role", "Arn"]})
    );
    // A Kinesis source: the type follows, no stream encryption (the source stream's applies).
    let raw = &t.resources["RawToS3"].properties;
    assert_eq!(raw["DeliveryStreamType"], json!("KinesisStreamAsSource"));
    assert!(raw
        .get("DeliveryStreamEncryptionConfigurationInput")
        .is_none());
    assert_eq!(
        raw["KinesisStreamSourceConfiguration"]["RoleARN"],
        json!({"Fn::GetAtt": ["RawToS3Role", "Arn"]})
    );
    // The role reads the source stream and writes the bucket, nothing else.
    let role = &t.resources["RawToS3Role"].properties;
    let statements = &role["Policies"][0]["PolicyDocument"]["Statement"];
    let actions: Vec<&serde_json::Value> = statements
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| &s["Action"])
        .collect();
    assert_eq!(
        actions,
        [
            &json!([
                "kinesis:DescribeStream",
                "kinesis:GetRecords",
                "kinesis:GetShardIterator",
                "kinesis:ListShards"
            ]),
            &json!([
                "s3:AbortMultipartUpload",
                "s3:GetBucketLocation",
                "s3:GetObject",
                "s3:ListBucket",
                "s3:ListBucketMultipartUploads",
                "s3:PutObject"
            ])
        ]
    );
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"],
        json!({"StringEquals": {"sts:ExternalId": {"Ref": "AWS::AccountId"}}})
    );
    assert_eq!(r.actions("app", "FirehoseEventsToS3"), [PRODUCER.to_vec()]);
    insta::assert_snapshot!(r.summary());
}

#[test]
fn a_written_role_is_replaced_unless_kept() {
    let text = "services:\n  app:\n    image: nginx\nx-kinesis_firehose:\n  a:\n    Properties:\n      S3DestinationConfiguration:\n        BucketARN: arn:aws:s3:::my-bucket\n        RoleARN: arn:aws:iam::123456789012:role/mine\n  b:\n    Properties:\n      S3DestinationConfiguration:\n        BucketARN: arn:aws:s3:::my-bucket\n        RoleARN: arn:aws:iam::123456789012:role/mine\n    MacroParameters:\n      DoNotOverrideIamRole: [S3DestinationConfiguration]\n  c:\n    MacroParameters:\n      DoNotOverrideIamRole: [S3Destination]\n    Services:\n      app:\n        Access: Consumer\n";
    let r = emit(text);
    insta::assert_snapshot!(r.diagnostics().join("\n"));
    let t = r.template("firehose");
    assert_eq!(
        t.resources["A"].properties["S3DestinationConfiguration"]["RoleARN"],
        json!({"Fn::GetAtt": ["ARole", "Arn"]})
    );
    assert_eq!(
        t.resources["B"].properties["S3DestinationConfiguration"]["RoleARN"],
        json!("arn:aws:iam::123456789012:role/mine")
    );
    assert!(!t.resources.contains_key("BRole"));
}

#[test]
fn readme_examples_render() {
    crate::modules::testing::assert_readme_examples_render(include_str!("README.md"));
}

use super::access::{object_actions, BUCKET_LEVELS, OBJECT_LEVELS};
use crate::modules::testing::emit;

#[test]
fn bucket_levels_are_explicit_action_lists() {
    let levels: Vec<(&str, Vec<&str>)> = BUCKET_LEVELS
        .iter()
        .map(|(l, a)| (*l, a.to_vec()))
        .collect();
    assert_eq!(
        levels[0],
        (
            "ListOnly",
            vec![
                "s3:GetBucketLocation",
                "s3:GetBucketPublicAccessBlock",
                "s3:ListBucket"
            ]
        )
    );
    assert_eq!(
        levels[1],
        (
            "PowerUser",
            vec![
                "s3:GetAccelerateConfiguration",
                "s3:GetBucketCORS",
                "s3:GetBucketLocation",
                "s3:GetBucketNotification",
                "s3:GetBucketPolicy",
                "s3:GetBucketPublicAccessBlock",
                "s3:GetBucketTagging",
                "s3:GetBucketVersioning",
                "s3:GetBucketWebsite",
                "s3:GetEncryptionConfiguration",
                "s3:GetLifecycleConfiguration",
                "s3:ListBucket",
                "s3:ListBucketMultipartUploads",
                "s3:ListBucketVersions",
                "s3:PutBucketCORS",
                "s3:PutBucketTagging",
                "s3:PutBucketVersioning",
                "s3:PutBucketWebsite",
                "s3:PutLifecycleConfiguration"
            ]
        )
    );
    assert_eq!(levels.len(), 2);
}

#[test]
fn object_levels_are_explicit_action_lists() {
    let get = [
        "s3:GetObject",
        "s3:GetObjectAcl",
        "s3:GetObjectAttributes",
        "s3:GetObjectTagging",
        "s3:GetObjectVersion",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionAttributes",
        "s3:GetObjectVersionTagging",
    ];
    let put = [
        "s3:PutObject",
        "s3:PutObjectAcl",
        "s3:PutObjectTagging",
        "s3:PutObjectVersionAcl",
        "s3:PutObjectVersionTagging",
    ];
    let delete = [
        "s3:DeleteObject",
        "s3:DeleteObjectTagging",
        "s3:DeleteObjectVersion",
        "s3:DeleteObjectVersionTagging",
    ];
    let sorted = |parts: &[&[&'static str]]| {
        let mut v: Vec<&str> = parts.concat();
        v.sort_unstable();
        v
    };
    // ComposeX's CRUD named s3:CreateMultipartUpload, which IAM lacks (s3:PutObject covers it).
    assert_eq!(
        object_actions("CRUD").unwrap(),
        [
            "s3:AbortMultipartUpload",
            "s3:DeleteObject",
            "s3:DeleteObjectTagging",
            "s3:DeleteObjectVersionTagging",
            "s3:GetObject",
            "s3:GetObjectTagging",
            "s3:GetObjectVersionTagging",
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:PutObjectTagging",
            "s3:PutObjectVersionTagging"
        ]
    );
    assert_eq!(object_actions("RW").unwrap(), sorted(&[&get, &put]));
    assert_eq!(
        object_actions("StrictRW").unwrap(),
        ["s3:GetObject", "s3:PutObject"]
    );
    assert_eq!(
        object_actions("StrictRWDelete").unwrap(),
        ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    );
    assert_eq!(
        object_actions("RWDelete").unwrap(),
        sorted(&[&get, &put, &delete])
    );
    assert_eq!(object_actions("ReadOnly").unwrap(), get);
    assert_eq!(object_actions("StrictReadOnly").unwrap(), ["s3:GetObject"]);
    assert_eq!(object_actions("WriteOnly").unwrap(), put);
    assert_eq!(object_actions("StrictWriteOnly").unwrap(), ["s3:PutObject"]);
    assert!(OBJECT_LEVELS.iter().all(|l| object_actions(l).is_some()));
    assert_eq!(object_actions("Nope"), None);
}

#[test]
fn buckets_policies_notifications_and_links() {
    let r = emit(include_str!("fixtures/buckets.yml"));
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    let s3 = r.template("s3");
    let assets = &s3.resources["Assets"];
    assert_eq!(
        assets.properties["BucketName"],
        serde_json::json!({"Fn::Sub": "assets-${AWS::AccountId}-${AWS::Region}"})
    );
    assert_eq!(assets.deletion_policy.as_deref(), Some("Retain"));
    // Public access blocked and encryption on by default.
    let logs = &s3.resources["Logs"];
    assert_eq!(
        logs.properties["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"],
        true
    );
    assert_eq!(
        logs.properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
            ["ServerSideEncryptionByDefault"]["SSEAlgorithm"],
        "AES256"
    );
    // The queue lets this bucket (named, not referenced: no stack cycle) send.
    let policy =
        &r.template("sqs").resources["UploadsPolicy"].properties["PolicyDocument"]["Statement"][0];
    assert_eq!(policy["Principal"]["Service"], "s3.amazonaws.com");
    assert_eq!(
        policy["Condition"]["ArnEquals"]["aws:SourceArn"],
        serde_json::json!({"Fn::Sub": ["arn:${AWS::Partition}:s3:::${Name}", {"Name": {"Fn::Sub": "assets-${AWS::AccountId}-${AWS::Region}"}}]})
    );
    insta::assert_snapshot!(r.summary());
}

#[test]
fn access_must_be_a_mapping_and_levels_known() {
    let text = "services:\n  app:\n    image: nginx\nx-s3:\n  b:\n    Services:\n      app:\n        Access: RW\n  c:\n    Services:\n      app:\n        Access:\n          objects: ReadWrite\n";
    let r = emit(text);
    let d = r.diagnostics();
    assert!(
        d[0].starts_with("error CX361 8:17 x-s3 b: Access is a mapping for buckets"),
        "{d:?}"
    );
    assert!(
        d[1].starts_with("error CX364 13:20 x-s3: no access level `ReadWrite`"),
        "{d:?}"
    );
}

#[test]
fn a_public_access_block_written_with_a_setting_off_is_the_users_choice() {
    let text = "services:\n  app:\n    image: nginx\nx-s3:\n  b:\n    Properties:\n      PublicAccessBlockConfiguration:\n        BlockPublicAcls: true\n        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n        RestrictPublicBuckets: false\n";
    let r = emit(text);
    let d = r.diagnostics();
    // The note at the value written (line 8), the suppression of the one check it fails.
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].starts_with("info CX540 8:9 x-s3.b.Properties.PublicAccessBlockConfiguration leaves RestrictPublicBuckets off"),
        "{d:?}"
    );
    let bucket = &r.stacks.get("s3").expect("s3 stack").template.resources["B"];
    let skips = crate::cfn::checkov::skips(bucket);
    assert_eq!(skips.len(), 1);
    assert_eq!(skips[0].0, "CKV_AWS_56");
    // Every bucket refuses requests without TLS.
    let policy = &r.stacks.get("s3").expect("s3 stack").template.resources["BBucketPolicy"];
    assert_eq!(
        policy.properties["PolicyDocument"]["Statement"][0]["Sid"],
        "TlsOnly"
    );
}

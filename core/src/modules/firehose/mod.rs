//! x-kinesis_firehose: Firehose delivery streams (`AWS::KinesisFirehose::DeliveryStream`). A new
//! stream gets its own IAM role (trusted by Firehose for this account only), used for its
//! Kinesis stream source and S3 destinations, whose policy grants exactly what Firehose needs on
//! the streams, buckets and keys named (`x-kinesis::`, `x-s3::`, `x-kms::` references or ARNs);
//! `MacroParameters.DoNotOverrideIamRole` (true, or a list of the configurations) keeps the
//! user's `RoleARN`. A direct-put stream is encrypted with an AWS owned key unless
//! `DeliveryStreamEncryptionConfigurationInput` is given. Linked families get `Producer`.

use serde_json::{json, Map, Value};

use super::common::{arn_resource, Ctx, Entry, Grant};
use super::{kinesis, ModuleDef, ReturnValue, Statement, IGNORED, INVALID};
use crate::cfn::{get_att, sub_with, Resource};
use crate::diagnostic::Diagnostic;
use crate::yaml::Node;

/// The x-kinesis_firehose module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-kinesis_firehose",
    stack: "firehose",
    resource_type: "AWS::KinesisFirehose::DeliveryStream",
    return_values: &[
        ReturnValue {
            name: "DeliveryStreamId",
            attribute: None,
        },
        ReturnValue {
            name: "Arn",
            attribute: Some("Arn"),
        },
    ],
    settings: &["DoNotOverrideIamRole"],
    levels: &["Producer"],
    lookup_values,
    grants: no_grants,
    emit,
    access,
};

/// Writable properties of `AWS::KinesisFirehose::DeliveryStream`.
const PROPERTIES: &[&str] = &[
    "AmazonOpenSearchServerlessDestinationConfiguration",
    "AmazonopensearchserviceDestinationConfiguration",
    "DatabaseSourceConfiguration",
    "DeliveryStreamEncryptionConfigurationInput",
    "DeliveryStreamName",
    "DeliveryStreamType",
    "DirectPutSourceConfiguration",
    "ElasticsearchDestinationConfiguration",
    "ExtendedS3DestinationConfiguration",
    "HttpEndpointDestinationConfiguration",
    "IcebergDestinationConfiguration",
    "KinesisStreamSourceConfiguration",
    "MSKSourceConfiguration",
    "RedshiftDestinationConfiguration",
    "S3DestinationConfiguration",
    "SnowflakeDestinationConfiguration",
    "SplunkDestinationConfiguration",
    "Tags",
];

/// Sending records (`Producer`).
pub const PRODUCER: &[&str] = &["firehose:PutRecord", "firehose:PutRecordBatch"];

/// What Firehose needs on an S3 destination bucket and its objects.
const S3_DESTINATION: &[&str] = &[
    "s3:AbortMultipartUpload",
    "s3:GetBucketLocation",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:PutObject",
];

/// What Firehose needs on a KMS key encrypting what it writes to S3.
const S3_KEY: &[&str] = &["kms:Decrypt", "kms:GenerateDataKey"];

/// The configurations whose `RoleARN` the stream's own role replaces.
const ROLE_USERS: &[&str] = &[
    "KinesisStreamSourceConfiguration",
    "S3DestinationConfiguration",
    "ExtendedS3DestinationConfiguration",
];

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

/// DeliveryStreamId and Arn of an existing stream from its ARN (`...:deliverystream/<name>`),
/// or its name as `Identifier`.
fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    match arn {
        Some(arn) => {
            if let Some(name) = arn_resource(arn).and_then(|r| r.strip_prefix("deliverystream/")) {
                out.push(("DeliveryStreamId", name.to_string()));
            }
            out.push(("Arn", arn.to_string()));
        }
        None => {
            if let Some(name) = identifier {
                out.push(("DeliveryStreamId", name.to_string()));
            }
        }
    }
    out
}

fn access(ctx: &mut Ctx, entry: &Entry, family: &str, access: &Node) -> Option<Vec<Statement>> {
    let (level, actions) = ctx.level(entry, access, &[("Producer", PRODUCER)])?;
    let arn = ctx.value_named(family, entry, "Arn");
    Some(vec![Statement::allow(
        &format!("{level}{}", entry.id),
        actions,
        vec![arn],
    )])
}

/// Which configurations keep the user's `RoleARN` (`DoNotOverrideIamRole`).
fn kept_roles(ctx: &mut Ctx, entry: &Entry) -> Vec<String> {
    let Some(node) = entry.setting("DoNotOverrideIamRole") else {
        return Vec::new();
    };
    if let Some(b) = node.as_scalar().and_then(|s| s.as_bool()) {
        return if b {
            ROLE_USERS.iter().map(|s| s.to_string()).collect()
        } else {
            Vec::new()
        };
    }
    let Some(items) = node.as_seq() else {
        ctx.diags.push(
            Diagnostic::error(
                INVALID,
                format!(
                    "x-kinesis_firehose {}: DoNotOverrideIamRole is true, false or a list of configurations",
                    entry.name
                ),
                node.span,
            )
            .with_help(format!("e.g. [{}]", ROLE_USERS.join(", "))),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        match item.as_str() {
            Some(s) if PROPERTIES.contains(&s) => out.push(s.to_string()),
            _ => ctx.diags.push(
                Diagnostic::error(
                    INVALID,
                    format!(
                        "x-kinesis_firehose {}: `{}` is not a delivery stream configuration",
                        entry.name,
                        item.as_str().unwrap_or("")
                    ),
                    item.span,
                )
                .with_help(format!("one of: {}", ROLE_USERS.join(", "))),
            ),
        }
    }
    out
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    // Each destination's and source's RoleARN is the stream's own role unless given; the
    // encryption's KeyType follows from its KeyARN.
    let mut props = ctx.properties_filled(entry, &["*.RoleARN", "*.KeyType"]);
    let kinesis_source = props.contains_key("KinesisStreamSourceConfiguration");
    if kinesis_source && !props.contains_key("DeliveryStreamType") {
        props.insert("DeliveryStreamType".into(), json!("KinesisStreamAsSource"));
    }
    let direct_put = props
        .get("DeliveryStreamType")
        .and_then(Value::as_str)
        .is_none_or(|t| t == "DirectPut");
    match props.get_mut("DeliveryStreamEncryptionConfigurationInput") {
        // A key given is a customer-managed key; none given, AWS's own.
        Some(Value::Object(input)) if !input.contains_key("KeyType") => {
            let kind = if input.contains_key("KeyARN") {
                "CUSTOMER_MANAGED_CMK"
            } else {
                "AWS_OWNED_CMK"
            };
            input.insert("KeyType".into(), json!(kind));
        }
        Some(_) => {}
        // Firehose encrypts at rest only what is put directly; a Kinesis source stream is
        // encrypted by its own settings.
        None if direct_put => {
            props.insert(
                "DeliveryStreamEncryptionConfigurationInput".into(),
                json!({"KeyType": "AWS_OWNED_CMK"}),
            );
        }
        None => {}
    }
    let kept = kept_roles(ctx, entry);
    let mut statements: Vec<Value> = Vec::new();
    let role_id = format!("{}Role", entry.id);
    let role_arn = get_att(&role_id, "Arn");
    let mut uses_role = false;
    for config in ROLE_USERS {
        let Some(Value::Object(c)) = props.get_mut(*config) else {
            continue;
        };
        let own = !kept.iter().any(|k| k == config);
        if *config == "KinesisStreamSourceConfiguration" {
            if let Some(stream) = c.get("KinesisStreamARN") {
                statements.push(statement(
                    "ReadSource",
                    kinesis::access::FIREHOSE_SOURCE,
                    vec![stream.clone()],
                ));
            }
        } else {
            s3_statements(c, &mut statements);
            if let Some(Value::Object(backup)) = c.get("S3BackupConfiguration") {
                s3_statements(backup, &mut statements);
            }
        }
        if !own {
            continue;
        }
        if c.contains_key("RoleARN") {
            let span = entry
                .property(config)
                .and_then(|n| n.get("RoleARN"))
                .map_or(entry.span, |n| n.span);
            ctx.diags.push(
                Diagnostic::warning(
                    IGNORED,
                    format!(
                        "x-kinesis_firehose {}: {config}.RoleARN is replaced by the delivery stream's own role",
                        entry.name
                    ),
                    span,
                )
                .with_help(format!("the role composex makes is granted what the stream needs; keep yours with MacroParameters.DoNotOverrideIamRole: [{config}]")),
            );
        }
        c.insert("RoleARN".into(), role_arn.clone());
        if let Some(Value::Object(backup)) = c.get_mut("S3BackupConfiguration") {
            backup.insert("RoleARN".into(), role_arn.clone());
        }
        uses_role = true;
    }
    if uses_role {
        let mut seen = Vec::new();
        statements.retain(|s| {
            let key = s.to_string();
            let new = !seen.contains(&key);
            seen.push(key);
            new
        });
        for (n, s) in statements.iter_mut().enumerate() {
            if let Value::Object(m) = s {
                let sid = format!("{}{}", m["Sid"].as_str().unwrap_or("Allow"), n + 1);
                m.insert("Sid".into(), json!(sid));
            }
        }
        let mut role = json!({
            "Description": format!("x-kinesis_firehose {}: delivery", entry.name),
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": "firehose.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"sts:ExternalId": {"Ref": "AWS::AccountId"}}},
                }],
            },
        });
        if !statements.is_empty() {
            role["Policies"] = json!([{
                "PolicyName": "Delivery",
                "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
            }]);
        }
        ctx.stacks
            .stack(MODULE.stack)
            .add_resource(&role_id, Resource::new("AWS::IAM::Role", role));
    }
    ctx.add_main_resource(
        entry,
        Resource::new(MODULE.resource_type, Value::Object(props)),
    );
}

fn statement(sid: &str, actions: &[&str], resources: Vec<Value>) -> Value {
    json!({"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources})
}

/// What an S3 destination (or backup) configuration `c` needs: its bucket and objects, and the
/// key encrypting what is written.
fn s3_statements(c: &Map<String, Value>, out: &mut Vec<Value>) {
    let Some(bucket) = c.get("BucketARN") else {
        return;
    };
    let mut vars = Map::new();
    vars.insert("Bucket".into(), bucket.clone());
    out.push(statement(
        "WriteBucket",
        S3_DESTINATION,
        vec![bucket.clone(), sub_with("${Bucket}/*", vars)],
    ));
    let key = c
        .get("EncryptionConfiguration")
        .and_then(|e| e.get("KMSEncryptionConfig"))
        .and_then(|k| k.get("AWSKMSKeyARN"));
    if let Some(key) = key {
        out.push(statement("BucketKey", S3_KEY, vec![key.clone()]));
    }
}

#[cfg(test)]
mod tests;

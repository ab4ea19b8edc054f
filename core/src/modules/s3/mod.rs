//! x-s3: buckets (`AWS::S3::Bucket`) encrypted (SSE-S3 unless `BucketEncryption` is given), with
//! public access blocked unless `PublicAccessBlockConfiguration` is given, retained on delete,
//! bucket keys with SSE-KMS; bucket policies (`MacroParameters.BucketPolicy`), always with the
//! TLS-only statement; notifications to our queues, with the
//! queue policy statement that lets the bucket send.

pub mod access;

use serde_json::{json, Map, Value};

use super::common::{arn_resource, Ctx, Entry, Grant};
use super::{sqs, ModuleDef, ReturnValue, INVALID, NAME};
use crate::cfn::{get_att, logical_id, sub, sub_with, Resource};
use crate::diagnostic::Diagnostic;
use crate::stack::posture::user_choice;
use crate::yaml::Node;

/// The x-s3 module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-s3",
    stack: "s3",
    resource_type: "AWS::S3::Bucket",
    return_values: &[
        ReturnValue { name: "BucketName", attribute: None },
        ReturnValue { name: "Arn", attribute: Some("Arn") },
        ReturnValue { name: "DomainName", attribute: Some("DomainName") },
        ReturnValue { name: "DualStackDomainName", attribute: Some("DualStackDomainName") },
        ReturnValue { name: "RegionalDomainName", attribute: Some("RegionalDomainName") },
        ReturnValue { name: "WebsiteURL", attribute: Some("WebsiteURL") },
    ],
    settings: &["BucketPolicy", "EnableAcceleration", "EnableEncryption", "ExpandAccountIdToBucket", "ExpandRegionToBucket", "NameSeparator"],
    levels: &["bucket: ListOnly | PowerUser", "objects: CRUD | RW | StrictRW | StrictRWDelete | RWDelete | ReadOnly | StrictReadOnly | WriteOnly | StrictWriteOnly"],
    lookup_values,
    grants,
    emit,
    access: access::statements,
};

fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let name = arn
        .and_then(arn_resource)
        .map(str::to_string)
        .or(identifier.map(str::to_string));
    let mut out = Vec::new();
    if let Some(name) = name {
        out.push((
            "Arn",
            arn.map(str::to_string)
                .unwrap_or_else(|| format!("arn:aws:s3:::{name}")),
        ));
        out.push(("DomainName", format!("{name}.s3.amazonaws.com")));
        out.push(("BucketName", name));
    }
    out
}

/// A boolean setting (MacroParameters or Settings).
fn flag(entry: &Entry, key: &str) -> bool {
    entry
        .setting(key)
        .and_then(Node::as_scalar)
        .and_then(|s| s.as_bool())
        == Some(true)
}

/// The bucket's name as written, with `ExpandRegionToBucket` / `ExpandAccountIdToBucket`
/// applied; when a queue policy must name the bucket and no name is given, `<project>-<name>`
/// with the account and region (bucket names are global).
fn bucket_name(ctx: &mut Ctx, entry: &Entry, needed: bool) -> Option<Value> {
    let written = entry
        .property("BucketName")
        .and_then(Node::as_str)
        .map(str::to_string);
    let (base, region, account) = match written {
        Some(name) => (
            name,
            flag(entry, "ExpandRegionToBucket"),
            flag(entry, "ExpandAccountIdToBucket"),
        ),
        None if needed => {
            let name: String = format!("{}-{}", ctx.stacks.root_name(), entry.name)
                .to_ascii_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .take(35)
                .collect();
            (name, true, true)
        }
        None => return None,
    };
    let separator = match entry.setting("NameSeparator").and_then(Node::as_str) {
        None | Some("-") => "-",
        Some(".") => ".",
        Some(other) => {
            let span = entry
                .setting("NameSeparator")
                .map(|n| n.span)
                .unwrap_or(entry.span);
            ctx.diags.push(Diagnostic::error(
                INVALID,
                format!(
                    "x-s3 {}: NameSeparator `{other}` is not `-` or `.`",
                    entry.name
                ),
                span,
            ));
            "-"
        }
    };
    if !region && !account {
        check_name(ctx, entry, &base);
        return Some(json!(base));
    }
    let mut template = base.replace("${", "${!");
    if account {
        template.push_str(separator);
        template.push_str("${AWS::AccountId}");
    }
    if region {
        template.push_str(separator);
        template.push_str("${AWS::Region}");
    }
    check_name(ctx, entry, &base);
    Some(sub(&template))
}

fn check_name(ctx: &mut Ctx, entry: &Entry, name: &str) {
    let valid = (3..=63).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !valid {
        let span = entry
            .property("BucketName")
            .map(|n| n.span)
            .unwrap_or(entry.span);
        ctx.diags.push(
            Diagnostic::error(NAME, format!("x-s3 {}: bucket name `{name}` is not valid", entry.name), span)
                .with_help("3 to 63 lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit"),
        );
    }
}

/// Notifications to our queues: (queue name, queue node).
fn queue_notifications<'n>(entry: &Entry<'n>) -> Vec<String> {
    let Some(items) = entry
        .property("NotificationConfiguration")
        .and_then(|n| n.get("QueueConfigurations"))
        .and_then(Node::as_seq)
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| i.get("Queue").and_then(Node::as_str))
        .filter_map(|q| q.strip_prefix("x-sqs::"))
        .map(|rest| rest.split("::").next().unwrap_or(rest).to_string())
        .collect()
}

fn grants(ctx: &mut Ctx, entry: &Entry) -> Vec<Grant> {
    let queues = queue_notifications(entry);
    if queues.is_empty() {
        return Vec::new();
    }
    let Some(name) = bucket_name(ctx, entry, true) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for queue in queues {
        if ctx
            .catalog
            .find(sqs::MODULE.key, &queue)
            .is_none_or(|q| q.lookup.is_some())
        {
            continue; // unknown queues are reported when properties are resolved
        }
        out.push(Grant {
            module: sqs::MODULE.key,
            name: queue,
            sid: format!("S3{}", logical_id(&entry.name)),
            service: "s3.amazonaws.com",
            actions: vec!["sqs:SendMessage"],
            source_arn: sqs::source_arn("s3", false, &name),
        });
    }
    out
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let mut props = ctx.properties(entry);
    let needs_name = !queue_notifications(entry).is_empty();
    if let Some(name) = bucket_name(ctx, entry, needs_name) {
        props.insert("BucketName".into(), name);
    }
    if !props.contains_key("BucketEncryption") {
        let algorithm = match entry.setting("EnableEncryption").and_then(Node::as_str) {
            Some("aws:kms") => "aws:kms",
            _ => "AES256",
        };
        // Bucket keys cut the KMS requests (and their cost) of SSE-KMS.
        let rule = if algorithm == "aws:kms" {
            json!({"ServerSideEncryptionByDefault": {"SSEAlgorithm": algorithm}, "BucketKeyEnabled": true})
        } else {
            json!({"ServerSideEncryptionByDefault": {"SSEAlgorithm": algorithm}})
        };
        props.insert(
            "BucketEncryption".into(),
            json!({ "ServerSideEncryptionConfiguration": [rule] }),
        );
    }
    if !props.contains_key("PublicAccessBlockConfiguration") {
        props.insert(
            "PublicAccessBlockConfiguration".into(),
            json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}),
        );
    }
    if flag(entry, "EnableAcceleration") && !props.contains_key("AccelerateConfiguration") {
        props.insert(
            "AccelerateConfiguration".into(),
            json!({"AccelerationStatus": "Enabled"}),
        );
    }
    let mut resource = Resource::new(MODULE.resource_type, Value::Object(props));
    public_access_choice(ctx, entry, &mut resource);
    if entry.deletion_policy.is_none() {
        resource = resource.with_policies("Retain");
    }
    ctx.add_main_resource(entry, resource);
    let policy = entry.setting("BucketPolicy").filter(|p| !p.is_null());
    bucket_policy(ctx, entry, policy);
}

/// The public access block settings a user's own `PublicAccessBlockConfiguration` leaves off,
/// with the scanner check each one fails.
const PUBLIC_ACCESS_CHECKS: &[(&str, &str)] = &[
    ("BlockPublicAcls", "CKV_AWS_53"),
    ("BlockPublicPolicy", "CKV_AWS_54"),
    ("IgnorePublicAcls", "CKV_AWS_55"),
    ("RestrictPublicBuckets", "CKV_AWS_56"),
];

/// A `PublicAccessBlockConfiguration` written with a setting off is the user's choice: each
/// check it fails is suppressed with the reason, said at the key.
fn public_access_choice(ctx: &mut Ctx, entry: &Entry, resource: &mut Resource) {
    let Some(node) = entry.property("PublicAccessBlockConfiguration") else {
        return;
    };
    let written = resource.properties["PublicAccessBlockConfiguration"].clone();
    let off: Vec<(&str, &str)> = PUBLIC_ACCESS_CHECKS
        .iter()
        .copied()
        .filter(|(key, _)| !matches!(&written[*key], Value::Bool(true)) && written[*key] != "true")
        .collect();
    if off.is_empty() {
        return;
    }
    let keys: Vec<&str> = off.iter().map(|(k, _)| *k).collect();
    let checks: Vec<&str> = off.iter().map(|(_, c)| *c).collect();
    let reason = format!(
        "x-s3.{}.Properties.PublicAccessBlockConfiguration leaves {} off, as written: public ACLs or bucket policies can take effect",
        entry.name,
        keys.join(", ")
    );
    user_choice(resource, &checks, &reason, node.span, ctx.diags);
}

/// The statement that refuses requests not sent over TLS (`enforceSecureConnection`).
fn tls_only(arn: &Value) -> Value {
    json!({
        "Sid": "TlsOnly",
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "s3:*",
        "Resource": [arn, sub_with("${ARN}/*", arn_vars(arn))],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    })
}

/// `BucketPolicy: {Policies: [statements], PredefinedBucketPolicies: [enforceSecureConnection]}`;
/// `${!ARN}` in a statement's Resource is the bucket's ARN. Every bucket gets the TLS-only
/// statement, unless a statement of the user's already conditions on `aws:SecureTransport`.
fn bucket_policy(ctx: &mut Ctx, entry: &Entry, node: Option<&Node>) {
    let arn = get_att(&entry.id, "Arn");
    let mut statements: Vec<Value> = Vec::new();
    let Some(node) = node else {
        return add_bucket_policy(ctx, entry, vec![tls_only(&arn)]);
    };
    if let Some(items) = node.get("Policies").or_else(|| node.get("Statement")) {
        let Some(items) = items.as_seq() else {
            ctx.diags.push(Diagnostic::error(
                INVALID,
                format!(
                    "x-s3 {}: BucketPolicy.Policies must be a list of statements",
                    entry.name
                ),
                items.span,
            ));
            return;
        };
        for item in items {
            if item.get("Principal").is_none() && item.get("NotPrincipal").is_none() {
                ctx.diags.push(
                    Diagnostic::warning(INVALID, format!("x-s3 {}: a bucket policy statement needs a Principal; this one is left out", entry.name), item.span)
                        .with_help("add Principal (e.g. {AWS: <role ARN>}) to the statement"),
                );
                continue;
            }
            let mut value = ctx.json(MODULE.stack, item);
            substitute_arn(&mut value, &arn);
            statements.push(value);
        }
    }
    if let Some(predefined) = node.get("PredefinedBucketPolicies").and_then(Node::as_seq) {
        for p in predefined {
            match p.as_str() {
                Some("enforceSecureConnection") => statements.push(tls_only(&arn)),
                _ => ctx.diags.push(
                    Diagnostic::error(
                        INVALID,
                        format!("x-s3 {}: unknown predefined bucket policy", entry.name),
                        p.span,
                    )
                    .with_help("predefined policies: enforceSecureConnection"),
                ),
            }
        }
    }
    if !statements
        .iter()
        .any(|s| s.to_string().contains("aws:SecureTransport"))
    {
        statements.push(tls_only(&arn));
    }
    add_bucket_policy(ctx, entry, statements);
}

fn add_bucket_policy(ctx: &mut Ctx, entry: &Entry, statements: Vec<Value>) {
    let policy = Resource::new(
        "AWS::S3::BucketPolicy",
        json!({"Bucket": {"Ref": entry.id}, "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}),
    );
    ctx.stacks
        .stack(MODULE.stack)
        .add_resource(&format!("{}BucketPolicy", entry.id), policy);
}

fn arn_vars(arn: &Value) -> Map<String, Value> {
    let mut vars = Map::new();
    vars.insert("ARN".into(), arn.clone());
    vars
}

/// Replaces strings holding `${!ARN}` (ComposeX's spelling) by `Fn::Sub` with the bucket ARN.
fn substitute_arn(value: &mut Value, arn: &Value) {
    match value {
        Value::String(s) if s.contains("${!ARN}") => {
            let template = s.replace("${!ARN}", "${ARN}");
            *value = sub_with(&template, arn_vars(arn));
        }
        Value::Array(items) => items.iter_mut().for_each(|i| substitute_arn(i, arn)),
        Value::Object(map) => map.values_mut().for_each(|v| substitute_arn(v, arn)),
        _ => {}
    }
}

#[cfg(test)]
mod tests;

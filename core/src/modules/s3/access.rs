//! x-s3 access: an object `{bucket: <level>, objects: <level>, enforceSecureConnection: bool}`;
//! bucket levels act on the bucket ARN, object levels on `<ARN>/*`. ComposeX's wildcards
//! (`GetObject*`, `SetBucket*`, which matches no action) are spelt out as explicit actions, and
//! `s3:CreateMultipartUpload` (not an IAM action: `s3:PutObject` covers multipart uploads) is
//! left out.

use serde_json::json;

use crate::cfn::join;
use crate::diagnostic::Diagnostic;
use crate::modules::common::{Ctx, Entry};
use crate::modules::{Statement, IGNORED, INVALID};
use crate::yaml::Node;

const GET: &[&str] = &[
    "s3:GetObject",
    "s3:GetObjectAcl",
    "s3:GetObjectAttributes",
    "s3:GetObjectTagging",
    "s3:GetObjectVersion",
    "s3:GetObjectVersionAcl",
    "s3:GetObjectVersionAttributes",
    "s3:GetObjectVersionTagging",
];
const PUT: &[&str] = &[
    "s3:PutObject",
    "s3:PutObjectAcl",
    "s3:PutObjectTagging",
    "s3:PutObjectVersionAcl",
    "s3:PutObjectVersionTagging",
];
const DELETE: &[&str] = &[
    "s3:DeleteObject",
    "s3:DeleteObjectTagging",
    "s3:DeleteObjectVersion",
    "s3:DeleteObjectVersionTagging",
];

/// Object levels -> actions on `<bucket ARN>/*` (assembled from the lists above).
pub fn object_actions(level: &str) -> Option<Vec<&'static str>> {
    let mut out: Vec<&'static str> = match level {
        "CRUD" => vec![
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
            "s3:PutObjectVersionTagging",
        ],
        "RW" => [GET, PUT].concat(),
        "StrictRW" => vec!["s3:GetObject", "s3:PutObject"],
        "StrictRWDelete" => vec!["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
        "RWDelete" => [GET, PUT, DELETE].concat(),
        "ReadOnly" => GET.to_vec(),
        "StrictReadOnly" => vec!["s3:GetObject"],
        "WriteOnly" => PUT.to_vec(),
        "StrictWriteOnly" => vec!["s3:PutObject"],
        _ => return None,
    };
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// The object level names.
pub const OBJECT_LEVELS: &[&str] = &[
    "CRUD",
    "RW",
    "StrictRW",
    "StrictRWDelete",
    "RWDelete",
    "ReadOnly",
    "StrictReadOnly",
    "WriteOnly",
    "StrictWriteOnly",
];

/// Bucket levels -> actions on the bucket ARN.
pub const BUCKET_LEVELS: &[(&str, &[&str])] = &[
    (
        "ListOnly",
        &[
            "s3:GetBucketLocation",
            "s3:GetBucketPublicAccessBlock",
            "s3:ListBucket",
        ],
    ),
    (
        "PowerUser",
        &[
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
            "s3:PutLifecycleConfiguration",
        ],
    ),
];

const KEYS: &[&str] = &["bucket", "objects", "enforceSecureConnection"];

/// The statements `access` gives `family` on bucket `entry`.
pub fn statements(
    ctx: &mut Ctx,
    entry: &Entry,
    family: &str,
    access: &Node,
) -> Option<Vec<Statement>> {
    let Some(map) = access.as_map() else {
        ctx.diags.push(
            Diagnostic::error(INVALID, format!("x-s3 {}: Access is a mapping for buckets", entry.name), access.span)
                .with_help("Access: {bucket: ListOnly, objects: RW} (bucket: ListOnly | PowerUser; objects: CRUD | RW | ReadOnly | ...)"),
        );
        return None;
    };
    for (key, span, _) in &map.entries {
        if !KEYS.contains(&key.as_str()) {
            ctx.diags.push(
                Diagnostic::warning(IGNORED, format!("x-s3 {}: Access key `{key}` is not known and is ignored", entry.name), *span)
                    .with_help("keys: bucket, objects, enforceSecureConnection (denies every granted action without TLS)"),
            );
        }
    }
    let arn = ctx.value_named(family, entry, "Arn");
    let objects_arn = join("", vec![arn.clone(), json!("/*")]);
    let mut out = Vec::new();
    let mut granted: Vec<&'static str> = Vec::new();
    if let Some(level) = map.get("bucket").filter(|n| !n.is_null()) {
        let (name, actions) = ctx.level(entry, level, BUCKET_LEVELS)?;
        granted.extend_from_slice(actions);
        out.push(Statement::allow(
            &format!("Bucket{name}{}", entry.id),
            actions,
            vec![arn.clone()],
        ));
    }
    if let Some(level) = map.get("objects").filter(|n| !n.is_null()) {
        let table: Vec<(&'static str, ())> = OBJECT_LEVELS.iter().map(|l| (*l, ())).collect();
        let (name, ()) = ctx.level(entry, level, &table)?;
        let actions = object_actions(name).unwrap_or_default();
        granted.extend_from_slice(&actions);
        let mut s = Statement::allow(
            &format!("Objects{name}{}", entry.id),
            &[],
            vec![objects_arn.clone()],
        );
        s.actions = actions;
        out.push(s);
    }
    let secure = map
        .get("enforceSecureConnection")
        .and_then(Node::as_scalar)
        .and_then(|s| s.as_bool())
        == Some(true);
    if secure && !granted.is_empty() {
        granted.sort_unstable();
        granted.dedup();
        out.push(Statement {
            sid: format!("TlsOnly{}", entry.id),
            allow: false,
            actions: granted,
            resources: vec![arn, objects_arn],
            condition: Some(json!({"Bool": {"aws:SecureTransport": "false"}})),
        });
    }

    Some(out)
}

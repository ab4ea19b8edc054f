//! x-kms: customer managed keys (`AWS::KMS::Key`) with rotation on and a key policy that gives
//! the account's root the key's administration (so IAM policies decide who uses it), and an
//! alias (`Settings.Alias` or `MacroParameters.Alias`). Keys are retained on delete: deleting a
//! key makes everything it encrypted unreadable.

use serde_json::{json, Value};

use super::common::{arn_resource, Ctx, Entry, Grant};
use super::{ModuleDef, ReturnValue, Statement, INVALID, NAME};
use crate::cfn::Resource;
use crate::diagnostic::Diagnostic;
use crate::yaml::Node;

/// The x-kms module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-kms",
    stack: "kms",
    resource_type: "AWS::KMS::Key",
    return_values: &[
        ReturnValue {
            name: "KeyId",
            attribute: None,
        },
        ReturnValue {
            name: "Arn",
            attribute: Some("Arn"),
        },
    ],
    settings: &["Alias"],
    levels: &["EncryptDecrypt", "EncryptOnly", "DecryptOnly", "SQS"],
    lookup_values,
    grants: no_grants,
    emit,
    access,
};

/// Level -> actions on the key ARN. ComposeX's `ReEncrypt*` / `GenerateDataKey*` wildcards are
/// spelt out.
pub const LEVELS: &[(&str, &[&str])] = &[
    (
        "EncryptDecrypt",
        &[
            "kms:CreateGrant",
            "kms:Decrypt",
            "kms:DescribeKey",
            "kms:Encrypt",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
        ],
    ),
    (
        "EncryptOnly",
        &[
            "kms:Encrypt",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
        ],
    ),
    ("DecryptOnly", &["kms:Decrypt"]),
    ("SQS", &["kms:Decrypt", "kms:GenerateDataKey"]),
];

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

/// KeyId and Arn from the key's ARN; a key id as `Identifier`.
fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(arn) = arn {
        if let Some(id) = arn_resource(arn).and_then(|r| r.strip_prefix("key/")) {
            out.push(("KeyId", id.to_string()));
        }
        out.push(("Arn", arn.to_string()));
    } else if let Some(id) = identifier {
        out.push(("KeyId", id.to_string()));
    }
    out
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let mut props = ctx.properties(entry);
    let symmetric = props
        .get("KeySpec")
        .is_none_or(|s| s == "SYMMETRIC_DEFAULT");
    if symmetric && !props.contains_key("EnableKeyRotation") {
        props.insert("EnableKeyRotation".into(), json!(true));
    }
    if !props.contains_key("KeyPolicy") {
        props.insert(
            "KeyPolicy".into(),
            json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "AccountAdministersKey",
                    "Effect": "Allow",
                    "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                    "Action": "kms:*",
                    "Resource": "*",
                }],
            }),
        );
    }
    let mut resource = Resource::new(MODULE.resource_type, Value::Object(props));
    if entry.deletion_policy.is_none() {
        resource = resource.with_policies("Retain");
    }
    ctx.add_main_resource(entry, resource);
    if let Some(alias) = entry.setting("Alias") {
        add_alias(ctx, entry, alias);
    }
}

fn add_alias(ctx: &mut Ctx, entry: &Entry, node: &Node) {
    let Some(text) = node.as_str() else {
        ctx.diags.push(Diagnostic::error(
            INVALID,
            format!("x-kms {}: Alias must be a string", entry.name),
            node.span,
        ));
        return;
    };
    let name = if text.starts_with("alias/") {
        text.to_string()
    } else {
        format!("alias/{text}")
    };
    let valid = name.len() <= 256
        && name.len() > "alias/".len()
        && !name.starts_with("alias/aws/")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_-".contains(c));
    if !valid {
        ctx.diags.push(
            Diagnostic::error(
                NAME,
                format!("x-kms {}: `{name}` is not a valid key alias", entry.name),
                node.span,
            )
            .with_help("alias/<name>: letters, digits, `/`, `_` and `-`, not under alias/aws/"),
        );
        return;
    }
    let target = ctx.value_named(MODULE.stack, entry, "KeyId");
    let alias = Resource::new(
        "AWS::KMS::Alias",
        json!({"AliasName": name, "TargetKeyId": target}),
    );
    ctx.stacks
        .stack(MODULE.stack)
        .add_resource(&format!("{}Alias", entry.id), alias);
}

fn access(ctx: &mut Ctx, entry: &Entry, family: &str, access: &Node) -> Option<Vec<Statement>> {
    let (level, actions) = ctx.level(entry, access, LEVELS)?;
    let arn = ctx.value_named(family, entry, "Arn");
    Some(vec![Statement::allow(
        &format!("{level}{}", entry.id),
        actions,
        vec![arn],
    )])
}

#[cfg(test)]
mod tests;

//! x-kinesis: Kinesis data streams (`AWS::Kinesis::Stream`), provisioned (one shard unless
//! `ShardCount` says otherwise) or on demand, encrypted at rest with the AWS managed key
//! `alias/aws/kinesis` unless `StreamEncryption` is given. Linked families get `Producer`,
//! `Consumer` or `PowerUser` access, and with `MacroParameters.SetupIAMForKCL` what the Kinesis
//! Client Library needs (its DynamoDB lease tables, CloudWatch metrics, enhanced fan-out).
//! Streams hold records in transit: they keep CloudFormation's delete policy.

pub mod access;

use serde_json::{json, Value};

use super::common::{arn_resource, Ctx, Entry, Grant};
use super::{ModuleDef, ReturnValue, INVALID};
use crate::cfn::Resource;
use crate::diagnostic::Diagnostic;

/// The x-kinesis module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-kinesis",
    stack: "kinesis",
    resource_type: "AWS::Kinesis::Stream",
    return_values: &[
        ReturnValue {
            name: "StreamId",
            attribute: None,
        },
        ReturnValue {
            name: "Arn",
            attribute: Some("Arn"),
        },
    ],
    settings: &["SetupIAMForKCL"],
    levels: access::LEVEL_NAMES,
    lookup_values,
    grants: no_grants,
    emit,
    access: access::statements,
};

/// A stream's encryption when none is written: KMS with the AWS managed key (no cost, no key
/// policy to manage).
pub const DEFAULT_KEY: &str = "alias/aws/kinesis";

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

/// StreamId and Arn of an existing stream from its ARN (`...:stream/<name>`), or its name as
/// `Identifier`.
fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    match arn {
        Some(arn) => {
            if let Some(name) = arn_resource(arn).and_then(|r| r.strip_prefix("stream/")) {
                out.push(("StreamId", name.to_string()));
            }
            out.push(("Arn", arn.to_string()));
        }
        None => {
            if let Some(name) = identifier {
                out.push(("StreamId", name.to_string()));
            }
        }
    }
    out
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let mut props = ctx.properties(entry);
    let on_demand = props
        .get("StreamModeDetails")
        .and_then(|m| m.get("StreamMode"))
        .and_then(Value::as_str)
        == Some("ON_DEMAND");
    if on_demand && props.contains_key("ShardCount") {
        let span = entry.property("ShardCount").map_or(entry.span, |n| n.span);
        ctx.diags.push(
            Diagnostic::error(
                INVALID,
                format!(
                    "x-kinesis {}: an ON_DEMAND stream has no ShardCount",
                    entry.name
                ),
                span,
            )
            .with_help("remove ShardCount, or set StreamModeDetails.StreamMode: PROVISIONED"),
        );
        return;
    }
    if !on_demand && !props.contains_key("ShardCount") {
        props.insert("ShardCount".into(), json!(1));
    }
    props
        .entry("StreamEncryption")
        .or_insert_with(|| json!({"EncryptionType": "KMS", "KeyId": DEFAULT_KEY}));
    access::check_kcl(ctx, entry);
    ctx.add_main_resource(
        entry,
        Resource::new(MODULE.resource_type, Value::Object(props)),
    );
}

#[cfg(test)]
mod tests;

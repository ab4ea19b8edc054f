//! x-dynamodb: tables (`AWS::DynamoDB::Table`, on-demand unless throughput is given; DynamoDB
//! encrypts every table at rest) retained on delete, and table / index auto scaling (`Scaling`:
//! target tracking on read and write capacity).

use serde_json::{json, Value};

use super::common::{arn_resource, Ctx, Entry, Grant};
use super::{ModuleDef, ReturnValue, Statement, INVALID, SCALING};
use crate::cfn::{join, ref_, Resource};
use crate::diagnostic::{Diagnostic, Span};
use crate::suggest::did_you_mean;
use crate::yaml::Node;

/// The x-dynamodb module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-dynamodb",
    stack: "dynamodb",
    resource_type: "AWS::DynamoDB::Table",
    return_values: &[
        ReturnValue {
            name: "TableName",
            attribute: None,
        },
        ReturnValue {
            name: "Arn",
            attribute: Some("Arn"),
        },
    ],
    settings: &[],
    levels: &["RO", "RW", "PowerUser", "KinesisKCL"],
    lookup_values,
    grants: no_grants,
    emit,
    access,
};

const READ_WRITE: &[&str] = &[
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:UpdateItem",
];

/// Level -> actions on the table ARN and its indexes. ComposeX's `PowerUser` was NotAction
/// (CreateTable, DeleteTable, DeleteBackup): here it is item access plus table settings.
pub const LEVELS: &[(&str, &[&str])] = &[
    (
        "RO",
        &[
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:Scan",
        ],
    ),
    ("RW", READ_WRITE),
    (
        "PowerUser",
        &[
            "dynamodb:BatchGetItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:CreateBackup",
            "dynamodb:DeleteItem",
            "dynamodb:DescribeContinuousBackups",
            "dynamodb:DescribeTable",
            "dynamodb:DescribeTimeToLive",
            "dynamodb:GetItem",
            "dynamodb:ListTagsOfResource",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "dynamodb:Scan",
            "dynamodb:TagResource",
            "dynamodb:UntagResource",
            "dynamodb:UpdateContinuousBackups",
            "dynamodb:UpdateItem",
            "dynamodb:UpdateTable",
            "dynamodb:UpdateTimeToLive",
        ],
    ),
    (
        "KinesisKCL",
        &[
            "dynamodb:DeleteItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Scan",
            "dynamodb:UpdateItem",
        ],
    ),
];

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(arn) = arn {
        if let Some(name) = arn_resource(arn).and_then(|r| r.strip_prefix("table/")) {
            out.push(("TableName", name.to_string()));
        }
        out.push(("Arn", arn.to_string()));
    } else if let Some(name) = identifier {
        out.push(("TableName", name.to_string()));
    }
    out
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let mut props = ctx.properties(entry);
    if !props.contains_key("BillingMode") && !props.contains_key("ProvisionedThroughput") {
        props.insert("BillingMode".into(), json!("PAY_PER_REQUEST"));
    }
    let provisioned = props.get("BillingMode").is_none_or(|m| m == "PROVISIONED");
    let mut resource = Resource::new(MODULE.resource_type, Value::Object(props));
    if entry.deletion_policy.is_none() {
        resource = resource.with_policies("Retain");
    }
    ctx.add_main_resource(entry, resource);
    if let Some(scaling) = entry.get("Scaling").filter(|s| !s.is_null()) {
        if provisioned {
            auto_scaling(ctx, entry, scaling);
        } else {
            ctx.diags.push(
                Diagnostic::error(SCALING, format!("x-dynamodb {}: Scaling needs provisioned capacity, and this table is on demand", entry.name), scaling.span)
                    .with_help("give ProvisionedThroughput, or remove Scaling"),
            );
        }
    }
}

/// One dimension's target tracking: (min, max, target %, scale-in, scale-out cooldowns).
struct Target {
    min: i64,
    max: i64,
    target: f64,
    scale_in: Option<i64>,
    scale_out: Option<i64>,
}

fn read_target(ctx: &mut Ctx, entry: &Entry, node: &Node) -> Option<Target> {
    let int = |k: &str| {
        node.get(k)
            .and_then(Node::as_scalar)
            .and_then(|s| s.as_i64())
    };
    let target = node
        .get("TargetValue")
        .and_then(Node::as_scalar)
        .and_then(|s| s.as_f64());
    match (int("MinCapacity"), int("MaxCapacity"), target) {
        (Some(min), Some(max), Some(target))
            if 1 <= min && min <= max && (20.0..=90.0).contains(&target) =>
        {
            Some(Target {
                min,
                max,
                target,
                scale_in: int("ScaleInCooldown"),
                scale_out: int("ScaleOutCooldown"),
            })
        }
        _ => {
            ctx.diags.push(
                Diagnostic::error(SCALING, format!("x-dynamodb {}: capacity scaling needs MinCapacity >= 1, MaxCapacity >= MinCapacity and TargetValue from 20 to 90", entry.name), node.span),
            );
            None
        }
    }
}

fn auto_scaling(ctx: &mut Ctx, entry: &Entry, scaling: &Node) {
    let Some(table) = scaling.get("Table") else {
        ctx.diags.push(Diagnostic::error(
            SCALING,
            format!("x-dynamodb {}: Scaling needs Table", entry.name),
            scaling.span,
        ));
        return;
    };
    let gsis: Vec<String> = entry
        .property("GlobalSecondaryIndexes")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|g| {
            g.get("IndexName")
                .and_then(Node::as_str)
                .map(str::to_string)
        })
        .collect();
    let mut targets: Vec<(Option<String>, &Node)> = vec![(None, table)];
    let mut explicit: Vec<&str> = Vec::new();
    if let Some(indexes) = scaling.get("Indexes").and_then(Node::as_map) {
        for (name, span, node) in &indexes.entries {
            if gsis.iter().any(|g| g == name) {
                targets.push((Some(name.clone()), node));
                explicit.push(name);
            } else {
                unknown_index(ctx, entry, name, *span, &gsis);
            }
        }
    }
    let copy = scaling
        .get("CopyToIndexes")
        .and_then(Node::as_scalar)
        .and_then(|s| s.as_bool())
        == Some(true);
    if copy {
        for gsi in &gsis {
            if !explicit.contains(&gsi.as_str()) {
                targets.push((Some(gsi.clone()), table));
            }
        }
    }
    for (index, node) in targets {
        for (dimension, metric) in [
            ("Read", "DynamoDBReadCapacityUtilization"),
            ("Write", "DynamoDBWriteCapacityUtilization"),
        ] {
            let Some(spec) = node.get(&format!("{dimension}CapacityUnits")) else {
                continue;
            };
            let Some(target) = read_target(ctx, entry, spec) else {
                continue;
            };
            scaling_resources(ctx, entry, index.as_deref(), dimension, metric, &target);
        }
    }
}

fn unknown_index(ctx: &mut Ctx, entry: &Entry, name: &str, span: Span, gsis: &[String]) {
    let mut d = Diagnostic::error(
        INVALID,
        format!(
            "x-dynamodb {}: no global secondary index `{name}`",
            entry.name
        ),
        span,
    );
    d = match did_you_mean(name, gsis.iter().map(String::as_str)) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d.with_help(format!("the table's indexes: {}", gsis.join(", "))),
    };
    ctx.diags.push(d);
}

fn scaling_resources(
    ctx: &mut Ctx,
    entry: &Entry,
    index: Option<&str>,
    dimension: &str,
    metric: &str,
    target: &Target,
) {
    let stem = format!(
        "{}{}{dimension}",
        entry.id,
        index.map(crate::cfn::logical_id).unwrap_or_default()
    );
    let (resource_id, scalable) = match index {
        None => (
            join("", vec![json!("table/"), ref_(&entry.id)]),
            format!("dynamodb:table:{dimension}CapacityUnits"),
        ),
        Some(i) => (
            join(
                "",
                vec![
                    json!("table/"),
                    ref_(&entry.id),
                    json!(format!("/index/{i}")),
                ],
            ),
            format!("dynamodb:index:{dimension}CapacityUnits"),
        ),
    };
    let stack = ctx.stacks.stack(MODULE.stack);
    let target_id = stack.add_resource(
        &format!("{stem}ScalableTarget"),
        Resource::new(
            "AWS::ApplicationAutoScaling::ScalableTarget",
            json!({
                "MinCapacity": target.min,
                "MaxCapacity": target.max,
                "ResourceId": resource_id,
                "ScalableDimension": scalable,
                "ServiceNamespace": "dynamodb",
            }),
        ),
    );
    let mut config = json!({
        "TargetValue": target.target,
        "PredefinedMetricSpecification": {"PredefinedMetricType": metric},
    });
    if let Some(c) = target.scale_in {
        config["ScaleInCooldown"] = json!(c);
    }
    if let Some(c) = target.scale_out {
        config["ScaleOutCooldown"] = json!(c);
    }
    stack.add_resource(
        &format!("{stem}ScalingPolicy"),
        Resource::new(
            "AWS::ApplicationAutoScaling::ScalingPolicy",
            json!({
                "PolicyName": format!("{stem}Utilization"),
                "PolicyType": "TargetTrackingScaling",
                "ScalingTargetId": ref_(&target_id),
                "TargetTrackingScalingPolicyConfiguration": config,
            }),
        ),
    );
}

fn access(ctx: &mut Ctx, entry: &Entry, family: &str, access: &Node) -> Option<Vec<Statement>> {
    let (level, actions) = ctx.level(entry, access, LEVELS)?;
    let arn = ctx.value_named(family, entry, "Arn");
    let indexes = join("", vec![arn.clone(), json!("/index/*")]);
    Some(vec![Statement::allow(
        &format!("{level}{}", entry.id),
        actions,
        vec![arn, indexes],
    )])
}

#[cfg(test)]
mod tests;

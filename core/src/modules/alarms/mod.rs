//! x-alarms: CloudWatch alarms (`AWS::CloudWatch::Alarm` from `Properties`) and composite alarms
//! (`AWS::CloudWatch::CompositeAlarm`, from `MacroParameters.CompositeExpression` or
//! `Properties.AlarmRule`, where other alarms are named by their x-alarms name), in the `alarms`
//! stack. `Topics` notify SNS topics (`x-sns: <topic>` or `TopicArn`) on alarm, ok or both
//! (`NotifyOn`); `MacroParameters.ServiceName` watches a family's ECS service (its cluster and
//! service name as dimensions); `Services.<family>.Scaling` makes the alarm drive a step scaling
//! policy of the family. Linked services get no env var and no IAM (ComposeX: `Access: NA`).

mod rule;

use serde_json::{json, Map, Value};

use super::common::{Ctx, Entry, Grant};
use super::links::StepScaling;
use super::{sns, ModuleDef, ReturnValue, BAD_REFERENCE, BAD_TARGET, INVALID, SCALING};
use crate::cfn::{logical_id, Resource};
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::CLUSTER_NAME;
use crate::yaml::Node;

/// The x-alarms module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: Some(scaling),
    default_env: false,
    key: "x-alarms",
    stack: "alarms",
    resource_type: "AWS::CloudWatch::Alarm",
    return_values: &[
        ReturnValue {
            name: "AlarmName",
            attribute: None,
        },
        ReturnValue {
            name: "Arn",
            attribute: Some("Arn"),
        },
    ],
    settings: &["CompositeExpression", "ServiceName"],
    levels: &["NA"],
    lookup_values,
    grants: no_grants,
    emit,
    access,
};

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

/// An existing alarm's name and ARN from its ARN (`arn:...:alarm:<name>`).
fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(arn) = arn {
        if let Some((_, name)) = arn.split_once(":alarm:") {
            out.push(("AlarmName", name.to_string()));
        }
        out.push(("Arn", arn.to_string()));
    } else if let Some(name) = identifier {
        out.push(("AlarmName", name.to_string()));
    }
    out
}

/// Alarms give linked services nothing to call: the only level is `NA`.
fn access(
    ctx: &mut Ctx,
    entry: &Entry,
    _family: &str,
    access: &Node,
) -> Option<Vec<super::Statement>> {
    ctx.level(entry, access, &[("NA", ())])?;
    Some(Vec::new())
}

/// True when `entry` is a composite alarm.
fn is_composite(entry: &Entry) -> bool {
    entry.setting("CompositeExpression").is_some() || entry.property("AlarmRule").is_some()
}

/// The export naming `family`'s step scaling policy driven by alarm `entry`.
fn policy_export(entry: &Entry, family: &str) -> String {
    format!("{}{}ScalingPolicyArn", logical_id(family), entry.id)
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let composite = is_composite(entry);
    let type_ = if composite {
        "AWS::CloudWatch::CompositeAlarm"
    } else {
        "AWS::CloudWatch::Alarm"
    };
    let mut props = ctx.properties_of(entry, type_, &["AlarmRule"]);
    // A bad composite expression still lets Topics and Services be checked: every problem in one pass.
    let mut rule_ok = true;
    if composite {
        let expression = entry
            .setting("CompositeExpression")
            .or_else(|| entry.property("AlarmRule"));
        if let Some(node) = expression {
            match rule::alarm_rule(ctx, entry, node) {
                Some(value) => {
                    props.insert("AlarmRule".into(), value);
                }
                None => rule_ok = false,
            }
        }
    } else if let Some(node) = entry.setting("ServiceName") {
        service_dimensions(ctx, entry, node, &mut props);
    }
    topics(ctx, entry, &mut props);
    scaling_actions(ctx, entry, composite, &mut props);
    if rule_ok {
        ctx.add_main_resource(entry, Resource::new(type_, Value::Object(props)));
    }
}

/// `MacroParameters.ServiceName: <family>`: the alarm watches that family's ECS service.
fn service_dimensions(ctx: &mut Ctx, entry: &Entry, node: &Node, props: &mut Map<String, Value>) {
    let name = node.as_str().unwrap_or_default();
    let family = ctx.families_of(name).into_iter().next().map(|(f, _)| f);
    let Some(family) = family else {
        ctx.diags.push(
            Diagnostic::error(
                BAD_REFERENCE,
                format!(
                    "x-alarms {}: ServiceName `{name}` is no service or task family",
                    entry.name
                ),
                node.span,
            )
            .with_help("name a service under `services:` or its ecs.task.family"),
        );
        return;
    };
    let stack = ctx.stacks.stack(MODULE.stack);
    let cluster = stack.import(CLUSTER_NAME);
    let service = stack.import(&format!("{}ServiceName", logical_id(&family)));
    let dims = props
        .entry("Dimensions")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(dims) = dims {
        dims.retain(|d| {
            let n = d.get("Name").and_then(Value::as_str);
            n != Some("ClusterName") && n != Some("ServiceName")
        });
        dims.push(json!({"Name": "ClusterName", "Value": cluster}));
        dims.push(json!({"Name": "ServiceName", "Value": service}));
    }
}

/// `Topics: [{x-sns: <topic>} | {TopicArn: <arn>}, NotifyOn: alarm | okay | all | [..]]`.
fn topics(ctx: &mut Ctx, entry: &Entry, props: &mut Map<String, Value>) {
    let Some(node) = entry.get("Topics").filter(|n| !n.is_null()) else {
        return;
    };
    let Some(items) = node.as_seq() else {
        ctx.diags.push(
            Diagnostic::error(
                INVALID,
                format!("x-alarms {}: Topics must be a list", entry.name),
                node.span,
            )
            .with_help("Topics: [{x-sns: <topic>, NotifyOn: all}, {TopicArn: arn:aws:sns:...}]"),
        );
        return;
    };
    for item in items {
        // NotifyOn is checked even when the topic is bad: every problem in one pass.
        let arn = if let Some(name) = item.get("x-sns") {
            let text = name.as_str().unwrap_or_default();
            ctx.find(&sns::MODULE, text, name.span, text)
                .map(|topic| ctx.value_named(MODULE.stack, topic, "TopicArn"))
        } else if let Some(arn) = item.get("TopicArn") {
            match arn.as_str() {
                Some(a) if a.starts_with("arn:") && a.contains(":sns:") => Some(json!(a)),
                _ => {
                    ctx.diags.push(
                        Diagnostic::error(
                            BAD_TARGET,
                            format!("x-alarms {}: TopicArn must be an SNS topic ARN", entry.name),
                            arn.span,
                        )
                        .with_help("arn:aws:sns:<region>:<account>:<topic>, or x-sns: <topic>"),
                    );
                    None
                }
            }
        } else {
            ctx.diags.push(Diagnostic::error(
                BAD_TARGET,
                format!(
                    "x-alarms {}: each topic is `x-sns: <topic>` or `TopicArn: <arn>`",
                    entry.name
                ),
                item.span,
            ));
            None
        };
        let actions = notify_on(ctx, entry, item.get("NotifyOn"));
        let Some(arn) = arn else {
            continue;
        };
        for action in actions {
            let list = props
                .entry(action)
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                if !list.contains(&arn) {
                    list.push(arn.clone());
                }
            }
        }
    }
}

/// The action properties `NotifyOn` (a word or a list of them; `alarm` by default) selects.
fn notify_on(ctx: &mut Ctx, entry: &Entry, node: Option<&Node>) -> Vec<&'static str> {
    let Some(node) = node else {
        return vec!["AlarmActions"];
    };
    let words: Vec<&Node> = match node.as_seq() {
        Some(items) => items.iter().collect(),
        None => vec![node],
    };
    let mut out = Vec::new();
    for word in words {
        let actions: &[&'static str] = match word.as_str() {
            Some("alarm") => &["AlarmActions"],
            Some("okay") => &["OKActions"],
            Some("all") => &["AlarmActions", "OKActions", "InsufficientDataActions"],
            _ => {
                ctx.diags.push(Diagnostic::error(
                    INVALID,
                    format!("x-alarms {}: NotifyOn is alarm, okay or all", entry.name),
                    word.span,
                ));
                continue;
            }
        };
        for a in actions {
            if !out.contains(a) {
                out.push(*a);
            }
        }
    }
    out
}

/// Adds each scaled family's step scaling policy to the alarm's actions (the policy is made in
/// the family's stack by [`scaling`]).
fn scaling_actions(ctx: &mut Ctx, entry: &Entry, composite: bool, props: &mut Map<String, Value>) {
    let Some(services) = entry.get("Services").and_then(Node::as_map) else {
        return;
    };
    for (target, _, def) in &services.entries {
        let Some(scaling) = def.get("Scaling").filter(|s| !s.is_null()) else {
            continue;
        };
        if composite {
            ctx.diags.push(
                Diagnostic::warning(
                    SCALING,
                    format!(
                        "x-alarms {}: a composite alarm cannot start auto scaling; Scaling is ignored",
                        entry.name
                    ),
                    scaling.span,
                )
                .with_help("put Scaling on one of the alarms the composite alarm combines"),
            );
            continue;
        }
        for (family, _) in ctx.families_of(target) {
            let export = policy_export(entry, &family);
            let policy = ctx.stacks.stack(MODULE.stack).import(&export);
            let list = props
                .entry("AlarmActions")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                if !list.contains(&policy) {
                    list.push(policy);
                }
            }
        }
    }
}

/// `Services.<family>.Scaling` of an alarm: a step scaling policy of the family, started by the
/// alarm (`{Steps: [{LowerBound, UpperBound, Count}], ScaleInCooldown, ScaleOutCooldown}`; the
/// bounds are metric values, the first lower bound at the alarm's threshold).
pub fn scaling(ctx: &mut Ctx, entry: &Entry, family: &str, node: &Node) -> Option<StepScaling> {
    if is_composite(entry) {
        // Reported by `scaling_actions`.
        return None;
    }
    let error = |ctx: &mut Ctx, span: Span, msg: &str| {
        ctx.diags.push(
            Diagnostic::error(SCALING, format!("x-alarms {}: {msg}", entry.name), span)
                .with_help("Scaling: {Steps: [{LowerBound: 0, UpperBound: 10, Count: 1}, {LowerBound: 10, Count: 2}], ScaleInCooldown: 60}"),
        );
    };
    let whole = |n: Option<&Node>| {
        n.and_then(|n| n.as_scalar())
            .and_then(|s| s.as_i64())
            .and_then(|v| u64::try_from(v).ok())
    };
    let Some(items) = node
        .get("Steps")
        .and_then(Node::as_seq)
        .filter(|s| !s.is_empty())
    else {
        error(ctx, node.span, "Scaling needs Steps, a non-empty list");
        return None;
    };
    let mut steps: Vec<(u64, Option<u64>, u64, Span)> = Vec::new();
    for item in items {
        let upper = match item.get("UpperBound") {
            None => Some(None),
            Some(n) => whole(Some(n)).map(Some),
        };
        match (
            whole(item.get("LowerBound")),
            whole(item.get("Count")),
            upper,
        ) {
            (Some(l), Some(c), Some(u)) if u.is_none_or(|u| u > l) => {
                steps.push((l, u, c, item.span))
            }
            _ => {
                error(ctx, item.span, "each step needs LowerBound and Count (whole numbers >= 0), and an UpperBound above LowerBound if any");
                return None;
            }
        }
    }
    steps.sort_by_key(|s| s.0);
    for pair in steps.windows(2) {
        let [a, b] = pair else { continue };
        if a.1 != Some(b.0) {
            error(
                ctx,
                b.3,
                "steps must follow each other: each UpperBound is the next LowerBound",
            );
            return None;
        }
    }
    let cooldown = |key: &str| whole(node.get(key)).unwrap_or(300);
    Some(StepScaling {
        name: entry.id.clone(),
        namespace: "",
        metric: "",
        dimensions: Vec::new(),
        steps: steps.into_iter().map(|(l, u, c, _)| (l, u, c)).collect(),
        scale_out_cooldown: cooldown("ScaleOutCooldown"),
        scale_in_cooldown: cooldown("ScaleInCooldown"),
        external_alarm: Some(policy_export(entry, family)),
    })
}

/// `services.<name>.x-alarms` (ComposeX's predefined alarms on a service) is not supported:
/// reported, so nothing is left out silently.
pub fn check_service_alarms(project: &crate::compose::Project, diags: &mut Vec<Diagnostic>) {
    for (name, service) in &project.services {
        if let Some(node) = service.extension("x-alarms") {
            diags.push(
                Diagnostic::warning(
                    super::IGNORED,
                    format!("services.{name}.x-alarms (predefined alarms) is not supported and is ignored"),
                    node.span,
                )
                .with_help("define the alarm under the top-level x-alarms, with MacroParameters.ServiceName and Topics"),
            );
        }
    }
}

#[cfg(test)]
mod tests;

//! x-sqs: SQS queues (`AWS::SQS::Queue`), FIFO rules, redrive to a dead-letter queue, the queue
//! policy other resources need to send to it (SNS subscriptions, S3 notifications,
//! `MacroParameters.AwsPrincipalsAccess`), and step scaling of linked families on queue depth.
//!
//! Encryption at rest: SQS-managed SSE unless `KmsMasterKeyId` is given. Queues are not retained
//! on delete (messages in transit, not data at rest; see the module docs in `modules`).

pub mod access;

use serde_json::{json, Map, Value};

use super::common::{arn_region_account, arn_resource, is_reference, Ctx, Entry, Grant};
use super::links::StepScaling;
use super::{ModuleDef, ReturnValue, DEAD_LETTER, FIFO, INVALID, NAME, SCALING};
use crate::cfn::Resource;
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::Node;

/// The x-sqs module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: Some(scaling),
    default_env: true,
    key: "x-sqs",
    stack: "sqs",
    resource_type: "AWS::SQS::Queue",
    return_values: &[
        ReturnValue {
            name: "Url",
            attribute: None,
        },
        ReturnValue {
            name: "Arn",
            attribute: Some("Arn"),
        },
        ReturnValue {
            name: "QueueName",
            attribute: Some("QueueName"),
        },
    ],
    settings: &["AwsPrincipalsAccess"],
    levels: access::LEVEL_NAMES,
    lookup_values,
    grants: no_grants,
    emit,
    access: access::statements,
};

/// Properties only FIFO queues accept.
const FIFO_ONLY: &[&str] = &[
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "FifoThroughputLimit",
];

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

/// Url, Arn and QueueName of an existing queue from its ARN, or from its URL / name as
/// `Identifier`.
fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let arn = arn
        .map(str::to_string)
        .or_else(|| identifier.and_then(arn_of_url));
    let mut out = Vec::new();
    if let Some(arn) = arn {
        if let (Some(name), Some((partition, region, account))) =
            (arn_resource(&arn), arn_region_account(&arn))
        {
            let domain = if partition == "aws-cn" {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            };
            out.push((
                "Url",
                format!("https://sqs.{region}.{domain}/{account}/{name}"),
            ));
            out.push(("QueueName", name.to_string()));
        }
        out.push(("Arn", arn));
    } else if let Some(name) = identifier {
        out.push(("QueueName", name.to_string()));
    }
    out
}

/// `https://sqs.<region>.amazonaws.com/<account>/<name>` -> the queue's ARN.
fn arn_of_url(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://sqs.")?;
    let (host, path) = rest.split_once('/')?;
    let (region, domain) = host.split_once('.')?;
    let partition = if domain.ends_with(".cn") {
        "aws-cn"
    } else {
        "aws"
    };
    let (account, name) = path.split_once('/')?;
    Some(format!("arn:{partition}:sqs:{region}:{account}:{name}"))
}

fn is_true(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true))) || matches!(v, Some(Value::String(s)) if s == "true")
}

/// True when queue `entry` is FIFO (as written).
fn is_fifo(entry: &Entry) -> bool {
    entry
        .property("FifoQueue")
        .and_then(|n| n.as_scalar())
        .is_some_and(|s| s.as_bool() == Some(true) || s.text == "true")
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let mut props = ctx.properties(entry);
    let fifo = is_true(props.get("FifoQueue"));
    check_fifo(ctx, entry, &props, fifo);
    if let Some(redrive) = entry.property("RedrivePolicy") {
        if let Some(target) = dead_letter(ctx, entry, redrive, fifo) {
            if let Some(Value::Object(r)) = props.get_mut("RedrivePolicy") {
                r.insert("deadLetterTargetArn".into(), target);
            }
        }
    }
    if !props.contains_key("KmsMasterKeyId") && !props.contains_key("SqsManagedSseEnabled") {
        props.insert("SqsManagedSseEnabled".into(), json!(true));
    }
    ctx.add_main_resource(
        entry,
        Resource::new(MODULE.resource_type, Value::Object(props)),
    );
    queue_policy(ctx, entry);
}

fn check_fifo(ctx: &mut Ctx, entry: &Entry, props: &Map<String, Value>, fifo: bool) {
    let span_of = |key: &str| entry.property(key).map(|n| n.span).unwrap_or(entry.span);
    if let Some(Value::String(name)) = props.get("QueueName") {
        let span = span_of("QueueName");
        let stem = name.strip_suffix(".fifo").unwrap_or(name);
        if fifo && !name.ends_with(".fifo") {
            ctx.diags.push(
                Diagnostic::error(
                    FIFO,
                    format!(
                        "x-sqs {}: a FIFO queue's name must end in `.fifo`",
                        entry.name
                    ),
                    span,
                )
                .with_help(format!("name it `{name}.fifo`")),
            );
        } else if !fifo && name.ends_with(".fifo") {
            ctx.diags.push(
                Diagnostic::error(
                    FIFO,
                    format!(
                        "x-sqs {}: only FIFO queues have names ending in `.fifo`",
                        entry.name
                    ),
                    span,
                )
                .with_help("set `FifoQueue: true`, or drop the suffix"),
            );
        }
        let valid = !stem.is_empty()
            && name.len() <= 80
            && stem
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            ctx.diags.push(
                Diagnostic::error(NAME, format!("x-sqs {}: queue name `{name}` is not valid", entry.name), span)
                    .with_help("1 to 80 characters: letters, digits, `-` and `_` (plus `.fifo` for FIFO queues)"),
            );
        }
    }
    if !fifo {
        for key in FIFO_ONLY {
            if props.contains_key(*key) {
                ctx.diags.push(
                    Diagnostic::error(
                        FIFO,
                        format!("x-sqs {}: {key} applies to FIFO queues only", entry.name),
                        span_of(key),
                    )
                    .with_help("set `FifoQueue: true`, or remove it"),
                );
            }
        }
    }
}

/// Checks `RedrivePolicy` and resolves `deadLetterTargetArn` written as a bare queue name (as
/// ComposeX accepts); returns the value to use when it changed.
fn dead_letter(ctx: &mut Ctx, entry: &Entry, redrive: &Node, fifo: bool) -> Option<Value> {
    if redrive.as_map().is_none() {
        ctx.diags.push(Diagnostic::error(
            INVALID,
            format!("x-sqs {}: RedrivePolicy must be a mapping", entry.name),
            redrive.span,
        ));
        return None;
    }
    match redrive.get("maxReceiveCount") {
        None => ctx.diags.push(
            Diagnostic::error(
                DEAD_LETTER,
                format!("x-sqs {}: RedrivePolicy needs maxReceiveCount", entry.name),
                redrive.span,
            )
            .with_help(
                "how many receives before a message moves to the dead-letter queue (1 to 1000)",
            ),
        ),
        Some(n) => {
            let count = n
                .as_scalar()
                .and_then(|s| s.as_i64().or_else(|| s.text.parse().ok()));
            if !count.is_some_and(|c| (1..=1000).contains(&c)) {
                ctx.diags.push(Diagnostic::error(
                    DEAD_LETTER,
                    format!(
                        "x-sqs {}: maxReceiveCount must be a whole number from 1 to 1000",
                        entry.name
                    ),
                    n.span,
                ));
            }
        }
    }
    let Some(target) = redrive.get("deadLetterTargetArn") else {
        ctx.diags.push(
            Diagnostic::error(
                DEAD_LETTER,
                format!(
                    "x-sqs {}: RedrivePolicy needs deadLetterTargetArn",
                    entry.name
                ),
                redrive.span,
            )
            .with_help("the dead-letter queue: x-sqs::<queue> or an ARN"),
        );
        return None;
    };
    let text = target.as_str()?;
    if text.starts_with("arn:") {
        return None;
    }
    let (name, resolved) = if is_reference(text) {
        match text.split("::").collect::<Vec<_>>().as_slice() {
            ["x-sqs", name] | ["x-sqs", name, "Arn"] => (name.to_string(), None),
            _ => {
                ctx.diags.push(
                    Diagnostic::error(
                        DEAD_LETTER,
                        format!(
                            "x-sqs {}: deadLetterTargetArn must be a queue's ARN",
                            entry.name
                        ),
                        target.span,
                    )
                    .with_help("write x-sqs::<queue>"),
                );
                return None;
            }
        }
    } else {
        let found = ctx.find(&MODULE, text, target.span, text)?;
        let value = ctx.value_named(MODULE.stack, found, "Arn");
        (text.to_string(), Some(value))
    };
    let dlq = ctx.catalog.find(MODULE.key, &name)?;
    if dlq.name == entry.name {
        ctx.diags.push(Diagnostic::error(
            DEAD_LETTER,
            format!(
                "x-sqs {}: a queue cannot be its own dead-letter queue",
                entry.name
            ),
            target.span,
        ));
    } else if is_fifo(dlq) != fifo {
        let kind = |f: bool| if f { "a FIFO" } else { "a standard" };
        ctx.diags.push(
            Diagnostic::error(
                DEAD_LETTER,
                format!(
                    "x-sqs {}: {} queue needs {} dead-letter queue, and {} is not",
                    entry.name,
                    kind(fifo),
                    kind(fifo),
                    dlq.name
                ),
                target.span,
            )
            .with_label(dlq.span, "the dead-letter queue is defined here")
            .with_help("a queue and its dead-letter queue must both be FIFO or both standard"),
        );
    }
    resolved
}

/// The queue policy: what other resources (grants) and `AwsPrincipalsAccess` let send/consume.
fn queue_policy(ctx: &mut Ctx, entry: &Entry) {
    let arn = ctx.value_named(MODULE.stack, entry, "Arn");
    let mut statements: Vec<Value> = ctx
        .grants_for(MODULE.key, &entry.name)
        .into_iter()
        .map(|g| {
            json!({
                "Sid": g.sid,
                "Effect": "Allow",
                "Principal": {"Service": g.service},
                "Action": g.actions,
                "Resource": arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": g.source_arn}},
            })
        })
        .collect();
    statements.extend(principals_access(ctx, entry, &arn));
    if statements.is_empty() {
        return;
    }
    let policy = Resource::new(
        "AWS::SQS::QueuePolicy",
        json!({
            "Queues": [ctx.value_named(MODULE.stack, entry, "Url")],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
        }),
    );
    ctx.stacks
        .stack(MODULE.stack)
        .add_resource(&format!("{}Policy", entry.id), policy);
}

/// `MacroParameters.AwsPrincipalsAccess: {Consume: [lambda], Publish: [sns, s3]}`: AWS services
/// of this account allowed to consume from / send to the queue.
fn principals_access(ctx: &mut Ctx, entry: &Entry, arn: &Value) -> Vec<Value> {
    let Some(node) = entry.setting("AwsPrincipalsAccess") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (what, actions) in [("Consume", access::CONSUME), ("Publish", access::SEND)] {
        let Some(list) = node.get(what) else { continue };
        let Some(items) = list.as_seq() else {
            ctx.diags.push(Diagnostic::error(
                INVALID,
                format!(
                    "x-sqs {}: AwsPrincipalsAccess.{what} must be a list of AWS service names",
                    entry.name
                ),
                list.span,
            ));
            continue;
        };
        let mut services: Vec<String> = Vec::new();
        for item in items {
            match item.as_str() {
                Some(s)
                    if !s.is_empty()
                        && s.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') =>
                {
                    let principal = if s.contains('.') {
                        s.to_string()
                    } else {
                        format!("{s}.amazonaws.com")
                    };
                    if !services.contains(&principal) {
                        services.push(principal);
                    }
                }
                _ => ctx.diags.push(
                    Diagnostic::error(
                        INVALID,
                        format!(
                            "x-sqs {}: `{}` is not an AWS service name",
                            entry.name,
                            item.as_str().unwrap_or("")
                        ),
                        item.span,
                    )
                    .with_help("e.g. lambda, sns, s3 or events.amazonaws.com"),
                ),
            }
        }
        if services.is_empty() {
            continue;
        }
        out.push(json!({
            "Sid": format!("AwsServices{what}"),
            "Effect": "Allow",
            "Principal": {"Service": services},
            "Action": actions,
            "Resource": arn,
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
        }));
    }
    out
}

/// `Services.<family>.Scaling` of a queue: step scaling of the family on the queue's depth.
pub fn scaling(ctx: &mut Ctx, entry: &Entry, family: &str, node: &Node) -> Option<StepScaling> {
    let error = |ctx: &mut Ctx, span: Span, msg: String| {
        ctx.diags.push(
            Diagnostic::error(SCALING, format!("x-sqs {}: {msg}", entry.name), span)
                .with_help("Scaling: {Steps: [{LowerBound: 0, UpperBound: 10, Count: 1}, {LowerBound: 10, Count: 2}], ScaleInCooldown: 60, ScaleOutCooldown: 60}"),
        );
    };
    let whole = |n: Option<&Node>| {
        n.and_then(|n| n.as_scalar())
            .and_then(|s| s.as_i64())
            .filter(|v| *v >= 0)
            .map(|v| v as u64)
    };
    let Some(steps_node) = node.get("Steps") else {
        error(ctx, node.span, "Scaling needs Steps".into());
        return None;
    };
    let Some(items) = steps_node.as_seq().filter(|s| !s.is_empty()) else {
        error(
            ctx,
            steps_node.span,
            "Steps must be a non-empty list".into(),
        );
        return None;
    };
    let mut steps: Vec<(u64, Option<u64>, u64, Span)> = Vec::new();
    for item in items {
        let lower = whole(item.get("LowerBound"));
        let count = whole(item.get("Count"));
        let upper = match item.get("UpperBound") {
            None => Ok(None),
            Some(n) => whole(Some(n)).map(Some).ok_or(()),
        };
        match (lower, count, upper) {
            (Some(l), Some(c), Ok(u)) if u.is_none_or(|u| u > l) => {
                steps.push((l, u, c, item.span))
            }
            _ => {
                error(ctx, item.span, "each step needs LowerBound and Count (whole numbers >= 0), and an UpperBound above LowerBound if any".into());
                return None;
            }
        }
    }
    steps.sort_by_key(|s| s.0);
    for pair in steps.windows(2) {
        let [a, b] = pair else { continue };
        if a.1 != Some(b.0) {
            error(ctx, b.3, format!("steps must follow each other: the step before this one should end at {} (UpperBound)", b.0));
            return None;
        }
    }
    let cooldown = |key: &str| whole(node.get(key)).unwrap_or(300);
    let queue_name = ctx.value_named(family, entry, "QueueName");
    Some(StepScaling {
        name: entry.id.clone(),
        namespace: "AWS/SQS",
        metric: "ApproximateNumberOfMessagesVisible",
        dimensions: vec![("QueueName", queue_name)],
        steps: steps.into_iter().map(|(l, u, c, _)| (l, u, c)).collect(),
        scale_out_cooldown: cooldown("ScaleOutCooldown"),
        scale_in_cooldown: cooldown("ScaleInCooldown"),
        external_alarm: None,
    })
}

/// A topic or bucket ARN built from its name (no reference to the resource, so the queue
/// policy creates no dependency cycle between stacks).
pub fn source_arn(service: &str, region_account: bool, name: &Value) -> Value {
    let template = if region_account {
        format!("arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:${{Name}}")
    } else {
        format!("arn:${{AWS::Partition}}:{service}:::${{Name}}")
    };
    let mut vars = Map::new();
    vars.insert("Name".into(), name.clone());
    crate::cfn::sub_with(&template, vars)
}

#[cfg(test)]
mod tests;

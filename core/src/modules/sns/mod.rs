//! x-sns: topics (`AWS::SNS::Topic`) with inline subscriptions; an SQS subscription to one of our
//! queues puts a statement in that queue's policy letting this topic send (condition
//! `aws:SourceArn`). Topics are encrypted with the AWS managed key (`alias/aws/sns`) unless
//! `KmsMasterKeyId` is given. Not retained on delete (messages in transit, not data at rest).

use serde_json::{json, Value};

use super::common::{arn_resource, is_reference, Ctx, Entry, Grant};
use super::{kms, sqs, ModuleDef, ReturnValue, Statement, BAD_TARGET, NAME};
use crate::cfn::{logical_id, Resource};
use crate::diagnostic::Diagnostic;
use crate::suggest::did_you_mean;
use crate::yaml::Node;

/// The x-sns module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-sns",
    stack: "sns",
    resource_type: "AWS::SNS::Topic",
    return_values: &[
        ReturnValue {
            name: "TopicArn",
            attribute: None,
        },
        ReturnValue {
            name: "TopicName",
            attribute: Some("TopicName"),
        },
    ],
    settings: &[],
    levels: &["Publish", "SNSPublishMessagePolicy"],
    lookup_values,
    grants,
    emit,
    access,
};

/// Level -> actions on the topic ARN.
pub const LEVELS: &[(&str, &[&str])] = &[
    ("Publish", &["sns:Publish"]),
    ("SNSPublishMessagePolicy", &["sns:Publish"]),
];

fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let arn = arn.or(identifier.filter(|i| i.starts_with("arn:")));
    let mut out = Vec::new();
    if let Some(arn) = arn {
        if let Some(name) = arn_resource(arn) {
            out.push(("TopicName", name.to_string()));
        }
        out.push(("TopicArn", arn.to_string()));
    } else if let Some(name) = identifier {
        out.push(("TopicName", name.to_string()));
    }
    out
}

fn is_fifo(entry: &Entry) -> bool {
    entry
        .property("FifoTopic")
        .and_then(Node::as_scalar)
        .is_some_and(|s| s.as_bool() == Some(true))
}

/// The SQS subscriptions of `entry` to our queues: (queue name, endpoint node).
fn queue_subscriptions<'n>(entry: &Entry<'n>) -> Vec<(String, &'n Node)> {
    let mut out = Vec::new();
    let Some(items) = entry.property("Subscription").and_then(Node::as_seq) else {
        return out;
    };
    for item in items {
        let sqs_protocol = item.get("Protocol").and_then(Node::as_str) == Some("sqs");
        let Some(endpoint) = item.get("Endpoint") else {
            continue;
        };
        let Some(text) = endpoint.as_str() else {
            continue;
        };
        if !sqs_protocol && !text.starts_with("x-sqs::") {
            continue;
        }
        if let Some(rest) = text.strip_prefix("x-sqs::") {
            let name = rest.split("::").next().unwrap_or(rest);
            out.push((name.to_string(), endpoint));
        } else if !text.starts_with("arn:") && !is_reference(text) {
            out.push((String::new(), endpoint));
        }
    }
    out
}

/// The name the topic gets: `TopicName` as written, or `<project>-<name>` when a queue policy
/// must name it (an ARN built from the name keeps the queue's stack free of this one).
fn topic_name(ctx: &Ctx, entry: &Entry) -> Value {
    if let Some(name) = entry.property("TopicName").and_then(Node::as_str) {
        return json!(name);
    }
    let mut name: String = format!("{}-{}", ctx.stacks.root_name(), entry.name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(250)
        .collect();
    if is_fifo(entry) {
        name.push_str(".fifo");
    }
    json!(name)
}

/// SQS subscriptions to our queues: the queue must let the topic send.
fn grants(ctx: &mut Ctx, entry: &Entry) -> Vec<Grant> {
    let mut out = Vec::new();
    for (queue, endpoint) in queue_subscriptions(entry) {
        if queue.is_empty() {
            let text = endpoint.as_str().unwrap_or("");
            let names = ctx.catalog.names(sqs::MODULE.key);
            let mut d = Diagnostic::error(
                BAD_TARGET,
                format!(
                    "x-sns {}: subscription endpoint `{text}` is neither x-sqs::<queue> nor an ARN",
                    entry.name
                ),
                endpoint.span,
            );
            d = match did_you_mean(text, names.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `x-sqs::{s}::Arn`?")),
                None if names.is_empty() => {
                    d.with_help("define the queue under x-sqs and write x-sqs::<queue>::Arn")
                }
                None => d.with_help(format!("x-sqs defines: {}", names.join(", "))),
            };
            ctx.diags.push(d);
            continue;
        }
        let Some(target) = ctx.catalog.find(sqs::MODULE.key, &queue) else {
            continue; // reported when the properties are resolved
        };
        if target.lookup.is_some() {
            continue; // an existing queue's policy is not ours to change
        }
        let queue_fifo = target
            .property("FifoQueue")
            .and_then(Node::as_scalar)
            .is_some_and(|s| s.as_bool() == Some(true));
        if queue_fifo && !is_fifo(entry) {
            ctx.diags.push(
                Diagnostic::warning(BAD_TARGET, format!("x-sns {}: a standard topic cannot deliver to FIFO queue {queue}; SNS will reject this subscription", entry.name), endpoint.span)
                    .with_label(target.span, "the FIFO queue")
                    .with_help("make the topic FIFO (FifoTopic: true) or subscribe a standard queue"),
            );
        }
        out.push(Grant {
            module: sqs::MODULE.key,
            name: queue,
            sid: format!("Sns{}", logical_id(&entry.name)),
            service: "sns.amazonaws.com",
            actions: vec!["sqs:SendMessage"],
            source_arn: sqs::source_arn("sns", true, &topic_name(ctx, entry)),
        });
    }
    out
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let mut props = ctx.properties(entry);
    if !queue_subscriptions(entry).is_empty() && !props.contains_key("TopicName") {
        props.insert("TopicName".into(), topic_name(ctx, entry));
    }
    if let Some(Value::String(name)) = props.get("TopicName") {
        let fifo = is_fifo(entry);
        let stem = name.strip_suffix(".fifo").unwrap_or(name);
        let valid = !stem.is_empty()
            && name.len() <= 256
            && stem
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && (fifo == name.ends_with(".fifo"));
        if !valid {
            let span = entry
                .property("TopicName")
                .map(|n| n.span)
                .unwrap_or(entry.span);
            ctx.diags.push(
                Diagnostic::error(NAME, format!("x-sns {}: topic name `{name}` is not valid", entry.name), span)
                    .with_help("1 to 256 letters, digits, `-` and `_`; FIFO topics (and only they) end in `.fifo`"),
            );
        }
    }
    if !props.contains_key("KmsMasterKeyId") {
        props.insert("KmsMasterKeyId".into(), json!("alias/aws/sns"));
    }
    ctx.add_main_resource(
        entry,
        Resource::new(MODULE.resource_type, Value::Object(props)),
    );
}

fn access(ctx: &mut Ctx, entry: &Entry, family: &str, access: &Node) -> Option<Vec<Statement>> {
    let (level, actions) = ctx.level(entry, access, LEVELS)?;
    let arn = ctx.value_named(family, entry, "TopicArn");
    let mut out = vec![Statement::allow(
        &format!("{level}{}", entry.id),
        actions,
        vec![arn],
    )];
    let key = entry
        .property("KmsMasterKeyId")
        .and_then(Node::as_str)
        .and_then(|t| t.strip_prefix("x-kms::"))
        .and_then(|rest| {
            ctx.catalog
                .find(kms::MODULE.key, rest.split("::").next().unwrap_or(rest))
        });
    if let Some(key) = key {
        let key_arn = ctx.value_named(family, key, "Arn");
        out.push(Statement::allow(
            &format!("TopicKey{}", entry.id),
            &["kms:Decrypt", "kms:GenerateDataKey"],
            vec![key_arn],
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests;

//! x-sqs access levels: explicit action lists on the queue's ARN. ComposeX's `Publish` was
//! `NotAction: sqs:SendMessage` (everything but sending) and `RWMessages` a NotAction list; here
//! both are the actions they mean. SAM's `SQSPollerPolicy` names batch actions that IAM does not
//! have (`sqs:DeleteMessageBatch`, `sqs:ChangeMessageVisibilityBatch`): the batch API calls are
//! authorised by `sqs:DeleteMessage` / `sqs:ChangeMessageVisibility`.

use serde_json::Value;

use crate::modules::common::{is_reference, Ctx, Entry};
use crate::modules::{kms, Statement};
use crate::yaml::Node;

/// Sending (`SendMessage` also authorises `SendMessageBatch`).
pub const SEND: &[&str] = &["sqs:SendMessage"];
/// Consuming.
pub const CONSUME: &[&str] = &[
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:ReceiveMessage",
];

/// Level -> actions on the queue ARN.
pub const LEVELS: &[(&str, &[&str])] = &[
    (
        "RO",
        &[
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ListDeadLetterSourceQueues",
            "sqs:ListQueueTags",
        ],
    ),
    ("Publish", &["sqs:GetQueueUrl", "sqs:SendMessage"]),
    ("SendOnly", &["sqs:SendMessage"]),
    (
        "Consume",
        &[
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ReceiveMessage",
        ],
    ),
    (
        "RWMessages",
        &[
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ReceiveMessage",
            "sqs:SendMessage",
        ],
    ),
    ("SQSPollerPolicy", CONSUME),
    ("SQSSendMessagePolicy", SEND),
];

/// The level names.
pub const LEVEL_NAMES: &[&str] = &[
    "RO",
    "Publish",
    "SendOnly",
    "Consume",
    "RWMessages",
    "SQSPollerPolicy",
    "SQSSendMessagePolicy",
];

/// The statements `access` gives `family` on queue `entry`; plus, when the queue is encrypted
/// with one of our x-kms keys, what senders and receivers need on that key.
pub fn statements(
    ctx: &mut Ctx,
    entry: &Entry,
    family: &str,
    access: &Node,
) -> Option<Vec<Statement>> {
    let (level, actions) = ctx.level(entry, access, LEVELS)?;
    let arn = ctx.value_named(family, entry, "Arn");
    let mut out = vec![Statement::allow(
        &format!("{}{}", level_sid(level), entry.id),
        actions,
        vec![arn],
    )];
    if let Some(key) = queue_key(ctx, entry, family) {
        let sends = actions.contains(&"sqs:SendMessage");
        let receives = actions.contains(&"sqs:ReceiveMessage");
        // SQS's key guide: producers need GenerateDataKey and Decrypt, consumers Decrypt.
        let key_actions: &[&'static str] = match (sends, receives) {
            (true, _) => &["kms:Decrypt", "kms:GenerateDataKey"],
            (false, true) => &["kms:Decrypt"],
            (false, false) => &[],
        };
        if !key_actions.is_empty() {
            out.push(Statement::allow(
                &format!("QueueKey{}", entry.id),
                key_actions,
                vec![key],
            ));
        }
    }
    Some(out)
}

fn level_sid(level: &str) -> String {
    level.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// The ARN of the x-kms key encrypting `entry`, in `family`'s terms.
fn queue_key(ctx: &mut Ctx, entry: &Entry, family: &str) -> Option<Value> {
    let text = entry.property("KmsMasterKeyId")?.as_str()?;
    if !is_reference(text) {
        return None;
    }
    let mut parts = text.split("::");
    if parts.next()? != kms::MODULE.key {
        return None;
    }
    let key = ctx.catalog.find(kms::MODULE.key, parts.next()?)?;
    Some(ctx.value_named(family, key, "Arn"))
}

use crate::modules::testing::emit;

use super::access::{LEVELS, LEVEL_NAMES};

fn level(name: &str) -> Vec<&'static str> {
    LEVELS
        .iter()
        .find(|(l, _)| *l == name)
        .map(|(_, a)| a.to_vec())
        .unwrap_or_default()
}

#[test]
fn access_levels_are_explicit_action_lists() {
    assert_eq!(
        level("RO"),
        [
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ListDeadLetterSourceQueues",
            "sqs:ListQueueTags"
        ]
    );
    // ComposeX's Publish was NotAction sqs:SendMessage: here it is the sending itself.
    assert_eq!(level("Publish"), ["sqs:GetQueueUrl", "sqs:SendMessage"]);
    assert_eq!(level("SendOnly"), ["sqs:SendMessage"]);
    assert_eq!(
        level("Consume"),
        [
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ReceiveMessage"
        ]
    );
    assert_eq!(
        level("RWMessages"),
        [
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ReceiveMessage",
            "sqs:SendMessage"
        ]
    );
    // SAM's poller names sqs:DeleteMessageBatch / sqs:ChangeMessageVisibilityBatch, which IAM lacks.
    assert_eq!(
        level("SQSPollerPolicy"),
        [
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage"
        ]
    );
    assert_eq!(level("SQSSendMessagePolicy"), ["sqs:SendMessage"]);
    let names: Vec<&str> = LEVELS.iter().map(|(l, _)| *l).collect();
    assert_eq!(names, LEVEL_NAMES);
}

#[test]
fn queues_dead_letters_links_and_scaling() {
    let r = emit(include_str!("fixtures/queues.yml"));
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    // The redrive target is the DLQ's ARN, in the same stack.
    let jobs = &r.template("sqs").resources["Jobs"];
    assert_eq!(
        jobs.properties["RedrivePolicy"],
        serde_json::json!({"deadLetterTargetArn": {"Fn::GetAtt": ["JobsDlq", "Arn"]}, "maxReceiveCount": 5})
    );
    let orders = &r.template("sqs").resources["Orders"];
    assert_eq!(
        orders.properties["RedrivePolicy"]["deadLetterTargetArn"],
        serde_json::json!({"Fn::GetAtt": ["OrdersDlq", "Arn"]})
    );
    assert_eq!(
        r.actions("app01", "SqsJobs"),
        [["sqs:GetQueueUrl", "sqs:SendMessage"]]
    );
    insta::assert_snapshot!(r.summary());
}

#[test]
fn undefined_dead_letter_queue_is_a_located_error() {
    let text = "services:\n  app01:\n    image: nginx\nx-sqs:\n  queueA: {}\n  queueB:\n    Properties:\n      RedrivePolicy:\n        deadLetterTargetArn: queueAA\n        maxReceiveCount: 10\n";
    let r = emit(text);
    assert_eq!(r.diagnostics(), ["error CX363 9:30 `queueAA`: x-sqs has no resource `queueAA` (help: did you mean `queueA`?)"]);
}

#[test]
fn fifo_rules() {
    let text = "services:\n  app01:\n    image: nginx\nx-sqs:\n  dlq: {}\n  q:\n    Properties:\n      FifoQueue: true\n      QueueName: orders\n      RedrivePolicy:\n        deadLetterTargetArn: x-sqs::dlq\n        maxReceiveCount: 0\n  s:\n    Properties:\n      QueueName: s.fifo\n      ContentBasedDeduplication: true\n";
    let r = emit(text);
    let d = r.diagnostics();
    assert!(
        d.iter()
            .any(|m| m
                .starts_with("error CX369 9:18 x-sqs q: a FIFO queue's name must end in `.fifo`")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|m| m.starts_with("error CX368 12:26 x-sqs q: maxReceiveCount")),
        "{d:?}"
    );
    assert!(
        d.iter().any(|m| m
            .starts_with("error CX368 11:30 x-sqs q: a FIFO queue needs a FIFO dead-letter queue")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|m| m.starts_with("error CX369 15:18 x-sqs s: only FIFO queues")),
        "{d:?}"
    );
    assert!(
        d.iter().any(|m| m.starts_with(
            "error CX369 16:34 x-sqs s: ContentBasedDeduplication applies to FIFO queues only"
        )),
        "{d:?}"
    );
    assert_eq!(r.error_codes().len(), 5, "{d:?}");
}

#[test]
fn unknown_access_level_and_property() {
    let text = "services:\n  app01:\n    image: nginx\nx-sqs:\n  q:\n    Properties:\n      VisibilityTimout: 30\n    Services:\n      app01:\n        Access: Publsh\n";
    let r = emit(text);
    assert_eq!(
        r.diagnostics(),
        [
            "error CX362 7:7 x-sqs q: AWS::SQS::Queue has no property `VisibilityTimout` (help: did you mean `VisibilityTimeout`?)",
            "error CX364 10:17 x-sqs: no access level `Publsh` (help: did you mean `Publish`? levels: RO, Publish, SendOnly, Consume, RWMessages, SQSPollerPolicy, SQSSendMessagePolicy)",
        ]
    );
}

#[test]
fn scaling_steps_must_follow_each_other() {
    let text = "services:\n  app01:\n    image: nginx\nx-sqs:\n  q:\n    Services:\n      app01:\n        Access: Consume\n        Scaling:\n          Steps:\n            - {LowerBound: 0, UpperBound: 5, Count: 1}\n            - {LowerBound: 10, Count: 2}\n";
    let r = emit(text);
    assert_eq!(r.error_codes(), ["CX370"], "{:?}", r.diagnostics());
    assert!(
        r.diagnostics()[0].contains("12:15"),
        "{:?}",
        r.diagnostics()
    );
}

#[test]
fn lookup_without_arn_warns_and_leaves_a_parameter() {
    let text = "services:\n  app01:\n    image: nginx\nx-sqs:\n  q:\n    Lookup:\n      Tags:\n        - name: q\n    Services:\n      app01:\n        Access: SendOnly\n";
    let r = emit(text);
    assert!(r.error_codes().is_empty());
    assert!(
        r.stacks.get("sqs").is_none(),
        "a looked-up queue creates nothing"
    );
    let params: Vec<&String> = r.template("app01").parameters.keys().collect();
    assert_eq!(params, ["SqsQArn", "SqsQUrl"]);
    // Warned about when the parameter files are written without a value for them.
    let warned: Vec<&String> = r.stacks.unfilled_warnings.keys().collect();
    assert_eq!(warned, ["SqsQArn", "SqsQUrl"]);
    assert!(r
        .stacks
        .unfilled_warnings
        .values()
        .all(|d| d.code == "CX366"));
}

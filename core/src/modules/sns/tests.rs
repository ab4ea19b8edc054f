use super::LEVELS;
use crate::modules::testing::emit;

#[test]
fn access_levels_are_explicit_action_lists() {
    let levels: Vec<(&str, Vec<&str>)> = LEVELS.iter().map(|(l, a)| (*l, a.to_vec())).collect();
    assert_eq!(
        levels,
        [
            ("Publish", vec!["sns:Publish"]),
            ("SNSPublishMessagePolicy", vec!["sns:Publish"])
        ]
    );
}

#[test]
fn topics_subscriptions_and_queue_policies() {
    let r = emit(include_str!("fixtures/topics.yml"));
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    // A subscription to one of our queues names the topic, so the queue policy can too.
    let events = &r.template("sns").resources["Events"];
    assert_eq!(events.properties["TopicName"], "test-events");
    let policy = &r.template("sqs").resources["InboxPolicy"];
    assert_eq!(
        policy.properties["PolicyDocument"]["Statement"][0]["Condition"]["ArnEquals"]
            ["aws:SourceArn"]["Fn::Sub"][1]["Name"],
        "test-events"
    );
    // Publishing to a topic encrypted with our key needs the key too.
    assert_eq!(
        r.actions("app01", "SnsAlerts"),
        [
            vec!["sns:Publish"],
            vec!["kms:Decrypt", "kms:GenerateDataKey"]
        ]
    );
    insta::assert_snapshot!(r.summary());
}

#[test]
fn unknown_subscription_endpoint_is_located() {
    let text = "services:\n  app:\n    image: nginx\nx-sqs:\n  queueA: {}\nx-sns:\n  topicB:\n    Properties:\n      Subscription:\n        - Endpoint: queueAA\n          Protocol: sqs\n";
    let r = emit(text);
    assert_eq!(
        r.diagnostics(),
        ["error CX371 10:21 x-sns topicB: subscription endpoint `queueAA` is neither x-sqs::<queue> nor an ARN (help: did you mean `x-sqs::queueA::Arn`?)"]
    );
}

#[test]
fn standard_topic_to_fifo_queue_warns() {
    let text = "services:\n  app:\n    image: nginx\nx-sqs:\n  q:\n    Properties:\n      FifoQueue: true\nx-sns:\n  t:\n    Properties:\n      Subscription:\n        - Endpoint: x-sqs::q::Arn\n          Protocol: sqs\n";
    let r = emit(text);
    assert!(r.error_codes().is_empty());
    assert!(
        r.diagnostics()[0].starts_with(
            "warning CX371 12:21 x-sns t: a standard topic cannot deliver to FIFO queue q"
        ),
        "{:?}",
        r.diagnostics()
    );
}

use crate::modules::testing::emit;

const FIXTURE: &str = include_str!("fixtures/alarms.yml");

#[test]
fn alarms_composites_topics_and_scaling() {
    let r = emit(FIXTURE);
    insta::assert_snapshot!(r.summary());
}

#[test]
fn linked_services_get_no_env_and_no_iam() {
    let r = emit(FIXTURE);
    let web = r.links.family("web").expect("web links");
    assert!(web.environment.is_empty(), "{:?}", web.environment);
    assert!(web.policies.is_empty());
    assert_eq!(web.scaling.len(), 1);
    assert_eq!(
        web.scaling[0].external_alarm.as_deref(),
        Some("WebQueueLagScalingPolicyArn")
    );
}

#[test]
fn bad_rules_topics_and_levels_are_located() {
    let d = emit(
        "services:\n  web:\n    image: x\nx-alarms:\n  a:\n    Properties:\n      Namespace: N\n  c:\n    MacroParameters:\n      CompositeExpression: ALARM(b) or ALARM(c)\n    Topics:\n      - TopicArn: nope\n      - x-sns: missing\n        NotifyOn: sometimes\n    Services:\n      web:\n        Access: RW\n",
    )
    .diagnostics();
    assert_eq!(
        d,
        [
            "error CX363 10:28 x-alarms c: `b` in the composite expression is not an x-alarms alarm (help: did you mean `a`?)",
            "error CX363 10:28 x-alarms c: a composite alarm cannot watch itself",
            // A bad expression does not hide the bad topics.
            "error CX371 12:19 x-alarms c: TopicArn must be an SNS topic ARN (help: arn:aws:sns:<region>:<account>:<topic>, or x-sns: <topic>)",
            "error CX363 13:16 `missing`: x-sns has no resource `missing` (help: define it under the top-level `x-sns:` key)",
            "error CX361 14:19 x-alarms c: NotifyOn is alarm, okay or all",
            "error CX364 17:17 x-alarms: no access level `RW` (help: levels: NA)",
        ]
    );
    let d = emit(
        "x-alarms:\n  a:\n    Properties:\n      Namespace: N\n      Treshold: 3\n    Topics:\n      - TopicArn: nope\n      - x-sns: missing\n      - NotifyOn: sometimes\n        TopicArn: arn:aws:sns:eu-west-1:1:t\n",
    )
    .diagnostics();
    assert_eq!(
        d,
        [
            "error CX362 5:7 x-alarms a: AWS::CloudWatch::Alarm has no property `Treshold` (help: did you mean `Threshold`?)",
            "error CX371 7:19 x-alarms a: TopicArn must be an SNS topic ARN (help: arn:aws:sns:<region>:<account>:<topic>, or x-sns: <topic>)",
            "error CX363 8:16 `missing`: x-sns has no resource `missing` (help: define it under the top-level `x-sns:` key)",
            "error CX361 9:19 x-alarms a: NotifyOn is alarm, okay or all",
        ]
    );
}

#[test]
fn composite_alarms_cannot_scale() {
    let r = emit(
        "services:\n  web:\n    image: x\nx-alarms:\n  a:\n    Properties:\n      Namespace: N\n  c:\n    Properties:\n      AlarmRule: ALARM(a)\n    Services:\n      web:\n        Scaling:\n          Steps:\n            - LowerBound: 0\n              Count: 1\n",
    );
    assert_eq!(
        r.diagnostics(),
        ["warning CX370 14:11 x-alarms c: a composite alarm cannot start auto scaling; Scaling is ignored (help: put Scaling on one of the alarms the composite alarm combines)"]
    );
}

#[test]
fn predefined_service_alarms_are_reported() {
    let d = emit("services:\n  web:\n    image: x\n    x-alarms:\n      Predefined: {}\n")
        .diagnostics();
    assert_eq!(
        d,
        ["warning CX372 5:7 services.web.x-alarms (predefined alarms) is not supported and is ignored (help: define the alarm under the top-level x-alarms, with MacroParameters.ServiceName and Topics)"]
    );
}

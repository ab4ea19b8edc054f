use crate::modules::testing::emit;

use super::{PASS_ROLE, RUN_TASK};

const FIXTURE: &str = include_str!("fixtures/rules.yml");

#[test]
fn role_actions_are_explicit() {
    assert_eq!(RUN_TASK, ["ecs:RunTask"]);
    assert_eq!(PASS_ROLE, ["iam:PassRole"]);
}

#[test]
fn rule_targets_role_and_dropped_service() {
    let r = emit(FIXTURE);
    assert!(r.error_codes().is_empty(), "{:?}", r.diagnostics());
    assert!(r.links.family("report").is_some_and(|l| l.no_service));
    assert!(!r.links.family("web").is_some_and(|l| l.no_service));
    insta::assert_snapshot!(r.summary());
}

#[test]
fn bad_rules_are_located() {
    let d = emit(
        "services:\n  a:\n    image: x\nx-events:\n  r:\n    Properties:\n      Description: x\n    Services:\n      a: {}\n  s:\n    Properties:\n      ScheduleExpresion: rate(1 hour)\n      ScheduleExpression: rate(1 hour)\n    Services:\n      a:\n        TaskCount: 11\n        DeleteDefaultService: maybe\n",
    )
    .diagnostics();
    assert_eq!(
        d,
        [
            "error CX382 5:3 x-events r: a rule needs ScheduleExpression or EventPattern (help: e.g. Properties: {ScheduleExpression: rate(1 hour)})",
            "error CX362 12:7 x-events s: AWS::Events::Rule has no property `ScheduleExpresion` (help: did you mean `ScheduleExpression`?)",
            "error CX382 16:20 x-events s: TaskCount must be a whole number from 1 to 10",
            // A bad TaskCount does not hide the bad DeleteDefaultService.
            "error CX361 17:31 x-events s: DeleteDefaultService must be true or false",
        ]
    );
}

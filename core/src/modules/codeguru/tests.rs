use serde_json::json;

use super::{LEVELS, SERVICE_PROFILER};
use crate::modules::testing::emit;
use crate::modules::UNKNOWN_ACCESS;

const PROFILER_ACTIONS: [&str; 2] = [
    "codeguru-profiler:ConfigureAgent",
    "codeguru-profiler:PostAgentProfile",
];

/// `(name, value)` of the env vars `family` gets, as JSON text.
fn env(r: &crate::modules::testing::Rendered, family: &str) -> Vec<(String, String)> {
    r.links
        .family(family)
        .map(|l| {
            l.environment
                .iter()
                .map(|v| (v.name.clone(), v.value.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_only_level_is_what_the_agent_calls() {
    assert_eq!(LEVELS, [("RW", &PROFILER_ACTIONS[..])]);
}

#[test]
fn groups_their_names_access_and_the_agent_env_vars() {
    let r = emit(include_str!("fixtures/profilers.yml"));
    assert!(r.diagnostics().is_empty(), "{:?}", r.diagnostics());
    let stack = r.template("codeguru");
    let ours = &stack.resources["Profiler01"];
    assert_eq!(ours.type_, "AWS::CodeGuruProfiler::ProfilingGroup");
    assert_eq!(ours.properties["ProfilingGroupName"], "test-Profiler01");
    let shared = &stack.resources["Shared"].properties;
    assert_eq!(shared["ComputePlatform"], "Default");
    assert_eq!(
        shared["ProfilingGroupName"],
        json!({"Fn::Join": ["-", ["shared-profiles", {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}]]})
    );
    assert_eq!(r.actions("app01", "CodeguruProfiler01"), [PROFILER_ACTIONS]);
    assert_eq!(r.actions("app02", "CodeguruShared"), [PROFILER_ACTIONS]);
    let names: Vec<String> = env(&r, "app02").into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "SHARED",
            "SHARED_PROFILER_ARN",
            "AWS_CODEGURU_PROFILER_GROUP_NAME",
            "AWS_CODEGURU_PROFILER_GROUP_ARN"
        ]
    );
    insta::assert_snapshot!(r.summary());
}

#[test]
fn a_service_of_its_own_or_a_named_group() {
    let r = emit(include_str!("fixtures/service_level.yml"));
    assert!(r.diagnostics().is_empty(), "{:?}", r.diagnostics());
    let stack = r.template("codeguru");
    assert_eq!(
        stack.resources["App01Profiler"].properties["ProfilingGroupName"],
        "test-app01"
    );
    assert_eq!(
        r.actions("app01", "CodeguruApp01Profiler"),
        [PROFILER_ACTIONS]
    );
    assert_eq!(r.actions("app02", "CodeguruTeam"), [PROFILER_ACTIONS]);
    let app02 = env(&r, "app02");
    assert_eq!(app02[0].0, "AWS_CODEGURU_PROFILER_GROUP_NAME");
    assert!(app02[0].1.contains("CodeguruTeamProfileName"), "{app02:?}");
    insta::assert_snapshot!(r.summary());
}

#[test]
fn service_level_properties_are_checked() {
    let text = "services:\n  app:\n    image: nginx\n    x-codeguru_profiler:\n      ProfilingGroupName: my group\n      ComputePlatfrom: Default\n";
    let r = emit(text);
    let d = r.diagnostics();
    assert_eq!(
        d,
        [
            "error CX503 5:27 services.app.x-codeguru_profiler: ProfilingGroupName: `my group` does not have the form ^[\\w-]+$ (help: CloudFormation refuses values that do not match the property's pattern)",
            "error CX362 6:7 services.app.x-codeguru_profiler: AWS::CodeGuruProfiler::ProfilingGroup has no property `ComputePlatfrom` (help: did you mean `ComputePlatform`?)"
        ]
    );
}

#[test]
fn a_service_value_that_is_no_profiler_is_located() {
    let text = "services:\n  app:\n    image: nginx\n    x-codeguru_profiler: temm\nx-codeguru_profiler:\n  team:\n    Properties: {}\n";
    let r = emit(text);
    assert_eq!(
        r.diagnostics(),
        [format!("error {SERVICE_PROFILER} 4:26 services.app.x-codeguru_profiler must be true, false, profiling group properties or the name of an x-codeguru_profiler resource (help: did you mean `team`?)")]
    );
    let r = emit("services:\n  app:\n    image: nginx\n    x-codeguru_profiler: [1]\n");
    assert_eq!(r.error_codes(), [SERVICE_PROFILER]);
    let r = emit("services:\n  app:\n    image: nginx\n    x-codeguru_profiler: false\n");
    assert!(r.diagnostics().is_empty());
    assert!(r
        .stacks
        .get("codeguru")
        .is_none_or(|s| s.template.resources.is_empty()));
}

#[test]
fn unknown_access_and_bad_names_are_located() {
    let text = "services:\n  app:\n    image: nginx\nx-codeguru_profiler:\n  p:\n    Properties:\n      ProfilingGroupName: a/b\n    MacroParameters:\n      AppendStackId: maybe\n    Services:\n      app:\n        Access: ReadOnly\n";
    let r = emit(text);
    assert_eq!(
        r.diagnostics(),
        [
            "error CX503 7:27 x-codeguru_profiler p: ProfilingGroupName: `a/b` does not have the form ^[\\w-]+$ (help: CloudFormation refuses values that do not match the property's pattern)".to_string(),
            "error CX361 9:22 x-codeguru_profiler p: AppendStackId must be true or false (help: AppendStackId: true appends the stack's id to the group name)".to_string(),
            format!("error {UNKNOWN_ACCESS} 12:17 x-codeguru_profiler: no access level `ReadOnly` (help: levels: RW)"),
        ]
    );
}

#[test]
fn a_looked_up_group_fills_its_parameters() {
    let text = "services:\n  app:\n    image: nginx\nx-codeguru_profiler:\n  existing:\n    Lookup:\n      Arn: arn:aws:codeguru-profiler:eu-west-1:123456789012:profilingGroup/prod-profiles\n    Services:\n      app:\n        Access: RW\n";
    let r = emit(text);
    assert!(r.diagnostics().is_empty(), "{:?}", r.diagnostics());
    assert_eq!(
        r.stacks
            .known_values
            .get("CodeguruExistingProfileName")
            .map(String::as_str),
        Some("prod-profiles")
    );
    assert_eq!(
        r.stacks
            .known_values
            .get("CodeguruExistingArn")
            .map(String::as_str),
        Some("arn:aws:codeguru-profiler:eu-west-1:123456789012:profilingGroup/prod-profiles")
    );
}

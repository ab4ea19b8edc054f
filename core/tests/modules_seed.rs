//! The seed scenario's queue: app01 may only send to `jobs` (exact actions, on the queue's ARN
//! passed from the sqs stack), gets its URL as JOBS, and `jobs` redrives to `jobs-dlq` after 5
//! receives. Checked in both layouts.

use std::collections::BTreeMap;

use composex_core::{render, Format, Input, Layout, Options, SourceFile};
use serde_json::{json, Value};

const SEED: &str = include_str!("../../examples/seed/docker-compose.yml");

fn templates(layout: Layout) -> BTreeMap<String, Value> {
    let input = Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: SEED.into(),
        }],
        env: BTreeMap::new(),
        options: Options {
            project_name: "seed".into(),
            format: Format::Json,
            layout,
            params: BTreeMap::new(),
            ..Options::default()
        },
        ..Input::default()
    };
    let output = render(&input);
    let errors: Vec<_> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    output
        .files
        .iter()
        .filter(|f| {
            f.path.ends_with(".json")
                && !f.path.contains(".params.")
                && !f.path.contains(".config.")
        })
        .map(|f| {
            (
                f.path.clone(),
                serde_json::from_str(&f.text).expect("JSON template"),
            )
        })
        .collect()
}

fn task_role_policy<'a>(template: &'a Value, name: &str) -> &'a Value {
    task_role_policy_of(&template["Resources"]["TaskRole"], name)
}

fn container_env<'a>(template: &'a Value, container: &str, name: &str) -> &'a Value {
    let task = template["Resources"]
        .as_object()
        .and_then(|r| r.values().find(|r| r["Type"] == "AWS::ECS::TaskDefinition"))
        .expect("task definition");
    let def = task["Properties"]["ContainerDefinitions"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["Name"] == container))
        .expect("container");
    def["Environment"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["Name"] == name))
        .map(|e| &e["Value"])
        .unwrap_or_else(|| panic!("no env var {name}"))
}

#[test]
fn nested_app01_sends_to_the_queue_and_the_queue_redrives_to_the_dlq() {
    let t = templates(Layout::Nested);
    let sqs = &t["sqs.json"];
    assert_eq!(
        sqs["Resources"]["Jobs"]["Properties"]["RedrivePolicy"],
        json!({"deadLetterTargetArn": {"Fn::GetAtt": ["JobsDlq", "Arn"]}, "maxReceiveCount": 5})
    );
    assert_eq!(sqs["Resources"]["JobsDlq"]["Type"], "AWS::SQS::Queue");
    let app01 = &t["app01.json"];
    assert_eq!(
        task_role_policy(app01, "SqsJobs")["PolicyDocument"]["Statement"],
        json!([{"Sid": "SendOnlyJobs", "Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [{"Ref": "SqsJobsArn"}]}])
    );
    assert_eq!(
        container_env(app01, "app01", "JOBS"),
        &json!({"Ref": "SqsJobsUrl"})
    );
    // The root passes the sqs stack's outputs to app01's parameters.
    let stack = &t["seed.json"]["Resources"]["App01"]["Properties"]["Parameters"];
    assert_eq!(
        stack["SqsJobsArn"],
        json!({"Fn::GetAtt": ["Sqs", "Outputs.SqsJobsArn"]})
    );
    assert_eq!(
        stack["SqsJobsUrl"],
        json!({"Fn::GetAtt": ["Sqs", "Outputs.SqsJobsUrl"]})
    );
    // app02 is not linked: no queue policy, no env var.
    assert!(
        t["app02.json"]["Resources"]["TaskRole"]["Properties"]["Policies"]
            .as_array()
            .is_none_or(|p| p.iter().all(|p| p["PolicyName"] != "SqsJobs"))
    );
}

#[test]
fn single_layout_uses_the_queues_directly() {
    let t = templates(Layout::Single);
    let flat = &t["seed.json"];
    let resources = &flat["Resources"];
    assert_eq!(
        resources["SqsJobs"]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"],
        json!({"Fn::GetAtt": ["SqsJobsDlq", "Arn"]})
    );
    let role = &resources["App01TaskRole"];
    assert_eq!(
        task_role_policy_of(role, "SqsJobs")["PolicyDocument"]["Statement"][0]["Resource"],
        json!([{"Fn::GetAtt": ["SqsJobs", "Arn"]}])
    );
    assert_eq!(
        task_role_policy_of(role, "SqsJobs")["PolicyDocument"]["Statement"][0]["Action"],
        json!(["sqs:SendMessage"])
    );
}

fn task_role_policy_of<'a>(role: &'a Value, name: &str) -> &'a Value {
    role["Properties"]["Policies"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["PolicyName"] == name))
        .unwrap_or_else(|| panic!("no task role policy {name}"))
}

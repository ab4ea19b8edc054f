//! x-xray: the X-Ray daemon sidecar, its IAM statement and its share of the task size.

use composex_core::{render, Format, Input, Layout, Options, SourceFile};
use serde_json::Value;

fn family_template(compose: &str) -> (Value, Vec<composex_core::Diagnostic>) {
    let input = Input {
        files: vec![SourceFile {
            name: "c.yml".into(),
            text: compose.into(),
        }],
        options: Options {
            format: Format::Json,
            layout: Layout::Nested,
            ..Options::default()
        },
        ..Input::default()
    };
    let out = render(&input);
    let file = out
        .files
        .iter()
        .find(|f| f.path == "web.json")
        .expect("web.json");
    (serde_json::from_str(&file.text).unwrap(), out.diagnostics)
}

#[test]
fn the_daemon_runs_beside_the_app_and_the_task_role_may_send_traces() {
    let (t, _) = family_template(
        "services:\n  web:\n    image: nginx\n    x-xray: true\n    deploy:\n      resources:\n        limits: {cpus: '0.25', memory: 256M}\n",
    );
    let td = &t["Resources"]["TaskDefinition"]["Properties"];
    let containers = td["ContainerDefinitions"].as_array().unwrap();
    assert_eq!(containers.len(), 2);
    let daemon = &containers[1];
    assert_eq!(daemon["Name"], "xray-daemon");
    assert_eq!(
        daemon["Image"],
        "public.ecr.aws/xray/aws-xray-daemon:latest"
    );
    assert_eq!(daemon["Essential"], false);
    assert_eq!(daemon["PortMappings"][0]["ContainerPort"], 2000);
    assert_eq!(daemon["PortMappings"][0]["Protocol"], "udp");
    // 256 + 32 CPU units and 256 + 256 MiB: the smallest Fargate size that fits is 512 / 1024.
    assert_eq!(
        (td["Cpu"].as_str(), td["Memory"].as_str()),
        (Some("512"), Some("1024"))
    );
    let policies = t["Resources"]["TaskRole"]["Properties"]["Policies"]
        .as_array()
        .unwrap();
    let xray = policies
        .iter()
        .find(|p| p["PolicyName"] == "XRay")
        .expect("XRay policy");
    let actions = &xray["PolicyDocument"]["Statement"][0]["Action"];
    assert_eq!(
        actions,
        &serde_json::json!([
            "xray:GetSamplingRules",
            "xray:GetSamplingStatisticSummaries",
            "xray:GetSamplingTargets",
            "xray:PutTelemetryRecords",
            "xray:PutTraceSegments"
        ])
    );
}

#[test]
fn override_image_and_false() {
    let (t, _) = family_template(
        "services:\n  web:\n    image: nginx\n    x-ray: {OverrideImage: my/xray:3}\n",
    );
    let containers = t["Resources"]["TaskDefinition"]["Properties"]["ContainerDefinitions"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(containers[1]["Image"], "my/xray:3");
    let (t, _) = family_template("services:\n  web:\n    image: nginx\n    x-xray: false\n");
    let containers = t["Resources"]["TaskDefinition"]["Properties"]["ContainerDefinitions"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(containers.len(), 1);
    assert!(t["Resources"]["TaskRole"]["Properties"]
        .get("Policies")
        .is_none());
}

#[test]
fn a_wrong_value_is_a_located_error() {
    let input = Input {
        files: vec![SourceFile {
            name: "c.yml".into(),
            text: "services:\n  web:\n    image: nginx\n    x-xray: [1]\n".into(),
        }],
        ..Input::default()
    };
    let out = render(&input);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "CX333")
        .expect("CX333");
    let loc = d.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (4, 13));
    assert!(out.files.is_empty());
}

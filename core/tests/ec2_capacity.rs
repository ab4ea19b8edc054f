//! EC2 capacity: x-cluster.MacroParameters.Ec2Capacity (launch template, Auto Scaling group,
//! capacity provider, associations), families placed on it (ecs.compute.platform, x-ecs `EC2`,
//! GPUs), deploy.placement and GPU devices; refused at their key on Fargate.

use composex_core::{render, Diagnostic, Format, Input, Layout, Options, Output, SourceFile};
use serde_json::{json, Value};

fn run(compose: &str, layout: Layout) -> Output {
    render(&Input {
        files: vec![SourceFile {
            name: "c.yml".into(),
            text: compose.into(),
        }],
        options: Options {
            project_name: "test".into(),
            format: Format::Json,
            layout,
            ..Options::default()
        },
        ..Input::default()
    })
}

fn template(out: &Output, name: &str) -> Value {
    let file = out
        .files
        .iter()
        .find(|f| f.path == format!("{name}.json"))
        .unwrap_or_else(|| panic!("{name}.json: {:?}", out.diagnostics));
    serde_json::from_str(&file.text).unwrap()
}

fn errors(out: &Output) -> Vec<&Diagnostic> {
    out.diagnostics.iter().filter(|d| d.is_error()).collect()
}

/// The error with `code`, and the line it is at.
fn error_line(out: &Output, code: &str) -> usize {
    let d = errors(out)
        .into_iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code}: {:?}", out.diagnostics));
    d.location.as_ref().expect("located").line
}

const GPU: &str = include_str!("../src/emit/examples/ec2-capacity.yml");
const SPOT: &str = include_str!("../src/emit/examples/ec2-spot.yml");

#[test]
fn the_capacity_stack_has_secure_instances_joining_the_cluster() {
    let out = run(GPU, Layout::Nested);
    assert!(errors(&out).is_empty(), "{:?}", out.diagnostics);
    let t = template(&out, "ec2capacity");
    let r = &t["Resources"];
    let data = &r["Ec2CapacityLaunchTemplate"]["Properties"]["LaunchTemplateData"];
    assert_eq!(data["MetadataOptions"]["HttpTokens"], "required");
    assert_eq!(
        data["BlockDeviceMappings"][0]["Ebs"]["Encrypted"],
        json!(true)
    );
    assert_eq!(data["InstanceType"], "g5.xlarge");
    let user_data = data["UserData"]["Fn::Base64"]["Fn::Sub"][0]
        .as_str()
        .unwrap();
    assert!(user_data.contains("ECS_CLUSTER=${Cluster}"), "{user_data}");
    assert!(
        user_data.contains("ECS_AWSVPC_BLOCK_IMDS=true"),
        "{user_data}"
    );
    // A GPU is reserved: the ECS GPU AMI.
    assert_eq!(
        t["Parameters"]["Ec2CapacityAmiId"]["Default"],
        "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id"
    );
    let asg = &r["Ec2CapacityAutoScalingGroup"]["Properties"];
    assert_eq!(asg["VPCZoneIdentifier"], json!({ "Ref": "AppSubnets" }));
    assert_eq!(asg["MaxSize"], "2");
    assert_eq!(asg["NewInstancesProtectedFromScaleIn"], json!(true));
    let provider = &r["Ec2CapacityProvider"]["Properties"]["AutoScalingGroupProvider"];
    assert_eq!(provider["ManagedScaling"]["Status"], "ENABLED");
    let assoc = &r["Ec2CapacityAssociations"]["Properties"];
    assert_eq!(
        assoc["CapacityProviders"],
        json!(["FARGATE", "FARGATE_SPOT", { "Ref": "Ec2CapacityProvider" }])
    );
    // The role: only the AWS-managed agent policy, no inline statement.
    let role = &r["Ec2CapacityInstanceRole"]["Properties"];
    assert!(role.get("Policies").is_none());
    assert_eq!(role["ManagedPolicyArns"].as_array().unwrap().len(), 1);
    // The providers are set by the association, not twice on the cluster.
    let cluster = &template(&out, "test")["Resources"]["Cluster"]["Properties"];
    assert!(cluster.get("CapacityProviders").is_none(), "{cluster}");
    insta::assert_json_snapshot!("ec2_capacity_stack", t);
}

#[test]
fn a_gpu_family_runs_on_the_provider_with_its_placement() {
    let out = run(GPU, Layout::Nested);
    let t = template(&out, "trainer");
    let td = &t["Resources"]["TaskDefinition"]["Properties"];
    assert_eq!(td["RequiresCompatibilities"], json!(["EC2"]));
    assert_eq!(td["NetworkMode"], "awsvpc");
    assert_eq!(
        td["ContainerDefinitions"][0]["ResourceRequirements"],
        json!([{ "Type": "GPU", "Value": "1" }])
    );
    let service = &t["Resources"]["Service"]["Properties"];
    assert_eq!(
        service["CapacityProviderStrategy"],
        json!([{ "CapacityProvider": { "Ref": "Ec2CapacityProvider" }, "Weight": 1 }])
    );
    assert!(service.get("LaunchType").is_none());
    assert_eq!(
        service["PlacementConstraints"],
        json!([{ "Type": "memberOf", "Expression": "attribute:ecs.os-type == linux" }])
    );
    assert_eq!(
        service["PlacementStrategies"],
        json!([{ "Type": "spread", "Field": "attribute:ecs.availability-zone" }])
    );
    // The other family stays on Fargate, by launch type.
    let web = template(&out, "web");
    assert_eq!(
        web["Resources"]["Service"]["Properties"]["LaunchType"],
        "FARGATE"
    );
    assert_eq!(
        web["Resources"]["TaskDefinition"]["Properties"]["RequiresCompatibilities"],
        json!(["FARGATE"])
    );
}

#[test]
fn single_layout_orders_the_service_after_the_association() {
    let out = run(GPU, Layout::Single);
    assert!(errors(&out).is_empty(), "{:?}", out.diagnostics);
    let t = template(&out, "test");
    let service = &t["Resources"]["TrainerService"];
    let depends = service["DependsOn"].to_string();
    assert!(depends.contains("Ec2CapacityAssociations"), "{service}");
}

#[test]
fn spot_capacity_mixes_instance_types() {
    let out = run(SPOT, Layout::Nested);
    assert!(errors(&out).is_empty(), "{:?}", out.diagnostics);
    let t = template(&out, "ec2capacity");
    let asg = &t["Resources"]["Ec2CapacityAutoScalingGroup"]["Properties"];
    assert!(asg.get("LaunchTemplate").is_none());
    let mixed = &asg["MixedInstancesPolicy"];
    assert_eq!(
        mixed["InstancesDistribution"],
        json!({
            "OnDemandBaseCapacity": 1,
            "OnDemandPercentageAboveBaseCapacity": 0,
            "SpotAllocationStrategy": "price-capacity-optimized",
            "SpotMaxPrice": "0.42",
        })
    );
    assert_eq!(
        mixed["LaunchTemplate"]["Overrides"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        t["Parameters"]["Ec2CapacityAmiId"]["Default"],
        "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
    );
    let app = template(&out, "app");
    assert_eq!(
        app["Resources"]["Service"]["Properties"]["PlacementConstraints"],
        json!([{ "Type": "distinctInstance" }])
    );
}

#[test]
fn an_existing_cluster_runs_ec2_services_by_launch_type() {
    let out = run(
        "x-cluster:\n  Lookup: prod\nservices:\n  app:\n    image: nginx\n    deploy:\n      labels:\n        ecs.compute.platform: EC2\n",
        Layout::Nested,
    );
    assert!(errors(&out).is_empty(), "{:?}", out.diagnostics);
    assert!(!out.files.iter().any(|f| f.path.starts_with("ec2capacity")));
    let app = template(&out, "app");
    let service = &app["Resources"]["Service"]["Properties"];
    assert_eq!(service["LaunchType"], "EC2");
    assert_eq!(
        app["Resources"]["TaskDefinition"]["Properties"]["RequiresCompatibilities"],
        json!(["EC2"])
    );
}

#[test]
fn fargate_refuses_gpus_placement_and_ec2_at_their_keys() {
    let gpu = run(
        "services:\n  app:\n    image: nginx\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - capabilities: [gpu]\n              count: 1\n",
        Layout::Nested,
    );
    // At the `devices` key.
    assert_eq!(error_line(&gpu, "CX653"), 7);
    assert!(gpu.files.is_empty());
    let placement = run(
        "services:\n  app:\n    image: nginx\n    deploy:\n      placement:\n        constraints: [\"node.labels.disk == ssd\"]\n",
        Layout::Nested,
    );
    assert_eq!(error_line(&placement, "CX652"), 5);
    let label = run(
        "services:\n  app:\n    image: nginx\n    deploy:\n      labels:\n        ecs.compute.platform: EC2\n",
        Layout::Nested,
    );
    assert_eq!(error_line(&label, "CX651"), 6);
}

#[test]
fn what_ecs_cannot_do_is_refused_at_its_line() {
    let head = "x-cluster:\n  MacroParameters:\n    Ec2Capacity:\n      InstanceTypes: [g5.xlarge]\nservices:\n  app:\n    image: nginx\n    deploy:\n";
    let cases: &[(&str, &str, usize)] = &[
        // every GPU of the host
        (
            "      resources:\n        reservations:\n          devices:\n            - capabilities: [gpu]\n              count: all\n",
            "CX653",
            13,
        ),
        // chosen GPUs
        (
            "      resources:\n        reservations:\n          devices:\n            - capabilities: [gpu]\n              device_ids: ['0']\n",
            "CX653",
            13,
        ),
        // no ECS attribute for a host name
        (
            "      labels: {ecs.compute.platform: EC2}\n      placement:\n        constraints: [\"node.hostname == a\"]\n",
            "CX652",
            11,
        ),
        (
            "      labels: {ecs.compute.platform: EC2}\n      placement:\n        max_replicas_per_node: 3\n",
            "CX652",
            11,
        ),
        (
            "      labels: {ecs.compute.platform: EXTERNAL}\n",
            "CX651",
            9,
        ),
    ];
    for (deploy, code, line) in cases {
        let out = run(&format!("{head}{deploy}"), Layout::Nested);
        assert_eq!(error_line(&out, code), *line, "{deploy}");
        assert!(out.files.is_empty());
    }
    // Fargate and EC2 providers in one strategy.
    let mixed = run(
        &format!("{head}      labels: {{}}\n    x-ecs:\n      CapacityProviderStrategy:\n        - CapacityProvider: FARGATE\n        - CapacityProvider: EC2\n"),
        Layout::Nested,
    );
    // At the strategy (its first entry).
    assert_eq!(error_line(&mixed, "CX651"), 12);
}

#[test]
fn bad_capacity_settings_are_located() {
    let cases: &[(&str, usize)] = &[
        ("      InstanceTypes: m6i.large\n", 4),
        ("      MaxSize: 0\n", 4),
        ("      TargetCapacity: 101\n", 4),
        ("      CpuArchitecture: arm\n", 4),
        ("      Spot: {MaxPrice: cheap}\n", 4),
        ("      InstanceType: [m6i.large]\n", 4),
    ];
    for (settings, line) in cases {
        let out = run(
            &format!("x-cluster:\n  MacroParameters:\n    Ec2Capacity:\n{settings}services:\n  app:\n    image: nginx\n"),
            Layout::Nested,
        );
        assert_eq!(error_line(&out, "CX650"), *line, "{settings}");
    }
    let lookup = run(
        "x-cluster:\n  Lookup: prod\n  MacroParameters:\n    Ec2Capacity: {}\nservices:\n  app:\n    image: nginx\n",
        Layout::Nested,
    );
    assert_eq!(error_line(&lookup, "CX650"), 4);
}

#[test]
fn a_family_of_another_architecture_than_the_instances_is_refused() {
    let arm = "services:\n  app:\n    image: nginx\n    platform: linux/arm64\n    deploy:\n      labels:\n        ecs.compute.platform: EC2\n";
    let out = run(
        &format!("x-cluster:\n  MacroParameters:\n    Ec2Capacity: {{}}\n{arm}"),
        Layout::Nested,
    );
    assert_eq!(error_line(&out, "CX651"), 5);
    // Graviton instances take it, with the arm64 AMI.
    let out = run(
        &format!("x-cluster:\n  MacroParameters:\n    Ec2Capacity: {{InstanceTypes: [m7g.large], CpuArchitecture: ARM64}}\n{arm}"),
        Layout::Nested,
    );
    assert!(errors(&out).is_empty(), "{:?}", out.diagnostics);
    assert_eq!(
        template(&out, "ec2capacity")["Parameters"]["Ec2CapacityAmiId"]["Default"],
        "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
    );
}

#[test]
fn fargate_task_storage_on_ec2_is_warned_not_dropped_silently() {
    let out = run(
        "x-cluster:\n  MacroParameters:\n    Ec2Capacity: {}\nservices:\n  app:\n    image: nginx\n    deploy:\n      labels:\n        ecs.compute.platform: EC2\n        ecs.ephemeral.storage: 100\n",
        Layout::Nested,
    );
    assert!(errors(&out).is_empty(), "{:?}", out.diagnostics);
    let warned = out
        .diagnostics
        .iter()
        .any(|d| d.code == "CX651" && d.message.contains("ephemeral storage"));
    assert!(warned, "{:?}", out.diagnostics);
    let td = &template(&out, "app")["Resources"]["TaskDefinition"]["Properties"];
    assert!(td.get("EphemeralStorage").is_none(), "{td}");
}

//! Compose keys with an ECS mapping of their own: `deploy.update_config` as deployment
//! percentages, `storage_opt.size` as ephemeral storage, `platform` as the runtime platform and
//! awslogs `logging.options`. Expected values worked out by hand from the ECS rules (a service
//! keeps ceil(desired * min / 100) tasks and runs at most floor(desired * max / 100)).

mod ecs_common;

use composex_core::Severity;
use ecs_common::*;
use serde_json::{json, Value};

fn web(text: &str) -> (Value, Vec<Diagnostic>) {
    let (files, diags) = render_text(text, Layout::Nested);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    (template(&templates(&files), "web"), diags)
}

fn error_at<'a>(text: &'a str, code: &str) -> &'a str {
    let (files, diags) = render_text(text, Layout::Nested);
    assert!(files.is_empty());
    let d = diags
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code}: {diags:#?}"));
    assert_eq!(d.severity, Severity::Error);
    let span = d.span.unwrap();
    &text[span.start as usize..span.end as usize]
}

fn percents(template: &Value) -> (Value, Value) {
    let c = &resource(template, "Service")["Properties"]["DeploymentConfiguration"];
    (
        c["MinimumHealthyPercent"].clone(),
        c["MaximumPercent"].clone(),
    )
}

#[test]
fn update_config_order_and_parallelism_become_deployment_percents() {
    let cases = [
        // (deploy, min, max)
        ("update_config: {order: stop-first}", 0, 100),
        ("update_config: {order: start-first}", 100, 200),
        (
            "replicas: 4\n      update_config: {parallelism: 1}",
            75,
            100,
        ),
        (
            "replicas: 4\n      update_config: {parallelism: 2, order: start-first}",
            100,
            150,
        ),
        (
            "replicas: 3\n      update_config: {parallelism: 0, order: stop-first}",
            0,
            100,
        ),
        // Only a delay: ECS's defaults.
        ("update_config: {delay: 10s}", 100, 200),
    ];
    for (deploy, min, max) in cases {
        let text = format!("services:\n  web:\n    image: nginx\n    deploy:\n      {deploy}\n");
        let (template, _) = web(&text);
        assert_eq!(percents(&template), (json!(min), json!(max)), "{deploy}");
    }
}

#[test]
fn x_aws_percentages_win_over_update_config_with_a_warning() {
    let text = "services:\n  web:\n    image: nginx\n    deploy:\n      update_config:\n        order: stop-first\n    x-aws-min_percent: 50\n";
    let (template, diags) = web(text);
    assert_eq!(percents(&template), (json!(50), json!(200)));
    let d = diags.iter().find(|d| d.code == "CX279").expect("CX279");
    assert_eq!(d.severity, Severity::Warning);
    let span = d.span.unwrap();
    assert_eq!(&text[span.start as usize..span.end as usize], "stop-first");
}

#[test]
fn storage_opt_size_becomes_ephemeral_storage() {
    let text = "services:\n  web:\n    image: nginx\n    storage_opt:\n      size: 50G\n";
    let (template, _) = web(text);
    assert_eq!(
        resource(&template, "TaskDefinition")["Properties"]["EphemeralStorage"],
        json!({ "SizeInGiB": 50 })
    );
    // The larger of storage_opt and the ComposeX label.
    let text = "services:\n  web:\n    image: nginx\n    storage_opt:\n      size: 50G\n    deploy:\n      labels:\n        ecs.ephemeral.storage: '80'\n";
    let (template, _) = web(text);
    assert_eq!(
        resource(&template, "TaskDefinition")["Properties"]["EphemeralStorage"],
        json!({ "SizeInGiB": 80 })
    );
    for size in ["20G", "201G", "512M"] {
        let text =
            format!("services:\n  web:\n    image: nginx\n    storage_opt:\n      size: {size}\n");
        assert_eq!(error_at(&text, "CX278"), size);
    }
}

#[test]
fn platform_os_and_architecture_become_the_runtime_platform() {
    let cases = [
        ("linux/arm64", "LINUX", "ARM64"),
        ("linux/arm64/v8", "LINUX", "ARM64"),
        ("linux/amd64", "LINUX", "X86_64"),
        ("windows/amd64", "WINDOWS_SERVER_2022_CORE", "X86_64"),
    ];
    for (platform, os, arch) in cases {
        let text = format!("services:\n  web:\n    image: nginx\n    platform: {platform}\n");
        let (template, diags) = web(&text);
        assert_eq!(
            resource(&template, "TaskDefinition")["Properties"]["RuntimePlatform"],
            json!({ "CpuArchitecture": arch, "OperatingSystemFamily": os }),
            "{platform}"
        );
        // Windows: an info says which Windows Server.
        let said = diags
            .iter()
            .any(|d| d.code == "CX280" && d.message.contains("WINDOWS_SERVER_2022_CORE"));
        assert_eq!(said, os != "LINUX", "{platform}: {diags:#?}");
    }
    // x-ecs chooses another Windows version.
    let text = "services:\n  web:\n    image: nginx\n    platform: windows/amd64\n    x-ecs:\n      OperatingSystemFamily: WINDOWS_SERVER_2019_CORE\n";
    let (template, _) = web(text);
    assert_eq!(
        resource(&template, "TaskDefinition")["Properties"]["RuntimePlatform"]
            ["OperatingSystemFamily"],
        json!("WINDOWS_SERVER_2019_CORE")
    );
    for platform in ["windows/arm64", "linux/s390x", "darwin/arm64"] {
        let text = format!("services:\n  web:\n    image: nginx\n    platform: {platform}\n");
        assert_eq!(error_at(&text, "CX282"), platform);
    }
}

#[test]
fn awslogs_options_are_honoured() {
    let text = "services:\n  web:\n    image: nginx\n    logging:\n      driver: awslogs\n      options:\n        awslogs-group: /shop/web\n        awslogs-stream-prefix: shop\n        mode: non-blocking\n";
    let (template, _) = web(text);
    let group = resource(&template, "LogGroupShopWeb");
    assert_eq!(group["Type"], json!("AWS::Logs::LogGroup"));
    assert_eq!(group["Properties"]["LogGroupName"], json!("/shop/web"));
    assert_eq!(group["Properties"]["RetentionInDays"], json!(30));
    let options = &resource(&template, "TaskDefinition")["Properties"]["ContainerDefinitions"][0]
        ["LogConfiguration"]["Options"];
    assert_eq!(
        options["awslogs-group"],
        json!({ "Ref": "LogGroupShopWeb" })
    );
    assert_eq!(options["awslogs-stream-prefix"], json!("shop"));
    assert_eq!(options["mode"], json!("non-blocking"));
    // The execution role may write to it.
    let statements = &resource(&template, "ExecutionRole")["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"];
    let write = statements
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == "WriteLogs")
        .unwrap();
    assert!(write["Resource"]
        .as_array()
        .unwrap()
        .contains(&json!({ "Fn::GetAtt": ["LogGroupShopWeb", "Arn"] })));

    // A region is passed on, with a warning at its value.
    let text = "services:\n  web:\n    image: nginx\n    logging:\n      options:\n        awslogs-region: us-east-1\n";
    let (template, diags) = web(text);
    let options = &resource(&template, "TaskDefinition")["Properties"]["ContainerDefinitions"][0]
        ["LogConfiguration"]["Options"];
    assert_eq!(options["awslogs-region"], json!("us-east-1"));
    let d = diags.iter().find(|d| d.code == "CX287").expect("CX287");
    let span = d.span.unwrap();
    assert_eq!(&text[span.start as usize..span.end as usize], "us-east-1");
}

#[test]
fn internal_networks_have_no_way_out() {
    let text = "services:\n  api:\n    image: nginx\n    networks: [front, back]\n  db:\n    image: postgres\n    networks: [back]\n  cache:\n    image: redis\n    networks: [back]\nnetworks:\n  front:\n  back:\n    internal: true\n";
    let (files, diags) = render_text(text, Layout::Nested);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    let all = templates(&files);
    // Warned once, at the `internal` value.
    let warnings: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "CX288").collect();
    assert_eq!(warnings.len(), 1, "{diags:#?}");
    let span = warnings[0].span.unwrap();
    assert_eq!(&text[span.start as usize..span.end as usize], "true");
    for family in ["db", "cache"] {
        let t = template(&all, family);
        let group = &resource(&t, "SecurityGroup")["Properties"];
        // Only the placeholder rule: no default allow-all egress.
        assert_eq!(
            group["SecurityGroupEgress"],
            json!([{ "CidrIp": "127.0.0.1/32", "IpProtocol": "-1", "Description": "no egress but the rules below (compose internal network)" }])
        );
        assert_eq!(
            resource(&t, "EgressToMyself")["Properties"]["DestinationSecurityGroupId"],
            json!({ "Fn::GetAtt": ["SecurityGroup", "GroupId"] })
        );
        assert_eq!(
            resource(&t, "EgressToBackNetwork")["Type"],
            json!("AWS::EC2::SecurityGroupEgress")
        );
        // No NAT route: the storage subnets.
        let subnets = &resource(&t, "Service")["Properties"]["NetworkConfiguration"]
            ["AwsvpcConfiguration"]["Subnets"];
        assert_eq!(subnets, &json!({ "Ref": "StorageSubnets" }), "{family}");
    }
    // api is on an ordinary network too: it keeps its way out, in the app subnets.
    let api = template(&all, "api");
    assert!(resource(&api, "SecurityGroup")["Properties"]
        .get("SecurityGroupEgress")
        .is_none());
    assert_eq!(
        resource(&api, "Service")["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]
            ["Subnets"],
        json!({ "Ref": "AppSubnets" })
    );
    // The internal network's own group lets traffic out only to itself.
    let networks = template(&all, "ComposeNetworks");
    assert!(resource(&networks, "BackNetwork")["Properties"]["SecurityGroupEgress"].is_array());
    assert_eq!(
        resource(&networks, "BackNetworkEgress")["Properties"]["DestinationSecurityGroupId"],
        json!({ "Fn::GetAtt": ["BackNetwork", "GroupId"] })
    );
}

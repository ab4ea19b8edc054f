//! Mistakes in ECS settings give located diagnostics (at the node that is wrong), never a panic
//! or a broken template.

mod ecs_common;

use composex_core::Severity;
use ecs_common::*;
use serde_json::json;

/// The diagnostic with `code`, and the text its span covers.
fn find<'a>(text: &'a str, diags: &'a [Diagnostic], code: &str) -> (&'a Diagnostic, &'a str) {
    let d = diags
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {diags:#?}"));
    let span = d.span.expect("located");
    (d, &text[span.start as usize..span.end as usize])
}

/// Through the whole pipeline (loading and validation too), for what the validator says.
fn render_validated(text: &str) -> (Vec<(String, serde_json::Value)>, Vec<Diagnostic>) {
    let out = composex_core::render(&input(text, Format::Json, Layout::Nested));
    assert!(!out.has_errors(), "{:#?}", out.diagnostics);
    (templates(&out.files), out.diagnostics)
}

fn render_ok(text: &str) -> (Vec<(String, serde_json::Value)>, Vec<Diagnostic>) {
    let (files, diags) = render_text(text, Layout::Nested);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    (templates(&files), diags)
}

#[test]
fn a_family_above_the_largest_fargate_task_is_an_error_naming_it() {
    let text = "services:\n  big:\n    image: x\n    deploy:\n      resources:\n        limits:\n          cpus: '20'\n";
    let (files, diags) = render_text(text, Layout::Nested);
    let (d, at) = find(text, &diags, "CX400");
    assert_eq!(d.severity, Severity::Error);
    assert!(
        d.message.contains("`big` asks for 20480 CPU units"),
        "{}",
        d.message
    );
    assert_eq!(at, "big");
    assert!(
        !files.iter().any(|f| f.path == "big.json"),
        "no family stack for a task that cannot run"
    );
}

/// With both limits and reservations, the limits size the task (a reservation above its limit
/// is clamped, with a warning at the reservation).
#[test]
fn limits_size_the_task_when_reservations_are_larger() {
    let text = "services:\n  a:\n    image: x\n    deploy:\n      resources:\n        limits:\n          cpus: '0.25'\n          memory: 512M\n        reservations:\n          cpus: '1'\n          memory: 2G\n";
    let (all, diags) = render_ok(text);
    let tpl = template(&all, "a");
    let p = &resource(&tpl, "TaskDefinition")["Properties"];
    let c = &p["ContainerDefinitions"][0];
    insta::assert_json_snapshot!(json!({
        "TaskCpu": p["Cpu"],
        "TaskMemory": p["Memory"],
        "ContainerCpu": c["Cpu"],
        "ContainerMemory": c["Memory"],
        "ContainerMemoryReservation": c["MemoryReservation"],
    }));
    let (d, at) = find(text, &diags, "CX402");
    assert_eq!((d.severity, at), (Severity::Warning, "2G"));
}

/// `cpu_shares` are ECS CPU units when no `cpus` is given; `cpus` wins over them.
#[test]
fn cpu_shares_become_container_cpu() {
    let text = "services:\n  a:\n    image: x\n    cpu_shares: 512\n  b:\n    image: x\n    cpus: 0.25\n    cpu_shares: 2048\n";
    let (all, _) = render_ok(text);
    let sizes: Vec<serde_json::Value> = ["a", "b"]
        .iter()
        .map(|family| {
            let tpl = template(&all, family);
            let p = &resource(&tpl, "TaskDefinition")["Properties"];
            json!({ "family": family, "TaskCpu": p["Cpu"], "ContainerCpu": p["ContainerDefinitions"][0]["Cpu"] })
        })
        .collect();
    insta::assert_json_snapshot!(sizes);
}

/// A Windows family (x-ecs.OperatingSystemFamily) asking for `cpus` vCPU.
fn windows_family(cpus: &str) -> String {
    format!("services:\n  win:\n    image: x\n    x-ecs:\n      OperatingSystemFamily: WINDOWS_SERVER_2022_CORE\n    deploy:\n      resources:\n        limits:\n          cpus: '{cpus}'\n")
}

#[test]
fn windows_tasks_stop_at_four_vcpu() {
    // AWS's Fargate table: 8 and 16 vCPU are Linux only.
    let (all, _) = render_ok(&windows_family("4"));
    let tpl = template(&all, "win");
    let p = &resource(&tpl, "TaskDefinition")["Properties"];
    assert_eq!(
        (p["Cpu"].clone(), p["Memory"].clone()),
        (json!("4096"), json!("8192"))
    );
    for cpus in ["4.001", "8", "16"] {
        let text = windows_family(cpus);
        let (files, diags) = render_text(&text, Layout::Nested);
        let (d, at) = find(&text, &diags, "CX400");
        assert!(
            d.message
                .contains("largest Fargate task (4096 units, 30720 MiB)"),
            "{cpus}: {}",
            d.message
        );
        assert_eq!(at, "win");
        assert!(
            !files.iter().any(|f| f.path == "win.json"),
            "{cpus}: no family stack"
        );
    }
}

#[test]
fn memory_is_never_cut_cpu_is_raised() {
    let text = "services:\n  a:\n    image: x\n    deploy:\n      resources:\n        limits:\n          cpus: '0.5'\n          memory: 30G\n";
    let (all, diags) = render_ok(text);
    let tpl = template(&all, "a");
    let p = &resource(&tpl, "TaskDefinition")["Properties"];
    assert_eq!(
        (p["Cpu"].clone(), p["Memory"].clone()),
        (json!("4096"), json!("30720"))
    );
    let (d, at) = find(text, &diags, "CX401");
    assert_eq!(d.severity, Severity::Info);
    assert_eq!(at, "a");
}

#[test]
fn retention_is_raised_to_a_cloudwatch_value_or_rejected() {
    let text = "services:\n  a:\n    image: x\n    x-logging:\n      RetentionInDays: 1337\n";
    let (all, diags) = render_ok(text);
    let (d, at) = find(text, &diags, "CX322");
    assert_eq!((d.severity, at), (Severity::Warning, "1337"));
    assert!(d.message.contains("1827 is used"), "{}", d.message);
    assert_eq!(
        resource(&template(&all, "a"), "LogGroup")["Properties"]["RetentionInDays"],
        1827
    );

    let text = "services:\n  a:\n    image: x\n    x-logging:\n      RetentionInDays: forever\n";
    let (files, diags) = render_text(text, Layout::Nested);
    let (d, at) = find(text, &diags, "CX322");
    assert_eq!((d.severity, at), (Severity::Error, "forever"));
    assert!(files.is_empty(), "no files for an input with an error");
    assert!(d.help.as_deref().unwrap_or("").contains("3653"));
}

#[test]
fn unknown_cloudmap_namespace_points_at_the_service_setting() {
    let text = "services:\n  a:\n    image: x\n    x-network:\n      x-cloudmap: nope\nx-cloudmap:\n  private:\n    ZoneName: corp.internal\n";
    let (_, diags) = render_text(text, Layout::Nested);
    let (d, at) = find(text, &diags, "CX326");
    assert_eq!((d.severity, at), (Severity::Error, "nope"));
    assert!(d.help.as_deref().unwrap_or("").contains("private"));
}

#[test]
fn a_family_named_like_a_shared_stack_is_rejected() {
    for stack in [
        "vpc",
        "cloudmap",
        "ServicesNetworking",
        "composenetworks",
        "myapps",
    ] {
        let text = format!(
            "services:\n  web:\n    image: x\n    deploy:\n      labels:\n        ecs.task.family: {stack}\n"
        );
        let (_, diags) = render_text(&text, Layout::Nested);
        let (d, at) = find(&text, &diags, "CX328");
        assert_eq!((d.severity, at), (Severity::Error, "web"), "{stack}");
    }
}

#[test]
fn capabilities_fargate_cannot_add_are_left_out_with_a_warning() {
    let text = "services:\n  a:\n    image: x\n    cap_add: [NET_ADMIN, SYS_PTRACE]\n    ulimits:\n      nproc: 512\n";
    let (all, diags) = render_validated(text);
    let tpl = template(&all, "a");
    let c = &resource(&tpl, "TaskDefinition")["Properties"]["ContainerDefinitions"][0];
    assert_eq!(
        c["LinuxParameters"],
        json!({"Capabilities": {"Add": ["SYS_PTRACE"]}})
    );
    assert!(c.get("Ulimits").is_none());
    // Each left-out value is warned once, at the value or key itself.
    let at: Vec<&str> = diags
        .iter()
        .filter(|d| d.code == "CX281")
        .map(|d| {
            let span = d.span.expect("located");
            &text[span.start as usize..span.end as usize]
        })
        .collect();
    assert_eq!(at, ["NET_ADMIN", "nproc"], "{diags:#?}");
}

#[test]
fn waiting_for_health_needs_a_healthcheck() {
    let text = "services:\n  a:\n    image: x\n    depends_on:\n      b:\n        condition: service_healthy\n    deploy:\n      labels:\n        ecs.task.family: f\n  b:\n    image: y\n    deploy:\n      labels:\n        ecs.task.family: f\n";
    let (all, diags) = render_ok(text);
    let (d, _) = find(text, &diags, "CX330");
    assert_eq!(d.severity, Severity::Warning);
    let tpl = template(&all, "f");
    let c = &resource(&tpl, "TaskDefinition")["Properties"]["ContainerDefinitions"][0];
    assert_eq!(
        c["DependsOn"],
        json!([{"ContainerName": "b", "Condition": "START"}])
    );
}

#[test]
fn scaling_range_must_be_min_max() {
    let text = "services:\n  a:\n    image: x\n    x-scaling:\n      Range: 5-1\n";
    let (_, diags) = render_text(text, Layout::Nested);
    let (d, at) = find(text, &diags, "CX324");
    assert_eq!((d.severity, at), (Severity::Error, "5-1"));
}

#[test]
fn secrets_without_x_secrets_are_files_from_a_parameter_and_bad_names_rejected() {
    let text = "services:\n  a:\n    image: x\n    secrets: [token]\nsecrets:\n  token:\n    file: ./token.txt\n";
    let (all, diags) = render_ok(text);
    let (d, at) = find(text, &diags, "CX277");
    assert_eq!((d.severity, at), (Severity::Warning, "token"));
    assert!(d.help.as_deref().unwrap().contains("file://./token.txt"));
    let tpl = template(&all, "a");
    let containers = &resource(&tpl, "TaskDefinition")["Properties"]["ContainerDefinitions"];
    // No environment variable: a file at /run/secrets/token, written by the init container
    // from the secret whose ARN the parameter gives.
    assert!(containers[0].get("Secrets").is_none());
    assert_eq!(
        containers[0]["MountPoints"],
        json!([{ "SourceVolume": "a-files1", "ContainerPath": "/run/secrets", "ReadOnly": true }])
    );
    assert_eq!(
        containers[1]["Secrets"],
        json!([{ "Name": "COMPOSEX_FILE_1", "ValueFrom": { "Ref": "TokenSecretArn" } }])
    );
    assert!(!serde_json::to_string(&tpl).unwrap().contains("token.txt"));

    let text = "services:\n  a:\n    image: x\n    secrets: [token]\nsecrets:\n  token:\n    x-secrets:\n      Name: 'has spaces'\n";
    let (_, diags) = render_text(text, Layout::Nested);
    let (d, _) = find(text, &diags, "CX325");
    assert_eq!(d.severity, Severity::Error);
}

#[test]
fn services_of_a_family_must_agree_on_the_platform() {
    let text = "services:\n  a:\n    image: x\n    deploy: {labels: {ecs.task.family: f}}\n    x-ecs: {CpuArchitecture: ARM64}\n  b:\n    image: y\n    deploy: {labels: {ecs.task.family: f}}\n    x-ecs: {CpuArchitecture: X86_64}\n";
    let (_, diags) = render_text(text, Layout::Nested);
    let (d, at) = find(text, &diags, "CX332");
    assert_eq!((d.severity, at), (Severity::Error, "X86_64"));
    let label = d.labels.first().expect("points at the first value too");
    assert_eq!(
        &text[label.span.start as usize..label.span.end as usize],
        "ARM64"
    );
}

#[test]
fn unknown_extension_keys_are_warned_with_a_suggestion() {
    let text = "services:\n  a:\n    image: x\n    x-ecs:\n      EnableExecCommand: true\n";
    let (_, diags) = render_ok(text);
    let (d, at) = find(text, &diags, "CX327");
    assert_eq!((d.severity, at), (Severity::Warning, "EnableExecCommand"));
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean `EnableExecuteCommand`?")
    );
}

#[test]
fn only_the_first_base_of_a_capacity_strategy_is_kept() {
    let text = "services:\n  a:\n    image: x\n    x-ecs:\n      CapacityProviderStrategy:\n        - {CapacityProvider: FARGATE, Base: 1}\n        - {CapacityProvider: FARGATE_SPOT, Base: 2, Weight: 3}\n";
    let (all, diags) = render_ok(text);
    let (d, at) = find(text, &diags, "CX320");
    assert_eq!((d.severity, at), (Severity::Warning, "2"));
    let tpl = template(&all, "a");
    assert_eq!(
        resource(&tpl, "Service")["Properties"]["CapacityProviderStrategy"],
        json!([{"CapacityProvider": "FARGATE", "Base": 1}, {"CapacityProvider": "FARGATE_SPOT", "Weight": 3}])
    );
}

#[test]
fn public_ip_puts_tasks_in_the_public_subnets() {
    let text = "services:\n  a:\n    image: x\n    x-network:\n      AssignPublicIp: true\n";
    let (all, _) = render_ok(text);
    let tpl = template(&all, "a");
    let vpc =
        &resource(&tpl, "Service")["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"];
    assert_eq!(vpc["AssignPublicIp"], "ENABLED");
    assert_eq!(vpc["Subnets"], json!({"Ref": "PublicSubnets"}));
}

#[test]
fn default_namespace_is_created_for_families_with_ports() {
    let text = "services:\n  api:\n    image: x\n    ports: ['8080']\n  batch:\n    image: y\n";
    let (all, _) = render_ok(text);
    let tpl = template(&all, "cloudmap");
    let ns = resource(&tpl, "MyappsLocal");
    assert_eq!(ns["Properties"]["Name"], "myapps.local");
    assert_eq!(
        resource(&template(&all, "api"), "DiscoveryService")["Properties"]["Name"],
        "api"
    );
    assert!(template(&all, "batch")["Resources"]
        .get("DiscoveryService")
        .is_none());
}

#[test]
fn a_service_in_two_families_is_a_container_of_each() {
    let text = "services:\n  proxy:\n    image: nginx\n    ports: ['80']\n    deploy: {labels: {ecs.task.family: 'one,two'}}\n  a:\n    image: x\n    deploy: {labels: {ecs.task.family: one}}\n  b:\n    image: y\n    deploy: {labels: {ecs.task.family: two}}\n";
    let (all, _) = render_ok(text);
    for (family, other) in [("one", "a"), ("two", "b")] {
        let tpl = template(&all, family);
        let defs = &resource(&tpl, "TaskDefinition")["Properties"]["ContainerDefinitions"];
        let names: Vec<&str> = defs
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["Name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["proxy", other]);
    }
}

#[test]
fn compose_platform_sets_the_cpu_architecture_and_host_networking_is_warned() {
    let text = "services:\n  a:\n    image: x\n    platform: linux/arm64\n    network_mode: host\n";
    let (all, diags) = render_validated(text);
    let tpl = template(&all, "a");
    let p = &resource(&tpl, "TaskDefinition")["Properties"];
    assert_eq!(
        p["RuntimePlatform"],
        json!({"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"})
    );
    let (d, at) = find(text, &diags, "CX281");
    assert_eq!((d.severity, at), (Severity::Warning, "host"));
    assert!(d.message.contains("network_mode"), "{d:#?}");
}

#[test]
fn families_on_different_networks_meet_only_when_named_in_ingress_services() {
    let text = "services:\n  db:\n    image: x\n    expose: ['5432']\n    networks: [back]\n    x-network:\n      Ingress:\n        Services:\n          - Name: api\n          - Name: nobody\n  api:\n    image: y\n    networks: [front]\n  web:\n    image: z\n    networks: [front]\nnetworks:\n  front: {}\n  back: {}\n";
    let (all, diags) = render_ok(text);
    let net = template(&all, "ServicesNetworking");
    let ids: Vec<&String> = net["Resources"].as_object().unwrap().keys().collect();
    // api is named; web shares no network with db and is not named.
    assert_eq!(ids, ["ApiToDb5432TCP"]);
    let (d, at) = find(text, &diags, "CX321");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(at, "Name: nobody");
}

#[test]
fn a_memory_reservation_above_the_limit_is_lowered_to_it() {
    let text = "services:\n  a:\n    image: x\n    deploy:\n      resources:\n        limits: {memory: 256M}\n        reservations: {memory: 512M}\n";
    let (all, diags) = render_ok(text);
    let tpl = template(&all, "a");
    let c = &resource(&tpl, "TaskDefinition")["Properties"]["ContainerDefinitions"][0];
    assert_eq!(
        (c["Memory"].clone(), c["MemoryReservation"].clone()),
        (json!(256), json!(256))
    );
    let (d, _) = find(text, &diags, "CX402");
    assert_eq!(d.severity, Severity::Warning);
}

#[test]
fn an_existing_namespace_is_a_parameter_only_when_used() {
    let used = "services:\n  a:\n    image: x\n    ports: ['80']\nx-cloudmap:\n  corp:\n    Lookup:\n      NamespaceId: ns-0123456789abcdef\n";
    let (files, _) = render_text(used, Layout::Nested);
    let root = template(&templates(&files), "myapps");
    assert_eq!(root["Parameters"]["CorpNamespaceId"]["Type"], "String");
    let params = files
        .iter()
        .find(|f| f.path == "myapps.params.json")
        .unwrap();
    assert!(
        params.text.contains("ns-0123456789abcdef"),
        "{}",
        params.text
    );

    let unused = "services:\n  a:\n    image: x\nx-cloudmap:\n  corp:\n    Lookup: {}\n";
    let (files, diags) = render_text(unused, Layout::Nested);
    let root = template(&templates(&files), "myapps");
    assert!(root
        .get("Parameters")
        .is_none_or(|p| p.get("CorpNamespaceId").is_none()));
    assert!(
        !diags.iter().any(|d| d.code == "CX326"),
        "no warning for an unused lookup"
    );
}

#[test]
fn unknown_keys_in_a_user_policy_statement_are_warned() {
    let text = "services:\n  a:\n    image: x\n    x-aws-role:\n      Version: '2012-10-17'\n      Statement:\n        - Effect: Allow\n          Action: [s3:GetObject]\n          Resourc: ['*']\n";
    let (_, diags) = render_ok(text);
    let (d, at) = find(text, &diags, "CX323");
    assert_eq!((d.severity, at), (Severity::Warning, "Resourc"));
    assert_eq!(d.help.as_deref(), Some("did you mean `Resource`?"));
}

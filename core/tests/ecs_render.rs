//! ECS families rendered from compose text through the stages after loading (parse, model,
//! emit, layout, files): task definitions, services, roles, security groups, CloudMap, scaling.

mod ecs_common;

use ecs_common::*;
use serde_json::{json, Value};

const SEED: &str = include_str!("../../examples/seed/docker-compose.yml");

fn seed_templates() -> Vec<(String, Value)> {
    let (files, diags) = render_text(SEED, Layout::Nested);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    templates(&files)
}

#[test]
fn seed_has_one_stack_per_family_and_the_shared_stacks() {
    let (files, _) = render_text(SEED, Layout::Nested);
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for p in [
        "myapps.json",
        "vpc.json",
        "app01.json",
        "app02.json",
        "cloudmap.json",
        "ComposeNetworks.json",
        "app01.params.json",
        "app01.config.json",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
}

#[test]
fn app01_task_definition_carries_the_compose_keys() {
    let t = template(&seed_templates(), "app01");
    let td = resource(&t, "TaskDefinition");
    assert_eq!(td["Type"], "AWS::ECS::TaskDefinition");
    let p = &td["Properties"];
    assert_eq!(p["RequiresCompatibilities"], json!(["FARGATE"]));
    assert_eq!(p["NetworkMode"], "awsvpc");
    // 0.5 vCPU / 1 GiB limits: a valid Fargate pair as asked.
    assert_eq!(
        (p["Cpu"].clone(), p["Memory"].clone()),
        (json!("512"), json!("1024"))
    );
    let c = &p["ContainerDefinitions"][0];
    assert_eq!(c["Name"], "app01");
    assert_eq!(c["Image"], json!({"Ref": "App01ImageUrl"}));
    assert_eq!(
        c["PortMappings"],
        json!([{"ContainerPort": 5000, "Protocol": "tcp", "Name": "tcp_5000"}])
    );
    assert_eq!(c["Cpu"], 512);
    assert_eq!(c["Memory"], 1024);
    assert_eq!(c["MemoryReservation"], 512);
    assert_eq!(
        c["Environment"],
        json!([
            {"Name": "APP02_URL", "Value": "http://app02.myapps.local:5000"},
            {"Name": "JOBS", "Value": {"Ref": "SqsJobsUrl"}},
            {"Name": "LOG_LEVEL", "Value": "info"}
        ])
    );
    assert_eq!(
        c["HealthCheck"],
        json!({"Command": ["CMD-SHELL", "curl -fs http://localhost:5000/ || exit 1"], "Interval": 30, "Timeout": 5, "StartPeriod": 15, "Retries": 3})
    );
    assert_eq!(c["LogConfiguration"]["LogDriver"], "awslogs");
    assert_eq!(
        c["LogConfiguration"]["Options"]["awslogs-group"],
        json!({"Ref": "LogGroup"})
    );
    assert!(c["LogConfiguration"]["Options"]
        .get("awslogs-endpoint")
        .is_none());
    // The image is a parameter with the compose image as default.
    assert_eq!(
        t["Parameters"]["App01ImageUrl"]["Default"],
        "012345678912.dkr.ecr.eu-west-1.amazonaws.com/blog-app-01:latest"
    );
}

#[test]
fn app01_service_log_group_and_scaling() {
    let t = template(&seed_templates(), "app01");
    let s = &resource(&t, "Service")["Properties"];
    assert_eq!(s["DesiredCount"], 2);
    // A new cluster: the service follows its default capacity provider strategy.
    assert!(s.get("LaunchType").is_none() && s.get("CapacityProviderStrategy").is_none());
    assert_eq!(
        s["DeploymentConfiguration"]["DeploymentCircuitBreaker"],
        json!({"Enable": true, "Rollback": true})
    );
    let vpc = &s["NetworkConfiguration"]["AwsvpcConfiguration"];
    assert_eq!(vpc["AssignPublicIp"], "DISABLED");
    assert_eq!(vpc["Subnets"], json!({"Ref": "AppSubnets"}));
    assert_eq!(
        resource(&t, "LogGroup")["Properties"]["RetentionInDays"],
        14
    );
    let target = &resource(&t, "ScalableTarget")["Properties"];
    assert_eq!(
        (target["MinCapacity"].clone(), target["MaxCapacity"].clone()),
        (json!(2), json!(6))
    );
    let policy = &resource(&t, "CpuTargetTracking")["Properties"];
    assert_eq!(policy["PolicyType"], "TargetTrackingScaling");
    let config = &policy["TargetTrackingScalingPolicyConfiguration"];
    assert_eq!(config["TargetValue"], 70.0);
    assert_eq!(config["ScaleInCooldown"], 300);
    assert_eq!(
        config["PredefinedMetricSpecification"]["PredefinedMetricType"],
        "ECSServiceAverageCPUUtilization"
    );
}

#[test]
fn app02_is_registered_in_cloudmap_by_name() {
    let all = seed_templates();
    let ns = template(&all, "cloudmap");
    let namespace = resource(&ns, "MyappsLocal");
    assert_eq!(
        namespace["Type"],
        "AWS::ServiceDiscovery::PrivateDnsNamespace"
    );
    assert_eq!(namespace["Properties"]["Name"], "myapps.local");
    let t = template(&all, "app02");
    let discovery = &resource(&t, "DiscoveryService")["Properties"];
    assert_eq!(discovery["Name"], "app02");
    assert_eq!(
        discovery["NamespaceId"],
        json!({"Ref": "MyappsLocalNamespaceId"})
    );
    let registries = &resource(&t, "Service")["Properties"]["ServiceRegistries"];
    assert_eq!(
        registries,
        &json!([{"RegistryArn": {"Fn::GetAtt": ["DiscoveryService", "Arn"]}, "ContainerName": "app02", "ContainerPort": 5000}])
    );
    // app02 has no scaling: one task, and defaults for the log group.
    assert_eq!(resource(&t, "Service")["Properties"]["DesiredCount"], 1);
    assert_eq!(
        resource(&t, "LogGroup")["Properties"]["RetentionInDays"],
        30
    );
    assert!(t["Resources"].get("ScalableTarget").is_none());
}

#[test]
fn app02_size_is_rounded_with_an_info() {
    let (_, diags) = render_text(SEED, Layout::Nested);
    let rounded: Vec<_> = diags.iter().filter(|d| d.code == "CX401").collect();
    assert_eq!(rounded.len(), 1, "{diags:#?}");
    assert!(
        rounded[0]
            .message
            .contains("`app02` asks for 256 CPU units and 256 MiB"),
        "{}",
        rounded[0].message
    );
    assert!(rounded[0].message.contains("256 CPU units and 512 MiB"));
    let t = template(&seed_templates(), "app02");
    let p = &resource(&t, "TaskDefinition")["Properties"];
    assert_eq!(
        (p["Cpu"].clone(), p["Memory"].clone()),
        (json!("256"), json!("512"))
    );
}

#[test]
fn families_reach_each_other_on_their_ports_only() {
    let all = seed_templates();
    // Both families are on the default network: one group for it, carried by both services.
    let t = template(&all, "ComposeNetworks");
    let ids: Vec<&String> = t["Resources"].as_object().unwrap().keys().collect();
    assert_eq!(ids, ["DefaultNetwork"]);
    assert_eq!(
        t["Resources"]["DefaultNetwork"]["Type"],
        "AWS::EC2::SecurityGroup"
    );
    for family in ["app01", "app02"] {
        let f = template(&all, family);
        let groups = &resource(&f, "Service")["Properties"]["NetworkConfiguration"]
            ["AwsvpcConfiguration"]["SecurityGroups"];
        assert_eq!(
            groups,
            &json!([
                {"Fn::GetAtt": ["SecurityGroup", "GroupId"]},
                {"Ref": "DefaultNetworkSecurityGroupId"}
            ]),
            "{family}"
        );
        // The network's group reaches the family's one port, and nothing else does.
        let from_network: Vec<&Value> = f["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == "AWS::EC2::SecurityGroupIngress")
            .map(|r| &r["Properties"])
            .filter(|p| {
                p["SourceSecurityGroupId"] == json!({"Ref": "DefaultNetworkSecurityGroupId"})
            })
            .collect();
        assert_eq!(from_network.len(), 1, "{family}: {from_network:#?}");
        let rule = from_network[0];
        assert_eq!(
            rule["GroupId"],
            json!({"Fn::GetAtt": ["SecurityGroup", "GroupId"]})
        );
        assert_eq!(
            (
                rule["FromPort"].clone(),
                rule["ToPort"].clone(),
                rule["IpProtocol"].clone()
            ),
            (json!(5000), json!(5000), json!("tcp"))
        );
    }
    assert!(
        all.iter().all(|(name, _)| name != "ServicesNetworking"),
        "no rule between a pair of families"
    );
}

#[test]
fn roles_grant_only_the_log_group_and_the_queue() {
    let t = template(&seed_templates(), "app01");
    let role = &resource(&t, "ExecutionRole")["Properties"];
    let statements = role["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let logs = statements.iter().find(|s| s["Sid"] == "WriteLogs").unwrap();
    assert_eq!(logs["Resource"], json!({"Fn::GetAtt": ["LogGroup", "Arn"]}));
    assert!(
        statements.iter().all(|s| s["Sid"] != "ReadSecrets"),
        "no secrets in the seed"
    );
    // The task role may only send to the queue (x-sqs SendOnly); app02's has no permission.
    let task = &resource(&t, "TaskRole")["Properties"];
    assert_eq!(
        task["Policies"],
        json!([{"PolicyName": "SqsJobs", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Sid": "SendOnlyJobs", "Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [{"Ref": "SqsJobsArn"}]}
        ]}}])
    );
    let app02 = template(&seed_templates(), "app02");
    assert!(resource(&app02, "TaskRole")["Properties"]
        .get("Policies")
        .is_none());
}

#[test]
fn single_layout_has_every_family_in_one_template() {
    let (files, diags) = render_text(SEED, Layout::Single);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    let t = &templates(&files)[0].1;
    let types: Vec<&str> = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|r| r["Type"].as_str())
        .collect();
    assert_eq!(
        types
            .iter()
            .filter(|t| **t == "AWS::ECS::TaskDefinition")
            .count(),
        2
    );
    assert_eq!(
        types.iter().filter(|t| **t == "AWS::ECS::Service").count(),
        2
    );
    assert_eq!(
        types.iter().filter(|t| **t == "AWS::ECS::Cluster").count(),
        1
    );
    assert!(!types.contains(&"AWS::CloudFormation::Stack"));
}

const ALL_KEYS: &str = include_str!("../../tests/fixtures/ecs/all-keys.yml");

fn all_keys() -> (Vec<(String, Value)>, Vec<composex_core::Diagnostic>) {
    let (files, diags) = render_text(ALL_KEYS, Layout::Nested);
    dump(&files, "all-keys");
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    (templates(&files), diags)
}

#[test]
fn all_keys_frontend_family_has_three_containers() {
    let (all, _) = all_keys();
    let t = template(&all, "frontend");
    let p = &resource(&t, "TaskDefinition")["Properties"];
    let names: Vec<&str> = p["ContainerDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["web", "proxy", "init-db"]);
    // 1 vCPU + 0.25 vCPU, 2 GiB + 128 MiB -> 2 vCPU, 4 GiB (CPU raised to the next row).
    assert_eq!(
        (p["Cpu"].clone(), p["Memory"].clone()),
        (json!("2048"), json!("4096"))
    );
    assert_eq!(
        p["RuntimePlatform"],
        json!({"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"})
    );
    // `cache` is a named volume: an EFS file system, mounted over TLS with IAM through its
    // access point.
    assert_eq!(
        p["Volumes"],
        json!([{"Name": "Cache", "EFSVolumeConfiguration": {
            "FilesystemId": {"Ref": "CacheFileSystemId"},
            "TransitEncryption": "ENABLED",
            "AuthorizationConfig": {"AccessPointId": {"Ref": "CacheAccessPointId"}, "IAM": "ENABLED"}
        }}])
    );
    let web = &p["ContainerDefinitions"][0];
    assert_eq!(
        web["Command"],
        json!(["gunicorn", "-b", "0.0.0.0:8000", "app:app"])
    );
    assert_eq!(web["EntryPoint"], json!(["/docker-entrypoint.sh"]));
    assert_eq!(web["User"], "1000:1000");
    assert_eq!(web["WorkingDirectory"], "/srv");
    assert_eq!(
        web["Ulimits"],
        json!([{"Name": "nofile", "SoftLimit": 4096, "HardLimit": 8192}])
    );
    assert_eq!(
        web["LinuxParameters"],
        json!({"Capabilities": {"Drop": ["ALL"]}, "InitProcessEnabled": true})
    );
    assert_eq!(web["StopTimeout"], 45);
    assert_eq!(web["ReadonlyRootFilesystem"], true);
    assert_eq!(web["DockerLabels"], json!({"team": "web"}));
    assert_eq!(
        web["MountPoints"],
        json!([{"SourceVolume": "Cache", "ContainerPath": "/var/cache/web", "ReadOnly": false}])
    );
    // A string test becomes CMD-SHELL; out-of-range durations are clamped.
    assert_eq!(
        web["HealthCheck"],
        json!({"Command": ["CMD-SHELL", "curl -fs http://localhost:8000/health"], "Interval": 5, "Timeout": 60, "Retries": 10})
    );
    assert_eq!(
        web["Secrets"],
        json!([
            {"Name": "db_credentials", "ValueFrom": {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:prod/db"}},
            {"Name": "DB_USER", "ValueFrom": {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:prod/db:username::"}},
            {"Name": "DB_PASSWORD", "ValueFrom": {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:prod/db:password::"}},
            {"Name": "API_KEY", "ValueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-key-AbCdEf"}
        ])
    );
    let proxy = &p["ContainerDefinitions"][1];
    assert_eq!(
        proxy["PortMappings"],
        json!([{"ContainerPort": 80, "Protocol": "tcp", "Name": "tcp_80"}])
    );
    assert_eq!(
        proxy["LinuxParameters"],
        json!({"Capabilities": {"Add": ["SYS_PTRACE"]}})
    );
    assert_eq!(
        proxy["DependsOn"],
        json!([{"ContainerName": "web", "Condition": "HEALTHY"}, {"ContainerName": "init-db", "Condition": "SUCCESS"}])
    );
    assert_eq!(proxy["LogConfiguration"]["Options"]["mode"], "non-blocking");
    assert_eq!(
        proxy["LogConfiguration"]["Options"]["max-buffer-size"],
        "4m"
    );
    // init-db is waited on with SUCCESS: ECS wants it non-essential.
    let essential: Vec<&Value> = p["ContainerDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["Essential"])
        .collect();
    assert_eq!(essential, [&json!(true), &json!(true), &json!(false)]);
}

#[test]
fn all_keys_diagnostics_are_located_and_explained() {
    let (_, diags) = all_keys();
    let codes: Vec<(&str, &str)> = diags.iter().map(|d| (d.code, d.message.as_str())).collect();
    let has = |code: &str, text: &str| codes.iter().any(|(c, m)| *c == code && m.contains(text));
    assert!(has("CX402", "healthcheck.interval: 2 s"), "{codes:#?}");
    assert!(has("CX402", "healthcheck.timeout: 90 s"), "{codes:#?}");
    assert!(has("CX402", "healthcheck.retries: 20"), "{codes:#?}");
    assert!(
        has(
            "CX329",
            "published port 8080: on Fargate (awsvpc) the task itself listens on 80"
        ),
        "{codes:#?}"
    );
    assert!(
        has("CX401", "`frontend` asks for 1280 CPU units and 2176 MiB"),
        "{codes:#?}"
    );
}

#[test]
fn all_keys_service_settings() {
    let (all, _) = all_keys();
    let t = template(&all, "frontend");
    let s = &resource(&t, "Service")["Properties"];
    assert_eq!(
        s["CapacityProviderStrategy"],
        json!([{"CapacityProvider": "FARGATE_SPOT", "Weight": 3}, {"CapacityProvider": "FARGATE", "Base": 1, "Weight": 1}])
    );
    assert!(s.get("LaunchType").is_none());
    assert_eq!(s["EnableExecuteCommand"], true);
    assert_eq!(s["DesiredCount"], 3);
    assert_eq!(
        s["DeploymentConfiguration"]["DeploymentCircuitBreaker"]["Rollback"],
        false
    );
    let target = &resource(&t, "ScalableTarget")["Properties"];
    assert_eq!(
        target["ScheduledActions"],
        json!([{"ScheduledActionName": "night", "Schedule": "cron(0 22 * * ? *)", "ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 2}, "Timezone": "Europe/Paris"}])
    );
    assert_eq!(
        resource(&t, "MemoryTargetTracking")["Properties"]
            ["TargetTrackingScalingPolicyConfiguration"]["DisableScaleIn"],
        true
    );
}

#[test]
fn all_keys_roles_grant_exactly_the_secrets_used() {
    let (all, _) = all_keys();
    let t = template(&all, "frontend");
    let exec =
        &resource(&t, "ExecutionRole")["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    let secrets = exec
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == "ReadSecrets")
        .unwrap();
    assert_eq!(secrets["Action"], json!(["secretsmanager:GetSecretValue"]));
    assert_eq!(
        secrets["Resource"],
        json!([
            {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:prod/db-*"},
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-key-AbCdEf"
        ])
    );
    let task = &resource(&t, "TaskRole")["Properties"];
    let names: Vec<&str> = task["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["PolicyName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["ReadConfigBucket", "ReadSecrets", "EcsExec", "EfsCache"]
    );
    assert_eq!(
        task["ManagedPolicyArns"],
        json!(["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"])
    );
    assert_eq!(
        task["PermissionsBoundary"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/team-boundary"})
    );
    // The worker reads only api-key, through its own roles.
    let w = template(&all, "worker");
    let exec =
        &resource(&w, "ExecutionRole")["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    let secrets = exec
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == "ReadSecrets")
        .unwrap();
    assert_eq!(secrets["Resource"].as_array().unwrap().len(), 1);
    assert_eq!(
        resource(&w, "LogGroup")["Properties"]["RetentionInDays"],
        90
    );
}

#[test]
fn all_keys_ingress_rules() {
    let (all, _) = all_keys();
    let t = template(&all, "frontend");
    let rules: Vec<&Value> = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::EC2::SecurityGroupIngress")
        .map(|r| &r["Properties"])
        .collect();
    // Myself on 8000 and 80, the corporate CIDR on 8000 and 80, the prefix list on 443, the
    // default network (shared with the worker) on 8000 and 80; the project's load balancer (no
    // x-elbv2; `8080:80` is published) on 80; and the `cache` volume's file system lets the family
    // in on NFS (2049).
    assert_eq!(rules.len(), 9, "{rules:#?}");
    assert!(rules.iter().any(|r| r["SourceSecurityGroupId"]
        == json!({"Ref": "ProjectLbLoadBalancerSecurityGroupId"})
        && r["FromPort"] == 80));
    assert_eq!(
        rules
            .iter()
            .filter(|r| r["FromPort"] == 2049 && r["ToPort"] == 2049)
            .count(),
        1,
        "{rules:#?}"
    );
    assert!(rules
        .iter()
        .any(|r| r["CidrIp"] == "10.0.0.0/8" && r["FromPort"] == 80));
    assert!(rules
        .iter()
        .any(|r| r["SourcePrefixListId"] == "pl-0123456789abcdef0" && r["FromPort"] == 443));
    let myself = rules
        .iter()
        .filter(|r| {
            r["SourceSecurityGroupId"] == json!({"Fn::GetAtt": ["SecurityGroup", "GroupId"]})
                && r["FromPort"] != 2049
        })
        .count();
    assert_eq!(myself, 2);
    // The worker has no ports: nothing reaches it, so it is not registered in CloudMap either.
    let w = template(&all, "worker");
    assert!(w["Resources"].get("DiscoveryService").is_none());
    // It reaches the frontend through the default network's group.
    let ports: Vec<&Value> = rules
        .iter()
        .filter(|r| r["SourceSecurityGroupId"] == json!({"Ref": "DefaultNetworkSecurityGroupId"}))
        .map(|r| &r["FromPort"])
        .collect();
    assert_eq!(ports, [&json!(8000), &json!(80)]);
    let groups = &resource(&w, "Service")["Properties"]["NetworkConfiguration"]
        ["AwsvpcConfiguration"]["SecurityGroups"];
    assert_eq!(groups[1], json!({"Ref": "DefaultNetworkSecurityGroupId"}));
}

/// A queue linked to a family: the x-sqs module's policy, env var and step scaling land in the
/// family's task role, containers and scalable target (`modules::apply`, after the ECS emitter).
const LINKED: &str = r#"
services:
  worker:
    image: example/worker:1.0
    environment:
      QUEUE_URL: set-by-hand
x-sqs:
  jobs:
    Properties: {}
    Services:
      worker:
        Access: RWMessages
        ReturnValues:
          Arn: QUEUE_URL
        Scaling:
          Steps:
            - LowerBound: 0
              UpperBound: 10
              Count: 1
            - LowerBound: 10
              Count: 5
"#;

#[test]
fn linked_resources_reach_the_task_role_containers_and_scaling() {
    let (files, diags) = render_text(LINKED, Layout::Nested);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    dump(&files, "linked");
    let t = template(&templates(&files), "worker");
    let task = &resource(&t, "TaskRole")["Properties"];
    let policies = task["Policies"].as_array().expect("linked policy");
    assert_eq!(policies.len(), 1, "{policies:#?}");
    assert!(policies[0]["PolicyDocument"]["Statement"][0]["Action"]
        .as_array()
        .unwrap()
        .contains(&json!("sqs:SendMessage")));
    let env =
        &resource(&t, "TaskDefinition")["Properties"]["ContainerDefinitions"][0]["Environment"];
    let names: Vec<&str> = env
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["Name"].as_str().unwrap())
        .collect();
    // The service's own QUEUE_URL wins; JOBS (the default env var) is added (sorted by name).
    assert_eq!(names, ["JOBS", "QUEUE_URL"], "{env:#}");
    assert_eq!(env[1]["Value"], "set-by-hand");
    let target = &resource(&t, "ScalableTarget")["Properties"];
    assert_eq!(
        (target["MinCapacity"].clone(), target["MaxCapacity"].clone()),
        (json!(1), json!(5))
    );
    let step = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Properties"]["PolicyType"] == "StepScaling");
    assert!(step.is_some(), "a step scaling policy on the target");
}

/// Docker's ECS plugin keys ComposeX reads: pull credentials, autoscaling, log retention, role
/// and managed policies.
const PLUGIN_KEYS: &str = r#"
services:
  app:
    image: registry.example.com/app:1
    x-aws-pull_credentials: secrets::registry
    x-aws-logs_retention: 64
    x-aws-role:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [cloudwatch:PutMetricData]
          Resource: ["*"]
    x-aws-policies:
      - arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess
    x-aws-min_percent: 50
    x-aws-max_percent: 150
    deploy:
      x-aws-autoscaling:
        min: 1
        max: 3
        cpu: 75
secrets:
  registry:
    x-secrets:
      Name: ci/registry
"#;

#[test]
fn ecs_plugin_keys() {
    let (files, diags) = render_text(PLUGIN_KEYS, Layout::Nested);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    dump(&files, "plugin-keys");
    let t = template(&templates(&files), "app");
    let c = &resource(&t, "TaskDefinition")["Properties"]["ContainerDefinitions"][0];
    let arn =
        "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:ci/registry";
    assert_eq!(
        c["RepositoryCredentials"],
        json!({"CredentialsParameter": {"Fn::Sub": arn}})
    );
    let exec =
        &resource(&t, "ExecutionRole")["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    let read = exec
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == "ReadSecrets")
        .unwrap();
    assert_eq!(read["Resource"], json!([{"Fn::Sub": format!("{arn}-*")}]));
    // 64 days is not a CloudWatch retention: the next one up.
    assert_eq!(
        resource(&t, "LogGroup")["Properties"]["RetentionInDays"],
        90
    );
    let task = &resource(&t, "TaskRole")["Properties"];
    assert_eq!(task["Policies"][0]["PolicyName"], "AppAwsRole");
    assert_eq!(
        task["ManagedPolicyArns"],
        json!(["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"])
    );
    let s = &resource(&t, "Service")["Properties"]["DeploymentConfiguration"];
    assert_eq!(
        (
            s["MinimumHealthyPercent"].clone(),
            s["MaximumPercent"].clone()
        ),
        (json!(50), json!(150))
    );
    let target = &resource(&t, "ScalableTarget")["Properties"];
    assert_eq!(
        (target["MinCapacity"].clone(), target["MaxCapacity"].clone()),
        (json!(1), json!(3))
    );
    assert_eq!(
        resource(&t, "CpuTargetTracking")["Properties"]["TargetTrackingScalingPolicyConfiguration"]
            ["TargetValue"],
        75.0
    );
}

//! x-prometheus and x-monitoring: the CloudWatch agent sidecar, its configurations as SSM
//! parameters, what its roles may do, the EMF endpoint of the app containers, and located
//! mistakes.

mod ecs_common;

use composex_core::Severity;
use ecs_common::*;
use serde_json::{json, Value};

const PROMETHEUS: &str = include_str!("../src/modules/prometheus/fixtures/prometheus.yml");
const MONITORING: &str = include_str!("../src/modules/monitoring/fixtures/monitoring.yml");

fn app_stack(input: &Input) -> (Value, Vec<Diagnostic>) {
    let (files, diags) = render(input);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    (template(&templates(&files), "app"), diags)
}

fn containers(t: &Value) -> Vec<Value> {
    resource(t, "TaskDefinition")["Properties"]["ContainerDefinitions"]
        .as_array()
        .unwrap()
        .clone()
}

fn policy_statements(t: &Value, role: &str, name: &str) -> Vec<Value> {
    resource(t, role)["Properties"]["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["PolicyName"] == name)
        .map(|p| p["PolicyDocument"]["Statement"].as_array().unwrap().clone())
        .unwrap_or_default()
}

/// The agent configuration parameter's JSON (the `Fn::Sub` text, `${!` unescaped).
fn agent_config(t: &Value) -> Value {
    let value = &resource(t, "CloudWatchAgentConfig")["Properties"]["Value"];
    let text = value["Fn::Sub"].as_str().or(value.as_str()).unwrap();
    serde_json::from_str(&text.replace("${!", "${")).unwrap()
}

#[test]
fn prometheus_scrapes_the_family_exporters_into_container_insights() {
    let (t, _) = app_stack(&input(PROMETHEUS, Format::Json, Layout::Nested));
    let c = containers(&t);
    assert_eq!(c.len(), 2);
    let agent = &c[1];
    assert_eq!(agent["Name"], "cloudwatch-agent");
    assert_eq!(
        agent["Image"],
        "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest"
    );
    assert_eq!(agent["Essential"], false);
    let secrets: Vec<&str> = agent["Secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Name"].as_str().unwrap())
        .collect();
    assert_eq!(secrets, ["CW_CONFIG_CONTENT", "PROMETHEUS_CONFIG_CONTENT"]);
    // No EMF asked for: no EMF port, no endpoint env var.
    assert!(agent.get("PortMappings").is_none());
    assert!(!c[0].to_string().contains("AWS_EMF_AGENT_ENDPOINT"));
    // The discovery targets: the JMX exporter's port and the custom rule's port and path,
    // matched to this stack's task definitions.
    let config = agent_config(&t);
    let prometheus = &config["logs"]["metrics_collected"]["prometheus"];
    assert_eq!(
        prometheus["prometheus_config_path"],
        "env:PROMETHEUS_CONFIG_CONTENT"
    );
    let targets = prometheus["ecs_service_discovery"]["task_definition_list"]
        .as_array()
        .unwrap();
    let ports: Vec<(&str, &str)> = targets
        .iter()
        .map(|t| {
            (
                t["sd_metrics_ports"].as_str().unwrap(),
                t["sd_metrics_path"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(ports, [("9404", "/metrics"), ("9100", "/custom-metrics")]);
    assert_eq!(
        targets[0]["sd_task_definition_arn_pattern"],
        "^.*:task-definition/${AWS::StackName}-.*$"
    );
    let declarations = prometheus["emf_processor"]["metric_declaration"]
        .as_array()
        .unwrap();
    // Three JMX processors, then the custom rule's, as written.
    assert_eq!(declarations.len(), 4);
    assert_eq!(
        declarations[3]["metric_selectors"],
        json!(["^orders_total$"])
    );
    assert_eq!(declarations[3]["label_matcher"], "^app$");
    // The scrape configuration: the interval and timeout asked for.
    let scrape = resource(&t, "CloudWatchAgentPrometheusConfig")["Properties"]["Value"]
        .as_str()
        .unwrap();
    let scrape: serde_yaml::Value = serde_yaml::from_str(scrape).unwrap();
    assert_eq!(scrape["global"]["scrape_interval"].as_str(), Some("30s"));
    assert_eq!(scrape["global"]["scrape_timeout"].as_str(), Some("10s"));
    assert_eq!(
        scrape["scrape_configs"][0]["file_sd_configs"][0]["files"][0].as_str(),
        Some("/tmp/cwagent_ecs_auto_sd.yaml")
    );
    // The execution role reads exactly the two parameters.
    let exec = policy_statements(&t, "ExecutionRole", "EcsExecution");
    let read = exec
        .iter()
        .find(|s| s["Sid"] == "ReadCloudWatchAgentConfig")
        .unwrap();
    assert_eq!(read["Action"], json!(["ssm:GetParameters"]));
    assert_eq!(read["Resource"].as_array().unwrap().len(), 2);
    // The task role: Container Insights log groups, and ECS reads held to the cluster.
    let task = policy_statements(&t, "TaskRole", "CloudWatchAgent");
    let sids: Vec<&str> = task.iter().map(|s| s["Sid"].as_str().unwrap()).collect();
    assert_eq!(
        sids,
        [
            "ContainerInsightsPrometheusLogs",
            "DiscoverExporters",
            "ReadTaskDefinitions"
        ]
    );
    assert!(task[1]["Condition"]["ArnEquals"]["ecs:cluster"].is_object());
    for s in &task {
        for a in s["Action"].as_array().unwrap() {
            assert!(!a.as_str().unwrap().contains('*'), "{a}");
        }
    }
}

#[test]
fn monitoring_collects_emf_and_tells_the_app_where_the_agent_is() {
    let (t, _) = app_stack(&input(MONITORING, Format::Json, Layout::Nested));
    let c = containers(&t);
    let env = c[0]["Environment"].as_array().unwrap();
    assert!(
        env.contains(&json!({"Name": "AWS_EMF_AGENT_ENDPOINT", "Value": "tcp://127.0.0.1:25888"}))
    );
    let agent = &c[1];
    assert_eq!(
        agent["Image"],
        "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300049.1b929"
    );
    assert_eq!(
        agent["PortMappings"],
        json!([{"ContainerPort": 25888, "Protocol": "tcp"}, {"ContainerPort": 25888, "Protocol": "udp"}])
    );
    assert_eq!(agent["Secrets"].as_array().unwrap().len(), 1);
    // Named after the stack and the family (the single layout holds every family).
    assert_eq!(
        resource(&t, "CloudWatchAgentConfig")["Properties"]["Name"],
        json!({"Fn::Sub": "/${AWS::StackName}/app/cloudwatch-agent/config"})
    );
    // The configuration holds no stack name: a plain string.
    let value = &resource(&t, "CloudWatchAgentConfig")["Properties"]["Value"];
    assert!(value.is_string());
    assert_eq!(
        agent_config(&t),
        json!({"logs": {"metrics_collected": {"emf": {}}, "force_flush_interval": 15}})
    );
    assert!(t["Resources"]["CloudWatchAgentPrometheusConfig"].is_null());
    let task = policy_statements(&t, "TaskRole", "CloudWatchAgent");
    assert_eq!(task.len(), 1);
    assert_eq!(task[0]["Sid"], "EmfLogs");
    // The agent counts in the task size: 128 + 256 MiB fit the smallest Fargate task.
    let td = &resource(&t, "TaskDefinition")["Properties"];
    assert_eq!(
        (td["Cpu"].as_str(), td["Memory"].as_str()),
        (Some("256"), Some("512"))
    );
}

#[test]
fn the_app_own_emf_endpoint_wins_and_the_first_x_monitoring_decides() {
    let text = "services:\n  app:\n    image: nginx\n    environment:\n      AWS_EMF_AGENT_ENDPOINT: udp://127.0.0.1:25888\n    deploy:\n      labels: {ecs.task.family: app}\n    x-monitoring:\n      CollectEmf:\n        CloudwatchAgent: {UseLatest: true}\n  worker:\n    image: nginx\n    deploy:\n      labels: {ecs.task.family: app}\n    x-monitoring:\n      CWAgentCollectEmf: {OverrideImage: other/agent:1}\n";
    let (t, _) = app_stack(&input(text, Format::Json, Layout::Nested));
    let c = containers(&t);
    assert_eq!(c.len(), 3);
    let app_env = c[0]["Environment"].to_string();
    assert!(app_env.contains("udp://127.0.0.1:25888") && !app_env.contains("tcp://"));
    assert!(c[1]["Environment"]
        .to_string()
        .contains("tcp://127.0.0.1:25888"));
    assert_eq!(
        c[2]["Image"],
        "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest"
    );
}

const WITH_FILE: &str = "services:\n  app:\n    image: nginx\n    x-prometheus:\n      ContainersInsights:\n        CollectForNginx: true\n        ScrapingConfiguration:\n          ScrapingConfigurationFile: prometheus/scrape.yaml\n";

#[test]
fn a_scrape_configuration_file_is_given_whole() {
    let file = "global:\n  scrape_interval: 10s\nscrape_configs:\n  - job_name: cw\n    file_sd_configs:\n      - files: [/tmp/cwagent_ecs_auto_sd.yaml]\n";
    let mut i = input(WITH_FILE, Format::Json, Layout::Nested);
    i.extra_files.insert(
        "prometheus/scrape.yaml".into(),
        SourceFile {
            name: "prometheus/scrape.yaml".into(),
            text: file.into(),
        },
    );
    let (t, _) = app_stack(&i);
    assert_eq!(
        resource(&t, "CloudWatchAgentPrometheusConfig")["Properties"]["Value"],
        file
    );
    // NGINX with its defaults: port 9113.
    let config = agent_config(&t);
    let target = &config["logs"]["metrics_collected"]["prometheus"]["ecs_service_discovery"]
        ["task_definition_list"][0];
    assert_eq!(target["sd_metrics_ports"], "9113");
}

#[test]
fn a_missing_scrape_configuration_file_is_an_error_at_its_name() {
    let (files, diags) = render(&input(WITH_FILE, Format::Json, Layout::Nested));
    assert!(files.is_empty());
    let d = diags.iter().find(|d| d.code == "CX260").expect("CX260");
    let l = d.location.as_ref().unwrap();
    assert_eq!(&WITH_FILE[l.start..l.end], "prometheus/scrape.yaml");
}

/// `severity code line:col message` of each diagnostic of the given codes.
fn located(text: &str, codes: &[&str]) -> String {
    let (_, diags) = render(&input(text, Format::Json, Layout::Nested));
    diags
        .iter()
        .filter(|d| codes.contains(&d.code))
        .map(|d| {
            let l = d.location.as_ref().unwrap();
            let sev = if d.severity == Severity::Error {
                "error"
            } else {
                "warning"
            };
            format!("{sev} {} {}:{} {}", d.code, l.line, l.column, d.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn mistakes_are_located() {
    let text = r#"services:
  app:
    image: nginx
    x-prometheus:
      ContainersInsight: {}
      ContainersInsights:
        CollectForJavaJmx: {ExporterPort: 99999, ExporterPath: metrics}
        AutoAddNginxPrometheusExporter: true
        CustomRules:
          - ExporterPort: 1234
            EmfProcessors:
              - label_matcher: x
          - EmfProcessors: []
        ScrapingConfiguration: {Interval: 15s, Timeout: 1m}
  worker:
    image: nginx
    x-monitoring:
      CWAgentCollectEmf: {InterpolateWithDigest: true}
      CollectEmf:
        OTEL: {UseLatest: true}
  other:
    image: nginx
    x-monitoring: yes
    x-prometheus:
      ContainersInsights:
        ScrapingConfiguration: {Interval: 1 minute}
  idle:
    image: nginx
    x-prometheus:
      ContainersInsights: {EnableCWAgentDebug: true}
"#;
    insta::assert_snapshot!(located(text, &["CX662", "CX663", "CX664"]));
}

#[test]
fn a_scrape_file_prometheus_would_refuse_is_a_warning_in_the_file() {
    // As in ECS ComposeX's use-cases: `file_sd_configs` written as a mapping.
    let file = "scrape_configs:\n  - file_sd_configs:\n      files:\n        - /tmp/cwagent_ecs_auto_sd.yaml\n    job_name: cwscraping\n";
    let mut i = input(WITH_FILE, Format::Json, Layout::Nested);
    i.extra_files.insert(
        "prometheus/scrape.yaml".into(),
        SourceFile {
            name: "prometheus/scrape.yaml".into(),
            text: file.into(),
        },
    );
    let (t, diags) = app_stack(&i);
    let d = diags.iter().find(|d| d.code == "CX664").expect("CX664");
    assert_eq!(d.severity, Severity::Warning);
    let l = d.location.as_ref().unwrap();
    assert_eq!(l.file, "prometheus/scrape.yaml");
    assert_eq!((l.line, l.column), (3, 7));
    assert!(
        d.message.contains("`file_sd_configs` must be a list"),
        "{}",
        d.message
    );
    // Rendered all the same, as written.
    assert_eq!(
        resource(&t, "CloudWatchAgentPrometheusConfig")["Properties"]["Value"],
        file
    );
}

#[test]
fn readme_examples_render() {
    for readme in [
        include_str!("../src/modules/prometheus/README.md"),
        include_str!("../src/modules/monitoring/README.md"),
    ] {
        let blocks: Vec<&str> = readme
            .split("```yaml\n")
            .skip(1)
            .filter_map(|b| b.split("```").next())
            .collect();
        assert!(!blocks.is_empty());
        for text in blocks {
            let (files, diags) = render(&input(text, Format::Json, Layout::Nested));
            assert!(!diags.iter().any(|d| d.is_error()), "{text}\n{diags:#?}");
            assert!(files.iter().any(|f| f.text.contains("cloudwatch-agent")));
        }
    }
}

#[test]
fn a_windows_family_cannot_have_the_linux_agent() {
    let text = "services:\n  app:\n    image: mcr.microsoft.com/windows/servercore/iis\n    platform: windows/amd64\n    x-monitoring:\n      CWAgentCollectEmf: true\n";
    let (files, diags) = render(&input(text, Format::Json, Layout::Nested));
    assert!(files.is_empty());
    let d = diags.iter().find(|d| d.code == "CX663").expect("CX663");
    assert!(d.message.contains("runs Windows"), "{}", d.message);
}

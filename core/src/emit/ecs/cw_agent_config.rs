//! The CloudWatch agent sidecar's pieces in the family stack: its configuration and the
//! Prometheus scrape configuration as SSM parameters, its container definition, and what its
//! roles may do. The agent's settings follow ECS ComposeX's (the EMF processors of the JMX and
//! NGINX exporters, the ECS service discovery result file), with exporters found by task
//! definition only (ComposeX also matched them by service name: the same targets twice).

use serde_json::{json, Map, Value};

use super::container::sidecar_log_configuration;
use super::cw_agent::{
    CwAgent, Exporter, Prometheus, CONTAINER, CPU, EMF_PORT, MEMORY, SCRAPE_CONFIG,
};
use crate::cfn::{sub, sub_with, Resource};
use crate::diagnostic::Diagnostic;
use crate::stack::{Stack, CLUSTER_NAME};

/// Logical id (and name stem) of the agent configuration parameter.
pub const CONFIG_PARAMETER: &str = "CloudWatchAgentConfig";
/// Logical id of the Prometheus scrape configuration parameter.
pub const PROMETHEUS_PARAMETER: &str = "CloudWatchAgentPrometheusConfig";
/// Where the agent writes the exporters it discovers (the scrape configuration reads it).
pub const SD_RESULT_FILE: &str = "/tmp/cwagent_ecs_auto_sd.yaml";
/// The metrics path of an exporter unless `ExporterPath` says otherwise.
const METRICS_PATH: &str = "/metrics";
/// Stands for the stack name in the configuration until it becomes `${AWS::StackName}`.
const STACK_NAME_MARK: &str = "@@composex-stack-name@@";
/// SSM Standard parameters hold 4 KB, Advanced ones 8 KB.
const STANDARD_MAX: usize = 4096;
const ADVANCED_MAX: usize = 8192;

/// The task definitions the agent scrapes: this family's (CloudFormation names a task
/// definition family `<stack name>-<logical id>-<suffix>`).
fn task_definition_pattern() -> String {
    format!("^.*:task-definition/{STACK_NAME_MARK}-.*$")
}

fn sd_target(job: String, port: u32, path: Option<&str>) -> Value {
    json!({
        "sd_job_name": job,
        "sd_metrics_path": path.unwrap_or(METRICS_PATH),
        "sd_metrics_ports": port.to_string(),
        "sd_task_definition_arn_pattern": task_definition_pattern(),
    })
}

fn labels(exporter: &Exporter) -> Value {
    exporter
        .source_labels
        .clone()
        .unwrap_or_else(|| json!(["job"]))
}

/// The JMX exporter's EMF processors (ComposeX's: threads, classes, OS, Catalina, GC, memory).
fn jmx(family: &str, e: &Exporter, targets: &mut Vec<Value>) -> Vec<Value> {
    let matcher = e.label_matcher.as_deref().unwrap_or("^.*jmx.*$");
    let l = labels(e);
    targets.push(sd_target(
        format!("{family}-javajmx-prometheus-exporter"),
        e.port.unwrap_or(9404),
        e.path.as_deref(),
    ));
    vec![
        json!({
            "source_labels": l, "label_matcher": matcher,
            "dimensions": [["ClusterName", "TaskDefinitionFamily"]],
            "metric_selectors": [
                "^jvm_threads_(current|daemon)$",
                "^jvm_classes_loaded$",
                "^java_lang_operatingsystem_(freephysicalmemorysize|totalphysicalmemorysize|freeswapspacesize|totalswapspacesize|systemcpuload|processcpuload|availableprocessors|openfiledescriptorcount)$",
                "^catalina_manager_(rejectedsessions|activesessions)$",
                "^jvm_gc_collection_seconds_(count|sum)$",
                "^catalina_globalrequestprocessor_(bytesreceived|bytessent|requestcount|errorcount|processingtime)$"
            ],
        }),
        json!({
            "source_labels": l, "label_matcher": matcher,
            "dimensions": [["ClusterName", "TaskDefinitionFamily", "area"]],
            "metric_selectors": ["^jvm_memory_bytes_used$"],
        }),
        json!({
            "source_labels": l, "label_matcher": matcher,
            "dimensions": [["ClusterName", "TaskDefinitionFamily", "pool"]],
            "metric_selectors": ["^jvm_memory_pool_bytes_used$"],
        }),
    ]
}

fn nginx(family: &str, e: &Exporter, targets: &mut Vec<Value>) -> Vec<Value> {
    targets.push(sd_target(
        format!("{family}-nginx-prometheus-exporter"),
        e.port.unwrap_or(9113),
        e.path.as_deref(),
    ));
    vec![json!({
        "source_labels": labels(e),
        "label_matcher": e.label_matcher.as_deref().unwrap_or("^.*nginx.*$"),
        "dimensions": [["ClusterName", "TaskDefinitionFamily", "ServiceName"]],
        "metric_selectors": ["^nginx_.*$"],
    })]
}

fn prometheus_section(family: &str, p: &Prometheus) -> Value {
    let mut targets = Vec::new();
    let mut declarations = Vec::new();
    if let Some(e) = &p.jmx {
        declarations.extend(jmx(family, e, &mut targets));
    }
    if let Some(e) = &p.nginx {
        declarations.extend(nginx(family, e, &mut targets));
    }
    for (i, rule) in p.custom.iter().enumerate() {
        declarations.extend(rule.processors.iter().cloned());
        targets.push(sd_target(
            format!("{family}-custom-sd-{i}"),
            rule.port,
            rule.path.as_deref(),
        ));
    }
    json!({
        "prometheus_config_path": "env:PROMETHEUS_CONFIG_CONTENT",
        "ecs_service_discovery": {
            "sd_frequency": "1m",
            "sd_result_file": SD_RESULT_FILE,
            "task_definition_list": targets,
        },
        "emf_processor": {
            "metric_declaration_dedup": true,
            "metric_declaration": declarations,
        },
    })
}

/// The agent's JSON configuration: a string, or an `Fn::Sub` when it names the stack (any other
/// `${` escaped).
pub fn agent_config(family: &str, agent: &CwAgent) -> Value {
    let mut collected = Map::new();
    if agent.emf {
        collected.insert("emf".into(), json!({}));
    }
    if let Some(p) = &agent.prometheus {
        collected.insert("prometheus".into(), prometheus_section(family, p));
    }
    let mut config = json!({
        "logs": { "metrics_collected": collected, "force_flush_interval": 15 },
    });
    if agent.debug {
        config["agent"] = json!({ "debug": true });
    }
    let text = config.to_string();
    if !text.contains(STACK_NAME_MARK) {
        return json!(text);
    }
    sub(&text
        .replace("${", "${!")
        .replace(STACK_NAME_MARK, "${AWS::StackName}"))
}

/// The Prometheus scrape configuration: the user's file as written, else one job reading what
/// the ECS service discovery found.
pub fn scrape_config(family: &str, p: &Prometheus) -> String {
    if let Some((_, _, Some(text))) = &p.scrape.file {
        return text.clone();
    }
    format!(
        "global:\n  scrape_interval: {}\n  scrape_timeout: {}\nscrape_configs:\n  - job_name: {family}-cwagent-ecs-file-sd-config\n    sample_limit: 10000\n    file_sd_configs:\n      - files:\n          - {SD_RESULT_FILE}\n",
        p.scrape.interval.as_deref().unwrap_or("1m"),
        p.scrape.timeout.as_deref().unwrap_or("10s"),
    )
}

/// The ARN of SSM parameter `id` of the stack (its name starts with `/`).
fn parameter_arn(id: &str) -> Value {
    sub(&format!(
        "arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter${{{id}}}"
    ))
}

fn tier(size: usize) -> &'static str {
    if size > STANDARD_MAX {
        "Advanced"
    } else {
        "Standard"
    }
}

impl CwAgent {
    /// Adds the SSM parameters holding the agent's configurations to the family's stack; a
    /// configuration larger than an SSM parameter holds is an error.
    pub fn emit(&self, family: &str, stack: &mut Stack, diags: &mut Vec<Diagnostic>) {
        let config = agent_config(family, self);
        let len = match &config {
            Value::String(text) => text.len(),
            other => other.to_string().len(),
        };
        let mut parameters = vec![(CONFIG_PARAMETER, "config", config, len)];
        if let Some(p) = &self.prometheus {
            let text = scrape_config(family, p);
            if text.len() > ADVANCED_MAX {
                let span = p
                    .scrape
                    .file
                    .as_ref()
                    .map(|(_, s, _)| *s)
                    .unwrap_or_default();
                diags.push(
                    Diagnostic::error(
                        SCRAPE_CONFIG,
                        format!("the Prometheus scrape configuration of family {family} is {} bytes, more than an SSM parameter holds ({ADVANCED_MAX})", text.len()),
                        span,
                    )
                    .with_help("keep the scrape configuration under 8 KB"),
                );
                return;
            }
            let len = text.len();
            parameters.push((PROMETHEUS_PARAMETER, "prometheus", json!(text), len));
        }
        for (id, name, value, len) in parameters {
            stack.add_resource(
                id,
                Resource::new(
                    "AWS::SSM::Parameter",
                    json!({
                        // The family in the name: the single layout puts every family in one stack.
                        "Name": sub(&format!("/${{AWS::StackName}}/{family}/{CONTAINER}/{name}")),
                        "Type": "String",
                        "Tier": tier(len),
                        "Value": value,
                        "Description": format!("CloudWatch agent {name} of family {family} (composex)"),
                    }),
                ),
            );
        }
    }

    /// The sidecar's `ContainerDefinitions` entry: not essential (the application keeps running
    /// without its metrics); its configurations come as ECS secrets; logs to the family's group.
    pub fn definition(&self) -> Value {
        let mut secrets = vec![
            json!({ "Name": "CW_CONFIG_CONTENT", "ValueFrom": parameter_arn(CONFIG_PARAMETER) }),
        ];
        if self.prometheus.is_some() {
            secrets.push(json!({ "Name": "PROMETHEUS_CONFIG_CONTENT", "ValueFrom": parameter_arn(PROMETHEUS_PARAMETER) }));
        }
        let mut def = json!({
            "Name": CONTAINER,
            "Image": self.image,
            "Essential": false,
            "Cpu": CPU,
            "MemoryReservation": MEMORY,
            "Secrets": secrets,
            "LogConfiguration": sidecar_log_configuration(CONTAINER),
        });
        if self.emf {
            def["PortMappings"] = json!([
                { "ContainerPort": EMF_PORT, "Protocol": "tcp" },
                { "ContainerPort": EMF_PORT, "Protocol": "udp" },
            ]);
        }
        def
    }

    /// What the execution role needs to give the agent its configurations.
    pub fn execution_statement(&self) -> Value {
        let mut arns = vec![parameter_arn(CONFIG_PARAMETER)];
        if self.prometheus.is_some() {
            arns.push(parameter_arn(PROMETHEUS_PARAMETER));
        }
        json!({ "Sid": "ReadCloudWatchAgentConfig", "Effect": "Allow", "Action": ["ssm:GetParameters"], "Resource": arns })
    }

    /// The task role statements the agent needs: EMF log groups (named by the applications),
    /// Container Insights' Prometheus log group, and reading the cluster's tasks to find the
    /// exporters. ECS lists and describes take no resource ARN; they are held to the cluster.
    pub fn task_statements(&self, stack: &mut Stack) -> Vec<Value> {
        let log_actions = json!([
            "logs:CreateLogGroup",
            "logs:CreateLogStream",
            "logs:DescribeLogStreams",
            "logs:PutLogEvents",
            "logs:PutRetentionPolicy"
        ]);
        let mut out = Vec::new();
        if self.emf {
            out.push(json!({
                "Sid": "EmfLogs",
                "Effect": "Allow",
                "Action": log_actions,
                "Resource": sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"),
            }));
        }
        if self.prometheus.is_some() {
            let cluster = stack.import(CLUSTER_NAME);
            let mut vars = Map::new();
            vars.insert("Cluster".into(), cluster);
            out.push(json!({
                "Sid": "ContainerInsightsPrometheusLogs",
                "Effect": "Allow",
                "Action": log_actions,
                "Resource": [
                    sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/ecs/containerinsights/*"),
                    sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/ecs/containerinsights/*:log-stream:*"),
                ],
            }));
            out.push(json!({
                "Sid": "DiscoverExporters",
                "Effect": "Allow",
                "Action": [
                    "ecs:DescribeContainerInstances",
                    "ecs:DescribeServices",
                    "ecs:DescribeTasks",
                    "ecs:ListServices",
                    "ecs:ListTasks"
                ],
                "Resource": "*",
                "Condition": { "ArnEquals": { "ecs:cluster": sub_with(
                    "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${Cluster}",
                    vars,
                ) } },
            }));
            out.push(json!({
                "Sid": "ReadTaskDefinitions",
                "Effect": "Allow",
                "Action": ["ecs:DescribeTaskDefinition"],
                "Resource": "*",
            }));
        }
        out
    }
}

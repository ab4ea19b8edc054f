//! FireLens: a service's logs routed through a fluent-bit sidecar (`log_router`, the AWS for
//! Fluent Bit image) instead of the awslogs driver. A service asks for it with
//! `logging.driver: awsfirelens` (its `options` are the fluent-bit output's), or with
//! `x-logging.FireLens` (`Shorthands.ReplaceAwsLogs`: its awslogs settings become the fluent-bit
//! CloudWatch output; `Advanced`: an extra configuration file for the router, with outputs to
//! x-kinesis_firehose / x-kinesis streams and the service's own `SourceFile`).
//!
//! The extra configuration is delivered as the family's configs are (`mounted_files`): its text
//! in an SSM parameter of the family stack, written by the init container into a task volume
//! that the router mounts read-only, and named by `FirelensConfiguration` `config-file-type:
//! file` (the only type Fargate supports; ComposeX writes it the same way with its own
//! sidecar). References to streams (`x-kinesis_firehose::<name>`, `x-kinesis::<name>`) are
//! resolved by the x-module planners (`FamilyLinks::log_destinations`): in options they become the
//! stream's name, in the extra file an environment variable of the router.

use serde_json::{json, Map, Value};

use super::container::{sidecar_log_configuration, Container};
use super::mounted_files::{self, FilesPlan};
use crate::cfn::ref_;
use crate::compose::model::Service;
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::Node;

mod settings;

/// `x-logging.FireLens` or an `awsfirelens` logging setting is malformed or not supported.
pub const FIRELENS: &str = "CX670";

/// The router's container name (ComposeX's).
pub const CONTAINER: &str = "log_router";
/// The stack parameter naming the router's image.
pub const IMAGE_PARAMETER: &str = "FluentBitImage";
/// The router image unless the parameter or `Advanced.DockerImageOverride` says otherwise.
pub const DEFAULT_IMAGE: &str = "public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.12";
/// CPU units of the router (0.1 vCPU, as ComposeX reserves).
pub const CPU: u32 = 102;
/// Memory of the router in MiB unless `Advanced.LogDriverBufferLimit` asks for more.
pub const MEMORY: u32 = 64;
/// The task volume holding the extra configuration, and where the router mounts it.
const CONFIG_VOLUME: &str = "log_router-config";
const CONFIG_DIR: &str = "/fluent-bit/composex";
const CONFIG_FILE: &str = "extra.conf";
/// An Advanced-tier SSM parameter holds 8 KB.
const CONFIG_MAX: usize = 8192;
/// Keys of `x-logging.FireLens`, of `Shorthands` and of `Advanced`.
const FIRELENS_KEYS: &[&str] = &["Shorthands", "ShortHands", "Advanced"];
const SHORTHAND_KEYS: &[&str] = &["ReplaceAwsLogs", "FirelensConfiguration"];
const ADVANCED_KEYS: &[&str] = &[
    "SourceFile",
    "EnableApiHeathCheck",
    "GracePeriod",
    "ComposeXManagedAwsDestinations",
    "EnvironmentVariables",
    "DockerImageOverride",
    "LogDriverBufferLimit",
    "SidecarCpuReservation",
    "FirelensConfiguration",
];
/// Fluent-bit output options a managed destination passes on (ComposeX's list).
const DESTINATION_OPTIONS: &[&str] = &[
    "region",
    "role_arn",
    "time_key_format",
    "time_key",
    "log_key",
    "compression",
    "endpoint",
    "sts_endpoint",
    "auto_retry_requests",
];

/// The FireLens plan of a family.
#[derive(Debug, Clone, PartialEq)]
pub struct FireLens {
    /// `LogConfiguration` of each container logging through the router, by container name.
    pub configs: Vec<(String, Value)>,
    /// The router image (the parameter's default).
    pub image: String,
    /// CPU units and MiB of the router.
    pub cpu: u32,
    /// Memory of the router in MiB.
    pub memory: u32,
    /// Fluent-bit's HTTP health endpoint is on (`EnableApiHeathCheck`).
    health: bool,
    /// `enable-ecs-log-metadata`.
    metadata: bool,
    /// The extra configuration file is written for the router.
    config_file: bool,
    /// Environment of the router (`EnvironmentVariables`).
    environment: Vec<(String, Value)>,
    /// Task role statements (CloudWatch Logs groups, plain stream names, cross-account roles).
    statements: Vec<Value>,
}

/// Plans FireLens for the family's `containers`; the extra configuration file goes into
/// `files`. None when no service uses it.
pub fn plan(
    family_id: &str,
    containers: &mut [Container<'_>],
    files: &mut Option<FilesPlan>,
    module_files: &std::collections::BTreeMap<String, crate::compose::model::ModuleFile>,
    diags: &mut Vec<Diagnostic>,
) -> Option<FireLens> {
    let mut firelens = FireLens {
        configs: Vec::new(),
        image: DEFAULT_IMAGE.to_string(),
        cpu: CPU,
        memory: MEMORY,
        health: false,
        metadata: true,
        config_file: false,
        environment: Vec::new(),
        statements: Vec::new(),
    };
    let mut text = String::new();
    let mut grace: Option<i64> = None;
    let mut used = false;
    let mut first_advanced: Option<Span> = None;
    for container in containers.iter_mut() {
        let service = container.service;
        let node = service
            .extension("x-logging")
            .and_then(|n| n.get("FireLens"));
        let (shorthands, advanced) = match node {
            Some(n) => read_keys(service, n, diags),
            None => (None, None),
        };
        let replace = shorthands
            .and_then(|s| s.get("ReplaceAwsLogs"))
            .and_then(Node::boolean)
            .unwrap_or(false);
        let driver = service.logging.as_ref().and_then(|l| l.driver.as_deref());
        let config = if driver == Some("awsfirelens") {
            Some(firelens.service_options(service, &container.name, diags))
        } else if replace || advanced.is_some() {
            Some(firelens.replaced_awslogs(service, &container.name))
        } else {
            None
        };
        let Some(config) = config else { continue };
        used = true;
        firelens.configs.push((container.name.clone(), config));
        let wait = json!({ "ContainerName": CONTAINER, "Condition": "START" });
        match container.definition.get_mut("DependsOn") {
            Some(Value::Array(list)) => list.push(wait),
            _ => {
                container
                    .definition
                    .insert("DependsOn".into(), json!([wait]));
            }
        }
        for settings in [shorthands, advanced].into_iter().flatten() {
            if let Some(n) = settings.get("FirelensConfiguration") {
                firelens.firelens_configuration(n, diags);
            }
        }
        if let Some(advanced) = advanced {
            first_advanced.get_or_insert(advanced.span);
            firelens.advanced(
                service,
                advanced,
                module_files,
                &mut text,
                &mut grace,
                diags,
            );
        }
    }
    if !used {
        return None;
    }
    let mut header = String::new();
    if firelens.health {
        header.push_str("[SERVICE]\n    HTTP_Server  On\n    HTTP_Listen  0.0.0.0\n    HTTP_PORT    2020\n    Health_Check On\n    HC_Errors_Count 5\n    HC_Retry_Failure_Count 5\n    HC_Period 5\n\n");
    }
    if let Some(seconds) = grace {
        header.push_str(&format!("[SERVICE]\n    Flush 1\n    Grace {seconds}\n\n"));
    }
    let content = format!("{header}{text}");
    if content.len() > CONFIG_MAX {
        diags.push(
            Diagnostic::error(
                FIRELENS,
                format!("the FireLens configuration file is {} bytes: the SSM parameter that delivers it holds at most {CONFIG_MAX}", content.len()),
                first_advanced.unwrap_or_default(),
            )
            .with_help("shorten SourceFile, or bake the configuration into a router image (DockerImageOverride)"),
        );
    } else if !content.trim().is_empty() {
        mounted_files::add_generated(
            files,
            family_id,
            CONFIG_VOLUME,
            CONFIG_FILE,
            "firelens",
            &content,
        );
        firelens.config_file = true;
    }
    Some(firelens)
}

/// `Shorthands` and `Advanced` of `x-logging.FireLens`; other keys are errors.
fn read_keys<'n>(
    service: &Service,
    node: &'n Node,
    diags: &mut Vec<Diagnostic>,
) -> (Option<&'n Node>, Option<&'n Node>) {
    let path = format!("services.{}.x-logging.FireLens", service.name);
    let Some(map) = node.as_map() else {
        diags.push(
            Diagnostic::error(FIRELENS, format!("{path} must be a mapping"), node.span)
                .with_help("FireLens: {Shorthands: {ReplaceAwsLogs: true}} or {Advanced: {...}}"),
        );
        return (None, None);
    };
    unknown(map, FIRELENS_KEYS, &path, diags);
    let shorthands = map.get("Shorthands").or_else(|| map.get("ShortHands"));
    if let Some(s) = shorthands.and_then(Node::as_map) {
        unknown(s, SHORTHAND_KEYS, &format!("{path}.Shorthands"), diags);
    }
    let advanced = map.get("Advanced");
    if let Some(a) = advanced.and_then(Node::as_map) {
        unknown(a, ADVANCED_KEYS, &format!("{path}.Advanced"), diags);
    }
    if shorthands.is_none() && advanced.is_none() {
        diags.push(
            Diagnostic::error(
                FIRELENS,
                format!("{path} needs Shorthands or Advanced"),
                node.span,
            )
            .with_help("FireLens: {Shorthands: {ReplaceAwsLogs: true}} or {Advanced: {...}}"),
        );
    }
    if let Some(replace) = shorthands.and_then(|s| s.get("ReplaceAwsLogs")) {
        if replace.boolean().is_none() {
            diags.push(Diagnostic::error(
                FIRELENS,
                format!("{path}.Shorthands.ReplaceAwsLogs must be true or false"),
                replace.span,
            ));
        }
    }
    (shorthands, advanced)
}

/// An error at every key of `map` not in `known` (never dropped silently).
fn unknown(map: &crate::yaml::Map, known: &[&str], path: &str, diags: &mut Vec<Diagnostic>) {
    for (key, span, _) in &map.entries {
        if known.contains(&key.as_str()) {
            continue;
        }
        let help = if key == "ParserFiles" {
            "composex does not deliver parser files: name the parsers the image has in SourceFile (`Parsers_File /fluent-bit/parsers/parsers.conf`), or bake yours into a router image (DockerImageOverride)".to_string()
        } else {
            format!("{path} takes {}", known.join(", "))
        };
        diags.push(
            Diagnostic::error(FIRELENS, format!("{path}.{key} is not supported"), *span)
                .with_help(help),
        );
    }
}

impl FireLens {
    /// The router's `ContainerDefinitions` entry.
    pub fn definition(&self) -> Value {
        let mut options = Map::new();
        options.insert(
            "enable-ecs-log-metadata".into(),
            json!(self.metadata.to_string()),
        );
        if self.config_file {
            options.insert("config-file-type".into(), json!("file"));
            options.insert(
                "config-file-value".into(),
                json!(format!("{CONFIG_DIR}/{CONFIG_FILE}")),
            );
        }
        let mut environment: Vec<Value> = self
            .environment
            .iter()
            .map(|(n, v)| json!({ "Name": n, "Value": v }))
            .collect();
        if self.config_file {
            environment.push(json!({ "Name": "AWS_REGION", "Value": ref_("AWS::Region") }));
        }
        let mut def = json!({
            "Name": CONTAINER,
            "Image": ref_(IMAGE_PARAMETER),
            "Essential": true,
            "Cpu": self.cpu,
            "Memory": self.memory,
            "MemoryReservation": 32.min(self.memory),
            "FirelensConfiguration": { "Type": "fluentbit", "Options": options },
            "LogConfiguration": sidecar_log_configuration(CONTAINER),
        });
        if !environment.is_empty() {
            def["Environment"] = Value::Array(environment);
        }
        if self.config_file {
            def["MountPoints"] = json!([{ "SourceVolume": CONFIG_VOLUME, "ContainerPath": CONFIG_DIR, "ReadOnly": true }]);
            def["DependsOn"] =
                json!([{ "ContainerName": mounted_files::CONTAINER, "Condition": "COMPLETE" }]);
        }
        if self.health {
            def["HealthCheck"] = json!({
                "Command": ["CMD-SHELL", "curl -sf http://127.0.0.1:2020/api/v1/health || exit 1"],
                "Interval": 15, "Retries": 3, "StartPeriod": 30, "Timeout": 10,
            });
        }
        def
    }

    /// Declares the router's image parameter in the family stack.
    pub fn emit(&self, stack: &mut crate::stack::Stack) {
        let image = crate::cfn::Parameter::string()
            .with_default(&self.image)
            .with_description("Image of the FireLens log router (AWS for Fluent Bit)");
        stack.add_parameter(IMAGE_PARAMETER, image);
    }

    /// The task role statements the router needs (the x-module streams' come with the links).
    pub fn statements(&self) -> Vec<Value> {
        self.statements.clone()
    }

    /// The `LogConfiguration` of container `name`, when it logs through the router.
    pub fn log_configuration(&self, name: &str) -> Option<Value> {
        self.configs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.clone())
    }
}

/// The router's environment variable holding the stream a reference names.
pub fn destination_variable(reference: &str) -> String {
    let name = reference.rsplit("::").next().unwrap_or(reference);
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("FIRELENS_{cleaned}")
}

/// Writes the resolved stream references into the family's task definition: the services'
/// options get the stream's name, the router the variables its configuration file reads.
pub fn resolve(stack: &mut crate::stack::Stack, destinations: &[(String, Value)]) {
    if destinations.is_empty() {
        return;
    }
    let Some(task) = stack
        .template
        .resources
        .get_mut(super::service::TASK_DEFINITION)
    else {
        return;
    };
    let Some(containers) = task
        .properties
        .get_mut("ContainerDefinitions")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for container in containers {
        if container["Name"] == json!(CONTAINER) {
            // Only a router with composex's configuration file reads the variables.
            if container.get("MountPoints").is_none() {
                continue;
            }
            let mut env = container["Environment"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for (reference, value) in destinations {
                let name = destination_variable(reference);
                if !env.iter().any(|e| e["Name"] == json!(name)) {
                    env.push(json!({ "Name": name, "Value": value }));
                }
            }
            container["Environment"] = Value::Array(env);
            continue;
        }
        if let Some(options) = container
            .get_mut("LogConfiguration")
            .and_then(|l| l.get_mut("Options"))
            .and_then(Value::as_object_mut)
        {
            for value in options.values_mut() {
                if let Some((_, resolved)) = destinations
                    .iter()
                    .find(|(r, _)| Some(r.as_str()) == value.as_str())
                {
                    *value = resolved.clone();
                }
            }
        }
    }
}

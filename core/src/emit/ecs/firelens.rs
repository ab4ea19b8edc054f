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

use super::container::{container_name, Container, LOG_GROUP};
use super::mounted_files::{self, FilesPlan};
use crate::cfn::{get_att, ref_, sub};
use crate::compose::model::Service;
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::Node;

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

/// The CloudWatch Logs actions fluent-bit's cloudwatch outputs use.
const LOGS_ACTIONS: &[&str] = &[
    "logs:CreateLogStream",
    "logs:DescribeLogStreams",
    "logs:PutLogEvents",
];

impl FireLens {
    /// `logging.driver: awsfirelens`: its options as given, `Name` inferred from the
    /// destination's key as ComposeX does, the region and (CloudWatch) the family's log group
    /// filled in; references to streams stay as written (resolved when the family is written).
    fn service_options(
        &mut self,
        service: &Service,
        container: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Value {
        let logging = service.logging.as_ref();
        let given = logging.map(|l| &l.options);
        let span_of = |key: &str| -> Span {
            logging
                .and_then(|l| l.option_spans.get(key))
                .copied()
                .unwrap_or(service.span)
        };
        let mut options = Map::new();
        for (key, value) in given.into_iter().flatten() {
            options.insert(key.clone(), json!(value));
        }
        if options.is_empty() {
            // Outputs come from the extra configuration file alone.
            return json!({ "LogDriver": "awsfirelens" });
        }
        let inferred = [
            ("delivery_stream", "kinesis_firehose"),
            ("stream", "kinesis_streams"),
            ("log_group_name", "cloudwatch"),
        ]
        .iter()
        .find(|(k, _)| options.contains_key(*k))
        .map(|(_, n)| *n);
        let name = options
            .get("Name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or(inferred.map(str::to_string));
        let Some(name) = name else {
            diags.push(
                Diagnostic::error(
                    FIRELENS,
                    format!("services.{}.logging.options: awsfirelens needs the fluent-bit output's `Name`", service.name),
                    span_of(options.keys().next().map_or("", String::as_str)),
                )
                .with_help("e.g. Name: cloudwatch, Name: kinesis_firehose with delivery_stream, Name: kinesis_streams with stream"),
            );
            return json!({ "LogDriver": "awsfirelens", "Options": options });
        };
        options.insert("Name".into(), json!(name));
        if !options.contains_key("region") {
            options.insert("region".into(), ref_("AWS::Region"));
        }
        match name.as_str() {
            "cloudwatch" | "cloudwatch_logs" => {
                match options.get("log_group_name").and_then(Value::as_str) {
                    Some(group) => {
                        let group = group.to_string();
                        self.named_group(&group);
                        options.entry("auto_create_group").or_insert(json!("true"));
                    }
                    None => {
                        options.insert("log_group_name".into(), ref_(LOG_GROUP));
                        options
                            .entry("log_stream_prefix")
                            .or_insert(json!(format!("{container}-")));
                        self.family_group();
                    }
                }
            }
            "kinesis_firehose" | "firehose" => {
                self.plain_stream(
                    &options,
                    "delivery_stream",
                    "firehose",
                    "deliverystream",
                    "firehose:PutRecordBatch",
                );
            }
            "kinesis_streams" | "kinesis" => {
                self.plain_stream(
                    &options,
                    "stream",
                    "kinesis",
                    "stream",
                    "kinesis:PutRecords",
                );
            }
            _ => {}
        }
        if let Some(role) = options.get("role_arn").and_then(Value::as_str) {
            self.assume(role);
        }
        json!({ "LogDriver": "awsfirelens", "Options": options })
    }

    /// `ReplaceAwsLogs` (or `Advanced` without an awsfirelens driver): the awslogs settings as the
    /// fluent-bit CloudWatch output, to the same log group.
    fn replaced_awslogs(&mut self, service: &Service, container: &str) -> Value {
        let awslogs = super::logging::log_configuration(service, container, &mut Vec::new());
        let given = &awslogs["Options"];
        let mut options = Map::new();
        options.insert("Name".into(), json!("cloudwatch"));
        options.insert("region".into(), given["awslogs-region"].clone());
        options.insert("log_group_name".into(), given["awslogs-group"].clone());
        let prefix = given["awslogs-stream-prefix"].as_str().unwrap_or(container);
        options.insert("log_stream_prefix".into(), json!(format!("{prefix}-")));
        let group = given["awslogs-group"]["Ref"].as_str().unwrap_or(LOG_GROUP);
        self.grant_logs(vec![get_att(group, "Arn")]);
        json!({ "LogDriver": "awsfirelens", "Options": options })
    }

    fn family_group(&mut self) {
        self.grant_logs(vec![get_att(LOG_GROUP, "Arn")]);
    }

    /// A log group the user names: fluent-bit creates it (auto_create_group), so it may.
    fn named_group(&mut self, group: &str) {
        let arn = sub(&format!(
            "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:{group}:*"
        ));
        self.grant_logs(vec![arn.clone()]);
        self.push("CreateNamedLogGroups", &["logs:CreateLogGroup"], arn);
    }

    fn grant_logs(&mut self, arns: Vec<Value>) {
        for arn in arns {
            self.push("WriteLogs", LOGS_ACTIONS, arn);
        }
    }

    /// A stream named by its name (not a reference): the action on its ARN in this account.
    fn plain_stream(
        &mut self,
        options: &Map<String, Value>,
        key: &str,
        service: &str,
        kind: &str,
        action: &'static str,
    ) {
        let Some(name) = options.get(key).and_then(Value::as_str) else {
            return;
        };
        if name.starts_with("x-") {
            return;
        }
        let arn = if name.starts_with("arn:") {
            json!(name)
        } else {
            sub(&format!(
                "arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:{kind}/{name}"
            ))
        };
        let sid = if service == "firehose" {
            "PutToDeliveryStreams"
        } else {
            "PutToStreams"
        };
        self.push(sid, &[action], arn);
    }

    /// `role_arn`: the router assumes that role (cross-account delivery).
    fn assume(&mut self, role: &str) {
        self.push("AssumeDeliveryRoles", &["sts:AssumeRole"], json!(role));
    }

    /// Adds `arn` to statement `sid` (created with `actions`).
    fn push(&mut self, sid: &str, actions: &[&str], arn: Value) {
        let found = self.statements.iter_mut().find(|s| s["Sid"] == json!(sid));
        match found {
            Some(statement) => {
                if let Some(list) = statement["Resource"].as_array_mut() {
                    if !list.contains(&arn) {
                        list.push(arn);
                    }
                }
            }
            None => self.statements.push(json!({
                "Sid": sid, "Effect": "Allow", "Action": actions, "Resource": [arn]
            })),
        }
    }

    /// `FirelensConfiguration`: `Options.enable-ecs-log-metadata` (others are errors: the
    /// configuration file is composex's, and Fargate reads no file from S3).
    fn firelens_configuration(&mut self, node: &Node, diags: &mut Vec<Diagnostic>) {
        if let Some(kind) = node.get("Type").filter(|t| t.as_str() != Some("fluentbit")) {
            diags.push(
                Diagnostic::error(
                    FIRELENS,
                    "FirelensConfiguration.Type: composex runs fluent-bit only",
                    kind.span,
                )
                .with_help("leave Type out, or write `fluentbit`"),
            );
        }
        let Some(options) = node.get("Options").and_then(Node::as_map) else {
            return;
        };
        for (key, span, value) in &options.entries {
            if key == "enable-ecs-log-metadata" {
                match value.boolean() {
                    Some(b) => self.metadata = b,
                    None => diags.push(Diagnostic::error(
                        FIRELENS,
                        "enable-ecs-log-metadata must be true or false",
                        value.span,
                    )),
                }
            } else {
                diags.push(
                    Diagnostic::error(FIRELENS, format!("FirelensConfiguration.Options.{key} is not supported"), *span)
                        .with_help("composex writes the router's configuration file itself (Advanced.SourceFile adds yours); Fargate reads none from S3"),
                );
            }
        }
    }

    /// `Advanced`: the router's sizing, health check, environment and the service's part of the
    /// extra configuration (its `SourceFile`, then an [OUTPUT] per managed destination).
    fn advanced(
        &mut self,
        service: &Service,
        node: &Node,
        module_files: &std::collections::BTreeMap<String, crate::compose::model::ModuleFile>,
        text: &mut String,
        grace: &mut Option<i64>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let path = format!("services.{}.x-logging.FireLens.Advanced", service.name);
        if let Some(n) = node.get("EnableApiHeathCheck") {
            match n.boolean() {
                Some(b) => self.health |= b,
                None => diags.push(Diagnostic::error(
                    FIRELENS,
                    format!("{path}.EnableApiHeathCheck must be true or false"),
                    n.span,
                )),
            }
        }
        if let Some(n) = node.get("GracePeriod") {
            match n.integer().filter(|v| (5..=120).contains(v)) {
                Some(v) => *grace = Some(grace.map_or(v, |g| g.max(v))),
                None => diags.push(Diagnostic::error(
                    FIRELENS,
                    format!("{path}.GracePeriod must be 5 to 120 seconds"),
                    n.span,
                )),
            }
        }
        if let Some(n) = node.get("DockerImageOverride") {
            match n.as_str() {
                Some(image) => self.image = image.to_string(),
                None => diags.push(Diagnostic::error(
                    FIRELENS,
                    format!("{path}.DockerImageOverride must be an image name"),
                    n.span,
                )),
            }
        }
        if let Some(n) = node.get("LogDriverBufferLimit") {
            // Bytes of buffer, as ComposeX reads it: the router's memory grows to hold it.
            match n.integer().filter(|v| *v >= 33_554_432) {
                Some(bytes) => {
                    let mib = u32::try_from(bytes / (1024 * 1024)).unwrap_or(u32::MAX);
                    self.memory = self.memory.max(mib);
                }
                None => diags.push(Diagnostic::error(
                    FIRELENS,
                    format!(
                        "{path}.LogDriverBufferLimit must be a number of bytes, at least 33554432"
                    ),
                    n.span,
                )),
            }
        }
        if let Some(n) = node.get("SidecarCpuReservation") {
            match n.number().filter(|v| *v >= 0.1 && *v <= 4.0) {
                Some(vcpu) => {
                    // vCPU to CPU units; bounded above, so the cast cannot overflow.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let units = (vcpu * 1024.0).round() as u32;
                    self.cpu = self.cpu.max(units);
                }
                None => diags.push(Diagnostic::error(
                    FIRELENS,
                    format!("{path}.SidecarCpuReservation must be 0.1 to 4 vCPU"),
                    n.span,
                )),
            }
        }
        if let Some(vars) = node.get("EnvironmentVariables") {
            self.environment_variables(&path, vars, diags);
        }
        if let Some(file) = node.get("SourceFile") {
            match file.as_str() {
                Some(p) => match module_files.get(&crate::compose::module_files::key(p)) {
                    Some(f) => {
                        text.push_str(f.text.trim_end());
                        text.push_str("\n\n");
                    }
                    None => diags.push(
                        Diagnostic::error(FIRELENS, format!("{path}.SourceFile `{p}` was not given"), file.span)
                            .with_help("the path is relative to the project directory (the first compose file's)"),
                    ),
                },
                None => diags.push(Diagnostic::error(FIRELENS, format!("{path}.SourceFile must be a path"), file.span)),
            }
        }
        if let Some(list) = node.get("ComposeXManagedAwsDestinations") {
            let Some(items) = list.as_seq() else {
                diags.push(Diagnostic::error(
                    FIRELENS,
                    format!("{path}.ComposeXManagedAwsDestinations must be a list"),
                    list.span,
                ));
                return;
            };
            let tag = format!("{}-firelens*", container_name(&service.name));
            for item in items {
                self.destination(&path, item, &tag, text, diags);
            }
        }
    }

    fn environment_variables(&mut self, path: &str, vars: &Node, diags: &mut Vec<Diagnostic>) {
        let Some(map) = vars.as_map() else {
            diags.push(Diagnostic::error(
                FIRELENS,
                format!("{path}.EnvironmentVariables must map names to values"),
                vars.span,
            ));
            return;
        };
        for (name, _, value) in &map.entries {
            let json = if let Some(text) = value.scalar_text() {
                json!(text)
            } else if let Some(t) = value.get("Fn::Sub").and_then(Node::as_str) {
                json!({ "Fn::Sub": t })
            } else if let Some(t) = value
                .get("Fn::Ref")
                .or_else(|| value.get("Ref"))
                .and_then(Node::as_str)
            {
                ref_(t)
            } else {
                diags.push(Diagnostic::error(
                    FIRELENS,
                    format!("{path}.EnvironmentVariables.{name} must be a string, Fn::Sub or Ref"),
                    value.span,
                ));
                continue;
            };
            if !self.environment.iter().any(|(n, _)| n == name) {
                self.environment.push((name.clone(), json));
            }
        }
    }

    /// One managed destination: an [OUTPUT] of the extra configuration for the service's logs.
    fn destination(
        &mut self,
        path: &str,
        item: &Node,
        tag: &str,
        text: &mut String,
        diags: &mut Vec<Diagnostic>,
    ) {
        let (output, key, stream) = if let Some(s) = item.get("delivery_stream") {
            ("kinesis_firehose", "delivery_stream", s)
        } else if let Some(s) = item.get("stream") {
            ("kinesis_streams", "stream", s)
        } else if let Some(g) = item.get("log_group_name") {
            ("cloudwatch", "log_group_name", g)
        } else {
            diags.push(
                Diagnostic::error(FIRELENS, format!("{path}.ComposeXManagedAwsDestinations: an entry needs delivery_stream, stream or log_group_name"), item.span)
                    .with_help("e.g. - delivery_stream: x-kinesis_firehose::<name>"),
            );
            return;
        };
        let Some(value) = stream.as_str() else {
            diags.push(Diagnostic::error(
                FIRELENS,
                format!("{key} must be a name"),
                stream.span,
            ));
            return;
        };
        let mut lines = vec![
            format!("[OUTPUT]"),
            format!("    Name {output}"),
            format!("    Match {tag}"),
        ];
        let written = if value.starts_with("x-") {
            format!("${{{}}}", destination_variable(value))
        } else {
            let mut given = Map::new();
            given.insert(key.into(), json!(value));
            match output {
                "kinesis_firehose" => self.plain_stream(
                    &given,
                    key,
                    "firehose",
                    "deliverystream",
                    "firehose:PutRecordBatch",
                ),
                "kinesis_streams" => {
                    self.plain_stream(&given, key, "kinesis", "stream", "kinesis:PutRecords")
                }
                _ => {
                    self.named_group(value);
                    lines.push("    auto_create_group true".into());
                }
            }
            value.to_string()
        };
        lines.push(format!("    {key} {written}"));
        if item.get("region").is_none() {
            lines.push("    region ${AWS_REGION}".into());
        }
        for (option, span, v) in item.as_map().map_or(&[][..], |m| &m.entries) {
            if option == key {
                continue;
            }
            if !DESTINATION_OPTIONS.contains(&option.as_str()) {
                // ComposeX accepts any key here and passes on only these: a warning, not silence.
                diags.push(
                    Diagnostic::warning(FIRELENS, format!("{path}.ComposeXManagedAwsDestinations: `{option}` is not an option of the output and is not passed on"), *span)
                        .with_help(format!("options passed on: {}; write other settings (a [FILTER] with a Parser ...) in SourceFile", DESTINATION_OPTIONS.join(", "))),
                );
                continue;
            }
            let Some(v) = v.scalar_text() else { continue };
            if option == "role_arn" {
                self.assume(v);
            }
            lines.push(format!("    {option} {v}"));
        }
        text.push_str(&lines.join("\n"));
        text.push_str("\n\n");
    }

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
            "LogConfiguration": {
                "LogDriver": "awslogs",
                "Options": {
                    "awslogs-group": ref_(LOG_GROUP),
                    "awslogs-region": ref_("AWS::Region"),
                    "awslogs-stream-prefix": CONTAINER,
                },
            },
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

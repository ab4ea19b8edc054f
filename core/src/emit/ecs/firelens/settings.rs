//! How a service's logging settings become the router's outputs: `logging.driver: awsfirelens`
//! options, `x-logging.FireLens` shorthands and its advanced extra configuration, with the log
//! groups and streams they write to and the task role statements that allows.

use serde_json::{json, Map, Value};

use super::super::container::{container_name, LOG_GROUP};
use super::super::logging::log_configuration;
use super::{destination_variable, FireLens, DESTINATION_OPTIONS, FIRELENS};
use crate::cfn::{get_att, ref_, sub};
use crate::compose::model::Service;
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::Node;

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
    pub(super) fn service_options(
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
    pub(super) fn replaced_awslogs(&mut self, service: &Service, container: &str) -> Value {
        let awslogs = log_configuration(service, container, &mut Vec::new());
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
    pub(super) fn firelens_configuration(&mut self, node: &Node, diags: &mut Vec<Diagnostic>) {
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
    pub(super) fn advanced(
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
}

//! ComposeX top-level `x-*` keys: module names, each resource's common keys, and `Services`
//! entries that must name a service or a task family.

use super::codes;
use crate::compose::model::Project;
use crate::diagnostic::Diagnostic;
use crate::suggest::did_you_mean;
use crate::yaml::{Node, Value};

/// How a module's top-level value is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// A mapping of named resources, each with the given keys.
    Resources(&'static [&'static str]),
    /// One settings object with the given keys (`x-vpc`, `x-cluster`).
    Single(&'static [&'static str]),
    /// Free-form (`x-tags`, `x-aws-cluster`).
    Free,
}

/// Keys every ComposeX resource may have (x-resources.common.spec.json).
const COMMON: &[&str] = &[
    "Properties",
    "MacroParameters",
    "Settings",
    "Services",
    "Lookup",
];

macro_rules! resource_keys {
    ($($extra:literal),*) => {
        &["Properties", "MacroParameters", "Settings", "Services", "Lookup" $(, $extra)*]
    };
}

/// Every top-level module ComposeX 1.1.9 loads, and how its value is laid out.
const MODULES: &[(&str, Layout)] = &[
    ("x-vpc", Layout::Single(&["Properties", "Lookup"])),
    (
        "x-cluster",
        Layout::Single(&["Properties", "Lookup", "MacroParameters"]),
    ),
    ("x-aws-cluster", Layout::Free),
    ("x-tags", Layout::Free),
    ("x-sqs", Layout::Resources(COMMON)),
    ("x-sns", Layout::Resources(COMMON)),
    ("x-dynamodb", Layout::Resources(resource_keys!("Scaling"))),
    ("x-s3", Layout::Resources(resource_keys!("Use"))),
    ("x-kms", Layout::Resources(COMMON)),
    ("x-kinesis", Layout::Resources(COMMON)),
    ("x-kinesis_firehose", Layout::Resources(COMMON)),
    ("x-ssm_parameter", Layout::Resources(resource_keys!("Use"))),
    ("x-rds", Layout::Resources(COMMON)),
    (
        "x-docdb",
        Layout::Resources(resource_keys!("SecretsMappings")),
    ),
    ("x-neptune", Layout::Resources(COMMON)),
    ("x-elasticache", Layout::Resources(COMMON)),
    ("x-opensearch", Layout::Resources(resource_keys!("Use"))),
    ("x-efs", Layout::Resources(COMMON)),
    (
        "x-elbv2",
        Layout::Resources(resource_keys!("Listeners", "TargetGroups", "DnsAliases")),
    ),
    ("x-acm", Layout::Resources(resource_keys!("Use"))),
    (
        "x-route53",
        Layout::Resources(&["ZoneName", "Name", "Lookup"]),
    ),
    (
        "x-cloudmap",
        Layout::Resources(&[
            "ZoneName",
            "Name",
            "Properties",
            "MacroParameters",
            "Lookup",
        ]),
    ),
    ("x-cognito_userpool", Layout::Resources(&["Lookup"])),
    (
        "x-wafv2_webacl",
        Layout::Resources(resource_keys!("LoadBalancers")),
    ),
    ("x-alarms", Layout::Resources(resource_keys!("Topics"))),
    ("x-events", Layout::Resources(COMMON)),
    (
        "x-dashboards",
        Layout::Resources(&["Type", "Settings", "Services", "Resources"]),
    ),
    ("x-aps", Layout::Resources(COMMON)),
    ("x-codeguru_profiler", Layout::Resources(COMMON)),
];

/// A known ComposeX key that composex cannot render yet: an error at the key, never a silent drop.
pub const NOT_SUPPORTED_YET: &str = "CX374";

/// Top-level modules composex does not implement yet, and what each would have created.
const NOT_YET: &[(&str, &str)] = &[
    ("x-kinesis", "Kinesis data streams"),
    (
        "x-kinesis_firehose",
        "Kinesis Data Firehose delivery streams",
    ),
    ("x-ssm_parameter", "SSM parameters"),
    ("x-neptune", "Neptune clusters"),
    ("x-elasticache", "ElastiCache clusters"),
    ("x-opensearch", "OpenSearch domains"),
    ("x-efs", "EFS file systems"),
    ("x-cognito_userpool", "Cognito user pool links"),
    ("x-wafv2_webacl", "WAFv2 web ACLs"),
    ("x-dashboards", "CloudWatch dashboards"),
    ("x-aps", "Amazon Managed Prometheus workspaces"),
    ("x-codeguru_profiler", "CodeGuru profiling groups"),
];

/// Service extensions composex does not implement yet, and what each would have changed.
const SERVICE_NOT_YET: &[(&str, &str)] = &[
    (
        "x-prometheus",
        "the Prometheus / Container Insights sidecar",
    ),
    ("x-monitoring", "the CloudWatch agent sidecar"),
    ("x-ecr", "ECR image scanning and digest pinning"),
    ("x-docker_opts", "image digest pinning"),
    ("x-environment", "the ComposeX environment variables"),
    ("x-codeguru_profiler", "the CodeGuru profiler link"),
];

/// The error for known key `key` (at `span`) that composex cannot render yet.
fn not_supported(path: &str, key: &str, what: &str, span: crate::diagnostic::Span) -> Diagnostic {
    Diagnostic::error(
        NOT_SUPPORTED_YET,
        format!("{path}{key} is not supported yet"),
        span,
    )
    .with_help(format!(
        "composex does not handle {what} yet: remove `{key}` to render the rest, and manage that part outside this project"
    ))
}

/// Per-service `x-*` keys ComposeX reads (including the Docker ECS plugin's `x-aws-*`).
pub const SERVICE_EXTENSIONS: &[&str] = &[
    "x-network",
    "x-scaling",
    "x-iam",
    "x-logging",
    "x-ecs",
    "x-xray",
    "x-ray",
    "x-prometheus",
    "x-monitoring",
    "x-alarms",
    "x-ecr",
    "x-docker_opts",
    "x-environment",
    "x-codeguru_profiler",
    "x-aws-role",
    "x-aws-policies",
    "x-aws-pull_credentials",
    "x-aws-logs_retention",
    "x-aws-min_percent",
    "x-aws-max_percent",
];

/// The names of the top-level modules (for suggestions and docs).
pub fn module_names() -> impl Iterator<Item = &'static str> {
    MODULES.iter().map(|(m, _)| *m)
}

/// Checks every top-level `x-*` key and every service's `x-*` keys.
pub fn check(tree: &Node, project: &Project, out: &mut Vec<Diagnostic>) {
    let Some(top) = tree.as_map() else { return };
    for (key, key_span, value) in &top.entries {
        if !key.starts_with("x-") {
            continue;
        }
        if let Some((_, what)) = NOT_YET.iter().find(|(m, _)| m == key) {
            out.push(not_supported("", key, what, *key_span));
            continue;
        }
        match MODULES.iter().find(|(m, _)| m == key) {
            Some((_, layout)) => module(key, value, *layout, project, out),
            None => {
                let mut d = Diagnostic::warning(
                    codes::UNKNOWN_X_MODULE,
                    format!("`{key}` is not a ComposeX module: it is ignored"),
                    *key_span,
                );
                d = match did_you_mean(key, module_names()) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help("fine for a YAML anchor holder (`x-common: &common`); otherwise check the name"),
                };
                out.push(d);
            }
        }
    }
    let volumes = tree
        .get("volumes")
        .and_then(Node::as_map)
        .map_or(&[][..], |m| &m.entries[..]);
    for (volume, _, node) in volumes {
        if let Some(span) = node.as_map().and_then(|m| m.key_span("x-efs")) {
            let path = format!("volumes.{volume}.");
            out.push(not_supported(&path, "x-efs", "EFS file systems", span));
        }
    }
    let services = tree
        .get("services")
        .and_then(Node::as_map)
        .map_or(&[][..], |m| &m.entries[..]);
    for (service, _, node) in services {
        let Some(map) = node.as_map() else { continue };
        for (key, key_span, _) in &map.entries {
            if let Some((_, what)) = SERVICE_NOT_YET.iter().find(|(k, _)| k == key) {
                let path = format!("services.{service}.");
                out.push(not_supported(&path, key, what, *key_span));
                continue;
            }
            if key.starts_with("x-") && !SERVICE_EXTENSIONS.contains(&key.as_str()) {
                let mut d = Diagnostic::warning(
                    codes::UNKNOWN_SERVICE_EXTENSION,
                    format!("services.{service}: `{key}` is not a ComposeX service extension: it is ignored"),
                    *key_span,
                );
                if let Some(s) = did_you_mean(key, SERVICE_EXTENSIONS.iter().copied()) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                out.push(d);
            }
        }
    }
}

fn module(key: &str, value: &Node, layout: Layout, project: &Project, out: &mut Vec<Diagnostic>) {
    if value.is_null() || layout == Layout::Free {
        return;
    }
    let Some(map) = value.as_map() else {
        out.push(Diagnostic::error(
            codes::X_WRONG_KIND,
            format!("{key} must be a mapping, found a {}", value.kind_name()),
            value.span,
        ));
        return;
    };
    match layout {
        Layout::Free => {}
        Layout::Single(keys) => {
            known_keys(key, map, keys, out);
            if key == "x-vpc" {
                vpc(map, out);
            }
        }
        Layout::Resources(keys) => {
            for (name, _, resource) in &map.entries {
                let path = format!("{key}.{name}");
                if name == "DeletionPolicy" && resource.as_scalar().is_some() {
                    continue; // module-wide deletion policy
                }
                if resource.is_null() {
                    continue;
                }
                let Some(res) = resource.as_map() else {
                    out.push(
                        Diagnostic::error(
                            codes::X_WRONG_KIND,
                            format!(
                                "{path} must be a mapping (the resource definition), found a {}",
                                resource.kind_name()
                            ),
                            resource.span,
                        )
                        .with_help(format!(
                            "{key} holds named resources: `{key}: {{<name>: {{Properties: ...}}}}`"
                        )),
                    );
                    continue;
                };
                known_keys(&path, res, keys, out);
                for (field, _, v) in &res.entries {
                    let must_be_map = matches!(
                        field.as_str(),
                        "Properties" | "Settings" | "MacroParameters"
                    );
                    if must_be_map && !v.is_null() && v.as_map().is_none() {
                        out.push(Diagnostic::error(
                            codes::X_WRONG_KIND,
                            format!(
                                "{path}.{field} must be a mapping, found a {}",
                                v.kind_name()
                            ),
                            v.span,
                        ));
                    }
                }
                if COMMON_LOOKUP_MODULES.contains(&key) {
                    if let Some(lookup) = res.get("Lookup").filter(|l| !l.is_null()) {
                        match lookup.as_map() {
                            Some(m) => known_keys(&format!("{path}.Lookup"), m, LOOKUP_KEYS, out),
                            None => out.push(
                                Diagnostic::error(
                                    codes::X_WRONG_KIND,
                                    format!("{path}.Lookup must be a mapping, found a {}", lookup.kind_name()),
                                    lookup.span,
                                )
                                .with_help("e.g. `Lookup: {Tags: [{Name: my-queue}]}` or `Lookup: {Arn: arn:aws:...}`"),
                            ),
                        }
                    }
                }
                if let Some(services) = res.get("Services") {
                    services_entries(key, &path, services, project, out);
                }
            }
        }
    }
}

/// Modules whose resources use the common `Lookup` (x-rds, x-docdb, x-elbv2, x-route53 and
/// x-cloudmap have their own shapes).
const COMMON_LOOKUP_MODULES: &[&str] = &[
    "x-sqs",
    "x-sns",
    "x-dynamodb",
    "x-s3",
    "x-kms",
    "x-kinesis",
    "x-kinesis_firehose",
    "x-ssm_parameter",
    "x-neptune",
    "x-elasticache",
    "x-opensearch",
    "x-acm",
    "x-cognito_userpool",
    "x-wafv2_webacl",
    "x-aps",
    "x-codeguru_profiler",
];

/// The keys of a common `Lookup` (one looked-up resource).
const LOOKUP_KEYS: &[&str] = &["Tags", "Arn", "Identifier", "RoleArn", "Region"];

/// `x-vpc` either creates a VPC (`Properties`) or looks one up (`Lookup`), and each looked-up
/// part (`VpcId`, `AppSubnets`, ...) is a common lookup.
fn vpc(map: &crate::yaml::Map, out: &mut Vec<Diagnostic>) {
    if let (Some(props), Some(lookup)) = (map.key_span("Properties"), map.key_span("Lookup")) {
        out.push(
            Diagnostic::error(
                codes::X_CONFLICTING_KEYS,
                "x-vpc: `Properties` (create a VPC) and `Lookup` (use an existing one) exclude each other",
                lookup,
            )
            .with_label(props, "creation settings here")
            .with_help("keep `Lookup` to deploy into an existing VPC, or `Properties` to create one"),
        );
    }
    let Some(lookup) = map.get("Lookup").and_then(Node::as_map) else {
        return;
    };
    for (part, _, value) in &lookup.entries {
        if let Some(m) = value.as_map() {
            known_keys(&format!("x-vpc.Lookup.{part}"), m, LOOKUP_KEYS, out);
        }
    }
}

fn known_keys(path: &str, map: &crate::yaml::Map, keys: &[&str], out: &mut Vec<Diagnostic>) {
    for (field, span, _) in &map.entries {
        if keys.contains(&field.as_str()) || field.starts_with("x-") {
            continue;
        }
        let mut d = Diagnostic::error(
            codes::X_UNKNOWN_KEY,
            format!("{path}: unknown key `{field}`"),
            *span,
        );
        d = match did_you_mean(field, keys.iter().copied()) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!("allowed keys: {}", keys.join(", "))),
        };
        out.push(d);
    }
}

fn services_entries(
    module: &str,
    path: &str,
    services: &Node,
    project: &Project,
    out: &mut Vec<Diagnostic>,
) {
    match &services.value {
        Value::Seq(items) => {
            if items.is_empty() {
                return; // `Services: []` links nothing; harmless
            }
            out.push(legacy_list(path, services, items));
        }
        Value::Map(map) => {
            let families = project.families();
            let mut targets: Vec<&str> = project.services.keys().map(String::as_str).collect();
            for f in families.keys() {
                if !targets.contains(&f.as_str()) {
                    targets.push(f);
                }
            }
            for (name, span, _) in &map.entries {
                // x-elbv2 targets are `family:container[:port]`.
                let mut parts = name.split(':');
                let first = parts.next().unwrap_or("");
                let container = if module == "x-elbv2" {
                    parts.next()
                } else {
                    None
                };
                let unknown_first = !targets.contains(&first);
                let unknown_container =
                    container.is_some_and(|c| !project.services.contains_key(c));
                if unknown_first {
                    let mut d = Diagnostic::error(
                        codes::X_UNKNOWN_SERVICE,
                        format!(
                            "{path}.Services: `{first}` is neither a service nor a task family"
                        ),
                        *span,
                    );
                    d = match did_you_mean(first, targets.iter().copied()) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => {
                            d.with_help(format!("services and families: {}", targets.join(", ")))
                        }
                    };
                    out.push(d);
                } else if unknown_container {
                    let c = container.unwrap_or("");
                    let mut d = Diagnostic::error(
                        codes::X_UNKNOWN_SERVICE,
                        format!("{path}.Services: `{c}` in `{name}` is not a service"),
                        *span,
                    )
                    .with_help("x-elbv2 targets are written `family:service[:port]`");
                    if let Some(s) = did_you_mean(c, project.services.keys().map(String::as_str)) {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    }
                    out.push(d);
                }
            }
        }
        Value::Scalar(s) if s.is_null() => {}
        Value::Scalar(_) => out.push(Diagnostic::error(
            codes::X_WRONG_KIND,
            format!(
                "{path}.Services must be a mapping of service or family names, found a {}",
                services.kind_name()
            ),
            services.span,
        )),
    }
}

/// The legacy `Services: [{name: app01, access: RW}]` form, with the map form built from it.
fn legacy_list(path: &str, services: &Node, items: &[Node]) -> Diagnostic {
    let mut example = String::from("Services:\n");
    for item in items {
        let Some(map) = item.as_map() else { continue };
        let name = map
            .get("name")
            .and_then(Node::as_str)
            .unwrap_or("<service>");
        example.push_str(&format!("  {name}:\n"));
        let mut wrote = false;
        for (k, _, v) in &map.entries {
            if k == "name" {
                continue;
            }
            let key = match k.as_str() {
                "access" => "Access".to_string(),
                "scaling" => "Scaling".to_string(),
                "returnvalues" | "return_values" => "ReturnValues".to_string(),
                other => other.to_string(),
            };
            match v.as_str() {
                Some(text) => example.push_str(&format!("    {key}: {text}\n")),
                None => example.push_str(&format!("    {key}: ...\n")),
            }
            wrote = true;
        }
        if !wrote {
            example.push_str("    Access: ...\n");
        }
    }
    Diagnostic::error(
        codes::X_LEGACY_SERVICES_LIST,
        format!("{path}.Services: the list form was removed in ComposeX 1.0; use a mapping"),
        services.span,
    )
    .with_help(format!(
        "write it as a mapping keyed by service or family name:\n{example}"
    ))
}

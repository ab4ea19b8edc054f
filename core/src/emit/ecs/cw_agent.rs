//! `x-monitoring` and `x-prometheus` on a service: the family's task gets the CloudWatch agent as
//! a sidecar, as ECS ComposeX adds it. `x-monitoring.CWAgentCollectEmf` makes the agent receive
//! embedded metric format (EMF) logs on `127.0.0.1:25888` (the app containers get
//! `AWS_EMF_AGENT_ENDPOINT`); `x-prometheus.ContainersInsights` makes it discover the family's
//! Prometheus exporters through the ECS API and ship their metrics to CloudWatch Container
//! Insights (JMX, NGINX, custom rules, a scrape configuration of its own).
//!
//! The agent's configuration and the Prometheus scrape configuration are SSM parameters of the
//! family stack, given to the agent as ECS `Secrets` (`CW_CONFIG_CONTENT`,
//! `PROMETHEUS_CONFIG_CONTENT`): what the agent's image reads. This file reads the keys; the
//! configurations, parameters and IAM are in `cw_agent_config.rs`,
//! `x-prometheus` is read in `cw_agent_prometheus.rs`.

use serde_json::{json, Value};

use super::container::Container;
use super::cw_agent_prometheus::read_prometheus;
use crate::compose::model::Service;
use crate::compose::{module_files, Project};
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::Node;

/// `x-prometheus` is malformed, or a setting of it is not applied.
pub const PROMETHEUS: &str = "CX662";
/// `x-monitoring` is malformed, or a setting of it is not applied.
pub const MONITORING: &str = "CX663";
/// The Prometheus scrape configuration cannot be used (file not given or not a scrape
/// configuration, bad interval or timeout, too large for an SSM parameter).
pub const SCRAPE_CONFIG: &str = "CX664";

/// The agent image unless `OverrideImage` names another (AWS's public ECR repository).
pub const DEFAULT_IMAGE: &str = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest";
/// The sidecar's container name (ComposeX's).
pub const CONTAINER: &str = "cloudwatch-agent";
/// CPU units reserved for the agent (counted in the Fargate task size).
pub const CPU: u32 = 128;
/// Memory reservation of the agent, in MiB (ComposeX's limit).
pub const MEMORY: u32 = 256;
/// The port the agent receives EMF on (TCP and UDP).
pub const EMF_PORT: u16 = 25888;
/// The env var the EMF libraries read to find the agent.
pub const EMF_ENDPOINT_VAR: &str = "AWS_EMF_AGENT_ENDPOINT";

/// The CloudWatch agent sidecar of a family.
#[derive(Debug, Clone, PartialEq)]
pub struct CwAgent {
    /// The agent image.
    pub image: String,
    /// The agent receives EMF logs.
    pub emf: bool,
    /// `EnableCWAgentDebug`.
    pub debug: bool,
    /// Prometheus scraping, when asked for.
    pub prometheus: Option<Prometheus>,
}

/// What `x-prometheus.ContainersInsights` asks the agent to scrape.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Prometheus {
    /// `CollectForJavaJmx`.
    pub jmx: Option<Exporter>,
    /// `CollectForNginx`.
    pub nginx: Option<Exporter>,
    /// `CustomRules`, of every service of the family.
    pub custom: Vec<CustomRule>,
    /// `ScrapingConfiguration`.
    pub scrape: Scrape,
}

/// A well-known exporter's settings (`true` is all defaults).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Exporter {
    /// `ExporterPort`.
    pub port: Option<u32>,
    /// `ExporterPath`.
    pub path: Option<String>,
    /// `source_labels`.
    pub source_labels: Option<Value>,
    /// `label_matcher`.
    pub label_matcher: Option<String>,
}

/// One `CustomRules` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomRule {
    /// `ExporterPort`.
    pub port: u32,
    /// `ExporterPath`.
    pub path: Option<String>,
    /// `EmfProcessors`, as written.
    pub processors: Vec<Value>,
}

/// The Prometheus scrape configuration.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scrape {
    /// `Interval` (Prometheus duration).
    pub interval: Option<String>,
    /// `Timeout`.
    pub timeout: Option<String>,
    /// `ScrapingConfigurationFile`: its path, where it is named, and its text once read.
    pub file: Option<(String, Span, Option<String>)>,
}

/// Reads `x-monitoring` and `x-prometheus` of the family's services: the sidecar, if any. The
/// app containers get `AWS_EMF_AGENT_ENDPOINT` when EMF is collected (their own value wins).
pub fn read(
    services: &[&Service],
    containers: &mut [Container<'_>],
    diags: &mut Vec<Diagnostic>,
) -> Option<CwAgent> {
    let mut emf: Option<Emf> = None;
    for service in services {
        if let Some(node) = service.extension("x-monitoring") {
            let read = read_monitoring(&service.name, node, diags);
            // The first service that asks decides (ComposeX: the first in order).
            if emf.is_none() {
                emf = read;
            }
        }
    }
    let mut prometheus: Option<Prometheus> = None;
    let mut collect_emf = false;
    let mut debug = false;
    for service in services {
        if let Some(node) = service.extension("x-prometheus") {
            let what = format!("services.{}.x-prometheus", service.name);
            if let Some(insights) = read_prometheus(&what, node, diags) {
                collect_emf |= insights.collect_emf;
                debug |= insights.debug;
                if let Some(p) = insights.prometheus {
                    prometheus = Some(merge(prometheus.take(), p));
                }
            }
        }
    }
    // Debug logs alone are no reason for an agent.
    if emf.is_none() && prometheus.is_none() && !collect_emf {
        return None;
    }
    let image = emf
        .as_ref()
        .and_then(|e| e.image.clone())
        .unwrap_or_else(|| DEFAULT_IMAGE.to_string());
    let agent = CwAgent {
        image,
        emf: emf.is_some() || collect_emf,
        debug,
        prometheus,
    };
    if agent.emf {
        for c in containers.iter_mut() {
            add_emf_endpoint(c);
        }
    }
    Some(agent)
}

/// Reads the scrape configuration files the families' agents name (kept by the loader in
/// `project.module_files`); a file not given is an error at its name.
pub fn read_files(project: &Project, agents: Vec<&mut CwAgent>, diags: &mut Vec<Diagnostic>) {
    for agent in agents {
        let Some(prometheus) = agent.prometheus.as_mut() else {
            continue;
        };
        let Some((path, span, text)) = prometheus.scrape.file.as_mut() else {
            continue;
        };
        let key = module_files::key(path);
        match project.module_files.get(&key) {
            Some(file) => {
                if check_scrape_file(file.index, &file.text, *span, diags) {
                    *text = Some(file.text.clone());
                }
            }
            None => diags.push(
                Diagnostic::error(
                    crate::compose::files::FILE_NOT_FOUND,
                    format!("x-prometheus: ScrapingConfigurationFile `{key}` not found"),
                    *span,
                )
                .with_help("the path is relative to the directory of the first compose file (ComposeX read it relative to the working directory)"),
            ),
        }
    }
}

/// Checks a scrape configuration file's shape: YAML (else false, after the parser's errors),
/// `scrape_configs` a list of jobs with `job_name`, their `*_sd_configs` and `static_configs`
/// lists. What Prometheus would refuse is a warning at the value in the file.
fn check_scrape_file(index: u32, text: &str, named_at: Span, diags: &mut Vec<Diagnostic>) -> bool {
    let (docs, parse_diags) = crate::yaml::parse(index, text, &crate::yaml::Limits::default());
    let failed = parse_diags.iter().any(Diagnostic::is_error);
    diags.extend(parse_diags);
    if failed {
        return false;
    }
    let warn = |span: Span, message: String| {
        Diagnostic::warning(SCRAPE_CONFIG, message, span)
            .with_help("see https://prometheus.io/docs/prometheus/latest/configuration/configuration/#scrape_config")
    };
    let Some(jobs) = docs.first().and_then(|d| d.get("scrape_configs")) else {
        diags.push(warn(
            named_at,
            "the scrape configuration file has no `scrape_configs`: the agent scrapes nothing"
                .into(),
        ));
        return true;
    };
    let Some(jobs) = jobs.as_seq() else {
        diags.push(warn(
            jobs.span,
            "`scrape_configs` must be a list of jobs".into(),
        ));
        return true;
    };
    for job in jobs {
        let Some(map) = job.as_map() else {
            diags.push(warn(job.span, "a scrape job must be a mapping".into()));
            continue;
        };
        if job.get("job_name").and_then(Node::as_str).is_none() {
            diags.push(warn(job.span, "a scrape job needs `job_name`".into()));
        }
        for (key, _, value) in &map.entries {
            let listed = key.ends_with("_sd_configs") || key == "static_configs";
            if listed && value.as_seq().is_none() {
                diags.push(warn(
                    value.span,
                    format!("`{key}` must be a list (write `- ` before its first key); Prometheus refuses this file"),
                ));
            }
        }
    }
    true
}

fn add_emf_endpoint(c: &mut Container<'_>) {
    let env = c
        .definition
        .entry("Environment")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(vars) = env {
        if !vars.iter().any(|v| v["Name"] == EMF_ENDPOINT_VAR) {
            // awsvpc: the task's containers share 127.0.0.1.
            vars.push(
                json!({ "Name": EMF_ENDPOINT_VAR, "Value": format!("tcp://127.0.0.1:{EMF_PORT}") }),
            );
        }
    }
}

/// Later services' settings add to the earlier ones' (custom rules of all are kept).
fn merge(earlier: Option<Prometheus>, later: Prometheus) -> Prometheus {
    let Some(mut out) = earlier else {
        return later;
    };
    out.jmx = later.jmx.or(out.jmx);
    out.nginx = later.nginx.or(out.nginx);
    out.custom.extend(later.custom);
    if later.scrape != Scrape::default() {
        out.scrape = later.scrape;
    }
    out
}

/// What `CWAgentCollectEmf` asks for: the image (None: the default).
struct Emf {
    image: Option<String>,
}

const MONITORING_HELP: &str =
    "x-monitoring takes CWAgentCollectEmf: true or {UseLatest: true} or {OverrideImage: <image>}";

fn monitoring_error(span: Span, message: String) -> Diagnostic {
    Diagnostic::error(MONITORING, message, span).with_help(MONITORING_HELP)
}

fn read_monitoring(service: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Emf> {
    let what = format!("services.{service}.x-monitoring");
    let Some(map) = node.as_map() else {
        diags.push(monitoring_error(
            node.span,
            format!("{what} must be a mapping, not a {}", node.kind_name()),
        ));
        return None;
    };
    let mut found = None;
    for (key, key_span, value) in &map.entries {
        match key.as_str() {
            "CWAgentCollectEmf" => found = emf_settings(&format!("{what}.{key}"), value, diags),
            "CollectEmf" => {
                let Some(ways) = value.as_map() else {
                    diags.push(monitoring_error(
                        value.span,
                        format!("{what}.CollectEmf must be a mapping"),
                    ));
                    continue;
                };
                for (way, way_span, settings) in &ways.entries {
                    match way.as_str() {
                        "CloudwatchAgent" => {
                            found = emf_settings(&format!("{what}.CollectEmf.{way}"), settings, diags)
                        }
                        "FluentBit" | "OTEL" => diags.push(
                            Diagnostic::error(
                                MONITORING,
                                format!("{what}.CollectEmf.{way}: EMF collection by {way} is not supported"),
                                *way_span,
                            )
                            .with_help("use CloudwatchAgent (ECS ComposeX does not implement FluentBit or OTEL either)"),
                        ),
                        _ => diags.push(monitoring_error(
                            *way_span,
                            format!("{what}.CollectEmf: unknown key `{way}`"),
                        )),
                    }
                }
            }
            _ => diags.push(monitoring_error(
                *key_span,
                format!("{what}: unknown key `{key}`"),
            )),
        }
    }
    found
}

/// `true` / `false` / `{UseLatest, InterpolateWithDigest, OverrideImage}`.
fn emf_settings(what: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Emf> {
    if let Some(flag) = node.boolean() {
        return flag.then_some(Emf { image: None });
    }
    let Some(map) = node.as_map() else {
        diags.push(monitoring_error(
            node.span,
            format!(
                "{what} must be true, false or a mapping, not a {}",
                node.kind_name()
            ),
        ));
        return None;
    };
    let mut image = None;
    let mut chosen = false;
    for (key, key_span, value) in &map.entries {
        match key.as_str() {
            "OverrideImage" => match value.as_str().filter(|s| !s.trim().is_empty()) {
                Some(text) => {
                    image = Some(text.to_string());
                    chosen = true;
                }
                None => diags.push(monitoring_error(
                    value.span,
                    format!("{what}.OverrideImage must be an image name"),
                )),
            },
            "UseLatest" => match value.boolean() {
                Some(b) => chosen |= b,
                None => diags.push(monitoring_error(
                    value.span,
                    format!("{what}.UseLatest must be true or false"),
                )),
            },
            "InterpolateWithDigest" => match value.boolean() {
                Some(true) => diags.push(
                    Diagnostic::warning(
                        MONITORING,
                        format!("{what}.InterpolateWithDigest is not applied: composex makes no registry call to resolve the image digest"),
                        *key_span,
                    )
                    .with_help("pin the digest yourself: OverrideImage: <image>@sha256:<digest>"),
                ),
                Some(false) => {}
                None => diags.push(monitoring_error(
                    value.span,
                    format!("{what}.InterpolateWithDigest must be true or false"),
                )),
            },
            _ => diags.push(monitoring_error(
                *key_span,
                format!("{what}: unknown key `{key}`"),
            )),
        }
    }
    if !chosen {
        diags.push(monitoring_error(
            node.span,
            format!("{what} needs UseLatest: true or OverrideImage"),
        ));
        return None;
    }
    Some(Emf { image })
}

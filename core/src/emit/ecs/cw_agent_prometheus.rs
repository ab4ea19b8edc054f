//! `x-prometheus` read: `ContainersInsights` (EMF, JMX and NGINX exporters, custom rules) and
//! the agent's own scrape configuration, checked as ComposeX's agent reads them (`cw_agent.rs`
//! reads the other keys and holds the types).

use serde_json::Value;

use super::cw_agent::{CustomRule, Exporter, Prometheus, Scrape, PROMETHEUS, SCRAPE_CONFIG};
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::{to_json, Node};

/// `ContainersInsights` as read.
pub(super) struct Insights {
    pub(super) collect_emf: bool,
    pub(super) debug: bool,
    pub(super) prometheus: Option<Prometheus>,
}

fn prometheus_error(span: Span, message: String) -> Diagnostic {
    Diagnostic::error(PROMETHEUS, message, span)
}

pub(super) fn read_prometheus(
    what: &str,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<Insights> {
    let Some(map) = node.as_map() else {
        diags.push(prometheus_error(
            node.span,
            format!("{what} must be a mapping, not a {}", node.kind_name()),
        ));
        return None;
    };
    let mut insights = None;
    for (key, key_span, value) in &map.entries {
        if key == "ContainersInsights" {
            insights = read_insights(&format!("{what}.{key}"), value, diags);
        } else {
            diags.push(
                prometheus_error(*key_span, format!("{what}: unknown key `{key}`"))
                    .with_help("x-prometheus takes ContainersInsights"),
            );
        }
    }
    insights
}

fn flag(what: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> bool {
    node.boolean().unwrap_or_else(|| {
        diags.push(prometheus_error(
            node.span,
            format!("{what} must be true or false"),
        ));
        false
    })
}

fn read_insights(what: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Insights> {
    let Some(map) = node.as_map() else {
        diags.push(prometheus_error(
            node.span,
            format!("{what} must be a mapping, not a {}", node.kind_name()),
        ));
        return None;
    };
    let mut out = Insights {
        collect_emf: false,
        debug: false,
        prometheus: None,
    };
    let mut p = Prometheus::default();
    let mut scraping = false;
    for (key, key_span, value) in &map.entries {
        let at = format!("{what}.{key}");
        match key.as_str() {
            "CollectEmf" => out.collect_emf = flag(&at, value, diags),
            "EnableCWAgentDebug" => out.debug = flag(&at, value, diags),
            "CollectForJavaJmx" => p.jmx = exporter(&at, value, diags),
            "CollectForNginx" => p.nginx = exporter(&at, value, diags),
            "CustomRules" => p.custom = custom_rules(&at, value, diags),
            "ScrapingConfiguration" => {
                if let Some(scrape) = scrape(&at, value, diags) {
                    p.scrape = scrape;
                    scraping = true;
                }
            }
            "AutoAddNginxPrometheusExporter" | "CollectForNginxPlus" | "CollectForAppMesh" => {
                if flag(&at, value, diags) {
                    let help = match key.as_str() {
                        "AutoAddNginxPrometheusExporter" => "add the nginx-prometheus-exporter container as a service of the family, and CollectForNginx with its port (9113 by default)",
                        _ => "ECS ComposeX configures nothing for it either; use CustomRules with the exporter's port and metrics",
                    };
                    diags.push(
                        Diagnostic::warning(
                            PROMETHEUS,
                            format!("{at} is not applied"),
                            *key_span,
                        )
                        .with_help(help),
                    );
                }
            }
            _ => diags.push(
                prometheus_error(*key_span, format!("{what}: unknown key `{key}`")).with_help(
                    "keys: CollectEmf, EnableCWAgentDebug, ScrapingConfiguration, CollectForJavaJmx, CollectForNginx, CustomRules",
                ),
            ),
        }
    }
    if p.jmx.is_some() || p.nginx.is_some() || !p.custom.is_empty() || scraping {
        out.prometheus = Some(p);
    }
    if out.prometheus.is_none() && !out.collect_emf {
        diags.push(
            Diagnostic::warning(
                PROMETHEUS,
                format!("{what} asks for nothing to collect: no CloudWatch agent is added for it"),
                node.span,
            )
            .with_help("set CollectForJavaJmx, CollectForNginx, CustomRules, ScrapingConfiguration or CollectEmf"),
        );
    }
    Some(out)
}

/// `true` (defaults), `false` (none) or `{ExporterPort, ExporterPath, source_labels, label_matcher}`.
fn exporter(what: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Exporter> {
    if let Some(b) = node.boolean() {
        return b.then(Exporter::default);
    }
    let Some(map) = node.as_map() else {
        diags.push(prometheus_error(
            node.span,
            format!("{what} must be true, false or a mapping"),
        ));
        return None;
    };
    let mut out = Exporter::default();
    for (key, key_span, value) in &map.entries {
        match key.as_str() {
            "ExporterPort" => out.port = port(&format!("{what}.{key}"), value, diags),
            "ExporterPath" => out.path = path(&format!("{what}.{key}"), value, diags),
            "source_labels" => out.source_labels = strings(&format!("{what}.{key}"), value, diags),
            "label_matcher" => match value.as_str() {
                Some(s) => out.label_matcher = Some(s.to_string()),
                None => diags.push(prometheus_error(
                    value.span,
                    format!("{what}.label_matcher must be a regular expression"),
                )),
            },
            _ => diags.push(
                prometheus_error(*key_span, format!("{what}: unknown key `{key}`"))
                    .with_help("keys: ExporterPort, ExporterPath, source_labels, label_matcher"),
            ),
        }
    }
    Some(out)
}

fn port(what: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<u32> {
    match node.integer().filter(|p| (1..=65535).contains(p)) {
        Some(p) => u32::try_from(p).ok(),
        None => {
            diags.push(prometheus_error(
                node.span,
                format!("{what} must be a port number (1-65535)"),
            ));
            None
        }
    }
}

fn path(what: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<String> {
    match node
        .as_str()
        .filter(|p| p.len() > 1 && p.starts_with('/') && p.is_ascii())
    {
        Some(p) => Some(p.to_string()),
        None => {
            diags.push(prometheus_error(
                node.span,
                format!("{what} must be an HTTP path such as /metrics"),
            ));
            None
        }
    }
}

/// A list of strings, as JSON.
fn strings(what: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    let ok = node
        .as_seq()
        .is_some_and(|items| items.iter().all(|i| i.as_str().is_some()));
    if !ok {
        diags.push(prometheus_error(
            node.span,
            format!("{what} must be a list of strings"),
        ));
        return None;
    }
    Some(to_json(node))
}

/// The keys an EMF processor (a CloudWatch agent `metric_declaration`) needs.
const PROCESSOR_KEYS: &[&str] = &[
    "source_labels",
    "label_matcher",
    "dimensions",
    "metric_selectors",
];

fn custom_rules(what: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Vec<CustomRule> {
    let Some(items) = node.as_seq() else {
        diags.push(prometheus_error(
            node.span,
            format!("{what} must be a list of rules"),
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{what}[{i}]");
        let Some(map) = item.as_map() else {
            diags.push(prometheus_error(
                item.span,
                format!("{at} must be a mapping"),
            ));
            continue;
        };
        let mut rule = CustomRule {
            port: 0,
            path: None,
            processors: Vec::new(),
        };
        let mut ok = true;
        for (key, key_span, value) in &map.entries {
            match key.as_str() {
                "ExporterPort" => match port(&format!("{at}.{key}"), value, diags) {
                    Some(p) => rule.port = p,
                    None => ok = false,
                },
                "ExporterPath" => rule.path = path(&format!("{at}.{key}"), value, diags),
                "EmfProcessors" => match processors(&format!("{at}.{key}"), value, diags) {
                    Some(p) => rule.processors = p,
                    None => ok = false,
                },
                _ => diags.push(
                    prometheus_error(*key_span, format!("{at}: unknown key `{key}`"))
                        .with_help("keys: ExporterPort, ExporterPath, EmfProcessors"),
                ),
            }
        }
        for needed in ["ExporterPort", "EmfProcessors"] {
            if map.get(needed).is_none() {
                diags.push(prometheus_error(item.span, format!("{at} needs {needed}")));
                ok = false;
            }
        }
        if ok {
            out.push(rule);
        }
    }
    out
}

fn processors(what: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Vec<Value>> {
    let Some(items) = node.as_seq() else {
        diags.push(prometheus_error(
            node.span,
            format!("{what} must be a list"),
        ));
        return None;
    };
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let missing: Vec<&str> = PROCESSOR_KEYS
            .iter()
            .copied()
            .filter(|k| item.get(k).is_none())
            .collect();
        if item.as_map().is_none() || !missing.is_empty() {
            diags.push(
                prometheus_error(
                    item.span,
                    format!("{what}[{i}] needs {}", missing.join(", ")),
                )
                .with_help("an EMF processor has source_labels, label_matcher, dimensions and metric_selectors"),
            );
            ok = false;
        }
    }
    ok.then(|| items.iter().map(to_json).collect())
}

fn scrape(what: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Scrape> {
    let Some(map) = node.as_map() else {
        diags.push(prometheus_error(
            node.span,
            format!("{what} must be a mapping"),
        ));
        return None;
    };
    let mut out = Scrape::default();
    for (key, key_span, value) in &map.entries {
        match key.as_str() {
            "Interval" | "Timeout" => {
                let text = value.as_str().filter(|t| duration_ms(t).is_some());
                let Some(text) = text else {
                    diags.push(
                        Diagnostic::error(
                            SCRAPE_CONFIG,
                            format!("{what}.{key} must be a Prometheus duration"),
                            value.span,
                        )
                        .with_help("e.g. 30s, 1m, 1m30s"),
                    );
                    continue;
                };
                if key == "Interval" {
                    out.interval = Some(text.to_string());
                } else {
                    out.timeout = Some(text.to_string());
                }
            }
            "ScrapingConfigurationFile" => match value.as_str().filter(|p| !p.is_empty()) {
                Some(p) => out.file = Some((p.to_string(), value.span, None)),
                None => diags.push(Diagnostic::error(
                    SCRAPE_CONFIG,
                    format!("{what}.{key} must be a file path"),
                    value.span,
                )),
            },
            _ => diags.push(
                prometheus_error(*key_span, format!("{what}: unknown key `{key}`"))
                    .with_help("keys: Interval, Timeout, ScrapingConfigurationFile"),
            ),
        }
    }
    let (interval, timeout) = (
        out.interval.as_deref().and_then(duration_ms),
        out.timeout.as_deref().and_then(duration_ms),
    );
    if let (Some(i), Some(t)) = (interval, timeout) {
        if t > i {
            diags.push(
                Diagnostic::error(
                    SCRAPE_CONFIG,
                    format!("{what}: Timeout is longer than Interval (Prometheus refuses it)"),
                    map.get("Timeout").map_or(node.span, |n| n.span),
                )
                .with_help("make the timeout at most the interval"),
            );
        }
    }
    if out.file.is_some() && (out.interval.is_some() || out.timeout.is_some()) {
        diags.push(
            Diagnostic::warning(
                SCRAPE_CONFIG,
                format!("{what}: Interval and Timeout are not applied when ScrapingConfigurationFile is given"),
                node.span,
            )
            .with_help("set scrape_interval and scrape_timeout under `global:` in the file"),
        );
    }
    Some(out)
}

/// A Prometheus duration (`1y2w3d4h5m6s7ms`, units in that order, or `0`) in milliseconds.
pub fn duration_ms(text: &str) -> Option<u64> {
    if text == "0" {
        return Some(0);
    }
    if text.is_empty() {
        return None;
    }
    const UNITS: &[(&str, u64)] = &[
        ("y", 365 * 86_400_000),
        ("w", 7 * 86_400_000),
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("ms", 1),
        ("m", 60_000),
        ("s", 1000),
    ];
    // Order of the units in a duration: y w d h m s ms.
    const ORDER: &[&str] = &["y", "w", "d", "h", "m", "s", "ms"];
    let mut rest = text;
    let mut total: u64 = 0;
    let mut last: Option<usize> = None;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        if digits == 0 {
            return None;
        }
        let number: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit, factor) = UNITS.iter().find(|(u, _)| rest.starts_with(u))?;
        let position = ORDER.iter().position(|u| u == unit)?;
        if last.is_some_and(|l| l >= position) {
            return None;
        }
        last = Some(position);
        rest = &rest[unit.len()..];
        total = total.checked_add(number.checked_mul(*factor)?)?;
    }
    Some(total)
}

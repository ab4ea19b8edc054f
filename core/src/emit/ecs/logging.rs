//! The family's CloudWatch log group (x-logging RetentionInDays, default 30 days). x-logging
//! FireLens is `firelens.rs`.

use serde_json::json;

use super::container::LOG_GROUP;
use super::family::Plan;
use super::{service_extensions, unknown_keys, X_LOGGING};
use crate::cfn::Resource;
use crate::cfn::{ref_, AWS_REGION};
use crate::compose::model::Service;
use crate::diagnostic::Diagnostic;
use crate::stack::Stack;
use serde_json::{Map, Value};

/// Retention CloudWatch Logs offers, in days.
pub const RETENTION_DAYS: &[i64] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];
/// Retention when x-logging does not say.
pub const DEFAULT_RETENTION: i64 = 30;

const KEYS: &[&str] = &["RetentionInDays", "FireLens"];

/// The family's retention: the longest its services ask for. A value CloudWatch does not offer
/// is raised to the next one it does (a located warning: logs are never kept shorter than asked;
/// ComposeX's own corpus writes 1337); not a number, or above ten years, is an error.
pub fn retention(services: &[&Service], diags: &mut Vec<Diagnostic>) -> i64 {
    let mut days: Option<i64> = None;
    let mut nodes: Vec<(&Service, &crate::yaml::Node)> = Vec::new();
    for (service, node) in service_extensions(services, "x-logging", X_LOGGING, diags) {
        unknown_keys(
            node,
            KEYS,
            &format!("services.{}.x-logging", service.name),
            diags,
        );
        // FireLens is read by the family's firelens plan.
        if let Some(value) = node.get("RetentionInDays") {
            nodes.push((service, value));
        }
    }
    // Docker's ECS plugin key, when x-logging does not say.
    for service in services {
        let set = nodes.iter().any(|(s, _)| s.name == service.name);
        if let Some(value) = service.extension("x-aws-logs_retention").filter(|_| !set) {
            nodes.push((service, value));
        }
    }
    for (_, value) in nodes {
        if let Some(v) = checked_days(value, diags) {
            days = Some(days.map_or(v, |old| old.max(v)));
        }
    }
    days.unwrap_or(DEFAULT_RETENTION)
}

/// True when one of `services` sets its log retention (x-logging or x-aws-logs_retention).
pub fn set_by_service(services: &[&Service]) -> bool {
    services.iter().any(|s| {
        s.extension("x-aws-logs_retention").is_some()
            || s.extension("x-logging")
                .is_some_and(|n| n.get("RetentionInDays").is_some())
    })
}

/// A retention in days CloudWatch Logs offers, from `value`. A value between two it offers is
/// raised to the next one (a warning); not a number, or above ten years, is an error.
pub fn checked_days(value: &crate::yaml::Node, diags: &mut Vec<Diagnostic>) -> Option<i64> {
    let asked = value.integer();
    // Not a retention CloudWatch offers: keep the logs at least as long as asked.
    let next = asked.and_then(|d| RETENTION_DAYS.iter().copied().find(|v| *v >= d));
    match (asked, next) {
        (Some(d), Some(v)) => {
            if v != d {
                diags.push(
                    Diagnostic::warning(
                        X_LOGGING,
                        format!("x-logging.RetentionInDays {d} is not a retention CloudWatch Logs offers; {v} is used"),
                        value.span,
                    )
                    .with_help(valid_values()),
                );
            }
            Some(v)
        }
        _ => {
            diags.push(
                Diagnostic::error(
                    X_LOGGING,
                    "x-logging.RetentionInDays must be a number of days CloudWatch Logs offers (at most 3653)",
                    value.span,
                )
                .with_help(valid_values()),
            );
            None
        }
    }
}

fn valid_values() -> String {
    let days: Vec<String> = RETENTION_DAYS.iter().map(i64::to_string).collect();
    format!("one of {}", days.join(", "))
}

/// `logging.options.awslogs-region` names a region: the log group must exist there.
pub const LOG_REGION: &str = "CX287";

/// Adds the log group the family's containers write to, and one per `awslogs-group` its
/// services name (same retention).
pub fn emit(plan: &Plan<'_>, stack: &mut Stack) {
    stack.add_resource(
        LOG_GROUP,
        Resource::new(
            "AWS::Logs::LogGroup",
            json!({ "RetentionInDays": plan.retention }),
        )
        .with_policies("Delete"),
    );
    for name in named_groups(plan.containers.iter().map(|c| c.service)) {
        stack.add_resource(
            &group_id(&name),
            Resource::new(
                "AWS::Logs::LogGroup",
                json!({ "LogGroupName": name, "RetentionInDays": plan.retention }),
            )
            .with_policies("Delete"),
        );
    }
}

/// The log group names the services give in `logging.options.awslogs-group` (awslogs driver).
pub fn named_groups<'a>(services: impl Iterator<Item = &'a Service>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for service in services {
        if let Some(name) = awslogs_options(service).and_then(|o| o.get("awslogs-group")) {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
}

/// The logical id of the log group named `name`.
pub fn group_id(name: &str) -> String {
    format!("{LOG_GROUP}{}", crate::cfn::logical_id(name))
}

/// The service's `logging.options` when its driver is awslogs (or not said).
fn awslogs_options(service: &Service) -> Option<&indexmap::IndexMap<String, String>> {
    let logging = service.logging.as_ref()?;
    matches!(logging.driver.as_deref(), None | Some("awslogs")).then_some(&logging.options)
}

/// The awslogs configuration for `container`, with the compose `logging.options` ECS accepts:
/// `awslogs-group` (a log group of that name, created by the family stack),
/// `awslogs-stream-prefix`, `awslogs-region` (warned: the group is created in the stack's
/// region) and the options passed as they are. The validator reports the others at their key.
pub fn log_configuration(service: &Service, container: &str, diags: &mut Vec<Diagnostic>) -> Value {
    const PASSED: &[&str] = &[
        "awslogs-datetime-format",
        "awslogs-multiline-pattern",
        "mode",
        "max-buffer-size",
    ];
    let mut options = Map::new();
    options.insert("awslogs-group".into(), ref_(LOG_GROUP));
    options.insert("awslogs-region".into(), ref_(AWS_REGION));
    options.insert("awslogs-stream-prefix".into(), json!(container));
    // Another driver is replaced by awslogs and its options dropped (the validator says so).
    for (key, value) in awslogs_options(service).into_iter().flatten() {
        match key.as_str() {
            "awslogs-group" => {
                options.insert(key.clone(), ref_(&group_id(value)));
            }
            "awslogs-stream-prefix" => {
                options.insert(key.clone(), json!(value));
            }
            "awslogs-region" => {
                options.insert(key.clone(), json!(value));
                let span = service
                    .logging
                    .as_ref()
                    .and_then(|l| l.option_spans.get(key))
                    .copied()
                    .unwrap_or(service.span);
                diags.push(
                    Diagnostic::warning(
                        LOG_REGION,
                        format!("services.{}.logging.options.awslogs-region: logs go to {value}, but the log group is created in the stack's region", service.name),
                        span,
                    )
                    .with_help("deploy the stack in that region, or create the log group there yourself (and name it in awslogs-group), or leave awslogs-region out"),
                );
            }
            k if PASSED.contains(&k) => {
                options.insert(key.clone(), json!(value));
            }
            _ => {}
        }
    }
    json!({ "LogDriver": "awslogs", "Options": options })
}

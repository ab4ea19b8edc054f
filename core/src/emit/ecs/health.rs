//! Health and start order of a family's containers: the ECS health check (compose durations in
//! the ranges ECS accepts), `depends_on` conditions inside the task, and which containers are
//! essential.

use serde_json::{json, Map, Value};

use super::container::{container_name, Container};
use super::{CLAMPED, DEPENDS_ON};
use crate::compose::model::{DependsCondition, Duration, Healthcheck, Service};
use crate::diagnostic::{Diagnostic, Span};

/// `value` moved into `min..=max`, with an info diagnostic when it changed.
pub fn clamp(
    value: u64,
    min: u64,
    max: u64,
    what: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> u64 {
    let clamped = value.clamp(min, max);
    if clamped != value {
        diags.push(Diagnostic::info(
            CLAMPED,
            format!("{what}: {value} s is outside what ECS accepts ({min}..{max} s); {clamped} s is used"),
            span,
        ));
    }
    clamped
}

/// The ECS health check; None when disabled.
pub fn healthcheck(check: &Healthcheck, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    if check.disable || check.test.first().map(String::as_str) == Some("NONE") {
        return None;
    }
    let command: Vec<String> = match check.test.first().map(String::as_str) {
        Some("CMD") | Some("CMD-SHELL") => check.test.clone(),
        Some(_) => {
            let mut c = vec!["CMD-SHELL".to_string()];
            c.push(check.test.join(" "));
            c
        }
        None => return None,
    };
    let mut hc = Map::new();
    hc.insert("Command".into(), json!(command));
    let mut seconds = |d: Option<Duration>, min: u64, max: u64, what: &str| -> Option<u64> {
        d.map(|d| {
            clamp(
                d.as_secs_ceil(),
                min,
                max,
                &format!("healthcheck.{what}"),
                check.span,
                diags,
            )
        })
    };
    if let Some(s) = seconds(check.interval, 5, 300, "interval") {
        hc.insert("Interval".into(), json!(s));
    }
    if let Some(s) = seconds(check.timeout, 2, 60, "timeout") {
        hc.insert("Timeout".into(), json!(s));
    }
    if let Some(s) = seconds(check.start_period, 0, 300, "start_period") {
        hc.insert("StartPeriod".into(), json!(s));
    }
    if let Some(retries) = check.retries {
        let r = retries.clamp(1, 10);
        if r != retries {
            diags.push(Diagnostic::info(
                CLAMPED,
                format!("healthcheck.retries: {retries} is outside what ECS accepts (1..10); {r} is used"),
                check.span,
            ));
        }
        hc.insert("Retries".into(), json!(r));
    }
    Some(Value::Object(hc))
}

/// Start order inside the task; dependencies outside the family are not ECS container deps.
pub fn depends_on(
    service: &Service,
    family: &[&Service],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Value> {
    let mut deps = Vec::new();
    for (name, dep) in &service.depends_on {
        let Some(target) = family.iter().find(|s| &s.name == name) else {
            continue;
        };
        let has_check = target
            .healthcheck
            .as_ref()
            .is_some_and(|h| !h.disable && h.test.first().map(String::as_str) != Some("NONE"));
        let condition = match dep.condition {
            DependsCondition::Started => "START",
            DependsCondition::CompletedSuccessfully => "SUCCESS",
            DependsCondition::Healthy if has_check => "HEALTHY",
            DependsCondition::Healthy => {
                diags.push(
                    Diagnostic::warning(
                        DEPENDS_ON,
                        format!("{name} has no healthcheck, so ECS cannot wait for it to be healthy; START is used"),
                        dep.span,
                    )
                    .with_help(format!("add a `healthcheck:` to {name}")),
                );
                "START"
            }
        };
        deps.push(json!({ "ContainerName": container_name(name), "Condition": condition }));
    }
    deps
}

/// Marks as non-essential the containers others wait on with SUCCESS (ECS requires it), and
/// applies the `ecs.essential` deploy label.
pub fn set_essential(containers: &mut [Container<'_>]) {
    let waited: Vec<String> = containers
        .iter()
        .flat_map(|c| {
            c.definition
                .get("DependsOn")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .filter(|d| d["Condition"] == "SUCCESS")
        .filter_map(|d| d["ContainerName"].as_str().map(str::to_string))
        .collect();
    for c in containers.iter_mut() {
        let label = c
            .service
            .deploy
            .labels
            .get("ecs.essential")
            .map(|v| v.trim().to_ascii_lowercase());
        let essential = match label.as_deref() {
            Some("false") | Some("no") | Some("0") => false,
            _ => !waited.contains(&c.name),
        };
        c.definition.insert("Essential".into(), json!(essential));
    }
}

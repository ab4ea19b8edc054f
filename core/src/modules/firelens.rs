//! FireLens destinations that name our streams: `x-kinesis_firehose::<name>` (a
//! `delivery_stream`) and `x-kinesis::<name>` (a `stream`) in a service's awsfirelens
//! `logging.options` or its `x-logging.FireLens.Advanced.ComposeXManagedAwsDestinations`. Each
//! gives the service's families the one action fluent-bit uses on exactly that stream
//! (`firehose:PutRecordBatch`, `kinesis:PutRecords`) and the stream's name, which the family
//! emitter writes into the log router's settings (`emit::ecs::firelens`).

use serde_json::Value;

use super::common::Ctx;
use super::{LinkPolicy, Statement, BAD_REFERENCE};
use crate::compose::model::Service;
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::Node;

/// The references a service's FireLens settings make: (option key, text, span).
fn references(service: &Service) -> Vec<(&str, &str, Span)> {
    let mut found = Vec::new();
    if let Some(logging) = service
        .logging
        .as_ref()
        .filter(|l| l.driver.as_deref() == Some("awsfirelens"))
    {
        for (key, value) in &logging.options {
            if value.starts_with("x-") {
                let span = logging
                    .option_spans
                    .get(key)
                    .copied()
                    .unwrap_or(service.span);
                found.push((key.as_str(), value.as_str(), span));
            }
        }
    }
    let destinations = service
        .extension("x-logging")
        .and_then(|n| n.get("FireLens"))
        .and_then(|n| n.get("Advanced"))
        .and_then(|n| n.get("ComposeXManagedAwsDestinations"))
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    for item in destinations {
        for key in ["delivery_stream", "stream"] {
            if let Some(value) = item.get(key) {
                if let Some(text) = value.as_str().filter(|t| t.starts_with("x-")) {
                    found.push((key, text, value.span));
                }
            }
        }
    }
    found
}

/// Links every family to the streams its services' FireLens settings name.
pub fn link(ctx: &mut Ctx) {
    let project = ctx.project;
    for service in project.services.values() {
        for (key, text, span) in references(service) {
            let (module_key, rv_name, action, sid) = match key {
                "delivery_stream" => (
                    "x-kinesis_firehose",
                    "DeliveryStreamId",
                    "firehose:PutRecordBatch",
                    "FireLensDeliveryStreams",
                ),
                "stream" => (
                    "x-kinesis",
                    "StreamId",
                    "kinesis:PutRecords",
                    "FireLensStreams",
                ),
                _ => {
                    ctx.diags.push(
                        Diagnostic::error(BAD_REFERENCE, format!("`{text}`: FireLens resolves references in delivery_stream and stream only"), span)
                            .with_help("write the value itself"),
                    );
                    continue;
                }
            };
            let parts: Vec<&str> = text.split("::").collect();
            let [written_key, name] = parts.as_slice() else {
                ctx.diags.push(
                    Diagnostic::error(
                        BAD_REFERENCE,
                        format!("`{text}` is not a reference to a stream"),
                        span,
                    )
                    .with_help(format!("write {module_key}::<name>")),
                );
                continue;
            };
            if *written_key != module_key {
                ctx.diags.push(
                    Diagnostic::error(
                        BAD_REFERENCE,
                        format!("`{text}`: {key} names a {module_key} resource"),
                        span,
                    )
                    .with_help(format!("write {module_key}::<name>")),
                );
                continue;
            }
            let Some(module) = ctx.catalog.module(module_key) else {
                continue;
            };
            let Some(entry) = ctx.find(module, name, span, text) else {
                continue;
            };
            for family in service.families() {
                let stream = ctx.value_named(&family, entry, rv_name);
                let arn = ctx.value_named(&family, entry, "Arn");
                add(ctx, &family, sid, action, arn, text, stream);
            }
        }
    }
}

/// Adds the statement and the resolved name to `family`'s links.
fn add(
    ctx: &mut Ctx,
    family: &str,
    sid: &str,
    action: &'static str,
    arn: Value,
    text: &str,
    stream: Value,
) {
    let links = ctx.links.family_mut(family);
    if !links.log_destinations.iter().any(|(t, _)| t == text) {
        links.log_destinations.push((text.to_string(), stream));
    }
    let policy = match links
        .policies
        .iter_mut()
        .position(|p| p.name == "FireLensStreams")
    {
        Some(i) => &mut links.policies[i],
        None => {
            links.policies.push(LinkPolicy {
                name: "FireLensStreams".into(),
                statements: Vec::new(),
            });
            let last = links.policies.len() - 1;
            &mut links.policies[last]
        }
    };
    match policy.statements.iter_mut().find(|s| s.sid == sid) {
        Some(s) => {
            if !s.resources.contains(&arn) {
                s.resources.push(arn);
            }
        }
        None => policy
            .statements
            .push(Statement::allow(sid, &[action], vec![arn])),
    }
}

//! x-aps: Amazon Managed Service for Prometheus workspaces (`AWS::APS::Workspace`), new from
//! `Properties` or existing (`Lookup`, its values as parameters). Linked families get `RW`
//! (remote write, what a Prometheus agent or the CloudWatch agent needs) or `Query` access on the
//! workspace ARN, and env vars for its ARN, endpoint, remote write and query URLs.
//!
//! `MacroParameters.CreateNewLogGroup` (`true` or `AWS::Logs::LogGroup` properties) gives the
//! workspace a log group of its own for its logging configuration, as ComposeX does.

use serde_json::{json, Map, Value};

use super::common::{arn_region_account, arn_resource, Ctx, Entry, Grant};
use super::{ModuleDef, ReturnValue, Statement, INVALID};
use crate::cfn::{get_att, Resource};
use crate::diagnostic::Diagnostic;
use crate::yaml::Node;

/// The x-aps module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-aps",
    stack: "aps",
    resource_type: "AWS::APS::Workspace",
    return_values: &[
        ReturnValue {
            name: "Arn",
            attribute: None,
        },
        ReturnValue {
            name: "WorkspaceId",
            attribute: Some("WorkspaceId"),
        },
        ReturnValue {
            name: "PrometheusEndpoint",
            attribute: Some("PrometheusEndpoint"),
        },
        ReturnValue {
            name: "RemoteWriteUrl",
            attribute: Some("PrometheusEndpoint+api/v1/remote_write"),
        },
        ReturnValue {
            name: "QueryUrl",
            attribute: Some("PrometheusEndpoint+api/v1/query"),
        },
    ],
    settings: &["CreateNewLogGroup"],
    levels: LEVEL_NAMES,
    lookup_values,
    grants: no_grants,
    emit,
    access: statements,
};

/// Level -> actions on the workspace ARN. ComposeX's `RW` is `aps:DescribeWorkspace*` and
/// `aps:RemoteWrite`; its `Query` lacks the series, labels and metadata reads a Prometheus query
/// client (Grafana) makes.
pub const LEVELS: &[(&str, &[&str])] = &[
    ("RW", &["aps:DescribeWorkspace", "aps:RemoteWrite"]),
    (
        "Query",
        &[
            "aps:DescribeWorkspace",
            "aps:GetLabels",
            "aps:GetMetricMetadata",
            "aps:GetSeries",
            "aps:QueryMetrics",
        ],
    ),
];

/// The level names.
pub const LEVEL_NAMES: &[&str] = &["RW", "Query"];

/// Retention of the log group `CreateNewLogGroup: true` makes (ComposeX's value).
pub const LOG_RETENTION_DAYS: u32 = 7;

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

/// The values of an existing workspace from its ARN (`...:workspace/<id>`), or its id as
/// `Identifier`.
fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let Some(arn) = arn else {
        if let Some(id) = identifier {
            out.push(("WorkspaceId", id.to_string()));
        }
        return out;
    };
    let id = arn_resource(arn).and_then(|r| r.strip_prefix("workspace/"));
    if let (Some(id), Some((partition, region, _))) = (id, arn_region_account(arn)) {
        let domain = if partition == "aws-cn" {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        let endpoint = format!("https://aps-workspaces.{region}.{domain}/workspaces/{id}/");
        out.push(("WorkspaceId", id.to_string()));
        out.push(("RemoteWriteUrl", format!("{endpoint}api/v1/remote_write")));
        out.push(("QueryUrl", format!("{endpoint}api/v1/query")));
        out.push(("PrometheusEndpoint", endpoint));
    }
    out.push(("Arn", arn.to_string()));
    out
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let mut props = ctx.properties(entry);
    if let Some(macro_value) = entry.setting("CreateNewLogGroup") {
        if let Some(group) = log_group(ctx, entry, macro_value) {
            let id = format!("{}LoggingGroup", entry.id);
            if props.contains_key("LoggingConfiguration") {
                let span = entry
                    .property("LoggingConfiguration")
                    .map_or(entry.span, |n| n.span);
                ctx.diags.push(
                    Diagnostic::error(
                        INVALID,
                        format!(
                            "x-aps {}: LoggingConfiguration and MacroParameters.CreateNewLogGroup both say where logs go",
                            entry.name
                        ),
                        span,
                    )
                    .with_help("keep one: your LoggingConfiguration, or a new log group"),
                );
                return;
            }
            ctx.stacks.stack(MODULE.stack).add_resource(&id, group);
            props.insert(
                "LoggingConfiguration".into(),
                json!({ "LogGroupArn": get_att(&id, "Arn") }),
            );
        }
    }
    ctx.add_main_resource(
        entry,
        Resource::new(MODULE.resource_type, Value::Object(props)),
    );
}

/// The log group `CreateNewLogGroup` asks for: `true` (7 days' retention, tagged with the
/// workspace's name) or its own `AWS::Logs::LogGroup` properties; `false` makes none.
fn log_group(ctx: &mut Ctx, entry: &Entry, node: &Node) -> Option<Resource> {
    if let Some(flag) = node.as_scalar().and_then(|s| s.as_bool()) {
        return flag.then(|| {
            Resource::new(
                "AWS::Logs::LogGroup",
                json!({
                    "RetentionInDays": LOG_RETENTION_DAYS,
                    "Tags": [{ "Key": "ApsWorkspace", "Value": entry.name }],
                }),
            )
        });
    }
    let Some(map) = node.as_map() else {
        ctx.diags.push(
            Diagnostic::error(
                INVALID,
                format!(
                    "x-aps {}: CreateNewLogGroup must be true, false or log group properties, not {}",
                    entry.name,
                    node.kind_name()
                ),
                node.span,
            )
            .with_help("e.g. CreateNewLogGroup: {RetentionInDays: 30}"),
        );
        return None;
    };
    let what = format!("x-aps {}: CreateNewLogGroup", entry.name);
    let known = ctx.check_schema(&what, "AWS::Logs::LogGroup", &[], map, node.span, true);
    let mut props = Map::new();
    for (key, _, value) in &map.entries {
        if known.contains(&key.as_str()) {
            let v = ctx.json(MODULE.stack, value);
            props.insert(key.clone(), v);
        }
    }
    props
        .entry("RetentionInDays")
        .or_insert(json!(LOG_RETENTION_DAYS));
    Some(Resource::new("AWS::Logs::LogGroup", Value::Object(props)))
}

/// The statement `access` gives `family` on workspace `entry`.
fn statements(ctx: &mut Ctx, entry: &Entry, family: &str, access: &Node) -> Option<Vec<Statement>> {
    let (level, actions) = ctx.level(entry, access, LEVELS)?;
    let arn = ctx.value_named(family, entry, "Arn");
    Some(vec![Statement::allow(
        &format!("{level}{}", entry.id),
        actions,
        vec![arn],
    )])
}

#[cfg(test)]
mod tests;

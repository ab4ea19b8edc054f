//! x-dashboards: one CloudWatch dashboard (`AWS::CloudWatch::Dashboard`, in the `dashboards`
//! stack) per definition, named `<project>--<name>`. For each service or task family under
//! `Services` (with `UsePredefinedMetrics`, the default) it lays out the widgets ComposeX makes:
//! a title, CPU and memory reserved against used (Container Insights), running, pending and
//! desired task counts, CPU and memory utilisation, network in and out; then, for each x-elbv2
//! target group the family is registered into, the load balancer's request count, target
//! response time, 5XX count and healthy against unhealthy hosts (only the host counts for a
//! network load balancer). The body is one `Fn::Sub` whose variables are the cluster's and the
//! ECS services' names and the load balancers' and target groups' full names, imported from
//! the stacks that make them, so it is deterministic and needs no parameter.

mod targets;
mod widgets;

use serde_json::{json, Map, Value};

use super::common::{Ctx, Entry, Grant};
use super::{ModuleDef, ReturnValue, Statement, IGNORED, INVALID};
use crate::cfn::{logical_id, Resource};
use crate::diagnostic::Diagnostic;
use crate::stack::CLUSTER_NAME;
use crate::suggest::did_you_mean;
use crate::yaml::Node;

/// A dashboard setting composex cannot render: a `Type` other than `cloudwatch`, a per-service
/// option that is not `UsePredefinedMetrics`, or a dashboard left with no widget.
pub const DASHBOARD: &str = "CX604";

/// The x-dashboards module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: false,
    key: "x-dashboards",
    stack: "dashboards",
    resource_type: "AWS::CloudWatch::Dashboard",
    return_values: &[ReturnValue {
        name: "DashboardName",
        attribute: None,
    }],
    settings: &["start"],
    levels: &[],
    lookup_values: |_, _| Vec::new(),
    grants: no_grants,
    emit,
    access,
};

/// The per-service options ComposeX's schema has.
const SERVICE_OPTIONS: &[&str] = &["UsePredefinedMetrics", "Metrics"];

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

/// A dashboard grants nothing: `Services` lists what it shows.
fn access(ctx: &mut Ctx, entry: &Entry, _family: &str, access: &Node) -> Option<Vec<Statement>> {
    ctx.diags.push(
        Diagnostic::warning(
            IGNORED,
            format!(
                "x-dashboards {}: Access is ignored (a dashboard gives services nothing)",
                entry.name
            ),
            access.span,
        )
        .with_help("Services lists the services the dashboard shows: {<service>: {UsePredefinedMetrics: true}}"),
    );
    None
}

/// The time range the dashboard opens on: `Settings.start` (an ISO 8601 duration before now).
fn start(ctx: &mut Ctx, entry: &Entry) -> String {
    let Some(node) = entry.setting("start") else {
        return "-PT12H".into();
    };
    match node.as_str() {
        Some(text) if text.starts_with("-P") && text.len() > 2 => text.to_string(),
        _ => {
            ctx.diags.push(
                Diagnostic::error(
                    INVALID,
                    format!(
                        "x-dashboards {}: start must be a duration before now, e.g. -PT12H",
                        entry.name
                    ),
                    node.span,
                )
                .with_help("an ISO 8601 duration with a minus sign: -PT3H, -P1D, -P1W"),
            );
            "-PT12H".into()
        }
    }
}

/// Whether the service entry asks for the predefined widgets (reports what it cannot honour).
fn predefined(ctx: &mut Ctx, entry: &Entry, service: &str, options: &Node) -> bool {
    let Some(map) = options.as_map() else {
        if !options.is_null() {
            ctx.diags.push(Diagnostic::error(
                INVALID,
                format!(
                    "x-dashboards {}: Services.{service} must be a mapping, not {}",
                    entry.name,
                    options.kind_name()
                ),
                options.span,
            ));
        }
        return true;
    };
    let mut use_predefined = true;
    for (key, span, value) in &map.entries {
        match key.as_str() {
            "UsePredefinedMetrics" => match value.as_scalar().and_then(|s| s.as_bool()) {
                Some(b) => use_predefined = b,
                None => ctx.diags.push(Diagnostic::error(
                    INVALID,
                    format!(
                        "x-dashboards {}: UsePredefinedMetrics must be true or false",
                        entry.name
                    ),
                    value.span,
                )),
            },
            "Metrics" => ctx.diags.push(
                Diagnostic::warning(
                    IGNORED,
                    format!(
                        "x-dashboards {}: Services.{service}.Metrics is ignored",
                        entry.name
                    ),
                    *span,
                )
                .with_help("only the predefined widgets are made (ComposeX makes none from Metrics either)"),
            ),
            other => {
                let mut d = Diagnostic::error(
                    DASHBOARD,
                    format!(
                        "x-dashboards {}: `{other}` is not a dashboard option of a service",
                        entry.name
                    ),
                    *span,
                );
                d = match did_you_mean(other, SERVICE_OPTIONS.iter().copied()) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help("options: UsePredefinedMetrics"),
                };
                ctx.diags.push(d);
            }
        }
    }
    use_predefined
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    if let Some(node) = entry.get("Type").filter(|n| !n.is_null()) {
        if node.as_str() != Some("cloudwatch") {
            ctx.diags.push(
                Diagnostic::error(
                    DASHBOARD,
                    format!(
                        "x-dashboards {}: Type must be cloudwatch (the only kind of dashboard)",
                        entry.name
                    ),
                    node.span,
                )
                .with_help("Type: cloudwatch"),
            );
        }
    }
    if let Some(map) = entry.get("Resources").and_then(Node::as_map) {
        if let Some((key, span, _)) = map.entries.first() {
            ctx.diags.push(
                Diagnostic::warning(
                    IGNORED,
                    format!(
                        "x-dashboards {}: Resources ({key} ...) is ignored",
                        entry.name
                    ),
                    *span,
                )
                .with_help(
                    "widgets are made for Services only (ComposeX makes none for Resources either)",
                ),
            );
        }
    }
    let start = start(ctx, entry);
    let mut families: Vec<String> = Vec::new();
    if let Some(services) = entry.get("Services").and_then(Node::as_map) {
        for (name, _, options) in &services.entries {
            if !predefined(ctx, entry, name, options) {
                continue;
            }
            for (family, _) in ctx.families_of(name) {
                if !families.contains(&family) {
                    families.push(family);
                }
            }
        }
    }
    if families.is_empty() {
        ctx.diags.push(
            Diagnostic::warning(
                DASHBOARD,
                format!(
                    "x-dashboards {}: no service to show; the dashboard is not made",
                    entry.name
                ),
                entry.span,
            )
            .with_help("list services: Services: {<service>: {UsePredefinedMetrics: true}}"),
        );
        return;
    }
    let mut vars = Map::new();
    let mut layout = widgets::Layout::default();
    let stack = ctx.stacks.stack(MODULE.stack);
    vars.insert(CLUSTER_NAME.into(), stack.import(CLUSTER_NAME));
    for family in &families {
        let service_var = format!("{}ServiceName", logical_id(family));
        vars.insert(service_var.clone(), stack.import(&service_var));
        layout.service(family, &service_var, CLUSTER_NAME);
        for tg in targets::of_family(ctx.project, family) {
            vars.insert(tg.lb_export.clone(), stack.import(&tg.lb_export));
            vars.insert(tg.tg_export.clone(), stack.import(&tg.tg_export));
            layout.target_group(&tg);
        }
    }
    let body = json!({"start": start, "widgets": layout.widgets});
    let text = serde_json::to_string(&body).unwrap_or_default();
    let name: String = format!("{}--{}", ctx.stacks.root_name(), entry.name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(255)
        .collect();
    let props = json!({
        "DashboardName": name,
        "DashboardBody": {"Fn::Sub": [text, Value::Object(vars)]},
    });
    ctx.add_main_resource(entry, Resource::new(MODULE.resource_type, props));
}

#[cfg(test)]
mod tests;

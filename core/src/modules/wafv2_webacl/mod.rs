//! x-wafv2_webacl: WAFv2 web ACLs (`AWS::WAFv2::WebACL`), new or looked up, associated with the
//! project's application load balancers named under `LoadBalancers:` (one
//! `AWS::WAFv2::WebACLAssociation` each, in this module's stack). A new web ACL defaults to
//! `Scope: REGIONAL`, `DefaultAction: Allow`, metrics and sampled requests on, and, when it has
//! no `Rules`, AWS's managed "known bad inputs" rule group (Log4j and similar exploits); the
//! user's `Properties` win. No service links to a web ACL: `Services` is refused.

use serde_json::{json, Value};

use super::common::{arn_resource, Ctx, Entry, Grant};
use super::elbv2::template::arn_export;
use super::{entry_span, ModuleDef, ReturnValue, Statement};
use crate::cfn::{logical_id, Resource};
use crate::diagnostic::Diagnostic;
use crate::suggest::did_you_mean;
use crate::yaml::Node;

/// A `LoadBalancers` entry that is not an application load balancer of `x-elbv2` (unknown
/// name, a network load balancer, not a list of names), or a `CLOUDFRONT` web ACL given load
/// balancers.
pub const LOAD_BALANCER: &str = "CX660";
/// `Services` under a web ACL: no container uses a web ACL.
pub const NO_SERVICES: &str = "CX661";

/// The x-wafv2_webacl module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: false,
    key: "x-wafv2_webacl",
    stack: "wafv2",
    resource_type: "AWS::WAFv2::WebACL",
    return_values: &[
        ReturnValue {
            name: "Arn",
            attribute: Some("Arn"),
        },
        ReturnValue {
            name: "Id",
            attribute: Some("Id"),
        },
        ReturnValue {
            name: "LabelNamespace",
            attribute: Some("LabelNamespace"),
        },
    ],
    settings: &[],
    levels: &[],
    lookup_values,
    grants: no_grants,
    emit,
    access,
};

/// The managed rule group a web ACL without `Rules` gets.
const DEFAULT_RULE_GROUP: &str = "AWSManagedRulesKnownBadInputsRuleSet";

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

/// Arn and Id from the web ACL's ARN (`...:regional/webacl/<name>/<id>`); the Id from an
/// `Identifier` written as CloudFormation's `Ref` value, `<name>|<id>|<scope>`.
fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(arn) = arn {
        out.push(("Arn", arn.to_string()));
        if let Some(id) = arn_resource(arn).and_then(|r| r.rsplit('/').next()) {
            out.push(("Id", id.to_string()));
        }
    } else if let Some(identifier) = identifier {
        let parts: Vec<&str> = identifier.split('|').collect();
        let id = if parts.len() == 3 {
            parts[1]
        } else {
            identifier
        };
        out.push(("Id", id.to_string()));
    }
    out
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let mut props = ctx.properties_filled(entry, &["Scope", "DefaultAction", "VisibilityConfig"]);
    props.entry("Scope").or_insert_with(|| json!("REGIONAL"));
    props
        .entry("DefaultAction")
        .or_insert_with(|| json!({"Allow": {}}));
    props.entry("VisibilityConfig").or_insert_with(|| {
        json!({
            "CloudWatchMetricsEnabled": true,
            "MetricName": entry.id,
            "SampledRequestsEnabled": true,
        })
    });
    props.entry("Rules").or_insert_with(|| {
        json!([{
            "Name": DEFAULT_RULE_GROUP,
            "Priority": 0,
            "OverrideAction": {"None": {}},
            "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": DEFAULT_RULE_GROUP}},
            "VisibilityConfig": {
                "CloudWatchMetricsEnabled": true,
                "MetricName": DEFAULT_RULE_GROUP,
                "SampledRequestsEnabled": true,
            },
        }])
    });
    ctx.add_main_resource(
        entry,
        Resource::new(MODULE.resource_type, Value::Object(props)),
    );
}

/// Associates every web ACL, new or looked up, with the load balancers under its
/// `LoadBalancers`, refusing at its line a name that is not one of our application load
/// balancers. Runs after the modules emitted (a looked-up web ACL has no `emit`).
pub fn associate(ctx: &mut Ctx) {
    let catalog = ctx.catalog;
    for entry in catalog.entries(MODULE.key) {
        refuse_services(ctx, entry);
        let Some(node) = entry.get("LoadBalancers").filter(|n| !n.is_null()) else {
            continue;
        };
        let names = load_balancers(ctx, entry, node);
        for (name, span) in names {
            let web_acl = ctx.value_named(MODULE.stack, entry, "Arn");
            let stack = ctx.stacks.stack(MODULE.stack);
            let lb_arn = stack.import(&arn_export(&name));
            let association = Resource::new(
                "AWS::WAFv2::WebACLAssociation",
                json!({"ResourceArn": lb_arn, "WebACLArn": web_acl}),
            );
            let id = format!("{}{}Association", entry.id, logical_id(&name));
            stack.add_resource(&id, association);
            ctx.stacks.note_origin(span);
        }
        ctx.stacks.note_origin(entry_span(entry));
    }
}

/// The names under `LoadBalancers` that are application load balancers of `x-elbv2`, each with
/// where it is written; the others are reported.
fn load_balancers(
    ctx: &mut Ctx,
    entry: &Entry,
    node: &Node,
) -> Vec<(String, crate::diagnostic::Span)> {
    let mut out = Vec::new();
    let Some(items) = node.as_seq() else {
        ctx.diags.push(
            Diagnostic::error(
                LOAD_BALANCER,
                format!(
                    "x-wafv2_webacl {}: LoadBalancers must be a list of x-elbv2 load balancer names, found {}",
                    entry.name,
                    node.kind_name()
                ),
                node.span,
            )
            .with_help("e.g. LoadBalancers: [public-alb]"),
        );
        return out;
    };
    let cloudfront = entry
        .property("Scope")
        .and_then(Node::as_str)
        .filter(|s| *s == "CLOUDFRONT");
    if let Some(scope) = cloudfront.and(entry.property("Scope")) {
        ctx.diags.push(
            Diagnostic::error(
                LOAD_BALANCER,
                format!(
                    "x-wafv2_webacl {}: a CLOUDFRONT web ACL cannot protect a load balancer",
                    entry.name
                ),
                scope.span,
            )
            .with_help("use Scope: REGIONAL (the default) for load balancers"),
        );
        return out;
    }
    let elbv2 = ctx.project.extension("x-elbv2");
    let defined: Vec<&str> = elbv2
        .and_then(Node::as_map)
        .map(|m| m.entries.iter().map(|(k, _, _)| k.as_str()).collect())
        .unwrap_or_default();
    for item in items {
        let Some(name) = item.as_str() else {
            ctx.diags.push(Diagnostic::error(
                LOAD_BALANCER,
                format!(
                    "x-wafv2_webacl {}: a LoadBalancers entry must be a load balancer name, found {}",
                    entry.name,
                    item.kind_name()
                ),
                item.span,
            ));
            continue;
        };
        let Some(definition) = elbv2.and_then(|n| n.get(name)) else {
            let mut d = Diagnostic::error(
                LOAD_BALANCER,
                format!(
                    "x-wafv2_webacl {}: x-elbv2 has no load balancer `{name}`",
                    entry.name
                ),
                item.span,
            );
            if let Some(s) = did_you_mean(name, defined.iter().copied()) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            ctx.diags.push(d);
            continue;
        };
        let kind = definition
            .get("Properties")
            .and_then(|p| p.get("Type"))
            .and_then(Node::as_str);
        if kind == Some("network") {
            ctx.diags.push(
                Diagnostic::error(
                    LOAD_BALANCER,
                    format!(
                        "x-wafv2_webacl {}: `{name}` is a network load balancer; WAF protects only application load balancers",
                        entry.name
                    ),
                    item.span,
                )
                .with_help(format!("remove `{name}` from LoadBalancers")),
            );
            continue;
        }
        out.push((name.to_string(), item.span));
    }
    out
}

/// `Services` is reported once, by [`associate`].
fn access(_: &mut Ctx, _: &Entry, _family: &str, _: &Node) -> Option<Vec<Statement>> {
    Some(Vec::new())
}

fn refuse_services(ctx: &mut Ctx, entry: &Entry) {
    if let Some(services) = entry.get("Services").filter(|n| !n.is_null()) {
        ctx.diags.push(
            Diagnostic::error(
                NO_SERVICES,
                format!(
                    "x-wafv2_webacl {}: services do not link to a web ACL",
                    entry.name
                ),
                services.span,
            )
            .with_help(
                "protect the services' load balancer instead: LoadBalancers: [<x-elbv2 name>]",
            ),
        );
    }
}

#[cfg(test)]
mod tests;

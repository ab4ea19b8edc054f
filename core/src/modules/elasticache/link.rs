//! What a cache gives the families under its `Services` (new and looked-up clusters alike):
//! ingress on the engine port from each family's security group, and the env vars
//! `<NAME>_HOST` and `<NAME>_PORT` (the endpoint every kind has) next to ComposeX's `<NAME>`.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::{offered_names, port_of, Kind, MODULE};
use crate::cfn::{logical_id, Resource};
use crate::diagnostic::Diagnostic;
use crate::modules::common::{env_name, Ctx, Entry};
use crate::modules::{EnvVar, IGNORED, UNKNOWN_RETURN_VALUE};
use crate::stack::family::{security_group_export, NETWORKING_STACK};
use crate::suggest::did_you_mean;
use crate::yaml::Node;

/// Links every x-elasticache cluster (after the modules have emitted), and reports references
/// to values a new cache's kind does not offer.
pub fn link_all(ctx: &mut Ctx) {
    let catalog = ctx.catalog;
    for entry in catalog.entries(MODULE.key) {
        link(ctx, entry);
        if entry.lookup.is_none() {
            check_references(ctx, entry);
        }
    }
}

/// `x-elasticache::<name>::<value>` written anywhere for a value the cache's kind lacks.
fn check_references(ctx: &mut Ctx, entry: &Entry) {
    let Some(kind) = super::emitted_kind(ctx, entry) else {
        return;
    };
    let names = offered_names(kind);
    // `ReturnValues` under `Services` are reported by `check_return_values`, at their key.
    let linked: Vec<&str> = entry
        .get("Services")
        .and_then(Node::as_map)
        .map(|m| {
            m.entries
                .iter()
                .filter_map(|(_, _, d)| d.get("ReturnValues").and_then(Node::as_map))
                .flat_map(|r| r.entries.iter().map(|(k, _, _)| k.as_str()))
                .collect()
        })
        .unwrap_or_default();
    for rv in MODULE.return_values {
        if names.contains(&rv.name) || linked.contains(&rv.name) {
            continue;
        }
        let export = crate::modules::common::export_name(&MODULE, entry, rv);
        let imported = ctx.stacks.iter().any(|s| s.imports().any(|i| i == export));
        if !imported {
            continue;
        }
        let written = format!("{}::{}::{}", MODULE.key, entry.name, rv.name);
        let span = ctx
            .project
            .extensions
            .values()
            .find_map(|n| find_scalar(n, &written))
            .unwrap_or(entry.span);
        ctx.diags.push(
            Diagnostic::error(
                UNKNOWN_RETURN_VALUE,
                format!(
                    "`{written}`: {} offers no value `{}`",
                    kind_name(kind),
                    rv.name
                ),
                span,
            )
            .with_help(format!("it offers: {}", names.join(", "))),
        );
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Cluster { memcached: true } => "a Memcached cluster",
        Kind::Cluster { memcached: false } => "a Redis cache cluster",
        Kind::Group { .. } => "a replication group",
    }
}

/// The span of the first scalar `text` under `node`.
fn find_scalar(node: &Node, text: &str) -> Option<crate::diagnostic::Span> {
    use crate::yaml::Value as V;
    match &node.value {
        V::Scalar(s) => (s.text == text).then_some(node.span),
        V::Seq(items) => items.iter().find_map(|n| find_scalar(n, text)),
        V::Map(map) => map
            .entries
            .iter()
            .find_map(|(_, _, n)| find_scalar(n, text)),
    }
}

fn link(ctx: &mut Ctx, entry: &Entry) {
    let Some(services) = entry.get("Services").and_then(Node::as_map) else {
        return;
    };
    let mut done: BTreeSet<String> = BTreeSet::new();
    for (target, _, def) in &services.entries {
        for (key, span, _) in def
            .as_map()
            .map(|m| m.entries.as_slice())
            .unwrap_or_default()
        {
            if ["Access", "ReturnValues"].contains(&key.as_str()) {
                continue;
            }
            let mut d = Diagnostic::warning(
                IGNORED,
                format!(
                    "x-elasticache {}: Services.{target}.{key} is ignored",
                    entry.name
                ),
                *span,
            )
            .with_help("a linked service reads Access and ReturnValues");
            if let Some(s) = did_you_mean(key, ["Access", "ReturnValues"]) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            ctx.diags.push(d);
        }
        for (family, service) in ctx.families_of(target) {
            if done.insert(family.clone()) {
                ingress(ctx, entry, &family);
            }
            let base = env_name(&entry.name);
            for (suffix, value) in [("HOST", "Address"), ("PORT", "Port")] {
                let value = ctx.value_named(&family, entry, value);
                ctx.links.family_mut(&family).environment.push(EnvVar {
                    name: format!("{base}_{suffix}"),
                    value,
                    service: service.clone(),
                    span: def.span,
                });
            }
        }
    }
}

/// Ingress to the cluster's port from `family`'s tasks, in the stack holding the rules between
/// families (both groups are imports or parameters there: no stack depends on the other).
fn ingress(ctx: &mut Ctx, entry: &Entry, family: &str) {
    let group = ctx.value_named(NETWORKING_STACK, entry, "GroupId");
    let port: Value = if entry.lookup.is_some() {
        ctx.value_named(NETWORKING_STACK, entry, "Port")
    } else {
        json!(port_of(entry))
    };
    let stack = ctx.stacks.stack(NETWORKING_STACK);
    let source = stack.import(&security_group_export(family));
    let rule = json!({
        "GroupId": group,
        "SourceSecurityGroupId": source,
        "IpProtocol": "tcp",
        "FromPort": port,
        "ToPort": port,
        "Description": format!("{family} to x-elasticache {}", entry.name),
    });
    stack.add_resource(
        &format!(
            "{}To{}{}",
            logical_id(family),
            logical_id(MODULE.stack),
            entry.id
        ),
        Resource::new("AWS::EC2::SecurityGroupIngress", rule),
    );
}

/// Reports `ReturnValues` the cluster's kind does not offer (a Memcached cluster has no
/// `RedisEndpoint`).
pub fn check_return_values(ctx: &mut Ctx, entry: &Entry, kind: Kind) {
    let Some(services) = entry.get("Services").and_then(Node::as_map) else {
        return;
    };
    let names = offered_names(kind);
    for (_, _, def) in &services.entries {
        let Some(rvs) = def.get("ReturnValues").and_then(Node::as_map) else {
            continue;
        };
        for (key, span, _) in &rvs.entries {
            let known = MODULE.return_values.iter().any(|r| r.name == key);
            if known && !names.contains(&key.as_str()) {
                let what = kind_name(kind);
                ctx.diags.push(
                    Diagnostic::error(
                        UNKNOWN_RETURN_VALUE,
                        format!(
                            "x-elasticache {}: {what} offers no value `{key}`",
                            entry.name
                        ),
                        *span,
                    )
                    .with_help(format!("it offers: {}", names.join(", "))),
                );
            }
        }
    }
}

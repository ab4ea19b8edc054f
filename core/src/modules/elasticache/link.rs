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

/// Links every x-elasticache cluster (after the modules have emitted).
pub fn link_all(ctx: &mut Ctx) {
    let catalog = ctx.catalog;
    for entry in catalog.entries(MODULE.key) {
        link(ctx, entry);
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
                let what = match kind {
                    Kind::Cluster { memcached: true } => "a Memcached cluster",
                    Kind::Cluster { memcached: false } => "a Redis cache cluster",
                    Kind::Group { .. } => "a replication group",
                };
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

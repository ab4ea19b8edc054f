//! A service's own `x-codeguru_profiler`: `true` makes a profiling group for the service,
//! a mapping makes one from those `AWS::CodeGuruProfiler::ProfilingGroup` properties, a string
//! links the top-level x-codeguru_profiler resource of that name, `false` does nothing. Either
//! way the service's family gets `RW` on the group and the service's container the agent's env
//! vars.

use serde_json::{json, Map, Value};

use super::{agent_env, default_name, statements, MODULE};
use crate::cfn::{logical_id, unique_id, Resource};
use crate::diagnostic::Diagnostic;
use crate::modules::common::{Ctx, Entry};
use crate::modules::LinkPolicy;
use crate::suggest::did_you_mean;
use crate::yaml::{Node, Value as NodeValue};

/// A service's `x-codeguru_profiler` that is not `true`, `false`, a mapping of profiling group
/// properties or the name of a top-level x-codeguru_profiler resource.
pub const SERVICE_PROFILER: &str = "CX603";

/// Makes or links the group each service's `x-codeguru_profiler` asks for.
pub fn service_profilers(ctx: &mut Ctx) {
    let project = ctx.project;
    for (name, service) in &project.services {
        let Some(node) = service.extension(MODULE.key) else {
            continue;
        };
        let what = format!("services.{name}.x-codeguru_profiler");
        match &node.value {
            NodeValue::Map(map) => {
                let at = node.span;
                let known = ctx.check_schema(
                    &what,
                    MODULE.resource_type,
                    &["ProfilingGroupName"],
                    map,
                    at,
                    true,
                );
                let mut props = Map::new();
                for (key, _, value) in &map.entries {
                    if known.contains(&key.as_str()) {
                        let v = ctx.json(MODULE.stack, value);
                        props.insert(key.clone(), v);
                    }
                }
                new_group(ctx, name, node, props);
            }
            _ if node.is_null() => {}
            _ => {
                match node.as_scalar() {
                    Some(s) if s.as_bool() == Some(true) => new_group(ctx, name, node, Map::new()),
                    Some(s) if s.as_bool() == Some(false) => {}
                    Some(s)
                        if !s.text.is_empty()
                            && ctx.catalog.find(MODULE.key, &s.text).is_some() =>
                    {
                        let catalog = ctx.catalog;
                        if let Some(entry) = catalog.find(MODULE.key, &s.text) {
                            link(ctx, entry, name, node);
                        }
                    }
                    _ => {
                        let names = ctx.catalog.names(MODULE.key);
                        let text = node.as_str().unwrap_or_default();
                        let mut d = Diagnostic::error(
                        SERVICE_PROFILER,
                        format!("{what} must be true, false, profiling group properties or the name of an x-codeguru_profiler resource"),
                        node.span,
                    );
                        d = match did_you_mean(text, names.iter().copied()) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None if names.is_empty() => d.with_help(
                            "`x-codeguru_profiler: true` makes a profiling group for this service",
                        ),
                        None => d.with_help(format!("x-codeguru_profiler defines: {}", names.join(", "))),
                    };
                        ctx.diags.push(d);
                    }
                }
            }
        }
        ctx.stacks.note_origin(node.span);
    }
}

/// A group of `service`'s own, from `props`.
fn new_group(ctx: &mut Ctx, service: &str, node: &Node, mut props: Map<String, Value>) {
    let base = format!("{}Profiler", logical_id(service));
    let stack = ctx.stacks.stack(MODULE.stack);
    let id = unique_id(&base, |c| stack.template.resources.contains_key(c));
    let entry = Entry {
        module: &MODULE,
        name: service.to_string(),
        span: node.span,
        node: None,
        id,
        lookup: None,
        deletion_policy: None,
    };
    if !props.contains_key("ProfilingGroupName") {
        props.insert(
            "ProfilingGroupName".into(),
            json!(default_name(ctx, service)),
        );
    }
    ctx.add_main_resource(
        &entry,
        Resource::new(MODULE.resource_type, Value::Object(props)),
    );
    link(ctx, &entry, service, node);
}

/// `RW` on `entry` for `service`'s families, and the agent's env vars for its container.
fn link(ctx: &mut Ctx, entry: &Entry, service: &str, node: &Node) {
    let families = ctx
        .project
        .services
        .get(service)
        .map(|s| s.families())
        .unwrap_or_default();
    let policy_name = format!("{}{}", logical_id(MODULE.stack), entry.id);
    for family in families {
        let more = statements(ctx, entry, &family);
        let env = agent_env(ctx, entry, &family, Some(service.to_string()), node.span);
        let links = ctx.links.family_mut(&family);
        match links.policies.iter_mut().find(|p| p.name == policy_name) {
            Some(p) => {
                for s in more {
                    if !p.statements.iter().any(|old| old.sid == s.sid) {
                        p.statements.push(s);
                    }
                }
            }
            None => links.policies.push(LinkPolicy {
                name: policy_name.clone(),
                statements: more,
            }),
        }
        links.environment.extend(env);
    }
}

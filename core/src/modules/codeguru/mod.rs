//! x-codeguru_profiler: CodeGuru Profiler profiling groups
//! (`AWS::CodeGuruProfiler::ProfilingGroup` from `Properties`, in the `codeguru` stack). A group
//! without `ProfilingGroupName` is named `<project>-<name>`; `MacroParameters.AppendStackId: true`
//! appends the stack's id so the same file can be deployed twice in one account and region.
//! The only access level is `RW` (the agent's `codeguru-profiler:ConfigureAgent` and
//! `PostAgentProfile` on the group); linked containers get the env vars the profiling agents
//! read, `AWS_CODEGURU_PROFILER_GROUP_NAME` and `AWS_CODEGURU_PROFILER_GROUP_ARN`, besides
//! ComposeX's default one (the resource name, upper case: the group's name). A service's own
//! `x-codeguru_profiler` key makes or links a group for that service alone (`service.rs`).

mod service;

use serde_json::{json, Value};

use super::common::{arn_resource, Ctx, Entry, Grant};
use super::{EnvVar, ModuleDef, ReturnValue, Statement};
use crate::cfn::Resource;
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::Node;

pub use service::SERVICE_PROFILER;

/// The x-codeguru_profiler module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-codeguru_profiler",
    stack: "codeguru",
    resource_type: "AWS::CodeGuruProfiler::ProfilingGroup",
    return_values: &[
        ReturnValue {
            name: "ProfileName",
            attribute: None,
        },
        ReturnValue {
            name: "Arn",
            attribute: Some("Arn"),
        },
    ],
    settings: &["AppendStackId"],
    levels: &["RW"],
    lookup_values,
    grants: no_grants,
    emit,
    access,
};

/// Level -> actions on the profiling group ARN (what the profiling agent calls).
pub const LEVELS: &[(&str, &[&str])] = &[(
    "RW",
    &[
        "codeguru-profiler:ConfigureAgent",
        "codeguru-profiler:PostAgentProfile",
    ],
)];

/// The env vars the CodeGuru profiling agents read: (name, return value).
pub const AGENT_ENV: &[(&str, &str)] = &[
    ("AWS_CODEGURU_PROFILER_GROUP_NAME", "ProfileName"),
    ("AWS_CODEGURU_PROFILER_GROUP_ARN", "Arn"),
];

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

/// An existing group's name and ARN (`arn:aws:codeguru-profiler:<region>:<account>:profilingGroup/<name>`).
fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let arn = arn.or(identifier.filter(|i| i.starts_with("arn:")));
    let mut out = Vec::new();
    if let Some(arn) = arn {
        if let Some(name) = arn_resource(arn) {
            let name = name.strip_prefix("profilingGroup/").unwrap_or(name);
            out.push(("ProfileName", name.to_string()));
        }
        out.push(("Arn", arn.to_string()));
    } else if let Some(name) = identifier {
        out.push(("ProfileName", name.to_string()));
    }
    out
}

/// `<project>-<name>`, reduced to the characters a group name may hold.
fn default_name(ctx: &Ctx, name: &str) -> String {
    format!("{}-{name}", ctx.stacks.root_name())
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .take(200)
        .collect()
}

/// The name with the stack's id appended (the id's last part, a UUID).
fn with_stack_id(name: Value) -> Value {
    json!({"Fn::Join": ["-", [name, {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}]]})
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let mut props = ctx.properties_filled(entry, &["ProfilingGroupName"]);
    let what = format!("x-codeguru_profiler {}", entry.name);
    // A name AWS rejects is reported by the schema check (its pattern).
    let name = props
        .remove("ProfilingGroupName")
        .unwrap_or_else(|| json!(default_name(ctx, &entry.name)));
    let append = entry.setting("AppendStackId");
    let name = match append.map(|n| (n, n.as_scalar().and_then(|s| s.as_bool()))) {
        Some((_, Some(true))) => with_stack_id(name),
        Some((_, Some(false))) | None => name,
        Some((node, None)) => {
            ctx.diags.push(
                Diagnostic::error(
                    super::INVALID,
                    format!("{what}: AppendStackId must be true or false"),
                    node.span,
                )
                .with_help("AppendStackId: true appends the stack's id to the group name"),
            );
            name
        }
    };
    props.insert("ProfilingGroupName".into(), name);
    ctx.add_main_resource(
        entry,
        Resource::new(MODULE.resource_type, Value::Object(props)),
    );
}

/// `RW` on the group for `family`.
fn statements(ctx: &mut Ctx, entry: &Entry, family: &str) -> Vec<Statement> {
    let arn = ctx.value_named(family, entry, "Arn");
    vec![Statement::allow(
        &format!("RW{}", entry.id),
        LEVELS[0].1,
        vec![arn],
    )]
}

fn access(ctx: &mut Ctx, entry: &Entry, family: &str, access: &Node) -> Option<Vec<Statement>> {
    ctx.level(entry, access, LEVELS)?;
    Some(statements(ctx, entry, family))
}

/// The agent's env vars for `entry` in `family` (every container, or only `service`'s).
fn agent_env(
    ctx: &mut Ctx,
    entry: &Entry,
    family: &str,
    service: Option<String>,
    span: Span,
) -> Vec<EnvVar> {
    AGENT_ENV
        .iter()
        .map(|(name, rv)| EnvVar {
            name: (*name).to_string(),
            value: ctx.value_named(family, entry, rv),
            service: service.clone(),
            span,
        })
        .collect()
}

/// After the modules are linked: the agent's env vars for the services the top-level groups
/// list, then the groups the services ask for themselves.
pub fn link_agents(ctx: &mut Ctx) {
    let catalog = ctx.catalog;
    for entry in catalog.entries(MODULE.key) {
        let Some(services) = entry.get("Services").and_then(Node::as_map) else {
            continue;
        };
        for (target, _, definition) in &services.entries {
            for (family, service) in ctx.families_of(target) {
                let env = agent_env(ctx, entry, &family, service, definition.span);
                ctx.links.family_mut(&family).environment.extend(env);
            }
        }
    }
    service::service_profilers(ctx);
}

#[cfg(test)]
mod tests;

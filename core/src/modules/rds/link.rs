//! What a new database gives the families under its `Services`, besides the env var and access
//! statements every module gives: ingress on the database port, the secret in container
//! `Secrets` (read by the execution role), and with `GrantTaskAccess` the secret to the task role.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::cfn::{logical_id, sub_with, Resource};
use crate::diagnostic::Diagnostic;
use crate::modules::common::{env_name, Ctx, Entry};
use crate::modules::{LinkPolicy, SecretVar, Statement, IGNORED, INVALID};
use crate::stack::family::NETWORKING_STACK;
use crate::yaml::Node;

const READ_SECRET: &[&str] = &["secretsmanager:GetSecretValue"];

/// One variable from a key of the secret.
struct Mapping {
    key: String,
    var: String,
}

/// Links every family under `entry`'s `Services` to the database listening on `port` (x-rds and
/// x-docdb: the module must offer `DBSecret` and `GroupId`).
pub fn link_families(ctx: &mut Ctx, entry: &Entry, port: u16) {
    let Some(services) = entry.get("Services").and_then(Node::as_map) else {
        return;
    };
    let default_mappings = entry
        .get("Settings")
        .and_then(|s| s.get("SecretsMappings"))
        .or_else(|| entry.setting("SecretsMappings"));
    let mut ingress_done: BTreeSet<String> = BTreeSet::new();
    for (target, _, def) in &services.entries {
        let mappings_node = def.get("SecretsMappings").or(default_mappings);
        let mappings = match mappings_node {
            Some(node) => secret_mappings(ctx, entry, node),
            None => None,
        };
        if let Some(n) = def.get("GenerateConnectionStringSecret") {
            ctx.diags.push(
                Diagnostic::warning(
                    IGNORED,
                    format!("{} {}: GenerateConnectionStringSecret is not supported and is ignored", entry.module.key, entry.name),
                    n.span,
                )
                .with_help("build the connection string in the application from the secret's keys (host, port, username, password)"),
            );
        }
        let task_access = def
            .get("GrantTaskAccess")
            .and_then(|g| grant_task_access(ctx, entry, g));
        for (family, service) in ctx.families_of(target) {
            if ingress_done.insert(family.clone()) {
                ingress(ctx, entry, &family, port);
            }
            let secret = ctx.value_named(&family, entry, "DBSecret");
            let vars: Vec<SecretVar> = match &mappings {
                None => vec![SecretVar {
                    name: secret_var_name(&entry.name),
                    value_from: secret.clone(),
                    service: service.clone(),
                }],
                Some(list) => list
                    .iter()
                    .map(|m| {
                        let mut v = Map::new();
                        v.insert("SecretArn".into(), secret.clone());
                        SecretVar {
                            name: m.var.clone(),
                            value_from: sub_with(&format!("${{SecretArn}}:{}::", m.key), v),
                            service: service.clone(),
                        }
                    })
                    .collect(),
            };
            let policy_name = format!("{}{}Secret", logical_id(entry.module.stack), entry.id);
            let statement = Statement::allow(
                &format!("ReadSecret{}", entry.id),
                READ_SECRET,
                vec![secret.clone()],
            );
            let env = task_access.as_ref().map(|(name, _)| name.clone());
            let links = ctx.links.family_mut(&family);
            links.secrets.extend(vars);
            add_policy(&mut links.execution, &policy_name, statement.clone());
            if task_access.is_some() {
                add_policy(&mut links.policies, &policy_name, statement);
            }
            if let (Some(Some(name)), Some((_, span))) = (env, &task_access) {
                links.environment.push(crate::modules::EnvVar {
                    name,
                    value: secret,
                    service: service.clone(),
                    span: *span,
                });
            }
        }
    }
}

fn add_policy(policies: &mut Vec<LinkPolicy>, name: &str, statement: Statement) {
    match policies.iter_mut().find(|p| p.name == name) {
        Some(_) => {}
        None => policies.push(LinkPolicy {
            name: name.to_string(),
            statements: vec![statement],
        }),
    }
}

/// The container secret holding the whole secret: named like the database (ComposeX's name),
/// characters env var names cannot hold as `_`.
fn secret_var_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// `GrantTaskAccess: true` or `{SecretEnvName: VAR}`: (env var for the secret's ARN, span).
fn grant_task_access(
    ctx: &mut Ctx,
    entry: &Entry,
    node: &Node,
) -> Option<(Option<String>, crate::diagnostic::Span)> {
    if let Some(b) = node.as_scalar().and_then(|s| s.as_bool()) {
        return b.then_some((None, node.span));
    }
    match node.get("SecretEnvName").and_then(Node::as_str) {
        Some(name) if is_env(name) => Some((Some(name.to_string()), node.span)),
        _ => {
            ctx.diags.push(
                Diagnostic::error(
                    INVALID,
                    format!(
                        "{} {}: GrantTaskAccess is true or {{SecretEnvName: <env var>}}",
                        entry.module.key, entry.name
                    ),
                    node.span,
                )
                .with_help("the env var gets the secret's ARN; the task role may read the secret"),
            );
            None
        }
    }
}

fn is_env(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `SecretsMappings: {PrefixWithDbName: bool | prefix, Mappings: {key: VAR} | [{SecretKey, VarName}]}`.
fn secret_mappings(ctx: &mut Ctx, entry: &Entry, node: &Node) -> Option<Vec<Mapping>> {
    let bad = |ctx: &mut Ctx, span, msg: &str| {
        ctx.diags.push(
            Diagnostic::error(INVALID, format!("{} {}: {msg}", entry.module.key, entry.name), span).with_help(
                "SecretsMappings: {PrefixWithDbName: true, Mappings: {host: DB_HOST, password: DB_PASSWORD}}",
            ),
        );
    };
    let prefix = match node.get("PrefixWithDbName") {
        None => String::new(),
        Some(p) => match p.as_scalar() {
            Some(s) if s.as_bool() == Some(true) => format!("{}_", env_name(&entry.name)),
            Some(s) if s.as_bool() == Some(false) => String::new(),
            Some(s) if is_env(&s.text) => format!("{}_", s.text),
            _ => {
                bad(
                    ctx,
                    p.span,
                    "PrefixWithDbName is true, false or an env var prefix",
                );
                String::new()
            }
        },
    };
    let Some(mappings) = node.get("Mappings") else {
        bad(ctx, node.span, "SecretsMappings needs Mappings");
        return None;
    };
    let mut pairs: Vec<(String, String, crate::diagnostic::Span)> = Vec::new();
    if let Some(map) = mappings.as_map() {
        for (key, _, var) in &map.entries {
            match var.as_str() {
                Some(v) => pairs.push((key.clone(), v.to_string(), var.span)),
                None => bad(ctx, var.span, "each mapping names an env var"),
            }
        }
    } else if let Some(items) = mappings.as_seq() {
        for item in items {
            let key = item.get("SecretKey").and_then(Node::as_str);
            let var = item.get("VarName").and_then(Node::as_str).or(key);
            match (key, var) {
                (Some(k), Some(v)) => pairs.push((k.to_string(), v.to_string(), item.span)),
                _ => bad(ctx, item.span, "each mapping needs SecretKey (and VarName)"),
            }
        }
    } else {
        bad(ctx, mappings.span, "Mappings is a mapping or a list");
        return None;
    }
    let mut out = Vec::new();
    for (key, var, span) in pairs {
        let var = format!("{prefix}{var}");
        let key_ok = !key.is_empty() && !key.contains(':');
        if !key_ok || !is_env(&var) {
            bad(
                ctx,
                span,
                &format!("`{key}` -> `{var}` is not a secret key and env var name"),
            );
            continue;
        }
        out.push(Mapping { key, var });
    }
    Some(out)
}

/// Ingress to the database port from `family`'s tasks, in the stack holding the rules between
/// families (both security groups are imports there: no stack depends on the other).
pub fn ingress(ctx: &mut Ctx, entry: &Entry, family: &str, port: u16) {
    let module = entry.module;
    let group_export = crate::modules::common::export_name(
        module,
        entry,
        &crate::modules::common::return_value(module, "GroupId").unwrap_or(module.return_values[0]),
    );
    let family_group = crate::stack::family::security_group_export(family);
    let stack = ctx.stacks.stack(NETWORKING_STACK);
    let group = stack.import(&group_export);
    let source = stack.import(&family_group);
    let rule: Value = json!({
        "GroupId": group,
        "SourceSecurityGroupId": source,
        "IpProtocol": "tcp",
        "FromPort": port,
        "ToPort": port,
        "Description": format!("{family} to {} {}", module.key, entry.name),
    });
    stack.add_resource(
        &format!(
            "{}To{}{}",
            logical_id(family),
            logical_id(module.stack),
            entry.id
        ),
        Resource::new("AWS::EC2::SecurityGroupIngress", rule),
    );
}

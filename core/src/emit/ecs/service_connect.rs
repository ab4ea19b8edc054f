//! ECS Service Connect, so that compose service names resolve as under `docker compose up`:
//! every TCP port a service listens on becomes a Service Connect endpoint in the project's
//! CloudMap namespace, known to clients by the compose service name and its network aliases
//! (`db`, `db:5432`); every ECS service of the project is a client of the namespace. The
//! security groups of the compose networks (see `networks`) decide who may actually connect.
//!
//! Service Connect registers its own CloudMap services (API only, no DNS records): their
//! names are `<container>-<port>` so they never clash with a family's DNS discovery service.
//! Port mappings are named as ComposeX names them (the compose port `name`, else
//! `tcp_<port>`), so ComposeX's `x-ecs_connect` settings find them; those settings win.

use indexmap::{IndexMap, IndexSet};
use serde_json::{json, Map, Value};

use super::cloudmap::Namespaces;
use super::ecs_connect::{self, Explicit, ECS_CONNECT};
use super::family::Plan;
use super::service::{SERVICE, TASK_DEFINITION};
use super::X_CLOUDMAP;
use crate::cfn::sub_with;
use crate::diagnostic::Diagnostic;
use crate::stack::{Stack, Stacks};

/// One Service Connect endpoint: a container port and the names clients use for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The family (stack) whose ECS service offers it.
    pub family: String,
    /// The container listening.
    pub container: String,
    /// The container port (TCP).
    pub port: u16,
    /// `PortMappings[].Name` in the task definition.
    pub port_name: String,
    /// The CloudMap service Service Connect creates for it.
    pub discovery_name: String,
    /// Client aliases (DNS names), all on `port`.
    pub aliases: Vec<String>,
    /// Other properties given in `x-ecs_connect` (`Timeout`, `IngressPortOverride`).
    pub extra: Map<String, Value>,
}

/// Longest CloudMap service / port mapping name ECS accepts.
const NAME_LIMIT: usize = 64;
/// Longest client alias ECS accepts.
const ALIAS_LIMIT: usize = 127;

/// A Service Connect name (port name, discovery name): lower case letters, digits, `_`, `-`,
/// not starting with `-`, at most 64 characters.
fn connect_name(text: &str) -> String {
    let mut name: String = text
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if name.starts_with('-') {
        name.insert(0, 'p');
    }
    name.truncate(NAME_LIMIT);
    name
}

/// A client alias from a compose name, when ECS accepts it as one (lower case DNS name).
fn alias(name: &str) -> Option<String> {
    let alias = name.to_ascii_lowercase();
    let valid = !alias.is_empty()
        && alias.len() <= ALIAS_LIMIT
        && !alias.starts_with('-')
        && alias
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    valid.then_some(alias)
}

/// The endpoints of every family, in family and container order. A name and port already
/// offered (a service listed in two families) stays with the first family. `explicit` holds
/// the families' `x-ecs_connect` settings; a port name they give that the family lacks is an
/// error.
pub fn endpoints(
    plans: &[Plan<'_>],
    registered: &[String],
    explicit: &IndexMap<String, Explicit>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Endpoint> {
    let mut found: Vec<Endpoint> = Vec::new();
    // Looked up once per endpoint: sets, so that a project with a port per service is not
    // quadratic in its services (a list scanned per endpoint was, for 1,000 services).
    let mut taken_names: IndexSet<String> = registered.iter().cloned().collect();
    // (port, alias) of the endpoints found so far.
    let mut taken_aliases: IndexSet<(u16, String)> = IndexSet::new();
    for plan in plans {
        let settings = explicit.get(&plan.name);
        let mut port_names: Vec<String> = Vec::new();
        for c in &plan.containers {
            let mut names = vec![c.service.name.clone()];
            names.extend(
                c.service
                    .networks
                    .values()
                    .flat_map(|n| n.aliases.iter().cloned()),
            );
            for p in c.ports.iter().filter(|p| p.protocol == "tcp") {
                let port_name = c
                    .service
                    .ports
                    .iter()
                    .find(|sp| sp.target == p.port && sp.protocol == "tcp")
                    .and_then(|sp| sp.name.as_deref())
                    .map(connect_name)
                    .unwrap_or_else(|| format!("tcp_{}", p.port));
                port_names.push(port_name.clone());
                let given = settings
                    .and_then(|e| e.ports.iter().find(|(n, _, _)| *n == port_name))
                    .map(|(_, _, s)| s.clone())
                    .unwrap_or_default();
                let mut aliases: Vec<String> = Vec::new();
                let wanted = given.dns_name.iter().chain(names.iter());
                for a in wanted.filter_map(|n| alias(n)) {
                    let used = taken_aliases.contains(&(p.port, a.clone()));
                    if !used && !aliases.contains(&a) {
                        aliases.push(a);
                    }
                }
                if aliases.is_empty() {
                    continue;
                }
                let discovery_name = match given.discovery_name {
                    Some(name) => Some(name),
                    None => [
                        connect_name(&format!("{}-{}", c.name, p.port)),
                        connect_name(&format!("{}-{}-{}", plan.name, c.name, p.port)),
                    ]
                    .into_iter()
                    .find(|n| !taken_names.contains(n)),
                };
                let Some(discovery_name) = discovery_name else {
                    continue;
                };
                taken_names.insert(discovery_name.clone());
                taken_aliases.extend(aliases.iter().map(|a| (p.port, a.clone())));
                found.push(Endpoint {
                    family: plan.name.clone(),
                    container: c.name.clone(),
                    port: p.port,
                    port_name,
                    discovery_name,
                    aliases,
                    extra: given.extra,
                });
            }
        }
        for (name, span, _) in settings.map_or(&[][..], |e| &e.ports[..]) {
            if !port_names.contains(name) {
                diags.push(
                    Diagnostic::error(
                        ECS_CONNECT,
                        format!(
                            "x-ecs_connect: task family `{}` has no TCP port named `{name}`",
                            plan.name
                        ),
                        *span,
                    )
                    .with_help(match port_names.is_empty() {
                        true => "the family listens on no TCP port".to_string(),
                        false => format!("its ports: {}", port_names.join(", ")),
                    }),
                );
            }
        }
    }
    found
}

/// What Service Connect sets in each family's stack, decided before the families are
/// written (each family is then finished in one visit, see `emit::ecs::write`).
#[derive(Debug, Default)]
pub struct Connect {
    /// Per family (stack name): the namespace export and its endpoints.
    families: IndexMap<String, FamilyConnect>,
}

#[derive(Debug)]
struct FamilyConnect {
    /// Export of the id of the namespace the family's service is a client of.
    namespace_export: String,
    /// The `ServiceConnectConfiguration` written in `x-ecs_connect`, used as is.
    written: Option<Value>,
    /// The family's endpoints, in endpoint order.
    endpoints: Vec<Endpoint>,
}

/// Plans Service Connect for every family when some service listens (the project's namespace
/// is created here when no x-cloudmap namespace is the project's).
pub fn plan(
    plans: &[Plan<'_>],
    namespaces: &mut Namespaces,
    stacks: &mut Stacks,
    diags: &mut Vec<Diagnostic>,
) -> Connect {
    let mut explicit: IndexMap<String, Explicit> = IndexMap::new();
    for plan in plans {
        if let Some(settings) = ecs_connect::read(plan, diags) {
            explicit.insert(plan.name.clone(), settings);
        }
    }
    let registered = namespaces.registered_names(plans);
    let endpoints = endpoints(plans, &registered, &explicit, diags);
    if endpoints.is_empty() && explicit.is_empty() {
        return Connect::default();
    }
    let project_namespace = namespaces.project_namespace(stacks);
    // Each family's endpoints, gathered once (in endpoint order within a family).
    let mut by_family: IndexMap<String, Vec<Endpoint>> = IndexMap::new();
    for endpoint in endpoints {
        by_family
            .entry(endpoint.family.clone())
            .or_default()
            .push(endpoint);
    }
    let mut families = IndexMap::new();
    for plan in plans {
        let settings = explicit.get(&plan.name);
        let namespace_export = match settings.and_then(|e| e.namespace.as_ref()) {
            Some((key, span)) => match namespaces.export_of(key) {
                Some(export) => export,
                None => {
                    diags.push(
                        Diagnostic::error(
                            X_CLOUDMAP,
                            format!("x-ecs_connect: namespace {key} is not defined in x-cloudmap"),
                            *span,
                        )
                        .with_help("define it under top-level `x-cloudmap:`"),
                    );
                    continue;
                }
            },
            None => project_namespace.clone(),
        };
        let connect = FamilyConnect {
            namespace_export,
            written: settings.and_then(|e| e.properties.clone()),
            endpoints: by_family.swap_remove(&plan.name).unwrap_or_default(),
        };
        families.insert(plan.name.clone(), connect);
    }
    Connect { families }
}

/// Turns Service Connect on in `stack`, family `family`'s (when it has an ECS service).
pub fn apply(connect: &Connect, family: &str, stack: &mut Stack) {
    let Some(planned) = connect.families.get(family) else {
        return;
    };
    if !stack.template.resources.contains_key(SERVICE) {
        return;
    }
    let mine = &planned.endpoints;
    name_port_mappings(mine, stack);
    if let Some(written) = &planned.written {
        set_configuration(stack, written.clone());
        return;
    }
    let namespace_id = stack.import(&planned.namespace_export);
    let mut variables = Map::new();
    variables.insert("NamespaceId".into(), namespace_id);
    let namespace = sub_with(
        "arn:${AWS::Partition}:servicediscovery:${AWS::Region}:${AWS::AccountId}:namespace/${NamespaceId}",
        variables,
    );
    let mut config = Map::new();
    config.insert("Enabled".into(), json!(true));
    config.insert("Namespace".into(), namespace);
    if !mine.is_empty() {
        let services: Vec<Value> = mine
            .iter()
            .map(|e| {
                let aliases: Vec<Value> = e
                    .aliases
                    .iter()
                    .map(|a| json!({ "DnsName": a, "Port": e.port }))
                    .collect();
                let mut entry = json!({
                    "PortName": e.port_name,
                    "DiscoveryName": e.discovery_name,
                    "ClientAliases": aliases,
                });
                if let Value::Object(map) = &mut entry {
                    map.extend(e.extra.clone());
                }
                entry
            })
            .collect();
        config.insert("Services".into(), Value::Array(services));
    }
    set_configuration(stack, Value::Object(config));
}

fn set_configuration(stack: &mut Stack, config: Value) {
    if let Some(service) = stack.template.resources.get_mut(SERVICE) {
        service
            .properties
            .insert("ServiceConnectConfiguration".into(), config);
    }
}

/// Names the task definition's port mappings the endpoints use (Service Connect finds them by
/// name).
fn name_port_mappings(endpoints: &[Endpoint], stack: &mut Stack) {
    let Some(definitions) = stack
        .template
        .resources
        .get_mut(TASK_DEFINITION)
        .and_then(|t| t.properties.get_mut("ContainerDefinitions"))
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for endpoint in endpoints {
        let container = definitions
            .iter_mut()
            .find(|d| d.get("Name").and_then(Value::as_str) == Some(endpoint.container.as_str()));
        let mappings = container
            .and_then(|d| d.get_mut("PortMappings"))
            .and_then(Value::as_array_mut);
        for mapping in mappings.into_iter().flatten() {
            if mapping.get("ContainerPort") == Some(&json!(endpoint.port))
                && mapping.get("Protocol") == Some(&json!("tcp"))
            {
                mapping["Name"] = json!(endpoint.port_name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_what_ecs_accepts() {
        assert_eq!(connect_name("Web.App-80"), "web-app-80");
        assert_eq!(connect_name("-x"), "p-x");
        assert_eq!(connect_name(&"a".repeat(80)).len(), 64);
        assert_eq!(alias("DB").as_deref(), Some("db"));
        assert_eq!(alias("db.internal").as_deref(), Some("db.internal"));
        assert_eq!(alias("-db"), None);
        assert_eq!(alias("db host"), None);
    }
}

//! CloudMap service discovery: private DNS namespaces (x-cloudmap, else `<project>.local` when a
//! family needs one) in the `cloudmap` stack, and one discovery service per family so others reach
//! it by name (`<family>.<namespace>`), without a load balancer.

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::family::Plan;
use super::{unknown_keys, CLOUDMAP_STACK, X_CLOUDMAP};
use crate::cfn::{get_att, logical_id, Parameter, Resource};
use crate::compose::Project;
use crate::diagnostic::Diagnostic;
use crate::stack::{Stack, Stacks, VPC_ID};
use crate::yaml::Node;

pub use crate::stack::family::DISCOVERY_SERVICE;
const KEYS: &[&str] = &["ZoneName", "Name", "Properties", "Lookup"];

/// The namespaces of the render and which family registers where.
#[derive(Debug, Default)]
pub struct Namespaces {
    /// x-cloudmap key (or the default namespace's DNS name) -> export name of its id.
    exports: IndexMap<String, String>,
    /// Family -> the namespace key it registers in.
    families: IndexMap<String, String>,
}

/// A DNS name from `name`: lower case, `[a-z0-9-.]`.
fn dns_name(name: &str) -> String {
    name.to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Declares the namespaces and decides each family's registration.
pub fn emit(
    project: &Project,
    plans: &[Plan<'_>],
    stacks: &mut Stacks,
    diags: &mut Vec<Diagnostic>,
) -> Namespaces {
    let mut namespaces = Namespaces::default();
    let defined = project.extension("x-cloudmap").filter(|n| !n.is_null());
    let mut keys: Vec<String> = Vec::new();
    if let Some(node) = defined {
        match node.as_map() {
            Some(map) => {
                for (key, ns) in map.iter() {
                    if let Some(export) = namespace(key, ns, stacks, diags) {
                        namespaces.exports.insert(key.to_string(), export);
                        keys.push(key.to_string());
                    }
                }
            }
            None => diags.push(Diagnostic::error(
                X_CLOUDMAP,
                format!("x-cloudmap must be a mapping, not a {}", node.kind_name()),
                node.span,
            )),
        }
    }
    let mut default: Option<String> = keys.first().cloned();
    for plan in plans {
        let chosen = match &plan.cloudmap {
            Some((name, span)) => {
                if !namespaces.exports.contains_key(name) {
                    diags.push(
                        Diagnostic::error(X_CLOUDMAP, format!("x-network.x-cloudmap: namespace {name} is not defined in x-cloudmap"), *span)
                            .with_help(match keys.is_empty() {
                                true => "define it under top-level `x-cloudmap:`".to_string(),
                                false => format!("defined namespaces: {}", keys.join(", ")),
                            }),
                    );
                    continue;
                }
                name.clone()
            }
            None if !plan.ports().is_empty() => match &default {
                Some(d) => d.clone(),
                None => {
                    let name = format!("{}.local", dns_name(stacks.root_name()));
                    let export = create(&name, None, stacks);
                    namespaces.exports.insert(name.clone(), export);
                    default = Some(name.clone());
                    name
                }
            },
            None => continue,
        };
        namespaces.families.insert(plan.name.clone(), chosen);
    }
    namespaces
}

/// Creates a private DNS namespace named `name` in the cloudmap stack; returns its export name.
fn create(name: &str, properties: Option<Map<String, Value>>, stacks: &mut Stacks) -> String {
    let export = format!("{}NamespaceId", logical_id(name));
    let stack = stacks.stack(CLOUDMAP_STACK);
    let vpc = stack.import(VPC_ID);
    let mut props = properties.unwrap_or_default();
    props.insert("Name".into(), json!(name));
    props.insert("Vpc".into(), vpc);
    props
        .entry("Description")
        .or_insert_with(|| json!(format!("Service discovery for {}", name)));
    let id = stack.add_resource(
        name,
        Resource::new(
            "AWS::ServiceDiscovery::PrivateDnsNamespace",
            Value::Object(props),
        ),
    );
    stack.export(
        &export,
        get_att(&id, "Id"),
        "String",
        &format!("Id of the CloudMap namespace {name}"),
    );
    export
}

/// One x-cloudmap entry: created, or an existing namespace given by id.
fn namespace(
    key: &str,
    node: &crate::yaml::Node,
    stacks: &mut Stacks,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    if node.as_map().is_none() {
        diags.push(Diagnostic::error(
            X_CLOUDMAP,
            format!("x-cloudmap.{key} must be a mapping"),
            node.span,
        ));
        return None;
    }
    unknown_keys(node, KEYS, &format!("x-cloudmap.{key}"), diags);
    if let Some(lookup) = node.get("Lookup") {
        let export = format!("{}NamespaceId", logical_id(key));
        let id = lookup.get("NamespaceId").and_then(Node::as_str);
        // Declared (and its value asked for) only when a family registers in it.
        stacks.root().export_parameter(
            &export,
            Parameter::string()
                .with_description(format!("Id of the existing CloudMap namespace {key}")),
        );
        match id {
            Some(id) => {
                stacks.known_values.insert(export.clone(), id.to_string());
            }
            None => {
                let warning = Diagnostic::warning(
                    X_CLOUDMAP,
                    format!(
                        "x-cloudmap.{key}.Lookup: parameter {export} must be filled at deploy time"
                    ),
                    lookup.span,
                )
                .with_help("composex does not call AWS: write `Lookup: {NamespaceId: ns-...}`");
                stacks.unfilled_warnings.insert(export.clone(), warning);
            }
        }
        return Some(export);
    }
    let properties = node
        .get("Properties")
        .and_then(|p| match super::to_json(p) {
            Value::Object(m) => Some(m),
            _ => None,
        });
    let written = node
        .get("ZoneName")
        .or_else(|| node.get("Name"))
        .and_then(Node::as_str)
        .map(str::to_string)
        .or_else(|| {
            properties
                .as_ref()
                .and_then(|p| p.get("Name"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| key.to_string());
    let name = written.trim_end_matches('.').to_string();
    if name.is_empty()
        || name.split('.').any(|l| l.is_empty() || l.len() > 63)
        || name != dns_name(&name)
    {
        diags.push(
            Diagnostic::error(
                X_CLOUDMAP,
                format!("x-cloudmap.{key}: `{written}` is not a DNS name"),
                node.span,
            )
            .with_help("a lower-case DNS name such as `myapp.local`"),
        );
        return None;
    }
    Some(create(&name, properties, stacks))
}

impl Namespaces {
    /// Export name of the project's namespace id: the first of x-cloudmap, else
    /// `<project>.local` (created on first use). Service Connect uses it.
    pub fn project_namespace(&mut self, stacks: &mut Stacks) -> String {
        if let Some((_, export)) = self.exports.first() {
            return export.clone();
        }
        let name = format!("{}.local", dns_name(stacks.root_name()));
        let export = create(&name, None, stacks);
        self.exports.insert(name, export.clone());
        export
    }

    /// Export name of the id of x-cloudmap namespace `key`, when it is defined.
    pub fn export_of(&self, key: &str) -> Option<String> {
        self.exports.get(key).cloned()
    }

    /// The DNS names the families' discovery services take in their namespaces.
    pub fn registered_names(&self, plans: &[Plan<'_>]) -> Vec<String> {
        plans
            .iter()
            .filter(|p| self.families.contains_key(&p.name))
            .map(|p| p.hostname.clone())
            .collect()
    }

    /// Adds `plan`'s discovery service to its stack; returns the ECS service's registry entry.
    pub fn registry(&self, plan: &Plan<'_>, stack: &mut Stack) -> Option<Value> {
        let key = self.families.get(&plan.name)?;
        let export = self.exports.get(key)?;
        let namespace = stack.import(export);
        let port = plan
            .containers
            .iter()
            .find_map(|c| c.ports.first().map(|p| (c.name.clone(), p.port)));
        let mut records = vec![json!({ "Type": "A", "TTL": 15 })];
        if port.is_some() {
            records.push(json!({ "Type": "SRV", "TTL": 15 }));
        }
        let id = stack.add_resource(
            DISCOVERY_SERVICE,
            Resource::new(
                "AWS::ServiceDiscovery::Service",
                json!({
                    "Name": plan.hostname,
                    "Description": format!("{} tasks", plan.name),
                    "NamespaceId": namespace,
                    "DnsConfig": { "DnsRecords": records, "RoutingPolicy": "MULTIVALUE" },
                    "HealthCheckCustomConfig": { "FailureThreshold": 1 },
                }),
            ),
        );
        let mut registry = json!({ "RegistryArn": get_att(&id, "Arn") });
        if let Some((container, port)) = port {
            registry["ContainerName"] = json!(container);
            registry["ContainerPort"] = json!(port);
        }
        Some(registry)
    }
}

//! Family security groups: ingress from x-network (Myself, ExtSources, AwsSources) and from the
//! compose networks' groups in the family stack; ingress from the families `Ingress.Services`
//! names in the `ServicesNetworking` stack, so family stacks never depend on one another.

use serde_json::{json, Map, Value};

use super::container::ContainerPort;
use super::family::Plan;
use super::{service_extensions, unknown_keys, NETWORKING_STACK, X_CLOUDMAP, X_NETWORK};
use crate::cfn::{checkov, get_att, object, Resource};
use crate::compose::model::Service;
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::posture::{open_port_check, USER_CHOICE};
use crate::stack::{Stack, Stacks, VPC_ID};
use crate::yaml::Node;

pub use crate::stack::family::SECURITY_GROUP;
const SG_TYPE: &str = "AWS::EC2::SecurityGroup::Id";

const KEYS: &[&str] = &["AssignPublicIp", "Ingress", "x-cloudmap", "x-ecs_connect"];
const INGRESS_KEYS: &[&str] = &["Myself", "ExtSources", "AwsSources", "Services"];

/// Where traffic may come from, besides the other families.
#[derive(Debug, Default)]
pub struct Ingress {
    /// The family's own tasks.
    pub myself: bool,
    /// CIDR sources.
    pub cidrs: Vec<Source>,
    /// Security groups and prefix lists.
    pub aws: Vec<Source>,
    /// Services or families named in `Ingress.Services`: they reach the family's ports even
    /// without a compose network in common.
    pub services: Vec<(String, Span)>,
}

/// One ingress source.
#[derive(Debug)]
pub struct Source {
    /// The property naming it (`CidrIp`, `CidrIpv6`, `SourceSecurityGroupId`, `SourcePrefixListId`).
    pub property: &'static str,
    /// Its value.
    pub value: String,
    /// Rule description.
    pub description: String,
    /// Ports (None: all the family's ports).
    pub ports: Option<Vec<u16>>,
    /// Why anyone may connect, when the source is `0.0.0.0/0` or `::/0` (the user's choice:
    /// the reason of the security scanner suppressions on its rules).
    pub anyone: Option<String>,
}

/// Reads x-network: (public IP, CloudMap namespace, ingress).
pub fn read_x_network(
    services: &[&Service],
    diags: &mut Vec<Diagnostic>,
) -> (bool, Option<(String, Span)>, Ingress) {
    let mut public_ip = false;
    let mut cloudmap: Option<(String, Span)> = None;
    let mut ingress = Ingress::default();
    for (service, node) in service_extensions(services, "x-network", X_NETWORK, diags) {
        let what = format!("services.{}.x-network", service.name);
        unknown_keys(node, KEYS, &what, diags);
        if let Some(n) = node.get("AssignPublicIp") {
            match n.boolean() {
                Some(b) => public_ip |= b,
                None => diags.push(Diagnostic::error(
                    X_NETWORK,
                    format!("{what}.AssignPublicIp must be true or false"),
                    n.span,
                )),
            }
        }
        if let Some(n) = node.get("x-cloudmap") {
            // `<namespace>` or `{<namespace>: {...}}`.
            let name = n.as_str().map(str::to_string).or_else(|| {
                n.as_map()
                    .and_then(|m| m.iter().next())
                    .map(|(k, _)| k.to_string())
            });
            match name {
                Some(name) if cloudmap.as_ref().is_none_or(|(c, _)| *c == name) => {
                    cloudmap = Some((name, n.span))
                }
                Some(_) => diags.push(Diagnostic::error(
                    super::FAMILY_CONFLICT,
                    "services of one task family register in different CloudMap namespaces",
                    n.span,
                )),
                None => diags.push(Diagnostic::error(
                    X_CLOUDMAP,
                    format!("{what}.x-cloudmap names a namespace of x-cloudmap"),
                    n.span,
                )),
            }
        }
        if let Some(i) = node.get("Ingress") {
            read_ingress(i, &what, &mut ingress, diags);
        }
    }
    (public_ip, cloudmap, ingress)
}

fn ports(node: Option<&crate::yaml::Node>, diags: &mut Vec<Diagnostic>) -> Option<Vec<u16>> {
    let node = node?;
    let mut ports = Vec::new();
    for item in node.as_seq().unwrap_or_default() {
        match item
            .integer()
            .and_then(|p| u16::try_from(p).ok())
            .filter(|p| *p > 0)
        {
            Some(p) => ports.push(p),
            None => diags.push(Diagnostic::error(
                X_NETWORK,
                "ingress Ports are port numbers (1..65535)",
                item.span,
            )),
        }
    }
    if node.as_seq().is_none() {
        diags.push(Diagnostic::error(
            X_NETWORK,
            "ingress Ports must be a list of port numbers",
            node.span,
        ));
    }
    Some(ports)
}

fn read_ingress(
    node: &crate::yaml::Node,
    what: &str,
    ingress: &mut Ingress,
    diags: &mut Vec<Diagnostic>,
) {
    unknown_keys(node, INGRESS_KEYS, &format!("{what}.Ingress"), diags);
    if let Some(m) = node.get("Myself") {
        ingress.myself |= m.boolean().unwrap_or(false);
    }
    for entry in node
        .get("Services")
        .and_then(|n| n.as_seq())
        .unwrap_or_default()
    {
        match entry.get("Name").and_then(Node::as_str) {
            Some(name) => ingress.services.push((name.to_string(), entry.span)),
            None => diags.push(Diagnostic::error(
                X_NETWORK,
                "Ingress.Services entries need `Name` (a service or task family)",
                entry.span,
            )),
        }
    }
    for source in node
        .get("ExtSources")
        .and_then(|n| n.as_seq())
        .unwrap_or_default()
    {
        let (property, value) = match (
            source.get("IPv4").and_then(Node::as_str),
            source.get("IPv6").and_then(Node::as_str),
        ) {
            (Some(v4), _) if valid_cidr(v4, false) => ("CidrIp", v4),
            (None, Some(v6)) if valid_cidr(v6, true) => ("CidrIpv6", v6),
            _ => {
                diags.push(
                    Diagnostic::error(
                        X_NETWORK,
                        "ExtSources entries need IPv4 (a.b.c.d/n) or IPv6 (x::/n)",
                        source.span,
                    )
                    .with_help("e.g. `- IPv4: 0.0.0.0/0` with `Name: everyone`"),
                );
                continue;
            }
        };
        let name = source.get("Name").and_then(Node::as_str).unwrap_or(value);
        let description = source
            .get("Description")
            .and_then(Node::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("from {name}"));
        let ports = ports(source.get("Ports"), diags);
        let anyone = (value == "0.0.0.0/0" || value == "::/0").then(|| {
            let reason =
                format!("{what}.Ingress.ExtSources admits anyone ({value}) to the service's tasks");
            diags.push(Diagnostic::info(USER_CHOICE, reason.clone(), source.span));
            reason
        });
        ingress.cidrs.push(Source {
            property,
            value: value.to_string(),
            description,
            ports,
            anyone,
        });
    }
    for source in node
        .get("AwsSources")
        .and_then(|n| n.as_seq())
        .unwrap_or_default()
    {
        let property = match source.get("Type").and_then(Node::as_str) {
            Some("SecurityGroup") => "SourceSecurityGroupId",
            Some("PrefixList") => "SourcePrefixListId",
            _ => {
                diags.push(Diagnostic::error(
                    X_NETWORK,
                    "AwsSources entries need Type: SecurityGroup or PrefixList",
                    source.span,
                ));
                continue;
            }
        };
        let Some(id) = source.get("Id").and_then(Node::as_str) else {
            let span = super::span_of(source, "Lookup");
            diags.push(
                Diagnostic::error(
                    X_NETWORK,
                    "AwsSources entries need `Id` (Lookup needs an AWS call)",
                    span,
                )
                .with_help("write the sg-... or pl-... id"),
            );
            continue;
        };
        let ports = ports(source.get("Ports"), diags);
        ingress.aws.push(Source {
            property,
            value: id.to_string(),
            description: format!("from {id}"),
            ports,
            anyone: None,
        });
    }
}

fn valid_cidr(text: &str, v6: bool) -> bool {
    let Some((ip, bits)) = text.split_once('/') else {
        return false;
    };
    let Ok(bits) = bits.parse::<u8>() else {
        return false;
    };
    if v6 {
        ip.contains(':') && bits <= 128 && ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':')
    } else {
        let parts: Vec<&str> = ip.split('.').collect();
        bits <= 32 && parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok())
    }
}

fn rule(
    group: Value,
    port: &ContainerPort,
    source_property: &str,
    source: Value,
    description: &str,
) -> Resource {
    let mut props = Map::new();
    props.insert("GroupId".into(), group);
    props.insert("IpProtocol".into(), json!(port.protocol));
    props.insert("FromPort".into(), json!(port.port));
    props.insert("ToPort".into(), json!(port.port));
    props.insert(source_property.into(), source);
    props.insert("Description".into(), json!(description));
    Resource::new("AWS::EC2::SecurityGroupIngress", Value::Object(props))
}

/// The ports a source may reach: its own list (tcp), else every port of the family.
fn source_ports(source: &Source, family: &[&ContainerPort]) -> Vec<ContainerPort> {
    match &source.ports {
        Some(list) => list
            .iter()
            .map(|p| ContainerPort {
                port: *p,
                protocol: "tcp".into(),
            })
            .collect(),
        None => family.iter().map(|p| (*p).clone()).collect(),
    }
}

/// Adds the family's security group and its x-network ingress; exports the group id.
pub fn emit(plan: &Plan<'_>, stack: &mut Stack) -> String {
    let vpc = stack.import(VPC_ID);
    let mut props = object! { "GroupDescription": format!("{} tasks", plan.name), "VpcId": vpc };
    if plan.internal {
        props["SecurityGroupEgress"] = super::internal::no_egress();
    }
    let group = stack.add_resource(
        SECURITY_GROUP,
        Resource::new("AWS::EC2::SecurityGroup", props),
    );
    let ports = plan.ports();
    let group_id = get_att(&group, "GroupId");
    if plan.internal {
        super::internal::family_egress(plan, &group_id, stack);
    }
    if plan.ingress.myself {
        for p in &ports {
            let id = format!("FromMyself{}{}", p.port, p.protocol.to_ascii_uppercase());
            stack.add_resource(
                &id,
                rule(
                    group_id.clone(),
                    p,
                    "SourceSecurityGroupId",
                    group_id.clone(),
                    "from the family's own tasks",
                ),
            );
        }
    }
    for network in &plan.network_groups {
        let source = stack.import(&super::networks::network_group_export(network));
        for p in &ports {
            let id = format!(
                "From{}Network{}{}",
                crate::cfn::logical_id(network),
                p.port,
                p.protocol.to_ascii_uppercase()
            );
            let description = format!("from the compose network {network}");
            stack.add_resource(
                &id,
                rule(
                    group_id.clone(),
                    p,
                    "SourceSecurityGroupId",
                    source.clone(),
                    &description,
                ),
            );
        }
    }
    for (n, source) in plan
        .ingress
        .cidrs
        .iter()
        .chain(&plan.ingress.aws)
        .enumerate()
    {
        for p in source_ports(source, &ports) {
            let id = format!(
                "Ingress{}Port{}{}",
                n + 1,
                p.port,
                p.protocol.to_ascii_uppercase()
            );
            let mut resource = rule(
                group_id.clone(),
                &p,
                source.property,
                json!(source.value),
                &source.description,
            );
            if let (Some(reason), Some(check)) = (&source.anyone, open_port_check(p.port)) {
                checkov::skip(&mut resource, check, reason);
            }
            stack.add_resource(&id, resource);
        }
    }
    stack.export(
        &plan.security_group_export(),
        group_id,
        SG_TYPE,
        &format!("Security group of the {} tasks", plan.name),
    );
    group
}

/// Ingress named by `Ingress.Services` between families that share no compose network (those
/// that do are let in through the network's group, see `networks`), on the receiving family's
/// ports.
pub fn between_families(plans: &[Plan<'_>], stacks: &mut Stacks, diags: &mut Vec<Diagnostic>) {
    let mut pairs = Vec::new();
    for to in plans {
        let ports = to.ports();
        // `Ingress.Services` names a family, or a service (each family it is part of).
        let mut named: Vec<(&str, Span)> = Vec::new();
        for (name, span) in &to.ingress.services {
            let families: Vec<&str> = plans
                .iter()
                .filter(|p| p.name == *name || p.containers.iter().any(|c| c.service.name == *name))
                .map(|p| p.name.as_str())
                .collect();
            if families.is_empty() {
                diags.push(Diagnostic::warning(
                    X_NETWORK,
                    format!("Ingress.Services: `{name}` is neither a service nor a task family; ignored"),
                    *span,
                ));
            }
            named.extend(families.into_iter().map(|f| (f, *span)));
        }
        // Only the families named can be let in: without a name, no pass over every family
        // (one per family was quadratic in the families).
        if ports.is_empty() || named.is_empty() {
            continue;
        }
        for from in plans.iter().filter(|f| f.name != to.name) {
            let shared = from
                .network_groups
                .iter()
                .any(|n| to.network_groups.contains(n));
            let asked = named.iter().find(|(n, _)| *n == from.name.as_str());
            if let Some((_, span)) = asked.filter(|_| !shared) {
                pairs.push((from, to, ports.clone(), *span));
            }
        }
    }
    if pairs.is_empty() {
        return;
    }
    for (from, to, ports, span) in pairs {
        let stack = stacks.stack(NETWORKING_STACK);
        let group = stack.import(&to.security_group_export());
        let source = stack.import(&from.security_group_export());
        for p in ports {
            let id = format!(
                "{}To{}{}{}",
                from.id,
                to.id,
                p.port,
                p.protocol.to_ascii_uppercase()
            );
            let description = format!(
                "from {} to {} on {}/{}",
                from.name, to.name, p.port, p.protocol
            );
            stack.add_resource(
                &id,
                rule(
                    group.clone(),
                    p,
                    "SourceSecurityGroupId",
                    source.clone(),
                    &description,
                ),
            );
        }
        // The source map: these rules come from the `Ingress.Services` entry that asked.
        stacks.note_origin(span);
    }
}

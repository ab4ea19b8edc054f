//! The nodes of the graph, in a fixed order, and the generated resources each stands for.

use super::{Node, NodeResource};
use crate::compose::model::VolumeKind;
use crate::compose::Project;
use crate::diagnostic::Span;
use crate::sourcemap::SourceMap;
use crate::yaml::Node as YamlNode;

/// Id of the VPC node.
pub const VPC: &str = "vpc";
/// Id of the cluster node.
pub const CLUSTER: &str = "cluster";
/// Id of the project's load balancer (published ports without x-elbv2).
pub const PROJECT_LB: &str = "load-balancer:project";

/// The span of `path` in `tree`: the last key through the end of its value.
pub fn definition(tree: Option<&YamlNode>, path: &[&str]) -> Option<Span> {
    let (last, parents) = path.split_last()?;
    let mut node = tree?;
    for key in parents {
        node = node.get(key)?;
    }
    let key = node.as_map()?.key_span(last)?;
    Some(key.cover(node.get(last)?.span))
}

/// Every node of `project`: VPC, cluster, services, x-resources, load balancers, namespaces,
/// networks, volumes.
pub fn collect(project: &Project, tree: Option<&YamlNode>) -> Vec<Node> {
    let top = |key: &str| definition(tree, &[key]);
    let mut nodes = vec![
        Node::new(VPC.into(), "vpc", "VPC", top("x-vpc")),
        Node::new(
            CLUSTER.into(),
            "cluster",
            "ECS cluster",
            top("x-cluster").or_else(|| top("x-aws-cluster")),
        ),
    ];
    for name in project.services.keys() {
        let span = definition(tree, &["services", name]);
        nodes.push(Node::new(format!("service:{name}"), "service", name, span));
    }
    let modules = crate::registry::resource_modules().map(|m| m.key);
    for key in modules.chain(["x-elbv2", "x-cloudmap"]) {
        let Some(map) = project.extension(key).and_then(YamlNode::as_map) else {
            continue;
        };
        for (name, key_span, value) in &map.entries {
            if value.as_map().is_none() {
                continue; // a module-level setting (DeletionPolicy), not a resource
            }
            let span = Some(key_span.cover(value.span));
            let (kind, module) = match key {
                "x-elbv2" => ("load-balancer", None),
                "x-cloudmap" => ("namespace", None),
                _ => ("x-resource", Some(key.to_string())),
            };
            let mut node = Node::new(format!("{key}:{name}"), kind, name, span);
            node.module = module;
            nodes.push(node);
        }
    }
    if project.extension("x-elbv2").is_none() {
        let mut published = project.services.values().flat_map(|s| s.ports.iter());
        if let Some(port) = published.find(|p| p.published.is_some()) {
            let span = Some(port.span);
            nodes.push(Node::new(
                PROJECT_LB.into(),
                "load-balancer",
                "project load balancer",
                span,
            ));
        }
    }
    for name in used_networks(project) {
        let span = definition(tree, &["networks", &name]);
        nodes.push(Node::new(format!("network:{name}"), "network", &name, span));
    }
    for name in project.volumes.keys() {
        let span = definition(tree, &["volumes", name]);
        nodes.push(Node::new(format!("volume:{name}"), "volume", name, span));
    }
    nodes
}

/// The compose networks of `service`: those it names, else `default` (none in a shared network
/// namespace).
pub fn networks_of(service: &crate::compose::model::Service) -> Vec<String> {
    if service.network_mode.is_some() {
        return Vec::new();
    }
    if service.networks.is_empty() {
        return vec!["default".to_string()];
    }
    service.networks.keys().cloned().collect()
}

/// Networks defined or joined, definitions first.
fn used_networks(project: &Project) -> Vec<String> {
    let mut names: Vec<String> = project.networks.keys().cloned().collect();
    for service in project.services.values() {
        for network in networks_of(service) {
            if !names.contains(&network) {
                names.push(network);
            }
        }
    }
    names
}

/// True for a named volume mount (a top-level volume).
pub fn is_named_volume(project: &Project, kind: VolumeKind, source: Option<&str>) -> bool {
    kind == VolumeKind::Volume && source.is_some_and(|s| project.volumes.contains_key(s))
}

/// Gives each node the resources whose origin lies in its definition (the smallest definition
/// holding it); what no key asked for goes to the VPC or the cluster by its type.
pub fn attach_resources(nodes: &mut [Node], source_map: &SourceMap) {
    // A service's resources mostly share one origin: the holder is found once per distinct span
    // (a scan of every node per resource made big projects quadratic).
    let mut holders: std::collections::BTreeMap<(&str, usize, usize), Option<usize>> =
        std::collections::BTreeMap::new();
    for (file, map) in source_map {
        for (id, mapped) in &map.resources {
            let at = &mapped.location;
            let type_ = mapped.type_.clone().unwrap_or_default();
            let holder = *holders
                .entry((at.file.as_str(), at.start, at.end))
                .or_insert_with(|| {
                    nodes
                        .iter()
                        .enumerate()
                        .filter_map(|(i, n)| {
                            let l = n.location.as_ref()?;
                            let holds = l.file == at.file && l.start <= at.start && at.end <= l.end;
                            holds.then_some((l.end - l.start, i))
                        })
                        .min()
                        .map(|(_, i)| i)
                });
            let holder = holder.or_else(|| {
                let implicit = if type_.starts_with("AWS::ECS::Cluster") {
                    CLUSTER
                } else if type_.starts_with("AWS::EC2::") {
                    VPC
                } else {
                    return None;
                };
                nodes.iter().position(|n| n.id == implicit)
            });
            if let Some(i) = holder {
                nodes[i].resources.push(NodeResource {
                    file: file.clone(),
                    id: id.clone(),
                    type_,
                });
            }
        }
    }
}

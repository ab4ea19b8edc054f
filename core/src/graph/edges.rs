//! The edges of the graph, read from the compose model: what links services to x-resources,
//! to load balancers, to each other and to volumes.

use std::collections::{BTreeMap, BTreeSet};

use super::nodes::{is_named_volume, networks_of, PROJECT_LB};
use super::{Edge, Node};
use crate::compose::model::Service;
use crate::compose::Project;
use crate::yaml::Node as YamlNode;

/// A network joining more services than this is drawn as a hub: services reach each other
/// through its node (service → network → listening service) instead of one edge per pair, which
/// would be quadratic in the services.
pub const DIRECT_NETWORK_EDGES: usize = 10;

/// Every edge between `nodes` of `project`, in a fixed order.
pub fn collect(project: &Project, nodes: &[Node]) -> Vec<Edge> {
    let mut edges = Edges {
        project,
        nodes,
        ids: nodes.iter().map(|n| n.id.as_str()).collect(),
        seen: BTreeSet::new(),
        list: Vec::new(),
    };
    edges.x_resources();
    edges.load_balancers();
    edges.services();
    edges.list
}

struct Edges<'a> {
    project: &'a Project,
    nodes: &'a [Node],
    ids: BTreeSet<&'a str>,
    seen: BTreeSet<(String, String, &'static str, String)>,
    list: Vec<Edge>,
}

impl Edges<'_> {
    fn add(&mut self, from: &str, to: &str, kind: &'static str, label: String) {
        if !self.ids.contains(from) || !self.ids.contains(to) {
            return;
        }
        let key = (from.to_string(), to.to_string(), kind, label.clone());
        if self.seen.insert(key) {
            self.list.push(Edge {
                from: from.to_string(),
                to: to.to_string(),
                kind,
                label,
            });
        }
    }

    /// The service nodes a `Services:` key names: the service, else every service of the
    /// task family of that name.
    fn services_named(&self, name: &str) -> Vec<String> {
        if self.project.services.contains_key(name) {
            return vec![format!("service:{name}")];
        }
        let families = self.project.families();
        families
            .get(name)
            .map(|members| {
                members
                    .iter()
                    .map(|s| format!("service:{}", s.name))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Access links (`Services: {app01: {Access: ...}}`) and references between x-resources.
    fn x_resources(&mut self) {
        let resources: Vec<&Node> = self
            .nodes
            .iter()
            .filter(|n| n.kind == "x-resource")
            .collect();
        for node in resources {
            let Some(module) = node.module.as_deref() else {
                continue;
            };
            let Some(def) = self
                .project
                .extension(module)
                .and_then(|m| m.get(&node.name))
            else {
                continue;
            };
            if let Some(services) = def.get("Services").and_then(YamlNode::as_map) {
                for (name, _, link) in &services.entries {
                    let label = link.get("Access").map(access_label).unwrap_or_default();
                    for service in self.services_named(name) {
                        self.add(&service, &node.id, "access", label.clone());
                    }
                }
            }
            let mut found = Vec::new();
            for (key, value) in def.as_map().into_iter().flat_map(|m| m.iter()) {
                if key != "Services" {
                    references(value, key, &mut found);
                }
            }
            for (path, target) in found {
                let target = target.trim_start_matches("arn:").to_string();
                let (to, kind) = if path == "deadLetterTargetArn" {
                    let name = target
                        .strip_prefix(&format!("{module}::"))
                        .unwrap_or(&target);
                    (format!("{module}:{name}"), "redrive")
                } else {
                    let mut parts = target.splitn(3, "::");
                    let (Some(key), Some(name)) = (parts.next(), parts.next()) else {
                        continue;
                    };
                    (format!("{key}:{name}"), "reference")
                };
                let label = match (kind, def.get("Properties")) {
                    ("redrive", Some(p)) => redrive_label(p),
                    _ => path,
                };
                self.add(&node.id, &to, kind, label);
            }
        }
    }

    /// Load balancer targets: x-elbv2 `Services: {family:container: {port, protocol}}`, and
    /// the project's load balancer to every published port.
    fn load_balancers(&mut self) {
        let lbs: Vec<&Node> = self
            .nodes
            .iter()
            .filter(|n| n.id.starts_with("x-elbv2:"))
            .collect();
        for node in lbs {
            let def = self
                .project
                .extension("x-elbv2")
                .and_then(|m| m.get(&node.name));
            let Some(services) = def
                .and_then(|d| d.get("Services"))
                .and_then(YamlNode::as_map)
            else {
                continue;
            };
            for (target, _, settings) in &services.entries {
                let container = target.split(':').next_back().unwrap_or(target);
                let port = settings
                    .get("port")
                    .and_then(YamlNode::scalar_text)
                    .unwrap_or("");
                let protocol = settings
                    .get("protocol")
                    .and_then(YamlNode::scalar_text)
                    .unwrap_or("");
                let label = format!("{port}/{protocol}").trim_matches('/').to_string();
                let family = target.split(':').next().unwrap_or(target);
                let to = if self.project.services.contains_key(container) {
                    vec![format!("service:{container}")]
                } else {
                    self.services_named(family)
                };
                for service in to {
                    self.add(&node.id, &service, "target", label.clone());
                }
            }
        }
        for service in self.project.services.values() {
            for port in service.ports.iter().filter(|p| p.published.is_some()) {
                let label = format!("{}/{}", port.target, port.protocol);
                let to = format!("service:{}", service.name);
                self.add(PROJECT_LB, &to, "target", label);
            }
        }
    }

    /// Between services: network reachability, depends_on, names used in environment values;
    /// and to networks, volumes and namespaces.
    fn services(&mut self) {
        let project = self.project;
        let mut members: indexmap::IndexMap<String, Vec<&Service>> = indexmap::IndexMap::new();
        for service in project.services.values() {
            for network in networks_of(service) {
                members.entry(network).or_default().push(service);
            }
        }
        let ports: BTreeMap<&str, String> = project
            .services
            .values()
            .map(|s| (s.name.as_str(), listening_ports(s).join(", ")))
            .collect();
        for from in project.services.values() {
            let from_id = format!("service:{}", from.name);
            for network in networks_of(from) {
                let network_id = format!("network:{network}");
                self.add(&from_id, &network_id, "member", String::new());
                let on_network = members.get(&network).map(Vec::as_slice).unwrap_or_default();
                if on_network.len() > DIRECT_NETWORK_EDGES {
                    let listening = &ports[from.name.as_str()];
                    if !listening.is_empty() {
                        self.add(&network_id, &from_id, "network", listening.clone());
                    }
                    continue;
                }
                for to in on_network.iter().filter(|s| s.name != from.name) {
                    let to_ports = &ports[to.name.as_str()];
                    if !to_ports.is_empty() {
                        let to_id = format!("service:{}", to.name);
                        self.add(&from_id, &to_id, "network", to_ports.clone());
                    }
                }
            }
            for (name, depends) in &from.depends_on {
                let to = format!("service:{name}");
                self.add(
                    &from_id,
                    &to,
                    "depends_on",
                    depends.condition.as_str().to_string(),
                );
            }
            for (var, value) in &from.environment {
                let Some(value) = value else { continue };
                for host in hosts(value) {
                    if host != from.name && project.services.contains_key(host) {
                        self.add(&from_id, &format!("service:{host}"), "names", var.clone());
                    }
                }
            }
            for volume in &from.volumes {
                if is_named_volume(project, volume.kind, volume.source.as_deref()) {
                    let source = volume.source.as_deref().unwrap_or_default();
                    let mode = if volume.read_only { " (ro)" } else { "" };
                    let label = format!("{}{mode}", volume.target);
                    self.add(&from_id, &format!("volume:{source}"), "mount", label);
                }
            }
            let namespace = from
                .extension("x-network")
                .and_then(|n| n.get("x-cloudmap"));
            if let Some(name) = namespace.and_then(YamlNode::scalar_text) {
                self.add(
                    &from_id,
                    &format!("x-cloudmap:{name}"),
                    "registers",
                    String::new(),
                );
            }
        }
    }
}

/// An `Access` value as a label: `SendOnly`, or `{Key: Value, ...}` as `Key: Value, ...`.
fn access_label(access: &YamlNode) -> String {
    if let Some(text) = access.scalar_text() {
        return text.to_string();
    }
    let Some(map) = access.as_map() else {
        return String::new();
    };
    map.iter()
        .map(|(k, v)| format!("{k}: {}", v.scalar_text().unwrap_or("…")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn redrive_label(properties: &YamlNode) -> String {
    let count = properties
        .get("RedrivePolicy")
        .and_then(|r| r.get("maxReceiveCount"))
        .and_then(YamlNode::scalar_text);
    match count {
        Some(n) => format!("after {n} receives"),
        None => "dead letters".to_string(),
    }
}

/// (key, text) of every string under `node` naming `x-<module>::<name>` (any depth), and every
/// `deadLetterTargetArn` (a bare queue name is allowed there).
fn references(node: &YamlNode, key: &str, found: &mut Vec<(String, String)>) {
    if let Some(text) = node.as_str() {
        if key == "deadLetterTargetArn" || (text.starts_with("x-") && text.contains("::")) {
            found.push((key.to_string(), text.to_string()));
        }
    } else if let Some(map) = node.as_map() {
        for (k, v) in map.iter() {
            references(v, k, found);
        }
    } else if let Some(seq) = node.as_seq() {
        for v in seq {
            references(v, key, found);
        }
    }
}

/// The ports `service` listens on: `ports`, `expose`, else its image's well-known port.
fn listening_ports(service: &Service) -> Vec<String> {
    let mut ports: Vec<String> = service
        .ports
        .iter()
        .map(|p| format!("{}/{}", p.target, p.protocol))
        .collect();
    for exposed in &service.expose {
        let text = &exposed.value;
        let port = if text.contains('/') {
            text.clone()
        } else {
            format!("{text}/tcp")
        };
        ports.push(port);
    }
    if ports.is_empty() {
        let image = service
            .image
            .as_ref()
            .map(|i| i.value.as_str())
            .unwrap_or("");
        if let Some(port) = crate::emit::ecs::image_ports::default_port(image) {
            ports.push(format!("{port}/tcp"));
        }
    }
    ports.dedup();
    ports
}

/// The host names in an environment value: the first label of each word (`http://app02:5000`
/// and `app02.myapps.local` give `app02`).
fn hosts(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .filter_map(|word| word.split('.').next())
        .filter(|host| !host.is_empty())
}

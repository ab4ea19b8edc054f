//! The resource graph: what the compose file becomes, as nodes (services, x-resources, load
//! balancers, networks, volumes, namespaces, the VPC and the cluster) and the edges between them
//! (access links with their level, network reachability with its ports, load-balancer targets,
//! dead-letter redrives and other references between x-resources, `depends_on`, service names
//! used in environment values, volume mounts, namespace registrations). Each node carries its
//! compose location and the generated resources it stands for, read from the source map.
//!
//! JSON shape (stable; `composex graph --format json`):
//! `{"nodes": [{"id", "kind", "name", "module"?, "file"?, "line"?, "column"?, "end_line"?,
//! "end_column"?, "start"?, "end"?, "column_utf16"?, "end_column_utf16"?, "resources": [{"file",
//! "id", "type"}]}], "edges": [{"from", "to", "kind", "label"}]}`. Node ids are `<kind or
//! x-key>:<name>` (`service:app01`, `x-sqs:jobs`, `x-elbv2:public-alb`, `network:default`,
//! `volume:data`), `vpc`, `cluster`, `load-balancer:project`; the location fields are absent for
//! a node no key defines (a VPC composex creates). Node kinds: `service`, `x-resource` (with its
//! `module`), `load-balancer`, `network`, `volume`, `namespace`, `vpc`, `cluster`. Edge kinds:
//! `access`, `network`, `target`, `redrive`, `reference`, `depends_on`, `names`, `mount`,
//! `registers`, `member`. A network joining more than [`edges::DIRECT_NETWORK_EDGES`] services is
//! a hub (network → listening service) rather than an edge per pair. Nodes and edges come in a
//! fixed order (same input, same bytes).

pub mod edges;
mod nodes;
pub mod text;

use serde::Serialize;

use crate::compose::Project;
use crate::diagnostic::{Location, Span};
use crate::sourcemap::SourceMap;
use crate::yaml::Node as YamlNode;
use crate::SourceFile;

/// The graph of one project.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Graph {
    /// Every node, in a fixed order (VPC, cluster, then as written).
    pub nodes: Vec<Node>,
    /// Every edge, in a fixed order.
    pub edges: Vec<Edge>,
}

/// One node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// Unique id (see the module docs).
    pub id: String,
    /// `service`, `x-resource`, `load-balancer`, `network`, `volume`, `namespace`, `vpc`, `cluster`.
    pub kind: &'static str,
    /// The name as written (a service's key, an x-resource's key).
    pub name: String,
    /// For x-resources: the module's key (`x-sqs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    /// Where it is written (absent for a node no key defines).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The generated resources it stands for.
    pub resources: Vec<NodeResource>,
    #[serde(skip)]
    span: Option<Span>,
}

/// A generated resource a node stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeResource {
    /// The output file holding it.
    pub file: String,
    /// Its logical id there.
    pub id: String,
    /// Its CloudFormation type.
    #[serde(rename = "type")]
    pub type_: String,
}

/// One edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// Id of the node it starts at.
    pub from: String,
    /// Id of the node it points to.
    pub to: String,
    /// `access`, `network`, `target`, `redrive`, `reference`, `depends_on`, `names`, `mount`,
    /// `registers`, `member`.
    pub kind: &'static str,
    /// What it says (an access level, ports, a condition, a mount path); may be empty.
    pub label: String,
}

impl Graph {
    /// The graph of `project` (`tree`: the merged compose tree it was built from, for the spans
    /// of whole definitions), with the resources of `source_map` (empty: nodes list none)
    /// located against `sources` ([`crate::Input::sources`]).
    pub fn build<F: std::borrow::Borrow<SourceFile>>(
        project: &Project,
        tree: Option<&YamlNode>,
        source_map: &SourceMap,
        sources: &[F],
    ) -> Graph {
        let mut nodes = nodes::collect(project, tree);
        let mut locator = crate::diagnostic::Locator::new(sources);
        for node in &mut nodes {
            node.location = node.span.and_then(|s| locator.locate(s));
        }
        nodes::attach_resources(&mut nodes, source_map);
        let edges = edges::collect(project, &nodes);
        Graph { nodes, edges }
    }

    /// The node with id `id`.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The edges from `from` to `to`.
    pub fn edges_between<'a>(
        &'a self,
        from: &'a str,
        to: &'a str,
    ) -> impl Iterator<Item = &'a Edge> {
        self.edges
            .iter()
            .filter(move |e| e.from == from && e.to == to)
    }
}

impl Node {
    fn new(id: String, kind: &'static str, name: &str, span: Option<Span>) -> Node {
        Node {
            id,
            kind,
            name: name.to_string(),
            module: None,
            location: None,
            resources: Vec::new(),
            span,
        }
    }
}

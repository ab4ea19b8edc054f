//! Emitting: every module writes resources into named [`Stack`]s as if each stack stood alone,
//! declares the values it offers other stacks ([`Stack::export`]) and the values it needs from
//! them ([`Stack::import`]); [`layout`] then wires the stacks together, nested or flat.
//!
//! Stack names are file stems: the root stack is named after the project (`<project>.yaml`),
//! the network stack is `vpc`, families are named after the family, x-modules after the module.

pub mod cluster;
pub mod layout;
pub mod network;
pub mod params;
pub mod tags;

use std::collections::BTreeMap;

use indexmap::{IndexMap, IndexSet};
use serde_json::Value;

use crate::cfn::{ref_, Output, Parameter, Resource, Template};

/// Export name: the VPC id (`AWS::EC2::VPC::Id`).
pub const VPC_ID: &str = "VpcId";
/// Export name: the public subnets (`List<AWS::EC2::Subnet::Id>`).
pub const PUBLIC_SUBNETS: &str = "PublicSubnets";
/// Export name: the application subnets, where services run (`List<AWS::EC2::Subnet::Id>`).
pub const APP_SUBNETS: &str = "AppSubnets";
/// Export name: the storage subnets, for databases (`List<AWS::EC2::Subnet::Id>`).
pub const STORAGE_SUBNETS: &str = "StorageSubnets";
/// Export name: the ECS cluster name (`String`).
pub const CLUSTER_NAME: &str = "ClusterName";
/// Type of the subnet list exports.
pub const SUBNET_LIST: &str = "List<AWS::EC2::Subnet::Id>";
/// Name of the network stack (`vpc.yaml`).
pub const VPC_STACK: &str = "vpc";

/// A value a stack offers to the others.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// The value, written in the exporting stack's own terms (e.g. `Ref: Vpc`). For list types, a
    /// list-valued expression (a JSON array or a list-valued `Ref`).
    pub value: Value,
    /// The CloudFormation parameter type importers declare (`String`, `AWS::EC2::VPC::Id`,
    /// `List<AWS::EC2::Subnet::Id>`, ...).
    pub type_: String,
    /// What the value is (becomes the importers' parameter description).
    pub description: String,
}

/// One stack: a template plus the values it exchanges with other stacks.
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    /// The stack's name, also its file stem.
    pub name: String,
    /// The template, written as if this stack were standalone.
    pub template: Template,
    imports: IndexSet<String>,
    exports: IndexMap<String, Export>,
    /// (resource, export): the resource must be created after the resource behind the export.
    after_exports: Vec<(String, String)>,
}

impl Stack {
    fn new(name: &str, description: String) -> Self {
        Stack {
            name: name.to_string(),
            template: Template::new(description),
            imports: IndexSet::new(),
            exports: IndexMap::new(),
            after_exports: Vec::new(),
        }
    }

    /// Uses export `name` of whichever stack offers it: returns `Ref: <name>` to a parameter of
    /// this stack that the layout declares and fills (nested: the root passes the producer's
    /// output; single: the reference is replaced by the producer's value). Works for exports of
    /// this same stack too.
    pub fn import(&mut self, name: &str) -> Value {
        self.imports.insert(name.to_string());
        ref_(name)
    }

    /// Offers `value` (in this stack's terms) under `name` to every other stack, typed `type_`.
    pub fn export(&mut self, name: &str, value: Value, type_: &str, description: &str) {
        self.exports.insert(
            name.to_string(),
            Export {
                value,
                type_: type_.to_string(),
                description: description.to_string(),
            },
        );
    }

    /// Orders `resource` of this stack after the resource whose `Ref` export `name` offers, when
    /// it is not already ordered: nested stacks already wait for the producer stack through
    /// their imports, so only the single layout adds a `DependsOn`.
    pub fn depends_on_export(&mut self, resource: &str, name: &str) {
        let entry = (resource.to_string(), name.to_string());
        if !self.after_exports.contains(&entry) {
            self.after_exports.push(entry);
        }
    }

    /// The (resource, export) orderings asked with [`Stack::depends_on_export`].
    pub fn after_exports(&self) -> &[(String, String)] {
        &self.after_exports
    }

    /// The names this stack imports, in first-use order.
    pub fn imports(&self) -> impl Iterator<Item = &str> {
        self.imports.iter().map(String::as_str)
    }

    /// The values this stack exports.
    pub fn exports(&self) -> &IndexMap<String, Export> {
        &self.exports
    }

    /// Adds a resource (see [`Template::add_resource`]); returns its logical id.
    pub fn add_resource(&mut self, name: &str, resource: Resource) -> String {
        self.template.add_resource(name, resource)
    }

    /// Declares a parameter of this stack that the user fills (hoisted to the root by the
    /// layout, which passes it down); returns `Ref` to it.
    pub fn add_parameter(&mut self, name: &str, parameter: Parameter) -> Value {
        self.template.add_parameter(name, parameter)
    }

    /// Adds an output meant for people (wiring outputs are made by the layout).
    pub fn add_output(&mut self, name: &str, output: Output) {
        self.template.add_output(name, output);
    }
}

/// Every stack of a render, root first, plus parameter values known at render time.
#[derive(Debug, Clone, PartialEq)]
pub struct Stacks {
    stacks: IndexMap<String, Stack>,
    root: String,
    /// Parameter values known without asking the user (ids given literally in `Lookup` / `Use`),
    /// by root parameter name: written into the parameter files.
    pub known_values: BTreeMap<String, String>,
}

impl Stacks {
    /// The stacks of project `project_name`, holding only the (empty) root stack.
    pub fn new(project_name: &str) -> Self {
        let mut stacks = IndexMap::new();
        let root = Stack::new(
            project_name,
            format!("{project_name}: root stack (composex)"),
        );
        stacks.insert(project_name.to_string(), root);
        Stacks {
            stacks,
            root: project_name.to_string(),
            known_values: BTreeMap::new(),
        }
    }

    /// The root stack's name (the project name).
    pub fn root_name(&self) -> &str {
        &self.root
    }

    /// The root stack.
    pub fn root(&mut self) -> &mut Stack {
        let root = self.root.clone();
        self.stack(&root)
    }

    /// Stack `name`, created empty (described as `<project>: <name>`) on first use.
    pub fn stack(&mut self, name: &str) -> &mut Stack {
        let description = format!("{}: {name} (composex)", self.root);
        self.stacks
            .entry(name.to_string())
            .or_insert_with(|| Stack::new(name, description))
    }

    /// Stack `name` if it exists.
    pub fn get(&self, name: &str) -> Option<&Stack> {
        self.stacks.get(name)
    }

    /// True when a stack named `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.stacks.contains_key(name)
    }

    /// Every stack, root first, then in creation order.
    pub fn iter(&self) -> impl Iterator<Item = &Stack> {
        self.stacks.values()
    }

    /// Every stack, mutable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Stack> {
        self.stacks.values_mut()
    }

    /// The stack exporting `name`, and the export.
    pub fn exporter(&self, name: &str) -> Option<(&Stack, &Export)> {
        self.stacks
            .values()
            .find_map(|s| s.exports.get(name).map(|e| (s, e)))
    }
}

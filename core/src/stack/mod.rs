//! The stack model shared by every emitter: each writes resources into named [`Stack`]s as if each stack stood alone,
//! declares the values it offers other stacks ([`Stack::export`]) and the values it needs from
//! them ([`Stack::import`]); [`layout`] then wires the stacks together, nested or flat.
//!
//! Stack names are file stems: the root stack is named after the project (`<project>.yaml`),
//! the network stack is `vpc`, families are named after the family, each x-key after its module.
//!
//! How an emitter uses it (a task family, for example):
//!
//! ```
//! # use composex_core::stack::{Stacks, VPC_ID, APP_SUBNETS, CLUSTER_NAME};
//! # use composex_core::cfn::{Resource, Parameter, get_att};
//! # use serde_json::json;
//! let mut stacks = Stacks::new("test");
//! let family = stacks.stack("app01"); // app01.yaml in the nested layout
//! let vpc = family.import(VPC_ID); // `Ref: VpcId`; the layout wires the value
//! let sg = family.add_resource("app01-sg", Resource::new(
//!     "AWS::EC2::SecurityGroup",
//!     json!({ "GroupDescription": "app01", "VpcId": vpc }),
//! )); // logical id `App01Sg`
//! let image = family.add_parameter("App01Image", Parameter::string()); // the user fills it
//! family.export("App01SecurityGroup", get_att(&sg, "GroupId"), "String", "app01's security group");
//! ```
//!
//! Layout rules: an import becomes, in the nested layout, a parameter of the importing stack that
//! the root passes (`Fn::GetAtt [<Producer>, Outputs.<Name>]`, the producer gets the output; list
//! types are joined with `,`), and in the single layout the producer's value itself. A parameter
//! declared with [`Stack::add_parameter`] in a non-root stack is hoisted to the root (same name
//! when free or identical, else prefixed with the stack's logical id) and passed down: identical
//! definitions are shared (x-tags), so give per-family values per-family names (`App01Image`). In the single layout, the names of every non-root
//! stack get the stack's logical id in front unless they already start with it (`App01Sg` stays,
//! `EcsService` in app01 becomes `App01EcsService`). A non-root stack with no resource is dropped unless another stack imports from it.
//! Nested stacks must not import from each other in a circle (CloudFormation cannot order them;
//! reported as CX399): put what two families both need (e.g. security groups that reference each
//! other) in a third stack or the root. Stack names are made safe file stems ([`file_stem`]); use
//! [`Stacks::free_name`] for a family whose name is taken (the project's, `vpc`).
//!
//! Diagnostic codes used here: CX390 `--param`, CX399 internal wiring errors.

pub mod compact;
pub mod family;
pub mod layout;
pub mod limits;
pub mod links;
mod node;
pub mod overlay;
pub mod params;
pub mod posture;

use std::collections::BTreeMap;

use indexmap::{IndexMap, IndexSet};
use serde_json::Value;

use crate::cfn::{ref_, Output, Parameter, Resource, Template};
use crate::diagnostic::Diagnostic;

pub use node::{bool_option, check_keys, span_of};

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
    /// For values the user supplies: the exporting stack's parameter (named like the export)
    /// holding it, declared only when some stack imports the value (no unused parameters).
    /// Boxed: few exports have one, and a parameter is ten fields (a 1,000-family project
    /// holds ~5,000 exports until the layout).
    pub parameter: Option<Box<Parameter>>,
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

    /// True when this stack's resources were written as text already
    /// ([`Template::freeze_resources`]): the pipeline finishes a task family's stack as soon
    /// as it is written (see `emit::ecs::write`), so the stages that visit every stack at the
    /// end (tags, the security posture) were applied to it before, and skip it.
    pub fn is_finished_early(&self) -> bool {
        self.template.has_frozen_resources()
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
                parameter: None,
            },
        );
    }

    /// Offers a value the user supplies: parameter `name` of this stack (declared by the layout
    /// only if some stack imports `name`), exported under the same name.
    pub fn export_parameter(&mut self, name: &str, parameter: Parameter) {
        let export = Export {
            value: ref_(name),
            type_: parameter.type_.clone(),
            description: parameter.description.clone().unwrap_or_default(),
            parameter: Some(Box::new(parameter)),
        };
        self.exports.insert(name.to_string(), export);
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

    /// Stops importing `name` (after the resources using it were removed).
    pub fn forget_import(&mut self, name: &str) {
        self.imports.shift_remove(name);
    }

    /// Takes what `staged` (written earlier, e.g. by emitters that link to a family before the
    /// family is written) holds after this stack's own content: its imports, parameters,
    /// conditions, resources, outputs, exports and orderings, each kept where already present.
    pub fn absorb(&mut self, staged: Stack) {
        for name in staged.imports {
            self.imports.insert(name);
        }
        let template = staged.template;
        for (name, parameter) in template.parameters {
            self.template.parameters.entry(name).or_insert(parameter);
        }
        for (name, condition) in template.conditions {
            self.template.conditions.entry(name).or_insert(condition);
        }
        for (name, resource) in template.resources {
            self.template.resources.entry(name).or_insert(resource);
        }
        for (name, output) in template.outputs {
            self.template.outputs.entry(name).or_insert(output);
        }
        for (name, export) in staged.exports {
            self.exports.entry(name).or_insert(export);
        }
        for entry in staged.after_exports {
            if !self.after_exports.contains(&entry) {
                self.after_exports.push(entry);
            }
        }
    }

    /// Empties this stack (same name and description), returning what it held.
    pub fn take(&mut self) -> Stack {
        let empty = Stack::new(
            &self.name,
            self.template.description.clone().unwrap_or_default(),
        );
        std::mem::replace(self, empty)
    }

    /// The names this stack imports, in first-use order.
    pub fn imports(&self) -> impl Iterator<Item = &str> {
        self.imports.iter().map(String::as_str)
    }

    /// The values this stack exports.
    pub fn exports(&self) -> &IndexMap<String, Export> {
        &self.exports
    }

    /// Gives everything in this stack without an origin the origin `span` (see
    /// [`Stacks::note_origin`]; unconditional here: the caller decides).
    pub fn note_origin(&mut self, span: crate::diagnostic::Span) {
        let t = &mut self.template;
        for r in t.resources.values_mut() {
            r.origin.note(span);
        }
        for p in t.parameters.values_mut() {
            p.origin.note(span);
        }
        for o in t.outputs.values_mut() {
            o.origin.note(span);
        }
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
    /// Warnings for root parameters that have no known value, given only if the parameter is
    /// declared in the end (some stack uses it) and the user passed no value for it.
    pub unfilled_warnings: BTreeMap<String, Diagnostic>,
    families: BTreeMap<String, family::FamilyFacts>,
    /// Whether [`Stacks::note_origin`] records anything (only when a source map is asked for).
    tracking_origins: bool,
    /// Whether [`Stacks::finished`] compacts the stack (big projects, see [`compact`]).
    compacting: bool,
}

impl Stacks {
    /// The stacks of project `project_name`, holding only the (empty) root stack.
    pub fn new(project_name: &str) -> Self {
        let project_name = &file_stem(project_name);
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
            unfilled_warnings: BTreeMap::new(),
            families: BTreeMap::new(),
            tracking_origins: false,
            compacting: false,
        }
    }

    /// Room for `additional` more stacks, made once (a big project has one per family).
    pub fn reserve(&mut self, additional: usize) {
        self.stacks.reserve(additional);
    }

    /// Makes [`Stacks::finished`] compact each finished stack: for big projects, whose stacks
    /// are all alive at once until the layout (see [`compact`]); off by default, a small
    /// project's few stacks are not worth the time.
    pub fn compact_finished_stacks(&mut self) {
        self.compacting = true;
    }

    /// True when [`Stacks::compact_finished_stacks`] was called.
    pub fn compacts_finished_stacks(&self) -> bool {
        self.compacting
    }

    /// An emitter is done writing stack `name` (a task family): compacted when
    /// [`Stacks::compact_finished_stacks`] was called. Later additions still work.
    pub fn finished(&mut self, name: &str) {
        if !self.compacting {
            return;
        }
        if let Some(stack) = self.stacks.get_mut(&file_stem(name)) {
            compact::stack(stack);
        }
    }

    /// Makes [`Stacks::note_origin`] record origins (for a source map); off by default, so a
    /// plain render pays nothing for it.
    pub fn track_origins(&mut self) {
        self.tracking_origins = true;
    }

    /// True when origins are recorded.
    pub fn tracks_origins(&self) -> bool {
        self.tracking_origins
    }

    /// Gives every resource, parameter and output that has no origin yet the origin `span`: the
    /// drivers of the emitters call it after each unit of input (a service's family, an
    /// x-resource entry), so everything an emitter adds is mapped without the emitter knowing;
    /// an emitter that knows a finer span notes it first (first note wins). No-op unless
    /// [`Stacks::track_origins`] was called.
    pub fn note_origin(&mut self, span: crate::diagnostic::Span) {
        if !self.tracking_origins {
            return;
        }
        for stack in self.stacks.values_mut() {
            stack.note_origin(span);
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

    /// Stack `name` (made a safe file stem, see [`file_stem`]), created empty on first use.
    pub fn stack(&mut self, name: &str) -> &mut Stack {
        // The description is written only for a new stack (most calls find theirs).
        let root = &self.root;
        self.stacks
            .entry(file_stem(name))
            .or_insert_with_key(|name| Stack::new(name, format!("{root}: {name} (composex)")))
    }

    /// A stack name for `wanted` that no stack has yet (`wanted`, else `wanted-2`, ...), e.g.
    /// for a family named like the project or `vpc`.
    pub fn free_name(&self, wanted: &str) -> String {
        let stem = file_stem(wanted);
        if !self.stacks.contains_key(&stem) {
            return stem;
        }
        (2u32..)
            .map(|n| format!("{stem}-{n}"))
            .find(|c| !self.stacks.contains_key(c))
            .unwrap_or(stem)
    }

    /// Stack `name` if it exists.
    pub fn get(&self, name: &str) -> Option<&Stack> {
        self.stacks.get(&file_stem(name))
    }

    /// True when a stack named `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.stacks.contains_key(&file_stem(name))
    }

    /// Every stack, root first, then in creation order.
    pub fn iter(&self) -> impl Iterator<Item = &Stack> {
        self.stacks.values()
    }

    /// Every stack, mutable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Stack> {
        self.stacks.values_mut()
    }

    /// Keeps only the stacks `keep` accepts (the root always stays).
    pub fn retain(&mut self, mut keep: impl FnMut(&Stack) -> bool) {
        let root = self.root.clone();
        self.stacks
            .retain(|name, stack| *name == root || keep(stack));
    }

    /// Publishes what later emitters may know about task family `name` (its stack is `name`).
    pub fn set_family_facts(&mut self, name: &str, facts: family::FamilyFacts) {
        self.families.insert(name.to_string(), facts);
    }

    /// What the family emitter published about task family `name`; None for a family it did
    /// not emit (refused, or not a family).
    pub fn family_facts(&self, name: &str) -> Option<&family::FamilyFacts> {
        self.families.get(name)
    }

    /// The stack exporting `name`, and the export.
    pub fn exporter(&self, name: &str) -> Option<(&Stack, &Export)> {
        self.stacks
            .values()
            .find_map(|s| s.exports.get(name).map(|e| (s, e)))
    }
}

/// `name` as a file stem that is safe in any directory: characters other than `A-Z a-z 0-9 _ -`
/// and non-leading `.` become `-` (so no `/`, `..` or hidden files), empty gives `stack`, at most
/// 100 characters.
pub fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .take(100)
        .enumerate()
        .map(|(i, c)| {
            let safe = c.is_ascii_alphanumeric() || c == '_' || c == '-' || (c == '.' && i > 0);
            if safe {
                c
            } else {
                '-'
            }
        })
        .collect();
    if stem.is_empty() {
        "stack".to_string()
    } else {
        stem
    }
}

/// A parameter name for `name` (alphanumeric, like a logical id).
pub fn logical_id_param(name: &str) -> String {
    crate::cfn::logical_id(name)
}

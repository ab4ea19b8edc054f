//! A small CloudFormation template model: ordered maps of parameters, conditions, mappings,
//! resources and outputs whose property values are [`serde_json::Value`]s built with the
//! [`intrinsic`] helpers, written as JSON or YAML byte-identically on every run.

pub mod checkov;
pub mod intrinsic;
mod logical_id;
mod write;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::diagnostic::Span;

pub use intrinsic::*;
pub use logical_id::{logical_id, unique_id};

/// The template format version every template declares.
pub const FORMAT_VERSION: &str = "2010-09-09";

/// One CloudFormation template.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Template {
    /// `Description`.
    pub description: Option<String>,
    /// `Metadata` (free-form).
    pub metadata: IndexMap<String, Value>,
    /// `Parameters`, in declaration order.
    pub parameters: IndexMap<String, Parameter>,
    /// `Conditions`: name -> condition expression.
    pub conditions: IndexMap<String, Value>,
    /// `Mappings`: name -> two-level map.
    pub mappings: IndexMap<String, Value>,
    /// `Resources`, in insertion order (those [`Template::freeze_resources`] wrote as text keep
    /// only their type here).
    pub resources: IndexMap<String, Resource>,
    /// `Outputs`.
    pub outputs: IndexMap<String, Output>,
    /// The first resources written as text already (see [`Template::freeze_resources`]).
    frozen: Option<Frozen>,
}

/// Resources already written as text: the first `count` of [`Template::resources`] (kept there
/// as their type alone, for the quotas and the ids), as their `Resources` section entries in
/// `format` (YAML: each id at 2 spaces, with its newline; JSON: each `"id": {..}` at 4 spaces,
/// joined by `,\n`, as serde_json's pretty writer places them).
#[derive(Debug, Clone, PartialEq)]
struct Frozen {
    count: usize,
    format: crate::Format,
    text: String,
}

/// Where in the compose files a resource, parameter or output came from (the source map). Never
/// written into a template, and ignored by `==`: two definitions that differ only in where they
/// came from are the same definition (the layout shares identical parameters).
#[derive(Debug, Clone, Copy, Default)]
pub struct Origin(pub Option<Span>);

impl PartialEq for Origin {
    fn eq(&self, _: &Origin) -> bool {
        true
    }
}

impl Origin {
    /// Records `span` unless an origin is already known (the first, finest, note wins).
    pub fn note(&mut self, span: Span) {
        if self.0.is_none() {
            self.0 = Some(span);
        }
    }
}

/// One resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// `Type`, e.g. `AWS::EC2::VPC`.
    pub type_: String,
    /// `Properties` (an object; omitted from the output when empty).
    pub properties: Map<String, Value>,
    /// `DependsOn` logical ids.
    pub depends_on: Vec<String>,
    /// `Condition` name.
    pub condition: Option<String>,
    /// `DeletionPolicy` (`Delete`, `Retain`, `Snapshot`, `RetainExceptOnCreate`).
    pub deletion_policy: Option<String>,
    /// `UpdateReplacePolicy`.
    pub update_replace_policy: Option<String>,
    /// `Metadata`.
    pub metadata: Option<Value>,
    /// The compose span it came from (source map only).
    pub origin: Origin,
}

/// One template parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// `Type`, e.g. `String`, `AWS::EC2::VPC::Id`, `List<AWS::EC2::Subnet::Id>`.
    pub type_: String,
    /// `Default` (CloudFormation parameter values are strings).
    pub default: Option<String>,
    /// `Description`.
    pub description: Option<String>,
    /// `AllowedValues`.
    pub allowed_values: Vec<String>,
    /// `AllowedPattern`.
    pub allowed_pattern: Option<String>,
    /// `ConstraintDescription`.
    pub constraint_description: Option<String>,
    /// `MinLength` / `MaxLength`.
    pub min_length: Option<u64>,
    /// `MaxLength`.
    pub max_length: Option<u64>,
    /// `MinValue` (Number parameters).
    pub min_value: Option<i64>,
    /// `MaxValue` (Number parameters).
    pub max_value: Option<i64>,
    /// `NoEcho`: a secret; its value is never written into parameter files.
    pub no_echo: bool,
    /// The compose span it came from (source map only).
    pub origin: Origin,
}

/// One template output.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// `Value` (must evaluate to a string).
    pub value: Value,
    /// `Description`.
    pub description: Option<String>,
    /// `Export.Name`.
    pub export_name: Option<Value>,
    /// `Condition`.
    pub condition: Option<String>,
    /// The compose span it came from (source map only).
    pub origin: Origin,
}

impl Resource {
    /// A resource of `type_` with `properties` (a JSON object; anything else gives no properties).
    pub fn new(type_: &str, properties: Value) -> Self {
        let properties = match properties {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        Resource {
            type_: type_.to_string(),
            properties,
            depends_on: Vec::new(),
            condition: None,
            deletion_policy: None,
            update_replace_policy: None,
            metadata: None,
            origin: Origin::default(),
        }
    }

    /// Adds a `DependsOn` entry (kept once).
    pub fn depends_on(mut self, logical_id: &str) -> Self {
        if !self.depends_on.iter().any(|d| d == logical_id) {
            self.depends_on.push(logical_id.to_string());
        }
        self
    }

    /// Sets `Condition`.
    pub fn with_condition(mut self, condition: &str) -> Self {
        self.condition = Some(condition.to_string());
        self
    }

    /// Sets both `DeletionPolicy` and `UpdateReplacePolicy` (cfn-lint W3011 wants both).
    pub fn with_policies(mut self, policy: &str) -> Self {
        self.deletion_policy = Some(policy.to_string());
        self.update_replace_policy = Some(policy.to_string());
        self
    }
}

impl Parameter {
    /// A parameter of `type_` with no default (required).
    pub fn new(type_: &str) -> Self {
        Parameter {
            type_: type_.to_string(),
            default: None,
            description: None,
            allowed_values: Vec::new(),
            allowed_pattern: None,
            constraint_description: None,
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
            no_echo: false,
            origin: Origin::default(),
        }
    }

    /// A `String` parameter.
    pub fn string() -> Self {
        Parameter::new("String")
    }

    /// Sets `Default`.
    pub fn with_default(mut self, default: impl Into<String>) -> Self {
        self.default = Some(default.into());
        self
    }

    /// Sets `Description`.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets `AllowedValues`.
    pub fn with_allowed_values<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        values: I,
    ) -> Self {
        self.allowed_values = values.into_iter().map(Into::into).collect();
        self
    }

    /// Marks the parameter `NoEcho` (a secret).
    pub fn secret(mut self) -> Self {
        self.no_echo = true;
        self
    }

    /// True for list types (`List<...>`, `CommaDelimitedList`), whose `Ref` is a list.
    pub fn is_list(&self) -> bool {
        is_list_type(&self.type_)
    }
}

/// True for parameter types whose `Ref` yields a list.
pub fn is_list_type(type_: &str) -> bool {
    type_.starts_with("List<") || type_ == "CommaDelimitedList"
}

impl Output {
    /// An output with `value`.
    pub fn new(value: Value) -> Self {
        Output {
            value,
            description: None,
            export_name: None,
            condition: None,
            origin: Origin::default(),
        }
    }

    /// Sets `Description`.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

impl Template {
    /// An empty template with a description.
    pub fn new(description: impl Into<String>) -> Self {
        Template {
            description: Some(description.into()),
            ..Template::default()
        }
    }

    /// Adds `resource` under a logical id derived from `name` (see [`logical_id`]), made unique
    /// among this template's resources and parameters; returns the id used.
    pub fn add_resource(&mut self, name: &str, resource: Resource) -> String {
        let base = logical_id(name);
        let taken = |c: &str| self.resources.contains_key(c) || self.parameters.contains_key(c);
        // The usual case, a free id, keeps `base` rather than copying it.
        let id = if taken(&base) {
            unique_id(&base, taken)
        } else {
            base
        };
        self.resources.insert(id.clone(), resource);
        id
    }

    /// Declares parameter `name` (kept as is when already declared); returns `Ref` to it.
    pub fn add_parameter(&mut self, name: &str, parameter: Parameter) -> Value {
        self.parameters.entry(name.to_string()).or_insert(parameter);
        ref_(name)
    }

    /// Adds output `name`.
    pub fn add_output(&mut self, name: &str, output: Output) {
        self.outputs.insert(name.to_string(), output);
    }

    /// Adds condition `name`.
    pub fn add_condition(&mut self, name: &str, condition: Value) {
        self.conditions.insert(name.to_string(), condition);
    }

    /// The template as a JSON value, keys in CloudFormation's usual order, empty sections left out.
    pub fn to_value(&self) -> Value {
        write::template_value(self)
    }

    /// Pretty JSON (2-space indent) with a trailing newline.
    pub fn to_json(&self) -> String {
        write::template_json(self)
    }

    /// YAML with long-form intrinsics (`Ref:`, `Fn::GetAtt:`), with a trailing newline.
    pub fn to_yaml(&self) -> String {
        write::template_yaml(self)
    }

    /// Writes every resource as `format` text now and keeps only its logical id and type: for
    /// a template nothing will change any more, written while its values are in cache (a big
    /// project's family stacks are cold by the time the layout is done) and without their
    /// trees alive beside the others. Resources added later are written after these. The
    /// properties, metadata and other fields of the frozen resources read as empty from now
    /// on: only the pipeline freezes, after the last stage that reads or changes them. The
    /// template is then written in `format` only ([`Template::render`]; not [`Template::to_value`]).
    pub fn freeze_resources(&mut self, format: crate::Format) {
        let start = self.frozen.as_ref().map_or(0, |f| f.count);
        let mut text = self.frozen.take().map(|f| f.text).unwrap_or_default();
        write::resources_text(self.resources.iter().skip(start), format, &mut text);
        text.shrink_to_fit();
        for resource in self.resources.values_mut().skip(start) {
            *resource = Resource {
                type_: std::mem::take(&mut resource.type_),
                origin: resource.origin,
                ..Resource::new("", Value::Null)
            };
        }
        self.frozen = Some(Frozen {
            count: self.resources.len(),
            format,
            text,
        });
    }

    /// True after [`Template::freeze_resources`].
    pub fn has_frozen_resources(&self) -> bool {
        self.frozen.is_some()
    }

    /// The template in `format`.
    pub fn render(&self, format: crate::Format) -> String {
        match format {
            crate::Format::Json => self.to_json(),
            crate::Format::Yaml => self.to_yaml(),
        }
    }
}

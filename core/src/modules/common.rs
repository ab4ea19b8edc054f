//! The parts every x-resource module shares: reading the resources ([`Catalog`]), turning
//! `Properties` into CloudFormation with `x-<module>::<name>` references resolved, values of
//! looked-up resources as parameters, and the links to services (IAM, env vars, scaling).

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::links::{EnvVar, LinkPolicy, Links, StepScaling};
use super::{ModuleDef, ReturnValue};
use super::{
    BAD_REFERENCE, ENV_CONFLICT, IGNORED, INVALID, LOOKUP_PARAMETER, UNKNOWN_ACCESS,
    UNKNOWN_RETURN_VALUE,
};
use crate::cfn::{get_att, logical_id, ref_, unique_id, Parameter, Resource};
use crate::compose::Project;
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::{Stack, Stacks};
use crate::suggest::did_you_mean;
use crate::yaml::{to_json_with, Node, Value as NodeValue};

/// One resource defined under a module's top-level key.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// The module.
    pub module: &'static ModuleDef,
    /// The resource's name (its key).
    pub name: String,
    /// The span of the name.
    pub span: Span,
    /// The definition (a mapping; `{}` when written empty).
    pub node: Option<&'a Node>,
    /// Logical id in the module's stack (unique within the module).
    pub id: String,
    /// `Lookup`, when the resource exists already.
    pub lookup: Option<&'a Node>,
    /// A module-level `DeletionPolicy:`, if written.
    pub deletion_policy: Option<String>,
}

impl<'a> Entry<'a> {
    /// Key `key` of the definition.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.and_then(|n| n.get(key))
    }

    /// A value under `Settings` or `MacroParameters` (ComposeX reads both for some keys).
    pub fn setting(&self, key: &str) -> Option<&'a Node> {
        self.get("MacroParameters")
            .and_then(|m| m.get(key))
            .or_else(|| self.get("Settings").and_then(|m| m.get(key)))
    }

    /// A property node under `Properties`.
    pub fn property(&self, key: &str) -> Option<&'a Node> {
        self.get("Properties").and_then(|p| p.get(key))
    }

    /// The span to point at for the whole resource.
    pub fn span(&self) -> Span {
        self.span
    }
}

/// Every x-resource of the project, by module key, in file order.
#[derive(Debug, Default)]
pub struct Catalog<'a> {
    /// The modules, in emit order.
    defs: Vec<&'static ModuleDef>,
    modules: Vec<(&'static str, IndexMap<String, Entry<'a>>)>,
}

impl<'a> Catalog<'a> {
    /// Reads the top-level key of each of `defs` (the modules, in emit order) in `project`.
    pub fn read(
        project: &'a Project,
        defs: &[&'static ModuleDef],
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut modules = Vec::new();
        for module in defs {
            let mut entries: IndexMap<String, Entry<'a>> = IndexMap::new();
            if let Some(map) = project.extension(module.key).and_then(Node::as_map) {
                let deletion_policy = map.get("DeletionPolicy").and_then(|n| {
                    let text = n.as_str()?;
                    if ["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"].contains(&text) {
                        Some(text.to_string())
                    } else {
                        diags.push(
                            Diagnostic::error(
                                INVALID,
                                format!(
                                    "{}: DeletionPolicy `{text}` is not a deletion policy",
                                    module.key
                                ),
                                n.span,
                            )
                            .with_help("use Delete, Retain or RetainExceptOnCreate"),
                        );
                        None
                    }
                });
                let mut ids: BTreeSet<String> = BTreeSet::new();
                for (name, span, node) in &map.entries {
                    if name == "DeletionPolicy" || name.starts_with("x-") {
                        continue;
                    }
                    let definition = match &node.value {
                        NodeValue::Map(_) => Some(node),
                        _ if node.is_null() => None,
                        // The compose validator reports definitions that are not mappings.
                        _ => continue,
                    };
                    let id = unique_id(&logical_id(name), |c| ids.contains(c));
                    ids.insert(id.clone());
                    let lookup = definition
                        .and_then(|d| d.get("Lookup"))
                        .filter(|l| !l.is_null());
                    entries.insert(
                        name.clone(),
                        Entry {
                            module,
                            name: name.clone(),
                            span: *span,
                            node: definition,
                            id,
                            lookup,
                            deletion_policy: deletion_policy.clone(),
                        },
                    );
                }
            }
            modules.push((module.key, entries));
        }
        Catalog {
            defs: defs.to_vec(),
            modules,
        }
    }

    /// The modules read, in emit order.
    pub fn defs(&self) -> &[&'static ModuleDef] {
        &self.defs
    }

    /// The module whose top-level key is `key`.
    pub fn module(&self, key: &str) -> Option<&'static ModuleDef> {
        self.defs.iter().copied().find(|m| m.key == key)
    }

    /// The resources of module `key`.
    pub fn entries<'s>(&'s self, key: &'s str) -> impl Iterator<Item = &'s Entry<'a>> + 's {
        self.modules
            .iter()
            .filter(move |(k, _)| *k == key)
            .flat_map(|(_, e)| e.values())
    }

    /// Resource `name` of module `key`.
    pub fn find(&self, key: &str, name: &str) -> Option<&Entry<'a>> {
        self.modules
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, e)| e.get(name))
    }

    /// The names defined in module `key`.
    pub fn names<'s>(&'s self, key: &'s str) -> Vec<&'s str> {
        self.entries(key).map(|e| e.name.as_str()).collect()
    }
}

/// A permission one resource needs on another's resource policy (e.g. a topic sending to a
/// queue): the target module emits it in the target's policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    /// The target's module key (`x-sqs`).
    pub module: &'static str,
    /// The target's name.
    pub name: String,
    /// `Sid` of the statement.
    pub sid: String,
    /// The AWS service principal allowed (`sns.amazonaws.com`).
    pub service: &'static str,
    /// Actions allowed.
    pub actions: Vec<&'static str>,
    /// `aws:SourceArn` the request must come from (stack-independent: built from names).
    pub source_arn: Value,
}

/// The x-alarms stack: its `Dimensions` may name x-elbv2 load balancers and target groups.
const ALARMS_STACK: &str = "alarms";

/// State shared by the module emitters during one render.
pub struct Ctx<'a> {
    /// The project.
    pub project: &'a Project,
    /// Every x-resource.
    pub catalog: &'a Catalog<'a>,
    /// The stacks being built.
    pub stacks: &'a mut Stacks,
    /// What families get.
    pub links: &'a mut Links,
    /// Problems found.
    pub diags: &'a mut Vec<Diagnostic>,
    /// Resource-policy grants collected before emitting.
    pub grants: Vec<Grant>,
    /// Check `Properties` values deeply (kinds, allowed values, nested objects), not only
    /// their names.
    pub check_properties: bool,
    /// Looked up once per `Services` key: a set (a list made linking quadratic in the families).
    family_names: BTreeSet<String>,
    lookup_warned: BTreeSet<String>,
}

impl<'a> Ctx<'a> {
    /// A context over `project`.
    pub fn new(
        project: &'a Project,
        catalog: &'a Catalog<'a>,
        stacks: &'a mut Stacks,
        links: &'a mut Links,
        diags: &'a mut Vec<Diagnostic>,
    ) -> Self {
        let family_names = project.families().keys().cloned().collect();
        Ctx {
            project,
            catalog,
            stacks,
            links,
            diags,
            grants: Vec::new(),
            check_properties: true,
            family_names,
            lookup_warned: BTreeSet::new(),
        }
    }

    /// Runs every module's `grants` over its new resources.
    pub fn collect_grants(&mut self) {
        let catalog = self.catalog;
        for module in &catalog.defs {
            for entry in catalog.entries(module.key) {
                if entry.lookup.is_none() {
                    let more = (module.grants)(self, entry);
                    self.grants.extend(more);
                }
            }
        }
    }

    /// The grants targeting resource `name` of module `key`.
    pub fn grants_for(&self, key: &str, name: &str) -> Vec<Grant> {
        self.grants
            .iter()
            .filter(|g| g.module == key && g.name == name)
            .cloned()
            .collect()
    }

    /// Adds `resource` as `entry`'s main resource in its module stack and exports every value
    /// it offers (the layout only wires the ones some stack imports).
    pub fn add_main_resource(&mut self, entry: &Entry, mut resource: Resource) {
        let module = entry.module;
        if let Some(policy) = &entry.deletion_policy {
            resource = resource.with_policies(policy);
        }
        let stack = self.stacks.stack(module.stack);
        stack.template.resources.insert(entry.id.clone(), resource);
        for rv in module.return_values {
            let value = local_value(&entry.id, rv);
            let name = export_name(module, entry, rv);
            let what = format!("{} {}: {}", module.key, entry.name, rv.name);
            stack.export(&name, value, "String", &what);
        }
    }

    /// Value `rv` of `entry` as seen from stack `consumer`: the resource itself in its own stack,
    /// an import elsewhere, a parameter for a looked-up resource.
    pub fn value(&mut self, consumer: &str, entry: &Entry, rv: &ReturnValue) -> Value {
        let module = entry.module;
        if let Some(lookup) = entry.lookup {
            return self.lookup_value(consumer, entry, lookup, rv);
        }
        if consumer == module.stack {
            return local_value(&entry.id, rv);
        }
        let name = export_name(module, entry, rv);
        self.stacks.stack(consumer).import(&name)
    }

    /// Value `rv_name` of `entry` (which must be one of its module's values).
    pub fn value_named(&mut self, consumer: &str, entry: &Entry, rv_name: &str) -> Value {
        let rv = return_value(entry.module, rv_name).unwrap_or(entry.module.return_values[0]);
        self.value(consumer, entry, &rv)
    }

    fn lookup_value(
        &mut self,
        consumer: &str,
        entry: &Entry,
        lookup: &Node,
        rv: &ReturnValue,
    ) -> Value {
        let module = entry.module;
        let name = export_name(module, entry, rv);
        let description = format!(
            "{} {} (existing resource): {}",
            module.key, entry.name, rv.name
        );
        let value = self
            .stacks
            .stack(consumer)
            .add_parameter(&name, Parameter::string().with_description(description));
        let arn = lookup.get("Arn").and_then(Node::as_str);
        let identifier = lookup.get("Identifier").and_then(Node::as_str);
        let known = (module.lookup_values)(arn, identifier);
        if let Some((_, v)) = known.iter().find(|(k, _)| *k == rv.name) {
            self.stacks.known_values.insert(name, v.clone());
        } else if self.lookup_warned.insert(name.clone()) {
            // Given only if the parameter is declared in the end and the user passes no value.
            let warning = Diagnostic::warning(
                LOOKUP_PARAMETER,
                format!(
                    "{} {}: composex makes no AWS call to look this resource up; its {} is the required parameter {name}",
                    module.key, entry.name, rv.name
                ),
                lookup.span,
            )
            .with_help(format!(
                "give `Lookup.Arn` (or `Identifier`) so the parameter files are filled, or pass --param {name}=<value>"
            ));
            self.stacks.unfilled_warnings.insert(name, warning);
        }
        value
    }

    /// `node` as a CloudFormation value, `x-<module>::<name>[::<value>]` strings resolved in
    /// `consumer`'s terms.
    pub fn json(&mut self, consumer: &str, node: &Node) -> Value {
        to_json_with(node, &mut |node, text| {
            is_reference(text)
                .then(|| self.reference(consumer, text, node.span))
                .flatten()
        })
    }

    /// `entry`'s `Properties` for its module stack, checked against the resource type's schema.
    pub fn properties(&mut self, entry: &Entry) -> Map<String, Value> {
        let module = entry.module;
        self.properties_of(entry, module.resource_type, &[])
    }

    /// `entry`'s `Properties` as those of `type_`, checked against its schema (unknown keys are
    /// reported and left out); keys in `own` are accepted but left out (the module writes them
    /// itself, so they are not required from the user either).
    pub fn properties_of(
        &mut self,
        entry: &Entry,
        type_: &str,
        own: &[&str],
    ) -> Map<String, Value> {
        self.checked_properties(entry, type_, own, own)
    }

    /// `entry`'s `Properties` checked against its type's schema, where the module fills in
    /// `filled` when the user leaves them out (`Name`, or `*.Name` at any depth): they are
    /// not required, and kept when given.
    pub fn properties_filled(&mut self, entry: &Entry, filled: &[&str]) -> Map<String, Value> {
        let module = entry.module;
        self.checked_properties(entry, module.resource_type, &[], filled)
    }

    /// `own`: left out of the result; `supplied`: not required from the user.
    fn checked_properties(
        &mut self,
        entry: &Entry,
        type_: &str,
        own: &[&str],
        supplied: &[&str],
    ) -> Map<String, Value> {
        let module = entry.module;
        let Some(node) = entry.get("Properties") else {
            return Map::new();
        };
        if node.is_null() {
            return Map::new();
        }
        let Some(map) = node.as_map() else {
            self.diags.push(Diagnostic::error(
                INVALID,
                format!(
                    "{} {}: Properties must be a mapping, not {}",
                    module.key,
                    entry.name,
                    node.kind_name()
                ),
                node.span,
            ));
            return Map::new();
        };
        let at = entry
            .node
            .and_then(Node::as_map)
            .and_then(|m| m.key_span("Properties"))
            .unwrap_or(entry.span);
        let what = format!("{} {}", module.key, entry.name);
        let known = self.check_schema(&what, type_, supplied, map, at, true);
        let mut out = Map::new();
        for (key, _, value) in &map.entries {
            if own.contains(&key.as_str()) || !known.contains(&key.as_str()) {
                continue;
            }
            let v = self.json(module.stack, value);
            out.insert(key.clone(), v);
        }
        out
    }

    /// Checks `map` as the Properties of `type_` (reported as `what`, unknown keys too when
    /// `unknown`); returns the keys the type has. `own`: keys the module writes itself.
    pub fn check_schema<'m>(
        &mut self,
        what: &str,
        type_: &str,
        own: &[&str],
        map: &'m crate::yaml::Map,
        at: Span,
        unknown: bool,
    ) -> Vec<&'m str> {
        let check = crate::schema::Check {
            what,
            type_name: type_,
            supplied: own,
            deep: self.check_properties,
            unknown,
        };
        crate::schema::check(check, map, at, self.diags)
            .unwrap_or_else(|| map.entries.iter().map(|(k, _, _)| k.as_str()).collect())
    }

    /// Resolves `x-<module>::<name>[::<value>]` (the default value is the ARN); reports what
    /// does not resolve.
    pub fn reference(&mut self, consumer: &str, text: &str, span: Span) -> Option<Value> {
        if consumer == ALARMS_STACK && text.starts_with("x-elbv2::") {
            return self.elbv2_dimension(consumer, text, span);
        }
        let parts: Vec<&str> = text.split("::").collect();
        let (key, name, rv_name) = match parts.as_slice() {
            [k, n] => (*k, *n, None),
            [k, n, v] => (*k, *n, Some(*v)),
            _ => {
                self.diags.push(
                    Diagnostic::error(BAD_REFERENCE, format!("`{text}` is not a reference"), span)
                        .with_help("write x-<module>::<name> or x-<module>::<name>::<value>"),
                );
                return None;
            }
        };
        let Some(module) = self.catalog.module(key) else {
            let known: Vec<&str> = self.catalog.defs.iter().map(|m| m.key).collect();
            let mut d = Diagnostic::error(
                BAD_REFERENCE,
                format!("`{text}`: references to {key} resources are not supported here"),
                span,
            );
            d = match did_you_mean(key, known.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!(
                    "modules that can be referenced: {}",
                    known.join(", ")
                )),
            };
            self.diags.push(d);
            return None;
        };
        let entry = self.find(module, name, span, text)?.clone();
        let rv = match rv_name {
            None => return_value(module, "Arn").unwrap_or(module.return_values[0]),
            Some(v) => match return_value(module, v) {
                Some(rv) => rv,
                None => {
                    self.unknown_return_value(module, v, span);
                    return None;
                }
            },
        };
        Some(self.value(consumer, &entry, &rv))
    }

    /// An x-elbv2 load balancer or target group in an alarm's `Dimensions`: its full name, the
    /// CloudWatch dimension value (as ComposeX resolves it there).
    fn elbv2_dimension(&mut self, consumer: &str, text: &str, span: Span) -> Option<Value> {
        match crate::modules::elbv2::reference_export(self.project, text) {
            Ok(export) => Some(self.stacks.stack(consumer).import(&export)),
            Err(why) => {
                self.diags.push(
                    Diagnostic::error(BAD_REFERENCE, format!("`{text}`: {why}"), span).with_help(
                        "x-elbv2 references name a load balancer, or one of its target groups",
                    ),
                );
                None
            }
        }
    }

    /// Resource `name` of `module`, or a located error with a suggestion.
    pub fn find(
        &mut self,
        module: &'static ModuleDef,
        name: &str,
        span: Span,
        written: &str,
    ) -> Option<&'a Entry<'a>> {
        let catalog = self.catalog;
        if let Some(e) = catalog.find(module.key, name) {
            return Some(e);
        }
        let names = catalog.names(module.key);
        let mut d = Diagnostic::error(
            BAD_REFERENCE,
            format!("`{written}`: {} has no resource `{name}`", module.key),
            span,
        );
        d = match did_you_mean(name, names.iter().copied()) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None if names.is_empty() => d.with_help(format!(
                "define it under the top-level `{}:` key",
                module.key
            )),
            None => d.with_help(format!("{} defines: {}", module.key, names.join(", "))),
        };
        self.diags.push(d);
        None
    }

    fn unknown_return_value(&mut self, module: &ModuleDef, name: &str, span: Span) {
        let names: Vec<&str> = module.return_values.iter().map(|r| r.name).collect();
        let mut d = Diagnostic::error(
            UNKNOWN_RETURN_VALUE,
            format!("{} resources offer no value `{name}`", module.key),
            span,
        );
        d = match did_you_mean(name, names.iter().copied()) {
            Some(s) => d.with_help(format!("did you mean `{s}`? ({})", names.join(", "))),
            None => d.with_help(format!("values offered: {}", names.join(", "))),
        };
        self.diags.push(d);
    }

    /// The access level `access` names in `table`, or a located error listing the levels.
    pub fn level<T: Copy>(
        &mut self,
        entry: &Entry,
        access: &Node,
        table: &[(&'static str, T)],
    ) -> Option<(&'static str, T)> {
        let module = entry.module;
        let levels: Vec<&str> = table.iter().map(|(l, _)| *l).collect();
        let Some(text) = access.as_str() else {
            self.diags.push(
                Diagnostic::error(
                    INVALID,
                    format!(
                        "{} {}: Access must be a level name, not {}",
                        module.key,
                        entry.name,
                        access.kind_name()
                    ),
                    access.span,
                )
                .with_help(format!("levels: {}", levels.join(", "))),
            );
            return None;
        };
        if let Some(found) = table.iter().find(|(l, _)| *l == text) {
            return Some(*found);
        }
        let mut d = Diagnostic::error(
            UNKNOWN_ACCESS,
            format!("{}: no access level `{text}`", module.key),
            access.span,
        );
        d = match did_you_mean(text, levels.iter().copied()) {
            Some(s) => d.with_help(format!("did you mean `{s}`? levels: {}", levels.join(", "))),
            None => d.with_help(format!("levels: {}", levels.join(", "))),
        };
        self.diags.push(d);
        None
    }

    /// `(family, service)` pairs a `Services` key names: a family (all its containers), or a
    /// service (its families; env vars only for its container).
    pub fn families_of(&self, name: &str) -> Vec<(String, Option<String>)> {
        if self.family_names.contains(name) {
            return vec![(name.to_string(), None)];
        }
        match self.project.services.get(name) {
            Some(service) => service
                .families()
                .into_iter()
                .map(|f| (f, Some(name.to_string())))
                .collect(),
            None => Vec::new(),
        }
    }

    /// Links `entry` to the services and families under its `Services`.
    pub fn link(&mut self, module: &'static ModuleDef, entry: &Entry) {
        let Some(services) = entry.get("Services").and_then(Node::as_map) else {
            return;
        };
        let policy_name = format!("{}{}", logical_id(module.stack), entry.id);
        for (target, _, definition) in &services.entries {
            for (family, service) in self.families_of(target) {
                let mut statements = Vec::new();
                if let Some(access) = definition.get("Access").filter(|a| !a.is_null()) {
                    if let Some(more) = (module.access)(self, entry, &family, access) {
                        statements = more;
                    }
                }
                let mut vars = Vec::new();
                if module.default_env {
                    vars.push((
                        env_name(&entry.name),
                        module.return_values[0],
                        definition.span,
                    ));
                }
                if let Some(rvs) = definition.get("ReturnValues").filter(|r| !r.is_null()) {
                    vars.extend(self.return_values(module, rvs));
                }
                let mut env = Vec::new();
                for (name, rv, span) in vars {
                    let value = self.value(&family, entry, &rv);
                    env.push(EnvVar {
                        name,
                        value,
                        service: service.clone(),
                        span,
                    });
                }
                let scaling = match definition.get("Scaling").filter(|s| !s.is_null()) {
                    Some(node) => self.scaling(entry, &family, node),
                    None => None,
                };
                let links = self.links.family_mut(&family);
                if !statements.is_empty() {
                    match links.policies.iter_mut().find(|p| p.name == policy_name) {
                        Some(p) => {
                            for s in statements {
                                if !p.statements.iter().any(|old| old.sid == s.sid) {
                                    p.statements.push(s);
                                }
                            }
                        }
                        None => links.policies.push(LinkPolicy {
                            name: policy_name.clone(),
                            statements,
                        }),
                    }
                }
                links.environment.extend(env);
                links.scaling.extend(scaling);
            }
        }
    }

    fn return_values(
        &mut self,
        module: &'static ModuleDef,
        node: &Node,
    ) -> Vec<(String, ReturnValue, Span)> {
        let Some(map) = node.as_map() else {
            self.diags.push(
                Diagnostic::error(
                    INVALID,
                    format!(
                        "{}: ReturnValues must map values to env var names",
                        module.key
                    ),
                    node.span,
                )
                .with_help("e.g. ReturnValues: {Arn: QUEUE_ARN}"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, key_span, value) in &map.entries {
            let Some(rv) = return_value(module, key) else {
                self.unknown_return_value(module, key, *key_span);
                continue;
            };
            let name = value
                .as_str()
                .or_else(|| value.get("EnvVarName").and_then(Node::as_str));
            match name {
                Some(n) if is_env_name(n) => out.push((n.to_string(), rv, value.span)),
                _ => self.diags.push(
                    Diagnostic::error(
                        INVALID,
                        format!("{}: ReturnValues.{key} must name an env var", module.key),
                        value.span,
                    )
                    .with_help("letters, digits and `_`, not starting with a digit"),
                ),
            }
        }
        out
    }

    fn scaling(&mut self, entry: &Entry, family: &str, node: &Node) -> Option<StepScaling> {
        match entry.module.scaling {
            Some(hook) => hook(self, entry, family, node),
            None => {
                let key = entry.module.key;
                self.diags.push(
                    Diagnostic::warning(
                        IGNORED,
                        format!(
                            "{key}: Scaling of linked services is not supported and is ignored"
                        ),
                        node.span,
                    )
                    .with_help(
                        "step scaling on a resource metric is offered by x-sqs (queue depth)",
                    ),
                );
                None
            }
        }
    }

    /// Reports keys under `Settings` / `MacroParameters` that the module does not read.
    pub fn check_settings(&mut self, entry: &Entry) {
        for section in ["Settings", "MacroParameters"] {
            let Some(map) = entry.get(section).and_then(Node::as_map) else {
                continue;
            };
            for (key, span, _) in &map.entries {
                if entry.module.settings.contains(&key.as_str()) {
                    continue;
                }
                let why = match key.as_str() {
                    "x-cloudmap" => {
                        "registering x-resources in CloudMap is not supported".to_string()
                    }
                    "Subnets" => {
                        format!("{} resources are not placed in subnets", entry.module.key)
                    }
                    _ if entry.module.settings.is_empty() => {
                        format!("{} reads no {section}", entry.module.key)
                    }
                    _ => format!(
                        "{} reads: {}",
                        entry.module.key,
                        entry.module.settings.join(", ")
                    ),
                };
                let mut d = Diagnostic::warning(
                    IGNORED,
                    format!(
                        "{} {}: {section}.{key} is ignored",
                        entry.module.key, entry.name
                    ),
                    *span,
                )
                .with_help(why);
                if let Some(s) = did_you_mean(key, entry.module.settings.iter().copied()) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.diags.push(d);
            }
        }
    }

    /// Reports env vars two resources give the same container under different values.
    pub fn finish(&mut self) {
        for (family, links) in self.links.iter() {
            let mut seen: IndexMap<(&str, Option<&str>), &EnvVar> = IndexMap::new();
            for var in &links.environment {
                let key = (var.name.as_str(), var.service.as_deref());
                match seen.get(&key) {
                    Some(first) if first.value != var.value => {
                        self.diags.push(
                            Diagnostic::warning(ENV_CONFLICT, format!("family {family}: env var {} is given twice with different values; the first is kept", var.name), var.span)
                                .with_label(first.span, "first given here")
                                .with_help("name one of them differently with ReturnValues"),
                        );
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(key, var);
                    }
                }
            }
        }
    }
}

/// The value `rv` of the resource `id` in its own stack.
pub fn local_value(id: &str, rv: &ReturnValue) -> Value {
    match rv.attribute {
        None => ref_(id),
        // `Attribute+suffix`: a value made of an attribute and a fixed text (a URL under an
        // endpoint the resource returns).
        Some(attr) => match attr.split_once('+') {
            Some((attr, suffix)) => crate::cfn::sub(&format!("${{{id}.{attr}}}{suffix}")),
            None => get_att(id, attr),
        },
    }
}

/// The export (or lookup parameter) name of value `rv` of `entry`: `SqsQueueAArn`.
pub fn export_name(module: &ModuleDef, entry: &Entry, rv: &ReturnValue) -> String {
    // Value names may hold dots (`Endpoint.Address`); parameter names are alphanumeric.
    let value: String = rv
        .name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("{}{}{value}", logical_id(module.stack), entry.id)
}

/// The return value `name` of `module`.
pub fn return_value(module: &ModuleDef, name: &str) -> Option<ReturnValue> {
    module
        .return_values
        .iter()
        .copied()
        .find(|r| r.name == name)
}

/// `x-<module>::...`.
pub fn is_reference(text: &str) -> bool {
    text.starts_with("x-") && text.contains("::")
}

/// The default env var of resource `name`: upper case, `-` as `_`, other characters that are
/// not letters, digits or `_` dropped (ComposeX's rule); a leading digit gets a `_`.
pub fn env_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .filter_map(|c| match c {
            '-' => Some('_'),
            c if c.is_ascii_alphanumeric() || c == '_' => Some(c.to_ascii_uppercase()),
            _ => None,
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) || out.is_empty() {
        out.insert(0, '_');
    }
    out
}

fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The resource name of an ARN (`arn:...:<type>/<name>` or `arn:...:<name>`).
pub fn arn_resource(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let resource = parts.nth(4)?;
    Some(resource)
}

/// Region and account of an ARN.
pub fn arn_region_account(arn: &str) -> Option<(&str, &str, &str)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, _, region, account, _] => Some((partition, region, account)),
        _ => None,
    }
}

/// A database's master credentials, generated in a Secrets Manager secret `<id>Secret` of
/// `stack` (no password is ever written in a template), and `props`' `MasterUsername` /
/// `MasterUserPassword` resolved from it. `what` names the database (`x-rds db`). Returns the
/// secret's logical id.
pub fn master_secret(
    stack: &mut Stack,
    what: &str,
    id: &str,
    username: &str,
    props: &mut Map<String, Value>,
) -> String {
    let secret = stack.add_resource(
        &format!("{id}Secret"),
        Resource::new(
            "AWS::SecretsManager::Secret",
            json!({
                "Description": format!("{what}: master credentials"),
                "GenerateSecretString": {
                    "SecretStringTemplate": json!({ "username": username }).to_string(),
                    "GenerateStringKey": "password",
                    "PasswordLength": 32,
                    "ExcludePunctuation": true,
                },
            }),
        ),
    );
    let resolve = |key: &str| {
        crate::cfn::sub(&format!(
            "{{{{resolve:secretsmanager:${{{secret}}}:SecretString:{key}}}}}"
        ))
    };
    props.insert("MasterUsername".into(), resolve("username"));
    props.insert("MasterUserPassword".into(), resolve("password"));
    secret
}

/// `MacroParameters.DBClusterParameterGroup: {Family, Description, Parameters, Name}` of an
/// x-docdb or x-neptune cluster: the group's properties and its `Parameters` node (for checks of
/// particular values); an error at the node when `Family` or `Parameters` (a mapping) is missing,
/// whose help shows `example`.
pub fn cluster_parameter_group<'a>(
    ctx: &mut Ctx,
    entry: &Entry<'a>,
    example: &str,
) -> Option<(Value, &'a Node)> {
    let node = entry.setting("DBClusterParameterGroup")?;
    let family = node.get("Family").and_then(Node::as_str);
    let parameters = node.get("Parameters").filter(|p| p.as_map().is_some());
    let (Some(family), Some(parameters)) = (family, parameters) else {
        ctx.diags.push(
            Diagnostic::error(
                INVALID,
                format!(
                    "{} {}: DBClusterParameterGroup needs Family and Parameters (a mapping)",
                    entry.module.key, entry.name
                ),
                node.span,
            )
            .with_help(format!("e.g. {example}")),
        );
        return None;
    };
    let mut values = Map::new();
    for (k, _, v) in parameters
        .as_map()
        .map(|m| m.entries.as_slice())
        .unwrap_or_default()
    {
        let value = match v.as_scalar() {
            Some(s) => json!(s.text),
            None => ctx.json(entry.module.stack, v),
        };
        values.insert(k.clone(), value);
    }
    let description = node.get("Description").and_then(Node::as_str).map_or_else(
        || format!("{} {}", entry.module.key, entry.name),
        str::to_string,
    );
    let mut props = Map::new();
    props.insert("Description".into(), json!(description));
    props.insert("Family".into(), json!(family));
    if let Some(name) = node.get("Name").and_then(Node::as_str) {
        props.insert("Name".into(), json!(name));
    }
    props.insert("Parameters".into(), Value::Object(values));
    Some((Value::Object(props), parameters))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_follow_composex() {
        assert_eq!(env_name("queueB"), "QUEUEB");
        assert_eq!(env_name("stream-01"), "STREAM_01");
        assert_eq!(env_name("a.b c"), "ABC");
        assert_eq!(env_name("01"), "_01");
    }

    #[test]
    fn arn_parts() {
        let arn = "arn:aws:sqs:eu-west-1:123456789012:queue-a";
        assert_eq!(arn_resource(arn), Some("queue-a"));
        assert_eq!(
            arn_region_account(arn),
            Some(("aws", "eu-west-1", "123456789012"))
        );
        assert_eq!(
            arn_resource("arn:aws:dynamodb:eu-west-1:1:table/t"),
            Some("table/t")
        );
        assert_eq!(arn_resource("nope"), None);
    }
}

//! Wiring stacks together: nested (root + `AWS::CloudFormation::Stack` per other stack, imports
//! passed as stack parameters from producer outputs) or single (one flat template, imports
//! replaced by the producer's value, every other stack's names prefixed by its logical id).

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::{Export, Stack, Stacks};
use crate::cfn::{
    get_att, is_list_type, join_list, logical_id, ref_, split, unique_id, Parameter, Resource,
    Template,
};
use crate::diagnostic::{Diagnostic, Severity};
use crate::{Format, Layout};

/// Code of a wiring problem (a bug in an emitter, never the user's input).
pub const INTERNAL: &str = "CX399";

/// A laid-out stack: a finished template and where its parameters' values come from.
#[derive(Debug, Clone, PartialEq)]
pub struct LaidStack {
    /// File stem (`<project>` for the root).
    pub name: String,
    /// The finished template.
    pub template: Template,
    /// For nested stacks: parameter -> the root parameter whose value the root passes down.
    pub from_root: IndexMap<String, String>,
    /// The single-layout name of each of its resources whose name differs there (nested
    /// layout; empty in the single one): local id -> flat id. The overlay takes flat ids in
    /// both layouts.
    pub flat_ids: BTreeMap<String, String>,
}

/// File name of stack `name` in `format`.
pub fn file_name(name: &str, format: Format) -> String {
    match format {
        Format::Yaml => format!("{name}.yaml"),
        Format::Json => format!("{name}.json"),
    }
}

/// Lays `stacks` out; the root comes first. Wiring problems (an import nobody exports, two
/// stacks exporting one name) are reported as internal errors.
pub fn layout(
    stacks: &Stacks,
    layout: Layout,
    format: Format,
) -> (Vec<LaidStack>, Vec<Diagnostic>) {
    layout_owned(stacks.clone(), layout, format)
}

/// [`layout`] of stacks the caller no longer needs (no copy of every template first).
pub fn layout_owned(
    stacks: Stacks,
    layout: Layout,
    format: Format,
) -> (Vec<LaidStack>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let compacting = stacks.compacts_finished_stacks();
    let mut stacks = declare_imported_parameters(stacks);
    // Nested templates are finished in place: moved out of their stacks, not copied.
    let templates: BTreeMap<String, Template> = match layout {
        Layout::Nested => stacks
            .iter_mut()
            .map(|s| {
                let mut template = std::mem::take(&mut s.template);
                // Room for the parameters its imports become, made once (a compacted
                // template would otherwise double its parameters to take them).
                template.parameters.reserve_exact(s.imports.len());
                (s.name.clone(), template)
            })
            .collect(),
        Layout::Single => BTreeMap::new(),
    };
    let stacks = &stacks;
    let exporters = index_exports(stacks, &mut diagnostics);
    let laid = match layout {
        Layout::Nested => nested(
            stacks,
            templates,
            &exporters,
            format,
            compacting,
            &mut diagnostics,
        ),
        Layout::Single => vec![single(stacks, &exporters, &mut diagnostics)],
    };
    (laid, diagnostics)
}

type Exporters<'a> = BTreeMap<&'a str, (&'a Stack, &'a Export)>;

fn internal(message: String) -> Diagnostic {
    Diagnostic::new(Severity::Error, INTERNAL, format!("internal: {message}"))
        .with_help("this is a bug in composex; please report it with the input that triggers it")
}

/// Declares the parameters behind [`Stack::export_parameter`] exports that some stack imports,
/// and drops stacks with nothing in them that nobody imports from.
fn declare_imported_parameters(mut stacks: Stacks) -> Stacks {
    let imported_by = |stacks: &Stacks| -> std::collections::BTreeSet<String> {
        stacks
            .iter()
            .flat_map(|s| s.imports().map(str::to_string))
            .collect()
    };
    // A nested stack with no resource cannot be deployed: one that only offers values nobody
    // uses is left out (and what it imports no longer counts).
    let imported = imported_by(&stacks);
    stacks.retain(|s| {
        !s.template.resources.is_empty() || s.exports().keys().any(|e| imported.contains(e))
    });
    let imported = imported_by(&stacks);
    for stack in stacks.iter_mut() {
        let declared: Vec<(String, Parameter)> = stack
            .exports()
            .iter()
            .filter(|(name, _)| imported.contains(name.as_str()))
            .filter_map(|(name, e)| e.parameter.clone().map(|p| (name.clone(), p)))
            .collect();
        for (name, parameter) in declared {
            stack.template.parameters.entry(name).or_insert(parameter);
        }
    }
    stacks
}

fn index_exports<'a>(stacks: &'a Stacks, diagnostics: &mut Vec<Diagnostic>) -> Exporters<'a> {
    let mut exporters: Exporters = BTreeMap::new();
    for stack in stacks.iter() {
        for (name, export) in stack.exports() {
            if let Some((other, _)) = exporters.get(name.as_str()) {
                diagnostics.push(internal(format!(
                    "stacks {} and {} both export {name}",
                    other.name, stack.name
                )));
                continue;
            }
            exporters.insert(name, (stack, export));
        }
    }
    exporters
}

/// The value as a string (stack parameters and outputs are strings): lists are joined.
fn as_string(export: &Export, value: Value) -> Value {
    if is_list_type(&export.type_) {
        join_list(",", value)
    } else {
        value
    }
}

fn import_parameter(export: &Export) -> Parameter {
    Parameter::new(&export.type_).with_description(export.description.clone())
}

/// Lays out nested stacks; `templates` are the stacks' templates by stack name (taken out of
/// `stacks`, whose names, imports and exports are what is read here).
fn nested(
    stacks: &Stacks,
    mut templates: BTreeMap<String, Template>,
    exporters: &Exporters,
    format: Format,
    compacting: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<LaidStack> {
    let root_name = stacks.root_name();
    if let Some(cycle) = find_cycle(stacks, exporters) {
        diagnostics.push(internal(format!(
            "nested stacks import from each other in a circle ({}); CloudFormation cannot create them",
            cycle.join(" -> ")
        )));
    }
    // The root as the stacks made it (the flat ids are claimed against it) and the root laid out.
    let root_template = templates.remove(root_name).unwrap_or_default();
    let mut root = root_template.clone();
    // Logical ids of the nested stack resources, fixed first so outputs can be referenced.
    let mut stack_ids: BTreeMap<&str, String> = BTreeMap::new();
    // The ids given so far as a set: scanning them per stack was quadratic in the stacks.
    let mut given: BTreeSet<String> = BTreeSet::new();
    for stack in stacks.iter().filter(|s| s.name != root_name) {
        let id = unique_id(&logical_id(&stack.name), |c| {
            root.resources.contains_key(c) || root.parameters.contains_key(c) || given.contains(c)
        });
        given.insert(id.clone());
        stack_ids.insert(&stack.name, id);
    }

    // Imports: replace in the root, declare as parameters elsewhere.
    let mut root_rewrites = Rewrites::default();
    let mut passed: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    let mut from_root: BTreeMap<&str, IndexMap<String, String>> = BTreeMap::new();
    for stack in stacks.iter() {
        let mut local = Rewrites::default();
        for name in stack.imports() {
            let Some((producer, export)) = exporters.get(name) else {
                diagnostics.push(internal(format!(
                    "stack {} imports {name}, which no stack exports",
                    stack.name
                )));
                continue;
            };
            if producer.name == stack.name {
                local
                    .names
                    .insert(name.to_string(), Replace::Expr(export.value.clone()));
                continue;
            }
            let from_producer = if producer.name == root_name {
                export.value.clone()
            } else {
                let producer_id = stack_ids
                    .get(producer.name.as_str())
                    .cloned()
                    .unwrap_or_default();
                if let Some(t) = templates.get_mut(producer.name.as_str()) {
                    t.outputs.entry(name.to_string()).or_insert_with(|| {
                        crate::cfn::Output::new(as_string(export, export.value.clone()))
                            .with_description(export.description.clone())
                    });
                }
                let output = get_att(&producer_id, &format!("Outputs.{name}"));
                if stack.name == root_name {
                    let value = if is_list_type(&export.type_) {
                        split(",", output)
                    } else {
                        output
                    };
                    root_rewrites
                        .names
                        .insert(name.to_string(), Replace::Expr(value));
                    continue;
                }
                passed
                    .entry(&stack.name)
                    .or_default()
                    .insert(name.to_string(), output);
                if let Some(t) = templates.get_mut(stack.name.as_str()) {
                    t.parameters
                        .entry(name.to_string())
                        .or_insert_with(|| import_parameter(export));
                }
                continue;
            };
            if stack.name == root_name {
                root_rewrites
                    .names
                    .insert(name.to_string(), Replace::Expr(from_producer));
            } else {
                passed
                    .entry(&stack.name)
                    .or_default()
                    .insert(name.to_string(), as_string(export, from_producer));
                if let Some(t) = templates.get_mut(stack.name.as_str()) {
                    t.parameters
                        .entry(name.to_string())
                        .or_insert_with(|| import_parameter(export));
                }
            }
        }
        if !local.names.is_empty() {
            if stack.name == root_name {
                root_rewrites.names.extend(local.names);
            } else if let Some(t) = templates.get_mut(stack.name.as_str()) {
                rewrite_template(t, &local);
            }
        }
    }
    rewrite_template(&mut root, &root_rewrites);

    // Every other parameter of a nested stack is the user's: hoisted to the root, passed down.
    for stack in stacks.iter().filter(|s| s.name != root_name) {
        let Some(template) = templates.get(stack.name.as_str()) else {
            continue;
        };
        let stack_id = stack_ids
            .get(stack.name.as_str())
            .cloned()
            .unwrap_or_default();
        let wired = passed.entry(&stack.name).or_default();
        for (param, definition) in &template.parameters {
            if wired.contains_key(param) {
                continue;
            }
            let root_param = hoist(&mut root, param, definition, &stack_id);
            let value = if definition.is_list() {
                join_list(",", ref_(&root_param))
            } else {
                ref_(&root_param)
            };
            wired.insert(param.clone(), value);
            from_root
                .entry(&stack.name)
                .or_default()
                .insert(param.clone(), root_param);
        }
    }
    for stack in stacks.iter().filter(|s| s.name != root_name) {
        let id = stack_ids
            .get(stack.name.as_str())
            .cloned()
            .unwrap_or_default();
        let mut properties = Map::new();
        properties.insert(
            "TemplateURL".into(),
            json!(format!("./{}", file_name(&stack.name, format))),
        );
        if let Some(parameters) = passed.remove(stack.name.as_str()).filter(|p| !p.is_empty()) {
            properties.insert("Parameters".into(), Value::Object(parameters));
        }
        let mut properties = Value::Object(properties);
        // A big project's root holds one of these per family, all alive with every template.
        if compacting {
            super::compact::value(&mut properties);
        }
        root.resources
            .insert(id, Resource::new("AWS::CloudFormation::Stack", properties));
    }

    let mut flat_names = FlatNames::new(&root_template);
    drop(root_template);
    // Sized once: a big project lays out thousands of stacks.
    let mut laid = Vec::with_capacity(templates.len() + 1);
    laid.push(LaidStack {
        name: root_name.to_string(),
        template: root,
        from_root: IndexMap::new(),
        flat_ids: BTreeMap::new(),
    });
    for stack in stacks.iter().filter(|s| s.name != root_name) {
        if let Some(template) = templates.remove(stack.name.as_str()) {
            let mut from_root = from_root.remove(stack.name.as_str()).unwrap_or_default();
            from_root.shrink_to_fit();
            // Claimed in the order flat_renames claims them (the single layout's names).
            let flat_ids = flat_names
                .claim(stack, &template)
                .names
                .into_iter()
                .filter_map(|(local, flat)| match flat {
                    Replace::Rename(flat) => Some((local, flat)),
                    Replace::Expr(_) => None,
                })
                .collect();
            laid.push(LaidStack {
                name: stack.name.clone(),
                template,
                from_root,
                flat_ids,
            });
        }
    }
    laid
}

/// A circle of nested stacks that import from each other (the root passes values, it is not part
/// of the order), as stack names, first repeated last.
fn find_cycle(stacks: &Stacks, exporters: &Exporters) -> Option<Vec<String>> {
    let root = stacks.root_name();
    let edges = |stack: &Stack| -> Vec<String> {
        let mut producers: Vec<String> = stack
            .imports()
            .filter_map(|name| exporters.get(name).map(|(p, _)| p.name.clone()))
            .filter(|p| p != root && *p != stack.name)
            .collect();
        producers.sort();
        producers.dedup();
        producers
    };
    let graph: BTreeMap<String, Vec<String>> = stacks
        .iter()
        .filter(|s| s.name != root)
        .map(|s| (s.name.clone(), edges(s)))
        .collect();
    // Depth-first search with colours, iterative (stack counts are small, but no recursion).
    let mut state: BTreeMap<&str, u8> = BTreeMap::new(); // 1 = on the path, 2 = done
    for start in graph.keys() {
        if state.contains_key(start.as_str()) {
            continue;
        }
        let mut path: Vec<(&str, usize)> = vec![(start.as_str(), 0)];
        state.insert(start, 1);
        while let Some((node, next)) = path.last_mut() {
            let node: &str = node;
            let targets = graph.get(node).map(Vec::as_slice).unwrap_or_default();
            if let Some(target) = targets.get(*next) {
                *next += 1;
                match state.get(target.as_str()) {
                    Some(1) => {
                        let from = path
                            .iter()
                            .position(|(n, _)| *n == target.as_str())
                            .unwrap_or(0);
                        let mut cycle: Vec<String> =
                            path[from..].iter().map(|(n, _)| n.to_string()).collect();
                        cycle.push(target.clone());
                        return Some(cycle);
                    }
                    Some(_) => {}
                    None => {
                        state.insert(target, 1);
                        path.push((target.as_str(), 0));
                    }
                }
            } else {
                state.insert(node, 2);
                path.pop();
            }
        }
    }
    None
}

/// Declares `definition` in `root` as `name`, or as `<prefix><name>` when the root already has
/// a different parameter (or a resource) of that name; returns the root parameter's name.
fn hoist(root: &mut Template, name: &str, definition: &Parameter, prefix: &str) -> String {
    match root.parameters.get(name) {
        Some(existing) if existing == definition => return name.to_string(),
        None if !root.resources.contains_key(name) => {
            root.parameters.insert(name.to_string(), definition.clone());
            return name.to_string();
        }
        _ => {}
    }
    let base = format!("{prefix}{name}");
    let taken = |c: &str| {
        root.resources.contains_key(c) || root.parameters.get(c).is_some_and(|p| p != definition)
    };
    let id = unique_id(&base, taken);
    root.parameters.insert(id.clone(), definition.clone());
    id
}

fn single(stacks: &Stacks, exporters: &Exporters, diagnostics: &mut Vec<Diagnostic>) -> LaidStack {
    let root_name = stacks.root_name();
    let mut flat = stacks
        .get(root_name)
        .map(|s| s.template.clone())
        .unwrap_or_default();
    // 1. Names of every non-root stack in the flat template: prefixed by the stack's logical id.
    let mut renames = flat_renames(stacks, &flat, |s| Some(&s.template));
    // 2. Parameters: imports become the producer's (renamed) value; the rest are hoisted.
    for stack in stacks.iter() {
        let mut expressions = BTreeMap::new();
        for name in stack.imports() {
            let Some((producer, export)) = exporters.get(name) else {
                diagnostics.push(internal(format!(
                    "stack {} imports {name}, which no stack exports",
                    stack.name
                )));
                continue;
            };
            let mut value = export.value.clone();
            if let Some(rw) = renames.get(producer.name.as_str()) {
                rewrite(&mut value, rw);
            }
            expressions.insert(name.to_string(), Replace::Expr(value));
        }
        if stack.name == root_name {
            if let Some(rw) = renames.get_mut(root_name) {
                rw.names.extend(expressions);
            }
            continue;
        }
        let prefix = logical_id(&stack.name);
        let mut params = BTreeMap::new();
        for (param, definition) in &stack.template.parameters {
            if expressions.contains_key(param) {
                continue;
            }
            let root_param = hoist(&mut flat, param, definition, &prefix);
            params.insert(param.clone(), Replace::Rename(root_param));
        }
        if let Some(rw) = renames.get_mut(stack.name.as_str()) {
            rw.names.extend(expressions);
            rw.names.extend(params);
        }
    }
    if let Some(rw) = renames.get(root_name) {
        rewrite_template(&mut flat, rw);
    }
    // 3. Merge the renamed contents.
    for stack in stacks.iter().filter(|s| s.name != root_name) {
        let Some(rw) = renames.get(stack.name.as_str()) else {
            continue;
        };
        let mut t = stack.template.clone();
        t.parameters.clear();
        rewrite_template(&mut t, rw);
        let renamed = |name: &str| match rw.names.get(name) {
            Some(Replace::Rename(n)) => n.clone(),
            _ => name.to_string(),
        };
        for (name, resource) in t.resources {
            flat.resources.insert(renamed(&name), resource);
        }
        for (name, condition) in t.conditions {
            flat.conditions
                .insert(rw.conditions.get(&name).cloned().unwrap_or(name), condition);
        }
        for (name, mapping) in t.mappings {
            flat.mappings
                .insert(rw.mappings.get(&name).cloned().unwrap_or(name), mapping);
        }
        let prefix = logical_id(&stack.name);
        for (name, output) in t.outputs {
            let id = unique_id(&format!("{prefix}{name}"), |c| flat.outputs.contains_key(c));
            flat.outputs.insert(id, output);
        }
    }
    order_after_exports(stacks, exporters, &renames, &mut flat);
    LaidStack {
        name: root_name.to_string(),
        template: flat,
        from_root: IndexMap::new(),
        flat_ids: BTreeMap::new(),
    }
}

/// The names of every non-root stack's resources, conditions and mappings in the single
/// layout: prefixed by the stack's logical id and unique in the flat template that starts as
/// `root`. The nested layout records them too, so the overlay names a resource one way in both.
/// `template_of`: a stack's template (the nested layout has moved them out of the stacks).
fn flat_renames<'a, 't>(
    stacks: &'a Stacks,
    root: &Template,
    template_of: impl Fn(&'a Stack) -> Option<&'t Template>,
) -> BTreeMap<&'a str, Rewrites> {
    let root_name = stacks.root_name();
    let mut names = FlatNames::new(root);
    let mut renames: BTreeMap<&str, Rewrites> = BTreeMap::new();
    renames.insert(root_name, Rewrites::default());
    for stack in stacks.iter().filter(|s| s.name != root_name) {
        let Some(t) = template_of(stack) else {
            continue;
        };
        renames.insert(&stack.name, names.claim(stack, t));
    }
    renames
}

/// The names taken in the flat template so far: [`flat_renames`] one stack at a time (the
/// nested layout claims each stack's names as it finishes the stack, so only one stack's
/// renames are alive at once).
struct FlatNames {
    taken: BTreeSet<String>,
}

impl FlatNames {
    /// Starts from the names of the flat template `root`.
    fn new(root: &Template) -> Self {
        let taken = root
            .resources
            .keys()
            .chain(root.parameters.keys())
            .chain(root.conditions.keys())
            .chain(root.mappings.keys())
            .cloned()
            .collect();
        FlatNames { taken }
    }

    /// Claims the flat names of `stack`'s resources, conditions and mappings (`t`, its template).
    fn claim(&mut self, stack: &Stack, t: &Template) -> Rewrites {
        let prefix = logical_id(&stack.name);
        let mut rw = Rewrites::default();
        let taken = &mut self.taken;
        let mut claim = |name: &str| {
            let base = if name.starts_with(&prefix) {
                name.to_string()
            } else {
                format!("{prefix}{name}")
            };
            let id = unique_id(&base, |c| taken.contains(c));
            taken.insert(id.clone());
            id
        };
        for name in t.resources.keys() {
            rw.names.insert(name.clone(), Replace::Rename(claim(name)));
        }
        for name in t.conditions.keys() {
            rw.conditions.insert(name.clone(), claim(name));
        }
        for name in t.mappings.keys() {
            rw.mappings.insert(name.clone(), claim(name));
        }
        rw
    }
}

/// Single layout: turns [`Stack::depends_on_export`] orderings into `DependsOn` on the renamed
/// resources (exports whose value is not a `Ref` to a resource are skipped).
fn order_after_exports(
    stacks: &Stacks,
    exporters: &Exporters,
    renames: &BTreeMap<&str, Rewrites>,
    flat: &mut Template,
) {
    let renamed =
        |stack: &str, name: &str| match renames.get(stack).and_then(|rw| rw.names.get(name)) {
            Some(Replace::Rename(n)) => n.clone(),
            _ => name.to_string(),
        };
    for stack in stacks.iter() {
        for (resource, export) in stack.after_exports() {
            let Some((producer, value)) = exporters.get(export.as_str()) else {
                continue;
            };
            let Some(Value::String(target)) = value.value.get("Ref") else {
                continue;
            };
            let target = renamed(&producer.name, target);
            let resource = renamed(&stack.name, resource);
            if flat.resources.contains_key(&target) {
                if let Some(r) = flat.resources.get_mut(&resource) {
                    if !r.depends_on.contains(&target) {
                        r.depends_on.push(target);
                    }
                }
            }
        }
    }
}

/// What a name becomes.
#[derive(Debug, Clone, PartialEq)]
enum Replace {
    /// Another logical id / parameter name.
    Rename(String),
    /// An expression in place of `Ref: name` (imports).
    Expr(Value),
}

/// Renames and replacements to apply to one template's contents.
#[derive(Debug, Clone, Default)]
struct Rewrites {
    names: BTreeMap<String, Replace>,
    conditions: BTreeMap<String, String>,
    mappings: BTreeMap<String, String>,
}

fn rewrite_template(t: &mut Template, rw: &Rewrites) {
    for resource in t.resources.values_mut() {
        let mut properties = Value::Object(std::mem::take(&mut resource.properties));
        rewrite(&mut properties, rw);
        if let Value::Object(m) = properties {
            resource.properties = m;
        }
        if let Some(metadata) = &mut resource.metadata {
            rewrite(metadata, rw);
        }
        for dep in &mut resource.depends_on {
            if let Some(Replace::Rename(n)) = rw.names.get(dep.as_str()) {
                *dep = n.clone();
            }
        }
        if let Some(c) = &mut resource.condition {
            if let Some(n) = rw.conditions.get(c.as_str()) {
                *c = n.clone();
            }
        }
    }
    for condition in t.conditions.values_mut() {
        rewrite(condition, rw);
    }
    for output in t.outputs.values_mut() {
        rewrite(&mut output.value, rw);
        if let Some(e) = &mut output.export_name {
            rewrite(e, rw);
        }
        if let Some(c) = &mut output.condition {
            if let Some(n) = rw.conditions.get(c.as_str()) {
                *c = n.clone();
            }
        }
    }
}

/// Applies `rw` to every reference inside `value`: `Ref`, `Fn::GetAtt`, `Fn::Sub` variables,
/// `Fn::If` and `Condition` names, `Fn::FindInMap` map names.
fn rewrite(value: &mut Value, rw: &Rewrites) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, rw)),
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(replacement) = rewrite_intrinsic(map, rw) {
                    *value = replacement;
                    return;
                }
            }
            map.values_mut().for_each(|v| rewrite(v, rw));
        }
        _ => {}
    }
}

/// Handles a one-key object that is an intrinsic; returns a replacement for the whole object
/// (a `Ref` replaced by an expression), or rewrites in place and returns None.
fn rewrite_intrinsic(map: &mut Map<String, Value>, rw: &Rewrites) -> Option<Value> {
    let (key, arg) = map.iter_mut().next()?;
    match (key.as_str(), arg) {
        ("Ref", Value::String(name)) => match rw.names.get(name.as_str()) {
            Some(Replace::Rename(n)) => *name = n.clone(),
            Some(Replace::Expr(e)) => return Some(e.clone()),
            None => {}
        },
        ("Condition", Value::String(name)) => {
            if let Some(n) = rw.conditions.get(name.as_str()) {
                *name = n.clone();
            }
        }
        ("Fn::GetAtt", Value::Array(args)) => {
            if let Some(Value::String(name)) = args.first_mut() {
                if let Some(Replace::Rename(n)) = rw.names.get(name.as_str()) {
                    *name = n.clone();
                }
            }
            args.iter_mut().skip(1).for_each(|v| rewrite(v, rw));
        }
        ("Fn::GetAtt", Value::String(dotted)) => {
            if let Some((name, attribute)) = dotted.split_once('.') {
                if let Some(Replace::Rename(n)) = rw.names.get(name) {
                    *dotted = format!("{n}.{attribute}");
                }
            }
        }
        ("Fn::If", Value::Array(args)) => {
            if let Some(Value::String(name)) = args.first_mut() {
                if let Some(n) = rw.conditions.get(name.as_str()) {
                    *name = n.clone();
                }
            }
            args.iter_mut().skip(1).for_each(|v| rewrite(v, rw));
        }
        ("Fn::FindInMap", Value::Array(args)) => {
            if let Some(Value::String(name)) = args.first_mut() {
                if let Some(n) = rw.mappings.get(name.as_str()) {
                    *name = n.clone();
                }
            }
            args.iter_mut().skip(1).for_each(|v| rewrite(v, rw));
        }
        ("Fn::Sub", Value::String(text)) => {
            let mut variables = Map::new();
            let new_text = rewrite_sub(text, rw, &Map::new(), &mut variables);
            if variables.is_empty() {
                *text = new_text;
            } else {
                return Some(json!({ "Fn::Sub": [new_text, variables] }));
            }
        }
        ("Fn::Sub", Value::Array(args)) => {
            if let [Value::String(text), Value::Object(own)] = args.as_mut_slice() {
                own.values_mut().for_each(|v| rewrite(v, rw));
                let mut variables = Map::new();
                *text = rewrite_sub(text, rw, own, &mut variables);
                own.extend(variables);
            }
        }
        (_, arg) => rewrite(arg, rw),
    }
    None
}

/// Rewrites `${Name}` / `${Name.Attr}` in a `Fn::Sub` template (not `${!Literal}`, not names the
/// Sub defines itself). Names replaced by expressions become Sub variables, added to `variables`.
fn rewrite_sub(
    text: &str,
    rw: &Rewrites,
    own: &Map<String, Value>,
    variables: &mut Map<String, Value>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let (name, attribute) = match inner.split_once('.') {
            Some((n, a)) => (n, Some(a)),
            None => (inner, None),
        };
        let replaced = if inner.starts_with('!') || own.contains_key(name) {
            None
        } else {
            match rw.names.get(name) {
                Some(Replace::Rename(n)) => Some(match attribute {
                    Some(a) => format!("{n}.{a}"),
                    None => n.clone(),
                }),
                Some(Replace::Expr(e)) if attribute.is_none() => {
                    variables.insert(name.to_string(), e.clone());
                    None
                }
                _ => None,
            }
        };
        out.push_str("${");
        out.push_str(replaced.as_deref().unwrap_or(inner));
        out.push('}');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

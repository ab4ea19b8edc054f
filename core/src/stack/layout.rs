//! Wiring stacks together: nested (root + `AWS::CloudFormation::Stack` per other stack, imports
//! passed as stack parameters from producer outputs) or single (one flat template, imports
//! replaced by the producer's value, every other stack's names prefixed by its logical id).
//!
//! Stacks are addressed by their position in [`Stacks::iter`] (root first): per-stack data lives
//! in vectors indexed by it, and the maps and sets that are only looked up (export names, the
//! flat names taken) hash. A 1,000-family project lays out in time linear in its stacks.

use std::collections::BTreeMap;

use indexmap::{IndexMap, IndexSet};
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

/// The hasher of the lookup-only maps and sets here: foldhash's fixed-seed one (fast on short
/// strings, deterministic, nothing asked of the platform, and already in the build through
/// serde_json). They are never iterated for output, so their order cannot reach a template;
/// std's `HashMap` is denied in the core (clippy.toml) because its iteration order is random.
type FastHash = foldhash::fast::FixedState;

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
    // Nested templates are finished in place: moved out of their stacks (by position), not copied.
    let templates: Vec<Template> = match layout {
        Layout::Nested => stacks
            .iter_mut()
            .map(|s| std::mem::take(&mut s.template))
            .collect(),
        Layout::Single => Vec::new(),
    };
    let all = Positions::of(&stacks);
    let exporters = index_exports(&all, &mut diagnostics);
    let laid = match layout {
        Layout::Nested => nested(
            &all,
            templates,
            &exporters,
            format,
            compacting,
            &mut diagnostics,
        ),
        Layout::Single => vec![single(&all, &exporters, &mut diagnostics)],
    };
    (laid, diagnostics)
}

/// The stacks in [`Stacks::iter`] order, and where the root is: the index every per-stack
/// vector of the layout uses.
struct Positions<'a> {
    stacks: Vec<&'a Stack>,
    root_name: &'a str,
    root: Option<usize>,
}

impl<'a> Positions<'a> {
    fn of(stacks: &'a Stacks) -> Self {
        let root_name = stacks.root_name();
        let stacks: Vec<&Stack> = stacks.iter().collect();
        let root = stacks.iter().position(|s| s.name == root_name);
        Positions {
            stacks,
            root_name,
            root,
        }
    }

    fn is_root(&self, index: usize) -> bool {
        self.root == Some(index)
    }

    /// Every stack with its position.
    fn iter(&self) -> impl Iterator<Item = (usize, &'a Stack)> + '_ {
        self.stacks.iter().copied().enumerate()
    }

    /// Every stack but the root, with its position.
    fn others(&self) -> impl Iterator<Item = (usize, &'a Stack)> + '_ {
        self.iter().filter(|(i, _)| !self.is_root(*i))
    }

    fn len(&self) -> usize {
        self.stacks.len()
    }
}

/// The stack offering an export: its position and the export.
#[derive(Clone, Copy)]
struct Producer<'a> {
    index: usize,
    stack: &'a Stack,
    export: &'a Export,
}

/// Export name -> its producer.
type Exporters<'a> = IndexMap<&'a str, Producer<'a>, FastHash>;

fn internal(message: String) -> Diagnostic {
    Diagnostic::new(Severity::Error, INTERNAL, format!("internal: {message}"))
        .with_help("this is a bug in composex; please report it with the input that triggers it")
}

/// Declares the parameters behind [`Stack::export_parameter`] exports that some stack imports,
/// and drops stacks with nothing in them that nobody imports from.
fn declare_imported_parameters(mut stacks: Stacks) -> Stacks {
    // What the stacks `keep` accepts import (borrowed: a set of every import name, not copies).
    fn imported_by(stacks: &Stacks, keep: impl Fn(&Stack) -> bool) -> IndexSet<&str, FastHash> {
        stacks
            .iter()
            .filter(|s| keep(s))
            .flat_map(|s| s.imports())
            .collect()
    }
    // A nested stack with no resource cannot be deployed: one that only offers values nobody
    // uses is left out (and what it imports no longer counts).
    let root = stacks.root_name();
    let imported = imported_by(&stacks, |_| true);
    let dropped: IndexSet<String, FastHash> = stacks
        .iter()
        .filter(|s| s.name != root)
        .filter(|s| {
            s.template.resources.is_empty()
                && !s.exports().keys().any(|e| imported.contains(e.as_str()))
        })
        .map(|s| s.name.clone())
        .collect();
    let imported = if dropped.is_empty() {
        imported
    } else {
        imported_by(&stacks, |s| !dropped.contains(&s.name))
    };
    // The parameters to declare, by stack (few: only values the user supplies).
    let mut declared: IndexMap<String, Vec<(String, Parameter)>, FastHash> = IndexMap::default();
    for stack in stacks.iter().filter(|s| !dropped.contains(&s.name)) {
        for (name, export) in stack.exports() {
            if let Some(parameter) = export
                .parameter
                .as_ref()
                .filter(|_| imported.contains(name.as_str()))
            {
                declared
                    .entry(stack.name.clone())
                    .or_default()
                    .push((name.clone(), parameter.clone()));
            }
        }
    }
    if !dropped.is_empty() {
        stacks.retain(|s| !dropped.contains(&s.name));
    }
    if !declared.is_empty() {
        for stack in stacks.iter_mut() {
            for (name, parameter) in declared.swap_remove(&stack.name).unwrap_or_default() {
                stack.template.parameters.entry(name).or_insert(parameter);
            }
        }
    }
    stacks
}

fn index_exports<'a>(all: &Positions<'a>, diagnostics: &mut Vec<Diagnostic>) -> Exporters<'a> {
    let mut exporters: Exporters = IndexMap::default();
    for (index, stack) in all.iter() {
        for (name, export) in stack.exports() {
            if let Some(other) = exporters.get(name.as_str()) {
                diagnostics.push(internal(format!(
                    "stacks {} and {} both export {name}",
                    other.stack.name, stack.name
                )));
                continue;
            }
            exporters.insert(
                name,
                Producer {
                    index,
                    stack,
                    export,
                },
            );
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

/// Lays out nested stacks; `templates` are the stacks' templates by position (taken out of
/// the stacks, whose names, imports and exports are what is read here).
fn nested(
    all: &Positions,
    mut templates: Vec<Template>,
    exporters: &Exporters,
    format: Format,
    compacting: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<LaidStack> {
    // The circle check comes first among the wiring problems; its edges are read in the visits.
    let first_problem = diagnostics.len();
    let mut producers_of: Vec<Vec<usize>> = Vec::with_capacity(all.len());
    // The root as the stacks made it (the flat ids are claimed against it) and the root laid out.
    let root_template = all
        .root
        .map(|i| std::mem::take(&mut templates[i]))
        .unwrap_or_default();
    let mut root = root_template.clone();
    // Logical ids of the nested stack resources, fixed first so outputs can be referenced.
    let mut stack_ids: Vec<String> = vec![String::new(); all.len()];
    // The ids given so far as a set: scanning them per stack was quadratic in the stacks.
    let mut given: IndexSet<String, FastHash> = IndexSet::default();
    for (i, stack) in all.others() {
        let id = unique_id(&logical_id(&stack.name), |c| {
            root.resources.contains_key(c) || root.parameters.contains_key(c) || given.contains(c)
        });
        given.insert(id.clone());
        stack_ids[i] = id;
    }
    drop(given);

    // Every stack is finished in one visit, while its data is in cache (a 1,000-family project's
    // stacks do not fit in it: a pass per step missed on every stack again). The steps per
    // stack: its imports (replaced in the root, declared as parameters elsewhere; the producer
    // gets an output), then, for a nested stack, its other parameters (the user's: hoisted to
    // the root, passed down), the root's resource for it and its flat ids. Nothing a stack's
    // visit reads is changed by a later visit, except the root's resources, hence
    // `stack_resources`.
    let mut root_rewrites = Rewrites::default();
    // The root's `AWS::CloudFormation::Stack` resources, added after every parameter is hoisted
    // (a hoisted parameter does not give way to them).
    let mut stack_resources: Vec<(String, Resource)> = Vec::with_capacity(all.len());
    let mut flat_names = FlatNames::new(&root_template);
    drop(root_template);
    // What each nested stack's LaidStack holds but its template, which is moved in at the end (a
    // producer's gets outputs until its last importer is visited).
    let mut finished: Vec<Finished> = Vec::with_capacity(all.len());
    for (i, stack) in all.iter() {
        let is_root = all.is_root(i);
        let mut passed: Map<String, Value> = Map::new();
        let mut local = Rewrites::default();
        let mut producers = Vec::new();
        // Room for the parameters its imports become, made once (a compacted template would
        // otherwise double its parameters to take them).
        templates[i].parameters.reserve_exact(stack.imports.len());
        for name in stack.imports() {
            let Some(producer) = exporters.get(name) else {
                diagnostics.push(internal(format!(
                    "stack {} imports {name}, which no stack exports",
                    stack.name
                )));
                continue;
            };
            if !is_root && !all.is_root(producer.index) && producer.index != i {
                producers.push(producer.index);
            }
            let export = producer.export;
            if producer.index == i {
                local
                    .names
                    .insert(name.to_string(), Replace::Expr(export.value.clone()));
                continue;
            }
            let from_producer = if all.is_root(producer.index) {
                export.value.clone()
            } else {
                let producer_id = &stack_ids[producer.index];
                templates[producer.index]
                    .outputs
                    .entry(name.to_string())
                    .or_insert_with(|| {
                        crate::cfn::Output::new(as_string(export, export.value.clone()))
                            .with_description(export.description.clone())
                    });
                let output = get_att(producer_id, &format!("Outputs.{name}"));
                if is_root {
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
                passed.insert(name.to_string(), output);
                templates[i]
                    .parameters
                    .entry(name.to_string())
                    .or_insert_with(|| import_parameter(export));
                continue;
            };
            if is_root {
                root_rewrites
                    .names
                    .insert(name.to_string(), Replace::Expr(from_producer));
            } else {
                passed.insert(name.to_string(), as_string(export, from_producer));
                templates[i]
                    .parameters
                    .entry(name.to_string())
                    .or_insert_with(|| import_parameter(export));
            }
        }
        if !local.names.is_empty() {
            if is_root {
                root_rewrites.names.extend(local.names);
            } else {
                rewrite_template(&mut templates[i], &local);
            }
        }
        producers.sort_unstable();
        producers.dedup();
        producers_of.push(producers);
        if is_root {
            continue;
        }

        // Every other parameter of a nested stack is the user's: hoisted to the root, passed down.
        let mut from_root = IndexMap::new();
        for (param, definition) in &templates[i].parameters {
            if passed.contains_key(param) {
                continue;
            }
            let root_param = hoist(&mut root, param, definition, &stack_ids[i]);
            let value = if definition.is_list() {
                join_list(",", ref_(&root_param))
            } else {
                ref_(&root_param)
            };
            passed.insert(param.clone(), value);
            from_root.insert(param.clone(), root_param);
        }
        from_root.shrink_to_fit();

        let mut properties = Map::new();
        properties.insert(
            "TemplateURL".into(),
            json!(format!("./{}", file_name(&stack.name, format))),
        );
        if !passed.is_empty() {
            properties.insert("Parameters".into(), Value::Object(passed));
        }
        let mut properties = Value::Object(properties);
        // A big project's root holds one of these per family, all alive with every template.
        if compacting {
            super::compact::value(&mut properties);
        }
        stack_resources.push((
            stack_ids[i].clone(),
            Resource::new("AWS::CloudFormation::Stack", properties),
        ));

        // Claimed in the order flat_renames claims them (the single layout's names).
        let flat_ids = flat_names.claim_resource_ids(stack, &templates[i]);
        finished.push((stack.name.clone(), from_root, flat_ids));
    }
    if let Some(cycle) = find_cycle(all, producers_of) {
        diagnostics.insert(
            first_problem,
            internal(format!(
                "nested stacks import from each other in a circle ({}); CloudFormation cannot create them",
                cycle.join(" -> ")
            )),
        );
    }
    rewrite_template(&mut root, &root_rewrites);
    for (id, resource) in stack_resources {
        root.resources.insert(id, resource);
    }
    // Sized once: a big project lays out thousands of stacks.
    let mut laid = Vec::with_capacity(all.len());
    laid.push(LaidStack {
        name: all.root_name.to_string(),
        template: root,
        from_root: IndexMap::new(),
        flat_ids: BTreeMap::new(),
    });
    for ((name, from_root, flat_ids), (i, _)) in finished.into_iter().zip(all.others()) {
        laid.push(LaidStack {
            name,
            template: std::mem::take(&mut templates[i]),
            from_root,
            flat_ids,
        });
    }
    laid
}

/// A nested stack's [`LaidStack`] but its template: name, `from_root`, `flat_ids`.
type Finished = (String, IndexMap<String, String>, BTreeMap<String, String>);

/// A circle of nested stacks that import from each other (the root passes values, it is not part
/// of the order), as stack names, first repeated last. `edges`: each stack's producers (by
/// position; without the root, itself and repeats; none for the root).
fn find_cycle(all: &Positions, mut edges: Vec<Vec<usize>>) -> Option<Vec<String>> {
    let mut starts: Vec<usize> = all.others().map(|(i, _)| i).collect();
    // Whether there is a circle does not depend on the order of the search; which one is
    // reported does: stack name order, paid only when there is one (a bug).
    search_cycle(&starts, &edges)?;
    let name = |i: &usize| all.stacks[*i].name.as_str();
    starts.sort_by_key(name);
    for producers in &mut edges {
        producers.sort_by_key(name);
    }
    let cycle = search_cycle(&starts, &edges)?;
    Some(cycle.iter().map(|i| name(i).to_string()).collect())
}

/// Depth-first search with colours over `edges` (by position) from each of `starts` in turn,
/// iterative (no recursion): the first circle met, first repeated last.
fn search_cycle(starts: &[usize], edges: &[Vec<usize>]) -> Option<Vec<usize>> {
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state: Vec<u8> = vec![0; edges.len()];
    for &start in starts {
        if state[start] != 0 {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = ON_PATH;
        while let Some((node, next)) = path.last_mut() {
            let node = *node;
            if let Some(&target) = edges[node].get(*next) {
                *next += 1;
                match state[target] {
                    ON_PATH => {
                        let from = path.iter().position(|(n, _)| *n == target).unwrap_or(0);
                        let mut cycle: Vec<usize> = path[from..].iter().map(|(n, _)| *n).collect();
                        cycle.push(target);
                        return Some(cycle);
                    }
                    DONE => {}
                    _ => {
                        state[target] = ON_PATH;
                        path.push((target, 0));
                    }
                }
            } else {
                state[node] = DONE;
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

fn single(all: &Positions, exporters: &Exporters, diagnostics: &mut Vec<Diagnostic>) -> LaidStack {
    let mut flat = all
        .root
        .map(|i| all.stacks[i].template.clone())
        .unwrap_or_default();
    // 1. Names of every non-root stack in the flat template: prefixed by the stack's logical id.
    let mut renames = flat_renames(all, &flat);
    // 2. Parameters: imports become the producer's (renamed) value; the rest are hoisted.
    for (i, stack) in all.iter() {
        let mut expressions = BTreeMap::new();
        for name in stack.imports() {
            let Some(producer) = exporters.get(name) else {
                diagnostics.push(internal(format!(
                    "stack {} imports {name}, which no stack exports",
                    stack.name
                )));
                continue;
            };
            let mut value = producer.export.value.clone();
            rewrite(&mut value, &renames[producer.index]);
            expressions.insert(name.to_string(), Replace::Expr(value));
        }
        if all.is_root(i) {
            renames[i].names.extend(expressions);
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
        renames[i].names.extend(expressions);
        renames[i].names.extend(params);
    }
    if let Some(root) = all.root {
        rewrite_template(&mut flat, &renames[root]);
    }
    // 3. Merge the renamed contents.
    for (i, stack) in all.others() {
        let rw = &renames[i];
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
    order_after_exports(all, exporters, &renames, &mut flat);
    LaidStack {
        name: all.root_name.to_string(),
        template: flat,
        from_root: IndexMap::new(),
        flat_ids: BTreeMap::new(),
    }
}

/// The names of every non-root stack's resources, conditions and mappings in the single
/// layout, by stack position (the root's: none): prefixed by the stack's logical id and unique
/// in the flat template that starts as `root`. The nested layout claims them too
/// ([`FlatNames::claim_resource_ids`]), so the overlay names a resource one way in both.
fn flat_renames(all: &Positions, root: &Template) -> Vec<Rewrites> {
    let mut names = FlatNames::new(root);
    all.iter()
        .map(|(i, stack)| {
            if all.is_root(i) {
                Rewrites::default()
            } else {
                names.claim(stack, &stack.template)
            }
        })
        .collect()
}

/// The names taken in the flat template so far: [`flat_renames`] one stack at a time (the
/// nested layout claims each stack's names as it finishes the stack, so only one stack's
/// renames are alive at once). A hashed set: a 1,000-family project takes ~15,000 names.
struct FlatNames {
    taken: IndexSet<String, FastHash>,
}

/// What kind of name [`FlatNames::claim_each`] claims.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Resource,
    Condition,
    Mapping,
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
        let mut rw = Rewrites::default();
        self.claim_each(stack, t, |kind, name, flat| {
            let name = name.to_string();
            match kind {
                Kind::Resource => {
                    rw.names.insert(name, Replace::Rename(flat));
                }
                Kind::Condition => {
                    rw.conditions.insert(name, flat);
                }
                Kind::Mapping => {
                    rw.mappings.insert(name, flat);
                }
            }
        });
        rw
    }

    /// [`FlatNames::claim`], keeping only the resources' flat ids (local id -> flat id): what
    /// the nested layout records.
    fn claim_resource_ids(&mut self, stack: &Stack, t: &Template) -> BTreeMap<String, String> {
        let mut ids = BTreeMap::new();
        self.claim_each(stack, t, |kind, name, flat| {
            if kind == Kind::Resource {
                ids.insert(name.to_string(), flat);
            }
        });
        ids
    }

    /// Claims, in this order, the flat names of `t`'s resources, conditions and mappings,
    /// giving each to `claimed` with its local name.
    fn claim_each(
        &mut self,
        stack: &Stack,
        t: &Template,
        mut claimed: impl FnMut(Kind, &str, String),
    ) {
        let prefix = logical_id(&stack.name);
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
            claimed(Kind::Resource, name, claim(name));
        }
        for name in t.conditions.keys() {
            claimed(Kind::Condition, name, claim(name));
        }
        for name in t.mappings.keys() {
            claimed(Kind::Mapping, name, claim(name));
        }
    }
}

/// Single layout: turns [`Stack::depends_on_export`] orderings into `DependsOn` on the renamed
/// resources (exports whose value is not a `Ref` to a resource are skipped).
fn order_after_exports(
    all: &Positions,
    exporters: &Exporters,
    renames: &[Rewrites],
    flat: &mut Template,
) {
    let renamed = |stack: usize, name: &str| match renames[stack].names.get(name) {
        Some(Replace::Rename(n)) => n.clone(),
        _ => name.to_string(),
    };
    for (i, stack) in all.iter() {
        for (resource, export) in stack.after_exports() {
            let Some(producer) = exporters.get(export.as_str()) else {
                continue;
            };
            let Some(Value::String(target)) = producer.export.value.get("Ref") else {
                continue;
            };
            let target = renamed(producer.index, target);
            let resource = renamed(i, resource);
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

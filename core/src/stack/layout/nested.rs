//! The nested layout: the root and one `AWS::CloudFormation::Stack` per other stack; imports
//! passed as stack parameters from the producers' outputs, the user's parameters hoisted to the
//! root and passed down.

use indexmap::{IndexMap, IndexSet};
use serde_json::{json, Map, Value};

use super::flat::FlatNames;
use super::rewrite::{rewrite_template, Replace, Rewrites};
use super::{
    file_name, hoist_among, internal, producer_of, Exporters, FastHash, LaidStack, Positions,
};
use crate::cfn::{
    get_att, is_list_type, join_list, logical_id, ref_, split, unique_id, Parameter, Resource,
};
use crate::diagnostic::Diagnostic;
use crate::stack::Export;
use crate::Format;

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

/// Lays out nested stacks; `laid` holds the stacks' templates by position (taken out of the
/// stacks, whose names, imports and exports are what is read here), and is finished in place.
pub(super) fn nested(
    all: &Positions,
    mut laid: Vec<LaidStack>,
    exporters: &Exporters,
    format: Format,
    compacting: bool,
    record_flat_ids: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<LaidStack> {
    // The circle check comes first among the wiring problems; its edges are read in the visits.
    let first_problem = diagnostics.len();
    let mut producers_of: Vec<Vec<usize>> = vec![Vec::new(); all.len()];
    // The root as the stacks made it (the flat ids are claimed against it) and the root laid out.
    let root_template = all
        .root
        .map(|i| std::mem::take(&mut laid[i].template))
        .unwrap_or_default();
    let mut root = root_template.clone();
    // Logical ids of the nested stack resources, fixed first so outputs can be referenced.
    let mut stack_ids: Vec<String> = vec![String::new(); all.len()];
    // The ids given so far as a set: scanning them per stack was quadratic in the stacks.
    let mut given: IndexSet<String, FastHash> =
        IndexSet::with_capacity_and_hasher(all.len(), FastHash::default());
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
    // the root, passed down), the root's resource for it and its flat ids. The output is the
    // one of a pass per step: a visit reads nothing a later visit changes (later importers only
    // add outputs to a producer); the root, visited first, gets its import rewrites before any
    // stack resource; and a hoisted parameter does not give way to the stack resources (the
    // passes added them after every hoist): the hoists see only the root's own resources.
    let mut root_rewrites = Rewrites::default();
    let own_resources = root_template.resources.len();
    root.resources.reserve(all.len().saturating_sub(1));
    let others = all.others().map(|(i, _)| &laid[i].template);
    let mut flat_names = record_flat_ids.then(|| FlatNames::new(&root_template, others));
    drop(root_template);
    // The root first (it is first among the stacks too: the same order).
    let visits = all.root.into_iter().chain(all.others().map(|(i, _)| i));
    for i in visits {
        let stack = all.stacks[i];
        let is_root = all.is_root(i);
        let mut passed: Map<String, Value> = Map::new();
        let mut local = Rewrites::default();
        let mut producers = Vec::new();
        // Room for the parameters its imports become, made once (a compacted template would
        // otherwise double its parameters to take them).
        laid[i]
            .template
            .parameters
            .reserve_exact(stack.imports.len());
        for name in stack.imports() {
            let Some(producer) = producer_of(exporters, stack, name, diagnostics) else {
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
                laid[producer.index]
                    .template
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
                laid[i]
                    .template
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
                laid[i]
                    .template
                    .parameters
                    .entry(name.to_string())
                    .or_insert_with(|| import_parameter(export));
            }
        }
        if !local.names.is_empty() {
            if is_root {
                root_rewrites.names.extend(local.names);
            } else {
                rewrite_template(&mut laid[i].template, &local);
            }
        }
        producers.sort_unstable();
        producers.dedup();
        producers_of[i] = producers;
        if is_root {
            rewrite_template(&mut root, &root_rewrites);
            continue;
        }

        // Every other parameter of a nested stack is the user's: hoisted to the root, passed down.
        let mut from_root = IndexMap::new();
        for (param, definition) in &laid[i].template.parameters {
            if passed.contains_key(param) {
                continue;
            }
            let root_param = hoist_among(
                &mut root.parameters,
                |c| {
                    root.resources
                        .get_index_of(c)
                        .is_some_and(|at| at < own_resources)
                },
                param,
                definition,
                &stack_ids[i],
            );
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
            crate::stack::compact::value(&mut properties);
        }
        root.resources.insert(
            stack_ids[i].clone(),
            Resource::new("AWS::CloudFormation::Stack", properties),
        );

        // Claimed in the order flat_renames claims them (the single layout's names).
        let flat_ids = flat_names
            .as_mut()
            .map(|names| names.claim_resource_ids(stack, &laid[i].template))
            .unwrap_or_default();
        let laid_stack = &mut laid[i];
        laid_stack.name = stack.name.clone();
        laid_stack.from_root = from_root;
        laid_stack.flat_ids = flat_ids;
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
    // The root comes first (it is first among the stacks too: then nothing moves).
    if let Some(at) = all.root {
        laid[at].name = all.root_name.to_string();
        laid[at].template = root;
        laid[..=at].rotate_right(1);
    }
    laid
}

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

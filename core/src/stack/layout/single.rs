//! The single layout: one flat template; imports replaced by the producer's value, every other
//! stack's names prefixed by its logical id.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde_json::Value;

use super::flat::flat_renames;
use super::rewrite::{rewrite, rewrite_template, Replace, Rewrites};
use super::{hoist, producer_of, Exporters, LaidStack, Positions};
use crate::cfn::{logical_id, unique_id, Template};
use crate::diagnostic::Diagnostic;

pub(super) fn single(
    all: &Positions,
    exporters: &Exporters,
    diagnostics: &mut Vec<Diagnostic>,
) -> LaidStack {
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
            let Some(producer) = producer_of(exporters, stack, name, diagnostics) else {
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

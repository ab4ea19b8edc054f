//! Wiring stacks together: nested (root + `AWS::CloudFormation::Stack` per other stack, imports
//! passed as stack parameters from producer outputs) or single (one flat template, imports
//! replaced by the producer's value, every other stack's names prefixed by its logical id).
//!
//! Stacks are addressed by their position in [`Stacks::iter`] (root first): per-stack data lives
//! in vectors indexed by it, and the maps and sets that are only looked up (export names, the
//! flat names taken) hash. A 1,000-family project lays out in time linear in its stacks.
//!
//! Here: the entry points, the stacks by position, the export index and what both layouts share;
//! `nested` and `single` are the two layouts, `flat` the single-layout names of every stack's
//! contents (both layouts record them), `rewrite` the renaming of references in a template.

mod flat;
mod nested;
mod rewrite;
mod single;

use std::collections::BTreeMap;

use indexmap::{IndexMap, IndexSet};

use super::{Export, Stack, Stacks};
use crate::cfn::{unique_id, Parameter, Template};
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
    /// layout, when asked with [`FlatIds::Record`]; empty in the single one): local id ->
    /// flat id. The overlay takes flat ids in both layouts.
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
    layout_owned(stacks.clone(), layout, format, FlatIds::Record)
}

/// Whether the nested layout records each stack's [`LaidStack::flat_ids`]: only the overlay
/// reads them, and naming every resource of every stack as the single layout would is a few
/// percent of a plain render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlatIds {
    /// Recorded (an `x-aws-cloudformation` overlay will be applied).
    Record,
    /// Left empty.
    Skip,
}

/// [`layout`] of stacks the caller no longer needs (no copy of every template first).
pub fn layout_owned(
    stacks: Stacks,
    layout: Layout,
    format: Format,
    flat_ids: FlatIds,
) -> (Vec<LaidStack>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let compacting = stacks.compacts_finished_stacks();
    let mut stacks = declare_imported_parameters(stacks);
    // Nested templates are finished in place, in the laid stacks (by position): moved out of
    // their stacks, not copied, and no second vector of them alive beside the laid stacks.
    let laid: Vec<LaidStack> = match layout {
        Layout::Nested => stacks
            .iter_mut()
            .map(|s| LaidStack {
                name: String::new(),
                template: std::mem::take(&mut s.template),
                from_root: IndexMap::new(),
                flat_ids: BTreeMap::new(),
            })
            .collect(),
        Layout::Single => Vec::new(),
    };
    let all = Positions::of(&stacks);
    let exporters = index_exports(&all, &mut diagnostics);
    let laid = match layout {
        Layout::Nested => {
            let flat = flat_ids == FlatIds::Record;
            nested::nested(
                &all,
                laid,
                &exporters,
                format,
                compacting,
                flat,
                &mut diagnostics,
            )
        }
        Layout::Single => vec![single::single(&all, &exporters, &mut diagnostics)],
    };
    (laid, diagnostics)
}

/// What the nested layout does to a stack that imports its own exports, done early: each
/// `Ref` to such an import becomes the exported value (see [`Stack::import`]). For a stack
/// whose resources are frozen next (the nested layout's own visit then finds nothing left to
/// replace in them).
pub fn resolve_own_imports(stack: &mut Stack) {
    let mut own = rewrite::Rewrites::default();
    for name in &stack.imports {
        if let Some(export) = stack.exports.get(name) {
            own.names
                .insert(name.clone(), rewrite::Replace::Expr(export.value.clone()));
        }
    }
    if !own.names.is_empty() {
        rewrite::rewrite_template(&mut stack.template, &own);
    }
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

/// The stack that exports `name`, which `importer` imports; an internal error when none does.
fn producer_of<'e, 'a>(
    exporters: &'e Exporters<'a>,
    importer: &Stack,
    name: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'e Producer<'a>> {
    let producer = exporters.get(name);
    if producer.is_none() {
        diagnostics.push(internal(format!(
            "stack {} imports {name}, which no stack exports",
            importer.name
        )));
    }
    producer
}

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
                    .push((name.clone(), (**parameter).clone()));
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
    // Sized once: a 1,000-family project exports ~5,000 values.
    let count = all.iter().map(|(_, s)| s.exports().len()).sum();
    let mut exporters: Exporters = IndexMap::with_capacity_and_hasher(count, FastHash::default());
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

/// Declares `definition` in `root` as `name`, or as `<prefix><name>` when the root already has
/// a different parameter (or a resource) of that name; returns the root parameter's name.
fn hoist(root: &mut Template, name: &str, definition: &Parameter, prefix: &str) -> String {
    hoist_among(
        &mut root.parameters,
        |c| root.resources.contains_key(c),
        name,
        definition,
        prefix,
    )
}

/// [`hoist`] into the root's `parameters`, where `is_resource` says which names its resources
/// take.
fn hoist_among(
    parameters: &mut IndexMap<String, Parameter>,
    is_resource: impl Fn(&str) -> bool,
    name: &str,
    definition: &Parameter,
    prefix: &str,
) -> String {
    match parameters.get(name) {
        Some(existing) if existing == definition => return name.to_string(),
        None if !is_resource(name) => {
            parameters.insert(name.to_string(), definition.clone());
            return name.to_string();
        }
        _ => {}
    }
    let base = format!("{prefix}{name}");
    let taken = |c: &str| is_resource(c) || parameters.get(c).is_some_and(|p| p != definition);
    let id = unique_id(&base, taken);
    parameters.insert(id.clone(), definition.clone());
    id
}

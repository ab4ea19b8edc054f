//! The source map: for each generated template, where in the compose files each resource,
//! parameter and output came from. Origins are recorded while the stacks are built
//! ([`crate::stack::Stacks::note_origin`], driven by the pipeline, the module loop and the
//! family writer, so a new emitter is mapped without knowing about it) and travel with the
//! definitions through the layout; this module reads them off the laid-out templates.
//!
//! JSON shape (stable; `composex render --source-map` writes it as `sourcemap.json`):
//! `{"<output file>": {"resources": {"<logical id>": {"type", "file", "line", "column", ...}},
//! "parameters": {...}, "outputs": {...}}}`; a location has the fields of
//! [`crate::Location`] (1-based line and column, byte offsets, end, UTF-16 columns).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cfn::Origin;
use crate::diagnostic::{Location, Locator, Span};
use crate::stack::layout::{file_name, LaidStack};
use crate::{Format, SourceFile};

/// Output file -> what in it came from where.
pub type SourceMap = BTreeMap<String, FileMap>;

/// What in one template came from where.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct FileMap {
    /// Logical id -> its origin.
    pub resources: BTreeMap<String, Mapped>,
    /// Parameter name -> its origin (wiring parameters the layout adds have none).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, Mapped>,
    /// Output name -> its origin (wiring outputs the layout adds have none).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub outputs: BTreeMap<String, Mapped>,
}

/// One mapped definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapped {
    /// The resource type (resources only).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// Where it came from.
    #[serde(flatten)]
    pub location: Location,
}

/// The source map of `laid` (templates in `format`) against `sources` ([`crate::Input::sources`]).
/// A nested stack resource the layout made maps to where its template's first resource came from.
pub fn build<F: std::borrow::Borrow<SourceFile>>(
    laid: &[LaidStack],
    format: Format,
    sources: &[F],
) -> SourceMap {
    let first_origin: BTreeMap<String, Span> = laid
        .iter()
        .filter_map(|s| {
            let span = s.template.resources.values().find_map(|r| r.origin.0)?;
            Some((format!("./{}", file_name(&s.name, format)), span))
        })
        .collect();
    // One locator for every definition: each file's line starts are found once.
    let mut locator = Locator::new(sources);
    let mut at = |origin: &Origin, type_: Option<&str>| {
        let location = locator.locate(origin.0?)?;
        Some(Mapped {
            type_: type_.map(str::to_string),
            location,
        })
    };
    let mut map = SourceMap::new();
    for stack in laid {
        let t = &stack.template;
        let mut file = FileMap::default();
        for (id, r) in &t.resources {
            let nested = r.properties.get("TemplateURL").and_then(|u| u.as_str());
            let origin = match (r.origin.0, nested.and_then(|u| first_origin.get(u))) {
                (None, Some(span)) => Origin(Some(*span)),
                _ => r.origin,
            };
            if let Some(m) = at(&origin, Some(&r.type_)) {
                file.resources.insert(id.clone(), m);
            }
        }
        for (name, p) in &t.parameters {
            if let Some(m) = at(&p.origin, None) {
                file.parameters.insert(name.clone(), m);
            }
        }
        for (name, o) in &t.outputs {
            if let Some(m) = at(&o.origin, None) {
                file.outputs.insert(name.clone(), m);
            }
        }
        map.insert(file_name(&stack.name, format), file);
    }
    map
}

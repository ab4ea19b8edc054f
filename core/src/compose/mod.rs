//! Compose loading as compose-go does it: per file parse and interpolate, merge the files in order
//! (with `!reset` / `!override`), then normalise short syntax, validate and build the typed
//! [`Project`].
//!
//! Stage owners: `interpolate`, `merge`, `dotenv` produce one merged tree; `normalize`, `model`,
//! `validate` turn it into a checked, typed project.

use crate::diagnostic::Span;
use crate::yaml::{self, Limits, Node};
use crate::{Diagnostic, Input};

pub mod dotenv;
mod emit;
pub mod interpolate;
pub mod merge;
pub mod model;
pub mod normalize;
pub mod validate;

pub use model::Project;

/// What loading returns: the project when it could be built, and every problem found.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The merged, interpolated, normalised tree (what `composex merge` prints).
    pub tree: Option<Node>,
    /// The typed project built from `tree` (None when the files could not be read at all).
    pub project: Option<Project>,
    /// Problems found while loading, in no particular order (the caller sorts).
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads the input's compose files: every problem is reported, loading goes as far as it can.
///
/// Per file: parse, then per document check the top level, interpolate from `input.env` and
/// drop `version`; then merge every document of every file in order (compose-go's phases).
pub fn load(input: &Input) -> Loaded {
    let mut diagnostics = Vec::new();
    let mut documents = Vec::new();
    for (index, file) in input.files.iter().enumerate() {
        let file_index = u32::try_from(index).unwrap_or(u32::MAX);
        let (parsed, parse_diagnostics) = yaml::parse(file_index, &file.text, &Limits::default());
        let parse_failed = parse_diagnostics.iter().any(Diagnostic::is_error);
        diagnostics.extend(parse_diagnostics);
        let content: Vec<Node> = parsed.into_iter().filter(|doc| !doc.is_null()).collect();
        if content.is_empty() {
            if !parse_failed {
                diagnostics.push(
                    Diagnostic::error(
                        merge::NOT_A_MAPPING,
                        "empty compose file",
                        Span::new(file_index, 0, 0),
                    )
                    .with_help("a compose file needs at least a `services:` mapping"),
                );
            }
            continue;
        }
        let mut interpolator = interpolate::FileInterpolator::new(&input.env, &file.text);
        for doc in content {
            if let Some(mut doc) = merge::check_document(doc, &mut diagnostics) {
                interpolator.interpolate(&mut doc, &mut diagnostics);
                documents.push(doc);
            }
        }
    }
    let Some(mut tree) = merge::merge_documents(documents, &mut diagnostics) else {
        return Loaded {
            tree: None,
            project: None,
            diagnostics,
        };
    };
    diagnostics.extend(normalize::normalize(&mut tree));
    normalize::resolve_environment(&mut tree, &input.env);
    validate::literal_secrets::check(&tree, &input.files, &mut diagnostics);
    let project = model::convert(&tree);
    diagnostics.extend(validate::validate(&tree, &project));
    Loaded {
        tree: Some(tree),
        project: Some(project),
        diagnostics,
    }
}

/// The merged tree as a compose YAML file.
pub fn to_yaml(tree: &Node) -> String {
    emit::to_yaml(tree)
}

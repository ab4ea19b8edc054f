//! Compose loading as compose-go does it: per file parse and interpolate, merge the files in order
//! (with `!reset` / `!override`), then normalise short syntax, validate and build the typed
//! [`Project`].
//!
//! Stage owners: `interpolate`, `merge`, `dotenv` produce one merged tree; `normalize`, `model`,
//! `validate` turn it into a checked, typed project.

use std::collections::BTreeMap;

use crate::diagnostic::Span;
use crate::yaml::{self, Limits, Map, Node};
use crate::{Diagnostic, Input};

pub mod dotenv;
mod emit;
pub mod env_file;
pub mod extends;
pub mod file_inputs;
pub mod files;
pub mod include;
pub mod interpolate;
pub mod merge;
pub mod model;
pub mod module_files;
pub mod normalize;
pub mod profiles;
pub mod support;
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
    /// Every extra file loading looked for (keys of [`Input::extra_files`]), given or not.
    pub wanted_files: Vec<String>,
}

/// What the loading stages share: the extra files, the problems found, and the `services` of
/// files read for `extends` (read once).
pub struct Context<'a> {
    files: files::Files<'a>,
    diagnostics: Vec<Diagnostic>,
    extended: BTreeMap<String, Option<Map>>,
}

/// The extra files loading `input` looks for (`env_file`, `label_file`, config files, `include`,
/// `extends.file`, an included project's `.env`), as keys of [`Input::extra_files`], given or not. A caller with a
/// file system reads those that exist and loads again, until nothing new is found.
pub fn wanted_files(input: &Input) -> Vec<String> {
    load(input).wanted_files
}

/// Loads the input's compose files: every problem is reported, loading goes as far as it can.
///
/// Per file: parse, then per document check the top level, interpolate from `input.env`, drop
/// `version`, apply `include` then `extends`; then merge every document of every file in order
/// (compose-go's phases); then normalise, leave out the services of inactive profiles, read
/// `env_file`s into `environment`, and validate.
pub fn load(input: &Input) -> Loaded {
    let mut cx = Context {
        files: files::Files::new(input),
        diagnostics: Vec::new(),
        extended: BTreeMap::new(),
    };
    let mut documents = Vec::new();
    for (index, file) in input.files.iter().enumerate() {
        let file_index = u32::try_from(index).unwrap_or(u32::MAX);
        let (parsed, parse_diagnostics) = yaml::parse(file_index, &file.text, &Limits::default());
        let parse_failed = parse_diagnostics.iter().any(Diagnostic::is_error);
        cx.diagnostics.extend(parse_diagnostics);
        let content: Vec<Node> = parsed.into_iter().filter(|doc| !doc.is_null()).collect();
        if content.is_empty() {
            if !parse_failed {
                cx.diagnostics.push(
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
        let key = files::top_key(input, index);
        for doc in content {
            if let Some(mut doc) = merge::check_document(doc, &mut cx.diagnostics) {
                interpolator.interpolate(&mut doc, &mut cx.diagnostics);
                include::apply(&mut doc, &input.env, &mut vec![key.clone()], &mut cx);
                extends::apply(&mut doc, &key, &input.env, &mut cx);
                documents.push(doc);
            }
        }
    }
    let merged = merge::merge_documents(documents, &mut cx.diagnostics);
    let Some(mut tree) = merged else {
        return cx.finish(None, None);
    };
    cx.diagnostics.extend(normalize::normalize(&mut tree));
    normalize::resolve_environment(&mut tree, &input.env);
    profiles::apply(&mut tree, &input.options.profiles, &mut cx.diagnostics);
    env_file::apply(&mut tree, &mut cx.files, &input.env, &mut cx.diagnostics);
    file_inputs::apply_label_files(&mut tree, &mut cx.files, &input.env, &mut cx.diagnostics);
    // After env_file: a secret read from an env file lands in the template just the same.
    validate::literal_secrets::check(&tree, &input.sources(), &mut cx.diagnostics);
    let mut project = model::convert(&tree);
    file_inputs::read_configs(
        &mut project,
        &tree,
        &mut cx.files,
        &input.env,
        &mut cx.diagnostics,
    );
    module_files::read(&tree, &mut cx.files, &mut project);
    cx.diagnostics.extend(validate::validate(&tree, &project));
    cx.finish(Some(tree), Some(project))
}

impl Context<'_> {
    fn finish(self, tree: Option<Node>, project: Option<Project>) -> Loaded {
        Loaded {
            tree,
            project,
            diagnostics: self.diagnostics,
            wanted_files: self.files.wanted().iter().cloned().collect(),
        }
    }
}

/// The merged tree as a compose YAML file.
pub fn to_yaml(tree: &Node) -> String {
    emit::to_yaml(tree)
}

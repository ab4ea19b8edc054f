//! composex-core: docker-compose files with ECS ComposeX-style `x-*` keys in, AWS CloudFormation
//! templates and parameter files out.
//!
//! The core is pure: it is handed every file, the environment and the options, and returns data
//! (files and diagnostics). No file system, environment, clock, randomness or printing happens here,
//! so the same code runs in the CLI, in the browser (wasm) and in tests.
//!
//! Layers, bottom up (each imports only from the layers below it; `core/tests/layers.rs` checks):
//! - [`yaml`], [`cfn`], [`diagnostic`], [`suggest`], [`xkeys`], [`schema`]: parsing,
//!   CloudFormation values, diagnostics, the names of the known `x-*` keys, the CloudFormation
//!   resource schemas (and the check of `Properties` against them);
//! - [`compose`]: load (interpolate, merge, normalise, type) and validate;
//! - [`stack`]: the stack model (stacks, exports, imports), the task family naming contract and
//!   what other emitters add to a family ([`stack::links`]), layout, limits, parameter files;
//! - [`emit`] (network, cluster, task families) and [`modules`] (the `x-*` modules), side by side;
//! - [`pipeline`] (load → validate → plan families → modules → write families → layout → limits
//!   → files) and [`registry`] (one entry per known `x-*` key) on top.

pub mod assist;
pub mod cfn;
pub mod codes;
pub mod compose;
pub mod diagnostic;
pub mod emit;
pub mod graph;
pub mod json_schema;
pub mod modules;
pub mod pipeline;
pub mod registry;
pub mod schema;
pub mod set_image;
pub mod sourcemap;
pub mod stack;
pub mod suggest;
pub mod xkeys;
pub mod yaml;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use diagnostic::{Diagnostic, Label, Location, Severity, Span};

/// One input file: a name to show in diagnostics and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    /// The name diagnostics print (a path for the CLI, a tab name in the playground).
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// Template file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// YAML templates (`.yaml`).
    #[default]
    Yaml,
    /// JSON templates (`.json`).
    Json,
}

/// How templates are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// A root stack with one nested stack per concern (`TemplateURL: ./<file>`).
    #[default]
    Nested,
    /// One flat template.
    Single,
}

/// Options of a render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Options {
    /// The project (root stack) name: names the root template file.
    pub project_name: String,
    /// YAML or JSON templates.
    pub format: Format,
    /// Nested stacks or one template.
    pub layout: Layout,
    /// Values for stack parameters, written into the parameter files (`--param KEY=VALUE`).
    pub params: BTreeMap<String, String>,
    /// Active compose profiles (`--profile`, `COMPOSE_PROFILES`): services whose `profiles:`
    /// name none of these are left out; `*` activates every profile.
    pub profiles: Vec<String>,
    /// Also return the source map ([`Output::source_map`]): where each generated resource,
    /// parameter and output came from. Off by default (it costs a little render time).
    pub source_map: bool,
    /// Check `Properties` values against the CloudFormation resource schemas (kinds, allowed
    /// values, required and nested properties); off, only property names are checked. On by
    /// default; the benchmarks measure what it costs.
    pub check_properties: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            project_name: "composex".into(),
            format: Format::default(),
            layout: Layout::default(),
            params: BTreeMap::new(),
            profiles: Vec::new(),
            source_map: false,
            check_properties: true,
        }
    }
}

/// Everything a render needs: the compose files in merge order, the environment, the options.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Input {
    /// Compose files: the first is the base, later ones override it.
    pub files: Vec<SourceFile>,
    /// The other files the compose files name (`env_file`, `include`, `extends.file`), keyed by
    /// their path relative to the project directory (the first compose file's directory),
    /// written as [`compose::files::key`] writes it: `web.env`, `sub/compose.yaml`,
    /// `../common.yml`. A named file missing here is reported at the entry that names it;
    /// [`compose::wanted_files`] lists what loading looked for.
    pub extra_files: BTreeMap<String, SourceFile>,
    /// Variables for `${VAR}` interpolation (the CLI passes the process environment plus `.env`).
    pub env: BTreeMap<String, String>,
    /// Render options.
    pub options: Options,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFile {
    /// Path relative to the output directory, e.g. `app01.yaml`, `app01.params.json`.
    pub path: String,
    /// The file's full text.
    pub text: String,
}

/// What a call into the core returns: generated files (none when there are errors) and diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Output {
    /// Generated files, sorted by path. Empty whenever `diagnostics` holds an error.
    pub files: Vec<OutputFile>,
    /// Every problem found, located and sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Where each generated resource, parameter and output came from, per output file; only
    /// when [`Options::source_map`] asks for it, and empty whenever `files` is.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub source_map: sourcemap::SourceMap,
}

impl Input {
    /// Every file a span can point into: the compose files, then the extra files in key order
    /// (a span's `file` is an index into this list). Borrowed: the render path locates every
    /// diagnostic on each keystroke in the playground, without copying the texts.
    pub fn sources(&self) -> Vec<&SourceFile> {
        self.files.iter().chain(self.extra_files.values()).collect()
    }

    /// [`Input::sources`] as owned files, for edges that keep them (the CLI's renderer).
    pub fn source_files(&self) -> Vec<SourceFile> {
        self.sources().into_iter().cloned().collect()
    }
}

impl Output {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Sorts and locates diagnostics, and drops files when there are errors (never a partial set).
    pub fn finish(mut self, input: &Input) -> Self {
        diagnostic::sort(&mut self.diagnostics);
        let sources = input.sources();
        let mut locator = diagnostic::Locator::new(&sources);
        for d in &mut self.diagnostics {
            d.locate_with(&mut locator);
        }
        if self.has_errors() {
            self.files.clear();
            self.source_map.clear();
        }
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        self
    }
}

/// Renders the compose files into CloudFormation templates and parameter files (none when the
/// input has errors; every problem is in `diagnostics`).
pub fn render(input: &Input) -> Output {
    pipeline::render(input)
}

/// [`render`] from `loaded`, which must be [`compose::load`] of this same `input` (same files,
/// extra files and profiles): a caller that loads first to find the extra files to read, as the
/// CLI does, renders without loading twice.
pub fn render_loaded(input: &Input, loaded: compose::Loaded) -> Output {
    pipeline::render_loaded(input, loaded)
}

/// [`render`] with the source map ([`Output::source_map`]) and the resource graph of the project
/// (None when the compose files could not be loaded).
pub fn render_with_graph(input: &Input) -> (Output, Option<graph::Graph>) {
    pipeline::render_with_graph(input)
}

/// Every problem `render` would report, without the files: the compose checks and those of the
/// x-modules and AWS limits (an undefined dead-letter queue, a Fargate size out of range, ...).
pub fn validate(input: &Input) -> Output {
    let mut out = render(input);
    out.files.clear();
    out
}

/// The merged, interpolated, normalised compose file (like `docker compose config`) as one file
/// named `docker-compose.yml`.
pub fn merge(input: &Input) -> Output {
    let loaded = compose::load(input);
    let files = loaded
        .tree
        .as_ref()
        .map(|t| {
            vec![OutputFile {
                path: "docker-compose.yml".into(),
                text: compose::to_yaml(t),
            }]
        })
        .unwrap_or_default();
    Output {
        files,
        diagnostics: loaded.diagnostics,
        source_map: Default::default(),
    }
    .finish(input)
}

/// The crate version, shown by the CLI and the playground.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

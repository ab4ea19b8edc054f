//! wasm-bindgen API over composex-core, used by the playground (web/) and the docs embed script.
//!
//! Every function takes one plain JS object shaped like [`composex_core::Input`] and returns a
//! plain object shaped like [`composex_core::Output`]. Problems with the user's input, including an
//! input object of the wrong shape, come back as diagnostics in that output: nothing here throws
//! for user data. The TypeScript types below are written by hand to match the serde shapes.

use composex_core::{Diagnostic, Input, Options, Output, Severity};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Talc instead of Rust's default wasm allocator (dlmalloc), which took ~14% of a render in the
/// browser: the renderer allocates many small strings and maps per keystroke.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Code of the diagnostic returned when the argument is not an `Input` object. It is an API
/// misuse rather than a YAML (`CX1xx`) or compose (`CX2xx`) problem, hence its own number.
pub const BAD_INPUT_CODE: &str = "CX001";

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** One compose file: the name shown in diagnostics and its text. */
export interface SourceFile { name: string; text: string; }
/** Render options; every field is optional on input (defaults from `defaultOptions()`). */
export interface Options {
  projectName: string;
  format: "yaml" | "json";
  layout: "nested" | "single";
  /** Values for stack parameters, written into the parameter files. */
  params: Record<string, string>;
  /** Active compose profiles: services whose `profiles` name none of these are left out. */
  profiles: string[];
  /** Also return `source_map` in the output. */
  sourceMap: boolean;
  /** Check Properties values against the CloudFormation schemas (off: names only). */
  checkProperties: boolean;
}
/** What every API function takes: compose files in merge order, `${VAR}` values, options. */
export interface Input {
  files: SourceFile[];
  env?: Record<string, string>;
  options?: Partial<Options>;
  /** Files the compose files name (env_file, include, extends.file), keyed by their path
   *  relative to the first compose file's directory (`web.env`, `sub/compose.yaml`). */
  extra_files?: Record<string, SourceFile>;
}
/** Byte range in `Input.files[file]`. */
export interface Span { file: number; start: number; end: number; }
/** A span resolved to 1-based lines and columns (chars and UTF-16 code units). */
export interface Location {
  file: string;
  start: number;
  end: number;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  column_utf16: number;
  end_column_utf16: number;
}
export interface Label { span: Span; message: string; location?: Location; }
export interface Diagnostic {
  severity: "error" | "warning" | "info";
  /** Stable code: CX1xx YAML, CX2xx compose, CX3xx x-modules, CX4xx AWS limits, CX001 bad API input. */
  code: string;
  message: string;
  span: Span | null;
  location?: Location;
  labels?: Label[];
  help?: string;
}
/** One generated file, path relative to the output directory. */
export interface OutputFile { path: string; text: string; }
/** Generated files (none when any diagnostic is an error) and every diagnostic found. */
export interface Output { files: OutputFile[]; diagnostics: Diagnostic[]; source_map?: SourceMap; }
/** Where a generated definition came from: a compose location, plus the resource type. */
export interface Mapped extends Location { type?: string; }
/** Output file -> logical id -> origin (`renderWithGraph`, or `options.sourceMap`). */
export type SourceMap = Record<string, {
  resources: Record<string, Mapped>;
  parameters?: Record<string, Mapped>;
  outputs?: Record<string, Mapped>;
}>;
/** A node of the resource graph; location fields are absent when no key defines it. */
export interface GraphNode extends Partial<Location> {
  id: string;
  kind: "service" | "x-resource" | "load-balancer" | "network" | "volume" | "namespace" | "vpc" | "cluster";
  name: string;
  module?: string;
  resources: { file: string; id: string; type: string }[];
}
export interface GraphEdge { from: string; to: string; kind: string; label: string; }
export interface Graph { nodes: GraphNode[]; edges: GraphEdge[]; }
/** `renderWithGraph`: the output with its source map, and the graph (null when the files could not be loaded). */
export interface GraphOutput extends Output { graph: Graph | null; }
/** One completion: the text to insert, the kind of value, one line about it. */
export interface Completion { label: string; detail: string; info: string; }
/** What may be written at an offset: candidates, and where the word they replace starts
 *  (offsets in UTF-16 code units, as JS strings and CodeMirror count). */
export interface Completions { from: number; options: Completion[]; }
/** What the key at an offset means (its range and a few lines of text). */
export interface Hover { from: number; to: number; text: string; }
"#;

#[wasm_bindgen]
extern "C" {
    /// `Input` as typed in TypeScript.
    #[wasm_bindgen(typescript_type = "Input")]
    pub type JsInput;
    /// `Output` as typed in TypeScript.
    #[wasm_bindgen(typescript_type = "Output")]
    pub type JsOutput;
    /// `GraphOutput` as typed in TypeScript.
    #[wasm_bindgen(typescript_type = "GraphOutput")]
    pub type JsGraphOutput;
    /// `Options` as typed in TypeScript.
    #[wasm_bindgen(typescript_type = "Options")]
    pub type JsOptions;
    /// `Completions` as typed in TypeScript.
    #[wasm_bindgen(typescript_type = "Completions")]
    pub type JsCompletions;
    /// `Hover | undefined` as typed in TypeScript.
    #[wasm_bindgen(typescript_type = "Hover | undefined")]
    pub type JsHover;
}

/// Installs the panic hook so a Rust panic shows its message in the console, not just a trap.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Renders the compose files into CloudFormation templates and parameter files.
#[wasm_bindgen]
pub fn render(input: JsInput) -> JsOutput {
    run(input.into(), composex_core::render).unchecked_into()
}

/// Renders like `render`, with the source map (`source_map`) and the resource graph (`graph`).
#[wasm_bindgen(js_name = renderWithGraph)]
pub fn render_with_graph(input: JsInput) -> JsGraphOutput {
    to_js_via_json(&with_graph(input.into())).unchecked_into()
}

/// `renderWithGraph`'s answer as JSON text, for a worker to post to its page. A 100-service
/// answer is thousands of objects: one string crosses between threads for a fraction of the
/// cost of cloning them, and the page's `JSON.parse` builds them faster than the clone would.
#[wasm_bindgen(js_name = renderWithGraphJson)]
pub fn render_with_graph_json(input: JsInput) -> String {
    // Plain structs, lists and string-keyed maps: serialising them cannot fail; if it ever did,
    // the page still gets an (empty) answer rather than text it cannot parse.
    serde_json::to_string(&with_graph(input.into()))
        .unwrap_or_else(|_| r#"{"files":[],"diagnostics":[],"graph":null}"#.to_string())
}

/// What `renderWithGraph` answers: the output (with its source map) and the graph.
#[derive(Serialize)]
struct WithGraph {
    #[serde(flatten)]
    output: Output,
    graph: Option<composex_core::graph::Graph>,
}

fn with_graph(input: JsValue) -> WithGraph {
    match serde_wasm_bindgen::from_value::<Input>(input) {
        Ok(input) => {
            let (output, graph) = composex_core::render_with_graph(&input);
            WithGraph { output, graph }
        }
        Err(e) => WithGraph {
            output: bad_input(&e.to_string()),
            graph: None,
        },
    }
}

/// Loads and checks the compose files; returns diagnostics only.
#[wasm_bindgen]
pub fn validate(input: JsInput) -> JsOutput {
    run(input.into(), composex_core::validate).unchecked_into()
}

/// The merged, interpolated compose file (`docker-compose.yml`), like `docker compose config`.
#[wasm_bindgen]
pub fn merge(input: JsInput) -> JsOutput {
    run(input.into(), composex_core::merge).unchecked_into()
}

/// Installs the CloudFormation schema table from its file (`composex_schema.json`, next to the
/// wasm module), which the page fetches after first paint. Until then the checks, completion and
/// hover that need it stay silent. Returns why the text is no table, `undefined` when installed.
#[wasm_bindgen(js_name = loadSchema)]
pub fn load_schema(text: &str) -> Option<String> {
    composex_core::schema::install(text).err()
}

/// Whether the schema table is installed.
#[wasm_bindgen(js_name = schemaLoaded)]
pub fn schema_loaded() -> bool {
    composex_core::schema::loaded()
}

/// The composex version.
#[wasm_bindgen]
pub fn version() -> String {
    composex_core::version().to_string()
}

/// The options a render uses when the input leaves them out.
#[wasm_bindgen(js_name = defaultOptions)]
pub fn default_options() -> JsOptions {
    to_js(&Options::default()).unchecked_into()
}

/// What may be written at `offset` (UTF-16 code units) of the compose file `text`: compose
/// keys, x-keys, Properties names, allowed values, access levels.
#[wasm_bindgen]
pub fn complete(text: &str, offset: u32) -> JsCompletions {
    let found = composex_core::assist::complete(text, byte_offset(text, offset));
    let options = found.options;
    let from = utf16_offset(text, found.from);
    to_js(&serde_helpers::Completions { from, options }).unchecked_into()
}

/// What the key at `offset` (UTF-16 code units) of `text` means; `undefined` off a known key.
#[wasm_bindgen]
pub fn hover(text: &str, offset: u32) -> JsHover {
    match composex_core::assist::hover(text, byte_offset(text, offset)) {
        Some(h) => to_js(&composex_core::assist::Hover {
            from: utf16_offset(text, h.from),
            to: utf16_offset(text, h.to),
            text: h.text,
        })
        .unchecked_into(),
        None => JsValue::UNDEFINED.unchecked_into(),
    }
}

mod serde_helpers {
    use composex_core::assist::Completion;
    use serde::Serialize;

    /// [`composex_core::assist::Completions`] with its offset in UTF-16 code units.
    #[derive(Serialize)]
    pub struct Completions {
        pub from: usize,
        pub options: Vec<Completion>,
    }
}

/// The byte offset of UTF-16 offset `utf16` in `text` (clamped to the end).
fn byte_offset(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// The UTF-16 offset of byte offset `byte` in `text`.
fn utf16_offset(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].encode_utf16().count()
}

/// Decodes the JS input, calls the core, encodes the output. A wrong-shaped input becomes one
/// error diagnostic instead of an exception.
fn run(input: JsValue, call: fn(&Input) -> Output) -> JsValue {
    let output = match serde_wasm_bindgen::from_value::<Input>(input) {
        Ok(input) => call(&input),
        Err(e) => bad_input(&e.to_string()),
    };
    to_js_via_json(&output)
}

/// The output for an argument that is not an `Input` object.
fn bad_input(reason: &str) -> Output {
    let message = format!("the input is not a valid Input object: {reason}");
    let help = "pass {files: [{name, text}], env: {KEY: \"value\"}, options: {projectName, format, layout}}";
    let diagnostic = Diagnostic::new(Severity::Error, BAD_INPUT_CODE, message).with_help(help);
    Output {
        files: Vec::new(),
        diagnostics: vec![diagnostic],
        source_map: Default::default(),
    }
}

/// Serialises an output to plain JS objects through one JSON text that the engine parses: for
/// big outputs (hundreds of files, the source map, the graph) `JSON.parse` builds the objects
/// about twice as fast as `to_js`, which crosses the wasm boundary once per value. An absent
/// `Option` field (a diagnostic's `span`) becomes `null`, as the TypeScript types say.
fn to_js_via_json<T: Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or(JsValue::UNDEFINED)
}

/// Serialises a small value (options, completions, hover) to plain JS objects, maps as objects.
fn to_js<T: Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    // Our types are plain strings, numbers, lists and maps: serialising them cannot fail, but if
    // it ever did the caller gets `undefined` rather than a trap.
    value.serialize(&serializer).unwrap_or(JsValue::UNDEFINED)
}

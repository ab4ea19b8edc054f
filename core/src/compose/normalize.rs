//! Short syntax to long syntax on the merged tree, and compose-go's type casts at typed paths.
//!
//! After [`normalize`] every service attribute has its canonical (long) shape: ports and volumes
//! are lists of mappings, `environment`/`labels` are mappings, `depends_on` is a mapping of
//! conditions, `healthcheck.test` is a list, and so on. Values at typed paths are checked (ints,
//! booleans, floats, durations, byte sizes) and rewritten canonically (`yes` becomes `true`, with a
//! warning). Every problem is a located [`Diagnostic`]; a node whose *kind* is wrong (a mapping
//! where a list belongs) is left alone for the structure validator to report.
//!
//! Running [`normalize`] twice gives the same tree and the same diagnostics.

mod capabilities;
mod ports;
mod service;
mod shell;
mod units;
mod volumes;

pub use ports::{parse_port_range, parse_port_spec, PortSpec, PROTOCOLS};
pub use service::CONDITIONS;
pub use shell::split_words;
pub use units::{
    cast_bool, cast_float, cast_int, cast_mode, parse_bytes, parse_duration, scalar_bytes, BoolCast,
};
pub use volumes::{clean_path, is_file_path, parse_volume_spec, VolumeSpec};

use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::yaml::{Map, Node, Scalar, ScalarStyle, Value};

/// Codes reported here (the full table is in `validate/mod.rs`).
pub mod codes {
    /// A value at an integer path is not an integer.
    pub const BAD_INT: &str = "CX217";
    /// A value at a boolean path is not a boolean.
    pub const BAD_BOOL: &str = "CX218";
    /// A YAML 1.1 boolean (`yes`, `off`) at a boolean path.
    pub const LEGACY_BOOL: &str = "CX219";
    /// A value at a number path is not a number.
    pub const BAD_FLOAT: &str = "CX220";
    /// Wrong kind of value (a mapping where a name belongs, ...).
    pub const WRONG_KIND: &str = "CX212";
    /// Invalid port syntax.
    pub const BAD_PORT: &str = "CX213";
    /// Invalid volume syntax.
    pub const BAD_VOLUME: &str = "CX214";
    /// Invalid duration.
    pub const BAD_DURATION: &str = "CX215";
    /// Invalid byte size.
    pub const BAD_BYTES: &str = "CX216";
    /// Invalid `KEY=VALUE` entry (environment, labels, ...).
    pub const BAD_KEY_VALUE: &str = "CX221";
    /// Invalid healthcheck test.
    pub const BAD_HEALTHCHECK: &str = "CX222";
    /// Invalid enumerated value (depends_on condition, protocol, ...).
    pub const BAD_ENUM: &str = "CX223";
    /// Invalid file mode.
    pub const BAD_MODE: &str = "CX224";
    /// Invalid command string.
    pub const BAD_COMMAND: &str = "CX225";
}

/// The kinds of value compose-go casts after interpolation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cast {
    Int,
    /// A non-negative integer (replicas, scale).
    Count,
    Bool,
    Float,
    Duration,
    /// Microseconds: an integer, or a duration (`400ms`) rewritten as microseconds.
    Micros,
    Bytes,
}

/// Rewrites short syntax to long syntax and checks typed values, in place.
pub fn normalize(tree: &mut Node) -> Vec<Diagnostic> {
    let mut n = Normalizer {
        diagnostics: Vec::new(),
    };
    let Value::Map(top) = &mut tree.value else {
        return n.diagnostics;
    };
    if let Some(Value::Map(services)) = top.get_mut("services").map(|s| &mut s.value) {
        for (name, _, service) in &mut services.entries {
            if let Value::Map(map) = &mut service.value {
                n.service(&format!("services.{name}"), map);
            }
        }
    }
    for section in ["volumes", "networks", "secrets", "configs"] {
        if let Some(Value::Map(entries)) = top.get_mut(section).map(|s| &mut s.value) {
            for (name, _, entry) in &mut entries.entries {
                if let Value::Map(map) = &mut entry.value {
                    n.top_level_entry(section, &format!("{section}.{name}"), map);
                }
            }
        }
    }
    n.diagnostics
}

/// compose-go's environment resolution: an `environment` (or `build.args`) entry written without
/// a value (`- DEBUG`, `DEBUG:`) takes the value of that variable in `env`, and stays unset when
/// `env` lacks it. Runs after [`normalize`] (entries are mappings by then).
pub fn resolve_environment(tree: &mut Node, env: &std::collections::BTreeMap<String, String>) {
    let Value::Map(top) = &mut tree.value else {
        return;
    };
    let Some(Value::Map(services)) = top.get_mut("services").map(|s| &mut s.value) else {
        return;
    };
    for (_, _, service) in &mut services.entries {
        let Value::Map(service) = &mut service.value else {
            continue;
        };
        if let Some(Value::Map(vars)) = service.get_mut("environment").map(|n| &mut n.value) {
            fill_from_env(vars, env);
        }
        if let Some(Value::Map(build)) = service.get_mut("build").map(|b| &mut b.value) {
            if let Some(Value::Map(args)) = build.get_mut("args").map(|a| &mut a.value) {
                fill_from_env(args, env);
            }
        }
    }
}

fn fill_from_env(vars: &mut Map, env: &std::collections::BTreeMap<String, String>) {
    for (name, _, value) in &mut vars.entries {
        if value.is_null() {
            if let Some(v) = env.get(name.as_str()) {
                *value = Node::string(v.clone(), value.span);
            }
        }
    }
}

struct Normalizer {
    diagnostics: Vec<Diagnostic>,
}

/// A plain (untyped-looking) scalar: numbers and booleans we rewrite.
fn plain(text: impl Into<String>, span: Span) -> Node {
    Node::new(
        Value::Scalar(Scalar {
            text: text.into(),
            style: ScalarStyle::Plain,
        }),
        span,
    )
}

fn map_node(entries: Vec<(&str, Node)>, span: Span) -> Node {
    let entries = entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), span, v))
        .collect();
    Node::new(Value::Map(Map { entries }), span)
}

impl Normalizer {
    fn error(&mut self, code: &'static str, message: String, span: Span) {
        self.diagnostics
            .push(Diagnostic::error(code, message, span));
    }

    fn top_level_entry(&mut self, section: &str, path: &str, map: &mut Map) {
        if let Some(node) = map.get_mut("labels") {
            self.key_values(&format!("{path}.labels"), node, false);
        }
        let casts: &[(&str, Cast)] = if section == "networks" {
            &[
                ("external", Cast::Bool),
                ("internal", Cast::Bool),
                ("attachable", Cast::Bool),
                ("enable_ipv4", Cast::Bool),
                ("enable_ipv6", Cast::Bool),
            ]
        } else {
            &[("external", Cast::Bool)]
        };
        self.casts(path, map, casts);
    }

    /// Applies `casts` to the keys of `map` that are present.
    fn casts(&mut self, path: &str, map: &mut Map, casts: &[(&str, Cast)]) {
        for (key, cast) in casts {
            if let Some(node) = map.get_mut(key) {
                self.cast(&format!("{path}.{key}"), node, *cast);
            }
        }
    }

    /// Checks one scalar at a typed path and rewrites it canonically. Nulls and non-scalars are
    /// left for the structure validator.
    fn cast(&mut self, path: &str, node: &mut Node, cast: Cast) {
        let Some(scalar) = node.as_scalar().filter(|s| !s.is_null()) else {
            return;
        };
        let span = node.span;
        match cast {
            Cast::Count => match cast_int(scalar) {
                Ok(n) if n < 0 => self.error(
                    codes::BAD_INT,
                    format!("{path} must be greater than or equal to 0"),
                    span,
                ),
                Ok(n) => *node = plain(n.to_string(), span),
                Err(e) => self.error(codes::BAD_INT, format!("{path} must be an integer: {e}"), span),
            },
            Cast::Int => match cast_int(scalar) {
                Ok(n) => *node = plain(n.to_string(), span),
                Err(e) => self.error(codes::BAD_INT, format!("{path} must be an integer: {e}"), span),
            },
            Cast::Float => match cast_float(scalar) {
                Ok(f) => *node = plain(f.to_string(), span),
                Err(e) => self.error(codes::BAD_FLOAT, format!("{path} must be a number: {e}"), span),
            },
            Cast::Bool => match cast_bool(scalar) {
                Ok(b) => {
                    if b.legacy {
                        let word = if b.value { "true" } else { "false" };
                        self.diagnostics.push(
                            Diagnostic::warning(
                                codes::LEGACY_BOOL,
                                format!("{path}: \"{}\" for boolean is not supported by YAML 1.2", scalar.text),
                                span,
                            )
                            .with_help(format!("write `{word}`")),
                        );
                    }
                    *node = plain(if b.value { "true" } else { "false" }, span);
                }
                Err(e) => self.error(codes::BAD_BOOL, format!("{path} must be a boolean: {e}"), span),
            },
            Cast::Duration => match parse_duration(&scalar.text) {
                Ok(n) if n < 0 => {
                    self.error(codes::BAD_DURATION, format!("{path} must not be negative: {}", scalar.text), span)
                }
                Ok(_) => {}
                Err(e) => self.diagnostics.push(
                    Diagnostic::error(codes::BAD_DURATION, format!("{path}: {e}"), span)
                        .with_help("durations are written like `30s`, `1m30s`, `500ms` (units ns, us, ms, s, m, h, d, w)"),
                ),
            },
            Cast::Micros => match cast_int(scalar) {
                Ok(n) if n >= 0 => *node = plain(n.to_string(), span),
                Ok(_) => self.error(codes::BAD_DURATION, format!("{path} must not be negative: {}", scalar.text), span),
                Err(_) => match parse_duration(&scalar.text) {
                    Ok(n) if n >= 0 => *node = plain((n / 1_000).to_string(), span),
                    Ok(_) => self.error(codes::BAD_DURATION, format!("{path} must not be negative: {}", scalar.text), span),
                    Err(e) => self.diagnostics.push(
                        Diagnostic::error(codes::BAD_DURATION, format!("{path}: {e}"), span)
                            .with_help("write microseconds (`400000`) or a duration (`400ms`, `1s`)"),
                    ),
                },
            },
            Cast::Bytes => match scalar_bytes(scalar) {
                Ok(n) if n < -1 => {
                    self.error(codes::BAD_BYTES, format!("{path} must not be negative: {}", scalar.text), span)
                }
                Ok(_) => {}
                Err(e) => self.diagnostics.push(
                    Diagnostic::error(codes::BAD_BYTES, format!("{path}: {e}"), span)
                        .with_help("sizes are bytes or a number with a unit: `512m`, `1g`, `1.5gb` (binary units)"),
                ),
            },
        }
    }

    /// Reports `map[key]` when it is a scalar outside `allowed` (with a suggestion).
    /// Reports `map[key]` when it is a scalar outside `allowed` (with a suggestion): an error
    /// where the compose schema has an enum, a warning where it only says "string" but the value
    /// has a fixed meaning for ECS.
    fn one_of(&mut self, path: &str, map: &Map, key: &str, allowed: &[&str]) {
        self.one_of_with(Severity::Error, path, map, key, allowed);
    }

    /// [`Self::one_of`] as a warning.
    fn likely_one_of(&mut self, path: &str, map: &Map, key: &str, allowed: &[&str]) {
        self.one_of_with(Severity::Warning, path, map, key, allowed);
    }

    fn one_of_with(
        &mut self,
        severity: Severity,
        path: &str,
        map: &Map,
        key: &str,
        allowed: &[&str],
    ) {
        let Some(node) = map.get(key) else { return };
        let Some(text) = node.as_str() else {
            return;
        };
        if allowed.contains(&text) {
            return;
        }
        let help = match crate::suggest::did_you_mean(text, allowed.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use one of {}", allowed.join(", ")),
        };
        let message = format!("{path}.{key}: unknown value {text:?}");
        self.diagnostics.push(
            Diagnostic::new(severity, codes::BAD_ENUM, message)
                .at(node.span)
                .with_help(help),
        );
    }

    /// `KEY=VALUE` lists become mappings; mapping values become strings (or stay null).
    fn key_values(&mut self, path: &str, node: &mut Node, null_allowed: bool) {
        let span = node.span;
        match &mut node.value {
            Value::Seq(items) => {
                let mut map = Map::default();
                for (i, item) in items.iter().enumerate() {
                    let Some(text) = item.as_str() else {
                        self.not_a_name(&format!("{path}[{i}]"), item);
                        continue;
                    };
                    let (key, value) = match text.split_once('=') {
                        Some((k, v)) => (k, Some(v)),
                        None => (text, None),
                    };
                    if !self.check_key(path, key, item.span) {
                        continue;
                    }
                    let value = match value {
                        Some(v) => Node::string(v, item.span),
                        None if null_allowed => plain("null", item.span),
                        None => Node::string("", item.span),
                    };
                    map.insert(key.to_string(), item.span, value);
                }
                *node = Node {
                    value: Value::Map(map),
                    span,
                    tag: node.tag,
                };
            }
            Value::Map(map) => {
                for (key, key_span, _) in &map.entries {
                    self.check_key(path, key, *key_span);
                }
                for (_, _, value) in &mut map.entries {
                    // a mapping or list value is the structure validator's to report
                    let Some(s) = value.as_scalar() else { continue };
                    if !s.is_null() {
                        *value = Node::string(s.text.clone(), value.span);
                    } else if !null_allowed {
                        *value = Node::string("", value.span);
                    }
                }
            }
            Value::Scalar(_) => {}
        }
    }

    /// A list item that should be a name or `KEY=VALUE` but is a mapping or list (it is dropped
    /// when the list becomes a mapping, so it is reported here; nulls are skipped silently).
    fn not_a_name(&mut self, path: &str, item: &Node) {
        if !item.is_null() {
            let message = format!("{path} must be a string, found a {}", item.kind_name());
            self.error(codes::WRONG_KIND, message, item.span);
        }
    }

    fn check_key(&mut self, path: &str, key: &str, span: Span) -> bool {
        if key.is_empty() {
            self.error(
                codes::BAD_KEY_VALUE,
                format!("{path}: an entry has an empty name"),
                span,
            );
            return false;
        }
        if key.ends_with([' ', '\t']) || key.starts_with([' ', '\t']) {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::BAD_KEY_VALUE,
                    format!(
                        "{path}: variable {} is declared with a surrounding space",
                        key.trim()
                    ),
                    span,
                )
                .with_help("write `KEY=value` without spaces around `=`"),
            );
            return false;
        }
        true
    }
}

//! `env_file` read into each service's `environment`, as compose-go's
//! `WithServicesEnvironmentResolved` does it (then the `env_file` key is dropped, as
//! `docker compose config` prints it).
//!
//! Files are read in order, a later file's variable replacing an earlier one's; `environment`
//! entries win over every file (even an entry left without a value). Values are parsed with the
//! `.env` rules ([`crate::compose::dotenv`]); `${VAR}` inside them looks in the project
//! environment first, then the service's `environment`, then the variables read so far.
//! `format: raw` reads `KEY=value` lines as `docker run --env-file` does: no quotes, no
//! interpolation. A missing file is an error at its entry unless it has `required: false`
//! (then an info: compose skips it without a word).
//!
//! Runs on the normalised tree (every entry a mapping with `path` and `required`; paths already
//! relative to the project directory) and only on services left in by profiles.
//!
//! | code  | severity | when |
//! |-------|----------|------|
//! | CX260 | error    | a required env file is not given (see [`crate::compose::files`]) |
//! | CX261 | info     | an optional (`required: false`) env file is not given: skipped |
//! | CX262 | error    | an unknown `format` |
//! | CX263 | error    | a `format: raw` line with no name or a name with blanks |
//! | CX273 | error    | an `env_file` entry without a `path` |

use std::collections::{BTreeMap, BTreeSet};

use crate::compose::dotenv;
use crate::compose::files::{self, Files};
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::{Map, Node, Value};

/// Code of the info for a missing optional env file.
pub const OPTIONAL_ENV_FILE_MISSING: &str = "CX261";
/// Code of an unknown env file `format`.
pub const UNKNOWN_ENV_FILE_FORMAT: &str = "CX262";
/// Code of a malformed line in a `format: raw` env file.
pub const BAD_RAW_LINE: &str = "CX263";
/// Code of an `env_file` entry without a path.
pub const NO_PATH: &str = "CX273";

/// A variable read from an env file: its value and where its name is written.
type Read = BTreeMap<String, (String, Span)>;

/// Reads every service's `env_file` into its `environment` and removes `env_file`.
pub fn apply(
    tree: &mut Node,
    files: &mut Files<'_>,
    project_env: &BTreeMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Value::Map(top) = &mut tree.value else {
        return;
    };
    let Some(Value::Map(services)) = top.get_mut("services").map(|s| &mut s.value) else {
        return;
    };
    // A service that extends another shares its entries: each problem is reported once.
    let mut reported = BTreeSet::new();
    for (_, _, service) in &mut services.entries {
        let Value::Map(service) = &mut service.value else {
            continue;
        };
        let Some(entries) = service.get("env_file").and_then(Node::as_seq) else {
            continue;
        };
        let entries = entries.to_vec();
        let mut found = Vec::new();
        let read = read_service_files(&entries, service, files, project_env, &mut found);
        for d in found {
            let at = d.span.map(|s| (s.file, s.start, s.end, d.code));
            if reported.insert(at) {
                diagnostics.push(d);
            }
        }
        service.remove("env_file");
        if read.is_empty() {
            continue;
        }
        add_to_environment(service, read);
    }
}

/// Reads a service's env files in order into one set of variables.
fn read_service_files(
    entries: &[Node],
    service: &Map,
    files: &mut Files<'_>,
    project_env: &BTreeMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Read {
    // The lookup for bare names and `${VAR}`: the project environment wins over the service's.
    let mut lookup: BTreeMap<String, String> = service
        .get("environment")
        .and_then(Node::as_map)
        .map(|env| {
            env.iter()
                .filter(|(_, v)| !v.is_null())
                .filter_map(|(k, v)| Some((k.to_string(), v.as_scalar()?.text.clone())))
                .collect()
        })
        .unwrap_or_default();
    lookup.extend(project_env.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut read = Read::new();
    for entry in entries {
        let Some(path) = entry
            .get("path")
            .filter(|p| !p.is_null())
            .and_then(Node::as_str)
        else {
            let at = entry.get("path").map_or(entry.span, |p| p.span);
            diagnostics.push(
                Diagnostic::error(NO_PATH, "an `env_file` entry needs a `path`", at)
                    .with_help("write `- path: ./app.env` (with `required: false` if it may be missing), or just `- ./app.env`"),
            );
            continue;
        };
        let path_span = entry.get("path").map_or(entry.span, |p| p.span);
        let required = entry
            .get("required")
            .and_then(Node::as_scalar)
            .and_then(|s| s.as_bool())
            .unwrap_or(true);
        let format = entry.get("format").and_then(Node::as_str);
        let key = files::key("", path);
        let Some((index, file)) = files.get(&key) else {
            if required {
                diagnostics.push(files::not_found(&key, "env file", path_span));
            } else {
                diagnostics.push(
                    Diagnostic::info(
                        OPTIONAL_ENV_FILE_MISSING,
                        format!("optional env file `{key}` not found: skipped"),
                        path_span,
                    )
                    .with_help("`required: false` lets the file be missing, as compose does"),
                );
            }
            continue;
        };
        match format {
            None | Some("") | Some(".env") | Some("dotenv") => {
                let earlier: BTreeMap<String, String> = read
                    .iter()
                    .map(|(k, (v, _))| (k.clone(), v.clone()))
                    .collect();
                let parsed = dotenv::parse_layered(&file.text, index, &lookup, &earlier);
                diagnostics.extend(parsed.diagnostics);
                for (name, value) in parsed.vars {
                    let span = parsed
                        .key_spans
                        .get(&name)
                        .copied()
                        .unwrap_or(Span::new(index, 0, 0));
                    read.insert(name, (value, span));
                }
            }
            Some("raw") => read_raw(&file.text, index, &lookup, &mut read, diagnostics),
            Some(other) => {
                let at = entry.get("format").map_or(entry.span, |f| f.span);
                diagnostics.push(
                    Diagnostic::error(
                        UNKNOWN_ENV_FILE_FORMAT,
                        format!("unsupported env_file format `{other}`"),
                        at,
                    )
                    .with_help("leave `format` out for compose's `.env` rules, or write `format: raw` for `KEY=value` lines read as they are"),
                );
            }
        }
    }
    read
}

/// `docker run --env-file` lines: leading blanks and `#` lines skipped, `KEY=value` taken as
/// written (no quotes, no `${VAR}`), a bare `KEY` taken from the environment when set there.
fn read_raw(
    text: &str,
    index: u32,
    lookup: &BTreeMap<String, String>,
    read: &mut Read,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut offset = 0;
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    offset += text.len() - body.len();
    for raw_line in body.split_inclusive('\n') {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches('\n').trim_end_matches('\r');
        let content = line.trim_start();
        let content_start = line_start + (line.len() - content.len());
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let (name, value) = match content.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (content, None),
        };
        let span = Span::new(index, content_start, content_start + name.len());
        if name.is_empty() || name.contains(char::is_whitespace) {
            let message = if name.is_empty() {
                "a variable needs a name before `=`".to_string()
            } else {
                format!("variable `{name}` contains blanks")
            };
            diagnostics.push(
                Diagnostic::error(BAD_RAW_LINE, message, span)
                    .with_help("`format: raw` lines are `NAME=value`, with no blank in the name"),
            );
            continue;
        }
        match value {
            Some(v) => {
                read.insert(name.to_string(), (v.to_string(), span));
            }
            None => {
                if let Some(v) = lookup.get(name) {
                    read.insert(name.to_string(), (v.clone(), span));
                }
            }
        }
    }
}

/// Adds the variables the service's `environment` does not set (its own entries win).
fn add_to_environment(service: &mut Map, read: Read) {
    let first_span = read.values().next().map(|(_, s)| *s);
    if service.get("environment").and_then(Node::as_map).is_none() {
        let span = first_span.unwrap_or(Span::new(0, 0, 0));
        service.insert(
            "environment".to_string(),
            span,
            Node::new(Value::Map(Map::default()), span),
        );
    }
    let Some(Value::Map(environment)) = service.get_mut("environment").map(|e| &mut e.value) else {
        return;
    };
    for (name, (value, span)) in read {
        if environment.get(&name).is_none() {
            environment
                .entries
                .push((name, span, Node::string(value, span)));
        }
    }
}

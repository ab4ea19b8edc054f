//! `include`, as compose-go's `ApplyInclude` does it, per document before `extends` and before
//! the documents merge: each entry loads other compose files as a project of their own and
//! imports its services, networks, volumes, secrets, configs and models.
//!
//! An entry is a path or a mapping with `path` (one file, or a list: the first file and its
//! override files), `project_directory` (what the included files' relative paths are relative
//! to; default the first file's directory) and `env_file` (variables for interpolating the
//! included files, relative to the including file; default the project directory's `.env` when
//! given). The included files see the including environment first, then their env files.
//!
//! A resource defined both by the included project and the including file is merged, the
//! including file's definition over the included one (compose-go since late 2025; earlier
//! versions refused the conflict). Two included projects defining the same resource merge the
//! same way, the earlier entry winning.
//!
//! | code  | severity | when |
//! |-------|----------|------|
//! | CX260 | error    | an included file or an include `env_file` not given |
//! | CX269 | error    | `include` is not a list, or an entry has no path |
//! | CX270 | error    | an include cycle (a file includes itself through others) |

use std::collections::BTreeMap;

use crate::compose::files;
use crate::compose::interpolate::FileInterpolator;
use crate::compose::{dotenv, extends, merge, Context};
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::{Map, Node, Value};

/// Code of a malformed `include`.
pub const BAD_INCLUDE: &str = "CX269";
/// Code of an include cycle.
pub const INCLUDE_CYCLE: &str = "CX270";

/// The top-level sections an included project contributes.
const IMPORTED: &[&str] = &[
    "services", "volumes", "networks", "secrets", "configs", "models",
];

/// One `include` entry, paths relative to the project directory.
struct Entry {
    paths: Vec<(String, Span)>,
    project_directory: Option<String>,
    env_files: Vec<(String, Span)>,
}

/// Applies the `include` of one document (paths relative to the project directory) and removes
/// it. `stack` holds the keys of the files including this one (for cycles).
pub fn apply(
    doc: &mut Node,
    env: &BTreeMap<String, String>,
    stack: &mut Vec<String>,
    cx: &mut Context<'_>,
) {
    let Value::Map(top) = &mut doc.value else {
        return;
    };
    let Some(include) = top.remove("include") else {
        return;
    };
    if include.is_null() {
        return;
    }
    let Some(items) = include.as_seq() else {
        cx.diagnostics.push(
            Diagnostic::error(
                BAD_INCLUDE,
                format!("`include` must be a list, not a {}", include.kind_name()),
                include.span,
            )
            .with_help("write `include:` followed by `- path/to/compose.yaml` items"),
        );
        return;
    };
    for item in items {
        let Some(entry) = entry(item, cx) else {
            continue;
        };
        if let Some(imported) = load_entry(&entry, env, stack, cx) {
            import(top, imported, cx);
        }
    }
}

fn strings(node: &Node) -> Vec<(String, Span)> {
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| Some((i.as_str()?.to_string(), i.span)))
            .collect(),
        _ => node
            .as_str()
            .map(|s| vec![(s.to_string(), node.span)])
            .unwrap_or_default(),
    }
}

fn entry(item: &Node, cx: &mut Context<'_>) -> Option<Entry> {
    let remote = match item.get("path") {
        Some(p) => strings(p),
        None => strings(item),
    }
    .into_iter()
    .find(|(p, _)| files::is_remote(p));
    if let Some((_, at)) = remote {
        cx.diagnostics.push(files::remote_refused("include", at));
        return None;
    }
    if let Some(path) = item.as_str() {
        return Some(Entry {
            paths: vec![(files::key("", path), item.span)],
            project_directory: None,
            env_files: Vec::new(),
        });
    }
    let paths: Vec<(String, Span)> = item
        .get("path")
        .map(strings)
        .unwrap_or_default()
        .into_iter()
        .map(|(p, s)| (files::key("", &p), s))
        .collect();
    if paths.is_empty() {
        cx.diagnostics.push(
            Diagnostic::error(BAD_INCLUDE, "an `include` entry needs a `path`", item.span)
                .with_help("write `- path: sub/compose.yaml`, or just `- sub/compose.yaml`"),
        );
        return None;
    }
    Some(Entry {
        paths,
        project_directory: item
            .get("project_directory")
            .and_then(Node::as_str)
            .map(|d| files::key("", d)),
        env_files: item
            .get("env_file")
            .map(strings)
            .unwrap_or_default()
            .into_iter()
            .filter(|(p, _)| p != "/dev/null")
            .map(|(p, s)| (files::key("", &p), s))
            .collect(),
    })
}

/// Loads an entry's files as one tree (paths rebased to the project directory).
fn load_entry(
    entry: &Entry,
    env: &BTreeMap<String, String>,
    stack: &mut Vec<String>,
    cx: &mut Context<'_>,
) -> Option<Node> {
    let (main, main_span) = entry.paths.first()?;
    if stack.contains(main) {
        let mut chain: Vec<&str> = stack.iter().map(String::as_str).collect();
        chain.push(main);
        cx.diagnostics.push(
            Diagnostic::error(
                INCLUDE_CYCLE,
                format!("include cycle: {}", chain.join(" → ")),
                *main_span,
            )
            .with_help("a compose file cannot include itself, directly or through others"),
        );
        return None;
    }
    let project_dir = entry
        .project_directory
        .clone()
        .unwrap_or_else(|| files::dir_of(main));
    let include_env = entry_environment(entry, &project_dir, env, cx);
    let mut docs = Vec::new();
    for (key, span) in &entry.paths {
        let Some((index, file)) =
            cx.files
                .require(key, "included file", *span, &mut cx.diagnostics)
        else {
            continue;
        };
        let mut interpolator = FileInterpolator::new(&include_env, &file.text);
        for mut doc in cx
            .files
            .documents(key, index, &file.text, &mut cx.diagnostics)
        {
            interpolator.interpolate(&mut doc, &mut cx.diagnostics);
            files::rebase_tree(&mut doc, &project_dir);
            stack.push(key.clone());
            apply(&mut doc, &include_env, stack, cx);
            stack.pop();
            extends::apply(&mut doc, key, &include_env, cx);
            docs.push(doc);
        }
    }
    merge::merge_documents(docs, &mut cx.diagnostics)
}

/// The environment the included files are interpolated with: the including one, plus the
/// variables of the entry's env files it does not set.
fn entry_environment(
    entry: &Entry,
    project_dir: &str,
    env: &BTreeMap<String, String>,
    cx: &mut Context<'_>,
) -> BTreeMap<String, String> {
    let mut wanted: Vec<(String, Option<Span>)> = entry
        .env_files
        .iter()
        .map(|(k, s)| (k.clone(), Some(*s)))
        .collect();
    if wanted.is_empty() {
        wanted.push((files::key(project_dir, ".env"), None));
    }
    let mut read: BTreeMap<String, String> = BTreeMap::new();
    for (key, named_at) in wanted {
        let found = match named_at {
            Some(at) => cx.files.require(&key, "env file", at, &mut cx.diagnostics),
            None => cx.files.get(&key),
        };
        let Some((index, file)) = found else {
            continue;
        };
        let parsed = dotenv::parse_layered(&file.text, index, env, &read);
        cx.diagnostics.extend(parsed.diagnostics);
        read.extend(parsed.vars);
    }
    let mut out = env.clone();
    for (k, v) in read {
        out.entry(k).or_insert(v);
    }
    out
}

/// Adds the included tree's resources to the including document; a name both define merges,
/// the including document's definition over the included one.
fn import(top: &mut Map, imported: Node, cx: &mut Context<'_>) {
    let Value::Map(mut imported) = imported.value else {
        return;
    };
    for section in IMPORTED {
        let Some(from) = imported.remove(section) else {
            continue;
        };
        let from_span = from.span;
        let Value::Map(from) = from.value else {
            continue;
        };
        if top.get(section).is_none_or(Node::is_null) {
            top.insert(
                section.to_string(),
                from_span,
                Node::new(Value::Map(Map::default()), from_span),
            );
        }
        let Some(Value::Map(to)) = top.get_mut(section).map(|n| &mut n.value) else {
            continue;
        };
        for (name, key_span, definition) in from.entries {
            match to.entries.iter_mut().find(|(k, _, _)| *k == name) {
                Some((_, _, own)) => {
                    let mut merged = definition;
                    let over =
                        std::mem::replace(own, Node::new(Value::Map(Map::default()), key_span));
                    let mut path = vec![section.to_string(), name.clone()];
                    merge::merge_extended(&mut merged, over, &mut path, &mut cx.diagnostics);
                    *own = merged;
                }
                None => to.entries.push((name, key_span, definition)),
            }
        }
    }
}

//! Files a service reads besides `env_file`: `label_file` (read into `labels`, as compose-go does
//! it: `.env` syntax, the `labels:` entries win, a later file wins over an earlier one) and the
//! sources of the configs services mount (`file:` read, `environment:` taken from the project
//! environment, so a config's contents are known when rendering).
//!
//! Secrets are never read: their values must not reach a template or a parameter file (the
//! renderer names an existing Secrets Manager secret instead).
//!
//! | code  | severity | when |
//! |-------|----------|------|
//! | CX260 | error    | a label file, or the file of a mounted config, is not given |
//! | CX275 | error    | a mounted config's `environment` variable is not set, or it has no source |

use std::collections::BTreeMap;

use crate::compose::dotenv;
use crate::compose::files::{self, Files};
use crate::compose::model::Project;
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::{Map, Node, Value};

/// A mounted config whose contents are not available: its `environment` variable is not set,
/// or it names no source at all.
pub const CONFIG_VARIABLE_UNSET: &str = "CX275";

/// Reads every service's `label_file` into its `labels` and removes `label_file`.
pub fn apply_label_files(
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
    for (_, _, service) in &mut services.entries {
        let Value::Map(service) = &mut service.value else {
            continue;
        };
        let Some(entries) = service.get("label_file").and_then(Node::as_seq) else {
            continue;
        };
        let mut read: BTreeMap<String, (String, Span)> = BTreeMap::new();
        for entry in entries {
            let Some(path) = entry.as_str() else { continue };
            let key = files::key("", path);
            let Some((index, file)) = files.require(&key, "label file", entry.span, diagnostics)
            else {
                continue;
            };
            let parsed = dotenv::parse(&file.text, index, project_env);
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
        service.remove("label_file");
        add_labels(service, read);
    }
}

/// Adds the labels the service's `labels` does not set (its own entries win).
fn add_labels(service: &mut Map, read: BTreeMap<String, (String, Span)>) {
    if read.is_empty() {
        return;
    }
    if service.get("labels").and_then(Node::as_map).is_none() {
        let span = read.values().next().map_or(Span::new(0, 0, 0), |(_, s)| *s);
        service.insert(
            "labels".to_string(),
            span,
            Node::new(Value::Map(Map::default()), span),
        );
    }
    let Some(Value::Map(labels)) = service.get_mut("labels").map(|e| &mut e.value) else {
        return;
    };
    for (name, (value, span)) in read {
        if labels.get(&name).is_none() {
            labels.entries.push((name, span, Node::string(value, span)));
        }
    }
}

/// Puts the contents of every config a service mounts into [`crate::compose::model::Config`]'s
/// `content`: the text of its `file`, or the value of its `environment` variable.
pub fn read_configs(
    project: &mut Project,
    tree: &Node,
    files: &mut Files<'_>,
    project_env: &BTreeMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let used: Vec<String> = project
        .services
        .values()
        .flat_map(|s| s.configs.iter().map(|c| c.source.clone()))
        .collect();
    let configs = tree.get("configs");
    for (name, config) in &mut project.configs {
        if !used.contains(name) || config.external || config.content.is_some() {
            continue;
        }
        let node = configs.and_then(|c| c.get(name));
        if let Some(path) = &config.file {
            let key = files::key("", path);
            let at = node
                .and_then(|n| n.get("file"))
                .map_or(config.span, |n| n.span);
            if let Some((_, file)) = files.require(&key, "config file", at, diagnostics) {
                config.content = Some(file.text.clone());
            }
        } else if config.environment.is_none() {
            diagnostics.push(
                Diagnostic::error(
                    CONFIG_VARIABLE_UNSET,
                    format!("config {name} has no contents"),
                    config.span,
                )
                .with_help("give it a `file:`, a `content:`, an `environment:` variable, or `external: true`"),
            );
        } else if let Some(variable) = &config.environment {
            let at = node
                .and_then(|n| n.get("environment"))
                .map_or(config.span, |n| n.span);
            match project_env.get(variable) {
                Some(value) => config.content = Some(value.clone()),
                None => diagnostics.push(
                    Diagnostic::error(
                        CONFIG_VARIABLE_UNSET,
                        format!("config {name}: environment variable {variable} is not set"),
                        at,
                    )
                    .with_help(format!(
                        "set {variable} when rendering (in the environment or `.env`), or give the config a `file:` or `content:`"
                    )),
                ),
            }
        }
    }
}

//! Files the x-modules read: `x-ssm_parameter.<name>.MacroParameters.FromFile`, the FireLens
//! configuration a service adds (`services.<name>.x-logging.FireLens.Advanced.SourceFile`) and a
//! service's `x-prometheus.ContainersInsights.ScrapingConfiguration.ScrapingConfigurationFile`. Each path is
//! relative to the project directory (the first compose file's), as `env_file` is; loading
//! asks for it like any other named file (the CLI reads it, the playground shows it as a tab)
//! and keeps its text in [`Project::module_files`]. The module reports a file that was not given
//! at the `FromFile` that names it.

use super::files::{self, Files};
use super::model::{ModuleFile, Project};
use crate::yaml::Node;

/// The top-level keys whose resources name files, and where under each resource.
const READERS: &[(&str, &str, &str)] = &[("x-ssm_parameter", "MacroParameters", "FromFile")];

/// The key of a `FromFile` path.
pub fn key(path: &str) -> String {
    files::key("", path)
}

/// Looks up every file the x-modules of `tree` name and keeps those given in `project`.
pub fn read(tree: &Node, files: &mut Files, project: &mut Project) {
    let firelens = tree
        .get("services")
        .and_then(Node::as_map)
        .into_iter()
        .flat_map(|services| services.entries.iter())
        .filter_map(|(_, _, service)| {
            let advanced = service.get("x-logging")?.get("FireLens")?.get("Advanced")?;
            advanced.get("SourceFile")?.as_str()
        });
    for path in firelens {
        keep(path, files, project);
    }
    for (module, section, field) in READERS {
        let Some(resources) = tree.get(module).and_then(Node::as_map) else {
            continue;
        };
        for (_, _, resource) in &resources.entries {
            let Some(path) = resource
                .get(section)
                .and_then(|s| s.get(field))
                .and_then(Node::as_str)
            else {
                continue;
            };
            keep(path, files, project);
        }
    }
    // The Prometheus scrape configuration a service's CloudWatch agent sidecar gets.
    let services = tree.get("services").and_then(Node::as_map);
    for (_, _, service) in services.map(|s| s.entries.as_slice()).unwrap_or_default() {
        let path = [
            "x-prometheus",
            "ContainersInsights",
            "ScrapingConfiguration",
        ]
        .iter()
        .try_fold(service, |node, key| node.get(key))
        .and_then(|n| n.get("ScrapingConfigurationFile"))
        .and_then(Node::as_str);
        if let Some(path) = path {
            keep(path, files, project);
        }
    }
}

/// Keeps the file at `path` in `project` when it was given (asks for it either way).
fn keep(path: &str, files: &mut Files, project: &mut Project) {
    if path.is_empty() || files::is_remote(path) {
        return;
    }
    let key = key(path);
    if let Some((index, file)) = files.get(&key) {
        project.module_files.insert(
            key,
            ModuleFile {
                index,
                text: file.text.clone(),
            },
        );
    }
}

// Tests read the examples: the no-IO rule of clippy.toml is for the core.
#![allow(clippy::disallowed_methods)]

//! The playground's examples menu (`examples/menu.json`): every example the web build collects
//! has an entry with a one-line description, and renders with exactly the diagnostics (severity
//! and code) the entry lists. The browser test checks the same through the page.

use std::collections::BTreeMap;
use std::path::Path;

use composex_core::{Input, Severity, SourceFile};
use composex_tests::corpus::workspace_root;

fn is_base(name: &str) -> bool {
    matches!(
        name,
        "docker-compose.yml" | "docker-compose.yaml" | "compose.yml" | "compose.yaml"
    )
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yml") || name.ends_with(".yaml")
}

fn sorted_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read(path: &Path) -> SourceFile {
    SourceFile {
        name: path.file_name().unwrap().to_string_lossy().into_owned(),
        text: std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    }
}

/// The menu entries as web/build.mjs makes them: each YAML file directly in examples/; each
/// folder's base compose file alone, then with each other YAML file of the folder as an
/// override ("seed + existing-env.yml"). Folders without a base file are not compose examples.
fn menu_entries(root: &Path) -> BTreeMap<String, Vec<SourceFile>> {
    let mut entries = BTreeMap::new();
    for name in sorted_names(root) {
        let path = root.join(&name);
        if path.is_file() && is_yaml(&name) {
            let stem = name.trim_end_matches(".yaml").trim_end_matches(".yml");
            entries.insert(stem.to_string(), vec![read(&path)]);
            continue;
        }
        if !path.is_dir() {
            continue;
        }
        let files: Vec<String> = sorted_names(&path)
            .into_iter()
            .filter(|f| is_yaml(f) && path.join(f).is_file())
            .collect();
        let Some(base) = files.iter().find(|f| is_base(f)) else {
            continue;
        };
        entries.insert(name.clone(), vec![read(&path.join(base))]);
        for extra in files.iter().filter(|f| *f != base) {
            entries.insert(
                format!("{name} + {extra}"),
                vec![read(&path.join(base)), read(&path.join(extra))],
            );
        }
    }
    entries
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

#[test]
fn every_example_is_described_and_shows_the_diagnostics_its_entry_lists() {
    let root = workspace_root().join("examples");
    let menu_path = root.join("menu.json");
    let menu: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&menu_path).unwrap()).unwrap();
    let menu = menu.as_object().expect("menu.json is an object");
    let entries = menu_entries(&root);
    assert!(entries.len() >= 4, "only {} examples", entries.len());
    let mut described: Vec<&String> = menu.keys().collect();
    described.sort();
    let found: Vec<&String> = entries.keys().collect();
    assert_eq!(described, found, "menu.json entries != examples found");

    let mut wrong = Vec::new();
    for (name, files) in &entries {
        let entry = &menu[name.as_str()];
        let description = entry["description"].as_str().unwrap_or_default();
        if description.trim().is_empty() || description.contains('\n') {
            wrong.push(format!("{name}: no one-line description"));
        }
        let mut want: Vec<String> = entry["diagnostics"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: no diagnostics list"))
            .iter()
            .map(|d| d.as_str().unwrap().to_string())
            .collect();
        want.sort();
        let input = Input {
            files: files.clone(),
            ..Input::default()
        };
        let out = composex_core::render(&input);
        let mut shown: Vec<String> = out
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", severity(d.severity), d.code))
            .collect();
        shown.sort();
        if shown != want {
            wrong.push(format!("{name}: shows {shown:?}, menu.json lists {want:?}"));
        }
        let errors = shown.iter().any(|d| d.starts_with("error"));
        if !errors && out.files.is_empty() {
            wrong.push(format!("{name}: no templates"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    println!("{} examples checked against menu.json", entries.len());
}

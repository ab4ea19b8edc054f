// Tests read fixtures: the no-IO rule of clippy.toml is for the core.
#![allow(clippy::disallowed_methods)]

//! The plain compose files of tests/fixtures/plain (ours, written the way tutorials, framework
//! templates and self-hosted apps write them) all render; those under `invalid/` are refused
//! with an error. Prints the counts and the diagnostics codes met.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use composex_core::{Input, Output, Severity, SourceFile};
use composex_tests::corpus::workspace_root;

fn yml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    files.sort();
    files
}

fn render(path: &Path) -> Output {
    let input = Input {
        files: vec![SourceFile {
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            text: std::fs::read_to_string(path).unwrap(),
        }],
        ..Input::default()
    };
    composex_core::render(&input)
}

#[test]
fn every_plain_compose_file_renders_and_the_invalid_ones_are_refused() {
    let dir = workspace_root().join("tests/fixtures/plain");
    let valid = yml_files(&dir);
    let invalid = yml_files(&dir.join("invalid"));
    assert!(
        valid.len() + invalid.len() >= 25,
        "{} files",
        valid.len() + invalid.len()
    );
    let mut codes: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    let mut failed = Vec::new();
    let mut rendered = 0;
    for path in &valid {
        let out = render(path);
        let name = path.file_name().unwrap().to_string_lossy();
        for d in &out.diagnostics {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "info",
            };
            *codes.entry((severity.to_string(), d.code)).or_default() += 1;
        }
        let errors: Vec<String> = out
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        if out.has_errors() || out.files.is_empty() {
            failed.push(format!("{name}: {errors:?}"));
        } else {
            rendered += 1;
        }
    }
    let mut refused = 0;
    for path in &invalid {
        let out = render(path);
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(out.has_errors(), "{name} should be refused");
        assert!(out.files.is_empty(), "{name}: no partial output");
        refused += 1;
    }
    println!(
        "plain compose files: {rendered} of {} rendered, {refused} of {} invalid refused",
        valid.len(),
        invalid.len()
    );
    for ((severity, code), n) in &codes {
        println!("  {severity} {code}: {n}");
    }
    assert!(failed.is_empty(), "did not render:\n{}", failed.join("\n"));
}

#[test]
fn the_playground_plain_compose_example_renders_without_a_warning() {
    let path = workspace_root().join("examples/plain-compose/docker-compose.yml");
    let out = render(&path);
    let loud: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
    let names: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
    for stack in ["web.yaml", "db.yaml", "cache.yaml", "efs.yaml"] {
        assert!(names.contains(&stack), "{stack} missing from {names:?}");
    }
}

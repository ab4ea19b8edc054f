//! Renders every example, fixture and ECS ComposeX corpus case in both layouts and both formats
//! into one directory tree (files plus `diagnostics.json`), so two revisions can be compared
//! with `diff -r` (see `scripts/compare-outputs.sh`).
//!
//! Usage: `cargo run -p composex-tests --bin render_all -- OUTDIR`

use std::path::{Path, PathBuf};

use composex_core::{Format, Input, Layout, Options, SourceFile};
use composex_tests::corpus::{cases, corpus_dir, workspace_root};

/// One input to render: a name for its output folder and its files (named as diagnostics show them).
struct Case {
    name: String,
    files: Vec<SourceFile>,
}

fn main() {
    let Some(out) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: render_all OUTDIR");
        std::process::exit(2);
    };
    let root = workspace_root();
    let mut all = Vec::new();
    for dir in ["examples", "tests/fixtures", "core/src/modules"] {
        let mut found = Vec::new();
        yaml_files(&root.join(dir), &mut found);
        found.sort();
        for path in found {
            let rel = relative(&path, &root);
            if dir == "core/src/modules" && !rel.contains("/fixtures/") {
                continue;
            }
            all.push(Case {
                name: rel.clone(),
                files: vec![read(&path, rel)],
            });
        }
    }
    // The seed's override, applied the way its README says.
    let seed = root.join("examples/seed");
    if seed.join("existing-env.yml").is_file() {
        all.push(Case {
            name: "examples/seed/docker-compose.yml+existing-env.yml".into(),
            files: ["docker-compose.yml", "existing-env.yml"]
                .iter()
                .map(|f| read(&seed.join(f), format!("examples/seed/{f}")))
                .collect(),
        });
    }
    let mut corpus_cases = 0;
    if let Some(dir) = corpus_dir() {
        for case in cases(&dir) {
            let files = case
                .files
                .iter()
                .map(|f| read(f, relative(f, &dir)))
                .collect();
            all.push(Case {
                name: format!("corpus/{}", case.slug),
                files,
            });
            corpus_cases += 1;
        }
    } else {
        eprintln!("warning: no corpus found (set COMPOSEX_CORPUS)");
    }
    let mut written = 0;
    for case in &all {
        for layout in [Layout::Nested, Layout::Single] {
            for format in [Format::Yaml, Format::Json] {
                let input = Input {
                    files: case.files.clone(),
                    env: Default::default(),
                    options: Options {
                        layout,
                        format,
                        ..Options::default()
                    },
                    ..Input::default()
                };
                let output = composex_core::render(&input);
                let variant = format!("{layout:?}-{format:?}").to_lowercase();
                let dir = out.join(safe(&case.name)).join(variant);
                std::fs::create_dir_all(&dir).expect("create output folder");
                for file in &output.files {
                    write(&dir.join(safe(&file.path)), &file.text);
                    written += 1;
                }
                let diagnostics = serde_json::to_string_pretty(&output.diagnostics)
                    .expect("diagnostics serialise");
                write(&dir.join("diagnostics.json"), &diagnostics);
                written += 1;
            }
        }
    }
    println!(
        "{} cases ({} corpus), 4 variants each, {} files written to {}",
        all.len(),
        corpus_cases,
        written,
        out.display()
    );
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            out.push(path);
        }
    }
}

fn relative(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn read(path: &Path, name: String) -> SourceFile {
    SourceFile {
        name,
        text: std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// A path component from a case or file name (no `/`).
fn safe(name: &str) -> String {
    name.replace('/', "__")
}

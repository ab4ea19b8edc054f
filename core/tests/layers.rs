//! The core's layers import downwards only. Bottom up: `yaml`, `cfn`, `diagnostic`, `suggest`;
//! `xkeys` (names of the known x-keys); `compose`; `stack` (stack model, family naming contract,
//! layout, limits, parameter files); `emit` (network, cluster, task families) and `modules`
//! (x-modules) side by side; `pipeline` and `registry` on top. Rust lets any module of a crate name any other, so this test reads the sources and
//! fails on a name that points upwards or sideways.

// This test reads the core's own sources; the IO ban is for the core itself.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `(file, line number, line)` under `core/src/<layer>` naming one of `forbidden`,
/// skipping test-only files (`tests.rs`, `testing.rs`: tests may build a whole pipeline).
fn violations(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let mut files = Vec::new();
    if root.is_dir() {
        rust_files(&root, &mut files);
    } else {
        files.push(root.with_extension("rs"));
    }
    let mut found = Vec::new();
    for file in files {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "tests.rs" || name == "testing.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        // Inline `#[cfg(test)] mod tests` blocks come last in a file: stop there.
        let body = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        for (n, line) in body.lines().enumerate() {
            if forbidden.iter().any(|f| line.contains(f)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

/// The layers above `stack`.
const ABOVE_STACK: &[&str] = &[
    "crate::json_schema",
    "crate::assist",
    "crate::emit",
    "crate::modules",
    "crate::pipeline",
    "crate::registry",
    "crate::graph",
    "crate::sourcemap",
];

#[test]
fn the_bottom_layers_name_nothing_above_them() {
    let mut upper = vec!["crate::stack"];
    upper.extend(ABOVE_STACK);
    for layer in ["yaml", "cfn", "compose", "xkeys", "schema"] {
        assert_eq!(violations(layer, &upper), Vec::<String>::new(), "{layer}");
    }
}

#[test]
fn the_stack_model_names_no_emitter() {
    assert_eq!(violations("stack", ABOVE_STACK), Vec::<String>::new());
}

#[test]
fn emit_never_names_the_modules() {
    let found = violations("emit", &["modules", "crate::pipeline", "crate::registry"]);
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn modules_never_name_the_family_emitter() {
    let found = violations(
        "modules",
        &["crate::emit", "crate::pipeline", "crate::registry"],
    );
    assert_eq!(found, Vec::<String>::new());
}

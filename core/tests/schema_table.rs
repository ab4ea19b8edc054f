//! The committed schema table is what `make schemas` generates from the pinned cfn-lint's
//! provider schemas (when the venv is there: `make venv`; skipped otherwise).

// This test runs the generator and reads files; the IO ban is for the core itself.
#![allow(clippy::disallowed_methods, clippy::print_stdout)]

use std::path::Path;
use std::process::Command;

#[test]
fn the_committed_table_is_what_make_schemas_generates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = root.join("target/venv/bin/python");
    if !python.exists() {
        println!("schema table: skipped (no target/venv; run `make venv`)");
        return;
    }
    let locate = Command::new(&python)
        .args([
            "-c",
            "import cfnlint, os; print(os.path.dirname(cfnlint.__file__))",
        ])
        .output()
        .expect("python runs");
    assert!(locate.status.success(), "cfn-lint is importable");
    let schemas = Path::new(String::from_utf8_lossy(&locate.stdout).trim()).join("data/schemas");
    let out = std::env::temp_dir().join(format!("composex-schema-table-{}.rs", std::process::id()));
    let status = Command::new(&python)
        .arg(root.join("scripts/schemas.py"))
        .arg(&schemas)
        .arg(&out)
        .status()
        .expect("generator runs");
    assert!(status.success(), "scripts/schemas.py failed");
    let generated = std::fs::read_to_string(&out).expect("generated table");
    let _ = std::fs::remove_file(&out);
    let committed = std::fs::read_to_string(root.join("core/src/schema/table.rs")).expect("table");
    assert!(
        generated == committed,
        "core/src/schema/table.rs is stale: run `make schemas` and commit it"
    );
    println!("schema table: {} bytes, up to date", committed.len());
}

#[test]
fn every_resource_module_names_a_type_of_the_table() {
    // A module gets the Properties check, the JSON Schema and completion by naming its type:
    // the type must be generated (scripts/schemas.py TYPES).
    for def in composex_core::registry::resource_modules() {
        assert!(
            composex_core::schema::resource(def.resource_type).is_some(),
            "{}: {} is not in the schema table; add it to scripts/schemas.py TYPES and run `make schemas`",
            def.key,
            def.resource_type
        );
    }
}

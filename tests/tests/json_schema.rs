//! `composex schema` against a real JSON Schema validator (`jsonschema`, in the venv with the
//! pinned cfn-lint; skipped without it): the schema passes draft 2020-12 meta-validation; every
//! example, module fixture and corpus case that renders without error validates against it;
//! misspelt keys (compose, x-key, Properties, nested) and bad values are refused.

use std::path::{Path, PathBuf};
use std::process::Command;

use composex_core::{Input, Options};
use composex_tests::corpus::{cases, corpus_dir, source_files, workspace_root};

fn renders_clean(files: &[PathBuf]) -> bool {
    let out = composex_core::validate(&Input {
        files: source_files(files),
        options: Options {
            project_name: "test".into(),
            ..Options::default()
        },
        ..Input::default()
    });
    !out.has_errors()
}

/// Corpus files that are not compose files (snippets, other tools' configs), and compose files
/// the schema refuses on purpose.
const NOT_COMPOSE: &[(&str, &str)] = &[
    (
        "prometheus/scrape_config.yaml",
        "a Prometheus configuration",
    ),
    ("ssm/test_yaml", "an SSM parameter's content"),
    (
        "ssm/fixtures/routes.yaml",
        "an SSM parameter's content (x-ssm_parameter MacroParameters.FromFile)",
    ),
    ("resource_sorting/", "snippets of one x-rds resource"),
    (
        "cfn_macro/remote_files.yml",
        "a top-level `Fn::Transform`: compose warns and ignores it; the schema refuses unknown \
         top-level keys as compose-spec's does",
    ),
];

fn yml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            out.push(path);
        }
    }
}

const MISSPELT: &[(&str, &str)] = &[
    ("top-level key", "servics:\n  app:\n    image: nginx\n"),
    ("service key", "services:\n  app:\n    imgae: nginx\n"),
    ("x-resource key", "x-sqs:\n  jobs:\n    Propertes: {}\n"),
    ("property", "x-sqs:\n  jobs:\n    Properties:\n      DelaySecond: 5\n"),
    ("nested property", "x-s3:\n  b:\n    Properties:\n      VersioningConfiguration:\n        Statu: Enabled\n"),
    ("allowed value", "x-dynamodb:\n  t:\n    Properties:\n      BillingMode: PAY_PER_REQUESTS\n"),
    ("kind", "x-sqs:\n  jobs:\n    Properties:\n      DelaySeconds: soon\n"),
    ("access level", "x-sqs:\n  jobs:\n    Services:\n      app:\n        Access: ReadWriteAll\n"),
    ("required nested", "x-dynamodb:\n  t:\n    Properties:\n      AttributeDefinitions:\n        - AttributeName: id\n"),
];

#[test]
fn the_schema_is_valid_and_accepts_what_renders() {
    let root = workspace_root();
    let python = root.join("target/venv/bin/python");
    if !python.exists() {
        println!("json schema: skipped (no target/venv; run `make venv`)");
        return;
    }
    let mut candidates: Vec<Vec<PathBuf>> = Vec::new();
    let mut files = Vec::new();
    yml_files(&root.join("examples"), &mut files);
    yml_files(&root.join("core/src/modules"), &mut files);
    files.retain(|f| {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let path = f.to_string_lossy();
        !name.starts_with("buildspec")
            && !f.components().any(|c| c.as_os_str() == "snapshots")
            && !NOT_COMPOSE.iter().any(|(p, _)| path.contains(p))
    });
    files.sort();
    candidates.extend(files.into_iter().map(|f| vec![f]));
    let mut corpus_cases = 0;
    if let Some(dir) = corpus_dir() {
        for case in cases(&dir) {
            let path = case
                .files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<String>();
            if NOT_COMPOSE.iter().any(|(p, _)| path.contains(p)) {
                continue;
            }
            corpus_cases += 1;
            candidates.push(case.files.clone());
        }
    }
    let mut valid: Vec<String> = Vec::new();
    for files in &candidates {
        if renders_clean(files) {
            valid.extend(files.iter().map(|f| f.display().to_string()));
        }
    }
    valid.sort();
    valid.dedup();
    let work = root.join("target/json-schema-test");
    std::fs::create_dir_all(&work).unwrap();
    let schema = work.join("composex.schema.json");
    std::fs::write(&schema, composex_core::json_schema::text()).unwrap();
    let list = work.join("files.json");
    let todo = serde_json::json!({"valid": valid, "invalid": MISSPELT});
    std::fs::write(&list, todo.to_string()).unwrap();
    let out = Command::new(&python)
        .arg(root.join("tests/schema/check.py"))
        .arg(&schema)
        .arg(&list)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    println!(
        "json schema: {} candidates ({corpus_cases} corpus cases), {} files render clean",
        candidates.len(),
        valid.len()
    );
    assert!(out.status.success(), "JSON Schema check failed");
    assert!(valid.len() > 50, "too few files checked: {}", valid.len());
}

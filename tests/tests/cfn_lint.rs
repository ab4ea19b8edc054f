// Tests read fixtures and run tools: the no-IO rule of clippy.toml is for the core.
#![allow(clippy::disallowed_methods)]

//! The cfn-lint gate: every template we render (our fixtures, and every corpus case whose `x-*`
//! keys are all implemented) passes the pinned cfn-lint with no error and no warning, except
//! W3002 (local TemplateURL) on a nested root, and findings listed in VERBATIM (values the user
//! wrote verbatim, e.g. raw `Properties`). cfn-lint runs once over all templates.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use composex_core::{Format, Input, Layout, Options, SourceFile};
use composex_tests::cfn_lint::{self, by_rule, Finding};
use composex_tests::corpus::{self, corpus_dir, workspace_root, IMPLEMENTED_X_KEYS};

/// (case, rule, why): findings caused by what the input wrote verbatim; listed, not failed.
const VERBATIM: &[(&str, &str, &str)] = &[];

const LAYOUTS: [(Layout, Format, &str); 3] = [
    (Layout::Nested, Format::Yaml, "nested-yaml"),
    (Layout::Nested, Format::Json, "nested-json"),
    (Layout::Single, Format::Yaml, "single-yaml"),
];

struct Rendered {
    case: String,
    nested_root: Option<PathBuf>,
    templates: Vec<PathBuf>,
}

fn render(
    case: &str,
    files: &[PathBuf],
    out: &Path,
    must_render: bool,
    skipped: &mut Vec<String>,
) -> Vec<Rendered> {
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|f| SourceFile {
            name: f.display().to_string(),
            text: std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())),
        })
        .collect();
    let mut rendered = Vec::new();
    for (layout, format, label) in LAYOUTS {
        let input = Input {
            files: sources.clone(),
            env: BTreeMap::new(),
            options: Options {
                project_name: "test".into(),
                format,
                layout,
                params: BTreeMap::new(),
            },
        };
        let output = composex_core::render(&input);
        if !output.has_errors() && output.diagnostics.iter().any(|d| d.code == "CX391") {
            // Nothing to deploy yet (e.g. an existing VPC and cluster while services are not rendered).
            skipped.push(format!("{case}: nothing to deploy (CX391)"));
            return Vec::new();
        }
        if output.has_errors() || output.files.is_empty() {
            let why: Vec<String> = output
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            assert!(!must_render, "{case} ({label}) did not render: {why:?}");
            skipped.push(format!(
                "{case}: {}",
                why.first().map(String::as_str).unwrap_or("no files")
            ));
            return Vec::new();
        }
        let dir = out.join(case).join(label);
        let ext = if format == Format::Json {
            ".json"
        } else {
            ".yaml"
        };
        let mut templates = Vec::new();
        for file in &output.files {
            let path = cfn_lint::write(&dir, &file.path, &file.text);
            let parameter_file =
                file.path.ends_with(".params.json") || file.path.ends_with(".config.json");
            if file.path.ends_with(ext) && !parameter_file {
                templates.push(path);
            }
        }
        let nested_root = (layout == Layout::Nested).then(|| dir.join(format!("test{ext}")));
        rendered.push(Rendered {
            case: case.to_string(),
            nested_root,
            templates,
        });
    }
    rendered
}

/// Needs the venv: run by `make corpus-lint` (part of `make test`).
#[test]
#[ignore = "needs target/venv (make venv); run by `make corpus-lint`"]
fn rendered_templates_pass_cfn_lint() {
    if let Err(message) = cfn_lint::cfn_lint_binary() {
        panic!("{message}");
    }
    let out = workspace_root().join("target/cfn-lint");
    let _ = std::fs::remove_dir_all(&out);
    let mut skipped = Vec::new();
    let mut rendered = Vec::new();

    let fixtures = workspace_root().join("tests/fixtures/cfn");
    let mut fixture_files: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("tests/fixtures/cfn")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    fixture_files.sort();
    for f in &fixture_files {
        let name = format!(
            "fixture.{}",
            f.file_stem().unwrap_or_default().to_string_lossy()
        );
        rendered.extend(render(
            &name,
            std::slice::from_ref(f),
            &out,
            true,
            &mut skipped,
        ));
    }
    let fixtures_count = fixture_files.len();

    let mut corpus_count = 0;
    match corpus_dir() {
        None => println!("corpus: skipped (not present)"),
        Some(dir) => {
            for case in corpus::cases(&dir).iter().filter(|c| c.expects_ok()) {
                let used: Vec<String> = case
                    .files
                    .iter()
                    .flat_map(|f| corpus::x_keys(&std::fs::read_to_string(f).unwrap_or_default()))
                    .filter(|k| !IMPLEMENTED_X_KEYS.contains(&k.as_str()))
                    .collect();
                if !used.is_empty() {
                    continue;
                }
                let before = rendered.len();
                // Feature rows (`ok`) must render; inferred ones (`unref:ok?`) may fail and are listed.
                let must_render = case.expectation == "ok";
                rendered.extend(render(
                    &case.slug,
                    &case.files,
                    &out,
                    must_render,
                    &mut skipped,
                ));
                corpus_count += usize::from(rendered.len() > before);
            }
        }
    }

    let templates: Vec<PathBuf> = rendered
        .iter()
        .flat_map(|r| r.templates.iter().cloned())
        .collect();
    let findings = cfn_lint::run(&templates).unwrap_or_else(|e| panic!("{e}"));
    let case_of = |f: &Finding| {
        rendered
            .iter()
            .find(|r| r.templates.contains(&f.file))
            .map(|r| r.case.clone())
            .unwrap_or_default()
    };
    let is_nested_root = |f: &Finding| {
        rendered
            .iter()
            .any(|r| r.nested_root.as_ref() == Some(&f.file))
    };

    let mut excused = Vec::new();
    let mut failures = Vec::new();
    for f in findings.iter().filter(|f| f.level != "Informational") {
        let case = case_of(f);
        if f.rule == "W3002" && is_nested_root(f) {
            excused.push(f);
        } else if let Some((_, _, why)) =
            VERBATIM.iter().find(|(c, r, _)| *c == case && *r == f.rule)
        {
            println!("verbatim: {case} {} ({why}): {}", f.rule, f.message);
            excused.push(f);
        } else {
            failures.push(f);
        }
    }
    println!(
        "cfn-lint: {} fixtures + {corpus_count} corpus cases, {} templates, {} findings ({} excused), {} skipped",
        fixtures_count,
        templates.len(),
        findings.len(),
        excused.len(),
        skipped.len()
    );
    for (rule, n) in by_rule(&findings.iter().collect::<Vec<_>>()) {
        println!("  {rule}: {n}");
    }
    for s in &skipped {
        println!("skipped: {s}");
    }
    for f in &failures {
        println!(
            "{} {} {}:{} {} — {}",
            f.rule,
            case_of(f),
            f.file.display(),
            f.line,
            f.path,
            f.message
        );
    }
    assert!(
        failures.is_empty(),
        "{} cfn-lint errors/warnings (listed above)",
        failures.len()
    );
    assert!(!templates.is_empty());
}

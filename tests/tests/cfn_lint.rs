// Tests read fixtures and run tools: the no-IO rule of clippy.toml is for the core.
#![allow(clippy::disallowed_methods)]

//! The cfn-lint gate: every template we render (our fixtures, and every corpus case whose `x-*`
//! keys are all implemented) passes the pinned cfn-lint with no error and no warning, except
//! W3002 (local TemplateURL) on a nested root, and findings listed in VERBATIM (values the user
//! wrote verbatim, e.g. raw `Properties`). cfn-lint runs once, over each distinct template text
//! (cases sharing a base file render many identical templates); findings count for every copy.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use composex_core::{Format, Input, Layout, Options};
use composex_tests::cfn_lint::{self, by_rule, Finding};
use composex_tests::corpus::{self, corpus_dir, source_files, workspace_root, IMPLEMENTED_X_KEYS};

/// (case, rule, why): findings caused by what the input wrote verbatim; listed, not failed.
const VERBATIM: &[(&str, &str, &str)] = &[
    // `KMSMasterKeyID: aws/s3` (not a key ARN, id or alias: alias/aws/s3 is) and the legacy
    // `AccessControl`, both written under x-s3 Properties.
    (
        "s3.full_s3_bucket_properties",
        "E3017",
        "KMSMasterKeyID: aws/s3",
    ),
    (
        "s3.full_s3_bucket_properties",
        "E1157",
        "KMSMasterKeyID: aws/s3",
    ),
    (
        "s3.full_s3_bucket_properties",
        "E1162",
        "KMSMasterKeyID: aws/s3",
    ),
    (
        "s3.full_s3_bucket_properties",
        "E1164",
        "KMSMasterKeyID: aws/s3",
    ),
    (
        "s3.full_s3_bucket_properties",
        "W3045",
        "AccessControl: BucketOwnerFullControl",
    ),
    (
        "s3.bucket_with_notifications",
        "E3017",
        "KMSMasterKeyID: aws/s3",
    ),
    (
        "s3.bucket_with_notifications",
        "E1157",
        "KMSMasterKeyID: aws/s3",
    ),
    (
        "s3.bucket_with_notifications",
        "E1162",
        "KMSMasterKeyID: aws/s3",
    ),
    (
        "s3.bucket_with_notifications",
        "E1164",
        "KMSMasterKeyID: aws/s3",
    ),
    (
        "s3.bucket_with_notifications",
        "W3045",
        "AccessControl: BucketOwnerFullControl",
    ),
    // An x-aws-role policy statement written with the typo `Resource"` (a warning tells the user).
    (
        "ecs_plugin_support.blog.features.x",
        "E3510",
        "x-aws-role statement key `Resource\"` as written",
    ),
];

/// Feature rows (`ok` in cases.tsv) that do not render here, each for a stated reason.
const NOT_RENDERED: &[(&str, &str)] = &[
    ("elbv2.create_acm_parameters", "Redirect `TEA_POT` is not an ELBv2 redirect (composex knows HTTP_TO_HTTPS)"),
    ("elbv2.create_only_target_groups", "x-elbv2 `TargetGroups` is not supported yet (CX351)"),
    ("firehose.create_only", "a quoted scalar with under-indented continuation lines: YAML 1.2 rejects it, PyYAML accepts it"),
    ("s3.simple_s3_bucket", "`${!ARN}` is invalid compose interpolation (compose-go rejects it too); `$${!ARN}` renders"),
    ("s3.simple_s3_bucket_with_kms", "`${!ARN}` is invalid compose interpolation, as in s3.simple_s3_bucket"),
];

/// Our fixtures: every layout and format.
const FIXTURE_LAYOUTS: &[(Layout, Format, &str)] = &[
    (Layout::Nested, Format::Yaml, "nested-yaml"),
    (Layout::Nested, Format::Json, "nested-json"),
    (Layout::Single, Format::Yaml, "single-yaml"),
];
/// Corpus cases: both layouts (JSON is the same template in another syntax).
const CORPUS_LAYOUTS: &[(Layout, Format, &str)] = &[
    (Layout::Nested, Format::Yaml, "nested-yaml"),
    (Layout::Single, Format::Yaml, "single-yaml"),
];

/// One rendered template file.
struct Template {
    case: String,
    path: PathBuf,
    nested_root: bool,
    text: String,
}

/// Renders `files` in each layout into `out/<case>/<layout>/`; returns the templates, or none
/// (noted in `skipped`) when the case does not render.
fn render(
    case: &str,
    files: &[PathBuf],
    layouts: &[(Layout, Format, &str)],
    out: &Path,
    must_render: bool,
    skipped: &mut Vec<String>,
) -> Vec<Template> {
    let sources = source_files(files);
    let mut templates = Vec::new();
    for &(layout, format, label) in layouts {
        let input = Input {
            files: sources.clone(),
            env: BTreeMap::new(),
            options: Options {
                project_name: "test".into(),
                format,
                layout,
                params: BTreeMap::new(),
                ..Options::default()
            },
            ..Input::default()
        };
        let output = composex_core::render(&input);
        if !output.has_errors() && output.diagnostics.iter().any(|d| d.code == "CX391") {
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
            let first = why.first().map(String::as_str).unwrap_or("no files");
            skipped.push(format!("{case}: {first}"));
            return Vec::new();
        }
        let dir = out.join(case).join(label);
        let ext = if format == Format::Json {
            ".json"
        } else {
            ".yaml"
        };
        for file in &output.files {
            let path = cfn_lint::write(&dir, &file.path, &file.text);
            let parameter_file =
                file.path.ends_with(".params.json") || file.path.ends_with(".config.json");
            if file.path.ends_with(ext) && !parameter_file {
                templates.push(Template {
                    case: case.to_string(),
                    nested_root: layout == Layout::Nested && file.path == format!("test{ext}"),
                    path,
                    text: file.text.clone(),
                });
            }
        }
    }
    templates
}

fn fixtures() -> Vec<PathBuf> {
    // Our own fixtures: the shared ones and each module's.
    let dirs = [
        "tests/fixtures/cfn",
        // Plain compose files (issue 12); the deliberately invalid ones sit in plain/invalid.
        "tests/fixtures/plain",
        "core/src/modules/elbv2/fixtures",
        "core/src/modules/sqs/fixtures",
        "core/src/modules/sns/fixtures",
        "core/src/modules/dynamodb/fixtures",
        "core/src/modules/s3/fixtures",
        "core/src/modules/kms/fixtures",
    ];
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|dir| {
            std::fs::read_dir(workspace_root().join(dir)).unwrap_or_else(|e| panic!("{dir}: {e}"))
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    files.sort();
    files
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
    let mut templates = Vec::new();

    let fixture_files = fixtures();
    for f in &fixture_files {
        let name = format!(
            "fixture.{}",
            f.file_stem().unwrap_or_default().to_string_lossy()
        );
        let one = std::slice::from_ref(f);
        templates.extend(render(
            &name,
            one,
            FIXTURE_LAYOUTS,
            &out,
            true,
            &mut skipped,
        ));
    }

    let mut corpus_cases = 0;
    match corpus_dir() {
        None => println!("corpus: skipped (not present)"),
        Some(dir) => {
            for case in corpus::cases(&dir).iter().filter(|c| c.expects_ok()) {
                let implemented = case.files.iter().all(|f| {
                    let text = std::fs::read_to_string(f).unwrap_or_default();
                    corpus::x_keys(&text)
                        .iter()
                        .all(|k| IMPLEMENTED_X_KEYS.contains(&k.as_str()))
                });
                if !implemented {
                    continue;
                }
                // Feature rows (`ok`) must render; inferred ones (`unref:ok?`) may fail and are listed.
                let known = NOT_RENDERED.iter().find(|(slug, _)| *slug == case.slug);
                if let Some((slug, why)) = known {
                    println!("not rendered (known): {slug}: {why}");
                }
                let must_render = case.expectation == "ok" && known.is_none();
                let rendered = render(
                    &case.slug,
                    &case.files,
                    CORPUS_LAYOUTS,
                    &out,
                    must_render,
                    &mut skipped,
                );
                corpus_cases += usize::from(!rendered.is_empty());
                templates.extend(rendered);
            }
        }
    }

    // One cfn-lint run over each distinct text; a finding applies to every copy of that text.
    let mut distinct: BTreeMap<&str, &Path> = BTreeMap::new();
    for t in &templates {
        distinct.entry(t.text.as_str()).or_insert(t.path.as_path());
    }
    let to_lint: Vec<PathBuf> = distinct.values().map(|p| p.to_path_buf()).collect();
    let findings = cfn_lint::run(&to_lint).unwrap_or_else(|e| panic!("{e}"));
    let copies = |f: &Finding| -> Vec<&Template> {
        let text = templates
            .iter()
            .find(|t| t.path == f.file)
            .map(|t| t.text.as_str());
        templates
            .iter()
            .filter(|t| Some(t.text.as_str()) == text)
            .collect()
    };

    let mut all = Vec::new();
    let mut excused = 0;
    let mut failures = Vec::new();
    for f in findings.iter().filter(|f| f.level != "Informational") {
        for copy in copies(f) {
            all.push(f);
            if f.rule == "W3002" && copy.nested_root {
                excused += 1;
            } else if let Some((_, _, why)) = VERBATIM
                .iter()
                .find(|(c, r, _)| *c == copy.case && *r == f.rule)
            {
                println!("verbatim: {} {} ({why}): {}", copy.case, f.rule, f.message);
                excused += 1;
            } else {
                failures.push((copy, f));
            }
        }
    }
    println!(
        "cfn-lint: {} fixtures + {corpus_cases} corpus cases, {} templates ({} distinct texts linted), {} findings ({excused} excused), {} skipped",
        fixture_files.len(),
        templates.len(),
        to_lint.len(),
        all.len(),
        skipped.len()
    );
    for (rule, n) in by_rule(&all) {
        println!("  {rule}: {n}");
    }
    for s in &skipped {
        println!("skipped: {s}");
    }
    for (copy, f) in &failures {
        println!(
            "{} {} {}:{} {} — {}",
            f.rule,
            copy.case,
            copy.path.display(),
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

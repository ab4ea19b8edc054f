//! ECS ComposeX's FireLens corpus rows (services with `logging.driver: awsfirelens` or
//! `x-logging.FireLens`) rendered, with counts printed per feature; the ignored test runs
//! cfn-lint and checkov over them.
//!
//! `firelens.advanced_firehose.test_advanced_firehose` lists `ad-hoc-testing` under an
//! x-kinesis_firehose `Services`, a name the file does not define: ComposeX skips such a name
//! silently (`set_services_targets_from_dict` has no branch for it), composex refuses it at the
//! name (CX304, the corpus load test's excusal). Here the entry is removed in memory, as ComposeX
//! ignores it, so the rest of the row is judged. Its `web` service also carries the deploy label
//! `ecs.compute.platform: EXTERNAL` (ECS Anywhere, on a looked-up cluster), which composex refuses
//! at the label (CX651: it renders Fargate and EC2 capacity only); the label is removed in memory
//! too, so the FireLens part is judged on Fargate. The corpus is read in place, never copied.

// This workspace test reads the corpus from disk; the IO ban is for the core.
#![allow(clippy::disallowed_methods)]

use std::path::PathBuf;

use composex_core::{render, Diagnostic, Format, Input, Layout, Options, OutputFile, Severity};
use composex_tests::corpus::{add_named_files, cases, corpus_dir, source_files};
use serde_json::Value;

const UNDEFINED_TARGET: &str = "    Services:\n      ad-hoc-testing:\n        Access: Producer\n";
const EXTERNAL_LABEL: &str = "    deploy:\n      labels:\n        ecs.compute.platform: EXTERNAL\n";

fn firelens_rows() -> Vec<(String, Vec<PathBuf>)> {
    let Some(dir) = corpus_dir() else {
        return Vec::new();
    };
    cases(&dir)
        .into_iter()
        .filter(|c| c.expects_ok())
        .filter(|c| {
            c.files.iter().any(|f| {
                let text = std::fs::read_to_string(f).unwrap_or_default();
                text.contains("awsfirelens") || text.contains("FireLens:")
            })
        })
        .map(|c| (c.slug, c.files))
        .collect()
}

fn render_row(files: &[PathBuf]) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut sources = source_files(files);
    for source in &mut sources {
        source.text = source
            .text
            .replace(UNDEFINED_TARGET, "")
            .replace(EXTERNAL_LABEL, "");
    }
    let mut input = Input {
        files: sources,
        options: Options {
            project_name: "test".into(),
            format: Format::Json,
            layout: Layout::Single,
            ..Options::default()
        },
        ..Input::default()
    };
    add_named_files(&mut input, files);
    let out = render(&input);
    (out.files, out.diagnostics)
}

fn task_containers(files: &[OutputFile]) -> Vec<Value> {
    let mut out = Vec::new();
    for f in files.iter().filter(|f| f.path.ends_with(".json")) {
        let Ok(t) = serde_json::from_str::<Value>(&f.text) else {
            continue;
        };
        for r in t["Resources"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
        {
            if r["Type"] == "AWS::ECS::TaskDefinition" {
                out.extend(
                    r["Properties"]["ContainerDefinitions"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default(),
                );
            }
        }
    }
    out
}

#[test]
fn firelens_rows_render_with_a_router_per_family() {
    let rows = firelens_rows();
    if rows.is_empty() {
        println!("corpus: skipped (not present)");
        return;
    }
    for (slug, files) in &rows {
        let (out, diags) = render_row(files);
        let errors: Vec<&Diagnostic> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{slug}: {errors:#?}");
        let containers = task_containers(&out);
        let routers = containers
            .iter()
            .filter(|c| c["Name"] == "log_router")
            .count();
        let firelens = containers
            .iter()
            .filter(|c| c["LogConfiguration"]["LogDriver"] == "awsfirelens")
            .collect::<Vec<_>>();
        let output = |name: &str| {
            firelens
                .iter()
                .filter(|c| c["LogConfiguration"]["Options"]["Name"] == name)
                .count()
        };
        let extra_files = containers
            .iter()
            .filter(|c| c["Name"] == "log_router" && c.get("MountPoints").is_some())
            .count();
        let stream_policies = out
            .iter()
            .map(|f| f.text.matches("\"FireLensStreams\"").count())
            .sum::<usize>();
        println!(
            "firelens {slug}: {routers} log routers, {} containers on awsfirelens (cloudwatch {}, kinesis_firehose {}), {extra_files} extra config files, {stream_policies} task role stream policies",
            firelens.len(),
            output("cloudwatch"),
            output("kinesis_firehose"),
        );
        assert!(routers > 0, "{slug}: no log router");
        assert!(firelens.iter().all(|c| c["DependsOn"]
            .as_array()
            .is_some_and(|d| d.iter().any(|x| x["ContainerName"] == "log_router"))));
    }
    println!("firelens rows: {} rendered", rows.len());
}

/// cfn-lint (no finding but the row's own legacy S3 `AccessControl`) and checkov (0 failed) over
/// the templates of `out`.
fn gate(root: &std::path::Path, slug: &str, out: &[OutputFile]) {
    let dir = root.join(slug);
    let mut templates = Vec::new();
    for f in out.iter().filter(|f| f.path.ends_with(".json")) {
        let path = composex_tests::cfn_lint::write(&dir, &f.path, &f.text);
        if !f.path.ends_with(".params.json") && !f.path.ends_with(".config.json") {
            templates.push(path);
        }
    }
    let findings = composex_tests::cfn_lint::run(&templates).expect("cfn-lint");
    // W3045: the row's own legacy S3 `AccessControl`, which composex warns about (CX505).
    let findings: Vec<_> = findings.into_iter().filter(|f| f.rule != "W3045").collect();
    assert!(findings.is_empty(), "{slug}: {findings:#?}");
    let report = composex_tests::checkov::run(&dir).expect("checkov");
    println!(
        "firelens {slug}: cfn-lint 0 findings over {} templates; checkov {} passed, {} failed",
        templates.len(),
        report.passed,
        report.failed.len()
    );
    assert!(report.failed.is_empty(), "{slug}: {:#?}", report.failed);
}

#[test]
#[ignore = "runs cfn-lint and checkov (slow)"]
fn firelens_rows_and_the_fixture_pass_cfn_lint_and_checkov() {
    let root = std::env::temp_dir().join(format!("composex-firelens-{}", std::process::id()));
    let fixture = composex_tests::corpus::workspace_root().join("core/tests/firelens/streams.yml");
    let (out, diags) = render_row(std::slice::from_ref(&fixture));
    assert!(
        diags.iter().all(|d| d.severity != Severity::Error),
        "{diags:#?}"
    );
    gate(&root, "fixture-streams", &out);
    for (slug, files) in &firelens_rows() {
        let (out, _) = render_row(files);
        gate(&root, slug, &out);
    }
    let _ = std::fs::remove_dir_all(&root);
}

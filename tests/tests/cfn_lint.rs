// Tests read fixtures and run tools: the no-IO rule of clippy.toml is for the core.
#![allow(clippy::disallowed_methods)]

//! The cfn-lint gate: every template we render (our fixtures, every example alone and with each
//! of its override files, and every corpus case whose `x-*` keys are all implemented) passes the
//! pinned cfn-lint with no error and no warning, except W3002 (local TemplateURL) on a nested
//! root, and findings listed in VERBATIM (values the user wrote verbatim, e.g. raw `Properties`).
//! cfn-lint runs once, over each distinct template text (cases sharing a base file render many
//! identical templates); findings count for every copy. It prints the cases run, rendered and
//! linted, the findings excused and the cases skipped, each by reason; every listed excusal must
//! still occur.
//!
//! The checkov gate runs over the same templates: 0 failed checks, and every suppression in a
//! resource's `Metadata.checkov.skip` carries a specific reason.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use composex_core::{Format, Input, Layout, Options};
use composex_tests::cfn_lint::{self, by_rule, Finding};
use composex_tests::checkov;
use composex_tests::corpus::{self, corpus_dir, source_files, workspace_root, IMPLEMENTED_X_KEYS};
use composex_tests::excuse::{excusal, Excusal, Ledger};

const KMS_KEY_ID: &str =
    "KMSMasterKeyID: aws/s3 is no key ARN, id or alias (alias/aws/s3 is): refused at its line \
     (cfn-lint gave E1157, E1162, E1164 and E3017 on the template before the Properties check)";
const ACCESS_CONTROL: &str =
    "AccessControl: BucketOwnerFullControl (a legacy property), written under x-s3 Properties";
const AURORA_CLASS: &str =
    "x-rds MacroParameters.Instances DBInstanceClass: db.m5a.large, a class Aurora offers in no \
     region: refused at its value (cfn-lint gave E3025 on the template before the class check)";
const RESOURCE_TYPO: &str =
    "an x-aws-role policy statement written with the typo `Resource\"` (a warning tells the user)";

/// Findings caused by what the input wrote verbatim: (case, rule, text of the finding's path or
/// message, why). Listed, counted, and each must still occur.
const VERBATIM: &[Excusal] = &[
    excusal(
        "codeguru.top_level",
        "E3031",
        "SOME_SNS_TOPIC_ARN",
        "AnomalyDetectionNotificationConfiguration channelUri: SOME_SNS_TOPIC_ARN is a placeholder, \
         no SNS topic ARN",
    ),
    excusal(
        "rds.rds_with_iam_access",
        "W3045",
        "AccessControl",
        ACCESS_CONTROL,
    ),
    excusal(
        "ecs_plugin_support.blog.features.x",
        "E3510",
        "'Resource\"' was unexpected",
        RESOURCE_TYPO,
    ),
    excusal(
        "ecs_plugin_support.blog.features.x",
        "E3510",
        "Only one of ['Resource', 'NotResource']",
        RESOURCE_TYPO,
    ),
];

/// Feature rows (`ok` in cases.tsv) that do not render here: (case, code, text of the message,
/// why). Each must still fail so.
const NOT_RENDERED: &[Excusal] = &[
    excusal(
        "rds.rds_cluster_multi_instances",
        "CX506",
        "db.m5a.large",
        AURORA_CLASS,
    ),
    excusal(
        "s3.full_s3_bucket_properties",
        "CX503",
        "`aws/s3` is not a KMS key ARN",
        KMS_KEY_ID,
    ),
    excusal(
        "s3.bucket_with_notifications",
        "CX503",
        "`aws/s3` is not a KMS key ARN",
        KMS_KEY_ID,
    ),
    excusal(
        "elbv2.create_only_target_groups",
        "CX344",
        "does not expose port 5000",
        "its target groups register `rproxy` on port 5000 (`Services[].Port`, the port ComposeX's \
         docs say traffic goes to), which it does not expose (80 only): ECS would refuse the \
         service (ComposeX's code registers the group's own Port instead); with Port 80 the row \
         renders",
    ),
    excusal(
        "firelens.advanced_firehose.test_advanced_firehose",
        "CX304",
        "ad-hoc-testing",
        "x-kinesis_firehose Services names `ad-hoc-testing`, which this file does not define \
         (ComposeX skips unknown names silently; composex reports them at the name)",
    ),
    excusal(
        "firehose.create_only",
        "CX100",
        "quoted scalar",
        "a quoted scalar with under-indented continuation lines: YAML 1.2 rejects it, PyYAML accepts it",
    ),
    excusal(
        "s3.simple_s3_bucket",
        "CX200",
        "${!ARN}",
        "`${!ARN}` is invalid compose interpolation (compose-go rejects it too); `$${!ARN}` renders",
    ),
    excusal(
        "s3.simple_s3_bucket_with_kms",
        "CX200",
        "${!ARN}",
        "`${!ARN}` is invalid compose interpolation (compose-go rejects it too); `$${!ARN}` renders",
    ),
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

/// Why a case gave no template (the key its skips are counted under).
enum Rendered {
    Templates(Vec<Template>),
    Skipped(String),
}

/// Renders `files` in each layout into `out/<case>/<layout>/`. A case that must render fails the
/// test when it does not, unless every error is listed in `not_rendered`.
fn render(
    case: &str,
    files: &[PathBuf],
    layouts: &[(Layout, Format, &str)],
    out: &Path,
    must_render: bool,
    not_rendered: &mut Ledger,
) -> Rendered {
    let sources = source_files(files);
    let mut templates = Vec::new();
    for &(layout, format, label) in layouts {
        let mut input = Input {
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
        corpus::add_named_files(&mut input, files);
        let output = composex_core::render(&input);
        if !output.has_errors() && output.diagnostics.iter().any(|d| d.code == "CX391") {
            return Rendered::Skipped("nothing to deploy (CX391)".into());
        }
        if output.has_errors() || output.files.is_empty() {
            let errors: Vec<_> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
            let why: Vec<String> = errors
                .iter()
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            if must_render {
                let all_listed = !errors.is_empty()
                    && errors
                        .iter()
                        .all(|d| not_rendered.excuse(case, d.code, &[&d.message]).is_some());
                assert!(all_listed, "{case} ({label}) did not render: {why:?}");
                return Rendered::Skipped("listed in NOT_RENDERED".into());
            }
            let code = errors.first().map_or("no files", |d| d.code);
            return Rendered::Skipped(format!("inferred ok row (unref:ok?) that gives {code}"));
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
    Rendered::Templates(templates)
}

fn yml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    files.sort();
    files
}

/// Our own fixtures: the shared ones, the ECS one, the stages' examples and every module's
/// (`core/src/modules/*/fixtures`).
fn fixtures() -> Vec<PathBuf> {
    let root = workspace_root();
    let modules = root.join("core/src/modules");
    let mut dirs = vec![
        root.join("tests/fixtures/cfn"),
        root.join("tests/fixtures/ecs"),
        // Plain compose files; the deliberately invalid ones sit in plain/invalid (not read).
        root.join("tests/fixtures/plain"),
        // The registry's examples of the keys pipeline stages render (x-vpc, x-aws-*, ...).
        root.join("core/src/emit/examples"),
    ];
    let mut module_dirs: Vec<PathBuf> = std::fs::read_dir(&modules)
        .unwrap_or_else(|e| panic!("{}: {e}", modules.display()))
        .filter_map(|e| e.ok().map(|e| e.path().join("fixtures")))
        .filter(|d| d.is_dir())
        .collect();
    module_dirs.sort();
    dirs.extend(module_dirs);
    dirs.iter().flat_map(|dir| yml_files(dir)).collect()
}

/// Every example (`examples/<name>/docker-compose.yml`), alone and with each override file
/// next to it (the seed's `existing-env.yml`): (case name, files). Examples that show errors on
/// purpose (their `examples/menu.json` entry lists one) are left out: they must not render.
fn examples() -> Vec<(String, Vec<PathBuf>)> {
    let root = workspace_root().join("examples");
    let menu: serde_json::Value = std::fs::read_to_string(root.join("menu.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let shows_errors = |name: &str| {
        menu[name]["diagnostics"].as_array().is_some_and(|d| {
            d.iter()
                .any(|d| d.as_str().is_some_and(|d| d.starts_with("error")))
        })
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("docker-compose.yml").is_file())
        .filter(|p| !shows_errors(&p.file_name().unwrap_or_default().to_string_lossy()))
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for dir in dirs {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let base = dir.join("docker-compose.yml");
        out.push((format!("example.{name}"), vec![base.clone()]));
        for over in yml_files(&dir).into_iter().filter(|f| *f != base) {
            let stem = over.file_stem().unwrap_or_default().to_string_lossy();
            out.push((format!("example.{name}+{stem}"), vec![base.clone(), over]));
        }
    }
    out
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
    let mut not_rendered = Ledger::new("NOT_RENDERED", NOT_RENDERED);
    // Skipped cases by reason, and the cases per reason.
    let mut skipped: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut templates = Vec::new();
    let (mut run, mut rendered) = (0, 0);

    // Ours (fixtures and examples) must render, in every layout and format.
    let mut ours: Vec<(String, Vec<PathBuf>)> = fixtures()
        .into_iter()
        .map(|f| {
            let stem = f
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            (format!("fixture.{stem}"), vec![f])
        })
        .collect();
    let fixture_count = ours.len();
    ours.extend(examples());
    let example_count = ours.len() - fixture_count;
    assert!(
        ours.iter().any(|(n, _)| n == "example.seed")
            && ours.iter().any(|(n, _)| n == "example.seed+existing-env")
            && ours.iter().any(|(n, _)| n == "fixture.all-keys"),
        "the seed (both variants) and the ECS fixture are linted"
    );
    for (name, files) in &ours {
        run += 1;
        match render(name, files, FIXTURE_LAYOUTS, &out, true, &mut not_rendered) {
            Rendered::Templates(t) => {
                rendered += 1;
                templates.extend(t);
            }
            Rendered::Skipped(why) => skipped.entry(why).or_default().push(name.clone()),
        }
    }

    let corpus_present = corpus_dir().is_some();
    let mut corpus_run = 0;
    match corpus_dir() {
        None => println!("corpus: skipped (not present)"),
        Some(dir) => {
            for case in corpus::cases(&dir).iter().filter(|c| c.expects_ok()) {
                corpus_run += 1;
                run += 1;
                let mut missing: Vec<String> = case
                    .files
                    .iter()
                    .flat_map(|f| corpus::x_keys(&std::fs::read_to_string(f).unwrap_or_default()))
                    .filter(|k| !IMPLEMENTED_X_KEYS.contains(&k.as_str()))
                    .collect();
                missing.sort();
                missing.dedup();
                if !missing.is_empty() {
                    let why = format!("x-key not implemented: {}", missing.join(", "));
                    skipped.entry(why).or_default().push(case.slug.clone());
                    continue;
                }
                // Feature rows (`ok`) must render (or be listed); inferred ones (`unref:ok?`) may
                // fail and are counted.
                let must_render = case.expectation == "ok";
                match render(
                    &case.slug,
                    &case.files,
                    CORPUS_LAYOUTS,
                    &out,
                    must_render,
                    &mut not_rendered,
                ) {
                    Rendered::Templates(t) => {
                        rendered += 1;
                        templates.extend(t);
                    }
                    Rendered::Skipped(why) => {
                        skipped.entry(why).or_default().push(case.slug.clone())
                    }
                }
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

    let mut verbatim = Ledger::new("VERBATIM", VERBATIM);
    let mut all = Vec::new();
    let mut nested_roots = 0;
    let mut failures = Vec::new();
    for f in findings.iter().filter(|f| f.level != "Informational") {
        for copy in copies(f) {
            all.push(f);
            if f.rule == "W3002" && copy.nested_root {
                nested_roots += 1;
            } else if verbatim
                .excuse(&copy.case, &f.rule, &[&f.path, &f.message])
                .is_none()
            {
                failures.push((copy, f));
            }
        }
    }
    let linted: std::collections::BTreeSet<&str> =
        templates.iter().map(|t| t.case.as_str()).collect();
    println!(
        "cfn-lint gate: {run} cases run ({fixture_count} fixtures, {example_count} examples, {corpus_run} corpus ok rows), {rendered} rendered, {} linted ({} templates, {} distinct texts)",
        linted.len(),
        templates.len(),
        to_lint.len(),
    );
    println!(
        "cfn-lint gate: {} findings, {} excused, {} failing",
        all.len(),
        nested_roots + verbatim.total(),
        failures.len()
    );
    println!(
        "cfn-lint gate: {nested_roots:>4} excused: W3002 local TemplateURL on the nested root"
    );
    verbatim.print("cfn-lint gate");
    not_rendered.print("cfn-lint gate not rendered");
    let skipped_total: usize = skipped.values().map(Vec::len).sum();
    println!("cfn-lint gate: {skipped_total} skipped");
    for (why, cases) in &skipped {
        println!("cfn-lint gate: {:>4} skipped: {why}", cases.len());
    }
    for (rule, n) in by_rule(&all) {
        println!("  {rule}: {n}");
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
    let checkov_problems = checkov_gate(&templates);
    let mut stale = Vec::new();
    if corpus_present {
        stale.extend(verbatim.stale());
        stale.extend(not_rendered.stale());
    }
    assert!(stale.is_empty(), "stale excusals:\n{}", stale.join("\n"));
    assert!(
        failures.is_empty(),
        "{} cfn-lint errors/warnings (listed above)",
        failures.len()
    );
    assert!(
        checkov_problems == 0,
        "{checkov_problems} checkov failures, parsing errors or weak suppression reasons (listed above)"
    );
    assert!(!templates.is_empty());
}

/// The checkov gate over the same templates: one checkov run over each distinct YAML text (the
/// JSON renders are the same templates in the other syntax), 0 failed; every suppression
/// (`Metadata.checkov.skip`) has a specific reason. Prints the counts; returns the problems.
fn checkov_gate(templates: &[Template]) -> usize {
    if let Err(message) = checkov::checkov_binary() {
        panic!("{message}");
    }
    let dir = workspace_root().join("target/checkov");
    let _ = std::fs::remove_dir_all(&dir);
    let lint_root = workspace_root().join("target/cfn-lint");
    // Distinct texts, each under a name that says where it comes from.
    let mut distinct: BTreeMap<&str, String> = BTreeMap::new();
    for t in templates
        .iter()
        .filter(|t| t.path.extension().is_some_and(|e| e == "yaml"))
    {
        let name = t
            .path
            .strip_prefix(&lint_root)
            .unwrap_or(&t.path)
            .to_string_lossy()
            .replace(['/', '\\'], "__");
        distinct.entry(t.text.as_str()).or_insert(name);
    }
    for (text, name) in &distinct {
        cfn_lint::write(&dir, name, text);
    }
    let report = checkov::run(&dir).unwrap_or_else(|e| panic!("{e}"));
    let weak: Vec<_> = report
        .skipped
        .iter()
        .filter_map(|s| checkov::weak_reason(&s.reason).map(|why| (s, why)))
        .collect();
    println!(
        "checkov gate: {} distinct templates, {} resources: {} passed, {} failed, {} skipped (suppressed with a reason), {} parsing errors",
        distinct.len(),
        report.resources,
        report.passed,
        report.failed.len(),
        report.skipped.len(),
        report.parsing_errors.len()
    );
    let mut by_check: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for s in &report.skipped {
        *by_check.entry((&s.check, &s.title)).or_insert(0) += 1;
    }
    for ((check, title), n) in &by_check {
        println!("checkov gate: {n:>5} skipped {check} {title}");
    }
    for f in &report.failed {
        println!(
            "checkov FAILED {} {} {} — {}",
            f.check, f.file, f.resource, f.title
        );
    }
    for e in &report.parsing_errors {
        println!("checkov parsing error: {e}");
    }
    for (s, why) in &weak {
        println!(
            "checkov suppression with a weak reason ({why}): {} {} {}: {:?}",
            s.check, s.file, s.resource, s.reason
        );
    }
    report.failed.len() + report.parsing_errors.len() + weak.len()
}

//! The x-sqs / x-sns / x-dynamodb / x-s3 / x-kms / x-rds / x-alarms / x-events corpus cases (ECS ComposeX's use-cases, read in
//! place): `ok` rows render with no error and their templates pass cfn-lint with no error and no
//! warning (W3002 on the nested root excepted; findings from values the user wrote verbatim under
//! `Properties` are listed in VERBATIM); the negative SQS rows give located errors. Prints the
//! counts per module.
//!
//! Without the corpus it prints `corpus: skipped (not present)`. The lint half needs the venv
//! (`make venv`) and is `#[ignore]`d like the cfn-lint gate.

// Tests read the corpus and write templates: the IO ban is for the core.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use composex_core::{Input, Options, Output};
use composex_tests::cfn_lint;
use composex_tests::corpus::{cases, corpus_dir, source_files, workspace_root, Case};

const MODULES: &[&str] = &[
    "sqs", "sns", "dynamodb", "s3", "kms", "rds", "docdb", "alarms", "events",
];

/// Negative rows: (case, code of the located diagnostic we give, in the case's own file).
const NEGATIVES: &[(&str, &str)] = &[
    // Nothing in it is wrong for composex but the ComposeX 0.x `x-configs` key, which is ignored
    // with a located warning (its services link no queue: there is no x-sqs at all).
    ("sqs.negative-testing.no_queues", "CX372"),
    // deadLetterTargetArn: undefined -> "x-sqs has no resource `undefined`".
    ("sqs.negative-testing.wrong_dlq", "CX363"),
    // Subscription Endpoint: unknown (Protocol sqs) -> neither x-sqs::<queue> nor an ARN.
    ("sqs.negative-testing.wrong_subscription", "CX371"),
    // aurora-mysql EngineVersion "5.7.100": not an Aurora MySQL version.
    ("rds.negative-testing.wrong_engine", "CX380"),
];

/// (case, rule, why): findings from values the user wrote verbatim under `Properties`. Each must
/// still occur (the list cannot go stale).
const VERBATIM: &[(&str, &str, &str)] = &[
    (
        "rds.rds_cluster_multi_instances",
        "E3025",
        "MacroParameters.Instances DBInstanceClass: db.m5a.large, a class Aurora does not offer",
    ),
    (
        "rds.rds_cluster_multi_instances_with_return_values",
        "E3025",
        "MacroParameters.Instances DBInstanceClass: db.m5a.large, a class Aurora does not offer",
    ),
    (
        "rds.rds_with_iam_access",
        "W3045",
        "x-s3 bucket-01 AccessControl: BucketOwnerFullControl is a legacy property",
    ),
    (
        "s3.full_s3_bucket_properties",
        "E3017",
        "KMSMasterKeyID: aws/s3 is no key ARN, id or alias (alias/aws/s3 is)",
    ),
    (
        "s3.full_s3_bucket_properties",
        "W3045",
        "AccessControl: BucketOwnerFullControl is a legacy property",
    ),
    (
        "s3.bucket_with_notifications",
        "E3017",
        "KMSMasterKeyID: aws/s3 is no key ARN, id or alias (alias/aws/s3 is)",
    ),
    (
        "s3.full_s3_bucket_properties",
        "E1157",
        "KMSMasterKeyID: aws/s3 is not a key ARN",
    ),
    (
        "s3.full_s3_bucket_properties",
        "E1162",
        "KMSMasterKeyID: aws/s3 is not a key id",
    ),
    (
        "s3.full_s3_bucket_properties",
        "E1164",
        "KMSMasterKeyID: aws/s3 is not an alias name",
    ),
    (
        "s3.bucket_with_notifications",
        "E1157",
        "KMSMasterKeyID: aws/s3 is not a key ARN",
    ),
    (
        "s3.bucket_with_notifications",
        "E1162",
        "KMSMasterKeyID: aws/s3 is not a key id",
    ),
    (
        "s3.bucket_with_notifications",
        "E1164",
        "KMSMasterKeyID: aws/s3 is not an alias name",
    ),
    (
        "s3.bucket_with_notifications",
        "W3045",
        "AccessControl: BucketOwnerFullControl is a legacy property",
    ),
];

/// Ok rows that fail here on purpose: (case, code, why).
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[
    (
        "s3.simple_s3_bucket",
        "CX200",
        "BucketPolicy Resource `${!ARN}/*` is an invalid interpolation for compose (compose-go rejects it \
         too); written `$${!ARN}/*` it renders",
    ),
    ("s3.simple_s3_bucket_with_kms", "CX200", "the same `${!ARN}` as s3.simple_s3_bucket"),
    (
        "rds.lookup_rds_with_iam_access",
        "CX361",
        "x-s3 bucket-01 `Access: RWObjects`: bucket access is a mapping {bucket, objects} (ComposeX \
         rejects it too: 'RWObjects' is not of type 'object')",
    ),
];

fn module_of(case: &Case) -> Option<&'static str> {
    // Snippets of one x-resource, not compose files (rds/resource_sorting): nothing to render.
    if case.expectation == "unref:non-compose" {
        return None;
    }
    MODULES
        .iter()
        .copied()
        .find(|m| case.slug.starts_with(&format!("{m}.")))
}

/// Codes of the x-resource modules' diagnostics (CX361-CX373): an error with another code comes
/// from another stage, and the case is reported as blocked by it, not failed here.
fn is_module_code(code: &str) -> bool {
    code.strip_prefix("CX3")
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| (61..=73).contains(&n) || (80..=89).contains(&n))
}

fn render(case: &Case) -> Output {
    let input = Input {
        files: source_files(&case.files),
        env: BTreeMap::new(),
        options: Options {
            project_name: "test".into(),
            ..Options::default()
        },
        ..Input::default()
    };
    composex_core::render(&input)
}

struct Rendered {
    case: String,
    module: &'static str,
    root: PathBuf,
    templates: Vec<PathBuf>,
}

fn render_all() -> Option<Vec<Rendered>> {
    let Some(dir) = corpus_dir() else {
        println!("corpus: skipped (not present)");
        return None;
    };
    let out = workspace_root().join("target/modules-corpus");
    let _ = std::fs::remove_dir_all(&out);
    let mut counts: BTreeMap<&str, (usize, usize, usize, usize)> = BTreeMap::new();
    let mut rendered = Vec::new();
    let mut failures = Vec::new();
    for case in cases(&dir) {
        let Some(module) = module_of(&case) else {
            continue;
        };
        let output = render(&case);
        let count = counts.entry(module).or_default();
        count.0 += 1;
        if case.expects_ok() {
            let errors: Vec<String> = output
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| {
                    format!(
                        "{} {} at {:?}",
                        d.code,
                        d.message,
                        d.location.as_ref().map(|l| l.line)
                    )
                })
                .collect();
            let known = KNOWN_DIFFERENCES.iter().find(|(c, _, _)| *c == case.slug);
            if let Some((_, code, why)) = known {
                assert!(
                    output
                        .diagnostics
                        .iter()
                        .any(|d| d.is_error() && d.code == *code),
                    "{} should still give {code}",
                    case.slug
                );
                println!("{}: known difference {code}: {why}", case.slug);
                count.3 += 1;
                continue;
            }
            if errors.is_empty() {
            } else if output
                .diagnostics
                .iter()
                .any(|d| d.is_error() && is_module_code(d.code))
            {
                failures.push(format!("{}: {errors:?}", case.slug));
                continue;
            } else {
                count.3 += 1;
                println!("{}: blocked by another stage: {errors:?}", case.slug);
                continue;
            }
            count.1 += 1;
            let dir = out.join(&case.slug);
            let templates = output
                .files
                .iter()
                .map(|f| cfn_lint::write(&dir, &f.path, &f.text))
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect();
            rendered.push(Rendered {
                case: case.slug.clone(),
                module,
                root: dir.join("test.yaml"),
                templates,
            });
        } else {
            let own_file = case.files.len().saturating_sub(1) as u32;
            let wanted = NEGATIVES
                .iter()
                .find(|(c, _)| *c == case.slug)
                .map(|(_, code)| *code);
            let located = output.diagnostics.iter().any(|d| {
                (d.is_error() || wanted == Some("CX372"))
                    && wanted.is_none_or(|w| d.code == w)
                    && d.span.is_some_and(|s| s.file == own_file)
                    && d.location.is_some()
            });
            if located {
                count.2 += 1;
            } else {
                failures.push(format!(
                    "{}: expected a located error {wanted:?}, got {:?}",
                    case.slug,
                    output
                        .diagnostics
                        .iter()
                        .map(|d| (d.code, &d.message))
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    for (module, (cases, ok, negatives, blocked)) in &counts {
        println!("corpus {module}: {cases} cases, {ok} rendered, {negatives} negative cases with a located diagnostic, {blocked} not rendered (known difference or blocked by another stage)");
    }
    assert!(failures.is_empty(), "{failures:#?}");
    Some(rendered)
}

#[test]
fn module_cases_render_and_negatives_are_located() {
    render_all();
}

/// Our own module fixtures (core/src/modules/*/fixtures) rendered in full, nested.
fn render_fixtures() -> Vec<Rendered> {
    let root = workspace_root();
    let out = root.join("target/modules-corpus/fixtures");
    let mut rendered = Vec::new();
    for module in MODULES {
        let dir = root.join("core/src/modules").join(module).join("fixtures");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yml"))
            .collect();
        files.sort();
        for file in files {
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
            let name = format!("{module}/{stem}");
            let case = Case {
                slug: name.clone(),
                files: vec![file],
                expectation: "ok".into(),
                outcome: String::new(),
            };
            let output = render(&case);
            let errors: Vec<_> = output
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| (d.code, &d.message))
                .collect();
            assert!(errors.is_empty(), "{name}: {errors:?}");
            let dir = out.join(&name);
            let templates = output
                .files
                .iter()
                .map(|f| cfn_lint::write(&dir, &f.path, &f.text))
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect();
            rendered.push(Rendered {
                case: name,
                module,
                root: dir.join("test.yaml"),
                templates,
            });
        }
    }
    rendered
}

/// Needs the venv (make venv).
#[test]
#[ignore = "needs target/venv (make venv)"]
fn module_cases_pass_cfn_lint() {
    let mut rendered = render_all().unwrap_or_default();
    rendered.extend(render_fixtures());
    let templates: Vec<PathBuf> = rendered.iter().flat_map(|r| r.templates.clone()).collect();
    let findings = cfn_lint::run(&templates).unwrap_or_else(|e| panic!("{e}"));
    let mut unexpected = Vec::new();
    let mut per_module: BTreeMap<(&str, &str), (usize, usize, usize)> = BTreeMap::new();
    for r in &rendered {
        let label = if r.case.contains('/') {
            "fixtures"
        } else {
            "corpus"
        };
        let entry = per_module.entry((label, r.module)).or_default();
        entry.0 += 1;
        let mine: Vec<_> = findings
            .iter()
            .filter(|f| r.templates.contains(&f.file))
            .collect();
        let mut listed = 0;
        for f in &mine {
            if f.rule == "W3002" && f.file == r.root {
                continue;
            }
            if VERBATIM
                .iter()
                .any(|(c, rule, _)| *c == r.case && *rule == f.rule)
            {
                listed += 1;
                continue;
            }
            unexpected.push(format!(
                "{} {} {}:{} {} {}",
                r.case,
                f.rule,
                f.file.display(),
                f.line,
                f.path,
                f.message
            ));
        }
        if mine.iter().all(|f| {
            f.rule == "W3002"
                || VERBATIM
                    .iter()
                    .any(|(c, rule, _)| *c == r.case && *rule == f.rule)
        }) {
            entry.1 += 1;
        }
        entry.2 += listed;
    }
    for ((label, module), (cases, clean, listed)) in &per_module {
        println!("cfn-lint {label} {module}: {cases} rendered, {clean} with no finding outside VERBATIM, {listed} VERBATIM findings");
    }
    // Each case listed still has one of its listed findings (cfn-lint reports a bad key id either
    // as E3017 or as E1157/E1162/E1164), so the list cannot go stale.
    // (Only when the corpus is there: without it no corpus case was rendered.)
    let corpus_present = corpus_dir().is_some();
    for (case, _, _) in VERBATIM.iter().filter(|_| corpus_present) {
        let seen = rendered.iter().filter(|r| r.case == *case).any(|r| {
            findings.iter().any(|f| {
                r.templates.contains(&f.file)
                    && VERBATIM
                        .iter()
                        .any(|(c, rule, _)| c == case && *rule == f.rule)
            })
        });
        assert!(
            seen,
            "VERBATIM entries of {case} no longer occur: remove them"
        );
    }
    assert!(
        unexpected.is_empty(),
        "{} findings:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}

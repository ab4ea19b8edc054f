//! Loads every case of ECS ComposeX's corpus (`shared/corpus/composex/cases.tsv`) through
//! the compose loading level, `composex_core::compose::load` (parse, interpolate, merge, normalise,
//! type, validate); what the emitters add is judged by the render and lint tests.
//!
//! - `ok` rows must give no error diagnostic at this level, except the deliberate differences
//!   listed in `KNOWN_DIFFERENCES` (case, code and message text, with the reason; an entry that
//!   no longer occurs fails, and so does any listed case that is no longer a row of the corpus);
//! - negative rows (`error`, and `unref:error?` = ComposeX failed as its test expects, but no test
//!   references the file) that this level can judge must give a located error with the listed code;
//!   the others are printed with the reason this level cannot judge them;
//! - `unref:ok?` and `unref:non-compose` rows are printed for information only.
//!
//! The corpus is read in place and never copied; without it the test prints
//! `corpus: skipped (not present)` and passes.

// This workspace test reads the corpus from disk; the IO ban is for the core.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};

use composex_core::{Input, Options, SourceFile};
use composex_tests::excuse::{excusal, Excusal, Ledger};

/// Ok rows that fail here on purpose: (case, code we give, text of its message, why). Every
/// error of such a row must be listed.
const KNOWN_DIFFERENCES: &[Excusal] = &[
    excusal(
        "s3.simple_s3_bucket",
        "CX200",
        "${!ARN}",
        "`${!ARN}` in a bucket policy: compose-go interpolation rejects it as an invalid template \
         (CloudFormation `${...}` must be written `$${...}`); ComposeX never interpolates it",
    ),
    excusal(
        "s3.simple_s3_bucket_with_kms",
        "CX200",
        "${!ARN}",
        "`${!ARN}` in a bucket policy, as in s3.simple_s3_bucket",
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
        "a multi-line single-quoted scalar whose continuation lines are less indented than its mapping: \
         PyYAML accepts it, YAML 1.2 (saphyr) rejects it",
    ),
];

/// Negative rows this level judges: (case, code of the located error we must give).
const JUDGED_NEGATIVES: &[(&str, &str)] = &[
    ("elbv2.negative-testing.create_only_with_alarms", "CX305"),
    ("elbv2.negative-testing.create_only_with_oidc_01", "CX305"),
    ("elbv2.negative-testing.create_only_with_oidc_02", "CX305"),
    (
        "networking.negative_testing.cloudmap_lookup_with_new_vpc",
        "CX236",
    ),
    (
        "networking.negative_testing.cloudmap_multi_settings",
        "CX236",
    ),
    ("vpc.negative-testing.create-and-lookup", "CX307"),
];

/// Negative rows this level cannot judge, and why.
const NOT_JUDGED: &[(&str, &str)] = &[
    (
        "ecs.negative_testing.services_multi_arch",
        "x-ecs rule (one CPU architecture per family): judged at render (tests/tests/ec2_corpus.rs, CX332)",
    ),
    (
        "ecs.negative_testing.services_multi_os",
        "x-ecs rule (one OS family per family): judged at render (tests/tests/ec2_corpus.rs, CX332)",
    ),
    (
        "ecs.negative_testing.invalid_capacity_provider",
        "x-ecs CapacityProvider FARGATER_SPOT: judged at render (tests/tests/ec2_corpus.rs, CX320)",
    ),
    (
        "ecs.cluster_lookup_and_cluster_no_capacity_providers",
        "capacity providers of a looked-up cluster: needs AWS",
    ),
    (
        "opensearch.negative_testing.incompatible_parameters",
        "x-opensearch MasterRole vs MasterUser: module level",
    ),
    (
        "opensearch.negative_testing.unsupported_config",
        "x-opensearch EBS on r6gd instances: module level",
    ),
    (
        "opensearch.negative_testing.unsupported_version",
        "x-opensearch engine version per family: module level",
    ),
    (
        "rds.negative-testing.wrong_engine",
        "x-rds engine check: module level (ComposeX crashed earlier on list labels)",
    ),
    (
        "sqs.negative-testing.no_queues",
        "x-sqs references: module level (ComposeX crashed earlier on list labels)",
    ),
    (
        "sqs.negative-testing.wrong_dlq",
        "x-sqs DLQ reference: module level (ComposeX crashed earlier on list labels)",
    ),
    (
        "sqs.negative-testing.wrong_subscription",
        "x-sns subscription reference: module level",
    ),
];

fn corpus_dir() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The workspace is `<root>/<checkout>`; the corpus is `<root>/shared/corpus/composex`.
    manifest
        .ancestors()
        .map(|a| a.join("shared/corpus/composex"))
        .find(|p| p.join("cases.tsv").is_file())
}

struct Case {
    slug: String,
    files: Vec<String>,
    expectation: String,
}

fn read_cases(dir: &Path) -> Vec<Case> {
    let tsv = std::fs::read_to_string(dir.join("cases.tsv")).expect("cases.tsv readable");
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let (slug, files, expectation) = (col("case_slug"), col("files"), col("expectation"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Case {
                slug: cols[slug].to_string(),
                files: cols[files].split('+').map(str::to_string).collect(),
                expectation: cols[expectation].to_string(),
            }
        })
        .collect()
}

fn input(dir: &Path, case: &Case) -> Input {
    let files = case
        .files
        .iter()
        .map(|f| SourceFile {
            name: f.clone(),
            text: std::fs::read_to_string(dir.join(f))
                .unwrap_or_else(|e| panic!("{}: {f}: {e}", case.slug)),
        })
        .collect();
    Input {
        files,
        env: Default::default(),
        options: Options::default(),
        ..Input::default()
    }
}

#[test]
fn corpus_load() {
    let Some(dir) = corpus_dir() else {
        println!("corpus: skipped (not present)");
        return;
    };
    let cases = read_cases(&dir);
    assert!(cases.len() > 100, "cases.tsv has {} rows", cases.len());
    let (mut loaded, mut clean, mut located_errors) = (0, 0, 0);
    let mut any_diagnostic = false;
    let mut known = Ledger::new("KNOWN_DIFFERENCES", KNOWN_DIFFERENCES);
    // Rows not judged as ok / negative here, counted by reason.
    let mut excused: std::collections::BTreeMap<String, usize> = Default::default();
    let mut failures: Vec<String> = Vec::new();
    for case in &cases {
        let input = input(&dir, case);
        let diagnostics = composex_core::compose::load(&input).diagnostics;
        let out = composex_core::Output {
            files: Vec::new(),
            diagnostics,
            source_map: Default::default(),
        }
        .finish(&input);
        loaded += 1;
        any_diagnostic |= !out.diagnostics.is_empty();
        let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
        let first = errors.first().map(|d| {
            let at = d
                .location
                .as_ref()
                .map(|l| format!("{}:{}:{}", l.file, l.line, l.column))
                .unwrap_or_default();
            format!("{} {at} {}", d.code, d.message)
        });
        if errors.is_empty() {
            clean += 1;
        }
        if errors.iter().any(|d| d.location.is_some()) {
            located_errors += 1;
        }
        // A ComposeX module composex does not implement yet is refused at its key (CX374),
        // never dropped: such ok rows are expected to fail, with that located error only.
        let not_yet = !errors.is_empty()
            && errors
                .iter()
                .all(|d| d.code == "CX374" && d.location.is_some());
        if case.expectation == "ok" && not_yet {
            println!(
                "not supported yet {}: {}",
                case.slug,
                first.unwrap_or_default()
            );
            *excused
                .entry("ok row refused at a module not supported yet (CX374)".into())
                .or_default() += 1;
            continue;
        }
        let judged = JUDGED_NEGATIVES.iter().find(|(s, _)| *s == case.slug);
        match case.expectation.as_str() {
            "ok" => {
                // Every error must be a listed known difference of this case.
                let unlisted: Vec<String> = errors
                    .iter()
                    .filter(|d| known.excuse(&case.slug, d.code, &[&d.message]).is_none())
                    .map(|d| format!("{} {}", d.code, d.message))
                    .collect();
                if !unlisted.is_empty() {
                    failures.push(format!("{}: expected ok, got {unlisted:?}", case.slug));
                } else if !errors.is_empty() {
                    println!(
                        "known difference {}: {}",
                        case.slug,
                        first.unwrap_or_default()
                    );
                }
            }
            "error" | "unref:error?" => match judged {
                Some((_, code)) => {
                    if !errors
                        .iter()
                        .any(|d| d.code == *code && d.location.is_some())
                    {
                        failures.push(format!(
                            "{}: expected a located {code}, got {first:?}",
                            case.slug
                        ));
                    }
                }
                None => match NOT_JUDGED.iter().find(|(s, _)| *s == case.slug) {
                    Some((_, why)) => {
                        println!("not judged here: {}: {why} (got: {first:?})", case.slug);
                        *excused
                            .entry(format!("negative not judged here: {why}"))
                            .or_default() += 1;
                    }
                    None => failures.push(format!(
                        "{}: negative case neither judged nor explained",
                        case.slug
                    )),
                },
            },
            other => {
                println!(
                    "info {} [{other}]: {}",
                    case.slug,
                    first.as_deref().unwrap_or("clean")
                );
                *excused
                    .entry(format!("informational row [{other}]"))
                    .or_default() += 1;
            }
        }
    }
    println!(
        "corpus load: {loaded} cases run, {clean} clean, {located_errors} with a located error"
    );
    for (why, n) in &excused {
        println!("corpus load: {n:>4} not judged as ok/negative: {why}");
    }
    // A loader that reports nothing at all would pass every ok row: the corpus has errors to find.
    assert!(
        any_diagnostic,
        "compose::load reported nothing for {loaded} cases, negative ones included"
    );
    // Every listed case is still a row of the corpus with the expectation it is listed for.
    known.print("corpus load");
    failures.extend(known.stale());
    let listed = KNOWN_DIFFERENCES
        .iter()
        .map(|e| (e.case, true))
        .chain(JUDGED_NEGATIVES.iter().map(|(slug, _)| (*slug, false)))
        .chain(NOT_JUDGED.iter().map(|(slug, _)| (*slug, false)));
    for (slug, ok) in listed {
        let row = cases.iter().find(|c| c.slug == slug);
        match row.map(|c| c.expectation.as_str()) {
            Some("ok") if ok => {}
            Some("error" | "unref:error?") if !ok => {}
            other => failures.push(format!("{slug}: listed here but its row is {other:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

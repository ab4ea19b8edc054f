//! ECS ComposeX's EC2 and capacity corpus rows (`ec2compute.*`, `mixed_computes.*`, the
//! `ecs.*` capacity provider and multi-architecture / multi-OS rows) through
//! `composex_core::render`, each judged on what composex must say about it (`ROWS`: the error
//! codes it gives, the located diagnostic that matters, and why). Prints the `ec2 capacity`
//! counts. ComposeX 1.1.9 needed AWS to look up the clusters of most of these rows; composex
//! judges what can be judged without AWS.
//!
//! The corpus is read in place, never copied; without it the test prints
//! `corpus: skipped (not present)` and passes.

// This workspace test reads the corpus from disk; the IO ban is for the core.
#![allow(clippy::disallowed_methods)]

use std::collections::{BTreeMap, BTreeSet};

use composex_core::{Input, Options};
use composex_tests::corpus::{add_named_files, cases, corpus_dir, source_files};

struct Row {
    slug: &'static str,
    /// Every error code the render gives (empty: it renders).
    errors: &'static [&'static str],
    /// A diagnostic that must be given in the case's own file: (code, line).
    at: Option<(&'static str, usize)>,
    why: &'static str,
}

const ROWS: &[Row] = &[
    Row {
        slug: "ec2compute.spot_config",
        errors: &[],
        at: Some(("CX372", 7)),
        why: "ComposeX 0.x `x-configs.composex.spot_config`: warned at its key with the \
              Ec2Capacity.Spot equivalent (ComposeX 1.1.9 ignores it too and makes no EC2)",
    },
    Row {
        slug: "mixed_computes.only_ec2",
        errors: &["CX305", "CX374"],
        at: Some(("CX374", 31)),
        why: "refused before the families are planned: x-ecr is not supported yet, x-elbv2 \
              Services as a list was removed in ComposeX 1.0 (ComposeX rejects it too); \
              an EC2 label without Ec2Capacity is CX651 (core/tests/ec2_capacity.rs)",
    },
    Row {
        slug: "mixed_computes.ec2_and_fargate",
        errors: &["CX305", "CX374"],
        at: Some(("CX374", 28)),
        why: "as only_ec2, for the frontend only",
    },
    Row {
        slug: "ecs.cluster_lookup_and_capacity_providers",
        errors: &[],
        at: Some(("CX651", 23)),
        why: "app01 (EC2) shares bignicefamily with rproxy (a FARGATE strategy): EC2 wins as in \
              ComposeX, launch type EC2 on the looked-up cluster; the unused strategy is warned",
    },
    Row {
        slug: "ecs.negative_testing.services_multi_arch",
        errors: &["CX332"],
        at: Some(("CX332", 26)),
        why: "bignicefamily: rproxy ARM64, app01 X86_64",
    },
    Row {
        slug: "ecs.negative_testing.services_multi_os",
        errors: &["CX274", "CX332"],
        at: Some(("CX332", 26)),
        why: "bignicefamily: rproxy LINUX, app01 WINDOWS_SERVER_2022_CORE (and Windows cannot run \
              the family's config files init container, CX274)",
    },
    Row {
        slug: "ecs.negative_testing.invalid_capacity_provider",
        errors: &["CX320"],
        at: Some(("CX320", 34)),
        why: "CapacityProvider: FARGATER_SPOT",
    },
    Row {
        slug: "ecs.cluster_lookup_and_cluster_no_capacity_providers",
        errors: &[],
        at: None,
        why: "negative in ComposeX only because the looked-up cluster has no Fargate capacity \
              providers: needs AWS; renders here",
    },
];

#[test]
fn ec2_capacity_corpus_rows() {
    let Some(dir) = corpus_dir() else {
        println!("corpus: skipped (not present)");
        return;
    };
    let all = cases(&dir);
    let mut failures = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for row in ROWS {
        let Some(case) = all.iter().find(|c| c.slug == row.slug) else {
            failures.push(format!("{}: not a row of the corpus", row.slug));
            continue;
        };
        let mut input = Input {
            files: source_files(&case.files),
            options: Options {
                project_name: "test".into(),
                ..Options::default()
            },
            ..Input::default()
        };
        add_named_files(&mut input, &case.files);
        let output = composex_core::render(&input);
        let codes: BTreeSet<&str> = output
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect();
        let wanted: BTreeSet<&str> = row.errors.iter().copied().collect();
        if codes != wanted {
            failures.push(format!(
                "{}: errors {codes:?}, expected {wanted:?} ({})",
                row.slug, row.why
            ));
        }
        let own_file = case.files.len().saturating_sub(1) as u32;
        if let Some((code, line)) = row.at {
            let found = output.diagnostics.iter().any(|d| {
                d.code == code
                    && d.span.is_some_and(|s| s.file == own_file)
                    && d.location.as_ref().is_some_and(|l| l.line == line)
            });
            if !found {
                failures.push(format!(
                    "{}: no {code} at line {line}: {:?}",
                    row.slug,
                    output
                        .diagnostics
                        .iter()
                        .map(|d| (d.code, d.location.as_ref().map(|l| l.line), &d.message))
                        .collect::<Vec<_>>()
                ));
            }
        }
        let outcome = match (case.expects_ok(), wanted.is_empty()) {
            (true, true) => "ok rows rendered",
            (true, false) => "ok rows refused at a located key",
            (false, false) => "negative rows located",
            (false, true) => "negative rows rendered (need AWS)",
        };
        *counts.entry(outcome).or_default() += 1;
        // Rendered rows write templates; refused rows none.
        assert_eq!(output.files.is_empty(), !wanted.is_empty(), "{}", row.slug);
    }
    let summary: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    println!(
        "corpus ec2 capacity: {} cases run: {}",
        ROWS.len(),
        summary.join(", ")
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

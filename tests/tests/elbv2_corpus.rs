//! ECS ComposeX's `elbv2.*` corpus rows through `composex_core::render`, judged on what the
//! x-elbv2 module says (codes CX340-CX360):
//!
//! - rows ComposeX renders must give no error at all (from any stage), except the ComposeX
//!   features composex does not support yet (`UNSUPPORTED`: each listed with exactly the codes it
//!   gives and why; a listed row that renders now, or is gone from the corpus, fails);
//! - negative rows must give a located error (at x-elbv2 level or earlier, in `validate`).
//!
//! The corpus is read in place, never copied; without it the test prints
//! `corpus: skipped (not present)` and passes. cfn-lint of the rendered rows is the cfn-lint gate's
//! job (tests/tests/cfn_lint.rs), which renders every row whose `x-*` keys are implemented.

// This workspace test reads the corpus from disk; the IO ban is for the core.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeSet;

use composex_core::{Diagnostic, Input, Options};
use composex_tests::corpus::{cases, corpus_dir, source_files};

/// Rows that use ComposeX features composex does not support yet, or that composex refuses on
/// purpose: (case, our error codes, why).
const UNSUPPORTED: &[(&str, &[&str], &str)] = &[
    (
        "elbv2.create_acm_parameters",
        &["CX341"],
        "`Redirect: TEA_POT` is not a redirect composex knows (HTTP_TO_HTTPS is)",
    ),
    (
        "elbv2.create_only_target_groups",
        &["CX344"],
        "a deliberate difference: its target groups register `rproxy` on port 5000, which it \
         does not expose (80 only), so ECS would refuse the service (ComposeX does not check); \
         with Port 80 the TargetGroups render",
    ),
];

fn elbv2_code(code: &str) -> bool {
    code.strip_prefix("CX")
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| (340..=360).contains(&n))
}

fn render(files: &[std::path::PathBuf]) -> Vec<Diagnostic> {
    let input = Input {
        files: source_files(files),
        options: Options {
            project_name: "test".into(),
            ..Options::default()
        },
        ..Input::default()
    };
    composex_core::render(&input).diagnostics
}

#[test]
fn elbv2_corpus_rows() {
    let Some(dir) = corpus_dir() else {
        println!("corpus: skipped (not present)");
        return;
    };
    let rows: Vec<_> = cases(&dir)
        .into_iter()
        .filter(|c| c.slug.starts_with("elbv2."))
        .collect();
    assert!(
        rows.len() >= 12,
        "expected the 12 elbv2 rows, found {}",
        rows.len()
    );
    for (slug, _, _) in UNSUPPORTED {
        assert!(
            rows.iter().any(|r| r.slug == *slug && r.expects_ok()),
            "{slug} is no ok row of the corpus: remove it from UNSUPPORTED"
        );
    }
    for case in &rows {
        let diagnostics = render(&case.files);
        for d in diagnostics.iter().filter(|d| elbv2_code(d.code)) {
            let location = d
                .location
                .as_ref()
                .unwrap_or_else(|| panic!("{}: unlocated {d:?}", case.slug));
            assert!(location.line > 0, "{}: {d:?}", case.slug);
        }
        if case.expects_ok() {
            // Every error, whatever stage gives it: an ok row blocked elsewhere fails here too.
            let ours: BTreeSet<&str> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.code)
                .collect();
            let expected: BTreeSet<&str> = UNSUPPORTED
                .iter()
                .find(|(slug, _, _)| *slug == case.slug)
                .map(|(_, codes, _)| codes.iter().copied().collect())
                .unwrap_or_default();
            assert_eq!(
                ours,
                expected,
                "{}: {:#?}",
                case.slug,
                diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .collect::<Vec<_>>()
            );
            println!("{}: errors {:?}", case.slug, ours);
        } else {
            // The three negative files use the legacy list form of `Services`: the error must
            // point into the case file (the second `-f`), at that list.
            let legacy = diagnostics.iter().find(|d| {
                d.is_error()
                    && matches!(d.code, "CX350" | "CX305")
                    && d.span.is_some_and(|s| s.file == 1)
                    && d.location.is_some()
            });
            let d = legacy.unwrap_or_else(|| {
                panic!(
                    "{}: no located legacy-list error: {diagnostics:#?}",
                    case.slug
                )
            });
            println!(
                "{}: {} {} (line {})",
                case.slug,
                d.code,
                d.message,
                d.location.as_ref().map_or(0, |l| l.line)
            );
        }
    }
}

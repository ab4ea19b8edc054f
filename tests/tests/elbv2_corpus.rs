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

use std::collections::{BTreeMap, BTreeSet};

use composex_core::{Diagnostic, Input, Options};
use composex_tests::corpus::{cases, corpus_dir, source_files};

/// Rows that use ComposeX features composex does not support yet, or that composex refuses on
/// purpose: (case, our error codes, why).
const UNSUPPORTED: &[(&str, &[&str], &str)] = &[(
    "elbv2.create_only_target_groups",
    &["CX344"],
    "a deliberate difference: its target groups register `rproxy` on port 5000 \
         (`Services[].Port`, which ComposeX's docs call the port traffic is sent to), and `rproxy` \
         exposes 80 only, so ECS would refuse the service. ComposeX renders it because its code \
         registers the target group's own `Port` (80) and ignores `Services[].Port`; composex \
         follows the documented meaning and says so at the port; with Port 80 the TargetGroups \
         render",
)];

fn elbv2_code(code: &str) -> bool {
    code.strip_prefix("CX")
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| (340..=360).contains(&n))
}

/// The load balancer, certificate and DNS record types (the x-elbv2, x-acm and x-route53 part)
/// ComposeX made for the rows it rendered without an AWS account to look things up in: read by
/// hand from their files (the `cases.tsv` summary has the others). Lookup rows that depend on
/// x-cognito_userpool are not here (UNSUPPORTED).
const HAND_TYPES: &[(&str, &[&str])] = &[
    (
        // Two ALBs and an NLB, a new certificate in the looked-up zone, DNS aliases for lbA.
        "elbv2.create_acm_parameters",
        &[
            "AWS::CertificateManager::Certificate",
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::ListenerCertificate",
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "AWS::Route53::RecordSet",
        ],
    ),
    (
        // A new certificate (Properties), DNS aliases in the looked-up zone.
        "elbv2.create_only_with_record",
        &[
            "AWS::CertificateManager::Certificate",
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::ListenerCertificate",
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "AWS::Route53::RecordSet",
        ],
    ),
    (
        // The certificate is looked up: no Certificate resource, its ARN a parameter.
        "elbv2.create_lookup_acm",
        &[
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::ListenerCertificate",
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
        ],
    ),
    (
        // The pool is looked up (no UserPool: its values are parameters); one app client for
        // the target's CreateCognitoClient; a new certificate from x-acm; the HTTP listener with
        // certificates that authenticates becomes HTTPS (CX632), so its second certificate is a
        // ListenerCertificate.
        "elbv2.create_only_with_cognito",
        &[
            "AWS::CertificateManager::Certificate",
            "AWS::Cognito::UserPoolClient",
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::ListenerCertificate",
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
        ],
    ),
    (
        // As create_only_with_cognito, without CreateCognitoClient: no app client.
        "elbv2.create_only_with_cognito-02",
        &[
            "AWS::CertificateManager::Certificate",
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::ListenerCertificate",
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
        ],
    ),
];

/// Types ComposeX made that composex does not, on purpose: (case, type, why). A listed type that
/// renders fails the test (remove it here).
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[
    ("elbv2.create_only", LISTENER_CERTIFICATE, HTTP_CERTIFICATES),
    (
        "elbv2.create_only_with_full_healthcheck",
        LISTENER_CERTIFICATE,
        HTTP_CERTIFICATES,
    ),
    (
        "elbv2.create_only_with_alarms",
        LISTENER_CERTIFICATE,
        HTTP_CERTIFICATES,
    ),
    (
        "elbv2.create_acm_parameters",
        LISTENER_CERTIFICATE,
        HTTP_CERTIFICATES,
    ),
    (
        "elbv2.create_only_with_record",
        LISTENER_CERTIFICATE,
        HTTP_CERTIFICATES,
    ),
    (
        "elbv2.create_lookup_acm",
        LISTENER_CERTIFICATE,
        HTTP_CERTIFICATES,
    ),
];

const LISTENER_CERTIFICATE: &str = "AWS::ElasticLoadBalancingV2::ListenerCertificate";
const HTTP_CERTIFICATES: &str = "the second certificate sits on a `Protocol: HTTP` listener (port \
    8080): ComposeX writes it into a ListenerCertificate that AWS refuses (certificates are for \
    HTTPS/TLS listeners); composex ignores the listener's certificates with a CX347 warning at \
    `Certificates` saying to set `Protocol: HTTPS`";

/// Resource types of this module's part of a render.
fn ours(text: &str) -> bool {
    text.starts_with("AWS::ElasticLoadBalancingV2::")
        || text == "AWS::CertificateManager::Certificate"
        || text == "AWS::Route53::RecordSet"
        || text.starts_with("AWS::Cognito::")
}

/// (type, count) of the module's resources in `cases.tsv`'s summary of each row.
fn summaries(dir: &std::path::Path) -> BTreeMap<String, BTreeMap<String, usize>> {
    let text = std::fs::read_to_string(dir.join("cases.tsv")).unwrap_or_default();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let Some(column) = header.iter().position(|h| *h == "resource_types_summary") else {
        return BTreeMap::new();
    };
    lines
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            let types: BTreeMap<String, usize> = cells
                .get(column)?
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .filter(|(t, _)| ours(t))
                .filter_map(|(t, n)| Some((t.to_string(), n.parse().ok()?)))
                .collect();
            (!types.is_empty()).then(|| (cells[0].to_string(), types))
        })
        .collect()
}

/// (type, count) of the module's resources in the rendered templates.
fn rendered_types(output: &composex_core::Output) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for file in output.files.iter().filter(|f| f.path.ends_with(".yaml")) {
        let Ok(template) = serde_yaml::from_str::<serde_yaml::Value>(&file.text) else {
            continue;
        };
        let resources = template.get("Resources").and_then(|r| r.as_mapping());
        for resource in resources.into_iter().flat_map(|r| r.values()) {
            if let Some(t) = resource
                .get("Type")
                .and_then(|t| t.as_str())
                .filter(|t| ours(t))
            {
                *out.entry(t.to_string()).or_insert(0) += 1;
            }
        }
    }
    out
}

fn render_output(files: &[std::path::PathBuf]) -> composex_core::Output {
    let input = Input {
        files: source_files(files),
        options: Options {
            project_name: "test".into(),
            ..Options::default()
        },
        ..Input::default()
    };
    composex_core::render(&input)
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
    let summary = summaries(&dir);
    let mut checked = 0;
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
            if !expected.is_empty() {
                continue;
            }
            // Rendered: the resource types ComposeX made for this part must all be there.
            let made: BTreeMap<String, usize> = match summary.get(&case.slug) {
                Some(types) => types.clone(),
                None => HAND_TYPES
                    .iter()
                    .find(|(slug, _)| *slug == case.slug)
                    .map(|(_, types)| types.iter().map(|t| (t.to_string(), 0)).collect())
                    .unwrap_or_else(|| {
                        panic!("{}: renders; add its types to HAND_TYPES", case.slug)
                    }),
            };
            let rendered = rendered_types(&render_output(&case.files));
            for (type_, count) in &made {
                let n = rendered.get(type_).copied().unwrap_or(0);
                if let Some((_, _, why)) = KNOWN_DIFFERENCES
                    .iter()
                    .find(|(slug, t, _)| *slug == case.slug && t == type_)
                {
                    assert_eq!(
                        n, 0,
                        "{}: {type_} renders now: remove it from KNOWN_DIFFERENCES",
                        case.slug
                    );
                    println!("  {type_}: composex none on purpose ({why})");
                    continue;
                }
                assert!(
                    n > 0,
                    "{}: no {type_} rendered (ComposeX made {count}): {rendered:#?}",
                    case.slug
                );
                println!(
                    "  {type_}: composex {n}, ComposeX {}",
                    if *count > 0 {
                        count.to_string()
                    } else {
                        "yes".into()
                    }
                );
            }
            checked += 1;
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
    // create_only, _with_full_healthcheck, _with_alarms, create_acm_parameters,
    // create_only_with_record, create_lookup_acm, create_only_with_cognito(-02).
    assert_eq!(checked, 8, "rendered rows checked against ComposeX's types");
}

//! The x-sqs / x-sns / x-dynamodb / x-s3 / x-kms / x-rds / x-alarms / x-events / x-wafv2_webacl / x-codeguru_profiler / x-dashboards (and others of MODULES) corpus cases (ECS ComposeX's use-cases, read in
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
use composex_tests::corpus::{
    add_named_files, cases, corpus_dir, source_files, workspace_root, Case,
};
use composex_tests::excuse::{excusal, Excusal, Ledger};

const MODULES: &[&str] = &[
    "sqs",
    "sns",
    "dynamodb",
    "s3",
    "kms",
    "rds",
    "docdb",
    "alarms",
    "events",
    // issue 13, part B
    "opensearch",
    "neptune",
    "efs",
    // x-kinesis, x-kinesis_firehose, x-ssm_parameter, x-elasticache (module folders named
    // like the corpus folders).
    "kinesis",
    "firehose",
    "ssm",
    "elasticache",
    // issue 14, part C
    "wafv2_webacl",
    // issue 14: x-cognito_userpool (its corpus cases are x-elbv2 listeners that authenticate)
    "cognito_userpool",
    // issue 14: x-aps, x-prometheus, x-monitoring (the corpus folder of x-monitoring)
    "aps",
    "prometheus",
    "services_monitoring",
    // issue 14: x-codeguru_profiler, x-dashboards
    "codeguru",
    "dashboards",
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
    // domain-05: CreateMasterUserRole and GenerateMasterUserSecret both true.
    (
        "opensearch.negative_testing.incompatible_parameters",
        "CX620",
    ),
    // domain-05: EBSOptions.EBSEnabled true on r6gd (local disks).
    ("opensearch.negative_testing.unsupported_config", "CX620"),
    // domain-05: EngineVersion OpenSearch_0.1, older than m6g/r6gd support.
    ("opensearch.negative_testing.unsupported_version", "CX620"),
];

/// Findings from values the user wrote verbatim under `Properties`: (case, rule, text of the
/// finding's path or message, why). Each entry is counted and must still occur.
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
        "x-s3 AccessControl: BucketOwnerFullControl is a legacy property",
    ),
];

/// Ok rows that fail here on purpose: (case, code, text of the message, why). Every error of
/// such a row must be listed; each entry must still occur.
const KNOWN_DIFFERENCES: &[Excusal] = &[
    excusal(
        "opensearch.create_only",
        "CX506",
        "r5.medium.search",
        "domain-04 InstanceType: r5.medium.search is offered in no region (r5 starts at large): \
         cfn-lint E3653 on the rendered template, now refused at its value (the template's other \
         cfn-lint findings, domain-02's duplicate DomainName E3019 and its security group id \
         E1150, are no longer reached)",
    ),
    excusal(
        "rds.rds_cluster_multi_instances",
        "CX506",
        "db.m5a.large",
        "MacroParameters.Instances DBInstanceClass: db.m5a.large, a class Aurora offers in no \
         region: cfn-lint E3025 on the rendered template, now refused at its value",
    ),
    excusal(
        "rds.rds_cluster_multi_instances_with_return_values",
        "CX506",
        "db.m5a.large",
        "MacroParameters.Instances DBInstanceClass: db.m5a.large, a class Aurora offers in no \
         region: cfn-lint E3025 on the rendered template, now refused at its value",
    ),
    excusal(
        "s3.full_s3_bucket_properties",
        "CX503",
        "`aws/s3` is not a KMS key ARN",
        "KMSMasterKeyID: aws/s3 is no key ARN, id or alias (alias/aws/s3 is): cfn-lint E1157, \
         E1162, E1164 and E3017 on the rendered template; now refused at its line",
    ),
    excusal(
        "s3.bucket_with_notifications",
        "CX503",
        "`aws/s3` is not a KMS key ARN",
        "KMSMasterKeyID: aws/s3 is no key ARN, id or alias (alias/aws/s3 is): cfn-lint E1157, \
         E1162, E1164 and E3017 on the rendered template; now refused at its line",
    ),
    excusal(
        "s3.simple_s3_bucket",
        "CX200",
        "${!ARN}",
        "`${!ARN}` is an invalid interpolation for compose (compose-go rejects it too); written \
         `$${!ARN}` it renders",
    ),
    excusal(
        "s3.simple_s3_bucket_with_kms",
        "CX200",
        "${!ARN}",
        "`${!ARN}` is an invalid interpolation for compose (compose-go rejects it too); written \
         `$${!ARN}` it renders",
    ),
    excusal(
        "rds.lookup_rds_with_iam_access",
        "CX361",
        "Access is a mapping for buckets",
        "x-s3 `Access: RWObjects`: bucket access is a mapping {bucket, objects} (ComposeX rejects it \
         too: 'RWObjects' is not of type 'object')",
    ),
    excusal(
        "events.mixed_legacy",
        "CX305",
        "list form was removed",
        "x-events Services as a list: removed in ComposeX 1.0 (ComposeX 1.1.9 rejects it too)",
    ),
    excusal(
        "neptune.blog.features",
        "CX233",
        "refers to undefined secret",
        "the file (it has no x-neptune) gives app03 secrets abcd, zyx and john that no top-level \
         `secrets:` defines; compose-go rejects it too",
    ),
    excusal(
        "wafv2_webacl.lookup_only_with_elbv2",
        "CX660",
        "`lbC` is a network load balancer",
        "LoadBalancers lists lbC, a network load balancer: WAFv2 associates web ACLs with \
         application load balancers only (AWS rejects the association at deploy time)",
    ),
    excusal(
        "codeguru.simple",
        "CX236",
        "neither an image nor a build context",
        "an override file run on its own: app02 and app03 have no image (ComposeX crashes on it: \
         KeyError 'You must specify the image'); both are errors at the service's name, and the \
         key it spells x-codeguru-profiler is warned about with the right spelling (CX306)",
    ),
    excusal(
        "events.simple_legacy",
        "CX305",
        "list form was removed",
        "x-events Services as a list: removed in ComposeX 1.0 (ComposeX 1.1.9 rejects it too)",
    ),
    excusal(
        "elasticache.create_only_legacy",
        "CX305",
        "list form was removed",
        "x-elasticache Services as a list: removed in ComposeX 1.0 (ComposeX 1.1.9 rejects it too)",
    ),
    excusal(
        "elasticache.subnets_override_legacy",
        "CX305",
        "list form was removed",
        "x-elasticache Services as a list: removed in ComposeX 1.0 (ComposeX 1.1.9 rejects it too)",
    ),
    excusal(
        "kinesis.create_lookup",
        "CX305",
        "list form was removed",
        "x-kinesis Services as a list: removed in ComposeX 1.0 (ComposeX 1.1.9 rejects it too)",
    ),
    excusal(
        "firehose.create_only",
        "CX100",
        "quoted scalar",
        "a multi-line single-quoted scalar whose continuation lines are less indented than its \
         mapping: PyYAML accepts it, YAML 1.2 rejects it (re-indented, the case renders: \
         tests/tests/modules_corpus.rs firehose_create_only_reindented)",
    ),
];

/// The resource types a module folder's key makes: (folder, key, one of these types).
const RESOURCE_TYPES: &[(&str, &str, &[&str])] = &[
    ("kinesis", "x-kinesis", &["AWS::Kinesis::Stream"]),
    (
        "firehose",
        "x-kinesis_firehose",
        &["AWS::KinesisFirehose::DeliveryStream"],
    ),
    ("ssm", "x-ssm_parameter", &["AWS::SSM::Parameter"]),
    (
        "elasticache",
        "x-elasticache",
        &[
            "AWS::ElastiCache::CacheCluster",
            "AWS::ElastiCache::ReplicationGroup",
        ],
    ),
    (
        "opensearch",
        "x-opensearch",
        &["AWS::OpenSearchService::Domain"],
    ),
    ("neptune", "x-neptune", &["AWS::Neptune::DBCluster"]),
    ("wafv2_webacl", "x-wafv2_webacl", &["AWS::WAFv2::WebACL"]),
    (
        "cognito_userpool",
        "x-cognito_userpool",
        &["AWS::Cognito::UserPool"],
    ),
    ("aps", "x-aps", &["AWS::APS::Workspace"]),
    (
        "codeguru",
        "x-codeguru_profiler",
        &["AWS::CodeGuruProfiler::ProfilingGroup"],
    ),
    (
        "dashboards",
        "x-dashboards",
        &["AWS::CloudWatch::Dashboard"],
    ),
];

/// For the service extensions that add the CloudWatch agent sidecar (corpus folder, key): what
/// the case is missing of the sidecar each family with the key gets (its container, its
/// configuration parameter, and with x-prometheus the scrape configuration). In these cases each
/// service with the key is in a family of its own.
const SIDECARS: &[(&str, &str)] = &[
    ("prometheus", "x-prometheus"),
    ("services_monitoring", "x-monitoring"),
];

fn missing_sidecar(case: &Case, module: &str, output: &Output) -> Option<String> {
    let (_, key) = SIDECARS.iter().find(|(m, _)| *m == module)?;
    let wanted: usize = case
        .files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .filter_map(|t| serde_yaml::from_str::<serde_yaml::Value>(&t).ok())
        .filter_map(|doc| doc.get("services").and_then(|s| s.as_mapping()).cloned())
        .flat_map(|services| services.into_iter())
        .filter(|(_, s)| s.get(*key).is_some())
        .filter_map(|(name, _)| name.as_str().map(String::from))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let count = |text: &str| {
        output
            .files
            .iter()
            .map(|f| f.text.matches(text).count())
            .sum::<usize>()
    };
    let agents = count("Name: cloudwatch-agent\n");
    let configs = count("CloudWatchAgentConfig:\n    Type: AWS::SSM::Parameter");
    let scrapes = count("CloudWatchAgentPrometheusConfig:\n    Type: AWS::SSM::Parameter");
    let scrapes_wanted = if *key == "x-prometheus" { wanted } else { 0 };
    (agents != wanted || configs != wanted || scrapes != scrapes_wanted).then(|| {
        format!("{wanted} CloudWatch agent sidecars (found {agents} agents, {configs} configurations, {scrapes} scrape configurations)")
    })
}

/// For the modules of RESOURCE_TYPES: a type the case should make but does not (every resource
/// it defines without `Lookup` must appear as one of the module's types).
fn missing_resource_type(case: &Case, module: &str, output: &Output) -> Option<String> {
    let (_, key, types) = RESOURCE_TYPES.iter().find(|(m, _, _)| *m == module)?;
    let mut created = 0;
    for file in &case.files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_default();
        if let Some(resources) = doc.get(*key).and_then(|r| r.as_mapping()) {
            created += resources
                .values()
                .filter(|r| r.get("Lookup").is_none())
                .count();
        }
    }
    let made: usize = output
        .files
        .iter()
        .map(|f| {
            types
                .iter()
                .map(|t| f.text.matches(&format!("Type: {t}\n")).count())
                .sum::<usize>()
        })
        .sum();
    (made != created).then(|| format!("{created} x {types:?} (found {made})"))
}

/// For the x-cognito_userpool cases: one `AWS::Cognito::UserPoolClient` per `CreateCognitoClient`
/// and one `authenticate-cognito` action per Cognito-authenticated target, as ComposeX makes.
fn missing_cognito_types(case: &Case, output: &Output) -> Option<String> {
    let written = |what: &str| -> usize {
        case.files
            .iter()
            .map(|f| {
                std::fs::read_to_string(f)
                    .unwrap_or_default()
                    .matches(what)
                    .count()
            })
            .sum()
    };
    let made = |what: &str| -> usize {
        output
            .files
            .iter()
            .map(|f| f.text.matches(what).count())
            .sum()
    };
    let clients = written("CreateCognitoClient:");
    let authenticated = written("AuthenticateCognitoConfig:") + clients;
    let found_clients = made("Type: AWS::Cognito::UserPoolClient\n");
    let found_actions = made("Type: authenticate-cognito\n");
    (found_clients != clients || found_actions != authenticated).then(|| {
        format!(
            "expected {clients} user pool clients and {authenticated} authenticate-cognito \
             actions, found {found_clients} and {found_actions}"
        )
    })
}

fn module_of(case: &Case) -> Option<&'static str> {
    // Snippets of one x-resource, not compose files (rds/resource_sorting): nothing to render.
    if case.expectation == "unref:non-compose" {
        return None;
    }
    // The compose volumes cases are x-efs's (named volumes are EFS file systems).
    if case.slug.starts_with("volumes.efs") {
        return Some("efs");
    }
    // The x-elbv2 cases whose listeners authenticate against an x-cognito_userpool pool.
    if case.slug.starts_with("elbv2.create_only_with_cognito") {
        return Some("cognito_userpool");
    }
    MODULES
        .iter()
        .copied()
        .find(|m| case.slug.starts_with(&format!("{m}.")))
}

fn render(case: &Case) -> Output {
    let mut input = Input {
        files: source_files(&case.files),
        env: BTreeMap::new(),
        options: Options {
            project_name: "test".into(),
            ..Options::default()
        },
        ..Input::default()
    };
    add_named_files(&mut input, &case.files);
    composex_core::render(&input)
}

struct Rendered {
    case: String,
    module: &'static str,
    root: PathBuf,
    templates: Vec<PathBuf>,
}

/// Cases per module: run, rendered, negative rows located, ok rows not rendered (listed).
#[derive(Default)]
struct Counts {
    cases: usize,
    rendered: usize,
    negatives: usize,
    known: usize,
}

fn render_all() -> Option<Vec<Rendered>> {
    let Some(dir) = corpus_dir() else {
        println!("corpus: skipped (not present)");
        return None;
    };
    let out = workspace_root().join("target/modules-corpus");
    let _ = std::fs::remove_dir_all(&out);
    let mut counts: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut known = Ledger::new("KNOWN_DIFFERENCES", KNOWN_DIFFERENCES);
    let mut negatives_seen = vec![false; NEGATIVES.len()];
    let mut rendered = Vec::new();
    let mut failures = Vec::new();
    for case in cases(&dir) {
        let Some(module) = module_of(&case) else {
            continue;
        };
        let output = render(&case);
        let count = counts.entry(module).or_default();
        count.cases += 1;
        if case.expects_ok() {
            // Every error of an ok row must be a listed known difference: none is waved through
            // as "another stage's".
            let errors: Vec<_> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
            let unexcused: Vec<String> = errors
                .iter()
                .filter(|d| known.excuse(&case.slug, d.code, &[&d.message]).is_none())
                .map(|d| {
                    format!(
                        "{} {} at {:?}",
                        d.code,
                        d.message,
                        d.location.as_ref().map(|l| l.line)
                    )
                })
                .collect();
            if !unexcused.is_empty() {
                failures.push(format!("{}: {unexcused:?}", case.slug));
                continue;
            }
            if !errors.is_empty() {
                count.known += 1;
                continue;
            }
            if known.lists(&case.slug) {
                failures.push(format!(
                    "{}: renders now; remove it from KNOWN_DIFFERENCES",
                    case.slug
                ));
            }
            count.rendered += 1;
            if let Some(missing) = missing_resource_type(&case, module, &output) {
                failures.push(format!("{}: renders no {missing}", case.slug));
            }
            // What ComposeX makes of a pool's listener targets: an authenticate-cognito action,
            // and an app client for CreateCognitoClient.
            if module == "cognito_userpool" {
                if let Some(missing) = missing_cognito_types(&case, &output) {
                    failures.push(format!("{}: {missing}", case.slug));
                }
            }
            if let Some(missing) = missing_sidecar(&case, module, &output) {
                failures.push(format!("{}: renders no {missing}", case.slug));
            }
            // The compose volumes cases: named volumes are EFS file systems.
            let efs = "Type: AWS::EFS::FileSystem\n";
            if module == "efs"
                && !case.slug.contains("lookup")
                && !output.files.iter().any(|f| f.text.contains(efs))
            {
                failures.push(format!("{}: no AWS::EFS::FileSystem rendered", case.slug));
            }
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
            let listed = NEGATIVES.iter().position(|(c, _)| *c == case.slug);
            let wanted = listed.map(|i| NEGATIVES[i].1);
            let located = output.diagnostics.iter().any(|d| {
                (d.is_error() || wanted == Some("CX372"))
                    && wanted.is_none_or(|w| d.code == w)
                    && d.span.is_some_and(|s| s.file == own_file)
                    && d.location.is_some()
            });
            if let Some(i) = listed {
                negatives_seen[i] = true;
            }
            if located {
                count.negatives += 1;
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
    for (module, c) in &counts {
        println!(
            "corpus {module}: {} cases run, {} rendered, {} negative cases located, {} not rendered (known difference)",
            c.cases, c.rendered, c.negatives, c.known
        );
    }
    known.print("corpus modules");
    failures.extend(known.stale());
    for ((case, _), seen) in NEGATIVES.iter().zip(&negatives_seen) {
        if !seen {
            failures.push(format!(
                "{case}: not a negative row of the corpus; remove it from NEGATIVES"
            ));
        }
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
        // The corpus folder of x-monitoring is `services_monitoring`; its docs folder `monitoring`.
        let folder = match *module {
            "services_monitoring" => "monitoring",
            other => other,
        };
        let dir = root.join("core/src/modules").join(folder).join("fixtures");
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
    let corpus_present = corpus_dir().is_some();
    let mut rendered = render_all().unwrap_or_default();
    rendered.extend(render_fixtures());
    let templates: Vec<PathBuf> = rendered.iter().flat_map(|r| r.templates.clone()).collect();
    let findings = cfn_lint::run(&templates).unwrap_or_else(|e| panic!("{e}"));
    let mut verbatim = Ledger::new("VERBATIM", VERBATIM);
    let mut unexpected = Vec::new();
    let mut nested_roots = 0;
    let mut per_module: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    for r in &rendered {
        let label = if r.case.contains('/') {
            "fixtures"
        } else {
            "corpus"
        };
        let entry = per_module.entry((label, r.module)).or_default();
        entry.0 += 1;
        let mut clean = true;
        for f in findings.iter().filter(|f| r.templates.contains(&f.file)) {
            if f.rule == "W3002" && f.file == r.root {
                nested_roots += 1;
                continue;
            }
            clean = false;
            if verbatim
                .excuse(&r.case, &f.rule, &[&f.path, &f.message])
                .is_some()
            {
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
        entry.1 += usize::from(clean);
    }
    for ((label, module), (cases, clean)) in &per_module {
        println!("cfn-lint {label} {module}: {cases} linted, {clean} with no finding");
    }
    println!(
        "cfn-lint modules: {nested_roots} excused: W3002 local TemplateURL on the nested root"
    );
    verbatim.print("cfn-lint modules");
    // Without the corpus no corpus case was rendered: the entries cannot be judged.
    if corpus_present {
        unexpected.extend(verbatim.stale());
    }
    assert!(
        unexpected.is_empty(),
        "{} findings:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}

/// firehose.create_only fails to parse as YAML 1.2 only for the indentation of one quoted
/// scalar's continuation lines; indented under their key (in memory, the corpus is not
/// changed), the case renders both delivery streams, their role, the source stream and bucket.
#[test]
fn firehose_create_only_reindented() {
    let Some(dir) = corpus_dir() else {
        println!("corpus: skipped (not present)");
        return;
    };
    let Some(case) = cases(&dir)
        .into_iter()
        .find(|c| c.slug == "firehose.create_only")
    else {
        panic!("firehose.create_only is not a row of the corpus");
    };
    let mut input = Input {
        files: source_files(&case.files),
        options: Options {
            project_name: "test".into(),
            ..Options::default()
        },
        ..Input::default()
    };
    let last = input.files.last_mut().expect("the case's own file");
    let before = last.text.clone();
    last.text = before
        .lines()
        .map(|l| match l.strip_prefix("                | strftime") {
            Some(rest) => format!("                    | strftime{rest}"),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(last.text, before, "the under-indented lines were not found");
    let output = composex_core::render(&input);
    let errors: Vec<_> = output
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code, &d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let all: String = output.files.iter().map(|f| f.text.as_str()).collect();
    for type_ in [
        "AWS::KinesisFirehose::DeliveryStream",
        "AWS::Kinesis::Stream",
        "AWS::S3::Bucket",
        "AWS::IAM::Role",
    ] {
        assert!(all.contains(type_), "no {type_}");
    }
    assert_eq!(
        all.matches("Type: AWS::KinesisFirehose::DeliveryStream")
            .count(),
        2
    );
}

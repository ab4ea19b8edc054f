//! Reading ECS ComposeX's corpus (`../shared/corpus/composex`) by path, never copying it.

use std::path::{Path, PathBuf};

/// The workspace root (the repository checkout).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// The corpus folder: `$COMPOSEX_CORPUS`, else `../shared/corpus/composex` next to the checkout
/// (or next to its parent, for git worktrees one level deeper). None when absent.
pub fn corpus_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("COMPOSEX_CORPUS") {
        return Some(PathBuf::from(dir)).filter(|d| d.join("cases.tsv").is_file());
    }
    let root = workspace_root();
    [
        root.join("../shared/corpus/composex"),
        root.join("../../shared/corpus/composex"),
    ]
    .into_iter()
    .find(|d| d.join("cases.tsv").is_file())
}

/// One row of `cases.tsv`.
#[derive(Debug, Clone)]
pub struct Case {
    /// `case_slug`, e.g. `vpc.new_vpc`.
    pub slug: String,
    /// The `-f` files in order, as paths inside the corpus folder.
    pub files: Vec<PathBuf>,
    /// `ok`, `error`, `unref:ok?`, `unref:error?` or `unref:non-compose`.
    pub expectation: String,
    /// What ECS ComposeX 1.1.9 did (`ok`, `error expected`, `lookup-needed`, ...); empty when the
    /// table has no `outcome` column.
    pub outcome: String,
}

impl Case {
    /// True for cases ComposeX expects to render.
    pub fn expects_ok(&self) -> bool {
        matches!(self.expectation.as_str(), "ok" | "unref:ok?")
    }
}

/// The files at `paths`, read as the core's input files (named by their path).
pub fn source_files(paths: &[PathBuf]) -> Vec<composex_core::SourceFile> {
    paths
        .iter()
        .map(|f| composex_core::SourceFile {
            name: f.display().to_string(),
            text: std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())),
        })
        .collect()
}

/// Adds to `input` the files its compose files name (x-ssm_parameter `FromFile`, `env_file`,
/// ...) as the CLI reads them, relative to the project directory (the first of `case_files`'
/// directory), else relative to the corpus root: ECS ComposeX's working directory when it ran
/// the cases, which their paths are written for.
pub fn add_named_files(input: &mut composex_core::Input, case_files: &[PathBuf]) {
    let project_dir = case_files
        .first()
        .and_then(|f| f.parent())
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let roots: Vec<PathBuf> = std::iter::once(project_dir).chain(corpus_dir()).collect();
    for key in composex_core::compose::wanted_files(input) {
        for dir in &roots {
            let path = dir.join(&key);
            if let Ok(text) = std::fs::read_to_string(&path) {
                let name = path.display().to_string();
                input
                    .extra_files
                    .insert(key.clone(), composex_core::SourceFile { name, text });
                break;
            }
        }
    }
}

/// Every case of the corpus at `dir`.
pub fn cases(dir: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(dir.join("cases.tsv")).unwrap_or_default();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name);
    let outcome = column("outcome");
    let (Some(slug), Some(files), Some(expectation)) =
        (column("case_slug"), column("files"), column("expectation"))
    else {
        return Vec::new();
    };
    lines
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            Some(Case {
                slug: cells.get(slug)?.to_string(),
                files: cells.get(files)?.split('+').map(|f| dir.join(f)).collect(),
                expectation: cells.get(expectation)?.to_string(),
                outcome: outcome
                    .and_then(|o| cells.get(o))
                    .map_or_else(String::new, |o| o.to_string()),
            })
        })
        .collect()
}

/// The `x-*` keys the renderer implements so far. A corpus case is rendered and linted only when
/// every `x-*` key it uses (at any depth) is here; add a module's keys when its corpus cases
/// render (the cfn-lint gate fails when a feature case with only these keys does not render).
pub const IMPLEMENTED_X_KEYS: &[&str] = &[
    "x-vpc",
    "x-cluster",
    "x-aws-cluster",
    "x-tags",
    "x-elbv2",
    "x-acm",
    "x-sqs",
    "x-sns",
    "x-dynamodb",
    "x-s3",
    "x-kms",
    "x-route53",
    "x-rds",
    "x-docdb",
    "x-alarms",
    "x-events",
    "x-kinesis",
    "x-kinesis_firehose",
    "x-ssm_parameter",
    "x-elasticache",
    "x-aps",
    "x-codeguru_profiler",
    "x-dashboards",
    "x-cognito_userpool",
    // per-service keys (emit/ecs)
    "x-iam",
    "x-network",
    "x-logging",
    "x-scaling",
    "x-secrets",
    "x-ecs",
    "x-cloudmap",
    "x-aws-role",
    "x-aws-policies",
    "x-aws-logs_retention",
    "x-aws-min_percent",
    "x-aws-max_percent",
    "x-aws-pull_credentials",
    "x-aws-autoscaling",
    "x-xray",
    "x-ray",
    "x-prometheus",
    "x-monitoring",
    "x-ecs_connect",
];

/// Every `x-*` mapping key used anywhere in the compose `text`.
pub fn x_keys(text: &str) -> std::collections::BTreeSet<String> {
    use composex_core::yaml::{parse, Limits, Node, Value};
    fn walk(node: &Node, out: &mut std::collections::BTreeSet<String>) {
        match &node.value {
            Value::Map(m) => {
                for (key, value) in m.iter() {
                    if key.starts_with("x-") {
                        out.insert(key.to_string());
                    }
                    walk(value, out);
                }
            }
            Value::Seq(items) => items.iter().for_each(|n| walk(n, out)),
            Value::Scalar(_) => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    for doc in parse(0, text, &Limits::default()).0 {
        walk(&doc, &mut out);
    }
    out
}

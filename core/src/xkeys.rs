//! The names of every ComposeX `x-*` key composex knows, with the shape validation checks and
//! whether composex renders it yet. This table sits at the bottom so that validation (in
//! [`crate::compose`]) can read it; the registry of implementations, at the top of the crate,
//! has exactly one entry per key here (a test checks both ways).
//!
//! A key marked [`Support::NotYet`] is refused at the key (CX374), never dropped silently; a key
//! absent from this table is unknown and only warned about.

/// Where an `x-*` key is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// At the top level of the compose file (`x-sqs:`).
    TopLevel,
    /// In a service (`services.<name>.x-iam:`).
    Service,
    /// In a service's `deploy` (`deploy.x-aws-autoscaling:`).
    Deploy,
    /// In a top-level secret (`secrets.<name>.x-secrets:`).
    Secret,
    /// In a top-level volume (`volumes.<name>.x-efs:`).
    Volume,
    /// In a top-level network (`networks.<name>.x-aws-securitygroup:`).
    Network,
    /// In a service's long-form port (`ports: [{target: 80, x-aws-protocol: http}]`).
    Port,
    /// In a service's `deploy.update_config` (`x-aws-min_percent:`).
    UpdateConfig,
}

/// How a top-level key's value is laid out (what validation checks before any module runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A mapping of named resources, each with the given keys.
    Resources(&'static [&'static str]),
    /// One settings object with the given keys (`x-vpc`, `x-cluster`).
    Single(&'static [&'static str]),
    /// Free-form, checked by its module only (`x-tags`, service extensions).
    Free,
}

/// Whether composex renders a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// Rendered by its module.
    Implemented,
    /// Known but not rendered yet: an error at the key. The text says what the key would make.
    NotYet(&'static str),
    /// Known and refused because composex does the same thing another way: an error at the
    /// key (CX680) whose help is this text, naming the equivalent.
    Equivalent(&'static str),
}

/// One known `x-*` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XKey {
    /// The key as written, e.g. `x-sqs`.
    pub key: &'static str,
    /// Where it is written.
    pub scope: Scope,
    /// The layout validation checks (top-level keys).
    pub shape: Shape,
    /// Whether its resources' `Lookup` is the common one (`Tags`, `Arn`, `Identifier`, ...).
    pub common_lookup: bool,
    /// Rendered, or refused at the key.
    pub support: Support,
}

/// Keys every ComposeX resource may have (x-resources.common.spec.json).
const COMMON: &[&str] = &[
    "Properties",
    "MacroParameters",
    "Settings",
    "Services",
    "Lookup",
];

macro_rules! resource_keys {
    ($($extra:literal),*) => {
        &["Properties", "MacroParameters", "Settings", "Services", "Lookup" $(, $extra)*]
    };
}

const fn top(key: &'static str, shape: Shape, common_lookup: bool) -> XKey {
    XKey {
        key,
        scope: Scope::TopLevel,
        shape,
        common_lookup,
        support: Support::Implemented,
    }
}

const fn top_not_yet(key: &'static str, shape: Shape, what: &'static str) -> XKey {
    XKey {
        key,
        scope: Scope::TopLevel,
        shape,
        common_lookup: true,
        support: Support::NotYet(what),
    }
}

const fn nested(key: &'static str, scope: Scope, support: Support) -> XKey {
    XKey {
        key,
        scope,
        shape: Shape::Free,
        common_lookup: false,
        support,
    }
}

const IMPLEMENTED: Support = Support::Implemented;

/// Every known key: the top-level modules ComposeX 1.1.9 loads, then the per-service extensions
/// ComposeX reads (including the Docker ECS plugin's `x-aws-*`), then the nested ones.
pub const ALL: &[XKey] = &[
    top("x-vpc", Shape::Single(&["Properties", "Lookup"]), false),
    top(
        "x-cluster",
        Shape::Single(&["Properties", "Lookup", "MacroParameters"]),
        false,
    ),
    top("x-aws-cluster", Shape::Free, false),
    // Docker's ECS integration: an existing VPC, an existing load balancer, the log retention of
    // the project, and a CloudFormation overlay merged into the templates.
    top("x-aws-vpc", Shape::Free, false),
    top("x-aws-loadbalancer", Shape::Free, false),
    top("x-aws-logs_retention", Shape::Free, false),
    top("x-aws-cloudformation", Shape::Free, false),
    top("x-tags", Shape::Free, false),
    // composex's own settings for plain compose files (e.g. the project's load balancer).
    top("x-composex", Shape::Single(&["load_balancer"]), false),
    top("x-sqs", Shape::Resources(COMMON), true),
    top("x-sns", Shape::Resources(COMMON), true),
    top(
        "x-dynamodb",
        Shape::Resources(resource_keys!("Scaling")),
        true,
    ),
    top("x-s3", Shape::Resources(resource_keys!("Use")), true),
    top("x-kms", Shape::Resources(COMMON), true),
    top("x-kinesis", Shape::Resources(COMMON), true),
    top("x-kinesis_firehose", Shape::Resources(COMMON), true),
    top(
        "x-ssm_parameter",
        Shape::Resources(resource_keys!("Use")),
        true,
    ),
    top("x-rds", Shape::Resources(COMMON), false),
    top(
        "x-docdb",
        Shape::Resources(resource_keys!("SecretsMappings")),
        false,
    ),
    top("x-neptune", Shape::Resources(COMMON), true),
    top("x-elasticache", Shape::Resources(COMMON), true),
    top(
        "x-opensearch",
        Shape::Resources(resource_keys!("Use")),
        true,
    ),
    top_not_yet(
        "x-efs",
        Shape::Resources(COMMON),
        "a top-level x-efs (ECS ComposeX reads x-efs under a named volume: write it as volumes.<name>.x-efs, which composex renders)",
    ),
    top(
        "x-elbv2",
        Shape::Resources(resource_keys!("Listeners", "TargetGroups", "DnsAliases")),
        false,
    ),
    top("x-acm", Shape::Resources(resource_keys!("Use")), true),
    top(
        "x-route53",
        Shape::Resources(&["ZoneName", "Name", "Lookup"]),
        false,
    ),
    top(
        "x-cloudmap",
        Shape::Resources(&[
            "ZoneName",
            "Name",
            "Properties",
            "MacroParameters",
            "Lookup",
        ]),
        false,
    ),
    top("x-cognito_userpool", Shape::Resources(COMMON), true),
    top(
        "x-wafv2_webacl",
        Shape::Resources(resource_keys!("LoadBalancers")),
        true,
    ),
    top(
        "x-alarms",
        Shape::Resources(resource_keys!("Topics")),
        false,
    ),
    top("x-events", Shape::Resources(COMMON), false),
    top(
        "x-dashboards",
        Shape::Resources(&["Type", "Settings", "Services", "Resources"]),
        false,
    ),
    top("x-aps", Shape::Resources(COMMON), true),
    top("x-codeguru_profiler", Shape::Resources(COMMON), true),
    nested("x-network", Scope::Service, IMPLEMENTED),
    nested("x-scaling", Scope::Service, IMPLEMENTED),
    nested("x-iam", Scope::Service, IMPLEMENTED),
    nested("x-logging", Scope::Service, IMPLEMENTED),
    nested("x-ecs", Scope::Service, IMPLEMENTED),
    nested("x-xray", Scope::Service, IMPLEMENTED),
    nested("x-ray", Scope::Service, IMPLEMENTED),
    nested("x-prometheus", Scope::Service, IMPLEMENTED),
    nested("x-monitoring", Scope::Service, IMPLEMENTED),
    nested("x-alarms", Scope::Service, IMPLEMENTED),
    nested(
        "x-ecr",
        Scope::Service,
        Support::NotYet("ECR image scanning and digest pinning"),
    ),
    nested(
        "x-docker_opts",
        Scope::Service,
        Support::NotYet("image digest pinning"),
    ),
    nested(
        "x-environment",
        Scope::Service,
        Support::NotYet("the ComposeX environment variables"),
    ),
    nested("x-codeguru_profiler", Scope::Service, IMPLEMENTED),
    nested("x-aws-role", Scope::Service, IMPLEMENTED),
    nested("x-aws-policies", Scope::Service, IMPLEMENTED),
    nested("x-aws-pull_credentials", Scope::Service, IMPLEMENTED),
    nested("x-aws-logs_retention", Scope::Service, IMPLEMENTED),
    nested("x-aws-min_percent", Scope::Service, IMPLEMENTED),
    nested("x-aws-max_percent", Scope::Service, IMPLEMENTED),
    nested("x-aws-autoscaling", Scope::Deploy, IMPLEMENTED),
    // Where Docker's ECS integration read them (the service-level keys above are ComposeX's).
    nested("x-aws-min_percent", Scope::UpdateConfig, IMPLEMENTED),
    nested("x-aws-max_percent", Scope::UpdateConfig, IMPLEMENTED),
    nested("x-aws-protocol", Scope::Port, IMPLEMENTED),
    nested("x-aws-certificate", Scope::Port, IMPLEMENTED),
    nested("x-aws-securitygroup", Scope::Network, IMPLEMENTED),
    nested(
        "x-aws-keys",
        Scope::Secret,
        Support::Equivalent(
            "Docker's sidecar wrote each JSON key of the secret to a file; composex gives each key to the containers as its own variable with `x-secrets: {Name: <secret name or ARN>, JsonKeys: [{SecretKey: <key>, VarName: <VARIABLE>}]}`",
        ),
    ),
    nested("x-secrets", Scope::Secret, IMPLEMENTED),
    nested("x-efs", Scope::Volume, IMPLEMENTED),
];

/// The known key `key` written at `scope`.
pub fn find(scope: Scope, key: &str) -> Option<&'static XKey> {
    ALL.iter().find(|k| k.scope == scope && k.key == key)
}

/// The known keys written at `scope`.
pub fn names(scope: Scope) -> impl Iterator<Item = &'static str> {
    ALL.iter().filter(move |k| k.scope == scope).map(|k| k.key)
}

//! The registry of x-modules: one entry per `x-*` key composex knows (top level, per service,
//! per secret, per volume), each implementing [`XModule`]. It sits at the top, next to the
//! pipeline, because its entries wrap both the family emitter's keys ([`crate::emit`]) and the
//! x-modules ([`crate::modules`]). Validation reads the names table below it
//! ([`crate::xkeys`]); a test checks that the two list the same keys.
//!
//! Adding a module: a folder under `core/src/modules/<name>/` (its `mod.rs` with a
//! `ModuleDef`, a `README.md`, example compose files under `fixtures/`, and `pub mod <name>;`
//! in `modules/mod.rs`), one line in [`REGISTRY`] (whose order is the emit order), and its key
//! marked implemented in [`crate::xkeys::ALL`] (its `Refused` line here goes).

use crate::modules::{self, ModuleDef};
use crate::xkeys::{self, Scope, XKey};

/// What an example must produce to prove its module works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// At least one resource of this CloudFormation type in some template.
    Resource(&'static str),
    /// This text in some output file (for keys that change resources rather than add them).
    Text(&'static str),
}

/// An example compose file of a module: documentation and a test fixture at once.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// Its path in the repository.
    pub path: &'static str,
    /// Its text.
    pub text: &'static str,
    /// What rendering it must produce.
    pub proves: Proof,
}

/// A module's documentation: a markdown page and its examples.
#[derive(Debug, Clone, Copy, Default)]
pub struct Docs {
    /// The markdown page (the module folder's `README.md`), if it has one.
    pub readme: Option<&'static str>,
    /// Example compose files.
    pub examples: &'static [Example],
}

/// One registry entry: an `x-*` key and what implements it.
pub trait XModule: Sync {
    /// The key: its name, scope, the shape validation checks, and whether it is rendered.
    fn key(&self) -> &'static XKey;
    /// The stacks (file stems) it makes: a task family must not take one of these names.
    fn stacks(&self) -> Vec<&'static str> {
        Vec::new()
    }
    /// For the x-resource modules: the definition whose hooks read, plan, link (access levels
    /// with their IAM actions, env vars), look up and scale its resources.
    fn resource_module(&self) -> Option<&'static ModuleDef> {
        None
    }
    /// Its documentation and examples.
    fn docs(&self) -> Docs;
}

/// The known key `key` at `scope`; the names table is checked against the registry by a test,
/// so a miss is a programming error reported at the first render.
fn known(scope: Scope, key: &str) -> &'static XKey {
    xkeys::find(scope, key).unwrap_or(&UNKNOWN)
}

/// Placeholder that never matches a real key (a registry line whose key is missing from the
/// names table; the registry test fails on it).
const UNKNOWN: XKey = XKey {
    key: "",
    scope: Scope::TopLevel,
    shape: xkeys::Shape::Free,
    common_lookup: false,
    support: xkeys::Support::Implemented,
};

/// An x-resource module (SQS, SNS, ...): a [`ModuleDef`] and its docs.
pub struct Resources {
    /// The definition, in its module folder.
    pub def: &'static ModuleDef,
    /// Its docs, in its module folder.
    pub docs: Docs,
}

impl XModule for Resources {
    fn key(&self) -> &'static XKey {
        known(Scope::TopLevel, self.def.key)
    }
    fn stacks(&self) -> Vec<&'static str> {
        vec![self.def.stack]
    }
    fn resource_module(&self) -> Option<&'static ModuleDef> {
        Some(self.def)
    }
    fn docs(&self) -> Docs {
        self.docs
    }
}

/// A key rendered by a fixed stage of the pipeline: the network, the cluster, the task
/// families and their per-service extensions, the tags, or the load balancers with their
/// certificates and DNS records.
pub struct Stage {
    /// The key.
    pub key: &'static str,
    /// Where it is written.
    pub scope: Scope,
    /// The stacks it makes that families must not take.
    pub stacks: &'static [&'static str],
    /// Its docs.
    pub docs: Docs,
}

impl XModule for Stage {
    fn key(&self) -> &'static XKey {
        known(self.scope, self.key)
    }
    fn stacks(&self) -> Vec<&'static str> {
        self.stacks.to_vec()
    }
    fn docs(&self) -> Docs {
        self.docs
    }
}

/// A known key composex does not render (yet, CX374; or because it does the same another way,
/// CX680): validation refuses it at the key.
pub struct Refused {
    /// The key.
    pub key: &'static str,
    /// Where it is written.
    pub scope: Scope,
}

impl XModule for Refused {
    fn key(&self) -> &'static XKey {
        known(self.scope, self.key)
    }
    fn docs(&self) -> Docs {
        Docs::default()
    }
}

macro_rules! example {
    ($path:literal, $proves:expr) => {
        Example {
            path: concat!("core/src/", $path),
            text: include_str!($path),
            proves: $proves,
        }
    };
}

macro_rules! resources {
    ($module:ident, $example:literal, $type_:literal) => {
        &Resources {
            def: &modules::$module::MODULE,
            docs: Docs {
                readme: Some(include_str!(concat!(
                    "modules/",
                    stringify!($module),
                    "/README.md"
                ))),
                examples: &[example!($example, Proof::Resource($type_))],
            },
        }
    };
}

const fn stage(key: &'static str, scope: Scope, examples: &'static [Example]) -> Stage {
    Stage {
        key,
        scope,
        stacks: &[],
        docs: Docs {
            readme: None,
            examples,
        },
    }
}

/// Every known key and what implements it.
pub static REGISTRY: &[&dyn XModule] = &[
    &stage(
        "x-vpc",
        Scope::TopLevel,
        &[example!(
            "emit/examples/vpc.yml",
            Proof::Resource("AWS::EC2::VPC")
        )],
    ),
    &stage(
        "x-cluster",
        Scope::TopLevel,
        &[
            example!(
                "emit/examples/cluster.yml",
                Proof::Resource("AWS::ECS::Cluster")
            ),
            example!(
                "emit/examples/ec2-capacity.yml",
                Proof::Resource("AWS::ECS::CapacityProvider")
            ),
            example!(
                "emit/examples/ec2-spot.yml",
                Proof::Resource("AWS::AutoScaling::AutoScalingGroup")
            ),
        ],
    ),
    &stage(
        "x-aws-cluster",
        Scope::TopLevel,
        &[example!(
            "emit/examples/aws-cluster.yml",
            Proof::Text("existing-cluster-from-ecs-plugin")
        )],
    ),
    &stage(
        "x-aws-vpc",
        Scope::TopLevel,
        &[example!(
            "emit/examples/docker-ecs.yml",
            Proof::Text("\"ParameterValue\": \"vpc-0123456789abcdef0\"")
        )],
    ),
    &stage(
        "x-aws-loadbalancer",
        Scope::TopLevel,
        &[example!(
            "emit/examples/docker-ecs.yml",
            Proof::Text("Ref: ExistingLoadBalancerArn")
        )],
    ),
    &stage(
        "x-aws-logs_retention",
        Scope::TopLevel,
        &[example!(
            "emit/examples/docker-ecs.yml",
            Proof::Text("RetentionInDays: 14")
        )],
    ),
    &stage(
        "x-aws-cloudformation",
        Scope::TopLevel,
        &[example!(
            "emit/examples/docker-ecs.yml",
            Proof::Text("HealthCheckPath: /healthz-from-overlay")
        )],
    ),
    &stage(
        "x-tags",
        Scope::TopLevel,
        &[example!(
            "emit/examples/tags.yml",
            Proof::Text("costcentre-from-x-tags")
        )],
    ),
    &stage(
        "x-composex",
        Scope::TopLevel,
        &[example!(
            "emit/examples/composex.yml",
            Proof::Resource("AWS::ElasticLoadBalancingV2::LoadBalancer")
        )],
    ),
    &stage(
        "x-cloudmap",
        Scope::TopLevel,
        &[example!(
            "emit/examples/cloudmap.yml",
            Proof::Resource("AWS::ServiceDiscovery::PrivateDnsNamespace")
        )],
    ),
    resources!(kms, "modules/kms/fixtures/keys.yml", "AWS::KMS::Key"),
    resources!(sqs, "modules/sqs/fixtures/queues.yml", "AWS::SQS::Queue"),
    resources!(sns, "modules/sns/fixtures/topics.yml", "AWS::SNS::Topic"),
    resources!(
        wafv2_webacl,
        "modules/wafv2_webacl/fixtures/web_acls.yml",
        "AWS::WAFv2::WebACLAssociation"
    ),
    resources!(s3, "modules/s3/fixtures/buckets.yml", "AWS::S3::Bucket"),
    resources!(
        dynamodb,
        "modules/dynamodb/fixtures/tables.yml",
        "AWS::DynamoDB::Table"
    ),
    resources!(
        rds,
        "modules/rds/fixtures/databases.yml",
        "AWS::RDS::DBCluster"
    ),
    resources!(
        docdb,
        "modules/docdb/fixtures/catalog.yml",
        "AWS::DocDB::DBCluster"
    ),
    resources!(
        neptune,
        "modules/neptune/fixtures/graph.yml",
        "AWS::Neptune::DBCluster"
    ),
    resources!(
        opensearch,
        "modules/opensearch/fixtures/search.yml",
        "AWS::OpenSearchService::Domain"
    ),
    resources!(
        alarms,
        "modules/alarms/fixtures/alarms.yml",
        "AWS::CloudWatch::Alarm"
    ),
    resources!(
        events,
        "modules/events/fixtures/rules.yml",
        "AWS::Events::Rule"
    ),
    resources!(
        aps,
        "modules/aps/fixtures/workspaces.yml",
        "AWS::APS::Workspace"
    ),
    resources!(
        kinesis,
        "modules/kinesis/fixtures/streams.yml",
        "AWS::Kinesis::Stream"
    ),
    resources!(
        firehose,
        "modules/firehose/fixtures/delivery.yml",
        "AWS::KinesisFirehose::DeliveryStream"
    ),
    resources!(
        ssm,
        "modules/ssm/fixtures/parameters.yml",
        "AWS::SSM::Parameter"
    ),
    resources!(
        elasticache,
        "modules/elasticache/fixtures/caches.yml",
        "AWS::ElastiCache::ReplicationGroup"
    ),
    resources!(
        codeguru,
        "modules/codeguru/fixtures/profilers.yml",
        "AWS::CodeGuruProfiler::ProfilingGroup"
    ),
    resources!(
        dashboards,
        "modules/dashboards/fixtures/dashboards.yml",
        "AWS::CloudWatch::Dashboard"
    ),
    &Stage {
        key: "x-elbv2",
        scope: Scope::TopLevel,
        stacks: &[modules::elbv2::STACK],
        docs: Docs {
            readme: Some(include_str!("modules/elbv2/README.md")),
            examples: &[
                example!(
                    "modules/elbv2/fixtures/seed_alb.yml",
                    Proof::Resource("AWS::ElasticLoadBalancingV2::LoadBalancer")
                ),
                example!(
                    "modules/elbv2/fixtures/nlb.yml",
                    Proof::Resource("AWS::ElasticLoadBalancingV2::Listener")
                ),
                example!(
                    "modules/elbv2/fixtures/target_groups.yml",
                    Proof::Resource("AWS::ElasticLoadBalancingV2::ListenerRule")
                ),
                example!(
                    "modules/elbv2/fixtures/cognito_auth.yml",
                    Proof::Resource("AWS::ElasticLoadBalancingV2::ListenerRule")
                ),
                example!(
                    "modules/elbv2/fixtures/lookup_alb.yml",
                    Proof::Resource("AWS::ElasticLoadBalancingV2::ListenerCertificate")
                ),
            ],
        },
    },
    &Stage {
        key: "x-acm",
        scope: Scope::TopLevel,
        stacks: &[modules::elbv2::acm::STACK],
        docs: Docs {
            readme: Some(include_str!("modules/elbv2/README.md")),
            examples: &[example!(
                "modules/elbv2/fixtures/dns_alias.yml",
                Proof::Resource("AWS::CertificateManager::Certificate")
            )],
        },
    },
    &Stage {
        key: "x-route53",
        scope: Scope::TopLevel,
        stacks: &[],
        docs: Docs {
            readme: Some(include_str!("modules/route53/README.md")),
            examples: &[example!(
                "modules/elbv2/fixtures/dns_alias.yml",
                Proof::Resource("AWS::Route53::RecordSet")
            )],
        },
    },
    &Refused {
        key: "x-efs",
        scope: Scope::TopLevel,
    },
    resources!(
        cognito_userpool,
        "modules/cognito_userpool/fixtures/user_pools.yml",
        "AWS::Cognito::UserPoolClient"
    ),
    // Per-service extensions, rendered by the task family emitter.
    &stage(
        "x-network",
        Scope::Service,
        &[example!(
            "emit/examples/service-keys.yml",
            Proof::Text("AssignPublicIp: ENABLED")
        )],
    ),
    &stage(
        "x-scaling",
        Scope::Service,
        &[example!(
            "emit/examples/service-keys.yml",
            Proof::Resource("AWS::ApplicationAutoScaling::ScalingPolicy")
        )],
    ),
    &stage(
        "x-iam",
        Scope::Service,
        &[example!(
            "emit/examples/service-keys.yml",
            Proof::Text("PermissionsBoundary")
        )],
    ),
    &stage(
        "x-logging",
        Scope::Service,
        &[example!(
            "emit/examples/service-keys.yml",
            Proof::Text("RetentionInDays: 545")
        )],
    ),
    &stage(
        "x-ecs",
        Scope::Service,
        &[example!(
            "emit/examples/service-keys.yml",
            Proof::Text("EnableExecuteCommand: true")
        )],
    ),
    &stage(
        "x-xray",
        Scope::Service,
        &[example!(
            "emit/examples/service-keys.yml",
            Proof::Text("xray-daemon")
        )],
    ),
    &stage(
        "x-ray",
        Scope::Service,
        &[example!(
            "emit/examples/x-ray.yml",
            Proof::Text("xray-daemon")
        )],
    ),
    &Stage {
        key: "x-prometheus",
        scope: Scope::Service,
        stacks: &[],
        docs: Docs {
            readme: Some(include_str!("modules/prometheus/README.md")),
            examples: &[example!(
                "modules/prometheus/fixtures/prometheus.yml",
                Proof::Text("PROMETHEUS_CONFIG_CONTENT")
            )],
        },
    },
    &Stage {
        key: "x-monitoring",
        scope: Scope::Service,
        stacks: &[],
        docs: Docs {
            readme: Some(include_str!("modules/monitoring/README.md")),
            examples: &[example!(
                "modules/monitoring/fixtures/monitoring.yml",
                Proof::Text("AWS_EMF_AGENT_ENDPOINT")
            )],
        },
    },
    &stage(
        "x-alarms",
        Scope::Service,
        &[example!(
            "modules/alarms/fixtures/alarms.yml",
            Proof::Resource("AWS::CloudWatch::Alarm")
        )],
    ),
    &Refused {
        key: "x-ecr",
        scope: Scope::Service,
    },
    &Refused {
        key: "x-docker_opts",
        scope: Scope::Service,
    },
    &Refused {
        key: "x-environment",
        scope: Scope::Service,
    },
    &stage(
        "x-codeguru_profiler",
        Scope::Service,
        &[example!(
            "modules/codeguru/fixtures/service_level.yml",
            Proof::Text("AWS_CODEGURU_PROFILER_GROUP_NAME")
        )],
    ),
    &stage(
        "x-aws-role",
        Scope::Service,
        &[example!(
            "emit/examples/service-keys.yml",
            Proof::Text("from-x-aws-role")
        )],
    ),
    &stage(
        "x-aws-policies",
        Scope::Service,
        &[example!(
            "emit/examples/service-keys.yml",
            Proof::Text("policy/from-x-aws-policies")
        )],
    ),
    &stage(
        "x-aws-pull_credentials",
        Scope::Service,
        &[example!(
            "emit/examples/service-keys.yml",
            Proof::Text("RepositoryCredentials")
        )],
    ),
    &stage(
        "x-aws-logs_retention",
        Scope::Service,
        &[example!(
            "emit/examples/service-keys.yml",
            Proof::Text("RetentionInDays: 400")
        )],
    ),
    &stage(
        "x-aws-min_percent",
        Scope::Service,
        &[example!(
            "emit/examples/service-keys.yml",
            Proof::Text("MinimumHealthyPercent: 42")
        )],
    ),
    &stage(
        "x-aws-max_percent",
        Scope::Service,
        &[example!(
            "emit/examples/service-keys.yml",
            Proof::Text("MaximumPercent: 142")
        )],
    ),
    &stage(
        "x-aws-autoscaling",
        Scope::Deploy,
        &[example!(
            "emit/examples/aws-autoscaling.yml",
            Proof::Resource("AWS::ApplicationAutoScaling::ScalingPolicy")
        )],
    ),
    &stage(
        "x-aws-min_percent",
        Scope::UpdateConfig,
        &[example!(
            "emit/examples/docker-ecs.yml",
            Proof::Text("MinimumHealthyPercent: 50")
        )],
    ),
    &stage(
        "x-aws-max_percent",
        Scope::UpdateConfig,
        &[example!(
            "emit/examples/docker-ecs.yml",
            Proof::Text("MaximumPercent: 150")
        )],
    ),
    &stage(
        "x-aws-protocol",
        Scope::Port,
        &[example!(
            "emit/examples/aws-protocol.yml",
            Proof::Text("Type: application")
        )],
    ),
    &stage(
        "x-aws-certificate",
        Scope::Port,
        &[example!(
            "emit/examples/docker-ecs.yml",
            Proof::Text("SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06")
        )],
    ),
    &stage(
        "x-aws-securitygroup",
        Scope::Network,
        &[example!(
            "emit/examples/docker-ecs.yml",
            Proof::Text("\"ParameterValue\": \"sg-0123456789abcdef0\"")
        )],
    ),
    &Refused {
        key: "x-aws-keys",
        scope: Scope::Secret,
    },
    &stage(
        "x-secrets",
        Scope::Secret,
        &[example!(
            "emit/examples/service-keys.yml",
            Proof::Text("ValueFrom")
        )],
    ),
    &Stage {
        key: "x-efs",
        scope: Scope::Volume,
        stacks: &[],
        docs: Docs {
            readme: Some(include_str!("modules/efs/README.md")),
            examples: &[example!(
                "modules/efs/fixtures/shared.yml",
                Proof::Text("FileSystemPolicy")
            )],
        },
    },
];

/// The names of the stacks the registered modules make (a task family must not take one).
pub fn reserved_stacks() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for entry in REGISTRY {
        for stack in entry.stacks() {
            if !names.contains(&stack) {
                names.push(stack);
            }
        }
    }
    names
}

/// The x-resource modules, in registry order.
pub fn resource_modules() -> impl Iterator<Item = &'static ModuleDef> {
    REGISTRY.iter().filter_map(|e| e.resource_module())
}

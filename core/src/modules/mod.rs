//! x-modules: one folder per top-level `x-<name>` key (each x-module has the
//! same shape).
//!
//! The x-resource modules (SQS, SNS, DynamoDB, S3, KMS) share one shape, described by a
//! [`ModuleDef`]: the CloudFormation type they create (its `Properties` are checked against the
//! type's schema, [`crate::schema`]), the values it
//! offers (`ReturnValues`; the first is the `Ref` value, the linked containers' default env var),
//! how a looked-up resource's values follow from its ARN, and three functions: `grants` (what
//! this module's resources need from other modules' resources, e.g. a topic delivering to a
//! queue needs the queue's policy to let it send), `emit` (the resource into the module's stack)
//! and `access` (an access level -> IAM statements). [`emit`] runs them all (after the task
//! families are planned, before they are written) and returns the [`Links`]: what each family
//! gets (task role policies, env vars, secrets, scaling), which the family emitter writes.
//!
//! Data stores (DynamoDB tables, S3 buckets, KMS keys: deleting a key destroys everything it
//! encrypted) get `DeletionPolicy` and `UpdateReplacePolicy` `Retain`. Queues and topics hold
//! messages in transit, not data at rest: they keep CloudFormation's default (delete), so a
//! rename does not leave orphans behind; a module-level `DeletionPolicy:` overrides this.

pub mod alarms;
pub mod aps;
pub mod codeguru;
pub mod cognito_userpool;
pub mod common;
pub mod dashboards;
pub mod docdb;
pub mod dynamodb;
pub mod elasticache;
pub mod elbv2;
pub mod events;
pub mod firehose;
pub mod firelens;
pub mod kinesis;
pub mod kms;
pub mod neptune;
pub mod opensearch;
pub mod rds;
pub mod route53;
pub mod s3;
pub mod sns;
pub mod sqs;
pub mod ssm;
pub mod subnets;
#[cfg(test)]
pub mod testing;
pub mod wafv2_webacl;

use crate::compose::Project;
use crate::diagnostic::Diagnostic;
use crate::stack::Stacks;

pub use crate::stack::links::{
    self, EnvVar, FamilyLinks, LinkPolicy, Links, SecretVar, Statement, StepScaling, INVALID,
};
pub use common::{Catalog, Ctx, Entry, Grant};

pub use crate::schema::UNKNOWN_PROPERTY;
/// A reference `x-<module>::<name>[::<value>]` names nothing we define.
pub const BAD_REFERENCE: &str = "CX363";
/// An `Access` level the module does not have.
pub const UNKNOWN_ACCESS: &str = "CX364";
/// A `ReturnValues` key the resource does not offer.
pub const UNKNOWN_RETURN_VALUE: &str = "CX365";
/// A looked-up resource whose values must be given as parameters (no AWS call is made).
pub const LOOKUP_PARAMETER: &str = "CX366";
/// Two linked resources give a container the same env var name.
pub const ENV_CONFLICT: &str = "CX367";
/// A dead-letter queue setting that SQS rejects (unknown queue, FIFO mismatch, count out of range).
pub const DEAD_LETTER: &str = "CX368";
/// A FIFO naming or setting rule broken (`.fifo` suffix, FIFO-only settings).
pub const FIFO: &str = "CX369";
/// `Scaling` steps that cannot make a step scaling policy.
pub const SCALING: &str = "CX370";
/// A subscription or notification target that is not one of our resources or an ARN.
pub const BAD_TARGET: &str = "CX371";
/// A setting composex leaves out (the help says why).
pub const IGNORED: &str = "CX372";
/// A resource name that AWS rejects.
pub const NAME: &str = "CX373";

/// A module's step scaling hook: the [`StepScaling`] a linked family's `Scaling` node asks for,
/// None after reporting why it cannot.
pub type ScalingHook =
    fn(&mut Ctx, &Entry, family: &str, node: &crate::yaml::Node) -> Option<StepScaling>;

/// How a module's value is read: `Ref` or `Fn::GetAtt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnValue {
    /// The name users write in `ReturnValues` and in `x-<module>::<name>::<value>`.
    pub name: &'static str,
    /// `None` for the resource's `Ref`, else the `Fn::GetAtt` attribute; `Attribute+suffix` is
    /// that attribute followed by a fixed text (`Fn::Sub`).
    pub attribute: Option<&'static str>,
}

/// Values of a looked-up resource (return value name, value) known from its `Lookup.Arn` and
/// `Lookup.Identifier`.
pub type LookupValues =
    fn(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)>;

/// The shape every x-resource module has.
#[derive(Debug)]
pub struct ModuleDef {
    /// The top-level key, e.g. `x-sqs`.
    pub key: &'static str,
    /// The stack (and file stem) holding the module's resources, e.g. `sqs`.
    pub stack: &'static str,
    /// The CloudFormation type of the main resource: its `Properties` are checked against the
    /// type's schema (`crate::schema`), so a module gets the check by naming its type.
    pub resource_type: &'static str,
    /// The values offered; the first is the `Ref` value (the default env var).
    pub return_values: &'static [ReturnValue],
    /// The keys read under `Settings` / `MacroParameters` (others are reported as ignored).
    pub settings: &'static [&'static str],
    /// Whether linked services get the default env var (the first return value). ComposeX gives
    /// none for alarms and rules: nothing a container uses.
    pub default_env: bool,
    /// How a linked family's `Scaling` scales on this module's resource; None: `Scaling` is
    /// warned about and ignored.
    pub scaling: Option<ScalingHook>,
    /// The access level names, for error messages.
    pub levels: &'static [&'static str],
    /// Values of a looked-up resource known from `Lookup.Arn` / `Lookup.Identifier`.
    pub lookup_values: LookupValues,
    /// What resource `entry` needs from other modules' resources (before anything is emitted).
    pub grants: fn(&mut Ctx, &Entry) -> Vec<Grant>,
    /// Emits resource `entry` (never a looked-up one) into the module's stack.
    pub emit: fn(&mut Ctx, &Entry),
    /// The statements access level `access` (the `Access` node) gives a family that links
    /// `entry`; `None` after reporting an unknown or malformed level.
    pub access:
        fn(&mut Ctx, &Entry, family: &str, access: &crate::yaml::Node) -> Option<Vec<Statement>>,
}

/// Emits every x-resource of `project` of the modules `defs` (in that order: KMS first, others
/// encrypt with its keys) into `stacks` (one stack per module) and returns what the linked
/// families get (the family emitter writes it into the family stacks). Runs after the families
/// are planned (their stacks exist, empty: imports of linked values made here stay in them) and
/// before they are written; a family named like a module stack is reported here.
pub fn emit(
    project: &Project,
    defs: &[&'static ModuleDef],
    stacks: &mut Stacks,
    check_properties: bool,
    diags: &mut Vec<Diagnostic>,
) -> Links {
    if let Some(legacy) = project.extension("x-configs") {
        let spot = legacy
            .get("composex")
            .and_then(|c| c.get("spot_config"))
            .is_some();
        let help = if spot {
            "its `composex.spot_config` (spot EC2 instances) is `x-cluster: {MacroParameters: {Ec2Capacity: {InstanceTypes: [...], Spot: {MaxPrice: <bid_price>}}}}` today, with services labelled `ecs.compute.platform: EC2`"
        } else {
            "since ComposeX 1.0 each x-resource links services under its own `Services:` key, e.g. x-sqs: {queue: {Services: {app01: {Access: Publish}}}}"
        };
        diags.push(
            Diagnostic::warning(
                IGNORED,
                "x-configs is ECS ComposeX 0.x syntax and is ignored",
                legacy.span,
            )
            .with_help(help),
        );
    }
    route53::check(project, diags);
    alarms::check_service_alarms(project, diags);
    let catalog = Catalog::read(project, defs, diags);
    // Made only when some module creates resources (building it reads every service again).
    let mut families = None;
    for module in defs {
        let creates = catalog.entries(module.key).any(|e| e.lookup.is_none());
        if creates
            && families
                .get_or_insert_with(|| project.families())
                .contains_key(module.stack)
        {
            let span = catalog
                .entries(module.key)
                .next()
                .map(|e| e.span)
                .unwrap_or_default();
            diags.push(
                Diagnostic::error(
                    NAME,
                    format!(
                        "task family `{}` has the name of the {} stack",
                        module.stack, module.key
                    ),
                    span,
                )
                .with_help("rename the family (ecs.task.family label or service name)"),
            );
            return Links::default();
        }
    }
    let mut links = Links::default();
    let mut ctx = Ctx::new(project, &catalog, stacks, &mut links, diags);
    ctx.check_properties = check_properties;
    ctx.collect_grants();
    // The source map: what a module adds for an entry came from that entry (a module that
    // knows a finer span notes it first).
    for module in defs {
        for entry in catalog.entries(module.key) {
            if entry.lookup.is_none() {
                (module.emit)(&mut ctx, entry);
            }
            ctx.stacks.note_origin(entry_span(entry));
        }
    }
    wafv2_webacl::associate(&mut ctx);
    for module in defs {
        for entry in catalog.entries(module.key) {
            ctx.link(module, entry);
            ctx.check_settings(entry);
            ctx.stacks.note_origin(entry_span(entry));
        }
    }
    elasticache::link_all(&mut ctx);
    firelens::link(&mut ctx);
    codeguru::link_agents(&mut ctx);
    ctx.finish();
    for module in defs {
        if let Some(node) = project.extension(module.key) {
            ctx.stacks.note_origin(node.span);
        }
    }
    links
}

/// An entry's name through the end of its definition.
pub fn entry_span(entry: &Entry) -> crate::diagnostic::Span {
    entry
        .node
        .map_or(entry.span, |node| entry.span.cover(node.span))
}

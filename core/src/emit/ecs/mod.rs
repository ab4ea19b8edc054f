//! ECS: compose services grouped into task families, one stack per family holding the task
//! definition, the ECS service, its log group, roles, security group, CloudMap registration and
//! auto scaling; plus the CloudMap namespaces (`cloudmap` stack) and the ingress rules between
//! families (`ServicesNetworking` stack, so family stacks never depend on each other).
//!
//! Family stacks use fixed logical ids ([`TASK_DEFINITION`], [`SERVICE`], [`TASK_ROLE`],
//! [`SECURITY_GROUP`], ...) so that emitters that run later (a load balancer) can find and extend
//! them in `stacks.stack(family)`. Container names are the service names (`-` for other
//! characters than letters, digits, `-`, `_`).

mod additions;
mod cloudmap;
mod compute;
mod container;
mod cw_agent;
mod cw_agent_config;
mod cw_agent_prometheus;
mod deployment;
mod ecs_connect;
pub mod efs;
pub mod efs_options;
pub mod efs_xefs;
mod family;
pub mod fargate;
mod firelens;
mod health;
mod iam;
pub mod image_ports;
mod internal;
mod logging;
pub mod mounted_files;
mod networks;
mod references;
mod scaling;
mod secrets;
mod security_groups;
mod service;
mod service_connect;
mod xray;

use indexmap::IndexMap;

use crate::compose::model::Service;
use crate::compose::Project;
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::Stacks;
use crate::yaml::Node;

/// `x-ecs` is malformed.
pub const X_ECS: &str = "CX320";
/// `x-network` is malformed.
pub const X_NETWORK: &str = "CX321";
/// `x-logging` is malformed (e.g. a retention CloudWatch Logs does not offer).
pub const X_LOGGING: &str = "CX322";
/// `x-iam` is malformed.
pub const X_IAM: &str = "CX323";
/// `x-scaling` is malformed.
pub const X_SCALING: &str = "CX324";
/// A compose secret or its `x-secrets` is malformed or cannot be deployed.
pub const SECRETS: &str = "CX325";
/// `x-cloudmap` is malformed, or a service names a namespace that is not defined.
pub const X_CLOUDMAP: &str = "CX326";
/// An unknown key in a per-service extension.
pub const UNKNOWN_KEY: &str = "CX327";
/// A task family name that cannot name a stack, or that another stack already uses.
pub const FAMILY_NAME: &str = "CX328";
/// A compose key Fargate cannot honour (the value is left out).
pub const NOT_ON_FARGATE: &str = "CX329";
/// A `depends_on` condition ECS cannot check (e.g. healthy without a healthcheck).
pub const DEPENDS_ON: &str = "CX330";
/// A service without `image:` (its image parameter has no default).
pub const NO_IMAGE: &str = "CX331";
/// Services of one family disagree on a family-wide setting.
pub const FAMILY_CONFLICT: &str = "CX332";
/// `x-xray` / `x-ray` is malformed.
pub const X_XRAY: &str = "CX333";
/// The family needs more than the largest Fargate task (16 vCPU, 120 GiB).
pub const FARGATE_TOO_BIG: &str = "CX400";
/// The family's CPU / memory were rounded up to a valid Fargate size.
pub const FARGATE_ROUNDED: &str = "CX401";
/// A value was moved into the range ECS accepts.
pub const CLAMPED: &str = "CX402";
/// A task would need more security groups than ECS allows.
pub const TOO_MANY_GROUPS: &str = "CX403";

pub use cloudmap::DISCOVERY_SERVICE;
pub use container::{container_name, LOG_GROUP};
pub use iam::{EXECUTION_ROLE, TASK_ROLE};
pub use security_groups::SECURITY_GROUP;
pub use service::{SERVICE, TASK_DEFINITION};

/// Logical id of the ECS service in every family stack (load balancers attach to it).
pub const SERVICE_ID: &str = service::SERVICE;
/// Logical id of the family security group in every family stack.
pub const SECURITY_GROUP_ID: &str = security_groups::SECURITY_GROUP;

pub use crate::stack::family::{
    security_group_export, CLOUDMAP_STACK, NETWORKING_STACK, NETWORKS_STACK, SCALABLE_TARGET,
};

/// The task families of a project, planned (their shared stacks written) but not yet written.
pub struct Families<'a> {
    plans: Vec<family::Plan<'a>>,
    namespaces: cloudmap::Namespaces,
    cluster_default: bool,
}

impl Families<'_> {
    /// The planned families that will run an ECS service: all but those whose linked
    /// x-resources ask for none (`links`).
    pub fn serving<'s>(&'s self, links: &crate::stack::links::Links) -> Vec<&'s str> {
        self.plans
            .iter()
            .map(|p| p.name.as_str())
            .filter(|name| !links.family(name).is_some_and(|l| l.no_service))
            .collect()
    }
}

/// The compose secrets with `x-secrets` that containers may read (planning borrows them); none
/// read (and none reported) when there is no task family to read them.
pub fn read_secrets(project: &Project, diags: &mut Vec<Diagnostic>) -> secrets::Catalog {
    // Every service is in at least one family: no services, no families.
    if project.services.is_empty() {
        return secrets::Catalog::default();
    }
    secrets::read(project, diags)
}

/// Plans every task family of `project` (after the network and cluster emitters, whose exports
/// it imports) and writes what families share: network security groups, CloudMap namespaces and
/// the ingress rules between families. Each family's stack is created (empty) here, so that
/// emitters linking to a family before it is written ([`write()`]) add to it in a fixed place;
/// what they may know about a family is published as [`crate::stack::family::FamilyFacts`].
/// `reserved` names the stacks other emitters make: a family named like one is an error.
pub fn plan<'a>(
    project: &'a Project,
    secrets: &'a secrets::Catalog,
    reserved: &[&str],
    stacks: &mut Stacks,
    diags: &mut Vec<Diagnostic>,
) -> Families<'a> {
    let families = project.families();
    // Sized once: a plan is big, and a big project has thousands.
    let mut plans = Vec::with_capacity(families.len());
    for (name, services) in &families {
        if let Some(plan) = family::plan(
            name,
            services,
            secrets,
            &project.module_files,
            reserved,
            stacks,
            diags,
        ) {
            plans.push(plan);
        }
    }
    cw_agent::read_files(
        project,
        plans
            .iter_mut()
            .filter_map(|p| p.cw_agent.as_mut())
            .collect(),
        diags,
    );
    // Docker's project-wide `x-aws-logs_retention`, for the families whose services say nothing.
    let project_days = project
        .extension("x-aws-logs_retention")
        .and_then(|n| logging::checked_days(n, diags));
    if let Some(days) = project_days {
        for plan in &mut plans {
            let services: Vec<&Service> = plan.containers.iter().map(|c| c.service).collect();
            if !logging::set_by_service(&services) {
                plan.retention = days;
            }
        }
    }
    let mut namespaces = cloudmap::Namespaces::default();
    let mut cluster_default = false;
    if !families.is_empty() {
        internal::mark(project, &mut plans, diags);
        networks::emit(
            project,
            &mut plans,
            &internal::internal_networks(project),
            stacks,
            diags,
        );
        namespaces = cloudmap::emit(project, &plans, stacks, diags);
        if let Some(node) = project.extension("x-cloudmap") {
            stacks.note_origin(node.span);
        }
        // A cluster we create has FARGATE / FARGATE_SPOT and a default strategy the services
        // follow; an existing one may have neither, so its services ask for Fargate by launch
        // type.
        // With EC2 capacity the default strategy is set by the capacity provider association,
        // which Fargate services do not wait for: they ask for Fargate by launch type.
        cluster_default = compute::Cluster::of(stacks) == compute::Cluster::Fargate
            && stacks
                .exporter(crate::stack::CLUSTER_NAME)
                .is_some_and(|(_, export)| export.parameter.is_none());
        for plan in &plans {
            stacks.stack(&plan.name);
            let facts = crate::stack::family::FamilyFacts {
                public_ip: plan.public_ip,
            };
            stacks.set_family_facts(&plan.name, facts);
        }
        // Plain compose: environment values naming other services are checked.
        references::check(&plans, diags);
        security_groups::between_families(&plans, stacks, diags);
    }
    Families {
        plans,
        namespaces,
        cluster_default,
    }
}

/// What Service Connect and the named volumes add to the families, planned (with the stacks
/// they create: the project's namespace, the file systems) before the families are written.
pub struct Extras {
    connect: service_connect::Connect,
    volumes: efs::Wiring,
}

/// Plans [`Extras`]: Service Connect, then the file systems of the named volumes.
pub fn plan_extras(
    families: &mut Families<'_>,
    project: &Project,
    stacks: &mut Stacks,
    diags: &mut Vec<Diagnostic>,
) -> Extras {
    // Plain compose: service names resolve (Service Connect) on the services written later.
    let connect = service_connect::plan(&families.plans, &mut families.namespaces, stacks, diags);
    // Named volumes on EFS: the file systems now, their mounts in the family stacks later.
    let volumes = efs::plan(project, &families.plans, stacks, diags);
    Extras { connect, volumes }
}

/// Writes every planned family's stack once: its own resources, then what other emitters staged
/// in it (imports and parameters of linked values), then the additions of the linked
/// x-resources (`links`: role policies, env vars, secrets, scaling, no service), then its load
/// balancer attachments (`load_balanced`), then its `extras` (Service Connect, the mounts of its
/// named volumes). Nothing changes the family's stack after that but `finish`, called last on
/// each: the caller's stages for complete stacks, while the stack is in cache.
#[allow(clippy::too_many_arguments)]
pub fn write(
    families: &mut Families<'_>,
    links: &crate::stack::links::Links,
    load_balanced: &[crate::stack::links::Attachment],
    extras: &Extras,
    project: &Project,
    stacks: &mut Stacks,
    diags: &mut Vec<Diagnostic>,
    finish: &mut dyn FnMut(&mut crate::stack::Stack),
) {
    // The families' services, made only for the first family a module links (most projects
    // have none: building it reads every service again).
    let mut services = None;
    // Each family's attachments, gathered once (filtering them per family was quadratic in a
    // project whose every service publishes a port).
    let mut attachments_of: IndexMap<&str, Vec<&crate::stack::links::Attachment>> = IndexMap::new();
    for attachment in load_balanced {
        attachments_of
            .entry(attachment.family.as_str())
            .or_default()
            .push(attachment);
    }
    for plan in &mut families.plans {
        let staged = stacks.stack(&plan.name).take();
        family::emit(
            plan,
            &families.namespaces,
            families.cluster_default,
            stacks,
            diags,
        );
        let stack = stacks.stack(&plan.name);
        stack.absorb(staged);
        let family_links = links.family(&plan.name);
        let family_services = family_links.and_then(|_| {
            services
                .get_or_insert_with(|| project.families())
                .get(&plan.name)
        });
        if let (Some(family_links), Some(services)) = (family_links, family_services) {
            additions::apply_family(&plan.name, services, family_links, stack, diags);
        }
        if let Some(attachments) = attachments_of.get(plan.name.as_str()) {
            additions::attach_load_balancers(attachments, stack);
        }
        // The source map: what the family's stack holds now came from its (first) service.
        if let Some(first) = plan.containers.first() {
            stacks.note_origin(first.service.span);
        }
        service_connect::apply(&extras.connect, &plan.name, stacks.stack(&plan.name));
        efs::wire(&extras.volumes, &plan.name, stacks);
        finish(stacks.stack(&plan.name));
        // The containers' definitions moved into the task definition (family::emit).
        stacks.finished(&plan.name);
    }
}

/// Reports keys of `node` not in `allowed` as warnings (the key is ignored).
fn unknown_keys(node: &Node, allowed: &[&str], what: &str, diags: &mut Vec<Diagnostic>) {
    let Some(map) = node.as_map() else { return };
    let unknown = |key: &str, span| {
        let message = format!("{what}: `{key}` is not supported and is ignored");
        Some(Diagnostic::warning(UNKNOWN_KEY, message, span))
    };
    crate::suggest::unknown_keys(map, allowed, Some("supported keys"), unknown, diags);
}

/// The services' `x-<name>` nodes that are mappings; other kinds are reported as `code`.
fn service_extensions<'a>(
    services: &[&'a Service],
    key: &str,
    code: &'static str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(&'a Service, &'a Node)> {
    let mut found = Vec::new();
    for service in services {
        let Some(node) = service.extension(key) else {
            continue;
        };
        if node.is_null() {
            continue;
        }
        if node.as_map().is_none() {
            diags.push(Diagnostic::error(
                code,
                format!(
                    "services.{}.{key} must be a mapping, not a {}",
                    service.name,
                    node.kind_name()
                ),
                node.span,
            ));
            continue;
        }
        found.push((*service, node));
    }
    found
}

/// User-written CloudFormation values (x-iam policies) keep their YAML types.
use crate::yaml::to_json;

/// The span of `key` in `node`, else of `node`.
fn span_of(node: &Node, key: &str) -> Span {
    node.get(key).map(|n| n.span).unwrap_or(node.span)
}

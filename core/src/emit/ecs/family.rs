//! One task family: its plan (containers, size, settings read from the services' x-* keys) and
//! its stack.

use serde_json::{json, Value};

use super::cloudmap::Namespaces;
use super::container::{self, Container, ContainerPort};
use super::fargate::{self, Size};
use super::secrets::Catalog;
use super::security_groups::Ingress;
use super::{iam, logging, scaling, security_groups, service};
use super::{
    service_extensions, unknown_keys, FAMILY_CONFLICT, FAMILY_NAME, FARGATE_ROUNDED,
    FARGATE_TOO_BIG, X_ECS,
};
use crate::cfn::logical_id;
use crate::compose::model::Service;
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::Stacks;

const X_ECS_KEYS: &[&str] = &[
    "EnableExecuteCommand",
    "CpuArchitecture",
    "OperatingSystemFamily",
    "CapacityProviderStrategy",
];
const ARCHITECTURES: &[&str] = &["X86_64", "ARM64"];
const OS_FAMILIES: &[&str] = &[
    "LINUX",
    "WINDOWS_SERVER_2019_FULL",
    "WINDOWS_SERVER_2019_CORE",
    "WINDOWS_SERVER_2022_FULL",
    "WINDOWS_SERVER_2022_CORE",
];
const CAPACITY_PROVIDERS: &[&str] = &[
    "FARGATE",
    "FARGATE_SPOT",
    crate::emit::capacity::EC2_PROVIDER_ALIAS,
];

/// Everything needed to write one family's stack.
pub struct Plan<'a> {
    /// Family name: also the stack name.
    pub name: String,
    /// Logical id form of the name.
    pub id: String,
    /// Its containers, in service order.
    pub containers: Vec<Container<'a>>,
    /// The Fargate task size.
    pub size: Size,
    /// `RuntimePlatform`, when x-ecs sets it.
    pub runtime_platform: Option<Value>,
    /// ECS Exec enabled.
    pub exec: bool,
    /// `CapacityProviderStrategy` from x-ecs (None: the cluster's default); a provider `EC2`
    /// is the cluster's EC2 capacity provider.
    pub capacity: Option<Value>,
    /// EC2 capacity (None: Fargate).
    pub ec2: Option<super::compute::Ec2>,
    /// Tasks get a public IP (and run in the public subnets).
    pub public_ip: bool,
    /// x-network ingress.
    pub ingress: Ingress,
    /// x-network.x-cloudmap: the namespace chosen, and where.
    pub cloudmap: Option<(String, Span)>,
    /// Log retention in days.
    pub retention: i64,
    /// x-iam of the family's services.
    pub task_role: iam::TaskRoleSettings,
    /// x-scaling.
    pub scaling: Option<scaling::Scaling>,
    /// Tasks to run.
    pub replicas: u32,
    /// Roll back failed deployments.
    pub rollback: bool,
    /// Compose networks the family's services are on.
    pub networks: Vec<String>,
    /// Those of them with a security group (shared with other families): the family's tasks
    /// carry each group, and let it in on the family's ports.
    pub network_groups: Vec<String>,
    /// Host name in CloudMap.
    pub hostname: String,
    /// Task ephemeral storage in GiB, when more than Fargate's default 20 GiB.
    pub ephemeral_storage: Option<u32>,
    /// Deployment `MinimumHealthyPercent` / `MaximumPercent` (x-aws-min_percent / max_percent).
    pub deployment_percents: (u32, u32),
    /// The X-Ray daemon sidecar (x-xray).
    pub xray: Option<super::xray::XRay>,
    /// The FireLens log router (awsfirelens logging, x-logging.FireLens).
    pub firelens: Option<super::firelens::FireLens>,
    /// The CloudWatch agent sidecar (x-monitoring, x-prometheus).
    pub cw_agent: Option<super::cw_agent::CwAgent>,
    /// Configs and secrets written as files by an init container.
    pub files: Option<super::mounted_files::FilesPlan>,
    /// Every network of the family is `internal`: no way out of them (set by `internal::mark`).
    pub internal: bool,
}

impl Plan<'_> {
    /// Every container port of the family, first container first.
    pub fn ports(&self) -> Vec<&ContainerPort> {
        let mut ports: Vec<&ContainerPort> = Vec::new();
        for p in self.containers.iter().flat_map(|c| &c.ports) {
            if !ports.contains(&p) {
                ports.push(p);
            }
        }
        ports
    }

    /// Export name of the family's security group id.
    pub fn security_group_export(&self) -> String {
        super::security_group_export(&self.name)
    }
}

/// A family name usable as a stack and file name.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Plans family `name`; None (with an error) when it cannot be emitted. `reserved` are the
/// names of the stacks the other emitters make (a family must not take one).
pub fn plan<'a>(
    name: &str,
    services: &[&'a Service],
    catalog: &'a Catalog,
    module_files: &std::collections::BTreeMap<String, crate::compose::model::ModuleFile>,
    reserved: &[&str],
    stacks: &Stacks,
    diags: &mut Vec<Diagnostic>,
) -> Option<Plan<'a>> {
    let span = services.first().map(|s| s.span).unwrap_or_default();
    if !valid_name(name) {
        diags.push(
            Diagnostic::error(FAMILY_NAME, format!("task family `{name}` cannot name a stack"), span)
                .with_help("family names use letters, digits, `-` and `_` (ecs.task.family label or service name)"),
        );
        return None;
    }
    // Other emitters may have made the family's stack already (to import their values): only
    // the shared stacks' names are taken.
    let shared = [
        stacks.root_name(),
        super::NETWORKING_STACK,
        super::NETWORKS_STACK,
        super::CLOUDMAP_STACK,
        crate::stack::VPC_STACK,
        crate::emit::capacity::EC2_CAPACITY_STACK,
    ];
    let taken = shared.iter().chain(reserved);
    if taken.into_iter().any(|r| r.eq_ignore_ascii_case(name)) {
        diags.push(
            Diagnostic::error(
                FAMILY_NAME,
                format!("task family `{name}` has the name of another stack"),
                span,
            )
            .with_help("rename the service or set another `ecs.task.family` label"),
        );
        return None;
    }
    let mut containers: Vec<Container<'a>> = services
        .iter()
        .map(|s| container::build(s, services, catalog, diags))
        .collect();
    super::health::set_essential(&mut containers);
    let mut files = super::mounted_files::plan(&logical_id(name), &mut containers, catalog, diags);
    let firelens = super::firelens::plan(
        &logical_id(name),
        &mut containers,
        &mut files,
        module_files,
        diags,
    );
    if !containers
        .iter()
        .any(|c| c.definition.get("Essential") == Some(&json!(true)))
    {
        diags.push(Diagnostic::error(
            FAMILY_NAME,
            format!("task family `{name}` has no essential container"),
            span,
        ).with_help("ECS needs at least one essential container: remove `ecs.essential: false` from one service"));
    }
    let settings = x_ecs(services, diags);
    let ec2 = super::compute::read(
        services,
        settings.capacity.as_ref(),
        settings.capacity_span,
        super::compute::Cluster::of(stacks),
        diags,
    );
    if ec2.as_ref().is_some_and(|e| e.provider) {
        super::compute::check_platform(settings.runtime_platform.as_ref(), stacks, span, diags);
    }
    if ec2.is_some() {
        // GPUs are reserved per container; on Fargate `compute::read` refused them.
        for c in &mut containers {
            if let Some(count) = super::compute::gpus(c.service, diags) {
                c.definition.insert(
                    "ResourceRequirements".into(),
                    json!([{ "Type": "GPU", "Value": count.to_string() }]),
                );
            }
        }
    }
    if settings.windows && files.is_some() {
        diags.push(
            Diagnostic::error(
                super::mounted_files::FILE_TARGET,
                format!("task family `{name}` runs Windows: configs and secrets as files need a Linux task (its init container runs sh)"),
                span,
            )
            .with_help("run the service on Linux, or give the secrets as environment variables (x-secrets) and bake the configs into the image"),
        );
    }
    if settings.windows && firelens.is_some() {
        diags.push(
            Diagnostic::error(super::firelens::FIRELENS, format!("task family `{name}` runs Windows: FireLens needs a Linux task on Fargate"), span)
                .with_help("run the service on Linux, or keep the awslogs driver (leave out awsfirelens and x-logging.FireLens)"),
        );
    }
    let xray = super::xray::read(services, diags);
    let cw_agent = super::cw_agent::read(services, &mut containers, diags);
    if settings.windows && cw_agent.is_some() {
        diags.push(
            Diagnostic::error(
                super::cw_agent::MONITORING,
                format!("task family `{name}` runs Windows: the CloudWatch agent sidecar of x-monitoring / x-prometheus runs on Linux"),
                span,
            )
            .with_help("run the service on Linux, or remove x-monitoring / x-prometheus"),
        );
    }
    // Sidecars count in the task size like the services' containers.
    let mut sidecar = xray
        .as_ref()
        .map_or((0, 0), |_| (super::xray::CPU, super::xray::MEMORY));
    if let Some(f) = &firelens {
        sidecar = (sidecar.0 + f.cpu, sidecar.1 + f.memory);
    }
    if cw_agent.is_some() {
        sidecar = (
            sidecar.0 + super::cw_agent::CPU,
            sidecar.1 + super::cw_agent::MEMORY,
        );
    }
    let size = size(name, &containers, sidecar, settings.windows, span, diags)?;
    let (public_ip, cloudmap, ingress) = security_groups::read_x_network(services, diags);
    let replicas = services
        .iter()
        .filter_map(|s| s.deploy.replicas.as_ref().map(|r| r.value))
        .max()
        .unwrap_or(1);
    let rollback = services.iter().any(|s| {
        s.deploy
            .update_config
            .as_ref()
            .and_then(|u| u.failure_action.as_ref())
            .is_some_and(|a| a.value == "rollback")
    });
    let mut networks: Vec<String> = Vec::new();
    for s in services {
        if s.networks.is_empty() && !networks.iter().any(|n| n == "default") {
            networks.push("default".into());
        }
        for n in s.networks.keys() {
            if !networks.contains(n) {
                networks.push(n.clone());
            }
        }
    }
    let hostname = services
        .iter()
        .find_map(|s| s.deploy.labels.get("ecs.task.family.hostname"))
        .map(String::as_str)
        .unwrap_or(name)
        .to_ascii_lowercase()
        .replace('_', "-");
    Some(Plan {
        name: name.to_string(),
        id: logical_id(name),
        containers,
        size,
        runtime_platform: settings.runtime_platform,
        exec: settings.exec,
        capacity: settings.capacity,
        ec2: ec2.clone(),
        public_ip,
        ingress,
        cloudmap,
        retention: logging::retention(services, diags),
        task_role: iam::TaskRoleSettings::read(services, diags),
        scaling: scaling::read(services, diags),
        replicas,
        rollback,
        networks,
        network_groups: Vec::new(),
        hostname,
        ephemeral_storage: match super::deployment::ephemeral_storage(services, diags) {
            // Fargate's task storage: on EC2 tasks share the instance's volume.
            Some(_) if ec2.is_some() => {
                diags.push(
                    Diagnostic::warning(
                        super::compute::COMPUTE_PLATFORM,
                        format!("task family `{name}` runs on EC2: its ephemeral storage size (ecs.ephemeral.storage / storage_opt) is Fargate's and is not used"),
                        span,
                    )
                    .with_help("on EC2 tasks use the instances' volume: size it with Ec2Capacity.VolumeSize"),
                );
                None
            }
            gib => gib,
        },
        deployment_percents: super::deployment::percents(services, replicas, diags),
        xray,
        firelens,
        cw_agent,
        files,
        internal: false,
    })
}

/// Family-wide settings from x-ecs.
struct EcsSettings {
    runtime_platform: Option<Value>,
    windows: bool,
    exec: bool,
    capacity: Option<Value>,
    capacity_span: Option<Span>,
}

/// One setting all services of a family must agree on: the first value, others must match.
fn agree<'n>(
    values: &[(&str, &'n crate::yaml::Node)],
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'n crate::yaml::Node> {
    let (_, first) = values.first()?;
    for (service, node) in values.iter().skip(1) {
        if node.as_str() != first.as_str() {
            diags.push(
                Diagnostic::error(
                    FAMILY_CONFLICT,
                    format!("services of one task family disagree on {what}"),
                    node.span,
                )
                .with_label(first.span, "first set here")
                .with_help(format!(
                    "set the same {what} on {service} or move it to another family"
                )),
            );
        }
    }
    Some(first)
}

fn one_of(
    node: &crate::yaml::Node,
    allowed: &[&str],
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    match node.as_str().filter(|t| allowed.contains(t)) {
        Some(t) => Some(t.to_string()),
        None => {
            diags.push(Diagnostic::error(
                X_ECS,
                format!("x-ecs.{what} must be one of {}", allowed.join(", ")),
                node.span,
            ));
            None
        }
    }
}

fn x_ecs(services: &[&Service], diags: &mut Vec<Diagnostic>) -> EcsSettings {
    let nodes = service_extensions(services, "x-ecs", X_ECS, diags);
    for (s, node) in &nodes {
        unknown_keys(
            node,
            X_ECS_KEYS,
            &format!("services.{}.x-ecs", s.name),
            diags,
        );
    }
    let collect = |key: &str| -> Vec<(&str, &crate::yaml::Node)> {
        nodes
            .iter()
            .filter_map(|(s, n)| n.get(key).map(|v| (s.name.as_str(), v)))
            .collect()
    };
    let arch = agree(&collect("CpuArchitecture"), "x-ecs.CpuArchitecture", diags)
        .and_then(|n| one_of(n, ARCHITECTURES, "CpuArchitecture", diags))
        .or_else(|| platform_architecture(services));
    let os = agree(
        &collect("OperatingSystemFamily"),
        "x-ecs.OperatingSystemFamily",
        diags,
    )
    .and_then(|n| one_of(n, OS_FAMILIES, "OperatingSystemFamily", diags))
    .or_else(|| platform_os(services));
    let windows = os.as_deref().is_some_and(|o| o.starts_with("WINDOWS"));
    let runtime_platform = (arch.is_some() || os.is_some()).then(|| {
        json!({
            "CpuArchitecture": arch.unwrap_or_else(|| "X86_64".into()),
            "OperatingSystemFamily": os.unwrap_or_else(|| "LINUX".into()),
        })
    });
    let mut exec = false;
    for (_, node) in collect("EnableExecuteCommand") {
        match node.boolean() {
            Some(b) => exec |= b,
            None => diags.push(Diagnostic::error(
                X_ECS,
                "x-ecs.EnableExecuteCommand must be true or false",
                node.span,
            )),
        }
    }
    let strategy = agree(
        &collect("CapacityProviderStrategy"),
        "x-ecs.CapacityProviderStrategy",
        diags,
    );
    let capacity = strategy.and_then(|n| capacity_strategy(n, diags));
    EcsSettings {
        runtime_platform,
        windows,
        exec,
        capacity,
        capacity_span: strategy.map(|n| n.span),
    }
}

/// The compose `platform:` OS as a Fargate OS family: `windows` is Windows Server 2022 Core (the
/// validator says so at the key; `x-ecs.OperatingSystemFamily` chooses another version).
fn platform_os(services: &[&Service]) -> Option<String> {
    services
        .iter()
        .find_map(|s| match s.platform.as_deref()?.split('/').next()? {
            "windows" => Some(WINDOWS_PLATFORM.to_string()),
            "linux" => Some("LINUX".to_string()),
            _ => None,
        })
}

/// The OS family `platform: windows/amd64` becomes.
pub const WINDOWS_PLATFORM: &str = "WINDOWS_SERVER_2022_CORE";

/// The compose `platform:` (`linux/arm64`, `linux/amd64`) as a Fargate CPU architecture.
fn platform_architecture(services: &[&Service]) -> Option<String> {
    services
        .iter()
        .find_map(|s| match s.platform.as_deref()?.split('/').nth(1)? {
            "arm64" => Some("ARM64".to_string()),
            "amd64" => Some("X86_64".to_string()),
            _ => None,
        })
}

fn capacity_strategy(node: &crate::yaml::Node, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    let Some(items) = node.as_seq() else {
        diags.push(Diagnostic::error(
            X_ECS,
            "x-ecs.CapacityProviderStrategy must be a list",
            node.span,
        ));
        return None;
    };
    let mut strategy = Vec::new();
    for item in items {
        let provider = item
            .get("CapacityProvider")
            .and_then(|p| one_of(p, CAPACITY_PROVIDERS, "CapacityProvider", diags));
        if item.get("CapacityProvider").is_none() {
            diags.push(Diagnostic::error(
                X_ECS,
                "x-ecs.CapacityProviderStrategy entries need CapacityProvider",
                item.span,
            ));
        }
        let mut entry = serde_json::Map::new();
        entry.insert("CapacityProvider".into(), json!(provider?));
        for (key, max) in [("Base", 100_000), ("Weight", 1000)] {
            if let Some(n) = item.get(key) {
                match n.integer().filter(|v| (0..=max).contains(v)) {
                    Some(v) => {
                        entry.insert(key.into(), json!(v));
                    }
                    None => diags.push(Diagnostic::error(
                        X_ECS,
                        format!("x-ecs.CapacityProviderStrategy {key} must be 0..{max}"),
                        n.span,
                    )),
                }
            }
        }
        strategy.push(Value::Object(entry));
    }
    // ECS accepts a Base on one provider of a strategy only: the first keeps it (ComposeX's
    // corpus writes several, which the ECS API would reject at deploy time).
    let mut based = None;
    for (item, entry) in items.iter().zip(strategy.iter_mut()) {
        let Some(base) = item
            .get("Base")
            .filter(|b| b.integer().is_some_and(|v| v > 0))
        else {
            continue;
        };
        match based {
            None => based = Some(base.span),
            Some(first) => {
                diags.push(
                    Diagnostic::warning(
                        X_ECS,
                        "x-ecs.CapacityProviderStrategy: ECS allows a Base on one provider only; this one is left out",
                        base.span,
                    )
                    .with_label(first, "the base that is kept")
                    .with_help("keep Base on one provider; the others share the rest by Weight"),
                );
                if let Value::Object(map) = entry {
                    map.remove("Base");
                }
            }
        }
    }
    (!strategy.is_empty()).then_some(Value::Array(strategy))
}

/// The Fargate size of the family: error above the largest task, info when rounded.
fn size(
    name: &str,
    containers: &[Container<'_>],
    (sidecar_cpu, sidecar_memory): (u32, u32),
    windows: bool,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Size> {
    let request = Size {
        cpu: containers
            .iter()
            .map(|c| c.cpu)
            .fold(sidecar_cpu, u32::saturating_add),
        memory: containers
            .iter()
            .map(|c| c.memory)
            .fold(sidecar_memory, u32::saturating_add),
    };
    let Some(fit) = fargate::fit(request, windows) else {
        diags.push(
            Diagnostic::error(
                FARGATE_TOO_BIG,
                format!(
                    "task family `{name}` asks for {} CPU units and {} MiB: more than the largest Fargate task ({} units, {} MiB)",
                    request.cpu,
                    request.memory,
                    fargate::largest(windows).cpu,
                    fargate::largest(windows).memory
                ),
                span,
            )
            .with_help("lower deploy.resources of its services, or split them into several families"),
        );
        return None;
    };
    let cpu_changed = request.cpu != 0 && request.cpu != fit.cpu;
    let memory_changed = request.memory != 0 && request.memory != fit.memory;
    if cpu_changed || memory_changed {
        diags.push(Diagnostic::info(
            FARGATE_ROUNDED,
            format!(
                "task family `{name}` asks for {} CPU units and {} MiB; the smallest Fargate size that fits is {} CPU units and {} MiB",
                request.cpu, request.memory, fit.cpu, fit.memory
            ),
            span,
        ));
    }
    Some(fit)
}

/// Writes the family's stack; the containers' definitions move into its task definition.
pub fn emit(
    plan: &mut Plan<'_>,
    namespaces: &Namespaces,
    cluster_default: bool,
    stacks: &mut Stacks,
    diags: &mut Vec<Diagnostic>,
) {
    // Image parameters without a default warn only when nobody fills them (`--param`).
    for c in &plan.containers {
        if let Some(warning) = &c.image_warning {
            let parameter = c.image_parameter.0.clone();
            stacks.unfilled_warnings.insert(parameter, warning.clone());
        }
    }
    if let Some(files) = &plan.files {
        let unfilled = files.emit(stacks.stack(&plan.name));
        stacks.unfilled_warnings.extend(unfilled);
    }
    let stack = stacks.stack(&plan.name);
    if let Some(f) = &plan.firelens {
        f.emit(stack);
    }
    for c in &plan.containers {
        stack.add_parameter(&c.image_parameter.0, c.image_parameter.1.clone());
    }
    logging::emit(plan, stack);
    if let Some(agent) = &plan.cw_agent {
        agent.emit(&plan.name, stack, diags);
    }
    let roles = iam::emit(plan, stack);
    let task_definition = service::task_definition(plan, &roles, stack, diags);
    let group = security_groups::emit(plan, stack);
    let registry = namespaces.registry(plan, stack);
    let ecs_service = service::service(
        plan,
        &task_definition,
        &group,
        registry,
        cluster_default,
        stack,
    );
    // For x-events targets (run the task) and x-alarms on the service.
    let what = |v: &str| format!("{} of the {} family", v, plan.name);
    stack.export(
        &crate::stack::family::task_definition_export(&plan.name),
        crate::cfn::ref_(&task_definition),
        "String",
        &what("Task definition"),
    );
    stack.export(
        &crate::stack::family::task_role_arn_export(&plan.name),
        crate::cfn::get_att(&roles.task, "Arn"),
        "String",
        &what("Task role"),
    );
    stack.export(
        &crate::stack::family::execution_role_arn_export(&plan.name),
        crate::cfn::get_att(&roles.execution, "Arn"),
        "String",
        &what("Execution role"),
    );
    stack.export(
        &format!("{}ServiceName", plan.id),
        crate::cfn::get_att(&ecs_service, "Name"),
        "String",
        &what("ECS service name"),
    );
    if let Some(s) = &plan.scaling {
        scaling::emit(plan, s, &ecs_service, stack);
    }
}

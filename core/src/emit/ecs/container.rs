//! One compose service as an ECS container definition.

use serde_json::{json, Map, Value};

use super::fargate::{cpu_units, mebibytes};
use super::health::{clamp, depends_on, healthcheck};
use super::secrets::{arn_value, Catalog, SecretDef};
use super::{CLAMPED, NOT_ON_FARGATE, NO_IMAGE, SECRETS};
use crate::cfn::{logical_id, ref_, Parameter};
use crate::compose::model::{Service, VolumeKind};
use crate::diagnostic::{Diagnostic, Span};

pub use crate::stack::family::{container_name, LOG_GROUP};

/// The `LogConfiguration` of a sidecar (the FireLens router, the files init container, the
/// CloudWatch agent, the X-Ray daemon): the family's log group, streams prefixed with its name.
pub fn sidecar_log_configuration(container: &str) -> Value {
    json!({
        "LogDriver": "awslogs",
        "Options": {
            "awslogs-group": ref_(LOG_GROUP),
            "awslogs-region": ref_("AWS::Region"),
            "awslogs-stream-prefix": container,
        },
    })
}

/// A container port: number and protocol (`tcp` / `udp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerPort {
    /// The port.
    pub port: u16,
    /// `tcp` or `udp`.
    pub protocol: String,
}

/// A built container definition and what the family needs to know about it.
pub struct Container<'a> {
    /// The compose service.
    pub service: &'a Service,
    /// The container name.
    pub name: String,
    /// The `ContainerDefinitions` entry.
    pub definition: Map<String, Value>,
    /// CPU units asked for (0: not said).
    pub cpu: u32,
    /// Memory MiB asked for (0: not said).
    pub memory: u32,
    /// Container ports, in order.
    pub ports: Vec<ContainerPort>,
    /// The compose secrets it reads.
    pub secrets: Vec<&'a SecretDef>,
    /// The image parameter: name and declaration.
    pub image_parameter: (String, Parameter),
    /// For a service built from source (no `image:` yet): the warning to give when nobody
    /// fills the parameter (see `Stacks::unfilled_warnings`).
    pub image_warning: Option<Diagnostic>,
    /// Named volumes it mounts.
    pub volumes: Vec<String>,
    /// The registry credentials secret's ARN (`x-aws-pull_credentials`), if any.
    pub pull_credentials: Option<String>,
}

/// Builds the container for `service`; `family` holds every service of the task (for depends_on).
pub fn build<'a>(
    service: &'a Service,
    family: &[&'a Service],
    catalog: &'a Catalog,
    diags: &mut Vec<Diagnostic>,
) -> Container<'a> {
    let name = container_name(&service.name);
    // Sized for the usual keys: growing a map rehashes it.
    let mut def = Map::with_capacity(12);
    def.insert("Name".into(), json!(name));
    let (image_parameter, image_warning) = image_parameter(service);
    def.insert("Image".into(), ref_(&image_parameter.0));
    def.insert("Essential".into(), json!(true));
    if let Some(command) = &service.command {
        def.insert("Command".into(), json!(command.value));
    }
    if let Some(entrypoint) = &service.entrypoint {
        def.insert("EntryPoint".into(), json!(entrypoint.value));
    }
    let (cpu, memory, reservation) = resources(service);
    if cpu > 0 {
        def.insert("Cpu".into(), json!(cpu));
    }
    if let Some(limit) = service
        .deploy
        .resources
        .limits
        .memory
        .as_ref()
        .or(service.mem_limit.as_ref())
    {
        def.insert("Memory".into(), json!(mebibytes(limit.value).max(6)));
    }
    let hard_limit = def.get("Memory").and_then(Value::as_u64);
    if reservation > 0 {
        let mut reservation = u64::from(reservation.max(6));
        // ECS rejects a reservation above the hard limit.
        if let Some(limit) = hard_limit.filter(|l| reservation > *l) {
            let reserved = service.deploy.resources.reservations.memory.as_ref();
            let span = reserved
                .or(service.mem_reservation.as_ref())
                .map_or(service.span, |m| m.span);
            diags.push(Diagnostic::warning(
                CLAMPED,
                format!(
                    "services.{}: memory reservation {reservation} MiB is above the limit {limit} MiB; the limit is used",
                    service.name
                ),
                span,
            ));
            reservation = limit;
        }
        def.insert("MemoryReservation".into(), json!(reservation));
    }
    let environment = environment(service);
    if !environment.is_empty() {
        def.insert("Environment".into(), Value::Array(environment));
    }
    let mut ports = ports(service, diags);
    // Plain compose: a well-known image listens on its default port without saying so.
    if ports.is_empty() {
        ports = super::image_ports::ports(service, diags);
    }
    if !ports.is_empty() {
        let mappings: Vec<Value> = ports
            .iter()
            .map(|p| json!({ "ContainerPort": p.port, "Protocol": p.protocol }))
            .collect();
        def.insert("PortMappings".into(), Value::Array(mappings));
    }
    if let Some(check) = service
        .healthcheck
        .as_ref()
        .and_then(|h| healthcheck(h, diags))
    {
        def.insert("HealthCheck".into(), check);
    }
    let depends = depends_on(service, family, diags);
    if !depends.is_empty() {
        def.insert("DependsOn".into(), Value::Array(depends));
    }
    let secrets = catalog.used_by(service, diags);
    let secret_entries: Vec<Value> = secrets.iter().flat_map(|s| s.container_entries()).collect();
    if !secret_entries.is_empty() {
        def.insert("Secrets".into(), Value::Array(secret_entries));
    }
    if let Some(user) = &service.user {
        def.insert("User".into(), json!(user));
    }
    if let Some(dir) = &service.working_dir {
        def.insert("WorkingDirectory".into(), json!(dir));
    }
    let ulimits = ulimits(service);
    if !ulimits.is_empty() {
        def.insert("Ulimits".into(), Value::Array(ulimits));
    }
    if let Some(linux) = linux_parameters(service) {
        def.insert("LinuxParameters".into(), linux);
    }
    if !service.sysctls.is_empty() {
        let controls: Vec<Value> = service
            .sysctls
            .iter()
            .map(|(k, v)| json!({ "Namespace": k, "Value": v }))
            .collect();
        def.insert("SystemControls".into(), Value::Array(controls));
    }
    if let Some(grace) = &service.stop_grace_period {
        let seconds = clamp(
            grace.value.as_secs_ceil(),
            2,
            120,
            "stop_grace_period (StopTimeout)",
            grace.span,
            diags,
        );
        def.insert("StopTimeout".into(), json!(seconds));
    }
    if service.read_only {
        def.insert("ReadonlyRootFilesystem".into(), json!(true));
    }
    if service.tty {
        def.insert("PseudoTerminal".into(), json!(true));
    }
    if service.stdin_open {
        def.insert("Interactive".into(), json!(true));
    }
    if !service.labels.is_empty() {
        let labels: Map<String, Value> = service
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        def.insert("DockerLabels".into(), Value::Object(labels));
    }
    let pull_credentials = pull_credentials(service, catalog, diags);
    if let Some(arn) = &pull_credentials {
        def.insert(
            "RepositoryCredentials".into(),
            json!({ "CredentialsParameter": arn_value(arn) }),
        );
    }
    let volumes = mount_points(service, &mut def, diags);
    Container {
        service,
        name,
        definition: def,
        cpu,
        memory,
        ports,
        secrets,
        image_parameter,
        image_warning,
        volumes,
        pull_credentials,
    }
}

/// Docker's ECS plugin `x-aws-pull_credentials`: a Secrets Manager ARN, or `secrets::<name>` of
/// a compose secret with x-secrets. Returns the secret's ARN (`Fn::Sub` text).
fn pull_credentials(
    service: &Service,
    catalog: &Catalog,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let node = service.extension("x-aws-pull_credentials")?;
    let text = node.as_str().map(str::trim).unwrap_or_default();
    if text.starts_with("arn:") {
        return Some(text.to_string());
    }
    if let Some(def) = text
        .strip_prefix("secrets::")
        .and_then(|name| catalog.get(name))
    {
        return Some(def.arn.clone());
    }
    diags.push(
        Diagnostic::error(
            SECRETS,
            "x-aws-pull_credentials is a Secrets Manager ARN or secrets::<secret with x-secrets>",
            node.span,
        )
        .with_help("e.g. `x-aws-pull_credentials: secrets::registry-login`"),
    );
    None
}

/// `<Container>ImageUrl`, defaulting to the compose image so CI can change it without re-rendering.
/// A service with only `build:` gets a required parameter (CI pushes the image after the
/// render) and the warning that says how to fill it, at the `build` key.
fn image_parameter(service: &Service) -> ((String, Parameter), Option<Diagnostic>) {
    let name = format!("{}ImageUrl", logical_id(&service.name));
    let parameter = Parameter::string().with_description(format!(
        "Image of container {} (registry/repository:tag)",
        service.name
    ));
    if let Some(image) = &service.image {
        let parameter = parameter.with_default(image.value.clone());
        return ((name, parameter), None);
    }
    let span = service.build.as_ref().map_or(service.span, |b| b.key_span);
    let warning = Diagnostic::warning(
        NO_IMAGE,
        format!(
            "service {} is built from source and has no image yet: parameter {name} has no value",
            service.name
        ),
        span,
    )
    .with_help(format!(
        "after pushing the image, fill it with `composex set-image {}=URI` (adds `image:` here), \
         or `composex render --param {name}=URI`, or in the parameter files",
        service.name
    ));
    ((name, parameter), Some(warning))
}

/// (CPU units, memory MiB) the container asks for — the limit, else the reservation — and its
/// memory reservation in MiB.
fn resources(service: &Service) -> (u32, u32, u32) {
    let r = &service.deploy.resources;
    let cpu_limit = r
        .limits
        .cpus
        .as_ref()
        .or(service.cpus.as_ref())
        .map(|c| cpu_units(c.value))
        // Compose CPU shares are ECS CPU units (1024 per vCPU) when no `cpus` is given.
        .or(service.cpu_shares.as_ref().map(|s| s.value))
        .unwrap_or(0);
    let cpu_reserved = r
        .reservations
        .cpus
        .as_ref()
        .map(|c| cpu_units(c.value))
        .unwrap_or(0);
    let mem_limit = r
        .limits
        .memory
        .as_ref()
        .or(service.mem_limit.as_ref())
        .map(|m| mebibytes(m.value))
        .unwrap_or(0);
    let mem_reserved = r
        .reservations
        .memory
        .as_ref()
        .or(service.mem_reservation.as_ref())
        .map(|m| mebibytes(m.value))
        .unwrap_or(0);
    // The limit sizes the task when both are given: a larger reservation is clamped to it.
    let sized = |limit: u32, reserved: u32| if limit > 0 { limit } else { reserved };
    (
        sized(cpu_limit, cpu_reserved),
        sized(mem_limit, mem_reserved),
        mem_reserved,
    )
}

fn environment(service: &Service) -> Vec<Value> {
    // Entries without a value are left out, as compose does (the validator warns at each).
    service
        .environment
        .iter()
        .filter_map(|(key, value)| Some(json!({ "Name": key, "Value": value.as_ref()? })))
        .collect()
}

/// Container ports from `ports` and `expose`, each once. awsvpc maps the container port only.
fn ports(service: &Service, diags: &mut Vec<Diagnostic>) -> Vec<ContainerPort> {
    let mut found: Vec<ContainerPort> = Vec::new();
    let mut push = |port: u16, protocol: &str, span: Span, diags: &mut Vec<Diagnostic>| {
        if protocol != "tcp" && protocol != "udp" {
            diags.push(Diagnostic::error(
                NOT_ON_FARGATE,
                format!("port {port}/{protocol}: ECS supports tcp and udp only"),
                span,
            ));
            return;
        }
        let entry = ContainerPort {
            port,
            protocol: protocol.to_string(),
        };
        if !found.contains(&entry) {
            found.push(entry);
        }
    };
    for port in &service.ports {
        if let Some(published) = port
            .published
            .as_deref()
            .filter(|p| *p != port.target.to_string())
        {
            diags.push(
                Diagnostic::info(
                    NOT_ON_FARGATE,
                    format!("published port {published}: on Fargate (awsvpc) the task itself listens on {}", port.target),
                    port.span,
                )
                .with_help(format!("other services reach it on {}; without x-elbv2, the project's load balancer listens on {published}", port.target)),
            );
        }
        push(port.target, &port.protocol, port.span, diags);
    }
    for expose in &service.expose {
        let (range, protocol) = expose
            .value
            .split_once('/')
            .unwrap_or((expose.value.as_str(), "tcp"));
        let (first, last) = range.split_once('-').unwrap_or((range, range));
        match (first.trim().parse::<u16>(), last.trim().parse::<u16>()) {
            (Ok(first), Ok(last)) if first <= last && last - first < 100 => {
                for port in first..=last {
                    push(port, &protocol.to_ascii_lowercase(), expose.span, diags);
                }
            }
            _ => diags.push(Diagnostic::error(
                NOT_ON_FARGATE,
                format!(
                    "expose `{}` is not a port or a range of at most 100 ports",
                    expose.value
                ),
                expose.span,
            )),
        }
    }
    found
}

/// Fargate changes only `nofile` (the validator warns at the others).
fn ulimits(service: &Service) -> Vec<Value> {
    service
        .ulimits
        .iter()
        .filter(|(name, _)| *name == "nofile")
        .map(|(name, limit)| json!({ "Name": name, "SoftLimit": limit.soft, "HardLimit": limit.hard }))
        .collect()
}

/// Capabilities and init.
fn linux_parameters(service: &Service) -> Option<Value> {
    let mut linux = Map::new();
    let mut caps = Map::new();
    let mut add = Vec::new();
    // Fargate adds only SYS_PTRACE; the validator warns at the others.
    for cap in &service.cap_add {
        let cap = cap.trim_start_matches("CAP_");
        if cap == "SYS_PTRACE" {
            add.push(json!(cap));
        }
    }
    if !add.is_empty() {
        caps.insert("Add".into(), Value::Array(add));
    }
    if !service.cap_drop.is_empty() {
        let drop: Vec<Value> = service
            .cap_drop
            .iter()
            .map(|c| json!(c.trim_start_matches("CAP_")))
            .collect();
        caps.insert("Drop".into(), Value::Array(drop));
    }
    if !caps.is_empty() {
        linux.insert("Capabilities".into(), Value::Object(caps));
    }
    if service.init {
        linux.insert("InitProcessEnabled".into(), json!(true));
    }
    (!linux.is_empty()).then_some(Value::Object(linux))
}

/// Named volumes become task volumes (shared by the family's containers; the top-level ones
/// are put on EFS afterwards); anonymous volumes and tmpfs mounts are task storage.
fn mount_points(
    service: &Service,
    def: &mut Map<String, Value>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut mounts = Vec::new();
    let mut volumes = Vec::new();
    for volume in &service.volumes {
        match (volume.kind, &volume.source) {
            // A tmpfs mount is scratch space: task storage serves (Fargate has no tmpfs).
            (VolumeKind::Volume, source) | (VolumeKind::Tmpfs, source @ None) => {
                // Named volumes are shared by name; an anonymous one is named after its path.
                let name = logical_id(source.as_deref().unwrap_or(&volume.target));
                mounts.push(json!({ "SourceVolume": name, "ContainerPath": volume.target, "ReadOnly": volume.read_only }));
                if !volumes.contains(&name) {
                    volumes.push(name);
                }
            }
            _ => diags.push(
                Diagnostic::warning(
                    NOT_ON_FARGATE,
                    format!(
                        "{} volume {} is not available on Fargate; left out",
                        volume.kind.as_str(),
                        volume.target
                    ),
                    volume.span,
                )
                .with_help("use a named volume (task storage) instead"),
            ),
        }
    }
    if !mounts.is_empty() {
        def.insert("MountPoints".into(), Value::Array(mounts));
    }
    volumes
}

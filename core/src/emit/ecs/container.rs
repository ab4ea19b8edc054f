//! One compose service as an ECS container definition.

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::fargate::{cpu_units, mebibytes};
use super::health::{clamp, depends_on, healthcheck};
use super::secrets::{arn_value, Catalog, SecretDef};
use super::{CLAMPED, NOT_ON_FARGATE, NO_IMAGE, SECRETS};
use crate::cfn::{logical_id, ref_, Parameter};
use crate::compose::model::{Service, VolumeKind};
use crate::diagnostic::{Diagnostic, Span};

pub use crate::stack::family::{container_name, LOG_GROUP};

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
    let mut def = Map::new();
    def.insert("Name".into(), json!(name));
    let image_parameter = image_parameter(service, diags);
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
            diags.push(Diagnostic::warning(
                CLAMPED,
                format!(
                    "services.{}: memory reservation {reservation} MiB is above the limit {limit} MiB; the limit is used",
                    service.name
                ),
                service.span,
            ));
            reservation = limit;
        }
        def.insert("MemoryReservation".into(), json!(reservation));
    }
    let environment = environment(service, diags);
    if !environment.is_empty() {
        def.insert("Environment".into(), Value::Array(environment));
    }
    let ports = ports(service, diags);
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
    let ulimits = ulimits(service, diags);
    if !ulimits.is_empty() {
        def.insert("Ulimits".into(), Value::Array(ulimits));
    }
    if let Some(linux) = linux_parameters(service, diags) {
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
    not_on_fargate(service, diags);
    Container {
        service,
        name,
        definition: def,
        cpu,
        memory,
        ports,
        secrets,
        image_parameter,
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
fn image_parameter(service: &Service, diags: &mut Vec<Diagnostic>) -> (String, Parameter) {
    let name = format!("{}ImageUrl", logical_id(&service.name));
    let mut parameter = Parameter::string().with_description(format!(
        "Image of container {} (registry/repository:tag)",
        service.name
    ));
    match &service.image {
        Some(image) => parameter = parameter.with_default(image.value.clone()),
        None => diags.push(
            Diagnostic::warning(
                NO_IMAGE,
                format!(
                    "service {} has no image: parameter {name} must be given",
                    service.name
                ),
                service.span,
            )
            .with_help(
                "add `image:`, or pass the image URI in the parameter files (composex set-image)",
            ),
        ),
    }
    (name, parameter)
}

/// (CPU units, memory MiB) the container asks for — max(limit, reservation) each — and its
/// memory reservation in MiB.
fn resources(service: &Service) -> (u32, u32, u32) {
    let r = &service.deploy.resources;
    let cpu_limit = r
        .limits
        .cpus
        .as_ref()
        .or(service.cpus.as_ref())
        .map(|c| cpu_units(c.value))
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
    (
        cpu_limit.max(cpu_reserved),
        mem_limit.max(mem_reserved),
        mem_reserved,
    )
}

fn environment(service: &Service, diags: &mut Vec<Diagnostic>) -> Vec<Value> {
    let mut entries = Vec::new();
    for (key, value) in &service.environment {
        match value {
            Some(value) => entries.push(json!({ "Name": key, "Value": value })),
            None => diags.push(
                Diagnostic::warning(
                    NOT_ON_FARGATE,
                    format!(
                        "services.{}.environment.{key} has no value and is left out",
                        service.name
                    ),
                    service.span,
                )
                .with_help(format!(
                    "give it a value (`{key}: ...`) or set {key} in the environment when rendering"
                )),
            ),
        }
    }
    entries
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
                    format!("published port {published} is not used: on Fargate (awsvpc) the task listens on {}", port.target),
                    port.span,
                )
                .with_help("clients reach the container port; a load balancer can listen on another port"),
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

/// Fargate changes only `nofile`.
fn ulimits(service: &Service, diags: &mut Vec<Diagnostic>) -> Vec<Value> {
    let mut out = Vec::new();
    for (name, limit) in &service.ulimits {
        if name != "nofile" {
            diags.push(Diagnostic::warning(
                NOT_ON_FARGATE,
                format!(
                    "services.{}.ulimits.{name}: Fargate only changes nofile; left out",
                    service.name
                ),
                service.span,
            ));
            continue;
        }
        out.push(json!({ "Name": name, "SoftLimit": limit.soft, "HardLimit": limit.hard }));
    }
    out
}

/// Capabilities and init. Fargate adds only SYS_PTRACE: others are left out with a warning.
fn linux_parameters(service: &Service, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    let mut linux = Map::new();
    let mut caps = Map::new();
    let mut add = Vec::new();
    for cap in &service.cap_add {
        let cap = cap.trim_start_matches("CAP_");
        if cap == "SYS_PTRACE" {
            add.push(json!(cap));
        } else {
            diags.push(
                Diagnostic::warning(
                    NOT_ON_FARGATE,
                    format!(
                        "services.{}.cap_add {cap}: Fargate can add only SYS_PTRACE; left out",
                        service.name
                    ),
                    service.span,
                )
                .with_help("remove it from cap_add, or run the service on EC2 capacity"),
            );
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

/// Named volumes become task volumes (task storage, shared by the family's containers).
fn mount_points(
    service: &Service,
    def: &mut Map<String, Value>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut mounts = Vec::new();
    let mut volumes = Vec::new();
    for volume in &service.volumes {
        match (volume.kind, &volume.source) {
            (VolumeKind::Volume, source) => {
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

/// Compose keys with no Fargate equivalent: warned about, left out.
fn not_on_fargate(service: &Service, diags: &mut Vec<Diagnostic>) {
    let mut unsupported: IndexMap<&str, bool> = IndexMap::new();
    unsupported.insert("privileged", service.privileged);
    unsupported.insert("shm_size", service.shm_size.is_some());
    unsupported.insert("tmpfs", !service.tmpfs.is_empty());
    unsupported.insert("dns", !service.dns.is_empty());
    unsupported.insert("extra_hosts", !service.extra_hosts.is_empty());
    let mode = service.network_mode.as_deref();
    unsupported.insert("network_mode", mode.is_some_and(|m| m != "awsvpc"));
    for (key, set) in unsupported {
        if set {
            diags.push(Diagnostic::warning(
                NOT_ON_FARGATE,
                format!(
                    "services.{}.{key} is not available on Fargate (awsvpc); left out",
                    service.name
                ),
                service.span,
            ));
        }
    }
}

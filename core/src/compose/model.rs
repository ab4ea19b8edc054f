//! The typed compose model that planning and emitting read (spans kept for later diagnostics).
//!
//! Everything here is already normalised (short syntax expanded, compose-go's type casts applied):
//! a later stage never re-parses compose syntax. `x-*` keys are kept as raw [`Node`]s so that each
//! ComposeX module parses its own syntax and reports problems at the right place.

use indexmap::IndexMap;

use crate::yaml::Node;
use crate::Span;

mod build;

pub use build::{build, convert};

/// A value with the span of the YAML node it came from, so later stages can point at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it is written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps `value` with `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// A duration, as compose writes them (`1m30s`, `500ms`), in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Duration {
    /// Nanoseconds.
    pub nanos: u64,
}

impl Duration {
    /// Whole milliseconds (rounded down).
    pub fn as_millis(self) -> u64 {
        self.nanos / 1_000_000
    }

    /// Whole seconds (rounded down).
    pub fn as_secs(self) -> u64 {
        self.nanos / 1_000_000_000
    }

    /// Whole seconds, rounded up (what ECS fields in seconds need so `500ms` is not 0).
    pub fn as_secs_ceil(self) -> u64 {
        self.nanos.div_ceil(1_000_000_000)
    }
}

/// The loaded compose project.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Project {
    /// Top-level `name:`, if written.
    pub name: Option<Spanned<String>>,
    /// Services by name, in file order.
    pub services: IndexMap<String, Service>,
    /// Top-level `volumes:`.
    pub volumes: IndexMap<String, Volume>,
    /// Top-level `networks:`.
    pub networks: IndexMap<String, Network>,
    /// Top-level `secrets:` (ComposeX `x-secrets` kept raw in each secret's `extensions`).
    pub secrets: IndexMap<String, Secret>,
    /// Top-level `configs:`.
    pub configs: IndexMap<String, Config>,
    /// Top-level `x-*` keys (`x-sqs`, `x-vpc`, `x-tags`, ...) as raw nodes, in file order.
    pub extensions: IndexMap<String, Node>,
    /// Files x-modules read (`x-ssm_parameter` `MacroParameters.FromFile`), by their key
    /// relative to the project directory; a named file that was not given is absent.
    pub module_files: std::collections::BTreeMap<String, ModuleFile>,
}

/// A file an x-module reads, as given in [`crate::Input::extra_files`].
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleFile {
    /// Its index among the input's sources (for spans into it).
    pub index: u32,
    /// Its text.
    pub text: String,
}

impl Project {
    /// The top-level `x-<module>` node, e.g. `extension("x-sqs")`.
    pub fn extension(&self, key: &str) -> Option<&Node> {
        self.extensions.get(key)
    }

    /// Every task family with the services in it, in order of first appearance (a service listed
    /// in several families appears in each).
    pub fn families(&self) -> IndexMap<String, Vec<&Service>> {
        // Sized once (a family per service, usually): growing it rehashes every name so far.
        let mut families: IndexMap<String, Vec<&Service>> =
            IndexMap::with_capacity(self.services.len());
        for service in self.services.values() {
            for family in service.families() {
                families.entry(family).or_default().push(service);
            }
        }
        families
    }
}

/// The deploy label that groups services into ECS task families (ComposeX).
pub const FAMILY_LABEL: &str = "ecs.task.family";

/// One service.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Service {
    /// The service's name (its key under `services:`).
    pub name: String,
    /// The span of the service's key.
    pub span: Span,
    /// `image:`.
    pub image: Option<Spanned<String>>,
    /// `build:` (string form becomes `context`).
    pub build: Option<Build>,
    /// `command:` (a string is split like a shell would, without expansion).
    pub command: Option<Spanned<Vec<String>>>,
    /// `entrypoint:` (same rules as `command`).
    pub entrypoint: Option<Spanned<Vec<String>>>,
    /// `environment:` (list or map form); `None` = declared without a value.
    pub environment: IndexMap<String, Option<String>>,
    /// Where each `environment` value is written (its key when it has no value), by name.
    pub environment_spans: IndexMap<String, Span>,
    /// `env_file:` entries.
    pub env_file: Vec<EnvFile>,
    /// `ports:`, long form, container ranges expanded to one entry per port.
    pub ports: Vec<Port>,
    /// `expose:` (ports or ranges as written, e.g. `"3000"`, `"8000-8010/udp"`).
    pub expose: Vec<Spanned<String>>,
    /// `deploy:`.
    pub deploy: Deploy,
    /// `healthcheck:`.
    pub healthcheck: Option<Healthcheck>,
    /// `depends_on:`, long form.
    pub depends_on: IndexMap<String, DependsOn>,
    /// `secrets:`, long form.
    pub secrets: Vec<ServiceSecret>,
    /// `configs:`, long form (targets made absolute: `/<source>` by default).
    pub configs: Vec<ServiceSecret>,
    /// `label_file:` entries (read into `labels` while loading).
    pub label_file: Vec<Spanned<String>>,
    /// `volumes:`, long form.
    pub volumes: Vec<ServiceVolume>,
    /// `networks:` (list form becomes a map with default settings).
    pub networks: IndexMap<String, ServiceNetwork>,
    /// `network_mode:`.
    pub network_mode: Option<String>,
    /// `logging:`.
    pub logging: Option<Logging>,
    /// `user:`.
    pub user: Option<String>,
    /// `working_dir:`.
    pub working_dir: Option<String>,
    /// `hostname:`.
    pub hostname: Option<String>,
    /// `cap_add:`.
    pub cap_add: Vec<String>,
    /// `cap_drop:`.
    pub cap_drop: Vec<String>,
    /// `ulimits:` (a single number sets both soft and hard).
    pub ulimits: IndexMap<String, Ulimit>,
    /// `sysctls:` (list or map form).
    pub sysctls: IndexMap<String, String>,
    /// `shm_size:` in bytes.
    pub shm_size: Option<Spanned<u64>>,
    /// `tmpfs:` mount points (string or list).
    pub tmpfs: Vec<String>,
    /// `stop_grace_period:`.
    pub stop_grace_period: Option<Spanned<Duration>>,
    /// `mem_limit:` in bytes (`-1`, unlimited, is `None`).
    pub mem_limit: Option<Spanned<u64>>,
    /// `mem_reservation:` in bytes.
    pub mem_reservation: Option<Spanned<u64>>,
    /// `cpus:`.
    pub cpus: Option<Spanned<f64>>,
    /// `cpu_shares:` (relative weight; 1024 is one vCPU's worth, as ECS CPU units).
    pub cpu_shares: Option<Spanned<u32>>,
    /// `labels:` (list or map form; container labels, not deploy labels).
    pub labels: IndexMap<String, String>,
    /// `privileged:`.
    pub privileged: bool,
    /// `read_only:` (read-only root file system).
    pub read_only: bool,
    /// `init:`.
    pub init: bool,
    /// `tty:`.
    pub tty: bool,
    /// `stdin_open:`.
    pub stdin_open: bool,
    /// `dns:` servers.
    pub dns: Vec<String>,
    /// `extra_hosts:` as `host:ip` strings.
    pub extra_hosts: Vec<String>,
    /// `platform:`.
    pub platform: Option<String>,
    /// `storage_opt.size` in bytes.
    pub storage_size: Option<Spanned<u64>>,
    /// The service's `x-*` keys (`x-network`, `x-iam`, `x-logging`, `x-scaling`, ...) as raw nodes.
    pub extensions: IndexMap<String, Node>,
}

impl Service {
    /// The task families this service belongs to: `deploy.labels["ecs.task.family"]` split on
    /// commas (blank parts dropped), or the service name when the label is absent or blank.
    pub fn families(&self) -> Vec<String> {
        self.family_names()
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// [`Service::families`], borrowed from the service.
    pub fn family_names(&self) -> Vec<&str> {
        let mut families: Vec<&str> = Vec::new();
        if let Some(label) = self.deploy.labels.get(FAMILY_LABEL) {
            for part in label.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                if !families.contains(&part) {
                    families.push(part);
                }
            }
        }
        if families.is_empty() {
            families.push(&self.name);
        }
        families
    }

    /// The service's `x-<name>` node, e.g. `extension("x-network")`.
    pub fn extension(&self, key: &str) -> Option<&Node> {
        self.extensions.get(key)
    }
}

/// `build:`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Build {
    /// Build context directory or URL.
    pub context: String,
    /// Dockerfile path (compose default `Dockerfile`).
    pub dockerfile: String,
    /// Build arguments.
    pub args: IndexMap<String, Option<String>>,
    /// Target stage.
    pub target: Option<String>,
    /// Where `build:` is written.
    pub span: Span,
    /// The span of the `build` key itself.
    pub key_span: Span,
}

/// One `env_file:` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvFile {
    /// Path of the file.
    pub path: String,
    /// False when the file may be missing.
    pub required: bool,
    /// Where the entry is written.
    pub span: Span,
}

/// One published or exposed container port (long form).
#[derive(Debug, Clone, PartialEq)]
pub struct Port {
    /// Container port.
    pub target: u16,
    /// Host port or host range (`"8080"`, `"8000-9000"`); `None` when not published.
    pub published: Option<String>,
    /// Host IP (`127.0.0.1`, `::1`), without brackets.
    pub host_ip: Option<String>,
    /// `tcp`, `udp` or `sctp` (lower case; default `tcp`).
    pub protocol: String,
    /// `ingress` or `host`, when written.
    pub mode: Option<String>,
    /// Port name (long form only).
    pub name: Option<String>,
    /// Application protocol (`http`, `grpc`, ...; long form only).
    pub app_protocol: Option<String>,
    /// Where the port is written.
    pub span: Span,
    /// `x-*` keys (long form only; Docker's `x-aws-protocol`, `x-aws-certificate`).
    pub extensions: IndexMap<String, Node>,
}

/// `deploy:`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Deploy {
    /// `deploy.replicas` (or `scale:`).
    pub replicas: Option<Spanned<u32>>,
    /// `deploy.resources`.
    pub resources: Resources,
    /// `deploy.labels` (ComposeX reads `ecs.task.family`, `ecs.depends.condition`, ...).
    pub labels: IndexMap<String, String>,
    /// `deploy.update_config`.
    pub update_config: Option<UpdateConfig>,
    /// `deploy.restart_policy`.
    pub restart_policy: Option<RestartPolicy>,
    /// The `x-*` keys under `deploy` (e.g. `x-aws-autoscaling`).
    pub extensions: IndexMap<String, Node>,
    /// `deploy.resources.reservations.devices`, as written (read by the family planner), and
    /// the span of its key.
    pub devices: Option<Spanned<Node>>,
    /// `deploy.placement`, as written (read by the family planner), and the span of its key.
    pub placement: Option<Spanned<Node>>,
    /// The ComposeX label `ecs.compute.platform` (EC2, FARGATE or EXTERNAL) and where it is.
    pub compute_platform: Option<Spanned<String>>,
}

/// `deploy.resources`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resources {
    /// `limits`.
    pub limits: ResourceSpec,
    /// `reservations`.
    pub reservations: ResourceSpec,
}

/// `deploy.resources.limits` or `.reservations`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResourceSpec {
    /// vCPUs (`0.5`).
    pub cpus: Option<Spanned<f64>>,
    /// Memory in bytes (binary units: `512M` = 512 MiB).
    pub memory: Option<Spanned<u64>>,
}

/// `deploy.update_config`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpdateConfig {
    /// Containers updated at a time (0: all at once).
    pub parallelism: Option<Spanned<u64>>,
    /// `continue`, `rollback` or `pause`.
    pub failure_action: Option<Spanned<String>>,
    /// Wait between updates.
    pub delay: Option<Duration>,
    /// `stop-first` or `start-first`.
    pub order: Option<Spanned<String>>,
    /// `x-*` keys (Docker's ECS integration read `x-aws-min_percent` / `x-aws-max_percent` here).
    pub extensions: IndexMap<String, Node>,
}

/// `deploy.restart_policy`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RestartPolicy {
    /// `none`, `on-failure` or `any`.
    pub condition: Option<String>,
    /// Wait between restarts.
    pub delay: Option<Duration>,
    /// Most restart attempts.
    pub max_attempts: Option<u64>,
    /// How long to wait before deciding a restart worked.
    pub window: Option<Duration>,
}

/// `healthcheck:`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Healthcheck {
    /// `["CMD", ...]`, `["CMD-SHELL", "..."]` or `["NONE"]` (a string test becomes CMD-SHELL).
    pub test: Vec<String>,
    /// Time between checks.
    pub interval: Option<Duration>,
    /// Time a check may take.
    pub timeout: Option<Duration>,
    /// Grace period after start.
    pub start_period: Option<Duration>,
    /// Time between checks during the start period.
    pub start_interval: Option<Duration>,
    /// Failures before unhealthy.
    pub retries: Option<u64>,
    /// `disable: true` (or `test: ["NONE"]`).
    pub disable: bool,
    /// Where `healthcheck:` is written.
    pub span: Span,
}

/// The condition of a `depends_on` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DependsCondition {
    /// `service_started` (the default).
    #[default]
    Started,
    /// `service_healthy`.
    Healthy,
    /// `service_completed_successfully`.
    CompletedSuccessfully,
}

impl DependsCondition {
    /// The compose spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DependsCondition::Started => "service_started",
            DependsCondition::Healthy => "service_healthy",
            DependsCondition::CompletedSuccessfully => "service_completed_successfully",
        }
    }
}

/// One `depends_on` entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DependsOn {
    /// When the dependency counts as ready.
    pub condition: DependsCondition,
    /// False when the dependency may be missing.
    pub required: bool,
    /// Restart this service when the dependency restarts.
    pub restart: bool,
    /// Where the entry is written (its key or list item).
    pub span: Span,
}

/// One service `secrets:` or `configs:` entry, long form (a file in the container).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceSecret {
    /// Name of the top-level secret or config.
    pub source: String,
    /// Absolute path in the container (secrets: default `/run/secrets/<source>`, a relative
    /// target is under `/run/secrets`; configs: default `/<source>`).
    pub target: String,
    /// `target`, `uid`, `gid` or `mode` is written: the user asks for a file.
    pub as_file: bool,
    /// Where `target` is written (None: the default target).
    pub target_span: Option<Span>,
    /// Owner uid.
    pub uid: Option<String>,
    /// Owner gid.
    pub gid: Option<String>,
    /// File mode (`"0440"` is octal).
    pub mode: Option<u32>,
    /// Where the entry is written.
    pub span: Span,
}

/// What a service volume mounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VolumeKind {
    /// A named (or anonymous) volume.
    #[default]
    Volume,
    /// A host path.
    Bind,
    /// A tmpfs mount.
    Tmpfs,
    /// A Windows named pipe.
    Npipe,
    /// A cluster volume.
    Cluster,
    /// An image mounted as a volume.
    Image,
}

impl VolumeKind {
    /// The compose spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            VolumeKind::Volume => "volume",
            VolumeKind::Bind => "bind",
            VolumeKind::Tmpfs => "tmpfs",
            VolumeKind::Npipe => "npipe",
            VolumeKind::Cluster => "cluster",
            VolumeKind::Image => "image",
        }
    }
}

/// One service `volumes:` entry, long form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceVolume {
    /// Bind, named volume, tmpfs, ...
    pub kind: VolumeKind,
    /// Host path or volume name; `None` for an anonymous volume or tmpfs.
    pub source: Option<String>,
    /// Path in the container.
    pub target: String,
    /// Mounted read-only.
    pub read_only: bool,
    /// Where the entry is written.
    pub span: Span,
}

/// A service's settings on one network.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceNetwork {
    /// Extra host names on that network.
    pub aliases: Vec<String>,
    /// Where the network is named in the service.
    pub span: Span,
}

/// `logging:`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Logging {
    /// Log driver (`awslogs`, `json-file`, ...).
    pub driver: Option<String>,
    /// Driver options.
    pub options: IndexMap<String, String>,
    /// Where each option's value is written.
    pub option_spans: IndexMap<String, Span>,
}

/// One `ulimits:` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ulimit {
    /// Soft limit.
    pub soft: i64,
    /// Hard limit.
    pub hard: i64,
}

/// A top-level volume.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Volume {
    /// Its key under `volumes:`.
    pub name: String,
    /// Where the key is written.
    pub span: Span,
    /// `driver:` (ComposeX: `efs` creates an EFS file system).
    pub driver: Option<String>,
    /// `driver_opts:`.
    pub driver_opts: IndexMap<String, String>,
    /// Where each `driver_opts` entry is written: (key span, value span).
    pub driver_opts_spans: IndexMap<String, (Span, Span)>,
    /// Where the `driver:` value is written.
    pub driver_span: Option<Span>,
    /// `external:` (exists already).
    pub external: bool,
    /// `name:` (the real name, when it differs from the key).
    pub external_name: Option<String>,
    /// `labels:`.
    pub labels: IndexMap<String, String>,
    /// `x-*` keys (ComposeX `x-efs`).
    pub extensions: IndexMap<String, Node>,
}

/// A top-level network.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Network {
    /// Its key under `networks:`.
    pub name: String,
    /// Where the key is written.
    pub span: Span,
    /// `driver:`.
    pub driver: Option<String>,
    /// `external:`.
    pub external: bool,
    /// `internal:`.
    pub internal: bool,
    /// Where the `internal` value is written.
    pub internal_span: Option<Span>,
    /// `name:` (the real name, when it differs from the key).
    pub external_name: Option<String>,
    /// `labels:`.
    pub labels: IndexMap<String, String>,
    /// `x-*` keys.
    pub extensions: IndexMap<String, Node>,
}

/// A top-level secret.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Secret {
    /// Its key under `secrets:`.
    pub name: String,
    /// Where the key is written.
    pub span: Span,
    /// `file:` source.
    pub file: Option<String>,
    /// `environment:` source (variable name).
    pub environment: Option<String>,
    /// `external:`.
    pub external: bool,
    /// `name:` (the real name, when it differs from the key).
    pub external_name: Option<String>,
    /// `x-*` keys; ComposeX reads `x-secrets` (Name, JsonKeys, Lookup, LinksTo).
    pub extensions: IndexMap<String, Node>,
}

impl Secret {
    /// The ComposeX `x-secrets` node of this secret.
    pub fn x_secrets(&self) -> Option<&Node> {
        self.extensions.get("x-secrets")
    }
}

/// A top-level config.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    /// Its key under `configs:`.
    pub name: String,
    /// Where the key is written.
    pub span: Span,
    /// `file:` source.
    pub file: Option<String>,
    /// `environment:` source.
    pub environment: Option<String>,
    /// `content:` source; loading also puts here the text of the `file:` or the value of the
    /// `environment:` variable (the file's contents are what the containers see).
    pub content: Option<String>,
    /// Where the source (`file`, `environment` or `content` value) is written.
    pub source_span: Span,
    /// `external:`.
    pub external: bool,
    /// `name:` (the real name, when it differs from the key).
    pub external_name: Option<String>,
    /// `x-*` keys.
    pub extensions: IndexMap<String, Node>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(name: &str, family_label: Option<&str>) -> Service {
        let mut s = Service {
            name: name.into(),
            ..Service::default()
        };
        if let Some(label) = family_label {
            s.deploy.labels.insert(FAMILY_LABEL.into(), label.into());
        }
        s
    }

    #[test]
    fn families_default_to_the_service_name() {
        assert_eq!(service("app01", None).families(), vec!["app01"]);
        assert_eq!(service("app01", Some(" , ")).families(), vec!["app01"]);
    }

    #[test]
    fn families_split_the_label_on_commas() {
        assert_eq!(
            service("rproxy", Some("app01, app02,app01")).families(),
            vec!["app01", "app02"]
        );
    }

    #[test]
    fn project_families_group_services() {
        let mut p = Project::default();
        for s in [
            service("a", Some("f1")),
            service("b", Some("f1,f2")),
            service("c", None),
        ] {
            p.services.insert(s.name.clone(), s);
        }
        let fams = p.families();
        let names: Vec<(&str, Vec<&str>)> = fams
            .iter()
            .map(|(f, ss)| (f.as_str(), ss.iter().map(|s| s.name.as_str()).collect()))
            .collect();
        assert_eq!(
            names,
            vec![("f1", vec!["a", "b"]), ("f2", vec!["b"]), ("c", vec!["c"])]
        );
    }

    #[test]
    fn durations_convert() {
        let d = Duration {
            nanos: 1_500_000_000,
        };
        assert_eq!((d.as_millis(), d.as_secs(), d.as_secs_ceil()), (1500, 1, 2));
        assert_eq!(Duration { nanos: 500_000_000 }.as_secs_ceil(), 1);
    }
}

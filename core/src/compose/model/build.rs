//! Building the typed [`Project`] from the compose tree.

use indexmap::IndexMap;

use super::*;
use crate::compose::normalize::{
    self, cast_bool, cast_float, cast_int, cast_mode, parse_duration, scalar_bytes,
};
use crate::diagnostic::Diagnostic;
use crate::yaml::{Map, Value};

/// Normalises a copy of `tree` and builds the typed project from it. The diagnostics are those of
/// [`normalize::normalize`]: values it reports are left out of the project (`None`, default).
pub fn build(tree: &Node) -> (Project, Vec<Diagnostic>) {
    let mut normalized = tree.clone();
    let diagnostics = normalize::normalize(&mut normalized);
    (convert(&normalized), diagnostics)
}

/// Builds the typed project from a tree that [`normalize::normalize`] has already rewritten.
/// Reports nothing: anything malformed was reported by normalisation or is reported by
/// validation, and is skipped here.
pub fn convert(tree: &Node) -> Project {
    let mut project = Project::default();
    let Some(top) = tree.as_map() else {
        return project;
    };
    project.name = top
        .get("name")
        .and_then(|n| text(n).map(|t| Spanned::new(t, n.span)));
    // Sized once, exactly: a service is big, and `reserve` would round the room up to the hash
    // table's (1,792 services' worth for 1,000).
    project
        .services
        .reserve_exact(entries(top.get("services")).count());
    for (name, key_span, node) in entries(top.get("services")) {
        let service = service(name, key_span, node.as_map().unwrap_or(&Map::default()));
        project.services.insert(name.to_string(), service);
    }
    for (name, key_span, node) in entries(top.get("volumes")) {
        let m = node.as_map();
        let get = |k: &str| m.and_then(|m| m.get(k));
        project.volumes.insert(
            name.to_string(),
            Volume {
                name: name.to_string(),
                span: key_span,
                driver: get("driver").and_then(text),
                driver_opts: string_map(get("driver_opts")),
                driver_opts_spans: entries(get("driver_opts"))
                    .map(|(k, key_span, v)| (k.to_string(), (key_span, v.span)))
                    .collect(),
                driver_span: get("driver").map(|n| n.span),
                external: get("external").and_then(boolean).unwrap_or(false),
                external_name: get("name").and_then(text),
                labels: string_map(get("labels")),
                extensions: extensions(m),
            },
        );
    }
    for (name, key_span, node) in entries(top.get("networks")) {
        let m = node.as_map();
        let get = |k: &str| m.and_then(|m| m.get(k));
        project.networks.insert(
            name.to_string(),
            Network {
                name: name.to_string(),
                span: key_span,
                driver: get("driver").and_then(text),
                external: get("external").and_then(boolean).unwrap_or(false),
                internal: get("internal").and_then(boolean).unwrap_or(false),
                internal_span: get("internal").map(|n| n.span),
                external_name: get("name").and_then(text),
                labels: string_map(get("labels")),
                extensions: extensions(m),
            },
        );
    }
    for (name, key_span, node) in entries(top.get("secrets")) {
        let m = node.as_map();
        let get = |k: &str| m.and_then(|m| m.get(k));
        project.secrets.insert(
            name.to_string(),
            Secret {
                name: name.to_string(),
                span: key_span,
                file: get("file").and_then(text),
                environment: get("environment").and_then(text),
                external: get("external").and_then(boolean).unwrap_or(false),
                external_name: get("name").and_then(text),
                extensions: extensions(m),
            },
        );
    }
    for (name, key_span, node) in entries(top.get("configs")) {
        let m = node.as_map();
        let get = |k: &str| m.and_then(|m| m.get(k));
        project.configs.insert(
            name.to_string(),
            Config {
                name: name.to_string(),
                span: key_span,
                file: get("file").and_then(text),
                environment: get("environment").and_then(text),
                content: get("content").and_then(text),
                source_span: ["file", "environment", "content"]
                    .into_iter()
                    .find_map(get)
                    .map_or(key_span, |n| n.span),
                external: get("external").and_then(boolean).unwrap_or(false),
                external_name: get("name").and_then(text),
                extensions: extensions(m),
            },
        );
    }
    project.extensions = extensions(Some(top));
    project
}

fn service(name: &str, key_span: Span, m: &Map) -> Service {
    let get = |k: &str| m.get(k);
    let deploy = get("deploy").and_then(Node::as_map);
    let mut s = Service {
        name: name.to_string(),
        span: key_span,
        image: get("image").and_then(|n| text(n).map(|t| Spanned::new(t, n.span))),
        build: get("build").map(|n| build_section(n, m.key_span("build").unwrap_or(n.span))),
        command: get("command").and_then(words),
        entrypoint: get("entrypoint").and_then(words),
        environment: optional_string_map(get("environment")),
        environment_spans: entries(get("environment"))
            .map(|(k, key_span, v)| (k.to_string(), if v.is_null() { key_span } else { v.span }))
            .collect(),
        env_file: seq(get("env_file"))
            .iter()
            .filter_map(|e| {
                let path = e.get("path").and_then(text)?;
                let required = e.get("required").and_then(boolean).unwrap_or(true);
                Some(EnvFile {
                    path,
                    required,
                    span: e.span,
                })
            })
            .collect(),
        ports: seq(get("ports")).iter().filter_map(port).collect(),
        expose: seq(get("expose"))
            .iter()
            .filter_map(|e| text(e).map(|t| Spanned::new(t, e.span)))
            .collect(),
        deploy: deploy.map(deploy_section).unwrap_or_default(),
        healthcheck: get("healthcheck").and_then(healthcheck),
        depends_on: entries(get("depends_on"))
            .filter_map(|(dep, key_span, n)| {
                let condition = match n.get("condition").and_then(text).as_deref() {
                    None | Some("service_started") => DependsCondition::Started,
                    Some("service_healthy") => DependsCondition::Healthy,
                    Some("service_completed_successfully") => {
                        DependsCondition::CompletedSuccessfully
                    }
                    Some(_) => return None,
                };
                let required = n.get("required").and_then(boolean).unwrap_or(true);
                let restart = n.get("restart").and_then(boolean).unwrap_or(false);
                Some((
                    dep.to_string(),
                    DependsOn {
                        condition,
                        required,
                        restart,
                        span: key_span,
                    },
                ))
            })
            .collect(),
        secrets: seq(get("secrets"))
            .iter()
            .filter_map(|n| file_reference(n, "/run/secrets/"))
            .collect(),
        configs: seq(get("configs"))
            .iter()
            .filter_map(|n| file_reference(n, "/"))
            .collect(),
        label_file: seq(get("label_file"))
            .iter()
            .filter_map(|n| text(n).map(|t| Spanned::new(t, n.span)))
            .collect(),
        volumes: seq(get("volumes"))
            .iter()
            .filter_map(service_volume)
            .collect(),
        networks: entries(get("networks"))
            .map(|(net, key_span, n)| {
                let aliases = n.get("aliases").map(strings).unwrap_or_default();
                (
                    net.to_string(),
                    ServiceNetwork {
                        aliases,
                        span: key_span,
                    },
                )
            })
            .collect(),
        network_mode: get("network_mode").and_then(text),
        logging: get("logging").and_then(Node::as_map).map(|l| Logging {
            driver: l.get("driver").and_then(text),
            options: string_map(l.get("options")),
            option_spans: entries(l.get("options"))
                .map(|(k, _, v)| (k.to_string(), v.span))
                .collect(),
        }),
        user: get("user").and_then(text),
        working_dir: get("working_dir").and_then(text),
        hostname: get("hostname").and_then(text),
        cap_add: get("cap_add").map(strings).unwrap_or_default(),
        cap_drop: get("cap_drop").map(strings).unwrap_or_default(),
        ulimits: entries(get("ulimits"))
            .filter_map(|(name, _, n)| {
                let limit = match n.as_map() {
                    Some(l) => Ulimit {
                        soft: l.get("soft").and_then(int)?,
                        hard: l.get("hard").and_then(int)?,
                    },
                    None => {
                        let v = int(n)?;
                        Ulimit { soft: v, hard: v }
                    }
                };
                Some((name.to_string(), limit))
            })
            .collect(),
        sysctls: string_map(get("sysctls")),
        shm_size: get("shm_size").and_then(bytes),
        tmpfs: get("tmpfs").map(strings).unwrap_or_default(),
        stop_grace_period: get("stop_grace_period")
            .and_then(|n| duration(n).map(|d| Spanned::new(d, n.span))),
        mem_limit: get("mem_limit").and_then(bytes),
        mem_reservation: get("mem_reservation").and_then(bytes),
        cpus: get("cpus").and_then(|n| float(n).map(|f| Spanned::new(f, n.span))),
        cpu_shares: get("cpu_shares").and_then(|n| {
            let shares = u32::try_from(int(n)?).ok()?;
            Some(Spanned::new(shares, n.span))
        }),
        labels: string_map(get("labels")),
        privileged: flag(get("privileged")),
        read_only: flag(get("read_only")),
        init: flag(get("init")),
        tty: flag(get("tty")),
        stdin_open: flag(get("stdin_open")),
        dns: get("dns").map(strings).unwrap_or_default(),
        extra_hosts: extra_hosts(get("extra_hosts")),
        platform: get("platform").and_then(text),
        storage_size: get("storage_opt")
            .and_then(|n| n.get("size"))
            .and_then(bytes),
        extensions: extensions(Some(m)),
    };
    if s.deploy.replicas.is_none() {
        s.deploy.replicas = get("scale").and_then(|n| {
            int(n)
                .and_then(|v| u32::try_from(v).ok())
                .map(|v| Spanned::new(v, n.span))
        });
    }
    s
}

fn build_section(node: &Node, key_span: Span) -> Build {
    let m = node.as_map();
    let get = |k: &str| m.and_then(|m| m.get(k));
    Build {
        context: get("context")
            .and_then(text)
            .or_else(|| text(node))
            .unwrap_or_else(|| ".".into()),
        dockerfile: get("dockerfile")
            .and_then(text)
            .unwrap_or_else(|| "Dockerfile".into()),
        args: optional_string_map(get("args")),
        target: get("target").and_then(text),
        span: node.span,
        key_span,
    }
}

fn deploy_section(d: &Map) -> Deploy {
    let resources = d.get("resources").and_then(Node::as_map);
    let spec = |key: &str| {
        let r = resources.and_then(|r| r.get(key));
        ResourceSpec {
            cpus: r
                .and_then(|r| r.get("cpus"))
                .and_then(|n| float(n).map(|f| Spanned::new(f, n.span))),
            memory: r.and_then(|r| r.get("memory")).and_then(bytes),
        }
    };
    Deploy {
        replicas: d.get("replicas").and_then(|n| {
            int(n)
                .and_then(|v| u32::try_from(v).ok())
                .map(|v| Spanned::new(v, n.span))
        }),
        resources: Resources {
            limits: spec("limits"),
            reservations: spec("reservations"),
        },
        labels: string_map(d.get("labels")),
        update_config: d
            .get("update_config")
            .and_then(Node::as_map)
            .map(|u| UpdateConfig {
                parallelism: u.get("parallelism").and_then(|n| {
                    let v = u64::try_from(int(n)?).ok()?;
                    Some(Spanned::new(v, n.span))
                }),
                failure_action: u
                    .get("failure_action")
                    .and_then(|n| text(n).map(|t| Spanned::new(t, n.span))),
                delay: u.get("delay").and_then(duration),
                order: u
                    .get("order")
                    .and_then(|n| text(n).map(|t| Spanned::new(t, n.span))),
                extensions: extensions(Some(u)),
            }),
        restart_policy: d
            .get("restart_policy")
            .and_then(Node::as_map)
            .map(|r| RestartPolicy {
                condition: r.get("condition").and_then(text),
                delay: r.get("delay").and_then(duration),
                max_attempts: r
                    .get("max_attempts")
                    .and_then(int)
                    .and_then(|v| u64::try_from(v).ok()),
                window: r.get("window").and_then(duration),
            }),
        extensions: extensions(Some(d)),
        devices: resources
            .and_then(|r| r.get("reservations"))
            .and_then(Node::as_map)
            .and_then(|r| keyed(r, "devices")),
        placement: keyed(d, "placement"),
        compute_platform: compute_platform(d.get("labels")),
    }
}

/// The value of `key` in `map`, with the span of the key.
fn keyed(map: &Map, key: &str) -> Option<Spanned<Node>> {
    let value = map.get(key)?.clone();
    Some(Spanned::new(value, map.key_span(key)?))
}

/// The deploy label `ecs.compute.platform` (map or `key=value` list form) with its span.
fn compute_platform(labels: Option<&Node>) -> Option<Spanned<String>> {
    const LABEL: &str = "ecs.compute.platform";
    let labels = labels?;
    if let Some(n) = labels.get(LABEL) {
        return text(n).map(|t| Spanned::new(t, n.span));
    }
    labels.as_seq()?.iter().find_map(|item| {
        let value = item.as_str()?.strip_prefix(LABEL)?.strip_prefix('=')?;
        Some(Spanned::new(value.to_string(), item.span))
    })
}

fn healthcheck(node: &Node) -> Option<Healthcheck> {
    let m = node.as_map()?;
    let test = m.get("test").map(strings).unwrap_or_default();
    let disable = m.get("disable").and_then(boolean).unwrap_or(false)
        || test.first().is_some_and(|t| t == "NONE");
    Some(Healthcheck {
        test,
        interval: m.get("interval").and_then(duration),
        timeout: m.get("timeout").and_then(duration),
        start_period: m.get("start_period").and_then(duration),
        start_interval: m.get("start_interval").and_then(duration),
        retries: m
            .get("retries")
            .and_then(int)
            .and_then(|v| u64::try_from(v).ok()),
        disable,
        span: node.span,
    })
}

fn port(node: &Node) -> Option<Port> {
    let m = node.as_map()?;
    let target = u16::try_from(m.get("target").and_then(int)?).ok()?;
    Some(Port {
        target,
        published: m.get("published").and_then(text),
        host_ip: m.get("host_ip").and_then(text),
        protocol: m
            .get("protocol")
            .and_then(text)
            .unwrap_or_else(|| "tcp".into())
            .to_ascii_lowercase(),
        mode: m.get("mode").and_then(text),
        name: m.get("name").and_then(text),
        app_protocol: m.get("app_protocol").and_then(text),
        span: node.span,
        extensions: extensions(Some(m)),
    })
}

/// A `secrets` / `configs` entry; a relative or missing target is under `base` (`/run/secrets/`
/// for secrets, `/` for configs, as compose mounts them).
fn file_reference(node: &Node, base: &str) -> Option<ServiceSecret> {
    let m = node.as_map()?;
    let source = m.get("source").and_then(text)?;
    let target = match m.get("target").and_then(text) {
        Some(t) if t.starts_with('/') => t,
        Some(t) => format!("{base}{t}"),
        None => format!("{base}{source}"),
    };
    let as_file = ["target", "uid", "gid", "mode"]
        .iter()
        .any(|k| m.get(k).is_some_and(|n| !n.is_null()));
    Some(ServiceSecret {
        source,
        target,
        as_file,
        target_span: m.get("target").map(|n| n.span),
        uid: m.get("uid").and_then(text),
        gid: m.get("gid").and_then(text),
        mode: m
            .get("mode")
            .and_then(|n| n.as_scalar().filter(|s| !s.is_null()))
            .and_then(|s| cast_mode(s).ok()),
        span: node.span,
    })
}

fn service_volume(node: &Node) -> Option<ServiceVolume> {
    let m = node.as_map()?;
    let kind = match m.get("type").and_then(text).as_deref() {
        Some("bind") => VolumeKind::Bind,
        Some("tmpfs") => VolumeKind::Tmpfs,
        Some("npipe") => VolumeKind::Npipe,
        Some("cluster") => VolumeKind::Cluster,
        Some("image") => VolumeKind::Image,
        Some("volume") | None => VolumeKind::Volume,
        Some(_) => return None,
    };
    Some(ServiceVolume {
        kind,
        source: m.get("source").and_then(text),
        target: m.get("target").and_then(text)?,
        read_only: m.get("read_only").and_then(boolean).unwrap_or(false),
        span: node.span,
    })
}

fn extra_hosts(node: Option<&Node>) -> Vec<String> {
    match node.map(|n| &n.value) {
        Some(Value::Map(m)) => m
            .iter()
            .filter_map(|(host, ip)| text(ip).map(|ip| format!("{host}:{ip}")))
            .collect(),
        Some(_) => node.map(strings).unwrap_or_default(),
        None => Vec::new(),
    }
}

/// The `x-*` entries of a mapping, raw.
fn extensions(map: Option<&Map>) -> IndexMap<String, Node> {
    map.map(|m| {
        m.iter()
            .filter(|(k, _)| k.starts_with("x-"))
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    })
    .unwrap_or_default()
}

fn entries(node: Option<&Node>) -> impl Iterator<Item = (&str, Span, &Node)> {
    node.and_then(Node::as_map)
        .into_iter()
        .flat_map(|m| m.entries.iter().map(|(k, s, v)| (k.as_str(), *s, v)))
}

fn seq(node: Option<&Node>) -> &[Node] {
    node.and_then(Node::as_seq).unwrap_or(&[])
}

fn text(node: &Node) -> Option<String> {
    node.as_str().map(str::to_string)
}

fn strings(node: &Node) -> Vec<String> {
    match node.as_seq() {
        Some(items) => items.iter().filter_map(text).collect(),
        None => text(node).into_iter().collect(),
    }
}

fn words(node: &Node) -> Option<Spanned<Vec<String>>> {
    node.as_seq()
        .map(|items| Spanned::new(items.iter().filter_map(text).collect(), node.span))
}

fn string_map(node: Option<&Node>) -> IndexMap<String, String> {
    entries(node)
        .map(|(k, _, v)| (k.to_string(), text(v).unwrap_or_default()))
        .collect()
}

fn optional_string_map(node: Option<&Node>) -> IndexMap<String, Option<String>> {
    entries(node)
        .map(|(k, _, v)| (k.to_string(), if v.is_null() { None } else { text(v) }))
        .collect()
}

fn int(node: &Node) -> Option<i64> {
    node.as_scalar()
        .filter(|s| !s.is_null())
        .and_then(|s| cast_int(s).ok())
}

fn float(node: &Node) -> Option<f64> {
    node.as_scalar()
        .filter(|s| !s.is_null())
        .and_then(|s| cast_float(s).ok())
}

fn boolean(node: &Node) -> Option<bool> {
    node.as_scalar()
        .filter(|s| !s.is_null())
        .and_then(|s| cast_bool(s).ok())
        .map(|b| b.value)
}

fn flag(node: Option<&Node>) -> bool {
    node.and_then(boolean).unwrap_or(false)
}

fn duration(node: &Node) -> Option<Duration> {
    let nanos = parse_duration(node.as_str()?).ok()?;
    Some(Duration {
        nanos: u64::try_from(nanos).ok()?,
    })
}

/// A byte size; `-1` (unlimited) and other negatives give `None`.
fn bytes(node: &Node) -> Option<Spanned<u64>> {
    let scalar = node.as_scalar().filter(|s| !s.is_null())?;
    let n = scalar_bytes(scalar).ok()?;
    Some(Spanned::new(u64::try_from(n).ok()?, node.span))
}

//! Structure: the kinds and allowed keys of the compose specification, checked on the tree.
//!
//! The schema below is a compact description of compose-spec's JSON schema: which keys an
//! object allows and what kind of value (scalar, list, mapping) each holds. Scalar *values* (is
//! this an integer, a duration) are checked by normalisation; this pass checks shapes and keys.

use super::codes;
use crate::diagnostic::Diagnostic;
use crate::suggest::{did_you_mean, with_suggestion};
use crate::yaml::{Node, Value};

/// What a node may be.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// Anything (raw CloudFormation, driver options, ...).
    Any,
    /// A string, number or boolean.
    Scalar,
    /// A list of the given shape.
    List(&'static Shape),
    /// An object with known keys (`x-*` keys always allowed).
    Object(&'static [(&'static str, Shape)]),
    /// A mapping with user-chosen keys, each value of the given shape.
    Dict(&'static Shape),
    /// One of several shapes, chosen by the node's kind.
    OneOf(&'static [Shape]),
}

use Shape::*;

const STRINGS: Shape = List(&Scalar);
const STR_OR_LIST: Shape = OneOf(&[Scalar, List(&Scalar)]);
/// `KEY=VALUE` list or mapping of scalars.
const KEY_VALUES: Shape = OneOf(&[List(&Scalar), Dict(&Scalar)]);

const RESOURCE_LIMITS: Shape = Object(&[("cpus", Scalar), ("memory", Scalar), ("pids", Scalar)]);
const RESOURCE_RESERVATIONS: Shape = Object(&[
    ("cpus", Scalar),
    ("memory", Scalar),
    ("generic_resources", List(&Any)),
    ("devices", List(&Any)),
]);
const UPDATE_CONFIG: Shape = Object(&[
    ("parallelism", Scalar),
    ("delay", Scalar),
    ("failure_action", Scalar),
    ("monitor", Scalar),
    ("max_failure_ratio", Scalar),
    ("order", Scalar),
]);
const DEPLOY: Shape = Object(&[
    ("mode", Scalar),
    ("endpoint_mode", Scalar),
    ("replicas", Scalar),
    ("labels", KEY_VALUES),
    ("rollback_config", UPDATE_CONFIG),
    ("update_config", UPDATE_CONFIG),
    (
        "resources",
        Object(&[
            ("limits", RESOURCE_LIMITS),
            ("reservations", RESOURCE_RESERVATIONS),
        ]),
    ),
    (
        "restart_policy",
        Object(&[
            ("condition", Scalar),
            ("delay", Scalar),
            ("max_attempts", Scalar),
            ("window", Scalar),
        ]),
    ),
    (
        "placement",
        Object(&[
            ("constraints", STRINGS),
            ("preferences", List(&Any)),
            ("max_replicas_per_node", Scalar),
        ]),
    ),
]);
const HEALTHCHECK: Shape = Object(&[
    ("disable", Scalar),
    ("interval", Scalar),
    ("retries", Scalar),
    ("test", STR_OR_LIST),
    ("timeout", Scalar),
    ("start_period", Scalar),
    ("start_interval", Scalar),
]);
const PORT: Shape = OneOf(&[
    Scalar,
    Object(&[
        ("name", Scalar),
        ("mode", Scalar),
        ("host_ip", Scalar),
        ("target", Scalar),
        ("published", Scalar),
        ("protocol", Scalar),
        ("app_protocol", Scalar),
    ]),
]);
const SERVICE_VOLUME: Shape = OneOf(&[
    Scalar,
    Object(&[
        ("type", Scalar),
        ("source", Scalar),
        ("target", Scalar),
        ("read_only", Scalar),
        ("consistency", Scalar),
        (
            "bind",
            Object(&[
                ("propagation", Scalar),
                ("create_host_path", Scalar),
                ("recursive", Scalar),
                ("selinux", Scalar),
            ]),
        ),
        ("volume", Object(&[("nocopy", Scalar), ("subpath", Scalar)])),
        ("tmpfs", Object(&[("size", Scalar), ("mode", Scalar)])),
        ("image", Object(&[("subpath", Scalar)])),
    ]),
]);
const FILE_REFERENCE: Shape = OneOf(&[
    Scalar,
    Object(&[
        ("source", Scalar),
        ("target", Scalar),
        ("uid", Scalar),
        ("gid", Scalar),
        ("mode", Scalar),
    ]),
]);
const DEPENDS_ON: Shape = OneOf(&[
    List(&Scalar),
    Dict(&Object(&[
        ("condition", Scalar),
        ("required", Scalar),
        ("restart", Scalar),
    ])),
]);
const SERVICE_NETWORKS: Shape = OneOf(&[
    List(&Scalar),
    Dict(&Object(&[
        ("aliases", STRINGS),
        ("ipv4_address", Scalar),
        ("ipv6_address", Scalar),
        ("link_local_ips", STRINGS),
        ("mac_address", Scalar),
        ("driver_opts", Dict(&Scalar)),
        ("priority", Scalar),
        ("gw_priority", Scalar),
        ("interface_name", Scalar),
    ])),
]);
const BUILD: Shape = OneOf(&[
    Scalar,
    Object(&[
        ("context", Scalar),
        ("dockerfile", Scalar),
        ("dockerfile_inline", Scalar),
        ("entitlements", STRINGS),
        ("args", KEY_VALUES),
        ("ssh", KEY_VALUES),
        ("labels", KEY_VALUES),
        ("cache_from", STRINGS),
        ("cache_to", STRINGS),
        ("no_cache", Scalar),
        ("additional_contexts", KEY_VALUES),
        ("network", Scalar),
        ("provenance", Scalar),
        ("sbom", Scalar),
        ("pull", Scalar),
        ("target", Scalar),
        ("shm_size", Scalar),
        ("extra_hosts", KEY_VALUES),
        ("isolation", Scalar),
        ("privileged", Scalar),
        ("secrets", List(&FILE_REFERENCE)),
        ("tags", STRINGS),
        ("ulimits", Dict(&ULIMIT)),
        ("platforms", STRINGS),
    ]),
]);
const ULIMIT: Shape = OneOf(&[Scalar, Object(&[("soft", Scalar), ("hard", Scalar)])]);
const ENV_FILE: Shape = OneOf(&[
    Scalar,
    List(&OneOf(&[
        Scalar,
        Object(&[("path", Scalar), ("required", Scalar), ("format", Scalar)]),
    ])),
]);

/// Every key compose-spec allows on a service.
const SERVICE: &[(&str, Shape)] = &[
    ("annotations", KEY_VALUES),
    ("attach", Scalar),
    ("build", BUILD),
    ("blkio_config", Any),
    ("cap_add", STRINGS),
    ("cap_drop", STRINGS),
    ("cgroup", Scalar),
    ("cgroup_parent", Scalar),
    ("command", STR_OR_LIST),
    ("configs", List(&FILE_REFERENCE)),
    ("container_name", Scalar),
    ("cpu_count", Scalar),
    ("cpu_percent", Scalar),
    ("cpu_shares", Scalar),
    ("cpu_quota", Scalar),
    ("cpu_period", Scalar),
    ("cpu_rt_period", Scalar),
    ("cpu_rt_runtime", Scalar),
    ("cpus", Scalar),
    ("cpuset", Scalar),
    ("credential_spec", Any),
    ("depends_on", DEPENDS_ON),
    ("deploy", DEPLOY),
    ("develop", Any),
    ("device_cgroup_rules", STRINGS),
    ("devices", List(&Any)),
    ("dns", STR_OR_LIST),
    ("dns_opt", STRINGS),
    ("dns_search", STR_OR_LIST),
    ("domainname", Scalar),
    ("entrypoint", STR_OR_LIST),
    ("env_file", ENV_FILE),
    ("label_file", STR_OR_LIST),
    ("environment", KEY_VALUES),
    ("expose", STRINGS),
    (
        "extends",
        OneOf(&[Scalar, Object(&[("service", Scalar), ("file", Scalar)])]),
    ),
    ("external_links", STRINGS),
    ("extra_hosts", KEY_VALUES),
    ("gpus", Any),
    ("group_add", STRINGS),
    ("healthcheck", HEALTHCHECK),
    ("hostname", Scalar),
    ("image", Scalar),
    ("init", Scalar),
    ("ipc", Scalar),
    ("isolation", Scalar),
    ("labels", KEY_VALUES),
    ("links", STRINGS),
    (
        "logging",
        Object(&[("driver", Scalar), ("options", Dict(&Scalar))]),
    ),
    ("mac_address", Scalar),
    ("mem_limit", Scalar),
    ("mem_reservation", Scalar),
    ("mem_swappiness", Scalar),
    ("memswap_limit", Scalar),
    ("models", Any),
    ("network_mode", Scalar),
    ("networks", SERVICE_NETWORKS),
    ("oom_kill_disable", Scalar),
    ("oom_score_adj", Scalar),
    ("pid", Scalar),
    ("pids_limit", Scalar),
    ("platform", Scalar),
    ("ports", List(&PORT)),
    ("post_start", List(&Any)),
    ("pre_stop", List(&Any)),
    ("privileged", Scalar),
    ("profiles", STRINGS),
    ("provider", Any),
    ("pull_policy", Scalar),
    ("pull_refresh_after", Scalar),
    ("read_only", Scalar),
    ("restart", Scalar),
    ("runtime", Scalar),
    ("scale", Scalar),
    ("secrets", List(&FILE_REFERENCE)),
    ("security_opt", STRINGS),
    ("shm_size", Scalar),
    ("stdin_open", Scalar),
    ("stop_grace_period", Scalar),
    ("stop_signal", Scalar),
    ("storage_opt", Dict(&Any)),
    ("sysctls", KEY_VALUES),
    ("tmpfs", STR_OR_LIST),
    ("tty", Scalar),
    ("ulimits", Dict(&ULIMIT)),
    ("use_api_socket", Scalar),
    ("user", Scalar),
    ("userns_mode", Scalar),
    ("uts", Scalar),
    ("volumes", List(&SERVICE_VOLUME)),
    ("volumes_from", STRINGS),
    ("working_dir", Scalar),
];

const EXTERNAL: Shape = OneOf(&[Scalar, Object(&[("name", Scalar)])]);
const TOP_VOLUME: Shape = Object(&[
    ("name", Scalar),
    ("driver", Scalar),
    ("driver_opts", Dict(&Scalar)),
    ("external", EXTERNAL),
    ("labels", KEY_VALUES),
]);
const TOP_NETWORK: Shape = Object(&[
    ("name", Scalar),
    ("driver", Scalar),
    ("driver_opts", Dict(&Scalar)),
    ("ipam", Any),
    ("external", EXTERNAL),
    ("internal", Scalar),
    ("enable_ipv4", Scalar),
    ("enable_ipv6", Scalar),
    ("attachable", Scalar),
    ("labels", KEY_VALUES),
]);
const TOP_SECRET: Shape = Object(&[
    ("name", Scalar),
    ("environment", Scalar),
    ("file", Scalar),
    ("external", EXTERNAL),
    ("labels", KEY_VALUES),
    ("driver", Scalar),
    ("driver_opts", Dict(&Scalar)),
    ("template_driver", Scalar),
]);
const TOP_CONFIG: Shape = Object(&[
    ("name", Scalar),
    ("content", Scalar),
    ("environment", Scalar),
    ("file", Scalar),
    ("external", EXTERNAL),
    ("labels", KEY_VALUES),
    ("template_driver", Scalar),
]);

/// The top-level keys compose knows, with their shapes.
const TOP_LEVEL: &[(&str, Shape)] = &[
    ("version", Scalar),
    ("name", Scalar),
    ("include", List(&Any)),
    ("services", Dict(&Object(SERVICE))),
    ("networks", Dict(&TOP_NETWORK)),
    ("volumes", Dict(&TOP_VOLUME)),
    ("secrets", Dict(&TOP_SECRET)),
    ("configs", Dict(&TOP_CONFIG)),
    ("models", Dict(&Any)),
];

/// The top-level keys compose knows and their shapes (for `composex schema` and completion).
pub fn top_level() -> &'static [(&'static str, Shape)] {
    TOP_LEVEL
}

/// The names of the keys a service may have (for suggestions elsewhere).
pub fn service_keys() -> impl Iterator<Item = &'static str> {
    SERVICE.iter().map(|(k, _)| *k)
}

/// Checks the whole tree: top-level keys (unknown non-`x-` keys warn), then every compose section.
pub fn check_top_level(tree: &Node, out: &mut Vec<Diagnostic>) {
    let Some(top) = tree.as_map() else {
        out.push(Diagnostic::error(
            codes::WRONG_KIND,
            format!(
                "top-level object must be a mapping, found a {}",
                tree.kind_name()
            ),
            tree.span,
        ));
        return;
    };
    for (key, key_span, value) in &top.entries {
        if key.starts_with("x-") {
            continue;
        }
        match TOP_LEVEL.iter().find(|(k, _)| k == key) {
            Some((_, shape)) => check(value, *shape, &Path::Top(key), out),
            None => {
                let d = Diagnostic::warning(
                    codes::UNKNOWN_TOP_LEVEL_KEY,
                    format!("unknown top-level key `{key}`: compose ignores it only if it starts with `x-`"),
                    *key_span,
                );
                let keys: Vec<&str> = TOP_LEVEL.iter().map(|(k, _)| *k).collect();
                out.push(with_suggestion(d, key, &keys, None));
            }
        }
    }
}

fn kind_matches(node: &Node, shape: Shape) -> bool {
    match (shape, &node.value) {
        (Any, _) => true,
        (Scalar, Value::Scalar(_)) => true,
        (List(_), Value::Seq(_)) => true,
        (Object(_) | Dict(_), Value::Map(_)) => true,
        (OneOf(options), _) => options.iter().any(|o| kind_matches(node, *o)),
        _ => false,
    }
}

fn shape_name(shape: Shape, names: &mut Vec<&'static str>) {
    let name = match shape {
        Any => return,
        Scalar => "string, number or boolean",
        List(_) => "sequence",
        Object(_) | Dict(_) => "mapping",
        OneOf(options) => {
            for o in options {
                shape_name(*o, names);
            }
            return;
        }
    };
    if !names.contains(&name) {
        names.push(name);
    }
}

/// Checks `node` against `shape`; `path` is the dotted path used in messages.
/// Where a checked node sits (`services.web.ports[0]`), written out only when a diagnostic
/// needs it: formatting the path of every node of the file was most of this check's cost.
enum Path<'a> {
    Top(&'a str),
    Key(&'a Path<'a>, &'a str),
    Item(&'a Path<'a>, usize),
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Top(key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Item(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

fn check(node: &Node, shape: Shape, path: &Path<'_>, out: &mut Vec<Diagnostic>) {
    if node.is_null() {
        return; // compose treats an empty value as unset
    }
    if !kind_matches(node, shape) {
        let mut names = Vec::new();
        shape_name(shape, &mut names);
        let expected = match names.as_slice() {
            [] => "value".to_string(),
            [one] => one.to_string(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
        };
        out.push(Diagnostic::error(
            codes::WRONG_KIND,
            format!("{path} must be a {expected}, found a {}", node.kind_name()),
            node.span,
        ));
        return;
    }
    match (shape, &node.value) {
        (List(item), Value::Seq(items)) => {
            for (i, n) in items.iter().enumerate() {
                check(n, *item, &Path::Item(path, i), out);
            }
        }
        (Dict(value), Value::Map(map)) => {
            for (k, _, v) in &map.entries {
                check(v, *value, &Path::Key(path, k), out);
            }
        }
        (Object(fields), Value::Map(map)) => {
            for (k, key_span, v) in &map.entries {
                if k.starts_with("x-") {
                    continue;
                }
                match fields.iter().find(|(f, _)| f == k) {
                    Some((_, field)) => check(v, *field, &Path::Key(path, k), out),
                    None => {
                        let mut d = Diagnostic::error(
                            codes::UNKNOWN_KEY,
                            format!("{path}: unknown key `{k}`"),
                            *key_span,
                        );
                        // `iam:` on a service most likely means ComposeX's `x-iam:`.
                        let extension = format!("x-{k}");
                        let is_service = fields.iter().any(|(f, _)| *f == "healthcheck"); // only services have it
                        let is_extension = is_service && super::is_service_extension(&extension);
                        d = match did_you_mean(k, fields.iter().map(|(f, _)| *f)) {
                            Some(s) => d.with_help(format!("did you mean `{s}`?")),
                            None if is_extension => d.with_help(format!("did you mean `{extension}`?")),
                            None if fields.len() <= 12 => d.with_help(format!(
                                "allowed keys here: {} (and any `x-*` key)",
                                fields.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(", ")
                            )),
                            None => d.with_help("see the compose specification for the allowed keys; `x-*` keys are free"),
                        };
                        out.push(d);
                    }
                }
            }
        }
        (OneOf(options), _) => {
            if let Some(o) = options.iter().find(|o| kind_matches(node, **o)) {
                check(node, *o, path, out);
            }
        }
        _ => {}
    }
}

//! x-elasticache: ElastiCache clusters. `Properties` are those of a CacheCluster or, when they
//! are not, of a ReplicationGroup (ComposeX's order); `MacroParameters` (`Engine`,
//! `EngineVersion`, `CacheNodeType`, `NumCacheNodes`, `ParameterGroup`) make a Memcached
//! CacheCluster, or for Redis / Valkey a one-node ReplicationGroup (a Redis CacheCluster cannot
//! be encrypted). Each cluster gets a subnet group over the storage subnets (`Settings.Subnets`
//! picks others) and a security group that admits exactly the linked families on the engine
//! port. Encryption: at rest and in transit on replication groups, in transit on Memcached
//! 1.6.12 and later, unless the user's Properties say otherwise.

mod link;

pub use link::link_all;

use serde_json::{json, Map, Value};

use super::common::{export_name, Ctx, Entry, Grant};
use super::{ModuleDef, ReturnValue, Statement, IGNORED, INVALID, UNKNOWN_PROPERTY};
use crate::cfn::{get_att, ref_, sub_with, Resource};
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::{APP_SUBNETS, PUBLIC_SUBNETS, STORAGE_SUBNETS, VPC_ID};
use crate::suggest::with_suggestion;
use crate::yaml::Node;

/// ElastiCache settings that make no cluster: properties of neither kind, a missing or unknown
/// engine, a replication group on Memcached.
pub const CACHE: &str = "CX600";
/// A cluster left without the encryption its engine could have.
pub const UNENCRYPTED: &str = "CX601";

/// The x-elasticache module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-elasticache",
    stack: "elasticache",
    resource_type: "AWS::ElastiCache::CacheCluster",
    return_values: RETURN_VALUES,
    settings: &[
        "Engine",
        "EngineVersion",
        "CacheNodeType",
        "NumCacheNodes",
        "ParameterGroup",
        "Subnets",
    ],
    levels: &["RO", "RW"],
    lookup_values,
    grants: no_grants,
    emit,
    access,
};

const fn rv(name: &'static str, attribute: Option<&'static str>) -> ReturnValue {
    ReturnValue { name, attribute }
}

/// Values a cluster offers: ComposeX's names per kind, and `Address` / `Port` for any kind.
const RETURN_VALUES: &[ReturnValue] = &[
    rv("ClusterName", None),
    rv("Address", None),
    rv("Port", None),
    rv("GroupId", None),
    rv("Arn", None),
    rv(
        "ConfigurationEndpoint.Address",
        Some("ConfigurationEndpoint.Address"),
    ),
    rv(
        "ConfigurationEndpoint.Port",
        Some("ConfigurationEndpoint.Port"),
    ),
    rv("RedisEndpoint.Address", Some("RedisEndpoint.Address")),
    rv("RedisEndpoint.Port", Some("RedisEndpoint.Port")),
    rv("PrimaryEndPoint.Address", Some("PrimaryEndPoint.Address")),
    rv("PrimaryEndPoint.Port", Some("PrimaryEndPoint.Port")),
    rv("ReadEndPoint.Addresses", Some("ReadEndPoint.Addresses")),
    rv("ReadEndPoint.Ports", Some("ReadEndPoint.Ports")),
];

/// Writable properties of `AWS::ElastiCache::CacheCluster`.
const CLUSTER_PROPERTIES: &[&str] = &[
    "AZMode",
    "AutoMinorVersionUpgrade",
    "CacheNodeType",
    "CacheParameterGroupName",
    "CacheSecurityGroupNames",
    "CacheSubnetGroupName",
    "ClusterName",
    "Engine",
    "EngineVersion",
    "IpDiscovery",
    "LogDeliveryConfigurations",
    "NetworkType",
    "NotificationTopicArn",
    "NumCacheNodes",
    "PreferredAvailabilityZone",
    "PreferredAvailabilityZones",
    "PreferredMaintenanceWindow",
    "SnapshotArns",
    "SnapshotName",
    "SnapshotRetentionLimit",
    "SnapshotWindow",
    "Tags",
    "TransitEncryptionEnabled",
    "VpcSecurityGroupIds",
];

/// Writable properties of `AWS::ElastiCache::ReplicationGroup`.
const GROUP_PROPERTIES: &[&str] = &[
    "AtRestEncryptionEnabled",
    "AuthToken",
    "AutoMinorVersionUpgrade",
    "AutomaticFailoverEnabled",
    "CacheNodeType",
    "CacheParameterGroupName",
    "CacheSecurityGroupNames",
    "CacheSubnetGroupName",
    "ClusterMode",
    "DataTieringEnabled",
    "Durability",
    "Engine",
    "EngineVersion",
    "GlobalReplicationGroupId",
    "IpDiscovery",
    "KmsKeyId",
    "LogDeliveryConfigurations",
    "MultiAZEnabled",
    "NetworkType",
    "NodeGroupConfiguration",
    "NotificationTopicArn",
    "NumCacheClusters",
    "NumNodeGroups",
    "PreferredCacheClusterAZs",
    "PreferredMaintenanceWindow",
    "PrimaryClusterId",
    "ReplicasPerNodeGroup",
    "ReplicationGroupDescription",
    "ReplicationGroupId",
    "SecurityGroupIds",
    "SnapshotArns",
    "SnapshotName",
    "SnapshotRetentionLimit",
    "SnapshotWindow",
    "SnapshottingClusterId",
    "Tags",
    "TransitEncryptionEnabled",
    "TransitEncryptionMode",
    "UserGroupIds",
];

/// Properties of `AWS::ElastiCache::ParameterGroup`.
const PARAMETER_GROUP_PROPERTIES: &[&str] = &[
    "CacheParameterGroupFamily",
    "Description",
    "Properties",
    "Tags",
];

/// The engines and their default ports.
const ENGINES: &[(&str, u16)] = &[("redis", 6379), ("valkey", 6379), ("memcached", 11211)];

/// Describing the cluster (`RO`, `RW`: reading and writing data go through the network rule).
const DESCRIBE: &[&str] = &[
    "elasticache:DescribeCacheClusters",
    "elasticache:DescribeReplicationGroups",
];

/// What was made of one cluster.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A Memcached or Redis CacheCluster.
    Cluster {
        /// True for Memcached.
        memcached: bool,
    },
    /// A Redis / Valkey ReplicationGroup.
    Group {
        /// Made from `MacroParameters` (offers ComposeX's CacheCluster names too).
        from_macro: bool,
    },
}

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

/// ClusterName and Arn of an existing cluster or replication group from its ARN
/// (`...:cluster:<id>`, `...:replicationgroup:<id>`), or its id as `Identifier`.
fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    match arn {
        Some(arn) => {
            let id = arn
                .split_once(":cluster:")
                .or_else(|| arn.split_once(":replicationgroup:"))
                .map(|(_, id)| id);
            if let Some(id) = id {
                out.push(("ClusterName", id.to_string()));
            }
            out.push(("Arn", arn.to_string()));
        }
        None => {
            if let Some(id) = identifier {
                out.push(("ClusterName", id.to_string()));
            }
        }
    }
    out
}

/// `RO` or `RW`: describe the cluster (data access is the network rule every linked family gets).
fn access(ctx: &mut Ctx, entry: &Entry, family: &str, access: &Node) -> Option<Vec<Statement>> {
    let (level, ()) = ctx.level(entry, access, &[("RO", ()), ("RW", ())])?;
    let arn = ctx.value_named(family, entry, "Arn");
    Some(vec![Statement::allow(
        &format!("{level}Describe{}", entry.id),
        DESCRIBE,
        vec![arn],
    )])
}

fn error(
    code: &'static str,
    entry: &Entry,
    span: Span,
    message: impl std::fmt::Display,
) -> Diagnostic {
    Diagnostic::error(
        code,
        format!("x-elasticache {}: {message}", entry.name),
        span,
    )
}

/// The kind `Properties` describe (CacheCluster first, as ComposeX decides), or None after
/// reporting properties of neither.
fn kind_of_properties(ctx: &mut Ctx, entry: &Entry, props: &Node) -> Option<bool> {
    let map = props.as_map()?;
    let keys: Vec<&str> = map.entries.iter().map(|(k, _, _)| k.as_str()).collect();
    if keys.iter().all(|k| CLUSTER_PROPERTIES.contains(k)) {
        return Some(false);
    }
    if keys.iter().all(|k| GROUP_PROPERTIES.contains(k)) {
        return Some(true);
    }
    let mut reported = false;
    for (key, span, _) in &map.entries {
        if !CLUSTER_PROPERTIES.contains(&key.as_str()) && !GROUP_PROPERTIES.contains(&key.as_str())
        {
            let mut all: Vec<&str> = CLUSTER_PROPERTIES.to_vec();
            all.extend(GROUP_PROPERTIES);
            let d = error(
                UNKNOWN_PROPERTY,
                entry,
                *span,
                format!("neither a CacheCluster nor a ReplicationGroup has the property `{key}`"),
            );
            ctx.diags.push(with_suggestion(d, key, &all, None));
            reported = true;
        }
    }
    if !reported {
        let only = |of: &[&str], not: &[&str]| -> Vec<String> {
            keys.iter()
                .filter(|k| of.contains(k) && !not.contains(k))
                .map(|k| format!("`{k}`"))
                .collect()
        };
        let cluster = only(CLUSTER_PROPERTIES, GROUP_PROPERTIES).join(", ");
        let group = only(GROUP_PROPERTIES, CLUSTER_PROPERTIES).join(", ");
        ctx.diags.push(
            error(CACHE, entry, props.span, "these properties mix a CacheCluster's and a ReplicationGroup's")
                .with_help(format!("only a CacheCluster has {cluster}; only a ReplicationGroup has {group}: keep the properties of one")),
        );
    }
    None
}

/// The engine (lower case) and its span, or None after reporting it.
fn engine(ctx: &mut Ctx, entry: &Entry, props: &Map<String, Value>) -> Option<String> {
    let node = entry.property("Engine").or_else(|| entry.setting("Engine"));
    let text = props
        .get("Engine")
        .and_then(Value::as_str)
        .or_else(|| node.and_then(Node::as_str));
    let Some(text) = text else {
        ctx.diags.push(
            error(
                CACHE,
                entry,
                node.map_or(entry.span, |n| n.span),
                "needs an Engine",
            )
            .with_help("Engine: redis, valkey or memcached (in Properties or MacroParameters)"),
        );
        return None;
    };
    let lower = text.to_ascii_lowercase();
    if ENGINES.iter().any(|(e, _)| *e == lower) {
        return Some(lower);
    }
    let d = error(
        CACHE,
        entry,
        node.map_or(entry.span, |n| n.span),
        format!("`{text}` is not an ElastiCache engine"),
    );
    let names: Vec<&str> = ENGINES.iter().map(|(e, _)| *e).collect();
    ctx.diags
        .push(with_suggestion(d, &lower, &names, Some("engines")));
    None
}

/// Major.minor of a version like `1.6.12`; None for `6.x` and the like.
fn version(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.split('.').map(|p| p.parse::<u32>().ok());
    Some((
        parts.next()??,
        parts.next()??,
        parts.next().flatten().unwrap_or(0),
    ))
}

/// The subnets export `Settings.Subnets` names (storage subnets by default).
fn subnets(ctx: &mut Ctx, entry: &Entry) -> &'static str {
    let Some(node) = entry.setting("Subnets") else {
        return STORAGE_SUBNETS;
    };
    match node.as_str() {
        Some(APP_SUBNETS) => APP_SUBNETS,
        Some(PUBLIC_SUBNETS) => PUBLIC_SUBNETS,
        Some(STORAGE_SUBNETS) => STORAGE_SUBNETS,
        _ => {
            ctx.diags.push(
                error(
                    INVALID,
                    entry,
                    node.span,
                    "Settings.Subnets names no subnet group",
                )
                .with_help("use StorageSubnets (the default), AppSubnets or PublicSubnets"),
            );
            STORAGE_SUBNETS
        }
    }
}

/// Properties composex sets itself (the cluster's own subnet group).
fn managed(ctx: &mut Ctx, entry: &Entry, props: &mut Map<String, Value>) {
    if props.remove("CacheSubnetGroupName").is_some() {
        let span = entry
            .property("CacheSubnetGroupName")
            .map_or(entry.span, |n| n.span);
        ctx.diags.push(
            Diagnostic::warning(IGNORED, format!("x-elasticache {}: CacheSubnetGroupName is ignored", entry.name), span)
                .with_help("composex gives the cluster its own subnet group (Settings.Subnets picks the subnets)"),
        );
    }
    if props.remove("CacheSecurityGroupNames").is_some() {
        let span = entry
            .property("CacheSecurityGroupNames")
            .map_or(entry.span, |n| n.span);
        ctx.diags.push(
            Diagnostic::warning(
                IGNORED,
                format!(
                    "x-elasticache {}: CacheSecurityGroupNames is ignored",
                    entry.name
                ),
                span,
            )
            .with_help(
                "cache security groups are EC2-Classic; the cluster gets a VPC security group",
            ),
        );
    }
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let written = entry
        .get("Properties")
        .filter(|p| !p.is_null() && p.as_map().is_some_and(|m| !m.entries.is_empty()));
    let (mut props, kind) = match written {
        Some(node) => {
            let Some(group) = kind_of_properties(ctx, entry, node) else {
                return;
            };
            let type_ = if group {
                "AWS::ElastiCache::ReplicationGroup"
            } else {
                MODULE.resource_type
            };
            let mut props = ctx.properties_of(entry, type_, &[]);
            let Some(engine) = engine(ctx, entry, &props) else {
                return;
            };
            // ComposeX reads the engine from MacroParameters too.
            props.entry("Engine").or_insert_with(|| json!(engine));
            if group && engine == "memcached" {
                let span = entry.property("Engine").map_or(entry.span, |n| n.span);
                ctx.diags.push(
                    error(
                        CACHE,
                        entry,
                        span,
                        "a ReplicationGroup runs Redis or Valkey, not Memcached",
                    )
                    .with_help("write CacheCluster properties (NumCacheNodes) for Memcached"),
                );
                return;
            }
            let kind = if group {
                Kind::Group { from_macro: false }
            } else {
                Kind::Cluster {
                    memcached: engine == "memcached",
                }
            };
            (props, kind)
        }
        None => match from_macro(ctx, entry) {
            Some(x) => x,
            None => return,
        },
    };
    managed(ctx, entry, &mut props);
    encryption(ctx, entry, &mut props, kind);
    let id = entry.id.clone();
    let subnets = subnets(ctx, entry);
    if let Some(pg) = parameter_group(ctx, entry) {
        props.insert("CacheParameterGroupName".into(), ref_(&pg));
    }
    let stack = ctx.stacks.stack(MODULE.stack);
    let subnet_ids = stack.import(subnets);
    let vpc = stack.import(VPC_ID);
    let subnet_group = stack.add_resource(
        &format!("{id}SubnetGroup"),
        Resource::new(
            "AWS::ElastiCache::SubnetGroup",
            json!({"Description": format!("x-elasticache {}", entry.name), "SubnetIds": subnet_ids}),
        ),
    );
    let sg = stack.add_resource(
        &format!("{id}SecurityGroup"),
        Resource::new(
            "AWS::EC2::SecurityGroup",
            json!({"GroupDescription": format!("x-elasticache {}: cache access", entry.name), "VpcId": vpc}),
        ),
    );
    props.insert("CacheSubnetGroupName".into(), ref_(&subnet_group));
    let sg_key = if matches!(kind, Kind::Group { .. }) {
        "SecurityGroupIds"
    } else {
        "VpcSecurityGroupIds"
    };
    let mut groups = match props.remove(sg_key) {
        Some(Value::Array(list)) => list,
        Some(other) => vec![other],
        None => Vec::new(),
    };
    groups.push(get_att(&sg, "GroupId"));
    props.insert(sg_key.into(), Value::Array(groups));
    let type_ = match kind {
        Kind::Group { .. } => "AWS::ElastiCache::ReplicationGroup",
        Kind::Cluster { .. } => MODULE.resource_type,
    };
    let no_auth = matches!(kind, Kind::Group { .. })
        && !props.contains_key("AuthToken")
        && !props.contains_key("UserGroupIds");
    let mut resource = Resource::new(type_, Value::Object(props));
    if no_auth {
        // checkov wants Redis AUTH too; the cache is reached only from the linked services'
        // security groups, over TLS, and a token would have to reach every client.
        resource.metadata = Some(json!({"checkov": {"skip": [{
            "id": "CKV_AWS_31",
            "comment": "no Redis AUTH token: only the linked services' security groups reach the cache, over TLS; set Properties.AuthToken or UserGroupIds to require one",
        }]}}));
    }
    if let Some(policy) = &entry.deletion_policy {
        resource = resource.with_policies(policy);
    }
    stack.template.resources.insert(id.clone(), resource);
    exports(ctx, entry, kind, &sg);
    link::check_return_values(ctx, entry, kind);
}

/// A cluster from `MacroParameters` only: (properties, kind).
fn from_macro(ctx: &mut Ctx, entry: &Entry) -> Option<(Map<String, Value>, Kind)> {
    if entry.setting("Engine").is_none() || entry.setting("EngineVersion").is_none() {
        ctx.diags.push(
            error(
                CACHE,
                entry,
                entry.span,
                "needs Properties, or MacroParameters with Engine and EngineVersion",
            )
            .with_help("MacroParameters: {Engine: redis, EngineVersion: \"7.1\"}"),
        );
        return None;
    }
    let engine = engine(ctx, entry, &Map::new())?;
    let text = |ctx: &mut Ctx, key: &str| entry.setting(key).map(|n| ctx.json(MODULE.stack, n));
    let version = text(ctx, "EngineVersion").map(|v| match v {
        Value::Number(n) => json!(n.to_string()),
        other => other,
    });
    let node_type = text(ctx, "CacheNodeType").unwrap_or(json!("cache.t3.small"));
    let nodes = text(ctx, "NumCacheNodes").unwrap_or(json!(1));
    let mut props = Map::new();
    if engine == "memcached" {
        props.insert("Engine".into(), json!(engine));
        props.insert("EngineVersion".into(), version.unwrap_or(Value::Null));
        props.insert("CacheNodeType".into(), node_type);
        props.insert("NumCacheNodes".into(), nodes);
        return Some((props, Kind::Cluster { memcached: true }));
    }
    props.insert(
        "ReplicationGroupDescription".into(),
        json!(format!("x-elasticache {}", entry.name)),
    );
    props.insert("Engine".into(), json!(engine));
    props.insert("EngineVersion".into(), version.unwrap_or(Value::Null));
    props.insert("CacheNodeType".into(), node_type);
    props.insert("NumCacheClusters".into(), nodes);
    Some((props, Kind::Group { from_macro: true }))
}

/// At-rest and in-transit encryption where the engine has them, unless the user set them.
fn encryption(ctx: &mut Ctx, entry: &Entry, props: &mut Map<String, Value>, kind: Kind) {
    match kind {
        Kind::Group { .. } => {
            props
                .entry("AtRestEncryptionEnabled")
                .or_insert(json!(true));
            props
                .entry("TransitEncryptionEnabled")
                .or_insert(json!(true));
        }
        Kind::Cluster { memcached: true } => {
            let version = props
                .get("EngineVersion")
                .and_then(Value::as_str)
                .map(str::to_string);
            let supported = version.as_deref().is_none_or(version_supports_tls);
            if props.contains_key("TransitEncryptionEnabled") {
                return;
            }
            if supported {
                props.insert("TransitEncryptionEnabled".into(), json!(true));
            } else {
                let span = entry
                    .property("EngineVersion")
                    .or_else(|| entry.setting("EngineVersion"))
                    .map_or(entry.span, |n| n.span);
                ctx.diags.push(
                    Diagnostic::warning(UNENCRYPTED, format!("x-elasticache {}: Memcached {} has no in-transit encryption: traffic to the cache is not encrypted", entry.name, version.unwrap_or_default()), span)
                        .with_help("use Memcached 1.6.12 or later (in-transit encryption is then on by default)"),
                );
            }
        }
        Kind::Cluster { memcached: false } => {
            let span = entry.property("Engine").map_or(entry.span, |n| n.span);
            ctx.diags.push(
                Diagnostic::warning(UNENCRYPTED, format!("x-elasticache {}: a Redis CacheCluster cannot be encrypted at rest or in transit", entry.name), span)
                    .with_help("write ReplicationGroup properties (ReplicationGroupDescription, NumCacheClusters: 1), or MacroParameters only: composex then makes an encrypted one-node replication group"),
            );
        }
    }
}

/// Memcached has in-transit encryption from 1.6.12.
fn version_supports_tls(v: &str) -> bool {
    version(v).is_none_or(|(a, b, c)| (a, b, c) >= (1, 6, 12))
}

/// `MacroParameters.ParameterGroup`: an `AWS::ElastiCache::ParameterGroup`; returns its id.
fn parameter_group(ctx: &mut Ctx, entry: &Entry) -> Option<String> {
    let node = entry.setting("ParameterGroup")?;
    let Some(map) = node.as_map() else {
        ctx.diags.push(error(INVALID, entry, node.span, "ParameterGroup must be a mapping of ParameterGroup properties")
            .with_help("ParameterGroup: {CacheParameterGroupFamily: redis7, Description: ..., Properties: {maxmemory-policy: allkeys-lru}}"));
        return None;
    };
    let mut props = Map::new();
    for (key, span, value) in &map.entries {
        if !PARAMETER_GROUP_PROPERTIES.contains(&key.as_str()) {
            let d = error(
                UNKNOWN_PROPERTY,
                entry,
                *span,
                format!("AWS::ElastiCache::ParameterGroup has no property `{key}`"),
            );
            ctx.diags
                .push(with_suggestion(d, key, PARAMETER_GROUP_PROPERTIES, None));
            continue;
        }
        let v = ctx.json(MODULE.stack, value);
        props.insert(key.clone(), v);
    }
    if !props.contains_key("CacheParameterGroupFamily") {
        ctx.diags.push(
            error(
                INVALID,
                entry,
                node.span,
                "ParameterGroup needs CacheParameterGroupFamily",
            )
            .with_help("e.g. redis7, valkey8, memcached1.6"),
        );
        return None;
    }
    props
        .entry("Description")
        .or_insert_with(|| json!(format!("x-elasticache {}", entry.name)));
    Some(ctx.stacks.stack(MODULE.stack).add_resource(
        &format!("{}ParameterGroup", entry.id),
        Resource::new("AWS::ElastiCache::ParameterGroup", Value::Object(props)),
    ))
}

/// The values kind `kind` offers, with their value in the module stack.
fn offered(id: &str, kind: Kind, sg: &str) -> Vec<(&'static str, Value)> {
    let mut arn_vars = Map::new();
    arn_vars.insert("Id".into(), ref_(id));
    let (arn_kind, address, port) = match kind {
        Kind::Cluster { memcached: true } => (
            "cluster",
            "ConfigurationEndpoint.Address",
            "ConfigurationEndpoint.Port",
        ),
        Kind::Cluster { memcached: false } => {
            ("cluster", "RedisEndpoint.Address", "RedisEndpoint.Port")
        }
        Kind::Group { .. } => (
            "replicationgroup",
            "PrimaryEndPoint.Address",
            "PrimaryEndPoint.Port",
        ),
    };
    let mut out = vec![
        ("ClusterName", ref_(id)),
        ("Address", get_att(id, address)),
        ("Port", get_att(id, port)),
        ("GroupId", get_att(sg, "GroupId")),
        (
            "Arn",
            sub_with(
                &format!("arn:${{AWS::Partition}}:elasticache:${{AWS::Region}}:${{AWS::AccountId}}:{arn_kind}:${{Id}}"),
                arn_vars,
            ),
        ),
    ];
    let own: &[&'static str] = match kind {
        Kind::Cluster { memcached: true } => &[
            "ConfigurationEndpoint.Address",
            "ConfigurationEndpoint.Port",
        ],
        Kind::Cluster { memcached: false } => &["RedisEndpoint.Address", "RedisEndpoint.Port"],
        Kind::Group { .. } => &[
            "PrimaryEndPoint.Address",
            "PrimaryEndPoint.Port",
            "ReadEndPoint.Addresses",
            "ReadEndPoint.Ports",
        ],
    };
    for name in own {
        out.push((name, get_att(id, name)));
    }
    if kind == (Kind::Group { from_macro: true }) {
        // ComposeX made a CacheCluster here: its value names still work.
        out.push((
            "RedisEndpoint.Address",
            get_att(id, "PrimaryEndPoint.Address"),
        ));
        out.push(("RedisEndpoint.Port", get_att(id, "PrimaryEndPoint.Port")));
    }
    out
}

/// Exports every value the cluster offers. A value its kind does not offer is exported as the
/// address, so a reference to it wires up; `link::check_references` reports it as an error (no
/// file is written then).
fn exports(ctx: &mut Ctx, entry: &Entry, kind: Kind, sg: &str) {
    let values = offered(&entry.id, kind, sg);
    let address = get_att(&entry.id, "Address");
    let stack = ctx.stacks.stack(MODULE.stack);
    for rv in RETURN_VALUES {
        let export = export_name(&MODULE, entry, rv);
        let what = format!("x-elasticache {}: {}", entry.name, rv.name);
        let value = values
            .iter()
            .find(|(n, _)| *n == rv.name)
            .map_or_else(|| address.clone(), |(_, v)| v.clone());
        stack.export(&export, value, "String", &what);
    }
}

/// The kind of new cache `entry` as emitted (None when it was not: its errors are reported).
pub fn emitted_kind(ctx: &mut Ctx, entry: &Entry) -> Option<Kind> {
    let resource = ctx
        .stacks
        .get(MODULE.stack)?
        .template
        .resources
        .get(&entry.id)?;
    let written = entry
        .get("Properties")
        .and_then(Node::as_map)
        .is_some_and(|m| !m.entries.is_empty());
    match resource.type_.as_str() {
        "AWS::ElastiCache::ReplicationGroup" => Some(Kind::Group {
            from_macro: !written,
        }),
        _ => {
            let engine = resource.properties.get("Engine").and_then(Value::as_str);
            Some(Kind::Cluster {
                memcached: engine == Some("memcached"),
            })
        }
    }
}

/// The names of the values kind `kind` offers.
pub fn offered_names(kind: Kind) -> Vec<&'static str> {
    offered("X", kind, "Y")
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

/// The engine's port of a new cluster (from its Engine), for the ingress rule.
pub fn port_of(entry: &Entry) -> u16 {
    let engine = entry
        .property("Engine")
        .or_else(|| entry.setting("Engine"))
        .and_then(Node::as_str)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    ENGINES
        .iter()
        .find(|(e, _)| *e == engine)
        .map_or(6379, |(_, p)| *p)
}

#[cfg(test)]
mod tests;

//! x-rds: RDS databases. An Aurora engine (`aurora-*`) makes an `AWS::RDS::DBCluster` with its
//! DB instances (`MacroParameters.Instances`, one by default), any other engine one
//! `AWS::RDS::DBInstance`. Each database gets, in the `rds` stack: a DB subnet group over the
//! storage subnets (`Settings.Subnets` picks others), a security group, a Secrets Manager secret
//! holding generated master credentials (plus host, port and engine once the database exists),
//! and a parameter group from `MacroParameters.ParametersGroups`.
//!
//! A password written in the compose file is never used (it would sit in the template): the
//! secret generates one. Storage is always encrypted. Databases are snapshotted on delete and
//! replacement (`DeletionPolicy` / `UpdateReplacePolicy: Snapshot`).
//!
//! Linked families (`Services`) get: ingress to the database port from their security group (in
//! the `ServicesNetworking` stack, so neither stack depends on the other), the secret as ECS
//! container `Secrets` (whole, or one variable per key with `SecretsMappings`) with their
//! execution role allowed to read exactly that secret, the env var `<NAME>` (the identifier), and
//! with `GrantTaskAccess` the task role allowed to read the secret too.

pub mod access;
pub(crate) mod link;

use serde_json::{json, Map, Value};

use super::common::{arn_resource, export_name, master_secret, Ctx, Entry, Grant};
use super::{ModuleDef, ReturnValue, IGNORED, INVALID, UNKNOWN_PROPERTY, UNKNOWN_RETURN_VALUE};
use crate::cfn::{get_att, ref_, Resource};
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::{APP_SUBNETS, PUBLIC_SUBNETS, STORAGE_SUBNETS, SUBNET_LIST, VPC_ID};
use crate::suggest::did_you_mean;
use crate::yaml::Node;

/// An engine or engine version RDS does not have.
pub const ENGINE: &str = "CX380";
/// A database setting that cannot be deployed as written (subnets, encryption, parameter group).
pub const DATABASE: &str = "CX381";

/// The x-rds module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-rds",
    stack: "rds",
    resource_type: "AWS::RDS::DBCluster",
    return_values: RETURN_VALUES,
    settings: &[
        "Engine",
        "EngineVersion",
        "Instances",
        "ParametersGroups",
        "SecretsMappings",
        "Subnets",
    ],
    levels: access::LEVEL_NAMES,
    lookup_values,
    grants: no_grants,
    emit,
    access: access::statements,
};

const fn rv(name: &'static str, attribute: Option<&'static str>) -> ReturnValue {
    ReturnValue { name, attribute }
}

/// Values a database offers. `DBCluster` (the identifier, also for a DB instance) is the default
/// env var. `DBSecret` and `GroupId` are the secret's ARN and the security group's id.
const RETURN_VALUES: &[ReturnValue] = &[
    rv("DBCluster", None),
    rv("DBClusterArn", Some("DBClusterArn")),
    rv("DBInstanceArn", Some("DBInstanceArn")),
    rv("Endpoint.Address", Some("Endpoint.Address")),
    rv("Endpoint.Port", Some("Endpoint.Port")),
    rv("ReadEndpoint.Address", Some("ReadEndpoint.Address")),
    rv("ResourceId", None),
    rv("DBSecret", None),
    rv("GroupId", None),
];

/// Values only a cluster offers / only an instance offers.
const CLUSTER_ONLY: &[&str] = &["DBClusterArn", "ReadEndpoint.Address"];
const INSTANCE_ONLY: &[&str] = &["DBInstanceArn"];

/// Properties composex sets itself (the database's network and credentials).
const MANAGED: &[&str] = &[
    "DBSubnetGroupName",
    "VpcSecurityGroupIds",
    "VPCSecurityGroups",
    "MasterUserPassword",
    "TdeCredentialPassword",
];

/// Engines RDS offers (Aurora engines make clusters).
const ENGINES: &[&str] = &[
    "aurora-mysql",
    "aurora-postgresql",
    "mysql",
    "mariadb",
    "postgres",
    "oracle-ee",
    "oracle-ee-cdb",
    "oracle-se2",
    "oracle-se2-cdb",
    "sqlserver-ee",
    "sqlserver-se",
    "sqlserver-ex",
    "sqlserver-web",
    "db2-ae",
    "db2-se",
];

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

/// Values of an existing database from its ARN (`...:cluster:<id>` or `...:db:<id>`) or its
/// identifier.
fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(arn) = arn {
        match arn_resource(arn).and_then(|r| r.split_once(':')) {
            Some(("cluster", id)) => {
                out.push(("DBCluster", id.to_string()));
                out.push(("DBClusterArn", arn.to_string()));
            }
            Some(("db", id)) => {
                out.push(("DBCluster", id.to_string()));
                out.push(("DBInstanceArn", arn.to_string()));
            }
            _ => {}
        }
    } else if let Some(id) = identifier {
        out.push(("DBCluster", id.to_string()));
    }
    out
}

/// The default port of `engine`.
fn default_port(engine: &str) -> u16 {
    if engine.contains("postgres") {
        5432
    } else if engine.starts_with("oracle") {
        1521
    } else if engine.starts_with("sqlserver") {
        1433
    } else if engine.starts_with("db2") {
        50000
    } else {
        3306
    }
}

fn error(code: &'static str, entry: &Entry, span: Span, msg: String) -> Diagnostic {
    Diagnostic::error(code, format!("x-rds {}: {msg}", entry.name), span)
}

/// Checks the engine and its version; returns the engine.
fn engine(ctx: &mut Ctx, entry: &Entry) -> Option<(String, Option<String>, Span)> {
    let node = entry.setting("Engine").or_else(|| entry.property("Engine"));
    let Some(node) = node else {
        let d = error(
            ENGINE,
            entry,
            entry.span,
            "a database needs an engine".into(),
        )
        .with_help("set MacroParameters.Engine (or Properties.Engine), e.g. aurora-postgresql");
        ctx.diags.push(d);
        return None;
    };
    let name = node.as_str().unwrap_or_default().to_string();
    if !ENGINES.contains(&name.as_str()) {
        let mut d = error(
            ENGINE,
            entry,
            node.span,
            format!("`{name}` is not an RDS engine"),
        );
        d = match did_you_mean(&name, ENGINES.iter().copied()) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!("engines: {}", ENGINES.join(", "))),
        };
        ctx.diags.push(d);
        return None;
    }
    let version_node = entry
        .setting("EngineVersion")
        .or_else(|| entry.property("EngineVersion"));
    let version = version_node.and_then(Node::scalar_text).map(str::to_string);
    if let (Some(v), Some(n)) = (&version, version_node) {
        if let Some(help) = version_problem(&name, v) {
            let d = error(
                ENGINE,
                entry,
                n.span,
                format!("`{v}` is not a version of {name}"),
            )
            .with_help(help);
            ctx.diags.push(d);
            return None;
        }
    }
    Some((name, version, node.span))
}

/// Why `version` cannot be a version of `engine` (the forms RDS uses), if it cannot.
fn version_problem(engine: &str, version: &str) -> Option<&'static str> {
    let numbers = |v: &str, parts: std::ops::RangeInclusive<usize>| {
        let p: Vec<&str> = v.split('.').collect();
        parts.contains(&p.len())
            && p.iter()
                .all(|x| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit()))
    };
    match engine {
        "aurora-mysql" => {
            let ok = ["5.7.mysql_aurora.", "8.0.mysql_aurora."]
                .iter()
                .any(|p| version.strip_prefix(p).is_some_and(|r| numbers(r, 3..=3)))
                || version == "5.7"
                || version == "8.0";
            (!ok).then_some("Aurora MySQL versions look like 8.0.mysql_aurora.3.05.2 (or the major version 8.0)")
        }
        "aurora-postgresql" | "postgres" => (!numbers(version, 1..=2)).then_some(
            "PostgreSQL versions are a major version, optionally with a minor: 16, 16.4",
        ),
        "mysql" | "mariadb" => (!numbers(version, 2..=3))
            .then_some("MySQL and MariaDB versions look like 8.0.39 or 10.11"),
        _ => None,
    }
}

/// The parameter group family of `engine` at `version`, for the engines whose families follow
/// a rule.
fn parameter_family(engine: &str, version: &str) -> Option<String> {
    let mut parts = version.split('.');
    let major = parts.next()?;
    let minor = parts.next();
    match engine {
        "aurora-postgresql" | "postgres" => {
            let major: u32 = major.parse().ok()?;
            // Before PostgreSQL 10 the family held the minor version too (postgres9.6).
            if major < 10 {
                Some(format!("{engine}{major}.{}", minor?))
            } else {
                Some(format!("{engine}{major}"))
            }
        }
        "aurora-mysql" | "mysql" | "mariadb" => Some(format!("{engine}{major}.{}", minor?)),
        _ => None,
    }
}

/// `entry`'s Properties for `resource_type`: keys checked (with suggestions), references
/// resolved, the password dropped.
fn properties(ctx: &mut Ctx, entry: &Entry, engine: &str, cluster: bool) -> Map<String, Value> {
    let type_ = if cluster {
        "AWS::RDS::DBCluster"
    } else {
        "AWS::RDS::DBInstance"
    };
    let allowed = property_names(type_);
    let mut out = Map::new();
    let Some(node) = entry.get("Properties").filter(|n| !n.is_null()) else {
        return out;
    };
    let Some(map) = node.as_map() else {
        let d = error(
            INVALID,
            entry,
            node.span,
            format!("Properties must be a mapping, not {}", node.kind_name()),
        );
        ctx.diags.push(d);
        return out;
    };
    let what = format!("x-rds {}", entry.name);
    let at = entry
        .node
        .and_then(Node::as_map)
        .and_then(|m| m.key_span("Properties"))
        .unwrap_or(entry.span);
    ctx.check_schema(&what, type_, MANAGED, map, at, false);
    // With the engine in MacroParameters, the schema check had none to check the class for.
    if let (true, false, None, Some(class)) = (
        ctx.check_properties,
        cluster,
        map.get("Engine"),
        map.get("DBInstanceClass"),
    ) {
        let (path, type_) = ("DBInstanceClass", "AWS::RDS::DBInstance");
        crate::schema::check_class(&what, type_, path, Some(engine), class, ctx.diags);
    }
    for (key, key_span, value) in &map.entries {
        if !has(&allowed, key) {
            let mut d = error(
                UNKNOWN_PROPERTY,
                entry,
                *key_span,
                format!("{type_} has no property `{key}`"),
            );
            // The two types name the database and its security groups differently.
            let counterpart = match key.as_str() {
                "DatabaseName" if !cluster => Some("DBName"),
                "DBName" if cluster => Some("DatabaseName"),
                _ => None,
            };
            d = match counterpart.or_else(|| did_you_mean(key, allowed.iter().flatten().copied())) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None if cluster => d.with_help("an Aurora engine makes an AWS::RDS::DBCluster"),
                None => d.with_help("a non-Aurora engine makes an AWS::RDS::DBInstance"),
            };
            ctx.diags.push(d);
            continue;
        }
        if MANAGED.contains(&key.as_str()) {
            let why = if key.contains("Password") {
                "a password written here would be readable in the template: composex generates the master password in a Secrets Manager secret"
            } else {
                "composex sets it: the database's own subnet group and security group"
            };
            ctx.diags.push(
                Diagnostic::warning(
                    IGNORED,
                    format!("x-rds {}: {key} is ignored", entry.name),
                    *key_span,
                )
                .with_help(why),
            );
            continue;
        }
        let v = ctx.json(MODULE.stack, value);
        out.insert(key.clone(), v);
    }
    out
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let Some((engine, version, _)) = engine(ctx, entry) else {
        return;
    };
    let cluster = engine.starts_with("aurora");
    let mut props = properties(ctx, entry, &engine, cluster);
    match props.get("StorageEncrypted") {
        Some(Value::Bool(false)) => {
            let span = entry
                .property("StorageEncrypted")
                .map(|n| n.span)
                .unwrap_or(entry.span);
            let d = error(DATABASE, entry, span, "storage is always encrypted".into())
                .with_help("remove StorageEncrypted: false (set KmsKeyId to use your own key)");
            ctx.diags.push(d);
        }
        _ => {
            props.insert("StorageEncrypted".into(), json!(true));
        }
    }
    let port = match props.get("Port") {
        Some(Value::Number(n)) => n.as_u64().and_then(|p| u16::try_from(p).ok()),
        Some(Value::String(s)) => s.parse().ok(),
        None => Some(default_port(&engine)),
        Some(_) => None,
    };
    let Some(port) = port.filter(|p| *p > 0) else {
        let span = entry.property("Port").map(|n| n.span).unwrap_or(entry.span);
        let d = error(DATABASE, entry, span, "Port must be a port number".into());
        ctx.diags.push(d);
        return;
    };
    check_return_values(ctx, entry, cluster);
    let id = entry.id.clone();
    let stack = MODULE.stack;

    // Network: its own subnet group and security group.
    let subnets = subnets(ctx, entry);
    let st = ctx.stacks.stack(stack);
    let subnets = st.import(subnets);
    let vpc = st.import(VPC_ID);
    let subnet_group = st.add_resource(
        &format!("{id}SubnetGroup"),
        Resource::new(
            "AWS::RDS::DBSubnetGroup",
            json!({
                "DBSubnetGroupDescription": format!("x-rds {}", entry.name),
                "SubnetIds": subnets,
            }),
        ),
    );
    let group = st.add_resource(
        &format!("{id}SecurityGroup"),
        Resource::new(
            "AWS::EC2::SecurityGroup",
            json!({
                "GroupDescription": format!("x-rds {}: database access", entry.name),
                "VpcId": vpc,
            }),
        ),
    );

    // Credentials: generated in a secret, unless RDS manages them.
    let managed = matches!(
        props.get("ManageMasterUserPassword"),
        Some(Value::Bool(true))
    );
    let username = match props.get("MasterUsername") {
        Some(Value::String(u)) => u.clone(),
        _ => "dbadmin".to_string(),
    };
    let secret = if managed {
        props.insert("MasterUsername".into(), json!(username));
        None
    } else {
        let what = format!("x-rds {}", entry.name);
        let stack = ctx.stacks.stack(stack);
        let secret = master_secret(stack, &what, &id, &username, &mut props);
        Some(secret)
    };

    let parameter_group = parameter_group(ctx, entry, &engine, version.as_deref(), cluster);
    props.insert("Engine".into(), json!(engine));
    if let Some(v) = &version {
        props.insert("EngineVersion".into(), json!(v));
    }
    props.insert("DBSubnetGroupName".into(), ref_(&subnet_group));
    props.entry("CopyTagsToSnapshot").or_insert(json!(true));
    let group_ids = json!([get_att(&group, "GroupId")]);
    if cluster {
        props.insert("VpcSecurityGroupIds".into(), group_ids);
        props.insert("Port".into(), json!(port));
        if let Some(pg) = &parameter_group {
            props.insert("DBClusterParameterGroupName".into(), ref_(pg));
        }
    } else {
        props.insert("VPCSecurityGroups".into(), group_ids);
        props.insert("Port".into(), json!(port.to_string()));
        props
            .entry("DBInstanceClass")
            .or_insert(json!("db.t4g.micro"));
        props.entry("AllocatedStorage").or_insert(json!("20"));
        props.entry("PubliclyAccessible").or_insert(json!(false));
        if let Some(pg) = &parameter_group {
            props.insert("DBParameterGroupName".into(), ref_(pg));
        }
    }
    let type_ = if cluster {
        "AWS::RDS::DBCluster"
    } else {
        "AWS::RDS::DBInstance"
    };
    let policy = entry.deletion_policy.as_deref().unwrap_or("Snapshot");
    let resource = Resource::new(type_, Value::Object(props.clone())).with_policies(policy);
    ctx.stacks
        .stack(stack)
        .template
        .resources
        .insert(id.clone(), resource);
    if cluster {
        instances(ctx, entry, &engine, &props);
    }
    let secret_arn = match &secret {
        Some(s) => {
            ctx.stacks.stack(stack).add_resource(
                &format!("{id}SecretAttachment"),
                Resource::new(
                    "AWS::SecretsManager::SecretTargetAttachment",
                    json!({ "SecretId": ref_(s), "TargetId": ref_(&id), "TargetType": type_ }),
                ),
            );
            ref_(s)
        }
        None => get_att(&id, "MasterUserSecret.SecretArn"),
    };
    exports(ctx, entry, cluster, secret_arn, get_att(&group, "GroupId"));
    link::link_families(ctx, entry, port);
}

/// Exports the values the database offers.
fn exports(ctx: &mut Ctx, entry: &Entry, cluster: bool, secret: Value, group: Value) {
    let id = entry.id.clone();
    let stack = ctx.stacks.stack(MODULE.stack);
    for rv in RETURN_VALUES {
        let excluded = if cluster { INSTANCE_ONLY } else { CLUSTER_ONLY };
        if excluded.contains(&rv.name) {
            continue;
        }
        let value = match rv.name {
            "DBSecret" => secret.clone(),
            "GroupId" => group.clone(),
            "ResourceId" if cluster => get_att(&id, "DBClusterResourceId"),
            "ResourceId" => get_att(&id, "DbiResourceId"),
            _ => super::common::local_value(&id, rv),
        };
        let name = export_name(&MODULE, entry, rv);
        let what = format!("x-rds {}: {}", entry.name, rv.name);
        stack.export(&name, value, "String", &what);
    }
}

/// Reports `ReturnValues` the database's kind does not offer (a DB instance has no reader
/// endpoint).
fn check_return_values(ctx: &mut Ctx, entry: &Entry, cluster: bool) {
    let Some(services) = entry.get("Services").and_then(Node::as_map) else {
        return;
    };
    let excluded = if cluster { INSTANCE_ONLY } else { CLUSTER_ONLY };
    for (_, _, def) in &services.entries {
        let Some(rvs) = def.get("ReturnValues").and_then(Node::as_map) else {
            continue;
        };
        for (key, span, _) in &rvs.entries {
            if excluded.contains(&key.as_str()) {
                let kind = if cluster {
                    "an Aurora cluster"
                } else {
                    "a DB instance"
                };
                let d = error(
                    UNKNOWN_RETURN_VALUE,
                    entry,
                    *span,
                    format!("{kind} offers no value `{key}`"),
                );
                ctx.diags.push(d);
            }
        }
    }
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
            let d = error(
                DATABASE,
                entry,
                node.span,
                "Settings.Subnets names no subnet group".into(),
            )
            .with_help("use StorageSubnets (the default), AppSubnets or PublicSubnets");
            ctx.diags.push(d);
            let _ = SUBNET_LIST;
            STORAGE_SUBNETS
        }
    }
}

/// `MacroParameters.ParametersGroups: {Family, Description, Parameters}` as a (cluster)
/// parameter group; returns its id.
fn parameter_group(
    ctx: &mut Ctx,
    entry: &Entry,
    engine: &str,
    version: Option<&str>,
    cluster: bool,
) -> Option<String> {
    let node = entry.setting("ParametersGroups")?;
    if node.as_map().is_none() {
        let d = error(
            DATABASE,
            entry,
            node.span,
            "ParametersGroups must be a mapping".into(),
        )
        .with_help("{Family: aurora-postgresql16, Description: ..., Parameters: {name: value}}");
        ctx.diags.push(d);
        return None;
    }
    let family = node
        .get("Family")
        .and_then(|f| f.as_str().map(|t| (t, f.span)));
    let Some((family, family_span)) = family else {
        let d = error(
            DATABASE,
            entry,
            node.span,
            "ParametersGroups needs a Family".into(),
        );
        ctx.diags.push(d);
        return None;
    };
    if let Some(expected) = version.and_then(|v| parameter_family(engine, v)) {
        if expected != family {
            ctx.diags.push(
                Diagnostic::warning(
                    DATABASE,
                    format!(
                        "x-rds {}: parameter group family `{family}` does not match {engine} {}",
                        entry.name,
                        version.unwrap_or_default()
                    ),
                    family_span,
                )
                .with_help(format!(
                    "RDS expects family `{expected}` for this engine version"
                )),
            );
        }
    }
    let parameters = match node.get("Parameters") {
        Some(p) if p.as_map().is_some() => {
            // Parameter values are strings to RDS.
            let mut out = Map::new();
            for (k, _, v) in p.as_map().map(|m| m.entries.as_slice()).unwrap_or_default() {
                let value = match v.as_scalar() {
                    Some(s) => json!(s.text),
                    None => ctx.json(MODULE.stack, v),
                };
                out.insert(k.clone(), value);
            }
            Value::Object(out)
        }
        _ => {
            let d = error(
                DATABASE,
                entry,
                node.span,
                "ParametersGroups needs Parameters (a mapping)".into(),
            );
            ctx.diags.push(d);
            return None;
        }
    };
    let description = node
        .get("Description")
        .and_then(Node::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("x-rds {}", entry.name));
    let type_ = if cluster {
        "AWS::RDS::DBClusterParameterGroup"
    } else {
        "AWS::RDS::DBParameterGroup"
    };
    let id = ctx.stacks.stack(MODULE.stack).add_resource(
        &format!("{}ParameterGroup", entry.id),
        Resource::new(
            type_,
            json!({ "Description": description, "Family": family, "Parameters": parameters }),
        ),
    );
    Some(id)
}

/// The Aurora cluster's DB instances: `MacroParameters.Instances` (DBInstance properties), or
/// one instance (Serverless v2 when the cluster has a Serverless v2 scaling configuration).
fn instances(ctx: &mut Ctx, entry: &Entry, engine: &str, cluster_props: &Map<String, Value>) {
    if cluster_props.get("EngineMode").and_then(Value::as_str) == Some("serverless") {
        return;
    }
    let default_class = if cluster_props.contains_key("ServerlessV2ScalingConfiguration") {
        "db.serverless"
    } else {
        "db.t4g.medium"
    };
    let mut defs: Vec<Map<String, Value>> = Vec::new();
    match entry.setting("Instances") {
        None => defs.push(Map::new()),
        Some(node) => match node.as_seq() {
            Some(items) if !items.is_empty() => {
                for item in items {
                    defs.push(instance_properties(ctx, entry, engine, item));
                }
            }
            _ => {
                let d = error(
                    DATABASE,
                    entry,
                    node.span,
                    "Instances must be a non-empty list of DB instance properties".into(),
                )
                .with_help("e.g. Instances: [{DBInstanceClass: db.r6g.large}]");
                ctx.diags.push(d);
                return;
            }
        },
    }
    for (n, mut props) in defs.into_iter().enumerate() {
        props.insert("DBClusterIdentifier".into(), ref_(&entry.id));
        props.insert("Engine".into(), json!(engine));
        props
            .entry("DBInstanceClass")
            .or_insert(json!(default_class));
        // Instances of a cluster are replaceable: the data lives in the cluster, which is
        // snapshotted.
        ctx.stacks.stack(MODULE.stack).add_resource(
            &format!("{}Instance{}", entry.id, n + 1),
            Resource::new("AWS::RDS::DBInstance", Value::Object(props)),
        );
    }
}

/// Properties that belong to the cluster, not its instances.
const CLUSTER_LEVEL: &[&str] = &[
    "AllocatedStorage",
    "BackupRetentionPeriod",
    "DBClusterIdentifier",
    "DBName",
    "DBSubnetGroupName",
    "Engine",
    "EngineVersion",
    "KmsKeyId",
    "MasterUserPassword",
    "MasterUsername",
    "StorageEncrypted",
    "VPCSecurityGroups",
];

fn instance_properties(
    ctx: &mut Ctx,
    entry: &Entry,
    engine: &str,
    node: &Node,
) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(map) = node.as_map() else {
        let d = error(
            DATABASE,
            entry,
            node.span,
            "each of Instances is a mapping of DB instance properties".into(),
        );
        ctx.diags.push(d);
        return out;
    };
    let instance = property_names("AWS::RDS::DBInstance");
    let what = format!("x-rds {} Instances", entry.name);
    ctx.check_schema(&what, "AWS::RDS::DBInstance", &[], map, node.span, false);
    // The instances take the cluster's engine (an `Engine` written here is reported as
    // ignored, and checked with the rest).
    if let (true, None, Some(class)) = (
        ctx.check_properties,
        map.get("Engine"),
        map.get("DBInstanceClass"),
    ) {
        let (path, type_) = ("DBInstanceClass", "AWS::RDS::DBInstance");
        crate::schema::check_class(&what, type_, path, Some(engine), class, ctx.diags);
    }
    for (key, span, value) in &map.entries {
        if has(&instance, key) && !CLUSTER_LEVEL.contains(&key.as_str()) {
            let v = ctx.json(MODULE.stack, value);
            out.insert(key.clone(), v);
            continue;
        }
        let mut d = Diagnostic::warning(
            IGNORED,
            format!(
                "x-rds {}: `{key}` is not a property of an Aurora DB instance and is ignored",
                entry.name
            ),
            *span,
        );
        d = if CLUSTER_LEVEL.contains(&key.as_str()) {
            d.with_help("the cluster sets it for all its instances: write it under Properties")
        } else {
            match did_you_mean(key, instance.iter().flatten().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help("Aurora storage grows by itself: there is no size to set"),
            }
        };
        ctx.diags.push(d);
    }
    out
}

/// The writable properties of `type_` (from the CloudFormation schema table); None before the
/// table is loaded (the wasm build), when every name passes.
fn property_names(type_: &str) -> Option<Vec<&'static str>> {
    crate::schema::properties_of(type_).map(|s| s.names())
}

/// Whether `names` (from [`property_names`]) has `key`.
fn has(names: &Option<Vec<&'static str>>, key: &str) -> bool {
    names.as_ref().is_none_or(|n| n.contains(&key))
}

#[cfg(test)]
mod tests;

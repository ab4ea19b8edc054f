//! x-docdb: DocumentDB clusters (`AWS::DocDB::DBCluster`) with their instances
//! (`MacroParameters.Instances`, one `db.t3.medium` by default), built like x-rds's Aurora
//! clusters: a subnet group over the storage subnets, a security group, generated master
//! credentials in a Secrets Manager secret (never a password from the compose file), a cluster
//! parameter group from `MacroParameters.DBClusterParameterGroup`, encrypted storage, seven
//! days of backups unless `BackupRetentionPeriod` says otherwise, Snapshot on delete. Linked families get what x-rds gives (ingress on the port, the secret in container
//! `Secrets` read by the execution role, the env var `<NAME>`).

use serde_json::{json, Map, Value};

use super::common::{
    cluster_parameter_group, export_name, local_value, master_secret, Ctx, Entry, Grant,
};
use super::rds::link::link_families;
use super::{ModuleDef, ReturnValue, IGNORED, INVALID, UNKNOWN_PROPERTY};
use crate::cfn::{get_att, ref_, sub_with, Resource};
use crate::diagnostic::Diagnostic;
use crate::stack::posture::user_choice;
use crate::stack::{STORAGE_SUBNETS, VPC_ID};
use crate::suggest::with_suggestion;
use crate::yaml::Node;

/// The x-docdb module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-docdb",
    stack: "docdb",
    resource_type: "AWS::DocDB::DBCluster",
    return_values: RETURN_VALUES,
    settings: &["DBClusterParameterGroup", "Instances", "SecretsMappings"],
    levels: &["RO", "RW"],
    lookup_values,
    grants: no_grants,
    emit,
    access,
};

const fn rv(name: &'static str, attribute: Option<&'static str>) -> ReturnValue {
    ReturnValue { name, attribute }
}

/// Values a cluster offers (`DBClusterName`, the identifier, is the default env var).
const RETURN_VALUES: &[ReturnValue] = &[
    rv("DBClusterName", None),
    rv("DBClusterArn", None),
    rv("ClusterResourceId", Some("ClusterResourceId")),
    rv("Endpoint", Some("Endpoint")),
    rv("ReadEndpoint", Some("ReadEndpoint")),
    rv("Port", Some("Port")),
    rv("DBSecret", None),
    rv("GroupId", None),
];

/// Properties composex sets itself.
const MANAGED: &[&str] = &[
    "DBSubnetGroupName",
    "VpcSecurityGroupIds",
    "MasterUserPassword",
    "ManageMasterUserPassword",
];

/// Describing the cluster (`{DBCluster: RO}`).
pub const RO: &[&str] = &["rds:DescribeDBClusters", "rds:ListTagsForResource"];

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(arn) = arn {
        if let Some((_, id)) = arn.split_once(":cluster:") {
            out.push(("DBClusterName", id.to_string()));
        }
        out.push(("DBClusterArn", arn.to_string()));
    } else if let Some(id) = identifier {
        out.push(("DBClusterName", id.to_string()));
    }
    out
}

/// `RO`, `RW` or `{DBCluster: RO}`: describe the cluster.
fn access(
    ctx: &mut Ctx,
    entry: &Entry,
    family: &str,
    access: &Node,
) -> Option<Vec<super::Statement>> {
    let level = access.get("DBCluster").unwrap_or(access);
    // DocumentDB has no IAM access to data: reading and writing go through the network rule and
    // the secret every linked family gets, so `RW` (as ComposeX files write it) describes too.
    let (level, ()) = ctx.level(entry, level, &[("RO", ()), ("RW", ())])?;
    let arn = ctx.value_named(family, entry, "DBClusterArn");
    Some(vec![super::Statement::allow(
        &format!("{level}Describe{}", entry.id),
        RO,
        vec![arn],
    )])
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let mut props = properties(ctx, entry);
    if props.get("StorageEncrypted") == Some(&Value::Bool(false)) {
        ctx.diags.push(
            Diagnostic::error(
                INVALID,
                format!("x-docdb {}: storage is always encrypted", entry.name),
                entry
                    .property("StorageEncrypted")
                    .map_or(entry.span, |n| n.span),
            )
            .with_help("remove StorageEncrypted: false (set KmsKeyId to use your own key)"),
        );
        return;
    }
    props.insert("StorageEncrypted".into(), json!(true));
    // A week of automated backups (free up to the cluster's storage size), unless written.
    props
        .entry("BackupRetentionPeriod")
        .or_insert_with(|| json!(7));
    let port = match props.get("Port") {
        None => 27017,
        Some(v) => match v.as_u64().and_then(|p| u16::try_from(p).ok()) {
            Some(p) if p > 0 => p,
            _ => {
                ctx.diags.push(Diagnostic::error(
                    INVALID,
                    format!("x-docdb {}: Port must be a port number", entry.name),
                    entry.property("Port").map_or(entry.span, |n| n.span),
                ));
                return;
            }
        },
    };
    props.insert("Port".into(), json!(port));
    let id = entry.id.clone();
    let stack = ctx.stacks.stack(MODULE.stack);
    let subnets = stack.import(STORAGE_SUBNETS);
    let vpc = stack.import(VPC_ID);
    let subnet_group = stack.add_resource(
        &format!("{id}SubnetGroup"),
        Resource::new(
            "AWS::DocDB::DBSubnetGroup",
            json!({"DBSubnetGroupDescription": format!("x-docdb {}", entry.name), "SubnetIds": subnets}),
        ),
    );
    let group = stack.add_resource(
        &format!("{id}SecurityGroup"),
        Resource::new(
            "AWS::EC2::SecurityGroup",
            json!({"GroupDescription": format!("x-docdb {}: database access", entry.name), "VpcId": vpc}),
        ),
    );
    let username = match props.get("MasterUsername") {
        Some(Value::String(u)) => u.clone(),
        _ => "dbadmin".to_string(),
    };
    let secret = master_secret(
        stack,
        &format!("x-docdb {}", entry.name),
        &id,
        &username,
        &mut props,
    );
    props.insert("DBSubnetGroupName".into(), ref_(&subnet_group));
    props.insert(
        "VpcSecurityGroupIds".into(),
        json!([get_att(&group, "GroupId")]),
    );
    if let Some(pg) = parameter_group(ctx, entry) {
        props.insert("DBClusterParameterGroupName".into(), ref_(&pg));
    }
    let policy = entry.deletion_policy.as_deref().unwrap_or("Snapshot");
    ctx.stacks.stack(MODULE.stack).template.resources.insert(
        id.clone(),
        Resource::new(MODULE.resource_type, Value::Object(props)).with_policies(policy),
    );
    instances(ctx, entry);
    let stack = ctx.stacks.stack(MODULE.stack);
    stack.add_resource(
        &format!("{id}SecretAttachment"),
        Resource::new(
            "AWS::SecretsManager::SecretTargetAttachment",
            json!({"SecretId": ref_(&secret), "TargetId": ref_(&id), "TargetType": "AWS::DocDB::DBCluster"}),
        ),
    );
    for rv in RETURN_VALUES {
        let value = match rv.name {
            "DBSecret" => ref_(&secret),
            "GroupId" => get_att(&group, "GroupId"),
            "DBClusterArn" => {
                let mut vars = Map::new();
                vars.insert("Cluster".into(), ref_(&id));
                sub_with(
                    "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:${Cluster}",
                    vars,
                )
            }
            _ => local_value(&id, rv),
        };
        let name = export_name(&MODULE, entry, rv);
        stack.export(
            &name,
            value,
            "String",
            &format!("x-docdb {}: {}", entry.name, rv.name),
        );
    }
    link_families(ctx, entry, port);
}

fn properties(ctx: &mut Ctx, entry: &Entry) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(map) = entry.get("Properties").and_then(Node::as_map) else {
        return out;
    };
    let allowed = property_names("AWS::DocDB::DBCluster");
    let what = format!("x-docdb {}", entry.name);
    let at = entry
        .node
        .and_then(Node::as_map)
        .and_then(|m| m.key_span("Properties"))
        .unwrap_or(entry.span);
    ctx.check_schema(&what, "AWS::DocDB::DBCluster", MANAGED, map, at, false);
    for (key, span, value) in &map.entries {
        if !has(&allowed, key) {
            let d = Diagnostic::error(
                UNKNOWN_PROPERTY,
                format!(
                    "x-docdb {}: AWS::DocDB::DBCluster has no property `{key}`",
                    entry.name
                ),
                *span,
            );
            ctx.diags.push(with_suggestion(
                d,
                key,
                allowed.as_deref().unwrap_or_default(),
                None,
            ));
            continue;
        }
        if MANAGED.contains(&key.as_str()) {
            ctx.diags.push(
                Diagnostic::warning(IGNORED, format!("x-docdb {}: {key} is ignored", entry.name), *span)
                    .with_help("composex sets it: the cluster's own subnet group and security group, and a generated password in a Secrets Manager secret"),
            );
            continue;
        }
        let v = ctx.json(MODULE.stack, value);
        out.insert(key.clone(), v);
    }
    out
}

/// `MacroParameters.DBClusterParameterGroup: {Family, Description, Parameters, Name}`.
fn parameter_group(ctx: &mut Ctx, entry: &Entry) -> Option<String> {
    let (props, parameters) =
        cluster_parameter_group(ctx, entry, "{Family: docdb5.0, Parameters: {tls: enabled}}")?;
    let mut resource = Resource::new("AWS::DocDB::DBClusterParameterGroup", props);
    if let Some(tls) = parameters
        .get("tls")
        .filter(|t| t.as_str() == Some("disabled"))
    {
        let reason = format!(
            "x-docdb.{}.MacroParameters.DBClusterParameterGroup.Parameters.tls turns TLS off: clients reach the cluster without encryption in transit",
            entry.name
        );
        user_choice(&mut resource, &["CKV_AWS_90"], &reason, tls.span, ctx.diags);
    }
    Some(
        ctx.stacks
            .stack(MODULE.stack)
            .add_resource(&format!("{}ParameterGroup", entry.id), resource),
    )
}

/// The cluster's instances (`MacroParameters.Instances`, one by default).
fn instances(ctx: &mut Ctx, entry: &Entry) {
    let items: Vec<&Node> = match entry.setting("Instances") {
        None => Vec::new(),
        Some(n) => match n.as_seq() {
            Some(items) => items.iter().collect(),
            None => {
                ctx.diags.push(Diagnostic::error(
                    INVALID,
                    format!(
                        "x-docdb {}: Instances must be a list of DB instance properties",
                        entry.name
                    ),
                    n.span,
                ));
                return;
            }
        },
    };
    let mut defs: Vec<Map<String, Value>> = Vec::new();
    let instance = property_names("AWS::DocDB::DBInstance");
    for item in &items {
        let mut props = Map::new();
        if let Some(map) = item.as_map() {
            let what = format!("x-docdb {} Instances", entry.name);
            let own = &["DBClusterIdentifier", "DBInstanceClass"];
            ctx.check_schema(&what, "AWS::DocDB::DBInstance", own, map, item.span, false);
        }
        for (key, span, value) in item
            .as_map()
            .map(|m| m.entries.as_slice())
            .unwrap_or_default()
        {
            if has(&instance, key) {
                let v = ctx.json(MODULE.stack, value);
                props.insert(key.clone(), v);
            } else {
                ctx.diags.push(Diagnostic::warning(
                    IGNORED,
                    format!("x-docdb {}: `{key}` is not a property of a DocumentDB instance and is ignored", entry.name),
                    *span,
                ));
            }
        }
        defs.push(props);
    }
    if defs.is_empty() {
        defs.push(Map::new());
    }
    for (n, mut props) in defs.into_iter().enumerate() {
        props.insert("DBClusterIdentifier".into(), ref_(&entry.id));
        props
            .entry("DBInstanceClass")
            .or_insert(json!("db.t3.medium"));
        ctx.stacks.stack(MODULE.stack).add_resource(
            &format!("{}Instance{}", entry.id, n + 1),
            Resource::new("AWS::DocDB::DBInstance", Value::Object(props)),
        );
    }
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

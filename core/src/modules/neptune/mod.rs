//! x-neptune: Neptune graph database clusters (`AWS::Neptune::DBCluster`) with their instances
//! (`MacroParameters.Instances`, one `db.t3.medium` by default), built like x-docdb's clusters:
//! a subnet group over the storage subnets (or `Settings.Subnets: AppSubnets`), a security group
//! admitting exactly the linked services on the cluster port (8182), a cluster parameter group
//! from `MacroParameters.DBClusterParameterGroup`, and by default encrypted storage and IAM
//! authentication (the user's `Properties` win). Neptune has no master password: clients
//! authenticate with their task role (`NeptuneDB: connect`), so no secret is made.

use serde_json::{json, Map, Value};

use super::common::{cluster_parameter_group, export_name, local_value, Ctx, Entry, Grant};
use super::rds::link::ingress;
use super::subnets::subnets;
use super::{ModuleDef, ReturnValue, Statement, IGNORED, INVALID};
use crate::cfn::{get_att, ref_, sub_with, Resource};
use crate::diagnostic::Diagnostic;
use crate::stack::VPC_ID;
use crate::yaml::Node;

/// The x-neptune module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-neptune",
    stack: "neptune",
    resource_type: "AWS::Neptune::DBCluster",
    return_values: RETURN_VALUES,
    settings: &["DBClusterParameterGroup", "Instances", "Subnets"],
    levels: &["DBCluster: RO", "NeptuneDB: connect"],
    lookup_values,
    grants: no_grants,
    emit,
    access,
};

/// Neptune's port unless `DBPort` says otherwise.
pub const DEFAULT_PORT: u16 = 8182;

const fn rv(name: &'static str, attribute: Option<&'static str>) -> ReturnValue {
    ReturnValue { name, attribute }
}

/// Values a cluster offers (`DBClusterIdentifier`, its `Ref`, is the default env var).
const RETURN_VALUES: &[ReturnValue] = &[
    rv("DBClusterIdentifier", None),
    rv("DBClusterArn", None),
    rv("ClusterResourceId", Some("ClusterResourceId")),
    rv("Endpoint", Some("Endpoint")),
    rv("ReadEndpoint", Some("ReadEndpoint")),
    rv("Port", Some("Port")),
    rv("GroupId", None),
];

/// Properties composex sets itself.
const MANAGED: &[&str] = &["DBSubnetGroupName", "VpcSecurityGroupIds"];

/// Writable properties of `AWS::Neptune::DBInstance` (besides the cluster it belongs to).
const INSTANCE_PROPERTIES: &[&str] = &[
    "AllowMajorVersionUpgrade",
    "AutoMinorVersionUpgrade",
    "AvailabilityZone",
    "DBInstanceClass",
    "DBInstanceIdentifier",
    "DBParameterGroupName",
    "PreferredMaintenanceWindow",
    "Tags",
];

/// Describing the cluster (`DBCluster: RO`).
pub const DESCRIBE: &[&str] = &["rds:DescribeDBClusters", "rds:ListTagsForResource"];
/// Connecting with IAM authentication (`NeptuneDB: connect`).
pub const CONNECT: &[&str] = &["neptune-db:connect"];

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(arn) = arn {
        if let Some((_, id)) = arn.split_once(":cluster:") {
            out.push(("DBClusterIdentifier", id.to_string()));
        }
        out.push(("DBClusterArn", arn.to_string()));
    } else if let Some(id) = identifier {
        out.push(("DBClusterIdentifier", id.to_string()));
    }
    out
}

/// `{DBCluster: RO, NeptuneDB: connect}` (either or both); a bare `RO` is `DBCluster: RO`.
fn access(ctx: &mut Ctx, entry: &Entry, family: &str, access: &Node) -> Option<Vec<Statement>> {
    let mut out = Vec::new();
    let Some(map) = access.as_map() else {
        let (level, ()) = ctx.level(entry, access, &[("RO", ())])?;
        let arn = ctx.value_named(family, entry, "DBClusterArn");
        return Some(vec![Statement::allow(
            &format!("{level}Describe{}", entry.id),
            DESCRIBE,
            vec![arn],
        )]);
    };
    for (key, span, level) in &map.entries {
        match key.as_str() {
            "DBCluster" => {
                let (level, ()) = ctx.level(entry, level, &[("RO", ())])?;
                let arn = ctx.value_named(family, entry, "DBClusterArn");
                out.push(Statement::allow(
                    &format!("{level}Describe{}", entry.id),
                    DESCRIBE,
                    vec![arn],
                ));
            }
            "NeptuneDB" => {
                ctx.level(entry, level, &[("connect", ())])?;
                let resource = ctx.value_named(family, entry, "ClusterResourceId");
                let mut vars = Map::new();
                vars.insert("ResourceId".into(), resource);
                out.push(Statement::allow(
                    &format!("Connect{}", entry.id),
                    CONNECT,
                    vec![sub_with(
                        "arn:${AWS::Partition}:neptune-db:${AWS::Region}:${AWS::AccountId}:${ResourceId}/*",
                        vars,
                    )],
                ));
            }
            _ => {
                ctx.diags.push(
                    Diagnostic::error(
                        super::UNKNOWN_ACCESS,
                        format!("x-neptune {}: no access kind `{key}`", entry.name),
                        *span,
                    )
                    .with_help("Access: {DBCluster: RO, NeptuneDB: connect}"),
                );
                return None;
            }
        }
    }
    Some(out)
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let mut props = properties(ctx, entry);
    let Some(subnet_list) = subnets(ctx, entry) else {
        return;
    };
    props.entry("StorageEncrypted").or_insert(Value::Bool(true));
    props.entry("IamAuthEnabled").or_insert(Value::Bool(true));
    // A week of point-in-time recovery, and the audit log in CloudWatch Logs (written once
    // the parameter group sets neptune_enable_audit_log).
    props.entry("BackupRetentionPeriod").or_insert(json!(7));
    props
        .entry("EnableCloudwatchLogsExports")
        .or_insert(json!(["audit"]));
    let port = match props.get("DBPort") {
        None => DEFAULT_PORT,
        Some(v) => match v.as_u64().and_then(|p| u16::try_from(p).ok()) {
            Some(p) if p > 0 => p,
            _ => {
                ctx.diags.push(Diagnostic::error(
                    INVALID,
                    format!("x-neptune {}: DBPort must be a port number", entry.name),
                    entry.property("DBPort").map_or(entry.span, |n| n.span),
                ));
                return;
            }
        },
    };
    props.insert("DBPort".into(), json!(port));
    let id = entry.id.clone();
    let stack = ctx.stacks.stack(MODULE.stack);
    let subnet_ids = stack.import(subnet_list);
    let vpc = stack.import(VPC_ID);
    let subnet_group = stack.add_resource(
        &format!("{id}SubnetGroup"),
        Resource::new(
            "AWS::Neptune::DBSubnetGroup",
            json!({"DBSubnetGroupDescription": format!("x-neptune {}", entry.name), "SubnetIds": subnet_ids}),
        ),
    );
    let group = stack.add_resource(
        &format!("{id}SecurityGroup"),
        Resource::new(
            "AWS::EC2::SecurityGroup",
            json!({"GroupDescription": format!("x-neptune {}: graph database access", entry.name), "VpcId": vpc}),
        ),
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
    for rv in RETURN_VALUES {
        let value = match rv.name {
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
            &format!("x-neptune {}: {}", entry.name, rv.name),
        );
    }
    if let Some(services) = entry.get("Services").and_then(Node::as_map) {
        let mut done = std::collections::BTreeSet::new();
        for (target, _, _) in &services.entries {
            for (family, _) in ctx.families_of(target) {
                if done.insert(family.clone()) {
                    ingress(ctx, entry, &family, port);
                }
            }
        }
    }
}

fn properties(ctx: &mut Ctx, entry: &Entry) -> Map<String, Value> {
    let out = ctx.properties_of(entry, MODULE.resource_type, MANAGED);
    for key in MANAGED {
        if let Some(node) = entry.property(key) {
            let span = entry
                .get("Properties")
                .and_then(Node::as_map)
                .and_then(|m| m.entries.iter().find(|(k, _, _)| k == key))
                .map_or(node.span, |(_, s, _)| *s);
            ctx.diags.push(
                Diagnostic::warning(
                    IGNORED,
                    format!("x-neptune {}: {key} is ignored", entry.name),
                    span,
                )
                .with_help("composex sets it: the cluster's own subnet group and security group"),
            );
        }
    }
    out
}

/// `MacroParameters.DBClusterParameterGroup: {Family, Description, Parameters, Name}`.
fn parameter_group(ctx: &mut Ctx, entry: &Entry) -> Option<String> {
    let (props, _) = cluster_parameter_group(
        ctx,
        entry,
        "{Family: neptune1.3, Parameters: {neptune_enable_audit_log: 1}}",
    )?;
    Some(ctx.stacks.stack(MODULE.stack).add_resource(
        &format!("{}ParameterGroup", entry.id),
        Resource::new("AWS::Neptune::DBClusterParameterGroup", props),
    ))
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
                        "x-neptune {}: Instances must be a list of DB instance properties",
                        entry.name
                    ),
                    n.span,
                ));
                return;
            }
        },
    };
    let mut defs: Vec<Map<String, Value>> = Vec::new();
    for item in &items {
        let mut props = Map::new();
        for (key, span, value) in item
            .as_map()
            .map(|m| m.entries.as_slice())
            .unwrap_or_default()
        {
            if INSTANCE_PROPERTIES.contains(&key.as_str()) {
                let v = ctx.json(MODULE.stack, value);
                props.insert(key.clone(), v);
            } else {
                ctx.diags.push(Diagnostic::warning(
                    IGNORED,
                    format!(
                        "x-neptune {}: `{key}` is not a property of a Neptune instance and is ignored",
                        entry.name
                    ),
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
            Resource::new("AWS::Neptune::DBInstance", Value::Object(props)),
        );
    }
}

#[cfg(test)]
mod tests;

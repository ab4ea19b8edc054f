//! x-rds access levels: explicit actions on the database's ARN. ComposeX's `{DBCluster: RO}`
//! was `rds:Describe*`; here it is the describe call of the database's own kind. Reading and
//! writing data needs no IAM (the network rule and the secret do it), except with IAM database
//! authentication: `RW` adds `rds-db:connect` for every database user of this database.

use serde_json::Value;

use crate::cfn::sub_with;
use crate::diagnostic::Diagnostic;
use crate::modules::common::{Ctx, Entry};
use crate::modules::{Statement, INVALID};
use crate::yaml::Node;

/// Describing an Aurora cluster.
pub const CLUSTER_RO: &[&str] = &["rds:DescribeDBClusters", "rds:ListTagsForResource"];
/// Describing a DB instance.
pub const INSTANCE_RO: &[&str] = &["rds:DescribeDBInstances", "rds:ListTagsForResource"];
/// Connecting with IAM database authentication.
pub const CONNECT: &[&str] = &["rds-db:connect"];

/// Level -> whether it adds IAM database authentication.
pub const LEVELS: &[(&str, bool)] = &[("RO", false), ("RW", true)];

/// The level names.
pub const LEVEL_NAMES: &[&str] = &["RO", "RW"];

/// True when `entry` is (or looks up) an Aurora cluster rather than a DB instance.
pub fn is_cluster(entry: &Entry) -> bool {
    if let Some(lookup) = entry.lookup {
        return lookup.get("db").is_none();
    }
    let engine = entry
        .setting("Engine")
        .or_else(|| entry.property("Engine"))
        .and_then(Node::as_str)
        .unwrap_or_default();
    engine.starts_with("aurora")
}

/// The statements `access` (`RO`, `RW`, or `{DBCluster: RO}` as ComposeX writes it) gives
/// `family` on database `entry`.
pub fn statements(
    ctx: &mut Ctx,
    entry: &Entry,
    family: &str,
    access: &Node,
) -> Option<Vec<Statement>> {
    let level_node = match access.as_map() {
        Some(map) => {
            let mut found = None;
            for (key, key_span, value) in &map.entries {
                if key == "DBCluster" || key == "DBInstance" {
                    found = Some(value);
                } else {
                    ctx.diags.push(
                        Diagnostic::error(
                            INVALID,
                            format!("x-rds {}: Access has no key `{key}`", entry.name),
                            *key_span,
                        )
                        .with_help("write Access: RO, or Access: {DBCluster: RO}"),
                    );
                }
            }
            found?
        }
        None => access,
    };
    let (level, connect) = ctx.level(entry, level_node, LEVELS)?;
    let cluster = is_cluster(entry);
    let (arn_name, describe) = if cluster {
        ("DBClusterArn", CLUSTER_RO)
    } else {
        ("DBInstanceArn", INSTANCE_RO)
    };
    let arn = ctx.value_named(family, entry, arn_name);
    let mut out = vec![Statement::allow(
        &format!("{level}Describe{}", entry.id),
        describe,
        vec![arn],
    )];
    if connect {
        let resource_id = ctx.value_named(family, entry, "ResourceId");
        let mut vars = serde_json::Map::new();
        vars.insert("ResourceId".into(), resource_id);
        let users: Value = sub_with(
            "arn:${AWS::Partition}:rds-db:${AWS::Region}:${AWS::AccountId}:dbuser:${ResourceId}/*",
            vars,
        );
        out.push(Statement::allow(
            &format!("IamConnect{}", entry.id),
            CONNECT,
            vec![users],
        ));
    }
    Some(out)
}

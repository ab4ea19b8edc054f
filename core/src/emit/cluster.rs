//! x-cluster: a new ECS cluster in the root stack with the FARGATE and FARGATE_SPOT capacity
//! providers, or an existing one given as the root parameter [`CLUSTER_NAME`] (`Lookup` / `Use`,
//! or the ECS plugin's top-level `x-aws-cluster`). Exported as [`CLUSTER_NAME`]. A new cluster
//! has Container Insights on unless `Properties.ClusterSettings` says otherwise.

use serde_json::{json, Value};

use crate::cfn::{ref_, Parameter, Resource};
use crate::diagnostic::Diagnostic;
use crate::stack::{check_keys, Stacks, CLUSTER_NAME};
use crate::yaml::to_json;
use crate::yaml::Node;

/// x-cluster or one of its parts has the wrong shape.
pub const INVALID: &str = "CX310";
/// x-cluster has a key it does not know.
pub const UNKNOWN_KEY: &str = "CX311";
/// `Properties` (a new cluster) together with `Lookup` (an existing one).
pub const CONFLICT: &str = "CX312";
/// A ComposeX feature not rendered (yet).
pub const NOT_SUPPORTED: &str = "CX313";
/// A log retention that CloudWatch Logs does not offer, raised to the next one it does.
pub const RETENTION_ROUNDED: &str = "CX314";

const TOP_KEYS: &[&str] = &["Properties", "Lookup", "Use", "MacroParameters"];
const MACRO_KEYS: &[&str] = &[
    "CreateExecLoggingLogGroup",
    "LogGroupRetentionInDays",
    "CreateExecLoggingBucket",
    "CreateExecLoggingKmsKey",
    "AllowKmsKeyReuse",
    "Ec2Capacity",
];
/// CloudWatch Logs retention values.
const RETENTION_DAYS: &[i64] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// Emits the cluster from `x-cluster` (and `x-aws-cluster`, which wins, as in ComposeX), with
/// its EC2 capacity (`MacroParameters.Ec2Capacity`). `gpu_wanted`: some service reserves a GPU.
pub fn emit(
    x_cluster: Option<&Node>,
    x_aws_cluster: Option<&Node>,
    gpu_wanted: bool,
    stacks: &mut Stacks,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(node) = x_aws_cluster.filter(|n| !n.is_null()) {
        match node.as_str() {
            Some(name) => existing(cluster_name(name), stacks),
            None => diagnostics.push(Diagnostic::error(
                INVALID,
                format!(
                    "x-aws-cluster must be a cluster name or ARN, not a {}",
                    node.kind_name()
                ),
                node.span,
            )),
        }
        return;
    }
    let Some(node) = x_cluster.filter(|n| !n.is_null()) else {
        new_cluster(None, None, None, gpu_wanted, stacks);
        return;
    };
    if node.as_map().is_none() {
        diagnostics.push(
            Diagnostic::error(INVALID, format!("x-cluster must be a mapping, not a {}", node.kind_name()), node.span)
                .with_help("use `Lookup: <cluster name>` for an existing cluster, or `Properties:` for a new one"),
        );
        return;
    }
    check_keys(node, TOP_KEYS, UNKNOWN_KEY, "x-cluster", diagnostics);
    let lookup = node.get("Lookup").or_else(|| node.get("Use"));
    if let (Some(props), Some(lookup)) = (node.get("Properties"), lookup) {
        diagnostics.push(
            Diagnostic::error(CONFLICT, "x-cluster: `Properties` (a new cluster) and `Lookup` (an existing one) exclude each other", lookup.span)
                .with_label(props.span, "a new cluster is described here"),
        );
        return;
    }
    if let Some(lookup) = lookup {
        if let Some(ec2) = node
            .get("MacroParameters")
            .and_then(|m| m.get("Ec2Capacity"))
        {
            diagnostics.push(
                Diagnostic::error(
                    super::capacity::INVALID_CAPACITY,
                    "x-cluster: an existing cluster (`Lookup`) keeps its own capacity; Ec2Capacity adds capacity to a new cluster",
                    ec2.span,
                )
                .with_label(lookup.span, "the existing cluster")
                .with_help("remove Ec2Capacity (services on EC2 then run on the existing cluster's instances), or remove `Lookup` to create the cluster"),
            );
            return;
        }
        let name = lookup
            .as_str()
            .or_else(|| lookup.get("ClusterName").and_then(Node::as_str));
        match name {
            Some(name) => existing(cluster_name(name), stacks),
            None => diagnostics.push(
                Diagnostic::error(
                    INVALID,
                    "x-cluster.Lookup needs the cluster's name",
                    lookup.span,
                )
                .with_help("`Lookup: my-cluster` or `Lookup: {ClusterName: my-cluster}`"),
            ),
        }
        return;
    }
    let properties = match node.get("Properties") {
        Some(p) if p.as_map().is_some() => Some(to_json(p)),
        Some(p) if p.is_null() => None,
        Some(p) => {
            diagnostics.push(Diagnostic::error(
                INVALID,
                "x-cluster.Properties must be a mapping of AWS::ECS::Cluster properties",
                p.span,
            ));
            return;
        }
        None => None,
    };
    let exec_logging = node
        .get("MacroParameters")
        .and_then(|m| exec_logging(m, diagnostics));
    let ec2 = match node
        .get("MacroParameters")
        .and_then(|m| m.get("Ec2Capacity"))
    {
        Some(n) => match super::capacity::read(n, diagnostics) {
            Some(settings) => Some(settings),
            None => return,
        },
        None => None,
    };
    new_cluster(properties, exec_logging, ec2, gpu_wanted, stacks);
}

/// The name in a cluster ARN (`arn:aws:ecs:<region>:<account>:cluster/<name>`), or the text.
fn cluster_name(text: &str) -> String {
    match text.strip_prefix("arn:") {
        Some(_) => text.rsplit('/').next().unwrap_or(text).to_string(),
        None => text.to_string(),
    }
}

fn existing(name: String, stacks: &mut Stacks) {
    stacks.root().export_parameter(
        CLUSTER_NAME,
        Parameter::string()
            .with_description("Name of the existing ECS cluster the services run in"),
    );
    stacks.known_values.insert(CLUSTER_NAME.to_string(), name);
}

/// Days to keep ECS Exec session logs, when a log group for them is wanted.
fn exec_logging(macros: &Node, diagnostics: &mut Vec<Diagnostic>) -> Option<i64> {
    check_keys(
        macros,
        MACRO_KEYS,
        UNKNOWN_KEY,
        "x-cluster.MacroParameters",
        diagnostics,
    );
    for key in [
        "CreateExecLoggingBucket",
        "CreateExecLoggingKmsKey",
        "AllowKmsKeyReuse",
    ] {
        if let Some(n) = macros
            .get(key)
            .filter(|n| n.as_scalar().and_then(|s| s.as_bool()) != Some(false))
        {
            diagnostics.push(
                Diagnostic::warning(
                    NOT_SUPPORTED,
                    format!("x-cluster.MacroParameters.{key} is not rendered yet"),
                    n.span,
                )
                .with_help(
                    "ECS Exec sessions are logged to CloudWatch only (CreateExecLoggingLogGroup)",
                ),
            );
        }
    }
    let wanted = macros.get("CreateExecLoggingLogGroup")?;
    if wanted.as_scalar().and_then(|s| s.as_bool()) != Some(true) {
        return None;
    }
    let days = match macros.get("LogGroupRetentionInDays") {
        None => 30,
        Some(n) => match n.as_scalar().and_then(|s| s.as_i64()) {
            Some(d) if RETENTION_DAYS.contains(&d) => d,
            Some(d) if d > 0 && RETENTION_DAYS.iter().any(|r| *r > d) => {
                let next = RETENTION_DAYS.iter().copied().find(|r| *r > d).unwrap_or(d);
                diagnostics.push(Diagnostic::info(
                    RETENTION_ROUNDED,
                    format!("x-cluster.MacroParameters.LogGroupRetentionInDays: CloudWatch Logs has no {d}-day retention; using {next} days"),
                    n.span,
                ));
                next
            }
            _ => {
                diagnostics.push(
                    Diagnostic::error(INVALID, "x-cluster.MacroParameters.LogGroupRetentionInDays is not a CloudWatch Logs retention", n.span)
                        .with_help(format!("one of {}", RETENTION_DAYS.iter().map(i64::to_string).collect::<Vec<_>>().join(", "))),
                );
                30
            }
        },
    };
    Some(days)
}

fn new_cluster(
    properties: Option<Value>,
    exec_log_days: Option<i64>,
    ec2: Option<super::capacity::Settings>,
    gpu_wanted: bool,
    stacks: &mut Stacks,
) {
    let mut properties = properties.unwrap_or_else(|| json!({}));
    if properties.get("CapacityProviders").is_none() {
        properties["CapacityProviders"] = json!(["FARGATE", "FARGATE_SPOT"]);
        if properties.get("DefaultCapacityProviderStrategy").is_none() {
            properties["DefaultCapacityProviderStrategy"] =
                json!([{ "CapacityProvider": "FARGATE", "Weight": 1 }]);
        }
    }
    // Container Insights on by default (the user's own ClusterSettings win).
    if properties.get("ClusterSettings").is_none() {
        properties["ClusterSettings"] =
            json!([{ "Name": "containerInsights", "Value": "enabled" }]);
    }
    let root = stacks.root();
    if let Some(days) = exec_log_days {
        let group = root.add_resource(
            "ClusterExecLogGroup",
            Resource::new("AWS::Logs::LogGroup", json!({ "RetentionInDays": days }))
                .with_policies("Delete"),
        );
        let exec = json!({
            "Logging": "OVERRIDE",
            "LogConfiguration": { "CloudWatchLogGroupName": ref_(&group) },
        });
        match properties
            .get_mut("Configuration")
            .and_then(Value::as_object_mut)
        {
            // The user's own ExecuteCommandConfiguration wins over the macro.
            Some(configuration) => {
                configuration
                    .entry("ExecuteCommandConfiguration")
                    .or_insert(exec);
            }
            None => properties["Configuration"] = json!({ "ExecuteCommandConfiguration": exec }),
        }
    }
    // With EC2 capacity the cluster's providers and default strategy move to the association
    // (CloudFormation wants them in one place).
    let moved = ec2.as_ref().and_then(|_| {
        let object = properties.as_object_mut()?;
        let providers = object
            .remove("CapacityProviders")
            .unwrap_or_else(|| json!([]));
        Some((providers, object.remove("DefaultCapacityProviderStrategy")))
    });
    let cluster = root.add_resource("Cluster", Resource::new("AWS::ECS::Cluster", properties));
    root.export(
        CLUSTER_NAME,
        ref_(&cluster),
        "String",
        "Name of the ECS cluster the services run in",
    );
    if let (Some(settings), Some((providers, strategy))) = (ec2, moved) {
        super::capacity::emit(&settings, providers, strategy, gpu_wanted, stacks);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_arns() {
        assert_eq!(
            cluster_name("arn:aws:ecs:eu-west-1:123456789012:cluster/prod"),
            "prod"
        );
        assert_eq!(cluster_name("prod"), "prod");
    }
}

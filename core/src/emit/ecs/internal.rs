//! Compose `internal: true` networks: their tasks talk to each other and to nothing else. A
//! family whose networks are all internal runs in the storage subnets (no NAT route) and its
//! security group lets traffic out only to its own tasks and to the groups of its networks; an
//! internal network's own group lets traffic out only to itself. A family that is also on an
//! ordinary network keeps its way out, as a compose container on both networks does.

use serde_json::{json, Value};

use super::family::Plan;
use crate::cfn::Resource;
use crate::compose::Project;
use crate::diagnostic::Diagnostic;
use crate::stack::Stack;

/// Tasks on internal networks only: no internet, so the VPC must reach AWS services privately.
pub const INTERNAL_NETWORK: &str = "CX288";

/// The egress rule that stands for "none": a security group with no egress rule of its own would
/// get the default allow-all rule.
pub fn no_egress() -> Value {
    json!([{ "CidrIp": "127.0.0.1/32", "IpProtocol": "-1", "Description": "no egress but the rules below (compose internal network)" }])
}

/// The compose networks with `internal: true`.
pub fn internal_networks(project: &Project) -> Vec<String> {
    project
        .networks
        .values()
        .filter(|n| n.internal)
        .map(|n| n.name.clone())
        .collect()
}

/// Marks the families whose networks are all internal, and warns once per internal network
/// with such tasks, at its `internal` key.
pub fn mark(project: &Project, plans: &mut [Plan<'_>], diags: &mut Vec<Diagnostic>) {
    let internal = internal_networks(project);
    let mut warned: Vec<&str> = Vec::new();
    for plan in plans.iter_mut() {
        plan.internal =
            !plan.networks.is_empty() && plan.networks.iter().all(|n| internal.contains(n));
        if !plan.internal {
            continue;
        }
        for network in &plan.networks {
            let Some(net) = project.networks.get(network) else {
                continue;
            };
            if warned.contains(&network.as_str()) {
                continue;
            }
            warned.push(network);
            diags.push(
                Diagnostic::warning(
                    INTERNAL_NETWORK,
                    format!("network {network} is internal: its tasks run without a route to the internet and send traffic only to the network's tasks"),
                    net.internal_span.unwrap_or(net.span),
                )
                .with_help("ECS still pulls images, writes logs and reads secrets for these tasks through their network: give the VPC endpoints for ECR (api, dkr), S3 (gateway), CloudWatch Logs and Secrets Manager / SSM, or use images and services reachable inside the VPC"),
            );
        }
    }
}

/// Egress of an internal family's group: to its own tasks and to each network group it carries.
pub fn family_egress(plan: &Plan<'_>, group_id: &Value, stack: &mut Stack) {
    let mut targets = vec![("Myself".to_string(), group_id.clone())];
    for network in &plan.network_groups {
        let target = stack.import(&super::networks::network_group_export(network));
        targets.push((
            format!("{}Network", crate::cfn::logical_id(network)),
            target,
        ));
    }
    for (name, target) in targets {
        stack.add_resource(&format!("EgressTo{name}"), egress(group_id.clone(), target));
    }
}

/// An egress rule from `group` to `target` on every protocol and port.
pub fn egress(group: Value, target: Value) -> Resource {
    Resource::new(
        "AWS::EC2::SecurityGroupEgress",
        json!({
            "GroupId": group,
            "IpProtocol": "-1",
            "DestinationSecurityGroupId": target,
            "Description": "to the tasks of the compose internal network",
        }),
    )
}

//! Compose networks as security groups: services on a shared network reach each other's ports.
//!
//! Each compose network that joins two or more families (one of them with ports) gets one
//! security group in the `ComposeNetworks` stack; every family on it carries that group, and a
//! family with ports lets it in on those ports. That is one rule per family, network and port,
//! where rules between every pair of families would grow with the square of their number (and
//! pass CloudFormation's 500 resources per template at about twenty families).

use indexmap::IndexMap;
use serde_json::json;

use super::family::Plan;
use super::{NETWORKS_STACK, TOO_MANY_GROUPS};
use crate::cfn::{get_att, logical_id, Parameter, Resource};
use crate::compose::model::Project;
use crate::diagnostic::Diagnostic;
use crate::stack::{Stacks, VPC_ID};

/// Security groups an ECS task takes at most (awsvpc network configuration).
const TASK_SECURITY_GROUPS: usize = 5;

/// Docker's `x-aws-securitygroup` on a network is not a security group id.
pub const X_AWS_SECURITY_GROUP: &str = "CX684";

/// The networks whose tasks join an existing security group (`x-aws-securitygroup: sg-...`).
fn existing_groups<'a>(
    project: &'a Project,
    diags: &mut Vec<Diagnostic>,
) -> IndexMap<&'a str, String> {
    let mut groups = IndexMap::new();
    for network in project.networks.values() {
        let Some(node) = network.extensions.get("x-aws-securitygroup") else {
            continue;
        };
        match node.as_str().filter(|id| id.starts_with("sg-")) {
            Some(id) => {
                groups.insert(network.name.as_str(), id.to_string());
            }
            None => diags.push(
                Diagnostic::error(
                    X_AWS_SECURITY_GROUP,
                    format!("networks.{}.x-aws-securitygroup must be the id of an existing security group (`sg-...`)", network.name),
                    node.span,
                )
                .with_help("without it the network becomes a new security group its services share"),
            ),
        }
    }
    groups
}

/// Export name of compose network `network`'s security group id.
pub(super) fn network_group_export(network: &str) -> String {
    format!("{}NetworkSecurityGroupId", logical_id(network))
}

/// Declares the security group of every network that needs one and records, in each plan, the
/// networks whose group it carries (`Plan::network_groups`).
/// The group of an `internal` network lets traffic out only to itself.
pub fn emit(
    project: &Project,
    plans: &mut [Plan<'_>],
    internal: &[String],
    stacks: &mut Stacks,
    diags: &mut Vec<Diagnostic>,
) {
    let existing = existing_groups(project, diags);
    // network -> (families on it, one of them has ports)
    let mut members: IndexMap<&str, (usize, bool)> = IndexMap::new();
    for plan in plans.iter() {
        let has_ports = !plan.ports().is_empty();
        for network in &plan.networks {
            let entry = members.entry(network.as_str()).or_default();
            entry.0 += 1;
            entry.1 |= has_ports;
        }
    }
    let grouped: Vec<String> = members
        .into_iter()
        .filter(|(network, (families, ports))| {
            (*families >= 2 && *ports) || existing.contains_key(*network)
        })
        .map(|(network, _)| network.to_string())
        .collect();
    if grouped.is_empty() {
        return;
    }
    // An existing group is a root parameter the families carry; composex does not change it.
    for network in grouped.iter().filter(|n| existing.contains_key(n.as_str())) {
        let name = network_group_export(network);
        stacks.root().export_parameter(
            &name,
            Parameter::new("AWS::EC2::SecurityGroup::Id").with_description(format!(
                "Existing security group of the compose network {network} (x-aws-securitygroup)"
            )),
        );
        if let Some(id) = existing.get(network.as_str()) {
            stacks.known_values.insert(name, id.clone());
        }
        stacks.note_origin(network_span(plans, network));
    }
    for network in grouped
        .iter()
        .filter(|n| !existing.contains_key(n.as_str()))
    {
        let stack = stacks.stack(NETWORKS_STACK);
        let vpc = stack.import(VPC_ID);
        let mut props = json!({
            "GroupDescription": format!("tasks on the compose network {network}"),
            "VpcId": vpc,
        });
        if internal.contains(network) {
            props["SecurityGroupEgress"] = super::internal::no_egress();
        }
        let group = stack.add_resource(
            &format!("{}Network", logical_id(network)),
            Resource::new("AWS::EC2::SecurityGroup", props),
        );
        if internal.contains(network) {
            stack.add_resource(
                &format!("{}NetworkEgress", logical_id(network)),
                super::internal::egress(get_att(&group, "GroupId"), get_att(&group, "GroupId")),
            );
        }
        stack.export(
            &network_group_export(network),
            get_att(&group, "GroupId"),
            "AWS::EC2::SecurityGroup::Id",
            &format!("Security group of the tasks on the compose network {network}"),
        );
        stacks.note_origin(network_span(plans, network));
    }
    for plan in plans.iter_mut() {
        plan.network_groups = plan
            .networks
            .iter()
            .filter(|n| grouped.contains(n))
            .cloned()
            .collect();
        if plan.network_groups.len() >= TASK_SECURITY_GROUPS {
            let span = plan
                .containers
                .first()
                .map(|c| c.service.span)
                .unwrap_or_default();
            diags.push(
                Diagnostic::error(
                    TOO_MANY_GROUPS,
                    format!(
                        "task family `{}` is on {} compose networks shared with other families; an ECS task takes at most {} security groups (its own and {} networks)",
                        plan.name,
                        plan.network_groups.len(),
                        TASK_SECURITY_GROUPS,
                        TASK_SECURITY_GROUPS - 1
                    ),
                    span,
                )
                .with_help("put the family's services on fewer networks, or give them a common one"),
            );
        }
    }
}

/// The source map: where network `network` is joined (the first service's `networks` entry),
/// else the first service on it (the `default` network is joined without being named).
fn network_span(plans: &[Plan<'_>], network: &str) -> crate::diagnostic::Span {
    let services = plans
        .iter()
        .flat_map(|p| p.containers.iter().map(|c| c.service));
    let mut first = None;
    for service in services {
        if let Some(joined) = service.networks.get(network) {
            return joined.span;
        }
        if first.is_none() && (service.networks.is_empty() && network == "default") {
            first = Some(service.span);
        }
    }
    first.unwrap_or_default()
}

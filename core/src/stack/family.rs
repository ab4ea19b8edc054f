//! The naming contract of task family stacks, shared by the family emitter (which writes these
//! resources and exports) and by everything that links to a family (x-modules): fixed logical
//! ids inside a family stack, the export names a family offers, container names, and the names
//! of the stacks the family emitter shares between families.

use crate::cfn::logical_id;

/// Id of the task definition in a family stack.
pub const TASK_DEFINITION: &str = "TaskDefinition";
/// Id of the ECS service in a family stack.
pub const SERVICE: &str = "Service";
/// Id of the task role in a family stack (linked x-resources add their access policies to it).
pub const TASK_ROLE: &str = "TaskRole";
/// Id of the execution role in a family stack.
pub const EXECUTION_ROLE: &str = "ExecutionRole";
/// Id of the family's security group.
pub const SECURITY_GROUP: &str = "SecurityGroup";
/// Id of the family's log group resource (fixed: one per family stack).
pub const LOG_GROUP: &str = "LogGroup";
/// Id of the family's discovery service.
pub const DISCOVERY_SERVICE: &str = "DiscoveryService";
/// Id of a family's scalable target (when it scales).
pub const SCALABLE_TARGET: &str = "ScalableTarget";

/// Name of the stack holding the ingress rules between families.
pub const NETWORKING_STACK: &str = "ServicesNetworking";
/// Name of the stack holding the security groups of the compose networks.
pub const NETWORKS_STACK: &str = "ComposeNetworks";
/// Name of the stack holding the CloudMap namespaces.
pub const CLOUDMAP_STACK: &str = "cloudmap";
/// The load balancers' stack (`elbv2.yaml`): x-elbv2's, or else the project's own for published
/// ports.
pub const LOAD_BALANCERS_STACK: &str = "elbv2";

/// What the family emitter publishes about one task family for the emitters that run after it
/// (typed facts, so nobody reads them back out of the emitted JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FamilyFacts {
    /// Its tasks get a public IP (x-network `AssignPublicIp`) and run in the public subnets.
    pub public_ip: bool,
}

/// Export name of family `family`'s security group id (type `AWS::EC2::SecurityGroup::Id`):
/// other stacks import it to let traffic in (e.g. from a load balancer).
pub fn security_group_export(family: &str) -> String {
    format!("{}SecurityGroupId", logical_id(family))
}

/// Export name of family `family`'s task definition (`Ref`: its ARN).
pub fn task_definition_export(family: &str) -> String {
    format!("{}TaskDefinition", logical_id(family))
}

/// Export name of family `family`'s task role ARN.
pub fn task_role_arn_export(family: &str) -> String {
    format!("{}TaskRoleArn", logical_id(family))
}

/// Export name of family `family`'s execution role ARN.
pub fn execution_role_arn_export(family: &str) -> String {
    format!("{}ExecutionRoleArn", logical_id(family))
}

/// The container name of compose service `service`: ECS accepts letters, digits, `-` and `_`,
/// anything else becomes `-`.
pub fn container_name(service: &str) -> String {
    service
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

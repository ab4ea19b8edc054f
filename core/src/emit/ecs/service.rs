//! The task definition and the ECS service of a family.

use crate::emit::capacity::{EC2_CAPACITY_ASSOCIATIONS, EC2_CAPACITY_PROVIDER, EC2_PROVIDER_ALIAS};
use serde_json::{json, Map, Value};

use super::family::Plan;
use super::iam::Roles;
use super::logging::log_configuration;
use crate::cfn::{get_att, object, ref_, Resource};
use crate::diagnostic::Diagnostic;
use crate::stack::{Stack, APP_SUBNETS, CLUSTER_NAME, PUBLIC_SUBNETS, STORAGE_SUBNETS};

pub use crate::stack::family::{SERVICE, TASK_DEFINITION};

/// Adds the Fargate task definition; returns its id. The containers' definitions are moved
/// into it (written once, nothing reads them after: a copy read them again, cold by then).
pub fn task_definition(
    plan: &mut Plan<'_>,
    roles: &Roles,
    stack: &mut Stack,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let mut containers = Vec::new();
    let mut volumes: Vec<String> = Vec::new();
    for c in &mut plan.containers {
        let mut def = std::mem::take(&mut c.definition);
        let firelens = plan
            .firelens
            .as_ref()
            .and_then(|f| f.log_configuration(&c.name));
        let logging = firelens.unwrap_or_else(|| log_configuration(c.service, &c.name, diags));
        def.insert("LogConfiguration".into(), logging);
        containers.push(Value::Object(def));
        for v in &c.volumes {
            if !volumes.contains(v) {
                volumes.push(v.clone());
            }
        }
    }
    if let Some(xray) = &plan.xray {
        containers.push(xray.definition());
    }
    if let Some(firelens) = &plan.firelens {
        containers.push(firelens.definition());
    }
    if let Some(agent) = &plan.cw_agent {
        containers.push(agent.definition());
    }
    if let Some(files) = &plan.files {
        containers.push(files.definition());
        for v in files.volumes() {
            if !volumes.contains(v) {
                volumes.push(v.clone());
            }
        }
    }
    // Sized for its keys: growing a map rehashes it.
    let mut props = Map::with_capacity(10);
    let compatibility = if plan.ec2.is_some() { "EC2" } else { "FARGATE" };
    props.insert("RequiresCompatibilities".into(), json!([compatibility]));
    props.insert("NetworkMode".into(), json!("awsvpc"));
    props.insert("Cpu".into(), json!(plan.size.cpu.to_string()));
    props.insert("Memory".into(), json!(plan.size.memory.to_string()));
    if let Some(platform) = &plan.runtime_platform {
        props.insert("RuntimePlatform".into(), platform.clone());
    }
    props.insert("ExecutionRoleArn".into(), get_att(&roles.execution, "Arn"));
    props.insert("TaskRoleArn".into(), get_att(&roles.task, "Arn"));
    props.insert("ContainerDefinitions".into(), Value::Array(containers));
    // Fargate's task storage; on EC2 tasks use the instance's volume (Ec2Capacity.VolumeSize).
    if let Some(gib) = plan.ephemeral_storage.filter(|_| plan.ec2.is_none()) {
        props.insert("EphemeralStorage".into(), json!({ "SizeInGiB": gib }));
    }
    if !volumes.is_empty() {
        let volumes: Vec<Value> = volumes.iter().map(|v| json!({ "Name": v })).collect();
        props.insert("Volumes".into(), Value::Array(volumes));
    }
    stack.add_resource(
        TASK_DEFINITION,
        Resource::new("AWS::ECS::TaskDefinition", Value::Object(props)),
    )
}

/// Adds the ECS service; returns its id. Capacity: x-ecs's strategy, else the cluster's default
/// strategy when `cluster_default` (a cluster this render creates), else launch type FARGATE.
pub fn service(
    plan: &Plan<'_>,
    task_definition: &str,
    security_group: &str,
    registry: Option<Value>,
    cluster_default: bool,
    stack: &mut Stack,
) -> String {
    let cluster = stack.import(CLUSTER_NAME);
    let (subnets, public_ip) = if plan.public_ip {
        (stack.import(PUBLIC_SUBNETS), "ENABLED")
    } else if plan.internal {
        // Internal networks only: the storage subnets have no route out of the VPC.
        (stack.import(STORAGE_SUBNETS), "DISABLED")
    } else {
        (stack.import(APP_SUBNETS), "DISABLED")
    };
    let desired = match &plan.scaling {
        Some(s) => plan.replicas.clamp(s.min, s.max),
        None => plan.replicas,
    };
    let mut groups = vec![get_att(security_group, "GroupId")];
    for network in &plan.network_groups {
        groups.push(stack.import(&super::networks::network_group_export(network)));
    }
    let mut props = Map::with_capacity(12);
    props.insert("Cluster".into(), cluster);
    props.insert("TaskDefinition".into(), ref_(task_definition));
    props.insert("DesiredCount".into(), json!(desired));
    match (&plan.ec2, &plan.capacity) {
        (Some(ec2), strategy) if ec2.provider => {
            let provider = stack.import(EC2_CAPACITY_PROVIDER);
            let strategy = match strategy {
                // A strategy naming EC2 (a Fargate-only one was warned and is not used).
                Some(Value::Array(items))
                    if items
                        .iter()
                        .any(|i| i["CapacityProvider"] == EC2_PROVIDER_ALIAS) =>
                {
                    items
                        .iter()
                        .map(|item| {
                            let mut item = item.clone();
                            if item["CapacityProvider"] == EC2_PROVIDER_ALIAS {
                                item["CapacityProvider"] = provider.clone();
                            }
                            item
                        })
                        .collect()
                }
                _ => vec![object! { "CapacityProvider": provider, "Weight": 1 }],
            };
            props.insert("CapacityProviderStrategy".into(), Value::Array(strategy));
        }
        (Some(_), _) => {
            props.insert("LaunchType".into(), json!("EC2"));
        }
        (None, Some(strategy)) => {
            props.insert("CapacityProviderStrategy".into(), strategy.clone());
        }
        (None, None) if cluster_default => {}
        (None, None) => {
            props.insert("LaunchType".into(), json!("FARGATE"));
        }
    }
    if let Some(ec2) = &plan.ec2 {
        if !ec2.constraints.is_empty() {
            props.insert("PlacementConstraints".into(), json!(ec2.constraints));
        }
        if !ec2.strategies.is_empty() {
            props.insert("PlacementStrategies".into(), json!(ec2.strategies));
        }
    }
    props.insert(
        "DeploymentConfiguration".into(),
        object! {
            "MinimumHealthyPercent": plan.deployment_percents.0,
            "MaximumPercent": plan.deployment_percents.1,
            "DeploymentCircuitBreaker": object! { "Enable": true, "Rollback": plan.rollback },
        },
    );
    props.insert(
        "NetworkConfiguration".into(),
        object! {
            "AwsvpcConfiguration": object! {
                "AssignPublicIp": public_ip,
                "SecurityGroups": groups,
                "Subnets": subnets,
            },
        },
    );
    if let Some(registry) = registry {
        props.insert("ServiceRegistries".into(), Value::Array(vec![registry]));
    }
    if plan.exec {
        props.insert("EnableExecuteCommand".into(), json!(true));
    }
    props.insert("EnableECSManagedTags".into(), json!(true));
    props.insert("PropagateTags".into(), json!("SERVICE"));
    let id = stack.add_resource(
        SERVICE,
        Resource::new("AWS::ECS::Service", Value::Object(props)),
    );
    if plan.ec2.as_ref().is_some_and(|e| e.provider) {
        // The provider is usable once associated with the cluster.
        stack.depends_on_export(&id, EC2_CAPACITY_ASSOCIATIONS);
    }
    id
}

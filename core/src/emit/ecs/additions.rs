//! Writes what linked x-resources add ([`crate::stack::links::Links`]) into a family stack, right
//! after the family's own resources: one task role policy per linked resource, the env vars and
//! secrets on the containers, execution role policies, step scaling (creating the family's
//! scalable target when x-scaling did not), no ECS service when a rule only runs the task, and
//! the load balancer attachments. The family's resources are found by the naming contract's
//! logical ids.

use serde_json::{json, Map, Value};

use crate::cfn::{get_att, sub_with, Resource};
use crate::compose::model::Service;
use crate::diagnostic::{Diagnostic, Severity};
use crate::stack::family::{
    container_name, EXECUTION_ROLE, SCALABLE_TARGET, SECURITY_GROUP, SERVICE, TASK_DEFINITION,
    TASK_ROLE,
};
use crate::stack::links::{emit_step_scaling, Attachment, FamilyLinks, INVALID};
use crate::stack::{Stack, CLUSTER_NAME};

/// Writes what the linked x-resources add to family `family` (compose services `services`)
/// into its stack.
pub fn apply_family(
    family: &str,
    services: &[&Service],
    family_links: &FamilyLinks,
    stack: &mut Stack,
    diags: &mut Vec<Diagnostic>,
) {
    add_policies(stack, TASK_ROLE, family_links.policies_json());
    super::firelens::resolve(stack, &family_links.log_destinations);
    for service in services {
        add_environment(
            stack,
            &container_name(&service.name),
            family_links.environment_for(&service.name),
        );
        add_secrets(
            stack,
            &container_name(&service.name),
            family_links.secrets_for(&service.name),
        );
    }
    add_policies(
        stack,
        EXECUTION_ROLE,
        family_links.execution.iter().map(|p| p.to_json()),
    );
    if family_links.no_service {
        // Last: what the links added stays imported; what only the service used does not.
        drop_service(stack);
    } else if !family_links.scaling.is_empty() {
        add_scaling(stack, family, family_links, diags);
    }
}

/// Resource `id` of the family naming contract, when the family stack has it.
fn family_resource(stack: &Stack, id: &str) -> Option<String> {
    stack
        .template
        .resources
        .contains_key(id)
        .then(|| id.to_string())
}

/// The definitions of container `name` in the stack's task definition.
fn container_definitions_named<'s>(
    stack: &'s mut Stack,
    name: &'s str,
) -> impl Iterator<Item = &'s mut serde_json::Map<String, Value>> {
    let id = family_resource(stack, TASK_DEFINITION);
    id.and_then(|id| stack.template.resources.get_mut(&id))
        .and_then(|task| task.properties.get_mut("ContainerDefinitions"))
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter(move |c| c.get("Name").and_then(Value::as_str) == Some(name))
        .filter_map(Value::as_object_mut)
}

/// Adds `vars` to container `name`, leaving variables the service sets itself as they are.
fn add_environment(stack: &mut Stack, name: &str, vars: Vec<(String, Value)>) {
    if vars.is_empty() {
        return;
    }
    for def in container_definitions_named(stack, name) {
        let env = def
            .entry("Environment")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(env) = env {
            for (var, value) in &vars {
                let set = env
                    .iter()
                    .any(|e| e.get("Name").and_then(Value::as_str) == Some(var.as_str()));
                if !set {
                    env.push(json!({"Name": var, "Value": value}));
                }
            }
            env.sort_by(|a, b| {
                a.get("Name")
                    .and_then(Value::as_str)
                    .cmp(&b.get("Name").and_then(Value::as_str))
            });
        }
    }
}

fn add_scaling(stack: &mut Stack, family: &str, links: &FamilyLinks, diags: &mut Vec<Diagnostic>) {
    let most = links.max_step_count().unwrap_or(1);
    let target = match family_resource(stack, SCALABLE_TARGET) {
        Some(id) => {
            if let Some(t) = stack.template.resources.get_mut(&id) {
                let max = t
                    .properties
                    .get("MaxCapacity")
                    .and_then(Value::as_u64)
                    .unwrap_or(0);
                if max < most {
                    t.properties.insert("MaxCapacity".into(), json!(most));
                    diags.push(
                        Diagnostic::new(Severity::Info, INVALID, format!("family {family}: x-scaling's maximum ({max}) raised to {most}, the largest count of its queue scaling steps"))
                            .with_help("raise x-scaling.Range, or lower the steps' Count"),
                    );
                }
            }
            id
        }
        None => {
            let Some(service) = family_resource(stack, SERVICE) else {
                return;
            };
            let least = links
                .scaling
                .iter()
                .flat_map(|s| s.steps.iter().map(|st| st.2))
                .min()
                .unwrap_or(0);
            let mut vars = Map::new();
            vars.insert("Cluster".into(), stack.import(CLUSTER_NAME));
            vars.insert("ServiceName".into(), get_att(&service, "Name"));
            let target = Resource::new(
                "AWS::ApplicationAutoScaling::ScalableTarget",
                json!({
                    "MinCapacity": least,
                    "MaxCapacity": most,
                    "ResourceId": sub_with("service/${Cluster}/${ServiceName}", vars),
                    "ScalableDimension": "ecs:service:DesiredCount",
                    "ServiceNamespace": "ecs",
                }),
            );
            stack.add_resource("ScalableTarget", target)
        }
    };
    emit_step_scaling(stack, &target, &links.scaling);
}

/// Adds container secrets `vars` (`{Name, ValueFrom}`) to container `name`, leaving names the
/// container already has (from its env or compose secrets) as they are.
fn add_secrets(stack: &mut Stack, name: &str, vars: Vec<(String, Value)>) {
    if vars.is_empty() {
        return;
    }
    for def in container_definitions_named(stack, name) {
        let taken: Vec<String> = ["Environment", "Secrets"]
            .iter()
            .filter_map(|k| def.get(*k).and_then(Value::as_array))
            .flatten()
            .filter_map(|e| e.get("Name").and_then(Value::as_str).map(str::to_string))
            .collect();
        let secrets = def
            .entry("Secrets")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(secrets) = secrets {
            for (var, value_from) in &vars {
                if !taken.contains(var) {
                    secrets.push(json!({"Name": var, "ValueFrom": value_from}));
                }
            }
            secrets.sort_by(|a, b| {
                a.get("Name")
                    .and_then(Value::as_str)
                    .cmp(&b.get("Name").and_then(Value::as_str))
            });
        }
    }
}

/// Removes the family's ECS service and every resource that refers to it, directly or through
/// another removed resource (its scalable target, scaling policies and their alarms).
fn drop_service(stack: &mut Stack) {
    let Some(service) = family_resource(stack, SERVICE) else {
        return;
    };
    let mut removed = vec![service];
    loop {
        let more: Vec<String> = stack
            .template
            .resources
            .iter()
            .filter(|(id, _)| !removed.contains(id))
            .filter(|(_, r)| {
                let text = serde_json::to_string(&r.properties).unwrap_or_default();
                removed.iter().any(|gone| refers_to(&text, gone))
                    || r.depends_on.iter().any(|d| removed.contains(d))
            })
            .map(|(id, _)| id.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        removed.extend(more);
    }
    for id in &removed {
        stack.template.resources.shift_remove(id);
    }
    // Values only the removed resources used (the cluster name, the subnets) are not imported.
    let text = serde_json::to_string(&stack.template.to_value()).unwrap_or_default();
    let unused: Vec<String> = stack
        .imports()
        .filter(|name| !refers_to(&text, name))
        .map(str::to_string)
        .collect();
    for name in unused {
        stack.forget_import(&name);
    }
}

/// True when JSON `text` holds `Ref`, `Fn::GetAtt` or a `Fn::Sub` variable naming `id`.
fn refers_to(text: &str, id: &str) -> bool {
    text.contains(&format!("{{\"Ref\":\"{id}\"}}"))
        || text.contains(&format!("{{\"Fn::GetAtt\":[\"{id}\","))
        || text.contains(&format!("${{{id}}}"))
        || text.contains(&format!("${{{id}."))
}

/// Appends `policies` to the `Policies` of role `role` (the family's task or execution role).
fn add_policies(stack: &mut Stack, role: &str, policies: impl IntoIterator<Item = Value>) {
    let mut policies = policies.into_iter().peekable();
    if policies.peek().is_none() {
        return;
    }
    let Some(role) = stack.template.resources.get_mut(role) else {
        return;
    };
    let entry = role
        .properties
        .entry("Policies")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = entry {
        list.extend(policies);
    }
}

/// Attaches the family's ECS service (its `Service`, unless dropped) to its load balancers.
pub fn attach_load_balancers(attachments: &[&Attachment], stack: &mut Stack) {
    if stack.template.resources.contains_key(SERVICE) {
        attach(attachments, stack, SERVICE, SECURITY_GROUP);
    }
}

/// Attaches the ECS service `service_id` of a family stack to its load balancers: adds
/// `LoadBalancers` entries, opens the family security group `security_group_id` to each load
/// balancer's security group on the container port, and orders the service after the
/// listeners/rules that use its target groups. `attachments` are those of this family.
fn attach(
    attachments: &[&Attachment],
    stack: &mut Stack,
    service_id: &str,
    security_group_id: &str,
) {
    let mut entries = Vec::new();
    let mut opened: Vec<(String, u16, &str)> = Vec::new();
    for attachment in attachments {
        let target_group = stack.import(&attachment.target_group);
        entries.push(json!({
            "ContainerName": attachment.container,
            "ContainerPort": attachment.port,
            "TargetGroupArn": target_group,
        }));
        let ports = [(attachment.port, attachment.ip_protocol)]
            .into_iter()
            .chain(attachment.health_check_port.map(|p| (p, "tcp")));
        for (port, ip_protocol) in ports {
            let key = (attachment.security_group.clone(), port, ip_protocol);
            if opened.contains(&key) {
                continue;
            }
            let source = stack.import(&attachment.security_group);
            stack.add_resource(
                &format!("from {} to {port} {ip_protocol}", attachment.load_balancer),
                Resource::new(
                    "AWS::EC2::SecurityGroupIngress",
                    json!({
                        "GroupId": get_att(security_group_id, "GroupId"),
                        "SourceSecurityGroupId": source,
                        "IpProtocol": ip_protocol,
                        "FromPort": port,
                        "ToPort": port,
                        "Description": format!("From load balancer {} to port {port}", attachment.load_balancer),
                    }),
                ),
            );
            opened.push(key);
        }
        for export in &attachment.attached_by {
            stack.depends_on_export(service_id, export);
        }
    }
    if let Some(service) = stack.template.resources.get_mut(service_id) {
        let list = service
            .properties
            .entry("LoadBalancers")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = list {
            items.extend(entries);
        }
    }
}

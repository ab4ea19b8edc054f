//! x-elbv2: application and network load balancers in front of the ECS services (ComposeX 1.x
//! syntax), and the minimal x-acm certificates their HTTPS/TLS listeners use.
//!
//! ```yaml
//! x-elbv2:
//!   public-alb:
//!     Properties: {Scheme: internet-facing, Type: application}
//!     MacroParameters: {Ingress: {ExtSources: [{IPv4: 0.0.0.0/0, Description: ANY}]}}
//!     Listeners:
//!       80: {Protocol: HTTP, Targets: [{name: app01:app01, access: /}]}
//!     Services:
//!       app01:app01: {port: 5000, protocol: HTTP, healthcheck: "5000:HTTP:/:200"}
//! ```
//!
//! Emits stack `elbv2` (load balancer, security group, target groups with `TargetType: ip`,
//! listeners, rules, extra certificates) and stack `acm`; each load balancer's DNS name is a root
//! output. The family stacks attach their ECS services with [`attach`], using the
//! [`Attachment`]s [`emit`] returns.

pub mod acm;
pub mod codes;
pub mod healthcheck;
mod json;
pub mod syntax;
pub mod template;
pub mod validate;

use serde_json::{json, Value};

use crate::cfn::{get_att, logical_id, Output, Resource};
use crate::compose::Project;
use crate::diagnostic::Diagnostic;
use crate::emit::{Stack, Stacks};

/// Name of the load balancers stack (`elbv2.yaml`).
pub const STACK: &str = "elbv2";

/// One container port behind one load balancer: what the family stack adds to its ECS service.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// The load balancer's name under `x-elbv2`.
    pub load_balancer: String,
    /// The family whose ECS service is attached.
    pub family: String,
    /// `LoadBalancers[].ContainerName`.
    pub container: String,
    /// `LoadBalancers[].ContainerPort`, also the port the family security group opens.
    pub port: u16,
    /// `tcp` or `udp`.
    pub ip_protocol: &'static str,
    /// Export holding the target group ARN.
    pub target_group: String,
    /// Export holding the load balancer's security group id.
    pub security_group: String,
    /// Exports of the listeners and rules that attach the target group: the ECS service must
    /// start after them (ECS rejects a target group no listener uses).
    pub attached_by: Vec<String>,
}

/// Reads, checks and writes every `x-elbv2` load balancer (and `x-acm` certificate) of
/// `project`; returns the attachments for the family stacks.
pub fn emit(
    project: &Project,
    stacks: &mut Stacks,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Attachment> {
    let certificates = acm::read(project.extension("x-acm"), diagnostics);
    let certificate_names: Vec<String> = certificates.iter().map(|c| c.name.clone()).collect();
    let mut attachments = Vec::new();
    let mut dns_outputs = Vec::new();
    if let Some(node) = project.extension("x-elbv2") {
        match node.as_map() {
            Some(map) => {
                for (name, key_span, value) in &map.entries {
                    let mut reader = syntax::Reader { diagnostics };
                    let Some(lb) = reader.load_balancer(name, *key_span, value) else {
                        continue;
                    };
                    let Some(plan) = validate::plan(&lb, project, &certificate_names, diagnostics)
                    else {
                        continue;
                    };
                    let stack = stacks.stack(STACK);
                    attachments.extend(template::write(&lb, &plan, stack, diagnostics));
                    dns_outputs.push(lb.name.clone());
                }
            }
            None if node.is_null() => {}
            None => diagnostics.push(Diagnostic::error(
                codes::SHAPE,
                format!(
                    "x-elbv2 must be a mapping of load balancers, found {}",
                    node.kind_name()
                ),
                node.span,
            )),
        }
    }
    acm::write(&certificates, stacks);
    for name in dns_outputs {
        let root = stacks.root();
        let value = root.import(&template::dns_export(&name));
        root.add_output(
            &template::dns_export(&name),
            Output::new(value).with_description(format!("DNS name of load balancer {name}")),
        );
    }
    attachments
}

/// Attaches the ECS service `service_id` of a family stack to its load balancers: adds
/// `LoadBalancers` entries, opens the family security group `security_group_id` to each load
/// balancer's security group on the container port, and orders the service after the
/// listeners/rules that use its target groups. `attachments` are those of this family.
pub fn attach(
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
        let key = (
            attachment.security_group.clone(),
            attachment.port,
            attachment.ip_protocol,
        );
        if !opened.contains(&key) {
            let source = stack.import(&attachment.security_group);
            stack.add_resource(
                &format!("from {} to {} {}", attachment.load_balancer, attachment.port, attachment.ip_protocol),
                Resource::new(
                    "AWS::EC2::SecurityGroupIngress",
                    json!({
                        "GroupId": get_att(security_group_id, "GroupId"),
                        "SourceSecurityGroupId": source,
                        "IpProtocol": attachment.ip_protocol,
                        "FromPort": attachment.port,
                        "ToPort": attachment.port,
                        "Description": format!("From load balancer {} to {}:{}", attachment.load_balancer, attachment.container, attachment.port),
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

/// The logical id the load balancer `name` gets in the `elbv2` stack.
pub fn load_balancer_id(name: &str) -> String {
    logical_id(name)
}

#[cfg(test)]
mod tests;

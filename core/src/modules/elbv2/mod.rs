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
//! listeners, rules, extra certificates, `DnsAliases` records) and stack `acm` (new certificates;
//! looked-up ones and x-route53 zones are root parameters); each load balancer's DNS name is a
//! root output `<Lb>DnsName`. The family stacks attach their ECS services with [`attach`], using
//! the [`Attachment`]s [`emit`] returns. Exports are named `Elbv2*`, `Acm*`, `Route53*`.
//!
//! Not supported yet (a located CX351 error each): `TargetGroups`, `Lookup` of an existing load
//! balancer, Cognito authentication.

pub mod acm;
pub mod codes;
pub mod healthcheck;
mod json;
pub mod route53;
pub mod syntax;
pub mod template;
pub mod validate;

use serde_json::{json, Value};

use crate::cfn::{get_att, Output, Resource};
use crate::compose::Project;
use crate::diagnostic::Diagnostic;
use crate::stack::family::{SECURITY_GROUP as SECURITY_GROUP_ID, SERVICE as SERVICE_ID};
use crate::stack::{Stack, Stacks};

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
    /// The health check port when it is not `port` (the family security group opens it too).
    pub health_check_port: Option<u16>,
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
    let zones = route53::read(project.extension("x-route53"), diagnostics);
    let (certificates, failed_certificates) =
        acm::read(project.extension("x-acm"), &zones, diagnostics);
    let certificate_names: Vec<String> = certificates.iter().map(|c| c.name.clone()).collect();
    let mut attachments = Vec::new();
    let mut dns_outputs = Vec::new();
    for (stack, key) in [(STACK, "x-elbv2"), (acm::STACK, "x-acm")] {
        if let Some(node) = project.extension(key).filter(|_| stacks.contains(stack)) {
            diagnostics.push(
                Diagnostic::error(
                    codes::SHAPE,
                    format!("a task family is named `{stack}`, the name of the {key} stack"),
                    node.span,
                )
                .with_help("rename that service or set another `ecs.task.family` label"),
            );
            return Vec::new();
        }
    }
    if let Some(node) = project.extension("x-elbv2") {
        match node.as_map() {
            Some(map) => {
                for (name, key_span, value) in &map.entries {
                    let mut reader = syntax::Reader { diagnostics };
                    let Some(lb) = reader.load_balancer(name, *key_span, value) else {
                        continue;
                    };
                    let Some(plan) = validate::plan(
                        &lb,
                        project,
                        &certificate_names,
                        &failed_certificates,
                        &zones,
                        diagnostics,
                    ) else {
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
    route53::write(&zones, stacks);
    for name in dns_outputs {
        let root = stacks.root();
        let value = root.import(&template::dns_export(&name));
        root.add_output(
            &template::dns_output(&name),
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

/// For other modules' references (e.g. x-alarms dimensions, as in ComposeX): the export holding
/// what `x-elbv2::<lb>` (the load balancer's full name) or `x-elbv2::<lb>::<family>::<port>` (the
/// full name of the target group of that family and container port) stands for. `Err` says why
/// the reference names nothing this project defines (checked against the `x-elbv2` keys and their
/// `Services`; the caller reports it at the reference). Import the export into the consuming
/// stack with [`Stack::import`].
pub fn reference_export(project: &Project, reference: &str) -> Result<String, String> {
    let parts: Vec<&str> = reference.split("::").collect();
    let (lb, target) = match parts.as_slice() {
        ["x-elbv2", lb] => (*lb, None),
        ["x-elbv2", lb, family, port] => match port.parse::<u16>() {
            Ok(p) => (*lb, Some((*family, p))),
            Err(_) => return Err(format!("`{port}` is not a port")),
        },
        _ => {
            return Err(
                "write x-elbv2::<load balancer> or x-elbv2::<load balancer>::<family>::<port>"
                    .into(),
            )
        }
    };
    let Some(definition) = project.extension("x-elbv2").and_then(|n| n.get(lb)) else {
        return Err(format!("no x-elbv2 load balancer named `{lb}`"));
    };
    if let Some((family, port)) = target {
        let services = definition
            .get("Services")
            .and_then(crate::yaml::Node::as_map);
        let found = services.is_some_and(|m| {
            m.entries.iter().any(|(key, _, entry)| {
                let entry_port = entry
                    .get("port")
                    .and_then(|p| p.as_scalar())
                    .and_then(|p| p.text.parse::<u16>().ok());
                syntax::split_target(key).is_ok_and(|(f, _, key_port)| {
                    f == family && entry_port.or(key_port) == Some(port)
                })
            })
        });
        if !found {
            return Err(format!(
                "`{lb}` has no target group for {family} port {port}"
            ));
        }
    }
    Ok(template::full_name_export(lb, target))
}

/// Attaches every family's ECS service (`stack::family::SERVICE` in the family's stack) to its load
/// balancers; families without a stack (not emitted because of errors) are skipped.
pub fn attach_families(attachments: &[Attachment], stacks: &mut Stacks) {
    let mut families: Vec<&str> = Vec::new();
    for a in attachments {
        if !families.contains(&a.family.as_str()) {
            families.push(&a.family);
        }
    }
    for family in families {
        if !stacks.contains(family) {
            continue;
        }
        let mine: Vec<&Attachment> = attachments.iter().filter(|a| a.family == family).collect();
        let stack = stacks.stack(family);
        if stack.template.resources.contains_key(SERVICE_ID) {
            attach(&mine, stack, SERVICE_ID, SECURITY_GROUP_ID);
        }
    }
}

#[cfg(test)]
mod tests;

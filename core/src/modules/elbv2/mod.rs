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
//! root output `<Lb>DnsName`. The family emitter attaches the ECS services when it writes the
//! family stacks, from the [`Attachment`]s [`emit`] returns. Exports are named `Elbv2*`, `Acm*`, `Route53*`.
//!
//! `Lookup` of an existing load balancer adds target groups, listener rules (on its looked-up
//! listeners) and listeners to it: its ARN, security group and listener ARNs are root
//! parameters ([`existing`]).
//! Authentication (`AuthenticateCognitoConfig` with x-cognito_userpool references,
//! `CreateCognitoClient`, `AuthenticateOidcConfig`) is read in `syntax/auth.rs` and filled in
//! by [`cognito::resolve`].
//! `TargetGroups` (named target groups, several services each) are read like `Services`
//! entries; every one a listener uses is attached.

pub mod acm;
pub mod codes;
pub mod cognito;
pub mod existing;
pub mod healthcheck;
mod json;
mod listener;
pub mod route53;
pub mod syntax;
pub mod template;
pub mod validate;

use crate::cfn::Output;
use crate::compose::Project;
use crate::diagnostic::Diagnostic;
use crate::stack::Stacks;

pub use crate::stack::links::Attachment;

/// Name of the load balancers stack (`elbv2.yaml`).
pub const STACK: &str = crate::stack::family::LOAD_BALANCERS_STACK;

/// Reads, checks and writes every `x-elbv2` load balancer (and `x-acm` certificate) of
/// `project`; returns the attachments for the family stacks.
pub fn emit(
    project: &Project,
    stacks: &mut Stacks,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Attachment> {
    // Broken zones are reported once, by the x-route53 module's check.
    let zones = route53::Zones::of(project);
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
                    let Some(mut lb) = reader.load_balancer(name, *key_span, value) else {
                        continue;
                    };
                    // Before the plan, which copies the targets. On an error nothing is
                    // written out, so what `resolve` added stays unseen.
                    if !cognito::resolve(&mut lb, project, stacks, diagnostics) {
                        continue;
                    }
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
                    existing::declare(&lb, stacks);
                    let stack = stacks.stack(STACK);
                    attachments.extend(template::write(&lb, &plan, stack, diagnostics));
                    if lb.existing.is_none() {
                        dns_outputs.push(lb.name.clone());
                    }
                    stacks.note_origin(key_span.cover(value.span));
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
    note_key_origin(project, "x-acm", stacks);
    route53::write(&zones.usable, stacks);
    note_key_origin(project, "x-route53", stacks);
    for name in dns_outputs {
        let root = stacks.root();
        let value = root.import(&template::dns_export(&name));
        root.add_output(
            &template::dns_output(&name),
            Output::new(value).with_description(format!("DNS name of load balancer {name}")),
        );
    }
    note_key_origin(project, "x-elbv2", stacks);
    attachments
}

/// The source map: what was added without a finer origin came from top-level key `key`.
fn note_key_origin(project: &Project, key: &str, stacks: &mut Stacks) {
    if let Some(node) = project.extension(key) {
        stacks.note_origin(node.span);
    }
}

/// For other modules' references (e.g. x-alarms dimensions, as in ComposeX): the export holding
/// what `x-elbv2::<lb>` (the load balancer's full name) or `x-elbv2::<lb>::<family>::<port>` (the
/// full name of the target group of that family and container port) stands for. `Err` says why
/// the reference names nothing this project defines (checked against the `x-elbv2` keys and their
/// `Services`; the caller reports it at the reference). Import the export into the consuming
/// stack with [`crate::stack::Stack::import`].
pub fn reference_export(project: &Project, reference: &str) -> Result<String, String> {
    let parts: Vec<&str> = reference.split("::").collect();
    let (lb, target) = match parts.as_slice() {
        ["x-elbv2", lb] => (*lb, None),
        ["x-elbv2", lb, group] => return target_group_export(project, lb, group),
        ["x-elbv2", lb, family, port] => match port.parse::<u16>() {
            Ok(p) => (*lb, Some((*family, p))),
            Err(_) => return Err(format!("`{port}` is not a port")),
        },
        _ => {
            return Err(
                "write x-elbv2::<load balancer>, x-elbv2::<load balancer>::<target group> \
                 or x-elbv2::<load balancer>::<family>::<port>"
                    .into(),
            )
        }
    };
    let Some(definition) = project.extension("x-elbv2").and_then(|n| n.get(lb)) else {
        return Err(format!("no x-elbv2 load balancer named `{lb}`"));
    };
    if target.is_none() && definition.get("Lookup").is_some() {
        return Err(format!(
            "`{lb}` is looked up: composex does not know its full name (write the dimension's value)"
        ));
    }
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

#[cfg(test)]
mod target_group_tests;
/// The full name export of `TargetGroups` entry `group` of load balancer `lb`.
fn target_group_export(project: &Project, lb: &str, group: &str) -> Result<String, String> {
    let definition = project
        .extension("x-elbv2")
        .and_then(|n| n.get(lb))
        .ok_or_else(|| format!("no x-elbv2 load balancer named `{lb}`"))?;
    let entry = definition
        .get("TargetGroups")
        .and_then(|groups| groups.get(group))
        .ok_or_else(|| format!("`{lb}` has no target group named `{group}`"))?;
    let port = entry
        .get("Port")
        .and_then(crate::yaml::Node::integer)
        .and_then(|p| u16::try_from(p).ok())
        .or_else(|| {
            // As the reader does: the first service's port when `Port` is not written.
            entry
                .get("Services")
                .and_then(crate::yaml::Node::as_seq)
                .and_then(|s| s.first())
                .and_then(|m| m.get("Port"))
                .and_then(crate::yaml::Node::integer)
                .and_then(|p| u16::try_from(p).ok())
        })
        .ok_or_else(|| format!("target group `{group}` of `{lb}` has no port"))?;
    Ok(template::full_name_export(lb, Some((group, port))))
}

#[cfg(test)]
mod auth_tests;
#[cfg(test)]
mod lookup_tests;
#[cfg(test)]
pub(crate) mod tests;

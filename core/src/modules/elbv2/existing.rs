//! The root parameters of a looked-up load balancer (`Lookup`): its ARN, its security group and
//! the ARNs of its looked-up listeners. composex makes no AWS call, so each is filled from what
//! the file says (`Arn`, `SecurityGroupId`) or left to the user with a warning.

use super::syntax::LoadBalancer;
use super::template::{arn_export, listener_export, security_group_export};
use crate::cfn::Parameter;
use crate::diagnostic::Diagnostic;
use crate::stack::Stacks;

/// A value of an existing load balancer or listener is a parameter to fill at deploy time
/// (warning, given only when the parameter is used and nothing fills it).
pub const LOOKUP_PARAMETER: &str = "CX640";

/// Declares the root parameters of `lb` when it is looked up (the layout declares those some
/// stack imports).
pub fn declare(lb: &LoadBalancer, stacks: &mut Stacks) {
    let Some(existing) = &lb.existing else {
        return;
    };
    let found_by = existing
        .tags
        .as_ref()
        .map(|t| format!(" (tags {t})"))
        .unwrap_or_default();
    let mut values = vec![
        (
            arn_export(&lb.name),
            "String",
            format!("ARN of the existing load balancer {}{found_by}", lb.name),
            existing.arn.clone(),
            "loadbalancer.Arn",
        ),
        (
            security_group_export(&lb.name),
            "AWS::EC2::SecurityGroup::Id",
            format!("Security group of the existing load balancer {}", lb.name),
            existing.security_group.clone(),
            "loadbalancer.SecurityGroupId",
        ),
    ];
    for listener in &lb.listeners {
        let Some(found) = &listener.existing else {
            continue;
        };
        let tags = found
            .tags
            .as_ref()
            .map(|t| format!(" (tags {t})"))
            .unwrap_or_default();
        values.push((
            listener_export(&lb.name, listener.port),
            "String",
            format!(
                "ARN of the existing listener on port {} of {}{tags}",
                listener.port, lb.name
            ),
            found.arn.clone(),
            "Listeners.<port>.Arn",
        ));
    }
    for (name, type_, description, value, key) in values {
        stacks.root().export_parameter(
            &name,
            Parameter::new(type_).with_description(description.clone()),
        );
        match value {
            Some(value) => {
                stacks.known_values.insert(name, value);
            }
            None => {
                let warning = Diagnostic::warning(
                    LOOKUP_PARAMETER,
                    format!(
                        "x-elbv2.{} is looked up: composex makes no AWS call, parameter {name} ({description}) must be filled at deploy time",
                        lb.name
                    ),
                    existing.span,
                )
                .with_help(format!(
                    "write `Lookup.{key}`, or pass `--param {name}=...`, or fill it in the parameter files"
                ));
                stacks.unfilled_warnings.insert(name, warning);
            }
        }
    }
}

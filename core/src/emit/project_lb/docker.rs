//! Docker's ECS integration on the project load balancer: `x-aws-loadbalancer` (an existing
//! load balancer, by ARN), and the port keys `x-aws-protocol` and `x-aws-certificate`.

use super::{listeners, Published, STACK};
use crate::cfn::Parameter;
use crate::compose::model::{Port, Service};
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::links::Attachment;
use crate::stack::Stacks;

/// Docker's port keys `x-aws-protocol` / `x-aws-certificate` are malformed.
pub const PORT_KEYS: &str = "CX683";
/// Docker's `x-aws-loadbalancer` is not a load balancer ARN, does not fit the ports, or is not
/// used; or its security group is left to fill at deploy time.
pub const EXISTING_LB: &str = "CX682";
/// Root parameter holding the existing load balancer's ARN (`x-aws-loadbalancer`).
pub const EXISTING_LB_ARN: &str = "ExistingLoadBalancerArn";
/// Root parameter holding the existing load balancer's security group.
pub const EXISTING_LB_GROUP: &str = "ExistingLoadBalancerSecurityGroupId";
/// The TLS policy of HTTPS / TLS listeners (TLS 1.2 and 1.3 only).
pub const SSL_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/// Checks Docker's port keys; returns the port's certificate ARN (`x-aws-certificate`).
pub(super) fn port_keys(
    service: &Service,
    port: &Port,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    if let Some(n) = port.extensions.get("x-aws-protocol") {
        let ok = n.as_str().is_some_and(|p| {
            matches!(
                p.to_ascii_lowercase().as_str(),
                "http" | "https" | "tcp" | "udp"
            )
        });
        if !ok {
            diags.push(
                Diagnostic::error(
                    PORT_KEYS,
                    format!(
                        "services.{}: x-aws-protocol must be http, https, tcp or udp",
                        service.name
                    ),
                    n.span,
                )
                .with_help(
                    "`x-aws-protocol: http` makes the port HTTP (the same as `app_protocol: http`)",
                ),
            );
        }
    }
    let n = port.extensions.get("x-aws-certificate")?;
    match n
        .as_str()
        .filter(|a| a.starts_with("arn:") && a.contains(":acm:"))
    {
        Some(arn) => Some(arn.to_string()),
        None => {
            diags.push(
                Diagnostic::error(
                    PORT_KEYS,
                    format!("services.{}: x-aws-certificate must be the ARN of an ACM certificate", service.name),
                    n.span,
                )
                .with_help("e.g. `x-aws-certificate: arn:aws:acm:eu-west-1:123456789012:certificate/...`; to create one, describe the load balancer with x-elbv2 and x-acm"),
            );
            None
        }
    }
}

/// Docker's `x-aws-loadbalancer`: an existing load balancer, by ARN.
pub(super) struct Existing {
    arn: String,
    pub(super) application: bool,
}

/// Reads `x-aws-loadbalancer`; None (with an error) when it is not a load balancer ARN.
pub(super) fn existing(node: &crate::yaml::Node, diags: &mut Vec<Diagnostic>) -> Option<Existing> {
    let arn = node.as_str().unwrap_or_default();
    let application = if arn.contains(":loadbalancer/app/") {
        true
    } else if arn.contains(":loadbalancer/net/") {
        false
    } else {
        let help = if arn.is_empty() || arn.starts_with("arn:") {
            "give the ARN of an application or network load balancer (`arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>`)"
        } else {
            "composex does not call AWS, so it cannot look a load balancer up by name: give its ARN (`aws elbv2 describe-load-balancers --names <name>`)"
        };
        diags.push(
            Diagnostic::error(
                EXISTING_LB,
                "x-aws-loadbalancer must be the ARN of an application or network load balancer",
                node.span,
            )
            .with_help(help),
        );
        return None;
    };
    Some(Existing {
        arn: arn.to_string(),
        application,
    })
}

/// The published ports on an existing load balancer (`x-aws-loadbalancer`): its ARN and its
/// security group are root parameters; only listeners and target groups are made.
pub(super) fn on_existing(
    existing: &Existing,
    span: Span,
    ports: &[Published<'_>],
    certificates: &[Option<String>],
    stacks: &mut Stacks,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Attachment> {
    let root = stacks.root();
    root.export_parameter(
        EXISTING_LB_ARN,
        Parameter::string()
            .with_description("ARN of the existing load balancer (x-aws-loadbalancer)"),
    );
    root.export_parameter(
        EXISTING_LB_GROUP,
        Parameter::new("AWS::EC2::SecurityGroup::Id").with_description(
            "Security group of the existing load balancer: the tasks let it in on their ports",
        ),
    );
    stacks
        .known_values
        .insert(EXISTING_LB_ARN.to_string(), existing.arn.clone());
    stacks.unfilled_warnings.insert(
        EXISTING_LB_GROUP.to_string(),
        Diagnostic::warning(
            EXISTING_LB,
            format!("x-aws-loadbalancer: the load balancer's security group is not known; parameter {EXISTING_LB_GROUP} must be filled at deploy time"),
            span,
        )
        .with_help(format!("composex does not call AWS: pass `--param {EXISTING_LB_GROUP}=sg-...`, or fill it in the parameter files")),
    );
    let stack = stacks.stack(STACK);
    let arn = stack.import(EXISTING_LB_ARN);
    listeners(
        stack,
        &arn,
        EXISTING_LB_GROUP,
        existing.application,
        ports,
        certificates,
        diags,
    )
}

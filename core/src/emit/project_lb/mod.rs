//! Published ports reach the outside, as Docker's ECS integration made them: without `x-elbv2`,
//! the `ports:` of the services get one internet-facing load balancer for the project (an
//! application load balancer when every port is HTTP, on 80 or 443 or with
//! `app_protocol: http`, else a network load balancer), a listener per published port and a
//! target group per service and port, health checked from the compose healthcheck when it
//! fetches an HTTP URL on that port. The DNS name is the root output `LoadBalancerDnsName`.
//!
//! `x-elbv2` replaces it; `x-composex: {load_balancer: false}` turns it off. The family stacks
//! attach their ECS services with the same [`Attachment`]s `x-elbv2` uses.

mod docker;

use serde_json::{json, Map, Value};

use docker::{existing, on_existing, port_keys};
pub use docker::{EXISTING_LB, EXISTING_LB_ARN, EXISTING_LB_GROUP, PORT_KEYS, SSL_POLICY};

use super::ecs::{container_name, image_ports};
use crate::cfn::{get_att, ref_, Output, Resource};
use crate::compose::model::{Healthcheck, Port, Project, Service};
use crate::diagnostic::Diagnostic;
use crate::stack::family::LOAD_BALANCERS_STACK as STACK;
use crate::stack::links::Attachment;
use crate::stack::posture::{open_port_check, user_choice, PLAIN_HTTP_CHECKS};
use crate::stack::{Stacks, PUBLIC_SUBNETS, VPC_ID};

/// `x-composex` is malformed.
pub const X_COMPOSEX: &str = "CX386";
/// A published port the load balancer does not listen on: published on the loopback address
/// only, on a port already published (it listens once per port), or past its 50 listeners.
pub const PORT_TAKEN: &str = "CX387";
/// Listeners an application or network load balancer takes at most (an AWS quota).
pub const MAX_LISTENERS: usize = 50;
/// A database image publishes its port: the load balancer opens it to the internet.
pub const DATABASE_PUBLISHED: &str = "CX389";

/// The load balancer's name (logical id, root output `LoadBalancerDnsName`).
pub const LOAD_BALANCER: &str = "LoadBalancer";
/// Name of the root output holding the load balancer's DNS name.
pub const DNS_OUTPUT: &str = "LoadBalancerDnsName";
/// The application load balancer attribute that drops requests with invalid header fields
/// (HTTP desync protection), on by default.
pub const DROP_INVALID_HEADERS: &str = "routing.http.drop_invalid_header_fields.enabled";
/// Keys of `x-composex`.
pub const KEYS: &[&str] = &["load_balancer"];

/// One published port: who listens behind it.
struct Published<'a> {
    service: &'a Service,
    family: String,
    port: &'a Port,
    /// The port the load balancer listens on (the published port, else the target).
    listener: u16,
}

/// Whether the project load balancer is wanted (`x-composex.load_balancer`, default true).
fn enabled(project: &Project, diags: &mut Vec<Diagnostic>) -> bool {
    let Some(node) = project.extension("x-composex").filter(|n| !n.is_null()) else {
        return true;
    };
    // Its shape (a mapping with `load_balancer`) is checked by validation before any emitter runs.
    match node.get("load_balancer") {
        None => true,
        Some(n) => crate::stack::bool_option(n, X_COMPOSEX, "x-composex.load_balancer", diags)
            .unwrap_or(true),
    }
}

/// A port is HTTP when it says so (`app_protocol`, or Docker's `x-aws-protocol`), when it has a
/// certificate (`x-aws-certificate`), or, as Docker's ECS integration read it, when it is 80 or
/// 443.
fn is_http(port: &Port) -> bool {
    let said = port.app_protocol.clone().or_else(|| {
        port.extensions
            .get("x-aws-protocol")?
            .as_str()
            .map(str::to_string)
    });
    match said {
        Some(p) => matches!(p.to_ascii_lowercase().as_str(), "http" | "https"),
        None if port.extensions.contains_key("x-aws-certificate") => true,
        None => port.protocol == "tcp" && matches!(port.target, 80 | 443),
    }
}

/// The published ports of the services that run, each listener port once.
fn published<'a>(
    project: &'a Project,
    serving: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Published<'a>> {
    let mut found: Vec<Published<'a>> = Vec::new();
    // A set: searching the list once per service was quadratic in the number of services.
    let serving: std::collections::BTreeSet<&str> = serving.iter().copied().collect();
    for service in project.services.values() {
        // A service in several families is published through the first one's ECS service.
        let Some(family) = service
            .families()
            .into_iter()
            .find(|f| serving.contains(f.as_str()))
        else {
            continue;
        };
        for port in service.ports.iter().filter(|p| p.protocol != "sctp") {
            let listener = port
                .published
                .as_deref()
                .and_then(|p| p.parse::<u16>().ok())
                .filter(|p| *p > 0)
                .unwrap_or(port.target);
            if port
                .host_ip
                .as_deref()
                .is_some_and(|ip| ip.starts_with("127.") || ip == "::1")
            {
                diags.push(
                    Diagnostic::info(
                        PORT_TAKEN,
                        format!(
                            "services.{}: port {listener} is published on {} only; the load balancer does not listen on it",
                            service.name,
                            port.host_ip.as_deref().unwrap_or_default()
                        ),
                        port.span,
                    )
                    .with_help("other services still reach it by name; drop the address to publish it"),
                );
                continue;
            }
            // One listener per port, whatever the protocol.
            let taken = found.iter().find(|f| f.listener == listener);
            if let Some(first) = taken {
                diags.push(
                    Diagnostic::warning(
                        PORT_TAKEN,
                        format!(
                            "services.{}: port {listener} is already published by {}; the load balancer listens on it once, for {}",
                            service.name, first.service.name, first.service.name
                        ),
                        port.span,
                    )
                    .with_label(first.port.span, "published here first")
                    .with_help("publish another port (`8081:80`), or describe the routing with x-elbv2"),
                );
                continue;
            }
            if found.len() == MAX_LISTENERS {
                diags.push(
                    Diagnostic::warning(
                        PORT_TAKEN,
                        format!(
                            "services.{}: port {listener} is not published: the project's load balancer already has {MAX_LISTENERS} listeners, the most AWS allows",
                            service.name
                        ),
                        port.span,
                    )
                    .with_help("publish fewer ports (other services reach them by name without `ports:`), or describe load balancers with x-elbv2"),
                );
                continue;
            }
            let image = service.image.as_ref().map(|i| i.value.as_str());
            if image.and_then(image_ports::default_port) == Some(port.target) {
                diags.push(
                    Diagnostic::warning(
                        DATABASE_PUBLISHED,
                        format!(
                            "services.{}: publishing port {} puts it on the project's internet-facing load balancer",
                            service.name, port.target
                        ),
                        port.span,
                    )
                    .with_help(format!(
                        "other services reach it as {}:{} without `ports:`; remove it, or write `expose: [\"{}\"]`",
                        service.name, port.target, port.target
                    )),
                );
            }
            found.push(Published {
                service,
                family: family.clone(),
                port,
                listener,
            });
        }
    }
    found
}

/// Target group health check settings from a compose healthcheck that fetches
/// `http://localhost[:port]/path` (curl, wget) on `port`.
fn health_check(check: Option<&Healthcheck>, port: u16) -> Map<String, Value> {
    let mut settings = Map::new();
    let Some(check) = check.filter(|c| !c.disable) else {
        return settings;
    };
    let url = check
        .test
        .iter()
        .flat_map(|part| part.split_whitespace())
        .map(|word| word.trim_matches(|c| c == '"' || c == '\''))
        .find_map(|word| word.strip_prefix("http://"));
    let Some(rest) = url else {
        return settings;
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, url_port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().ok()),
        None => (authority, Some(80)),
    };
    let local = matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]");
    if !local || url_port != Some(port) {
        return settings;
    }
    settings.insert("HealthCheckProtocol".into(), json!("HTTP"));
    settings.insert("HealthCheckPath".into(), json!(path));
    // `curl -f` and `wget` fail on 4xx and 5xx.
    settings.insert("Matcher".into(), json!({ "HttpCode": "200-399" }));
    let interval = check
        .interval
        .map_or(30, |d| d.as_secs_ceil().clamp(5, 300));
    settings.insert("HealthCheckIntervalSeconds".into(), json!(interval));
    if let Some(timeout) = check.timeout {
        let timeout = timeout
            .as_secs_ceil()
            .clamp(2, 120)
            .min(interval.saturating_sub(1));
        settings.insert("HealthCheckTimeoutSeconds".into(), json!(timeout));
    }
    if let Some(retries) = check.retries {
        settings.insert(
            "UnhealthyThresholdCount".into(),
            json!(retries.clamp(2, 10)),
        );
    }
    settings
}

/// Writes the project load balancer when published ports need one; returns the attachments.
pub fn emit(
    project: &Project,
    serving: &[&str],
    stacks: &mut Stacks,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Attachment> {
    let aws_lb = project.extension("x-aws-loadbalancer");
    if let (Some(node), Some(elbv2)) = (aws_lb, project.extension("x-elbv2")) {
        diags.push(
            Diagnostic::error(EXISTING_LB, "x-aws-loadbalancer and x-elbv2 both describe the load balancer", node.span)
                .with_label(elbv2.span, "x-elbv2 is here")
                .with_help("keep one: x-aws-loadbalancer puts the published ports on an existing load balancer, x-elbv2 describes new ones"),
        );
        return Vec::new();
    }
    if project.extension("x-elbv2").is_some() || !enabled(project, diags) {
        if let Some(node) = aws_lb {
            diags.push(Diagnostic::warning(
                EXISTING_LB,
                "x-aws-loadbalancer is not used: `x-composex.load_balancer` is false",
                node.span,
            ));
        }
        return Vec::new();
    }
    let existing = match aws_lb {
        Some(node) => match existing(node, diags) {
            Some(e) => Some((e, node.span)),
            None => return Vec::new(),
        },
        None => None,
    };
    let ports = published(project, serving, diags);
    if ports.is_empty() {
        if let Some((_, span)) = existing {
            diags.push(
                Diagnostic::warning(
                    EXISTING_LB,
                    "x-aws-loadbalancer is not used: no service publishes a port",
                    span,
                )
                .with_help("publish a port (`ports: [\"80:80\"]`) to put it on the load balancer"),
            );
        }
        return Vec::new();
    }
    let certificates: Vec<Option<String>> = ports
        .iter()
        .map(|p| port_keys(p.service, p.port, diags))
        .collect();
    let all_http = ports.iter().all(|p| is_http(p.port));
    let application = existing.as_ref().map_or(all_http, |(e, _)| e.application);
    if let (Some((_, span)), false) = (&existing, all_http || !application) {
        let other = ports.iter().find(|p| !is_http(p.port)).map(|p| p.port.span);
        let mut d = Diagnostic::error(
            EXISTING_LB,
            "x-aws-loadbalancer is an application load balancer, but a published port is not HTTP",
            *span,
        )
        .with_help("give a network load balancer's ARN, or mark the port `x-aws-protocol: http` if it serves HTTP");
        if let Some(other) = other {
            d = d.with_label(other, "not HTTP");
        }
        diags.push(d);
        return Vec::new();
    }
    if let Some((e, span)) = &existing {
        return on_existing(e, *span, &ports, &certificates, stacks, diags);
    }
    let stack = stacks.stack(STACK);
    let vpc = stack.import(VPC_ID);
    let subnets = stack.import(PUBLIC_SUBNETS);
    let ingress: Vec<Value> = ports
        .iter()
        .map(|p| {
            json!({
                "IpProtocol": p.port.protocol,
                "FromPort": p.listener,
                "ToPort": p.listener,
                "CidrIp": "0.0.0.0/0",
                "Description": format!("anyone to port {}/{}", p.listener, p.port.protocol),
            })
        })
        .collect();
    let mut group = Resource::new(
        "AWS::EC2::SecurityGroup",
        json!({
            "GroupDescription": "load balancer of the project (published ports)",
            "VpcId": vpc,
            "SecurityGroupIngress": ingress,
        }),
    );
    for p in &ports {
        if let Some(check) = open_port_check(p.listener) {
            let reason = format!(
                "services.{}.ports publishes port {} on the internet-facing load balancer: its security group admits anyone on that port",
                p.service.name, p.listener
            );
            user_choice(&mut group, &[check], &reason, p.port.span, diags);
        }
    }
    let group = stack.add_resource(&format!("{LOAD_BALANCER}SecurityGroup"), group);
    let mut props = json!({
        "Type": if application { "application" } else { "network" },
        "Scheme": "internet-facing",
        "Subnets": subnets,
        "SecurityGroups": [get_att(&group, "GroupId")],
    });
    props["LoadBalancerAttributes"] = if application {
        json!([{ "Key": DROP_INVALID_HEADERS, "Value": "true" }])
    } else {
        json!([{ "Key": "load_balancing.cross_zone.enabled", "Value": "true" }])
    };
    let lb = stack.add_resource(
        LOAD_BALANCER,
        Resource::new("AWS::ElasticLoadBalancingV2::LoadBalancer", props),
    );
    let group_export = format!("ProjectLb{group}Id");
    stack.export(
        &group_export,
        get_att(&group, "GroupId"),
        "AWS::EC2::SecurityGroup::Id",
        "Security group of the project's load balancer",
    );
    let dns_export = format!("ProjectLb{lb}DnsName");
    stack.export(
        &dns_export,
        get_att(&lb, "DNSName"),
        "String",
        "DNS name of the project's load balancer",
    );
    let attachments = listeners(
        stack,
        &ref_(&lb),
        &group_export,
        application,
        &ports,
        &certificates,
        diags,
    );
    let root = stacks.root();
    let dns = root.import(&dns_export);
    root.add_output(
        DNS_OUTPUT,
        Output::new(dns).with_description(format!(
            "DNS name of the project's {} load balancer",
            if application {
                "application"
            } else {
                "network"
            }
        )),
    );
    attachments
}

/// A target group and a listener per published port on load balancer `lb`, exported for the
/// family stacks; the attachments that put the ECS services behind them.
fn listeners(
    stack: &mut crate::stack::Stack,
    lb: &Value,
    group_export: &str,
    application: bool,
    ports: &[Published<'_>],
    certificates: &[Option<String>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Attachment> {
    let mut attachments = Vec::new();
    for (p, certificate) in ports.iter().zip(certificates) {
        let container = container_name(&p.service.name);
        let protocol = if application {
            "HTTP".to_string()
        } else {
            p.port.protocol.to_ascii_uppercase()
        };
        // With a certificate the listener terminates TLS: HTTPS on an ALB, TLS on an NLB.
        let listener_protocol = match (certificate, application) {
            (Some(_), true) => "HTTPS".to_string(),
            (Some(_), false) => "TLS".to_string(),
            (None, _) => protocol.clone(),
        };
        let mut tg = Map::new();
        tg.insert("TargetType".into(), json!("ip"));
        tg.insert("VpcId".into(), stack.import(VPC_ID));
        tg.insert("Port".into(), json!(p.port.target));
        tg.insert("Protocol".into(), json!(protocol));
        if p.port.protocol == "tcp" {
            tg.extend(health_check(p.service.healthcheck.as_ref(), p.port.target));
        }
        let tg_id = stack.add_resource(
            &format!("{} {} {} TargetGroup", p.family, container, p.port.target),
            Resource::new(
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                Value::Object(tg),
            ),
        );
        let mut body = json!({
            "LoadBalancerArn": lb,
            "Port": p.listener,
            "Protocol": listener_protocol,
            "DefaultActions": [{ "Type": "forward", "TargetGroupArn": ref_(&tg_id) }],
        });
        if let Some(arn) = certificate {
            body["Certificates"] = json!([{ "CertificateArn": arn }]);
            body["SslPolicy"] = json!(SSL_POLICY);
        }
        let mut listener = Resource::new("AWS::ElasticLoadBalancingV2::Listener", body);
        if application && certificate.is_none() {
            let reason = format!(
                "services.{}.ports publishes port {}: the project load balancer listens on it with plain HTTP (x-aws-certificate, or x-elbv2 with an HTTPS listener and a certificate, gives TLS)",
                p.service.name, p.listener
            );
            user_choice(
                &mut listener,
                PLAIN_HTTP_CHECKS,
                &reason,
                p.port.span,
                diags,
            );
        }
        let listener = stack.add_resource(
            &format!("Listener {} {}", p.listener, p.port.protocol),
            listener,
        );
        let tg_export = format!("ProjectLb{tg_id}Arn");
        stack.export(
            &tg_export,
            ref_(&tg_id),
            "String",
            &format!("Target group of {} port {}", p.service.name, p.port.target),
        );
        let listener_export = format!("ProjectLb{listener}Arn");
        stack.export(
            &listener_export,
            ref_(&listener),
            "String",
            &format!("Listener on port {}", p.listener),
        );
        attachments.push(Attachment {
            load_balancer: LOAD_BALANCER.to_string(),
            family: p.family.clone(),
            container,
            port: p.port.target,
            ip_protocol: if p.port.protocol == "udp" {
                "udp"
            } else {
                "tcp"
            },
            target_group: tg_export,
            security_group: group_export.to_string(),
            health_check_port: None,
            attached_by: vec![listener_export],
        });
    }
    attachments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::model::Duration;

    fn check(test: &[&str]) -> Healthcheck {
        Healthcheck {
            test: test.iter().map(|s| s.to_string()).collect(),
            interval: Some(Duration {
                nanos: 10_000_000_000,
            }),
            timeout: Some(Duration {
                nanos: 15_000_000_000,
            }),
            retries: Some(1),
            ..Healthcheck::default()
        }
    }

    #[test]
    fn http_healthchecks_on_the_port_become_target_group_checks() {
        let c = check(&[
            "CMD-SHELL",
            "curl -fs http://localhost:5000/health || exit 1",
        ]);
        let s = health_check(Some(&c), 5000);
        assert_eq!(s["HealthCheckPath"], "/health");
        assert_eq!(s["HealthCheckIntervalSeconds"], 10);
        assert_eq!(s["HealthCheckTimeoutSeconds"], 9, "below the interval");
        assert_eq!(s["UnhealthyThresholdCount"], 2, "at least 2");
        let c = check(&["CMD", "wget", "-q", "--spider", "http://127.0.0.1"]);
        assert_eq!(health_check(Some(&c), 80)["HealthCheckPath"], "/");
    }

    #[test]
    fn other_healthchecks_keep_the_defaults() {
        let other_port = check(&["CMD-SHELL", "curl -f http://localhost:8080/"]);
        assert!(health_check(Some(&other_port), 80).is_empty());
        let not_http = check(&["CMD", "pg_isready"]);
        assert!(health_check(Some(&not_http), 5432).is_empty());
        let remote = check(&["CMD", "curl", "http://example.com/"]);
        assert!(health_check(Some(&remote), 80).is_empty());
        assert!(health_check(None, 80).is_empty());
    }
}

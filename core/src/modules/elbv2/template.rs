//! Writing one planned load balancer into the `elbv2` stack: the load balancer, its security
//! group, target groups, listeners, certificates and rules, plus the exports the family stacks
//! import to attach their ECS services.

use serde_json::{json, Map, Value};

use super::codes::*;
use super::listener::{certificate_arn, conditions, forward, write_listener};
use super::syntax::{Kind, LoadBalancer};
use super::validate::{Default, Plan};
use super::{route53, Attachment};
use crate::cfn::{get_att, logical_id, ref_, select, tags, Resource};
use crate::diagnostic::Diagnostic;
use crate::stack::posture::{open_port_check, user_choice};
use crate::stack::{Stack, APP_SUBNETS, PUBLIC_SUBNETS, STORAGE_SUBNETS, VPC_ID};

/// The application load balancer attribute that drops requests with invalid header fields.
pub const DROP_INVALID_HEADERS: &str = "routing.http.drop_invalid_header_fields.enabled";
/// Security policy of HTTPS/TLS listeners unless `SslPolicy` says otherwise (TLS 1.2 and 1.3).
pub const DEFAULT_SSL_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/// Elastic IPs given to an internet-facing NLB: one per AZ of the VPC composex creates.
pub const NLB_EIPS: u32 = 2;

const LB_TYPE: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";

/// Export names are global across stacks: those of this module start with `Elbv2` (a family or
/// another module may use the load balancer's name too).
pub(super) fn export_name(local: &str) -> String {
    format!("Elbv2{local}")
}

/// Export holding load balancer `lb`'s DNS name.
pub fn dns_export(lb: &str) -> String {
    export_name(&format!("{}DnsName", logical_id(lb)))
}

/// Export holding load balancer `lb`'s ARN (x-wafv2_webacl associates its web ACL with it).
pub fn arn_export(lb: &str) -> String {
    export_name(&format!("{}LoadBalancerArn", logical_id(lb)))
}

/// Export holding the full name (the CloudWatch `LoadBalancer` / `TargetGroup` dimension) of
/// load balancer `lb`, or of its target group for `(family, port)`.
pub fn full_name_export(lb: &str, target: Option<(&str, u16)>) -> String {
    match target {
        None => export_name(&format!("{}LoadBalancerFullName", logical_id(lb))),
        Some((family, port)) => export_name(&format!(
            "{}{}{port}TargetGroupFullName",
            logical_id(lb),
            logical_id(family)
        )),
    }
}

/// Export holding load balancer `lb`'s security group id (a root parameter for an existing
/// one).
pub fn security_group_export(lb: &str) -> String {
    export_name(&format!("{}SecurityGroupId", logical_id(lb)))
}

/// Export holding the ARN of the listener on `port` of load balancer `lb` (a root parameter for
/// an existing one).
pub fn listener_export(lb: &str, port: u16) -> String {
    export_name(&format!(
        "{}Arn",
        logical_id(&format!("{} listener {port}", logical_id(lb)))
    ))
}

/// Name of the root output holding load balancer `lb`'s DNS name.
pub fn dns_output(lb: &str) -> String {
    format!("{}DnsName", logical_id(lb))
}

/// Writes `lb` into `stack`; returns what the family stacks need.
pub fn write(
    lb: &LoadBalancer,
    plan: &Plan,
    stack: &mut Stack,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Attachment> {
    let lb_name = logical_id(&lb.name);
    let (lb_ref, sg_export) = if lb.existing.is_some() {
        // Root parameters (declared by the emitter): the existing load balancer is not changed.
        (
            stack.import(&arn_export(&lb.name)),
            security_group_export(&lb.name),
        )
    } else {
        match create(lb, stack, diagnostics) {
            Some(found) => found,
            None => return Vec::new(),
        }
    };

    // Target groups.
    let mut group_ids = Vec::new();
    for group in &plan.groups {
        let entry = &lb.services[group.service];
        let mut tg = Map::new();
        tg.insert("TargetType".into(), json!("ip"));
        tg.insert("VpcId".into(), stack.import(VPC_ID));
        tg.insert("Port".into(), json!(entry.port));
        tg.insert("Protocol".into(), json!(entry.protocol));
        if let Some(v) = &entry.protocol_version {
            tg.insert("ProtocolVersion".into(), json!(v));
        }
        for (key, value) in &entry.health_check {
            tg.insert(key.clone(), value.clone());
        }
        if !entry.attributes.is_empty() {
            let attributes: Vec<Value> = entry
                .attributes
                .iter()
                .map(|(k, v)| json!({ "Key": k, "Value": v }))
                .collect();
            tg.insert("TargetGroupAttributes".into(), Value::Array(attributes));
        }
        let (name, full_name_key, description) = match (entry.named, group.members.as_slice()) {
            (false, [member]) => (
                format!(
                    "{lb_name} tg {} {} {}",
                    member.family, member.container, member.port
                ),
                (member.family.as_str(), member.port),
                format!(
                    "{}:{} port {}",
                    member.family, member.container, member.port
                ),
            ),
            _ => (
                format!("{lb_name} tg {}", entry.key),
                (entry.key.as_str(), entry.port),
                format!("target group {}", entry.key),
            ),
        };
        let id = stack.add_resource(
            &name,
            Resource::new(
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                Value::Object(tg),
            ),
        );
        stack.export(
            &full_name_export(&lb.name, Some(full_name_key)),
            get_att(&id, "TargetGroupFullName"),
            "String",
            &format!("Full name of the {description} target group (CloudWatch dimension)"),
        );
        stack.export(
            &export_name(&format!("{id}Arn")),
            ref_(&id),
            "String",
            &format!("Target group of {description} on {}", lb.name),
        );
        group_ids.push(id);
    }

    // Listeners, their certificates and rules.
    let mut attached_by: Vec<Vec<String>> = vec![Vec::new(); plan.groups.len()];
    for planned in &plan.listeners {
        let Some(listener) = lb.listeners.get(planned.listener) else {
            continue;
        };
        let (listener_id, listener_arn, extra) = if listener.existing.is_some() {
            // Rules and certificates are added to it; the listener itself is not ours.
            let certificates: Vec<Value> = planned
                .certificates
                .iter()
                .map(|c| certificate_arn(c, stack))
                .collect();
            (
                logical_id(&format!("{lb_name} listener {}", listener.port)),
                stack.import(&listener_export(&lb.name, listener.port)),
                certificates,
            )
        } else {
            let (id, extra) = write_listener(
                lb,
                listener,
                planned,
                &group_ids,
                &lb_ref,
                stack,
                diagnostics,
            );
            let export = export_name(&format!("{id}Arn"));
            if let Default::Forward(g) = planned.default {
                if let Some(by) = attached_by.get_mut(g) {
                    by.push(export);
                }
            }
            (id.clone(), ref_(&id), extra)
        };
        // A ListenerCertificate holds one certificate: one each for every certificate beyond
        // the listener's own.
        for (n, arn) in extra.into_iter().enumerate() {
            let number = if listener.existing.is_some() {
                n + 1
            } else {
                n + 2
            };
            stack.add_resource(
                &format!("{listener_id} certificate {number}"),
                Resource::new(
                    "AWS::ElasticLoadBalancingV2::ListenerCertificate",
                    json!({ "ListenerArn": listener_arn.clone(), "Certificates": [{ "CertificateArn": arn }] }),
                ),
            );
        }
        for rule in &planned.rules {
            let mut actions = Vec::new();
            let mut order = None;
            if let Some(auth) = &rule.target.authenticate {
                actions.push(json!({ "Type": auth.action, "Order": 1, auth.key: auth.config }));
                order = Some(2);
            }
            actions.push(forward(group_ids.get(rule.group), order));
            let conditions = match &rule.target.conditions {
                Some(c) => c.clone(),
                None => Value::Array(conditions(
                    rule.target.host.as_deref(),
                    rule.target.path.as_deref(),
                )),
            };
            let rule_id = stack.add_resource(
                &format!("{listener_id} rule {}", rule.priority),
                Resource::new(
                    "AWS::ElasticLoadBalancingV2::ListenerRule",
                    json!({ "ListenerArn": listener_arn.clone(), "Priority": rule.priority, "Conditions": conditions, "Actions": actions }),
                ),
            );
            let rule_export = export_name(&format!("{rule_id}Arn"));
            stack.export(
                &rule_export,
                ref_(&rule_id),
                "String",
                &format!(
                    "Listener rule {} on port {} of {}",
                    rule.priority, listener.port, lb.name
                ),
            );
            if let Some(by) = attached_by.get_mut(rule.group) {
                by.push(rule_export);
            }
        }
    }

    // One attachment per container registered into each group: every group is attached.
    let mut attachments = Vec::new();
    for ((group, id), by) in plan.groups.iter().zip(&group_ids).zip(attached_by) {
        let health_check_port = lb.services[group.service]
            .health_check
            .get("HealthCheckPort")
            .and_then(Value::as_str)
            .and_then(|p| p.parse::<u16>().ok());
        for member in &group.members {
            attachments.push(Attachment {
                load_balancer: lb.name.clone(),
                family: member.family.clone(),
                container: member.container.clone(),
                port: member.port,
                ip_protocol: group.ip_protocol,
                health_check_port: health_check_port.filter(|p| *p != member.port),
                target_group: export_name(&format!("{id}Arn")),
                security_group: sg_export.clone(),
                attached_by: by.clone(),
            });
        }
    }
    attachments
}

/// Creates load balancer `lb` (security group, Elastic IPs, DNS aliases); returns its ARN and
/// the export of its security group id.
fn create(
    lb: &LoadBalancer,
    stack: &mut Stack,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(Value, String)> {
    let lb_name = logical_id(&lb.name);
    let subnets_export = match &lb.subnets {
        Some((name, span)) => match name.as_str() {
            "PublicSubnets" => PUBLIC_SUBNETS,
            "AppSubnets" => APP_SUBNETS,
            "StorageSubnets" => STORAGE_SUBNETS,
            other => {
                diagnostics.push(
                    Diagnostic::error(VALUE, format!("subnet group `{other}` is not known"), *span)
                        .with_help("use PublicSubnets, AppSubnets or StorageSubnets"),
                );
                return None;
            }
        },
        None if lb.internal => APP_SUBNETS,
        None => PUBLIC_SUBNETS,
    };
    let vpc = stack.import(VPC_ID);
    let subnets = stack.import(subnets_export);

    // Security group: ingress on the listener ports from the configured sources.
    let sg_id = format!("{lb_name}SecurityGroup");
    let mut ingress = Vec::new();
    let sources = ingress_sources(lb);
    for listener in &lb.listeners {
        for ip_protocol in ip_protocols(&listener.protocol) {
            for (key, value, description) in &sources {
                let mut rule = Map::new();
                rule.insert("IpProtocol".into(), json!(ip_protocol));
                rule.insert("FromPort".into(), json!(listener.port));
                rule.insert("ToPort".into(), json!(listener.port));
                rule.insert((*key).into(), json!(value));
                rule.insert(
                    "Description".into(),
                    json!(format!(
                        "{description} to port {}/{ip_protocol}",
                        listener.port
                    )),
                );
                ingress.push(Value::Object(rule));
            }
        }
    }
    let mut sg = json!({
        "GroupDescription": format!("Load balancer {}", lb.name),
        "VpcId": vpc,
    });
    if !ingress.is_empty() {
        sg["SecurityGroupIngress"] = Value::Array(ingress);
    }
    let mut sg = Resource::new("AWS::EC2::SecurityGroup", sg);
    let open = sources
        .iter()
        .any(|(_, cidr, _)| cidr == "0.0.0.0/0" || cidr == "::/0");
    for listener in lb.listeners.iter().filter(|_| open) {
        if let Some(check) = open_port_check(listener.port) {
            let reason = if lb.ingress.written {
                format!("x-elbv2.{}.MacroParameters.Ingress.ExtSources admits anyone (0.0.0.0/0) on listener port {}", lb.name, listener.port)
            } else {
                format!("x-elbv2.{} is internet-facing without MacroParameters.Ingress: anyone may reach listener port {}", lb.name, listener.port)
            };
            user_choice(&mut sg, &[check], &reason, lb.span, diagnostics);
        }
    }
    let sg_id = stack.add_resource(&sg_id, sg);
    if lb.ingress.myself {
        for listener in &lb.listeners {
            for ip_protocol in ip_protocols(&listener.protocol) {
                stack.add_resource(
                    &format!("{lb_name} from self {} {ip_protocol}", listener.port),
                    Resource::new(
                        "AWS::EC2::SecurityGroupIngress",
                        json!({
                            "GroupId": get_att(&sg_id, "GroupId"),
                            "SourceSecurityGroupId": get_att(&sg_id, "GroupId"),
                            "IpProtocol": ip_protocol,
                            "FromPort": listener.port,
                            "ToPort": listener.port,
                            "Description": format!("{} to itself on port {}", lb.name, listener.port),
                        }),
                    ),
                );
            }
        }
    }

    // The load balancer.
    let mut props = Map::new();
    props.insert(
        "Type".into(),
        json!(if lb.kind == Kind::Application {
            "application"
        } else {
            "network"
        }),
    );
    props.insert(
        "Scheme".into(),
        json!(if lb.internal {
            "internal"
        } else {
            "internet-facing"
        }),
    );
    let eips = lb.kind == Kind::Network && !lb.internal && !lb.no_eips && lb.subnets.is_none();
    if eips {
        let mut mappings = Vec::new();
        for n in 1..=NLB_EIPS {
            let mut eip = Resource::new(
                "AWS::EC2::EIP",
                json!({ "Domain": "vpc", "Tags": tags([("Name", json!(format!("{} {n}", lb.name)))]) }),
            );
            if lb.retain_eips {
                eip = eip.with_policies("Retain");
            }
            let eip_id = stack.add_resource(&format!("{lb_name} eip {n}"), eip);
            mappings.push(json!({
                "SubnetId": select(n - 1, subnets.clone()),
                "AllocationId": get_att(&eip_id, "AllocationId"),
            }));
        }
        props.insert("SubnetMappings".into(), Value::Array(mappings));
    } else {
        props.insert("Subnets".into(), subnets);
    }
    props.insert("SecurityGroups".into(), json!([get_att(&sg_id, "GroupId")]));
    // Application load balancers drop requests with invalid header fields (HTTP desync
    // protection) unless the shortcuts or the user's LoadBalancerAttributes say otherwise.
    let mut ours = lb.attributes.clone();
    if lb.kind == Kind::Application && !ours.iter().any(|(k, _)| k == DROP_INVALID_HEADERS) {
        ours.push((DROP_INVALID_HEADERS.to_string(), "true".to_string()));
    }
    if !ours.is_empty() {
        let attributes: Vec<Value> = ours
            .iter()
            .map(|(k, v)| json!({ "Key": k, "Value": v }))
            .collect();
        props.insert("LoadBalancerAttributes".into(), Value::Array(attributes));
    }
    for (key, value) in &lb.properties {
        match (key.as_str(), value, props.get_mut(key)) {
            // The user's attributes win; shortcut attributes they do not set are kept.
            ("LoadBalancerAttributes", Value::Array(theirs), Some(Value::Array(ours))) => {
                let set: Vec<&Value> = theirs.iter().filter_map(|a| a.get("Key")).collect();
                ours.retain(|a| !a.get("Key").is_some_and(|k| set.contains(&k)));
                let mut merged = theirs.clone();
                merged.append(ours);
                props.insert(key.clone(), Value::Array(merged));
            }
            _ => {
                props.insert(key.clone(), value.clone());
            }
        }
    }
    let lb_id = stack.add_resource(&lb_name, Resource::new(LB_TYPE, Value::Object(props)));
    stack.export(
        &dns_export(&lb.name),
        get_att(&lb_id, "DNSName"),
        "String",
        &format!("DNS name of load balancer {}", lb.name),
    );
    stack.export(
        &arn_export(&lb.name),
        ref_(&lb_id),
        "String",
        &format!("ARN of load balancer {}", lb.name),
    );
    stack.export(
        &full_name_export(&lb.name, None),
        get_att(&lb_id, "LoadBalancerFullName"),
        "String",
        &format!(
            "Full name of load balancer {} (CloudWatch dimension)",
            lb.name
        ),
    );
    let sg_export = security_group_export(&lb.name);
    stack.export(
        &sg_export,
        get_att(&sg_id, "GroupId"),
        "AWS::EC2::SecurityGroup::Id",
        &format!("Security group of load balancer {}", lb.name),
    );

    // DNS aliases in existing zones.
    for (reference, _, names) in &lb.dns_aliases {
        let zone = reference.strip_prefix(route53::PREFIX).unwrap_or(reference);
        for name in names {
            let record_types: &[&str] = if lb.dualstack { &["A", "AAAA"] } else { &["A"] };
            for record_type in record_types {
                let zone_id = route53::zone_id(zone, stack);
                stack.add_resource(
                    &format!("{lb_name} alias {name} {record_type}").replace('*', "wildcard"),
                    Resource::new(
                        "AWS::Route53::RecordSet",
                        json!({
                            "HostedZoneId": zone_id,
                            "Name": name,
                            "Type": record_type,
                            "AliasTarget": {
                                "DNSName": get_att(&lb_id, "DNSName"),
                                "HostedZoneId": get_att(&lb_id, "CanonicalHostedZoneID"),
                                "EvaluateTargetHealth": false,
                            },
                        }),
                    ),
                );
            }
        }
    }

    Some((ref_(&lb_id), sg_export))
}

/// IP protocols of a listener protocol (for security group rules).
fn ip_protocols(protocol: &str) -> Vec<&'static str> {
    match protocol {
        "UDP" => vec!["udp"],
        "TCP_UDP" => vec!["tcp", "udp"],
        _ => vec!["tcp"],
    }
}

/// (property, value, description) of each ingress source.
fn ingress_sources(lb: &LoadBalancer) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    if !lb.ingress.written {
        if !lb.internal {
            out.push(("CidrIp", "0.0.0.0/0".to_string(), "Any IPv4".to_string()));
            if lb.dualstack {
                out.push(("CidrIpv6", "::/0".to_string(), "Any IPv6".to_string()));
            }
        }
        return out;
    }
    for source in &lb.ingress.ext_sources {
        let key = if source.ipv6 { "CidrIpv6" } else { "CidrIp" };
        let description = source
            .description
            .clone()
            .unwrap_or_else(|| source.cidr.clone());
        out.push((key, source.cidr.clone(), description));
    }
    for source in &lb.ingress.aws_sources {
        let key = if source.prefix_list {
            "SourcePrefixListId"
        } else {
            "SourceSecurityGroupId"
        };
        out.push((key, source.id.clone(), source.id.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_attributes_merge_with_shortcuts() {
        // The list form and the mapping shorthand give the same attributes.
        for attributes in [
            "[{Key: idle_timeout.timeout_seconds, Value: \"30\"}, {Key: deletion_protection.enabled, Value: \"true\"}]",
            "{idle_timeout.timeout_seconds: \"30\", deletion_protection.enabled: true}",
        ] {
            let (project, _) = crate::modules::elbv2::tests::project(&format!(
                "services: {{a: {{image: x, ports: [\"80:80\"]}}}}\nx-elbv2:\n  lb:\n    Properties:\n      LoadBalancerAttributes: {attributes}\n    Settings: {{timeout_seconds: 60, http2: false}}\n    Listeners: {{80: {{Targets: [{{name: a:a}}]}}}}\n    Services: {{a:a: {{port: 80, healthcheck: \"80:HTTP:/\"}}}}\n"
            ));
            let mut stacks = crate::modules::elbv2::tests::stacks();
            let mut diagnostics = Vec::new();
            crate::modules::elbv2::emit(&project, &mut stacks, &mut diagnostics);
            // Only the notes that port 80 is plain HTTP and open to anyone.
            assert!(
                diagnostics.iter().all(|d| d.code == "CX540"),
                "{diagnostics:#?}"
            );
            let t = &stacks.get("elbv2").map(|s| s.template.clone()).unwrap_or_default();
            // The user's attributes first, then the shortcuts' and our default they do not set.
            assert_eq!(
                t.resources["Lb"].properties["LoadBalancerAttributes"],
                json!([
                    { "Key": "idle_timeout.timeout_seconds", "Value": "30" },
                    { "Key": "deletion_protection.enabled", "Value": "true" },
                    { "Key": "routing.http2.enabled", "Value": "false" },
                    { "Key": DROP_INVALID_HEADERS, "Value": "true" },
                ]),
                "{attributes}"
            );
        }
    }

    #[test]
    fn users_attributes_win_over_the_header_default() {
        let (project, _) = crate::modules::elbv2::tests::project(
            "services: {a: {image: x, ports: [\"80:80\"]}}\nx-elbv2:\n  lb:\n    Properties:\n      LoadBalancerAttributes: {routing.http.drop_invalid_header_fields.enabled: false}\n    Listeners: {80: {Targets: [{name: a:a}]}}\n    Services: {a:a: {port: 80, healthcheck: \"80:HTTP:/\"}}\n",
        );
        let mut stacks = crate::modules::elbv2::tests::stacks();
        let mut diagnostics = Vec::new();
        crate::modules::elbv2::emit(&project, &mut stacks, &mut diagnostics);
        let t = &stacks
            .get("elbv2")
            .map(|s| s.template.clone())
            .unwrap_or_default();
        assert_eq!(
            t.resources["Lb"].properties["LoadBalancerAttributes"],
            json!([{ "Key": DROP_INVALID_HEADERS, "Value": "false" }])
        );
    }

    #[test]
    fn path_conditions() {
        let c = conditions(None, Some("/stupid"));
        assert_eq!(
            c[0]["PathPatternConfig"]["Values"],
            json!(["/stupid", "/stupid/*"])
        );
        let c = conditions(None, Some("/api/*"));
        assert_eq!(c[0]["PathPatternConfig"]["Values"], json!(["/api/*"]));
        let c = conditions(Some("a.example.com"), Some("/"));
        assert_eq!(c.len(), 1, "a host with path / matches the host only");
        assert_eq!(c[0]["Field"], "host-header");
        let c = conditions(Some("a.example.com"), Some("/x/"));
        assert_eq!(c[1]["PathPatternConfig"]["Values"], json!(["/x", "/x/*"]));
    }
}

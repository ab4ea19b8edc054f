//! Checks of a load balancer against the compose project (families, containers, ports) and the
//! x-acm certificates, producing the plan the template is written from.

use super::codes::*;
use super::route53::{self, Zones};
use super::syntax::{split_target, Certificate, DefaultAction, Kind, LoadBalancer, Member, Target};
use crate::compose::model::Service;
use crate::compose::Project;
use crate::diagnostic::Diagnostic;
use crate::suggest::did_you_mean;
use indexmap::IndexMap;

/// A target group: one `Services` or `TargetGroups` entry some listener uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Index in `LoadBalancer::services`.
    pub service: usize,
    /// The containers registered into it.
    pub members: Vec<GroupMember>,
    /// `tcp` or `udp`: the protocol of the family security group ingress.
    pub ip_protocol: &'static str,
    /// What attaches it: (listener index, rule number or None for the default action).
    pub attached_by: Vec<(usize, Option<usize>)>,
}

/// A container port registered into a target group, its container resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupMember {
    /// The family (ECS service).
    pub family: String,
    /// The container receiving the traffic.
    pub container: String,
    /// The container port.
    pub port: u16,
}

/// What a listener does with requests no rule takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Default {
    /// Forward to group n.
    Forward(usize),
    /// The user's default actions.
    Actions(Vec<DefaultAction>),
    /// A fixed 404 (ALB with only host/path rules).
    NotFound,
}

/// The highest listener rule priority AWS accepts.
const MAX_PRIORITY: u32 = 50000;

/// A listener rule (ALB).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Group forwarded to.
    pub group: usize,
    /// The target it comes from.
    pub target: Target,
    /// Priority (unique per listener, 1 = evaluated first).
    pub priority: u32,
}

/// A listener, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedListener {
    /// Index in `LoadBalancer::listeners`.
    pub listener: usize,
    /// Default action.
    pub default: Default,
    /// Rules, by priority.
    pub rules: Vec<Rule>,
    /// Certificates to use (none for plain listeners).
    pub certificates: Vec<Certificate>,
}

/// A load balancer with everything resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Target groups, in order of first use.
    pub groups: Vec<Group>,
    /// Listeners.
    pub listeners: Vec<PlannedListener>,
}

fn exposes(service: &Service, port: u16, udp: bool) -> bool {
    let protocol = if udp { "udp" } else { "tcp" };
    service
        .ports
        .iter()
        .any(|p| p.target == port && p.protocol == protocol)
        || service.expose.iter().any(|e| {
            let (number, proto) = e.value.split_once('/').unwrap_or((e.value.as_str(), "tcp"));
            proto == protocol
                && match number.split_once('-') {
                    Some((lo, hi)) => match (lo.parse::<u16>(), hi.parse::<u16>()) {
                        (Ok(lo), Ok(hi)) => (lo..=hi).contains(&port),
                        _ => false,
                    },
                    None => number.parse::<u16>() == Ok(port),
                }
        })
}

fn exposed_ports(service: &Service) -> String {
    let mut ports: Vec<String> = service
        .ports
        .iter()
        .map(|p| format!("{}/{}", p.target, p.protocol))
        .collect();
    ports.extend(service.expose.iter().map(|e| e.value.clone()));
    if ports.is_empty() {
        "no ports".into()
    } else {
        ports.join(", ")
    }
}

fn report_unexposed(
    member: &Member,
    service: &Service,
    udp: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if exposes(service, member.port, udp) {
        return;
    }
    diagnostics.push(
        Diagnostic::error(
            PORT_NOT_EXPOSED,
            format!(
                "container `{}` does not expose port {}{}",
                service.name,
                member.port,
                if udp { "/udp" } else { "" }
            ),
            member.port_span,
        )
        .with_label(
            service.span,
            format!("`{}` exposes {}", service.name, exposed_ports(service)),
        )
        .with_help(format!(
            "add `{}` to the `ports` of `{}`, or use one of its ports",
            member.port, service.name
        )),
    );
}

/// Checks `lb`; `acm` are the x-acm certificate names. Returns None when errors make a plan
/// impossible (the diagnostics say why).
pub fn plan(
    lb: &LoadBalancer,
    project: &Project,
    acm: &[String],
    acm_failed: &[String],
    zones: &Zones,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Plan> {
    let start = diagnostics.len();
    let families = project.families();
    // Resolve every member of every target group to a container: a group is usable when all are.
    let mut resolved: Vec<Option<Vec<(String, &Service)>>> = Vec::new();
    for entry in &lb.services {
        let found: Vec<_> = entry
            .members
            .iter()
            .map(|member| resolve(member, &families, diagnostics))
            .collect();
        resolved.push(found.into_iter().collect());
    }
    for (entry, found) in lb.services.iter().zip(&resolved) {
        let udp = matches!(entry.protocol.as_str(), "UDP");
        for (member, (_, service)) in entry.members.iter().zip(found.iter().flatten()) {
            report_unexposed(member, service, udp, diagnostics);
        }
    }

    let mut groups: IndexMap<usize, Group> = IndexMap::new();
    let mut poisoned = false;
    let mut listeners = Vec::new();
    for (index, listener) in lb.listeners.iter().enumerate() {
        let tls = matches!(listener.protocol.as_str(), "HTTPS" | "TLS");
        let mut certificates = Vec::new();
        for certificate in &listener.certificates {
            if let Certificate::Acm(name, span) = certificate {
                if acm_failed.iter().any(|a| a == name) {
                    // Its definition is wrong (reported there): no plan, no second error.
                    poisoned = true;
                    continue;
                }
                if !acm.iter().any(|a| a == name) {
                    let mut d = Diagnostic::error(
                        UNKNOWN_CERTIFICATE,
                        format!("no x-acm certificate named `{name}`"),
                        *span,
                    );
                    if let Some(s) = did_you_mean(name, acm.iter().map(String::as_str)) {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    } else {
                        d = d.with_help(
                            "define it under the top-level `x-acm`, or use `CertificateArn`",
                        );
                    }
                    diagnostics.push(d);
                    continue;
                }
            }
            certificates.push(certificate.clone());
        }
        // An existing listener has its certificate already.
        if tls && listener.certificates.is_empty() && listener.existing.is_none() {
            diagnostics.push(
                Diagnostic::error(NO_CERTIFICATE, format!("{} listener on port {} has no certificate", listener.protocol, listener.port), listener.protocol_span.unwrap_or(listener.port_span))
                    .with_help("add `Certificates: [{x-acm: <name>}]` or `[{CertificateArn: arn:aws:acm:...}]`"),
            );
        }
        if !tls && !listener.certificates.is_empty() {
            let span = listener.certificates_span.unwrap_or(listener.port_span);
            let secure = if lb.kind == Kind::Application {
                "HTTPS"
            } else {
                "TLS"
            };
            diagnostics.push(
                Diagnostic::warning(
                    IGNORED,
                    format!(
                        "certificates on the {} listener on port {} are ignored",
                        listener.protocol, listener.port
                    ),
                    span,
                )
                .with_help(format!(
                    "set `Protocol: {secure}` to terminate TLS on this listener"
                )),
            );
            certificates.clear();
        }
        if listener.targets.is_empty() && !listener.default_actions_written {
            diagnostics.push(
                Diagnostic::error(
                    UNREACHABLE,
                    format!(
                        "listener on port {} has neither Targets nor DefaultActions",
                        listener.port
                    ),
                    listener.port_span,
                )
                .with_help("add `Targets: [{name: family:container, access: /}]`"),
            );
        }
        if lb.kind == Kind::Network
            && listener
                .default_actions
                .contains(&DefaultAction::RedirectToHttps)
        {
            diagnostics.push(Diagnostic::error(
                PROTOCOL,
                "network load balancers cannot redirect HTTP to HTTPS",
                listener.port_span,
            ));
        }
        // Targets -> groups.
        let mut catch_all: Option<(usize, &Target)> = None;
        let mut routed: Vec<(usize, &Target)> = Vec::new();
        for target in &listener.targets {
            let Some(service) = find_entry(lb, target, diagnostics) else {
                continue;
            };
            let entry = &lb.services[service];
            if resolved.get(service).and_then(Option::as_ref).is_none() {
                continue;
            }
            if !protocols_fit(lb.kind, &listener.protocol, &entry.protocol) {
                diagnostics.push(
                    Diagnostic::error(
                        PROTOCOL,
                        format!(
                            "a {} listener cannot forward to a {} target group",
                            listener.protocol, entry.protocol
                        ),
                        target.name_span,
                    )
                    .with_label(
                        entry.protocol_span.unwrap_or(entry.key_span),
                        "target protocol set here",
                    ),
                );
                continue;
            }
            if target.authenticate.is_some() && listener.protocol != "HTTPS" {
                diagnostics.push(Diagnostic::error(
                    PROTOCOL,
                    "authentication needs an HTTPS listener",
                    target.span,
                ));
                continue;
            }
            if lb.kind == Kind::Network {
                if !target.is_catch_all() {
                    diagnostics.push(Diagnostic::warning(
                        IGNORED,
                        "network load balancers do not route on host or path: `access` is ignored",
                        target.access_span.unwrap_or(target.span),
                    ));
                }
                if let Some((_, first)) = catch_all {
                    diagnostics.push(
                        Diagnostic::error(DUPLICATE, format!("a network listener forwards to one target group; port {} has several", listener.port), target.span)
                            .with_label(first.span, "first target"),
                    );
                    continue;
                }
                catch_all = Some((service, target));
            } else if target.is_catch_all() {
                if let Some((_, first)) = catch_all {
                    diagnostics.push(
                        Diagnostic::error(
                            DUPLICATE,
                            format!("two targets take every request on port {}", listener.port),
                            target.span,
                        )
                        .with_label(first.span, "first catch-all target")
                        .with_help("give one of them an `access` host or path"),
                    );
                    continue;
                }
                catch_all = Some((service, target));
            } else {
                routed.push((service, target));
            }
        }
        let mut attach = |service: usize, by: (usize, Option<usize>)| -> usize {
            let len = groups.len();
            let group = groups.entry(service).or_insert_with(|| {
                let containers = resolved.get(service).and_then(Option::as_ref);
                let entry = &lb.services[service];
                let members = entry
                    .members
                    .iter()
                    .zip(containers.into_iter().flatten())
                    .map(|(member, (container, _))| GroupMember {
                        family: member.family.clone(),
                        container: container.clone(),
                        port: member.port,
                    })
                    .collect();
                Group {
                    service,
                    members,
                    ip_protocol: if entry.protocol == "UDP" {
                        "udp"
                    } else {
                        "tcp"
                    },
                    attached_by: Vec::new(),
                }
            });
            group.attached_by.push(by);
            groups.get_index_of(&service).unwrap_or(len)
        };
        // The default action of an existing listener is not ours: its catch-all target is the
        // last rule it gets.
        let last_rule = match (&listener.existing, catch_all) {
            (Some(_), Some(found)) => {
                catch_all = None;
                Some(found)
            }
            _ => None,
        };
        let default = if !listener.default_actions.is_empty() {
            if let Some((_, t)) = catch_all {
                diagnostics.push(
                    Diagnostic::error(
                        DUPLICATE,
                        format!(
                            "listener on port {} has DefaultActions and a catch-all target",
                            listener.port
                        ),
                        t.span,
                    )
                    .with_help("give the target an `access` path, or remove DefaultActions"),
                );
            }
            Default::Actions(listener.default_actions.clone())
        } else if let Some((service, _)) = catch_all {
            Default::Forward(attach(service, (index, None)))
        } else {
            Default::NotFound
        };
        // More specific rules first: host and path, then host, then longer paths.
        routed.sort_by_key(|(_, t)| {
            let path_len = t.path.as_deref().map_or(0, str::len);
            (
                t.host.is_none(),
                t.path.is_none(),
                std::cmp::Reverse(path_len),
            )
        });
        routed.extend(last_rule);
        let first_priority = listener.existing.as_ref().map_or(1, |e| e.first_priority);
        let mut rules = Vec::new();
        for (n, (service, target)) in routed.into_iter().enumerate() {
            let priority = first_priority.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
            let group = attach(service, (index, Some(n)));
            rules.push(Rule {
                group,
                target: target.clone(),
                priority,
            });
        }
        if let Some(last) = rules.last().filter(|r| r.priority > MAX_PRIORITY) {
            diagnostics.push(
                Diagnostic::error(
                    super::syntax::lookup::LOOKUP_SHAPE,
                    format!(
                        "the rules on port {} would be numbered up to {}, past {MAX_PRIORITY}",
                        listener.port, last.priority
                    ),
                    listener.port_span,
                )
                .with_help("lower `FirstRulePriority`"),
            );
        }
        listeners.push(PlannedListener {
            listener: index,
            default,
            rules,
            certificates,
        });
    }

    for (index, entry) in lb.services.iter().enumerate() {
        if !groups.contains_key(&index) && resolved.get(index).and_then(Option::as_ref).is_some() {
            diagnostics.push(
                Diagnostic::warning(
                    UNUSED,
                    format!(
                        "no listener forwards to `{}`: no target group is created for it",
                        entry.key
                    ),
                    entry.key_span,
                )
                .with_help(format!(
                    "add `Targets: [{{name: \"{}\"}}]` to a listener",
                    entry.key
                )),
            );
        }
    }
    for (reference, span, names) in &lb.dns_aliases {
        let Some(zone) = route53::resolve(reference, *span, zones, diagnostics) else {
            continue;
        };
        for name in names.iter().filter(|n| !route53::in_zone(n, &zone.domain)) {
            diagnostics.push(
                Diagnostic::error(
                    ROUTE53,
                    format!("`{name}` is not in zone {} ({})", zone.name, zone.domain),
                    *span,
                )
                .with_help("alias records must be inside the zone they are written into"),
            );
        }
    }
    if lb.internal && !lb.ingress.written && lb.existing.is_none() {
        diagnostics.push(
            Diagnostic::warning(
                UNREACHABLE,
                format!("internal load balancer `{}` allows no ingress", lb.name),
                lb.span,
            )
            .with_help("add `MacroParameters: {Ingress: {ExtSources: [{IPv4: 10.0.0.0/8}]}}`"),
        );
    }
    if poisoned || diagnostics[start..].iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(Plan {
        groups: groups.into_values().collect(),
        listeners,
    })
}

fn protocols_fit(kind: Kind, listener: &str, target: &str) -> bool {
    match kind {
        Kind::Application => true,
        Kind::Network => match listener {
            "TCP" | "TLS" => matches!(target, "TCP" | "TLS" | "TCP_UDP"),
            "UDP" => matches!(target, "UDP" | "TCP_UDP"),
            "TCP_UDP" => target == "TCP_UDP",
            _ => false,
        },
    }
}

/// The container of a target group member.
fn resolve<'p>(
    entry: &Member,
    families: &IndexMap<String, Vec<&'p Service>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(String, &'p Service)> {
    let Some(members) = families.get(&entry.family) else {
        let mut d = Diagnostic::error(
            UNKNOWN_TARGET,
            format!("no service family `{}`", entry.family),
            entry.span,
        );
        d = match did_you_mean(&entry.family, families.keys().map(String::as_str)) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!(
                "families: {}",
                families.keys().cloned().collect::<Vec<_>>().join(", ")
            )),
        };
        diagnostics.push(d);
        return None;
    };
    match &entry.container {
        Some(name) => match members.iter().find(|s| &s.name == name) {
            Some(service) => Some((name.clone(), *service)),
            None => {
                let names: Vec<&str> = members.iter().map(|s| s.name.as_str()).collect();
                let mut d = Diagnostic::error(
                    UNKNOWN_TARGET,
                    format!("family `{}` has no container `{name}`", entry.family),
                    entry.span,
                );
                d = match did_you_mean(name, names.iter().copied()) {
                    Some(s) => d.with_help(format!("did you mean `{}:{s}`?", entry.family)),
                    None => d.with_help(format!("its containers: {}", names.join(", "))),
                };
                diagnostics.push(d);
                None
            }
        },
        None => match members.as_slice() {
            [only] => Some((only.name.clone(), *only)),
            _ => {
                let names: Vec<&str> = members.iter().map(|s| s.name.as_str()).collect();
                diagnostics.push(
                    Diagnostic::error(
                        TARGET_NAME,
                        format!(
                            "family `{}` has several containers: say which one",
                            entry.family
                        ),
                        entry.span,
                    )
                    .with_help(format!(
                        "write `{}:<container>`, one of {}",
                        entry.family,
                        names.join(", ")
                    )),
                );
                None
            }
        },
    }
}

/// The `Services` entry a listener target names: the same key, or the same family and container
/// with the port written on one side only.
fn find_entry(
    lb: &LoadBalancer,
    target: &Target,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<usize> {
    if let Some(i) = lb.services.iter().position(|s| s.key == target.name) {
        return Some(i);
    }
    let parsed = split_target(&target.name);
    let reported = lb.reported_names.iter().any(|n| {
        n == &target.name
            || match (split_target(n), &parsed) {
                (Ok((f, c, p)), Ok((tf, tc, tp))) => {
                    f == *tf && c == *tc && (p.is_none() || tp.is_none() || p == *tp)
                }
                _ => false,
            }
    });
    if reported {
        return None;
    }
    let matches: Vec<usize> = match &parsed {
        Ok((family, container, port)) => lb
            .services
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                // A named target group is only named by its key.
                !s.named
                    && s.members.iter().any(|m| {
                        &m.family == family
                            && &m.container == container
                            && port.is_none_or(|p| p == m.port)
                    })
            })
            .map(|(i, _)| i)
            .collect(),
        Err(_) => Vec::new(),
    };
    match matches.as_slice() {
        [one] => Some(*one),
        [] => {
            let keys: Vec<&str> = lb.services.iter().map(|s| s.key.as_str()).collect();
            let mut d = Diagnostic::error(
                UNKNOWN_SERVICE_ENTRY,
                format!(
                    "target `{}` is not in this load balancer's `Services`",
                    target.name
                ),
                target.name_span,
            );
            d = match did_you_mean(&target.name, keys.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None if keys.is_empty() => d.with_help("add it under `Services`"),
                None => d.with_help(format!("Services: {}", keys.join(", "))),
            };
            diagnostics.push(d);
            None
        }
        _ => {
            diagnostics.push(
                Diagnostic::error(
                    UNKNOWN_SERVICE_ENTRY,
                    format!(
                        "target `{}` matches several `Services` entries",
                        target.name
                    ),
                    target.name_span,
                )
                .with_help("add the port: `family:container:port`"),
            );
            None
        }
    }
}

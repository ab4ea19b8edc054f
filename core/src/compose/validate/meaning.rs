//! Meaning: references between services and resources, dependency cycles, images, port clashes
//! and attributes that contradict each other.

use indexmap::IndexMap;

use super::codes;
use crate::compose::model::{Project, Service, VolumeKind};
use crate::diagnostic::{Diagnostic, Span};
use crate::suggest::did_you_mean;
use crate::yaml::Node;

/// Runs every meaning check.
pub fn check(tree: &Node, project: &Project, out: &mut Vec<Diagnostic>) {
    let families = project.families();
    // Indexed once: looking each service up in the YAML mapping would be quadratic.
    let service_nodes: IndexMap<&str, &Node> = tree
        .get("services")
        .and_then(Node::as_map)
        .map(|m| m.entries.iter().map(|(k, _, v)| (k.as_str(), v)).collect())
        .unwrap_or_default();
    for service in project.services.values() {
        let node = service_nodes.get(service.name.as_str()).copied();
        references(node, project, &families, service, out);
        scale_and_replicas(node, out);
        image(service, out);
        contradictions(service, out);
    }
    cycles(project, out);
    port_clashes(project, out);
    top_level_sources(project, out);
}

fn undefined(
    code: &'static str,
    what: &str,
    service: &Service,
    name: &str,
    span: Span,
    known: impl Iterator<Item = String>,
) -> Diagnostic {
    let known: Vec<String> = known.collect();
    let d = Diagnostic::error(
        code,
        format!(
            "service \"{}\" refers to undefined {what} \"{name}\"",
            service.name
        ),
        span,
    );
    match did_you_mean(name, known.iter().map(String::as_str)) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None if known.is_empty() => {
            d.with_help(format!("declare it under the top-level `{what}s:` key"))
        }
        None => d.with_help(format!("declared {what}s: {}", known.join(", "))),
    }
}

fn references(
    node: Option<&Node>,
    project: &Project,
    families: &IndexMap<String, Vec<&Service>>,
    service: &Service,
    out: &mut Vec<Diagnostic>,
) {
    for (dep, on) in &service.depends_on {
        // ComposeX lets a service wait for a whole task family.
        let known = project.services.contains_key(dep) || families.contains_key(dep);
        if !known && on.required {
            let mut d = Diagnostic::error(
                codes::UNDEFINED_SERVICE,
                format!(
                    "service \"{}\" depends on undefined service \"{dep}\"",
                    service.name
                ),
                on.span,
            );
            if let Some(s) = did_you_mean(dep, project.services.keys().map(String::as_str)) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
    }
    for (net, settings) in &service.networks {
        if net != "default" && !project.networks.contains_key(net) {
            out.push(undefined(
                codes::UNDEFINED_NETWORK,
                "network",
                service,
                net,
                settings.span,
                project.networks.keys().cloned(),
            ));
        }
    }
    for volume in &service.volumes {
        if volume.kind != VolumeKind::Volume {
            continue;
        }
        if let Some(source) = &volume.source {
            if !project.volumes.contains_key(source) {
                out.push(undefined(
                    codes::UNDEFINED_VOLUME,
                    "volume",
                    service,
                    source,
                    volume.span,
                    project.volumes.keys().cloned(),
                ));
            }
        }
    }
    for secret in &service.secrets {
        if !project.secrets.contains_key(&secret.source) {
            out.push(undefined(
                codes::UNDEFINED_SECRET,
                "secret",
                service,
                &secret.source,
                secret.span,
                project.secrets.keys().cloned(),
            ));
        }
    }
    // Configs are not typed (ECS has no use for them) but a dangling reference is still wrong.
    let configs = node.and_then(|s| s.get("configs"));
    for item in configs.and_then(Node::as_seq).unwrap_or(&[]) {
        let source = item
            .get("source")
            .and_then(Node::as_str)
            .or_else(|| item.as_str());
        if let Some(source) = source {
            if !project.configs.contains_key(source) {
                out.push(undefined(
                    codes::UNDEFINED_CONFIG,
                    "config",
                    service,
                    source,
                    item.span,
                    project.configs.keys().cloned(),
                ));
            }
        }
    }
}

/// `scale` and `deploy.replicas` must agree when both are written.
fn scale_and_replicas(node: Option<&Node>, out: &mut Vec<Diagnostic>) {
    let Some(node) = node else { return };
    let scale = node.get("scale").filter(|n| !n.is_null());
    let replicas = node
        .get("deploy")
        .and_then(|d| d.get("replicas"))
        .filter(|n| !n.is_null());
    if let (Some(scale), Some(replicas)) = (scale, replicas) {
        if scale.as_str() != replicas.as_str() {
            out.push(
                Diagnostic::error(
                    codes::CONFLICTING_VALUES,
                    "can't set distinct values on 'scale' and 'deploy.replicas'",
                    scale.span,
                )
                .with_label(replicas.span, "the other value"),
            );
        }
    }
}

fn image(service: &Service, out: &mut Vec<Diagnostic>) {
    // `build` without `image` renders: the image becomes a required parameter (a warning at
    // render time says how to fill it), since CI usually pushes the image after the render.
    if service.image.is_some() || service.build.is_some() {
        return;
    }
    out.push(
        Diagnostic::error(
            codes::MISSING_IMAGE,
            format!(
                "service \"{}\" has neither an image nor a build context specified",
                service.name
            ),
            service.span,
        )
        .with_help("add `image: <repository>:<tag>`"),
    );
}

fn contradictions(service: &Service, out: &mut Vec<Diagnostic>) {
    let name = &service.name;
    let limits = &service.deploy.resources.limits;
    let reservations = &service.deploy.resources.reservations;
    let mut distinct = |what: &str, other: &str, a: Option<(f64, Span)>, b: Option<(f64, Span)>| {
        if let (Some((x, xs)), Some((y, ys))) = (a, b) {
            if x != y {
                out.push(
                    Diagnostic::error(
                        codes::CONFLICTING_VALUES,
                        format!(
                            "services.{name}: can't set distinct values on '{what}' and '{other}'"
                        ),
                        xs,
                    )
                    .with_label(ys, "the other value"),
                );
            }
        }
    };
    let f = |s: &Option<crate::compose::model::Spanned<f64>>| s.as_ref().map(|v| (v.value, v.span));
    let b = |s: &Option<crate::compose::model::Spanned<u64>>| {
        s.as_ref().map(|v| (v.value as f64, v.span))
    };
    distinct(
        "cpus",
        "deploy.resources.limits.cpus",
        f(&service.cpus),
        f(&limits.cpus),
    );
    distinct(
        "mem_limit",
        "deploy.resources.limits.memory",
        b(&service.mem_limit),
        b(&limits.memory),
    );
    distinct(
        "mem_reservation",
        "deploy.resources.reservations.memory",
        b(&service.mem_reservation),
        b(&reservations.memory),
    );
    if service.network_mode.is_some() && !service.networks.is_empty() {
        let span = service
            .networks
            .values()
            .next()
            .map_or(service.span, |n| n.span);
        out.push(Diagnostic::error(
            codes::CONFLICTING_VALUES,
            format!("service {name} declares mutually exclusive `network_mode` and `networks`"),
            span,
        ));
    }
}

/// Reports each `depends_on` cycle once, as `a -> b -> a`.
fn cycles(project: &Project, out: &mut Vec<Diagnostic>) {
    let names: Vec<&str> = project.services.keys().map(String::as_str).collect();
    let edges: Vec<Vec<usize>> = project
        .services
        .values()
        .map(|s| {
            s.depends_on
                .keys()
                .filter_map(|d| project.services.get_index_of(d))
                .collect()
        })
        .collect();
    // 0 = not visited, 1 = on the current path, 2 = done. Iterative so deep chains cannot overflow.
    let mut state = vec![0u8; names.len()];
    for root in 0..names.len() {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => {
                        let start = stack.iter().position(|(n, _)| *n == to).unwrap_or(0);
                        let mut path: Vec<&str> =
                            stack[start..].iter().map(|(n, _)| names[*n]).collect();
                        path.push(names[to]);
                        let span = project.services.get_index(node).map_or(
                            Span::default(),
                            |(_, from)| {
                                from.depends_on.get(names[to]).map_or(from.span, |d| d.span)
                            },
                        );
                        out.push(
                            Diagnostic::error(
                                codes::DEPENDENCY_CYCLE,
                                format!("dependency cycle detected: {}", path.join(" -> ")),
                                span,
                            )
                            .with_help("remove one of these `depends_on` entries"),
                        );
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
}

/// Within one task family, containers share one network namespace (awsvpc), so two containers
/// cannot listen on the same port, and two published entries cannot claim the same host port.
fn port_clashes(project: &Project, out: &mut Vec<Diagnostic>) {
    for (family, services) in project.families() {
        let mut seen: IndexMap<(u16, &str), (&str, Span)> = IndexMap::new();
        for service in services {
            let mut own: Vec<(u16, &str)> = Vec::new();
            for port in &service.ports {
                let host = port
                    .published
                    .as_deref()
                    .filter(|p| !p.contains('-'))
                    .and_then(|p| p.parse::<u16>().ok())
                    .unwrap_or(port.target);
                let key = (host, port.protocol.as_str());
                if own.contains(&key) {
                    if port.published.is_some() {
                        let first = service
                            .ports
                            .iter()
                            .find(|p| p.published.as_deref() == Some(&host.to_string()));
                        let mut d = Diagnostic::error(
                            codes::PORT_CLASH,
                            format!(
                                "service \"{}\" publishes port {host}/{} twice",
                                service.name, port.protocol
                            ),
                            port.span,
                        );
                        if let Some(first) = first.filter(|f| f.span != port.span) {
                            d = d.with_label(first.span, "first published here");
                        }
                        out.push(d);
                    }
                    continue;
                }
                own.push(key);
                match seen.get(&key) {
                    Some((other, span)) if *other != service.name => out.push(
                        Diagnostic::error(
                            codes::PORT_CLASH,
                            format!(
                                "port {host}/{} is used by both \"{other}\" and \"{}\" in task family \"{family}\"",
                                port.protocol, service.name
                            ),
                            port.span,
                        )
                        .with_label(*span, format!("used by \"{other}\" here"))
                        .with_help("containers of one task share its network: give each a different port"),
                    ),
                    _ => {
                        seen.insert(key, (service.name.as_str(), port.span));
                    }
                }
            }
        }
    }
}

fn top_level_sources(project: &Project, out: &mut Vec<Diagnostic>) {
    for secret in project.secrets.values() {
        if secret.file.is_some() && secret.environment.is_some() {
            out.push(Diagnostic::error(
                codes::SECRET_SOURCE,
                format!(
                    "secrets.{}: file|environment attributes are mutually exclusive",
                    secret.name
                ),
                secret.span,
            ));
        } else if secret.file.is_none()
            && secret.environment.is_none()
            && !secret.external
            && secret.x_secrets().is_none()
        {
            // compose-go rejects this; ComposeX files use empty secrets as placeholders, and
            // nothing can be rendered for them, so it is a warning here.
            out.push(
                Diagnostic::warning(
                    codes::SECRET_SOURCE,
                    format!("secret \"{}\" declares no source: it is ignored", secret.name),
                    secret.span,
                )
                .with_help("give it `file`, `environment`, `external: true`, or ComposeX `x-secrets: {Name: ...}`"),
            );
        }
    }
    for volume in project.volumes.values() {
        if volume.external && volume.driver.is_some() {
            out.push(Diagnostic::error(
                codes::CONFLICTING_VALUES,
                format!(
                    "volumes.{}: conflicting parameters \"external\" and \"driver\" specified",
                    volume.name
                ),
                volume.span,
            ));
        }
    }
}

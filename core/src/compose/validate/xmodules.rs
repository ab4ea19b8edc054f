//! ComposeX top-level `x-*` keys: module names, each resource's common keys, and `Services`
//! entries that must name a service or a task family.

use std::cell::OnceCell;

use indexmap::IndexSet;

use super::codes;
use crate::compose::model::Project;
use crate::diagnostic::Diagnostic;
use crate::suggest::did_you_mean;
use crate::xkeys::{self, Scope, Shape, Support, XKey};
use crate::yaml::{Node, Value};

/// A known ComposeX key that composex cannot render yet: an error at the key, never a silent drop.
pub const NOT_SUPPORTED_YET: &str = "CX374";

/// The error for known key `key` (at `span`) that composex cannot render yet.
fn not_supported(path: &str, key: &str, what: &str, span: crate::diagnostic::Span) -> Diagnostic {
    Diagnostic::error(
        NOT_SUPPORTED_YET,
        format!("{path}{key} is not supported yet"),
        span,
    )
    .with_help(format!(
        "composex does not handle {what} yet: remove `{key}` to render the rest, and manage that part outside this project"
    ))
}

/// A key of Docker's ECS integration that composex refuses because it does the same thing
/// another way: an error at the key whose help names the equivalent.
pub const HAS_EQUIVALENT: &str = "CX680";

/// The error or nothing for known key `key` at `scope` (under `path`), when it is refused.
fn refused(
    scope: Scope,
    path: &str,
    key: &str,
    span: crate::diagnostic::Span,
) -> Option<Diagnostic> {
    match xkeys::find(scope, key)?.support {
        Support::Implemented => None,
        Support::NotYet(what) => Some(not_supported(path, key, what, span)),
        Support::Equivalent(instead) => Some(
            Diagnostic::error(
                HAS_EQUIVALENT,
                format!("{path}{key} is not supported: composex does this another way"),
                span,
            )
            .with_help(instead.to_string()),
        ),
    }
}

/// An `x-aws-*` key where Docker's ECS integration read none of that name (a port, network,
/// secret, volume, `deploy` or `update_config` key): ignored, with a warning.
pub const UNKNOWN_X_AWS: &str = "CX687";

/// Checks the keys of the mapping at `node` (if it is one) for refused keys of `scope`, and
/// warns about `x-aws-*` keys unknown there (a misspelt Docker key would else do nothing).
fn refused_keys(scope: Scope, path: &str, node: Option<&Node>, out: &mut Vec<Diagnostic>) {
    let Some(map) = node.and_then(Node::as_map) else {
        return;
    };
    for (key, key_span, _) in &map.entries {
        if key.starts_with("x-aws-") && xkeys::find(scope, key).is_none() {
            let mut d = Diagnostic::warning(
                UNKNOWN_X_AWS,
                format!("{path}{key} is not a key composex knows here: it is ignored"),
                *key_span,
            );
            let here: Vec<&str> = xkeys::names(scope)
                .filter(|k| k.starts_with("x-aws-"))
                .collect();
            d = match did_you_mean(key, here.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None if here.is_empty() => {
                    d.with_help("Docker's ECS integration read no x-aws key here")
                }
                None => d.with_help(format!("the x-aws keys read here: {}", here.join(", "))),
            };
            out.push(d);
            continue;
        }
        out.extend(refused(scope, path, key, *key_span));
    }
}

/// The entries of the top-level mapping `section` (`volumes`, `networks`, `secrets`).
fn section<'a>(tree: &'a Node, section: &str) -> &'a [(String, crate::diagnostic::Span, Node)] {
    tree.get(section)
        .and_then(Node::as_map)
        .map_or(&[][..], |m| &m.entries[..])
}

/// The names of the top-level modules (for suggestions and docs).
pub fn module_names() -> impl Iterator<Item = &'static str> {
    xkeys::names(Scope::TopLevel)
}

/// True when `key` is a per-service extension ComposeX reads.
pub fn is_service_extension(key: &str) -> bool {
    xkeys::find(Scope::Service, key).is_some()
}

/// Checks every top-level `x-*` key and every service's `x-*` keys.
pub fn check(tree: &Node, project: &Project, out: &mut Vec<Diagnostic>) {
    let Some(top) = tree.as_map() else { return };
    let targets = Targets::of(project);
    for (key, key_span, value) in &top.entries {
        if !key.starts_with("x-") {
            continue;
        }
        match xkeys::find(Scope::TopLevel, key) {
            Some(XKey {
                support: Support::NotYet(what),
                ..
            }) => out.push(not_supported("", key, what, *key_span)),
            Some(known) => module(known, value, project, &targets, out),
            None => {
                let mut d = Diagnostic::warning(
                    codes::UNKNOWN_X_MODULE,
                    format!("`{key}` is not a ComposeX module: it is ignored"),
                    *key_span,
                );
                d = match did_you_mean(key, module_names()) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help("fine for a YAML anchor holder (`x-common: &common`); otherwise check the name"),
                };
                out.push(d);
            }
        }
    }
    for (scope, name) in [
        (Scope::Volume, "volumes"),
        (Scope::Network, "networks"),
        (Scope::Secret, "secrets"),
    ] {
        for (entry, _, node) in section(tree, name) {
            refused_keys(scope, &format!("{name}.{entry}."), Some(node), out);
        }
    }
    let services = tree
        .get("services")
        .and_then(Node::as_map)
        .map_or(&[][..], |m| &m.entries[..]);
    for (service, _, node) in services {
        let Some(map) = node.as_map() else { continue };
        let deploy = node.get("deploy");
        refused_keys(
            Scope::Deploy,
            &format!("services.{service}.deploy."),
            deploy,
            out,
        );
        refused_keys(
            Scope::UpdateConfig,
            &format!("services.{service}.deploy.update_config."),
            deploy.and_then(|d| d.get("update_config")),
            out,
        );
        let ports = node.get("ports").and_then(Node::as_seq).unwrap_or(&[]);
        for port in ports {
            refused_keys(
                Scope::Port,
                &format!("services.{service}.ports[]."),
                Some(port),
                out,
            );
        }
        for (key, key_span, _) in &map.entries {
            if let Some(d) = refused(
                Scope::Service,
                &format!("services.{service}."),
                key,
                *key_span,
            ) {
                out.push(d);
                continue;
            }
            if key.starts_with("x-") && !is_service_extension(key) {
                let mut d = Diagnostic::warning(
                    codes::UNKNOWN_SERVICE_EXTENSION,
                    format!("services.{service}: `{key}` is not a ComposeX service extension: it is ignored"),
                    *key_span,
                );
                if let Some(s) = did_you_mean(key, xkeys::names(Scope::Service)) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                out.push(d);
            }
        }
    }
}

/// What a module's `Services:` may name: the services, then the task families that are not
/// also a service's name, in that order (the order of the help's list). Made once per check,
/// when a first `Services:` needs it: made per resource, with a list searched per family, a
/// project with 500 services and 1,500 linked resources took 6.8 G instructions to validate.
struct Targets<'a> {
    project: &'a Project,
    names: OnceCell<IndexSet<&'a str>>,
}

impl<'a> Targets<'a> {
    fn of(project: &'a Project) -> Self {
        Targets {
            project,
            names: OnceCell::new(),
        }
    }

    fn names(&self) -> &IndexSet<&'a str> {
        self.names.get_or_init(|| {
            let services = &self.project.services;
            let mut names: IndexSet<&str> = services.keys().map(String::as_str).collect();
            for service in services.values() {
                for family in service.family_names() {
                    names.insert(family);
                }
            }
            names
        })
    }
}

fn module(
    known: &XKey,
    value: &Node,
    project: &Project,
    targets: &Targets,
    out: &mut Vec<Diagnostic>,
) {
    let key = known.key;
    if value.is_null() || known.shape == Shape::Free {
        return;
    }
    let Some(map) = value.as_map() else {
        out.push(Diagnostic::error(
            codes::X_WRONG_KIND,
            format!("{key} must be a mapping, found a {}", value.kind_name()),
            value.span,
        ));
        return;
    };
    match known.shape {
        Shape::Free => {}
        Shape::Single(keys) => {
            known_keys(key, map, keys, out);
            if key == "x-vpc" {
                vpc(map, out);
            }
        }
        Shape::Resources(keys) => {
            for (name, _, resource) in &map.entries {
                let path = format!("{key}.{name}");
                if name == "DeletionPolicy" && resource.as_scalar().is_some() {
                    continue; // module-wide deletion policy
                }
                if resource.is_null() {
                    continue;
                }
                let Some(res) = resource.as_map() else {
                    out.push(
                        Diagnostic::error(
                            codes::X_WRONG_KIND,
                            format!(
                                "{path} must be a mapping (the resource definition), found a {}",
                                resource.kind_name()
                            ),
                            resource.span,
                        )
                        .with_help(format!(
                            "{key} holds named resources: `{key}: {{<name>: {{Properties: ...}}}}`"
                        )),
                    );
                    continue;
                };
                known_keys(&path, res, keys, out);
                for (field, _, v) in &res.entries {
                    let must_be_map = matches!(
                        field.as_str(),
                        "Properties" | "Settings" | "MacroParameters"
                    );
                    if must_be_map && !v.is_null() && v.as_map().is_none() {
                        out.push(Diagnostic::error(
                            codes::X_WRONG_KIND,
                            format!(
                                "{path}.{field} must be a mapping, found a {}",
                                v.kind_name()
                            ),
                            v.span,
                        ));
                    }
                }
                if known.common_lookup {
                    if let Some(lookup) = res.get("Lookup").filter(|l| !l.is_null()) {
                        match lookup.as_map() {
                            Some(m) => known_keys(&format!("{path}.Lookup"), m, LOOKUP_KEYS, out),
                            None => out.push(
                                Diagnostic::error(
                                    codes::X_WRONG_KIND,
                                    format!("{path}.Lookup must be a mapping, found a {}", lookup.kind_name()),
                                    lookup.span,
                                )
                                .with_help("e.g. `Lookup: {Tags: [{Name: my-queue}]}` or `Lookup: {Arn: arn:aws:...}`"),
                            ),
                        }
                    }
                }
                if let Some(services) = res.get("Services") {
                    services_entries(key, &path, services, project, targets, out);
                }
            }
        }
    }
}

/// The keys of a common `Lookup` (one looked-up resource).
const LOOKUP_KEYS: &[&str] = &["Tags", "Arn", "Identifier", "RoleArn", "Region"];

/// `x-vpc` either creates a VPC (`Properties`) or looks one up (`Lookup`), and each looked-up
/// part (`VpcId`, `AppSubnets`, ...) is a common lookup.
fn vpc(map: &crate::yaml::Map, out: &mut Vec<Diagnostic>) {
    if let (Some(props), Some(lookup)) = (map.key_span("Properties"), map.key_span("Lookup")) {
        out.push(
            Diagnostic::error(
                codes::X_CONFLICTING_KEYS,
                "x-vpc: `Properties` (create a VPC) and `Lookup` (use an existing one) exclude each other",
                lookup,
            )
            .with_label(props, "creation settings here")
            .with_help("keep `Lookup` to deploy into an existing VPC, or `Properties` to create one"),
        );
    }
    let Some(lookup) = map.get("Lookup").and_then(Node::as_map) else {
        return;
    };
    for (part, _, value) in &lookup.entries {
        if let Some(m) = value.as_map() {
            known_keys(&format!("x-vpc.Lookup.{part}"), m, LOOKUP_KEYS, out);
        }
    }
}

fn known_keys(path: &str, map: &crate::yaml::Map, keys: &[&str], out: &mut Vec<Diagnostic>) {
    for (field, span, _) in &map.entries {
        if keys.contains(&field.as_str()) || field.starts_with("x-") {
            continue;
        }
        let mut d = Diagnostic::error(
            codes::X_UNKNOWN_KEY,
            format!("{path}: unknown key `{field}`"),
            *span,
        );
        d = match did_you_mean(field, keys.iter().copied()) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!("allowed keys: {}", keys.join(", "))),
        };
        out.push(d);
    }
}

fn services_entries(
    module: &str,
    path: &str,
    services: &Node,
    project: &Project,
    targets: &Targets,
    out: &mut Vec<Diagnostic>,
) {
    match &services.value {
        Value::Seq(items) => {
            if items.is_empty() {
                return; // `Services: []` links nothing; harmless
            }
            out.push(legacy_list(path, services, items));
        }
        Value::Map(map) => {
            let targets = targets.names();
            for (name, span, _) in &map.entries {
                // x-elbv2 targets are `family:container[:port]`.
                let mut parts = name.split(':');
                let first = parts.next().unwrap_or("");
                let container = if module == "x-elbv2" {
                    parts.next()
                } else {
                    None
                };
                let unknown_first = !targets.contains(first);
                let unknown_container =
                    container.is_some_and(|c| !project.services.contains_key(c));
                if unknown_first {
                    let mut d = Diagnostic::error(
                        codes::X_UNKNOWN_SERVICE,
                        format!(
                            "{path}.Services: `{first}` is neither a service nor a task family"
                        ),
                        *span,
                    );
                    d = match did_you_mean(first, targets.iter().copied()) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => {
                            let listed: Vec<&str> = targets.iter().copied().collect();
                            d.with_help(format!("services and families: {}", listed.join(", ")))
                        }
                    };
                    out.push(d);
                } else if unknown_container {
                    let c = container.unwrap_or("");
                    let mut d = Diagnostic::error(
                        codes::X_UNKNOWN_SERVICE,
                        format!("{path}.Services: `{c}` in `{name}` is not a service"),
                        *span,
                    )
                    .with_help("x-elbv2 targets are written `family:service[:port]`");
                    if let Some(s) = did_you_mean(c, project.services.keys().map(String::as_str)) {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    }
                    out.push(d);
                }
            }
        }
        Value::Scalar(s) if s.is_null() => {}
        Value::Scalar(_) => out.push(Diagnostic::error(
            codes::X_WRONG_KIND,
            format!(
                "{path}.Services must be a mapping of service or family names, found a {}",
                services.kind_name()
            ),
            services.span,
        )),
    }
}

/// The legacy `Services: [{name: app01, access: RW}]` form, with the map form built from it.
fn legacy_list(path: &str, services: &Node, items: &[Node]) -> Diagnostic {
    let mut example = String::from("Services:\n");
    for item in items {
        let Some(map) = item.as_map() else { continue };
        let name = map
            .get("name")
            .and_then(Node::as_str)
            .unwrap_or("<service>");
        example.push_str(&format!("  {name}:\n"));
        let mut wrote = false;
        for (k, _, v) in &map.entries {
            if k == "name" {
                continue;
            }
            let key = match k.as_str() {
                "access" => "Access".to_string(),
                "scaling" => "Scaling".to_string(),
                "returnvalues" | "return_values" => "ReturnValues".to_string(),
                other => other.to_string(),
            };
            match v.as_str() {
                Some(text) => example.push_str(&format!("    {key}: {text}\n")),
                None => example.push_str(&format!("    {key}: ...\n")),
            }
            wrote = true;
        }
        if !wrote {
            example.push_str("    Access: ...\n");
        }
    }
    Diagnostic::error(
        codes::X_LEGACY_SERVICES_LIST,
        format!("{path}.Services: the list form was removed in ComposeX 1.0; use a mapping"),
        services.span,
    )
    .with_help(format!(
        "write it as a mapping keyed by service or family name:\n{example}"
    ))
}

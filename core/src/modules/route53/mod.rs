//! x-route53: existing public or private hosted zones (lookup only, as in ComposeX). A zone is
//! `<name>: {ZoneName: example.com, Lookup: true | {HostedZoneId: Z..., IsPrivateZone: bool}}`
//! (`Name` is accepted for `ZoneName`). No AWS call is made: the zone's id is a stack parameter,
//! filled in the parameter files from `Lookup.HostedZoneId` when given (else a warning asks for
//! it), and its name is known from the file.
//!
//! Used by other modules through [`hosted_zone`]: x-elbv2 `DnsAliases[].Route53Zone` and x-acm
//! `MacroParameters.HostedZoneId` written as `x-route53::<zone>`.

use crate::cfn::{logical_id, Parameter};
use crate::compose::Project;
use crate::diagnostic::{Diagnostic, Span};
use crate::modules::{BAD_REFERENCE, LOOKUP_PARAMETER};
use crate::stack::Stacks;
use crate::suggest::did_you_mean;
use crate::yaml::Node;
use serde_json::Value;

/// A zone definition that cannot be used (no name, not a lookup, malformed id).
pub const ZONE: &str = "CX383";

/// The top-level key.
pub const KEY: &str = "x-route53";

/// A hosted zone, as seen from the stack that uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct HostedZone {
    /// The zone's id: `Ref` to a parameter of the consumer stack (`AWS::Route53::HostedZone::Id`).
    pub id: Value,
    /// The zone's DNS name, e.g. `example.com` (no trailing dot).
    pub name: String,
    /// A private zone (`Lookup.IsPrivateZone: true`).
    pub private: bool,
}

/// Reads zone `name` of x-route53; reports what is wrong with it.
fn read(
    project: &Project,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, Option<String>, bool, Span)> {
    let node = project.extension(KEY)?.get(name)?;
    let zone_name = node
        .get("ZoneName")
        .or_else(|| node.get("Name"))
        .and_then(Node::as_str)
        .map(|n| n.trim_end_matches('.').to_string());
    let Some(zone_name) = zone_name.filter(|n| valid_domain(n)) else {
        diags.push(
            Diagnostic::error(
                ZONE,
                format!("x-route53 {name}: a zone needs ZoneName, a DNS name"),
                node.span,
            )
            .with_help("e.g. ZoneName: example.com"),
        );
        return None;
    };
    let lookup = node.get("Lookup");
    let (id, private) = match lookup {
        Some(l) if l.as_scalar().and_then(|s| s.as_bool()) == Some(true) => (None, false),
        Some(l) if l.as_map().is_some() => {
            let id = l.get("HostedZoneId").and_then(Node::as_str);
            if let Some(id) = id {
                let ok = id.starts_with('Z')
                    && id.len() <= 32
                    && id.chars().all(|c| c.is_ascii_alphanumeric());
                if !ok {
                    diags.push(
                        Diagnostic::error(
                            ZONE,
                            format!("x-route53 {name}: `{id}` is not a hosted zone id"),
                            l.span,
                        )
                        .with_help("hosted zone ids look like Z0123456789ABCDEFGHIJ"),
                    );
                    return None;
                }
            }
            let private = l
                .get("IsPrivateZone")
                .and_then(|p| p.as_scalar())
                .and_then(|s| s.as_bool())
                .unwrap_or(false);
            (id.map(str::to_string), private)
        }
        _ => {
            diags.push(
                Diagnostic::error(ZONE, format!("x-route53 {name}: zones can only be looked up"), lookup.map_or(node.span, |l| l.span))
                    .with_help("add `Lookup: true` (or `Lookup: {HostedZoneId: Z...}`): composex, like ComposeX, does not create hosted zones"),
            );
            return None;
        }
    };
    Some((zone_name, id, private, node.span))
}

fn valid_domain(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

/// The parameter holding zone `name`'s id.
pub fn parameter_name(name: &str) -> String {
    format!("Route53{}HostedZoneId", logical_id(name))
}

/// The zone a `x-route53::<zone>` reference (`text`, written at `span`) names, as seen from
/// stack `consumer`; None after reporting a located error.
pub fn hosted_zone(
    project: &Project,
    stacks: &mut Stacks,
    consumer: &str,
    text: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<HostedZone> {
    let name = text.strip_prefix("x-route53::").unwrap_or(text);
    let names: Vec<String> = project
        .extension(KEY)
        .and_then(Node::as_map)
        .map(|m| m.entries.iter().map(|(k, _, _)| k.clone()).collect())
        .unwrap_or_default();
    if !names.iter().any(|n| n == name) {
        let mut d = Diagnostic::error(
            BAD_REFERENCE,
            format!("`{text}`: x-route53 has no zone `{name}`"),
            span,
        );
        d = match did_you_mean(name, names.iter().map(String::as_str)) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => {
                d.with_help("define it under the top-level `x-route53:` key, with `Lookup: true`")
            }
        };
        diags.push(d);
        return None;
    }
    // `check` reports broken zones once, wherever they are used.
    let (zone_name, id, private, zone_span) = read(project, name, &mut Vec::new())?;
    let parameter = parameter_name(name);
    let description = format!("x-route53 {name} ({zone_name}): hosted zone id (existing zone)");
    let value = stacks.stack(consumer).add_parameter(
        &parameter,
        Parameter::new("AWS::Route53::HostedZone::Id").with_description(description),
    );
    match id {
        Some(id) => {
            stacks.known_values.insert(parameter, id);
        }
        None => {
            let warning = Diagnostic::warning(
                LOOKUP_PARAMETER,
                format!("x-route53 {name}: composex makes no AWS call to look the zone up; its id is the required parameter {parameter}"),
                zone_span,
            )
            .with_help(format!("give `Lookup: {{HostedZoneId: Z...}}` so the parameter files are filled, or pass --param {parameter}=<id>"));
            stacks.unfilled_warnings.insert(parameter, warning);
        }
    }
    Some(HostedZone {
        id: value,
        name: zone_name,
        private,
    })
}

/// Checks every zone of x-route53 (also the ones nothing uses yet).
pub fn check(project: &Project, diags: &mut Vec<Diagnostic>) {
    let Some(map) = project.extension(KEY).and_then(Node::as_map) else {
        return;
    };
    for (name, _, _) in &map.entries {
        let _ = read(project, name, diags);
    }
}

#[cfg(test)]
mod tests;

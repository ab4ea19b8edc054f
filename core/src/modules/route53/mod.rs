//! x-route53: existing public or private hosted zones (lookup only, as in ComposeX). A zone is
//! `<name>: {ZoneName: example.com, Lookup: true | {HostedZoneId: Z..., IsPrivateZone: bool}}`
//! (`Name` is accepted for `ZoneName`). No AWS call is made: the zone's id is a stack parameter,
//! filled in the parameter files from `Lookup.HostedZoneId` when given (else a warning asks for
//! it), and its name is known from the file.
//!
//! [`read`] is the one reader of the section: x-elbv2 `DnsAliases[].Route53Zone` and x-acm
//! `MacroParameters.HostedZoneId` (written as `x-route53::<zone>`) get their zones from it.

use crate::cfn::{logical_id, Parameter};
use crate::compose::Project;
use crate::diagnostic::{Diagnostic, Span};
use crate::modules::{BAD_REFERENCE, LOOKUP_PARAMETER};
use crate::stack::Stacks;
use crate::suggest::did_you_mean;
use crate::yaml::Node;
use serde_json::Value;

/// A zone definition that cannot be used (x-route53 not a mapping, no name, not a lookup,
/// malformed id).
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

/// One existing hosted zone of `x-route53`, read and checked by [`read`].
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Name under `x-route53`.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
    /// Where the zone's definition (the value) is written.
    pub value_span: Span,
    /// `ZoneName` / `Name` (the domain), lower case, without the final dot.
    pub domain: String,
    /// `Lookup.HostedZoneId`, when written, without the `/hostedzone/` prefix.
    pub id: Option<String>,
    /// A private zone (`Lookup.IsPrivateZone: true`).
    pub private: bool,
}

/// Reads every zone of the `x-route53` section `node`, reporting each broken one at its place;
/// returns the usable zones. The one reader of x-route53: [`check`] reports through it, and
/// x-elbv2 (DNS aliases, certificate validation) reads its zones from it.
pub fn read(node: Option<&Node>, diags: &mut Vec<Diagnostic>) -> Vec<Zone> {
    let Some(node) = node else { return Vec::new() };
    let Some(map) = node.as_map() else {
        if !node.is_null() {
            diags.push(Diagnostic::error(
                ZONE,
                format!(
                    "x-route53 must be a mapping of zones, found {}",
                    node.kind_name()
                ),
                node.span,
            ));
        }
        return Vec::new();
    };
    map.entries
        .iter()
        .filter_map(|(name, span, value)| read_zone(name, *span, value, diags))
        .collect()
}

fn read_zone(name: &str, span: Span, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Zone> {
    let domain = node
        .get("ZoneName")
        .or_else(|| node.get("Name"))
        .and_then(Node::as_str)
        .map(|n| n.trim_end_matches('.').to_ascii_lowercase());
    let Some(domain) = domain.filter(|n| valid_domain(n)) else {
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
            let id = match id.map(|id| (id, hosted_zone_id(id))) {
                Some((_, Some(valid))) => Some(valid.to_string()),
                Some((id, None)) => {
                    diags.push(
                        Diagnostic::error(
                            ZONE,
                            format!("x-route53 {name}: `{id}` is not a hosted zone id"),
                            l.span,
                        )
                        .with_help("hosted zone ids look like Z0123456789ABCDEFGHIJ: `Z` then upper-case letters and digits, 32 characters at most"),
                    );
                    return None;
                }
                None => None,
            };
            let private = l
                .get("IsPrivateZone")
                .and_then(|p| p.as_scalar())
                .and_then(|s| s.as_bool())
                .unwrap_or(false);
            (id, private)
        }
        _ => {
            diags.push(
                Diagnostic::error(ZONE, format!("x-route53 {name}: zones can only be looked up"), lookup.map_or(node.span, |l| l.span))
                    .with_help("add `Lookup: true` (or `Lookup: {HostedZoneId: Z...}`): composex, like ComposeX, does not create hosted zones"),
            );
            return None;
        }
    };
    Some(Zone {
        name: name.to_string(),
        span,
        value_span: node.span,
        domain,
        id,
        private,
    })
}

/// The id in `text` when it is a Route 53 hosted zone id: `Z` then upper-case letters and
/// digits, at most 32 characters (the API's limit). The `/hostedzone/` prefix that the API and
/// the AWS CLI print is accepted and dropped.
fn hosted_zone_id(text: &str) -> Option<&str> {
    let id = text.strip_prefix("/hostedzone/").unwrap_or(text);
    let rest = id.strip_prefix('Z')?;
    let ok = !rest.is_empty()
        && id.len() <= 32
        && rest
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    ok.then_some(id)
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
    let zone = read(project.extension(KEY), &mut Vec::new())
        .into_iter()
        .find(|z| z.name == name)?;
    let (zone_name, id, private, zone_span) = (zone.domain, zone.id, zone.private, zone.value_span);
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
    read(project.extension(KEY), diags);
}

/// The usable zones of x-route53, read silently ([`check`] reports the broken ones).
pub fn zones(project: &Project) -> Vec<Zone> {
    read(project.extension(KEY), &mut Vec::new())
}

#[cfg(test)]
mod tests;

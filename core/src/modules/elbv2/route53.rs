//! x-route53 (lookup only, as in ComposeX): existing public hosted zones that load balancer DNS
//! aliases and certificate DNS validation write into. No AWS call is made: each zone's id is a
//! root parameter, filled from `Lookup.HostedZoneId` when written, else left for the user with a
//! warning.

use super::codes::{ROUTE53, ROUTE53_LOOKUP};
use crate::cfn::{logical_id, Parameter};
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::{Stack, Stacks};
use crate::suggest::did_you_mean;
use crate::yaml::Node;

/// Prefix of a reference to a zone (`x-route53::<name>`).
pub const PREFIX: &str = "x-route53::";

/// One existing hosted zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Name under `x-route53`.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
    /// `ZoneName` / `Name` (the domain), lower case, without the final dot.
    pub domain: String,
    /// `Lookup.HostedZoneId`, when written.
    pub id: Option<String>,
}

/// Export (root parameter) holding zone `name`'s id.
pub fn id_export(name: &str) -> String {
    format!("Route53{}HostedZoneId", logical_id(name))
}

/// Reads `x-route53`.
pub fn read(node: Option<&Node>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Zone> {
    let Some(node) = node else { return Vec::new() };
    let Some(map) = node.as_map() else {
        if !node.is_null() {
            diagnostics.push(Diagnostic::error(
                ROUTE53,
                format!(
                    "x-route53 must be a mapping of zones, found {}",
                    node.kind_name()
                ),
                node.span,
            ));
        }
        return Vec::new();
    };
    let mut zones = Vec::new();
    for (name, key_span, value) in &map.entries {
        let mut domain = None;
        let mut id = None;
        let mut ok = true;
        for (key, span, item) in value.as_map().map(|m| m.entries.as_slice()).unwrap_or(&[]) {
            match key.as_str() {
                "ZoneName" | "Name" => {
                    domain = item
                        .as_str()
                        .map(|d| d.trim_end_matches('.').to_ascii_lowercase())
                }
                "Lookup" => {
                    id = item
                        .get("HostedZoneId")
                        .and_then(Node::as_str)
                        .map(str::to_string);
                    if let Some(zone_id) = id.as_deref().filter(|z| !valid_zone_id(z)) {
                        diagnostics.push(
                            Diagnostic::error(
                                ROUTE53,
                                format!("`{zone_id}` is not a hosted zone id"),
                                item.span,
                            )
                            .with_help("hosted zone ids look like Z0123456789ABCDEFGHIJ"),
                        );
                        ok = false;
                    }
                }
                _ => {
                    diagnostics.push(
                        Diagnostic::error(
                            ROUTE53,
                            format!("unknown key `{key}` in x-route53.{name}"),
                            *span,
                        )
                        .with_help("known keys: ZoneName (or Name), Lookup"),
                    );
                    ok = false;
                }
            }
        }
        let Some(domain) = domain.filter(|d| !d.is_empty()) else {
            diagnostics.push(
                Diagnostic::error(
                    ROUTE53,
                    format!("x-route53.{name} needs `ZoneName`"),
                    *key_span,
                )
                .with_help("e.g. `ZoneName: example.com`"),
            );
            continue;
        };
        if ok {
            zones.push(Zone {
                name: name.clone(),
                span: *key_span,
                domain,
                id,
            });
        }
    }
    zones
}

fn valid_zone_id(id: &str) -> bool {
    let id = id.strip_prefix("/hostedzone/").unwrap_or(id);
    !id.is_empty()
        && id.len() <= 32
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Declares each zone's id as a root parameter (declared by the layout only if used).
pub fn write(zones: &[Zone], stacks: &mut Stacks) {
    for zone in zones {
        let export = id_export(&zone.name);
        stacks.root().export_parameter(
            &export,
            Parameter::new("AWS::Route53::HostedZone::Id").with_description(format!(
                "Id of the existing hosted zone {} ({})",
                zone.name, zone.domain
            )),
        );
        match &zone.id {
            Some(id) => {
                stacks
                    .known_values
                    .insert(export, id.trim_start_matches("/hostedzone/").to_string());
            }
            None => {
                let warning = Diagnostic::warning(ROUTE53_LOOKUP, format!("x-route53.{} is looked up; parameter {export} must be filled at deploy time", zone.name), zone.span)
                    .with_help(format!("composex does not call AWS: give `Lookup: {{HostedZoneId: Z...}}`, or pass `--param {export}=...`, or fill it in the parameter files"));
                stacks.unfilled_warnings.insert(export, warning);
            }
        }
    }
}

/// The zone a `x-route53::<name>` reference names; reports unknown zones at `span`.
pub fn resolve<'z>(
    reference: &str,
    span: Span,
    zones: &'z [Zone],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'z Zone> {
    let Some(name) = reference.strip_prefix(PREFIX) else {
        diagnostics.push(
            Diagnostic::error(
                ROUTE53,
                format!("`{reference}` is not a zone reference"),
                span,
            )
            .with_help("write `x-route53::<zone name>`"),
        );
        return None;
    };
    match zones.iter().find(|z| z.name == name) {
        Some(zone) => Some(zone),
        None => {
            let mut d =
                Diagnostic::error(ROUTE53, format!("no x-route53 zone named `{name}`"), span);
            d = match did_you_mean(name, zones.iter().map(|z| z.name.as_str())) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help("define it under the top-level `x-route53` (ZoneName, Lookup)"),
            };
            diagnostics.push(d);
            None
        }
    }
}

/// True when `record` is `domain` or a name inside it.
pub fn in_zone(record: &str, domain: &str) -> bool {
    let record = record.trim_end_matches('.').to_ascii_lowercase();
    record == domain || record.ends_with(&format!(".{domain}"))
}

/// `Ref` to zone `zone`'s id parameter, imported into `stack`.
pub fn zone_id(zone: &str, stack: &mut Stack) -> serde_json::Value {
    stack.import(&id_export(zone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_zones() {
        assert!(in_zone("warp.example.com", "example.com"));
        assert!(in_zone("*.warp.example.com.", "example.com"));
        assert!(in_zone("Example.com", "example.com"));
        assert!(!in_zone("badexample.com", "example.com"));
        assert!(valid_zone_id("Z0123456789ABCDEFGHIJ"));
        assert!(valid_zone_id("/hostedzone/Z01"));
        assert!(!valid_zone_id("zone-1"));
    }
}

//! x-route53 zones as x-elbv2 uses them: existing public hosted zones that load balancer DNS
//! aliases and certificate DNS validation write into. The zones are read (and checked) by
//! [`crate::modules::route53::read`]. No AWS call is made: each zone's id is a root parameter,
//! filled from `Lookup.HostedZoneId` when written, else left for the user with a warning.

use super::codes::{ROUTE53, ROUTE53_LOOKUP};
use crate::cfn::Parameter;
use crate::compose::Project;
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::{Stack, Stacks};
use crate::suggest::did_you_mean;
use crate::yaml::Node;

/// The export (root parameter) holding a zone's id is the x-route53 module's parameter name.
pub use crate::modules::route53::{parameter_name as id_export, Zone};

/// Prefix of a reference to a zone (`x-route53::<name>`).
pub const PREFIX: &str = "x-route53::";

/// The zones x-elbv2 can use, and the names of the zones x-route53 defines but that could not
/// be read (the x-route53 check reported them; references to them add nothing).
pub struct Zones {
    /// Zones read whole.
    pub usable: Vec<Zone>,
    /// Names of broken zones.
    pub broken: Vec<String>,
}

impl Zones {
    /// The zones of `project`'s x-route53.
    pub fn of(project: &Project) -> Zones {
        let usable = crate::modules::route53::zones(project);
        let broken = project
            .extension(crate::modules::route53::KEY)
            .and_then(Node::as_map)
            .map(|m| {
                m.entries
                    .iter()
                    .map(|(name, _, _)| name)
                    .filter(|name| !usable.iter().any(|z| &z.name == *name))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        Zones { usable, broken }
    }
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
                stacks.known_values.insert(export, id.clone());
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
    zones: &'z Zones,
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
    if zones.broken.iter().any(|b| b == name) {
        return None;
    }
    match zones.usable.iter().find(|z| z.name == name) {
        Some(zone) => Some(zone),
        None => {
            let mut d =
                Diagnostic::error(ROUTE53, format!("no x-route53 zone named `{name}`"), span);
            d = match did_you_mean(name, zones.usable.iter().map(|z| z.name.as_str())) {
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
    }
}

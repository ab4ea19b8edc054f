//! x-acm (minimal): new certificates with DNS validation, in stack `acm`, for HTTPS and TLS
//! listeners. A looked-up certificate (`Lookup`, legacy `Use`) becomes a root parameter holding
//! its ARN (no AWS call): filled from `Lookup.Arn` when given, else left for the user with a
//! warning.

use serde_json::{json, Map, Value};

use super::codes::{ACM, LOOKUP, ROUTE53};
use super::route53::{self, Zones};
use crate::cfn::{checkov, logical_id, ref_, Parameter, Resource};
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::posture::USER_CHOICE;
use crate::stack::Stacks;
use crate::yaml::to_json;
use crate::yaml::Node;

/// Name of the certificates stack (`acm.yaml`).
pub const STACK: &str = "acm";

/// Export name of certificate `name`'s ARN.
pub fn arn_export(name: &str) -> String {
    format!("Acm{}CertificateArn", logical_id(name))
}

/// A certificate definition, read.
#[derive(Debug, Clone, PartialEq)]
pub struct CertificateDef {
    /// Name under `x-acm`.
    pub name: String,
    /// `AWS::CertificateManager::Certificate` properties.
    pub properties: Map<String, Value>,
    /// For an existing certificate: its ARN when written, and where the lookup is written.
    pub lookup: Option<(Option<String>, Span)>,
    /// Why a wildcard domain name is there (the user's choice), for the scanner suppression.
    pub wildcard: Option<String>,
}

/// Reads `x-acm`; definitions with errors are left out (and reported): their names are
/// returned second.
pub fn read(
    node: Option<&Node>,
    zones: &Zones,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<CertificateDef>, Vec<String>) {
    let mut failed = Vec::new();
    let Some(node) = node else {
        return (Vec::new(), failed);
    };
    let Some(map) = node.as_map() else {
        if !node.is_null() {
            diagnostics.push(Diagnostic::error(
                ACM,
                format!(
                    "x-acm must be a mapping of certificates, found {}",
                    node.kind_name()
                ),
                node.span,
            ));
        }
        return (Vec::new(), failed);
    };
    let mut out = Vec::new();
    for (name, key_span, value) in &map.entries {
        let Some(def) = value.as_map() else {
            diagnostics.push(Diagnostic::error(
                ACM,
                format!("x-acm.{name} must be a mapping"),
                value.span,
            ));
            failed.push(name.clone());
            continue;
        };
        let mut ok = true;
        let mut properties = Map::new();
        let mut lookup = None;
        for (key, span, item) in &def.entries {
            match key.as_str() {
                "Properties" => {
                    if let Value::Object(p) = to_json(item) {
                        properties.extend(p);
                    } else {
                        diagnostics.push(Diagnostic::error(
                            ACM,
                            "Properties must be a mapping",
                            item.span,
                        ));
                        ok = false;
                    }
                }
                "MacroParameters" => {
                    ok &= macro_parameters(item, zones, &mut properties, diagnostics)
                }
                "Settings" => {}
                "Lookup" | "Use" => {
                    let arn = match key.as_str() {
                        "Use" => item.as_str(),
                        _ => item.get("Arn").and_then(Node::as_str),
                    };
                    let arn = arn.filter(|a| a.starts_with("arn:")).map(str::to_string);
                    if key == "Use" && arn.is_none() {
                        diagnostics.push(
                            Diagnostic::error(
                                ACM,
                                "`Use` must be the ARN of an existing certificate",
                                item.span,
                            )
                            .with_help(
                                "e.g. `Use: arn:aws:acm:eu-west-1:123456789012:certificate/...`",
                            ),
                        );
                        ok = false;
                    }
                    lookup = Some((arn, *span));
                }
                _ => {
                    diagnostics.push(
                        Diagnostic::error(
                            ACM,
                            format!("unknown key `{key}` in x-acm.{name}"),
                            *span,
                        )
                        .with_help("known keys: Properties, MacroParameters, Settings"),
                    );
                    ok = false;
                }
            }
        }
        let zone_refs: Vec<String> = match properties.get("DomainValidationOptions") {
            Some(Value::Array(options)) => options
                .iter()
                .filter_map(|o| o.get("HostedZoneId").and_then(Value::as_str))
                .filter(|z| z.starts_with(route53::PREFIX))
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        for zone in zone_refs {
            let span = def.key_span("Properties").unwrap_or(*key_span);
            ok &= route53::resolve(&zone, span, zones, diagnostics).is_some();
        }
        if let (Some((_, span)), false) = (&lookup, properties.is_empty()) {
            diagnostics.push(
                Diagnostic::error(ACM, format!("certificate `{name}` is both looked up and defined"), *span)
                    .with_help("keep either `Lookup` (an existing certificate) or `Properties`/`MacroParameters` (a new one)"),
            );
            ok = false;
        }
        if ok && lookup.is_none() && !properties.get("DomainName").is_some_and(Value::is_string) {
            diagnostics.push(
                Diagnostic::error(ACM, format!("certificate `{name}` has no DomainName"), *key_span)
                    .with_help("add `Properties: {DomainName: www.example.com}` or `MacroParameters: {DomainNames: [...], HostedZoneId: Z...}`"),
            );
            ok = false;
        }
        if ok {
            if lookup.is_none() {
                properties
                    .entry("ValidationMethod")
                    .or_insert_with(|| json!("DNS"));
            }
            let names = properties.get("DomainName").into_iter().chain(
                properties
                    .get("SubjectAlternativeNames")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
            let wildcards: Vec<&str> = names
                .filter_map(Value::as_str)
                .filter(|d| d.starts_with('*'))
                .collect();
            let wildcard = (!wildcards.is_empty()).then(|| {
                let reason = format!(
                    "x-acm.{name} asks for the wildcard name {}: the certificate is valid for every host under it",
                    wildcards.join(", ")
                );
                diagnostics.push(Diagnostic::info(USER_CHOICE, reason.clone(), *key_span));
                reason
            });
            out.push(CertificateDef {
                name: name.clone(),
                properties,
                lookup,
                wildcard,
            });
        } else {
            failed.push(name.clone());
        }
    }
    (out, failed)
}

fn macro_parameters(
    node: &Node,
    zones: &Zones,
    properties: &mut Map<String, Value>,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let names: Vec<String> = node
        .get("DomainNames")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|n| n.as_scalar().map(|s| s.text.clone()))
        .collect();
    let zone = node.get("HostedZoneId");
    let zone_text = zone.and_then(|z| z.as_scalar()).map(|s| s.text.clone());
    let (Some(first), Some(zone_id)) = (names.first(), zone_text) else {
        diagnostics.push(
            Diagnostic::error(
                ACM,
                "MacroParameters needs `DomainNames` (a list) and `HostedZoneId`",
                node.span,
            )
            .with_help("e.g. `{DomainNames: [www.example.com], HostedZoneId: Z0123456789ABC}`"),
        );
        return false;
    };
    if zone_id.starts_with(route53::PREFIX) {
        let span = zone.map_or(node.span, |z| z.span);
        let Some(found) = route53::resolve(&zone_id, span, zones, diagnostics) else {
            return false;
        };
        let outside: Vec<&String> = names
            .iter()
            .filter(|n| !route53::in_zone(n, &found.domain))
            .collect();
        if !outside.is_empty() {
            diagnostics.push(
                Diagnostic::error(
                    ROUTE53,
                    format!(
                        "{} not in zone {} ({})",
                        outside
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        found.name,
                        found.domain
                    ),
                    span,
                )
                .with_help("DNS validation writes its records into this zone: use names inside it"),
            );
            return false;
        }
    }
    properties.insert("DomainName".into(), json!(first));
    if names.len() > 1 {
        properties.insert("SubjectAlternativeNames".into(), json!(names[1..]));
    }
    let options: Vec<Value> = names
        .iter()
        .map(|n| json!({ "DomainName": n, "HostedZoneId": zone_id }))
        .collect();
    properties.insert("DomainValidationOptions".into(), Value::Array(options));
    properties.insert("ValidationMethod".into(), json!("DNS"));
    true
}

/// Writes the certificates into stack `acm` and exports their ARNs.
pub fn write(certificates: &[CertificateDef], stacks: &mut Stacks) {
    for certificate in certificates {
        let export = arn_export(&certificate.name);
        if let Some((arn, span)) = &certificate.lookup {
            // Declared by the layout only when a listener uses it.
            stacks.root().export_parameter(
                &export,
                Parameter::string().with_description(format!(
                    "ARN of the existing certificate {}",
                    certificate.name
                )),
            );
            match arn {
                Some(arn) => {
                    stacks.known_values.insert(export.clone(), arn.clone());
                }
                None => {
                    let warning = Diagnostic::warning(
                        LOOKUP,
                        format!("x-acm.{} is looked up; parameter {export} must be filled at deploy time", certificate.name),
                        *span,
                    )
                    .with_help(format!(
                        "composex does not call AWS: give `Lookup: {{Arn: arn:aws:acm:...}}`, or pass `--param {export}=...`, or fill it in the parameter files"
                    ));
                    stacks.unfilled_warnings.insert(export, warning);
                }
            }
            continue;
        }
        let stack = stacks.stack(STACK);
        let mut properties = certificate.properties.clone();
        if let Some(Value::Array(options)) = properties.get_mut("DomainValidationOptions") {
            for option in options {
                let zone = option
                    .get("HostedZoneId")
                    .and_then(Value::as_str)
                    .and_then(|z| z.strip_prefix(route53::PREFIX))
                    .map(str::to_string);
                if let (Some(zone), Some(object)) = (zone, option.as_object_mut()) {
                    object.insert("HostedZoneId".into(), route53::zone_id(&zone, stack));
                }
            }
        }
        let mut resource = Resource::new(
            "AWS::CertificateManager::Certificate",
            Value::Object(properties),
        );
        if let Some(reason) = &certificate.wildcard {
            checkov::skip(&mut resource, "CKV2_AWS_71", reason);
        }
        let id = stack.add_resource(&certificate.name, resource);
        stack.export(
            &export,
            ref_(&id),
            "String",
            &format!("ARN of certificate {}", certificate.name),
        );
    }
}

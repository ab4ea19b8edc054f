//! x-acm (minimal): new certificates with DNS validation, in stack `acm`, for HTTPS and TLS
//! listeners. A looked-up certificate (`Lookup`, legacy `Use`) becomes a root parameter holding
//! its ARN (no AWS call): filled from `Lookup.Arn` when given, else left for the user with a
//! warning.

use serde_json::{json, Map, Value};

use super::codes::{ACM, LOOKUP, UNSUPPORTED};
use super::json::node_to_json;
use crate::cfn::{logical_id, ref_, Parameter, Resource};
use crate::diagnostic::{Diagnostic, Span};
use crate::emit::Stacks;
use crate::yaml::Node;

/// Name of the certificates stack (`acm.yaml`).
pub const STACK: &str = "acm";

/// Export name of certificate `name`'s ARN.
pub fn arn_export(name: &str) -> String {
    format!("{}CertificateArn", logical_id(name))
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
}

/// Reads `x-acm`; definitions with errors are left out (and reported): their names are
/// returned second.
pub fn read(
    node: Option<&Node>,
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
                    if let Value::Object(p) = node_to_json(item) {
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
                "MacroParameters" => ok &= macro_parameters(item, &mut properties, diagnostics),
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
            out.push(CertificateDef {
                name: name.clone(),
                properties,
                lookup,
            });
        } else {
            failed.push(name.clone());
        }
    }
    (out, failed)
}

fn macro_parameters(
    node: &Node,
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
    if zone_id.starts_with("x-route53::") {
        diagnostics.push(
            Diagnostic::error(
                UNSUPPORTED,
                "x-route53 zones are not supported by composex yet",
                zone.map_or(node.span, |z| z.span),
            )
            .with_help("write the hosted zone id (`Z...`)"),
        );
        return false;
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
        let id = stack.add_resource(
            &certificate.name,
            Resource::new(
                "AWS::CertificateManager::Certificate",
                Value::Object(certificate.properties.clone()),
            ),
        );
        stack.export(
            &export,
            ref_(&id),
            "String",
            &format!("ARN of certificate {}", certificate.name),
        );
    }
}

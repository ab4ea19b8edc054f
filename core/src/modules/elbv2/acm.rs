//! x-acm (minimal): new certificates with DNS validation, in stack `acm`, for HTTPS and TLS
//! listeners. `Lookup` of existing certificates is not supported: use `CertificateArn` on the
//! listener instead.

use serde_json::{json, Map, Value};

use super::codes::{ACM, UNSUPPORTED};
use super::json::node_to_json;
use crate::cfn::{logical_id, ref_, Resource};
use crate::diagnostic::Diagnostic;
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
                    diagnostics.push(
                        Diagnostic::error(UNSUPPORTED, format!("`{key}` on x-acm is not supported by composex yet"), *span)
                            .with_help("give the listener the existing certificate as `CertificateArn: arn:aws:acm:...`"),
                    );
                    ok = false;
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
        if ok && !properties.get("DomainName").is_some_and(Value::is_string) {
            diagnostics.push(
                Diagnostic::error(ACM, format!("certificate `{name}` has no DomainName"), *key_span)
                    .with_help("add `Properties: {DomainName: www.example.com}` or `MacroParameters: {DomainNames: [...], HostedZoneId: Z...}`"),
            );
            ok = false;
        }
        if ok {
            properties
                .entry("ValidationMethod")
                .or_insert_with(|| json!("DNS"));
            out.push(CertificateDef {
                name: name.clone(),
                properties,
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
    if certificates.is_empty() {
        return;
    }
    let stack = stacks.stack(STACK);
    for certificate in certificates {
        let id = stack.add_resource(
            &certificate.name,
            Resource::new(
                "AWS::CertificateManager::Certificate",
                Value::Object(certificate.properties.clone()),
            ),
        );
        stack.export(
            &arn_export(&certificate.name),
            ref_(&id),
            "String",
            &format!("ARN of certificate {}", certificate.name),
        );
    }
}

//! ComposeX's `x-network.x-ecs_connect` on a service: explicit Service Connect settings for its
//! family, which win over the defaults of `service_connect`.
//!
//! ```yaml
//! x-network:
//!   x-ecs_connect:
//!     MacroParameters:
//!       x-cloudmap: PrivateNamespace        # the namespace (a key of x-cloudmap)
//!       service_ports:
//!         tcp_4567:                         # a port name: the compose `name`, else tcp_<port>
//!           DnsName: yelb-appserver         # a client alias, before the default ones
//!           CloudMapServiceName: appserver  # the discovery name
//! ```
//!
//! or `Properties:` with a whole `ServiceConnectConfiguration`, used as written.

use serde_json::{Map, Value};

use super::family::Plan;
use super::unknown_keys;
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::Node;

/// `x-ecs_connect` names a port the family does not have, or is set twice in one family.
pub const ECS_CONNECT: &str = "CX388";

const KEYS: &[&str] = &["MacroParameters", "Properties"];
const MACRO_KEYS: &[&str] = &["x-cloudmap", "service_ports"];
const PORT_KEYS: &[&str] = &[
    "DnsName",
    "CloudMapServiceName",
    "Timeout",
    "IngressPortOverride",
];

/// Explicit settings of one port.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PortSettings {
    /// A client alias that comes first.
    pub dns_name: Option<String>,
    /// The discovery name.
    pub discovery_name: Option<String>,
    /// Other `ServiceConnectService` properties (`Timeout`, `IngressPortOverride`).
    pub extra: Map<String, Value>,
}

/// A family's explicit Service Connect settings.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Explicit {
    /// The x-cloudmap namespace key, and where it is written.
    pub namespace: Option<(String, Span)>,
    /// Settings by port name.
    pub ports: Vec<(String, Span, PortSettings)>,
    /// A whole `ServiceConnectConfiguration` written by the user.
    pub properties: Option<Value>,
}

/// Reads the family's `x-ecs_connect` (at most one service of the family may set it).
pub fn read(plan: &Plan<'_>, diags: &mut Vec<Diagnostic>) -> Option<Explicit> {
    let mut found: Option<(Span, Explicit)> = None;
    for service in plan.containers.iter().map(|c| c.service) {
        // A malformed x-network is reported where the family reads it.
        let Some(node) = service
            .extension("x-network")
            .and_then(|n| n.get("x-ecs_connect"))
        else {
            continue;
        };
        let what = format!("services.{}.x-network.x-ecs_connect", service.name);
        if let Some((first, _)) = &found {
            diags.push(
                Diagnostic::error(
                    ECS_CONNECT,
                    format!(
                        "{what}: task family `{}` has x-ecs_connect twice",
                        plan.name
                    ),
                    node.span,
                )
                .with_label(*first, "first set here")
                .with_help("set it on one service of the family"),
            );
            continue;
        }
        unknown_keys(node, KEYS, &what, diags);
        let mut explicit = Explicit {
            properties: node.get("Properties").map(super::to_json),
            ..Explicit::default()
        };
        if let Some(m) = node.get("MacroParameters") {
            unknown_keys(m, MACRO_KEYS, &format!("{what}.MacroParameters"), diags);
            explicit.namespace = m
                .get("x-cloudmap")
                .and_then(|n| n.as_str().map(|t| (t.to_string(), n.span)));
            let ports = m.get("service_ports").and_then(|n| n.as_map());
            for (name, span, settings) in ports.map(|p| &p.entries[..]).unwrap_or_default() {
                unknown_keys(
                    settings,
                    PORT_KEYS,
                    &format!("{what}.MacroParameters.service_ports.{name}"),
                    diags,
                );
                let get = |key: &str| settings.get(key).and_then(Node::as_str).map(str::to_string);
                let mut port = PortSettings {
                    dns_name: get("DnsName"),
                    discovery_name: get("CloudMapServiceName"),
                    ..PortSettings::default()
                };
                for key in ["Timeout", "IngressPortOverride"] {
                    if let Some(value) = settings.get(key) {
                        port.extra.insert(key.into(), super::to_json(value));
                    }
                }
                explicit.ports.push((name.clone(), *span, port));
            }
        }
        found = Some((node.span, explicit));
    }
    found.map(|(_, explicit)| explicit)
}

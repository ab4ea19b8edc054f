//! Reading `x-elbv2.<name>` nodes into typed load balancer definitions. Shape problems are
//! reported here (located at the offending node); checks against the compose services are in
//! `validate`.

use serde_json::{Map, Value};

use super::codes::*;
use super::healthcheck::{self, HealthCheck};
use super::json::{node_to_json, sub_span};
use crate::diagnostic::{Diagnostic, Span};
use crate::suggest::did_you_mean;
use crate::yaml::Node;

/// Application or network load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `application` (ALB, HTTP/HTTPS).
    Application,
    /// `network` (NLB, TCP/UDP/TLS).
    Network,
}

/// One `x-elbv2.<name>` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadBalancer {
    /// The key under `x-elbv2`.
    pub name: String,
    /// The key's span.
    pub span: Span,
    /// ALB or NLB.
    pub kind: Kind,
    /// True for `Scheme: internal`.
    pub internal: bool,
    /// True for `IpAddressType: dualstack`.
    pub dualstack: bool,
    /// Other `Properties` the user wrote, passed verbatim.
    pub properties: Map<String, Value>,
    /// `LoadBalancerAttributes` from the ComposeX shortcuts (`timeout_seconds`, ...).
    pub attributes: Vec<(String, String)>,
    /// `MacroParameters.Ingress`.
    pub ingress: Ingress,
    /// `Settings.Subnets` (a subnet group name).
    pub subnets: Option<(String, Span)>,
    /// `Settings.NoAllocateEips` (NLB).
    pub no_eips: bool,
    /// `Settings.RetainEips` (NLB).
    pub retain_eips: bool,
    /// Listeners, in file order.
    pub listeners: Vec<Listener>,
    /// `Services` entries, in file order.
    pub services: Vec<TargetService>,
    /// `DnsAliases`: (zone reference, its span, record names).
    pub dns_aliases: Vec<(String, Span, Vec<String>)>,
    /// Names targets may use that name no target group composex can make (a `Services` entry
    /// with errors, a `TargetGroups` entry): already reported, not reported again.
    pub reported_names: Vec<String>,
}

/// `MacroParameters.Ingress`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ingress {
    /// True when `Ingress` was written at all.
    pub written: bool,
    /// `ExtSources`.
    pub ext_sources: Vec<ExtSource>,
    /// `AwsSources`.
    pub aws_sources: Vec<AwsSource>,
    /// `Myself`.
    pub myself: bool,
}

/// One `ExtSources` entry: a CIDR.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtSource {
    /// The CIDR.
    pub cidr: String,
    /// True for IPv6.
    pub ipv6: bool,
    /// `Description` or `Name`.
    pub description: Option<String>,
}

/// One `AwsSources` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct AwsSource {
    /// True for `PrefixList`, false for `SecurityGroup`.
    pub prefix_list: bool,
    /// The id (`sg-...`, `pl-...`).
    pub id: String,
}

/// One listener.
#[derive(Debug, Clone, PartialEq)]
pub struct Listener {
    /// The port.
    pub port: u16,
    /// Span of the port (or of the listener when no port is written).
    pub port_span: Span,
    /// The protocol (upper case).
    pub protocol: String,
    /// Span of `Protocol`, when written.
    pub protocol_span: Option<Span>,
    /// `SslPolicy`.
    pub ssl_policy: Option<String>,
    /// `Certificates`.
    pub certificates: Vec<Certificate>,
    /// Span of `Certificates`.
    pub certificates_span: Option<Span>,
    /// `DefaultActions`.
    pub default_actions: Vec<DefaultAction>,
    /// True when `DefaultActions` was written (even if some entries were wrong).
    pub default_actions_written: bool,
    /// `Targets`.
    pub targets: Vec<Target>,
}

/// A listener certificate.
#[derive(Debug, Clone, PartialEq)]
pub enum Certificate {
    /// `CertificateArn` / `Arn`: an existing certificate.
    Arn(String),
    /// `x-acm: <name>`: a certificate of this project, and where it is named.
    Acm(String, Span),
}

/// A listener default action.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultAction {
    /// `Redirect: HTTP_TO_HTTPS`.
    RedirectToHttps,
    /// A CloudFormation `Action` written in full (has a `Type`).
    Raw(Value),
}

/// One `Targets` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// `name`: a `Services` key (`family:container[:port]`).
    pub name: String,
    /// Span of `name`.
    pub name_span: Span,
    /// The host part of `access`.
    pub host: Option<String>,
    /// The path part of `access` (`/` when only a host is given).
    pub path: Option<String>,
    /// Span of `access`.
    pub access_span: Option<Span>,
    /// `Conditions`, verbatim.
    pub conditions: Option<Value>,
    /// `AuthenticateOidcConfig`, verbatim.
    pub oidc: Option<Value>,
    /// Span of the target entry.
    pub span: Span,
}

impl Target {
    /// True when the target takes every request the listener gets (no host, path `/` or none,
    /// no conditions): it becomes the listener's default action.
    pub fn is_catch_all(&self) -> bool {
        self.host.is_none()
            && self.conditions.is_none()
            && self.oidc.is_none()
            && matches!(self.path.as_deref(), None | Some("/") | Some("/*"))
    }
}

/// One `Services` entry: a target group for one container port.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetService {
    /// The key as written.
    pub key: String,
    /// Span of the key.
    pub key_span: Span,
    /// Family part of the key.
    pub family: String,
    /// Container part of the key (None: the family's only container).
    pub container: Option<String>,
    /// `port`: the container port the target group sends traffic to.
    pub port: u16,
    /// Span of `port` (or of the entry).
    pub port_span: Span,
    /// `protocol` (upper case).
    pub protocol: String,
    /// Span of `protocol`.
    pub protocol_span: Option<Span>,
    /// `healthcheck`, as target group properties.
    pub health_check: Map<String, Value>,
    /// `TargetGroupAttributes`.
    pub attributes: Vec<(String, String)>,
    /// `ProtocolVersion`.
    pub protocol_version: Option<String>,
}

/// A reader pushing located diagnostics.
pub(super) struct Reader<'a> {
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

fn str_of(node: &Node) -> Option<String> {
    node.as_scalar().map(|s| s.text.clone())
}

fn int_of(node: &Node) -> Option<i64> {
    node.as_scalar()
        .and_then(|s| s.as_i64().or_else(|| s.text.trim().parse().ok()))
}

fn bool_of(node: &Node) -> Option<bool> {
    node.as_scalar().and_then(|s| {
        s.as_bool().or(match s.text.as_str() {
            "true" | "True" => Some(true),
            "false" | "False" => Some(false),
            _ => None,
        })
    })
}

/// The ComposeX load balancer attribute shortcuts: key -> (attribute, ALB, NLB).
const SHORTCUTS: [(&str, &str, bool, bool); 5] = [
    (
        "timeout_seconds",
        "idle_timeout.timeout_seconds",
        true,
        false,
    ),
    (
        "desync_mitigation_mode",
        "routing.http.desync_mitigation_mode",
        true,
        false,
    ),
    (
        "drop_invalid_header_fields",
        "routing.http.drop_invalid_header_fields.enabled",
        true,
        false,
    ),
    ("http2", "routing.http2.enabled", true, false),
    (
        "cross_zone",
        "load_balancing.cross_zone.enabled",
        false,
        true,
    ),
];

const TOP_KEYS: [&str; 9] = [
    "Properties",
    "MacroParameters",
    "Settings",
    "Listeners",
    "Services",
    "TargetGroups",
    "Lookup",
    "DnsAliases",
    "Use",
];

impl Reader<'_> {
    fn error(
        &mut self,
        code: &'static str,
        message: impl Into<String>,
        span: Span,
    ) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::error(code, message, span));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn unknown_key(&mut self, key: &str, span: Span, known: &[&str], what: &str) {
        let mut d = Diagnostic::error(SHAPE, format!("unknown key `{key}` in {what}"), span);
        if let Some(s) = did_you_mean(key, known.iter().copied()) {
            d = d.with_help(format!("did you mean `{s}`?"));
        } else {
            d = d.with_help(format!("known keys: {}", known.join(", ")));
        }
        self.push(d);
    }

    fn expect_map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n crate::yaml::Map> {
        let map = node.as_map();
        if map.is_none() && !node.is_null() {
            self.error(
                SHAPE,
                format!("{what} must be a mapping, found {}", node.kind_name()),
                node.span,
            );
        }
        map
    }

    /// Reads one load balancer.
    pub fn load_balancer(
        &mut self,
        name: &str,
        key_span: Span,
        node: &Node,
    ) -> Option<LoadBalancer> {
        let map = self.expect_map(node, &format!("x-elbv2.{name}"))?;
        for (key, span, _) in &map.entries {
            if !TOP_KEYS.contains(&key.as_str()) {
                self.unknown_key(key, *span, &TOP_KEYS, &format!("x-elbv2.{name}"));
            }
        }
        for key in ["Lookup", "TargetGroups", "Use"] {
            if let Some(span) = map.key_span(key) {
                self.error(
                    UNSUPPORTED,
                    format!("`{key}` on x-elbv2 is not supported by composex yet"),
                    span,
                )
                .help = Some(match key {
                    "TargetGroups" => {
                        "define one `Services` entry per target (`family:container:port`)".into()
                    }
                    _ => "define the load balancer here with `Properties` and `Listeners`".into(),
                });
            }
        }
        let mut lb = LoadBalancer {
            name: name.to_string(),
            span: key_span,
            kind: Kind::Application,
            internal: false,
            dualstack: false,
            properties: Map::new(),
            attributes: Vec::new(),
            ingress: Ingress::default(),
            subnets: None,
            no_eips: false,
            retain_eips: false,
            listeners: Vec::new(),
            services: Vec::new(),
            reported_names: Vec::new(),
            dns_aliases: Vec::new(),
        };
        if let Some(aliases) = map.get("DnsAliases") {
            self.dns_aliases(aliases, &mut lb);
        }
        if let Some(props) = map.get("Properties") {
            self.properties(props, &mut lb);
        }
        for section in ["MacroParameters", "Settings"] {
            if let Some(node) = map.get(section) {
                self.settings(node, section, &mut lb);
            }
        }
        if let Some(groups) = map.get("TargetGroups").and_then(Node::as_map) {
            lb.reported_names
                .extend(groups.entries.iter().map(|(k, _, _)| k.clone()));
        }
        if let Some(node) = map.get("Services") {
            self.services(node, &mut lb);
        } else if map.get("TargetGroups").is_none() {
            self.error(SHAPE, format!("x-elbv2.{name} has no `Services`"), key_span)
                .help = Some(
                "add `Services: {\"family:container\": {port, protocol, healthcheck}}`".into(),
            );
        }
        match map.get("Listeners") {
            Some(node) => self.listeners(node, &mut lb),
            None => {
                self.error(
                    SHAPE,
                    format!("x-elbv2.{name} has no `Listeners`"),
                    key_span,
                );
            }
        }
        Some(lb)
    }

    fn dns_aliases(&mut self, node: &Node, lb: &mut LoadBalancer) {
        let Some(items) = node.as_seq() else {
            self.error(
                SHAPE,
                "DnsAliases must be a list of {Names, Route53Zone}",
                node.span,
            );
            return;
        };
        for item in items {
            let zone = item.get("Route53Zone");
            let names: Vec<String> = item
                .get("Names")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(str_of)
                .collect();
            match (zone.and_then(str_of), names.is_empty()) {
                (Some(reference), false) => {
                    let span = zone.map_or(item.span, |z| z.span);
                    lb.dns_aliases.push((reference, span, names));
                }
                _ => {
                    self.error(SHAPE, "a DnsAliases entry needs `Names` (a list) and `Route53Zone: x-route53::<zone>`", item.span);
                }
            }
        }
    }

    fn properties(&mut self, node: &Node, lb: &mut LoadBalancer) {
        let Some(map) = self.expect_map(node, "Properties") else {
            return;
        };
        for (key, span, value) in &map.entries {
            match key.as_str() {
                "Type" => match str_of(value).as_deref() {
                    Some("application") => lb.kind = Kind::Application,
                    Some("network") => lb.kind = Kind::Network,
                    other => {
                        self.error(
                            VALUE,
                            format!(
                                "load balancer Type `{}` is not supported",
                                other.unwrap_or("?")
                            ),
                            value.span,
                        )
                        .help = Some("use `application` or `network`".into());
                    }
                },
                "Scheme" => match str_of(value).as_deref() {
                    Some("internet-facing") => lb.internal = false,
                    Some("internal") => lb.internal = true,
                    other => {
                        self.error(
                            VALUE,
                            format!("Scheme `{}` is not valid", other.unwrap_or("?")),
                            value.span,
                        )
                        .help = Some("use `internet-facing` or `internal`".into());
                    }
                },
                "Subnets" | "SubnetMappings" | "SecurityGroups" => {
                    self.push(
                        Diagnostic::error(SHAPE, format!("`Properties.{key}` is set by composex"), *span)
                            .with_help("choose the subnets with `Settings.Subnets` (PublicSubnets, AppSubnets, StorageSubnets) and the ingress with `MacroParameters.Ingress`"),
                    );
                }
                // The mapping shorthand (as for TargetGroupAttributes) becomes the CFN list.
                "LoadBalancerAttributes" if value.as_map().is_some() => {
                    let list: Vec<Value> = self
                        .attributes(value)
                        .into_iter()
                        .map(|(k, v)| serde_json::json!({ "Key": k, "Value": v }))
                        .collect();
                    lb.properties.insert(key.clone(), Value::Array(list));
                }
                _ => {
                    if key == "IpAddressType" {
                        lb.dualstack = str_of(value).as_deref() == Some("dualstack");
                    }
                    lb.properties.insert(key.clone(), node_to_json(value));
                }
            }
        }
    }

    fn settings(&mut self, node: &Node, section: &str, lb: &mut LoadBalancer) {
        let Some(map) = self.expect_map(node, section) else {
            return;
        };
        for (key, span, value) in &map.entries {
            if let Some((_, attribute, alb, nlb)) = SHORTCUTS.iter().find(|s| s.0 == key) {
                let applies = match lb.kind {
                    Kind::Application => *alb,
                    Kind::Network => *nlb,
                };
                let text = match bool_of(value) {
                    Some(b) => b.to_string(),
                    None => str_of(value).unwrap_or_default(),
                };
                if applies {
                    lb.attributes.retain(|(a, _)| a != attribute);
                    lb.attributes.push((attribute.to_string(), text));
                } else {
                    self.push(Diagnostic::warning(
                        IGNORED,
                        format!("`{key}` does not apply to this load balancer type and is ignored"),
                        *span,
                    ));
                }
                continue;
            }
            match key.as_str() {
                "Ingress" => self.ingress(value, lb),
                "Subnets" => match str_of(value) {
                    Some(s) => lb.subnets = Some((s, value.span)),
                    None => {
                        self.error(SHAPE, "`Subnets` must be a subnet group name", value.span);
                    }
                },
                "NoAllocateEips" => lb.no_eips = bool_of(value).unwrap_or(false),
                "RetainEips" => lb.retain_eips = bool_of(value).unwrap_or(false),
                "S3Logs" => {
                    let text = str_of(value).unwrap_or_default();
                    match text.split_once(':') {
                        Some((bucket, prefix)) if !bucket.is_empty() => {
                            lb.attributes
                                .push(("access_logs.s3.enabled".into(), "true".into()));
                            lb.attributes
                                .push(("access_logs.s3.bucket".into(), bucket.into()));
                            let prefix = prefix.trim_matches('/');
                            if !prefix.is_empty() {
                                lb.attributes
                                    .push(("access_logs.s3.prefix".into(), prefix.into()));
                            }
                        }
                        _ => {
                            self.error(
                                VALUE,
                                format!("S3Logs `{text}` is not `bucket:/prefix`"),
                                value.span,
                            );
                        }
                    }
                }
                _ => {
                    let known = [
                        "Ingress",
                        "Subnets",
                        "NoAllocateEips",
                        "RetainEips",
                        "S3Logs",
                    ];
                    let all: Vec<&str> = known
                        .iter()
                        .copied()
                        .chain(SHORTCUTS.iter().map(|s| s.0))
                        .collect();
                    self.unknown_key(key, *span, &all, section);
                }
            }
        }
    }

    fn ingress(&mut self, node: &Node, lb: &mut LoadBalancer) {
        let Some(map) = self.expect_map(node, "Ingress") else {
            return;
        };
        lb.ingress.written = true;
        for (key, span, value) in &map.entries {
            match key.as_str() {
                "Myself" => lb.ingress.myself = bool_of(value).unwrap_or(false),
                "ExtSources" => {
                    for source in value.as_seq().unwrap_or(&[]) {
                        let cidr4 = source.get("IPv4").and_then(str_of);
                        let cidr6 = source.get("IPv6").and_then(str_of);
                        let description = source
                            .get("Description")
                            .or_else(|| source.get("Name"))
                            .and_then(str_of);
                        match (cidr4, cidr6) {
                            (Some(c), None) if is_cidr(&c, false) => {
                                lb.ingress.ext_sources.push(ExtSource {
                                    cidr: c,
                                    ipv6: false,
                                    description,
                                })
                            }
                            (None, Some(c)) if is_cidr(&c, true) => {
                                lb.ingress.ext_sources.push(ExtSource {
                                    cidr: c,
                                    ipv6: true,
                                    description,
                                })
                            }
                            _ => {
                                self.error(
                                    VALUE,
                                    "an ExtSources entry needs one valid `IPv4` or `IPv6` CIDR",
                                    source.span,
                                )
                                .help = Some("e.g. `IPv4: 203.0.113.0/24` or `IPv6: ::/0`".into());
                            }
                        }
                    }
                }
                "AwsSources" => {
                    for source in value.as_seq().unwrap_or(&[]) {
                        let kind = source.get("Type").and_then(str_of);
                        let id = source.get("Id").and_then(str_of);
                        match (kind.as_deref(), id) {
                            (Some("SecurityGroup"), Some(id)) if id.starts_with("sg-") => {
                                lb.ingress.aws_sources.push(AwsSource {
                                    prefix_list: false,
                                    id,
                                })
                            }
                            (Some("PrefixList"), Some(id)) if id.starts_with("pl-") => {
                                lb.ingress.aws_sources.push(AwsSource {
                                    prefix_list: true,
                                    id,
                                })
                            }
                            _ => {
                                self.error(VALUE, "an AwsSources entry needs `Type: SecurityGroup` with an `sg-` Id or `Type: PrefixList` with a `pl-` Id", source.span)
                                    .help = Some("Lookup of sources is not supported: write the id".into());
                            }
                        }
                    }
                }
                _ => self.unknown_key(
                    key,
                    *span,
                    &["ExtSources", "AwsSources", "Myself"],
                    "Ingress",
                ),
            }
        }
    }

    fn services(&mut self, node: &Node, lb: &mut LoadBalancer) {
        if let Some(items) = node.as_seq() {
            // Targets naming these entries are not reported again.
            for item in items {
                if let Some(name) = item.get("name").and_then(str_of) {
                    lb.reported_names.push(name);
                }
            }
            let example = items
                .first()
                .and_then(|i| i.get("name"))
                .and_then(str_of)
                .unwrap_or_else(|| "family:container".into());
            self.error(LEGACY_LIST, "the list form of `Services` is no longer supported", node.span)
                .help = Some(format!(
                "write a mapping keyed by target: `Services: {{\"{example}\": {{port: 80, protocol: HTTP, healthcheck: \"80:HTTP:/:200\"}}}}`"
            ));
            return;
        }
        let Some(map) = self.expect_map(node, "Services") else {
            return;
        };
        for (key, key_span, value) in &map.entries {
            let Some(service) = self.service(key, *key_span, value, lb.kind) else {
                lb.reported_names.push(key.clone());
                continue;
            };
            {
                if lb.services.iter().any(|s| s.key == service.key) {
                    continue;
                }
                lb.services.push(service);
            }
        }
    }

    fn service(
        &mut self,
        key: &str,
        key_span: Span,
        node: &Node,
        kind: Kind,
    ) -> Option<TargetService> {
        let (family, container, key_port) = match split_target(key) {
            Ok(parts) => parts,
            Err(message) => {
                self.error(TARGET_NAME, message, key_span).help =
                    Some("write `family:container` or `family:container:port`".into());
                return None;
            }
        };
        let map = self.expect_map(node, &format!("Services.{key}"))?;
        const KEYS: [&str; 5] = [
            "port",
            "protocol",
            "healthcheck",
            "TargetGroupAttributes",
            "ProtocolVersion",
        ];
        for (k, span, _) in &map.entries {
            if !KEYS.contains(&k.as_str()) {
                self.unknown_key(k, *span, &KEYS, &format!("Services.{key}"));
            }
        }
        let port_node = map.get("port");
        let port = match (port_node.and_then(int_of), key_port) {
            (Some(p), _) if (1..=65535).contains(&p) => u16::try_from(p).unwrap_or(0),
            (Some(_), _) => {
                self.error(
                    VALUE,
                    "port must be 1-65535",
                    port_node.map_or(key_span, |n| n.span),
                );
                return None;
            }
            (None, Some(p)) if port_node.is_none() => p,
            _ => {
                self.error(
                    SHAPE,
                    format!("Services.{key} needs a `port`"),
                    port_node.map_or(key_span, |n| n.span),
                );
                return None;
            }
        };
        let port_span = port_node.map_or(key_span, |n| n.span);
        let default_protocol = match kind {
            Kind::Application => "HTTP",
            Kind::Network => "TCP",
        };
        let protocol_node = map.get("protocol");
        let protocol = protocol_node
            .and_then(str_of)
            .map(|p| p.to_ascii_uppercase())
            .unwrap_or_else(|| default_protocol.to_string());
        let allowed: &[&str] = match kind {
            Kind::Application => &["HTTP", "HTTPS"],
            Kind::Network => &["TCP", "UDP", "TCP_UDP", "TLS"],
        };
        if !allowed.contains(&protocol.as_str()) {
            self.error(
                PROTOCOL,
                format!("target protocol `{protocol}` is not valid on this load balancer"),
                protocol_node.map_or(key_span, |n| n.span),
            )
            .help = Some(format!("use one of {}", allowed.join(", ")));
            return None;
        }
        let health_check = match map.get("healthcheck") {
            Some(node) => self.health_check(node, kind)?,
            None => {
                self.error(
                    SHAPE,
                    format!("Services.{key} needs a `healthcheck`"),
                    key_span,
                )
                .help = Some(format!(
                    "e.g. `healthcheck: \"{port}:{default_protocol}{}\"`",
                    if kind == Kind::Application {
                        ":/:200"
                    } else {
                        ""
                    }
                ));
                return None;
            }
        };
        let attributes = map
            .get("TargetGroupAttributes")
            .map(|n| self.attributes(n))
            .unwrap_or_default();
        let protocol_version = map.get("ProtocolVersion").and_then(str_of);
        if let Some(v) = &protocol_version {
            if !["GRPC", "HTTP1", "HTTP2"].contains(&v.as_str()) || kind == Kind::Network {
                self.error(
                    VALUE,
                    format!("ProtocolVersion `{v}` is not valid here"),
                    map.get("ProtocolVersion").map_or(key_span, |n| n.span),
                )
                .help = Some("ALB target groups take GRPC, HTTP1 or HTTP2".into());
            }
        }
        Some(TargetService {
            key: key.to_string(),
            key_span,
            family,
            container,
            port,
            port_span,
            protocol,
            protocol_span: protocol_node.map(|n| n.span),
            health_check,
            attributes,
            protocol_version,
        })
    }

    fn health_check(&mut self, node: &Node, kind: Kind) -> Option<Map<String, Value>> {
        let mut props = Map::new();
        if let Some(map) = node.as_map() {
            const KEYS: [&str; 9] = [
                "HealthCheckEnabled",
                "HealthCheckIntervalSeconds",
                "HealthCheckPath",
                "HealthCheckPort",
                "HealthCheckProtocol",
                "HealthCheckTimeoutSeconds",
                "HealthyThresholdCount",
                "UnhealthyThresholdCount",
                "Matcher",
            ];
            let mut ok = true;
            for (key, span, value) in &map.entries {
                if !KEYS.contains(&key.as_str()) {
                    self.unknown_key(key, *span, &KEYS, "healthcheck");
                    ok = false;
                    continue;
                }
                let json = match key.as_str() {
                    // CloudFormation wants the port as a string.
                    "HealthCheckPort" => Value::String(str_of(value).unwrap_or_default()),
                    _ => node_to_json(value),
                };
                props.insert(key.clone(), json);
            }
            if let Some(Value::String(p)) = props.get("HealthCheckProtocol") {
                if !healthcheck::PROTOCOLS.contains(&p.as_str()) {
                    self.error(
                        HEALTHCHECK,
                        format!("health check protocol `{p}` is not one of HTTP, HTTPS, TCP"),
                        map.get("HealthCheckProtocol").map_or(node.span, |n| n.span),
                    );
                    ok = false;
                }
            }
            return ok.then_some(props);
        }
        let Some(text) = node.as_scalar().map(|s| s.text.as_str()) else {
            self.error(
                HEALTHCHECK,
                format!(
                    "healthcheck must be a string or a mapping, found {}",
                    node.kind_name()
                ),
                node.span,
            );
            return None;
        };
        let parsed: HealthCheck = match healthcheck::parse(text) {
            Ok(h) => h,
            Err(e) => {
                self.error(
                    HEALTHCHECK,
                    format!("bad healthcheck: {}", e.message),
                    sub_span(node, e.range),
                )
                .help = Some(format!("write {}", healthcheck::SYNTAX));
                return None;
            }
        };
        if kind == Kind::Application && parsed.protocol == "TCP" {
            self.error(
                HEALTHCHECK,
                "application load balancers check health over HTTP or HTTPS, not TCP",
                node.span,
            );
            return None;
        }
        props.insert(
            "HealthCheckPort".into(),
            Value::String(parsed.port.to_string()),
        );
        props.insert(
            "HealthCheckProtocol".into(),
            Value::String(parsed.protocol.clone()),
        );
        if let Some(t) = parsed.timings {
            props.insert("HealthyThresholdCount".into(), t.healthy.into());
            props.insert("UnhealthyThresholdCount".into(), t.unhealthy.into());
            props.insert("HealthCheckIntervalSeconds".into(), t.interval.into());
            props.insert("HealthCheckTimeoutSeconds".into(), t.timeout.into());
        }
        if parsed.protocol != "TCP" {
            props.insert(
                "HealthCheckPath".into(),
                Value::String(parsed.path.unwrap_or_else(|| "/".into())),
            );
            let codes = parsed.codes.unwrap_or_else(|| "200".into());
            props.insert("Matcher".into(), serde_json::json!({ "HttpCode": codes }));
        }
        Some(props)
    }

    fn attributes(&mut self, node: &Node) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(map) = node.as_map() {
            for (key, _, value) in &map.entries {
                out.push((key.clone(), scalar_text(value)));
            }
        } else if let Some(items) = node.as_seq() {
            for item in items {
                match (item.get("Key").and_then(str_of), item.get("Value")) {
                    (Some(k), Some(v)) => out.push((k, scalar_text(v))),
                    _ => {
                        self.error(
                            SHAPE,
                            "a TargetGroupAttributes entry needs `Key` and `Value`",
                            item.span,
                        );
                    }
                }
            }
        } else {
            self.error(
                SHAPE,
                "TargetGroupAttributes must be a mapping or a list of {Key, Value}",
                node.span,
            );
        }
        out
    }

    fn listeners(&mut self, node: &Node, lb: &mut LoadBalancer) {
        if let Some(items) = node.as_seq() {
            for item in items {
                let port = item.get("Port");
                let Some(p) = port
                    .and_then(int_of)
                    .and_then(|p| u16::try_from(p).ok())
                    .filter(|p| *p > 0)
                else {
                    self.error(
                        SHAPE,
                        "a listener needs a `Port` (1-65535)",
                        port.map_or(item.span, |n| n.span),
                    );
                    continue;
                };
                let port_span = port.map_or(item.span, |n| n.span);
                self.listener(p, port_span, item, lb, true);
            }
        } else if let Some(map) = node.as_map() {
            for (key, key_span, value) in &map.entries {
                let Some(p) = key.parse::<u16>().ok().filter(|p| *p > 0) else {
                    self.error(
                        SHAPE,
                        format!("listener key `{key}` is not a port (1-65535)"),
                        *key_span,
                    );
                    continue;
                };
                self.listener(p, *key_span, value, lb, false);
            }
        } else {
            self.error(
                SHAPE,
                format!(
                    "Listeners must be a mapping of ports or a list, found {}",
                    node.kind_name()
                ),
                node.span,
            );
        }
    }

    fn listener(
        &mut self,
        port: u16,
        port_span: Span,
        node: &Node,
        lb: &mut LoadBalancer,
        list_form: bool,
    ) {
        let Some(map) = self.expect_map(node, "a listener") else {
            return;
        };
        if let Some(other) = lb.listeners.iter().find(|l| l.port == port) {
            let first = other.port_span;
            self.push(
                Diagnostic::error(
                    DUPLICATE,
                    format!("two listeners on port {port}"),
                    port_span,
                )
                .with_label(first, "first defined here"),
            );
            return;
        }
        const KEYS: [&str; 6] = [
            "Port",
            "Protocol",
            "SslPolicy",
            "Certificates",
            "DefaultActions",
            "Targets",
        ];
        for (key, span, _) in &map.entries {
            if !KEYS.contains(&key.as_str()) || (key == "Port" && !list_form) {
                self.unknown_key(key, *span, &KEYS[1..], "a listener");
            }
        }
        let mut certificates = Vec::new();
        let certificates_node = map.get("Certificates");
        for item in certificates_node.and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some(name) = item.get("x-acm") {
                certificates.push(Certificate::Acm(
                    str_of(name).unwrap_or_default(),
                    name.span,
                ));
            } else if let Some(arn) = item
                .get("CertificateArn")
                .or_else(|| item.get("Arn"))
                .and_then(str_of)
            {
                certificates.push(Certificate::Arn(arn));
            } else {
                self.error(
                    SHAPE,
                    "a certificate needs `x-acm: <name>` or `CertificateArn`",
                    item.span,
                );
            }
        }
        let protocol_node = map.get("Protocol");
        let protocol = match protocol_node.and_then(str_of) {
            Some(p) => p.to_ascii_uppercase(),
            None => match (lb.kind, certificates.is_empty()) {
                (Kind::Application, true) => "HTTP".into(),
                (Kind::Application, false) => "HTTPS".into(),
                (Kind::Network, true) => "TCP".into(),
                (Kind::Network, false) => "TLS".into(),
            },
        };
        let allowed: &[&str] = match lb.kind {
            Kind::Application => &["HTTP", "HTTPS"],
            Kind::Network => &["TCP", "UDP", "TCP_UDP", "TLS"],
        };
        if !allowed.contains(&protocol.as_str()) {
            self.error(
                PROTOCOL,
                format!("listener protocol `{protocol}` is not valid on this load balancer"),
                protocol_node.map_or(port_span, |n| n.span),
            )
            .help = Some(format!("use one of {}", allowed.join(", ")));
            return;
        }
        let mut default_actions = Vec::new();
        if let Some(actions) = map.get("DefaultActions") {
            for action in actions.as_seq().unwrap_or(&[]) {
                match (
                    action.get("Redirect").and_then(str_of).as_deref(),
                    action.get("Type"),
                ) {
                    (Some("HTTP_TO_HTTPS"), _) => {
                        default_actions.push(DefaultAction::RedirectToHttps)
                    }
                    (_, Some(_)) => default_actions.push(DefaultAction::Raw(node_to_json(action))),
                    (Some(other), _) => {
                        self.error(VALUE, format!("unknown redirect `{other}`"), action.get("Redirect").map_or(action.span, |n| n.span))
                            .help = Some("use `Redirect: HTTP_TO_HTTPS`, or a full CloudFormation action with `Type`".into());
                    }
                    (None, None) => {
                        self.error(SHAPE, "a default action needs `Redirect: HTTP_TO_HTTPS` or a CloudFormation `Type`", action.span);
                    }
                }
            }
            if actions.as_seq().is_none() {
                self.error(SHAPE, "DefaultActions must be a list", actions.span);
            }
        }
        let mut targets = Vec::new();
        for item in map.get("Targets").and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some(t) = self.target(item) {
                targets.push(t);
            }
        }
        lb.listeners.push(Listener {
            port,
            port_span,
            protocol,
            protocol_span: protocol_node.map(|n| n.span),
            ssl_policy: map.get("SslPolicy").and_then(str_of),
            certificates,
            certificates_span: certificates_node.map(|n| n.span),
            default_actions,
            default_actions_written: map.get("DefaultActions").is_some(),
            targets,
        });
    }

    fn target(&mut self, node: &Node) -> Option<Target> {
        let map = self.expect_map(node, "a target")?;
        let Some(name_node) = map.get("name") else {
            self.error(SHAPE, "a target needs a `name` (a Services key)", node.span);
            return None;
        };
        let mut target = Target {
            name: str_of(name_node).unwrap_or_default(),
            name_span: name_node.span,
            host: None,
            path: None,
            access_span: None,
            conditions: map.get("Conditions").map(node_to_json),
            oidc: map.get("AuthenticateOidcConfig").map(node_to_json),
            span: node.span,
        };
        for key in ["AuthenticateCognitoConfig", "CreateCognitoClient"] {
            if let Some(span) = map.key_span(key) {
                self.error(
                    UNSUPPORTED,
                    format!("`{key}` is not supported by composex yet"),
                    span,
                );
            }
        }
        if let Some(access) = map.get("access") {
            target.access_span = Some(access.span);
            let text = str_of(access).unwrap_or_default();
            match parse_access(&text) {
                Ok((host, path, dropped_port)) => {
                    if dropped_port {
                        self.push(
                            Diagnostic::warning(IGNORED, "the port in a host condition is ignored: load balancers match the host name only", access.span),
                        );
                    }
                    target.host = host;
                    target.path = path;
                }
                Err(message) => {
                    self.error(ACCESS, message, access.span).help =
                        Some("write `/path`, `host.example.com` or `host.example.com/path`".into());
                    return None;
                }
            }
        }
        Some(target)
    }
}

fn scalar_text(node: &Node) -> String {
    match node_to_json(node) {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// Splits a target name `family:container[:port]` (or a bare `family`).
pub fn split_target(name: &str) -> Result<(String, Option<String>, Option<u16>), String> {
    let parts: Vec<&str> = name.split(':').collect();
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    match parts.as_slice() {
        [family] if valid(family) => Ok((family.to_string(), None, None)),
        [family, container] if valid(family) && valid(container) => {
            Ok((family.to_string(), Some(container.to_string()), None))
        }
        [family, container, port] if valid(family) && valid(container) => match port.parse::<u16>()
        {
            Ok(p) if p > 0 => Ok((family.to_string(), Some(container.to_string()), Some(p))),
            _ => Err(format!(
                "`{port}` in target `{name}` is not a port (1-65535)"
            )),
        },
        _ => Err(format!("target `{name}` is not `family:container[:port]`")),
    }
}

/// Splits `access` into (host, path, port dropped from the host).
pub fn parse_access(text: &str) -> Result<(Option<String>, Option<String>, bool), String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("access is empty".into());
    }
    let (host, path) = match text.find('/') {
        Some(0) => (None, Some(text.to_string())),
        Some(i) => (Some(&text[..i]), Some(text[i..].to_string())),
        None => (Some(text), None),
    };
    let mut dropped = false;
    let host = match host {
        Some(h) => {
            let name = match h.split_once(':') {
                Some((name, port)) if port.parse::<u16>().is_ok() => {
                    dropped = true;
                    name
                }
                Some(_) => return Err(format!("host `{h}` has a bad port")),
                None => h,
            };
            let ok = !name.is_empty()
                && name.len() <= 128
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '*' | '?'));
            if !ok {
                return Err(format!(
                    "`{name}` is not a host name (letters, digits, `-`, `.`, `*`, `?`)"
                ));
            }
            Some(name.to_ascii_lowercase())
        }
        None => None,
    };
    if let Some(p) = &path {
        if p.len() > 128 || p.chars().any(char::is_whitespace) {
            return Err(format!(
                "path `{p}` must be at most 128 characters without spaces"
            ));
        }
    }
    Ok((host, path, dropped))
}

/// True for an IPv4 (`a.b.c.d/n`) or IPv6 (`x::/n`) CIDR.
pub fn is_cidr(text: &str, ipv6: bool) -> bool {
    let Some((address, bits)) = text.split_once('/') else {
        return false;
    };
    let Ok(bits) = bits.parse::<u8>() else {
        return false;
    };
    if ipv6 {
        bits <= 128 && address.parse::<std::net::Ipv6Addr>().is_ok()
    } else {
        bits <= 32 && address.parse::<std::net::Ipv4Addr>().is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_names() {
        assert_eq!(split_target("app01"), Ok(("app01".into(), None, None)));
        assert_eq!(
            split_target("fam:app01"),
            Ok(("fam".into(), Some("app01".into()), None))
        );
        assert_eq!(
            split_target("fam:app01:5000"),
            Ok(("fam".into(), Some("app01".into()), Some(5000)))
        );
        assert!(split_target("fam:app01:http").is_err());
        assert!(split_target("fam:app01:0").is_err());
        assert!(split_target("fam::5000").is_err());
        assert!(split_target("a:b:c:d").is_err());
        assert!(split_target("").is_err());
    }

    #[test]
    fn access_strings() {
        assert_eq!(parse_access("/"), Ok((None, Some("/".into()), false)));
        assert_eq!(
            parse_access("/stupid"),
            Ok((None, Some("/stupid".into()), false))
        );
        assert_eq!(
            parse_access("thereisnospoon.ews-network.net:8080/abcd/test.html"),
            Ok((
                Some("thereisnospoon.ews-network.net".into()),
                Some("/abcd/test.html".into()),
                true
            ))
        );
        assert_eq!(
            parse_access("API.example.com"),
            Ok((Some("api.example.com".into()), None, false))
        );
        assert!(parse_access("bad host/x").is_err());
        assert!(parse_access("").is_err());
        assert!(parse_access("h:xx/").is_err());
    }

    #[test]
    fn cidrs() {
        assert!(is_cidr("0.0.0.0/0", false));
        assert!(is_cidr("1.1.1.1/32", false));
        assert!(!is_cidr("1.1.1.1", false));
        assert!(!is_cidr("1.1.1.1/33", false));
        assert!(is_cidr("::/0", true));
        assert!(!is_cidr("::/0", false));
    }
}

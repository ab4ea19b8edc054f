//! Reading `x-elbv2.<name>` nodes into typed load balancer definitions. Shape problems are
//! reported here (located at the offending node); checks against the compose services are in
//! `validate`.

use serde_json::{Map, Value};

use super::codes::*;
use super::healthcheck::{self, HealthCheck};
use super::json::sub_span;
use crate::diagnostic::{Diagnostic, Span};
use crate::suggest::with_suggestion;
use crate::yaml::to_json;
use crate::yaml::Node;

pub mod auth;
mod groups;
mod listeners;
pub mod lookup;
mod services;

pub use listeners::parse_access;
pub use services::split_target;

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
    /// `Lookup`: the load balancer exists already (its values are parameters).
    pub existing: Option<Existing>,
    /// Names targets may use that name no target group composex can make (a `Services` entry
    /// with errors, a `TargetGroups` entry): already reported, not reported again.
    pub reported_names: Vec<String>,
}

/// An existing load balancer (`Lookup`). composex makes no AWS call: its ARN and security group
/// are root parameters, filled from what is written here when it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    /// `Lookup.loadbalancer.Arn` (or the load balancer part of a listener's `Arn`).
    pub arn: Option<String>,
    /// `Lookup.loadbalancer.SecurityGroupId`.
    pub security_group: Option<String>,
    /// `Lookup.loadbalancer.Tags`, as written (to say which load balancer is meant).
    pub tags: Option<String>,
    /// Span of `Lookup`.
    pub span: Span,
}

/// An existing listener (`Lookup.Listeners.<port>`): rules are added to it, its default action
/// is left as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct ExistingListener {
    /// `Arn`, when written.
    pub arn: Option<String>,
    /// `Tags`, as written.
    pub tags: Option<String>,
    /// `FirstRulePriority`: the priority of the first rule composex adds (then +1 each).
    pub first_priority: u32,
}

/// Priority of the first rule added to an existing listener unless `FirstRulePriority` says
/// otherwise (its own rules must not use the next ones).
pub const EXISTING_FIRST_PRIORITY: u32 = 1000;

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
    /// Set for a listener of `Lookup.Listeners`: it exists already.
    pub existing: Option<ExistingListener>,
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
    /// `Redirect: TEA_POT`: ComposeX's predefined fixed response (HTTP 418, a small JSON body).
    TeaPot,
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
    /// `AuthenticateOidcConfig` or `AuthenticateCognitoConfig`: requests are authenticated
    /// before they are forwarded.
    pub authenticate: Option<Authenticate>,
    /// Span of the target entry.
    pub span: Span,
}

impl Target {
    /// True when the target takes every request the listener gets (no host, path `/` or none,
    /// no conditions): it becomes the listener's default action.
    pub fn is_catch_all(&self) -> bool {
        self.host.is_none()
            && self.conditions.is_none()
            && self.authenticate.is_none()
            && matches!(self.path.as_deref(), None | Some("/") | Some("/*"))
    }
}

/// An authentication action in front of a target's forward action.
#[derive(Debug, Clone, PartialEq)]
pub struct Authenticate {
    /// The action `Type`: `authenticate-oidc` or `authenticate-cognito`.
    pub action: &'static str,
    /// The action's config key (`AuthenticateOidcConfig`, `AuthenticateCognitoConfig`).
    pub key: &'static str,
    /// The config as written (unknown keys left out); references are resolved by
    /// [`super::cognito::resolve`] before the template is written.
    pub config: Value,
    /// What [`super::cognito::resolve`] fills in: x-cognito_userpool references, a client to
    /// create, a literal OIDC client secret to move into a parameter.
    pub pending: auth::Pending,
}

/// One `Services` entry (a target group for one container port) or one `TargetGroups` entry (a
/// named target group several services may register into).
#[derive(Debug, Clone, PartialEq)]
pub struct TargetService {
    /// The key as written.
    pub key: String,
    /// Span of the key.
    pub key_span: Span,
    /// True for a `TargetGroups` entry: listener targets name it by its key only.
    pub named: bool,
    /// The containers registered into the target group (one for a `Services` entry).
    pub members: Vec<Member>,
    /// The target group's `Port` (the member's container port for a `Services` entry).
    pub port: u16,
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

/// One container port registered into a target group.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The family (ECS service).
    pub family: String,
    /// The container (None: the family's only container).
    pub container: Option<String>,
    /// The container port the target group sends traffic to.
    pub port: u16,
    /// Span of the name (`family:container`).
    pub span: Span,
    /// Span of the port (or of the name).
    pub port_span: Span,
}

/// A reader pushing located diagnostics.
pub(super) struct Reader<'a> {
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

/// Any scalar's text (the YAML layer reads scalars; x-elbv2 keeps them as owned strings).
fn str_of(node: &Node) -> Option<String> {
    node.scalar_text().map(str::to_string)
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

const TOP_KEYS: [&str; 8] = [
    "Properties",
    "MacroParameters",
    "Settings",
    "Listeners",
    "Services",
    "TargetGroups",
    "Lookup",
    "DnsAliases",
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
        let d = Diagnostic::error(SHAPE, format!("unknown key `{key}` in {what}"), span);
        self.push(with_suggestion(d, key, known, Some("known keys")));
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
            existing: None,
        };
        if let Some(aliases) = map.get("DnsAliases") {
            self.dns_aliases(aliases, &mut lb);
        }
        if let Some(props) = map.get("Properties") {
            self.properties(props, &mut lb);
        }
        if let Some(node) = map.get("Lookup") {
            self.lookup(node, map, &mut lb);
        }
        for section in ["MacroParameters", "Settings"] {
            if let Some(node) = map.get(section) {
                self.settings(node, section, &mut lb);
            }
        }
        if let Some(node) = map.get("Services") {
            self.services(node, &mut lb);
        }
        if let Some(node) = map.get("TargetGroups") {
            self.target_groups(node, &mut lb);
        }
        if map.get("Services").is_none() && map.get("TargetGroups").is_none() {
            self.error(
                SHAPE,
                format!("x-elbv2.{name} has no `Services` nor `TargetGroups`"),
                key_span,
            )
            .help = Some(
                "add `Services: {\"family:container\": {port, protocol, healthcheck}}`".into(),
            );
        }
        match map.get("Listeners") {
            Some(node) => self.listeners(node, &mut lb),
            None if map.get("Lookup").is_some() => {
                if !lb.listeners.iter().any(|l| l.existing.is_some()) {
                    self.error(
                        SHAPE,
                        format!("x-elbv2.{name} adds no listener nor looks one up"),
                        key_span,
                    )
                    .help = Some(
                        "add `Lookup.Listeners: {443: {Arn: ..., Targets: [...]}}` or `Listeners`"
                            .into(),
                    );
                }
            }
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
        let known = self.check_schema(map, &lb.name, node.span);
        for (key, span, value) in &map.entries {
            match key.as_str() {
                _ if !known.contains(key) => {} // reported by the schema check
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
                    lb.properties.insert(key.clone(), to_json(value));
                }
            }
        }
    }

    /// Checks the load balancer's `Properties` against the CloudFormation schema (the mapping
    /// shorthand of `LoadBalancerAttributes` is ours, checked when it is read); returns the keys
    /// the type has.
    fn check_schema(&mut self, map: &crate::yaml::Map, name: &str, at: Span) -> Vec<String> {
        let mut checked = map.clone();
        checked
            .entries
            .retain(|(k, _, v)| !(k == "LoadBalancerAttributes" && v.as_map().is_some()));
        let what = format!("x-elbv2 {name}");
        let check = crate::schema::Check {
            what: &what,
            type_name: "AWS::ElasticLoadBalancingV2::LoadBalancer",
            supplied: &[],
            deep: true,
            unknown: true,
        };
        let mut found = Vec::new();
        // Without the table (the wasm build before it is loaded) every key is kept.
        let mut known: Vec<String> = crate::schema::check(check, &checked, at, &mut found)
            .unwrap_or_else(|| checked.entries.iter().map(|(k, _, _)| k.as_str()).collect())
            .into_iter()
            .map(str::to_string)
            .collect();
        known.extend(
            map.get("LoadBalancerAttributes")
                .map(|_| "LoadBalancerAttributes".to_string()),
        );
        for d in found {
            self.push(d);
        }
        known
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
                let text = match value.boolean() {
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
                "NoAllocateEips" => lb.no_eips = value.boolean().unwrap_or(false),
                "RetainEips" => lb.retain_eips = value.boolean().unwrap_or(false),
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
                "Myself" => lb.ingress.myself = value.boolean().unwrap_or(false),
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
}

fn scalar_text(node: &Node) -> String {
    match to_json(node) {
        Value::String(s) => s,
        other => other.to_string(),
    }
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
    fn cidrs() {
        assert!(is_cidr("0.0.0.0/0", false));
        assert!(is_cidr("1.1.1.1/32", false));
        assert!(!is_cidr("1.1.1.1", false));
        assert!(!is_cidr("1.1.1.1/33", false));
        assert!(is_cidr("::/0", true));
        assert!(!is_cidr("::/0", false));
    }
}

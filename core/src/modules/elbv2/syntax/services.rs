//! `Services` entries: target names, ports, protocols and health checks.

use serde_json::{Map, Value};

use super::*;

/// What `Services` and `TargetGroups` entries share.
pub(super) struct GroupSettings {
    pub protocol: String,
    pub protocol_span: Option<Span>,
    pub health_check: Map<String, Value>,
    pub attributes: Vec<(String, String)>,
    pub protocol_version: Option<String>,
}

impl Reader<'_> {
    pub(super) fn services(&mut self, node: &Node, lb: &mut LoadBalancer) {
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
        let port = match (port_node.and_then(Node::integer), key_port) {
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
        let settings = self.group_settings(
            (&format!("Services.{key}"), "healthcheck"),
            key_span,
            [
                map.get("protocol"),
                map.get("healthcheck"),
                map.get("TargetGroupAttributes"),
                map.get("ProtocolVersion"),
            ],
            port,
            kind,
        )?;
        Some(TargetService {
            key: key.to_string(),
            key_span,
            named: false,
            members: vec![Member {
                family,
                container,
                port,
                span: key_span,
                port_span,
            }],
            port,
            protocol: settings.protocol,
            protocol_span: settings.protocol_span,
            health_check: settings.health_check,
            attributes: settings.attributes,
            protocol_version: settings.protocol_version,
        })
    }

    /// Reads what `Services` and `TargetGroups` entries share: `nodes` are the protocol, health
    /// check, attributes and protocol version nodes (their key names differ between the two).
    pub(super) fn group_settings(
        &mut self,
        (owner, health_key): (&str, &str),
        key_span: Span,
        nodes: [Option<&Node>; 4],
        port: u16,
        kind: Kind,
    ) -> Option<GroupSettings> {
        let [protocol_node, health_node, attributes_node, version_node] = nodes;
        let default_protocol = match kind {
            Kind::Application => "HTTP",
            Kind::Network => "TCP",
        };
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
        let health_check = match health_node {
            Some(node) => self.health_check(node, kind)?,
            None => {
                self.error(SHAPE, format!("{owner} needs a `{health_key}`"), key_span)
                    .help = Some(format!(
                    "e.g. `{health_key}: \"{port}:{default_protocol}{}\"`",
                    if kind == Kind::Application {
                        ":/:200"
                    } else {
                        ""
                    }
                ));
                return None;
            }
        };
        let attributes = attributes_node
            .map(|n| self.attributes(n))
            .unwrap_or_default();
        let protocol_version = version_node.and_then(str_of);
        if let Some(v) = &protocol_version {
            if !["GRPC", "HTTP1", "HTTP2"].contains(&v.as_str()) || kind == Kind::Network {
                self.error(
                    VALUE,
                    format!("ProtocolVersion `{v}` is not valid here"),
                    version_node.map_or(key_span, |n| n.span),
                )
                .help = Some("ALB target groups take GRPC, HTTP1 or HTTP2".into());
            }
        }
        Some(GroupSettings {
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
                    _ => to_json(value),
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

    pub(super) fn attributes(&mut self, node: &Node) -> Vec<(String, String)> {
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
}

//! `Listeners` (map and list forms), certificates, default actions and targets.

use super::*;

impl Reader<'_> {
    pub(super) fn listeners(&mut self, node: &Node, lb: &mut LoadBalancer) {
        if let Some(items) = node.as_seq() {
            for item in items {
                let port = item.get("Port");
                let Some(p) = port
                    .and_then(Node::integer)
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
                self.listener(p, port_span, item, lb, true, None);
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
                self.listener(p, *key_span, value, lb, false, None);
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

    /// Reads one listener; `existing` for one of `Lookup.Listeners` (whose own keys the caller
    /// read).
    pub(super) fn listener(
        &mut self,
        port: u16,
        port_span: Span,
        node: &Node,
        lb: &mut LoadBalancer,
        list_form: bool,
        existing: Option<ExistingListener>,
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
        if existing.is_some() {
            // An existing listener keeps its settings and default action: composex adds rules
            // (and certificates) to it.
            for (key, span, _) in &map.entries {
                if !super::lookup::LISTENER_KEYS.contains(&key.as_str()) {
                    let d = Diagnostic::error(
                        super::lookup::LOOKUP_SHAPE,
                        format!("`{key}` cannot be set on an existing listener"),
                        *span,
                    );
                    self.push(with_suggestion(
                        d,
                        key,
                        &super::lookup::LISTENER_KEYS,
                        Some("an existing listener takes"),
                    ));
                }
            }
        } else {
            for (key, span, _) in &map.entries {
                if !KEYS.contains(&key.as_str()) || (key == "Port" && !list_form) {
                    self.unknown_key(key, *span, &KEYS[1..], "a listener");
                }
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
                    (Some("TEA_POT"), _) => default_actions.push(DefaultAction::TeaPot),
                    (_, Some(_)) => default_actions.push(DefaultAction::Raw(to_json(action))),
                    (Some(other), _) => {
                        self.error(VALUE, format!("unknown redirect `{other}`"), action.get("Redirect").map_or(action.span, |n| n.span))
                            .help = Some("use `Redirect: HTTP_TO_HTTPS` or `Redirect: TEA_POT`, or a full CloudFormation action with `Type`".into());
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
        let protocol =
            self.upgrade_for_authentication(protocol, protocol_node, &certificates, &targets);
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
            existing,
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
            conditions: map.get("Conditions").map(to_json),
            authenticate: None,
            span: node.span,
        };
        let ok = self.authentication(map, &mut target);
        if !ok {
            return None;
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

#[cfg(test)]
mod tests {
    use super::*;

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
}

//! `TargetGroups` entries: named target groups, each with the services registered into it
//! (`Services: [{Name: family:container, Port: 5000}]`). Listener targets name them by key.

use super::*;

/// Keys of a `TargetGroups` entry.
const KEYS: [&str; 6] = [
    "Port",
    "Protocol",
    "HealthCheck",
    "TargetGroupAttributes",
    "ProtocolVersion",
    "Services",
];

impl Reader<'_> {
    pub(super) fn target_groups(&mut self, node: &Node, lb: &mut LoadBalancer) {
        let Some(map) = self.expect_map(node, "TargetGroups") else {
            return;
        };
        for (key, key_span, value) in &map.entries {
            if let Some(other) = lb.services.iter().find(|s| &s.key == key) {
                self.push(
                    Diagnostic::error(
                        DUPLICATE,
                        format!("`{key}` names both a `Services` entry and a target group"),
                        *key_span,
                    )
                    .with_label(other.key_span, "the `Services` entry")
                    .with_help("rename the target group"),
                );
                lb.reported_names.push(key.clone());
                continue;
            }
            match self.target_group(key, *key_span, value, lb.kind) {
                Some(group) => lb.services.push(group),
                None => lb.reported_names.push(key.clone()),
            }
        }
    }

    fn target_group(
        &mut self,
        key: &str,
        key_span: Span,
        node: &Node,
        kind: Kind,
    ) -> Option<TargetService> {
        let owner = format!("TargetGroups.{key}");
        let map = self.expect_map(node, &owner)?;
        let mut ok = true;
        for (k, span, _) in &map.entries {
            if !KEYS.contains(&k.as_str()) {
                self.unknown_key(k, *span, &KEYS, &owner);
                ok = false;
            }
        }
        let members = match map.get("Services") {
            Some(services) => self.members(services, &owner)?,
            None => {
                self.error(SHAPE, format!("{owner} has no `Services`"), key_span)
                    .help = Some("add `Services: [{Name: family:container, Port: 80}]`".into());
                return None;
            }
        };
        let port_node = map.get("Port");
        let port = match port_node.map(|n| (n, n.integer())) {
            None => members.first().map_or(0, |m| m.port),
            Some((_, Some(p))) if (1..=65535).contains(&p) => u16::try_from(p).unwrap_or(0),
            Some((n, _)) => {
                self.error(VALUE, "Port must be 1-65535", n.span);
                return None;
            }
        };
        let settings = self.group_settings(
            (&owner, "HealthCheck"),
            key_span,
            [
                map.get("Protocol"),
                map.get("HealthCheck"),
                map.get("TargetGroupAttributes"),
                map.get("ProtocolVersion"),
            ],
            port,
            kind,
        )?;
        ok.then_some(TargetService {
            key: key.to_string(),
            key_span,
            named: true,
            members,
            port,
            protocol: settings.protocol,
            protocol_span: settings.protocol_span,
            health_check: settings.health_check,
            attributes: settings.attributes,
            protocol_version: settings.protocol_version,
        })
    }

    /// `Services: [{Name: family:container, Port: 5000}]` of a target group.
    fn members(&mut self, node: &Node, owner: &str) -> Option<Vec<Member>> {
        let Some(items) = node.as_seq().filter(|items| !items.is_empty()) else {
            self.error(
                SHAPE,
                format!("{owner}.Services must be a non-empty list of {{Name, Port}}"),
                node.span,
            )
            .help = Some("e.g. `Services: [{Name: family:container, Port: 80}]`".into());
            return None;
        };
        let mut members: Vec<Member> = Vec::new();
        let mut ok = true;
        for item in items {
            let Some(map) = item.as_map() else {
                self.error(
                    SHAPE,
                    format!("a {owner}.Services entry must be a mapping {{Name, Port}}"),
                    item.span,
                );
                ok = false;
                continue;
            };
            for (k, span, _) in &map.entries {
                if !["Name", "Port"].contains(&k.as_str()) {
                    self.unknown_key(k, *span, &["Name", "Port"], &format!("{owner}.Services"));
                    ok = false;
                }
            }
            let Some(name_node) = map.get("Name") else {
                self.error(SHAPE, "a target group service needs a `Name`", item.span)
                    .help = Some("write `Name: family:container`".into());
                ok = false;
                continue;
            };
            let name = str_of(name_node).unwrap_or_default();
            let (family, container, name_port) = match split_target(&name) {
                Ok(parts) => parts,
                Err(message) => {
                    self.error(TARGET_NAME, message, name_node.span).help =
                        Some("write `family:container`".into());
                    ok = false;
                    continue;
                }
            };
            let port_node = map.get("Port");
            let port = match (port_node.map(|n| (n, n.integer())), name_port) {
                (Some((_, Some(p))), _) if (1..=65535).contains(&p) => {
                    u16::try_from(p).unwrap_or(0)
                }
                (Some((n, _)), _) => {
                    self.error(VALUE, "Port must be 1-65535", n.span);
                    ok = false;
                    continue;
                }
                (None, Some(p)) => p,
                (None, None) => {
                    self.error(
                        SHAPE,
                        format!("`{name}` needs the container `Port` traffic goes to"),
                        item.span,
                    );
                    ok = false;
                    continue;
                }
            };
            let member = Member {
                family,
                container,
                port,
                span: name_node.span,
                port_span: port_node.map_or(name_node.span, |n| n.span),
            };
            if let Some(first) = members.iter().find(|m| {
                m.family == member.family
                    && m.container == member.container
                    && m.port == member.port
            }) {
                self.push(
                    Diagnostic::error(
                        DUPLICATE,
                        format!("`{name}` port {port} is listed twice in {owner}"),
                        member.span,
                    )
                    .with_label(first.span, "first listed here"),
                );
                ok = false;
                continue;
            }
            members.push(member);
        }
        ok.then_some(members)
    }
}

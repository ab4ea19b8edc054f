//! `Lookup`: an existing load balancer and its existing listeners. composex makes no AWS call:
//! what ComposeX finds by tags (the load balancer ARN, its security group, listener ARNs) are
//! parameters, filled from `Arn` / `SecurityGroupId` when written.

use super::*;
use crate::yaml::Map as YamlMap;

/// `Lookup` is written wrong, or with something only a load balancer composex creates takes.
pub const LOOKUP_SHAPE: &str = "CX641";
/// New listeners on an existing load balancer: its security group is not changed (warning).
pub const LOOKUP_INGRESS: &str = "CX642";

/// Keys of a `Lookup.Listeners.<port>` entry.
pub const LISTENER_KEYS: [&str; 6] = [
    "Tags",
    "Arn",
    "Protocol",
    "Certificates",
    "Targets",
    "FirstRulePriority",
];

const LOOKUP_KEYS: [&str; 3] = ["loadbalancer", "Listeners", "RoleArn"];
const LOAD_BALANCER_KEYS: [&str; 3] = ["Tags", "Arn", "SecurityGroupId"];

/// An Elastic Load Balancing ARN, read: (`app` or `net`, the load balancer's ARN).
fn elb_arn(text: &str, listener: bool) -> Option<(Kind, String)> {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let [arn, _, service, _, _, resource] = parts.as_slice() else {
        return None;
    };
    if *arn != "arn" || *service != "elasticloadbalancing" {
        return None;
    }
    let fields: Vec<&str> = resource.split('/').collect();
    let (expected, length) = if listener {
        ("listener", 5)
    } else {
        ("loadbalancer", 4)
    };
    if fields.len() != length || fields[0] != expected || fields.iter().any(|f| f.is_empty()) {
        return None;
    }
    let kind = match fields[1] {
        "app" => Kind::Application,
        "net" => Kind::Network,
        _ => return None,
    };
    let prefix = &text[..text.len() - resource.len()];
    let lb = format!("{prefix}loadbalancer/{}", fields[1..4].join("/"));
    Some((kind, lb))
}

/// `Tags` as one line (`Key=Value, ...`) for the parameter descriptions.
fn tags_text(node: &Node) -> Option<String> {
    let pairs: Vec<String> = match (node.as_map(), node.as_seq()) {
        (Some(map), _) => map
            .entries
            .iter()
            .map(|(k, _, v)| format!("{k}={}", str_of(v).unwrap_or_default()))
            .collect(),
        (_, Some(items)) => items
            .iter()
            .filter_map(Node::as_map)
            .flat_map(|m| {
                m.entries
                    .iter()
                    .map(|(k, _, v)| format!("{k}={}", str_of(v).unwrap_or_default()))
            })
            .collect(),
        _ => return None,
    };
    (!pairs.is_empty()).then(|| pairs.join(", "))
}

impl Reader<'_> {
    fn lookup_error(&mut self, message: impl Into<String>, span: Span) -> &mut Diagnostic {
        self.error(LOOKUP_SHAPE, message, span)
    }

    /// Reads `Lookup` of load balancer `lb` (whose definition is `lb_map`).
    pub(super) fn lookup(&mut self, node: &Node, lb_map: &YamlMap, lb: &mut LoadBalancer) {
        let name = lb.name.clone();
        let Some(map) = self.expect_map(node, "Lookup") else {
            return;
        };
        for key in ["MacroParameters", "Settings", "DnsAliases"] {
            if let Some(span) = lb_map.key_span(key) {
                self.lookup_error(
                    format!("`{key}` configures a load balancer composex creates; x-elbv2.{name} exists already (`Lookup`)"),
                    span,
                )
                .help = Some(format!("remove `{key}`: the existing load balancer keeps its settings"));
            }
        }
        if let Some(props) = lb_map.get("Properties").and_then(Node::as_map) {
            for (key, span, _) in props.entries.iter().filter(|(k, _, _)| k != "Type") {
                self.lookup_error(
                    format!("`Properties.{key}` cannot be set on an existing load balancer"),
                    *span,
                )
                .help = Some(
                    "only `Properties.Type` (application or network) may be written with `Lookup`"
                        .into(),
                );
            }
        }
        for (key, span, _) in &map.entries {
            if !LOOKUP_KEYS.contains(&key.as_str()) {
                let d = Diagnostic::error(
                    LOOKUP_SHAPE,
                    format!("unknown key `{key}` in Lookup"),
                    *span,
                );
                self.push(with_suggestion(d, key, &LOOKUP_KEYS, Some("known keys")));
            }
        }
        if let Some(span) = map.key_span("RoleArn") {
            self.push(
                Diagnostic::warning(
                    IGNORED,
                    "`RoleArn` is not used: composex makes no AWS call to look the load balancer up",
                    span,
                )
                .with_help("give `loadbalancer.Arn` and the listeners' `Arn` instead"),
            );
        }
        let mut existing = Existing {
            arn: None,
            security_group: None,
            tags: None,
            span: node.span,
        };
        let mut arn_kind = None;
        match map.get("loadbalancer") {
            Some(found) => {
                let Some(found_map) = self.expect_map(found, "Lookup.loadbalancer") else {
                    return;
                };
                for (key, span, value) in &found_map.entries {
                    match key.as_str() {
                        "Tags" => existing.tags = tags_text(value),
                        "Arn" => match str_of(value).as_deref().and_then(|a| elb_arn(a, false)) {
                            Some((kind, arn)) => {
                                arn_kind = Some((kind, value.span));
                                existing.arn = Some(arn);
                            }
                            None => {
                                self.lookup_error("`Arn` is not the ARN of a load balancer", value.span)
                                    .help = Some("e.g. arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188".into());
                            }
                        },
                        "SecurityGroupId" => match str_of(value) {
                            Some(id) if id.starts_with("sg-") => existing.security_group = Some(id),
                            _ => {
                                self.lookup_error(
                                    "`SecurityGroupId` is not a security group id (sg-...)",
                                    value.span,
                                );
                            }
                        },
                        _ => {
                            let d = Diagnostic::error(
                                LOOKUP_SHAPE,
                                format!("unknown key `{key}` in Lookup.loadbalancer"),
                                *span,
                            );
                            self.push(with_suggestion(
                                d,
                                key,
                                &LOAD_BALANCER_KEYS,
                                Some("known keys"),
                            ));
                        }
                    }
                }
            }
            None => {
                self.lookup_error(
                    "Lookup needs `loadbalancer` (its `Arn`, or `Tags`)",
                    node.span,
                )
                .help = Some(
                    "e.g. `Lookup: {loadbalancer: {Arn: arn:aws:elasticloadbalancing:...}}`".into(),
                );
            }
        }
        if let Some((kind, span)) = arn_kind {
            let typed = lb_map
                .get("Properties")
                .and_then(|p| p.get("Type"))
                .is_some();
            if typed && kind != lb.kind {
                self.lookup_error(
                    "the ARN and `Properties.Type` disagree on the load balancer type",
                    span,
                );
            }
            lb.kind = kind;
        }
        if lb_map.get("Listeners").is_some() {
            self.push(
                Diagnostic::warning(
                    LOOKUP_INGRESS,
                    format!("new listeners on the existing load balancer {name}: its security group is not changed"),
                    lb_map.key_span("Listeners").unwrap_or(node.span),
                )
                .with_help("make sure the existing security group admits the new listener ports"),
            );
        }
        lb.existing = Some(existing);
        let Some(listeners) = map.get("Listeners") else {
            return;
        };
        let Some(listeners) = self.expect_map(listeners, "Lookup.Listeners") else {
            return;
        };
        for (key, key_span, value) in &listeners.entries {
            let Some(port) = key.parse::<u16>().ok().filter(|p| *p > 0) else {
                self.lookup_error(
                    format!("listener key `{key}` is not a port (1-65535)"),
                    *key_span,
                );
                continue;
            };
            let mut listener = ExistingListener {
                arn: None,
                tags: value.get("Tags").and_then(tags_text),
                first_priority: EXISTING_FIRST_PRIORITY,
            };
            if let Some(arn) = value.get("Arn") {
                match str_of(arn).and_then(|a| elb_arn(&a, true).map(|found| (a, found))) {
                    Some((text, (kind, lb_arn))) => {
                        if kind != lb.kind {
                            self.lookup_error(
                                "this listener's ARN is not of the load balancer's type",
                                arn.span,
                            );
                        }
                        match &lb.existing.as_ref().and_then(|e| e.arn.clone()) {
                            Some(known) if *known != lb_arn => {
                                self.lookup_error(
                                    "this listener's ARN is not of `loadbalancer.Arn`",
                                    arn.span,
                                );
                            }
                            Some(_) => {}
                            None => {
                                if let Some(e) = lb.existing.as_mut() {
                                    e.arn = Some(lb_arn);
                                }
                            }
                        }
                        listener.arn = Some(text);
                    }
                    None => {
                        self.lookup_error("`Arn` is not the ARN of a listener", arn.span).help = Some(
                            "e.g. arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/my-alb/50dc6c495c0c9188/f2f7dc8efc522ab2".into(),
                        );
                    }
                }
            }
            if let Some(priority) = value.get("FirstRulePriority") {
                match priority
                    .integer()
                    .and_then(|p| u32::try_from(p).ok())
                    .filter(|p| (1..=50000).contains(p))
                {
                    Some(p) => listener.first_priority = p,
                    None => {
                        self.lookup_error(
                            "`FirstRulePriority` must be a rule priority (1-50000)",
                            priority.span,
                        );
                    }
                }
            }
            if lb.kind == Kind::Network {
                self.lookup_error(
                    "composex cannot add target groups to an existing network load balancer listener",
                    *key_span,
                )
                .help = Some("a network listener forwards to one target group, its default action, which is not changed; add a new listener under `Listeners`".into());
                continue;
            }
            self.listener(port, *key_span, value, lb, false, Some(listener));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns() {
        let lb = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188";
        assert_eq!(
            elb_arn(lb, false),
            Some((Kind::Application, lb.to_string()))
        );
        assert_eq!(elb_arn(lb, true), None);
        let listener = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/nlb/50dc6c495c0c9188/f2f7dc8efc522ab2";
        assert_eq!(
            elb_arn(listener, true),
            Some((
                Kind::Network,
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/50dc6c495c0c9188".to_string()
            ))
        );
        assert_eq!(elb_arn("arn:aws:s3:::bucket", false), None);
        assert_eq!(
            elb_arn(
                "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/gwy/a/b",
                false
            ),
            None
        );
    }
}

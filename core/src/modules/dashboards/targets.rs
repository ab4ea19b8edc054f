//! The x-elbv2 target groups a task family is registered into, with the exports of their
//! CloudWatch dimensions (the load balancer's and the target group's full names).

use crate::compose::Project;
use crate::modules::elbv2::{reference_export, syntax::split_target};
use crate::yaml::Node;

/// One target group a family is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetGroup {
    /// The x-elbv2 load balancer's name.
    pub load_balancer: String,
    /// Where the family's traffic comes from: `<family>:<container>:<port>` or the group's key.
    pub label: String,
    /// An application (true) or a network (false) load balancer.
    pub application: bool,
    /// The export of the load balancer's full name.
    pub lb_export: String,
    /// The export of the target group's full name.
    pub tg_export: String,
}

/// The names listener targets use on `definition` (only those target groups are created).
fn listener_targets(definition: &Node) -> Vec<String> {
    let mut out = Vec::new();
    let listeners: Vec<&Node> = match definition.get("Listeners") {
        Some(n) => match (n.as_seq(), n.as_map()) {
            (Some(items), _) => items.iter().collect(),
            (_, Some(map)) => map.entries.iter().map(|(_, _, v)| v).collect(),
            _ => Vec::new(),
        },
        None => Vec::new(),
    };
    for listener in listeners {
        for target in listener
            .get("Targets")
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
        {
            if let Some(name) = target.get("name").and_then(Node::as_str) {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// The target groups of new x-elbv2 load balancers `family` is registered into, in file order.
pub fn of_family(project: &Project, family: &str) -> Vec<TargetGroup> {
    let mut out = Vec::new();
    let Some(lbs) = project.extension("x-elbv2").and_then(Node::as_map) else {
        return out;
    };
    for (lb, _, definition) in &lbs.entries {
        if definition.get("Lookup").is_some_and(|l| !l.is_null()) {
            continue;
        }
        let Ok(lb_export) = reference_export(project, &format!("x-elbv2::{lb}")) else {
            continue;
        };
        let application = definition
            .get("Properties")
            .and_then(|p| p.get("Type"))
            .and_then(Node::as_str)
            .is_none_or(|t| t == "application");
        let used = listener_targets(definition);
        let mut push = |label: String, tg_export: String| {
            out.push(TargetGroup {
                load_balancer: lb.clone(),
                label,
                application,
                lb_export: lb_export.clone(),
                tg_export,
            });
        };
        for (key, _, entry) in definition
            .get("Services")
            .and_then(Node::as_map)
            .map(|m| m.entries.as_slice())
            .unwrap_or_default()
        {
            let Ok((target_family, _, key_port)) = split_target(key) else {
                continue;
            };
            let port = entry
                .get("port")
                .and_then(Node::integer)
                .and_then(|p| u16::try_from(p).ok())
                .or(key_port);
            if target_family != family || !used.contains(key) {
                continue;
            }
            let Some(port) = port else { continue };
            if let Ok(tg) = reference_export(project, &format!("x-elbv2::{lb}::{family}::{port}")) {
                push(key.clone(), tg);
            }
        }
        for (group, _, entry) in definition
            .get("TargetGroups")
            .and_then(Node::as_map)
            .map(|m| m.entries.as_slice())
            .unwrap_or_default()
        {
            let registered = entry
                .get("Services")
                .and_then(Node::as_seq)
                .into_iter()
                .flatten()
                .filter_map(|s| s.get("Name").and_then(Node::as_str))
                .any(|name| split_target(name).is_ok_and(|(f, _, _)| f == family));
            if !registered || !used.contains(group) {
                continue;
            }
            if let Ok(tg) = reference_export(project, &format!("x-elbv2::{lb}::{group}")) {
                push(group.clone(), tg);
            }
        }
    }
    out
}

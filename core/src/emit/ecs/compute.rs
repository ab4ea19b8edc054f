//! Where a family runs: Fargate, or EC2 capacity (the cluster's Auto Scaling group capacity
//! provider, `x-cluster.MacroParameters.Ec2Capacity`, or an existing cluster's instances). A
//! family runs on EC2 when a service says so (deploy label `ecs.compute.platform: EC2`, as in
//! ComposeX, or the provider `EC2` in `x-ecs.CapacityProviderStrategy`), or when it reserves a
//! GPU on a cluster with EC2 capacity. Only there are `deploy.placement` (placement
//! constraints and strategies) and GPU reservations (`deploy.resources.reservations.devices`)
//! rendered; on Fargate they are errors at their key, with the fix.

use serde_json::{json, Value};

use crate::compose::model::Service;
use crate::diagnostic::{Diagnostic, Span};
use crate::emit::capacity::{EC2_CAPACITY_ARCHITECTURE, EC2_CAPACITY_PROVIDER, EC2_PROVIDER_ALIAS};
use crate::stack::{Stacks, CLUSTER_NAME};
use crate::yaml::Node;

/// `ecs.compute.platform` or a capacity provider strategy asks for compute the cluster lacks,
/// or names a platform composex does not render.
pub const COMPUTE_PLATFORM: &str = "CX651";
/// `deploy.placement` on Fargate, or a placement ECS cannot express.
pub const PLACEMENT: &str = "CX652";
/// `deploy.resources.reservations.devices` on Fargate, or a device ECS cannot reserve.
pub const DEVICES: &str = "CX653";

const LABEL: &str = "ecs.compute.platform";

/// What the cluster offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cluster {
    /// A new cluster with Fargate only.
    Fargate,
    /// A new cluster with an EC2 capacity provider.
    WithEc2,
    /// An existing cluster: EC2 services run by launch type on its instances.
    Existing,
}

impl Cluster {
    /// Reads it off the exports of the cluster emitter.
    pub fn of(stacks: &Stacks) -> Self {
        if stacks.exporter(EC2_CAPACITY_PROVIDER).is_some() {
            Cluster::WithEc2
        } else if stacks
            .exporter(CLUSTER_NAME)
            .is_some_and(|(_, e)| e.parameter.is_some())
        {
            Cluster::Existing
        } else {
            Cluster::Fargate
        }
    }
}

/// Checks that the family's runtime platform (`x-ecs` / `platform:`) fits the cluster's EC2
/// instances: Linux, of their CPU architecture.
pub fn check_platform(
    platform: Option<&Value>,
    stacks: &Stacks,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(platform) = platform else { return };
    let Some((_, export)) = stacks.exporter(EC2_CAPACITY_ARCHITECTURE) else {
        return;
    };
    let os = platform["OperatingSystemFamily"]
        .as_str()
        .unwrap_or("LINUX");
    let arch = platform["CpuArchitecture"].as_str().unwrap_or("X86_64");
    let instances = export.value.as_str().unwrap_or("X86_64");
    if os != "LINUX" || arch != instances {
        diags.push(
            Diagnostic::error(
                COMPUTE_PLATFORM,
                format!("this family runs {os} on {arch}, but the cluster's EC2 instances run Linux on {instances}: its tasks would never be placed"),
                span,
            )
            .with_help("set Ec2Capacity.CpuArchitecture to the family's, or run the family on Fargate"),
        );
    }
}

/// A family's EC2 settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ec2 {
    /// The cluster's own EC2 capacity provider (else launch type EC2 on an existing cluster).
    pub provider: bool,
    /// `PlacementConstraints` of the service.
    pub constraints: Vec<Value>,
    /// `PlacementStrategies` of the service.
    pub strategies: Vec<Value>,
}

/// Decides where the family runs. `strategy` is the x-ecs strategy read so far (its `EC2`
/// entries are the cluster's EC2 provider) and `strategy_span` where it is written. Returns
/// None for Fargate. Sets GPU requirements on `gpus` (per service, in order).
pub fn read(
    services: &[&Service],
    strategy: Option<&Value>,
    strategy_span: Option<Span>,
    cluster: Cluster,
    diags: &mut Vec<Diagnostic>,
) -> Option<Ec2> {
    let mut asked: Option<Span> = None;
    for s in services {
        let Some(label) = &s.deploy.compute_platform else {
            continue;
        };
        match label.value.as_str() {
            "EC2" => asked = asked.or(Some(label.span)),
            "FARGATE" => {}
            "EXTERNAL" => diags.push(
                Diagnostic::error(
                    COMPUTE_PLATFORM,
                    format!("services.{}: {LABEL} EXTERNAL (ECS Anywhere) is not rendered by composex", s.name),
                    label.span,
                )
                .with_help("use EC2 (x-cluster.MacroParameters.Ec2Capacity, or an existing cluster's instances) or FARGATE"),
            ),
            other => diags.push(Diagnostic::error(
                COMPUTE_PLATFORM,
                format!("services.{}: {LABEL} must be EC2, FARGATE or EXTERNAL, not `{other}`", s.name),
                label.span,
            )),
        }
    }
    let names: Vec<&str> = strategy
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["CapacityProvider"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let ec2_in_strategy = names.contains(&EC2_PROVIDER_ALIAS);
    let fargate_in_strategy = names.iter().any(|n| n.starts_with("FARGATE"));
    if let Some(span) = strategy_span.filter(|_| ec2_in_strategy) {
        asked = asked.or(Some(span));
        if fargate_in_strategy {
            diags.push(
                Diagnostic::error(
                    COMPUTE_PLATFORM,
                    "x-ecs.CapacityProviderStrategy mixes Fargate and EC2 capacity providers, which ECS refuses in one strategy",
                    span,
                )
                .with_help("keep EC2 only, or FARGATE / FARGATE_SPOT only"),
            );
        }
    }
    let gpu_span = services
        .iter()
        .find_map(|s| s.deploy.devices.as_ref().map(|d| d.span));
    if asked.is_none() && cluster == Cluster::WithEc2 {
        // A GPU is only found on EC2: the family goes where the cluster has it.
        asked = gpu_span;
    }
    let Some(asked) = asked else {
        refuse_on_fargate(services, diags);
        return None;
    };
    if fargate_in_strategy && !ec2_in_strategy {
        // As ComposeX: the EC2 launch type wins over a Fargate strategy (ECS cannot mix them).
        if let Some(span) = strategy_span {
            diags.push(
                Diagnostic::warning(
                    COMPUTE_PLATFORM,
                    "x-ecs.CapacityProviderStrategy names Fargate providers only, but the family runs on EC2: the strategy is not used",
                    span,
                )
                .with_label(asked, "EC2 asked for here")
                .with_help("use `CapacityProvider: EC2` in the strategy, or remove the strategy"),
            );
        }
    }
    if cluster == Cluster::Fargate {
        diags.push(
            Diagnostic::error(
                COMPUTE_PLATFORM,
                "this family runs on EC2, but the cluster has no EC2 capacity",
                asked,
            )
            .with_help("give the cluster EC2 instances: `x-cluster: {MacroParameters: {Ec2Capacity: {InstanceTypes: [m6i.large]}}}`, or use `x-cluster.Lookup` for an existing cluster with instances"),
        );
        return None;
    }
    if cluster == Cluster::Existing && ec2_in_strategy {
        if let Some(span) = strategy_span {
            diags.push(
                Diagnostic::error(
                    COMPUTE_PLATFORM,
                    "`CapacityProvider: EC2` names the EC2 capacity of a cluster composex creates; this one is looked up",
                    span,
                )
                .with_help(format!("remove the strategy and set the deploy label `{LABEL}: EC2`: the services then run on the existing cluster's instances")),
            );
        }
    }
    let mut ec2 = Ec2 {
        provider: cluster == Cluster::WithEc2,
        ..Ec2::default()
    };
    for s in services {
        if let Some(placement) = &s.deploy.placement {
            placement_of(&placement.value, &mut ec2, diags);
        }
    }
    Some(ec2)
}

fn refuse_on_fargate(services: &[&Service], diags: &mut Vec<Diagnostic>) {
    let help = format!("run the family on EC2 capacity: the deploy label `{LABEL}: EC2` with `x-cluster.MacroParameters.Ec2Capacity` (or an existing cluster with instances)");
    for s in services {
        if let Some(p) = &s.deploy.placement {
            diags.push(
                Diagnostic::error(
                    PLACEMENT,
                    format!("services.{}.deploy.placement: Fargate places tasks itself (across the subnets' zones); placement constraints and preferences need EC2 capacity", s.name),
                    p.span,
                )
                .with_help(help.clone()),
            );
        }
        if let Some(d) = &s.deploy.devices {
            diags.push(
                Diagnostic::error(
                    DEVICES,
                    format!(
                        "services.{}: Fargate has no GPUs or devices to reserve",
                        s.name
                    ),
                    d.span,
                )
                .with_help(help.clone()),
            );
        }
    }
}

/// `deploy.placement`: constraints (`node.labels.K == V`, `node.platform.os`,
/// `node.platform.arch`) become memberOf constraints on container instance attributes,
/// `preferences: [{spread: node.labels.K}]` spread strategies, `max_replicas_per_node: 1` the
/// distinctInstance constraint.
fn placement_of(node: &Node, ec2: &mut Ec2, diags: &mut Vec<Diagnostic>) {
    let Some(map) = node.as_map() else {
        diags.push(Diagnostic::error(
            PLACEMENT,
            format!(
                "deploy.placement must be a mapping, not a {}",
                node.kind_name()
            ),
            node.span,
        ));
        return;
    };
    for (key, value) in map.iter() {
        match key {
            "constraints" => {
                for item in value.as_seq().unwrap_or_default() {
                    match item.as_str().and_then(constraint) {
                        Some(expression) => {
                            let c = json!({ "Type": "memberOf", "Expression": expression });
                            if !ec2.constraints.contains(&c) {
                                ec2.constraints.push(c);
                            }
                        }
                        None => diags.push(
                            Diagnostic::error(
                                PLACEMENT,
                                "placement constraint ECS cannot express",
                                item.span,
                            )
                            .with_help("ECS filters container instances by attribute: `node.labels.<attribute> == <value>` (or !=), `node.platform.os == linux`, `node.platform.arch == x86_64`"),
                        ),
                    }
                }
            }
            "preferences" => {
                for item in value.as_seq().unwrap_or_default() {
                    match item.get("spread").and_then(Node::as_str).and_then(attribute) {
                        Some(field) => {
                            let s = json!({ "Type": "spread", "Field": field });
                            if !ec2.strategies.contains(&s) {
                                ec2.strategies.push(s);
                            }
                        }
                        None => diags.push(
                            Diagnostic::error(
                                PLACEMENT,
                                "placement preference ECS cannot express",
                                item.span,
                            )
                            .with_help("ECS spreads tasks over an attribute's values: `spread: node.labels.<attribute>`"),
                        ),
                    }
                }
            }
            "max_replicas_per_node" if value.integer() == Some(1) => {
                let c = json!({ "Type": "distinctInstance" });
                if !ec2.constraints.contains(&c) {
                    ec2.constraints.push(c);
                }
            }
            "max_replicas_per_node" => diags.push(
                Diagnostic::error(
                    PLACEMENT,
                    "ECS can keep tasks on distinct instances (max_replicas_per_node: 1), not cap them at another number",
                    value.span,
                )
                .with_help("use `max_replicas_per_node: 1`, or remove it"),
            ),
            other => diags.push(Diagnostic::error(
                PLACEMENT,
                format!("deploy.placement.{other} is not a placement setting ECS has"),
                map.key_span(other).unwrap_or(value.span),
            )),
        }
    }
    if ec2.constraints.len() > 10 || ec2.strategies.len() > 5 {
        diags.push(Diagnostic::error(
            PLACEMENT,
            "ECS allows 10 placement constraints and 5 strategies per service",
            node.span,
        ));
    }
}

/// A Swarm node field as an ECS container instance attribute.
fn attribute(field: &str) -> Option<String> {
    let field = field.trim();
    if let Some(label) = field.strip_prefix("node.labels.") {
        return (!label.is_empty()).then(|| format!("attribute:{label}"));
    }
    match field {
        "node.platform.os" => Some("attribute:ecs.os-type".into()),
        "node.platform.arch" => Some("attribute:ecs.cpu-architecture".into()),
        _ => None,
    }
}

/// `node.labels.zone == a` as an ECS cluster query expression.
fn constraint(text: &str) -> Option<String> {
    let (field, op, value) = if let Some((f, v)) = text.split_once("!=") {
        (f, "!=", v)
    } else {
        let (f, v) = text.split_once("==")?;
        (f, "==", v)
    };
    let attribute = attribute(field)?;
    let mut value = value.trim().to_string();
    if value.is_empty() || value.contains(char::is_whitespace) {
        return None;
    }
    if attribute == "attribute:ecs.cpu-architecture" && value == "aarch64" {
        value = "arm64".into();
    }
    Some(format!("{attribute} {op} {value}"))
}

/// The GPUs `deploy.resources.reservations.devices` reserves (ECS reserves a number of GPUs
/// and picks them itself); None with located errors otherwise.
pub fn gpus(service: &Service, diags: &mut Vec<Diagnostic>) -> Option<u32> {
    let devices = service.deploy.devices.as_ref()?;
    let Some(items) = devices.value.as_seq() else {
        diags.push(Diagnostic::error(
            DEVICES,
            format!("services.{}: devices must be a list", service.name),
            devices.span,
        ));
        return None;
    };
    let mut total = 0u32;
    for item in items {
        let gpu = item
            .get("capabilities")
            .and_then(Node::as_seq)
            .is_some_and(|c| c.iter().any(|c| c.as_str() == Some("gpu")));
        if !gpu {
            diags.push(
                Diagnostic::error(
                    DEVICES,
                    "ECS reserves GPUs only: this device has no `gpu` capability",
                    item.span,
                )
                .with_help("`capabilities: [gpu]` with a `count`"),
            );
            continue;
        }
        for (key, why) in [
            (
                "device_ids",
                "ECS chooses which GPUs a task gets: give a `count` instead",
            ),
            ("options", "ECS passes no driver options"),
        ] {
            if let Some(n) = item.get(key) {
                diags.push(Diagnostic::error(
                    DEVICES,
                    format!("devices.{key}: {why}"),
                    n.span,
                ));
            }
        }
        if let Some(driver) = item.get("driver").filter(|d| d.as_str() != Some("nvidia")) {
            diags.push(Diagnostic::error(
                DEVICES,
                "ECS GPU instances use the nvidia driver",
                driver.span,
            ));
        }
        match item.get("count") {
            Some(n) => match n
                .integer()
                .filter(|c| *c >= 1)
                .and_then(|c| u32::try_from(c).ok())
            {
                Some(c) => total = total.saturating_add(c),
                None => diags.push(
                    Diagnostic::error(
                        DEVICES,
                        "devices.count: ECS reserves a number of GPUs (1 or more), not `all`",
                        n.span,
                    )
                    .with_help("e.g. `count: 1`"),
                ),
            },
            None if item.get("device_ids").is_none() => diags.push(
                Diagnostic::error(
                    DEVICES,
                    "devices without a count reserve every GPU of the host, which ECS cannot do",
                    item.span,
                )
                .with_help("give the number of GPUs: `count: 1`"),
            ),
            None => {}
        }
    }
    (total > 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swarm_constraints_as_ecs_expressions() {
        assert_eq!(
            constraint("node.labels.zone == eu-west-1a").as_deref(),
            Some("attribute:zone == eu-west-1a")
        );
        assert_eq!(
            constraint("node.platform.arch!=aarch64").as_deref(),
            Some("attribute:ecs.cpu-architecture != arm64")
        );
        assert_eq!(
            constraint("node.platform.os == linux").as_deref(),
            Some("attribute:ecs.os-type == linux")
        );
        assert_eq!(constraint("node.hostname == a"), None);
        assert_eq!(constraint("node.role == manager"), None);
        assert_eq!(constraint("node.labels.zone"), None);
    }
}

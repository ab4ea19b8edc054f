//! x-scaling: application auto scaling of the family's ECS service — a scalable target from
//! `Range`, target tracking on CPU / memory, and scheduled actions as the scalable target's own
//! `ScheduledActions` property (no third-party resource type).

use serde_json::{json, Map, Value};

use super::family::Plan;
use super::{service_extensions, unknown_keys, X_SCALING};
use crate::cfn::{get_att, ref_, sub_with, Resource};
use crate::compose::model::Service;
use crate::diagnostic::Diagnostic;
use crate::stack::{Stack, CLUSTER_NAME};
use crate::yaml::Node;

const KEYS: &[&str] = &["Range", "TargetScaling", "ScheduledActions"];
const TARGET_KEYS: &[&str] = &[
    "CpuTarget",
    "MemoryTarget",
    "ScaleInCooldown",
    "ScaleOutCooldown",
    "DisableScaleIn",
];
const ACTION_KEYS: &[&str] = &[
    "ScheduledActionName",
    "Schedule",
    "ScalableTargetAction",
    "StartTime",
    "EndTime",
    "Timezone",
];

/// The family's scaling settings.
#[derive(Debug, Default)]
pub struct Scaling {
    /// Fewest tasks.
    pub min: u32,
    /// Most tasks.
    pub max: u32,
    /// `(metric, target percent)` pairs.
    pub targets: Vec<(&'static str, f64)>,
    /// Cooldowns and scale-in switch for target tracking.
    pub tracking: Map<String, Value>,
    /// Scheduled actions, as CloudFormation properties.
    pub scheduled: Vec<Value>,
}

fn range(node: &crate::yaml::Node, diags: &mut Vec<Diagnostic>) -> Option<(u32, u32)> {
    let parsed = node.as_str().and_then(|t| {
        let (a, b) = t.split_once('-')?;
        Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?))
    });
    match parsed.filter(|(a, b)| a <= b && *b > 0 && *b <= 5000) {
        Some(r) => Some(r),
        None => {
            diags.push(
                Diagnostic::error(
                    X_SCALING,
                    "x-scaling.Range must be \"min-max\" tasks with min <= max, max 1..5000",
                    node.span,
                )
                .with_help("e.g. `Range: \"1-4\"`"),
            );
            None
        }
    }
}

/// Reads x-scaling of the family's services (the first one that sets it).
pub fn read(services: &[&Service], diags: &mut Vec<Diagnostic>) -> Option<Scaling> {
    let nodes = service_extensions(services, "x-scaling", X_SCALING, diags);
    let Some((service, node)) = nodes.first() else {
        return ecs_plugin_autoscaling(services, diags);
    };
    for (other, n) in nodes.iter().skip(1) {
        diags.push(
            Diagnostic::warning(
                X_SCALING,
                format!(
                    "{} also sets x-scaling; the family scales by {}'s",
                    other.name, service.name
                ),
                n.span,
            )
            .with_label(node.span, "used"),
        );
    }
    unknown_keys(
        node,
        KEYS,
        &format!("services.{}.x-scaling", service.name),
        diags,
    );
    let Some(range_node) = node.get("Range") else {
        diags.push(Diagnostic::error(
            X_SCALING,
            "x-scaling needs Range: \"min-max\"",
            node.span,
        ));
        return None;
    };
    let (min, max) = range(range_node, diags)?;
    let mut scaling = Scaling {
        min,
        max,
        ..Scaling::default()
    };
    if let Some(t) = node.get("TargetScaling") {
        unknown_keys(t, TARGET_KEYS, "x-scaling.TargetScaling", diags);
        for (key, metric) in [
            ("CpuTarget", "ECSServiceAverageCPUUtilization"),
            ("MemoryTarget", "ECSServiceAverageMemoryUtilization"),
        ] {
            if let Some(n) = t.get(key) {
                match n.number().filter(|v| *v > 0.0 && *v <= 100.0) {
                    Some(v) => scaling.targets.push((metric, v)),
                    None => diags.push(Diagnostic::error(
                        X_SCALING,
                        format!("x-scaling.TargetScaling.{key} is a percentage (1..100)"),
                        n.span,
                    )),
                }
            }
        }
        for key in ["ScaleInCooldown", "ScaleOutCooldown"] {
            if let Some(n) = t.get(key) {
                match n.integer().filter(|v| (0..=86400).contains(v)) {
                    Some(v) => {
                        scaling.tracking.insert(key.into(), json!(v));
                    }
                    None => diags.push(Diagnostic::error(
                        X_SCALING,
                        format!("x-scaling.TargetScaling.{key} is seconds (0..86400)"),
                        n.span,
                    )),
                }
            }
        }
        if let Some(n) = t.get("DisableScaleIn") {
            match n.boolean() {
                Some(b) => {
                    scaling.tracking.insert("DisableScaleIn".into(), json!(b));
                }
                None => diags.push(Diagnostic::error(
                    X_SCALING,
                    "x-scaling.TargetScaling.DisableScaleIn must be true or false",
                    n.span,
                )),
            }
        }
    }
    for (n, action) in node
        .get("ScheduledActions")
        .and_then(|a| a.as_seq())
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        if let Some(s) = scheduled_action(action, n + 1, diags) {
            scaling.scheduled.push(s);
        }
    }
    Some(scaling)
}

/// Docker's ECS plugin `deploy.x-aws-autoscaling: {min, max, cpu, memory}`, used when no service of
/// the family has x-scaling.
fn ecs_plugin_autoscaling(services: &[&Service], diags: &mut Vec<Diagnostic>) -> Option<Scaling> {
    let node = services
        .iter()
        .find_map(|s| s.deploy.extensions.get("x-aws-autoscaling"))?;
    let count = |key: &str, diags: &mut Vec<Diagnostic>| -> Option<u32> {
        let n = node.get(key)?;
        let v = n
            .integer()
            .and_then(|v| u32::try_from(v).ok())
            .filter(|v| *v <= 5000);
        if v.is_none() {
            diags.push(Diagnostic::error(
                X_SCALING,
                format!("x-aws-autoscaling.{key} is a task count (0..5000)"),
                n.span,
            ));
        }
        v
    };
    let (min, max) = (count("min", diags).unwrap_or(1), count("max", diags)?);
    if min > max || max == 0 {
        diags.push(Diagnostic::error(
            X_SCALING,
            "x-aws-autoscaling: min must not exceed max, and max must be at least 1",
            node.span,
        ));
        return None;
    }
    let mut scaling = Scaling {
        min,
        max,
        ..Scaling::default()
    };
    // A target-tracking policy per metric given (Docker took one of the two; both is harmless).
    for (key, metric) in [
        ("cpu", "ECSServiceAverageCPUUtilization"),
        ("memory", "ECSServiceAverageMemoryUtilization"),
    ] {
        let Some(n) = node.get(key) else { continue };
        match n.number().filter(|v| *v > 0.0 && *v <= 100.0) {
            Some(v) => scaling.targets.push((metric, v)),
            None => diags.push(Diagnostic::error(
                X_SCALING,
                format!("x-aws-autoscaling.{key} is a percentage (1..100)"),
                n.span,
            )),
        }
    }
    Some(scaling)
}

fn scheduled_action(
    node: &crate::yaml::Node,
    n: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<Value> {
    if let Some(m) = node.get("MacroParameters") {
        diags.push(
            Diagnostic::warning(
                X_SCALING,
                "ScheduledActions MacroParameters are not needed: names are unique per family",
                m.span,
            )
            .with_help("remove MacroParameters; ScheduledActionName is optional"),
        );
    }
    let allowed: Vec<&str> = ACTION_KEYS
        .iter()
        .copied()
        .chain(["MacroParameters"])
        .collect();
    unknown_keys(node, &allowed, "x-scaling.ScheduledActions", diags);
    let Some(schedule) = node.get("Schedule").and_then(Node::as_str) else {
        diags.push(Diagnostic::error(
            X_SCALING,
            "ScheduledActions entries need Schedule (at(...), rate(...) or cron(...))",
            node.span,
        ));
        return None;
    };
    let mut action = Map::new();
    let name = node
        .get("ScheduledActionName")
        .and_then(Node::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("scheduled-{n}"));
    action.insert("ScheduledActionName".into(), json!(name));
    action.insert("Schedule".into(), json!(schedule));
    if let Some(target) = node.get("ScalableTargetAction") {
        let mut t = Map::new();
        for key in ["MinCapacity", "MaxCapacity"] {
            if let Some(v) = target.get(key) {
                match v.integer().filter(|v| *v >= 0) {
                    Some(v) => {
                        t.insert(key.into(), json!(v));
                    }
                    None => diags.push(Diagnostic::error(
                        X_SCALING,
                        format!("ScalableTargetAction.{key} is a task count"),
                        v.span,
                    )),
                }
            }
        }
        action.insert("ScalableTargetAction".into(), Value::Object(t));
    }
    for key in ["StartTime", "EndTime", "Timezone"] {
        if let Some(v) = node.get(key).and_then(Node::as_str) {
            action.insert(key.into(), json!(v));
        }
    }
    Some(Value::Object(action))
}

/// Adds the scalable target and its target tracking policies (step scaling from linked
/// x-resources is added to the same target later, by the pipeline).
pub fn emit(plan: &Plan<'_>, scaling: &Scaling, service: &str, stack: &mut Stack) {
    let (min, max) = (scaling.min, scaling.max);
    let cluster = stack.import(CLUSTER_NAME);
    let mut vars = Map::new();
    vars.insert("Cluster".into(), cluster);
    vars.insert("ServiceName".into(), get_att(service, "Name"));
    let mut props = Map::new();
    props.insert("MinCapacity".into(), json!(min));
    props.insert("MaxCapacity".into(), json!(max));
    props.insert(
        "ResourceId".into(),
        sub_with("service/${Cluster}/${ServiceName}", vars),
    );
    props.insert(
        "ScalableDimension".into(),
        json!("ecs:service:DesiredCount"),
    );
    props.insert("ServiceNamespace".into(), json!("ecs"));
    // No RoleARN: Application Auto Scaling uses (and creates) its ECS service-linked role.
    if !scaling.scheduled.is_empty() {
        props.insert(
            "ScheduledActions".into(),
            Value::Array(scaling.scheduled.clone()),
        );
    }
    let target = stack.add_resource(
        super::SCALABLE_TARGET,
        Resource::new(
            "AWS::ApplicationAutoScaling::ScalableTarget",
            Value::Object(props),
        ),
    );
    for (metric, value) in &scaling.targets {
        let short = if metric.contains("CPU") {
            "Cpu"
        } else {
            "Memory"
        };
        let mut config = scaling.tracking.clone();
        config.insert(
            "PredefinedMetricSpecification".into(),
            json!({ "PredefinedMetricType": metric }),
        );
        config.insert("TargetValue".into(), json!(value));
        stack.add_resource(
            &format!("{short}TargetTracking"),
            Resource::new(
                "AWS::ApplicationAutoScaling::ScalingPolicy",
                json!({
                    "PolicyName": format!("{}-{}", plan.name, short.to_ascii_lowercase()),
                    "PolicyType": "TargetTrackingScaling",
                    "ScalingTargetId": ref_(&target),
                    "TargetTrackingScalingPolicyConfiguration": config,
                }),
            ),
        );
    }
}

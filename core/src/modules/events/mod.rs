//! x-events: EventBridge rules (`AWS::Events::Rule`, from `Properties`: `ScheduleExpression` or
//! `EventPattern`) that run the task of each family under `Services` (`TaskCount`, default 1) in
//! the ECS cluster, on Fargate, in the family's subnets with its security group. Each rule gets a
//! role EventBridge assumes: `ecs:RunTask` on exactly those task definitions (in that cluster)
//! and `iam:PassRole` on exactly those families' task and execution roles.
//! `DeleteDefaultService: true` leaves the family without its ECS service: its task only runs
//! when a rule starts it.

use serde_json::{json, Map, Value};

use super::common::{Ctx, Entry, Grant};
use super::{ModuleDef, ReturnValue, INVALID};
use crate::cfn::{get_att, logical_id, sub_with, Resource};
use crate::diagnostic::Diagnostic;
use crate::stack::family as names;
use crate::stack::{APP_SUBNETS, CLUSTER_NAME, PUBLIC_SUBNETS};
use crate::yaml::Node;

/// A rule that cannot run tasks as written (no schedule or pattern, bad task count).
pub const RULE: &str = "CX382";

/// The x-events module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: false,
    key: "x-events",
    stack: "events",
    resource_type: "AWS::Events::Rule",
    return_values: &[
        ReturnValue {
            name: "RuleName",
            attribute: None,
        },
        ReturnValue {
            name: "Arn",
            attribute: Some("Arn"),
        },
    ],
    settings: &[],
    levels: &["NA"],
    lookup_values,
    grants: no_grants,
    emit,
    access,
};

/// What the rule's role may do: start the tasks, hand them their roles.
pub const RUN_TASK: &[&str] = &["ecs:RunTask"];
/// Handing the started task its task and execution roles.
pub const PASS_ROLE: &[&str] = &["iam:PassRole"];

/// EventBridge runs at most 10 tasks per target.
const MAX_TASKS: i64 = 10;

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

fn lookup_values(arn: Option<&str>, _identifier: Option<&str>) -> Vec<(&'static str, String)> {
    arn.map(|a| vec![("Arn", a.to_string())])
        .unwrap_or_default()
}

/// Rules give the tasks they start nothing to call: the only level is `NA`.
fn access(
    ctx: &mut Ctx,
    entry: &Entry,
    _family: &str,
    access: &Node,
) -> Option<Vec<super::Statement>> {
    ctx.level(entry, access, &[("NA", ())])?;
    Some(Vec::new())
}

/// One family the rule starts.
struct Target {
    family: String,
    count: i64,
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    let mut props = ctx.properties_of(entry, "AWS::Events::Rule", &[]);
    if !props.contains_key("ScheduleExpression") && !props.contains_key("EventPattern") {
        ctx.diags.push(
            Diagnostic::error(
                RULE,
                format!(
                    "x-events {}: a rule needs ScheduleExpression or EventPattern",
                    entry.name
                ),
                entry.span,
            )
            .with_help("e.g. Properties: {ScheduleExpression: rate(1 hour)}"),
        );
        return;
    }
    let targets = targets(ctx, entry);
    if targets.is_empty() {
        ctx.add_main_resource(
            entry,
            Resource::new(MODULE.resource_type, Value::Object(props)),
        );
        return;
    }
    let stack = ctx.stacks.stack(MODULE.stack);
    let mut cluster_vars = Map::new();
    cluster_vars.insert("Cluster".into(), stack.import(CLUSTER_NAME));
    let cluster_arn = sub_with(
        "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${Cluster}",
        cluster_vars,
    );
    let role_id = format!("{}Role", entry.id);
    let mut rule_targets: Vec<Value> = match props.remove("Targets") {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    };
    let mut task_definitions = Vec::new();
    let mut roles = Vec::new();
    for target in &targets {
        let public = family_public_ip(ctx, &target.family);
        let family = &target.family;
        let id = logical_id(family);
        let stack = ctx.stacks.stack(MODULE.stack);
        let task_definition = stack.import(&names::task_definition_export(family));
        let group = stack.import(&names::security_group_export(family));
        let subnets = stack.import(if public { PUBLIC_SUBNETS } else { APP_SUBNETS });
        roles.push(stack.import(&names::task_role_arn_export(family)));
        roles.push(stack.import(&names::execution_role_arn_export(family)));
        task_definitions.push(task_definition.clone());
        rule_targets.push(json!({
            "Id": id,
            "Arn": cluster_arn,
            "RoleArn": get_att(&role_id, "Arn"),
            "EcsParameters": {
                "TaskDefinitionArn": task_definition,
                "TaskCount": target.count,
                "LaunchType": "FARGATE",
                "NetworkConfiguration": {
                    "AwsVpcConfiguration": {
                        "AssignPublicIp": if public { "ENABLED" } else { "DISABLED" },
                        "SecurityGroups": [group],
                        "Subnets": subnets,
                    }
                },
            },
        }));
    }
    props.insert("Targets".into(), Value::Array(rule_targets));
    let role = Resource::new(
        "AWS::IAM::Role",
        json!({
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": crate::cfn::ref_("AWS::AccountId")}},
                }],
            },
            "Policies": [{
                "PolicyName": "RunTasks",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "RunTasks",
                            "Effect": "Allow",
                            "Action": RUN_TASK,
                            "Resource": task_definitions,
                            "Condition": {"ArnEquals": {"ecs:cluster": cluster_arn}},
                        },
                        {
                            "Sid": "PassTaskRoles",
                            "Effect": "Allow",
                            "Action": PASS_ROLE,
                            "Resource": roles,
                            "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
                        },
                    ],
                },
            }],
        }),
    );
    ctx.stacks.stack(MODULE.stack).add_resource(&role_id, role);
    ctx.add_main_resource(
        entry,
        Resource::new(MODULE.resource_type, Value::Object(props)),
    );
}

/// True when `family`'s ECS service gives its tasks a public IP (its tasks then run in the
/// public subnets, and so do the ones a rule starts).
fn family_public_ip(ctx: &mut Ctx, family: &str) -> bool {
    ctx.stacks
        .family_facts(family)
        .is_some_and(|facts| facts.public_ip)
}

/// The families under `Services`, with their task counts; marks the ones whose default ECS
/// service is dropped.
fn targets(ctx: &mut Ctx, entry: &Entry) -> Vec<Target> {
    let Some(services) = entry.get("Services").and_then(Node::as_map) else {
        return Vec::new();
    };
    let mut out: Vec<Target> = Vec::new();
    for (name, _, def) in &services.entries {
        let delete = match def.get("DeleteDefaultService") {
            None => false,
            Some(n) => match n.as_scalar().and_then(|s| s.as_bool()) {
                Some(b) => b,
                None => {
                    ctx.diags.push(Diagnostic::error(
                        INVALID,
                        format!(
                            "x-events {}: DeleteDefaultService must be true or false",
                            entry.name
                        ),
                        n.span,
                    ));
                    false
                }
            },
        };
        // A bad TaskCount drops the entry only after every key of it was checked.
        let count: Option<i64> = match def.get("TaskCount") {
            None => Some(1),
            Some(n) => {
                match n.as_scalar().and_then(|s| s.as_i64()) {
                    Some(c) if (1..=MAX_TASKS).contains(&c) => Some(c),
                    _ => {
                        ctx.diags.push(Diagnostic::error(
                        RULE,
                        format!("x-events {}: TaskCount must be a whole number from 1 to {MAX_TASKS}", entry.name),
                        n.span,
                    ));
                        None
                    }
                }
            }
        };
        let Some(count) = count else {
            continue;
        };
        for (family, service) in ctx.families_of(name) {
            if service.is_some() && delete {
                // A service of a bigger family: the whole family's service goes.
                ctx.diags.push(
                    Diagnostic::warning(
                        INVALID,
                        format!("x-events {}: DeleteDefaultService drops the ECS service of the whole family {family}", entry.name),
                        def.span,
                    )
                    .with_help("a rule starts the family's task, with all its containers"),
                );
            }
            if delete {
                ctx.links.family_mut(&family).no_service = true;
            }
            if !out.iter().any(|t| t.family == family) {
                out.push(Target { family, count });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;

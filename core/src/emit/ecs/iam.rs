//! The family's two roles. Execution role: pull images, write its own log group, read exactly the
//! secrets its containers use. Task role: what the application may do (x-iam), nothing by default.

use serde_json::{json, Value};

use super::container::LOG_GROUP;
use super::family::Plan;
use super::secrets::arn_value;
use super::{service_extensions, to_json, unknown_keys, X_IAM};
use crate::cfn::{get_att, object, ref_, sub, Resource, AWS_ACCOUNT_ID};
use crate::compose::model::Service;
use crate::diagnostic::Diagnostic;
use crate::stack::Stack;
use crate::yaml::Node;

pub use crate::stack::family::{EXECUTION_ROLE, TASK_ROLE};

const KEYS: &[&str] = &["Policies", "ManagedPolicyArns", "PermissionsBoundary"];

/// x-iam of a family's services, combined.
#[derive(Debug, Default)]
pub struct TaskRoleSettings {
    /// Inline policies, as written (`{PolicyName, PolicyDocument}`).
    pub policies: Vec<Value>,
    /// Managed policy ARNs.
    pub managed: Vec<Value>,
    /// Permissions boundary ARN.
    pub boundary: Option<Value>,
}

/// A policy ARN from an ARN or a customer-managed policy name.
fn policy_arn(name: &str) -> Value {
    if name.starts_with("arn:") {
        json!(name)
    } else {
        sub(&format!(
            "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:policy/{name}"
        ))
    }
}

impl TaskRoleSettings {
    /// Reads x-iam of `services`.
    pub fn read(services: &[&Service], diags: &mut Vec<Diagnostic>) -> Self {
        let mut settings = TaskRoleSettings::default();
        for (service, node) in service_extensions(services, "x-iam", X_IAM, diags) {
            unknown_keys(
                node,
                KEYS,
                &format!("services.{}.x-iam", service.name),
                diags,
            );
            if let Some(policies) = node.get("Policies") {
                for policy in policies.as_seq().unwrap_or_default() {
                    let named = policy.get("PolicyName").and_then(Node::as_str).is_some();
                    let document = policy
                        .get("PolicyDocument")
                        .filter(|d| d.as_map().is_some());
                    match document {
                        Some(document) if named => {
                            check_document(document, diags);
                            let value = to_json(policy);
                            if !settings.policies.contains(&value) {
                                settings.policies.push(value);
                            }
                        }
                        _ => diags.push(Diagnostic::error(
                            X_IAM,
                            "x-iam.Policies entries need PolicyName and a PolicyDocument mapping",
                            policy.span,
                        )),
                    }
                }
                if policies.as_seq().is_none() {
                    diags.push(Diagnostic::error(
                        X_IAM,
                        "x-iam.Policies must be a list",
                        policies.span,
                    ));
                }
            }
            if let Some(arns) = node.get("ManagedPolicyArns") {
                match arns.as_seq() {
                    Some(items) => {
                        for item in items {
                            match item.as_str() {
                                Some(t) => {
                                    let arn = policy_arn(t);
                                    if !settings.managed.contains(&arn) {
                                        settings.managed.push(arn);
                                    }
                                }
                                None => diags.push(Diagnostic::error(
                                    X_IAM,
                                    "x-iam.ManagedPolicyArns entries are ARNs",
                                    item.span,
                                )),
                            }
                        }
                    }
                    None => diags.push(Diagnostic::error(
                        X_IAM,
                        "x-iam.ManagedPolicyArns must be a list",
                        arns.span,
                    )),
                }
            }
            if let Some(boundary) = node.get("PermissionsBoundary") {
                match boundary.as_str() {
                    Some(t) if settings.boundary.is_none() => {
                        settings.boundary = Some(policy_arn(t))
                    }
                    Some(t) if settings.boundary.as_ref() != Some(&policy_arn(t)) => {
                        diags.push(Diagnostic::error(
                            super::FAMILY_CONFLICT,
                            "services of one task family set different x-iam.PermissionsBoundary",
                            boundary.span,
                        ))
                    }
                    Some(_) => {}
                    None => diags.push(Diagnostic::error(
                        X_IAM,
                        "x-iam.PermissionsBoundary is a policy ARN or name",
                        boundary.span,
                    )),
                }
            }
        }
        settings.read_ecs_plugin_keys(services, diags);
        settings
    }
}

impl TaskRoleSettings {
    /// Docker's ECS plugin keys: `x-aws-role` (one inline policy document) and
    /// `x-aws-policies` (managed policy ARNs).
    fn read_ecs_plugin_keys(&mut self, services: &[&Service], diags: &mut Vec<Diagnostic>) {
        for service in services {
            if let Some(document) = service.extension("x-aws-role") {
                if document.as_map().is_none() {
                    diags.push(Diagnostic::error(
                        X_IAM,
                        "x-aws-role must be a policy document (a mapping)",
                        document.span,
                    ));
                } else {
                    check_document(document, diags);
                    let policy = json!({
                        "PolicyName": format!("{}AwsRole", crate::cfn::logical_id(&service.name)),
                        "PolicyDocument": to_json(document),
                    });
                    if !self.policies.contains(&policy) {
                        self.policies.push(policy);
                    }
                }
            }
            if let Some(arns) = service.extension("x-aws-policies") {
                for item in arns.as_seq().unwrap_or_default() {
                    match item.as_str() {
                        Some(t) => {
                            let arn = policy_arn(t);
                            if !self.managed.contains(&arn) {
                                self.managed.push(arn);
                            }
                        }
                        None => diags.push(Diagnostic::error(
                            X_IAM,
                            "x-aws-policies entries are policy ARNs",
                            item.span,
                        )),
                    }
                }
                if arns.as_seq().is_none() {
                    diags.push(Diagnostic::error(
                        X_IAM,
                        "x-aws-policies must be a list of policy ARNs",
                        arns.span,
                    ));
                }
            }
        }
    }
}

/// Keys an IAM policy statement may have.
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Warns about statement keys IAM does not know in a policy the user wrote (it is kept as
/// written: IAM will reject it at deploy time).
fn check_document(document: &crate::yaml::Node, diags: &mut Vec<Diagnostic>) {
    for statement in document
        .get("Statement")
        .and_then(|s| s.as_seq())
        .unwrap_or_default()
    {
        let Some(map) = statement.as_map() else {
            continue;
        };
        let unknown = |key: &str, span| {
            Some(Diagnostic::warning(
                X_IAM,
                format!("IAM policy statement key `{key}` is not one IAM knows; IAM will reject the policy"),
                span,
            ))
        };
        crate::suggest::unknown_keys(map, STATEMENT_KEYS, None, unknown, diags);
    }
}

/// The logical ids of the roles.
pub struct Roles {
    /// Execution role id.
    pub execution: String,
    /// Task role id.
    pub task: String,
}

fn assume_role() -> Value {
    object! {
        "Version": "2012-10-17",
        "Statement": vec![object! {
            "Effect": "Allow",
            "Principal": object! { "Service": "ecs-tasks.amazonaws.com" },
            "Action": "sts:AssumeRole",
            // Only ECS acting for this account may assume the role (confused deputy).
            "Condition": object! {
                "StringEquals": object! { "aws:SourceAccount": ref_(AWS_ACCOUNT_ID) },
            },
        }],
    }
}

fn policy(name: &str, statements: Vec<Value>) -> Value {
    object! {
        "PolicyName": name,
        "PolicyDocument": object! { "Version": "2012-10-17", "Statement": statements },
    }
}

fn secrets_statement(arns: Vec<Value>) -> Value {
    object! {
        "Sid": "ReadSecrets",
        "Effect": "Allow",
        "Action": vec!["secretsmanager:GetSecretValue"],
        "Resource": arns,
    }
}

/// The family's log group, or its log groups when services name their own (`awslogs-group`).
fn log_groups(plan: &Plan<'_>) -> Value {
    let named = super::logging::named_groups(plan.containers.iter().map(|c| c.service));
    if named.is_empty() {
        return get_att(LOG_GROUP, "Arn");
    }
    let mut arns = vec![get_att(LOG_GROUP, "Arn")];
    arns.extend(
        named
            .iter()
            .map(|n| get_att(&super::logging::group_id(n), "Arn")),
    );
    Value::Array(arns)
}

/// Adds both roles to the family's stack.
pub fn emit(plan: &Plan<'_>, stack: &mut Stack) -> Roles {
    let mut statements = vec![
        object! {
            "Sid": "EcrAuth",
            "Effect": "Allow",
            "Action": vec!["ecr:GetAuthorizationToken"],
            "Resource": "*",
        },
        object! {
            "Sid": "EcrPull",
            "Effect": "Allow",
            "Action": vec!["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            "Resource": sub("arn:${AWS::Partition}:ecr:*:*:repository/*"),
        },
        object! {
            "Sid": "WriteLogs",
            "Effect": "Allow",
            "Action": vec!["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": log_groups(plan),
        },
    ];
    let mut secret_arns: Vec<Value> = Vec::new();
    let mut task_secret_arns: Vec<Value> = Vec::new();
    for secret in plan.containers.iter().flat_map(|c| &c.secrets) {
        let arn = arn_value(&secret.iam_arn);
        if !secret_arns.contains(&arn) {
            secret_arns.push(arn.clone());
        }
        if secret.task_role && !task_secret_arns.contains(&arn) {
            task_secret_arns.push(arn);
        }
    }
    for arn in plan
        .containers
        .iter()
        .filter_map(|c| c.pull_credentials.as_deref())
    {
        // A name-built ARN lacks the random suffix Secrets Manager appends.
        let arn = if arn.contains("${") {
            arn_value(&format!("{arn}-*"))
        } else {
            arn_value(arn)
        };
        if !secret_arns.contains(&arn) {
            secret_arns.push(arn);
        }
    }
    let file_statements = plan
        .files
        .as_ref()
        .map(|f| f.statements(&secret_arns))
        .unwrap_or_default();
    if !secret_arns.is_empty() {
        statements.push(secrets_statement(secret_arns));
    }
    if let Some(agent) = &plan.cw_agent {
        statements.push(agent.execution_statement());
    }
    statements.extend(file_statements);
    let execution = stack.add_resource(
        EXECUTION_ROLE,
        Resource::new(
            "AWS::IAM::Role",
            object! {
                "AssumeRolePolicyDocument": assume_role(),
                "Policies": vec![policy("EcsExecution", statements)],
            },
        ),
    );

    let mut task = serde_json::Map::new();
    task.insert("AssumeRolePolicyDocument".into(), assume_role());
    let mut policies = plan.task_role.policies.clone();
    if !task_secret_arns.is_empty() {
        policies.push(policy(
            "ReadSecrets",
            vec![secrets_statement(task_secret_arns)],
        ));
    }
    if plan.xray.is_some() {
        policies.push(policy("XRay", vec![super::xray::XRay::statement()]));
    }
    if let Some(statements) = plan
        .firelens
        .as_ref()
        .map(|f| f.statements())
        .filter(|s| !s.is_empty())
    {
        policies.push(policy("FireLens", statements));
    }
    if let Some(statements) = plan
        .cw_agent
        .as_ref()
        .map(|agent| agent.task_statements(stack))
        .filter(|s| !s.is_empty())
    {
        policies.push(policy("CloudWatchAgent", statements));
    }
    if plan.exec {
        policies.push(policy(
            "EcsExec",
            vec![json!({
                "Sid": "SessionManagerChannels",
                "Effect": "Allow",
                "Action": [
                    "ssmmessages:CreateControlChannel",
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel",
                    "ssmmessages:OpenDataChannel"
                ],
                "Resource": "*",
            })],
        ));
    }
    if !policies.is_empty() {
        task.insert("Policies".into(), Value::Array(policies));
    }
    if !plan.task_role.managed.is_empty() {
        task.insert(
            "ManagedPolicyArns".into(),
            Value::Array(plan.task_role.managed.clone()),
        );
    }
    if let Some(boundary) = &plan.task_role.boundary {
        task.insert("PermissionsBoundary".into(), boundary.clone());
    }
    let task = stack.add_resource(
        TASK_ROLE,
        Resource::new("AWS::IAM::Role", Value::Object(task)),
    );
    Roles { execution, task }
}

//! The security checks we consciously do not follow, decided one by one: after every emitter has
//! written its resources, each resource a decision is about gets a checkov suppression
//! (`Metadata.checkov.skip`) carrying the reason, unless its properties (ours or the user's)
//! already satisfy the check. Findings that follow from what the user wrote are suppressed by
//! the emitter that read it, with a reason naming the compose key (and an info diagnostic there).
//! The README's security section lists every decision of [`DECISIONS`].

use serde_json::{Map, Value};

use super::Stacks;
use crate::cfn::{checkov, Resource};
use crate::diagnostic::{Diagnostic, Span};

/// A check of the security scanner fails because of what the compose file asks for (an HTTP
/// listener, a load balancer open to the internet, ...): suppressed with the reason, and said
/// at the key that asked for it.
pub const USER_CHOICE: &str = "CX540";

/// The checks an HTTP (not HTTPS) listener fails: HTTPS protocol, TLS 1.2 or newer.
pub const PLAIN_HTTP_CHECKS: &[&str] = &["CKV_AWS_2", "CKV_AWS_103"];

/// The check that refuses ingress from anywhere (`0.0.0.0/0`) on `port`, when checkov has one.
pub fn open_port_check(port: u16) -> Option<&'static str> {
    match port {
        22 => Some("CKV_AWS_24"),
        80 => Some("CKV_AWS_260"),
        3389 => Some("CKV_AWS_25"),
        _ => None,
    }
}

/// Suppresses `checks` on `resource` because of the user's choice at `span`; `reason` names the
/// compose key. The info diagnostic is given once per span and reason.
pub fn user_choice(
    resource: &mut Resource,
    checks: &[&str],
    reason: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) {
    for check in checks {
        checkov::skip(resource, check, reason);
    }
    let message = format!("{reason} (checkov {} suppressed)", checks.join(", "));
    if !diags
        .iter()
        .any(|d| d.code == USER_CHOICE && d.span == Some(span) && d.message == message)
    {
        diags.push(Diagnostic::info(USER_CHOICE, message, span));
    }
}

/// One check we do not follow on one resource type.
#[derive(Debug)]
pub struct Decision {
    /// The CloudFormation type, e.g. `AWS::Logs::LogGroup`.
    pub resource_type: &'static str,
    /// The checkov check id.
    pub check: &'static str,
    /// True when the resource's properties already satisfy the check (no suppression then).
    pub satisfied: fn(&Map<String, Value>) -> bool,
    /// Why we do not follow it, and how to follow it anyway.
    pub reason: &'static str,
}

/// A customer-managed KMS key costs a monthly fee per key (and per request), which is why the
/// data stores below keep their service-managed encryption at rest.
pub const DECISIONS: &[Decision] = &[
    Decision {
        resource_type: "AWS::Logs::LogGroup",
        check: "CKV_AWS_158",
        satisfied: |p| has(p, "KmsKeyId"),
        reason: "CloudWatch Logs encrypts log data at rest without a key of ours; a customer-managed KMS key per log group is billed monthly and needs a key policy for the logs service",
    },
    Decision {
        resource_type: "AWS::SQS::Queue",
        check: "CKV_AWS_27",
        satisfied: |p| has(p, "KmsMasterKeyId"),
        reason: "encrypted at rest with SQS-managed keys (SqsManagedSseEnabled), which checkov does not recognise; the aws/sqs KMS key would stop SNS, S3 and EventBridge from delivering to the queue",
    },
    Decision {
        resource_type: "AWS::DynamoDB::Table",
        check: "CKV_AWS_119",
        satisfied: |p| has(&object(p, "SSESpecification"), "KMSMasterKeyId"),
        reason: "encrypted at rest with a DynamoDB-owned key; a customer-managed KMS key is billed monthly (set SSESpecification.KMSMasterKeyId in Properties to use one)",
    },
    Decision {
        resource_type: "AWS::DynamoDB::Table",
        check: "CKV_AWS_28",
        satisfied: |p| is_true(&object(p, "PointInTimeRecoverySpecification"), "PointInTimeRecoveryEnabled"),
        reason: "continuous backups are billed per GB and month; the table is retained on stack deletion (set PointInTimeRecoverySpecification in Properties to turn them on)",
    },
    Decision {
        resource_type: "AWS::SecretsManager::Secret",
        check: "CKV_AWS_149",
        satisfied: |p| has(p, "KmsKeyId"),
        reason: "generated database secrets are encrypted with the aws/secretsmanager key; a customer-managed key is billed monthly and every task role reading the secret would need kms:Decrypt on it",
    },
    Decision {
        resource_type: "AWS::ElasticLoadBalancingV2::LoadBalancer",
        check: "CKV_AWS_91",
        satisfied: |p| attribute(p, "access_logs.s3.enabled") == Some("true"),
        reason: "access logs need an S3 bucket whose policy admits the region's load balancer account, billed per GB; turn them on with LoadBalancerAttributes access_logs.s3.enabled and access_logs.s3.bucket",
    },
    Decision {
        resource_type: "AWS::RDS::DBInstance",
        check: "CKV_AWS_118",
        satisfied: |p| has(p, "MonitoringInterval"),
        reason: "enhanced monitoring is billed as CloudWatch Logs and needs a monitoring role; set MonitoringInterval and MonitoringRoleArn in Properties to turn it on",
    },
    Decision {
        resource_type: "AWS::RDS::DBInstance",
        check: "CKV_AWS_157",
        satisfied: |p| is_true(p, "MultiAZ"),
        reason: "a standby instance in a second zone doubles the instance cost; set MultiAZ: true in Properties for it",
    },
    Decision {
        resource_type: "AWS::RDS::DBInstance",
        check: "CKV_AWS_161",
        satisfied: |p| is_true(p, "EnableIAMDatabaseAuthentication"),
        reason: "services sign in with the generated password secret; IAM authentication needs the application to request tokens and not every engine offers it (set EnableIAMDatabaseAuthentication in Properties)",
    },
    Decision {
        resource_type: "AWS::RDS::DBCluster",
        check: "CKV_AWS_162",
        satisfied: |p| is_true(p, "EnableIAMDatabaseAuthentication"),
        reason: "services sign in with the generated password secret; IAM authentication needs the application to request tokens (set EnableIAMDatabaseAuthentication in Properties)",
    },
    Decision {
        resource_type: "AWS::DocDB::DBCluster",
        check: "CKV_AWS_85",
        satisfied: |p| has(p, "EnableCloudwatchLogsExports"),
        reason: "exported audit and profiler logs are billed as CloudWatch Logs ingestion; set EnableCloudwatchLogsExports in Properties to export them",
    },
    Decision {
        resource_type: "AWS::DocDB::DBClusterParameterGroup",
        check: "CKV_AWS_104",
        satisfied: |p| object(p, "Parameters").get("audit_logs").and_then(Value::as_str) == Some("enabled"),
        reason: "audit logs are billed as CloudWatch Logs ingestion; set audit_logs: enabled in MacroParameters.DBClusterParameterGroup.Parameters to record them",
    },
    Decision {
        resource_type: "AWS::S3::Bucket",
        check: "CKV_AWS_18",
        satisfied: |p| has(p, "LoggingConfiguration"),
        reason: "server access logs need a second bucket to receive them (itself unlogged); set LoggingConfiguration in Properties to send them to a bucket of yours",
    },
    Decision {
        resource_type: "AWS::S3::Bucket",
        check: "CKV_AWS_21",
        satisfied: |p| object(p, "VersioningConfiguration").get("Status").and_then(Value::as_str) == Some("Enabled"),
        reason: "every kept version of an overwritten object is billed; buckets are retained on stack deletion (set VersioningConfiguration in Properties to keep versions)",
    },
];

fn has(props: &Map<String, Value>, key: &str) -> bool {
    props.get(key).is_some_and(|v| !v.is_null())
}

fn object(props: &Map<String, Value>, key: &str) -> Map<String, Value> {
    props
        .get(key)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn is_true(props: &Map<String, Value>, key: &str) -> bool {
    match props.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}

/// The value of load balancer attribute `key`, when written as text.
fn attribute<'a>(props: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    props
        .get("LoadBalancerAttributes")?
        .as_array()?
        .iter()
        .find(|a| a["Key"] == key)
        .and_then(|a| a["Value"].as_str())
}

/// Adds the suppression of every decision that applies to a resource of `stacks`, but for
/// the stacks finished early (their emitter applied [`apply_to`] already).
pub fn apply(stacks: &mut Stacks) {
    // Added after the families' stacks were compacted: compacted alike (big projects).
    let compacting = stacks.compacts_finished_stacks();
    for stack in stacks.iter_mut().filter(|s| !s.is_finished_early()) {
        suppress(stack, compacting);
    }
}

/// [`apply`] to one stack.
pub fn apply_to(stack: &mut super::Stack) {
    suppress(stack, false);
}

fn suppress(stack: &mut super::Stack, compacting: bool) {
    for resource in stack.template.resources.values_mut() {
        for d in DECISIONS {
            if d.resource_type == resource.type_ && !(d.satisfied)(&resource.properties) {
                checkov::skip(resource, d.check, d.reason);
            }
        }
        if let Some(metadata) = resource.metadata.as_mut().filter(|_| compacting) {
            super::compact::value(metadata);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::Resource;
    use serde_json::json;

    fn applied(type_: &str, props: Value) -> Vec<(String, String)> {
        let mut stacks = Stacks::new("test");
        stacks
            .stack("data")
            .add_resource("thing", Resource::new(type_, props));
        apply(&mut stacks);
        let stack = stacks.get("data").expect("stack");
        checkov::skips(&stack.template.resources["Thing"])
    }

    #[test]
    fn a_decision_applies_only_while_the_check_is_not_satisfied() {
        let ids = |s: Vec<(String, String)>| s.into_iter().map(|(id, _)| id).collect::<Vec<_>>();
        assert_eq!(
            ids(applied("AWS::Logs::LogGroup", json!({}))),
            ["CKV_AWS_158"]
        );
        assert!(applied("AWS::Logs::LogGroup", json!({"KmsKeyId": "k"})).is_empty());
        assert_eq!(
            ids(applied(
                "AWS::DynamoDB::Table",
                json!({"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}})
            )),
            ["CKV_AWS_119"]
        );
        assert!(applied("AWS::EC2::VPC", json!({})).is_empty());
    }

    #[test]
    fn the_readme_lists_every_decision_with_its_reason() {
        let readme = include_str!("../../../README.md");
        for d in DECISIONS {
            let row = format!("| `{}` | {} | {} |", d.resource_type, d.check, d.reason);
            assert!(
                readme.contains(&row),
                "README security section lacks:\n{row}"
            );
        }
    }

    #[test]
    fn every_decision_has_a_specific_reason_and_is_listed_once() {
        let mut seen = std::collections::BTreeSet::new();
        for d in DECISIONS {
            assert!(d.check.starts_with("CKV"), "{}", d.check);
            assert!(d.reason.len() > 40, "{}: reason too short", d.check);
            assert!(
                seen.insert((d.resource_type, d.check)),
                "{} listed twice",
                d.check
            );
        }
    }
}

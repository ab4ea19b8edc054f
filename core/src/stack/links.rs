//! What linked x-resources add to a task family: IAM statements for the task and execution
//! roles, env vars and secrets for the containers, step scaling on a metric of the resource,
//! and "no ECS service". The x-modules return these ([`Links`]); the family emitter writes them
//! into the family stacks. Values are in the family stack's terms (imports made with
//! `stacks.stack(family).import(..)`).

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use crate::cfn::{ref_, Resource};
use crate::diagnostic::Span;
use crate::stack::Stack;

/// A module-specific setting is malformed, or was adjusted (e.g. a family's maximum task count
/// raised to what its scaling steps need).
pub const INVALID: &str = "CX361";

/// One container port behind one load balancer: what the family stack adds to its ECS service
/// (x-elbv2 returns these; the family emitter writes them).
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// The load balancer's name under `x-elbv2`.
    pub load_balancer: String,
    /// The family whose ECS service is attached.
    pub family: String,
    /// `LoadBalancers[].ContainerName`.
    pub container: String,
    /// `LoadBalancers[].ContainerPort`, also the port the family security group opens.
    pub port: u16,
    /// `tcp` or `udp`.
    pub ip_protocol: &'static str,
    /// Export holding the target group ARN.
    pub target_group: String,
    /// Export holding the load balancer's security group id.
    pub security_group: String,
    /// The health check port when it is not `port` (the family security group opens it too).
    pub health_check_port: Option<u16>,
    /// Exports of the listeners and rules that attach the target group: the ECS service must
    /// start after them (ECS rejects a target group no listener uses).
    pub attached_by: Vec<String>,
}

/// One IAM policy statement with an explicit action list.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `Sid` (alphanumeric).
    pub sid: String,
    /// `Allow` (true) or `Deny`.
    pub allow: bool,
    /// Explicit IAM actions (`service:Action`), never `*` or a wildcard.
    pub actions: Vec<&'static str>,
    /// ARNs the actions apply to.
    pub resources: Vec<Value>,
    /// An optional `Condition` block.
    pub condition: Option<Value>,
}

impl Statement {
    /// An `Allow` of `actions` on `resources`.
    pub fn allow(sid: &str, actions: &[&'static str], resources: Vec<Value>) -> Self {
        Statement {
            sid: sid.to_string(),
            allow: true,
            actions: actions.to_vec(),
            resources,
            condition: None,
        }
    }

    /// The statement as IAM JSON.
    pub fn to_json(&self) -> Value {
        let mut s = Map::new();
        s.insert("Sid".into(), json!(self.sid));
        s.insert(
            "Effect".into(),
            json!(if self.allow { "Allow" } else { "Deny" }),
        );
        s.insert("Action".into(), json!(self.actions));
        s.insert("Resource".into(), Value::Array(self.resources.clone()));
        if let Some(c) = &self.condition {
            s.insert("Condition".into(), c.clone());
        }
        Value::Object(s)
    }
}

/// One policy for the family's task role: the statements one linked resource gives.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkPolicy {
    /// `PolicyName`, e.g. `SqsQueueA`.
    pub name: String,
    /// The statements.
    pub statements: Vec<Statement>,
}

impl LinkPolicy {
    /// The `{PolicyName, PolicyDocument}` entry of an `AWS::IAM::Role`'s `Policies`.
    pub fn to_json(&self) -> Value {
        json!({
            "PolicyName": self.name,
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": self.statements.iter().map(Statement::to_json).collect::<Vec<_>>(),
            }
        })
    }
}

/// One env var a linked resource gives.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvVar {
    /// The variable's name.
    pub name: String,
    /// Its value (family-stack terms).
    pub value: Value,
    /// `None`: every container of the family; `Some(service)`: only that service's container.
    pub service: Option<String>,
    /// Where the link was written (for conflict diagnostics).
    pub span: Span,
}

/// Step scaling of the family's ECS service on a CloudWatch metric (e.g. queue depth).
#[derive(Debug, Clone, PartialEq)]
pub struct StepScaling {
    /// Name stem of the policy and alarm resources, e.g. `QueueA`.
    pub name: String,
    /// CloudWatch namespace, e.g. `AWS/SQS`.
    pub namespace: &'static str,
    /// Metric name, e.g. `ApproximateNumberOfMessagesVisible`.
    pub metric: &'static str,
    /// The metric's dimensions (family-stack terms).
    pub dimensions: Vec<(&'static str, Value)>,
    /// Steps: (lower bound, upper bound, desired task count), sorted, contiguous.
    pub steps: Vec<(u64, Option<u64>, u64)>,
    /// Seconds between a scaling activity and the next (scale out).
    pub scale_out_cooldown: u64,
    /// Seconds before scaling in again. A step policy has one cooldown: the larger of the two.
    pub scale_in_cooldown: u64,
    /// The alarm lives elsewhere (an x-alarms alarm): no alarm is made here, and the policy's ARN
    /// is exported under this name for that alarm's actions.
    pub external_alarm: Option<String>,
}

/// One container secret a linked resource gives (ECS `Secrets`: the execution role reads it
/// when the task starts; statements for that go to [`FamilyLinks::execution`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SecretVar {
    /// The variable's name.
    pub name: String,
    /// `ValueFrom`: the secret's ARN, optionally with `:<json key>::` (family-stack terms).
    pub value_from: Value,
    /// `None`: every container of the family; `Some(service)`: only that service's container.
    pub service: Option<String>,
}

/// Everything one family gets from the x-resources linked to it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FamilyLinks {
    /// One policy per linked resource.
    pub policies: Vec<LinkPolicy>,
    /// Env vars, in link order.
    pub environment: Vec<EnvVar>,
    /// Step scaling hooks.
    pub scaling: Vec<StepScaling>,
    /// Container secrets, in link order.
    pub secrets: Vec<SecretVar>,
    /// Policies for the family's execution role (reading the secrets above).
    pub execution: Vec<LinkPolicy>,
    /// The family's ECS service is not created (x-events `DeleteDefaultService`: the task only
    /// runs when a rule starts it).
    pub no_service: bool,
    /// FireLens destinations its logging names (`x-kinesis_firehose::<name>`,
    /// `x-kinesis::<name>`, as written), resolved to the stream's name (family-stack terms).
    pub log_destinations: Vec<(String, Value)>,
}

impl FamilyLinks {
    /// The task role's `Policies` entries.
    pub fn policies_json(&self) -> Vec<Value> {
        self.policies.iter().map(LinkPolicy::to_json).collect()
    }

    /// `[{Name, Value}]` for the container of `service`, sorted by name.
    pub fn environment_for(&self, service: &str) -> Vec<(String, Value)> {
        let mut vars: Vec<(String, Value)> = self
            .environment
            .iter()
            .filter(|e| e.service.as_deref().is_none_or(|s| s == service))
            .map(|e| (e.name.clone(), e.value.clone()))
            .collect();
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        vars.dedup_by(|a, b| a.0 == b.0);
        vars
    }

    /// `[{Name, ValueFrom}]` for the container of `service`, sorted by name.
    pub fn secrets_for(&self, service: &str) -> Vec<(String, Value)> {
        let mut vars: Vec<(String, Value)> = self
            .secrets
            .iter()
            .filter(|e| e.service.as_deref().is_none_or(|s| s == service))
            .map(|e| (e.name.clone(), e.value_from.clone()))
            .collect();
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        vars.dedup_by(|a, b| a.0 == b.0);
        vars
    }

    /// The largest task count any scaling step asks for (the scalable target's maximum must
    /// reach it).
    pub fn max_step_count(&self) -> Option<u64> {
        self.scaling
            .iter()
            .flat_map(|s| s.steps.iter().map(|st| st.2))
            .max()
    }
}

/// What every family gets, by family name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Links {
    families: IndexMap<String, FamilyLinks>,
}

impl Links {
    /// The links of `family`, if any resource links it.
    pub fn family(&self, family: &str) -> Option<&FamilyLinks> {
        self.families.get(family)
    }

    /// The links of `family`, created empty.
    pub fn family_mut(&mut self, family: &str) -> &mut FamilyLinks {
        self.families.entry(family.to_string()).or_default()
    }

    /// Every family with links.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &FamilyLinks)> {
        self.families.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// Adds to the family `stack` a step scaling policy and its alarm for each hook, acting on the
/// scalable target `target_id` (an `AWS::ApplicationAutoScaling::ScalableTarget` of the family's
/// ECS service, which the ECS emitter creates whenever [`FamilyLinks::scaling`] is not empty).
pub fn emit_step_scaling(stack: &mut Stack, target_id: &str, hooks: &[StepScaling]) {
    for hook in hooks {
        let lowest = hook.steps.first().map(|s| s.0).unwrap_or(0);
        let adjustments: Vec<Value> = hook
            .steps
            .iter()
            .map(|(lower, upper, count)| {
                let mut a = Map::new();
                a.insert("MetricIntervalLowerBound".into(), json!(lower - lowest));
                if let Some(u) = upper {
                    a.insert("MetricIntervalUpperBound".into(), json!(u - lowest));
                }
                a.insert("ScalingAdjustment".into(), json!(count));
                Value::Object(a)
            })
            .collect();
        let policy = Resource::new(
            "AWS::ApplicationAutoScaling::ScalingPolicy",
            json!({
                "PolicyName": format!("{}StepScaling", hook.name),
                "PolicyType": "StepScaling",
                "ScalingTargetId": ref_(target_id),
                "StepScalingPolicyConfiguration": {
                    "AdjustmentType": "ExactCapacity",
                    "Cooldown": hook.scale_out_cooldown.max(hook.scale_in_cooldown),
                    "MetricAggregationType": "Maximum",
                    "StepAdjustments": adjustments,
                }
            }),
        );
        let policy_id = stack.add_resource(&format!("{}StepScalingPolicy", hook.name), policy);
        if let Some(export) = &hook.external_alarm {
            let what = format!("step scaling policy for alarm {}", hook.name);
            stack.export(export, ref_(&policy_id), "String", &what);
            continue;
        }
        let dimensions: Vec<Value> = hook
            .dimensions
            .iter()
            .map(|(n, v)| json!({"Name": n, "Value": v}))
            .collect();
        let alarm = Resource::new(
            "AWS::CloudWatch::Alarm",
            json!({
                "AlarmDescription": format!("{} {} drives the service's task count", hook.namespace, hook.metric),
                "Namespace": hook.namespace,
                "MetricName": hook.metric,
                "Dimensions": dimensions,
                "Statistic": "Maximum",
                "Period": 60,
                "EvaluationPeriods": 1,
                "Threshold": lowest,
                "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                "TreatMissingData": "notBreaching",
                "AlarmActions": [ref_(&policy_id)],
            }),
        );
        stack.add_resource(&format!("{}ScalingAlarm", hook.name), alarm);
    }
}

//! The family's CloudWatch log group (x-logging RetentionInDays, default 30 days).

use serde_json::json;

use super::container::LOG_GROUP;
use super::family::Plan;
use super::{integer, service_extensions, unknown_keys, X_LOGGING};
use crate::cfn::Resource;
use crate::compose::model::Service;
use crate::diagnostic::Diagnostic;
use crate::emit::Stack;

/// Retention CloudWatch Logs offers, in days.
pub const RETENTION_DAYS: &[i64] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];
/// Retention when x-logging does not say.
pub const DEFAULT_RETENTION: i64 = 30;

const KEYS: &[&str] = &["RetentionInDays", "FireLens"];

/// The family's retention: the longest its services ask for (valid values only; others are
/// located errors).
pub fn retention(services: &[&Service], diags: &mut Vec<Diagnostic>) -> i64 {
    let mut days: Option<i64> = None;
    for (service, node) in service_extensions(services, "x-logging", X_LOGGING, diags) {
        unknown_keys(
            node,
            KEYS,
            &format!("services.{}.x-logging", service.name),
            diags,
        );
        if let Some(firelens) = node.get("FireLens") {
            diags.push(Diagnostic::warning(
                X_LOGGING,
                "x-logging.FireLens is not rendered yet: logs go to CloudWatch Logs (awslogs)",
                firelens.span,
            ));
        }
        let Some(value) = node.get("RetentionInDays") else {
            continue;
        };
        match integer(value).filter(|d| RETENTION_DAYS.contains(d)) {
            Some(d) => days = Some(days.map_or(d, |old| old.max(d))),
            None => diags.push(
                Diagnostic::error(
                    X_LOGGING,
                    "x-logging.RetentionInDays is not a retention CloudWatch Logs offers",
                    value.span,
                )
                .with_help(format!(
                    "one of {}",
                    RETENTION_DAYS
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ),
        }
    }
    days.unwrap_or(DEFAULT_RETENTION)
}

/// Adds the log group the family's containers write to.
pub fn emit(plan: &Plan<'_>, stack: &mut Stack) {
    stack.add_resource(
        LOG_GROUP,
        Resource::new(
            "AWS::Logs::LogGroup",
            json!({ "RetentionInDays": plan.retention }),
        )
        .with_policies("Delete"),
    );
}

//! `x-xray` (or `x-ray`) on a service: the family's task gets the AWS X-Ray daemon as a sidecar
//! and its task role may send traces. Applications reach the daemon on `127.0.0.1:2000/udp`, the
//! X-Ray SDKs' default address, because the task's containers share one network (awsvpc).

use serde_json::{json, Value};

use super::container::sidecar_log_configuration;
use super::X_XRAY;
use crate::compose::model::Service;
use crate::diagnostic::Diagnostic;

/// The daemon image ECS pulls when `OverrideImage` is not given (AWS's public ECR repository).
pub const DEFAULT_IMAGE: &str = "public.ecr.aws/xray/aws-xray-daemon:latest";
/// The sidecar's container name.
pub const CONTAINER: &str = "xray-daemon";
/// CPU units and MiB reserved for the daemon (counted in the Fargate task size).
pub const CPU: u32 = 32;
/// Memory reservation of the daemon, in MiB.
pub const MEMORY: u32 = 256;

/// The X-Ray sidecar of a family.
#[derive(Debug, Clone, PartialEq)]
pub struct XRay {
    /// The daemon image.
    pub image: String,
}

/// Reads `x-xray` / `x-ray` of the family's services: `true`, or `{OverrideImage: <image>}`.
pub fn read(services: &[&Service], diags: &mut Vec<Diagnostic>) -> Option<XRay> {
    let mut found: Option<XRay> = None;
    for service in services {
        for key in ["x-xray", "x-ray"] {
            let Some(node) = service.extension(key) else {
                continue;
            };
            let wanted = match (node.as_scalar().and_then(|s| s.as_bool()), node.as_map()) {
                (Some(enabled), _) => enabled.then(|| DEFAULT_IMAGE.to_owned()),
                (None, Some(map)) => {
                    for (k, _) in map.iter().filter(|(k, _)| *k != "OverrideImage") {
                        let span = map.key_span(k).unwrap_or(node.span);
                        diags.push(
                            Diagnostic::warning(
                                X_XRAY,
                                format!(
                                    "services.{}.{key}: unknown key `{k}` is ignored",
                                    service.name
                                ),
                                span,
                            )
                            .with_help("x-xray takes `true` or `{OverrideImage: <image>}`"),
                        );
                    }
                    match map.get("OverrideImage") {
                        Some(image) => match image.as_str() {
                            Some(text) => Some(text.to_owned()),
                            None => {
                                diags.push(Diagnostic::error(
                                    X_XRAY,
                                    format!(
                                        "services.{}.{key}.OverrideImage must be an image name",
                                        service.name
                                    ),
                                    image.span,
                                ));
                                None
                            }
                        },
                        None => Some(DEFAULT_IMAGE.to_owned()),
                    }
                }
                _ => {
                    diags.push(
                        Diagnostic::error(
                            X_XRAY,
                            format!(
                                "services.{}.{key} must be true, false or a mapping, found a {}",
                                service.name,
                                node.kind_name()
                            ),
                            node.span,
                        )
                        .with_help("x-xray takes `true` or `{OverrideImage: <image>}`"),
                    );
                    None
                }
            };
            if let Some(image) = wanted {
                // One daemon per task: the first service that asks decides the image.
                found.get_or_insert(XRay { image });
            }
        }
    }
    found
}

impl XRay {
    /// The sidecar's `ContainerDefinitions` entry: not essential, so a daemon crash does not stop
    /// the application; logs go to the family's log group.
    pub fn definition(&self) -> Value {
        json!({
            "Name": CONTAINER,
            "Image": self.image,
            "Essential": false,
            "Cpu": CPU,
            "MemoryReservation": MEMORY,
            "PortMappings": [{ "ContainerPort": 2000, "Protocol": "udp" }],
            "LogConfiguration": sidecar_log_configuration(CONTAINER),
        })
    }

    /// The task role statement the SDKs and the daemon need. X-Ray has no resource-level
    /// permissions for these actions, so the resource is `*`; the actions are listed one by one.
    pub fn statement() -> Value {
        json!({
            "Sid": "XRayTraces",
            "Effect": "Allow",
            "Action": [
                "xray:GetSamplingRules",
                "xray:GetSamplingStatisticSummaries",
                "xray:GetSamplingTargets",
                "xray:PutTelemetryRecords",
                "xray:PutTraceSegments"
            ],
            "Resource": "*",
        })
    }
}

//! CX670-CX679: x-logging FireLens.

use super::short::ERROR_OR_WARNING;
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[CodeInfo {
    code: "CX670",
    severities: ERROR_OR_WARNING,
    title: "FireLens setting malformed or not supported",
    explanation: "A service logs through FireLens (a `log_router` fluent-bit sidecar) with \
`logging.driver: awsfirelens` (its `options` are the fluent-bit output's; `Name` is inferred from \
`delivery_stream`, `stream` or `log_group_name`, else it is an error) or with `x-logging.FireLens`: \
`Shorthands` (`ReplaceAwsLogs`, `FirelensConfiguration`) or `Advanced` (`SourceFile`, \
`EnableApiHeathCheck`, `GracePeriod` 5-120, `ComposeXManagedAwsDestinations`, \
`EnvironmentVariables`, `DockerImageOverride`, `LogDriverBufferLimit`, `SidecarCpuReservation`, \
`FirelensConfiguration`). Any other key is an error at the key (`ParserFiles` included: name the \
image's parsers in `SourceFile`); so is a value of the wrong kind, a `SourceFile` that was not \
given, a configuration file larger than the 8 KB an SSM parameter holds, and a `FirelensConfiguration` option other than `enable-ecs-log-metadata` (composex writes \
the router's configuration file, and Fargate reads none from S3). A key of a managed destination \
that is not an option of the fluent-bit output is a warning: it is not passed on.",
    example: Example::Compose {
        bad: r#"services:
  app:
    image: nginx
    x-logging:
      FireLens:
        Advanced:
          ParserFiles: [parsers.conf]
"#,
        fixed: r#"services:
  app:
    image: nginx
    x-logging:
      FireLens:
        Shorthands:
          ReplaceAwsLogs: true
"#,
    },
}];

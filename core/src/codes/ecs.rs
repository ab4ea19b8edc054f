//! CX320-CX333: the ECS task families (services and their `x-*` extensions).

use super::short::{ERROR, ERROR_OR_WARNING, WARNING};
use super::{CodeInfo, Example};
use crate::diagnostic::Severity;

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX320",
        severities: ERROR_OR_WARNING,
        title: "x-ecs is malformed",
        explanation: "A service's `x-ecs` sets family-wide ECS options: `EnableExecuteCommand` \
(boolean), `CpuArchitecture`, `OperatingSystemFamily`, `CapacityProviderStrategy` (a list of \
`{CapacityProvider, Base, Weight}`). The same code covers the ECS plugin's `x-aws-min_percent` \
and `x-aws-max_percent` (deployment percentages) and the ephemeral storage deploy label. A value \
of the wrong type or out of range is an error; a second `Base` in a capacity provider strategy \
(ECS allows one), or an ephemeral storage over Fargate's 200 GiB, is corrected with a warning.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    x-ecs:
      EnableExecuteCommand: sometimes
"#,
            fixed: r#"services:
  app:
    image: nginx
    x-ecs:
      EnableExecuteCommand: true
"#,
        },
    },
    CodeInfo {
        code: "CX321",
        severities: ERROR_OR_WARNING,
        title: "x-network is malformed",
        explanation: "A service's `x-network` takes `AssignPublicIp` (boolean), `Ingress` \
(`Myself`, `ExtSources` with `IPv4`/`IPv6` CIDRs, `AwsSources` with `Type` and `Id`, `Services` \
with `Name`) and `x-cloudmap`. A malformed entry is an error; an `Ingress.Services` name that is \
neither a service nor a task family is ignored with a warning.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    x-network:
      AssignPublicIp: sometimes
"#,
            fixed: r#"services:
  app:
    image: nginx
    x-network:
      AssignPublicIp: true
"#,
        },
    },
    CodeInfo {
        code: "CX322",
        severities: ERROR_OR_WARNING,
        title: "x-logging is malformed",
        explanation: "A service's `x-logging` takes `RetentionInDays`, a retention CloudWatch Logs \
offers (at most 3653 days; the ECS plugin's `x-aws-logs_retention` too); a value between two \
offered ones is raised to the next with a warning, anything else is an error. `FireLens` is checked under CX670.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    x-logging:
      RetentionInDays: forever
"#,
            fixed: r#"services:
  app:
    image: nginx
    x-logging:
      RetentionInDays: 30
"#,
        },
    },
    CodeInfo {
        code: "CX323",
        severities: ERROR_OR_WARNING,
        title: "x-iam is malformed",
        explanation: "A service's `x-iam` adds to the task role: `Policies` (a list of \
`{PolicyName, PolicyDocument}`), `ManagedPolicyArns` (a list of ARNs) and `PermissionsBoundary` (a \
policy ARN or name); the ECS plugin's `x-aws-role` and `x-aws-policies` do the same. A value of the \
wrong kind is an error; a policy statement key IAM does not know is a warning (IAM would reject the \
policy).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    x-iam:
      ManagedPolicyArns: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
"#,
            fixed: r#"services:
  app:
    image: nginx
    x-iam:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
"#,
        },
    },
    CodeInfo {
        code: "CX324",
        severities: ERROR_OR_WARNING,
        title: "x-scaling is malformed",
        explanation: "A service's `x-scaling` needs `Range: \"min-max\"` (task counts, min <= max, \
max 1..5000) and may have `TargetScaling` (`CpuTarget`, `MemoryTarget` percentages, cooldowns in \
seconds, `DisableScaleIn`) and `ScheduledActions`. The ECS plugin's `x-aws-autoscaling` (`min`, \
`max`, `cpu`) is read too. Values out of range are errors; a second service of the family setting \
its own x-scaling, or settings that are not needed, are warnings.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    x-scaling:
      Range: "4-1"
"#,
            fixed: r#"services:
  app:
    image: nginx
    x-scaling:
      Range: "1-4"
"#,
        },
    },
    CodeInfo {
        code: "CX325",
        severities: &[Severity::Warning, Severity::Error],
        title: "secret cannot be given to ECS",
        explanation: "ECS gives containers secrets from Secrets Manager: a compose secret with \
ComposeX's `x-secrets: {Name: <secret name or ARN>}` becomes an environment variable (a secret \
without it is a file read from a secret whose ARN is a stack parameter, CX277). An `x-secrets` \
that is not a mapping, has no `Name`, an invalid name, malformed `JsonKeys` or `LinksTo`, or an `x-aws-pull_credentials` that \
is not a secret ARN, is an error. `Lookup` would need an AWS call: give `Name` instead (warning).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    secrets: [token]
secrets:
  token:
    external: true
    x-secrets:
      VarName: TOKEN
"#,
            fixed: r#"services:
  app:
    image: nginx
    secrets: [token]
secrets:
  token:
    external: true
    x-secrets:
      Name: prod/app/token
      VarName: TOKEN
"#,
        },
    },
    CodeInfo {
        code: "CX326",
        severities: ERROR_OR_WARNING,
        title: "x-cloudmap is malformed or names an undefined namespace",
        explanation: "Top-level `x-cloudmap` defines CloudMap namespaces by key (a mapping with \
`ZoneName`, or `Lookup`); a service registers with `x-network: {x-cloudmap: <key>}`. Naming a key \
that is not defined, a namespace that is not a mapping, or a zone name that is not a DNS name is an \
error; a looked-up namespace whose id must be given as a parameter is a warning.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    x-network:
      x-cloudmap: private
"#,
            fixed: r#"services:
  app:
    image: nginx
    x-network:
      x-cloudmap: private
x-cloudmap:
  private:
    ZoneName: app.internal
"#,
        },
    },
    CodeInfo {
        code: "CX327",
        severities: WARNING,
        title: "unknown key in a service extension",
        explanation: "A key inside a service's `x-ecs`, `x-network`, `x-iam`, `x-logging` or \
similar extension that composex does not know. It is ignored; the help suggests the closest key.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    x-ecs:
      EnableExecCommand: true
"#,
            fixed: r#"services:
  app:
    image: nginx
    x-ecs:
      EnableExecuteCommand: true
"#,
        },
    },
    CodeInfo {
        code: "CX328",
        severities: ERROR,
        title: "task family name cannot be used",
        explanation: "Each task family (the service name, or the `ecs.task.family` deploy label \
that groups services) becomes a nested stack and a file `<family>.yaml`. Its name must use letters, \
digits, `-` and `_`, must not be the name of another stack (`vpc`, `cluster`, the shared stacks \
such as `ComposeNetworks`, an x-module's stack), and the family needs at least one essential \
container.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    deploy:
      labels:
        ecs.task.family: "web app"
"#,
            fixed: r#"services:
  app:
    image: nginx
    deploy:
      labels:
        ecs.task.family: web-app
"#,
        },
    },
    CodeInfo {
        code: "CX329",
        severities: &[Severity::Warning, Severity::Error, Severity::Info],
        title: "port or volume Fargate cannot honour",
        explanation: "Fargate tasks run in awsvpc mode: each task has its own network interface, \
and only task storage and EFS volumes can be mounted. What a container's ports and volumes say \
that cannot be carried over is reported where it is written. Refused: a port protocol ECS does not \
have (`sctp`: ECS has tcp and udp), an `expose` entry that is not a port or a range of at most 100 \
ports. Left out with a warning: a bind mount or another volume type Fargate cannot mount (use a \
named volume, which becomes an EFS file system, or an anonymous one for task storage). A note: a \
published port different from its target (awsvpc has no port mapping, so the task listens on the \
target; other services reach it there, and the project's load balancer listens on the published \
port).\n\n\
Other compose keys Fargate has no setting for (capabilities, ulimits, `privileged`, `dns`, ...) \
are reported by the compose-key support table: CX281.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    volumes: ["./html:/usr/share/nginx/html"]
"#,
            fixed: r#"services:
  app:
    image: nginx
    volumes: ["html:/usr/share/nginx/html"]
volumes:
  html: {}
"#,
        },
    },
    CodeInfo {
        code: "CX330",
        severities: WARNING,
        title: "depends_on condition ECS cannot check",
        explanation: "`depends_on` with `condition: service_healthy` becomes an ECS container \
dependency `HEALTHY`, which needs a healthcheck on the container depended on. Without one ECS could \
never start the task, so `START` is used instead. Add a healthcheck to the dependency, or use \
`service_started`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    depends_on:
      db:
        condition: service_healthy
    deploy:
      labels: {ecs.task.family: app}
  db:
    image: postgres
    deploy:
      labels: {ecs.task.family: app}
"#,
            fixed: r#"services:
  app:
    image: nginx
    depends_on:
      db:
        condition: service_healthy
    deploy:
      labels: {ecs.task.family: app}
  db:
    image: postgres
    healthcheck:
      test: ["CMD", "pg_isready"]
    deploy:
      labels: {ecs.task.family: app}
"#,
        },
    },
    CodeInfo {
        code: "CX331",
        severities: WARNING,
        title: "service built from source has no image yet",
        explanation: "ECS runs images from a registry; it does not build them. A container's image \
is a stack parameter `<Container>ImageUrl` whose default is the compose `image`. A service with \
`build` and no `image` is rendered with that parameter left without a default (CI pushes the \
image after the render), and this warning at `build` says how to fill it: `composex set-image \
SERVICE=URI` (adds the `image:` line to the compose file), `composex render --param \
<Container>ImageUrl=URI`, or the parameter files. A parameter filled with `--param` gives no \
warning. (A service with neither `image` nor `build` is an error: CX236.)",
        example: Example::Compose {
            bad: r#"services:
  app:
    build: .
"#,
            fixed: r#"# composex render --param AppImageUrl=123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0
services:
  app:
    build: .
"#,
        },
    },
    CodeInfo {
        code: "CX332",
        severities: ERROR,
        title: "services of one family disagree",
        explanation: "Services grouped into one task family (same `ecs.task.family` label) share \
one task definition, one ECS service, one task role and one security group. Settings that apply to \
the whole family (x-ecs `CpuArchitecture`, `OperatingSystemFamily` and \
`CapacityProviderStrategy`, x-iam `PermissionsBoundary`, the CloudMap namespace) must then be \
the same on each service that sets them. Set it on one service only, or give the same value.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    x-ecs:
      CpuArchitecture: ARM64
    deploy:
      labels: {ecs.task.family: web}
  proxy:
    image: envoyproxy/envoy:v1.31.0
    x-ecs:
      CpuArchitecture: X86_64
    deploy:
      labels: {ecs.task.family: web}
"#,
            fixed: r#"services:
  app:
    image: nginx
    x-ecs:
      CpuArchitecture: ARM64
    deploy:
      labels: {ecs.task.family: web}
  proxy:
    image: envoyproxy/envoy:v1.31.0
    deploy:
      labels: {ecs.task.family: web}
"#,
        },
    },
    CodeInfo {
        code: "CX333",
        severities: ERROR_OR_WARNING,
        title: "x-xray is malformed",
        explanation: "A service's `x-xray` (or `x-ray`) adds the AWS X-Ray daemon as a sidecar: \
`true`, `false`, or a mapping with `OverrideImage`. Another kind of value or an `OverrideImage` that \
is not an image name is an error; an unknown key in the mapping is ignored with a warning.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    x-xray: 1
"#,
            fixed: r#"services:
  app:
    image: nginx
    x-xray: true
"#,
        },
    },
];

//! CX300-CX339: the shape of x-module sections, x-vpc, x-cluster, x-tags and the ECS task
//! families (services and their `x-*` extensions).

use super::short::{ERROR, INFO, WARNING};
use super::{CodeInfo, Example};
use crate::diagnostic::Severity;

const ERROR_OR_WARNING: &[Severity] = &[Severity::Error, Severity::Warning];

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX300",
        severities: ERROR,
        title: "x-vpc has the wrong shape",
        explanation: "`x-vpc` is a mapping with `Properties` (a new VPC: `VpcCidr`, `SingleNat`, \
`DisableNat`, `EnableFlowLogs`, `DHCPOptions`, ...) or `Lookup` (an existing VPC: `VpcId`, \
`AppSubnets`, `PublicSubnets`, `StorageSubnets`). This code is given when `x-vpc`, its \
`Properties` or its `Lookup` is not a mapping, a flag such as `SingleNat` is not a boolean, or \
`DHCPOptions` has no `DomainName`.",
        example: Example::Compose {
            bad: r#"x-vpc:
  Properties:
    SingleNat: sometimes
services:
  app:
    image: nginx
"#,
            fixed: r#"x-vpc:
  Properties:
    SingleNat: true
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX301",
        severities: WARNING,
        title: "top-level x- key that is not a ComposeX module",
        explanation: "A top-level key starting with `x-` is a compose extension. The ones ComposeX \
defines (`x-sqs`, `x-vpc`, `x-elbv2`, ...) are read as modules; any other is ignored, as compose \
ignores extensions. The warning catches typos (`x-sqss`); a block of YAML anchors such as \
`x-common: &common` is fine to keep.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqss:
  jobs: {}
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs: {}
"#,
        },
    },
    CodeInfo {
        code: "CX302",
        severities: ERROR,
        title: "x-module section of the wrong kind",
        explanation: "An x-module section is a mapping of resources by name (`x-sqs: {jobs: {...}}`), \
and each resource is a mapping with `Properties`, `Settings`, `Services`, `Lookup`, \
`MacroParameters`, .... This code is given when the section, a resource, or one of those keys \
has the wrong YAML kind (a list where a mapping belongs, a string where a resource belongs).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  - jobs
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs: {}
"#,
        },
    },
    CodeInfo {
        code: "CX303",
        severities: ERROR,
        title: "unknown key in an x-resource",
        explanation: "A resource of an x-module takes the keys ComposeX defines for it: \
`Properties`, `Settings`, `Services`, `Lookup`, `MacroParameters` and a few per module (`Scaling` \
for DynamoDB, `Listeners` for x-elbv2, ...). Any other key is a typo or a ComposeX feature this \
version does not know; the help suggests the closest key.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Propertie:
      DelaySeconds: 5
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      DelaySeconds: 5
"#,
        },
    },
    CodeInfo {
        code: "CX304",
        severities: ERROR,
        title: "Services entry names no service or task family",
        explanation: "The `Services` of an x-resource says which services get access to it. Each \
key must be a compose service or a task family (the `ecs.task.family` label groups services into \
one); for x-elbv2 each `family:container:port` target must name a service. ComposeX silently skips \
an unknown name; composex refuses it, since the access would otherwise be lost without notice.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Services:
      ap:
        Access: RWMessages
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Services:
      app:
        Access: RWMessages
"#,
        },
    },
    CodeInfo {
        code: "CX305",
        severities: ERROR,
        title: "legacy list form of Services",
        explanation: "Before ComposeX 1.0, `Services` was a list of `{name, access}` entries. It is \
now a mapping from the service or family name to its settings; the help shows the mapping form of \
the entry.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Services:
      - name: app
        access: RWMessages
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Services:
      app:
        Access: RWMessages
"#,
        },
    },
    CodeInfo {
        code: "CX306",
        severities: WARNING,
        title: "service x- key that is not a ComposeX extension",
        explanation: "Inside a service, the `x-` keys ComposeX defines (`x-network`, `x-scaling`, \
`x-iam`, `x-logging`, `x-ecs`, `x-xray`, `x-alarms`, the ECS plugin's `x-aws-*`, ...) configure \
the task family. Any other `x-` key is ignored; the warning catches typos.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    x-scalling:
      Range: "1-4"
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
        code: "CX307",
        severities: ERROR,
        title: "x-module keys that exclude each other",
        explanation: "`x-vpc` either creates a VPC (`Properties`) or uses an existing one \
(`Lookup`), never both. Keep the one you mean.",
        example: Example::Compose {
            bad: r#"x-vpc:
  Properties:
    VpcCidr: 10.0.0.0/16
  Lookup:
    VpcId: {Identifier: vpc-0123456789abcdef0}
services:
  app:
    image: nginx
"#,
            fixed: r#"x-vpc:
  Properties:
    VpcCidr: 10.0.0.0/16
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX310",
        severities: ERROR,
        title: "x-cluster has the wrong shape",
        explanation: "`x-cluster` is a mapping: `Lookup: <cluster name or ARN>` for an existing \
cluster, or `Properties` (AWS::ECS::Cluster properties) and `MacroParameters` for a new one. The \
ECS plugin's `x-aws-cluster` is a cluster name or ARN. This code is given for a value of the wrong \
kind, a `Lookup` without a name, or a `LogGroupRetentionInDays` that is not a number of days.",
        example: Example::Compose {
            bad: r#"x-cluster:
  MacroParameters:
    CreateExecLoggingLogGroup: true
    LogGroupRetentionInDays: forever
services:
  app:
    image: nginx
"#,
            fixed: r#"x-cluster:
  MacroParameters:
    CreateExecLoggingLogGroup: true
    LogGroupRetentionInDays: 30
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX311",
        severities: ERROR,
        title: "unknown key in x-cluster",
        explanation: "`x-cluster.MacroParameters` takes `CreateExecLoggingLogGroup`, \
`LogGroupRetentionInDays`, `CreateExecLoggingBucket`, `CreateExecLoggingKmsKey` and \
`AllowKmsKeyReuse`. Any other key is refused; the help suggests the closest one.",
        example: Example::Compose {
            bad: r#"x-cluster:
  MacroParameters:
    CreateExecLogGroup: true
services:
  app:
    image: nginx
"#,
            fixed: r#"x-cluster:
  MacroParameters:
    CreateExecLoggingLogGroup: true
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX312",
        severities: ERROR,
        title: "x-cluster with both Properties and Lookup",
        explanation: "`x-cluster` either creates a cluster (`Properties`) or uses an existing one \
(`Lookup`), never both. Keep the one you mean.",
        example: Example::Compose {
            bad: r#"x-cluster:
  Properties:
    ClusterName: prod
  Lookup: prod
services:
  app:
    image: nginx
"#,
            fixed: r#"x-cluster:
  Lookup: prod
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX313",
        severities: WARNING,
        title: "x-cluster feature not rendered yet",
        explanation: "A ComposeX `x-cluster.MacroParameters` setting that composex does not render \
yet (the ECS Exec logging bucket and KMS key). The cluster is still created, without it.",
        example: Example::Compose {
            bad: r#"x-cluster:
  MacroParameters:
    CreateExecLoggingBucket: true
services:
  app:
    image: nginx
"#,
            fixed: r#"x-cluster:
  MacroParameters:
    CreateExecLoggingLogGroup: true
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX314",
        severities: INFO,
        title: "log retention rounded up",
        explanation: "CloudWatch Logs offers a fixed set of retention periods (1, 3, 5, 7, 14, 30, \
60, 90, ... 3653 days). `x-cluster.MacroParameters.LogGroupRetentionInDays` between two of them is \
raised to the next one; write that value to silence the note. (The retention applies to the ECS \
Exec log group, made when `CreateExecLoggingLogGroup` is true.)",
        example: Example::Compose {
            bad: r#"x-cluster:
  MacroParameters:
    CreateExecLoggingLogGroup: true
    LogGroupRetentionInDays: 10
services:
  app:
    image: nginx
"#,
            fixed: r#"x-cluster:
  MacroParameters:
    CreateExecLoggingLogGroup: true
    LogGroupRetentionInDays: 14
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX315",
        severities: ERROR,
        title: "x-tags has the wrong shape",
        explanation: "`x-tags` is a mapping of tag names to values (`{owner: team-a}`) or a list of \
`{Key, Value}` mappings. Each tag becomes a parameter of every stack, applied to every taggable \
resource.",
        example: Example::Compose {
            bad: r#"x-tags: team-a
services:
  app:
    image: nginx
"#,
            fixed: r#"x-tags:
  owner: team-a
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX320",
        severities: ERROR_OR_WARNING,
        title: "x-ecs is malformed",
        explanation: "A service's `x-ecs` sets family-wide ECS options: `EnableExecuteCommand` \
(boolean), `CpuArchitecture`, `OperatingSystemFamily`, `CapacityProviderStrategy` (a list of \
`{CapacityProvider, Base, Weight}`), deployment percentages and the ephemeral storage label. A value \
of the wrong type or out of range is an error; a second `Base` in a capacity provider strategy \
(ECS allows one) is left out with a warning.",
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
offers (at most 3653 days); a value between two offered ones is raised to the next with a warning, \
anything else is an error. `FireLens` is not rendered yet: logs go to CloudWatch Logs (a warning).",
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
        explanation: "ECS gives containers secrets from Secrets Manager, so a compose secret used by \
a service needs ComposeX's `x-secrets: {Name: <secret name or ARN>}`; a secret without it (a `file` \
or an `environment` secret) is left out with a warning. An `x-secrets` that is not a mapping, has \
no `Name`, an invalid name, malformed `JsonKeys` or `LinksTo`, or an `x-aws-pull_credentials` that \
is not a secret ARN, is an error. `Lookup` would need an AWS call: give `Name` instead (warning).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    secrets: [token]
secrets:
  token:
    file: ./token.txt
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
        title: "compose setting Fargate cannot honour",
        explanation: "Fargate tasks run in awsvpc mode with a fixed set of features, so some \
compose settings cannot be carried over: added capabilities other than SYS_PTRACE, ulimits other \
than nofile, host volumes and devices, `privileged`, a published port different from the target \
(the task listens on the target), logging drivers other than awslogs, environment entries without a \
value. Each is left out of the task definition, said at its line; remove it to silence the note.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    cap_add: [NET_ADMIN]
"#,
            fixed: r#"services:
  app:
    image: nginx
    cap_add: [SYS_PTRACE]
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
        title: "service without an image",
        explanation: "A container's image is a stack parameter `<Container>ImageUrl` whose default \
is the compose `image`. A service without `image` leaves the parameter without a default, so it must \
be given at deploy time (in the parameter files, or with `composex set-image`).",
        example: Example::None(
            "not reachable from a compose file today: a service without `image` is refused earlier \
(CX236, CX237); the emitter keeps the check for inputs that skip that validation",
        ),
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
    CodeInfo {
        code: "CX334",
        severities: ERROR,
        title: "unknown key in x-vpc",
        explanation: "`x-vpc.Properties` takes `VpcCidr`, `SingleNat`, `DisableNat`, \
`EnableFlowLogs`, `FlowLogsRoleBoundary`, `DHCPOptions` and `Endpoints`; `x-vpc` itself takes \
`Properties`, `Lookup` and `Use`. Any other key is refused; the help suggests the closest one.\n\n\
Until this code registry existed, this code was CX301 (which also meant an unknown top-level x- key).",
        example: Example::Compose {
            bad: r#"x-vpc:
  Properties:
    VpcCdir: 10.0.0.0/16
services:
  app:
    image: nginx
"#,
            fixed: r#"x-vpc:
  Properties:
    VpcCidr: 10.0.0.0/16
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX335",
        severities: ERROR,
        title: "x-vpc VpcCidr is not usable",
        explanation: "`VpcCidr` is an IPv4 network such as `10.0.0.0/16`, written with its network \
address (no host bits set) and a prefix from /16 to /25: six subnets (public, app and storage in \
two zones) are cut from it.\n\n\
Until this code registry existed, this code was CX302.",
        example: Example::Compose {
            bad: r#"x-vpc:
  Properties:
    VpcCidr: 10.0.0.1/16
services:
  app:
    image: nginx
"#,
            fixed: r#"x-vpc:
  Properties:
    VpcCidr: 10.0.0.0/16
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX336",
        severities: ERROR,
        title: "x-vpc settings that exclude each other",
        explanation: "`SingleNat` (one NAT gateway for both zones) and `DisableNat` (none) cannot \
both be true, and `Properties` (a new VPC) cannot be given with `Lookup` (an existing one).\n\n\
Until this code registry existed, this code was CX303.",
        example: Example::Compose {
            bad: r#"x-vpc:
  Properties:
    SingleNat: true
    DisableNat: true
services:
  app:
    image: nginx
"#,
            fixed: r#"x-vpc:
  Properties:
    SingleNat: true
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX337",
        severities: WARNING,
        title: "x-vpc feature not rendered yet",
        explanation: "`x-vpc.Properties.Endpoints` (VPC endpoints for AWS services) is not rendered \
yet: the rest of the VPC is, and services reach AWS APIs through the NAT gateway.\n\n\
Until this code registry existed, this code was CX304.",
        example: Example::Compose {
            bad: r#"x-vpc:
  Properties:
    VpcCidr: 10.0.0.0/16
    Endpoints:
      AwsServices:
        - service: s3
services:
  app:
    image: nginx
"#,
            fixed: r#"x-vpc:
  Properties:
    VpcCidr: 10.0.0.0/16
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX338",
        severities: WARNING,
        title: "existing VPC value to fill at deploy time",
        explanation: "composex never calls AWS. An existing VPC's ids given literally \
(`Identifier`, or an `Arn`) are written into the parameter files; one found by `Tags` cannot be, \
so its parameter must be filled at deploy time (`--param`, or the parameter files). The warning is \
given only for values something uses.\n\n\
Until this code registry existed, this code was CX305.",
        example: Example::Compose {
            bad: r#"x-vpc:
  Lookup:
    VpcId:
      Identifier: vpc-0123456789abcdef0
    AppSubnets:
      Tags:
        usage: app
services:
  app:
    image: nginx
"#,
            fixed: r#"x-vpc:
  Lookup:
    VpcId:
      Identifier: vpc-0123456789abcdef0
    AppSubnets:
      Identifier: [subnet-0aaaaaaaaaaaaaaaa, subnet-0bbbbbbbbbbbbbbbb]
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX339",
        severities: INFO,
        title: "DisableNat leaves the app subnets without internet",
        explanation: "With `DisableNat: true` no NAT gateway is created, so tasks in the app \
subnets cannot reach the internet: they cannot pull public images or call AWS APIs unless the VPC \
has endpoints for them. This is a note, since it may be what you want.\n\n\
Until this code registry existed, this code was CX306.",
        example: Example::Compose {
            bad: r#"x-vpc:
  Properties:
    DisableNat: true
services:
  app:
    image: nginx
"#,
            fixed: r#"x-vpc:
  Properties:
    SingleNat: true
services:
  app:
    image: nginx
"#,
        },
    },
];

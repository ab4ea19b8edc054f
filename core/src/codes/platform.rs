//! CX300-CX315 and CX334-CX339: the shape of x-module sections, x-vpc, x-cluster and x-tags.

use super::short::{ERROR, INFO, WARNING};
use super::{CodeInfo, Example};

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
the entry. ComposeX 1.x refuses the list form too. This holds for the `Services` of every x-module \
(x-sqs, x-sns, x-dynamodb, x-events, x-elbv2, ...).\n\n\
Before this code registry existed, CX305 also meant an existing VPC value to fill at deploy time; \
that is CX338 now.",
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
        title: "existing resource's id to fill at deploy time",
        explanation: "composex never calls AWS. An existing VPC's ids given literally \
(`Identifier`, or an `Arn`) are written into the parameter files; one found by `Tags` cannot be, \
so its parameter must be filled at deploy time (`--param`, or the parameter files). The warning is \
given only for values something uses.\n\n\
The same goes for an `external: true` named volume, an existing EFS file system: its id is \
known when the volume's `name` is the file system id (`name: fs-0123456789abcdef0`); otherwise \
its parameter must be filled at deploy time.\n\n\
Until this code registry existed, this code was CX305 (which now means only the legacy list form \
of `Services`).",
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

//! CX361-CX383: the x-resource modules (x-sqs, x-sns, x-dynamodb, x-s3, x-kms, x-rds, x-docdb,
//! x-events, x-alarms, x-route53).

use super::short::{ERROR, ERROR_OR_WARNING, WARNING};
use super::{CodeInfo, Example};
use crate::diagnostic::Severity;

const ERROR_WARNING_OR_INFO: &[Severity] = &[Severity::Error, Severity::Warning, Severity::Info];

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX361",
        severities: ERROR_WARNING_OR_INFO,
        title: "x-resource setting is malformed",
        explanation: "A module-specific setting of an x-resource (x-sqs, x-sns, x-dynamodb, x-s3, x-kms, x-rds, \
x-docdb, x-events, x-alarms) has the wrong type or value: `Properties` that is not a mapping, an \
`Access` that is not a level name, `ReturnValues` that do not map values to env var names, a \
`DeletionPolicy` CloudFormation does not have, a `Services` entry that is not a mapping, and \
similar. The message names the setting. A few are warnings, where the rest still deploys (a \
bucket policy statement without `Principal` is left out; `DeleteDefaultService` of x-events \
drops the whole family's ECS service), or notes (x-scaling's maximum raised to the largest count \
of a queue's scaling steps).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Services:
      app:
        Access: [RWMessages]
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
        code: "CX362",
        severities: ERROR,
        title: "property the CloudFormation resource does not accept",
        explanation: "`Properties` of an x-resource are the CloudFormation properties of its resource \
(AWS::SQS::Queue, AWS::SNS::Topic, AWS::DynamoDB::Table, ...). A name the resource type does not \
have would make the deployment fail; the help suggests the closest property.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      DelaySecond: 5
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
        code: "CX363",
        severities: ERROR,
        title: "reference names nothing defined",
        explanation: "A reference `x-<module>::<name>` or `x-<module>::<name>::<value>` (a dead-letter queue, a \
subscription, a key, a topic) must name a resource defined in that module, and a value that \
resource offers. The help suggests the closest name.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: x-sqs::dead-letters
        maxReceiveCount: 5
  dead-letter: {}
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: x-sqs::dead-letter
        maxReceiveCount: 5
  dead-letter: {}
"#,
        },
    },
    CodeInfo {
        code: "CX364",
        severities: ERROR,
        title: "unknown access level",
        explanation: "The `Access` of a `Services` entry is one of the levels the module defines, each a fixed \
least-privilege set of IAM actions: for x-sqs `RO`, `Publish`, `SendOnly`, `Consume`, \
`RWMessages`, ...; for x-dynamodb `RO`, `RW`, `PowerUser`, ...; for x-s3 a mapping of `objects` \
and `bucket` levels. The help lists the levels.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Services:
      app:
        Access: ReadWrite
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
        code: "CX365",
        severities: ERROR,
        title: "unknown return value",
        explanation: "`ReturnValues` of a `Services` entry maps values the resource offers (for x-sqs `Url`, `Arn`, \
`QueueName`) to the env var names the containers get. A value the resource does not offer is \
refused; the help lists the ones it does.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Services:
      app:
        Access: RWMessages
        ReturnValues:
          QueueArn: JOBS_ARN
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Services:
      app:
        Access: RWMessages
        ReturnValues:
          Arn: JOBS_ARN
"#,
        },
    },
    CodeInfo {
        code: "CX366",
        severities: WARNING,
        title: "looked-up resource to fill at deploy time",
        explanation: "composex never calls AWS. A resource given by `Lookup` with its `Arn` (or identifier) has its \
values written into the parameter files; one found by `Tags` only cannot be, so the values the \
services use become parameters to fill at deploy time (`--param`, or the parameter files).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Lookup:
      Tags:
        - name: jobs
    Services:
      app:
        Access: RWMessages
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Lookup:
      Arn: arn:aws:sqs:eu-west-1:123456789012:jobs
    Services:
      app:
        Access: RWMessages
"#,
        },
    },
    CodeInfo {
        code: "CX367",
        severities: WARNING,
        title: "two resources give a container the same env var",
        explanation: "Each linked resource gives the containers env vars (by default the resource name, with its main \
value). When two give the same name with different values, the first is kept and the other lost: \
name one of them differently with `ReturnValues`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Services:
      app:
        Access: RWMessages
x-sns:
  jobs:
    Services:
      app:
        Access: Publish
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Services:
      app:
        Access: RWMessages
x-sns:
  jobs-done:
    Services:
      app:
        Access: Publish
"#,
        },
    },
    CodeInfo {
        code: "CX368",
        severities: ERROR,
        title: "dead-letter queue setting SQS rejects",
        explanation: "A `RedrivePolicy` needs `deadLetterTargetArn` (a queue of x-sqs, or a queue ARN) and \
`maxReceiveCount` from 1 to 1000. A queue cannot be its own dead-letter queue, and a queue and \
its dead-letter queue are both FIFO or both standard.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: x-sqs::dead-letter
        maxReceiveCount: 0
  dead-letter: {}
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: x-sqs::dead-letter
        maxReceiveCount: 5
  dead-letter: {}
"#,
        },
    },
    CodeInfo {
        code: "CX369",
        severities: ERROR,
        title: "FIFO rule broken",
        explanation: "A FIFO queue's name ends in `.fifo` and only a FIFO queue's does; FIFO-only settings \
(`ContentBasedDeduplication`, `DeduplicationScope`, `FifoThroughputLimit`) need `FifoQueue: \
true`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      ContentBasedDeduplication: true
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      FifoQueue: true
      ContentBasedDeduplication: true
"#,
        },
    },
    CodeInfo {
        code: "CX370",
        severities: ERROR_OR_WARNING,
        title: "Scaling steps that cannot make a scaling policy",
        explanation: "`Scaling` of an x-sqs or x-alarms `Services` entry scales the service with step scaling on the \
queue depth or the alarm: it needs `Steps`, a non-empty list whose steps each have `LowerBound` \
and `Count` (whole numbers >= 0) and an `UpperBound` above the `LowerBound` if any, each step \
starting where the one before ends. `Scaling` of an x-dynamodb table scales its capacity: it \
needs provisioned capacity, `MinCapacity` >= 1, `MaxCapacity` >= `MinCapacity` and a \
`TargetValue` from 20 to 90. Scaling that cannot apply (a composite alarm cannot start auto \
scaling) is ignored with a warning.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    x-scaling:
      Range: "1-10"
x-sqs:
  jobs:
    Services:
      app:
        Access: RWMessages
        Scaling:
          Steps:
            - LowerBound: 10
              UpperBound: 5
              Count: 2
"#,
            fixed: r#"services:
  app:
    image: nginx
    x-scaling:
      Range: "1-10"
x-sqs:
  jobs:
    Services:
      app:
        Access: RWMessages
        Scaling:
          Steps:
            - LowerBound: 0
              UpperBound: 10
              Count: 1
            - LowerBound: 10
              Count: 2
"#,
        },
    },
    CodeInfo {
        code: "CX371",
        severities: ERROR_OR_WARNING,
        title: "subscription or notification target is not usable",
        explanation: "An x-sns subscription endpoint, or an x-alarms notification topic, is one of our resources \
(`x-sqs::<queue>`, `x-sns: <topic>`) or an ARN. Anything else is an error; a standard topic \
subscribed to a FIFO queue is a warning (SNS rejects that subscription).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs: {}
x-sns:
  events:
    Properties:
      Subscription:
        - Endpoint: jobs
          Protocol: sqs
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs: {}
x-sns:
  events:
    Properties:
      Subscription:
        - Endpoint: x-sqs::jobs::Arn
          Protocol: sqs
"#,
        },
    },
    CodeInfo {
        code: "CX372",
        severities: WARNING,
        title: "setting composex leaves out",
        explanation: "A setting that has no effect on this resource is left out with a warning, and the help says why: \
`Settings.Subnets` on a resource not placed in subnets, `Scaling` on a link that cannot scale, a \
property that does not apply to an Aurora instance, and similar.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Settings:
      Subnets: AppSubnets
    Services:
      app:
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
        code: "CX373",
        severities: ERROR,
        title: "resource name AWS rejects",
        explanation: "A name given in `Properties` (`QueueName`, `TopicName`, `BucketName`, a key alias) must follow \
the service's naming rules: for queues 1 to 80 letters, digits, `-` and `_` (plus `.fifo` for \
FIFO queues); for buckets 3 to 63 lower-case letters, digits, `-` and `.`. The help gives the \
rule.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      QueueName: my jobs
"#,
            fixed: r#"services:
  app:
    image: nginx
x-sqs:
  jobs:
    Properties:
      QueueName: my-jobs
"#,
        },
    },
    CodeInfo {
        code: "CX374",
        severities: ERROR,
        title: "ComposeX x-key composex does not render yet",
        explanation: "The key is one ECS ComposeX knows (`x-opensearch`, `x-neptune`, `x-efs`, \
`x-wafv2_webacl`, \
`x-cognito_userpool`, `x-aps`, and the service keys \
`x-prometheus`, `x-monitoring`, `x-ecr`, `x-docker_opts`, `x-environment`, \
and `volumes.*.x-efs`), but composex cannot render it yet. Rather than \
render templates without the domain, database or file system the file asks for, the render stops \
with this error at the key. Remove the key (and create the resource another way), or wait for \
its module; an `x-` key composex does not know at all is only a warning (CX301). For \
`x-efs`: every named volume a service mounts is already an EFS file system, set up by the \
volume's `driver_opts`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-efs:
  board:
    Properties: {}
"#,
            fixed: r#"services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX380",
        severities: ERROR,
        title: "RDS engine or version that does not exist",
        explanation: "An x-rds database needs an `Engine` RDS has (`postgres`, `mysql`, `mariadb`, \
`aurora-postgresql`, `aurora-mysql`, ...) in `Properties` or `MacroParameters`, and an \
`EngineVersion` of that engine. The help suggests the closest engine.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-rds:
  db:
    MacroParameters:
      Engine: aurora-postgres
      EngineVersion: "15.4"
"#,
            fixed: r#"services:
  app:
    image: nginx
x-rds:
  db:
    MacroParameters:
      Engine: aurora-postgresql
      EngineVersion: "15.4"
"#,
        },
    },
    CodeInfo {
        code: "CX381",
        severities: ERROR_OR_WARNING,
        title: "database setting that cannot be deployed as written",
        explanation: "A setting of an x-rds or x-docdb database that cannot be deployed as written: `StorageEncrypted: \
false` (storage is always encrypted; set `KmsKeyId` to use your own key), a `Port` that is not a \
port, subnets that do not exist, a parameter group family that does not match the engine.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-rds:
  db:
    Properties:
      Engine: postgres
      EngineVersion: "16.3"
      StorageEncrypted: false
"#,
            fixed: r#"services:
  app:
    image: nginx
x-rds:
  db:
    Properties:
      Engine: postgres
      EngineVersion: "16.3"
"#,
        },
    },
    CodeInfo {
        code: "CX382",
        severities: ERROR,
        title: "x-events rule that cannot run tasks",
        explanation: "An x-events rule runs the linked services' tasks on a schedule or an event: it needs \
`ScheduleExpression` (`rate(...)`, `cron(...)`) or `EventPattern`, and each service's \
`TaskCount` is a whole number from 1 to 10.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-events:
  nightly:
    Properties:
      Description: nightly batch
    Services:
      app:
        TaskCount: 1
"#,
            fixed: r#"services:
  app:
    image: nginx
x-events:
  nightly:
    Properties:
      Description: nightly batch
      ScheduleExpression: cron(0 2 * * ? *)
    Services:
      app:
        TaskCount: 1
"#,
        },
    },
    CodeInfo {
        code: "CX383",
        severities: ERROR,
        title: "x-route53 zone that cannot be used",
        explanation: "composex, like ComposeX, does not create hosted zones: an x-route53 zone needs `ZoneName` (a DNS \
name) and `Lookup` (`true`, or `{HostedZoneId: Z...}`). A `HostedZoneId` looks like \
`Z0123456789ABCDEFGHIJ`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
x-route53:
  public:
    ZoneName: example.com
"#,
            fixed: r#"services:
  app:
    image: nginx
x-route53:
  public:
    ZoneName: example.com
    Lookup:
      HostedZoneId: Z0123456789ABCDEFGHIJ
"#,
        },
    },
];

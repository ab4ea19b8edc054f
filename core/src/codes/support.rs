//! CX280-CX286: what ECS makes of each compose key (the compose-key support table).

use super::short::{ERROR, INFO, WARNING};
use super::{CodeInfo, Example};
use crate::diagnostic::Severity;

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX280",
        severities: INFO,
        title: "compose key approximated on ECS",
        explanation: "composex has one table of every compose-specification key and what it \
becomes on ECS: mapped (an ECS or CloudFormation property, said nothing about), approximated, not \
available on Fargate (CX281) or refused (CX282). An approximated key is rendered differently than \
`docker compose` runs it, and a note at the key says how: `links` (services reach each other by \
name anyway), a logging `driver` other than awslogs (replaced by awslogs), logging options other \
than awslogs' own, `build` next to `image` (the service runs `image`), `profiles`, `name`, \
network `driver`, `develop`, `ports.mode: host`, deploy `restart_policy` delay and attempts, deploy \
labels other than the ComposeX ones (`ecs.task.family`, `ecs.task.family.hostname`, \
`ecs.essential`, `ecs.ephemeral.storage`), and so on. Remove the key to silence the note, or \
keep it when the approximation is what you want.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    logging:
      driver: json-file
"#,
            fixed: r#"services:
  app:
    image: nginx
    logging:
      driver: awslogs
"#,
        },
    },
    CodeInfo {
        code: "CX281",
        severities: WARNING,
        title: "compose key has no effect on ECS Fargate",
        explanation: "The key is left out: Fargate (the only capacity composex renders today) has \
no such setting. The warning is at the key, and its help says what would make it work, or what \
to do instead. Among them: added capabilities other than SYS_PTRACE, ulimits other than `nofile`, \
`privileged`, `security_opt`, `devices`, `shm_size`, `tmpfs`, `dns`, `extra_hosts`, `hostname`, \
`container_name`, `pid`, `ipc`, `cpu_quota` and the other CPU knobs (Fargate sizes CPU by task \
size: set `cpus`), `stop_signal`, `pull_policy`, network `ipam` and `external`, \
a `network_mode` other than awsvpc. A switch turned off (`privileged: false`) asks for what ECS \
does anyway and is not reported.",
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
        code: "CX282",
        severities: ERROR,
        title: "compose key cannot be rendered for ECS",
        explanation: "Rendering the key would deploy something else than what it says, so it is \
refused with an error at the key (or at the value, when the value decides): a `platform` other \
than `linux/amd64` or `linux/arm64` (composex renders Linux tasks on those two architectures), a \
`network_mode` of `service:` or `container:` another service outside the task family (a network \
is shared only inside one task: put both services in one family with the deploy label \
`ecs.task.family`), an unknown `restart` policy, deploy `mode: global` (one task per host needs \
EC2 capacity) and `placement` constraints, `provider` services and `models` (Docker Model \
Runner), which are not containers.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    platform: linux/s390x
"#,
            fixed: r#"services:
  app:
    image: nginx
    platform: linux/arm64
"#,
        },
    },
    CodeInfo {
        code: "CX283",
        severities: &[Severity::Info, Severity::Warning],
        title: "depends_on a service of another task family",
        explanation: "Each task family is its own ECS service, and ECS starts services \
independently: a service does not wait for a service of another family, and container \
dependencies (`DependsOn`) exist only inside one task. A plain `depends_on` (`service_started`) \
only orders container starts, which an application has to survive anyway (the other service may \
restart at any time): a note. A `service_healthy` or `service_completed_successfully` condition \
the application relies on is a warning. Make the application retry until the other service \
answers, or put both services in one task family (deploy label `ecs.task.family`), where ECS \
orders their containers and checks the condition.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    depends_on:
      cache:
        condition: service_healthy
  cache:
    image: redis:7
    expose: ["6379"]
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
"#,
            fixed: r#"services:
  app:
    image: nginx
    depends_on:
      cache:
        condition: service_healthy
    deploy:
      labels: {ecs.task.family: app}
  cache:
    image: redis:7
    expose: ["6379"]
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
    deploy:
      labels: {ecs.task.family: app}
"#,
        },
    },
    CodeInfo {
        code: "CX284",
        severities: WARNING,
        title: "restart policy an ECS service cannot honour",
        explanation: "An ECS service keeps its tasks running: it starts a new task whenever one \
stops, forever. `restart: no`, `restart: on-failure[:N]`, a deploy `restart_policy.condition` \
other than `any`, and a deploy `mode` of `replicated-job` or `global-job` ask for tasks that stop \
for good, which an ECS service cannot do. For a job that runs to completion, use a scheduled task \
(x-events) or a one-off `aws ecs run-task`; for a long-running service, write \
`restart: always` or `unless-stopped` (or leave it out).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    restart: "no"
"#,
            fixed: r#"services:
  app:
    image: nginx
    restart: unless-stopped
"#,
        },
    },
    CodeInfo {
        code: "CX285",
        severities: WARNING,
        title: "environment entry without a value",
        explanation: "An `environment` entry without a value (`- DEBUG`, or `DEBUG:` with \
nothing after it) takes its value from the environment `docker compose` runs in; when that \
environment does not set it, compose leaves the variable unset. composex renders with the \
environment it is given, so the entry is left out of the task definition, with a warning at the \
key. Give it a value, or set the variable when rendering.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    environment:
      - DEBUG
"#,
            fixed: r#"services:
  app:
    image: nginx
    environment:
      - DEBUG=1
"#,
        },
    },
    CodeInfo {
        code: "CX286",
        severities: ERROR,
        title: "unknown Linux capability",
        explanation: "An entry of `cap_add` or `cap_drop` is not a Linux capability name ECS \
knows (`NET_ADMIN`, `SYS_PTRACE`, `CHOWN`, ..., written with or without `CAP_`, in any case). It \
is most often a typo; the help suggests the closest name.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    cap_drop: [NET_RAWW]
"#,
            fixed: r#"services:
  app:
    image: nginx
    cap_drop: [NET_RAW]
"#,
        },
    },
];

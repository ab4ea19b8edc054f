//! CX390-CX405: parameters, layout and AWS limits; and CX001, the playground API's own code.

use super::short::{ERROR, INFO, WARNING};
use super::{CodeInfo, Example};
use crate::diagnostic::Severity;

/// The wasm API's code (the playground): not a compose problem.
pub(super) const API: &[CodeInfo] = &[CodeInfo {
    code: "CX001",
    severities: ERROR,
    title: "playground API called with the wrong input",
    explanation: "The browser playground and the docs embed script call the wasm API with one \
object shaped like the core's input: `{files: [{name, text}], env, options}`. An argument of \
another shape is reported as this diagnostic (the API never throws for user data). It means a bug \
in the page calling the API, not in the compose file.",
    example: Example::None("it comes from the wasm API's input object, not from a compose file"),
}];

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX390",
        severities: WARNING,
        title: "--param names no root parameter",
        explanation: "`composex render --param KEY=VALUE` fills a parameter of the root stack in \
the parameter files (`<project>.params.json`, `<project>.config.json`). A key the root stack does \
not have is ignored; the help suggests the closest parameter name or lists them. Image parameters \
are named `<Container>ImageUrl`.",
        example: Example::Compose {
            bad: r#"# composex render --param AppImage=nginx:1.27
services:
  app:
    image: nginx
"#,
            fixed: r#"# composex render --param AppImageUrl=nginx:1.27
services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX391",
        severities: WARNING,
        title: "nothing to deploy",
        explanation: "The project has no service and no new VPC or cluster, so the templates would \
hold no resource (an existing VPC and cluster are only parameters). No files are written. Add a \
service that runs in them.",
        example: Example::Compose {
            bad: r#"services: {}
networks:
  back: {}
"#,
            fixed: r#"services:
  app:
    image: nginx
    networks: [back]
networks:
  back: {}
"#,
        },
    },
    CodeInfo {
        code: "CX399",
        severities: ERROR,
        title: "internal wiring error",
        explanation: "Stacks reference each other's values through exports and parameters; the \
layout checks that every reference is wired. A reference it cannot wire is a bug in composex, \
never a problem in the compose file: please report it with the input that triggers it.",
        example: Example::None("an internal error: no input is known to give it (the corpus test fails if one does)"),
    },
    CodeInfo {
        code: "CX400",
        severities: ERROR,
        title: "family needs more than the largest Fargate task",
        explanation: "A task family's CPU and memory are the sums over its containers (`cpus`, \
`mem_limit`, `deploy.resources.limits`). The largest Fargate task has 16 vCPU and 120 GiB; a family \
that needs more cannot run. Lower the limits, or split the services into several families.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    deploy:
      resources:
        limits:
          cpus: "32"
          memory: 64g
"#,
            fixed: r#"services:
  app:
    image: nginx
    deploy:
      resources:
        limits:
          cpus: "16"
          memory: 64g
"#,
        },
    },
    CodeInfo {
        code: "CX401",
        severities: INFO,
        title: "family size rounded up to a Fargate size",
        explanation: "Fargate offers fixed CPU and memory combinations (0.25 vCPU with 0.5 to 2 GiB, \
0.5 vCPU with 1 to 4 GiB, ...). A family's summed CPU and memory are raised to the smallest \
combination that fits, and the note says which; write that size to silence it.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    deploy:
      resources:
        limits:
          cpus: "0.3"
          memory: 600m
"#,
            fixed: r#"services:
  app:
    image: nginx
    deploy:
      resources:
        limits:
          cpus: "0.5"
          memory: 1g
"#,
        },
    },
    CodeInfo {
        code: "CX402",
        severities: &[Severity::Info, Severity::Warning],
        title: "value moved into the range ECS accepts",
        explanation: "ECS accepts healthcheck intervals of 5 to 300 s, timeouts of 2 to 120 s, \
start periods up to 300 s and 1 to 10 retries, and a memory reservation at most the memory limit. \
A value outside is moved to the nearest accepted one, said at its line.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    healthcheck:
      test: ["CMD", "true"]
      retries: 20
"#,
            fixed: r#"services:
  app:
    image: nginx
    healthcheck:
      test: ["CMD", "true"]
      retries: 10
"#,
        },
    },
    CodeInfo {
        code: "CX403",
        severities: ERROR,
        title: "task needs more security groups than ECS allows",
        explanation: "A task carries its family's own security group and one per compose network it \
shares with other families (a network gets a security group when it joins two families and one of \
them publishes a port); ECS allows 5 security groups per task. A family on more than 4 shared \
networks cannot be deployed: merge networks, or let families talk through `x-network.Ingress`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    ports: ["80:80"]
    networks: [a, b, c, d, e]
  worker:
    image: busybox
    networks: [a, b, c, d, e]
networks:
  a: {}
  b: {}
  c: {}
  d: {}
  e: {}
"#,
            fixed: r#"services:
  app:
    image: nginx
    ports: ["80:80"]
    networks: [a, b]
  worker:
    image: busybox
    networks: [a, b]
networks:
  a: {}
  b: {}
"#,
        },
    },
    CodeInfo {
        code: "CX404",
        severities: ERROR,
        title: "template over a CloudFormation quota",
        explanation: "CloudFormation refuses a template with more than 500 resources, 200 \
parameters, 200 outputs or 200 mappings, a logical id over 255 characters, or a body over \
1,000,000 bytes. composex checks the finished templates and refuses the render, at the place in the \
compose file that made the stack (the family, the module). Each family is a nested stack and its \
image a root parameter, so one project holds at most about 195 families; `--single` reaches 500 \
resources at about 55 families. Split the project, or use the nested layout.",
        example: Example::None("it takes a project of about 200 services (or 55 with `--single`)"),
    },
    CodeInfo {
        code: "CX405",
        severities: INFO,
        title: "root template must be deployed from S3",
        explanation: "CloudFormation takes at most 51,200 bytes of template in the request itself; a \
larger root template must be uploaded to S3 first. `aws cloudformation package` (which also uploads \
the nested templates) or `aws cloudformation deploy --s3-bucket` do that.",
        example: Example::None("it takes a root template over 51,200 bytes (many task families)"),
    },
];

//! CX274-CX279: configs and secrets as files in containers, and the remaining compose mappings
//! (deployment order, ephemeral storage).

use super::short::{ERROR, WARNING};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX274",
        severities: ERROR,
        title: "config or secret file cannot be mounted there",
        explanation: "A config or secret a service mounts is written as a file by the task's init \
container into a task volume, and the service mounts that volume read-only at the file's \
directory. A file directly in `/` or in a system directory (`/etc`, `/usr`, `/run`, ...) would \
hide the image's own files there, so it is refused: give the file a directory of its own. A \
config without `target` is at `/<config>` as compose mounts it, which is refused the same way. \
`uid` and `gid` must be numbers (the init container runs `chown`).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    configs: [site]
configs:
  site:
    content: "server { listen 80; }"
"#,
            fixed: r#"services:
  app:
    image: nginx
    configs:
      - source: site
        target: /etc/nginx/conf.d/site.conf
configs:
  site:
    content: "server { listen 80; }"
"#,
        },
    },
    CodeInfo {
        code: "CX275",
        severities: ERROR,
        title: "config contents not available",
        explanation: "A config a service mounts takes its contents from an environment variable \
(`environment: VAR`) that is not set when rendering, or names no source at all. The contents go \
into an SSM parameter, so they must be known now: set the variable (in the environment or \
`.env`), or give the config a `file:` or `content:` (or `external: true` for an existing SSM \
parameter).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    configs:
      - source: site
        target: /etc/nginx/conf.d/site.conf
configs:
  site:
    environment: SITE_CONF
"#,
            fixed: r#"services:
  app:
    image: nginx
    configs:
      - source: site
        target: /etc/nginx/conf.d/site.conf
configs:
  site:
    content: "server { listen 80; }"
"#,
        },
    },
    CodeInfo {
        code: "CX276",
        severities: ERROR,
        title: "config too large for an SSM parameter",
        explanation: "A config's contents are kept in an SSM parameter, which holds at most 8 KB \
(Advanced tier; up to 4 KB use the Standard tier). Bake a larger file into the image, or keep it \
in S3 and fetch it when the container starts.",
        example: Example::None("the bad example needs a config file larger than 8 KB"),
    },
    CodeInfo {
        code: "CX277",
        severities: WARNING,
        title: "a parameter must name an existing secret or SSM parameter",
        explanation: "A secret without `x-secrets` (`file:`, `environment:` or `external: true`) \
is given to containers as a file read from a Secrets Manager secret, and composex never writes a \
secret's value into a template or a parameter file: the stack parameter `<Secret>SecretArn` takes \
the ARN of a secret you create once (`aws secretsmanager create-secret --name NAME \
--secret-string file://FILE`). An `external: true` config is read the same way from an existing \
SSM parameter (`<Config>ConfigArn`). The warning is given while the parameter has no value: pass \
it with `--param`, or fill it in the parameter files, or name the secret with `x-secrets`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    secrets: [token]
secrets:
  token:
    file: ./token.txt
"#,
            fixed: r#"# composex render --param TokenSecretArn=arn:aws:secretsmanager:eu-west-1:123456789012:secret:token-AbCdEf
services:
  app:
    image: nginx
    secrets: [token]
secrets:
  token:
    file: ./token.txt
"#,
        },
    },
    CodeInfo {
        code: "CX278",
        severities: ERROR,
        title: "storage_opt.size outside Fargate's ephemeral storage range",
        explanation: "`storage_opt.size` becomes the task's ephemeral storage \
(`EphemeralStorage.SizeInGiB`), which Fargate offers from 21 to 200 GiB; every task has 20 GiB \
without asking. A smaller size cannot be honoured (Fargate does not cap a task's disk below its \
default) and a larger one does not exist: leave `storage_opt` out for the default, or ask for \
21G to 200G.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    storage_opt:
      size: 500G
"#,
            fixed: r#"services:
  app:
    image: nginx
    storage_opt:
      size: 200G
"#,
        },
    },
    CodeInfo {
        code: "CX279",
        severities: WARNING,
        title: "update_config and x-aws percentages both given",
        explanation: "`deploy.update_config` (`order`, `parallelism`) becomes the ECS service's \
deployment percentages (stop-first lets `parallelism` of the desired tasks stop before their \
replacements start; start-first starts them first). ComposeX's `x-aws-min_percent` / \
`x-aws-max_percent` set the same percentages explicitly and win; the warning says that \
`update_config` is not used. Keep one of the two.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    deploy:
      update_config:
        order: stop-first
    x-aws-min_percent: 50
"#,
            fixed: r#"services:
  app:
    image: nginx
    deploy:
      update_config:
        order: stop-first
"#,
        },
    },
    CodeInfo {
        code: "CX287",
        severities: WARNING,
        title: "awslogs-region: the log group is created in the stack's region",
        explanation: "`logging.options.awslogs-region` is passed to ECS, which then writes the \
container's logs to that region. The family stack creates its log groups in the region it is \
deployed to, so unless that is the same region the group does not exist where the logs go. Deploy \
the stack in that region, create the log group there yourself, or leave `awslogs-region` out (logs \
then go to the stack's region).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    logging:
      options:
        awslogs-region: us-east-1
"#,
            fixed: r#"services:
  app:
    image: nginx
    logging:
      options:
        awslogs-stream-prefix: app
"#,
        },
    },
    CodeInfo {
        code: "CX288",
        severities: WARNING,
        title: "tasks on internal networks only: no way out of the VPC",
        explanation: "A compose network with `internal: true` has no external access. A task \
family whose networks are all internal runs in the storage subnets (no NAT route) and its \
security groups let traffic out only to the network's tasks. ECS itself pulls the images, writes \
the logs and reads the secrets of those tasks through their network, so the VPC needs endpoints \
for ECR (api and dkr), S3 (gateway), CloudWatch Logs and Secrets Manager / SSM, or the images \
must come from inside the VPC. Leave `internal` out if the services need the internet.",
        example: Example::Compose {
            bad: r#"services:
  db:
    image: postgres
    networks: [back]
networks:
  back:
    internal: true
"#,
            fixed: r#"services:
  db:
    image: postgres
    networks: [back]
networks:
  back:
"#,
        },
    },
];

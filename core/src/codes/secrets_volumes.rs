//! CX241-CX246: secrets written in plain text, and named volumes as EFS file systems.

use super::short::{ERROR, INFO, WARNING};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX241",
        severities: WARNING,
        title: "secret written in plain text in `environment`",
        explanation: "An `environment` entry whose name says it holds a secret has a literal \
value: it would be written into the template and the task definition, readable by anyone who can \
read either (in the console too). The name is split into words on `_`, `-` and `.`; it is a \
secret's name when the words contain PASSWORD, PASSWD, PASSPHRASE, SECRET, TOKEN, APIKEY, API \
KEY, PRIVATE KEY, ACCESS KEY, SECRET KEY, ENCRYPTION KEY, SIGNING KEY, MASTER KEY, AUTH KEY, \
CREDENTIAL(S), or end in PASS (`DB_PASS`), unless the last word says the variable is about the \
secret rather than the secret itself (`..._FILE`, `_PATH`, `_URL`, `_HOST`, `_ID`, `_NAME`, \
`_USER`, `_TTL`, ...: `POSTGRES_PASSWORD_FILE`, `AWS_ACCESS_KEY_ID`). Whole words only: \
`TOKENIZER` or `BYPASS` never match. An empty value is left alone; a value interpolated from the \
environment while rendering (`${DB_PASSWORD}`) lands in the template just the same and is \
reported.\n\n\
Keep the value in Secrets Manager: declare a top-level secret with `x-secrets: {Name: <secret \
name>, VarName: NAME}`, list it under the service's `secrets`, and remove the entry from \
`environment`; ECS reads the secret when the task starts.",
        example: Example::Compose {
            bad: r#"services:
  db:
    image: postgres:16
    expose: ["5432"]
    environment:
      POSTGRES_PASSWORD: hunter2
"#,
            fixed: r#"services:
  db:
    image: postgres:16
    expose: ["5432"]
    secrets: [postgres_password]
secrets:
  postgres_password:
    x-secrets:
      Name: prod/db/password
      VarName: POSTGRES_PASSWORD
"#,
        },
    },
    CodeInfo {
        code: "CX242",
        severities: ERROR,
        title: "EFS does not accept this `driver_opts` value",
        explanation: "Every named volume a service mounts becomes an EFS file system, and its \
`driver_opts` are read the way Docker's ECS integration read them. A value EFS does not accept is \
an error at the value: `performance_mode` other than `generalPurpose` or `maxIO`, \
`throughput_mode` other than `bursting`, `provisioned` or `elastic`, a `lifecycle_policy` that is \
not one of EFS's transition periods (`AFTER_7_DAYS`, `AFTER_30_DAYS`, ...), `backup_policy` other \
than `ENABLED` or `DISABLED`, a `provisioned_throughput` below 1 MiB/s, an empty `kms_key_id`, a `uid` or `gid` that is not a \
number, `permissions` that are not 3 or 4 octal digits, a `root_directory` that is not an \
absolute path of at most 100 characters. It is also \
an error when `throughput_mode: provisioned` has no `provisioned_throughput` (or the other way \
round), and when only one of `uid` and `gid` is given (the access point's user needs both).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    volumes: [data:/data]
volumes:
  data:
    driver_opts:
      performance_mode: fast
"#,
            fixed: r#"services:
  app:
    image: nginx
    volumes: [data:/data]
volumes:
  data:
    driver_opts:
      performance_mode: maxIO
"#,
        },
    },
    CodeInfo {
        code: "CX243",
        severities: WARNING,
        title: "volume option that means nothing for EFS",
        explanation: "A named volume becomes an EFS file system whatever its driver, so some of \
what the compose file says is ignored, with a warning at the key: a `driver` other than `local`, \
`efs` or `amazon-ecs-volume-plugin`; `driver_opts` keys EFS does not know (the options of Docker's \
`local` driver, `type`, `o`, `device`, have no meaning on ECS; the help suggests the closest EFS \
option); file system options on an `external` volume (an existing file system keeps its own \
settings; `uid`, `gid`, `permissions` and `root_directory` still apply to its access point); a \
`root_directory` without `uid` and `gid` (EFS then does not create the directory, so it must \
exist already); `permissions` without `root_directory`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    volumes: [data:/data]
volumes:
  data:
    driver_opts:
      type: none
      device: /srv/data
"#,
            fixed: r#"services:
  app:
    image: nginx
    volumes: [data:/data]
volumes:
  data: {}
"#,
        },
    },
    CodeInfo {
        code: "CX244",
        severities: WARNING,
        title: "EFS mount targets: number of app subnets not known",
        explanation: "A named volume's EFS file system gets one mount target per app subnet, so \
that a task in any availability zone can mount it. With an existing VPC whose app subnets are \
found by `Tags` (or another deploy-time value), their number is not known when rendering, so mount \
targets are made in the first two subnets only: tasks placed in a zone without one cannot mount \
the volume. Give x-vpc's `AppSubnets` as subnet ids (`Identifier: [subnet-..., ...]`): one mount \
target is then made per subnet.",
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
    volumes: [data:/data]
volumes:
  data: {}
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
    volumes: [data:/data]
volumes:
  data: {}
"#,
        },
    },
    CodeInfo {
        code: "CX245",
        severities: INFO,
        title: "database keeps its data on EFS",
        explanation: "A well-known database image (postgres, postgis, mysql, mariadb, mongodb, \
...) mounts a named volume, which becomes an EFS file system: the data persists, but a database \
on a network file system is slow and runs one task at a time. The note, at the mount, names the \
managed service that does it better (x-rds, x-docdb, ...), and reminds you to set the volume's \
`driver_opts` `uid` and `gid` to the user the image runs as when they are missing (EFS maps root \
to nobody). It is a note: a small database on EFS may be what you want.",
        example: Example::Compose {
            bad: r#"services:
  db:
    image: postgres:16
    volumes: [pgdata:/var/lib/postgresql/data]
volumes:
  pgdata: {}
"#,
            fixed: r#"services:
  db:
    image: postgres:16
    volumes: [/var/lib/postgresql/data]
"#,
        },
    },
    CodeInfo {
        code: "CX246",
        severities: INFO,
        title: "existing EFS file system: its mount targets are not opened",
        explanation: "An `external: true` volume is an existing EFS file system (its id is the \
volume's `name: fs-...`, or a parameter to fill at deploy time). composex creates its access \
point but does not change security groups it did not create: the file system's mount targets must \
already let the services' tasks in on NFS (port 2049). The note says so; there is nothing to fix \
in the compose file when they do.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    volumes: [shared:/data]
volumes:
  shared:
    external: true
    name: fs-0123456789abcdef0
"#,
            fixed: r#"services:
  app:
    image: nginx
    volumes: [shared:/data]
volumes:
  shared: {}
"#,
        },
    },
];

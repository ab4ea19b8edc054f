//! CX260-CX273: the files compose files name (`env_file`, `include`, `extends`) and profiles.

use super::short::{ERROR, INFO};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX260",
        severities: ERROR,
        title: "named file not found",
        explanation: "A compose file names another file that is not given: a required `env_file`, \
an `include` entry (or its `env_file`), an `extends.file`, or an x-ssm_parameter \
`MacroParameters.FromFile`. Paths are relative to the directory of the file that names them \
(`FromFile`: the first compose file's); the message gives the path relative to the project directory (the \
first compose file's directory). composex never reads a file system itself: the CLI reads the \
files the compose files name, the playground shows them as tabs. Create the file, fix the path, \
or, for an env file that may be missing, write `required: false` (CX261).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    env_file: ./app.env
"#,
            fixed: r#"services:
  app:
    image: nginx
    env_file: ./app.env
# other file: app.env
MODE=production
"#,
        },
    },
    CodeInfo {
        code: "CX261",
        severities: INFO,
        title: "optional env file not found: skipped",
        explanation: "An `env_file` entry with `required: false` names a file that is not given. \
As `docker compose` does, the file is skipped; the note says so, since a misspelt path would \
otherwise go unnoticed.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    env_file:
      - path: ./local.env
        required: false
"#,
            fixed: r#"services:
  app:
    image: nginx
    env_file:
      - path: ./local.env
        required: false
# other file: local.env
MODE=debug
"#,
        },
    },
    CodeInfo {
        code: "CX262",
        severities: ERROR,
        title: "unknown env_file format",
        explanation: "An `env_file` entry's `format` is neither left out (or `.env`, `dotenv`: \
compose's `.env` rules, with quotes and `${VAR}` interpolation) nor `raw` (`KEY=value` lines read \
as they are, as `docker run --env-file` reads them).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    env_file:
      - path: ./app.env
        format: json
# other file: app.env
MODE=production
"#,
            fixed: r#"services:
  app:
    image: nginx
    env_file:
      - path: ./app.env
        format: raw
# other file: app.env
MODE=production
"#,
        },
    },
    CodeInfo {
        code: "CX263",
        severities: ERROR,
        title: "env_file `format: raw` line without a valid name",
        explanation: "A `format: raw` env file is read line by line as `NAME=value` (a line \
without `=` names a variable taken from the environment); blank lines and lines starting with `#` \
are skipped. A line with nothing before `=`, or a name containing blanks, is an error at the \
name.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    env_file:
      - path: ./app.env
        format: raw
# other file: app.env
LOG LEVEL=debug
"#,
            fixed: r#"services:
  app:
    image: nginx
    env_file:
      - path: ./app.env
        format: raw
# other file: app.env
LOG_LEVEL=debug
"#,
        },
    },
    CodeInfo {
        code: "CX264",
        severities: INFO,
        title: "service left out by profiles",
        explanation: "A service with `profiles:` is deployed only when one of its profiles is \
active (`composex render --profile NAME`, or `COMPOSE_PROFILES`; `*` activates every profile); a \
service without `profiles:` is always deployed. The note names each service left out, at its \
`profiles`, and the profile that would bring it in.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
  debug:
    image: busybox
    profiles: [debug]
"#,
            fixed: r#"# composex render --profile debug
services:
  app:
    image: nginx
  debug:
    image: busybox
    profiles: [debug]
"#,
        },
    },
    CodeInfo {
        code: "CX265",
        severities: ERROR,
        title: "depends_on a service left out by profiles",
        explanation: "A deployed service depends on a service that no active profile enables. As \
the compose specification says, a dependency does not enable a service its profiles leave out: it \
is an error at the `depends_on` entry. Activate one of the dependency's profiles, give the \
dependent service the same profiles, or mark the dependency optional (`required: false`, then \
the entry is dropped).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    depends_on: [cache]
  cache:
    image: redis:7
    profiles: [cache]
"#,
            fixed: r#"# composex render --profile cache
services:
  app:
    image: nginx
    depends_on: [cache]
  cache:
    image: redis:7
    profiles: [cache]
"#,
        },
    },
    CodeInfo {
        code: "CX266",
        severities: ERROR,
        title: "extended service not found",
        explanation: "`extends` names a service that does not exist: in the same compose file \
(`extends: base`, `extends: {service: base}`) or in the file given by `extends.file`. `extends` \
sees the services of its own file (after its `include`), not those of other `-f` files. The help \
suggests the closest name.",
        example: Example::Compose {
            bad: r#"services:
  base:
    image: nginx
    environment:
      MODE: production
  app:
    image: nginx:1.27
    extends: bsae
"#,
            fixed: r#"services:
  base:
    image: nginx
    environment:
      MODE: production
  app:
    image: nginx:1.27
    extends: base
"#,
        },
    },
    CodeInfo {
        code: "CX267",
        severities: ERROR,
        title: "extends cycle",
        explanation: "A service extends itself, directly or through others (`a` extends `b` \
extends `a`), so it has no definition to start from. The message shows the cycle; break it by \
putting the shared settings in a service that extends nothing.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    extends: worker
  worker:
    image: busybox
    extends: app
"#,
            fixed: r#"services:
  app:
    image: nginx
  worker:
    image: busybox
    extends: app
"#,
        },
    },
    CodeInfo {
        code: "CX268",
        severities: ERROR,
        title: "extends without a service name",
        explanation: "`extends` names the service to copy: `extends: base`, or \
`extends: {service: base, file: common.yml}` for a service of another file. A mapping without \
`service` (or with an empty one) cannot be resolved.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx:1.27
    extends:
      file: ./common.yml
# other file: common.yml
services:
  base:
    image: nginx
"#,
            fixed: r#"services:
  app:
    image: nginx:1.27
    extends:
      file: ./common.yml
      service: base
# other file: common.yml
services:
  base:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX269",
        severities: ERROR,
        title: "malformed include",
        explanation: "`include` is a list; each entry is a path (`- sub/compose.yaml`) or a \
mapping with `path` (a file, or a list of a file and its override files), and optionally \
`project_directory` and `env_file`. An `include` that is not a list, or an entry without a path, \
is an error.",
        example: Example::Compose {
            bad: r#"include:
  - project_directory: ./db
services:
  app:
    image: nginx
"#,
            fixed: r#"include:
  - path: ./db/compose.yaml
services:
  app:
    image: nginx
# other file: db/compose.yaml
services:
  db:
    image: redis:7
"#,
        },
    },
    CodeInfo {
        code: "CX270",
        severities: ERROR,
        title: "include cycle",
        explanation: "A compose file includes itself, directly or through other files (`a.yaml` \
includes `b.yaml` which includes `a.yaml`). The message shows the chain of files; remove the \
`include` entry that closes the loop.",
        example: Example::Compose {
            bad: r#"include: [./a.yaml]
services:
  app:
    image: nginx
# other file: a.yaml
include: [./b.yaml]
services:
  cache:
    image: redis:7
# other file: b.yaml
include: [./a.yaml]
services:
  queue:
    image: rabbitmq:3
"#,
            fixed: r#"include: [./a.yaml]
services:
  app:
    image: nginx
# other file: a.yaml
include: [./b.yaml]
services:
  cache:
    image: redis:7
# other file: b.yaml
services:
  queue:
    image: rabbitmq:3
"#,
        },
    },
    CodeInfo {
        code: "CX271",
        severities: ERROR,
        title: "extends chain too long",
        explanation: "A service extends a service that extends another, and so on, more than 64 \
services deep. Such a chain is almost certainly generated by mistake and would make loading slow; \
extend the service that holds the shared settings directly.",
        example: Example::None("the chain needs 65 services that extend one another"),
    },
    CodeInfo {
        code: "CX272",
        severities: ERROR,
        title: "remote compose file not supported",
        explanation: "An `include` entry or an `extends.file` names a remote file \
(`https://...`, `git@...`, `oci://...`). composex reads local files only, so that a render is \
reproducible and works offline: download the file next to the compose file and name it by its \
path.",
        example: Example::Compose {
            bad: r#"include:
  - https://example.com/compose/db.yaml
services:
  app:
    image: nginx
"#,
            fixed: r#"include:
  - ./db.yaml
services:
  app:
    image: nginx
# other file: db.yaml
services:
  db:
    image: redis:7
"#,
        },
    },
    CodeInfo {
        code: "CX273",
        severities: ERROR,
        title: "env_file entry without a path",
        explanation: "An `env_file` entry is a path (`- ./app.env`) or a mapping with `path` \
(and optionally `required` and `format`). A mapping without `path`, or with an empty one, names \
no file.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    env_file:
      - required: false
"#,
            fixed: r#"services:
  app:
    image: nginx
    env_file:
      - path: ./app.env
        required: false
# other file: app.env
MODE=production
"#,
        },
    },
];

//! CX200-CX203 and CX290-CX296: reading the compose files (interpolation, merging several
//! files, `.env` files); CX250-CX252: `composex set-image`.

use super::short::{ERROR, WARNING};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX200",
        severities: ERROR,
        title: "invalid interpolation template",
        explanation: "A `$` in a compose value starts a variable: `$VAR`, `${VAR}`, \
`${VAR:-default}`, `${VAR:?message}` and so on. Anything else after a `$` is an error, as in \
`docker compose`: `${` without its closing brace, `${}`, `${ VAR}` with a space, an unknown \
operator such as `${VAR!}`.\n\n\
CloudFormation's own `${AWS::Region}` or `${!Literal}` in a compose value counts too: write `$${...}` \
to keep a literal `${...}` in the value.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx:${TAG
"#,
            fixed: r#"services:
  app:
    image: nginx:${TAG:-1.27}
"#,
        },
    },
    CodeInfo {
        code: "CX201",
        severities: ERROR,
        title: "required variable is missing",
        explanation: "`${VAR:?message}` (VAR unset or empty) and `${VAR?message}` (VAR unset) make \
the variable required: the render stops with the message. Set the variable in the environment or \
in the `.env` file next to the compose file, or give a default with `${VAR:-default}`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx:${TAG:?set TAG to the image tag}
"#,
            fixed: r#"services:
  app:
    image: nginx:${TAG:-1.27}
"#,
        },
    },
    CodeInfo {
        code: "CX202",
        severities: WARNING,
        title: "variable is not set",
        explanation: "`$VAR` or `${VAR}` names a variable that is neither in the environment nor in \
the `.env` file, so it becomes an empty string (as in `docker compose`). The warning is given once \
per variable and file. Set the variable, or write the default into the file: `${VAR:-value}` (unset \
or empty) or `${VAR-value}` (unset). A literal `$` is written `$$`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx:${TAG}
"#,
            fixed: r#"services:
  app:
    image: nginx:${TAG:-1.27}
"#,
        },
    },
    CodeInfo {
        code: "CX203",
        severities: ERROR,
        title: "compose file is not a mapping",
        explanation: "The top level of a compose file is a mapping with keys such as `services`, \
`networks`, `volumes` and `x-...`. A file whose document is a list or a scalar, or a file with no \
content at all, cannot be a compose file.",
        example: Example::Compose {
            bad: r#"- app:
    image: nginx
"#,
            fixed: r#"services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX250",
        severities: ERROR,
        title: "set-image: no such service",
        explanation: "`composex set-image SERVICE=IMAGE` names a service that none of the compose \
files defines. The help suggests the closest name.",
        example: Example::Compose {
            bad: r#"# composex set-image web=nginx:1.27
services:
  app:
    image: nginx:1.25
"#,
            fixed: r#"# composex set-image app=nginx:1.27
services:
  app:
    image: nginx:1.25
"#,
        },
    },
    CodeInfo {
        code: "CX251",
        severities: ERROR,
        title: "set-image: invalid image reference",
        explanation: "The new image of `composex set-image SERVICE=IMAGE` is not a valid reference: \
empty, with spaces, an invalid tag (letters, digits, `_`, `.`, `-`, at most 128 characters) or a \
digest that is not `algorithm:hex`. An image looks like `registry.example.com/team/app:1.2.3` or \
`app@sha256:<digest>`.",
        example: Example::Compose {
            bad: r#"# composex set-image app=nginx:1.27!
services:
  app:
    image: nginx:1.25
"#,
            fixed: r#"# composex set-image app=nginx:1.27
services:
  app:
    image: nginx:1.25
"#,
        },
    },
    CodeInfo {
        code: "CX252",
        severities: ERROR,
        title: "set-image: flow-style service without image",
        explanation: "`composex set-image` edits the file as text and keeps everything else \
byte-identical. A service written in flow style (`app: {command: ...}`) with no `image` key has no \
line where `image:` can be added. Add the `image` key by hand once; set-image then keeps it up to \
date.",
        example: Example::Compose {
            bad: r#"# composex set-image app=nginx:1.27
services:
  app: {command: ["nginx"]}
"#,
            fixed: r#"# composex set-image app=nginx:1.27
services:
  app: {image: nginx:1.25, command: ["nginx"]}
"#,
        },
    },
    CodeInfo {
        code: "CX290",
        severities: WARNING,
        title: "obsolete `version` key",
        explanation: "The compose specification has no `version`: it is ignored, as `docker compose` \
does. Remove the line.",
        example: Example::Compose {
            bad: r#"version: "3.8"
services:
  app:
    image: nginx
"#,
            fixed: r#"services:
  app:
    image: nginx
"#,
        },
    },
    CodeInfo {
        code: "CX291",
        severities: ERROR,
        title: "a later file gives another kind of value",
        explanation: "When several compose files are given (`-f base.yml -f override.yml`), later \
files override earlier ones: mappings merge, lists append, scalars replace. A later file that gives \
a different kind of value at the same place (a string where the base has a mapping) cannot be \
merged. Use the same kind, or tag the value `!override` to replace the earlier one.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    deploy:
      replicas: 2
# file: docker-compose.override.yml
services:
  app:
    deploy: 3
"#,
            fixed: r#"services:
  app:
    image: nginx
    deploy:
      replicas: 2
# file: docker-compose.override.yml
services:
  app:
    deploy:
      replicas: 3
"#,
        },
    },
    CodeInfo {
        code: "CX295",
        severities: ERROR,
        title: ".env: invalid variable name",
        explanation: "A line of a `.env` file is `KEY=VALUE` (or `KEY: VALUE`, optionally after \
`export `). The key cannot be empty, contain a space, or contain characters other than letters, \
digits, `_`, `.`, `-`, `[` and `]`.",
        example: Example::DotEnv {
            bad: r#"IMAGE TAG=1.27
"#,
            fixed: r#"IMAGE_TAG=1.27
"#,
        },
    },
    CodeInfo {
        code: "CX296",
        severities: ERROR,
        title: ".env: unterminated quoted value",
        explanation: "A value in a `.env` file that starts with a quote (`'` or `\"`) must end with \
the same quote; double-quoted values may span lines, so the whole rest of the file is searched.",
        example: Example::DotEnv {
            bad: r#"GREETING="hello world
"#,
            fixed: r#"GREETING="hello world"
"#,
        },
    },
];

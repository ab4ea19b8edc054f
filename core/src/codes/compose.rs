//! CX210-CX240: the compose file itself (keys, values, references between its parts).

use super::short::{ERROR, WARNING};
use super::{CodeInfo, Example};
use crate::diagnostic::Severity;

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX210",
        severities: ERROR,
        title: "unknown key in a compose object",
        explanation: "A key inside a service, a `deploy` section, a port, a volume, a network, ... \
that the compose specification does not define. It is most often a typo; the help suggests the \
closest known key. Keys starting with `x-` are extensions: they are not reported here (see \
CX306 for a service's `x-` keys).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    enviroment:
      MODE: production
"#,
            fixed: r#"services:
  app:
    image: nginx
    environment:
      MODE: production
"#,
        },
    },
    CodeInfo {
        code: "CX211",
        severities: WARNING,
        title: "unknown top-level key",
        explanation: "A top-level key that is neither a compose section (`services`, `networks`, \
`volumes`, `secrets`, `configs`, `name`, `include`) nor an `x-` extension. It is ignored; check its \
spelling.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
network:
  back: {}
"#,
            fixed: r#"services:
  app:
    image: nginx
networks:
  back: {}
"#,
        },
    },
    CodeInfo {
        code: "CX212",
        severities: ERROR,
        title: "wrong kind of value",
        explanation: "The value has the wrong YAML kind for its key: a mapping where a list \
belongs (`ports` written as a mapping), a list where a string belongs, and so on. The message names the kind \
expected and the kind found.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    ports:
      web: "80:80"
"#,
            fixed: r#"services:
  app:
    image: nginx
    ports:
      - "80:80"
"#,
        },
    },
    CodeInfo {
        code: "CX213",
        severities: ERROR,
        title: "invalid port",
        explanation: "A port in short syntax is `[HOST:]CONTAINER[/PROTOCOL]` (with an optional IP \
in front and ranges like `8000-8010`); in long syntax `target` is required and `published` is a \
port or a range. A port is a number from 1 to 65535 and the protocol is `tcp`, `udp` or \
`sctp`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    ports:
      - "80:http"
"#,
            fixed: r#"services:
  app:
    image: nginx
    ports:
      - "80:80"
"#,
        },
    },
    CodeInfo {
        code: "CX214",
        severities: ERROR,
        title: "invalid volume",
        explanation: "A volume in short syntax is `[SOURCE:]TARGET[:MODE]`: an empty section \
between colons, more than three sections or an empty string cannot be read. The long syntax \
(`type`, `source`, `target`, ...) avoids ambiguity.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    volumes:
      - "data::/var/lib/data"
volumes:
  data: {}
"#,
            fixed: r#"services:
  app:
    image: nginx
    volumes:
      - "data:/var/lib/data"
volumes:
  data: {}
"#,
        },
    },
    CodeInfo {
        code: "CX215",
        severities: ERROR,
        title: "invalid duration",
        explanation: "Durations (healthcheck `interval`, `timeout`, `start_period`, \
`stop_grace_period`, ...) are written like `1m30s`, `10s` or `500ms`: numbers each followed by a \
unit among `ns`, `us`, `ms`, `s`, `m`, `h`, `d`, `w`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    healthcheck:
      test: ["CMD", "true"]
      interval: 10 seconds
"#,
            fixed: r#"services:
  app:
    image: nginx
    healthcheck:
      test: ["CMD", "true"]
      interval: 10s
"#,
        },
    },
    CodeInfo {
        code: "CX216",
        severities: ERROR,
        title: "invalid byte size",
        explanation: "Sizes (`mem_limit`, `mem_reservation`, `shm_size`, `deploy.resources` \
memory, ...) are a number of bytes, or a number and a binary unit: `k`, `m`, `g`, `t`, `p`, \
optionally followed by `i` and `b` (`512m`, `1g`, `1.5gb`, `512 MiB`). Other units are not \
accepted, and a size cannot be negative.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    mem_limit: 512 megabytes
"#,
            fixed: r#"services:
  app:
    image: nginx
    mem_limit: 512m
"#,
        },
    },
    CodeInfo {
        code: "CX217",
        severities: ERROR,
        title: "not an integer",
        explanation: "The key takes a whole number (`deploy.replicas`, `healthcheck.retries`, \
`scale`, ...) and the value is not one.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    deploy:
      replicas: two
"#,
            fixed: r#"services:
  app:
    image: nginx
    deploy:
      replicas: 2
"#,
        },
    },
    CodeInfo {
        code: "CX218",
        severities: ERROR,
        title: "not a boolean",
        explanation: "The key takes `true` or `false` (`read_only`, `tty`, `init`, `external`, \
...) and the value is something else.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    read_only: sometimes
"#,
            fixed: r#"services:
  app:
    image: nginx
    read_only: true
"#,
        },
    },
    CodeInfo {
        code: "CX219",
        severities: WARNING,
        title: "YAML 1.1 boolean",
        explanation: "`yes`, `no`, `on`, `off` (any case) were booleans in YAML 1.1 but are plain \
strings in YAML 1.2. At a key that takes a boolean they are still read as one, as `docker compose` \
does, with this warning: write `true` or `false`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    read_only: yes
"#,
            fixed: r#"services:
  app:
    image: nginx
    read_only: true
"#,
        },
    },
    CodeInfo {
        code: "CX220",
        severities: ERROR,
        title: "not a number",
        explanation: "The key takes a number (`cpus`, `deploy.resources.limits.cpus`, ...) and the \
value is not one.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    cpus: half
"#,
            fixed: r#"services:
  app:
    image: nginx
    cpus: 0.5
"#,
        },
    },
    CodeInfo {
        code: "CX221",
        severities: ERROR,
        title: "invalid KEY=VALUE entry",
        explanation: "In the list form of `environment`, `labels` and similar keys \
each entry is `KEY=VALUE` (or a bare `KEY`). An entry with an empty name, or with spaces around the \
name, cannot be read.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    environment:
      - "=production"
"#,
            fixed: r#"services:
  app:
    image: nginx
    environment:
      - "MODE=production"
"#,
        },
    },
    CodeInfo {
        code: "CX222",
        severities: ERROR,
        title: "invalid healthcheck test",
        explanation: "A healthcheck `test` in list form starts with `CMD` (run the command), \
`CMD-SHELL` (run it through the shell) or `NONE` (disable the check). A string is run through the \
shell (`CMD-SHELL`).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    healthcheck:
      test: ["curl", "-f", "http://localhost"]
"#,
            fixed: r#"services:
  app:
    image: nginx
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
"#,
        },
    },
    CodeInfo {
        code: "CX223",
        severities: &[Severity::Error, Severity::Warning],
        title: "unknown enumerated value",
        explanation: "The key takes one of a fixed set of values and this is not one of them, for \
example a `depends_on` condition other than `service_started`, `service_healthy` and \
`service_completed_successfully`. The help suggests the closest value. Where the compose \
specification only says \"string\" but the value has a fixed meaning for ECS (`deploy.mode`, \
`restart_policy.condition`, ...), an unknown value is a warning instead.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    depends_on:
      db:
        condition: service_ready
  db:
    image: postgres
"#,
            fixed: r#"services:
  app:
    image: nginx
    depends_on:
      db:
        condition: service_started
  db:
    image: postgres
"#,
        },
    },
    CodeInfo {
        code: "CX224",
        severities: ERROR,
        title: "invalid file mode",
        explanation: "A secret's or config's `mode` is a file permission: an octal number such as \
`\"0440\"` written as a string (a plain YAML integer is taken as it is), at most `07777`. \
Digits 8 and 9 and other characters are not octal.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    configs:
      - source: site
        mode: "0999"
configs:
  site:
    file: ./site.conf
"#,
            fixed: r#"services:
  app:
    image: nginx
    configs:
      - source: site
        target: /etc/nginx/conf.d/site.conf
        mode: "0440"
configs:
  site:
    content: "server { listen 80; }"
"#,
        },
    },
    CodeInfo {
        code: "CX225",
        severities: ERROR,
        title: "command that cannot be split into words",
        explanation: "A `command` or `entrypoint` written as a string is split into words the way a \
shell would (quotes group words). A quote that is never closed cannot be split. Close the quote, or \
write the command as a list.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    command: echo "hello world
"#,
            fixed: r#"services:
  app:
    image: nginx
    command: echo "hello world"
"#,
        },
    },
    CodeInfo {
        code: "CX230",
        severities: ERROR,
        title: "depends_on names an undefined service",
        explanation: "Every service named in `depends_on` (list or mapping form) must be a service \
of the project. The help suggests the closest name.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    depends_on: [databse]
  database:
    image: postgres
"#,
            fixed: r#"services:
  app:
    image: nginx
    depends_on: [database]
  database:
    image: postgres
"#,
        },
    },
    CodeInfo {
        code: "CX231",
        severities: ERROR,
        title: "service uses an undefined network",
        explanation: "A network named in a service's `networks` must be declared under the \
top-level `networks` (only `default` exists without a declaration).",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    networks: [back]
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
        code: "CX232",
        severities: ERROR,
        title: "service uses an undefined volume",
        explanation: "A named volume mounted by a service (`name:/path`, or `type: volume` with a \
`source`) must be declared under the top-level `volumes`. A source starting with `.`, `/` or `~` is \
a bind mount and needs no declaration.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    volumes: ["data:/var/lib/data"]
"#,
            fixed: r#"services:
  app:
    image: nginx
    volumes: ["data:/var/lib/data"]
volumes:
  data: {}
"#,
        },
    },
    CodeInfo {
        code: "CX233",
        severities: ERROR,
        title: "service uses an undefined secret",
        explanation: "A secret named in a service's `secrets` must be declared under the top-level \
`secrets`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    secrets: [db_password]
"#,
            fixed: r#"services:
  app:
    image: nginx
    secrets: [db_password]
secrets:
  db_password:
    external: true
"#,
        },
    },
    CodeInfo {
        code: "CX234",
        severities: ERROR,
        title: "service uses an undefined config",
        explanation: "A config named in a service's `configs` must be declared under the top-level \
`configs`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    configs: [site]
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
        code: "CX235",
        severities: ERROR,
        title: "depends_on cycle",
        explanation: "Services that depend on each other, directly or through others, can never \
start: each waits for the other. The message shows the cycle; remove one of its `depends_on` \
entries.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    depends_on: [worker]
  worker:
    image: busybox
    depends_on: [app]
"#,
            fixed: r#"services:
  app:
    image: nginx
    depends_on: [worker]
  worker:
    image: busybox
"#,
        },
    },
    CodeInfo {
        code: "CX236",
        severities: ERROR,
        title: "service has neither image nor build",
        explanation: "Every service needs an `image` to run. ECS runs images from a registry, so add \
`image: <repository>:<tag>`.",
        example: Example::Compose {
            bad: r#"services:
  app:
    command: ["echo", "hello"]
"#,
            fixed: r#"services:
  app:
    image: busybox
    command: ["echo", "hello"]
"#,
        },
    },
    CodeInfo {
        code: "CX237",
        severities: ERROR,
        title: "retired: service has build but no image",
        explanation: "No longer given. It was an error for a service with `build` and no `image`. \
Such a service is now rendered: its image is a stack parameter `<Container>ImageUrl` without a \
default, with the warning CX331 at `build` saying how to fill it (`composex set-image`, \
`--param`, or the parameter files). The code keeps its meaning and is not reused.",
        example: Example::None("retired: no compose file gets it any more (see CX331)"),
    },
    CodeInfo {
        code: "CX238",
        severities: ERROR,
        title: "port published twice in one task family",
        explanation: "The services of one task family share one network interface (awsvpc), so a \
port and protocol can be published once per family: by one service, once. Publish another port, or \
put the services in different families.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    ports: ["80:80", "80:8080"]
"#,
            fixed: r#"services:
  app:
    image: nginx
    ports: ["80:80", "8080:8080"]
"#,
        },
    },
    CodeInfo {
        code: "CX239",
        severities: ERROR,
        title: "contradicting values",
        explanation: "Two keys say different things: `scale` and `deploy.replicas` with different \
values, `cpus`, `mem_limit` or `mem_reservation` and their `deploy.resources` counterpart with \
different values, `network_mode` together with `networks`, or a volume both `external` and with a `driver`. Keep one \
of them.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    scale: 2
    deploy:
      replicas: 3
"#,
            fixed: r#"services:
  app:
    image: nginx
    deploy:
      replicas: 3
"#,
        },
    },
    CodeInfo {
        code: "CX240",
        severities: &[Severity::Error, Severity::Warning],
        title: "secret with two sources, or none",
        explanation: "A top-level secret takes its value from one source: `file`, `environment`, \
`external: true`, or ComposeX's `x-secrets` (a Secrets Manager secret). Both `file` and \
`environment` is an error. A secret with no source at all is a warning: nothing can be rendered for \
it, so it is ignored.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    secrets: [token]
secrets:
  token:
    file: ./token.txt
    environment: TOKEN
"#,
            fixed: r#"services:
  app:
    image: nginx
    secrets: [token]
secrets:
  token:
    external: true
"#,
        },
    },
];

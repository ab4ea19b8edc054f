//! CX384-CX389: how services reach each other and the outside (image default ports, environment
//! values naming services, Service Connect, the project's load balancer).

use super::short::{ERROR, INFO, WARNING};
use super::{CodeInfo, Example};
use crate::diagnostic::Severity;

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX384",
        severities: INFO,
        title: "service gets its image's default port",
        explanation: "Under `docker compose up`, other services reach `db:5432` without any \
`expose`, because the image listens there. On ECS a port must be mapped to be reachable: it \
becomes a Service Connect endpoint named after the service, and the networks' security groups \
open it. So a service with neither `ports` nor `expose` whose image is a well-known one (postgres, \
mysql, mariadb, redis, valkey, mongo, memcached, rabbitmq, elasticsearch, opensearch, cassandra, \
nats, zookeeper, influxdb, couchdb, ...) gets that image's default port, with a note at the \
image. Write `expose: [\"PORT\"]` to say so (or the port you configured the image to use); the \
note then goes away.",
        example: Example::Compose {
            bad: r#"services:
  cache:
    image: redis:7
"#,
            fixed: r#"services:
  cache:
    image: redis:7
    expose: ["6379"]
"#,
        },
    },
    CodeInfo {
        code: "CX385",
        severities: WARNING,
        title: "environment value names a service it cannot reach",
        explanation: "An `environment` value names another service of the project: `cache:6379`, \
`http://api:8080/`, `postgres://db/app` (a URL without a port means its scheme's default: 80 \
for http, 5432 for postgres, ...), or a bare `db` in a variable whose name says it holds a host \
(`..._HOST`, `_SERVER`, `_ADDR`, `_URL`, `_URI`, `_DSN`, `_ENDPOINT`, `_BROKER`, `_NODES`). Network \
aliases count as names. Under `docker compose up` such a value works when the two services share \
a network and the port is open; here it is checked against what the templates open, and a \
warning at the value says when the service named listens on no port, listens on other ports \
than the one written, or shares no network with the service whose environment names it. Fix the \
port, add it to the other service's `expose`, or put both services on a common network.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    environment:
      CACHE_ADDR: cache:6380
  cache:
    image: redis:7
    expose: ["6379"]
"#,
            fixed: r#"services:
  app:
    image: nginx
    environment:
      CACHE_ADDR: cache:6379
  cache:
    image: redis:7
    expose: ["6379"]
"#,
        },
    },
    CodeInfo {
        code: "CX386",
        severities: ERROR,
        title: "malformed x-composex",
        explanation: "The top-level `x-composex` holds composex's own project settings. Its \
`load_balancer` is `true` (the default) or `false`: `x-composex: {load_balancer: false}` turns off \
the internet-facing load balancer composex makes for the published ports when there is no \
`x-elbv2`. Any other value is an error at the value. (An `x-composex` that is not a mapping is \
reported as CX302, an unknown key in it as CX303.)",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    ports: ["80:80"]
x-composex:
  load_balancer: [web]
"#,
            fixed: r#"services:
  app:
    image: nginx
    ports: ["80:80"]
x-composex:
  load_balancer: false
"#,
        },
    },
    CodeInfo {
        code: "CX387",
        severities: &[Severity::Warning, Severity::Info],
        title: "published port not on the project's load balancer",
        explanation: "Without `x-elbv2`, the `ports:` the services publish get one \
internet-facing load balancer for the project, with one listener per published port. A port \
that cannot have its listener is reported at the port: published by a second service (a warning: \
the load balancer listens on it once, for the first service; publish another port such as \
`8081:80`, or describe the routing with x-elbv2), published past the 50 listeners AWS allows on \
a load balancer (a warning), or published on a loopback address such as `127.0.0.1:8080:80` (a \
note: that asks for no outside access; other services still reach the port by name).",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
  admin:
    image: nginx
    ports: ["80:80"]
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
  admin:
    image: nginx
    ports: ["8080:8080"]
"#,
        },
    },
    CodeInfo {
        code: "CX388",
        severities: ERROR,
        title: "x-ecs_connect names a port the family lacks, or is set twice",
        explanation: "ComposeX's service extension `x-network.x-ecs_connect` gives a task \
family's Service Connect settings explicitly (they win over the defaults). Its \
`MacroParameters.service_ports` are keyed by port name: the compose port's `name`, else \
`tcp_<port>`; a name that is none of the family's TCP ports is an error (the help lists them). \
The settings are the family's, so only one service of a family may set `x-ecs_connect`: a second \
one is an error too.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    expose: ["80"]
    x-network:
      x-ecs_connect:
        MacroParameters:
          service_ports:
            tcp_8080:
              DnsName: web
"#,
            fixed: r#"services:
  app:
    image: nginx
    expose: ["80"]
    x-network:
      x-ecs_connect:
        MacroParameters:
          service_ports:
            tcp_80:
              DnsName: web
"#,
        },
    },
    CodeInfo {
        code: "CX389",
        severities: WARNING,
        title: "database port published to the internet",
        explanation: "A service whose image is a well-known database or broker (postgres, mysql, \
redis, mongo, ...; see CX384) publishes the image's port in `ports:`. Without `x-elbv2`, \
published ports go on the project's internet-facing load balancer, so the database would be open \
to the internet. Other services reach it by name without `ports:`: remove the port, or write \
`expose: [\"PORT\"]`.",
        example: Example::Compose {
            bad: r#"services:
  db:
    image: postgres:16
    ports: ["5432:5432"]
"#,
            fixed: r#"services:
  db:
    image: postgres:16
    expose: ["5432"]
"#,
        },
    },
];

//! CX340-CX350: x-elbv2 load balancers, their target services and health checks.

use super::short::{ERROR, WARNING};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX340",
        severities: ERROR,
        title: "x-elbv2 key, type or required entry is wrong",
        explanation: "An x-elbv2 load balancer has `Properties` (`Type`, `Scheme`, ...), `Settings` (`Subnets`), \
`MacroParameters` (`Ingress`, load balancer attributes), `Listeners`, `Services` and \
`DnsAliases`. This code is given for an unknown key (the help suggests the closest one), a value \
of the wrong kind, a missing `Services` or `Listeners`, a target or default action without its \
required keys, a `DnsAliases` entry without `Names` and `Route53Zone`, or a property composex \
sets itself (`Subnets`, `SecurityGroups`).",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        protocl: HTTP
        healthcheck: "80:HTTP:/"
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        protocol: HTTP
        healthcheck: "80:HTTP:/"
"#,
        },
    },
    CodeInfo {
        code: "CX341",
        severities: ERROR,
        title: "x-elbv2 value is not one of the accepted ones",
        explanation: "A value outside its set: a load balancer `Type` other than `application` and `network`, a \
`Scheme` other than `internet-facing` and `internal`, an unknown subnet group in \
`Settings.Subnets`, an unknown redirect, a malformed `S3Logs` or ingress source. The message \
names the value; the help lists the accepted ones.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Properties:
      Type: gateway
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Properties:
      Type: application
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
        },
    },
    CodeInfo {
        code: "CX342",
        severities: ERROR,
        title: "target name is not family:container[:port]",
        explanation: "The keys of an x-elbv2 `Services` mapping (and the `name` of listener targets) are \
`family:container` or `family:container:port`, with a numeric port. Anything else cannot name a \
target.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      "web:web:http":
        port: 80
        healthcheck: "80:HTTP:/"
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
        },
    },
    CodeInfo {
        code: "CX343",
        severities: ERROR,
        title: "target names a family or container that does not exist",
        explanation: "The family and container of a `family:container` target must be a task family of the project and \
one of its containers (the container is the service name). With one container in the family, \
`family` alone is enough; with several, the help asks which one.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
  worker:
    image: busybox
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:worker}]
    Services:
      web:worker:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
  worker:
    image: busybox
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
        },
    },
    CodeInfo {
        code: "CX344",
        severities: ERROR,
        title: "target port is not exposed by the container",
        explanation: "A target group sends traffic to the container on its `port`, so the container must list that \
port in `ports` (or `expose`). Publish the port on the service, or target a port it has.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 8080
        healthcheck: "8080:HTTP:/"
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
        },
    },
    CodeInfo {
        code: "CX345",
        severities: ERROR,
        title: "health check is malformed",
        explanation: "A target's `healthcheck` is a string `port:protocol[:path[:codes]]` (for example \
`80:HTTP:/health:200-399`) or a mapping of target group health check properties. The protocol is \
HTTP, HTTPS or TCP (application load balancers check over HTTP or HTTPS), the codes are 200-599. \
The diagnostic points inside the string.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTPP:/"
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
        },
    },
    CodeInfo {
        code: "CX346",
        severities: ERROR,
        title: "HTTPS or TLS listener without a certificate",
        explanation: "An HTTPS (application) or TLS (network) listener terminates TLS, so it needs a certificate: \
`Certificates: [{x-acm: <name>}]` for a certificate of the x-acm module, or `[{CertificateArn: \
arn:aws:acm:...}]` for an existing one.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      443:
        Protocol: HTTPS
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      443:
        Protocol: HTTPS
        Certificates: [{CertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0b4c2f1e"}]
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
        },
    },
    CodeInfo {
        code: "CX347",
        severities: WARNING,
        title: "x-elbv2 setting that is ignored",
        explanation: "Something written that has no effect, so it is left out with a warning: certificates on a plain \
HTTP or TCP listener, a setting of the other load balancer type, a port in a host condition \
(load balancers match the host name only), an `access` rule on a network load balancer (which \
does not route on host or path).",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      80:
        Protocol: HTTP
        Certificates: [{CertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0b4c2f1e"}]
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
        },
    },
    CodeInfo {
        code: "CX348",
        severities: ERROR,
        title: "listener target names no Services entry",
        explanation: "Each listener target `name` must be a key of the load balancer's `Services` (where its port, \
protocol and health check are). A name that matches none, or several, is refused.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:nginx}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
        },
    },
    CodeInfo {
        code: "CX349",
        severities: ERROR,
        title: "two listeners on one port, or two catch-all targets",
        explanation: "A load balancer has one listener per port, a listener has one target that takes every request \
(no `access`, or `access: /`), and a network listener forwards to one target group.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80", "81:81"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web:80}, {name: "web:web:81", access: /}]
    Services:
      "web:web:80":
        port: 80
        healthcheck: "80:HTTP:/"
      "web:web:81":
        port: 81
        healthcheck: "81:HTTP:/"
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80", "81:81"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web:80}, {name: "web:web:81", access: /admin}]
    Services:
      "web:web:80":
        port: 80
        healthcheck: "80:HTTP:/"
      "web:web:81":
        port: 81
        healthcheck: "81:HTTP:/"
"#,
        },
    },
    CodeInfo {
        code: "CX350",
        severities: ERROR,
        title: "legacy list form of x-elbv2 Services",
        explanation: "Before ComposeX 1.0, x-elbv2 `Services` was a list of `{name, port, protocol, healthcheck}`. It \
is now a mapping keyed by the `family:container[:port]` target; the help shows the entry in that \
form.",
        example: Example::None("not reachable through `composex render`: the compose validation reports the list form as CX305 \
before the x-elbv2 module reads it; the module keeps its own check for callers that skip that \
validation"),
    },
];

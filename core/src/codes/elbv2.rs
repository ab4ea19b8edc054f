//! CX340-CX360: x-elbv2 load balancers, x-acm certificates and x-route53 zones as load
//! balancers use them.

use super::short::{ERROR, WARNING};
use super::{CodeInfo, Example};
use crate::diagnostic::Severity;

const ERROR_OR_WARNING: &[Severity] = &[Severity::Error, Severity::Warning];

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
    CodeInfo {
        code: "CX351",
        severities: ERROR,
        title: "ComposeX x-elbv2 feature not supported yet",
        explanation: "A ComposeX x-elbv2 feature composex does not render yet (for example `TargetGroups`, or a target \
key such as `CreateRoute53Records`). It is refused at its key rather than dropped, so no load \
balancer is deployed without it.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    TargetGroups: {}
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
        code: "CX352",
        severities: ERROR,
        title: "listener names an undefined x-acm certificate",
        explanation: "`Certificates: [{x-acm: <name>}]` must name a certificate under the top-level `x-acm`. The help \
suggests the closest name.",
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
        Certificates: [{x-acm: web-cert}]
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
        Certificates: [{x-acm: web-cert}]
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
x-acm:
  web-cert:
    Properties:
      DomainName: www.example.com
      ValidationMethod: DNS
"#,
        },
    },
    CodeInfo {
        code: "CX353",
        severities: ERROR,
        title: "protocols that do not fit together",
        explanation: "Application load balancers listen on HTTP and HTTPS; network load balancers on TCP, UDP, TCP_UDP \
and TLS. A listener forwards to target groups of a matching protocol, and redirecting HTTP to \
HTTPS or authentication needs an application load balancer with an HTTPS listener.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Properties:
      Type: network
    Listeners:
      80:
        Protocol: HTTP
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:TCP"
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Properties:
      Type: network
    Listeners:
      80:
        Protocol: TCP
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:TCP"
"#,
        },
    },
    CodeInfo {
        code: "CX354",
        severities: ERROR_OR_WARNING,
        title: "load balancer or listener that does nothing",
        explanation: "A listener with neither `Targets` nor `DefaultActions` cannot answer (an error). An internal \
load balancer whose `MacroParameters.Ingress` allows no source can be reached by nobody (a \
warning): add `ExtSources` or `AwsSources`.",
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
        code: "CX355",
        severities: ERROR,
        title: "target access rule is malformed",
        explanation: "A listener target's `access` routes requests by host and path: `/path`, `host.example.com` or \
`host.example.com/path` (`*` wildcards allowed). Spaces and other forms are refused.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web, access: "www example com"}]
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
        Targets: [{name: web:web, access: www.example.com/}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
"#,
        },
    },
    CodeInfo {
        code: "CX356",
        severities: WARNING,
        title: "Services entry no listener uses",
        explanation: "A target group is created only for a `Services` entry that a listener forwards to. An entry no \
listener names creates nothing; remove it, or add it to a listener's `Targets`.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80", "81:81"]
x-elbv2:
  lb:
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      "web:web":
        port: 80
        healthcheck: "80:HTTP:/"
      "web:web:81":
        port: 81
        healthcheck: "81:HTTP:/"
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
        code: "CX357",
        severities: WARNING,
        title: "x-acm certificate is looked up",
        explanation: "composex never calls AWS, so a certificate given by `Lookup` (tags, a domain) cannot be found at \
render time: its ARN becomes a root parameter to fill at deploy time (`--param`, or the \
parameter files). Give the ARN with `Use: arn:aws:acm:...` to have it written for you.",
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
        Certificates: [{x-acm: existing}]
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
x-acm:
  existing:
    Lookup:
      Tags:
        - name: www
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
        Certificates: [{x-acm: existing}]
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
x-acm:
  existing:
    Use: arn:aws:acm:eu-west-1:123456789012:certificate/0b4c2f1e
"#,
        },
    },
    CodeInfo {
        code: "CX358",
        severities: WARNING,
        title: "x-route53 zone is looked up",
        explanation: "composex never calls AWS, so a hosted zone given by `Lookup` without its `HostedZoneId` cannot \
be found at render time: its id becomes a root parameter to fill at deploy time. Write `Lookup: \
{HostedZoneId: Z...}` to have it filled for you. The warning is given only when something uses \
the zone.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    DnsAliases:
      - Route53Zone: x-route53::public
        Names: [www.example.com]
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
x-route53:
  public:
    ZoneName: example.com
    Lookup: true
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    DnsAliases:
      - Route53Zone: x-route53::public
        Names: [www.example.com]
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
x-route53:
  public:
    ZoneName: example.com
    Lookup:
      HostedZoneId: Z0123456789ABCDEFGHIJ
"#,
        },
    },
    CodeInfo {
        code: "CX359",
        severities: ERROR,
        title: "x-route53 zone or reference is wrong",
        explanation: "An x-route53 zone needs `ZoneName` and (today) `Lookup`; a `HostedZoneId` looks like \
`Z0123456789ABCDEFGHIJ`. A reference `x-route53::<zone>` must name a defined zone, and every DNS \
name put in a zone (load balancer aliases, certificate validation records) must be inside that \
zone's domain.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    DnsAliases:
      - Route53Zone: x-route53::public
        Names: [www.example.org]
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
x-route53:
  public:
    ZoneName: example.com
    Lookup:
      HostedZoneId: Z0123456789ABCDEFGHIJ
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  lb:
    DnsAliases:
      - Route53Zone: x-route53::public
        Names: [www.example.com]
    Listeners:
      80:
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
x-route53:
  public:
    ZoneName: example.com
    Lookup:
      HostedZoneId: Z0123456789ABCDEFGHIJ
"#,
        },
    },
    CodeInfo {
        code: "CX360",
        severities: ERROR,
        title: "x-acm certificate definition is wrong",
        explanation: "An x-acm certificate is new (`Properties` with `DomainName`, or `MacroParameters` with \
`DomainNames` and `HostedZoneId` for DNS validation) or existing (`Use: <ARN>` or `Lookup`), \
never both. This code is given for a certificate of the wrong shape, with no domain name, both \
looked up and defined, or with a domain name outside its validation zone.",
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
        Certificates: [{x-acm: web-cert}]
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
x-acm:
  web-cert:
    Properties:
      ValidationMethod: DNS
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
        Certificates: [{x-acm: web-cert}]
        Targets: [{name: web:web}]
    Services:
      web:web:
        port: 80
        healthcheck: "80:HTTP:/"
x-acm:
  web-cert:
    Properties:
      DomainName: www.example.com
      ValidationMethod: DNS
"#,
        },
    },
];

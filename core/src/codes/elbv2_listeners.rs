//! CX351-CX360: x-elbv2 listeners and protocols, and the x-acm certificates and x-route53
//! zones they use.

use super::short::{ERROR, ERROR_OR_WARNING, WARNING};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX351",
        severities: ERROR,
        title: "ComposeX x-elbv2 feature not supported yet (no longer emitted)",
        explanation: "Earlier versions refused x-elbv2 features they did not render yet (`Lookup` of an \
existing load balancer, `CreateCognitoClient`, x-cognito_userpool references in \
`AuthenticateCognitoConfig`) at their key. All of them render now, so composex no longer \
emits this code; it stays listed so old logs still explain.",
        example: Example::None("no longer emitted: every x-elbv2 feature it refused renders now"),
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

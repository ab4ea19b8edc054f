//! CX640-CX649: x-elbv2 `Lookup` (an existing load balancer and its listeners).

use super::short::{ERROR, WARNING};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX640",
        severities: WARNING,
        title: "Existing load balancer value to fill at deploy time",
        explanation: "composex never calls AWS, so a load balancer or listener given by `Lookup` \
with `Tags` only cannot be found at render time: its ARN, its security group (which the services' \
security groups admit traffic from) and the ARNs of its looked-up listeners are root parameters. \
Write `loadbalancer.Arn`, `loadbalancer.SecurityGroupId` and each listener's `Arn` to have the \
parameter files filled (a listener's ARN gives the load balancer's too), or pass `--param`. The \
warning is given only for a parameter some stack uses.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  shared:
    Lookup:
      loadbalancer:
        Tags: {Name: shared-alb}
      Listeners:
        443:
          Tags: {Name: shared-alb-https}
          Targets: [{name: web:web, access: /web}]
    Services:
      web:web: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/"}
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  shared:
    Lookup:
      loadbalancer:
        SecurityGroupId: sg-0123456789abcdef0
      Listeners:
        443:
          Arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared-alb/50dc6c495c0c9188/f2f7dc8efc522ab2
          Targets: [{name: web:web, access: /web}]
    Services:
      web:web: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/"}
"#,
        },
    },
    CodeInfo {
        code: "CX641",
        severities: ERROR,
        title: "Lookup of a load balancer written wrong",
        explanation: "`Lookup` names an existing load balancer (`loadbalancer`: `Arn`, `Tags`, \
`SecurityGroupId`) and the existing listeners composex adds rules to (`Listeners.<port>`: `Arn`, \
`Tags`, `Targets`, `Certificates`, `Protocol`, `FirstRulePriority`). An existing load balancer \
keeps its settings, subnets, security group and DNS records, so `MacroParameters`, `Settings`, \
`DnsAliases` and `Properties` other than `Type` are refused with it, as are an ARN that is not \
an Elastic Load Balancing one, a listener's `DefaultActions` (its default action is not \
changed) and the listeners of an existing network load balancer (a network listener forwards \
to one target group, its default action).",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  shared:
    Lookup:
      loadbalancer:
        Arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shared-alb/50dc6c495c0c9188
        SecurityGroupId: sg-0123456789abcdef0
      Listeners:
        443:
          Arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared-alb/50dc6c495c0c9188/f2f7dc8efc522ab2
          DefaultActions: [{Redirect: HTTP_TO_HTTPS}]
          Targets: [{name: web:web, access: /web}]
    Services:
      web:web: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/"}
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  shared:
    Lookup:
      loadbalancer:
        Arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shared-alb/50dc6c495c0c9188
        SecurityGroupId: sg-0123456789abcdef0
      Listeners:
        443:
          Arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared-alb/50dc6c495c0c9188/f2f7dc8efc522ab2
          Targets: [{name: web:web, access: /web}]
    Services:
      web:web: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/"}
"#,
        },
    },
    CodeInfo {
        code: "CX642",
        severities: WARNING,
        title: "New listener on an existing load balancer",
        explanation: "`Listeners` next to `Lookup` adds listeners to the existing load balancer. \
Its security group is not composex's, so nothing opens the new listener ports in it: make sure \
it admits them, or the listener is unreachable.",
        example: Example::Compose {
            bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  shared:
    Lookup:
      loadbalancer:
        Arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shared-alb/50dc6c495c0c9188
        SecurityGroupId: sg-0123456789abcdef0
    Listeners:
      8080: {Protocol: HTTP, Targets: [{name: web:web}]}
    Services:
      web:web: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/"}
"#,
            fixed: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  shared:
    Lookup:
      loadbalancer:
        Arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shared-alb/50dc6c495c0c9188
        SecurityGroupId: sg-0123456789abcdef0
      Listeners:
        8080:
          Arn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared-alb/50dc6c495c0c9188/f2f7dc8efc522ab2
          Targets: [{name: web:web}]
    Services:
      web:web: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/"}
"#,
        },
    },
];

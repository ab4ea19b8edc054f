//! CX660-CX679: x-wafv2_webacl (and x-cognito_userpool).

use super::short::ERROR;
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX660",
        severities: ERROR,
        title: "Web ACL load balancer that WAF cannot protect",
        explanation: "`LoadBalancers` under an x-wafv2_webacl web ACL lists the names of the project's \
`x-elbv2` application load balancers; composex associates the web ACL with each. A name that is no \
`x-elbv2` key, a network load balancer (`Type: network`: WAF protects only application load \
balancers), a value that is not a list of names, or a web ACL of `Scope: CLOUDFRONT` (which only \
CloudFront distributions use) is an error at the name or value.",
        example: Example::Compose {
            bad: concat!(
                r#"services:
  app:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  front:
    Properties: {Type: application}
    Listeners:
      80: {Protocol: HTTP, Targets: [{name: app:app, access: /}]}
    Services:
      app:app: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/:200"}
"#,
                "x-wafv2_webacl:\n  acl:\n    LoadBalancers: [back]\n"
            ),
            fixed: concat!(
                r#"services:
  app:
    image: nginx
    ports: ["80:80"]
x-elbv2:
  front:
    Properties: {Type: application}
    Listeners:
      80: {Protocol: HTTP, Targets: [{name: app:app, access: /}]}
    Services:
      app:app: {port: 80, protocol: HTTP, healthcheck: "80:HTTP:/:200"}
"#,
                "x-wafv2_webacl:\n  acl:\n    LoadBalancers: [front]\n"
            ),
        },
    },
    CodeInfo {
        code: "CX661",
        severities: ERROR,
        title: "Services under a web ACL",
        explanation: "A WAFv2 web ACL filters the requests reaching a load balancer; no container \
reads or writes it, so an x-wafv2_webacl web ACL has no `Services`. Name the load balancer in \
front of the services under `LoadBalancers` instead.",
        example: Example::Compose {
            bad: "services:\n  app:\n    image: nginx\nx-wafv2_webacl:\n  acl:\n    Services:\n      app: {}\n",
            fixed: "services:\n  app:\n    image: nginx\nx-wafv2_webacl:\n  acl: {}\n",
        },
    },
];

//! CX540-CX559: the security posture (what a scanner such as checkov would report).

use super::short::INFO;
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[CodeInfo {
    code: "CX540",
    severities: INFO,
    title: "a security check fails because the compose file asks for it",
    explanation: "composex writes secure defaults (encryption at rest, TLS-only bucket policies, \
Container Insights, load balancers that drop invalid headers, ...) so that a security scanner \
such as checkov finds nothing composex chose. Some findings follow from what the file asks for: \
a published port becomes a plain HTTP listener on an internet-facing load balancer, an ingress \
source `0.0.0.0/0` lets anyone in, a wildcard certificate covers every host, a public access block \
with a setting off, a DocumentDB parameter group with `tls: disabled`. The template suppresses \
those checks in the resource's `Metadata.checkov.skip` with a reason naming the compose key, and \
this note says the same at that key.\n\nNothing is wrong: it is there so the choice is visible. \
To make it go away, choose otherwise (an HTTPS listener with a certificate under x-elbv2, a \
narrower CIDR, the setting on).",
    example: Example::Compose {
        bad: r#"services:
  web:
    image: nginx
    ports: ["80:80"]
"#,
        fixed: r#"services:
  web:
    image: nginx
    expose: ["80"]
"#,
    },
}];

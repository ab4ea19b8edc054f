//! Diagnostic codes of x-elbv2 and x-acm (CX340-CX360).

/// A key, type or required entry is wrong.
pub const SHAPE: &str = "CX340";
/// A value is not one of the accepted ones.
pub const VALUE: &str = "CX341";
/// A target name is not `family:container[:port]`.
pub const TARGET_NAME: &str = "CX342";
/// A target names a family or container that does not exist.
pub const UNKNOWN_TARGET: &str = "CX343";
/// A target port is not exposed by the container.
pub const PORT_NOT_EXPOSED: &str = "CX344";
/// A health check is malformed.
pub const HEALTHCHECK: &str = "CX345";
/// An HTTPS or TLS listener has no certificate.
pub const NO_CERTIFICATE: &str = "CX346";
/// Something written is ignored (certificates on a plain listener, shortcuts of the other type).
pub const IGNORED: &str = "CX347";
/// A listener target names no `Services` entry.
pub const UNKNOWN_SERVICE_ENTRY: &str = "CX348";
/// Two listeners on one port, two catch-all targets on one listener.
pub const DUPLICATE: &str = "CX349";
/// The legacy list form of `Services`.
pub const LEGACY_LIST: &str = "CX350";
/// A ComposeX feature composex did not support yet (no longer emitted: kept so the code stays taken).
pub const UNSUPPORTED: &str = "CX351";
/// A listener names an x-acm certificate that is not defined.
pub const UNKNOWN_CERTIFICATE: &str = "CX352";
/// Listener and target protocols do not fit together or with the load balancer type.
pub const PROTOCOL: &str = "CX353";
/// An internal load balancer nobody can reach (no ingress), or a listener with nothing to do.
pub const UNREACHABLE: &str = "CX354";
/// An `access` string is malformed.
pub const ACCESS: &str = "CX355";
/// A `Services` entry no listener uses (no target group is created for it).
pub const UNUSED: &str = "CX356";
/// An x-acm certificate is looked up: its ARN must be given as a parameter (warning).
pub const LOOKUP: &str = "CX357";
/// An x-route53 zone is looked up: its id must be given as a parameter (warning).
pub const ROUTE53_LOOKUP: &str = "CX358";
/// An x-route53 zone reference is wrong, or a DNS name is outside its zone (a wrong zone
/// definition is the x-route53 module's `CX383`).
pub const ROUTE53: &str = "CX359";
/// An x-acm certificate definition is wrong.
pub const ACM: &str = "CX360";

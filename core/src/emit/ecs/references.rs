//! Environment values that name another service (`db`, `db:5432`, `http://api:8080/`,
//! `redis://cache`): under `docker compose up` they work when the two services share a network
//! and the port is open. Here they are checked against what the templates open: a port the
//! service does not listen on, or no network in common, is a warning at the value.

use indexmap::IndexMap;
use std::collections::BTreeSet;

use super::family::Plan;
use crate::compose::model::Service;
use crate::diagnostic::{Diagnostic, Span};

/// An environment value names a service it cannot reach as written.
pub const UNREACHABLE_REFERENCE: &str = "CX385";

/// Key words of variables holding a bare host name (`DB_HOST=db`); other bare words that
/// happen to equal a service name (`MODE=web`) are not taken for references.
const HOST_KEYS: &[&str] = &[
    "HOST", "SERVER", "ADDR", "URL", "URI", "DSN", "ENDPOINT", "BROKER", "NODES",
];

/// Default ports of URL schemes.
const SCHEME_PORTS: &[(&str, u16)] = &[
    ("http", 80),
    ("ws", 80),
    ("https", 443),
    ("wss", 443),
    ("postgres", 5432),
    ("postgresql", 5432),
    ("mysql", 3306),
    ("mariadb", 3306),
    ("redis", 6379),
    ("rediss", 6379),
    ("mongodb", 27017),
    ("amqp", 5672),
    ("memcached", 11211),
    ("nats", 4222),
];

/// A host named in a value, with the port written or implied by the URL scheme.
#[derive(Debug, PartialEq)]
struct Reference {
    host: String,
    port: Option<u16>,
    /// The port comes from the scheme (`redis://cache`), not written.
    implied: bool,
}

/// A host name: letters, digits, `.`, `-`, `_`.
fn is_host(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// `host`, `host:port`, optionally followed by a path; None for anything else.
fn host_port(text: &str) -> Option<(String, Option<u16>)> {
    let authority = text.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port.parse::<u16>().ok()?)),
        None => (authority, None),
    };
    is_host(host).then(|| (host.to_ascii_lowercase(), port))
}

/// The hosts `value` names: URLs (several hosts after the scheme, comma separated, as MongoDB
/// writes them), `host:port` lists, and a bare host when `key` says it holds one.
fn references(key: &str, value: &str) -> Vec<Reference> {
    let mut found = Vec::new();
    let mut scheme: Option<&str> = None;
    let bare_allowed = {
        let key = key.to_ascii_uppercase();
        HOST_KEYS.iter().any(|k| key.contains(k))
    };
    for piece in value.split(',').map(str::trim) {
        let rest = match piece.split_once("://") {
            Some((s, rest)) => {
                scheme = Some(s);
                rest
            }
            None => piece,
        };
        let Some((host, port)) = host_port(rest) else {
            continue;
        };
        let in_url = scheme.is_some();
        if port.is_none() && !in_url && !bare_allowed {
            continue;
        }
        let implied = scheme.and_then(|s| {
            let s = s.to_ascii_lowercase();
            SCHEME_PORTS
                .iter()
                .find(|(name, _)| s == *name || s.starts_with(&format!("{name}+")))
                .map(|(_, p)| *p)
        });
        found.push(Reference {
            host,
            port: port.or(implied),
            implied: port.is_none() && implied.is_some(),
        });
    }
    found
}

/// What a provider offers: its TCP ports and networks.
struct Provider<'a> {
    service: &'a Service,
    ports: Vec<u16>,
}

fn networks(service: &Service) -> Vec<String> {
    if service.networks.is_empty() {
        vec!["default".to_string()]
    } else {
        service.networks.keys().cloned().collect()
    }
}

/// Checks every environment value of every service against the services it names.
pub fn check(plans: &[Plan<'_>], diags: &mut Vec<Diagnostic>) {
    let mut providers: IndexMap<String, Provider> = IndexMap::new();
    for c in plans.iter().flat_map(|p| &p.containers) {
        let ports: Vec<u16> = c
            .ports
            .iter()
            .filter(|p| p.protocol == "tcp")
            .map(|p| p.port)
            .collect();
        let aliases = c.service.networks.values().flat_map(|n| n.aliases.iter());
        for name in std::iter::once(&c.service.name).chain(aliases) {
            providers
                .entry(name.to_ascii_lowercase())
                .or_insert(Provider {
                    service: c.service,
                    ports: ports.clone(),
                });
        }
    }
    // A set: a list searched per container was quadratic in the number of services.
    let mut checked: BTreeSet<&str> = BTreeSet::new();
    for c in plans.iter().flat_map(|p| &p.containers) {
        let consumer = c.service;
        if !checked.insert(&consumer.name) {
            continue;
        }
        for (key, value) in &consumer.environment {
            let Some(value) = value else { continue };
            let span = consumer
                .environment_spans
                .get(key)
                .copied()
                .unwrap_or(consumer.span);
            for reference in references(key, value) {
                let Some(provider) = providers.get(&reference.host) else {
                    continue;
                };
                if provider.service.name == consumer.name {
                    continue;
                }
                check_one(consumer, key, &reference, provider, span, diags);
            }
        }
    }
}

fn check_one(
    consumer: &Service,
    key: &str,
    reference: &Reference,
    provider: &Provider<'_>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) {
    let what = format!("services.{}.environment.{key}", consumer.name);
    let target = &provider.service.name;
    let host = &reference.host;
    if provider.ports.is_empty() {
        let port = reference.port.map_or("PORT".to_string(), |p| p.to_string());
        diags.push(
            Diagnostic::warning(
                UNREACHABLE_REFERENCE,
                format!(
                    "{what}: `{host}` listens on no port, so {} cannot reach it",
                    consumer.name
                ),
                span,
            )
            .with_help(format!(
                "add `expose: [\"{port}\"]` to services.{target} (the port it listens on)"
            )),
        );
    } else if let Some(port) = reference.port.filter(|p| !provider.ports.contains(p)) {
        let listening: Vec<String> = provider.ports.iter().map(u16::to_string).collect();
        let written = if reference.implied {
            format!("the URL's default port {port}")
        } else {
            format!("port {port}")
        };
        diags.push(
            Diagnostic::warning(
                UNREACHABLE_REFERENCE,
                format!(
                    "{what}: `{host}` listens on {}, not on {written}",
                    listening.join(", ")
                ),
                span,
            )
            .with_help(format!(
                "write `{host}:{}`, or add `expose: [\"{port}\"]` to services.{target} if it listens there",
                provider.ports[0]
            )),
        );
    }
    let mine = networks(consumer);
    let theirs = networks(provider.service);
    if !mine.iter().any(|n| theirs.contains(n)) {
        diags.push(
            Diagnostic::warning(
                UNREACHABLE_REFERENCE,
                format!(
                    "{what}: {} and {target} share no network ({} is on {}, {target} on {})",
                    consumer.name,
                    consumer.name,
                    mine.join(", "),
                    theirs.join(", ")
                ),
                span,
            )
            .with_help(format!(
                "add `{}` to services.{}.networks",
                theirs[0], consumer.name
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(key: &str, value: &str) -> Vec<(String, Option<u16>, bool)> {
        references(key, value)
            .into_iter()
            .map(|r| (r.host, r.port, r.implied))
            .collect()
    }

    #[test]
    fn urls_host_ports_and_host_keys_are_read() {
        assert_eq!(hosts("DB_HOST", "db"), vec![("db".into(), None, false)]);
        assert_eq!(hosts("MODE", "db"), vec![]);
        assert_eq!(
            hosts("X", "db:5432"),
            vec![("db".into(), Some(5432), false)]
        );
        assert_eq!(
            hosts("API", "http://api:8080/v1"),
            vec![("api".into(), Some(8080), false)]
        );
        assert_eq!(
            hosts("CACHE", "redis://cache"),
            vec![("cache".into(), Some(6379), true)]
        );
        assert_eq!(
            hosts("DATABASE_URL", "postgresql+psycopg://u:p@DB/app"),
            vec![("db".into(), Some(5432), true)]
        );
        assert_eq!(
            hosts("MONGO", "mongodb://a:27017,b:27018/x"),
            vec![
                ("a".into(), Some(27017), false),
                ("b".into(), Some(27018), false)
            ]
        );
        assert_eq!(hosts("GREETING", "hello world"), vec![]);
        assert_eq!(hosts("TIME", "12:30"), vec![("12".into(), Some(30), false)]);
    }
}

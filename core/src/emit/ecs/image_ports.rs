//! The port a well-known image listens on when the compose file says none: under
//! `docker compose up` other services reach `db:5432` without `expose`, because the image
//! listens there; on ECS the port must be mapped (and opened) explicitly.

use super::container::ContainerPort;
use crate::compose::model::Service;
use crate::diagnostic::Diagnostic;

/// A service gets its image's default port (no `ports` / `expose` written).
pub const IMAGE_DEFAULT_PORT: &str = "CX384";

/// Images by repository name (last path part, no tag) and the TCP port they listen on.
const WELL_KNOWN: &[(&[&str], u16)] = &[
    (&["postgres", "postgresql", "postgis", "timescaledb"], 5432),
    (&["mysql", "mariadb", "percona", "percona-server"], 3306),
    (&["redis", "valkey", "keydb", "redis-stack-server"], 6379),
    (&["mongo", "mongodb", "mongodb-community-server"], 27017),
    (&["memcached"], 11211),
    (&["rabbitmq"], 5672),
    (&["elasticsearch", "opensearch"], 9200),
    (&["cassandra"], 9042),
    (&["nats"], 4222),
    (&["zookeeper"], 2181),
    (&["influxdb"], 8086),
    (&["couchdb"], 5984),
];

/// The repository name of image reference `image`: `docker.io/library/postgres:16-alpine`,
/// `postgres@sha256:...` and `ghcr.io/acme/postgres` all give `postgres`.
pub fn repository_name(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last)
}

/// The default port of `image` when it is a well-known one.
pub fn default_port(image: &str) -> Option<u16> {
    let name = repository_name(image).to_ascii_lowercase();
    WELL_KNOWN
        .iter()
        .find(|(names, _)| names.contains(&name.as_str()))
        .map(|(_, port)| *port)
}

/// The image's default port for a service that declares none, with an info at the image.
pub fn ports(service: &Service, diags: &mut Vec<Diagnostic>) -> Vec<ContainerPort> {
    let Some(image) = &service.image else {
        return Vec::new();
    };
    let Some(port) = default_port(&image.value) else {
        return Vec::new();
    };
    diags.push(
        Diagnostic::info(
            IMAGE_DEFAULT_PORT,
            format!(
                "services.{}: image `{}` listens on {port}; other services reach it as {}:{port}",
                service.name,
                repository_name(&image.value),
                service.name
            ),
            image.span,
        )
        .with_help(format!(
            "write `expose: [\"{port}\"]` to say so, or the port you configured the image to use"
        )),
    );
    vec![ContainerPort {
        port,
        protocol: "tcp".into(),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_path_tag_and_digest_are_ignored() {
        assert_eq!(default_port("postgres"), Some(5432));
        assert_eq!(default_port("postgres:16-alpine"), Some(5432));
        assert_eq!(default_port("docker.io/library/redis:7"), Some(6379));
        assert_eq!(default_port("localhost:5000/mysql:8"), Some(3306));
        assert_eq!(default_port("bitnami/postgresql@sha256:abc"), Some(5432));
        assert_eq!(default_port("MariaDB:11"), Some(3306));
    }

    #[test]
    fn other_images_have_no_default() {
        assert_eq!(default_port("nginx"), None);
        assert_eq!(default_port("acme/postgres-exporter:1"), None);
        assert_eq!(default_port("ghcr.io/acme/web"), None);
    }
}

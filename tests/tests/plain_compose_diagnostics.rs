//! Snapshot tests of the diagnostics plain compose files get about names and ports: an
//! environment value naming a service it cannot reach (CX385, at the value) and a well-known
//! image's default port (CX384, at the image). Each snapshot was read by hand.

use composex::report;
use composex_core::{Input, SourceFile};

fn validate(text: &str) -> String {
    let input = Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        ..Input::default()
    };
    let out = composex_core::validate(&input);
    report::text(&out.diagnostics, &input.files, false)
}

#[test]
fn env_url_names_a_port_the_service_does_not_listen_on() {
    insta::assert_snapshot!(validate(
        "services:\n  web:\n    image: nginx\n    environment:\n      DATABASE_URL: postgres://db:5433/app\n  db:\n    image: postgres:16\n"
    ));
}

#[test]
fn env_host_on_another_network() {
    insta::assert_snapshot!(validate(
        "services:\n  web:\n    image: nginx\n    networks: [front]\n    environment:\n      - CACHE_HOST=cache\n  cache:\n    image: redis\n    networks: [back]\nnetworks:\n  front: {}\n  back: {}\n"
    ));
}

#[test]
fn env_url_names_a_service_without_ports() {
    insta::assert_snapshot!(validate(
        "services:\n  web:\n    image: nginx\n    environment:\n      API: http://worker:8080/jobs\n  worker:\n    image: acme/worker:1\n"
    ));
}

#[test]
fn reachable_references_give_no_warning() {
    let text = "services:\n  web:\n    image: nginx\n    environment:\n      DATABASE_URL: postgres://db/app\n      REDIS: cache:6379\n      MODE: worker\n  db:\n    image: postgres\n  cache:\n    image: redis\n    expose: [\"6379\"]\n  worker:\n    image: acme/worker\n";
    let report = validate(text);
    assert!(!report.contains("CX385"), "{report}");
    // postgres gets its default port (info); redis says it with `expose`.
    assert_eq!(report.matches("CX384").count(), 1, "{report}");
}

#[test]
fn a_published_database_port_warns() {
    insta::assert_snapshot!(validate(
        "services:\n  web:\n    image: nginx\n    ports: [\"80:80\"]\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"\n"
    ));
}

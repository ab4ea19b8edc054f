//! Plain compose files (no ComposeX keys) on ECS: the diagnostics that say what changes on the
//! way (secrets in plain text, databases on EFS). Each snapshot was read by hand: the caret must
//! sit on the value or key the message is about.

use composex::report;
use composex_core::{Diagnostic, Input, SourceFile};

fn input(text: &str) -> Input {
    Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        ..Input::default()
    }
}

/// The diagnostics with `code`, as the CLI prints them.
fn report_of(text: &str, code: &str) -> String {
    let input = input(text);
    let out = composex_core::validate(&input);
    let found: Vec<Diagnostic> = out
        .diagnostics
        .into_iter()
        .filter(|d| d.code == code)
        .collect();
    assert!(!found.is_empty(), "expected {code} for {text}");
    report::text(&found, &input.files, false)
}

fn codes(text: &str, env: &[(&str, &str)]) -> Vec<String> {
    let mut input = input(text);
    input.env = env
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    composex_core::validate(&input)
        .diagnostics
        .iter()
        .map(|d| d.code.to_string())
        .collect()
}

#[test]
fn literal_secret_in_map_form_environment() {
    insta::assert_snapshot!(report_of(
        "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: s3cret\n",
        "CX241"
    ));
}

#[test]
fn literal_secret_in_list_form_environment_points_after_the_equals_sign() {
    insta::assert_snapshot!(report_of(
        "services:\n  api:\n    image: example/api:1\n    environment:\n      - DEBUG=false\n      - \"JWT_SECRET=change-me\"\n      - STRIPE_API_KEY=sk_test_123\n",
        "CX241"
    ));
}

#[test]
fn empty_file_and_other_names_are_not_reported() {
    let text = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:-}\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n      REDIS_PASSWORD: \"\"\n      TOKENIZER: bert\n  api:\n    image: example/api:1\n    environment:\n      - API_TOKEN\n      - SESSION_SECRET=${SESSION_SECRET}\n";
    let found = codes(text, &[]);
    assert!(!found.iter().any(|c| c == "CX241"), "{found:?}");
}

#[test]
fn a_secret_interpolated_from_the_environment_still_lands_in_the_template() {
    let text = "services:\n  api:\n    image: example/api:1\n    environment:\n      - API_TOKEN\n      - SESSION_SECRET=${SESSION_SECRET}\n";
    let found = codes(text, &[("API_TOKEN", "t0k"), ("SESSION_SECRET", "abc")]);
    assert_eq!(
        found.iter().filter(|c| *c == "CX241").count(),
        2,
        "{found:?}"
    );
}

#[test]
fn a_database_on_efs_gets_an_info_at_its_mount() {
    insta::assert_snapshot!(report_of(
        "services:\n  db:\n    image: postgres:16-alpine\n    volumes:\n      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata:\n",
        "CX245"
    ));
}

#[test]
fn a_driver_option_efs_refuses_points_at_its_value() {
    insta::assert_snapshot!(report_of(
        "services:\n  app:\n    image: example/app:1\n    volumes: [data:/data]\nvolumes:\n  data:\n    driver_opts:\n      performance_mode: fast\n",
        "CX242"
    ));
}

#[test]
fn local_driver_options_are_warned_at_their_key() {
    insta::assert_snapshot!(report_of(
        "services:\n  app:\n    image: example/app:1\n    volumes: [data:/data]\nvolumes:\n  data:\n    driver: local\n    driver_opts:\n      type: none\n      o: bind\n      device: ./data\n",
        "CX243"
    ));
}

//! Snapshot tests of rendered diagnostics for bad inputs. Each snapshot was read by hand to
//! check that the caret points at the right line and column and that the text helps.

use composex_core::{report, Input, SourceFile};

fn render(files: &[(&str, &str)], env: &[(&str, &str)]) -> String {
    let input = Input {
        files: files
            .iter()
            .map(|(n, t)| SourceFile {
                name: (*n).into(),
                text: (*t).into(),
            })
            .collect(),
        env: env
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect(),
        ..Input::default()
    };
    let out = composex_core::validate(&input);
    assert!(
        !out.diagnostics.is_empty(),
        "expected diagnostics for {files:?}"
    );
    report::text(&out.diagnostics, &input.files)
}

fn one(text: &str) -> String {
    render(&[("docker-compose.yml", text)], &[])
}

macro_rules! case {
    ($name:ident, $text:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(one($text));
        }
    };
}

case!(tab_in_indentation, "services:\n  app01:\n\timage: nginx\n");
case!(
    bad_indentation,
    "services:\n  app01:\n    image: nginx\n   ports: [80]\n"
);
case!(
    duplicate_key,
    "services:\n  app01:\n    image: nginx\n    image: nginx:1.25\n"
);
case!(
    unclosed_flow_sequence,
    "services:\n  app01:\n    image: nginx\n    ports: [80, 443\n"
);
case!(
    merge_of_a_scalar,
    "x-tag: &tag v1\nservices:\n  app01:\n    <<: *tag\n    image: nginx\n"
);
case!(wrong_type_deep_inside_a_service, "services:\n  app01:\n    image: nginx\n    deploy:\n      resources:\n        limits:\n          memory: [512M]\n");
case!(
    unknown_key_with_suggestion,
    "services:\n  app01:\n    imgae: nginx\n"
);
case!(undefined_secret, "services:\n  app01:\n    image: nginx\n    secrets: [db_password]\nsecrets:\n  db_pasword:\n    file: ./pw.txt\n");
case!(depends_on_cycle, "services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [c]\n  c:\n    image: x\n    depends_on: [a]\n");
case!(
    invalid_interpolation,
    "services:\n  app01:\n    image: \"nginx:${TAG!}\"\n"
);
case!(
    missing_required_variable,
    "services:\n  app01:\n    image: \"registry/app01:${TAG:?set TAG to the image tag}\"\n"
);
case!(
    aws_pseudo_parameter_in_compose,
    "services:\n  app01:\n    image: nginx\n    environment:\n      REGION: ${AWS::Region}\n"
);
case!(legacy_services_list, "services:\n  app01:\n    image: nginx\nx-sqs:\n  queue01:\n    Properties: {}\n    Services:\n      - name: app01\n        access: RWMessages\n");
case!(services_entry_names_no_service, "services:\n  app01:\n    image: nginx\nx-sqs:\n  queue01:\n    Properties: {}\n    Services:\n      app1:\n        Access: RWMessages\n");
case!(
    unknown_x_resource_key,
    "services:\n  app01:\n    image: nginx\nx-sqs:\n  queue01:\n    Propertie: {}\n"
);
case!(
    unknown_x_module_warns,
    "services:\n  app01:\n    image: nginx\nx-sqss:\n  queue01: {}\n"
);
case!(
    unknown_top_level_key_warns,
    "services:\n  app01:\n    image: nginx\nservice:\n  app02:\n    image: nginx\n"
);
case!(
    bad_port,
    "services:\n  app01:\n    image: nginx\n    ports:\n      - \"80:80/tcpp\"\n"
);
case!(bad_duration, "services:\n  app01:\n    image: nginx\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 10\n");
case!(bad_byte_size, "services:\n  app01:\n    image: nginx\n    deploy:\n      resources:\n        limits:\n          memory: 12 parsecs\n");
case!(
    undefined_network,
    "services:\n  app01:\n    image: nginx\n    networks: [front]\n"
);
case!(healthcheck_test_prefix, "services:\n  app01:\n    image: nginx\n    healthcheck:\n      test: [\"curl\", \"-f\", \"localhost\"]\n");
case!(
    build_without_image_warns_at_the_build_key,
    "services:\n  app01:\n    build: .\n"
);
case!(empty_file, "");
case!(top_level_is_a_list, "- services\n- app01\n");
// Containers of one task family share the task's network namespace (awsvpc): one port each.
case!(clashing_ports_in_a_task_family, "services:\n  a:\n    image: x\n    ports: [\"80:80\"]\n    deploy: {labels: {ecs.task.family: web}}\n  b:\n    image: y\n    ports: [\"80\"]\n    deploy: {labels: {ecs.task.family: web}}\n");

#[test]
fn alias_bomb() {
    let mut text = String::from("x-a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "x-a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    text.push_str("services:\n  app01:\n    image: nginx\n");
    insta::assert_snapshot!(one(&text));
}

#[test]
fn deep_nesting() {
    let text = format!(
        "services:\n  app01:\n    image: nginx\n    labels: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    insta::assert_snapshot!(one(&text));
}

#[test]
fn error_inside_an_override_file_shows_the_override_file() {
    let base = "services:\n  app01:\n    image: nginx\n";
    let prod = "services:\n  app01:\n    deploy:\n      replicas: many\n";
    insta::assert_snapshot!(render(
        &[("docker-compose.yml", base), ("prod.yml", prod)],
        &[]
    ));
}

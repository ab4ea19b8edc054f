//! Snapshot tests of the diagnostics `composex validate` prints for bad inputs. Each snapshot was
//! read by hand to check that the caret points at the right line and column and that the text
//! helps.

use std::process::Command;

/// Writes the files into a temporary folder and returns what `composex validate --color never`
/// prints on stderr for them (named as given, so the snapshots show plain file names).
fn render(files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_composex"));
    cmd.current_dir(dir.path())
        .args(["validate", "--color", "never"]);
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
        cmd.args(["-f", name]);
    }
    let out = cmd.output().expect("run composex");
    let text = String::from_utf8(out.stderr).unwrap();
    // exit 1 on errors, 0 when there are only warnings; never a usage or IO failure
    let errors = !text.starts_with("0 errors") && !text.contains("\n0 errors");
    assert_eq!(
        out.status.code(),
        Some(if errors { 1 } else { 0 }),
        "{text}"
    );
    assert!(!text.is_empty(), "expected diagnostics for {files:?}");
    text
}

fn one(text: &str) -> String {
    render(&[("docker-compose.yml", text)])
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

// Docker's ECS integration: the key composex refuses (naming its equivalent), and the values of
// the keys it renders that it cannot use, each at its line.
case!(docker_ecs_x_aws_keys_names_x_secrets, "services:\n  app:\n    image: nginx\n    secrets: [db]\nsecrets:\n  db:\n    name: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf\n    external: true\n    x-aws-keys: [\"*\"]\n");
case!(
    docker_ecs_loadbalancer_by_name,
    "x-aws-loadbalancer: shop-lb\nservices:\n  app:\n    image: nginx\n    ports: [\"80:80\"]\n"
);
case!(docker_ecs_vpc_with_x_vpc, "x-vpc:\n  Properties:\n    VpcCidr: 10.0.0.0/24\nx-aws-vpc: vpc-0123456789abcdef0\nservices:\n  app:\n    image: nginx\n");
case!(docker_ecs_overlay_unknown_resource, "services:\n  app:\n    image: nginx\nx-aws-cloudformation:\n  Resources:\n    AppServce:\n      Properties:\n        HealthCheckGracePeriodSeconds: 60\n");

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
    insta::assert_snapshot!(render(&[("docker-compose.yml", base), ("prod.yml", prod)]));
}

/// Runs `composex validate -f c.yml` on `text` with extra arguments and environment; returns stderr.
fn validate_with(text: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yml"), text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_composex"))
        .current_dir(dir.path())
        .args(["validate", "-f", "c.yml"])
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .envs(env.iter().copied())
        .output()
        .expect("run composex");
    String::from_utf8(out.stderr).unwrap()
}

const DUPLICATE: &str = "services:\n  app01:\n    image: a\n    image: b\n";
const ESC: char = '\u{1b}';

#[test]
fn color_follows_the_flag_and_the_environment() {
    let plain = validate_with(DUPLICATE, &["--color", "never"], &[]);
    assert!(plain.starts_with("error[CX104]: "), "{plain}");
    assert!(!plain.contains(ESC), "{plain}");
    let always = validate_with(DUPLICATE, &["--color", "always"], &[]);
    // bold bright red `error[CX104]`, then the message in bold
    assert!(
        always.starts_with("\u{1b}[1m\u{1b}[91merror[CX104]\u{1b}[0m\u{1b}[1m: "),
        "{always:?}"
    );
    // removing the escapes gives back the plain text
    assert_eq!(strip_ansi(&always), plain);
    // auto: stderr is a pipe here, so no colour unless CLICOLOR_FORCE asks for it
    assert!(!validate_with(DUPLICATE, &[], &[]).contains(ESC));
    assert!(validate_with(DUPLICATE, &[], &[("CLICOLOR_FORCE", "1")]).contains(ESC));
    assert!(!validate_with(DUPLICATE, &[], &[("CLICOLOR_FORCE", "0")]).contains(ESC));
    assert!(!validate_with(DUPLICATE, &[], &[("NO_COLOR", "1")]).contains(ESC));
    // an explicit flag beats the environment
    let never = validate_with(DUPLICATE, &["--color", "never"], &[("CLICOLOR_FORCE", "1")]);
    assert!(!never.contains(ESC));
    let always = validate_with(DUPLICATE, &["--color", "always"], &[("NO_COLOR", "1")]);
    assert!(always.contains(ESC));
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == ESC {
            // CSI: ESC [ parameters final-byte
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn carets_sit_under_wide_characters_by_display_width() {
    // 日本語 and 😀 take two terminal columns each: the caret must move 8 columns for them, not 4.
    let text = "services:\n  \"日本語😀\": {image: x, ports: [\"80/tcpp\"]}\n";
    let out = validate_with(text, &["--color", "never"], &[]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[1], " --> c.yml:2:30", "{out}");
    assert_eq!(
        lines[3], "2 |   \"日本語😀\": {image: x, ports: [\"80/tcpp\"]}",
        "{out}"
    );
    assert_eq!(
        lines[4],
        format!("  | {}^^^^^^^^^", " ".repeat(33)),
        "{out}"
    );
}

#[test]
fn a_span_over_several_lines_is_drawn_from_its_first_to_its_last_line() {
    let text = "services:\n  app01:\n    image: nginx\n    deploy:\n      resources:\n        limits:\n          memory:\n            - 512M\n            - 1G\n";
    let out = validate_with(text, &["--color", "never"], &[]);
    assert_eq!(
        out,
        "error[CX212]: services.app01.deploy.resources.limits.memory must be a string, number \
         or boolean, found a sequence\n --> c.yml:8:13\n  |\n8 | /             - 512M\n\
         9 | |             - 1G\n  | |________________^\n\n1 error\n"
    );
}

//! What ECS cannot do, said once, at the key or value itself: one snapshot per rule of the
//! compose-key support table that needs more than a key (depends_on across task families,
//! restart policies, host networking, ...). Each snapshot was read to check the caret.

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
    assert!(
        !out.diagnostics.is_empty(),
        "expected diagnostics for {text}"
    );
    report::text(&out.diagnostics, &input.files, false)
}

macro_rules! case {
    ($name:ident, $text:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(validate($text));
        }
    };
}

case!(
    depends_on_a_service_of_another_family,
    "services:\n  web:\n    image: nginx\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres\n"
);
case!(
    restart_no,
    "services:\n  job:\n    image: busybox\n    restart: \"no\"\n"
);
case!(
    restart_on_failure,
    "services:\n  job:\n    image: busybox\n    restart: on-failure:3\n"
);
case!(
    restart_policy_condition_none,
    "services:\n  job:\n    image: busybox\n    deploy:\n      restart_policy:\n        condition: none\n"
);
case!(
    replicated_job,
    "services:\n  job:\n    image: busybox\n    deploy:\n      mode: replicated-job\n"
);
case!(
    global_mode_is_refused,
    "services:\n  agent:\n    image: datadog/agent\n    deploy:\n      mode: global\n"
);
case!(
    placement_is_refused,
    "services:\n  web:\n    image: nginx\n    deploy:\n      placement:\n        constraints: [node.role == manager]\n"
);
case!(
    container_name,
    "services:\n  web:\n    image: nginx\n    container_name: my-web\n"
);
case!(
    host_networking,
    "services:\n  web:\n    image: nginx\n    network_mode: host\n"
);
case!(
    another_containers_network_is_refused,
    "services:\n  web:\n    image: nginx\n  sidecar:\n    image: envoyproxy/envoy\n    network_mode: service:web\n"
);
case!(
    hostname,
    "services:\n  web:\n    image: nginx\n    hostname: web1\n"
);
case!(
    privileged_and_devices,
    "services:\n  web:\n    image: nginx\n    privileged: true\n    devices:\n      - /dev/fuse\n"
);
case!(
    capability_fargate_cannot_add,
    "services:\n  web:\n    image: nginx\n    cap_add:\n      - cap_sys_ptrace\n      - NET_ADMIN\n"
);
case!(
    unknown_capability,
    "services:\n  web:\n    image: nginx\n    cap_drop: [NET_RAWW]\n"
);
case!(
    ulimit_other_than_nofile,
    "services:\n  web:\n    image: nginx\n    ulimits:\n      nofile: 65535\n      nproc: 512\n"
);
case!(
    environment_without_value,
    "services:\n  web:\n    image: nginx\n    environment:\n      - NOT_SET_WHEN_RENDERING\n      - MODE=prod\n"
);
case!(
    logging_driver_and_options,
    "services:\n  web:\n    image: nginx\n    logging:\n      driver: json-file\n      options:\n        max-size: 10m\n"
);
case!(
    windows_on_arm_is_refused,
    "services:\n  web:\n    image: mcr.microsoft.com/windows/servercore/iis\n    platform: windows/arm64\n"
);
case!(
    stop_first_updates_and_x_aws_percentages,
    "services:\n  web:\n    image: nginx\n    deploy:\n      update_config:\n        order: stop-first\n    x-aws-min_percent: 50\n"
);
case!(
    secret_file_in_a_system_directory,
    "services:\n  web:\n    image: nginx\n    secrets:\n      - source: token\n        target: /etc/api-token\n        mode: 0400\nsecrets:\n  token:\n    x-secrets:\n      Name: shop/token\n"
);
case!(
    config_file_not_given,
    "services:\n  web:\n    image: nginx\n    configs:\n      - source: nginx\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx:\n    file: ./nginx.conf\n"
);
case!(
    config_in_the_root_directory,
    "services:\n  web:\n    image: nginx\n    configs: [site]\nconfigs:\n  site:\n    content: \"server { listen 80; }\"\n"
);
case!(
    memory_reservation_above_the_limit,
    "services:\n  web:\n    image: nginx\n    mem_limit: 256m\n    mem_reservation: 512m\n"
);
case!(
    internal_network,
    "services:\n  web:\n    image: nginx\n    networks: [back]\nnetworks:\n  back:\n    internal: true\n"
);

/// `cpu_rt_runtime` takes microseconds or a duration, as the compose specification says: both
/// load without an error (only the Fargate warning).
#[test]
fn cpu_rt_runtime_takes_a_duration() {
    for value in ["400ms", "400000"] {
        let text = format!("services:\n  web:\n    image: nginx\n    cpu_rt_runtime: {value}\n");
        let out = composex_core::validate(&Input {
            files: vec![SourceFile {
                name: "docker-compose.yml".into(),
                text,
            }],
            ..Input::default()
        });
        let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["CX281"], "{value}: {:#?}", out.diagnostics);
    }
}

/// `merge` prints capabilities the way ECS takes them, and `cpu_rt_runtime` in microseconds.
#[test]
fn merge_prints_normalised_capabilities_and_micros() {
    let out = composex_core::merge(&Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: "services:\n  web:\n    image: nginx\n    cap_drop: [cap_net_raw, Chown]\n    cpu_rt_runtime: 1.5ms\n".into(),
        }],
        ..Input::default()
    });
    let text = &out.files[0].text;
    assert!(text.contains("- NET_RAW\n"), "{text}");
    assert!(text.contains("- CHOWN\n"), "{text}");
    assert!(text.contains("cpu_rt_runtime: 1500\n"), "{text}");
}

/// Switching off what ECS does not have anyway says nothing.
#[test]
fn switches_turned_off_say_nothing() {
    let text = "services:\n  web:\n    image: nginx\n    privileged: false\n    oom_kill_disable: false\n    use_api_socket: false\nnetworks:\n  back:\n    internal: false\n";
    let out = composex_core::validate(&Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        ..Input::default()
    });
    assert!(out.diagnostics.is_empty(), "{:#?}", out.diagnostics);
}

/// `network_mode: service:x` inside one task family is what the task does anyway.
#[test]
fn network_of_a_service_in_the_same_family_says_nothing() {
    let text = "services:\n  web:\n    image: nginx\n  sidecar:\n    image: envoyproxy/envoy\n    network_mode: service:web\n    deploy:\n      labels:\n        ecs.task.family: web\n";
    let out = composex_core::validate(&Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        ..Input::default()
    });
    assert!(out.diagnostics.is_empty(), "{:#?}", out.diagnostics);
}

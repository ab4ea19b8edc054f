//! Configs and secrets as files in containers (the init container `composex-files`, SSM
//! parameters for configs, Secrets Manager for secrets), and `label_file`.

mod ecs_common;

use composex_core::Severity;
use ecs_common::*;
use serde_json::{json, Value};

const SECRET_VALUE: &str = "s3cr3t-never-in-a-template";

/// A project with the extra files `extra` (keyed by project-relative path) and environment.
fn project(text: &str, extra: &[(&str, &str)], env: &[(&str, &str)]) -> Input {
    let mut input = input(text, Format::Json, Layout::Nested);
    for (key, body) in extra {
        input.extra_files.insert(
            key.to_string(),
            SourceFile {
                name: key.to_string(),
                text: body.to_string(),
            },
        );
    }
    input.env = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    input
}

const SHOP: &str = r#"services:
  web:
    image: nginx
    configs:
      - source: site
        target: /etc/nginx/conf.d/site.conf
        uid: "101"
        gid: "101"
        mode: 0440
      - source: motd
        target: /etc/nginx/conf.d/extra/motd.txt
      - source: flags
        target: /srv/config/flags.json
    secrets:
      - source: db_password
        target: db
      - source: api_key
        target: /srv/config/api-key
        mode: 0400
      - api_key
  worker:
    image: busybox
    deploy:
      labels:
        ecs.task.family: web
    configs:
      - source: site
        target: /app/site.conf
      - source: shared
        target: /app/shared.conf
configs:
  site:
    file: ./site.conf
  motd:
    content: ""
  flags:
    environment: FLAGS
  shared:
    external: true
secrets:
  db_password:
    file: ./db_password.txt
  api_key:
    x-secrets:
      Name: shop/api-key
"#;

fn shop() -> Input {
    project(
        SHOP,
        &[
            ("site.conf", "server { listen 80; }\n"),
            ("db_password.txt", SECRET_VALUE),
        ],
        &[("FLAGS", "{\"beta\": true}")],
    )
}

#[test]
fn task_definition_with_configs_and_file_secrets() {
    let (files, diags) = render(&shop());
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    let all = templates(&files);
    let web = template(&all, "web");
    let task = &resource(&web, "TaskDefinition")["Properties"];
    insta::assert_json_snapshot!("shop_task_definition", task);
    insta::assert_json_snapshot!("shop_ssm_parameters", {
        let resources = web["Resources"].as_object().unwrap();
        resources
            .iter()
            .filter(|(_, r)| r["Type"] == "AWS::SSM::Parameter")
            .map(|(id, r)| (id.clone(), r.clone()))
            .collect::<serde_json::Map<String, Value>>()
    });
    insta::assert_json_snapshot!(
        "shop_execution_role_statements",
        resource(&web, "ExecutionRole")["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    );
}

#[test]
fn a_secret_value_never_reaches_an_output_file() {
    let (files, _) = render(&shop());
    assert!(!files.is_empty());
    for f in &files {
        assert!(
            !f.text.contains(SECRET_VALUE),
            "{} holds the secret",
            f.path
        );
    }
    // And the loader never asks for the secret's file.
    let wanted = composex_core::compose::wanted_files(&shop());
    assert!(wanted.contains(&"site.conf".to_string()), "{wanted:?}");
    assert!(
        !wanted.iter().any(|w| w.contains("db_password")),
        "{wanted:?}"
    );
}

#[test]
fn parameters_name_existing_secrets_and_ssm_parameters_with_a_warning_until_given() {
    let (files, diags) = render(&shop());
    let warnings: Vec<(&str, &str)> = diags
        .iter()
        .filter(|d| d.code == "CX277")
        .map(|d| {
            let span = d.span.unwrap();
            (
                d.message.as_str(),
                &SHOP[span.start as usize..span.end as usize],
            )
        })
        .collect();
    assert_eq!(
        warnings.iter().map(|(_, at)| *at).collect::<Vec<_>>(),
        vec!["shared", "db_password"],
        "{warnings:#?}"
    );
    assert!(diags
        .iter()
        .filter(|d| d.code == "CX277")
        .all(|d| d.severity == Severity::Warning));
    let root = template(&templates(&files), "myapps");
    assert_eq!(
        root["Parameters"]["DbPasswordSecretArn"]["AllowedPattern"],
        json!("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$")
    );
    assert!(root["Parameters"]["SharedConfigArn"].is_object());

    // Given with --param, the warnings go.
    let mut given = shop();
    for (k, v) in [
        (
            "DbPasswordSecretArn",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
        ),
        (
            "SharedConfigArn",
            "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/shared",
        ),
    ] {
        given.options.params.insert(k.into(), v.into());
    }
    let (files, diags) = render(&given);
    assert!(!diags.iter().any(|d| d.code == "CX277"), "{diags:#?}");
    let params = files
        .iter()
        .find(|f| f.path == "myapps.params.json")
        .unwrap();
    assert!(params.text.contains("secret:db-AbCdEf"));
}

#[test]
fn the_init_script_writes_each_file_with_its_mode_and_owner() {
    let (files, _) = render(&shop());
    let web = template(&templates(&files), "web");
    let containers = resource(&web, "TaskDefinition")["Properties"]["ContainerDefinitions"]
        .as_array()
        .unwrap()
        .clone();
    let init = containers
        .iter()
        .find(|c| c["Name"] == "composex-files")
        .unwrap();
    assert_eq!(init["Essential"], json!(false));
    let script = init["Command"][0].as_str().unwrap();
    // The nested directory is written into its parent's volume; the empty config is an empty
    // file with no parameter to read.
    let expected = [
        "printf '%s' \"$COMPOSEX_FILE_1\" > '/composex-files/web-files1/flags.json'",
        "chmod 400 '/composex-files/web-files1/api-key'",
        "printf '%s' \"$COMPOSEX_FILE_3\" > '/composex-files/web-files2/db'",
        "chmod 444 '/composex-files/web-files2/db'",
        "printf '%s' \"$COMPOSEX_FILE_4\" > '/composex-files/web-files3/site.conf'",
        "chmod 440 '/composex-files/web-files3/site.conf'",
        "chown 101:101 '/composex-files/web-files3/site.conf'",
        "mkdir -p '/composex-files/web-files3/extra'",
        ": > '/composex-files/web-files3/extra/motd.txt'",
        "printf '%s' \"$COMPOSEX_FILE_5\" > '/composex-files/worker-files1/site.conf'",
    ];
    for line in expected {
        assert!(script.lines().any(|l| l == line), "{line}\n{script}");
    }
    // Six files read from SSM or Secrets Manager, one empty: six variables.
    assert_eq!(init["Secrets"].as_array().unwrap().len(), 6);
    assert!(!script.contains("mkdir -p '/composex-files/web-files1'\n"));
    // Every app container that gets files waits for the init container to finish.
    for name in ["web", "worker"] {
        let c = containers.iter().find(|c| c["Name"] == name).unwrap();
        let depends = c["DependsOn"].as_array().unwrap();
        assert!(depends
            .contains(&json!({ "ContainerName": "composex-files", "Condition": "COMPLETE" })));
        assert!(c["MountPoints"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["ReadOnly"] == json!(true)));
    }
    // The x-secrets secret is still an environment variable (short form) and also a file.
    let web_container = containers.iter().find(|c| c["Name"] == "web").unwrap();
    assert_eq!(web_container["Secrets"][0]["Name"], json!("api_key"));
}

#[test]
fn a_config_too_large_for_ssm_is_an_error_at_its_source() {
    let text = "services:\n  web:\n    image: nginx\n    configs:\n      - source: big\n        target: /etc/app/big.txt\nconfigs:\n  big:\n    file: ./big.txt\n";
    let big = "x".repeat(8193);
    let (files, diags) = render(&project(text, &[("big.txt", &big)], &[]));
    assert!(files.is_empty());
    let d = diags.iter().find(|d| d.code == "CX276").expect("CX276");
    let span = d.span.unwrap();
    assert_eq!(&text[span.start as usize..span.end as usize], "./big.txt");

    // 5 KB fits an Advanced parameter.
    let medium = "x".repeat(5000);
    let (files, diags) = render(&project(text, &[("big.txt", &medium)], &[]));
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    let web = template(&templates(&files), "web");
    assert_eq!(
        resource(&web, "ConfigBig")["Properties"]["Tier"],
        json!("Advanced")
    );
}

#[test]
fn config_sources_that_cannot_be_read_are_located_errors() {
    let cases = [
        // (compose, text at the error, code)
        (
            "configs:\n  c:\n    environment: UNSET_VAR\n",
            "UNSET_VAR",
            "CX275",
        ),
        ("configs:\n  c:\n    labels: {a: b}\n", "c", "CX275"),
        (
            "configs:\n  c:\n    file: ./missing.conf\n",
            "./missing.conf",
            "CX260",
        ),
    ];
    for (top, at, code) in cases {
        let text = format!(
            "services:\n  web:\n    image: nginx\n    configs:\n      - source: c\n        target: /etc/app/c.conf\n{top}"
        );
        let (files, diags) = render(&project(&text, &[], &[]));
        assert!(files.is_empty(), "{top}");
        let d = diags
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("{top}: {diags:#?}"));
        let span = d.span.unwrap();
        assert_eq!(&text[span.start as usize..span.end as usize], at);
    }
    // uid / gid are numbers (the init container runs chown).
    let text = "services:\n  web:\n    image: nginx\n    configs:\n      - source: c\n        target: /etc/app/c.conf\n        uid: nginx\nconfigs:\n  c:\n    content: x\n";
    let (_, diags) = render(&project(text, &[], &[]));
    assert!(
        diags
            .iter()
            .any(|d| d.code == "CX274" && d.message.contains("uid `nginx`")),
        "{diags:#?}"
    );
}

#[test]
fn one_file_secret_in_two_families_is_one_root_parameter() {
    let text = "services:\n  a:\n    image: nginx\n    secrets: [token]\n  b:\n    image: nginx\n    secrets: [token]\nsecrets:\n  token:\n    environment: TOKEN\n";
    let (files, diags) = render(&project(text, &[], &[("TOKEN", SECRET_VALUE)]));
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    let all = templates(&files);
    let root = template(&all, "myapps");
    let params: Vec<&String> = root["Parameters"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.contains("Token"))
        .collect();
    assert_eq!(params, vec!["TokenSecretArn"]);
    // The help says how to create the secret from the variable, without its value.
    let d = diags.iter().find(|d| d.code == "CX277").expect("CX277");
    let help = d.help.as_deref().unwrap();
    assert!(help.contains("--secret-string \"$TOKEN\""), "{help}");
    assert!(!help.contains(SECRET_VALUE));
    for f in &files {
        assert!(!f.text.contains(SECRET_VALUE), "{}", f.path);
    }
}

#[test]
fn label_files_become_docker_labels_and_labels_win() {
    let text = "services:\n  web:\n    image: nginx\n    label_file: [./base.labels, ./more.labels]\n    labels:\n      team: shop\n";
    let input = project(
        text,
        &[
            ("base.labels", "team=platform\ntier=frontend\n"),
            ("more.labels", "tier=edge\n# comment\nowner=\"ops team\"\n"),
        ],
        &[],
    );
    let (files, diags) = render(&input);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    let web = template(&templates(&files), "web");
    let labels =
        &resource(&web, "TaskDefinition")["Properties"]["ContainerDefinitions"][0]["DockerLabels"];
    assert_eq!(
        labels,
        &json!({ "team": "shop", "owner": "ops team", "tier": "edge" })
    );
    // `composex merge` prints the labels resolved and no label_file, as `docker compose config`.
    let merged = composex_core::merge(&input);
    let text = merged
        .files
        .first()
        .map(|f| f.text.clone())
        .unwrap_or_default();
    assert!(!text.contains("label_file"), "{text}");
    assert!(text.contains("owner: ops team"), "{text}");
}

#[test]
fn a_missing_label_file_is_an_error_at_its_entry() {
    let text = "services:\n  web:\n    image: nginx\n    label_file: ./nope.labels\n";
    let (files, diags) = render(&project(text, &[], &[]));
    assert!(files.is_empty());
    let d = diags.iter().find(|d| d.code == "CX260").expect("CX260");
    let span = d.span.unwrap();
    assert_eq!(
        &text[span.start as usize..span.end as usize],
        "./nope.labels"
    );
}

#[test]
fn files_need_a_linux_task() {
    let text = "services:\n  web:\n    image: nginx\n    platform: windows/amd64\n    configs:\n      - source: c\n        target: /etc/app/c.conf\nconfigs:\n  c:\n    content: x\n";
    let (files, diags) = render(&project(text, &[], &[]));
    assert!(files.is_empty());
    assert!(
        diags
            .iter()
            .any(|d| d.code == "CX274" && d.is_error() && d.message.contains("Windows")),
        "{diags:#?}"
    );
}

//! Validation rules, one test per rule: structure, meaning, ComposeX x-modules. Each expected
//! line:column was checked against the YAML text in the test.

use composex_core::compose::validate::check;
use composex_core::yaml::{parse, Limits};
use composex_core::{Diagnostic, Severity};

/// The compose-specification checks only: what ECS makes of each key (the support table,
/// CX280-CX285) has its own tests (tests/tests/compose_keys.rs, tests/tests/ecs_cannot.rs).
fn run(text: &str) -> Vec<Diagnostic> {
    let (docs, diags) = parse(0, text, &Limits::default());
    assert!(diags.is_empty(), "{diags:#?}");
    let support = ["CX280", "CX281", "CX282", "CX283", "CX284", "CX285"];
    let mut found = check(docs.first().expect("one document")).diagnostics;
    found.retain(|d| !support.contains(&d.code));
    found
}

/// `CODE line:col message` for each diagnostic, in the order found.
fn lines(text: &str) -> Vec<String> {
    run(text)
        .iter()
        .map(|d| {
            let span = d.span.expect("every diagnostic is located");
            let before = &text[..span.start as usize];
            let line = before.matches('\n').count() + 1;
            let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!("{} {line}:{col} {}", d.code, d.message)
        })
        .collect()
}

fn only(text: &str, code: &str) -> Diagnostic {
    let found: Vec<Diagnostic> = run(text).into_iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "{code}: {found:#?}");
    found.into_iter().next().unwrap()
}

#[test]
fn a_valid_file_is_clean() {
    let text = r#"name: demo
services:
  app01:
    image: nginx
    ports: ["80:80"]
    depends_on: [app02]
    networks: [front]
    volumes: ["data:/data", "./conf:/etc/conf:ro"]
    secrets: [token]
    deploy:
      labels: {ecs.task.family: web}
  app02:
    image: date-teller
    ports: ["5000"]
    x-network: {x-cloudmap: private}
networks: {front: {}}
volumes: {data: {}}
secrets: {token: {file: ./token}}
x-sqs:
  queue:
    Properties: {}
    Services:
      web: {Access: RWMessages}
      app02: {Access: RWMessages}
"#;
    assert_eq!(lines(text), Vec::<String>::new());
}

#[test]
fn unknown_service_key_is_an_error_with_a_suggestion() {
    let text =
        "services:\n  app:\n    imgae: nginx\n    image: nginx\n    deploy:\n      replica: 2\n";
    assert_eq!(
        lines(text),
        vec![
            "CX210 3:5 services.app: unknown key `imgae`",
            "CX210 6:7 services.app.deploy: unknown key `replica`"
        ]
    );
    let d = &run(text)[0];
    assert_eq!(d.help.as_deref(), Some("did you mean `image`?"));
    assert_eq!(
        run(text)[1].help.as_deref(),
        Some("did you mean `replicas`?")
    );
}

#[test]
fn unknown_top_level_key_warns() {
    let text = "service:\n  app: {image: x}\nx-anchor: &a {}\nservices:\n  app: {image: x}\n";
    let d = only(text, "CX211");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.help.as_deref(), Some("did you mean `services`?"));
    assert_eq!(
        lines(text)[0],
        "CX211 1:1 unknown top-level key `service`: compose ignores it only if it starts with `x-`"
    );
}

#[test]
fn wrong_kinds_are_errors_at_the_value() {
    let text = "services:\n  app:\n    image: x\n    ports: \"80:80\"\n    environment: 12\n    deploy:\n      resources:\n        limits: [1]\n";
    assert_eq!(
        lines(text),
        vec![
            "CX212 4:12 services.app.ports must be a sequence, found a string",
            "CX212 5:18 services.app.environment must be a sequence or mapping, found a number",
            "CX212 8:17 services.app.deploy.resources.limits must be a mapping, found a sequence",
        ]
    );
    assert_eq!(
        lines("- a\n- b\n"),
        vec!["CX212 1:1 top-level object must be a mapping, found a sequence"]
    );
}

#[test]
fn a_service_may_be_named_like_an_extension() {
    let text = "services:\n  x-worker:\n    image: x\n    depends_on: [x-other]\n  x-other:\n    image: y\n";
    assert_eq!(lines(text), Vec::<String>::new());
}

#[test]
fn depends_on_an_undefined_service() {
    let text = "services:\n  app:\n    image: x\n    depends_on: [databse, gone]\n  database:\n    image: pg\n  opt:\n    image: y\n    depends_on:\n      missing: {condition: service_started, required: false}\n";
    assert_eq!(
        lines(text),
        vec![
            "CX230 4:18 service \"app\" depends on undefined service \"databse\"",
            "CX230 4:27 service \"app\" depends on undefined service \"gone\"",
        ]
    );
    assert_eq!(
        run(text)[0].help.as_deref(),
        Some("did you mean `database`?")
    );
}

#[test]
fn depends_on_a_task_family_is_accepted() {
    let text = "services:\n  a:\n    image: x\n    deploy: {labels: {ecs.task.family: fam}}\n  b:\n    image: y\n    depends_on: [fam]\n";
    assert_eq!(lines(text), Vec::<String>::new());
}

#[test]
fn undefined_network_volume_secret_config() {
    let text = r#"services:
  app:
    image: x
    networks: [front, default]
    volumes: ["cache:/c", "./here:/h", "/anon"]
    secrets: [tokn]
    configs: [conf]
secrets:
  token: {file: ./t}
"#;
    assert_eq!(
        lines(text),
        vec![
            "CX231 4:16 service \"app\" refers to undefined network \"front\"",
            "CX232 5:15 service \"app\" refers to undefined volume \"cache\"",
            "CX233 6:15 service \"app\" refers to undefined secret \"tokn\"",
            "CX234 7:15 service \"app\" refers to undefined config \"conf\"",
        ]
    );
    let secret = only(text, "CX233");
    assert_eq!(secret.help.as_deref(), Some("did you mean `token`?"));
    let network = only(text, "CX231");
    assert_eq!(
        network.help.as_deref(),
        Some("declare it under the top-level `networks:` key")
    );
}

#[test]
fn dependency_cycles_are_reported_once_each() {
    let text = "services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [c]\n  c:\n    image: x\n    depends_on: [a]\n  d:\n    image: x\n    depends_on: [d]\n";
    assert_eq!(
        lines(text),
        vec![
            "CX235 10:18 dependency cycle detected: a -> b -> c -> a",
            "CX235 13:18 dependency cycle detected: d -> d",
        ]
    );
}

#[test]
fn a_long_dependency_chain_does_not_overflow() {
    let mut text = String::from("services:\n");
    for i in 0..5000 {
        text.push_str(&format!(
            "  s{i}:\n    image: x\n    depends_on: [s{}]\n",
            i + 1
        ));
    }
    text.push_str("  s5000:\n    image: x\n    depends_on: [s0]\n");
    let d = only(&text, "CX235");
    assert!(
        d.message
            .starts_with("dependency cycle detected: s0 -> s1 -> "),
        "{}",
        d.message
    );
    assert!(d.message.ends_with("s5000 -> s0"));
}

#[test]
fn services_need_an_image_or_a_build() {
    // A build-only service is valid compose: the render asks for its image as a parameter.
    let text = "services:\n  built:\n    build: ./app\n  nothing:\n    command: [\"true\"]\n";
    assert_eq!(
        lines(text),
        vec!["CX236 4:3 service \"nothing\" has neither an image nor a build context specified",]
    );
}

#[test]
fn ports_clash_within_a_task_family_only() {
    let text = r#"services:
  front:
    image: x
    ports: ["80:80", "80:8080"]
    deploy: {labels: {ecs.task.family: web}}
  sidecar:
    image: y
    ports: ["80"]
    deploy: {labels: {ecs.task.family: web}}
  other:
    image: z
    ports: ["80:80"]
"#;
    assert_eq!(
        lines(text),
        vec![
            "CX238 4:22 service \"front\" publishes port 80/tcp twice",
            "CX238 8:13 port 80/tcp is used by both \"front\" and \"sidecar\" in task family \"web\"",
        ]
    );
    // udp and tcp on the same number do not clash
    let mixed = "services:\n  a:\n    image: x\n    ports: [\"53:53/udp\", \"53:53\"]\n";
    assert_eq!(lines(mixed), Vec::<String>::new());
}

#[test]
fn contradicting_attributes() {
    let text = r#"services:
  app:
    image: x
    cpus: 1
    mem_limit: 512m
    deploy:
      resources:
        limits: {cpus: "0.5", memory: 512M}
    network_mode: host
    networks: [front]
networks: {front: {}}
volumes:
  v: {external: true, driver: local}
"#;
    assert_eq!(
        lines(text),
        vec![
            "CX239 4:11 services.app: can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus'",
            "CX239 10:16 service app declares mutually exclusive `network_mode` and `networks`",
            "CX239 13:3 volumes.v: conflicting parameters \"external\" and \"driver\" specified",
        ]
    );
}

#[test]
fn secret_sources() {
    let text = "services: {}\nsecrets:\n  both: {file: ./a, environment: A}\n  none: {}\n  aws:\n    x-secrets: {Name: /app/token}\n  ext: {external: true}\n";
    let diags = run(text);
    assert_eq!(
        lines(text),
        vec![
            "CX240 3:3 secrets.both: file|environment attributes are mutually exclusive",
            "CX240 4:3 secret \"none\" declares no source: it is ignored",
        ]
    );
    assert_eq!(
        (diags[0].severity, diags[1].severity),
        (Severity::Error, Severity::Warning)
    );
}

#[test]
fn unknown_x_modules_warn_with_a_suggestion() {
    let text = "services: {}\nx-sqss:\n  q: {}\nx-common: &common {}\nx-tags: {owner: me}\n";
    let diags = run(text);
    assert_eq!(
        lines(text),
        vec![
            "CX301 2:1 `x-sqss` is not a ComposeX module: it is ignored",
            "CX301 4:1 `x-common` is not a ComposeX module: it is ignored",
        ]
    );
    assert!(diags.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(diags[0].help.as_deref(), Some("did you mean `x-sqs`?"));
}

#[test]
fn x_resource_common_keys_are_checked() {
    let text = r#"services:
  app: {image: x}
x-sqs:
  DeletionPolicy: Retain
  q1:
    Propertiess: {}
    Settings: [a]
  q2: just-a-string
x-elbv2:
  lb:
    Listeners: {}
    DnsAliases: []
    Bogus: 1
"#;
    assert_eq!(
        lines(text),
        vec![
            "CX303 6:5 x-sqs.q1: unknown key `Propertiess`",
            "CX302 7:15 x-sqs.q1.Settings must be a mapping, found a sequence",
            "CX302 8:7 x-sqs.q2 must be a mapping (the resource definition), found a string",
            "CX303 13:5 x-elbv2.lb: unknown key `Bogus`",
        ]
    );
    let diags = run(text);
    assert_eq!(diags[0].help.as_deref(), Some("did you mean `Properties`?"));
    assert!(
        diags[3].help.as_deref().unwrap_or("").contains("Listeners"),
        "{:?}",
        diags[3].help
    );
}

#[test]
fn services_entries_name_a_service_or_a_family() {
    let text = r#"services:
  app01:
    image: x
    deploy: {labels: {ecs.task.family: "web,api"}}
  app02: {image: y}
x-sqs:
  q:
    Services:
      app01: {Access: RWMessages}
      web: {Access: RWMessages}
      app2: {Access: RWMessages}
x-elbv2:
  lb:
    Services:
      web:app01:80: {port: 80}
      api:app04:80: {port: 80}
"#;
    assert_eq!(
        lines(text),
        vec![
            "CX304 11:7 x-sqs.q.Services: `app2` is neither a service nor a task family",
            "CX304 16:7 x-elbv2.lb.Services: `app04` in `api:app04:80` is not a service",
        ]
    );
    let diags = run(text);
    assert_eq!(diags[0].help.as_deref(), Some("did you mean `app02`?"));
    // Nothing close: the help lists the services, then the families (`app02` is both).
    let far = text.replace("app2: {Access", "zzzzzzzz: {Access").replace(
        "  app02: {image: y}\n",
        "  app02: {image: y, deploy: {labels: {ecs.task.family: \"app02,jobs\"}}}\n",
    );
    let diags = run(&far);
    assert_eq!(
        diags[0].help.as_deref(),
        Some("services and families: app01, app02, web, api, jobs")
    );
}

#[test]
fn legacy_services_list_shows_the_map_form() {
    let text = "services:\n  app01: {image: x}\n  app02: {image: y}\nx-dynamodb:\n  table:\n    Services:\n      - name: app01\n        access: RW\n      - name: app02\n        access: RO\n";
    let d = only(text, "CX305");
    assert_eq!(lines(text), vec!["CX305 7:7 x-dynamodb.table.Services: the list form was removed in ComposeX 1.0; use a mapping"]);
    assert_eq!(
        d.help.as_deref(),
        Some(
            "write it as a mapping keyed by service or family name:\nServices:\n  app01:\n    Access: RW\n  app02:\n    Access: RO\n"
        )
    );
}

#[test]
fn unknown_service_extensions_warn() {
    let text =
        "services:\n  app:\n    image: x\n    x-netwrok: {}\n    x-iam: {}\n    x-aws-role: {}\n";
    let d = only(text, "CX306");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.help.as_deref(), Some("did you mean `x-network`?"));
    assert_eq!(lines(text), vec!["CX306 4:5 services.app: `x-netwrok` is not a ComposeX service extension: it is ignored"]);
}

#[test]
fn x_vpc_create_and_lookup_exclude_each_other() {
    let text = "services: {}\nx-vpc:\n  Properties: {VpcCidr: 10.0.0.0/16}\n  Lookup:\n    VpcId:\n      tags: [{Name: v}]\n    RoleArn: arn:aws:iam::1:role/x\n";
    assert_eq!(
        lines(text),
        vec![
            "CX307 4:3 x-vpc: `Properties` (create a VPC) and `Lookup` (use an existing one) exclude each other",
            "CX303 6:7 x-vpc.Lookup.VpcId: unknown key `tags`",
        ]
    );
    let diags = run(text);
    assert_eq!(diags[1].help.as_deref(), Some("did you mean `Tags`?"));
}

#[test]
fn every_problem_is_reported_in_one_pass() {
    let text = r#"servics: {}
services:
  app:
    imag: x
    ports: ["80/xyz"]
    depends_on: [nope]
    healthcheck: {interval: 10}
x-sqs:
  q:
    Services: [{name: app}]
"#;
    let codes: Vec<&str> = run(text).iter().map(|d| d.code).collect();
    for code in [
        "CX211", "CX210", "CX213", "CX230", "CX215", "CX236", "CX305",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

mod never_panics {
    use composex_core::compose::validate::{check, service_keys};
    use composex_core::diagnostic::Span;
    use composex_core::yaml::{Map, Node, Scalar, ScalarStyle, Value};
    use proptest::prelude::*;

    /// Keys that reach every branch of normalisation and validation.
    fn keys() -> Vec<&'static str> {
        let mut keys: Vec<&'static str> = service_keys().collect();
        keys.extend([
            "services",
            "volumes",
            "networks",
            "secrets",
            "configs",
            "x-sqs",
            "x-elbv2",
            "x-vpc",
            "x-rds",
            "Properties",
            "Settings",
            "Services",
            "Lookup",
            "MacroParameters",
            "name",
            "Access",
            "target",
            "published",
            "source",
            "condition",
            "required",
            "test",
            "interval",
            "replicas",
            "resources",
            "limits",
            "memory",
            "cpus",
            "labels",
            "file",
            "external",
            "ecs.task.family",
            "app",
            "db",
            "x-network",
        ]);
        keys
    }

    fn scalar() -> impl Strategy<Value = Node> {
        let texts = prop_oneof![
            Just("".to_string()),
            Just("80:80".to_string()),
            Just("yes".to_string()),
            Just("0440".to_string()),
            Just("1m30s".to_string()),
            Just("512m".to_string()),
            Just("app".to_string()),
            Just("db".to_string()),
            Just("CMD".to_string()),
            Just("./a:/b:ro".to_string()),
            "[ -~]{0,12}",
            any::<i64>().prop_map(|n| n.to_string()),
        ];
        (texts, any::<bool>()).prop_map(|(text, quoted)| {
            let style = if quoted {
                ScalarStyle::Quoted
            } else {
                ScalarStyle::Plain
            };
            Node::new(Value::Scalar(Scalar { text, style }), Span::new(0, 0, 1))
        })
    }

    fn tree() -> impl Strategy<Value = Node> {
        let keys = keys();
        scalar().prop_recursive(6, 200, 8, move |inner| {
            let keys = keys.clone();
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6)
                    .prop_map(|items| Node::new(Value::Seq(items), Span::new(0, 0, 1))),
                prop::collection::vec((prop::sample::select(keys), inner), 0..8).prop_map(
                    |entries| {
                        let mut map = Map::default();
                        for (k, v) in entries {
                            map.insert(k.to_string(), Span::new(0, 0, 1), v);
                        }
                        Node::new(Value::Map(map), Span::new(0, 0, 1))
                    }
                ),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3_000, failure_persistence: None, ..ProptestConfig::default() })]

        /// Random trees shaped like compose files (real keys, tricky scalars) never panic, every
        /// diagnostic has a span, and checking the normalised tree again finds nothing new.
        #[test]
        fn random_compose_trees(node in tree()) {
            let checked = check(&node);
            prop_assert!(checked.diagnostics.iter().all(|d| d.span.is_some()));
            let again = check(&checked.tree);
            prop_assert_eq!(&again.tree, &checked.tree);
            prop_assert!(again.diagnostics.len() <= checked.diagnostics.len());
        }
    }
}

#[test]
fn scale_and_replicas_must_agree() {
    let text = "services:\n  a:\n    image: x\n    scale: 2\n    deploy: {replicas: 3}\n  b:\n    image: x\n    scale: \"2\"\n    deploy: {replicas: 2}\n";
    assert_eq!(
        lines(text),
        vec!["CX239 4:12 can't set distinct values on 'scale' and 'deploy.replicas'"]
    );
}

#[test]
fn list_items_of_the_wrong_kind_are_not_dropped_silently() {
    let text = "services:\n  app:\n    image: x\n    environment: [{A: 1}, B=2, ~]\n    depends_on: [[db]]\n    networks: [{front: {}}]\n";
    assert_eq!(
        lines(text),
        vec![
            "CX212 4:19 services.app.environment[0] must be a string, found a mapping",
            "CX212 5:18 services.app.depends_on[0] must be a string, found a sequence",
            "CX212 6:16 services.app.networks[0] must be a string, found a mapping",
        ]
    );
}

#[test]
fn one_problem_one_diagnostic() {
    let text = "services:\n  app:\n    image: x\n    environment: {A: [1]}\n    labels: [[x]]\n";
    assert_eq!(
        lines(text),
        vec![
            "CX212 5:14 services.app.labels[0] must be a string, found a sequence",
            "CX212 4:22 services.app.environment.A must be a string, number or boolean, found a sequence",
        ]
    );
}

#[test]
fn common_lookup_keys_are_checked() {
    let text = "services: {}\nx-sqs:\n  q1:\n    Lookup: {tags: [{Name: q}], Arn: arn:aws:sqs:eu-west-1:1:q}\n  q2:\n    Lookup: true\nx-rds:\n  db:\n    Lookup: {cluster: {Name: c}, secret: {Name: s}}\n";
    assert_eq!(
        lines(text),
        vec![
            "CX303 4:14 x-sqs.q1.Lookup: unknown key `tags`",
            "CX302 6:13 x-sqs.q2.Lookup must be a mapping, found a boolean",
        ]
    );
    assert_eq!(run(text)[0].help.as_deref(), Some("did you mean `Tags`?"));
}

#[test]
fn through_the_whole_load_an_override_error_points_into_the_override_file() {
    use composex_core::{Input, SourceFile};
    let base = "services:\n  app:\n    image: nginx\n    ports: [\"80:80\"]\n";
    let over = "services:\n  app:\n    depends_on: [db]\n    deploy:\n      replicas: \"${N}\"\n";
    let input = Input {
        files: vec![
            SourceFile {
                name: "docker-compose.yml".into(),
                text: base.into(),
            },
            SourceFile {
                name: "override.yml".into(),
                text: over.into(),
            },
        ],
        env: [("N".to_string(), "two".to_string())].into_iter().collect(),
        ..Input::default()
    };
    let out = composex_core::validate(&input);
    let got: Vec<String> = out
        .diagnostics
        .iter()
        .map(|d| {
            let l = d.location.as_ref().expect("located");
            format!(
                "{} {}:{}:{} {}",
                d.code, l.file, l.line, l.column, d.message
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            "CX230 override.yml:3:18 service \"app\" depends on undefined service \"db\"",
            "CX217 override.yml:5:17 services.app.deploy.replicas must be an integer: invalid integer: two",
        ]
    );
}

#[test]
fn a_composex_extension_without_its_prefix_gets_a_suggestion() {
    let text = "services:\n  app:\n    image: x\n    iam: {}\n";
    let d = only(text, "CX210");
    assert_eq!(d.help.as_deref(), Some("did you mean `x-iam`?"));
}

//! Merge / override / reset conformance: cases rewritten from compose-go's override tests
//! (override/merge_*_test.go, override/uncity_test.go, loader/reset_test.go,
//! loader/override_test.go) as summarised in reference/compose-and-peers.md §1.7-§1.9.
//! Each expected tree was checked by hand against those tables. Trees are compared through
//! `to_yaml` of both sides (the emitter is checked on its own in `emitter_*` tests below).

use composex_core::compose::merge::{check_document, merge_documents};
use composex_core::compose::{load, to_yaml};
use composex_core::yaml::{parse, Limits, Node};
use composex_core::{Diagnostic, Input, Severity, SourceFile};

/// Parses each text as file `i` and merges all documents in order (no interpolation).
fn merged(files: &[&str]) -> (Option<Node>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut docs = Vec::new();
    for (i, text) in files.iter().enumerate() {
        let (parsed, d) = parse(i as u32, text, &Limits::default());
        assert!(d.is_empty(), "{text}: {d:?}");
        for doc in parsed {
            docs.extend(check_document(doc, &mut diagnostics));
        }
    }
    (merge_documents(docs, &mut diagnostics), diagnostics)
}

fn canonical(text: &str) -> String {
    let (docs, d) = parse(0, text, &Limits::default());
    assert!(d.is_empty(), "expected text does not parse: {d:?}");
    to_yaml(&docs[0])
}

/// (name, files in merge order, expected merged tree)
const CASES: &[(&str, &[&str], &str)] = &[
    (
        "maps merge and scalars replace",
        &["services: {web: {image: a, user: root}}", "services: {web: {image: b}}"],
        "services: {web: {image: b, user: root}}",
    ),
    (
        "new services and keys are added",
        &["services: {web: {image: a}}", "services: {db: {image: pg}}\nvolumes: {data: {}}"],
        "services: {web: {image: a}, db: {image: pg}}\nvolumes: {data: {}}",
    ),
    (
        "a null override keeps the earlier value",
        &["services: {web: {image: a}}", "services: {web: {image: }}"],
        "services: {web: {image: a}}",
    ),
    (
        "sequences append",
        &["services: {web: {ports: ['80:80']}}", "services: {web: {ports: ['443:443']}}"],
        "services: {web: {ports: ['80:80', '443:443']}}",
    ),
    (
        "command is replaced",
        &["services: {web: {command: [a, b]}}", "services: {web: {command: [c]}}"],
        "services: {web: {command: [c]}}",
    ),
    (
        "entrypoint is replaced, even by another kind",
        &["services: {web: {entrypoint: sh -c x}}", "services: {web: {entrypoint: [bash]}}"],
        "services: {web: {entrypoint: [bash]}}",
    ),
    (
        "healthcheck.test is replaced, the rest of healthcheck merges",
        &[
            "services: {web: {healthcheck: {test: [CMD, a], interval: 10s}}}",
            "services: {web: {healthcheck: {test: [CMD, b], retries: 3}}}",
        ],
        "services: {web: {healthcheck: {test: [CMD, b], interval: 10s, retries: 3}}}",
    ),
    (
        "environment maps become sorted K=V lists, the later value wins in place",
        &["services: {web: {environment: {B: 2, A: 1}}}", "services: {web: {environment: {B: 3, C: }}}"],
        "services: {web: {environment: [A=1, B=3, C]}}",
    ),
    (
        "environment list then map",
        &["services: {web: {environment: [FOO=1, BAR=2]}}", "services: {web: {environment: {FOO: 3}}}"],
        "services: {web: {environment: [FOO=3, BAR=2]}}",
    ),
    (
        "environment map then list",
        &["services: {web: {environment: {FOO: 1}}}", "services: {web: {environment: [FOO=3]}}"],
        "services: {web: {environment: [FOO=3]}}",
    ),
    (
        "environment unicity (Test_EnvironmentUnicity)",
        &["services: {web: {environment: [FOO=BAR, BAR=QIX, QIX=, ZOT, FOO=ZOT, QIX, ZOT=]}}"],
        "services: {web: {environment: [FOO=ZOT, BAR=QIX, QIX, ZOT=]}}",
    ),
    (
        "labels map and list",
        &["services: {web: {labels: {a: '1'}}}", "services: {web: {labels: [b=2]}}"],
        "services: {web: {labels: [a=1, b=2]}}",
    ),
    (
        "deploy.labels merge by key",
        &["services: {web: {deploy: {labels: {x: '1'}, replicas: 2}}}", "services: {web: {deploy: {labels: {x: '2'}}}}"],
        "services: {web: {deploy: {labels: [x=2], replicas: 2}}}",
    ),
    (
        "build.args merge by key",
        &["services: {web: {build: {context: ., args: {A: '1'}}}}", "services: {web: {build: {args: {A: '2', B: '3'}}}}"],
        "services: {web: {build: {context: ., args: [A=2, B=3]}}}",
    ),
    (
        "build string becomes a context",
        &["services: {web: {build: ./dir}}", "services: {web: {build: {dockerfile: Dockerfile.dev}}}"],
        "services: {web: {build: {context: ./dir, dockerfile: Dockerfile.dev}}}",
    ),
    (
        "build map then string",
        &["services: {web: {build: {context: ., target: prod}}}", "services: {web: {build: ./other}}"],
        "services: {web: {build: {context: ./other, target: prod}}}",
    ),
    (
        "depends_on lists become condition maps",
        &["services: {web: {depends_on: [db]}}", "services: {web: {depends_on: [cache]}}"],
        "services: {web: {depends_on: {db: {condition: service_started, required: true}, cache: {condition: service_started, required: true}}}}",
    ),
    (
        "depends_on list then map keeps required",
        &["services: {web: {depends_on: [db]}}", "services: {web: {depends_on: {db: {condition: service_healthy}}}}"],
        "services: {web: {depends_on: {db: {condition: service_healthy, required: true}}}}",
    ),
    (
        "service networks list then map",
        &["services: {web: {networks: [front]}}", "services: {web: {networks: {front: {aliases: [a]}, back: }}}"],
        "services: {web: {networks: {front: {aliases: [a]}, back: null}}}",
    ),
    (
        "service networks map then list",
        &["services: {web: {networks: {front: {aliases: [a]}}}}", "services: {web: {networks: [back, front]}}"],
        "services: {web: {networks: {front: {aliases: [a]}, back: null}}}",
    ),
    (
        "logging options merge when the driver is the same",
        &[
            "services: {web: {logging: {driver: json-file, options: {max-size: 1m}}}}",
            "services: {web: {logging: {options: {max-file: '3'}}}}",
        ],
        "services: {web: {logging: {driver: json-file, options: {max-size: 1m, max-file: '3'}}}}",
    ),
    (
        "logging is replaced when the driver changes",
        &[
            "services: {web: {logging: {driver: json-file, options: {a: '1'}}}}",
            "services: {web: {logging: {driver: syslog, options: {b: '2'}}}}",
        ],
        "services: {web: {logging: {driver: syslog, options: {b: '2'}}}}",
    ),
    (
        "ulimits: the later value wins whole",
        &["services: {web: {ulimits: {nofile: {soft: 1, hard: 2}, nproc: 3}}}", "services: {web: {ulimits: {nofile: {soft: 3}}}}"],
        "services: {web: {ulimits: {nofile: {soft: 3}, nproc: 3}}}",
    ),
    (
        "volumes are unique by target (Test_VolumeUnicity)",
        &["services: {web: {volumes: ['./a:/data', 'cache:/tmp']}}", "services: {web: {volumes: ['./b:/data:ro']}}"],
        "services: {web: {volumes: ['./b:/data:ro', 'cache:/tmp']}}",
    ),
    (
        "volumes long and short syntax share targets",
        &["services: {web: {volumes: [{type: bind, source: ./a, target: /data}]}}", "services: {web: {volumes: ['./c:/data']}}"],
        "services: {web: {volumes: ['./c:/data']}}",
    ),
    (
        "ports short syntax unique by text (Test_PortsShortUnicity)",
        &["services: {web: {ports: ['8080:80', '9090:90']}}", "services: {web: {ports: ['8080:80']}}"],
        "services: {web: {ports: ['8080:80', '9090:90']}}",
    ),
    (
        "ports long syntax unique by ip, published, target, protocol (Test_PortsLongtUnicity)",
        &[
            "services: {web: {ports: [{target: 80, published: '8080'}, {target: 81, published: '8081'}]}}",
            "services: {web: {ports: [{target: 80, published: '8080', protocol: tcp, mode: host}]}}",
        ],
        "services: {web: {ports: [{target: 80, published: '8080', protocol: tcp, mode: host}, {target: 81, published: '8081'}]}}",
    ),
    (
        "secrets unique by target, /run/secrets/<source> by default",
        &["services: {web: {secrets: [a, {source: b}]}}", "services: {web: {secrets: [{source: a, target: /run/secrets/a, mode: 0400}]}}"],
        "services: {web: {secrets: [{source: a, target: /run/secrets/a, mode: 0400}, {source: b}]}}",
    ),
    (
        "configs unique by target, /<source> by default",
        &["services: {web: {configs: [c, d]}}", "services: {web: {configs: [{source: c, target: /c}]}}"],
        "services: {web: {configs: [{source: c, target: /c}, d]}}",
    ),
    (
        "expose unique by value",
        &["services: {web: {expose: ['80', '81']}}", "services: {web: {expose: ['80']}}"],
        "services: {web: {expose: ['80', '81']}}",
    ),
    (
        "dns string and list",
        &["services: {web: {dns: 8.8.8.8}}", "services: {web: {dns: [1.1.1.1, 8.8.8.8]}}"],
        "services: {web: {dns: [8.8.8.8, 1.1.1.1]}}",
    ),
    (
        "extra_hosts drop the later exact duplicates",
        &["services: {web: {extra_hosts: ['a:1.1.1.1']}}", "services: {web: {extra_hosts: ['a:1.1.1.1', 'b:2.2.2.2']}}"],
        "services: {web: {extra_hosts: ['a:1.1.1.1', 'b:2.2.2.2']}}",
    ),
    (
        "tmpfs string and list",
        &["services: {web: {tmpfs: /run}}", "services: {web: {tmpfs: [/tmp]}}"],
        "services: {web: {tmpfs: [/run, /tmp]}}",
    ),
    (
        "cap_add and profiles de-duplicated",
        &["services: {web: {cap_add: [NET_ADMIN], profiles: [dev]}}", "services: {web: {cap_add: [NET_ADMIN, SYS_TIME], profiles: [dev, ci]}}"],
        "services: {web: {cap_add: [NET_ADMIN, SYS_TIME], profiles: [dev, ci]}}",
    ),
    (
        "env_file unique by path",
        &["services: {web: {env_file: a.env}}", "services: {web: {env_file: [b.env, {path: a.env, required: false}]}}"],
        "services: {web: {env_file: [{path: a.env, required: false}, b.env]}}",
    ),
    (
        "!reset removes a sequence",
        &["services: {web: {image: a, ports: ['80:80']}}", "services: {web: {ports: !reset []}}"],
        "services: {web: {image: a}}",
    ),
    (
        "!reset removes one environment key before the merge",
        &["services: {web: {environment: {FOO: '1', BAR: '2'}}}", "services: {web: {environment: {FOO: !reset null}}}"],
        "services: {web: {environment: [BAR=2]}}",
    ),
    (
        "!reset removes a service network",
        &["services: {web: {networks: {test: {}, other: {}}}}", "services: {web: {networks: {test: !reset {}}}}"],
        "services: {web: {networks: {other: {}}}}",
    ),
    (
        "!reset build and environment leave only the image (merge_reset_test)",
        &[
            "services: {web: {image: a, build: {context: .}, environment: {A: '1'}}}",
            "services: {web: {build: !reset null, environment: !reset {}}}",
        ],
        "services: {web: {image: a}}",
    ),
    (
        "!override replaces a sequence without appending",
        &["services: {web: {ports: ['80:80']}}", "services: {web: {ports: !override ['8443:443']}}"],
        "services: {web: {ports: ['8443:443']}}",
    ),
    (
        "!override replaces a map without merging or converting",
        &["services: {web: {environment: {A: '1'}}}", "services: {web: {environment: !override {B: '2'}}}"],
        "services: {web: {environment: {B: '2'}}}",
    ),
    (
        "tags in the first file: !reset drops, !override is plain",
        &["services: {web: {image: a, command: !reset x, ports: !override ['1:1']}}"],
        "services: {web: {image: a, ports: ['1:1']}}",
    ),
    (
        "several documents in one file merge like files",
        &["services: {web: {image: a}}\n---\nservices: {web: {image: b, user: u}}"],
        "services: {web: {image: b, user: u}}",
    ),
    (
        "ipam config entries with the same subnet merge",
        &[
            "networks: {n: {ipam: {config: [{subnet: 10.0.0.0/24, gateway: 10.0.0.1}]}}}",
            "networks: {n: {ipam: {config: [{subnet: 10.0.0.0/24, ip_range: 10.0.0.0/25}, {subnet: 10.1.0.0/24}]}}}",
        ],
        "networks: {n: {ipam: {config: [{subnet: 10.0.0.0/24, gateway: 10.0.0.1, ip_range: 10.0.0.0/25}, {subnet: 10.1.0.0/24}]}}}",
    ),
    (
        "x- keys merge like any map",
        &["x-sqs: {q: {Properties: {A: 1}}}", "x-sqs: {q: {Properties: {B: 2}}, r: {}}"],
        "x-sqs: {q: {Properties: {A: 1, B: 2}}, r: {}}",
    ),
    (
        "a scalar is replaced by any kind",
        &["x-thing: 1", "x-thing: {a: 1}"],
        "x-thing: {a: 1}",
    ),
];

#[test]
fn compose_go_merge_table() {
    assert!(CASES.len() >= 30, "{} cases", CASES.len());
    let mut failures = Vec::new();
    for (name, files, want) in CASES {
        let (tree, diagnostics) = merged(files);
        let got = tree.as_ref().map(to_yaml).unwrap_or_default();
        let want = canonical(want);
        if got != want || !diagnostics.is_empty() {
            failures.push(format!(
                "{name}:\n--- want\n{want}--- got\n{got}{diagnostics:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_kind_clash_is_an_error_located_in_the_override_file() {
    let base = "services:\n  web:\n    deploy:\n      replicas: 2\n";
    let over = "services:\n  web:\n    deploy: [oops]\n";
    let (tree, diagnostics) = merged(&[base, over]);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(
        (d.code, d.message.as_str()),
        ("CX291", "cannot override services.web.deploy")
    );
    let span = d.span.unwrap();
    assert_eq!(
        (span.file, &over[span.start as usize..span.end as usize]),
        (1, "[oops]")
    );
    assert_eq!(d.labels[0].span.file, 0);
    // the earlier value is kept
    let replicas = tree
        .unwrap()
        .get("services")
        .unwrap()
        .get("web")
        .unwrap()
        .get("deploy")
        .unwrap()
        .get("replicas")
        .cloned();
    assert_eq!(
        replicas
            .and_then(|r| r.as_str().map(str::to_string))
            .as_deref(),
        Some("2")
    );

    let (_, diagnostics) = merged(&["services: {web: {image: a}}", "services: [web]"]);
    assert_eq!(diagnostics[0].message, "cannot override services");
}

#[test]
fn merged_values_keep_the_span_of_the_file_they_come_from() {
    let base = "services:\n  web:\n    image: a\n    user: root\n";
    let over = "services:\n  web:\n    image: b\n";
    let (tree, _) = merged(&[base, over]);
    let web = tree
        .as_ref()
        .unwrap()
        .get("services")
        .unwrap()
        .get("web")
        .unwrap();
    let image = web.get("image").unwrap().span;
    assert_eq!(
        (image.file, &over[image.start as usize..image.end as usize]),
        (1, "b")
    );
    let user = web.get("user").unwrap().span;
    assert_eq!(
        (user.file, &base[user.start as usize..user.end as usize]),
        (0, "root")
    );
}

#[test]
fn documents_must_be_mappings_and_version_is_dropped() {
    let mut diagnostics = Vec::new();
    let (docs, _) = parse(0, "- a\n- b\n", &Limits::default());
    assert!(check_document(docs.into_iter().next().unwrap(), &mut diagnostics).is_none());
    assert_eq!(
        (diagnostics[0].code, diagnostics[0].message.as_str()),
        ("CX203", "top-level object must be a mapping")
    );

    let mut diagnostics = Vec::new();
    let text = "version: '3.8'\nservices: {}\n";
    let (docs, _) = parse(0, text, &Limits::default());
    let doc = check_document(docs.into_iter().next().unwrap(), &mut diagnostics).unwrap();
    assert!(doc.get("version").is_none() && doc.get("services").is_some());
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!((d.severity, d.code), (Severity::Warning, "CX290"));
    let s = d.span.unwrap();
    assert_eq!(&text[s.start as usize..s.end as usize], "version: '3.8'");
}

fn input(files: &[&str], env: &[(&str, &str)]) -> Input {
    Input {
        files: files
            .iter()
            .enumerate()
            .map(|(i, t)| SourceFile {
                name: format!("f{i}.yml"),
                text: t.to_string(),
            })
            .collect(),
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Input::default()
    }
}

#[test]
fn load_reports_empty_files() {
    for text in ["", "# only a comment\n", "---\n"] {
        let loaded = load(&input(&["services: {web: {image: a}}", text], &[]));
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{text:?}: {errors:?}");
        assert_eq!(errors[0].message, "empty compose file");
        assert_eq!(errors[0].span.unwrap().file, 1);
    }
}

#[test]
fn load_interpolates_each_file_before_merging() {
    // the override's variable is substituted in its own file; the base keeps its own value
    let loaded = load(&input(
        &[
            "services: {web: {image: \"nginx:${TAG:-1.25}\", user: $USER_NAME}}",
            "services: {web: {image: \"nginx:$TAG\"}}",
        ],
        &[("TAG", "1.27"), ("USER_NAME", "app")],
    ));
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        loaded.diagnostics
    );
    let tree = loaded.tree.unwrap();
    let web = tree.get("services").unwrap().get("web").unwrap();
    assert_eq!(web.get("image").unwrap().as_str(), Some("nginx:1.27"));
    assert_eq!(web.get("user").unwrap().as_str(), Some("app"));

    // an unset variable warns once per file, with the span in that file
    let loaded = load(&input(&["x-a: $NOPE\nx-b: $NOPE\n", "x-c: ${NOPE}\n"], &[]));
    let warnings: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "CX202")
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(
        (
            warnings[0].span.unwrap().file,
            warnings[1].span.unwrap().file
        ),
        (0, 1)
    );
}

// ---- emitter ---------------------------------------------------------------------------------

#[test]
fn emitter_quotes_strings_that_would_change_type() {
    let text = "a: \"22:22\"\nb: \"yes\"\nc: \"0440\"\nd: \"1.0\"\ne: \"null\"\nf: \"\"\ng: \"true\"\nh: \"8080\"\n\
                i: plain text\nj: 22:22\nk: 5\nl: true\nm: ~\nn: \"- x\"\no: \"a: b\"\np: \"x #y\"\nq: \"line\\nbreak\"\n\
                r: \"off\"\ns: \"1_000\"\nt: \"2001-12-14\"\nu: \"@x\"\nv: \"quote\\\"d\"\nw: []\nx: {}\n";
    let (docs, d) = parse(0, text, &Limits::default());
    assert!(d.is_empty());
    let out = to_yaml(&docs[0]);
    let want = "a: \"22:22\"\nb: \"yes\"\nc: \"0440\"\nd: \"1.0\"\ne: \"null\"\nf: \"\"\ng: \"true\"\nh: \"8080\"\n\
                i: plain text\nj: \"22:22\"\nk: 5\nl: true\nm: null\n\"n\": \"- x\"\no: \"a: b\"\np: \"x #y\"\nq: \"line\\nbreak\"\n\
                r: \"off\"\ns: \"1_000\"\nt: \"2001-12-14\"\nu: \"@x\"\nv: quote\"d\nw: []\nx: {}\n";
    // `n` is a YAML 1.1 boolean, so even the key is quoted; `quote"d` is a valid plain scalar
    assert_eq!(out, want);
}

#[test]
fn emitter_output_reads_back_to_the_same_tree() {
    let text = "services:\n  web:\n    image: nginx\n    ports:\n      - \"80:80\"\n      - target: 443\n        published: \"8443\"\n    \
                command: [sh, -c, 'echo $$HOME']\n    environment:\n      A: \"1\"\n      B: null\n    nested:\n      - - a\n        - b\n      - []\n\
                x-empty: {}\n";
    let (docs, d) = parse(0, text, &Limits::default());
    assert!(d.is_empty());
    let once = to_yaml(&docs[0]);
    let (again, d) = parse(0, &once, &Limits::default());
    assert!(d.is_empty(), "{once}\n{d:?}");
    assert_eq!(to_yaml(&again[0]), once);
    assert_eq!(
        once,
        "services:\n  web:\n    image: nginx\n    ports:\n      - \"80:80\"\n      - target: 443\n        published: \"8443\"\n    \
         command:\n      - sh\n      - \"-c\"\n      - echo $$HOME\n    environment:\n      A: \"1\"\n      B: null\n    nested:\n      - - a\n        - b\n      - []\n\
         x-empty: {}\n"
    );
}

mod properties {
    use super::*;
    use composex_core::yaml::{Map, Scalar, ScalarStyle, Tag, Value};
    use composex_core::Span;
    use proptest::prelude::*;

    const KEYS: &[&str] = &[
        "services",
        "web",
        "environment",
        "labels",
        "depends_on",
        "build",
        "logging",
        "driver",
        "networks",
        "ports",
        "volumes",
        "secrets",
        "command",
        "ulimits",
        "healthcheck",
        "test",
        "target",
        "subnet",
        "ipam",
        "config",
        "extra_hosts",
        "x-a",
        "22:22",
        "",
    ];
    const TEXTS: &[&str] = &[
        "a",
        "A=1",
        "./x:/data",
        "80:80",
        "yes",
        "0440",
        "1.0",
        "",
        "null",
        "a: b",
        "- x",
        "é\n\t\"'",
    ];

    fn leaf() -> impl Strategy<Value = Node> {
        (prop::sample::select(TEXTS), any::<bool>()).prop_map(|(t, plain)| {
            let style = if plain {
                ScalarStyle::Plain
            } else {
                ScalarStyle::Quoted
            };
            Node::new(
                Value::Scalar(Scalar {
                    text: t.to_string(),
                    style,
                }),
                Span::new(0, 0, 0),
            )
        })
    }

    fn tree() -> impl Strategy<Value = Node> {
        leaf().prop_recursive(5, 64, 6, |inner| {
            let tagged = (inner, prop::option::of(prop::bool::ANY)).prop_map(|(mut n, tag)| {
                n.tag = tag.map(|reset| if reset { Tag::Reset } else { Tag::Override });
                n
            });
            prop_oneof![
                prop::collection::vec(tagged.clone(), 0..4)
                    .prop_map(|v| Node::new(Value::Seq(v), Span::new(0, 0, 0))),
                prop::collection::btree_map(prop::sample::select(KEYS), tagged, 0..5).prop_map(
                    |m| {
                        let entries = m
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), Span::new(0, 0, 0), v))
                            .collect();
                        Node::new(Value::Map(Map { entries }), Span::new(0, 0, 0))
                    }
                ),
            ]
        })
    }

    fn top() -> impl Strategy<Value = Node> {
        tree().prop_map(|t| {
            let entries = vec![("services".to_string(), Span::new(0, 0, 0), t)];
            Node::new(Value::Map(Map { entries }), Span::new(0, 0, 0))
        })
    }

    /// The tree as values with their YAML 1.2 kinds (what a reader of the output would get).
    fn typed(n: &Node) -> String {
        match &n.value {
            Value::Scalar(s) if s.is_null() => "null".to_string(),
            Value::Scalar(s) => format!("{}:{:?}", n.kind_name(), s.text),
            Value::Seq(items) => format!(
                "[{}]",
                items.iter().map(typed).collect::<Vec<_>>().join(",")
            ),
            Value::Map(m) => {
                format!(
                    "{{{}}}",
                    m.entries
                        .iter()
                        .map(|(k, _, v)| format!("{k:?}={}", typed(v)))
                        .collect::<Vec<_>>()
                        .join(",")
                )
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1500))]

        /// Any three documents merge without panicking, and the printed result reads back to
        /// a tree that prints the same (the emitter's quoting keeps every value's type).
        #[test]
        fn merge_and_print_are_total_and_stable(a in top(), b in top(), c in top()) {
            let mut diagnostics = Vec::new();
            let merged = merge_documents(vec![a, b, c], &mut diagnostics).unwrap();
            let printed = to_yaml(&merged);
            let (again, d) = parse(0, &printed, &Limits::default());
            prop_assert!(d.is_empty(), "{}\n{:?}", printed, d);
            prop_assert_eq!(&to_yaml(&again[0]), &printed);
            prop_assert_eq!(typed(&again[0]), typed(&merged), "{}", printed);
        }
    }
}

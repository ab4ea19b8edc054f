//! Short-syntax normalisation and typed values, table-driven from compose-go's behaviour
//! (reference/compose-and-peers.md §1.10 and the compose-go tests it names).

use composex_core::compose::model::{build, DependsCondition, VolumeKind};
use composex_core::compose::normalize::{
    normalize, parse_bytes, parse_duration, parse_port_spec, parse_volume_spec, split_words,
    PortSpec,
};
use composex_core::yaml::{parse, Limits, Node};
use composex_core::{Diagnostic, Severity};

fn tree(text: &str) -> Node {
    let (docs, diags) = parse(0, text, &Limits::default());
    assert!(diags.is_empty(), "{diags:#?}");
    docs.into_iter().next().expect("one document")
}

/// Diagnostics as `code line:col message` for compact assertions.
fn located(text: &str, diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            let span = d.span.expect("located");
            let before = &text[..span.start as usize];
            let line = before.matches('\n').count() + 1;
            let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!("{} {line}:{col} {}", d.code, d.message)
        })
        .collect()
}

fn port(target: u16, published: Option<&str>, ip: Option<&str>, proto: &str) -> PortSpec {
    PortSpec {
        target,
        published: published.map(str::to_string),
        host_ip: ip.map(str::to_string),
        protocol: proto.into(),
    }
}

#[test]
fn ports_short_syntax() {
    let cases: Vec<(&str, Vec<PortSpec>)> = vec![
        ("80", vec![port(80, None, None, "tcp")]),
        ("80:8080", vec![port(8080, Some("80"), None, "tcp")]),
        (
            "127.0.0.1:8001:8001",
            vec![port(8001, Some("8001"), Some("127.0.0.1"), "tcp")],
        ),
        (
            "[::1]:6001:6001",
            vec![port(6001, Some("6001"), Some("::1"), "tcp")],
        ),
        (
            "::1:6000:6000",
            vec![port(6000, Some("6000"), Some("::1"), "tcp")],
        ),
        ("6060:6060/udp", vec![port(6060, Some("6060"), None, "udp")]),
        ("6060:6060/UDP", vec![port(6060, Some("6060"), None, "udp")]),
        ("5000/sctp", vec![port(5000, None, None, "sctp")]),
        ("80-90:8080", vec![port(8080, Some("80-90"), None, "tcp")]),
        (
            "8000-9000:80",
            vec![port(80, Some("8000-9000"), None, "tcp")],
        ),
        (
            "9090-9091:8080-8081",
            vec![
                port(8080, Some("9090"), None, "tcp"),
                port(8081, Some("9091"), None, "tcp"),
            ],
        ),
        (
            "80-82:8080-8082/udp",
            vec![
                port(8080, Some("80"), None, "udp"),
                port(8081, Some("81"), None, "udp"),
                port(8082, Some("82"), None, "udp"),
            ],
        ),
        (
            "3000-3001",
            vec![port(3000, None, None, "tcp"), port(3001, None, None, "tcp")],
        ),
        (
            "0.0.0.0:80:80/tcp",
            vec![port(80, Some("80"), Some("0.0.0.0"), "tcp")],
        ),
    ];
    for (spec, want) in cases {
        assert_eq!(parse_port_spec(spec), Ok(want), "{spec}");
    }
}

#[test]
fn ports_short_syntax_errors() {
    let cases = [
        ("9999999", "invalid containerPort: 9999999"),
        ("80/xyz", "invalid proto: xyz"),
        ("tcp", "invalid containerPort: tcp"),
        ("", "no port specified: <empty>"),
        ("127.0.1:8080:80", "invalid IP address: 127.0.1"),
        (
            "80-81:8080-8082",
            "invalid ranges specified for container and host Ports: 8080-8082 and 80-81",
        ),
        ("90-80:80", "invalid hostPort: 90-80"),
        ("abc:80", "invalid hostPort: abc"),
        ("[::1:80:80", "invalid IP address: [::1"),
    ];
    for (spec, want) in cases {
        assert_eq!(parse_port_spec(spec), Err(want.to_string()), "{spec}");
    }
}

#[test]
fn volumes_short_syntax() {
    // (spec, kind, source, target, read_only)
    let cases = [
        ("/data", VolumeKind::Volume, None, "/data", false),
        ("ab", VolumeKind::Volume, None, "ab", false),
        (
            "./data:/data",
            VolumeKind::Bind,
            Some("./data"),
            "/data",
            false,
        ),
        (
            "/host:/container:ro",
            VolumeKind::Bind,
            Some("/host"),
            "/container",
            true,
        ),
        (
            "~/configs:/etc/configs/:ro",
            VolumeKind::Bind,
            Some("~/configs"),
            "/etc/configs",
            true,
        ),
        (
            "datavolume:/var/lib/mysql",
            VolumeKind::Volume,
            Some("datavolume"),
            "/var/lib/mysql",
            false,
        ),
        (
            "cache:/tmp/cache:rw,nocopy",
            VolumeKind::Volume,
            Some("cache"),
            "/tmp/cache",
            false,
        ),
        (
            "../up:/srv//app/./x/..",
            VolumeKind::Bind,
            Some("../up"),
            "/srv/app",
            false,
        ),
        (
            "C:\\data:/data",
            VolumeKind::Bind,
            Some("C:\\data"),
            "/data",
            false,
        ),
        (
            "\\\\.\\pipe\\x:/pipe",
            VolumeKind::Bind,
            Some("\\\\.\\pipe\\x"),
            "/pipe",
            false,
        ),
        (
            "${HOME}:/home:ro",
            VolumeKind::Volume,
            Some("${HOME}"),
            "/home",
            true,
        ),
        (
            "/a:/b:ro,z,unknownopt",
            VolumeKind::Bind,
            Some("/a"),
            "/b",
            true,
        ),
    ];
    for (spec, kind, source, target, read_only) in cases {
        let v = parse_volume_spec(spec).unwrap_or_else(|e| panic!("{spec}: {e}"));
        assert_eq!(
            (v.kind, v.source.as_deref(), v.target.as_str(), v.read_only),
            (kind, source, target, read_only),
            "{spec}"
        );
    }
    let nocopy = parse_volume_spec("cache:/tmp/cache:nocopy").unwrap();
    assert!(nocopy.nocopy);
    let relabel = parse_volume_spec("/a:/b:Z,rshared").unwrap();
    assert_eq!(
        (relabel.selinux.as_deref(), relabel.propagation.as_deref()),
        (Some("Z"), Some("rshared"))
    );
}

#[test]
fn volumes_short_syntax_errors() {
    let cases = [
        ("", "invalid empty volume spec"),
        (
            "/a:/b:ro:extra",
            "invalid spec: /a:/b:ro:extra: too many colons",
        ),
        (
            "/a::/b",
            "invalid spec: /a::/b: empty section between colons",
        ),
        (":/b", "invalid spec: :/b: empty section between colons"),
    ];
    for (spec, want) in cases {
        assert_eq!(parse_volume_spec(spec), Err(want.to_string()), "{spec}");
    }
}

#[test]
fn byte_sizes_are_binary() {
    let cases: [(&str, i64); 14] = [
        ("2b", 2),
        ("512", 512),
        ("1024kb", 1024 * 1024),
        ("2048k", 2048 * 1024),
        ("640kb", 655_360),
        ("300m", 300 * 1024 * 1024),
        ("64M", 64 * 1024 * 1024),
        ("512m", 536_870_912),
        ("1g", 1_073_741_824),
        ("1gb", 1_073_741_824),
        ("1GiB", 1_073_741_824),
        ("1.5g", 1_610_612_736),
        ("2 t", 2 * 1024_i64.pow(4)),
        ("1p", 1024_i64.pow(5)),
    ];
    for (text, want) in cases {
        assert_eq!(parse_bytes(text), Ok(want), "{text}");
    }
    for bad in [
        "invalid", "", "1x", "-1", "1..5g", "1.g", "g", "1gbb", "1 2",
    ] {
        assert_eq!(
            parse_bytes(bad),
            Err(format!("invalid size: '{bad}'")),
            "{bad}"
        );
    }
}

#[test]
fn durations_follow_go_str2duration() {
    const MS: i64 = 1_000_000;
    const S: i64 = 1_000 * MS;
    let cases: [(&str, i64); 14] = [
        ("0", 0),
        ("10ms", 10 * MS),
        ("40s", 40 * S),
        ("1m30s", 90 * S),
        ("1h5m30s20ms", 3_930 * S + 20 * MS),
        ("1.5s", 1_500 * MS),
        (".5s", 500 * MS),
        ("500ms", 500 * MS),
        ("2us", 2_000),
        ("3µs", 3_000),
        ("7ns", 7),
        ("1d", 86_400 * S),
        ("1w2d", 9 * 86_400 * S),
        ("-1m", -60 * S),
    ];
    for (text, want) in cases {
        assert_eq!(parse_duration(text), Ok(want), "{text}");
    }
    let errors = [
        ("10", "time: missing unit in duration \"10\""),
        ("1x", "time: unknown unit \"x\" in duration \"1x\""),
        ("", "time: invalid duration \"\""),
        ("s", "time: invalid duration \"s\""),
        (".s", "time: invalid duration \".s\""),
        ("1m30", "time: missing unit in duration \"1m30\""),
        (
            "9999999999999999999h",
            "time: invalid duration \"9999999999999999999h\"",
        ),
    ];
    for (text, want) in errors {
        assert_eq!(parse_duration(text), Err(want.to_string()), "{text}");
    }
}

#[test]
fn commands_split_like_a_shell() {
    assert_eq!(
        split_words("echo 'a b' \"c \\\"d\\\"\" e\\ f").unwrap(),
        vec!["echo", "a b", "c \"d\"", "e f"]
    );
    assert_eq!(split_words("  ").unwrap(), Vec::<String>::new());
    assert_eq!(split_words("a ''").unwrap(), vec!["a", ""]);
    assert!(split_words("echo 'oops").is_err());
}

const FULL: &str = r#"services:
  web:
    image: nginx
    build: ./web
    command: python -m http.server "8000"
    environment:
      - DEBUG=1
      - EMPTY=
      - FROM_ENV
    labels:
      com.example.x: 1
    ports:
      - 8600
      - "127.0.0.1:8080:80"
      - target: "443"
        published: 8443
        protocol: TCP
    expose: [3000, "4000-4001"]
    volumes:
      - ./site:/usr/share/nginx/html:ro
      - cache:/cache
    secrets:
      - token
      - source: cert
        target: server.pem
        mode: "0440"
    depends_on: [db]
    healthcheck:
      test: curl -f http://localhost
      interval: 1m30s
      retries: "3"
      disable: no
    networks: [front]
    env_file: .env
    tmpfs: /run
    ulimits:
      nofile: {soft: 1024, hard: "2048"}
      nproc: 65535
    mem_limit: 512m
    cpus: "0.5"
    init: yes
    stop_grace_period: 20s
    deploy:
      replicas: "2"
      labels: ["ecs.task.family=front,edge"]
      resources:
        limits: {cpus: '0.25', memory: 1g}
        reservations: {memory: 128M}
      update_config: {parallelism: 1, failure_action: rollback, delay: 10s}
    x-network:
      Ingress: {}
  db:
    image: postgres
    depends_on:
      cache_svc:
        condition: service_healthy
  cache_svc:
    image: redis
volumes:
  cache: {}
secrets:
  token: {file: ./token}
  cert: {file: ./cert.pem}
networks:
  front:
    external: "true"
x-sqs:
  q: {}
"#;

#[test]
fn a_full_service_is_typed() {
    let (project, diags) = build(&tree(FULL));
    assert_eq!(
        located(FULL, &diags),
        vec![
            "CX219 32:16 services.web.healthcheck.disable: \"no\" for boolean is not supported by YAML 1.2",
            "CX219 41:11 services.web.init: \"yes\" for boolean is not supported by YAML 1.2",
        ]
    );
    let web = &project.services["web"];
    assert_eq!(web.image.as_ref().map(|i| i.value.as_str()), Some("nginx"));
    let build = web.build.as_ref().unwrap();
    assert_eq!(
        (build.context.as_str(), build.dockerfile.as_str()),
        ("./web", "Dockerfile")
    );
    assert_eq!(
        web.command.as_ref().unwrap().value,
        vec!["python", "-m", "http.server", "8000"]
    );
    let env: Vec<(&str, Option<&str>)> = web
        .environment
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_deref()))
        .collect();
    assert_eq!(
        env,
        vec![
            ("DEBUG", Some("1")),
            ("EMPTY", Some("")),
            ("FROM_ENV", None)
        ]
    );
    assert_eq!(web.labels["com.example.x"], "1");
    let ports: Vec<(u16, Option<&str>, Option<&str>, &str)> = web
        .ports
        .iter()
        .map(|p| {
            (
                p.target,
                p.published.as_deref(),
                p.host_ip.as_deref(),
                p.protocol.as_str(),
            )
        })
        .collect();
    assert_eq!(
        ports,
        vec![
            (8600, None, None, "tcp"),
            (80, Some("8080"), Some("127.0.0.1"), "tcp"),
            (443, Some("8443"), None, "tcp")
        ]
    );
    let expose: Vec<&str> = web.expose.iter().map(|e| e.value.as_str()).collect();
    assert_eq!(expose, vec!["3000", "4000-4001"]);
    let vols: Vec<(VolumeKind, Option<&str>, &str, bool)> = web
        .volumes
        .iter()
        .map(|v| (v.kind, v.source.as_deref(), v.target.as_str(), v.read_only))
        .collect();
    assert_eq!(
        vols,
        vec![
            (
                VolumeKind::Bind,
                Some("./site"),
                "/usr/share/nginx/html",
                true
            ),
            (VolumeKind::Volume, Some("cache"), "/cache", false)
        ]
    );
    let secrets: Vec<(&str, &str, Option<u32>)> = web
        .secrets
        .iter()
        .map(|s| (s.source.as_str(), s.target.as_str(), s.mode))
        .collect();
    assert_eq!(
        secrets,
        vec![
            ("token", "/run/secrets/token", None),
            ("cert", "/run/secrets/server.pem", Some(0o440))
        ]
    );
    let db_dep = &web.depends_on["db"];
    assert_eq!(
        (db_dep.condition, db_dep.required),
        (DependsCondition::Started, true)
    );
    assert_eq!(
        project.services["db"].depends_on["cache_svc"].condition,
        DependsCondition::Healthy
    );
    let hc = web.healthcheck.as_ref().unwrap();
    assert_eq!(hc.test, vec!["CMD-SHELL", "curl -f http://localhost"]);
    assert_eq!(
        (hc.interval.map(|d| d.as_secs()), hc.retries, hc.disable),
        (Some(90), Some(3), false)
    );
    assert!(web.networks.contains_key("front"));
    assert_eq!(
        web.env_file
            .iter()
            .map(|e| (e.path.as_str(), e.required))
            .collect::<Vec<_>>(),
        vec![(".env", true)]
    );
    assert_eq!(web.tmpfs, vec!["/run"]);
    assert_eq!(
        (web.ulimits["nofile"].soft, web.ulimits["nofile"].hard),
        (1024, 2048)
    );
    assert_eq!(
        (web.ulimits["nproc"].soft, web.ulimits["nproc"].hard),
        (65535, 65535)
    );
    assert_eq!(
        web.mem_limit.as_ref().map(|m| m.value),
        Some(512 * 1024 * 1024)
    );
    assert_eq!(web.cpus.as_ref().map(|c| c.value), Some(0.5));
    assert!(web.init);
    assert_eq!(
        web.stop_grace_period.as_ref().map(|d| d.value.as_secs()),
        Some(20)
    );
    assert_eq!(web.deploy.replicas.as_ref().map(|r| r.value), Some(2));
    assert_eq!(web.families(), vec!["front", "edge"]);
    assert_eq!(
        web.deploy.resources.limits.cpus.as_ref().map(|c| c.value),
        Some(0.25)
    );
    assert_eq!(
        web.deploy.resources.limits.memory.as_ref().map(|m| m.value),
        Some(1 << 30)
    );
    assert_eq!(
        web.deploy
            .resources
            .reservations
            .memory
            .as_ref()
            .map(|m| m.value),
        Some(128 << 20)
    );
    let uc = web.deploy.update_config.as_ref().unwrap();
    assert_eq!(
        uc.failure_action.as_ref().map(|f| f.value.as_str()),
        Some("rollback")
    );
    assert_eq!(uc.delay.map(|d| d.as_secs()), Some(10));
    assert!(web.extension("x-network").is_some());
    assert!(project.networks["front"].external);
    assert!(project.extension("x-sqs").is_some());
    assert_eq!(project.secrets["cert"].file.as_deref(), Some("./cert.pem"));
}

#[test]
fn normalising_twice_changes_nothing() {
    let mut once = tree(FULL);
    let first = normalize(&mut once);
    let mut twice = once.clone();
    let second = normalize(&mut twice);
    assert_eq!(once, twice);
    // The legacy-boolean warnings are gone the second time: `yes`/`no` were rewritten.
    assert_eq!(first.len(), 2);
    assert!(second.is_empty(), "{second:#?}");
}

#[test]
fn spans_survive_normalisation() {
    let text = "services:\n  a:\n    image: x\n    ports: [\"8080:80\"]\n";
    let (project, _) = build(&tree(text));
    let span = project.services["a"].ports[0].span;
    assert_eq!(&text[span.start as usize..span.end as usize], "\"8080:80\"");
}

#[test]
fn bad_values_are_located_errors() {
    let text = r#"services:
  a:
    image: x
    ports: ["80/xyz", {target: "http"}]
    volumes: ["/a:/b:ro:x"]
    mem_limit: 12zb
    stop_grace_period: "10"
    privileged: maybe
    scale: two
    cpus: lots
    environment: ["BAD =1"]
    healthcheck:
      test: ["curl", "x"]
    secrets: [{source: s, mode: "0999"}]
    command: "echo 'unclosed"
    depends_on:
      b: {condition: service_healty}
    deploy:
      resources:
        limits: {memory: -5}
  b:
    image: y
"#;
    let (_, diags) = build(&tree(text));
    let got = located(text, &diags);
    let want = [
        "CX225 15:14 services.a.command: unclosed single quote in \"echo 'unclosed\"",
        "CX221 11:19 services.a.environment: variable BAD is declared with a surrounding space",
        "CX213 4:13 services.a.ports[0]: invalid proto: xyz",
        "CX213 4:32 services.a.ports[1].target must be a port number (0-65535): http",
        "CX214 5:15 services.a.volumes[0]: invalid spec: /a:/b:ro:x: too many colons",
        "CX224 14:33 services.a.secrets[0].mode: invalid file mode: 0999 (write it as an octal string like \"0440\")",
        "CX223 17:22 services.a.depends_on.b.condition: unknown condition \"service_healty\"",
        "CX222 13:14 services.a.healthcheck.test must start either by \"CMD\", \"CMD-SHELL\" or \"NONE\"",
        "CX216 20:26 services.a.deploy.resources.limits.memory must not be negative: -5",
        "CX217 9:12 services.a.scale must be an integer: invalid integer: two",
        "CX220 10:11 services.a.cpus must be a number: invalid number: lots",
        "CX218 8:17 services.a.privileged must be a boolean: invalid boolean: maybe",
        "CX216 6:16 services.a.mem_limit: invalid size: '12zb'",
        "CX215 7:24 services.a.stop_grace_period: time: missing unit in duration \"10\"",
    ];
    assert_eq!(got, want);
    let cond = diags.iter().find(|d| d.code == "CX223").unwrap();
    assert_eq!(
        cond.help.as_deref(),
        Some("did you mean `service_healthy`?")
    );
}

#[test]
fn enumerated_values_and_counts() {
    let text = r#"services:
  a:
    image: x
    scale: -1
    ports: [{target: 80, mode: bridge}]
    volumes: [{type: bnid, source: ./a, target: /a}]
    deploy:
      mode: replicated
      replicas: -2
      update_config: {failure_action: rolback, order: start-first}
      restart_policy: {condition: always}
"#;
    let (project, diags) = build(&tree(text));
    assert_eq!(
        located(text, &diags),
        vec![
            "CX223 6:22 services.a.volumes[0].type: unknown value \"bnid\"",
            "CX217 9:17 services.a.deploy.replicas must be greater than or equal to 0",
            "CX223 10:39 services.a.deploy.update_config.failure_action: unknown value \"rolback\"",
            "CX223 11:35 services.a.deploy.restart_policy.condition: unknown value \"always\"",
            "CX217 4:12 services.a.scale must be greater than or equal to 0",
        ]
    );
    assert_eq!(diags[0].help.as_deref(), Some("did you mean `bind`?"));
    assert_eq!(diags[2].help.as_deref(), Some("did you mean `rollback`?"));
    assert_eq!(
        diags[3].help.as_deref(),
        Some("use one of none, on-failure, any")
    );
    // compose's schema fixes volume types; failure_action and condition are free strings there,
    // so unknown ones only warn; a port `mode` (ComposeX files write `awsvpc`) is not checked.
    let severities: Vec<Severity> = diags.iter().map(|d| d.severity).collect();
    use Severity::{Error, Warning};
    assert_eq!(severities, vec![Error, Error, Warning, Warning, Error]);
    // the rejected values are left out of the typed project
    assert!(project.services["a"].volumes.is_empty());
    assert!(project.services["a"].deploy.replicas.is_none());
}

#[test]
fn environment_entries_without_a_value_come_from_the_environment() {
    use composex_core::compose::normalize::resolve_environment;
    let text = "services:\n  a:\n    image: x\n    environment: [FROM_ENV, UNSET, SET=kept]\n    build:\n      context: .\n      args: {TOKEN: }\n";
    let mut t = tree(text);
    normalize(&mut t);
    let env = [("FROM_ENV", "v1"), ("SET", "ignored"), ("TOKEN", "t")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    resolve_environment(&mut t, &env);
    let (project, _) = build(&t);
    let a = &project.services["a"];
    let vars: Vec<(&str, Option<&str>)> = a
        .environment
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_deref()))
        .collect();
    assert_eq!(
        vars,
        vec![
            ("FROM_ENV", Some("v1")),
            ("UNSET", None),
            ("SET", Some("kept"))
        ]
    );
    assert_eq!(
        a.build.as_ref().unwrap().args["TOKEN"].as_deref(),
        Some("t")
    );
}

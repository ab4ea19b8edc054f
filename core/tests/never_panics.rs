//! Property test: random and mutated YAML documents go through validation and rendering without a
//! panic. (cargo-fuzz targets go further; this runs in every `make test`.)

use composex_core::{Input, SourceFile};
use proptest::prelude::*;

const SEED: &str = r#"x-defaults: &defaults
  restart: always
services:
  app01:
    <<: *defaults
    image: "${REGISTRY:-public.ecr.aws}/app01:${TAG:?tag}"
    ports: ["5000:5000", "8000-8001:8000-8001/udp"]
    environment: {A: 1, B: "${B-x}"}
    deploy:
      labels: {ecs.task.family: "front,back"}
      resources: {limits: {cpus: "0.5", memory: 1g}}
    depends_on: {app02: {condition: service_healthy}}
    secrets: [s1]
    x-network: {Ingress: {Myself: true}}
  app02:
    image: app02
    healthcheck: {test: curl -f localhost, interval: 10s}
    ports: !override [5001]
secrets:
  s1: {x-secrets: {Name: my/secret}}
x-sqs:
  q1:
    Properties: {}
    Services: {app01: {Access: RWMessages}}
---
services:
  app02: {command: !reset null}
"#;

/// Characters that matter to YAML and compose syntax.
const ALPHABET: &[&str] = &[
    ":",
    " ",
    "\n",
    "-",
    "[",
    "]",
    "{",
    "}",
    "&a",
    "*a",
    "<<",
    "!reset",
    "!override",
    "\"",
    "'",
    "#",
    "$",
    "${",
    "}",
    "|",
    ">",
    "\t",
    "x-",
    "services",
    "image",
    "\u{feff}",
    "\r\n",
    "é",
    "0",
    "?",
    ",",
    "%",
    "@",
    "`",
];

fn mutate(base: &str, edits: &[(usize, usize, usize)]) -> String {
    let mut bytes: Vec<u8> = base.as_bytes().to_vec();
    for &(pos, kind, pick) in edits {
        let at = pos % (bytes.len() + 1);
        match kind % 3 {
            0 => {
                let ins = ALPHABET[pick % ALPHABET.len()].as_bytes();
                bytes.splice(at..at, ins.iter().copied());
            }
            1 => {
                let end = (at + pick % 8).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                // duplicate a slice (repeated keys, repeated anchors)
                let end = (at + pick % 40).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn run(text: String) {
    let input = Input {
        files: vec![SourceFile {
            name: "c.yml".into(),
            text,
        }],
        env: [("TAG".to_owned(), "1".to_owned())].into_iter().collect(),
        ..Input::default()
    };
    let out = composex_core::validate(&input);
    for d in &out.diagnostics {
        assert!(d.code.starts_with("CX"), "{d:?}");
        if let Some(span) = d.span {
            assert!(
                span.start <= span.end && span.end as usize <= input.files[0].text.len(),
                "{d:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_compose_files_never_panic(edits in prop::collection::vec((0usize..4096, 0usize..3, 0usize..64), 1..6)) {
        run(mutate(SEED, &edits));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "(\\PC|[\\n\\t:{}\\[\\]&*!-]){0,200}") {
        run(text);
    }
}

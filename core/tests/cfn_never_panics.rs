//! Property test: mutated x-vpc / x-cluster / x-tags inputs go through `render()` without a panic,
//! and whatever renders is well-formed (templates parse back, parameter values are strings).

use composex_core::{Format, Input, Layout, Options, SourceFile};
use proptest::prelude::*;

/// Valid inputs (a new VPC; an existing VPC and cluster plus a conflict-free cluster macro) that
/// the mutations break in many ways.
const SEEDS: [&str; 2] = [
    r#"services:
  app01:
    image: app01
x-vpc:
  Properties:
    VpcCidr: 10.1.0.0/20
    SingleNat: false
    DHCPOptions: {DomainName: corp.internal}
    EnableFlowLogs: true
x-cluster:
  Properties: {CapacityProviders: [FARGATE], Configuration: {}}
  MacroParameters: {CreateExecLoggingLogGroup: true, LogGroupRetentionInDays: 21}
x-tags:
  - {Key: env, Value: test}
  - {Key: "cost centre", Value: 1}
"#,
    r#"services:
  app01:
    image: app01
x-vpc:
  Lookup:
    VpcId: {Arn: "arn:aws:ec2:eu-west-1:1:vpc/vpc-1"}
    AppSubnets: {Identifier: [subnet-1, subnet-2]}
    Extra: {Tags: {a: b}}
x-cluster:
  Lookup: {ClusterName: prod}
x-aws-cluster: arn:aws:ecs:eu-west-1:1:cluster/x
x-tags: {env: test}
"#,
];

/// Pieces that change which branch the emitters take.
const PIECES: &[&str] = &[
    "\n",
    " ",
    ":",
    "-",
    "[",
    "]",
    "{",
    "}",
    "Lookup",
    "Properties",
    "true",
    "false",
    "~",
    "/16",
    "/33",
    "x-vpc",
    "x-cluster",
    "x-tags",
    "DisableNat: true",
    "SingleNat",
    "0",
    ".",
    "\"",
    "Use",
    "VpcCidr",
    "#",
];

fn mutate(base: &str, edits: &[(usize, bool, usize)]) -> String {
    let mut text = base.to_string();
    for &(pos, insert, pick) in edits {
        let mut at = pos % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        if insert {
            text.insert_str(at, PIECES[pick % PIECES.len()]);
        } else {
            let mut end = (at + pick % 12).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.replace_range(at..end, "");
        }
    }
    text
}

fn check(text: String, layout: Layout, format: Format) {
    let input = Input {
        files: vec![SourceFile {
            name: "c.yml".into(),
            text,
        }],
        env: Default::default(),
        options: Options {
            project_name: "p".into(),
            format,
            layout,
            params: Default::default(),
            ..Options::default()
        },
        ..Input::default()
    };
    let out = composex_core::render(&input);
    for f in &out.files {
        if f.path.ends_with(".params.json") {
            let list: serde_json::Value = serde_json::from_str(&f.text).expect("params JSON");
            assert!(list
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["ParameterValue"].is_string()));
        } else if f.path.ends_with(".yaml") {
            let v: serde_json::Value = serde_yaml::from_str(&f.text).expect("template YAML");
            assert!(
                v["Resources"].as_object().is_some_and(|r| !r.is_empty()),
                "{}",
                f.path
            );
        } else {
            let _: serde_json::Value = serde_json::from_str(&f.text).expect("JSON");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_network_inputs_never_panic(seed in 0usize..2, edits in prop::collection::vec((0usize..2048, any::<bool>(), 0usize..64), 1..6), single in any::<bool>(), json in any::<bool>()) {
        let layout = if single { Layout::Single } else { Layout::Nested };
        let format = if json { Format::Json } else { Format::Yaml };
        check(mutate(SEEDS[seed], &edits), layout, format);
    }
}

#[test]
fn the_new_vpc_seed_renders() {
    let input = Input {
        files: vec![SourceFile {
            name: "c.yml".into(),
            text: SEEDS[0].into(),
        }],
        ..Input::default()
    };
    let out = composex_core::render(&input);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    let paths: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
    assert!(
        paths.contains(&"composex.yaml") && paths.contains(&"vpc.yaml"),
        "{paths:?}"
    );
}

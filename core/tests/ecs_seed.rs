//! The seed scenario (examples/seed) rendered in both layouts and both formats: golden snapshots
//! (read through by hand: ports, images as parameters, roles, log groups, CloudMap, wiring),
//! byte-identical re-renders, the existing VPC / cluster deploy, and the IAM invariant.

mod ecs_common;

use ecs_common::*;
use serde_json::Value;

const SEED: &str = include_str!("../../examples/seed/docker-compose.yml");
const EXISTING: &str = include_str!("../../examples/seed/existing-env.yml");
const ALL_KEYS: &str = include_str!("../../tests/fixtures/ecs/all-keys.yml");

/// The seed's input, with `existing-env.yml` as an override file when `existing`.
fn seed(existing: bool, format: Format, layout: Layout) -> Input {
    let mut input = input(SEED, format, layout);
    if existing {
        input.files.push(SourceFile {
            name: "existing-env.yml".into(),
            text: EXISTING.into(),
        });
    }
    input
}

/// Renders `input` (whole pipeline), which must give no error or warning.
fn rendered(input: &Input) -> Vec<OutputFile> {
    let (files, diags) = render(input);
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.is_error() || d.severity == composex_core::Severity::Warning)
        .collect();
    assert!(
        errors.is_empty(),
        "the seed renders with no error or warning: {errors:#?}"
    );
    files
}

fn snapshot(files: &[OutputFile], name: &str) {
    let mut all = String::new();
    for f in files {
        all.push_str(&format!("=== {} ===\n{}", f.path, f.text));
    }
    insta::assert_snapshot!(name, all);
}

#[test]
fn seed_nested_yaml() {
    let files = rendered(&seed(false, Format::Yaml, Layout::Nested));
    dump(&files, "seed-nested-yaml");
    snapshot(&files, "seed_nested_yaml");
}

#[test]
fn seed_nested_json() {
    let files = rendered(&seed(false, Format::Json, Layout::Nested));
    dump(&files, "seed-nested-json");
    snapshot(&files, "seed_nested_json");
}

#[test]
fn seed_single_yaml() {
    let files = rendered(&seed(false, Format::Yaml, Layout::Single));
    dump(&files, "seed-single-yaml");
    snapshot(&files, "seed_single_yaml");
}

#[test]
fn seed_single_json() {
    let files = rendered(&seed(false, Format::Json, Layout::Single));
    dump(&files, "seed-single-json");
    snapshot(&files, "seed_single_json");
}

#[test]
fn rendering_twice_is_byte_identical() {
    for existing in [false, true] {
        for format in [Format::Yaml, Format::Json] {
            for layout in [Layout::Nested, Layout::Single] {
                let a = rendered(&seed(existing, format, layout));
                let b = rendered(&seed(existing, format, layout));
                assert!(!a.is_empty());
                assert_eq!(a, b, "{format:?} {layout:?}");
            }
        }
    }
}

fn all_types(files: &[OutputFile]) -> Vec<String> {
    templates(files)
        .iter()
        .flat_map(|(_, t)| {
            t["Resources"]
                .as_object()
                .into_iter()
                .flat_map(|r| r.values())
                .filter_map(|r| r["Type"].as_str().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn existing_env_has_no_vpc_and_no_cluster_and_lists_their_parameters() {
    for layout in [Layout::Nested, Layout::Single] {
        let files = rendered(&seed(true, Format::Json, layout));
        dump(&files, &format!("existing-{layout:?}"));
        let types = all_types(&files);
        assert!(!types.iter().any(|t| t == "AWS::EC2::VPC"), "{types:?}");
        assert!(!types.iter().any(|t| t == "AWS::ECS::Cluster"), "{types:?}");
        assert_eq!(
            types.iter().filter(|t| *t == "AWS::ECS::Service").count(),
            2
        );
        // An existing cluster may have no capacity providers: Fargate by launch type.
        for (_, t) in templates(&files) {
            for r in t["Resources"].as_object().unwrap().values() {
                if r["Type"] == "AWS::ECS::Service" {
                    assert_eq!(r["Properties"]["LaunchType"], "FARGATE");
                }
            }
        }
        let params = files
            .iter()
            .find(|f| f.path == "myapps.params.json")
            .expect("root params file");
        let list: Value = serde_json::from_str(&params.text).unwrap();
        let get = |key: &str| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|p| p["ParameterKey"] == key)
                .map(|p| p["ParameterValue"].as_str().unwrap().to_string())
                .unwrap_or_else(|| panic!("{key} not in {}", params.text))
        };
        assert_eq!(get("VpcId"), "vpc-0123456789abcdef0");
        assert_eq!(
            get("AppSubnets"),
            "subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb"
        );
        // The ALB runs in the public subnets; StorageSubnets is declared only once used.
        assert_eq!(
            get("PublicSubnets"),
            "subnet-0eeeeeeeeeeeeeeee,subnet-0ffffffffffffffff"
        );
        assert_eq!(get("ClusterName"), "production");
        assert_eq!(
            get("App01ImageUrl"),
            "012345678912.dkr.ecr.eu-west-1.amazonaws.com/blog-app-01:latest"
        );
    }
}

/// Every IAM policy document the tool writes: no `Action: "*"`, no `NotAction`.
fn check_statements(value: &Value, path: &str, bad: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if map.contains_key("NotAction") {
                bad.push(format!("{path}: NotAction"));
            }
            if let Some(action) = map.get("Action") {
                let actions = match action {
                    Value::Array(a) => a.clone(),
                    other => vec![other.clone()],
                };
                if actions
                    .iter()
                    .any(|a| a == "*" || a.as_str().is_some_and(|s| s.ends_with(":*")))
                {
                    bad.push(format!("{path}: Action {action}"));
                }
            }
            for (k, v) in map {
                check_statements(v, &format!("{path}/{k}"), bad);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check_statements(v, &format!("{path}/{i}"), bad);
            }
        }
        _ => {}
    }
}

#[test]
fn no_wildcard_action_and_no_not_action_in_any_template() {
    let mut checked = 0;
    let all_keys = input(ALL_KEYS, Format::Json, Layout::Nested);
    for base in [
        seed(false, Format::Json, Layout::Nested),
        seed(true, Format::Json, Layout::Nested),
        all_keys,
    ] {
        for layout in [Layout::Nested, Layout::Single] {
            let mut input = base.clone();
            input.options.layout = layout;
            let (files, _) = render(&input);
            assert!(!files.is_empty());
            for (name, t) in templates(&files) {
                let mut bad = Vec::new();
                check_statements(&t, &name, &mut bad);
                assert!(bad.is_empty(), "{bad:#?}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "{checked} templates checked");
    // The check itself catches both forms.
    let mut bad = Vec::new();
    check_statements(
        &serde_json::json!({"Statement": [{"NotAction": "s3:Get*", "Action": "*"}]}),
        "t",
        &mut bad,
    );
    assert_eq!(bad.len(), 2);
}

//! The pipeline examples run as written: every `composex` command of examples/pipeline/*.yml is
//! executed (through bash, with the CodeBuild variables set) against a copy of the seed example.

use std::path::{Path, PathBuf};
use std::process::Command;

use composex_core::yaml::{parse, Limits, Node};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The `composex ...` lines of a buildspec's phases, in order.
fn composex_commands(buildspec: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(buildspec).unwrap();
    let (docs, diags) = parse(0, &text, &Limits::default());
    assert!(diags.is_empty(), "{buildspec:?}: {diags:?}");
    let phases = docs[0].get("phases").expect("phases");
    let mut out = Vec::new();
    for (_, phase) in phases.as_map().unwrap().iter() {
        for cmd in phase
            .get("commands")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            let line = cmd.as_str().unwrap().trim().to_owned();
            if line.starts_with("composex ") && !line.starts_with("composex --version") {
                out.push(line);
            }
        }
    }
    out
}

fn run_in_seed(commands: &[String], env: &[(&str, &str)]) -> PathBuf {
    let dir = tempfile::tempdir().unwrap().keep();
    for f in ["docker-compose.yml", "existing-env.yml"] {
        std::fs::copy(repo().join("examples/seed").join(f), dir.join(f)).unwrap();
    }
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_composex")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for cmd in commands {
        let out = Command::new("bash")
            .arg("-c")
            .arg(cmd)
            .current_dir(&dir)
            .env("PATH", &path)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "`{cmd}` failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    dir
}

#[test]
fn the_ci_buildspec_updates_the_image_in_place() {
    let commands = composex_commands(&repo().join("examples/pipeline/buildspec-ci.yml"));
    assert_eq!(commands.len(), 2, "{commands:?}");
    let image = "012345678912.dkr.ecr.eu-west-1.amazonaws.com/blog-app-01:3f2a1b9c0d4e";
    let dir = run_in_seed(&commands, &[("SERVICE", "app01"), ("IMAGE", image)]);
    let before = std::fs::read_to_string(repo().join("examples/seed/docker-compose.yml")).unwrap();
    let after = std::fs::read_to_string(dir.join("docker-compose.yml")).unwrap();
    let old = "012345678912.dkr.ecr.eu-west-1.amazonaws.com/blog-app-01:latest";
    assert!(before.contains(old));
    assert_eq!(after, before.replacen(old, image, 1));
}

#[test]
fn the_cd_buildspec_renders_a_test_and_a_production_environment() {
    let commands = composex_commands(&repo().join("examples/pipeline/buildspec-cd.yml"));
    assert_eq!(commands.len(), 3, "{commands:?}");
    let env = [
        ("PROD_VPC_ID", "vpc-0123456789abcdef0"),
        (
            "PROD_APP_SUBNETS",
            "subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb",
        ),
        (
            "PROD_PUBLIC_SUBNETS",
            "subnet-0eeeeeeeeeeeeeeee,subnet-0ffffffffffffffff",
        ),
        ("PROD_CLUSTER", "production"),
    ];
    let dir = run_in_seed(&commands, &env);
    let test_root = std::fs::read_to_string(dir.join("test/myapps.yaml")).unwrap();
    let prod_root = std::fs::read_to_string(dir.join("prod/myapps.yaml")).unwrap();
    assert!(
        test_root.contains("./vpc.yaml"),
        "the test environment gets a new VPC"
    );
    assert!(!prod_root.contains("Type: AWS::EC2::VPC\n") && !prod_root.contains("./vpc.yaml"));
    assert!(
        !prod_root.contains("Type: AWS::ECS::Cluster\n"),
        "production uses the existing cluster"
    );
    let params: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("prod/myapps.params.json")).unwrap(),
    )
    .unwrap();
    let value = |key: &str| {
        params
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["ParameterKey"] == key)
            .map(|p| p["ParameterValue"].clone())
    };
    assert_eq!(value("VpcId"), Some("vpc-0123456789abcdef0".into()));
    assert_eq!(value("ClusterName"), Some("production".into()));
    assert_eq!(
        value("AppSubnets"),
        Some("subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb".into())
    );
    for p in params.as_array().unwrap() {
        assert!(
            p["ParameterValue"].is_string(),
            "every parameter value is a string: {p}"
        );
    }
}

//! `composex graph` and `render --source-map`: the seed's graph in JSON; the DOT output of every
//! example accepted by Graphviz's `dot` (installed by `make apt-tools`); the source map naming
//! every resource of every template `render` writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn composex(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_composex"))
        .current_dir(repo())
        .args(args)
        .env_remove("COMPOSE_PROJECT_NAME")
        .env_remove("COMPOSE_FILE")
        .output()
        .expect("run composex")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn examples() -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(repo().join("examples"))
        .expect("examples/")
        .flatten()
        .filter(|e| e.file_name() != "mistakes")
        .map(|e| {
            format!(
                "examples/{}/docker-compose.yml",
                e.file_name().to_string_lossy()
            )
        })
        .filter(|p| repo().join(p).is_file())
        .collect();
    found.sort();
    found
}

#[test]
fn graph_json_of_the_seed() {
    let out = composex(&[
        "graph",
        "-f",
        "examples/seed/docker-compose.yml",
        "-n",
        "seed",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let graph: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let app01 = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "service:app01")
        .expect("app01");
    assert_eq!(app01["kind"], "service");
    assert_eq!(app01["file"], "examples/seed/docker-compose.yml");
    assert_eq!(app01["line"], 13);
    assert_eq!(app01["column"], 3);
    let resources = app01["resources"].as_array().unwrap();
    assert!(resources.iter().any(|r| r["file"] == "app01.yaml"
        && r["id"] == "Service"
        && r["type"] == "AWS::ECS::Service"));
    let edges = graph["edges"].as_array().unwrap();
    let access = serde_json::json!({"from": "service:app01", "to": "x-sqs:jobs", "kind": "access", "label": "SendOnly"});
    assert!(edges.contains(&access), "{edges:#?}");
}

#[test]
fn graph_of_a_broken_file_prints_no_graph() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.yml");
    std::fs::write(&file, "services:\n  app01:\n    image: a\n    image: b\n").unwrap();
    let out = composex(&["graph", "-f", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn graphviz_accepts_the_dot_output_of_every_example() {
    let mut checked = 0;
    for example in examples() {
        let out = composex(&["graph", "-f", &example, "--format", "dot"]);
        assert_eq!(out.status.code(), Some(0), "{example}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with("digraph composex {"), "{text}");
        let mut dot = Command::new("dot")
            .args(["-Tsvg"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("Graphviz `dot` (make apt-tools installs it)");
        use std::io::Write;
        dot.stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let done = dot.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert!(
            done.status.success() && stderr.is_empty(),
            "{example}: {stderr}\n{text}"
        );
        let svg = String::from_utf8_lossy(&done.stdout);
        // Every node is drawn.
        let nodes = text.lines().filter(|l| l.contains("fillcolor=")).count();
        assert_eq!(svg.matches("class=\"node\"").count(), nodes, "{example}");
        checked += 1;
    }
    assert!(checked >= 5);
}

#[test]
fn render_source_map_names_every_resource() {
    for example in examples() {
        let dir = tempfile::tempdir().unwrap();
        let out_dir = dir.path().to_str().unwrap();
        let args = [
            "render",
            "-f",
            &example,
            "-d",
            out_dir,
            "--format",
            "json",
            "--source-map",
        ];
        let out = composex(&args);
        assert_eq!(out.status.code(), Some(0), "{example}");
        let map: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("sourcemap.json")).unwrap(),
        )
        .unwrap();
        for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == "sourcemap.json" || name.contains(".params.") || name.contains(".config.") {
                continue;
            }
            let template: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(entry.path()).unwrap()).unwrap();
            for id in template["Resources"].as_object().unwrap().keys() {
                let at = &map[&name]["resources"][id];
                assert_eq!(at["file"], example.as_str(), "{example} {name} {id}");
                assert!(at["line"].as_u64().unwrap() >= 1, "{example} {name} {id}");
            }
        }
    }
}

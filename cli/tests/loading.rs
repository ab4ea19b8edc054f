//! The files compose files name (`env_file`, `include`, `extends.file`) are read relative to
//! the compose file, wherever `composex` runs from; `--profile` and `COMPOSE_PROFILES` select
//! services.

use std::path::Path;
use std::process::{Command, Output};

fn composex(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_composex"));
    cmd.current_dir(dir)
        .args(args)
        .env_remove("COMPOSE_PROFILES");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run composex")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A project in `<tmp>/proj`, run from `<tmp>` (so relative paths only work if they are taken
/// relative to the compose file).
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "proj/docker-compose.yml",
        "include:\n  - sub/db.yml\nservices:\n  web:\n    extends:\n      file: common/base.yml\n      service: base\n    image: nginx:1.25\n    env_file: ./web.env\n    depends_on: [db]\n  adminer:\n    image: adminer\n    profiles: [debug]\n",
    );
    write(p, "proj/web.env", "GREETING=hello\n");
    write(
        p,
        "proj/common/base.yml",
        "services:\n  base:\n    user: \"1000\"\n    env_file: base.env\n",
    );
    write(p, "proj/common/base.env", "FROM_BASE=1\n");
    write(
        p,
        "proj/sub/db.yml",
        "services:\n  db:\n    image: postgres:16\n    env_file: db.env\n",
    );
    write(p, "proj/sub/db.env", "POSTGRES_DB=app\n");
    dir
}

#[test]
fn merge_reads_named_files_relative_to_the_compose_file() {
    let dir = project();
    let out = composex(dir.path(), &["merge", "-f", "proj/docker-compose.yml"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let merged = text(&out.stdout);
    for expected in [
        "GREETING: hello",
        "FROM_BASE: \"1\"",
        "POSTGRES_DB: app",
        "user: \"1000\"",
    ] {
        assert!(merged.contains(expected), "{expected}: {merged}");
    }
    assert!(!merged.contains("adminer"), "{merged}");
    // The left-out service is said, not silent.
    assert!(
        text(&out.stderr).contains("info[CX264]"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn profile_flag_and_compose_profiles_activate_services() {
    let dir = project();
    let flag = composex(
        dir.path(),
        &[
            "merge",
            "-f",
            "proj/docker-compose.yml",
            "--profile",
            "debug",
        ],
        &[],
    );
    assert!(
        text(&flag.stdout).contains("adminer"),
        "{}",
        text(&flag.stderr)
    );
    let env = composex(
        dir.path(),
        &["merge", "-f", "proj/docker-compose.yml"],
        &[("COMPOSE_PROFILES", "other, debug")],
    );
    assert!(
        text(&env.stdout).contains("adminer"),
        "{}",
        text(&env.stderr)
    );
    // The flag wins over the variable, as in docker compose.
    let both = composex(
        dir.path(),
        &[
            "merge",
            "-f",
            "proj/docker-compose.yml",
            "--profile",
            "other",
        ],
        &[("COMPOSE_PROFILES", "debug")],
    );
    assert!(!text(&both.stdout).contains("adminer"));
}

#[test]
fn missing_named_files_are_located_errors() {
    let dir = project();
    std::fs::remove_file(dir.path().join("proj/sub/db.env")).unwrap();
    let out = composex(
        dir.path(),
        &["validate", "-f", "proj/docker-compose.yml"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("error[CX260]: env file `sub/db.env` not found"),
        "{err}"
    );
    assert!(err.contains("proj/sub/db.yml:4:15"), "{err}");

    std::fs::remove_file(dir.path().join("proj/sub/db.yml")).unwrap();
    let out = composex(
        dir.path(),
        &["validate", "-f", "proj/docker-compose.yml"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("error[CX260]: included file `sub/db.yml` not found"),
        "{err}"
    );
    assert!(err.contains("--> proj/docker-compose.yml:2:5"), "{err}");
}

#[test]
fn render_puts_env_file_variables_in_the_task_definition() {
    let dir = project();
    let out = composex(
        dir.path(),
        &[
            "render",
            "-f",
            "proj/docker-compose.yml",
            "-d",
            "out",
            "--single",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let template = std::fs::read_to_string(dir.path().join("out/composex.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&template).unwrap();
    let env = &json["Resources"]["WebTaskDefinition"]["Properties"]["ContainerDefinitions"][0]
        ["Environment"];
    assert_eq!(
        env,
        &serde_json::json!([
            {"Name": "FROM_BASE", "Value": "1"},
            {"Name": "GREETING", "Value": "hello"}
        ])
    );
}

//! The `composex` binary end to end: arguments, files, exit codes.

use std::path::Path;
use std::process::{Command, Output};

fn composex(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_composex"))
        .current_dir(dir)
        .args(args)
        .env_remove("APP_PORT")
        .output()
        .expect("run composex")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const GOOD: &str =
    "services:\n  app01:\n    image: nginx:1.25\n    ports:\n      - \"${APP_PORT:-5000}:5000\"\n";

#[test]
fn validate_exit_codes_follow_the_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.yml"), GOOD).unwrap();
    std::fs::write(
        dir.path().join("bad.yml"),
        "services:\n  app01:\n    image: a\n    image: b\n",
    )
    .unwrap();
    assert_eq!(
        composex(dir.path(), &["validate", "-f", "ok.yml"])
            .status
            .code(),
        Some(0)
    );
    let bad = composex(dir.path(), &["validate", "-f", "bad.yml"]);
    assert_eq!(bad.status.code(), Some(1));
    let text = stderr(&bad);
    assert!(text.contains("error[CX104]"), "{text}");
    assert!(text.contains("--> bad.yml:4:5"), "{text}");
    // usage and IO errors are 2
    assert_eq!(
        composex(dir.path(), &["validate", "-f", "missing.yml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(composex(dir.path(), &["validate"]).status.code(), Some(2));
}

#[test]
fn validate_json_is_an_array_of_located_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yml"),
        "services:\n  app01:\n    image: a\n    image: b\n",
    )
    .unwrap();
    let out = composex(
        dir.path(),
        &["validate", "-f", "bad.yml", "--message-format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &v.as_array().unwrap()[0];
    assert_eq!(first["code"], "CX104");
    assert_eq!(first["location"]["line"], 4);
    assert_eq!(first["location"]["column"], 5);
}

#[test]
fn invalid_utf8_is_an_input_error_with_a_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yml"), b"services:\n  a\xff: {}\n").unwrap();
    let out = composex(dir.path(), &["validate", "-f", "c.yml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("c.yml:2:4: the file is not valid UTF-8"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn dot_env_next_to_the_first_file_is_read_and_the_environment_wins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yml"), GOOD).unwrap();
    std::fs::write(dir.path().join(".env"), "APP_PORT=8080\n").unwrap();
    let out = composex(dir.path(), &["merge", "-f", "c.yml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("8080"));
    let out = Command::new(env!("CARGO_BIN_EXE_composex"))
        .current_dir(dir.path())
        .args(["merge", "-f", "c.yml"])
        .env("APP_PORT", "9090")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("9090"));
}

#[test]
fn set_image_edits_in_place_and_dry_run_prints_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.yml");
    std::fs::write(&path, GOOD).unwrap();
    let dry = composex(
        dir.path(),
        &["set-image", "app01=nginx:1.27", "-f", "c.yml", "--dry-run"],
    );
    assert_eq!(dry.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&dry.stdout),
        "--- a/c.yml\n+++ b/c.yml\n@@ -1,5 +1,5 @@\n services:\n   app01:\n-    image: nginx:1.25\n\
         +    image: nginx:1.27\n     ports:\n       - \"${APP_PORT:-5000}:5000\"\n"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), GOOD);
    let run = composex(
        dir.path(),
        &["set-image", "app01=nginx:1.27", "-f", "c.yml"],
    );
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        GOOD.replace("1.25", "1.27")
    );
    let unknown = composex(dir.path(), &["set-image", "app1=nginx:1", "-f", "c.yml"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("did you mean `app01`?"));
}

#[test]
fn a_build_only_service_renders_and_set_image_adds_its_image_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.yml");
    let text = "services:\n  web:\n    build: ./web\n    ports: [\"8000:8000\"]\n";
    std::fs::write(&path, text).unwrap();
    let validate = composex(dir.path(), &["validate", "-f", "c.yml"]);
    assert_eq!(validate.status.code(), Some(0), "{}", stderr(&validate));
    let warned = stderr(&validate);
    assert_eq!(warned.matches("warning[").count(), 1, "{warned}");
    assert!(warned.contains("warning[CX331]"), "{warned}");
    assert!(warned.contains("composex set-image web=URI"), "{warned}");
    let render = composex(dir.path(), &["render", "-f", "c.yml", "-d", "out"]);
    assert_eq!(render.status.code(), Some(0), "{}", stderr(&render));
    let params = std::fs::read_to_string(dir.path().join("out/composex.params.json")).unwrap();
    assert!(
        params.contains("\"ParameterKey\": \"WebImageUrl\",\n    \"ParameterValue\": \"\""),
        "{params}"
    );
    // A value given on the command line fills the parameter: nothing to warn about.
    let filled = composex(
        dir.path(),
        &[
            "render",
            "-f",
            "c.yml",
            "-d",
            "out2",
            "--param",
            "WebImageUrl=registry.example.com/web:1",
        ],
    );
    assert_eq!(filled.status.code(), Some(0), "{}", stderr(&filled));
    assert!(!stderr(&filled).contains("CX331"), "{}", stderr(&filled));
    let run = composex(
        dir.path(),
        &[
            "set-image",
            "web=registry.example.com/web:abc123",
            "-f",
            "c.yml",
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "services:\n  web:\n    image: registry.example.com/web:abc123\n    build: ./web\n    ports: [\"8000:8000\"]\n"
    );
    let again = composex(dir.path(), &["validate", "-f", "c.yml"]);
    assert!(!stderr(&again).contains("CX331"), "{}", stderr(&again));
}

#[test]
fn render_writes_files_and_check_detects_changes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yml"), GOOD).unwrap();
    let out = composex(
        dir.path(),
        &["render", "-n", "demo", "-f", "c.yml", "-d", "out"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("out/demo.yaml").is_file());
    let check = composex(
        dir.path(),
        &[
            "render", "-n", "demo", "-f", "c.yml", "-d", "out", "--check",
        ],
    );
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    std::fs::write(dir.path().join("c.yml"), GOOD.replace("1.25", "1.26")).unwrap();
    let check = composex(
        dir.path(),
        &[
            "render", "-n", "demo", "-f", "c.yml", "-d", "out", "--check",
        ],
    );
    assert_eq!(check.status.code(), Some(1));
    let text = stderr(&check);
    // a unified diff per changed file, with three lines of context around the change
    let app01 = [
        "--- a/app01.yaml",
        "+++ b/app01.yaml",
        "@@ -3,7 +3,7 @@",
        " Parameters:",
        "   App01ImageUrl:",
        "     Type: String",
        "-    Default: nginx:1.25",
        "+    Default: nginx:1.26",
        "     Description: 'Image of container app01 (registry/repository:tag)'",
        "   VpcId:",
        "     Type: AWS::EC2::VPC::Id",
        "",
    ];
    assert!(text.contains(&app01.join("\n")), "{text}");
    let params = [
        "--- a/app01.params.json",
        "+++ b/app01.params.json",
        "@@ -1,6 +1,6 @@",
        " [",
        "   {",
        "     \"ParameterKey\": \"App01ImageUrl\",",
        "-    \"ParameterValue\": \"nginx:1.25\"",
        "+    \"ParameterValue\": \"nginx:1.26\"",
        "   }",
        " ]",
        "",
    ];
    assert!(text.contains(&params.join("\n")), "{text}");
    assert!(
        text.ends_with("6 of 9 files would change in out\n"),
        "{text}"
    );
    // a file missing from the folder is a diff from /dev/null
    std::fs::remove_file(dir.path().join("out/vpc.yaml")).unwrap();
    let check = composex(
        dir.path(),
        &[
            "render", "-n", "demo", "-f", "c.yml", "-d", "out", "--check",
        ],
    );
    let text = stderr(&check);
    assert!(
        text.contains("--- /dev/null\n+++ b/vpc.yaml\n@@ -0,0 +1,"),
        "{text}"
    );
    assert!(
        text.ends_with("7 of 9 files would change in out\n"),
        "{text}"
    );
}

#[test]
fn render_rewrites_only_the_files_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yml"), GOOD).unwrap();
    let args = ["render", "-n", "demo", "-f", "c.yml", "-d", "out"];
    let first = composex(dir.path(), &args);
    assert!(
        stderr(&first).contains("wrote 9 files to out\n"),
        "{}",
        stderr(&first)
    );
    let out = dir.path().join("out");
    let mtime = |name: &str| {
        std::fs::metadata(out.join(name))
            .unwrap()
            .modified()
            .unwrap()
    };
    let vpc_before = mtime("vpc.yaml");
    // A new image changes app01's template and parameter files (and the root's), not the VPC's.
    std::fs::write(dir.path().join("c.yml"), GOOD.replace("1.25", "1.26")).unwrap();
    let second = composex(dir.path(), &args);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("wrote 6 files to out (3 already up to date)"),
        "{}",
        stderr(&second)
    );
    assert_eq!(
        mtime("vpc.yaml"),
        vpc_before,
        "an unchanged file is left alone"
    );
    let app01 = std::fs::read_to_string(out.join("app01.yaml")).unwrap();
    assert!(app01.contains("nginx:1.26"), "{app01}");
    // No temp file is left behind.
    let names = names_in(&out);
    assert!(
        names.iter().all(|n| !n.ends_with(".composex-tmp")),
        "{names:?}"
    );
    // Nothing changed: nothing is written.
    let third = composex(dir.path(), &args);
    assert!(
        stderr(&third).contains("wrote 0 files to out (9 already up to date)"),
        "{}",
        stderr(&third)
    );
}

/// Every name in `dir`, sorted.
fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `composex render` of the project `demo` in `c.yml` into `folder`, both under `dir`.
fn render_demo_into(dir: &std::path::Path, folder: &str) -> std::process::Output {
    composex(dir, &["render", "-n", "demo", "-f", "c.yml", "-d", folder])
}

#[test]
fn render_into_a_new_folder_makes_it_whole_and_leaves_no_staging_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yml"), GOOD).unwrap();
    // A folder two levels down that does not exist: staged beside it, then renamed into place.
    let first = render_demo_into(dir.path(), "out/deep");
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("wrote 9 files to out/deep\n"),
        "{}",
        stderr(&first)
    );
    assert_eq!(names_in(&dir.path().join("out")), ["deep"]);
    let written = names_in(&dir.path().join("out/deep"));
    assert_eq!(written.len(), 9, "{written:?}");
    assert!(written.contains(&"demo.yaml".to_string()), "{written:?}");
    let root = std::fs::read_to_string(dir.path().join("out/deep/demo.yaml")).unwrap();
    assert!(root.contains("AWS::CloudFormation::Stack"), "{root}");

    // An empty folder that exists is filled, and a folder with other files keeps them.
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let second = render_demo_into(dir.path(), "empty");
    assert!(
        stderr(&second).contains("wrote 9 files to empty\n"),
        "{}",
        stderr(&second)
    );
    assert_eq!(names_in(&dir.path().join("empty")), written);
    std::fs::create_dir(dir.path().join("mixed")).unwrap();
    std::fs::write(dir.path().join("mixed/keep.txt"), "mine").unwrap();
    let third = render_demo_into(dir.path(), "mixed");
    assert!(
        stderr(&third).contains("wrote 9 files to mixed\n"),
        "{}",
        stderr(&third)
    );
    assert_eq!(names_in(&dir.path().join("mixed")).len(), 10);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mixed/keep.txt")).unwrap(),
        "mine"
    );
    // A dangling link is not replaced by the new folder: the render says it cannot write there.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("link")).unwrap();
        let fourth = render_demo_into(dir.path(), "link");
        assert_eq!(fourth.status.code(), Some(2), "{}", stderr(&fourth));
        let link = std::fs::symlink_metadata(dir.path().join("link")).unwrap();
        assert!(link.file_type().is_symlink());
    }
    // Nothing hidden is left beside the folders.
    let top = names_in(dir.path());
    assert!(top.iter().all(|n| !n.starts_with('.')), "{top:?}");
}

#[test]
fn render_with_errors_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("c.yml"),
        "services:\n  a:\n    image: x\n    image: y\n",
    )
    .unwrap();
    let out = composex(dir.path(), &["render", "-f", "c.yml", "-d", "out"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn explain_prints_the_long_text_of_a_code() {
    let dir = tempfile::tempdir().unwrap();
    let out = composex(dir.path(), &["explain", "CX104"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("CX104 (error): a key defined twice in one mapping\n"),
        "{text}"
    );
    assert!(
        text.contains("This docker-compose.yml gets CX104:"),
        "{text}"
    );
    assert!(text.contains("        image: nginx:1.27\n"), "{text}");
    assert!(text.contains("\nFixed:\n"), "{text}");
    // The bad example of the text is the one validate reports: run it.
    let bad: String = text
        .split("gets CX104:\n\n")
        .nth(1)
        .and_then(|rest| rest.split("\nFixed:").next())
        .unwrap()
        .lines()
        .map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or(l)))
        .collect();
    std::fs::write(dir.path().join("bad.yml"), bad).unwrap();
    let checked = composex(dir.path(), &["validate", "-f", "bad.yml"]);
    assert_eq!(checked.status.code(), Some(1));
    assert!(
        stderr(&checked).contains("error[CX104]"),
        "{}",
        stderr(&checked)
    );
    // lower case and bare numbers name the same code
    let lower = composex(dir.path(), &["explain", "cx104"]);
    assert_eq!(lower.stdout, out.stdout);
}

#[test]
fn explain_of_an_unknown_code_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = composex(dir.path(), &["explain", "CX999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("no diagnostic code `CX999`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(composex(dir.path(), &["explain"]).status.code(), Some(2));
}

#[test]
fn explain_list_prints_every_code_with_its_title() {
    let dir = tempfile::tempdir().unwrap();
    let out = composex(dir.path(), &["explain", "--list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), composex_core::codes::all().len());
    assert!(
        lines.contains(&"CX104  error    a key defined twice in one mapping"),
        "{text}"
    );
    assert!(
        lines.contains(&"CX202  warning  variable is not set"),
        "{text}"
    );
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "sorted by code");
}

/// Like docker compose: without `-f`, `COMPOSE_FILE`, else `compose.yaml` (and its override)
/// here or in the nearest parent; `COMPOSE_PROJECT_NAME` names the root stack.
#[test]
fn compose_files_are_found_as_docker_compose_finds_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("compose.yaml"), GOOD).unwrap();
    std::fs::write(
        dir.path().join("compose.override.yaml"),
        "services:\n  app01:\n    image: nginx:1.27\n",
    )
    .unwrap();
    let sub = dir.path().join("src/app");
    std::fs::create_dir_all(&sub).unwrap();
    // From a subdirectory: the parent's compose.yaml and its override, merged.
    let merged = composex(&sub, &["merge"]);
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    let text = String::from_utf8_lossy(&merged.stdout);
    assert!(text.contains("nginx:1.27"), "{text}");
    // COMPOSE_PROJECT_NAME names the root template.
    let render = Command::new(env!("CARGO_BIN_EXE_composex"))
        .current_dir(dir.path())
        .args(["render", "-d", "out"])
        .env("COMPOSE_PROJECT_NAME", "shop")
        .env_remove("COMPOSE_FILE")
        .output()
        .unwrap();
    assert_eq!(render.status.code(), Some(0), "{}", stderr(&render));
    assert!(dir.path().join("out/shop.yaml").is_file());
    // COMPOSE_FILE wins over the default names.
    std::fs::write(dir.path().join("other.yml"), "services: [broken\n").unwrap();
    let chosen = Command::new(env!("CARGO_BIN_EXE_composex"))
        .current_dir(dir.path())
        .args(["validate", "--color", "never"])
        .env("COMPOSE_FILE", "other.yml")
        .output()
        .unwrap();
    assert_eq!(chosen.status.code(), Some(1));
    assert!(
        stderr(&chosen).contains("other.yml:1:"),
        "{}",
        stderr(&chosen)
    );
    // Nothing to find: a usage error that says how to give one.
    let empty = tempfile::tempdir().unwrap();
    let none = Command::new(env!("CARGO_BIN_EXE_composex"))
        .current_dir(empty.path())
        .args(["validate"])
        .env_remove("COMPOSE_FILE")
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
    assert!(
        stderr(&none).contains("no compose file"),
        "{}",
        stderr(&none)
    );
}

/// The binary must link `composex-alloc` (a `use composex_alloc as _;` once left it out and only
/// `nm` showed it). mimalloc reads `MIMALLOC_VERBOSE` and says so when the process starts; glibc's
/// malloc ignores the variable, so the line appears only when mimalloc is the allocator.
#[test]
fn the_binary_allocates_with_mimalloc() {
    let out = Command::new(env!("CARGO_BIN_EXE_composex"))
        .arg("--version")
        .env("MIMALLOC_VERBOSE", "1")
        .output()
        .expect("run composex");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("mimalloc: process init"),
        "no mimalloc start-up line: {}",
        stderr(&out)
    );
    let quiet = Command::new(env!("CARGO_BIN_EXE_composex"))
        .arg("--version")
        .env_remove("MIMALLOC_VERBOSE")
        .output()
        .expect("run composex");
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
}

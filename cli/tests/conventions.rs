//! The terminal conventions docker compose users expect: which files are read without `-f`,
//! `COMPOSE_FILE`, the project name's precedence, shell completions and `--version`.

use std::path::Path;
use std::process::{Command, Output};

/// Runs composex in `dir` with only the given compose variables set.
fn composex(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_composex"));
    command.current_dir(dir).args(args);
    for var in [
        "COMPOSE_FILE",
        "COMPOSE_PATH_SEPARATOR",
        "COMPOSE_PROJECT_NAME",
        "COMPOSE_PROFILES",
        "NO_COLOR",
        "CLICOLOR_FORCE",
    ] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    command.output().expect("run composex")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn service(image: &str) -> String {
    format!("services:\n  web:\n    image: {image}\n")
}

/// The image `composex merge` reads for service `web`.
fn merged_image(dir: &Path, env: &[(&str, &str)]) -> String {
    let out = composex(dir, &["merge"], env);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    text.lines()
        .find_map(|l| l.trim().strip_prefix("image: "))
        .unwrap_or_else(|| panic!("no image in {text}"))
        .to_string()
}

#[test]
fn default_file_names_are_tried_in_docker_compose_order() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "docker-compose.yml", &service("d-yml:1"));
    assert_eq!(merged_image(dir.path(), &[]), "d-yml:1");
    write(dir.path(), "docker-compose.yaml", &service("d-yaml:1"));
    assert_eq!(merged_image(dir.path(), &[]), "d-yaml:1");
    write(dir.path(), "compose.yml", &service("c-yml:1"));
    assert_eq!(merged_image(dir.path(), &[]), "c-yml:1");
    write(dir.path(), "compose.yaml", &service("c-yaml:1"));
    assert_eq!(merged_image(dir.path(), &[]), "c-yaml:1");
    // The override file of the chosen name is merged on top.
    write(dir.path(), "compose.override.yaml", &service("override:2"));
    assert_eq!(merged_image(dir.path(), &[]), "override:2");
}

#[test]
fn compose_file_lists_files_with_the_path_separator() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "compose.yaml", &service("default:1"));
    write(dir.path(), "base.yml", &service("base:1"));
    write(dir.path(), "prod.yml", &service("prod:1"));
    // Both files, merged in order: the last one wins.
    let env = [("COMPOSE_FILE", "base.yml:prod.yml")];
    assert_eq!(merged_image(dir.path(), &env), "prod:1");
    let env = [("COMPOSE_FILE", "prod.yml:base.yml")];
    assert_eq!(merged_image(dir.path(), &env), "base:1");
    // Another separator, as on Windows.
    let env = [
        ("COMPOSE_FILE", "prod.yml;base.yml"),
        ("COMPOSE_PATH_SEPARATOR", ";"),
    ];
    assert_eq!(merged_image(dir.path(), &env), "base:1");
    // `-f` wins over COMPOSE_FILE.
    let out = composex(
        dir.path(),
        &["merge", "-f", "compose.yaml"],
        &[("COMPOSE_FILE", "prod.yml")],
    );
    assert!(
        stdout(&out).contains("image: default:1"),
        "{}",
        stdout(&out)
    );
    // A file COMPOSE_FILE names that does not exist is an IO error naming it.
    let out = composex(dir.path(), &["merge"], &[("COMPOSE_FILE", "missing.yml")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.yml"), "{}", stderr(&out));
}

/// The root template's name: `-p`/`-n`, else COMPOSE_PROJECT_NAME, else the file's `name:`,
/// else `composex`.
#[test]
fn project_name_precedence_follows_docker_compose() {
    let dir = tempfile::tempdir().unwrap();
    let root_of = |args: &[&str], env: &[(&str, &str)]| -> Vec<String> {
        let out_dir = dir.path().join("out");
        let _ = std::fs::remove_dir_all(&out_dir);
        let mut all = vec!["render", "-d", "out"];
        all.extend_from_slice(args);
        let out = composex(dir.path(), &all, env);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let mut roots: Vec<String> = std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml"))
            .filter(|n| {
                std::fs::read_to_string(out_dir.join(n))
                    .unwrap()
                    .contains("AWS::CloudFormation::Stack")
            })
            .collect();
        roots.sort();
        roots
    };
    write(dir.path(), "compose.yaml", &service("nginx:1.27"));
    assert_eq!(root_of(&[], &[]), ["composex.yaml"]);
    write(
        dir.path(),
        "compose.yaml",
        &format!("name: shop\n{}", service("nginx:1.27")),
    );
    assert_eq!(root_of(&[], &[]), ["shop.yaml"]);
    let env = [("COMPOSE_PROJECT_NAME", "fromenv")];
    assert_eq!(root_of(&[], &env), ["fromenv.yaml"]);
    assert_eq!(root_of(&["-p", "flag"], &env), ["flag.yaml"]);
    assert_eq!(root_of(&["-n", "legacy"], &env), ["legacy.yaml"]);
    assert_eq!(root_of(&["--project-name", "long"], &[]), ["long.yaml"]);
}

#[test]
fn completions_are_printed_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F _composex"),
        ("zsh", "#compdef composex"),
        ("fish", "complete -c composex"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[composex]"),
    ] {
        let out = composex(dir.path(), &["completions", shell], &[]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell}: {script}");
        for subcommand in ["render", "validate", "set-image", "completions"] {
            assert!(script.contains(subcommand), "{shell} lacks {subcommand}");
        }
    }
    let out = composex(dir.path(), &["completions", "tcsh"], &[]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn the_bash_completion_script_parses_and_completes_subcommands() {
    let dir = tempfile::tempdir().unwrap();
    let out = composex(dir.path(), &["completions", "bash"], &[]);
    let script = dir.path().join("composex.bash");
    std::fs::write(&script, stdout(&out)).unwrap();
    // Source it, then ask for the completions of `composex ren`.
    let probe = format!(
        "source {}; COMP_WORDS=(composex ren); COMP_CWORD=1; _composex composex ren composex; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let Ok(bash) = Command::new("bash").args(["-c", &probe]).output() else {
        eprintln!("bash not found: skipped");
        return;
    };
    assert!(bash.status.success(), "{}", stderr(&bash));
    let words = stdout(&bash);
    assert_eq!(words.trim(), "render", "{words}");
}

#[test]
fn version_names_the_git_commit() {
    let dir = tempfile::tempdir().unwrap();
    let out = composex(dir.path(), &["--version"], &[]);
    let text = stdout(&out);
    let words: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(words.first(), Some(&"composex"), "{text}");
    assert_eq!(words.get(1), Some(&env!("CARGO_PKG_VERSION")), "{text}");
    let commit = words
        .get(2)
        .unwrap_or(&"")
        .trim_matches(|c| c == '(' || c == ')');
    let hex = commit.trim_end_matches("-dirty");
    assert!(
        hex == "unknown" || (hex.len() == 12 && hex.chars().all(|c| c.is_ascii_hexdigit())),
        "{text}"
    );
}

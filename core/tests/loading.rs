//! Loading conformance: `env_file`, `extends`, `include` and `profiles` as compose-go (v2, late
//! 2025) loads them. Each expected value was worked out by hand from compose-go's loader (its
//! include, extends, profile and service-environment code) and the compose specification.

use composex_core::compose::{self, model::Service};
use composex_core::{Diagnostic, Input, Options, Severity, SourceFile};

/// A project: `docker-compose.yml` plus extra files keyed by project-relative path.
fn project(compose: &str, extra: &[(&str, &str)]) -> Input {
    Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: compose.into(),
        }],
        extra_files: extra
            .iter()
            .map(|(k, t)| {
                (
                    k.to_string(),
                    SourceFile {
                        name: format!("dir/{k}"),
                        text: t.to_string(),
                    },
                )
            })
            .collect(),
        ..Input::default()
    }
}

fn with_profiles(mut input: Input, profiles: &[&str]) -> Input {
    input.options = Options {
        profiles: profiles.iter().map(|p| p.to_string()).collect(),
        ..Options::default()
    };
    input
}

/// The loaded services (panics on load errors, printing them).
fn services(input: &Input) -> indexmap::IndexMap<String, Service> {
    let loaded = compose::load(input);
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    loaded.project.expect("a project").services
}

fn env(service: &Service) -> Vec<(String, Option<String>)> {
    let mut vars: Vec<_> = service
        .environment
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    vars.sort();
    vars
}

fn some(pairs: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
    let mut v: Vec<_> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Some(v.to_string())))
        .collect();
    v.sort();
    v
}

/// Diagnostics located by `merge`: (severity, code, file name, the text the span covers).
fn located(input: &Input) -> Vec<(Severity, &'static str, String, String)> {
    let out = composex_core::merge(input);
    let sources = input.source_files();
    out.diagnostics
        .iter()
        .map(|d: &Diagnostic| {
            let loc = d.location.as_ref().expect("located");
            let text = sources
                .iter()
                .find(|f| f.name == loc.file)
                .map(|f| f.text[loc.start..loc.end].to_string())
                .unwrap_or_default();
            (d.severity, d.code, loc.file.clone(), text)
        })
        .collect()
}

fn errors(input: &Input) -> Vec<(&'static str, String, String)> {
    located(input)
        .into_iter()
        .filter(|d| d.0 == Severity::Error)
        .map(|(_, c, f, t)| (c, f, t))
        .collect()
}

fn merged_text(input: &Input) -> String {
    let out = composex_core::merge(input);
    assert!(!out.has_errors(), "{:#?}", out.diagnostics);
    out.files[0].text.clone()
}

// ---------------------------------------------------------------- env_file

#[test]
fn env_file_short_and_list_forms_fill_the_environment() {
    let one = project(
        "services:\n  web:\n    image: nginx\n    env_file: web.env\n",
        &[("web.env", "A=1\n# comment\nexport B=two words\n")],
    );
    assert_eq!(
        env(&services(&one)["web"]),
        some(&[("A", "1"), ("B", "two words")])
    );
    let list = project(
        "services:\n  web:\n    image: nginx\n    env_file: [./a.env, sub/b.env]\n",
        &[
            ("a.env", "A=1\nB=from-a\n"),
            ("sub/b.env", "B=from-b\nC=3\n"),
        ],
    );
    // A later file wins over an earlier one.
    assert_eq!(
        env(&services(&list)["web"]),
        some(&[("A", "1"), ("B", "from-b"), ("C", "3")])
    );
}

#[test]
fn environment_wins_over_env_files_even_without_a_value() {
    let input = project(
        "services:\n  web:\n    image: nginx\n    env_file: web.env\n    environment:\n      A: own\n      B:\n",
        &[("web.env", "A=file\nB=file\nC=file\n")],
    );
    // `B:` has no value and no project variable: compose keeps it unset, over the file's B.
    assert_eq!(
        env(&services(&input)["web"]),
        vec![
            ("A".to_string(), Some("own".to_string())),
            ("B".to_string(), None),
            ("C".to_string(), Some("file".to_string())),
        ]
    );
}

#[test]
fn env_file_values_interpolate_from_project_then_service_then_earlier_files() {
    let mut input = project(
        "services:\n  web:\n    image: nginx\n    env_file: [a.env, b.env]\n    environment:\n      SVC: from-service\n      BOTH: service\n",
        &[
            ("a.env", "EARLY=early\n"),
            (
                "b.env",
                "X=${SVC}\nY=${BOTH}\nZ=${EARLY}-${MISSING:-dflt}\nQ='${SVC}'\nINHERIT\n",
            ),
        ],
    );
    input.env = [("BOTH", "project"), ("INHERIT", "from-project")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let web = &services(&input)["web"];
    let got = env(web);
    let find = |k: &str| {
        got.iter()
            .find(|(n, _)| n == k)
            .and_then(|(_, v)| v.clone())
    };
    assert_eq!(find("X").as_deref(), Some("from-service"));
    assert_eq!(find("Y").as_deref(), Some("project"), "project env first");
    assert_eq!(find("Z").as_deref(), Some("early-dflt"));
    assert_eq!(
        find("Q").as_deref(),
        Some("${SVC}"),
        "single quotes are literal"
    );
    assert_eq!(find("INHERIT").as_deref(), Some("from-project"));
}

#[test]
fn raw_format_takes_values_as_written() {
    let input = project(
        "services:\n  web:\n    image: nginx\n    env_file:\n      - path: raw.env\n        format: raw\n",
        &[("raw.env", "  A=\"quoted\" $HOME ${X}\n# no\nB=x=y\n")],
    );
    assert_eq!(
        env(&services(&input)["web"]),
        some(&[("A", "\"quoted\" $HOME ${X}"), ("B", "x=y")])
    );
    let bad = project(
        "services:\n  web:\n    image: nginx\n    env_file:\n      - path: raw.env\n        format: raw\n",
        &[("raw.env", "BAD NAME=1\n")],
    );
    assert_eq!(
        errors(&bad),
        vec![("CX263", "dir/raw.env".to_string(), "BAD NAME".to_string())]
    );
}

#[test]
fn unknown_format_is_refused_at_the_format() {
    let input = project(
        "services:\n  web:\n    image: nginx\n    env_file:\n      - path: a.env\n        format: json\n",
        &[("a.env", "A=1\n")],
    );
    assert_eq!(
        errors(&input),
        vec![(
            "CX262",
            "docker-compose.yml".to_string(),
            "json".to_string()
        )]
    );
}

#[test]
fn missing_required_env_file_is_an_error_at_the_entry() {
    for entry in [
        "env_file: ./nope.env",
        "env_file:\n      - path: ./nope.env\n        required: true",
    ] {
        let input = project(
            &format!("services:\n  web:\n    image: nginx\n    {entry}\n"),
            &[],
        );
        assert_eq!(
            errors(&input),
            vec![(
                "CX260",
                "docker-compose.yml".to_string(),
                "./nope.env".to_string()
            )],
            "{entry}"
        );
    }
}

#[test]
fn missing_optional_env_file_is_skipped_with_an_info() {
    let input = project(
        "services:\n  web:\n    image: nginx\n    env_file:\n      - path: ./opt.env\n        required: false\n      - a.env\n",
        &[("a.env", "A=1\n")],
    );
    assert_eq!(env(&services(&input)["web"]), some(&[("A", "1")]));
    assert_eq!(
        located(&input),
        vec![(
            Severity::Info,
            "CX261",
            "docker-compose.yml".to_string(),
            "./opt.env".to_string()
        )]
    );
}

#[test]
fn env_file_problems_are_located_in_the_env_file() {
    let input = project(
        "services:\n  web:\n    image: nginx\n    env_file: a.env\n",
        &[("a.env", "OK=1\nA='unterminated\n")],
    );
    let errs = errors(&input);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!((errs[0].0, errs[0].1.as_str()), ("CX296", "dir/a.env"));
}

#[test]
fn merge_prints_the_environment_and_drops_env_file() {
    let input = project(
        "services:\n  web:\n    image: nginx\n    env_file: a.env\n    environment: [OWN=1]\n",
        &[("a.env", "FROM_FILE=x\n")],
    );
    let text = merged_text(&input);
    assert!(!text.contains("env_file"), "{text}");
    assert!(text.contains("FROM_FILE: x"), "{text}");
    assert!(text.contains("OWN: \"1\""), "{text}");
}

// ---------------------------------------------------------------- extends

#[test]
fn extends_in_the_same_file_both_forms() {
    for form in ["extends: base", "extends:\n      service: base"] {
        let input = project(
            &format!(
                "services:\n  base:\n    image: app:1\n    user: \"1000\"\n    read_only: true\n    environment: [A=base, B=base]\n    command: [base]\n  web:\n    {form}\n    environment:\n      B: web\n    command: [web]\n"
            ),
            &[],
        );
        let all = services(&input);
        let web = &all["web"];
        assert_eq!(web.user.as_deref(), Some("1000"), "{form}");
        assert!(web.read_only, "{form}");
        assert_eq!(env(web), some(&[("A", "base"), ("B", "web")]), "{form}");
        // command is replaced, not appended (compose's merge exception).
        assert_eq!(web.command.as_ref().unwrap().value, vec!["web".to_string()]);
        assert_eq!(
            all["base"].command.as_ref().unwrap().value,
            vec!["base".to_string()]
        );
    }
}

#[test]
fn extends_chains_and_reset() {
    let input = project(
        "services:\n  a:\n    image: app:1\n    ports: [\"80:80\"]\n    user: \"1\"\n  b:\n    extends: a\n    ports: [\"81:81\"]\n  c:\n    extends: b\n    user: !reset null\n",
        &[],
    );
    let all = services(&input);
    let c = &all["c"];
    assert_eq!(c.image.as_ref().map(|i| i.value.as_str()), Some("app:1"));
    assert_eq!(c.ports.len(), 2, "sequences append along the chain");
    assert_eq!(c.user, None, "!reset removes the inherited value");
    assert_eq!(all["b"].user.as_deref(), Some("1"));
}

#[test]
fn extends_override_tag_replaces_and_same_ports_merge() {
    let input = project(
        "services:\n  a:\n    image: a\n    ports: [\"8000:8000\"]\n    depends_on: [c]\n  b:\n    extends: a\n    ports: [\"8000:8000\"]\n    depends_on: !override [a]\n  c:\n    image: c\n",
        &[],
    );
    let b = &services(&input)["b"];
    assert_eq!(b.depends_on.keys().collect::<Vec<_>>(), vec!["a"]);
    assert_eq!(
        b.ports.len(),
        1,
        "the same port from both sides is one port"
    );
}

#[test]
fn extending_an_empty_service_keeps_the_own_definition() {
    let input = project(
        "services:\n  empty:\n  web:\n    image: nginx\n    extends: empty\n",
        &[],
    );
    // (`empty` itself has no image: that is its own error, CX236, as in compose.)
    assert_eq!(
        errors(&input),
        vec![(
            "CX236",
            "docker-compose.yml".to_string(),
            "empty".to_string()
        )]
    );
    let project = compose::load(&input).project.unwrap();
    assert_eq!(
        project.services["web"]
            .image
            .as_ref()
            .map(|i| i.value.as_str()),
        Some("nginx")
    );
}

#[test]
fn extends_from_another_file_rebases_its_paths() {
    let input = project(
        "services:\n  web:\n    extends:\n      file: common/base.yml\n      service: base\n    image: nginx\n",
        &[
            (
                "common/base.yml",
                "services:\n  base:\n    env_file: ./base.env\n    build: ./ctx\n    extends:\n      file: ../root.yml\n      service: root\n",
            ),
            ("common/base.env", "FROM_BASE=1\n"),
            ("root.yml", "services:\n  root:\n    user: \"42\"\n"),
        ],
    );
    let web = &services(&input)["web"];
    assert_eq!(env(web), some(&[("FROM_BASE", "1")]));
    assert_eq!(web.user.as_deref(), Some("42"));
    let text = merged_text(&input);
    assert!(text.contains("context: ./common/ctx"), "{text}");
    assert!(!text.contains("extends"), "{text}");
}

#[test]
fn extends_may_name_the_compose_file_itself() {
    let input = project(
        "services:\n  base:\n    image: base:1\n  web:\n    extends:\n      file: ./docker-compose.yml\n      service: base\n",
        &[],
    );
    assert_eq!(
        services(&input)["web"]
            .image
            .as_ref()
            .map(|i| i.value.as_str()),
        Some("base:1")
    );
    assert!(compose::wanted_files(&input).is_empty());
}

#[test]
fn extends_problems_are_located() {
    let missing_service = project(
        "services:\n  bsae:\n    image: a\n  web:\n    image: w\n    extends: base\n",
        &[],
    );
    assert_eq!(
        errors(&missing_service),
        vec![(
            "CX266",
            "docker-compose.yml".to_string(),
            "base".to_string()
        )]
    );
    let out = composex_core::merge(&missing_service);
    assert_eq!(
        out.diagnostics[0].help.as_deref(),
        Some("did you mean `bsae`?")
    );

    let cycle = project(
        "services:\n  a:\n    image: x\n    extends: b\n  b:\n    image: y\n    extends:\n      service: a\n",
        &[],
    );
    let errs = errors(&cycle);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!((errs[0].0, errs[0].2.as_str()), ("CX267", "a"));
    assert_eq!(
        composex_core::merge(&cycle).diagnostics[0].message,
        "`extends` cycle: a → b → a"
    );
    let self_cycle = project("services:\n  a:\n    image: x\n    extends: a\n", &[]);
    assert_eq!(
        errors(&self_cycle),
        vec![("CX267", "docker-compose.yml".to_string(), "a".to_string())]
    );

    let missing_file = project(
        "services:\n  web:\n    image: w\n    extends:\n      file: nope.yml\n      service: base\n",
        &[],
    );
    assert_eq!(
        errors(&missing_file),
        vec![(
            "CX260",
            "docker-compose.yml".to_string(),
            "nope.yml".to_string()
        )]
    );
    let not_in_file = project(
        "services:\n  web:\n    image: w\n    extends:\n      file: other.yml\n      service: base\n",
        &[("other.yml", "services:\n  db:\n    image: x\n")],
    );
    assert_eq!(
        errors(&not_in_file),
        vec![(
            "CX266",
            "docker-compose.yml".to_string(),
            "base".to_string()
        )]
    );
    let no_name = project(
        "services:\n  web:\n    image: x\n    extends:\n      file: other.yml\n",
        &[],
    );
    assert_eq!(errors(&no_name)[0].0, "CX268");
}

#[test]
fn a_very_long_extends_chain_is_refused_not_a_crash() {
    // s0 extends s1 extends s2 ...: resolving s0 walks the whole chain.
    let chain = |n: usize| {
        let mut text = String::from("services:\n");
        for i in 0..n {
            text.push_str(&format!("  s{i}:\n    extends: s{}\n", i + 1));
        }
        text.push_str(&format!("  s{n}:\n    image: x\n"));
        project(&text, &[])
    };
    let errs = errors(&chain(300));
    // Each service cut off from its image also has neither image nor build (CX236).
    assert!(errs.iter().any(|e| e.0 == "CX271"));
    assert!(
        errs.iter().all(|e| e.0 == "CX271" || e.0 == "CX236"),
        "{:?}",
        &errs[..3.min(errs.len())]
    );
    // Chains up to the limit resolve.
    let all = services(&chain(60));
    assert_eq!(
        all["s0"].image.as_ref().map(|i| i.value.as_str()),
        Some("x")
    );
}

#[test]
fn extends_sees_only_its_own_document() {
    // compose-go applies extends per file before merging: an override file cannot extend a
    // service of the base file.
    let mut input = project("services:\n  base:\n    image: a\n", &[]);
    input.files.push(SourceFile {
        name: "override.yml".into(),
        text: "services:\n  web:\n    image: w\n    extends: base\n".into(),
    });
    assert_eq!(
        errors(&input),
        vec![("CX266", "override.yml".to_string(), "base".to_string())]
    );
}

// ---------------------------------------------------------------- include

#[test]
fn include_imports_resources_with_rebased_paths() {
    let input = project(
        "include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: nginx\n    depends_on: [db]\n",
        &[
            (
                "sub/compose.yaml",
                "services:\n  db:\n    image: postgres:16\n    env_file: db.env\n    volumes: [data:/var/lib/postgresql/data]\nvolumes:\n  data: {}\n",
            ),
            ("sub/db.env", "POSTGRES_DB=app\n"),
        ],
    );
    let all = services(&input);
    assert_eq!(
        all.keys().collect::<Vec<_>>(),
        vec!["web", "db"],
        "included services join the project"
    );
    assert_eq!(env(&all["db"]), some(&[("POSTGRES_DB", "app")]));
    let text = merged_text(&input);
    assert!(text.contains("volumes:\n  data"), "{text}");
    assert!(!text.contains("include"), "{text}");
}

#[test]
fn include_long_form_with_project_directory_and_env_file() {
    let input = project(
        "include:\n  - path: [lib/compose.yaml, lib/override.yaml]\n    project_directory: lib/root\n    env_file: ./inc.env\n",
        &[
            (
                "lib/compose.yaml",
                "services:\n  api:\n    image: api:${TAG}\n    env_file: api.env\n",
            ),
            ("lib/override.yaml", "services:\n  api:\n    user: \"7\"\n"),
            ("inc.env", "TAG=3.1\n"),
            // Relative to the project directory, not the file's directory.
            ("lib/root/api.env", "FROM=root\n"),
        ],
    );
    let api = &services(&input)["api"];
    assert_eq!(
        api.image.as_ref().map(|i| i.value.as_str()),
        Some("api:3.1")
    );
    assert_eq!(api.user.as_deref(), Some("7"));
    assert_eq!(env(api), some(&[("FROM", "root")]));
}

#[test]
fn include_reads_the_included_projects_dot_env_and_the_project_env_wins() {
    let mut input = project(
        "include:\n  - sub/compose.yaml\n",
        &[
            (
                "sub/compose.yaml",
                "services:\n  api:\n    image: api:${TAG}-${OS}\n",
            ),
            ("sub/.env", "TAG=from-dot-env\nOS=linux\n"),
        ],
    );
    input.env.insert("OS".into(), "from-project".into());
    assert_eq!(
        services(&input)["api"]
            .image
            .as_ref()
            .map(|i| i.value.as_str()),
        Some("api:from-dot-env-from-project")
    );
}

#[test]
fn including_file_definition_overrides_the_included_one() {
    let input = project(
        "include:\n  - inc.yml\nservices:\n  db:\n    image: postgres:17\n",
        &[(
            "inc.yml",
            "services:\n  db:\n    image: postgres:16\n    user: \"999\"\n",
        )],
    );
    let db = &services(&input)["db"];
    assert_eq!(
        db.image.as_ref().map(|i| i.value.as_str()),
        Some("postgres:17")
    );
    assert_eq!(db.user.as_deref(), Some("999"));
}

#[test]
fn a_service_can_extend_an_included_service() {
    let input = project(
        "include: [inc.yml]\nservices:\n  web:\n    extends: base\n",
        &[("inc.yml", "services:\n  base:\n    image: base:1\n")],
    );
    assert_eq!(
        services(&input)["web"]
            .image
            .as_ref()
            .map(|i| i.value.as_str()),
        Some("base:1")
    );
}

#[test]
fn include_problems_are_located() {
    let missing = project("include:\n  - nope.yml\nservices: {}\n", &[]);
    assert_eq!(
        errors(&missing),
        vec![(
            "CX260",
            "docker-compose.yml".to_string(),
            "nope.yml".to_string()
        )]
    );
    let missing_env = project(
        "include:\n  - path: a.yml\n    env_file: nope.env\n",
        &[("a.yml", "services: {}\n")],
    );
    assert_eq!(
        errors(&missing_env),
        vec![(
            "CX260",
            "docker-compose.yml".to_string(),
            "nope.env".to_string()
        )]
    );
    let not_a_list = project(
        "include: a.yml\nservices: {}\n",
        &[("a.yml", "services: {}\n")],
    );
    assert_eq!(errors(&not_a_list)[0].0, "CX269");
    let cycle = project(
        "include: [a.yml]\nservices: {}\n",
        &[
            ("a.yml", "include: [b/b.yml]\n"),
            ("b/b.yml", "include: [../a.yml]\n"),
        ],
    );
    assert_eq!(
        errors(&cycle),
        vec![("CX270", "dir/b/b.yml".to_string(), "../a.yml".to_string())]
    );
}

#[test]
fn remote_files_are_refused_at_the_path() {
    let include = project(
        "include:\n  - oci://docker.io/example/app:1\nservices: {}\n",
        &[],
    );
    assert_eq!(
        errors(&include),
        vec![(
            "CX272",
            "docker-compose.yml".to_string(),
            "oci://docker.io/example/app:1".to_string()
        )]
    );
    let extends = project(
        "services:\n  web:\n    image: a\n    extends:\n      file: https://example.com/c.yml\n      service: b\n",
        &[],
    );
    assert_eq!(
        errors(&extends),
        vec![(
            "CX272",
            "docker-compose.yml".to_string(),
            "https://example.com/c.yml".to_string()
        )]
    );
    assert!(compose::wanted_files(&extends).is_empty());
}

#[test]
fn wanted_files_lists_every_named_file() {
    let input = project(
        "include: [inc/c.yml]\nservices:\n  web:\n    image: a\n    env_file: [w.env]\n    extends: {file: base.yml, service: b}\n",
        &[("inc/c.yml", "services:\n  x:\n    image: x\n    env_file: x.env\n")],
    );
    assert_eq!(
        compose::wanted_files(&input),
        vec!["base.yml", "inc/.env", "inc/c.yml", "inc/x.env", "w.env"]
    );
}

// ---------------------------------------------------------------- profiles

const PROFILES: &str = "services:\n  web:\n    image: web\n  db:\n    image: db\n    profiles: [test]\n  cov:\n    image: cov\n    depends_on: [db]\n    profiles: [test]\n  debug:\n    image: debug\n    depends_on: [db]\n    profiles: [debug]\n";

fn names(input: &Input) -> Vec<String> {
    services(input).keys().cloned().collect()
}

#[test]
fn profiles_select_services_as_the_specification_example() {
    // The compose specification's example: no profile → web; test → web, db, cov; all → all.
    assert_eq!(names(&project(PROFILES, &[])), vec!["web"]);
    assert_eq!(
        names(&with_profiles(project(PROFILES, &[]), &["test"])),
        vec!["web", "db", "cov"]
    );
    assert_eq!(
        names(&with_profiles(project(PROFILES, &[]), &["*"])),
        vec!["web", "db", "cov", "debug"]
    );
    let left_out: Vec<_> = located(&project(PROFILES, &[]))
        .into_iter()
        .filter(|d| d.1 == "CX264")
        .map(|d| d.3)
        .collect();
    assert_eq!(left_out, vec!["[test]", "[test]", "[debug]"]);
}

#[test]
fn a_required_dependency_on_a_service_left_out_is_an_error() {
    // "debug" alone: debug depends on db, which only "test" enables: the model is invalid.
    let input = with_profiles(project(PROFILES, &[]), &["debug"]);
    assert_eq!(
        errors(&input),
        vec![("CX265", "docker-compose.yml".to_string(), "db".to_string())]
    );
    let optional = with_profiles(
        project(
            "services:\n  app:\n    image: a\n    depends_on:\n      otel:\n        condition: service_started\n        required: false\n  otel:\n    image: o\n    profiles: [telemetry]\n",
            &[],
        ),
        &[],
    );
    let all = services(&optional);
    assert_eq!(all.keys().collect::<Vec<_>>(), vec!["app"]);
    assert!(
        all["app"].depends_on.is_empty(),
        "the optional dependency is dropped"
    );
}

#[test]
fn env_files_of_services_left_out_are_not_read() {
    let input = project(
        "services:\n  web:\n    image: a\n  dbg:\n    image: b\n    profiles: [debug]\n    env_file: missing.env\n",
        &[],
    );
    assert!(errors(&input).is_empty());
}

#[test]
fn merge_resolves_everything_like_docker_compose_config() {
    let input = with_profiles(
        project(
            "include:\n  - sub/db.yml\nservices:\n  web:\n    extends:\n      file: common.yml\n      service: base\n    image: nginx:1.25\n    env_file: web.env\n    environment:\n      LEVEL: debug\n    depends_on: [db]\n  adminer:\n    image: adminer\n    profiles: [debug]\n  mailhog:\n    image: mailhog\n    profiles: [mail]\n",
            &[
                ("sub/db.yml", "services:\n  db:\n    image: postgres:16\n    env_file: db.env\n"),
                ("sub/db.env", "POSTGRES_DB=app\n"),
                ("common.yml", "services:\n  base:\n    user: \"1000\"\n    read_only: true\n    environment: [FROM_BASE=1]\n"),
                ("web.env", "LEVEL=info\nGREETING=\"hello ${NAME:-world}\"\n"),
            ],
        ),
        &["debug"],
    );
    insta::assert_snapshot!("merge_resolved", merged_text(&input));
}

// ---------------------------------------------------------------- rendered

/// The `Environment` of every container of every task definition, from a single JSON template.
fn rendered_environments(input: &Input) -> String {
    let mut input = input.clone();
    input.options.format = composex_core::Format::Json;
    input.options.layout = composex_core::Layout::Single;
    input.options.project_name = "app".into();
    let out = composex_core::render(&input);
    assert!(!out.has_errors(), "{:#?}", out.diagnostics);
    let template = out
        .files
        .iter()
        .find(|f| f.path == "app.json")
        .expect("app.json");
    let json: serde_json::Value = serde_json::from_str(&template.text).unwrap();
    let mut shown = serde_json::Map::new();
    for (id, resource) in json["Resources"].as_object().unwrap() {
        if resource["Type"] != "AWS::ECS::TaskDefinition" {
            continue;
        }
        for container in resource["Properties"]["ContainerDefinitions"]
            .as_array()
            .unwrap()
        {
            let name = format!("{id}/{}", container["Name"].as_str().unwrap_or(""));
            shown.insert(name, container["Environment"].clone());
        }
    }
    serde_json::to_string_pretty(&shown).unwrap()
}

#[test]
fn env_file_variables_reach_the_task_definition() {
    let input = project(
        "services:\n  web:\n    image: nginx:1.25\n    env_file: [web.env, ./override.env]\n    environment:\n      MODE: compose\n",
        &[
            ("web.env", "MODE=file\nGREETING=\"hello\\nworld\"\nPORT=8080\nURL=http://localhost:${PORT}/\n"),
            ("override.env", "PORT=9090\n"),
        ],
    );
    insta::assert_snapshot!("env_file_task_environment", rendered_environments(&input));
}

// ---------------------------------------------------------------- malformed

#[test]
fn malformed_loading_keys_are_located_errors_never_panics() {
    let cases = [
        "services:\n  web:\n    image: a\n    extends: [a]\n",
        "services:\n  web:\n    image: a\n    extends:\n      service: [x]\n",
        "services:\n  web:\n    image: a\n    extends:\n      file: [x]\n      service: b\n",
        "services:\n  web:\n    image: a\n    env_file: {a: b}\n",
        "services:\n  web:\n    image: a\n    env_file: [{path: null}]\n",
        "services:\n  web:\n    image: a\n    env_file: [{required: false}]\n",
        "services:\n  web:\n    image: a\n    profiles: debug\n",
        "include: [{path: [{a: b}]}]\nservices: {}\n",
        "include: [{project_directory: x}]\nservices: {}\n",
        "include: [[a.yml]]\nservices: {}\n",
        "include: {a: b}\nservices: {}\n",
        "include: [a.yml]\nservices: {}\n",
    ];
    for text in cases {
        let input = project(text, &[("a.yml", "- not a mapping\n")]);
        let out = composex_core::render(&input);
        let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(!errors.is_empty(), "{text}: no error");
        assert!(
            errors.iter().all(|d| d.location.is_some()),
            "{text}: {errors:#?}"
        );
    }
}

/// `render_loaded` renders from a load the caller already made (the CLI loads to find the extra
/// files): the same output as `render`, files and diagnostics, with an env_file and a profile.
#[test]
fn render_from_a_load_is_the_render() {
    let input = with_profiles(
        project(
            "services:\n  web:\n    image: nginx:1.27\n    env_file: web.env\n    ports: [\"80:80\"]\n  \
             debug:\n    image: busybox:1.36\n    profiles: [debug]\n    environment:\n      \
             PASSWORD: hunter2\n",
            &[("web.env", "GREETING=hello\n")],
        ),
        &["debug"],
    );
    let rendered = composex_core::render(&input);
    assert!(!rendered.files.is_empty(), "{:#?}", rendered.diagnostics);
    assert!(
        rendered.files.iter().any(|f| f.text.contains("GREETING")),
        "the env_file's variable is in a template"
    );
    assert!(
        !rendered.diagnostics.is_empty(),
        "the plain password draws a warning"
    );
    let from_load = composex_core::render_loaded(&input, compose::load(&input));
    assert_eq!(from_load, rendered);
}

//! ECS ComposeX corpus cases (services + the modules the ECS emitter and the network / cluster
//! emitters implement) render with no error through the whole pipeline. The corpus is read by path
//! and never copied into the repository.

mod ecs_common;

use ecs_common::*;

/// The corpus' use-cases: `$COMPOSEX_CORPUS/use-cases`, else `../shared/corpus/composex` next to
/// the checkout (or next to its parent, for worktrees).
#[allow(clippy::disallowed_methods)] // tests may read the environment; the core never does
fn corpus() -> Option<std::path::PathBuf> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let candidates = [
        std::env::var("COMPOSEX_CORPUS")
            .ok()
            .map(std::path::PathBuf::from),
        Some(repo.join("../shared/corpus/composex")),
        Some(repo.join("../../shared/corpus/composex")),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(|c| c.join("use-cases"))
        .find(|c| c.is_dir())
}

/// Corpus cases (their files, as cases.tsv lists them) whose keys are all implemented
/// (services, secrets, volumes, x-vpc, x-cluster, x-iam, x-network, x-logging, x-scaling,
/// x-cloudmap, x-tags).
const CASES: &[&[&str]] = &[
    &["blog.features.yml"],
    &["with_cloudmap.yml"],
    &["blog.features.yml", "ecs/service_to_service.yml"],
    &["blog.features.yml", "ecs/service_to_service_depend.yml"],
    &["blog.features.yml", "logging/variations.yml"],
];

#[test]
#[allow(clippy::disallowed_methods, clippy::print_stdout)] // tests may read files and print; the core never does
fn corpus_cases_render_without_errors() {
    let Some(root) = corpus() else {
        println!("corpus: skipped (not present)");
        return;
    };
    let mut rendered = 0;
    for case in CASES {
        let files: Vec<SourceFile> = case
            .iter()
            .map(|f| SourceFile {
                name: f.to_string(),
                text: std::fs::read_to_string(root.join(f)).expect("corpus file"),
            })
            .collect();
        let name = case.join("+");
        for (layout, sub) in [(Layout::Nested, "nested"), (Layout::Single, "single")] {
            let mut input = input("", Format::Yaml, layout);
            input.files = files.clone();
            let (files, diags) = render(&input);
            let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
            assert!(errors.is_empty(), "{name}: {errors:#?}");
            assert!(
                files.iter().any(|f| f.path == "myapps.yaml"),
                "{name}: no root template"
            );
            dump(
                &files,
                &format!("corpus/{}-{sub}", name.replace(['/', '+'], "-")),
            );
            rendered += 1;
        }
    }
    println!("corpus: {rendered} renders of {} cases", CASES.len());
}

//! Every case of ECS ComposeX's corpus through the whole render, in both layouts: never an
//! internal error (CX399, a wiring bug of ours), every error located in the case's files, and
//! every template rendered parses (serde_json / serde_yaml) with each `Ref` / `Fn::GetAtt`
//! naming a parameter, resource or pseudo parameter of its own template. Prints how
//! many cases render next to how many ComposeX rendered.
//!
//! Without the corpus the test prints `corpus: skipped (not present)` and passes.

use std::collections::BTreeMap;

use composex_core::{Input, Layout, Options};
use composex_tests::corpus::{add_named_files, cases, corpus_dir, source_files};
use composex_tests::refs;

#[test]
fn every_corpus_case_renders_or_fails_cleanly() {
    let Some(dir) = corpus_dir() else {
        println!("corpus: skipped (not present)");
        return;
    };
    let all = cases(&dir);
    assert!(
        all.len() >= 100,
        "only {} cases in {}",
        all.len(),
        dir.display()
    );
    let mut problems = Vec::new();
    let mut rendered = 0;
    let mut unlocated: BTreeMap<&str, usize> = BTreeMap::new();
    for case in &all {
        let files = source_files(&case.files);
        for layout in [Layout::Nested, Layout::Single] {
            let mut input = Input {
                files: files.clone(),
                env: BTreeMap::new(),
                options: Options {
                    project_name: "test".into(),
                    layout,
                    ..Options::default()
                },
                ..Input::default()
            };
            add_named_files(&mut input, &case.files);
            let output = composex_core::render(&input);
            let errors: Vec<_> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
            if let Some(d) = errors.iter().find(|d| d.code == "CX399") {
                problems.push(format!("{} ({layout:?}): {}", case.slug, d.message));
            }
            // Read back by independent parsers; every Ref / GetAtt names something declared.
            let files = output
                .files
                .iter()
                .map(|f| (f.path.as_str(), f.text.as_str()));
            for p in refs::check_files(files) {
                problems.push(format!("{} ({layout:?}): {p}", case.slug));
            }
            for d in &errors {
                if d.location.is_none() {
                    *unlocated.entry(d.code).or_default() += 1;
                }
            }
            if layout == Layout::Nested && errors.is_empty() && !output.files.is_empty() {
                rendered += 1;
            }
        }
    }
    let composex = all.iter().filter(|c| c.outcome == "ok").count();
    println!(
        "corpus render: {rendered} of {} cases rendered; ECS ComposeX 1.1.9 rendered {composex} (most others need AWS lookups)",
        all.len()
    );
    assert!(problems.is_empty(), "{problems:#?}");
    // Errors about the project as a whole (CX391: nothing to deploy is a warning) are the only
    // ones allowed without a place.
    assert!(
        unlocated.is_empty(),
        "errors without a location: {unlocated:?}"
    );
}

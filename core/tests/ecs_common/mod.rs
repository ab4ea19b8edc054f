//! Shared helpers of the ecs_* tests: compose text in, rendered files out (through the stages
//! after compose loading, which builds one file's project the same way).
#![allow(dead_code)]

use composex_core::compose::model;
use composex_core::pipeline;
use composex_core::yaml::{self, Limits};
pub use composex_core::{Diagnostic, Format, Input, Layout, Options, OutputFile, SourceFile};
use serde_json::Value;

/// The input for one compose text, project `myapps`.
pub fn input(text: &str, format: Format, layout: Layout) -> Input {
    Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        env: Default::default(),
        options: Options {
            project_name: "myapps".into(),
            format,
            layout,
            params: Default::default(),
        },
    }
}

/// Renders `text` (JSON templates) in `layout`.
pub fn render_text(text: &str, layout: Layout) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    render(&input(text, Format::Json, layout))
}

/// Renders `input` (one file, no variables).
pub fn render(input: &Input) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let (docs, mut diags) = yaml::parse(0, &input.files[0].text, &Limits::default());
    let Some(doc) = docs.first() else {
        return (Vec::new(), diags);
    };
    let (project, more) = model::build(doc);
    diags.extend(more);
    let (files, more) = pipeline::render_project(input, &project);
    diags.extend(more);
    (files, diags)
}

/// Every JSON template (not the params / config files), by stack name.
pub fn templates(files: &[OutputFile]) -> Vec<(String, Value)> {
    files
        .iter()
        .filter(|f| {
            f.path.ends_with(".json")
                && !f.path.ends_with(".params.json")
                && !f.path.ends_with(".config.json")
        })
        .map(|f| {
            (
                f.path.trim_end_matches(".json").to_string(),
                serde_json::from_str(&f.text).expect("valid JSON"),
            )
        })
        .collect()
}

/// The template of stack `name`.
pub fn template(all: &[(String, Value)], name: &str) -> Value {
    all.iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t.clone())
        .unwrap_or_else(|| {
            panic!(
                "no stack {name} among {:?}",
                all.iter().map(|(n, _)| n).collect::<Vec<_>>()
            )
        })
}

/// Resource `id` of `template` (panics when missing).
pub fn resource<'a>(template: &'a Value, id: &str) -> &'a Value {
    let r = &template["Resources"][id];
    assert!(
        !r.is_null(),
        "no resource {id} in {}",
        template["Resources"]
    );
    r
}

/// Writes `files` into `$ECS_DUMP_DIR/<sub>/` when that variable is set (to run cfn-lint by hand).
/// Tests may do IO: the core's no-IO lint does not apply here.
#[allow(clippy::disallowed_methods)]
pub fn dump(files: &[OutputFile], sub: &str) {
    let Ok(dir) = std::env::var("ECS_DUMP_DIR") else {
        return;
    };
    let dir = std::path::Path::new(&dir).join(sub);
    std::fs::create_dir_all(&dir).expect("dump dir");
    for f in files {
        std::fs::write(dir.join(&f.path), &f.text).expect("dump file");
    }
}

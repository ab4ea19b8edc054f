//! Shared by the fuzz targets: turns fuzzer bytes into a core [`Input`], and checks outputs.

use composex_core::{Input, SourceFile};

/// Templates read back and their references checked: the same code as the corpus test's.
#[path = "../../tests/src/refs.rs"]
pub mod refs;

/// Splits `data` into up to four compose files at 0xFF bytes (a byte UTF-8 never contains, so the
/// fuzzer can learn it as a separator) and adds a small environment, so interpolation and the
/// merge of several files are reached as well as single-file loading.
pub fn input_from_bytes(data: &[u8]) -> Input {
    let mut input = Input::default();
    for (i, part) in data.split(|&b| b == 0xFF).take(4).enumerate() {
        input.files.push(SourceFile {
            name: format!("f{i}.yml"),
            text: String::from_utf8_lossy(part).into_owned(),
        });
    }
    for (key, value) in [
        ("TAG", "1.2"),
        ("EMPTY", ""),
        ("NAME", "app01"),
        ("PORT", "8080"),
    ] {
        input.env.insert(key.into(), value.into());
    }
    input.options.project_name = "fuzz".into();
    input
}

/// Checks what every core output must satisfy: located diagnostics whose spans lie inside their
/// file; and every template written parses back (JSON or YAML, by independent parsers) with each
/// `Ref` / `Fn::GetAtt` naming a parameter, resource or pseudo parameter of its own template.
pub fn check_output(input: &Input, output: &composex_core::Output) {
    for d in &output.diagnostics {
        if let Some(span) = d.span {
            let file = input.files.get(span.file as usize);
            let Some(file) = file else {
                panic!(
                    "diagnostic {} names file {} of {}",
                    d.code,
                    span.file,
                    input.files.len()
                )
            };
            assert!(span.start <= span.end, "inverted span in {}", d.code);
            assert!(
                span.end as usize <= file.text.len(),
                "span of {} past the end of its file",
                d.code
            );
            assert!(
                d.location.is_some(),
                "diagnostic {} has a span but no location",
                d.code
            );
        }
    }
    let files = output
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.text.as_str()));
    let problems = refs::check_files(files);
    assert!(problems.is_empty(), "bad templates: {problems:#?}");
}

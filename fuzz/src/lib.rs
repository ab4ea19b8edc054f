//! Shared by the fuzz targets: turns fuzzer bytes into a core [`Input`], and checks outputs.

use composex_core::{Input, SourceFile};

/// The names the parts after the fourth take: files compose files can name (`env_file`,
/// `include`, `extends.file`), so the fuzzer reaches that loading too.
const EXTRA_NAMES: &[&str] = &["a.env", "b.yml", "sub/c.yml"];

/// Templates read back and their references checked: the same code as the corpus test's.
#[path = "../../tests/src/refs.rs"]
pub mod refs;

/// Splits `data` into up to four compose files at 0xFF bytes (a byte UTF-8 never contains, so the
/// fuzzer can learn it as a separator), then up to three named files ([`EXTRA_NAMES`]), and adds
/// a small environment, so interpolation, the merge of several files, `include`, `extends` and
/// `env_file` are reached as well as single-file loading.
pub fn input_from_bytes(data: &[u8]) -> Input {
    let mut input = Input::default();
    for (i, part) in data
        .split(|&b| b == 0xFF)
        .take(4 + EXTRA_NAMES.len())
        .enumerate()
    {
        let text = String::from_utf8_lossy(part).into_owned();
        match i.checked_sub(4).and_then(|j| EXTRA_NAMES.get(j)) {
            Some(name) => {
                let file = SourceFile {
                    name: (*name).to_string(),
                    text,
                };
                input.extra_files.insert((*name).to_string(), file);
            }
            None => input.files.push(SourceFile {
                name: format!("f{i}.yml"),
                text,
            }),
        }
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
    let sources = input.source_files();
    for d in &output.diagnostics {
        if let Some(span) = d.span {
            let file = sources.get(span.file as usize);
            let Some(file) = file else {
                panic!(
                    "diagnostic {} names file {} of {}",
                    d.code,
                    span.file,
                    sources.len()
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

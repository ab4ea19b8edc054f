//! Shared by the fuzz targets: turns fuzzer bytes into a core [`Input`].

use composex_core::{Input, SourceFile};

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
/// file, and no files at all when there is an error.
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
    if output.has_errors() {
        assert!(output.files.is_empty(), "files written despite errors");
    }
}

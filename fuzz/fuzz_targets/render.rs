//! The whole render on arbitrary input: load, validate, plan, emit, layout, in both layouts and
//! formats (chosen by the first byte), with the checks every output must pass: templates that
//! parse back and whose every `Ref` / `Fn::GetAtt` resolves inside the template.
#![no_main]

use composex_core::{Format, Layout};
use composex_fuzz::{check_output, input_from_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (options, rest) = match data.split_first() {
        Some((&first, rest)) if first < 4 => (first, rest),
        _ => (0, data),
    };
    let mut input = input_from_bytes(rest);
    input.options.layout = if options & 1 == 0 {
        Layout::Nested
    } else {
        Layout::Single
    };
    input.options.format = if options & 2 == 0 {
        Format::Yaml
    } else {
        Format::Json
    };
    let output = composex_core::render(&input);
    check_output(&input, &output);
    for file in &output.files {
        assert!(
            !file.path.is_empty() && !file.path.contains(".."),
            "bad path {:?}",
            file.path
        );
    }
});

//! Compose loading (`validate`) on arbitrary input: several files and a small environment.
#![no_main]

use composex_fuzz::{check_output, input_from_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = input_from_bytes(data);
    let output = composex_core::validate(&input);
    check_output(&input, &output);
});

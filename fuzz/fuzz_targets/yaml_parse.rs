//! The YAML layer on arbitrary text: never a panic, and fatal problems return no documents.
#![no_main]

use composex_core::yaml::{parse, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (docs, diagnostics) = parse(0, &text, &Limits::default());
    // A fatal diagnostic (syntax error, limit) means no half-built documents reach later stages.
    let fatal = diagnostics
        .iter()
        .any(|d| matches!(d.code, "CX100" | "CX101" | "CX102" | "CX103"));
    assert!(
        !fatal || docs.is_empty(),
        "documents returned after a fatal error"
    );
    // Every span points inside the text (renderers slice the text with it).
    for d in &diagnostics {
        if let Some(span) = d.span {
            assert!(span.start <= span.end, "inverted span {span:?}");
            assert!(
                span.end as usize <= text.len(),
                "span {span:?} past end {}",
                text.len()
            );
        }
    }
});

//! Inputs found by `make fuzz` (minimised, rewritten by hand so no corpus text is copied), kept as
//! regression tests. Each names what went wrong.

use composex_core::yaml::{parse, Limits};
use composex_core::{Input, SourceFile};

/// Every diagnostic span lies inside the text: renderers slice the text with it.
fn assert_spans_inside(text: &str) {
    let (_, diagnostics) = parse(0, text, &Limits::default());
    assert!(!diagnostics.is_empty(), "{text:?} should be an error");
    for d in &diagnostics {
        let span = d.span.expect("syntax errors are located");
        assert!(span.start <= span.end, "{text:?}: {span:?}");
        assert!(
            span.end as usize <= text.len(),
            "{text:?}: {span:?} past the end ({})",
            text.len()
        );
    }
}

#[test]
fn syntax_error_at_the_end_of_input_points_at_the_end_not_past_it() {
    // yaml_parse crash-ab051bbf: "simple key expect ':'" is raised at the end of the stream, and
    // the error span was one byte past the text (end = len + 1).
    assert_spans_inside("k:\n  n: x\n  p - y\n      - z\n");
    assert_spans_inside("a:\n b: c\n d - e\n   - f\n");
    assert_spans_inside("{a: b\n");
    assert_spans_inside("a: [b\n");
    assert_spans_inside("a: [b");
    // A multi-byte character where the error is: the span covers the whole character.
    let (_, diagnostics) = parse(0, "a: [b, é: ]]", &Limits::default());
    for d in diagnostics {
        let span = d.span.expect("located");
        assert!(
            "a: [b, é: ]]".is_char_boundary(span.end as usize),
            "{span:?}"
        );
    }
}

#[test]
fn the_same_error_through_validate_is_located_at_the_last_line() {
    let text = "k:\n  n: x\n  p - y\n      - z\n";
    let input = Input {
        files: vec![SourceFile {
            name: "f.yml".into(),
            text: text.into(),
        }],
        ..Input::default()
    };
    let out = composex_core::validate(&input);
    let d = out.diagnostics.first().expect("an error");
    assert_eq!(d.code, "CX100");
    let span = d.span.expect("located");
    assert_eq!(
        (span.start as usize, span.end as usize),
        (text.len(), text.len())
    );
    assert_eq!(d.location.as_ref().map(|l| l.line), Some(5));
}

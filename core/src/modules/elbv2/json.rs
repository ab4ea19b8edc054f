//! Spans inside scalars.

use std::ops::Range;

use crate::diagnostic::Span;
use crate::yaml::{Node, ScalarStyle};

/// The span of bytes `range` of a scalar's text, when the source holds the text unchanged
/// (plain, or quoted without escapes); the whole node's span otherwise.
pub fn sub_span(node: &Node, range: Range<usize>) -> Span {
    let Some(scalar) = node.as_scalar() else {
        return node.span;
    };
    let (start, end) = (node.span.start as usize, node.span.end as usize);
    let width = end.saturating_sub(start);
    let text_len = scalar.text.len();
    let offset = match scalar.style {
        ScalarStyle::Plain if width == text_len => 0,
        ScalarStyle::Quoted if width == text_len + 2 => 1,
        _ => return node.span,
    };
    if range.end > text_len || range.start > range.end {
        return node.span;
    }
    Span::new(
        node.span.file,
        start + offset + range.start,
        start + offset + range.end,
    )
}

//! Reading x-key values written by the user: allowed keys, booleans, spans (YAML nodes as
//! CloudFormation JSON are [`crate::yaml::to_json`]).

use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::Node;

/// Reports every key of `node` (a mapping) not in `allowed` as error `code`, with a suggestion.
pub fn check_keys(
    node: &Node,
    allowed: &[&str],
    code: &'static str,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(map) = node.as_map() else { return };
    let unknown = |key: &str, span| {
        Some(Diagnostic::error(
            code,
            format!("{what}: unknown key `{key}`"),
            span,
        ))
    };
    crate::suggest::unknown_keys(map, allowed, Some("allowed keys"), unknown, diagnostics);
}

/// A boolean option ([`Node::boolean`]: `true`/`false`, plain or quoted); anything else is
/// error `code` and reads as None.
pub fn bool_option(
    node: &Node,
    code: &'static str,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<bool> {
    let value = node.boolean();
    if value.is_none() {
        diagnostics.push(Diagnostic::error(
            code,
            format!("{what} must be true or false, not a {}", node.kind_name()),
            node.span,
        ));
    }
    value
}

/// The span of `key`'s value in `node`, else of `node`.
pub fn span_of(node: &Node, key: &str) -> Span {
    node.get(key).map(|n| n.span).unwrap_or(node.span)
}

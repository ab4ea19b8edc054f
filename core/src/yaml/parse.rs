//! YAML text to spanned [`Node`]s (saphyr-parser events), with limits.

use crate::diagnostic::Diagnostic;
use crate::yaml::Node;

/// Bounds that keep hostile input from hanging or exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub max_bytes: usize,
    /// Deepest accepted nesting of collections.
    pub max_depth: usize,
    /// Most nodes that alias expansion may produce (compose-go: 100,000 visits).
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 8 * 1024 * 1024,
            max_depth: 256,
            max_nodes: 1_000_000,
        }
    }
}

/// Parses every document of `text` (file index `file`).
pub fn parse(_file: u32, _text: &str, _limits: &Limits) -> (Vec<Node>, Vec<Diagnostic>) {
    (Vec::new(), Vec::new())
}

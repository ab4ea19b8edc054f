//! The YAML layer: text in, a tree of [`Node`]s out, every node with its [`Span`].
//!
//! Anchors, aliases and `<<` merge keys are resolved here; `!reset` / `!override` tags are kept on
//! the node for the compose merge. Scalars keep their text: whether `0440` is a number is decided by
//! the compose layer at typed paths (YAML 1.2: `yes`, `22:22`, `0440` are strings).

mod json;
mod node;
mod parse;
pub mod write;

pub use json::{to_json, to_json_with};
pub use node::{Map, Node, Scalar, ScalarStyle, Tag, Value};
pub use parse::{parse, Limits};

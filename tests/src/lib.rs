//! Helpers shared by the workspace-level tests (corpus reading, external linters).

// Tests read fixtures and run tools: the no-IO rule of clippy.toml is for the core.
#![allow(clippy::disallowed_methods)]

pub mod cfn_lint;
pub mod checkov;
pub mod corpus;
pub mod excuse;
pub mod refs;

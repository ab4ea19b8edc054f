//! The library half of the `composex` CLI: its arguments and the diagnostics renderer, shared by
//! the binary and by the workspace tests that snapshot diagnostics exactly as users see them.

pub mod args;
pub mod report;

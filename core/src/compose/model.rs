//! The typed compose model that planning and emitting read (spans kept for later diagnostics).

/// The loaded compose project.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Project {}

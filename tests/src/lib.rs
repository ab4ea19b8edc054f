//! Helpers shared by the workspace-level tests (corpus reading, external linters).

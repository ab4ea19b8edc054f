//! Renderers for diagnostics: rustc-style text with the source snippet, and JSON.

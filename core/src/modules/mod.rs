//! x-modules: one folder per top-level `x-<name>` key (DESIGN.md, "Each x-module has the same
//! shape").

pub mod elbv2;

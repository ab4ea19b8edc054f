//! Emitting the compose project's own stacks, on the stack model of [`crate::stack`]: the network
//! (`x-vpc`), the cluster (`x-cluster`), the task families and their services ([`ecs`]) and the
//! tags (`x-tags`). Each writes resources into named stacks as if each stack stood alone,
//! declaring the values it offers ([`crate::stack::Stack::export`]) and needs
//! ([`crate::stack::Stack::import`]); the layout wires them.
//!
//! Diagnostic codes used here: CX300 and CX334-CX339 x-vpc, CX310-CX314 x-cluster, CX315 x-tags;
//! the project's load balancer ([`project_lb`]) CX386, CX387, CX389.

pub mod capacity;
pub mod cluster;
pub mod ecs;
pub mod network;
pub mod project_lb;
pub mod tags;

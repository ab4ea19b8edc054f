//! `Settings.Subnets` of the modules placed in the VPC (x-neptune, x-opensearch): which subnet
//! list of x-vpc their resources go in. The storage subnets by default; the app subnets when
//! asked; never the public ones (a database reachable from the internet is what we refuse to
//! make by accident).

use super::common::{Ctx, Entry};
use super::INVALID;
use crate::diagnostic::Diagnostic;
use crate::stack::{APP_SUBNETS, STORAGE_SUBNETS};
use crate::yaml::Node;

/// The export name of the subnet list `entry` goes in (`StorageSubnets` unless
/// `Settings.Subnets` says `AppSubnets`); None after reporting a value we do not accept.
pub fn subnets(ctx: &mut Ctx, entry: &Entry) -> Option<&'static str> {
    let Some(node) = entry.get("Settings").and_then(|s| s.get("Subnets")) else {
        return Some(STORAGE_SUBNETS);
    };
    match node.as_str() {
        Some(STORAGE_SUBNETS) => Some(STORAGE_SUBNETS),
        Some(APP_SUBNETS) => Some(APP_SUBNETS),
        other => {
            let what = other.map_or_else(|| node.kind_name().to_string(), |s| format!("`{s}`"));
            ctx.diags.push(
                Diagnostic::error(
                    INVALID,
                    format!(
                        "{} {}: Settings.Subnets is StorageSubnets or AppSubnets, not {what}",
                        entry.module.key, entry.name
                    ),
                    node.span,
                )
                .with_help("a data store is never placed in the public subnets"),
            );
            None
        }
    }
}

/// Whether `node` is the boolean `true`.
pub fn is_true(node: Option<&Node>) -> bool {
    node.and_then(Node::boolean) == Some(true)
}

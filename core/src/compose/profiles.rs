//! Profiles, as compose-go's `WithProfiles` and consistency check apply them: a service with
//! `profiles:` is left out unless one of them is active (`*` activates all); a service without
//! `profiles:` is always in. Other top-level elements are not affected.
//!
//! A service left in that depends on a service left out is an error at the `depends_on` entry,
//! unless the dependency has `required: false` (then the entry is dropped, as compose ignores
//! it): the compose specification says references "do not automatically enable a component
//! that would otherwise have been ignored by active profiles. Instead Compose returns an error."
//!
//! | code  | severity | when |
//! |-------|----------|------|
//! | CX264 | info     | a service is left out: none of its profiles is active |
//! | CX265 | error    | a service left in depends on a service left out (`required` dependency) |

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::yaml::{Node, Value};

/// Code of the info for a service left out by profiles.
pub const SERVICE_LEFT_OUT: &str = "CX264";
/// Code of a required dependency on a service left out by profiles.
pub const DEPENDENCY_LEFT_OUT: &str = "CX265";

/// The profiles a service lists (strings only; the validator reports other values).
fn service_profiles(service: &Node) -> Vec<String> {
    service
        .get("profiles")
        .and_then(Node::as_seq)
        .map(|items| {
            items
                .iter()
                .filter_map(|p| p.as_scalar())
                .filter(|s| !s.is_null())
                .map(|s| s.text.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// True when a service with these profiles is in, given the active profiles.
pub fn is_enabled(profiles: &[String], active: &[String]) -> bool {
    profiles.is_empty()
        || active
            .iter()
            .any(|a| a == "*" || profiles.iter().any(|p| p == a))
}

/// Removes the services no active profile enables, and checks the dependencies of the others.
pub fn apply(tree: &mut Node, active: &[String], diagnostics: &mut Vec<Diagnostic>) {
    let Value::Map(top) = &mut tree.value else {
        return;
    };
    let Some(Value::Map(services)) = top.get_mut("services").map(|s| &mut s.value) else {
        return;
    };
    let mut left_out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    services.entries.retain(|(name, key_span, service)| {
        let profiles = service_profiles(service);
        if is_enabled(&profiles, active) {
            return true;
        }
        let at = service.get("profiles").map_or(*key_span, |p| p.span);
        diagnostics.push(
            Diagnostic::info(
                SERVICE_LEFT_OUT,
                format!(
                    "service `{name}` is left out: none of its profiles ({}) is active",
                    profiles.join(", ")
                ),
                at,
            )
            .with_help(format!(
                "to deploy it, activate a profile: `--profile {}` or `COMPOSE_PROFILES={}`",
                profiles.first().map_or("", String::as_str),
                profiles.first().map_or("", String::as_str)
            )),
        );
        left_out.insert(name.clone(), profiles);
        false
    });
    if left_out.is_empty() {
        return;
    }
    for (name, _, service) in &mut services.entries {
        let Some(Value::Map(depends_on)) = service_get_mut(service, "depends_on") else {
            continue;
        };
        depends_on.entries.retain(|(dependency, key_span, entry)| {
            let Some(profiles) = left_out.get(dependency) else {
                return true;
            };
            let required = entry
                .get("required")
                .and_then(Node::as_scalar)
                .and_then(|s| s.as_bool())
                .unwrap_or(true);
            if required {
                let first = profiles.first().map_or("", String::as_str);
                diagnostics.push(
                    Diagnostic::error(
                        DEPENDENCY_LEFT_OUT,
                        format!(
                            "service `{name}` depends on service `{dependency}`, which is left out: none of its profiles ({}) is active",
                            profiles.join(", ")
                        ),
                        *key_span,
                    )
                    .with_help(format!(
                        "activate its profile (`--profile {first}`), give `{name}` the same profiles, or mark the dependency `required: false`"
                    )),
                );
            }
            false
        });
    }
}

fn service_get_mut<'n>(service: &'n mut Node, key: &str) -> Option<&'n mut Value> {
    match &mut service.value {
        Value::Map(m) => m.get_mut(key).map(|n| &mut n.value),
        _ => None,
    }
}

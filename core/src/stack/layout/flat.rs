//! The single-layout names of every non-root stack's resources, conditions and mappings (the
//! nested layout records them too, so the overlay names a resource one way in both).

use std::collections::BTreeMap;

use indexmap::IndexSet;

use super::rewrite::{Replace, Rewrites};
use super::{FastHash, Positions};
use crate::cfn::{logical_id, unique_id, Template};
use crate::stack::Stack;

/// The names of every non-root stack's resources, conditions and mappings in the single
/// layout, by stack position (the root's: none): prefixed by the stack's logical id and unique
/// in the flat template that starts as `root`. The nested layout claims them too
/// ([`FlatNames::claim_resource_ids`]), so the overlay names a resource one way in both.
pub(super) fn flat_renames(all: &Positions, root: &Template) -> Vec<Rewrites> {
    let mut names = FlatNames::new(root, all.others().map(|(_, s)| &s.template));
    all.iter()
        .map(|(i, stack)| {
            if all.is_root(i) {
                Rewrites::default()
            } else {
                names.claim(stack, &stack.template)
            }
        })
        .collect()
}

/// The names taken in the flat template so far: [`flat_renames`] one stack at a time (the
/// nested layout claims each stack's names as it finishes the stack, so only one stack's
/// renames are alive at once). A hashed set: a 1,000-family project takes ~15,000 names.
pub(super) struct FlatNames {
    taken: IndexSet<String, FastHash>,
}

/// What kind of name [`FlatNames::claim_each`] claims.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Resource,
    Condition,
    Mapping,
}

impl FlatNames {
    /// Starts from the names of the flat template `root`, with room for the names of the
    /// `others` templates made once (a set grown by doubling can hold twice what it needs:
    /// ~15 names a family).
    pub(super) fn new<'t>(root: &Template, others: impl Iterator<Item = &'t Template>) -> Self {
        let room = others
            .map(|t| t.resources.len() + t.conditions.len() + t.mappings.len())
            .sum::<usize>();
        let names = root
            .resources
            .keys()
            .chain(root.parameters.keys())
            .chain(root.conditions.keys())
            .chain(root.mappings.keys());
        let mut taken = IndexSet::with_capacity_and_hasher(
            root.resources.len()
                + root.parameters.len()
                + root.conditions.len()
                + root.mappings.len()
                + room,
            FastHash::default(),
        );
        taken.extend(names.cloned());
        FlatNames { taken }
    }

    /// Claims the flat names of `stack`'s resources, conditions and mappings (`t`, its template).
    pub(super) fn claim(&mut self, stack: &Stack, t: &Template) -> Rewrites {
        let mut rw = Rewrites::default();
        self.claim_each(stack, t, |kind, name, flat| {
            let name = name.to_string();
            match kind {
                Kind::Resource => {
                    rw.names.insert(name, Replace::Rename(flat));
                }
                Kind::Condition => {
                    rw.conditions.insert(name, flat);
                }
                Kind::Mapping => {
                    rw.mappings.insert(name, flat);
                }
            }
        });
        rw
    }

    /// [`FlatNames::claim`], keeping only the resources' flat ids (local id -> flat id): what
    /// the nested layout records.
    pub(super) fn claim_resource_ids(
        &mut self,
        stack: &Stack,
        t: &Template,
    ) -> BTreeMap<String, String> {
        let mut ids = BTreeMap::new();
        self.claim_each(stack, t, |kind, name, flat| {
            if kind == Kind::Resource {
                ids.insert(name.to_string(), flat);
            }
        });
        ids
    }

    /// Claims, in this order, the flat names of `t`'s resources, conditions and mappings,
    /// giving each to `claimed` with its local name.
    fn claim_each(
        &mut self,
        stack: &Stack,
        t: &Template,
        mut claimed: impl FnMut(Kind, &str, String),
    ) {
        let prefix = logical_id(&stack.name);
        let taken = &mut self.taken;
        let mut claim = |name: &str| {
            let base = if name.starts_with(&prefix) {
                name.to_string()
            } else {
                format!("{prefix}{name}")
            };
            let id = unique_id(&base, |c| taken.contains(c));
            taken.insert(id.clone());
            id
        };
        for name in t.resources.keys() {
            claimed(Kind::Resource, name, claim(name));
        }
        for name in t.conditions.keys() {
            claimed(Kind::Condition, name, claim(name));
        }
        for name in t.mappings.keys() {
            claimed(Kind::Mapping, name, claim(name));
        }
    }
}

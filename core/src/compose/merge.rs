//! Merging compose files (and the documents of one file) in order, as compose-go does it
//! (reference/compose-and-peers.md §1.7-§1.9).
//!
//! Maps merge, sequences append, scalars replace, a null override keeps the earlier value, with
//! the exception table of [`RULES`]; `!reset` deletes a value built so far, `!override` replaces
//! it without merging. After merging, [`enforce_unicity`] de-duplicates the sequences of
//! [`UNIQUE`]: a later entry with the same key replaces the earlier one, in the earlier position.
//! Nodes keep their spans, so a problem in an override file points into that file.
//!
//! One deliberate difference: `networks.*.ipam.config` entries are matched by `subnet` and
//! merged, unmatched entries of both sides are kept (compose-go drops base entries whose subnet
//! the override does not mention, which its own documentation does not describe).
//!
//! | code  | severity | when |
//! |-------|----------|------|
//! | CX203 | error    | a document that is not a mapping; a file with no content (`empty compose file`) |
//! | CX290 | warning  | top-level `version` (obsolete, removed) |
//! | CX291 | error    | a later file gives another kind of value (`cannot override <path>`) |

use std::collections::{BTreeMap, BTreeSet};

use crate::compose::normalize::parse_volume_spec;
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::{Map, Node, Scalar, ScalarStyle, Tag, Value};

/// Code of a document that is not a mapping, or of an empty file.
pub const NOT_A_MAPPING: &str = "CX203";
/// Code of the obsolete `version` warning.
pub const OBSOLETE_VERSION: &str = "CX290";
/// Code of a type clash between files.
pub const CANNOT_OVERRIDE: &str = "CX291";

/// How a path merges when it deviates from "maps merge, lists append, scalars replace".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The later value replaces the earlier one.
    Replace,
    /// Both sides become `K=V` sequences (a map is sorted, `K` for a null value), then appended.
    ToSequence,
    /// Appended, without the later items already present.
    ExtraHosts,
    /// Lists become maps of `{condition: service_started, required: true}`, then maps merge.
    DependsOn,
    /// Lists become maps of `name: null`, then maps merge.
    ToMapping,
    /// A string becomes `{context: s}`, then maps merge.
    Build,
    /// Maps merge only when both drivers are equal or one is missing; otherwise replaced.
    Logging,
    /// Sequence entries with the same `subnet` merge.
    IpamConfig,
}

/// compose-go's exception table (`override/merge.go`), by path pattern (`*` = any key).
pub const RULES: &[(&str, Rule)] = &[
    ("networks.*.ipam.config", Rule::IpamConfig),
    ("networks.*.labels", Rule::ToSequence),
    ("volumes.*.labels", Rule::ToSequence),
    ("services.*.annotations", Rule::ToSequence),
    ("services.*.build", Rule::Build),
    ("services.*.build.args", Rule::ToSequence),
    ("services.*.build.additional_contexts", Rule::ToSequence),
    ("services.*.build.extra_hosts", Rule::ExtraHosts),
    ("services.*.build.labels", Rule::ToSequence),
    ("services.*.command", Rule::Replace),
    ("services.*.depends_on", Rule::DependsOn),
    ("services.*.deploy.labels", Rule::ToSequence),
    ("services.*.dns", Rule::ToSequence),
    ("services.*.dns_opt", Rule::ToSequence),
    ("services.*.dns_search", Rule::ToSequence),
    ("services.*.entrypoint", Rule::Replace),
    ("services.*.env_file", Rule::ToSequence),
    ("services.*.label_file", Rule::ToSequence),
    ("services.*.environment", Rule::ToSequence),
    ("services.*.extra_hosts", Rule::ExtraHosts),
    ("services.*.healthcheck.test", Rule::Replace),
    ("services.*.labels", Rule::ToSequence),
    ("services.*.logging", Rule::Logging),
    ("services.*.models", Rule::ToMapping),
    ("services.*.networks", Rule::ToMapping),
    ("services.*.sysctls", Rule::ToSequence),
    ("services.*.tmpfs", Rule::ToSequence),
    ("services.*.ulimits.*", Rule::Replace),
];

/// What identifies an entry of a sequence that must hold unique entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueKey {
    /// The text before `=` (the whole text when there is none).
    BeforeEquals,
    /// The mount target of a volume (short syntax parsed).
    VolumeTarget,
    /// The container path of a device.
    DeviceTarget,
    /// `target`, else the default directory joined with the source.
    MountTarget(&'static str),
    /// `host_ip:published:target/protocol` (long form), the raw text (short form).
    Port,
    /// The value itself.
    Value,
    /// The file path.
    EnvFilePath,
}

/// Sequences de-duplicated after merging (`override/uncity.go`), by path pattern.
pub const UNIQUE: &[(&str, UniqueKey)] = &[
    ("services.*.environment", UniqueKey::BeforeEquals),
    ("services.*.labels", UniqueKey::BeforeEquals),
    ("services.*.annotations", UniqueKey::BeforeEquals),
    ("services.*.sysctls", UniqueKey::BeforeEquals),
    ("services.*.tmpfs", UniqueKey::BeforeEquals),
    ("services.*.build.args", UniqueKey::BeforeEquals),
    ("services.*.build.labels", UniqueKey::BeforeEquals),
    ("services.*.build.tags", UniqueKey::BeforeEquals),
    ("services.*.build.platforms", UniqueKey::BeforeEquals),
    (
        "services.*.build.additional_contexts",
        UniqueKey::BeforeEquals,
    ),
    ("services.*.cap_add", UniqueKey::BeforeEquals),
    ("services.*.cap_drop", UniqueKey::BeforeEquals),
    ("services.*.dns", UniqueKey::BeforeEquals),
    ("services.*.dns_opt", UniqueKey::BeforeEquals),
    ("services.*.dns_search", UniqueKey::BeforeEquals),
    ("services.*.links", UniqueKey::BeforeEquals),
    ("services.*.profiles", UniqueKey::BeforeEquals),
    ("services.*.networks.*.aliases", UniqueKey::BeforeEquals),
    (
        "services.*.networks.*.link_local_ips",
        UniqueKey::BeforeEquals,
    ),
    ("services.*.deploy.labels", UniqueKey::BeforeEquals),
    ("networks.*.labels", UniqueKey::BeforeEquals),
    ("volumes.*.labels", UniqueKey::BeforeEquals),
    ("services.*.volumes", UniqueKey::VolumeTarget),
    ("services.*.devices", UniqueKey::DeviceTarget),
    ("services.*.secrets", UniqueKey::MountTarget("/run/secrets")),
    ("services.*.configs", UniqueKey::MountTarget("")),
    ("services.*.ports", UniqueKey::Port),
    ("services.*.expose", UniqueKey::Value),
    ("services.*.env_file", UniqueKey::EnvFilePath),
];

fn matches<S: AsRef<str>>(path: &[S], pattern: &str) -> bool {
    let mut segments = pattern.split('.');
    let mut parts = path.iter();
    loop {
        match (segments.next(), parts.next()) {
            (None, None) => return true,
            (Some(s), Some(p)) if s == "*" || s == p.as_ref() => {}
            _ => return false,
        }
    }
}

fn rule_for(path: &[String]) -> Option<Rule> {
    RULES
        .iter()
        .find(|(p, _)| matches(path, p))
        .map(|(_, r)| *r)
}

/// Checks a parsed document before merging: it must be a mapping (else an error and `None`),
/// and a top-level `version` is removed with a warning.
pub fn check_document(mut doc: Node, diagnostics: &mut Vec<Diagnostic>) -> Option<Node> {
    let Value::Map(map) = &mut doc.value else {
        diagnostics.push(
            Diagnostic::error(
                NOT_A_MAPPING,
                "top-level object must be a mapping",
                doc.span,
            )
            .with_help(format!(
                "a compose file is a mapping of `services:` and other keys, not a {}",
                doc.kind_name()
            )),
        );
        return None;
    };
    if let Some(key_span) = map.key_span("version") {
        let value_span = map.get("version").map_or(key_span, |v| v.span);
        map.remove("version");
        diagnostics.push(
            Diagnostic::warning(
                OBSOLETE_VERSION,
                "the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion",
                join(key_span, value_span),
            )
            .with_help("remove the `version` line: the compose specification needs none"),
        );
    }
    Some(doc)
}

/// Merges checked documents in order (the first is the base) and de-duplicates sequences.
pub fn merge_documents(docs: Vec<Node>, diagnostics: &mut Vec<Diagnostic>) -> Option<Node> {
    let mut docs = docs.into_iter();
    let mut tree = docs.next()?;
    if docs.len() == 0 {
        clean_with_unicity(&mut tree);
        return Some(tree);
    }
    clean_in_place(&mut tree);
    for doc in docs {
        merge_override(&mut tree, doc, diagnostics);
    }
    enforce_unicity(&mut tree);
    Some(tree)
}

/// Merges one later document into the tree built so far: first every path tagged `!reset` or
/// `!override` is deleted from the tree (compose-go's reset processor), then the untagged
/// document merges in.
pub fn merge_override(tree: &mut Node, over: Node, diagnostics: &mut Vec<Diagnostic>) {
    apply_resets(tree, &over);
    merge_node(tree, clean(over), &mut Vec::new(), diagnostics);
}

/// Merges a service's own definition over the copy of the service it extends (`path` is
/// `services.<name>`, so the exception rules apply): `!reset` / `!override` in `over` delete
/// what the copy has, then the rest merges as an override file would.
pub fn merge_extended(
    base: &mut Node,
    over: Node,
    path: &mut Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    *base = clean(std::mem::replace(
        base,
        Node::new(Value::Map(Map::default()), over.span),
    ));
    apply_resets(base, &over);
    merge_node(base, clean(over), path, diagnostics);
}

/// Deletes from `base` the map entries that `over` tags `!reset` / `!override` (sequence items
/// cannot be removed one by one, as in compose-go).
fn apply_resets(base: &mut Node, over: &Node) {
    let (Value::Map(base_map), Value::Map(over_map)) = (&mut base.value, &over.value) else {
        return;
    };
    let index = key_index(base_map);
    let mut removed = BTreeSet::new();
    for (key, _, value) in &over_map.entries {
        let Some(&i) = index.get(key.as_str()) else {
            continue;
        };
        if value.tag.is_some() {
            removed.insert(i);
        } else if let Some((_, _, existing)) = base_map.entries.get_mut(i) {
            apply_resets(existing, value);
        }
    }
    if !removed.is_empty() {
        let mut i = 0;
        base_map.entries.retain(|_| {
            i += 1;
            !removed.contains(&(i - 1))
        });
    }
}

/// Position of every key (maps can be large: lookups must not be linear).
fn key_index(map: &Map) -> BTreeMap<String, usize> {
    map.entries
        .iter()
        .enumerate()
        .map(|(i, (k, _, _))| (k.clone(), i))
        .collect()
}

/// Merges the untagged `over` into `base` at `path` (keys from the top).
pub fn merge_node(
    base: &mut Node,
    over: Node,
    path: &mut Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match rule_for(path) {
        Some(rule) => apply_rule(rule, base, over, path, diagnostics),
        None => merge_default(base, over, path, diagnostics),
    }
}

fn merge_default(
    base: &mut Node,
    over: Node,
    path: &mut Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if over.is_null() {
        return;
    }
    let base_span = base.span;
    let base_kind = base.kind_name();
    match (&mut base.value, over.value) {
        (Value::Map(b), Value::Map(o)) => merge_maps(b, o, path, diagnostics),
        (Value::Seq(b), Value::Seq(o)) => b.extend(clean_items(o)),
        (Value::Map(_) | Value::Seq(_), value) => {
            let over = Node {
                value,
                span: over.span,
                tag: over.tag,
            };
            diagnostics.push(cannot_override(path, base_kind, base_span, &over));
        }
        (Value::Scalar(_), value) => {
            *base = clean(Node {
                value,
                span: over.span,
                tag: over.tag,
            })
        }
    }
}

fn cannot_override(path: &[String], base_kind: &str, base_span: Span, over: &Node) -> Diagnostic {
    Diagnostic::error(CANNOT_OVERRIDE, format!("cannot override {}", path.join(".")), over.span)
        .with_label(base_span, format!("an earlier file has a {base_kind} here"))
        .with_help(format!(
            "this file gives a {} where an earlier file has a {base_kind}: use the same kind, or tag the value `!override` to replace it",
            over.kind_name()
        ))
}

fn merge_maps(
    base: &mut Map,
    over: Map,
    path: &mut Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut index = key_index(base);
    for (key, key_span, value) in over.entries {
        match index.get(&key).and_then(|&i| base.entries.get_mut(i)) {
            Some((_, _, existing)) => {
                path.push(key);
                merge_node(existing, value, path, diagnostics);
                path.pop();
            }
            None => {
                index.insert(key.clone(), base.entries.len());
                base.entries.push((key, key_span, clean(value)));
            }
        }
    }
}

/// Applies an exception rule; kinds a rule does not know fall back to the default merge.
fn apply_rule(
    rule: Rule,
    base: &mut Node,
    over: Node,
    path: &mut Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let scalar_clash = |n: &Node| n.as_scalar().is_some() && !n.is_null();
    match rule {
        Rule::Replace => *base = clean(over),
        Rule::ToSequence => {
            let span = base.span;
            let mut items = to_sequence(base);
            items.extend(to_sequence(&clean(over)));
            *base = Node::new(Value::Seq(items), span);
        }
        Rule::ExtraHosts => {
            let span = base.span;
            let mut items = to_sequence(base);
            let known: BTreeSet<String> = items
                .iter()
                .map(|n| n.scalar_text().unwrap_or("").to_string())
                .collect();
            for item in to_sequence(&clean(over)) {
                if item.as_scalar().is_none() || !known.contains(item.scalar_text().unwrap_or("")) {
                    items.push(item);
                }
            }
            *base = Node::new(Value::Seq(items), span);
        }
        Rule::DependsOn | Rule::ToMapping | Rule::Build => {
            if rule != Rule::Build && (scalar_clash(&over) || scalar_clash(base)) {
                return merge_default(base, over, path, diagnostics);
            }
            let convert = |n: Node| match rule {
                Rule::DependsOn => to_mapping(n, true),
                Rule::ToMapping => to_mapping(n, false),
                _ => build_to_mapping(n),
            };
            let span = base.span;
            let taken = std::mem::replace(base, Node::new(Value::Map(Map::default()), span));
            let Value::Map(mut merged) = convert(taken).value else {
                return;
            };
            if let Value::Map(o) = convert(clean(over)).value {
                merge_maps(&mut merged, o, path, diagnostics);
            }
            *base = Node::new(Value::Map(merged), span);
        }
        Rule::Logging => {
            let driver = |n: &Node| n.get("driver").and_then(Node::as_str).map(str::to_string);
            match (driver(base), driver(&over)) {
                (Some(a), Some(b))
                    if a != b && base.as_map().is_some() && over.as_map().is_some() =>
                {
                    *base = clean(over);
                }
                _ => merge_default(base, over, path, diagnostics),
            }
        }
        Rule::IpamConfig => {
            let (Value::Seq(items), Value::Seq(over_items)) = (&mut base.value, &over.value) else {
                return merge_default(base, over, path, diagnostics);
            };
            let subnet_of = |n: &Node| n.get("subnet").and_then(Node::as_str).map(str::to_string);
            let mut by_subnet: BTreeMap<String, usize> = BTreeMap::new();
            for (i, item) in items.iter().enumerate() {
                if let Some(subnet) = subnet_of(item) {
                    by_subnet.entry(subnet).or_insert(i);
                }
            }
            for item in clean_items(over_items.clone()) {
                let subnet = subnet_of(&item);
                let position = subnet.as_ref().and_then(|s| by_subnet.get(s).copied());
                if let (Some(subnet), None) = (subnet, position) {
                    by_subnet.insert(subnet, items.len());
                }
                let existing = position.and_then(|i| items.get_mut(i));
                match (existing, item.value) {
                    (
                        Some(Node {
                            value: Value::Map(b),
                            ..
                        }),
                        Value::Map(o),
                    ) => merge_maps(b, o, path, diagnostics),
                    (_, value) => items.push(Node {
                        value,
                        span: item.span,
                        tag: None,
                    }),
                }
            }
        }
    }
}

/// A plain (untyped-by-quotes) scalar the tool creates, e.g. `true`.
fn plain(text: &str, span: Span) -> Node {
    Node::new(
        Value::Scalar(Scalar {
            text: text.to_string(),
            style: ScalarStyle::Plain,
        }),
        span,
    )
}

/// compose-go's `convertIntoSequence`: a map becomes sorted `K=V` strings (`K` for null, one
/// `K=item` per item of a list value), a string a one-item list, null nothing.
fn to_sequence(node: &Node) -> Vec<Node> {
    match &node.value {
        Value::Seq(items) => items.clone(),
        Value::Scalar(_) if node.is_null() => Vec::new(),
        Value::Scalar(_) => vec![node.clone()],
        Value::Map(map) => {
            let mut items = Vec::new();
            for (key, key_span, value) in &map.entries {
                let span = join(*key_span, value.span);
                match &value.value {
                    Value::Scalar(s) if s.is_null() => {
                        items.push(Node::string(key.clone(), *key_span))
                    }
                    Value::Scalar(s) => items.push(Node::string(format!("{key}={}", s.text), span)),
                    Value::Seq(values) => {
                        for v in values {
                            let text = v.as_scalar().map_or("", |s| s.text.as_str());
                            items.push(Node::string(
                                format!("{key}={text}"),
                                join(*key_span, v.span),
                            ));
                        }
                    }
                    Value::Map(_) => items.push(Node::string(format!("{key}="), span)),
                }
            }
            items.sort_by(|a, b| {
                a.scalar_text()
                    .unwrap_or("")
                    .cmp(b.scalar_text().unwrap_or(""))
            });
            items
        }
    }
}

/// The span from a key to its value, when both are in the same file (else the value's).
fn join(key: Span, value: Span) -> Span {
    if key.file == value.file {
        key.to(value)
    } else {
        value
    }
}

/// compose-go's `convertIntoMapping`: list entries become keys, with `{condition:
/// service_started, required: true}` (depends_on) or null; null becomes an empty map.
fn to_mapping(node: Node, depends_on: bool) -> Node {
    let span = node.span;
    match node.value {
        Value::Map(_) => node,
        Value::Seq(items) => {
            let mut map = Map::default();
            let mut index: BTreeMap<String, usize> = BTreeMap::new();
            for item in items {
                let Some(name) = item.as_str().map(str::to_string) else {
                    continue;
                };
                let value = if depends_on {
                    let entries = vec![
                        (
                            "condition".to_string(),
                            item.span,
                            Node::string("service_started", item.span),
                        ),
                        ("required".to_string(), item.span, plain("true", item.span)),
                    ];
                    Node::new(Value::Map(Map { entries }), item.span)
                } else {
                    plain("null", item.span)
                };
                match index.get(&name).and_then(|&i| map.entries.get_mut(i)) {
                    Some(entry) => entry.2 = value,
                    None => {
                        index.insert(name.clone(), map.entries.len());
                        map.entries.push((name, item.span, value));
                    }
                }
            }
            Node::new(Value::Map(map), span)
        }
        Value::Scalar(_) => Node::new(Value::Map(Map::default()), span),
    }
}

/// `build: ./dir` is `build: {context: ./dir}`.
fn build_to_mapping(node: Node) -> Node {
    match node.value {
        Value::Scalar(_) if node.is_null() => Node::new(Value::Map(Map::default()), node.span),
        Value::Scalar(_) => {
            let span = node.span;
            Node::new(
                Value::Map(Map {
                    entries: vec![("context".to_string(), span, node)],
                }),
                span,
            )
        }
        _ => node,
    }
}

/// The node without compose tags: `!reset` entries and items dropped, `!override` forgotten
/// (nothing earlier to reset or override).
pub fn clean(mut node: Node) -> Node {
    clean_in_place(&mut node);
    node
}

/// [`clean`] in place: an untagged tree (most of them) is only read, never rewritten.
fn clean_in_place(node: &mut Node) {
    clean_here(node);
    if let Value::Map(map) = &mut node.value {
        for (_, _, value) in &mut map.entries {
            clean_in_place(value);
        }
    }
}

/// What [`clean`] does at `node` itself: its tag forgotten, its `!reset` entries dropped, and a
/// sequence's items cleaned wholly. A mapping's remaining values are the caller's to walk.
fn clean_here(node: &mut Node) {
    // Written only when set: most nodes have no tag, and are then only read.
    if node.tag.is_some() {
        node.tag = None;
    }
    match &mut node.value {
        Value::Map(map) => map.entries.retain(|(_, _, v)| v.tag != Some(Tag::Reset)),
        Value::Seq(items) => clean_items_in_place(items),
        Value::Scalar(_) => {}
    }
}

/// The items of a sequence, cleaned (see [`clean`]).
fn clean_items(mut items: Vec<Node>) -> Vec<Node> {
    clean_items_in_place(&mut items);
    items
}

/// The items of a sequence, cleaned in place (see [`clean`]).
fn clean_items_in_place(items: &mut Vec<Node>) {
    items.retain(|n| n.tag != Some(Tag::Reset));
    items.iter_mut().for_each(clean_in_place);
}

/// De-duplicates the sequences listed in [`UNIQUE`] everywhere in the tree: a later entry with
/// the same key replaces the earlier one, in the earlier position.
pub fn enforce_unicity(tree: &mut Node) {
    let mut path = Vec::new();
    unicity_walk(tree, &mut path, false);
}

/// [`clean`] then [`enforce_unicity`] in one walk, for a project of one document (a big tree
/// is read once, not twice).
fn clean_with_unicity(tree: &mut Node) {
    let mut path = Vec::new();
    unicity_walk(tree, &mut path, true);
}

/// `path` borrows the keys (a copy of every key of the tree was most of this walk's cost).
/// With `cleaning`, each node is cleaned (see [`clean`]) before it is read: a sequence's items
/// wholly, as the unique keys read them.
fn unicity_walk<'a>(node: &'a mut Node, path: &mut Vec<&'a str>, cleaning: bool) {
    if cleaning {
        clean_here(node);
    }
    match &mut node.value {
        Value::Map(map) => {
            for (key, _, value) in &mut map.entries {
                let key: &'a String = key;
                path.push(key);
                unicity_walk(value, path, cleaning);
                path.pop();
            }
        }
        Value::Seq(items) => {
            if let Some((_, key)) = UNIQUE.iter().find(|(p, _)| matches(path, p)) {
                dedup(items, *key);
            }
        }
        Value::Scalar(_) => {}
    }
}

fn dedup(items: &mut Vec<Node>, key: UniqueKey) {
    let mut out: Vec<Node> = Vec::with_capacity(items.len());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for item in items.drain(..) {
        match unique_key(&item, key) {
            Some(k) => match seen.get(&k) {
                Some(&i) => {
                    if let Some(slot) = out.get_mut(i) {
                        *slot = item;
                    }
                }
                None => {
                    seen.insert(k, out.len());
                    out.push(item);
                }
            },
            None => out.push(item),
        }
    }
    *items = out;
}

/// The identity of a sequence entry, or `None` when it has none (never merged with another).
pub fn unique_key(item: &Node, key: UniqueKey) -> Option<String> {
    let text = item.as_scalar().map(|s| s.text.as_str());
    match key {
        UniqueKey::BeforeEquals | UniqueKey::Value => {
            let t = text?;
            Some(
                if key == UniqueKey::BeforeEquals {
                    t.split('=').next().unwrap_or(t)
                } else {
                    t
                }
                .to_string(),
            )
        }
        UniqueKey::VolumeTarget => match text {
            Some(t) => parse_volume_spec(t).ok().map(|v| v.target),
            None => item
                .get("target")
                .and_then(Node::scalar_text)
                .map(str::to_string),
        },
        UniqueKey::DeviceTarget => match text {
            Some(t) => {
                let mut parts = t.split(':');
                let host = parts.next()?;
                Some(parts.next().unwrap_or(host).to_string())
            }
            None => item
                .get("target")
                .and_then(Node::scalar_text)
                .map(str::to_string),
        },
        UniqueKey::MountTarget(dir) => match text {
            Some(t) => Some(format!("{dir}/{t}")),
            None => match item.get("target").and_then(Node::scalar_text) {
                Some(target) => Some(target.to_string()),
                None => item
                    .get("source")
                    .and_then(Node::scalar_text)
                    .map(|s| format!("{dir}/{s}")),
            },
        },
        UniqueKey::Port => match text {
            Some(t) => Some(t.to_string()),
            None => {
                let ip = item
                    .get("host_ip")
                    .and_then(Node::scalar_text)
                    .unwrap_or("0.0.0.0");
                let published = item
                    .get("published")
                    .and_then(Node::scalar_text)
                    .unwrap_or("");
                let target = item.get("target").and_then(Node::scalar_text)?;
                let protocol = item
                    .get("protocol")
                    .and_then(Node::scalar_text)
                    .unwrap_or("tcp");
                Some(format!("{ip}:{published}:{target}/{protocol}"))
            }
        },
        UniqueKey::EnvFilePath => text
            .or_else(|| item.get("path").and_then(Node::scalar_text))
            .map(str::to_string),
    }
}

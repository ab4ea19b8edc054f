//! `extends`, as compose-go's `ApplyExtends` does it, per document before the documents merge:
//! a service takes a copy of another service (same document: `extends: base` or
//! `extends: {service: base}`; another file: `extends: {file: common.yml, service: base}`),
//! resolved recursively, then merged under the service's own definition with the merge rules of
//! override files ([`crate::compose::merge`]; `!reset` / `!override` work). A service of another
//! file has its relative paths rebased to the project directory; that file's `include` is not
//! read. `extends` sees the services of its own document (after `include`), not of other files.
//!
//! | code  | severity | when |
//! |-------|----------|------|
//! | CX260 | error    | `extends.file` not given (see [`crate::compose::files`]) |
//! | CX266 | error    | the extended service does not exist (in this document or in `file`) |
//! | CX267 | error    | an `extends` cycle (a service extends itself through others) |
//! | CX268 | error    | `extends` without a `service` name |
//! | CX271 | error    | an `extends` chain longer than [`MAX_DEPTH`] services |

use std::collections::BTreeMap;

use crate::compose::files;
use crate::compose::interpolate::FileInterpolator;
use crate::compose::merge;
use crate::compose::Context;
use crate::diagnostic::{Diagnostic, Span};
use crate::suggest::did_you_mean;
use crate::yaml::{Map, Node, Value};

/// Code of an extended service that does not exist.
pub const SERVICE_NOT_FOUND: &str = "CX266";
/// Code of an `extends` cycle.
pub const EXTENDS_CYCLE: &str = "CX267";
/// Code of an `extends` without a service name.
pub const NO_SERVICE: &str = "CX268";
/// Code of an `extends` chain that is too long.
pub const TOO_DEEP: &str = "CX271";

/// The longest `extends` chain followed: resolution recurses, and a hostile file must not
/// exhaust the stack (real chains are a few services long).
pub const MAX_DEPTH: usize = 64;

/// Where a services map comes from: its file's key (for cycles and messages). Its paths are
/// relative to the project directory (rebased when the file was read).
#[derive(Clone)]
struct Origin {
    key: String,
}

/// Resolves the `extends` of every service of one document, whose paths are relative to the
/// project directory (rebased when read). `file_key` names the document's file (for cycle
/// messages), `env` is its interpolation environment.
pub fn apply(doc: &mut Node, file_key: &str, env: &BTreeMap<String, String>, cx: &mut Context<'_>) {
    let Value::Map(top) = &mut doc.value else {
        return;
    };
    let Some(Value::Map(services)) = top.get_mut("services").map(|s| &mut s.value) else {
        return;
    };
    let origin = Origin {
        key: file_key.to_string(),
    };
    // Only the services that extend another are resolved (the others never gain `extends`):
    // looking every service up by name was quadratic in the number of services.
    let names: Vec<String> = services
        .entries
        .iter()
        .filter(|(_, _, service)| service.get("extends").is_some())
        .map(|(k, _, _)| k.clone())
        .collect();
    for name in names {
        let _ = resolve(services, &name, &origin, env, &mut Vec::new(), cx);
    }
}

/// What an `extends` value asks for.
struct Reference {
    service: String,
    service_span: Span,
    file: Option<(String, Span)>,
}

fn reference(extends: &Node, cx: &mut Context<'_>) -> Option<Reference> {
    if let Some(name) = extends.as_scalar().filter(|s| !s.is_null()) {
        return Some(Reference {
            service: name.text.clone(),
            service_span: extends.span,
            file: None,
        });
    }
    let service = extends.get("service").and_then(Node::as_str);
    let Some(service) = service else {
        cx.diagnostics.push(
            Diagnostic::error(
                NO_SERVICE,
                "`extends` needs the name of the service to extend",
                extends.span,
            )
            .with_help("write `extends: base`, or `extends: {service: base, file: common.yml}`"),
        );
        return None;
    };
    let service_span = extends.get("service").map_or(extends.span, |s| s.span);
    let file = extends
        .get("file")
        .and_then(|f| Some((f.as_str()?.to_string(), f.span)));
    Some(Reference {
        service: service.to_string(),
        service_span,
        file,
    })
}

/// Resolves `name` in `services` in place; `Err` after a reported problem (the service then
/// loses its `extends` so the problem is reported once).
fn resolve(
    services: &mut Map,
    name: &str,
    origin: &Origin,
    env: &BTreeMap<String, String>,
    chain: &mut Vec<String>,
    cx: &mut Context<'_>,
) -> Result<(), ()> {
    let Some(extends) = services.get(name).and_then(|s| s.get("extends")).cloned() else {
        return Ok(());
    };
    let result = extended_base(services, name, &extends, origin, env, chain, cx);
    let Some(Value::Map(service)) = services.get_mut(name).map(|s| &mut s.value) else {
        return Err(());
    };
    let Ok(base) = result else {
        service.remove("extends");
        return Err(());
    };
    let Some(own) = services.get(name).cloned() else {
        return Err(());
    };
    let mut merged = base;
    let mut path = vec!["services".to_string(), name.to_string()];
    merge::merge_extended(&mut merged, own, &mut path, &mut cx.diagnostics);
    if let Value::Map(m) = &mut merged.value {
        m.remove("extends");
    }
    if let Some(slot) = services.get_mut(name) {
        *slot = merged;
    }
    Ok(())
}

/// The resolved service that `name` extends (a copy).
fn extended_base(
    services: &mut Map,
    name: &str,
    extends: &Node,
    origin: &Origin,
    env: &BTreeMap<String, String>,
    chain: &mut Vec<String>,
    cx: &mut Context<'_>,
) -> Result<Node, ()> {
    let reference = reference(extends, cx).ok_or(())?;
    if chain.len() >= MAX_DEPTH {
        cx.diagnostics.push(
            Diagnostic::error(
                TOO_DEEP,
                format!("`extends` chain longer than {MAX_DEPTH} services"),
                reference.service_span,
            )
            .with_help("extend a service that holds the shared settings directly, not through a long chain"),
        );
        return Err(());
    }
    chain.push(format!("{}:{name}", origin.key));
    let result = match &reference.file {
        None => {
            if services.get(&reference.service).is_none() {
                let candidates: Vec<&str> = services
                    .entries
                    .iter()
                    .map(|(k, _, _)| k.as_str())
                    .filter(|k| *k != name)
                    .collect();
                cx.diagnostics
                    .push(not_found(&reference, name, None, &candidates));
                Err(())
            } else {
                same_document(services, &reference, origin, env, chain, cx)
            }
        }
        Some((file, file_span)) => other_file(file, *file_span, &reference, name, env, chain, cx),
    };
    chain.pop();
    result
}

fn cycle_check(
    reference: &Reference,
    key: &str,
    chain: &[String],
    cx: &mut Context<'_>,
) -> Result<(), ()> {
    let link = format!("{key}:{}", reference.service);
    if !chain.contains(&link) {
        return Ok(());
    }
    let names: Vec<&str> = chain
        .iter()
        .map(|l| l.rsplit(':').next().unwrap_or(l))
        .chain(std::iter::once(reference.service.as_str()))
        .collect();
    cx.diagnostics.push(
        Diagnostic::error(
            EXTENDS_CYCLE,
            format!("`extends` cycle: {}", names.join(" → ")),
            reference.service_span,
        )
        .with_help("a service cannot extend itself, directly or through others: break the cycle"),
    );
    Err(())
}

fn same_document(
    services: &mut Map,
    reference: &Reference,
    origin: &Origin,
    env: &BTreeMap<String, String>,
    chain: &mut Vec<String>,
    cx: &mut Context<'_>,
) -> Result<Node, ()> {
    cycle_check(reference, &origin.key, chain, cx)?;
    resolve(services, &reference.service, origin, env, chain, cx)?;
    services.get(&reference.service).cloned().ok_or(())
}

fn other_file(
    file: &str,
    file_span: Span,
    reference: &Reference,
    name: &str,
    env: &BTreeMap<String, String>,
    chain: &mut Vec<String>,
    cx: &mut Context<'_>,
) -> Result<Node, ()> {
    if files::is_remote(file) {
        cx.diagnostics
            .push(files::remote_refused("extends", file_span));
        return Err(());
    }
    let key = files::key("", file);
    let mut services = file_services(&key, file_span, env, cx).ok_or(())?;
    if services.get(&reference.service).is_none() {
        let candidates: Vec<&str> = services
            .entries
            .iter()
            .map(|(k, _, _)| k.as_str())
            .collect();
        cx.diagnostics
            .push(not_found(reference, name, Some(&key), &candidates));
        return Err(());
    }
    cycle_check(reference, &key, chain, cx)?;
    // The file's paths were rebased to the project directory when it was read.
    let their = Origin { key: key.clone() };
    resolve(&mut services, &reference.service, &their, env, chain, cx)?;
    let base = services.get(&reference.service).cloned().ok_or(())?;
    // Keep the resolved service for the next service extending it.
    if let Some(Some(cached)) = cx.extended.get_mut(&key) {
        if let Some(slot) = cached.get_mut(&reference.service) {
            *slot = base.clone();
        }
    }
    Ok(base)
}

/// The `services` of an extended file: parsed, interpolated, merged and rebased once.
fn file_services(
    key: &str,
    named_at: Span,
    env: &BTreeMap<String, String>,
    cx: &mut Context<'_>,
) -> Option<Map> {
    if let Some(cached) = cx.extended.get(key) {
        return cached.clone();
    }
    let (index, file) = cx
        .files
        .require(key, "extended file", named_at, &mut cx.diagnostics)?;
    let mut docs = cx
        .files
        .documents(key, index, &file.text, &mut cx.diagnostics);
    let mut interpolator = FileInterpolator::new(env, &file.text);
    for doc in &mut docs {
        interpolator.interpolate(doc, &mut cx.diagnostics);
    }
    let services = merge::merge_documents(docs, &mut cx.diagnostics).and_then(|mut tree| {
        files::rebase_tree(&mut tree, &files::dir_of(key));
        match tree.value {
            Value::Map(mut top) => match top.remove("services").map(|s| s.value) {
                Some(Value::Map(services)) => Some(services),
                _ => None,
            },
            _ => None,
        }
    });
    let services = services.or_else(|| Some(Map::default()));
    cx.extended.insert(key.to_string(), services.clone());
    services
}

fn not_found(
    reference: &Reference,
    name: &str,
    file: Option<&str>,
    candidates: &[&str],
) -> Diagnostic {
    let place = file.map_or("this file".to_string(), |f| format!("`{f}`"));
    let mut d = Diagnostic::error(
        SERVICE_NOT_FOUND,
        format!(
            "cannot extend service `{name}`: service `{}` not found in {place}",
            reference.service
        ),
        reference.service_span,
    );
    d = match did_you_mean(&reference.service, candidates.iter().copied()) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None if candidates.is_empty() => d.with_help(format!("{place} defines no service")),
        None => d.with_help(format!("services there: {}", candidates.join(", "))),
    };
    d
}

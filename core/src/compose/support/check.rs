//! Applies the support table to the normalised tree: every key that is not simply mapped says so
//! once, at the key (or at the value, for rules that depend on it).

use super::{
    rows_for, Class, KeyRow, APPROXIMATED, DEPENDS_ACROSS_FAMILIES, ENV_WITHOUT_VALUE, REFUSED,
    RESTART_POLICY, UNAVAILABLE,
};
use indexmap::IndexMap;

use crate::compose::model::{Project, Service};
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::{Node, Value};

/// Deploy labels ComposeX reads (the renderer's family settings).
pub const COMPOSEX_DEPLOY_LABELS: &[&str] = &[
    "ecs.task.family",
    "ecs.task.family.hostname",
    "ecs.essential",
    "ecs.ephemeral.storage",
    "ecs.compute.platform",
];

/// Runs the table over `tree` and the rules that need more than one key.
pub fn check(tree: &Node, project: &Project, out: &mut Vec<Diagnostic>) {
    let Some(top) = tree.as_map() else { return };
    let families = project.families();
    for (key, key_span, value) in &top.entries {
        if key.starts_with("x-") {
            continue;
        }
        if key == "services" {
            for (name, _, service) in value.as_map().map_or(&[][..], |m| &m.entries) {
                check_service(name, service, project, &families, out);
            }
            continue;
        }
        walk(&mut vec![key.as_str()], *key_span, value, out);
    }
}

/// Task families by name, with their services.
type Families<'a> = IndexMap<String, Vec<&'a Service>>;

fn check_service(
    name: &str,
    service: &Node,
    project: &Project,
    families: &Families<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(map) = service.as_map() else { return };
    let has_image = service.get("image").is_some_and(|n| !n.is_null());
    for (key, key_span, value) in &map.entries {
        if key.starts_with("x-") {
            continue;
        }
        match key.as_str() {
            // Without an image, the image check speaks about `build`.
            "build" if !has_image => continue,
            "depends_on" => depends_on(name, project, families, out),
            "environment" => environment(name, value, out),
            "deploy" => deploy_labels(name, value, out),
            "platform" => {
                platform(name, value, out);
                continue;
            }
            // FireLens: its options are fluent-bit's, checked by the family emitter (firelens).
            "logging" if value.get("driver").and_then(Node::as_str) == Some("awsfirelens") => {
                continue
            }
            // Containers of one task family share the task's network already.
            "network_mode"
                if value
                    .as_str()
                    .and_then(|v| v.strip_prefix("service:"))
                    .is_some_and(|other| same_family(project, families, name, other)) =>
            {
                continue
            }
            _ => {}
        }
        walk(
            &mut vec!["services", name, key.as_str()],
            *key_span,
            value,
            out,
        );
    }
}

/// Walks `node` (written at `key_span`) whose path is `segments`. The path is one buffer for the
/// whole walk, each key pushed and popped (a copy of the path per key was most of the walk's
/// allocations).
fn walk<'a>(
    segments: &mut Vec<&'a str>,
    key_span: Span,
    node: &'a Node,
    out: &mut Vec<Diagnostic>,
) {
    if node.is_null() {
        return;
    }
    let rows: Vec<&KeyRow> = rows_for(segments)
        .filter(|row| row.condition.is_empty())
        .collect();
    if rows.is_empty() {
        descend(segments, node, out);
        return;
    }
    if rows.iter().any(|row| !row.values.is_empty()) {
        let pick = |text: &str| {
            rows.iter()
                .copied()
                .find(|row| !row.values.is_empty() && row.matches_value(text))
                .or_else(|| rows.iter().copied().find(|row| row.values.is_empty()))
        };
        match &node.value {
            Value::Scalar(s) => {
                if let Some(row) = pick(&s.text) {
                    apply(row, segments, Some(&s.text), node.span, node, out);
                }
            }
            Value::Seq(items) => {
                for item in items {
                    if let Some(row) = item.as_str().and_then(pick) {
                        apply(row, segments, item.as_str(), item.span, item, out);
                    }
                }
            }
            Value::Map(_) => {
                if let Some(row) = rows.iter().find(|row| row.values.is_empty()) {
                    apply(row, segments, None, key_span, node, out);
                }
            }
        }
        return;
    }
    apply(rows[0], segments, None, key_span, node, out);
}

/// Reports `row` at `span` (unless a later stage does), or descends into a mapped key.
fn apply<'a>(
    row: &KeyRow,
    segments: &mut Vec<&'a str>,
    value: Option<&str>,
    span: Span,
    node: &'a Node,
    out: &mut Vec<Diagnostic>,
) {
    if row.class == Class::Mapped {
        if !row.subtree {
            descend(segments, node, out);
        }
        return;
    }
    if row.elsewhere || turned_off(segments, node) {
        return;
    }
    out.push(diagnostic(row, &segments.join("."), value, span));
}

/// `false` on a switch ECS does not have asks for what ECS does anyway (`privileged: false`),
/// except on the switches whose compose default is on.
fn turned_off(segments: &[&str], node: &Node) -> bool {
    const ON_BY_DEFAULT: &[&str] = &["enable_ipv4", "attach"];
    node.as_scalar().is_some_and(|s| s.as_bool() == Some(false))
        && !segments.last().is_some_and(|k| ON_BY_DEFAULT.contains(k))
}

fn descend<'a>(segments: &mut Vec<&'a str>, node: &'a Node, out: &mut Vec<Diagnostic>) {
    match &node.value {
        Value::Map(map) => {
            for (key, key_span, value) in &map.entries {
                if key.starts_with("x-") {
                    continue;
                }
                segments.push(key);
                walk(segments, *key_span, value, out);
                segments.pop();
            }
        }
        Value::Seq(items) => {
            for item in items.iter().filter(|i| i.as_map().is_some()) {
                descend(segments, item, out);
            }
        }
        Value::Scalar(_) => {}
    }
}

/// The diagnostic for `row` at `path` (with the value when the row depends on it).
fn diagnostic(row: &KeyRow, path: &str, value: Option<&str>, span: Span) -> Diagnostic {
    let what = match value {
        Some(v) => format!("{path}: `{v}`"),
        None => path.to_string(),
    };
    let restart = row.note == super::table::NO_RESTART;
    match row.class {
        Class::Mapped | Class::Approximated => {
            Diagnostic::info(APPROXIMATED, format!("{what}: {}", row.note), span)
        }
        Class::Unavailable if restart => Diagnostic::warning(
            RESTART_POLICY,
            format!("{what}: ECS cannot stop restarting this service's tasks"),
            span,
        )
        .with_help(row.note),
        Class::Unavailable => Diagnostic::warning(
            UNAVAILABLE,
            format!("{what} has no effect on ECS Fargate"),
            span,
        )
        .with_help(row.note),
        Class::Refused => {
            Diagnostic::error(REFUSED, format!("{what} cannot be rendered for ECS"), span)
                .with_help(row.note)
        }
    }
}

/// The conditional row of `path` (its text is the help).
fn conditional(path: &str) -> Option<&'static KeyRow> {
    let segments: Vec<&str> = path.split('.').collect();
    super::rows()
        .iter()
        .find(|row| !row.condition.is_empty() && row.matches(&segments))
}

/// `depends_on` a service outside every task family of this one: ECS will not wait for it.
fn depends_on(name: &str, project: &Project, families: &Families<'_>, out: &mut Vec<Diagnostic>) {
    let Some(service) = project.services.get(name) else {
        return;
    };
    for (dep, on) in &service.depends_on {
        let exists = project.services.contains_key(dep) || families.contains_key(dep);
        if !exists || same_family(project, families, name, dep) {
            continue;
        }
        let help = conditional("services.*.depends_on").map_or("", |row| row.note);
        let message = format!(
            "services.{name}.depends_on.{dep}: ECS starts services independently, so `{name}` does not wait for `{dep}` ({})",
            on.condition.as_str()
        );
        // Plain `depends_on` (service_started) only orders container starts, which an app must
        // survive anyway: an info. A health or completion condition the app relies on: a warning.
        let diagnostic = if on.condition.as_str() == "service_started" {
            Diagnostic::info(DEPENDS_ACROSS_FAMILIES, message, on.span)
        } else {
            Diagnostic::warning(DEPENDS_ACROSS_FAMILIES, message, on.span)
        };
        out.push(diagnostic.with_help(help));
    }
}

/// True when `other` (a service or a task family) shares a task family with service `name`.
fn same_family(project: &Project, families: &Families<'_>, name: &str, other: &str) -> bool {
    let Some(service) = project.services.get(name) else {
        return false;
    };
    service.families().iter().any(|family| {
        family == other
            || families
                .get(family)
                .is_some_and(|members| members.iter().any(|s| s.name == other))
    })
}

/// `environment` entries left without a value: compose leaves them unset, and so does ECS.
fn environment(name: &str, node: &Node, out: &mut Vec<Diagnostic>) {
    let help = conditional("services.*.environment").map_or("", |row| row.note);
    for (key, key_span, value) in node.as_map().map_or(&[][..], |m| &m.entries) {
        if value.is_null() {
            out.push(
                Diagnostic::warning(
                    ENV_WITHOUT_VALUE,
                    format!("services.{name}.environment.{key} has no value and is left out"),
                    *key_span,
                )
                .with_help(format!(
                    "{help}; give it a value (`{key}: ...`) or set {key} in the environment when rendering"
                )),
            );
        }
    }
}

/// Deploy labels that are not ComposeX settings are not used.
fn deploy_labels(name: &str, deploy: &Node, out: &mut Vec<Diagnostic>) {
    let Some(labels) = deploy.get("labels").and_then(Node::as_map) else {
        return;
    };
    let note = conditional("services.*.deploy.labels").map_or("", |row| row.note);
    for (key, key_span, _) in &labels.entries {
        if !COMPOSEX_DEPLOY_LABELS.contains(&key.as_str()) {
            out.push(Diagnostic::info(
                APPROXIMATED,
                format!("services.{name}.deploy.labels.{key}: {note}"),
                *key_span,
            ));
        }
    }
}

/// `platform`: Linux on amd64 or arm64 (variant v8), or Windows on amd64 (an info says which
/// Windows); anything else would deploy another platform.
fn platform(name: &str, node: &Node, out: &mut Vec<Diagnostic>) {
    let Some(text) = node.as_str() else { return };
    let mut parts = text.split('/');
    let os = parts.next().unwrap_or_default();
    let arch = parts.next().unwrap_or_default();
    let variant = parts.next().unwrap_or_default();
    // The renderer reads exactly these architecture names (an empty one is the default, X86_64).
    let linux =
        os == "linux" && matches!((arch, variant), ("" | "amd64", "") | ("arm64", "" | "v8"));
    let windows = os == "windows" && matches!(arch, "" | "amd64") && variant.is_empty();
    let path = format!("services.{name}.platform");
    let condition = if windows {
        "windows/amd64"
    } else if linux {
        return;
    } else {
        "an OS other than linux, or an architecture other than amd64 / arm64"
    };
    let segments: Vec<&str> = path.split('.').collect();
    let row = super::rows()
        .iter()
        .find(|row| row.condition == condition && row.matches(&segments));
    if let Some(row) = row {
        out.push(diagnostic(row, &path, Some(text), node.span));
    }
}

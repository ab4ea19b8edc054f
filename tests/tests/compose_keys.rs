//! Every key of the compose specification against the support table
//! (`composex_core::compose::support`).
//!
//! - `SPEC` is our own list of the specification's keys (service keys and their sub-keys,
//!   top-level keys), written from the compose specification: every key must have a row, and
//!   every row must name a key of the list.
//! - `CASES` holds one case per key: service `web` with `image: nginx` plus that one key. Each is
//!   rendered and classified from what happened: refused (an error about the key), warned (a
//!   warning or info about the key), mapped (no word about it, but the templates differ from those
//!   without the key) or silent (neither). No case may be silent, and each must match its row.

use std::collections::BTreeMap;

use composex_core::compose::support::{rows, Class, KeyRow};
use composex_core::{render, Diagnostic, Input, Output, Severity, SourceFile};

#[path = "compose_keys/spec.rs"]
mod spec;
use spec::SPEC;

/// One case: `key` is added to the service `web` (or, for a top-level path, at the top level)
/// of a file that also holds `web` (inside the service), `services` and `top` in both the case
/// and its baseline.
struct Case {
    path: &'static str,
    key: &'static str,
    web: &'static str,
    services: &'static str,
    top: &'static str,
    /// `web` only makes sense with the key (it mounts what the key defines): the baseline
    /// leaves both out.
    web_needs_key: bool,
    expect: Class,
}

impl Case {
    const fn web(mut self, web: &'static str) -> Self {
        self.web = web;
        self
    }
    const fn services(mut self, services: &'static str) -> Self {
        self.services = services;
        self
    }
    const fn top(mut self, top: &'static str) -> Self {
        self.top = top;
        self
    }
    const fn web_needs_key(mut self) -> Self {
        self.web_needs_key = true;
        self
    }
}

const fn case(path: &'static str, key: &'static str, expect: Class) -> Case {
    Case {
        path,
        key,
        web: "",
        services: "",
        top: "",
        web_needs_key: false,
        expect,
    }
}

use Class::{Approximated as A, Mapped as M, Refused as R, Unavailable as U};

#[path = "compose_keys/cases.rs"]
mod cases;
use cases::CASES;

const HEAD: &str = "services:\n  web:\n    image: nginx\n";

/// The case's file text and the byte range of its key.
fn text(case: &Case, with_key: bool) -> (String, std::ops::Range<usize>) {
    let key = if with_key { case.key } else { "" };
    let mut text = String::from(HEAD);
    if with_key || !case.web_needs_key {
        text.push_str(case.web);
    }
    let top_level = !case.path.starts_with("services.");
    let mut range = 0..0;
    if !top_level {
        range = text.len()..text.len() + key.len();
        text.push_str(key);
    }
    text.push_str(case.services);
    text.push_str(case.top);
    if top_level {
        range = text.len()..text.len() + key.len();
        text.push_str(key);
    }
    (text, range)
}

/// The files the `include` and `env_file` cases name, so those cases load them.
fn named_files() -> std::collections::BTreeMap<String, SourceFile> {
    [
        ("other.yml", "services:\n  other:\n    image: nginx\n"),
        ("web.env", "GREETING=hello\n"),
        ("site.conf", "worker_processes 2;\n"),
        ("labels.env", "com.example.team=web\n"),
    ]
    .into_iter()
    .map(|(name, text)| {
        let file = SourceFile {
            name: name.into(),
            text: text.into(),
        };
        (name.to_string(), file)
    })
    .collect()
}

fn run(text: &str) -> Output {
    render(&Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        extra_files: named_files(),
        env: [("SITE_CONF".to_string(), "worker_processes 2;".to_string())].into(),
        ..Input::default()
    })
}

/// The last named segment of a path (`services.*.ports.published` → `published`).
fn key_name(path: &str) -> &str {
    path.rsplit('.').find(|s| *s != "*").unwrap_or(path)
}

/// A diagnostic the key caused that talks about it: new compared with the baseline, and at the
/// key or naming it.
fn mentions(
    d: &Diagnostic,
    baseline: &[Diagnostic],
    range: &std::ops::Range<usize>,
    name: &str,
) -> bool {
    let new = !baseline
        .iter()
        .any(|b| b.message == d.message && b.code == d.code);
    let at_key = d.span.is_some_and(|s| range.contains(&(s.start as usize)));
    new && (at_key || d.message.contains(name))
}

fn observed(case: &Case) -> (&'static str, Vec<String>) {
    let (with, range) = text(case, true);
    let (without, _) = text(case, false);
    let out = run(&with);
    let base = run(&without);
    let name = key_name(case.path);
    let about: Vec<&Diagnostic> = out
        .diagnostics
        .iter()
        // CX540 says a security scanner would flag the choice (a published port is plain HTTP
        // open to anyone): about security, not about how ECS maps the key.
        .filter(|d| d.code != "CX540" && mentions(d, &base.diagnostics, &range, name))
        .collect();
    let mut notes: Vec<String> = about
        .iter()
        .map(|d| format!("{}[{}] {}", d.severity.as_str(), d.code, d.message))
        .collect();
    // Errors about something else make the case meaningless.
    for d in out.diagnostics.iter().filter(|d| d.is_error()) {
        if !about.iter().any(|a| a == &d) {
            notes.push(format!("UNRELATED ERROR [{}] {}", d.code, d.message));
        }
    }
    if base.has_errors() {
        notes.push("BASELINE HAS ERRORS".into());
    }
    let class = if about.iter().any(|d| d.severity == Severity::Error) {
        "refused"
    } else if !about.is_empty() {
        "warned"
    } else if out.files != base.files {
        "mapped"
    } else {
        "silent"
    };
    (class, notes)
}

fn expected(class: Class) -> &'static str {
    match class {
        Class::Mapped => "mapped",
        Class::Approximated | Class::Unavailable => "warned",
        Class::Refused => "refused",
    }
}

/// True when `row` applies to the specification path `path` (`*` on either side matches any
/// name, so `logging.options.mode` is a row for `logging.options.*`).
fn covers(row: &KeyRow, path: &str) -> bool {
    let pattern: Vec<&str> = row.path.split('.').collect();
    let segments: Vec<&str> = path.split('.').collect();
    let length_ok =
        segments.len() == pattern.len() || (row.subtree && segments.len() > pattern.len());
    length_ok
        && pattern
            .iter()
            .zip(&segments)
            .all(|(p, s)| p == s || *p == "*" || *s == "*")
}

#[test]
fn every_spec_key_has_a_row_and_every_row_a_key() {
    let mut missing = Vec::new();
    for path in SPEC {
        let covered = rows().iter().any(|r| covers(r, path));
        let section = SPEC
            .iter()
            .any(|other| other.starts_with(&format!("{path}.")));
        if !covered && !section {
            missing.push(*path);
        }
    }
    assert!(missing.is_empty(), "keys with no row: {missing:#?}");
    let mut stale = Vec::new();
    for row in rows() {
        let names_a_key = SPEC
            .iter()
            .any(|path| covers(row, path) || path.starts_with(&format!("{}.", row.path)));
        if !names_a_key {
            stale.push(row.path);
        }
    }
    assert!(
        stale.is_empty(),
        "rows naming no key of the specification: {stale:#?}"
    );
    // The validator's own list of service keys is the specification's too.
    for key in composex_core::compose::validate::service_keys() {
        let path = format!("services.*.{key}");
        let listed = SPEC
            .iter()
            .any(|p| *p == path || p.starts_with(&format!("{path}.")));
        assert!(listed, "{path} is missing from SPEC");
    }
    println!("{} specification keys, {} rows", SPEC.len(), rows().len());
}

#[test]
fn every_key_case_is_mapped_warned_or_refused_as_the_table_says() {
    let mut failures = Vec::new();
    let mut by_table: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_outcome: BTreeMap<&str, usize> = BTreeMap::new();
    for case in CASES {
        let in_table = rows()
            .iter()
            .any(|r| covers(r, case.path) && r.class == case.expect);
        if !in_table {
            failures.push(format!("{}: no row of class {:?}", case.path, case.expect));
        }
        let (class, notes) = observed(case);
        *by_table.entry(case.expect.as_str()).or_default() += 1;
        *by_outcome.entry(class).or_default() += 1;
        let unrelated = notes
            .iter()
            .any(|n| n.starts_with("UNRELATED") || n.starts_with("BASELINE"));
        if class != expected(case.expect) || unrelated {
            failures.push(format!(
                "{}: expected {}, got {class}: {notes:?}\n{}",
                case.path,
                expected(case.expect),
                text(case, true).0
            ));
        }
    }
    println!(
        "{} cases; by table class: {by_table:?}; rendered: {by_outcome:?}",
        CASES.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(by_outcome.get("silent"), None, "no case may be silent");
}

#[test]
fn every_spec_leaf_has_a_case() {
    // `image` is in every case: the bare service's template runs it.
    let bare = run(HEAD);
    assert!(!bare.has_errors(), "{:?}", bare.diagnostics);
    assert!(bare.files.iter().any(|f| f.text.contains("Default: nginx")));
    let mut without = Vec::new();
    for path in SPEC.iter().filter(|p| **p != "services.*.image") {
        let section = SPEC
            .iter()
            .any(|other| other.starts_with(&format!("{path}.")));
        // A key inside a subtree row is covered by the case of the subtree's key.
        let under_subtree = rows().iter().any(|r| {
            r.subtree
                && r.path != *path
                && covers(r, path)
                && CASES.iter().any(|c| covers(r, c.path))
        });
        if !section && !under_subtree && !CASES.iter().any(|c| c.path == *path) {
            without.push(*path);
        }
    }
    assert!(without.is_empty(), "keys without a case: {without:#?}");
}

#[test]
fn the_docs_table_has_a_line_per_row() {
    let markdown = composex_core::compose::support::markdown();
    assert_eq!(markdown.lines().count(), rows().len() + 2);
    assert!(markdown.contains("| `services.*.restart` | no, on-failure* | not on Fargate |"));
}

/// The docs-ready table (the snapshot is the Markdown the docs' compose-key page shows): any
/// change to a row shows up here for review.
#[test]
fn support_table_markdown() {
    insta::assert_snapshot!(composex_core::compose::support::markdown());
}

/// One default row per path (value and conditional rows aside), and every row says something.
#[test]
fn rows_are_unambiguous() {
    let mut seen = std::collections::BTreeSet::new();
    for row in rows() {
        assert!(!row.note.is_empty(), "{} has no note", row.path);
        if row.values.is_empty() && row.condition.is_empty() {
            assert!(seen.insert(row.path), "two default rows for {}", row.path);
        }
    }
    // A value row's values name no other row's values for the same path.
    for (i, a) in rows().iter().enumerate() {
        for b in &rows()[i + 1..] {
            if a.path == b.path {
                assert!(
                    !a.values.iter().any(|v| b.values.contains(v)),
                    "{}: value rows overlap",
                    a.path
                );
            }
        }
    }
}

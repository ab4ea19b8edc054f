//! Prints the core's located diagnostics for people (rustc-style, through `annotate-snippets`,
//! which measures wide characters and draws multi-line spans) or for tools (JSON).

use std::io::IsTerminal;
use std::ops::Range;

use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use composex_core::{Diagnostic, Location, Severity, SourceFile};

use crate::args::ColorChoice;

/// Whether diagnostics on stderr get ANSI colours. `auto` follows the CLICOLOR_FORCE and
/// NO_COLOR conventions (force wins), then whether stderr is a terminal.
pub fn use_color(choice: ColorChoice) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") => true,
        ColorChoice::Auto if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => false,
        ColorChoice::Auto => std::io::stderr().is_terminal(),
    }
}

/// Renders diagnostics as rustc-style text: `error[CX104]: ...`, `--> file:line:col`, the source
/// lines with the span underlined (`^` for the problem, `-` for labels), then `= help:`. Each
/// diagnostic ends with a blank line.
pub fn text(diagnostics: &[Diagnostic], files: &[SourceFile], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&renderer.render(&[group(d, files)]));
        out.push_str("\n\n");
    }
    out
}

/// Renders diagnostics as a pretty-printed JSON array (`--message-format json`).
pub fn json(diagnostics: &[Diagnostic]) -> String {
    let mut s = serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// A one-line summary such as `2 errors, 1 warning`.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let count = |sev| diagnostics.iter().filter(|d| d.severity == sev).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = vec![plural(count(Severity::Error), "error")];
    let warnings = count(Severity::Warning);
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    parts.join(", ")
}

fn group<'a>(d: &'a Diagnostic, files: &'a [SourceFile]) -> Group<'a> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let mut group = Group::with_title(level.primary_title(d.message.as_str()).id(d.code));
    // The marks grouped by file, in the order the files are first named (the primary's first).
    let mut by_file: Vec<(&SourceFile, Vec<Mark<'a>>)> = Vec::new();
    let marks = d
        .location
        .iter()
        .map(|l| (l, AnnotationKind::Primary, ""))
        .chain(d.labels.iter().filter_map(|label| {
            let l = label.location.as_ref()?;
            Some((l, AnnotationKind::Context, label.message.as_str()))
        }));
    for (location, kind, message) in marks {
        let Some(file) = files.iter().find(|f| f.name == location.file) else {
            continue;
        };
        let mark = Mark {
            range: byte_range(location, &file.text),
            line: location.line,
            kind,
            message,
        };
        match by_file.iter_mut().find(|(f, _)| f.name == file.name) {
            Some((_, marks)) => marks.push(mark),
            None => by_file.push((file, vec![mark])),
        }
    }
    if by_file.is_empty() {
        // The primary's file is not among the inputs: still say where.
        if let Some(l) = &d.location {
            group = group.element(
                Origin::path(l.file.as_str())
                    .line(l.line)
                    .char_column(l.column),
            );
        }
    }
    group = group.elements(
        by_file
            .into_iter()
            .flat_map(|(file, marks)| snippets(file, marks)),
    );
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.trim_end()));
    }
    group
}

/// One underline: where, on which line it starts, primary or label, and the label's text.
struct Mark<'a> {
    range: Range<usize>,
    line: usize,
    kind: AnnotationKind,
    message: &'a str,
}

/// Marks of one file further apart than this many lines are shown in separate snippets (the
/// later ones headed `::: file:line:col`, like a label in another file), the primary's first.
/// The renderer reads every line it is handed: one snippet from a first mark to a far last one
/// (`published here first`, 18,000 lines up) cost the whole file, and a file with a thousand
/// such diagnostics cost its size a thousand times over.
const NEAR_LINES: usize = 100;

/// The snippets of `file` for `marks`: nearby marks share one (see [`NEAR_LINES`]).
fn snippets<'a>(
    file: &'a SourceFile,
    mut marks: Vec<Mark<'a>>,
) -> Vec<Snippet<'a, Annotation<'a>>> {
    marks.sort_by_key(|m| m.range.start);
    let mut near: Vec<Vec<Mark<'a>>> = Vec::new();
    for mark in marks {
        match near.last_mut() {
            // Sorted by start: the last mark of a group is its furthest down.
            Some(last)
                if last
                    .last()
                    .is_some_and(|m| mark.line <= m.line + NEAR_LINES) =>
            {
                last.push(mark)
            }
            _ => near.push(vec![mark]),
        }
    }
    if let Some(at) = near.iter().position(|marks| {
        marks
            .iter()
            .any(|m| matches!(m.kind, AnnotationKind::Primary))
    }) {
        let primary = near.remove(at);
        near.insert(0, primary);
    }
    near.into_iter().map(|marks| snippet(file, marks)).collect()
}

/// The lines of `file` from the first mark to the last, with the marks: only those lines are
/// handed to the renderer, so a diagnostic costs the size of its snippet, not of its file.
fn snippet<'a>(file: &'a SourceFile, marks: Vec<Mark<'a>>) -> Snippet<'a, Annotation<'a>> {
    let text = file.text.as_str();
    let first = marks.iter().min_by_key(|m| m.range.start);
    let (start, mut line) = first.map_or((0, 1), |m| (m.range.start, m.line));
    let end = marks.iter().map(|m| m.range.end).max().unwrap_or(start);
    let mut from = text[..start].rfind('\n').map_or(0, |i| i + 1);
    if from == text.len() && from > 0 {
        // A mark at the very end, after the last newline, is shown at the end of the last line.
        from = text[..from - 1].rfind('\n').map_or(0, |i| i + 1);
        line -= 1;
    }
    let to = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let annotations = marks.into_iter().map(|m| {
        m.kind
            .span(m.range.start - from..m.range.end - from)
            .label((!m.message.is_empty()).then_some(m.message))
    });
    Snippet::source(&text[from..to])
        .line_start(line)
        .path(file.name.as_str())
        .fold(true)
        .annotations(annotations)
}

/// The located byte range, clamped to the text and its char boundaries (a location from another
/// version of the file must not make the renderer slice past its end or inside a character).
fn byte_range(location: &Location, text: &str) -> Range<usize> {
    let floor = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = floor(location.start);
    start..floor(location.end).max(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use composex_core::Span;

    fn located(mut d: Diagnostic, files: &[SourceFile]) -> Diagnostic {
        d.locate(files);
        d
    }

    #[test]
    fn labels_in_another_file_get_their_own_snippet() {
        let files = vec![
            SourceFile {
                name: "a.yml".into(),
                text: "services:\n  app01:\n    image: x\n".into(),
            },
            SourceFile {
                name: "b.yml".into(),
                text: "services:\n  app01:\n    image: y\n".into(),
            },
        ];
        let d = Diagnostic::error("CX104", "overridden", Span::new(1, 23, 28))
            .with_label(Span::new(0, 23, 28), "first set here");
        let t = text(&[located(d, &files)], &files, false);
        assert_eq!(
            t,
            "error[CX104]: overridden\n --> b.yml:3:5\n  |\n3 |     image: y\n  |     ^^^^^\n  |\n \
             ::: a.yml:3:5\n  |\n3 |     image: x\n  |     ----- first set here\n\n"
        );
    }

    #[test]
    fn a_far_label_gets_its_own_snippet_after_the_primary_and_a_near_one_shares_it() {
        // 300 services of one line each: line n + 1 is service n.
        let source: String = (0..300).map(|n| format!("s{n:03}: x\n")).collect();
        let files = vec![SourceFile {
            name: "c.yml".into(),
            text: source,
        }];
        let line_start = |line: usize| (line - 1) * 8;
        let span = |line: usize| Span::new(0, line_start(line), line_start(line) + 4);
        let far = Diagnostic::warning("CX387", "published twice", span(250))
            .with_label(span(2), "published here first");
        let near = Diagnostic::warning("CX387", "published twice", span(250))
            .with_label(span(247), "published here first");
        let t = text(
            &[located(far, &files), located(near, &files)],
            &files,
            false,
        );
        assert_eq!(
            t,
            "warning[CX387]: published twice\n   --> c.yml:250:1\n    |\n250 | s249: x\n    | ^^^^\n    |\n   \
             ::: c.yml:2:1\n    |\n  2 | s001: x\n    | ---- published here first\n\n\
             warning[CX387]: published twice\n   --> c.yml:250:1\n    |\n247 | s246: x\n    | ---- published here first\n\
             ...\n250 | s249: x\n    | ^^^^\n\n"
        );
    }

    #[test]
    fn a_location_in_a_file_not_given_still_names_the_place() {
        let files = vec![SourceFile {
            name: ".env".into(),
            text: "A=${B\n".into(),
        }];
        let d = located(
            Diagnostic::error("CX200", "bad", Span::new(0, 2, 5)).with_help("close it\n"),
            &files,
        );
        // Rendered against no files (the text is unknown), the place is still printed.
        let t = text(&[d], &[], false);
        assert_eq!(
            t,
            "error[CX200]: bad\n --> .env:1:3\n  = help: close it\n\n"
        );
    }

    #[test]
    fn summary_counts_errors_and_warnings() {
        let e = Diagnostic::new(Severity::Error, "CX1", "e");
        let w = Diagnostic::new(Severity::Warning, "CX2", "w");
        assert_eq!(summary(&[e.clone(), w.clone(), w]), "1 error, 2 warnings");
        assert_eq!(summary(&[]), "0 errors");
    }
}

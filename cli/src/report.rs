//! Prints the core's located diagnostics for people (rustc-style, through `annotate-snippets`,
//! which measures wide characters and draws multi-line spans) or for tools (JSON).

use std::io::IsTerminal;

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
    // One snippet per file, in the order the files are first named (the primary's file first).
    let mut snippets: Vec<(&str, Snippet<'a, Annotation<'a>>)> = Vec::new();
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
        let annotation = kind
            .span(byte_range(location, &file.text))
            .label((!message.is_empty()).then_some(message));
        match snippets.iter_mut().find(|(name, _)| *name == file.name) {
            Some((_, snippet)) => {
                let taken = std::mem::replace(snippet, Snippet::source(""));
                *snippet = taken.annotation(annotation);
            }
            None => snippets.push((
                &file.name,
                Snippet::source(file.text.as_str())
                    .path(file.name.as_str())
                    .fold(true)
                    .annotation(annotation),
            )),
        }
    }
    let snippets_were_empty = snippets.is_empty();
    group = group.elements(snippets.into_iter().map(|(_, s)| s));
    if snippets_were_empty {
        // The primary's file is not among the inputs: still say where.
        if let Some(l) = &d.location {
            group = group.element(
                Origin::path(l.file.as_str())
                    .line(l.line)
                    .char_column(l.column),
            );
        }
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.trim_end()));
    }
    group
}

/// The located byte range, clamped to the text (a location from another version of the file
/// must not make the renderer index past its end).
fn byte_range(location: &Location, text: &str) -> std::ops::Range<usize> {
    let start = location.start.min(text.len());
    start..location.end.clamp(start, text.len())
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

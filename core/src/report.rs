//! Renderers for diagnostics: rustc-style text with the source snippet (CLI), and JSON.
//!
//! Both expect located diagnostics ([`crate::Output::finish`] locates them).

use std::fmt::Write;

use crate::diagnostic::{Diagnostic, Location};
use crate::SourceFile;

/// Renders diagnostics as rustc-style text: header, `--> file:line:col`, the source lines with
/// the span underlined (`^` for the problem, `-` for labels), then the help.
pub fn text(diagnostics: &[Diagnostic], files: &[SourceFile]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        render_one(&mut out, d, files);
        out.push('\n');
    }
    out
}

/// Renders diagnostics as a pretty-printed JSON array (the CLI's `--message-format json`).
pub fn json(diagnostics: &[Diagnostic]) -> String {
    let mut s = serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// A one-line summary such as `2 errors, 1 warning`.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let count = |sev| diagnostics.iter().filter(|d| d.severity == sev).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = vec![plural(count(crate::Severity::Error), "error")];
    let warnings = count(crate::Severity::Warning);
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    parts.join(", ")
}

struct Mark<'a> {
    location: &'a Location,
    message: &'a str,
    primary: bool,
}

fn render_one(out: &mut String, d: &Diagnostic, files: &[SourceFile]) {
    let _ = writeln!(out, "{}[{}]: {}", d.severity.as_str(), d.code, d.message);
    let Some(primary) = &d.location else {
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        return;
    };
    let _ = writeln!(out, "  --> {}:{}:{}", primary.file, primary.line, primary.column);
    let mut marks = vec![Mark { location: primary, message: "", primary: true }];
    let mut elsewhere = Vec::new();
    for label in &d.labels {
        match &label.location {
            Some(l) if l.file == primary.file => marks.push(Mark { location: l, message: &label.message, primary: false }),
            Some(l) => elsewhere.push((l, &label.message)),
            None => {}
        }
    }
    marks.sort_by_key(|m| (m.location.line, m.location.column));
    let text = files.iter().find(|f| f.name == primary.file).map(|f| f.text.as_str()).unwrap_or("");
    let lines: Vec<&str> = text.split('\n').collect();
    let width = marks.iter().map(|m| m.location.line).max().unwrap_or(1).to_string().len();
    let gutter = " ".repeat(width);
    let _ = writeln!(out, "{gutter} |");
    let mut last_line = 0;
    for mark in &marks {
        let line_no = mark.location.line;
        if line_no != last_line {
            if last_line != 0 && line_no > last_line + 1 {
                let _ = writeln!(out, "{gutter} ...");
            }
            let line = lines.get(line_no - 1).copied().unwrap_or("");
            let shown = line.trim_end_matches('\r').replace('\t', " ");
            let _ = writeln!(out, "{line_no:>width$} | {shown}");
            last_line = line_no;
        }
        let line = lines.get(line_no - 1).copied().unwrap_or("");
        let line_chars = line.trim_end_matches('\r').chars().count();
        let start = mark.location.column.saturating_sub(1);
        let end = if mark.location.end_line == line_no { mark.location.end_column - 1 } else { line_chars };
        let len = end.saturating_sub(start).max(1);
        let ch = if mark.primary { "^" } else { "-" };
        let msg = if mark.message.is_empty() { String::new() } else { format!(" {}", mark.message) };
        let _ = writeln!(out, "{gutter} | {}{}{msg}", " ".repeat(start), ch.repeat(len));
    }
    for (l, message) in elsewhere {
        let _ = writeln!(out, "{gutter} = note: {message}: {}:{}:{}", l.file, l.line, l.column);
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{gutter} = help: {help}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Diagnostic, Span};

    #[test]
    fn text_shows_the_line_with_carets_and_labels() {
        let files = vec![SourceFile { name: "c.yml".into(), text: "a:\n  image: x\n  image: y\n".into() }];
        let mut d = Diagnostic::error("CX104", "dup", Span::new(0, 16, 21)).with_label(Span::new(0, 5, 10), "first");
        d = d.with_help("remove one");
        d.locate(&files);
        let t = text(&[d], &files);
        assert_eq!(
            t,
            "error[CX104]: dup\n  --> c.yml:3:3\n  |\n2 |   image: x\n  |   ----- first\n3 |   image: y\n  |   ^^^^^\n  = help: remove one\n\n"
        );
    }

    #[test]
    fn summary_counts_errors_and_warnings() {
        let e = Diagnostic::new(crate::Severity::Error, "CX1", "e");
        let w = Diagnostic::new(crate::Severity::Warning, "CX2", "w");
        assert_eq!(summary(&[e.clone(), w.clone(), w]), "1 error, 2 warnings");
        assert_eq!(summary(&[]), "0 errors");
    }
}

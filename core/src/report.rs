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
        write_help(out, " ", d.help.as_deref());
        return;
    };
    let _ = writeln!(
        out,
        "  --> {}:{}:{}",
        primary.file, primary.line, primary.column
    );
    let mut marks = vec![Mark {
        location: primary,
        message: "",
        primary: true,
    }];
    let mut elsewhere = Vec::new();
    for label in &d.labels {
        match &label.location {
            Some(l) if l.file == primary.file => marks.push(Mark {
                location: l,
                message: &label.message,
                primary: false,
            }),
            Some(l) => elsewhere.push((l, &label.message)),
            None => {}
        }
    }
    marks.sort_by_key(|m| (m.location.line, m.location.column));
    let text = files
        .iter()
        .find(|f| f.name == primary.file)
        .map(|f| f.text.as_str())
        .unwrap_or("");
    let lines: Vec<&str> = text.split('\n').collect();
    let width = marks
        .iter()
        .map(|m| m.location.line)
        .max()
        .unwrap_or(1)
        .to_string()
        .len();
    let gutter = " ".repeat(width);
    let _ = writeln!(out, "{gutter} |");
    let mut last_line = 0;
    // Char column where the shown part of the current line starts (long lines are cut).
    let mut offset = 0;
    for mark in &marks {
        let line_no = mark.location.line;
        let line = lines
            .get(line_no - 1)
            .copied()
            .unwrap_or("")
            .trim_end_matches('\r');
        let line_chars = line.chars().count();
        let start = mark.location.column.saturating_sub(1);
        let end = if mark.location.end_line == line_no {
            mark.location.end_column - 1
        } else {
            line_chars
        };
        let len = end.saturating_sub(start).max(1);
        if line_no != last_line {
            if last_line != 0 && line_no > last_line + 1 {
                let _ = writeln!(out, "{gutter} ...");
            }
            let (shown, from) = window(&line.replace('\t', " "), start, len);
            offset = from;
            let _ = writeln!(out, "{line_no:>width$} | {shown}");
            last_line = line_no;
        }
        let pad = start.saturating_sub(offset);
        let len = len.min(MAX_SHOWN + 3);
        let ch = if mark.primary { "^" } else { "-" };
        let msg = if mark.message.is_empty() {
            String::new()
        } else {
            format!(" {}", mark.message)
        };
        let _ = writeln!(out, "{gutter} | {}{}{msg}", " ".repeat(pad), ch.repeat(len));
    }
    for (l, message) in elsewhere {
        let _ = writeln!(
            out,
            "{gutter} = note: {message}: {}:{}:{}",
            l.file, l.line, l.column
        );
    }
    write_help(out, &gutter, d.help.as_deref());
}

/// `= help: ...`, with the lines of a multi-line help (an example to copy) indented under it.
fn write_help(out: &mut String, gutter: &str, help: Option<&str>) {
    let Some(help) = help else { return };
    let mut lines = help.lines();
    let _ = writeln!(out, "{gutter} = help: {}", lines.next().unwrap_or(""));
    for line in lines {
        let _ = writeln!(out, "{gutter}         {line}");
    }
}

/// Longest source line shown whole; longer lines are cut to a window around the mark.
const MAX_SHOWN: usize = 100;

/// The part of `line` to show and the char column it starts at.
fn window(line: &str, start: usize, len: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_SHOWN {
        return (chars.iter().collect(), 0);
    }
    let from = start
        .saturating_sub(MAX_SHOWN / 2)
        .min(chars.len().saturating_sub(MAX_SHOWN));
    let to = (from + MAX_SHOWN)
        .min(chars.len())
        .max(from + len.min(MAX_SHOWN));
    let mut shown: String = chars[from..to.min(chars.len())].iter().collect();
    let mut offset = from;
    if from > 0 {
        shown = format!("...{shown}");
        offset = from.saturating_sub(3);
    }
    if to < chars.len() {
        shown.push_str("...");
    }
    (shown, offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Diagnostic, Span};

    #[test]
    fn text_shows_the_line_with_carets_and_labels() {
        let files = vec![SourceFile {
            name: "c.yml".into(),
            text: "a:\n  image: x\n  image: y\n".into(),
        }];
        let mut d = Diagnostic::error("CX104", "dup", Span::new(0, 16, 21))
            .with_label(Span::new(0, 5, 10), "first");
        d = d.with_help("remove one");
        d.locate(&files);
        let t = text(&[d], &files);
        assert_eq!(
            t,
            "error[CX104]: dup\n  --> c.yml:3:3\n  |\n2 |   image: x\n  |   ----- first\n3 |   image: y\n  |   ^^^^^\n  = help: remove one\n\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_mark_and_help_lines_are_indented() {
        let text = format!("a: {}X{}\n", "[".repeat(300), "]".repeat(300));
        let files = vec![SourceFile {
            name: "c.yml".into(),
            text: text.clone(),
        }];
        let at = text.find('X').unwrap();
        let mut d =
            Diagnostic::error("CX102", "deep", Span::new(0, at, at + 1)).with_help("one\ntwo");
        d.locate(&files);
        let t = text_of(&d, &files);
        let lines: Vec<&str> = t.lines().collect();
        assert!(
            lines[3].starts_with("1 | ...[[[") && lines[3].ends_with("]]]..."),
            "{t}"
        );
        assert!(lines[3].len() < 120, "{t}");
        // the caret sits under the X
        let x_col = lines[3].find('X').unwrap();
        assert_eq!(lines[4].find('^').unwrap(), x_col, "{t}");
        assert_eq!(&lines[5..7], ["  = help: one", "          two"]);
    }

    fn text_of(d: &Diagnostic, files: &[SourceFile]) -> String {
        text(std::slice::from_ref(d), files)
    }

    #[test]
    fn summary_counts_errors_and_warnings() {
        let e = Diagnostic::new(crate::Severity::Error, "CX1", "e");
        let w = Diagnostic::new(crate::Severity::Warning, "CX2", "w");
        assert_eq!(summary(&[e.clone(), w.clone(), w]), "1 error, 2 warnings");
        assert_eq!(summary(&[]), "0 errors");
    }
}

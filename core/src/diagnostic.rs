//! Located, user-facing problems: one type for every stage of the pipeline.
//!
//! Stages create [`Diagnostic`]s with a raw [`Span`] (file index + byte range). Before the core hands
//! diagnostics out, [`Diagnostic::locate`] turns spans into [`Location`]s with 1-based line and
//! column (in chars and in UTF-16 code units, which is what browser editors count).

use serde::Serialize;
use std::borrow::Borrow;

use crate::SourceFile;

/// How bad a problem is. Only errors make `validate` fail and stop files from being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be turned into templates.
    Error,
    /// The input works but probably not as the author meant.
    Warning,
    /// Something the tool decided on the author's behalf (for example a rounded Fargate size).
    Info,
}

impl Severity {
    /// Lower-case name, as printed by the renderers.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A byte range in one input file. Cheap to copy: every YAML node carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    /// Index of the file in [`crate::Input::files`].
    pub file: u32,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte (equal to `start` for an empty span).
    pub end: u32,
}

impl Span {
    /// A span over `start..end` in file `file`.
    pub fn new(file: u32, start: usize, end: usize) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// The smallest span covering both when they are in one file, else `self` (a key and its
    /// value may come from different files after a merge).
    pub fn cover(self, other: Span) -> Span {
        if self.file == other.file {
            self.to(other)
        } else {
            self
        }
    }

    /// True when `inner` lies within this span (same file).
    pub fn contains(self, inner: Span) -> bool {
        self.file == inner.file && self.start <= inner.start && inner.end <= self.end
    }

    /// The smallest span covering both (same file assumed; `self`'s file wins).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A secondary span with its own message ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there.
    pub message: String,
    /// Filled by [`Diagnostic::locate`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// A span resolved against its file's text: what renderers and editors need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file's name as given in the input.
    pub file: String,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset of the end.
    pub end: usize,
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column of the start, in Unicode scalar values.
    pub column: usize,
    /// 1-based line of the end.
    pub end_line: usize,
    /// 1-based column of the end, in Unicode scalar values.
    pub end_column: usize,
    /// 1-based column of the start, in UTF-16 code units (browser editors).
    pub column_utf16: usize,
    /// 1-based column of the end, in UTF-16 code units.
    pub end_column_utf16: usize,
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error, warning or info.
    pub severity: Severity,
    /// Stable code: `CX1xx` YAML, `CX2xx` compose, `CX3xx` x-modules, `CX4xx` AWS limits.
    pub code: &'static str,
    /// One line saying what is wrong.
    pub message: String,
    /// Where it is wrong, if the problem has a place.
    pub span: Option<Span>,
    /// Filled by [`Diagnostic::locate`] from `span`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Other places that explain the problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Label>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new diagnostic with no span, labels or help yet.
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            span: None,
            location: None,
            labels: Vec::new(),
            help: None,
        }
    }

    /// An error at `span`.
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::new(Severity::Error, code, message).at(span)
    }

    /// A warning at `span`.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::new(Severity::Warning, code, message).at(span)
    }

    /// An info at `span`.
    pub fn info(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::new(Severity::Info, code, message).at(span)
    }

    /// Sets the primary span.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            location: None,
        });
        self
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Resolves `span` and label spans into [`Location`]s against the input files.
    pub fn locate<F: Borrow<SourceFile>>(&mut self, files: &[F]) {
        self.locate_with(&mut Locator::new(files));
    }

    /// [`Diagnostic::locate`] through a [`Locator`] shared by many diagnostics.
    pub fn locate_with<F: Borrow<SourceFile>>(&mut self, locator: &mut Locator<'_, F>) {
        self.location = self.span.and_then(|s| locator.locate(s));
        for label in &mut self.labels {
            label.location = locator.locate(label.span);
        }
    }
}

/// Resolves many spans against the same files: each file's line starts are found once, on its
/// first span, so locating every diagnostic of a big file costs a binary search each instead of
/// a scan from the top of the file.
pub struct Locator<'a, F> {
    files: &'a [F],
    /// Per file, the byte offset of every line's first byte (built on demand).
    line_starts: Vec<Option<Vec<usize>>>,
}

impl<'a, F: Borrow<SourceFile>> Locator<'a, F> {
    /// A locator over `files` (indexed as [`Span::file`]).
    pub fn new(files: &'a [F]) -> Self {
        Self {
            files,
            line_starts: vec![None; files.len()],
        }
    }

    /// [`locate`], with the file's line starts kept for the next span.
    pub fn locate(&mut self, span: Span) -> Option<Location> {
        let index = span.file as usize;
        let file: &SourceFile = self.files.get(index)?.borrow();
        let text = file.text.as_str();
        let starts = self.line_starts[index].get_or_insert_with(|| line_starts(text));
        let start = floor_char_boundary(text, span.start as usize);
        let end = floor_char_boundary(text, (span.end as usize).max(start));
        let (line, column, column_utf16) = indexed_line_col(text, starts, start);
        let (end_line, end_column, end_column_utf16) = indexed_line_col(text, starts, end);
        Some(Location {
            file: file.name.clone(),
            start,
            end,
            line,
            column,
            end_line,
            end_column,
            column_utf16,
            end_column_utf16,
        })
    }
}

/// The byte offset of every line's first byte.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            starts.push(i + 1);
        }
    }
    starts
}

/// 1-based (line, column in chars, column in UTF-16 units) of byte offset `at` in `text`, whose
/// line starts are `line_starts`.
fn indexed_line_col(text: &str, line_starts: &[usize], at: usize) -> (usize, usize, usize) {
    // The number of lines starting at or before `at` is its 1-based line.
    let line = line_starts.partition_point(|&s| s <= at);
    let in_line = &text[line_starts[line - 1]..at];
    let column = in_line.chars().count() + 1;
    let column_utf16 = in_line.chars().map(char::len_utf16).sum::<usize>() + 1;
    (line, column, column_utf16)
}

/// Resolves one span against the files it points into; `None` if the file index is unknown.
/// (For many spans of the same files, a [`Locator`] finds each file's line starts once.)
pub fn locate<F: Borrow<SourceFile>>(files: &[F], span: Span) -> Option<Location> {
    Locator::new(files).locate(span)
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Sorts diagnostics by file, position, then severity and code, so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| (d.span.map(|s| (s.file, s.start, s.end)), d.severity, d.code);
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(text: &str) -> Vec<SourceFile> {
        vec![SourceFile {
            name: "a.yml".into(),
            text: text.into(),
        }]
    }

    #[test]
    fn line_and_columns_count_chars_and_utf16_units() {
        let f = files("ab\nx: \u{1F600}é z\n");
        // 'z' sits after "x: " + emoji (1 char, 2 UTF-16 units) + "é " .
        let z = f[0].text.find('z').unwrap();
        let loc = locate(&f, Span::new(0, z, z + 1)).unwrap();
        assert_eq!((loc.line, loc.column, loc.column_utf16), (2, 7, 8));
        assert_eq!((loc.end_line, loc.end_column), (2, 8));
    }

    #[test]
    fn the_locator_agrees_with_a_scan_from_the_top_at_every_offset() {
        let f = files("ab\n\nx: \u{1F600}é z\n  - q\r\nlast");
        let mut locator = Locator::new(&f);
        let len = f[0].text.len();
        for start in 0..=len + 2 {
            for end in [start, start + 1, start + 7] {
                let span = Span::new(0, start, end);
                assert_eq!(locator.locate(span), locate(&f, span), "{start}..{end}");
            }
        }
        assert!(locator.locate(Span::new(1, 0, 0)).is_none());
    }

    #[test]
    fn spans_inside_a_char_or_past_the_end_are_clamped() {
        let f = files("é");
        let loc = locate(&f, Span::new(0, 1, 99)).unwrap();
        assert_eq!((loc.start, loc.end), (0, 2));
        assert!(locate(&f, Span::new(3, 0, 0)).is_none());
    }
}

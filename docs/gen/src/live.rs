//! Live examples: a fenced block whose info string starts with `compose` is a compose file the
//! reader's browser renders with the embed script, and a test renders it too.
//!
//! ````text
//! ```compose expect=CX280,CX281 project=shop
//! services: ...
//! ```
//! ````
//!
//! What the render must give (one of, `expect=` when none is written):
//! - `expect=A,B`: exactly these codes (any severity), each at least once, and nothing else;
//! - `has=CODE`: at least this code (the bad example of a code's reference entry);
//! - `lacks=CODE`: not this code and no error (its fixed example);
//! - `proves="TEXT"`: no error, and TEXT (a resource type, a property) in some output file.

use composex_core::{Input, Options, Output, Severity, SourceFile};

/// What a live example's render must give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Exactly these codes (sorted, deduplicated).
    Exact(Vec<String>),
    /// At least this code.
    Has(String),
    /// Not this code, and no error.
    Lacks(String),
    /// No error, and this text in some output file.
    Proves(String),
}

/// One live example of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveExample {
    /// The page it is on (path in the book).
    pub page: String,
    /// Its 1-based line in that page's markdown.
    pub line: usize,
    /// The compose file.
    pub text: String,
    /// The project name it is rendered with.
    pub project: String,
    /// What its render must give.
    pub check: Check,
}

/// The fence that opens a live example: "```compose" and its attributes.
const OPEN: &str = "```compose";

/// Splits a fence's attributes: `key=value` or `key="value with spaces"`.
fn attributes(info: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = info.trim();
    while !rest.is_empty() {
        let (key, after) = rest
            .split_once('=')
            .ok_or_else(|| format!("attribute without `=`: `{rest}`"))?;
        // Double or single quotes (a value holding one kind is written in the other).
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
        let (value, after) = match quote {
            Some(q) => after[1..]
                .split_once(q)
                .ok_or_else(|| format!("unclosed quote in `{rest}`"))?,
            None => after.split_once(' ').unwrap_or((after, "")),
        };
        out.push((key.trim().to_owned(), value.to_owned()));
        rest = after.trim_start();
    }
    Ok(out)
}

fn parse_open(page: &str, line: usize, info: &str) -> Result<LiveExample, String> {
    let mut example = LiveExample {
        page: page.to_owned(),
        line,
        text: String::new(),
        project: "demo".to_owned(),
        check: Check::Exact(Vec::new()),
    };
    for (key, value) in attributes(info).map_err(|e| format!("{page}:{line}: {e}"))? {
        example.check = match key.as_str() {
            "project" => {
                example.project = value;
                continue;
            }
            "expect" => {
                let mut codes: Vec<String> = value
                    .split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect();
                codes.sort();
                codes.dedup();
                Check::Exact(codes)
            }
            "has" => Check::Has(value),
            "lacks" => Check::Lacks(value),
            "proves" => Check::Proves(value),
            other => return Err(format!("{page}:{line}: unknown attribute `{other}`")),
        };
    }
    Ok(example)
}

/// The live examples of a page, in order; a malformed fence is an error.
pub fn examples(page: &str, markdown: &str) -> Result<Vec<LiveExample>, String> {
    let mut out = Vec::new();
    let mut open: Option<LiveExample> = None;
    for (i, line) in markdown.lines().enumerate() {
        match open.as_mut() {
            None => {
                if let Some(info) = line.strip_prefix(OPEN) {
                    if info.is_empty() || info.starts_with(' ') {
                        open = Some(parse_open(page, i + 1, info)?);
                    }
                }
            }
            Some(example) => {
                if line.trim_end() == "```" {
                    out.extend(open.take());
                } else {
                    example.text.push_str(line);
                    example.text.push('\n');
                }
            }
        }
    }
    match open {
        Some(e) => Err(format!("{page}:{}: live example never closed", e.line)),
        None => Ok(out),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The embed markup of one example: a `<pre class="composex">` the embed script replaces with
/// an editable copy and its rendered files; the `data-` attributes tell the browser test what
/// to expect.
fn markup(example: &LiveExample) -> String {
    let (check, value) = match &example.check {
        Check::Exact(codes) => ("exact", codes.join(" ")),
        Check::Has(code) => ("has", code.clone()),
        Check::Lacks(code) => ("lacks", code.clone()),
        Check::Proves(text) => ("proves", text.clone()),
    };
    format!(
        "<pre class=\"composex\" data-project=\"{}\" data-check=\"{check}\" data-expect=\"{}\">\n{}</pre>\n",
        escape(&example.project),
        escape(&value),
        escape(&example.text)
    )
}

/// The page with every live example's fence turned into embed markup (with a blank line on
/// either side, so markdown passes it through as an HTML block).
pub fn to_html(page: &str, markdown: &str) -> Result<String, String> {
    let examples = examples(page, markdown)?;
    let mut out = String::new();
    let mut lines = markdown.lines().enumerate().peekable();
    let mut next = examples.iter().peekable();
    while let Some((i, line)) = lines.next() {
        match next.peek() {
            Some(example) if example.line == i + 1 => {
                out.push('\n');
                out.push_str(&markup(example));
                out.push('\n');
                // Skip the body and the closing fence.
                for (_, body) in lines.by_ref() {
                    if body.trim_end() == "```" {
                        break;
                    }
                }
                next.next();
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Ok(out)
}

/// Renders an example as the embed does (one `docker-compose.yml`, no environment).
pub fn render(example: &LiveExample) -> Output {
    composex_core::render(&Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: example.text.clone(),
        }],
        options: Options {
            project_name: example.project.clone(),
            ..Options::default()
        },
        ..Input::default()
    })
}

/// Whether the example's render gives what it says; `Err` says what it gave instead.
pub fn verify(example: &LiveExample) -> Result<(), String> {
    let output = render(example);
    let mut codes: Vec<String> = output
        .diagnostics
        .iter()
        .map(|d| d.code.to_owned())
        .collect();
    codes.sort();
    codes.dedup();
    let errors: Vec<String> = output
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    let all: Vec<String> = output
        .diagnostics
        .iter()
        .map(|d| format!("{} {}: {}", d.severity.as_str(), d.code, d.message))
        .collect();
    let ok = match &example.check {
        Check::Exact(expected) => {
            *expected == codes && (!output.files.is_empty() || !errors.is_empty())
        }
        Check::Has(code) => codes.contains(code),
        Check::Lacks(code) => !codes.contains(code) && errors.is_empty(),
        Check::Proves(text) => {
            errors.is_empty() && output.files.iter().any(|f| f.text.contains(text.as_str()))
        }
    };
    match ok {
        true => Ok(()),
        false => Err(format!(
            "{}:{}: expected {:?}, got {} file(s) and {:?}",
            example.page,
            example.line,
            example.check,
            output.files.len(),
            all
        )),
    }
}

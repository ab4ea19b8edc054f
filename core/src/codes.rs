//! Every diagnostic code composex can give, in one table: its severity, a one-line title and a
//! long explanation with a compose file that gets the code and one that does not (what
//! `composex explain CX104` prints, like `rustc --explain`).
//!
//! Ranges: `CX0xx` API misuse (playground), `CX1xx` YAML, `CX2xx` compose, `CX3xx` x-modules and
//! ECS, `CX4xx` AWS limits, `CX5xx` resource Properties against the CloudFormation schemas and the security posture (CX54x), `CX6xx` later x-modules and Docker's x-aws keys. A code keeps its meaning forever; the constants that emit a code live
//! next to the code that emits it, and a test checks that each one is defined once and is in this
//! table.

mod cognito;
mod compose;
mod docker_ecs;
mod ec2;
mod ecs;
mod elbv2;
mod elbv2_listeners;
mod elbv2_lookup;
mod files;
mod firelens;
mod loading;
mod monitoring;
mod mounted;
mod observability;
mod output;
mod platform;
mod properties;
mod reach;
mod resources;
mod search_files;
mod secrets_volumes;
mod security;
mod streams_caches;
mod support;
mod wafv2;
mod yaml;

use std::sync::LazyLock;

use crate::diagnostic::Severity;

/// One diagnostic code and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The code, e.g. `CX104`.
    pub code: &'static str,
    /// Every severity the code is given with, the usual one first (a code about an ignored
    /// value may be a warning at one key and an error at another).
    pub severities: &'static [Severity],
    /// One line: what is wrong.
    pub title: &'static str,
    /// When the code is given and how to fix it (plain text, paragraphs separated by blank lines).
    pub explanation: &'static str,
    /// A file that gets the code and its fix, or why there is none.
    pub example: Example,
}

/// What the bad and fixed examples of a code are.
///
/// A compose example may start with a comment naming the command that shows the code, e.g.
/// `# composex render --param Key=Value`, `# composex render --profile debug` or
/// `# composex set-image app=nginx:1.27`; without one it is `composex render` with no options.
/// A `# file: NAME` line starts the next compose file (`-f NAME`), an `# other file: NAME` line
/// a file the compose files name (`env_file`, `include`, `extends.file`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Example {
    /// A compose file (`docker-compose.yml`) that gets the code, and the same file fixed.
    Compose {
        /// Gets the code.
        bad: &'static str,
        /// Does not get it.
        fixed: &'static str,
    },
    /// A `.env` file that gets the code, and the same file fixed.
    DotEnv {
        /// Gets the code.
        bad: &'static str,
        /// Does not get it.
        fixed: &'static str,
    },
    /// No short example exists; the text says why (an internal error, a 16 MiB file, ...).
    None(&'static str),
}

impl CodeInfo {
    /// The usual severity of the code.
    pub fn severity(&self) -> Severity {
        self.severities.first().copied().unwrap_or(Severity::Error)
    }

    /// The full text `composex explain` prints: title, explanation and the examples.
    pub fn long_text(&self) -> String {
        let severities: Vec<&str> = self.severities.iter().map(|s| s.as_str()).collect();
        let mut text = format!(
            "{} ({}): {}\n\n{}",
            self.code,
            severities.join(" or "),
            self.title,
            wrap(self.explanation)
        );
        let (bad, fixed, file) = match self.example {
            Example::Compose { bad, fixed } => (bad, fixed, "docker-compose.yml"),
            Example::DotEnv { bad, fixed } => (bad, fixed, ".env"),
            Example::None(why) => {
                text.push_str(&format!("\n{}", wrap(&format!("No example: {why}"))));
                return text;
            }
        };
        let (bad_command, bad) = split_command(bad);
        let (fixed_command, fixed) = split_command(fixed);
        let (files, verb) = if bad.contains("\n# other file: ") {
            (
                "These files (`# file:` starts the next compose file, `# other file:` a file \
                 they name)"
                    .to_owned(),
                "get",
            )
        } else if bad.contains("\n# file: ") {
            (
                "These compose files (`# file:` starts the next one)".to_owned(),
                "get",
            )
        } else {
            (format!("This {file}"), "gets")
        };
        let with = |command: Option<&str>| match command {
            Some(c) => format!(", with `{c}`,"),
            None => String::new(),
        };
        text.push_str(&format!(
            "\n{files}{} {verb} {code}:\n\n{bad}\nFixed{}:\n\n{fixed}",
            with(bad_command),
            with(fixed_command).trim_end_matches(','),
            code = self.code,
            bad = indent(bad),
            fixed = indent(fixed)
        ));
        text
    }
}

/// An example's first-line `# composex ...` comment (the command that shows the code), and the
/// rest of the example.
fn split_command(example: &str) -> (Option<&str>, &str) {
    match example.split_once('\n') {
        Some((first, rest)) if first.starts_with("# composex ") => (first.strip_prefix("# "), rest),
        _ => (None, example),
    }
}

/// Paragraphs (separated by blank lines) wrapped at 80 columns, each followed by a newline, with
/// a blank line between them.
fn wrap(text: &str) -> String {
    const WIDTH: usize = 80;
    let mut out = Vec::new();
    for paragraph in text.split("\n\n") {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > WIDTH {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
        out.push(lines.join("\n") + "\n");
    }
    out.join("\n")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_owned()
            } else {
                format!("    {l}\n")
            }
        })
        .collect()
}

static TABLE: LazyLock<Vec<CodeInfo>> = LazyLock::new(|| {
    let mut all: Vec<CodeInfo> = [
        output::API,
        yaml::CODES,
        loading::CODES,
        files::CODES,
        mounted::CODES,
        compose::CODES,
        secrets_volumes::CODES,
        support::CODES,
        platform::CODES,
        ecs::CODES,
        docker_ecs::CODES,
        reach::CODES,
        elbv2::CODES,
        elbv2_listeners::CODES,
        elbv2_lookup::CODES,
        resources::CODES,
        search_files::CODES,
        wafv2::CODES,
        cognito::CODES,
        firelens::CODES,
        ec2::CODES,
        monitoring::CODES,
        properties::CODES,
        streams_caches::CODES,
        observability::CODES,
        security::CODES,
        output::CODES,
    ]
    .concat();
    all.sort_by_key(|c| c.code);
    all
});

/// Every code, sorted by code.
pub fn all() -> &'static [CodeInfo] {
    &TABLE
}

/// The entry of `code` (`CX104`; lower case and a missing `CX` are accepted: `cx104`, `104`).
pub fn explain(code: &str) -> Option<&'static CodeInfo> {
    let code = code.trim();
    let digits = code
        .strip_prefix("CX")
        .or_else(|| code.strip_prefix("cx"))
        .unwrap_or(code);
    all().iter().find(|c| &c.code[2..] == digits)
}

/// Shorthands for the data files.
mod short {
    use crate::diagnostic::Severity;
    pub(super) const ERROR: &[Severity] = &[Severity::Error];
    pub(super) const WARNING: &[Severity] = &[Severity::Warning];
    pub(super) const INFO: &[Severity] = &[Severity::Info];
    pub(super) const ERROR_OR_WARNING: &[Severity] = &[Severity::Error, Severity::Warning];
}

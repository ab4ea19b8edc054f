//! `.env` files as compose-go reads them (reference/compose-and-peers.md §1.3).
//!
//! Syntax: blank lines and `#` lines are skipped; an optional `export ` prefix; `KEY=value` or
//! `KEY: value`; a bare `KEY` line takes KEY from the environment (absent when unset);
//! unquoted values end at the line end, lose a ` #` comment and trailing blanks; `'single'`
//! quotes are literal (only `\'` is unescaped); `"double"` quotes process `\n \r \t \a \b \f \v
//! \" \\ \$ \0ooo` and may span lines; unquoted and double-quoted values expand `${VAR}` forms
//! (the full interpolation grammar) from the environment first, then from earlier entries.
//! A UTF-8 byte order mark is skipped.
//!
//! The parser is pure: the caller (CLI) reads the file, hands in the text and its file index,
//! and decides precedence (values already in the environment are not overridden by `.env`).
//!
//! | code  | severity | when |
//! |-------|----------|------|
//! | CX295 | error    | a character that cannot be in a variable name, a key with a space, an empty key |
//! | CX296 | error    | a quoted value without its closing quote |
//!
//! Interpolation problems inside values use the interpolation codes (CX200-CX202).

use std::collections::BTreeMap;

use crate::compose::interpolate::{self, Lookup};
use crate::diagnostic::{Diagnostic, Span};

/// Code of a malformed variable name.
pub const BAD_NAME: &str = "CX295";
/// Code of an unterminated quoted value.
pub const UNTERMINATED_QUOTE: &str = "CX296";

/// What a `.env` file defines, and the problems found in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DotEnv {
    /// The variables, as the file sets them (a later line wins over an earlier one).
    pub vars: BTreeMap<String, String>,
    /// Problems, located in the `.env` file (file index as given to [`parse`]).
    pub diagnostics: Vec<Diagnostic>,
    /// Where each variable's name is written (its last definition).
    pub key_spans: BTreeMap<String, Span>,
}

/// Parses `.env` text. `file` is the index used in diagnostic spans; `env` is the environment
/// used for bare keys and for `${VAR}` expansion (it wins over earlier entries of the file).
pub fn parse(text: &str, file: u32, env: &BTreeMap<String, String>) -> DotEnv {
    parse_layered(text, file, env, &BTreeMap::new())
}

/// [`parse`], with `earlier` as a last place to look up `${VAR}` (after `env` and the file's own
/// earlier entries): compose reads a service's `env_file`s in order, and a later file sees the
/// variables the earlier ones set.
pub fn parse_layered(
    text: &str,
    file: u32,
    env: &BTreeMap<String, String>,
    earlier: &BTreeMap<String, String>,
) -> DotEnv {
    let mut parser = Parser {
        text,
        file,
        pos: 0,
        env,
        earlier,
        out: DotEnv::default(),
    };
    if text.starts_with('\u{feff}') {
        parser.pos = '\u{feff}'.len_utf8();
    }
    parser.run();
    parser.out
}

struct Parser<'a> {
    text: &'a str,
    file: u32,
    pos: usize,
    env: &'a BTreeMap<String, String>,
    earlier: &'a BTreeMap<String, String>,
    out: DotEnv,
}

/// Blanks that separate tokens on one line (compose-go's set: not the line feed).
fn is_blank(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    )
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']')
}

/// Variables from the environment first, then from the entries read so far.
struct EnvThenFile<'a> {
    env: &'a BTreeMap<String, String>,
    file: &'a BTreeMap<String, String>,
    earlier: &'a BTreeMap<String, String>,
}

impl Lookup for EnvThenFile<'_> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.env
            .get(name)
            .or_else(|| self.file.get(name))
            .or_else(|| self.earlier.get(name))
            .map(String::as_str)
    }
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn line_end(&self, from: usize) -> usize {
        self.text
            .get(from..)
            .and_then(|r| r.find('\n'))
            .map_or(self.text.len(), |i| from + i)
    }

    fn skip_while(&mut self, keep: impl Fn(char) -> bool) {
        let skipped: usize = self
            .rest()
            .chars()
            .take_while(|&c| keep(c))
            .map(char::len_utf8)
            .sum();
        self.pos += skipped;
    }

    fn run(&mut self) {
        loop {
            self.skip_while(char::is_whitespace);
            if self.pos >= self.text.len() {
                return;
            }
            if self.rest().starts_with('#') {
                self.pos = self.line_end(self.pos);
                continue;
            }
            if !self.statement() {
                return;
            }
        }
    }

    /// Reads one `KEY=value`; false when parsing cannot go on.
    fn statement(&mut self) -> bool {
        if let Some(after) = self.rest().strip_prefix("export") {
            if after.starts_with(|c: char| c.is_ascii_whitespace()) {
                self.pos += "export".len();
                self.skip_while(|c| c.is_ascii_whitespace());
            }
        }
        let key_start = self.pos;
        let mut terminator = None;
        for (i, c) in self.rest().char_indices() {
            if is_blank(c) || is_name_char(c) {
                continue;
            }
            if matches!(c, '=' | ':' | '\n') {
                terminator = Some((key_start + i, c));
                break;
            }
            let at = key_start + i;
            let line = self.line_end(at);
            self.out.diagnostics.push(
                Diagnostic::error(BAD_NAME, format!("unexpected character {c:?} in variable name"), self.span(at, at + c.len_utf8()))
                    .with_help("variable names are letters, digits, `_`, `.`, `-`, `[` and `]`, followed by `=` and the value"),
            );
            self.pos = line;
            return true;
        }
        let (key_end, sep) = terminator.unwrap_or((self.text.len(), '\n'));
        let key = self.text.get(key_start..key_end).unwrap_or("").trim_end();
        let key_span = self.span(key_start, key_start + key.len());
        if key.contains(' ') {
            self.out.diagnostics.push(Diagnostic::error(
                BAD_NAME,
                "key cannot contain a space",
                key_span,
            ));
            self.pos = self.line_end(key_end);
            return true;
        }
        if key.is_empty() {
            self.out.diagnostics.push(Diagnostic::error(
                BAD_NAME,
                "a variable needs a name before `=`",
                self.span(key_end, key_end + 1),
            ));
            self.pos = self.line_end(key_end);
            return true;
        }
        let key = key.to_string();
        self.pos = (key_end + sep.len_utf8()).min(self.text.len());
        if sep == '\n' {
            // A bare name inherits the environment's value, if any.
            if let Some(v) = self.env.get(&key) {
                self.out.key_spans.insert(key.clone(), key_span);
                self.out.vars.insert(key, v.clone());
            }
            return true;
        }
        self.skip_while(is_blank);
        match self.value() {
            Some(value) => {
                self.out.key_spans.insert(key.clone(), key_span);
                self.out.vars.insert(key, value);
                true
            }
            None => false,
        }
    }

    /// Reads the value at `pos`; `None` after an unterminated quote.
    fn value(&mut self) -> Option<String> {
        let start = self.pos;
        let quote = self
            .rest()
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\''));
        let Some(quote) = quote else {
            let end = self.line_end(start);
            let line = self.text.get(start..end).unwrap_or("");
            let value = line.split_once(" #").map_or(line, |(v, _)| v).trim_end();
            self.pos = end;
            return Some(self.expand(value, start));
        };
        let bytes = self.text.as_bytes();
        let close =
            (start + 1..bytes.len()).find(|&i| bytes[i] == quote as u8 && bytes[i - 1] != b'\\');
        let Some(close) = close else {
            let end = self.line_end(start);
            self.out.diagnostics.push(
                Diagnostic::error(
                    UNTERMINATED_QUOTE,
                    "unterminated quoted value",
                    self.span(start, end),
                )
                .with_help(format!("close the value with {quote}")),
            );
            return None;
        };
        let raw = self.text.get(start + 1..close).unwrap_or("");
        self.pos = close + 1;
        Some(if quote == '\'' {
            raw.replace("\\'", "'")
        } else {
            self.expand(&unescape(raw), start + 1)
        })
    }

    /// Expands `${VAR}` forms; on error reports it and keeps the text as written.
    fn expand(&mut self, value: &str, at: usize) -> String {
        if !value.contains('$') {
            return value.to_string();
        }
        let lookup = EnvThenFile {
            env: self.env,
            file: &self.out.vars,
            earlier: self.earlier,
        };
        match interpolate::substitute(value, &lookup) {
            Ok(done) => {
                for (name, _) in done.unset {
                    self.out.diagnostics.push(Diagnostic::warning(
                        interpolate::UNSET_VARIABLE,
                        format!(
                            "The \"{name}\" variable is not set. Defaulting to a blank string."
                        ),
                        self.span(at, at + value.len()),
                    ));
                }
                done.value
            }
            Err(e) => {
                let span = self.span(at, at + value.len());
                let d = match e {
                    interpolate::TemplateError::Invalid { .. } => Diagnostic::error(
                        interpolate::INVALID_TEMPLATE,
                        format!("invalid interpolation format: {value}"),
                        span,
                    )
                    .with_help("You may need to escape any $ with another $"),
                    interpolate::TemplateError::Required { name, message, .. } => {
                        Diagnostic::error(
                            interpolate::REQUIRED_MISSING,
                            interpolate::required_message(&name, &message),
                            span,
                        )
                    }
                };
                self.out.diagnostics.push(d);
                value.to_string()
            }
        }
    }
}

/// Processes the escapes of a double-quoted value. `\$` becomes `$$` so that the expansion that
/// follows yields a literal `$`; unknown escapes are kept as written.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&(_, next)) = chars.peek() else {
            out.push('\\');
            break;
        };
        let simple = match next {
            'a' => Some("\u{7}"),
            'b' => Some("\u{8}"),
            'f' => Some("\u{c}"),
            'n' => Some("\n"),
            'r' => Some("\r"),
            't' => Some("\t"),
            'v' => Some("\u{b}"),
            '"' => Some("\""),
            '\\' => Some("\\"),
            '$' => Some("$$"),
            _ => None,
        };
        if let Some(s) = simple {
            out.push_str(s);
            chars.next();
            continue;
        }
        // `\0ooo`: an octal byte value written with a leading zero.
        let octal = raw
            .get(i + 2..i + 5)
            .filter(|d| next == '0' && d.bytes().all(|b| (b'0'..=b'7').contains(&b)));
        if let Some(code) = octal.and_then(|d| u8::from_str_radix(d, 8).ok()) {
            out.push(char::from(code));
            for _ in 0..4 {
                chars.next();
            }
            continue;
        }
        out.push('\\');
    }
    out
}

//! Variable interpolation as compose-go does it, on the scalar values (never the keys) of one
//! file's tree, before files are merged.
//!
//! Grammar (reference/compose-and-peers.md §1.2):
//! - `$$` is a literal `$`; a `$` not followed by a name or `{` stays as it is (`a $ b`, `^x$`, `$1`);
//! - `$NAME` and `${NAME}` with names `[_a-zA-Z][_a-zA-Z0-9]*`; the unbraced form takes no operator
//!   (`$FOO-bar` is FOO's value then `-bar`);
//! - `${NAME<op>ARG}` with `op` one of `:-  -  :?  ?  :+  +`; since a name holds none of `:-?+`, the
//!   operator written right after the name is the one whose text occurs earliest, which is the
//!   operator compose-go picks (`${U-a?b}` defaults to `a?b`, `${U?a-b}` fails with `a-b`);
//! - the closing brace is found by counting braces, so `ARG` may hold `${...}` and `{...}`; `ARG` is
//!   interpolated lazily: only when its branch is taken (an unused branch never warns or fails);
//! - like compose-go's pattern (whose `.` stops at a newline) a braced template ends on its line.
//!
//! Diagnostics (codes owned by this module):
//!
//! | code  | severity | when |
//! |-------|----------|------|
//! | CX200 | error    | invalid template (`${`, `${}`, `${ foo}`, `${foo!}`, `${AWS::Region}`, no closing brace) |
//! | CX201 | error    | `${VAR:?msg}` / `${VAR?msg}` with the variable missing |
//! | CX202 | warning  | `$VAR` / `${VAR}` with the variable unset (once per variable per file) |

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::{Node, ScalarStyle, Value};

/// Code of an invalid template.
pub const INVALID_TEMPLATE: &str = "CX200";
/// Code of a required variable that is missing.
pub const REQUIRED_MISSING: &str = "CX201";
/// Code of the warning for an unset variable.
pub const UNSET_VARIABLE: &str = "CX202";

/// Deepest nesting of `${...}` inside defaults that is followed before the template is refused
/// (keeps recursion bounded on hostile input; real files nest two or three levels).
const MAX_NESTING: usize = 64;

/// Why a template could not be substituted. Ranges are byte offsets into the template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// The `${...}` at `range` is not valid syntax.
    Invalid {
        /// The offending `${...}` (up to its closing brace or the end of its line).
        range: Range<usize>,
    },
    /// A `:?` / `?` template whose variable is missing.
    Required {
        /// The variable's name.
        name: String,
        /// The author's message (already interpolated), possibly empty.
        message: String,
        /// The whole `${...}`.
        range: Range<usize>,
    },
}

impl TemplateError {
    /// The byte range in the template that the error is about.
    pub fn range(&self) -> Range<usize> {
        match self {
            TemplateError::Invalid { range } | TemplateError::Required { range, .. } => {
                range.clone()
            }
        }
    }
}

/// The result of substituting one string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Substituted {
    /// The text with every template replaced.
    pub value: String,
    /// Unset variables used without an operator, with the range of their template.
    pub unset: Vec<(String, Range<usize>)>,
}

/// Where variable values come from.
pub trait Lookup {
    /// The value of `name`, if it is set (possibly to the empty string).
    fn lookup(&self, name: &str) -> Option<&str>;
}

impl Lookup for BTreeMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

/// Substitutes every template of `template` from `env`.
pub fn substitute(template: &str, env: &dyn Lookup) -> Result<Substituted, TemplateError> {
    let mut unset = Vec::new();
    let value = Scanner {
        env,
        unset: &mut unset,
    }
    .run(template, 0, 0)?;
    Ok(Substituted { value, unset })
}

struct Scanner<'a, 'u> {
    env: &'a dyn Lookup,
    unset: &'u mut Vec<(String, Range<usize>)>,
}

/// A parsed `${...}`: where it ends and what it asks for. Offsets are absolute in the template.
struct Braced<'t> {
    name: &'t str,
    op: Option<Op>,
    arg: &'t str,
    arg_start: usize,
    end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// `:-`
    DefaultIfEmpty,
    /// `-`
    DefaultIfUnset,
    /// `:?`
    RequireNonEmpty,
    /// `?`
    RequireSet,
    /// `:+`
    AltIfNonEmpty,
    /// `+`
    AltIfSet,
}

fn is_name_start(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphabetic()
}

fn is_name_char(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphanumeric()
}

/// End of the name starting at `from` (== `from` when there is none).
fn name_end(bytes: &[u8], from: usize) -> usize {
    match bytes.get(from) {
        Some(&b) if is_name_start(b) => {
            let mut i = from + 1;
            while bytes.get(i).is_some_and(|&b| is_name_char(b)) {
                i += 1;
            }
            i
        }
        _ => from,
    }
}

/// Index of the brace closing the one opened just before `from` (counting nested braces), if it
/// is on the same line.
fn closing_brace(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 1usize;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'\n' => return None,
            _ => {}
        }
    }
    None
}

/// Parses the `${...}` starting at `start` (where the `$` is).
fn parse_braced(text: &str, start: usize) -> Result<Braced<'_>, TemplateError> {
    let bytes = text.as_bytes();
    let body = start + 2;
    let invalid = || {
        let end = closing_brace(bytes, body).map_or_else(|| line_end(bytes, body), |c| c + 1);
        TemplateError::Invalid { range: start..end }
    };
    let name_to = name_end(bytes, body);
    if name_to == body {
        return Err(invalid());
    }
    let name = &text[body..name_to];
    let (op, arg_start) = match (bytes.get(name_to), bytes.get(name_to + 1)) {
        (Some(b'}'), _) => {
            return Ok(Braced {
                name,
                op: None,
                arg: "",
                arg_start: name_to,
                end: name_to + 1,
            })
        }
        (Some(b':'), Some(b'-')) => (Op::DefaultIfEmpty, name_to + 2),
        (Some(b':'), Some(b'?')) => (Op::RequireNonEmpty, name_to + 2),
        (Some(b':'), Some(b'+')) => (Op::AltIfNonEmpty, name_to + 2),
        (Some(b'-'), _) => (Op::DefaultIfUnset, name_to + 1),
        (Some(b'?'), _) => (Op::RequireSet, name_to + 1),
        (Some(b'+'), _) => (Op::AltIfSet, name_to + 1),
        _ => return Err(invalid()),
    };
    let close = closing_brace(bytes, arg_start).ok_or_else(invalid)?;
    Ok(Braced {
        name,
        op: Some(op),
        arg: &text[arg_start..close],
        arg_start,
        end: close + 1,
    })
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .iter()
        .skip(from)
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

impl Scanner<'_, '_> {
    /// Substitutes `text`, which sits at byte `base` of the original template.
    fn run(&mut self, text: &str, base: usize, depth: usize) -> Result<String, TemplateError> {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut literal_from = 0;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] != b'$' {
                i += 1;
                continue;
            }
            let next = bytes.get(i + 1).copied();
            if next == Some(b'$') {
                out.push_str(&text[literal_from..i]);
                out.push('$');
                i += 2;
                literal_from = i;
            } else if next.is_some_and(is_name_start) {
                out.push_str(&text[literal_from..i]);
                let end = name_end(bytes, i + 1);
                self.lookup_plain(&text[i + 1..end], base + i..base + end, &mut out);
                i = end;
                literal_from = i;
            } else if next == Some(b'{') {
                out.push_str(&text[literal_from..i]);
                let shift = |e: TemplateError| shift_error(e, base);
                if depth >= MAX_NESTING {
                    return Err(TemplateError::Invalid {
                        range: base + i..base + bytes.len(),
                    });
                }
                let braced = parse_braced(text, i).map_err(shift)?;
                let range = base + i..base + braced.end;
                self.apply(&braced, base, range, depth, &mut out)?;
                i = braced.end;
                literal_from = i;
            } else {
                // A lone `$` (or `$1`, `$}`) is kept as written.
                i += 1;
            }
        }
        out.push_str(&text[literal_from..]);
        Ok(out)
    }

    fn lookup_plain(&mut self, name: &str, range: Range<usize>, out: &mut String) {
        match self.env.lookup(name) {
            Some(v) => out.push_str(v),
            None => self.unset.push((name.to_string(), range)),
        }
    }

    fn apply(
        &mut self,
        b: &Braced<'_>,
        base: usize,
        range: Range<usize>,
        depth: usize,
        out: &mut String,
    ) -> Result<(), TemplateError> {
        let value = self.env.lookup(b.name);
        let set = value.is_some();
        let non_empty = value.is_some_and(|v| !v.is_empty());
        let arg = |s: &mut Self| s.run(b.arg, base + b.arg_start, depth + 1);
        match b.op {
            None => self.lookup_plain(b.name, range, out),
            Some(Op::DefaultIfEmpty) if !non_empty => out.push_str(&arg(self)?),
            Some(Op::DefaultIfUnset) if !set => out.push_str(&arg(self)?),
            Some(Op::RequireNonEmpty) if !non_empty => return Err(required(b, arg(self)?, range)),
            Some(Op::RequireSet) if !set => return Err(required(b, arg(self)?, range)),
            Some(Op::AltIfNonEmpty) => {
                if non_empty {
                    out.push_str(&arg(self)?);
                }
            }
            Some(Op::AltIfSet) => {
                if set {
                    out.push_str(&arg(self)?);
                }
            }
            Some(_) => out.push_str(value.unwrap_or("")),
        }
        Ok(())
    }
}

fn required(b: &Braced<'_>, message: String, range: Range<usize>) -> TemplateError {
    TemplateError::Required {
        name: b.name.to_string(),
        message,
        range,
    }
}

fn shift_error(e: TemplateError, base: usize) -> TemplateError {
    match e {
        TemplateError::Invalid { range } => TemplateError::Invalid {
            range: range.start + base..range.end + base,
        },
        TemplateError::Required {
            name,
            message,
            range,
        } => TemplateError::Required {
            name,
            message,
            range: range.start + base..range.end + base,
        },
    }
}

/// The message of a missing required variable, in compose-go's words.
pub fn required_message(name: &str, message: &str) -> String {
    if message.is_empty() {
        format!("required variable {name} is missing a value")
    } else {
        format!("required variable {name} is missing a value: {message}")
    }
}

/// Interpolates the documents of one file, remembering which unset variables were already
/// reported so each is warned about once per file.
pub struct FileInterpolator<'a> {
    env: &'a BTreeMap<String, String>,
    source: &'a str,
    warned: BTreeSet<String>,
}

impl<'a> FileInterpolator<'a> {
    /// An interpolator for the file whose text is `source` (used to narrow spans to a template).
    pub fn new(env: &'a BTreeMap<String, String>, source: &'a str) -> Self {
        FileInterpolator {
            env,
            source,
            warned: BTreeSet::new(),
        }
    }

    /// Interpolates every scalar value under `node` in place. A scalar whose template fails is
    /// left as written and reported.
    pub fn interpolate(&mut self, node: &mut Node, diagnostics: &mut Vec<Diagnostic>) {
        let mut path = Vec::new();
        self.walk(node, &mut path, diagnostics);
    }

    /// `path` borrows the keys and indexes of the tree (a copy of every key was most of this
    /// walk's cost); it is spelt out only for a diagnostic.
    fn walk<'n>(
        &mut self,
        node: &'n mut Node,
        path: &mut Vec<PathPart<'n>>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let span = node.span;
        match &mut node.value {
            Value::Scalar(scalar) => {
                if !scalar.text.contains('$') {
                    return;
                }
                let text_at = text_offset(self.source, span, &scalar.text);
                match substitute(&scalar.text, self.env) {
                    Ok(done) => {
                        for (name, range) in done.unset {
                            if self.warned.insert(name.clone()) {
                                let at = narrow(span, text_at, &range);
                                diagnostics.push(Diagnostic::warning(
                                    UNSET_VARIABLE,
                                    format!("The \"{name}\" variable is not set. Defaulting to a blank string."),
                                    at,
                                ));
                            }
                        }
                        scalar.text = done.value;
                        // compose-go interpolates decoded strings: the result is a string, never
                        // re-typed as YAML (typed paths are cast later).
                        scalar.style = ScalarStyle::Quoted;
                    }
                    Err(e) => {
                        let at = narrow(span, text_at, &e.range());
                        diagnostics.push(template_diagnostic(&e, &scalar.text, &dotted(path), at));
                    }
                }
            }
            Value::Seq(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    path.push(PathPart::Index(i));
                    self.walk(item, path, diagnostics);
                    path.pop();
                }
            }
            Value::Map(map) => {
                for (key, _, value) in &mut map.entries {
                    let key: &'n String = key;
                    path.push(PathPart::Key(key));
                    self.walk(value, path, diagnostics);
                    path.pop();
                }
            }
        }
    }
}

/// One step of the path to a scalar: a map key or a sequence index.
#[derive(Debug, Clone, Copy)]
enum PathPart<'n> {
    Key(&'n str),
    Index(usize),
}

/// `services.web.ports[0]`.
fn dotted(path: &[PathPart]) -> String {
    let mut out = String::new();
    for part in path {
        match part {
            PathPart::Key(key) => {
                // As the text it replaces: a key written like an index gets no dot either.
                if !out.is_empty() && !key.starts_with('[') {
                    out.push('.');
                }
                out.push_str(key);
            }
            PathPart::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

/// Byte offset in the file where the scalar's text starts, if the source shows it verbatim
/// (plain, or quoted without escapes); `None` when escapes or folding make offsets unreliable.
fn text_offset(source: &str, span: Span, text: &str) -> Option<usize> {
    let (start, end) = (span.start as usize, span.end as usize);
    let slice = source.get(start..end)?;
    if slice == text {
        return Some(start);
    }
    let quoted = slice.len() == text.len() + 2
        && (slice.starts_with('"') && slice.ends_with('"')
            || slice.starts_with('\'') && slice.ends_with('\''));
    (quoted && slice.get(1..slice.len() - 1) == Some(text)).then_some(start + 1)
}

fn narrow(span: Span, text_at: Option<usize>, range: &Range<usize>) -> Span {
    match text_at {
        Some(at) => Span::new(span.file, at + range.start, at + range.end),
        None => span,
    }
}

fn template_diagnostic(e: &TemplateError, text: &str, path: &str, at: Span) -> Diagnostic {
    match e {
        TemplateError::Invalid { range } => {
            let template = text.get(range.clone()).unwrap_or(text);
            let d = Diagnostic::error(
                INVALID_TEMPLATE,
                format!("invalid interpolation format for {path}: {template}"),
                at,
            );
            if is_cloudformation_pseudo(template) {
                let escaped = format!("${template}");
                d.with_help(format!(
                    "`{template}` is CloudFormation syntax, not a compose variable: write `{escaped}` to keep it \
                     as text, or use an x- key to reference AWS values"
                ))
            } else {
                d.with_help("You may need to escape any $ with another $")
            }
        }
        TemplateError::Required { name, message, .. } => {
            Diagnostic::error(REQUIRED_MISSING, required_message(name, message), at).with_help(
                format!("set {name} in the environment or in the .env file (needed by {path})"),
            )
        }
    }
}

/// `${AWS::Region}`, `${AWS::AccountId}` (pseudo parameters) and `${!Literal}` (Fn::Sub's
/// escape, used by ComposeX policies as `${!ARN}`): CloudFormation text, not compose variables.
fn is_cloudformation_pseudo(template: &str) -> bool {
    template.strip_prefix("${").is_some_and(|rest| {
        rest.starts_with('!')
            || rest
                .split_once("::")
                .is_some_and(|(ns, _)| !ns.is_empty() && ns.bytes().all(is_name_char))
    })
}

/// One variable a file uses, for listing (like `docker compose config --variables`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// The variable's name.
    pub name: String,
    /// The default given by `:-` / `-`, if any (the first one written).
    pub default: Option<String>,
    /// True when some use is `:?` / `?`.
    pub required: bool,
    /// Where it is first used.
    pub span: Span,
}

/// Lists the variables used in the scalar values under `node`, in order of first use, including
/// those inside defaults. Invalid templates are skipped (interpolation reports them).
pub fn variables(node: &Node) -> Vec<Variable> {
    let mut found = Found::default();
    collect_variables(node, &mut found);
    found.list
}

/// Variables in order of first use, with an index by name (files can use many).
#[derive(Default)]
struct Found {
    list: Vec<Variable>,
    index: BTreeMap<String, usize>,
}

fn collect_variables(node: &Node, found: &mut Found) {
    match &node.value {
        Value::Scalar(s) => {
            if s.text.contains('$') {
                scan_variables(&s.text, node.span, found, 0);
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| collect_variables(n, found)),
        Value::Map(map) => map
            .entries
            .iter()
            .for_each(|(_, _, n)| collect_variables(n, found)),
    }
}

fn scan_variables(text: &str, span: Span, found: &mut Found, depth: usize) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'$') => i += 2,
            Some(&b) if is_name_start(b) => {
                let end = name_end(bytes, i + 1);
                record(found, &text[i + 1..end], None, false, span);
                i = end;
            }
            Some(b'{') => match parse_braced(text, i) {
                Ok(b) => {
                    let default = matches!(b.op, Some(Op::DefaultIfEmpty | Op::DefaultIfUnset))
                        .then(|| b.arg.to_string());
                    let required = matches!(b.op, Some(Op::RequireNonEmpty | Op::RequireSet));
                    record(found, b.name, default, required, span);
                    if b.op.is_some() && depth < MAX_NESTING {
                        scan_variables(b.arg, span, found, depth + 1);
                    }
                    i = b.end;
                }
                Err(_) => i += 2,
            },
            _ => i += 1,
        }
    }
}

fn record(found: &mut Found, name: &str, default: Option<String>, required: bool, span: Span) {
    match found.index.get(name).and_then(|&i| found.list.get_mut(i)) {
        Some(v) => {
            v.required |= required;
            if v.default.is_none() {
                v.default = default;
            }
        }
        None => {
            found.index.insert(name.to_string(), found.list.len());
            found.list.push(Variable {
                name: name.to_string(),
                default,
                required,
                span,
            });
        }
    }
}

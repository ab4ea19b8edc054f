//! YAML text to spanned [`Node`]s, built from saphyr-parser events.
//!
//! What happens here and not later: anchors and aliases are expanded (with a budget, so an alias
//! bomb ends in a diagnostic), `<<` merge keys are applied, duplicate keys are rejected, and the
//! compose tags `!reset` / `!override` are recorded on their node. Nesting depth and file size are
//! bounded too. Diagnostic codes:
//!
//! | code  | problem                                   |
//! |-------|-------------------------------------------|
//! | CX100 | YAML syntax error                         |
//! | CX101 | file larger than the size limit           |
//! | CX102 | nesting deeper than the depth limit       |
//! | CX103 | alias expansion over the node budget      |
//! | CX104 | duplicate mapping key                     |
//! | CX105 | mapping key that is not a scalar          |
//! | CX106 | `<<` merge of something not a mapping     |
//! | CX107 | unknown tag (ignored)                     |

use std::collections::{BTreeMap, BTreeSet};

use saphyr_parser::{
    Event, Parser, ScalarStyle as YamlStyle, ScanError, Span as YamlSpan, Tag as YamlTag,
};

use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::{Map, Node, Scalar, ScalarStyle, Tag, Value};

/// Code of a YAML syntax error (also an unexpected end of input, an alias to an unknown anchor).
pub const SYNTAX: &str = "CX100";
/// Code of a file larger than [`Limits::max_bytes`].
pub const TOO_BIG: &str = "CX101";
/// Code of nesting deeper than [`Limits::max_depth`].
pub const TOO_DEEP: &str = "CX102";
/// Code of alias expansion past [`Limits::max_nodes`].
pub const TOO_MANY_NODES: &str = "CX103";
/// Code of a key defined twice in one mapping.
pub const DUPLICATE_KEY: &str = "CX104";
/// Code of a mapping key that is a list or a mapping.
pub const KEY_NOT_SCALAR: &str = "CX105";
/// Code of a `<<` merge whose value is not a mapping (or a list of mappings).
pub const BAD_MERGE: &str = "CX106";
/// Code of the warning for a tag the parser does not know (the tag is ignored).
pub const UNKNOWN_TAG: &str = "CX107";

/// Bounds that keep hostile input from hanging or exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub max_bytes: usize,
    /// Deepest accepted nesting of collections.
    pub max_depth: usize,
    /// Most nodes a file may expand to, aliases included (compose-go caps node visits at 100,000;
    /// we count expanded nodes, which is what costs memory).
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 200,
            max_nodes: 1_000_000,
        }
    }
}

/// Parses every document of `text`, the file with index `file` in the input.
///
/// Returns one node per document. After a fatal problem (syntax error, a limit) no documents are
/// returned, so later stages never work on half a file.
pub fn parse(file: u32, text: &str, limits: &Limits) -> (Vec<Node>, Vec<Diagnostic>) {
    if text.len() > limits.max_bytes {
        let d = Diagnostic::error(
            TOO_BIG,
            format!(
                "file is {} bytes, more than the limit of {} bytes",
                text.len(),
                limits.max_bytes
            ),
            Span::new(file, 0, 0),
        )
        .with_help("split the project into several compose files");
        return (Vec::new(), vec![d]);
    }
    let mut builder = Builder::new(file, text, *limits);
    match builder.stream() {
        Ok(docs) => (docs, builder.diagnostics),
        Err(fatal) => {
            let mut diagnostics = builder.diagnostics;
            diagnostics.push(*fatal);
            (Vec::new(), diagnostics)
        }
    }
}

type Fatal = Box<Diagnostic>;

/// The keys of a mapping being built, for the duplicate check. Most mappings are small: a scan of
/// their entries costs less than copying every key into an index. Past [`SeenKeys::SMALL`]
/// entries the keys go into a sorted index (a scan per key made big maps quadratic: a 10 MB
/// environment took minutes).
#[derive(Default)]
struct SeenKeys {
    index: Option<BTreeMap<String, Span>>,
}

impl SeenKeys {
    const SMALL: usize = 16;

    /// The span of `key` among `entries` (the mapping's entries so far, all distinct).
    fn get(&self, entries: &[(String, Span, Node)], key: &str) -> Option<Span> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => entries
                .iter()
                .find(|(k, _, _)| k == key)
                .map(|(_, s, _)| *s),
        }
    }

    /// Notes the entry just pushed onto `entries`.
    fn pushed(&mut self, entries: &[(String, Span, Node)]) {
        match &mut self.index {
            Some(index) => {
                if let Some((key, span, _)) = entries.last() {
                    index.insert(key.clone(), *span);
                }
            }
            None if entries.len() >= Self::SMALL => {
                self.index = Some(entries.iter().map(|(k, s, _)| (k.clone(), *s)).collect());
            }
            None => {}
        }
    }
}

struct Builder<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    file: u32,
    text: &'a str,
    /// Byte offset of each char index; `None` when the text is ASCII (char index = byte offset).
    char_to_byte: Option<Vec<usize>>,
    limits: Limits,
    /// Anchored nodes of the current document, with their expanded size in nodes.
    anchors: BTreeMap<usize, (Node, usize)>,
    nodes: usize,
    diagnostics: Vec<Diagnostic>,
    /// Byte offsets of the `\n`s, built on the first duplicate key (line numbers for its message;
    /// a scan per duplicate was quadratic).
    newlines: Option<Vec<usize>>,
}

impl<'a> Builder<'a> {
    fn new(file: u32, text: &'a str, limits: Limits) -> Self {
        // A BOM is not content: saphyr skips it, and spans stay byte offsets into `text`.
        let char_to_byte = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect()
        });
        Builder {
            parser: Parser::new_from_str(text),
            file,
            text,
            char_to_byte,
            limits,
            anchors: BTreeMap::new(),
            nodes: 0,
            diagnostics: Vec::new(),
            newlines: None,
        }
    }

    /// 1-based line number of byte offset `at`.
    fn line_of(&mut self, at: usize) -> usize {
        let text = self.text;
        let newlines = self.newlines.get_or_insert_with(|| {
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect()
        });
        newlines.partition_point(|&i| i < at) + 1
    }

    /// The span of the one character at byte `at`; empty at the end of the text (an error at the
    /// end of input must not point past it: found by fuzzing).
    fn char_at(&self, at: usize) -> Span {
        let len = self
            .text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8);
        Span::new(self.file, at, at + len)
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.char_to_byte {
            None => char_index.min(self.text.len()),
            Some(table) => table.get(char_index).copied().unwrap_or(self.text.len()),
        }
    }

    fn span(&self, s: &YamlSpan) -> Span {
        Span::new(
            self.file,
            self.byte(s.start.index()),
            self.byte(s.end.index()),
        )
    }

    fn next(&mut self) -> Result<(Event<'a>, YamlSpan), Fatal> {
        match self.parser.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => Err(self.syntax_error(&e)),
            None => Err(Box::new(Diagnostic::error(
                SYNTAX,
                "unexpected end of YAML input",
                Span::new(self.file, self.text.len(), self.text.len()),
            ))),
        }
    }

    fn syntax_error(&self, e: &ScanError) -> Fatal {
        let at = self.byte(e.marker().index()).min(self.text.len());
        if e.info().contains("recursion limit") {
            // saphyr bounds its own nesting (about 256 levels) before we see the events.
            return self.too_deep(self.char_at(at));
        }
        let mut d = Diagnostic::error(
            SYNTAX,
            format!("invalid YAML: {}", e.info()),
            self.char_at(at),
        );
        if e.info().contains("tab") {
            d = d.with_help(
                "YAML indentation must use spaces; replace the tab characters with spaces",
            );
        } else if e.info().contains("anchor") {
            d = d.with_help("an alias `*name` must come after the anchor `&name` it refers to, in the same document");
        } else if e.info().contains("did not find expected key") {
            d = d.with_help(
                "this line is indented differently from the keys of the mapping it belongs to; \
                 align it with its siblings",
            );
        } else if e.info().contains("mapping values are not allowed") {
            d = d.with_help("check the indentation of this line against the lines above, or quote a value that contains `: `");
        }
        Box::new(d)
    }

    fn stream(&mut self) -> Result<Vec<Node>, Fatal> {
        let mut docs = Vec::new();
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::StreamEnd => return Ok(docs),
                Event::DocumentStart(_) => {
                    self.anchors.clear();
                    let (event, span) = self.next()?;
                    docs.push(self.node(event, span, 0)?);
                }
                other => {
                    // The parser never yields content outside a document; treat it as a syntax error.
                    let s = self.span(&span);
                    return Err(Box::new(Diagnostic::error(
                        SYNTAX,
                        format!("unexpected YAML event {other:?}"),
                        s,
                    )));
                }
            }
        }
    }

    fn count(&mut self, n: usize, span: Span) -> Result<(), Fatal> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(Box::new(
                Diagnostic::error(
                    TOO_MANY_NODES,
                    format!("the file expands to more than {} YAML nodes (alias expansion)", self.limits.max_nodes),
                    span,
                )
                .with_help("this looks like an alias bomb: anchors that reference each other multiply the document"),
            ));
        }
        Ok(())
    }

    fn node(&mut self, event: Event<'a>, ev_span: YamlSpan, depth: usize) -> Result<Node, Fatal> {
        let span = self.span(&ev_span);
        let before = self.nodes;
        self.count(1, span)?;
        let (node, anchor) = match event {
            Event::Scalar(text, yaml_style, anchor, tag) => {
                let span = scalar_span(self.text, span, yaml_style);
                let style = match yaml_style {
                    YamlStyle::Plain => ScalarStyle::Plain,
                    _ => ScalarStyle::Quoted,
                };
                let (tag, style) = self.tag(tag.as_deref(), style, span);
                (
                    Node {
                        value: Value::Scalar(Scalar {
                            text: text.into_owned(),
                            style,
                        }),
                        span,
                        tag,
                    },
                    anchor,
                )
            }
            Event::Alias(id) => {
                let Some((target, size)) = self.anchors.get(&id).cloned() else {
                    return Err(Box::new(Diagnostic::error(
                        SYNTAX,
                        "alias to an unknown anchor",
                        span,
                    )));
                };
                self.count(size, span)?;
                return Ok(target);
            }
            Event::SequenceStart(anchor, tag) => {
                self.check_depth(depth, span)?;
                let (tag, _) = self.tag(tag.as_deref(), ScalarStyle::Plain, span);
                let mut items = Vec::new();
                let mut end = span.end;
                loop {
                    let (event, s) = self.next()?;
                    if let Event::SequenceEnd = event {
                        end = end.max(self.flow_end(&s));
                        break;
                    }
                    let item = self.node(event, s, depth + 1)?;
                    end = end.max(item.span.end);
                    items.push(item);
                }
                let span = Span { end, ..span };
                (
                    Node {
                        value: Value::Seq(items),
                        span,
                        tag,
                    },
                    anchor,
                )
            }
            Event::MappingStart(anchor, tag) => {
                self.check_depth(depth, span)?;
                let (tag, _) = self.tag(tag.as_deref(), ScalarStyle::Plain, span);
                let (map, end) = self.mapping(span, depth)?;
                (
                    Node {
                        value: Value::Map(map),
                        span: Span { end, ..span },
                        tag,
                    },
                    anchor,
                )
            }
            other => {
                return Err(Box::new(Diagnostic::error(
                    SYNTAX,
                    format!("unexpected YAML event {other:?}"),
                    span,
                )));
            }
        };
        if anchor != 0 {
            let size = self.nodes - before;
            self.anchors.insert(anchor, (node.clone(), size));
        }
        Ok(node)
    }

    /// End of a flow collection's closing bracket; block collections end with their last child.
    fn flow_end(&self, s: &YamlSpan) -> u32 {
        if s.end.index() > s.start.index() {
            self.span(s).end
        } else {
            0
        }
    }

    fn check_depth(&self, depth: usize, span: Span) -> Result<(), Fatal> {
        if depth >= self.limits.max_depth {
            return Err(self.too_deep(span));
        }
        Ok(())
    }

    fn too_deep(&self, span: Span) -> Fatal {
        Box::new(
            Diagnostic::error(
                TOO_DEEP,
                format!("nesting is deeper than {} levels", self.limits.max_depth),
                span,
            )
            .with_help(
                "compose files never need this depth; check for a generated or corrupted file",
            ),
        )
    }

    fn mapping(&mut self, start: Span, depth: usize) -> Result<(Map, u32), Fatal> {
        let mut map = Map::default();
        // Entries brought in by `<<`, applied after the explicit keys (explicit keys win).
        let mut merged: Vec<(String, Span, Node)> = Vec::new();
        let mut seen = SeenKeys::default();
        let mut end = start.end;
        loop {
            let (event, key_ev_span) = self.next()?;
            if let Event::MappingEnd = event {
                end = end.max(self.flow_end(&key_ev_span));
                break;
            }
            let key_node = self.node(event, key_ev_span, depth + 1)?;
            let (event, s) = self.next()?;
            let value = self.node(event, s, depth + 1)?;
            end = end.max(value.span.end).max(key_node.span.end);
            let key_span = key_node.span;
            // The key's text is moved out of its node, not copied.
            let (key, key_style) = match key_node.value {
                Value::Scalar(s) => (s.text, s.style),
                _ => {
                    self.diagnostics.push(
                        Diagnostic::error(KEY_NOT_SCALAR, "mapping keys must be strings", key_span)
                            .with_help(
                                "compose keys are plain names; a key cannot be a list or a mapping",
                            ),
                    );
                    continue;
                }
            };
            let is_merge = key == "<<" && key_style == ScalarStyle::Plain;
            if is_merge {
                self.merge_sources(&value, &mut merged);
                continue;
            }
            if let Some(first) = seen.get(&map.entries, &key) {
                let line = self.line_of(first.start as usize);
                self.diagnostics.push(
                    Diagnostic::error(
                        DUPLICATE_KEY,
                        format!("mapping key \"{key}\" already defined at line {line}"),
                        key_span,
                    )
                    .with_label(first, "first defined here")
                    .with_help("remove one of the two entries; YAML does not allow a key twice in one mapping"),
                );
                continue;
            }
            map.entries.push((key, key_span, value));
            seen.pushed(&map.entries);
        }
        let explicit = map.entries.len();
        for (key, key_span, value) in merged {
            if seen.get(&map.entries[..explicit], &key).is_none() {
                map.entries.push((key, key_span, value));
            }
        }
        Ok((map, end))
    }

    /// Collects the entries a `<<` value brings in; earlier sources win over later ones.
    fn merge_sources(&mut self, value: &Node, merged: &mut Vec<(String, Span, Node)>) {
        let sources: Vec<&Node> = match &value.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![value],
        };
        let mut taken: BTreeSet<String> = merged.iter().map(|(k, _, _)| k.clone()).collect();
        for source in sources {
            match source.as_map() {
                Some(m) => {
                    for (k, ks, v) in &m.entries {
                        if taken.insert(k.clone()) {
                            merged.push((k.clone(), *ks, v.clone()));
                        }
                    }
                }
                None => self.diagnostics.push(
                    Diagnostic::error(
                        BAD_MERGE,
                        format!("map merge requires map, found {}", source.kind_name()),
                        source.span,
                    )
                    .with_help(
                        "`<<:` takes an alias to a mapping (`<<: *defaults`) or a list of them",
                    ),
                ),
            }
        }
    }

    fn tag(
        &mut self,
        tag: Option<&YamlTag>,
        style: ScalarStyle,
        span: Span,
    ) -> (Option<Tag>, ScalarStyle) {
        let Some(tag) = tag else { return (None, style) };
        match (tag.handle.as_str(), tag.suffix.as_str()) {
            ("!", "reset") => (Some(Tag::Reset), style),
            ("!", "override") => (Some(Tag::Override), style),
            ("!!", "str") | ("tag:yaml.org,2002:", "str") => (None, ScalarStyle::Quoted),
            ("!!", _) | ("tag:yaml.org,2002:", _) => (None, style),
            (handle, suffix) => {
                self.diagnostics.push(
                    Diagnostic::warning(
                        UNKNOWN_TAG,
                        format!("unknown tag `{handle}{suffix}` is ignored"),
                        span,
                    )
                    .with_help("compose understands only `!reset` and `!override`"),
                );
                (None, style)
            }
        }
    }
}

/// The span of just the scalar's text: saphyr's span starts at a leading anchor or tag and, for
/// quoted scalars, runs on over trailing blanks and comments. Edits (set-image) need the exact
/// bytes, so skip `&anchor` / `!tag` and end at the closing quote.
fn scalar_span(text: &str, span: Span, style: YamlStyle) -> Span {
    let bytes = text.as_bytes();
    let (mut start, end) = (span.start as usize, (span.end as usize).min(bytes.len()));
    while start < end && matches!(bytes[start], b'&' | b'!') {
        while start < end && !bytes[start].is_ascii_whitespace() {
            start += 1;
        }
        while start < end && bytes[start].is_ascii_whitespace() {
            start += 1;
        }
    }
    if start >= end {
        return span;
    }
    let close = match (style, bytes[start]) {
        (YamlStyle::SingleQuoted, b'\'') => closing_single_quote(bytes, start + 1),
        (YamlStyle::DoubleQuoted, b'"') => closing_double_quote(bytes, start + 1),
        _ => None,
    };
    Span {
        start: start as u32,
        end: close.map_or(end, |c| c + 1) as u32,
        ..span
    }
}

fn closing_single_quote(bytes: &[u8], mut i: usize) -> Option<usize> {
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

fn closing_double_quote(bytes: &[u8], mut i: usize) -> Option<usize> {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

//! User-written `Properties` checked against the table, at the line: unknown properties (with
//! did-you-mean), kinds (as CloudFormation coerces scalars: a quoted number is a number, `60`
//! is a string), allowed values (closest first), required properties, ranges and lengths, cheap
//! patterns, KMS key formats, deprecated and legacy properties. Intrinsic functions (`Ref`,
//! `Fn::*`) and `x-<module>::<name>` references stand for any value.

use super::model::{format, kind, Shape, Ty};
use super::{pattern, ty};
use crate::diagnostic::{Diagnostic, Span};
use crate::suggest::{did_you_mean, edit_distance};
use crate::yaml::{Map, Node, ScalarStyle, Value};

/// A property the CloudFormation resource (or the nested object) does not have.
pub const UNKNOWN_PROPERTY: &str = "CX362";
/// A value of the wrong kind (a word where a number goes, a scalar where a list goes).
pub const WRONG_TYPE: &str = "CX500";
/// A value the property does not allow (not one of its listed values).
pub const BAD_ENUM: &str = "CX501";
/// A property CloudFormation requires is missing.
pub const MISSING_REQUIRED: &str = "CX502";
/// A value that does not have the form the property needs (pattern, KMS key format).
pub const BAD_FORMAT: &str = "CX503";
/// A number out of range, or a string or list too short or too long.
pub const OUT_OF_RANGE: &str = "CX504";
/// A deprecated or legacy property.
pub const DEPRECATED: &str = "CX505";

/// What is being checked, for messages: `x-sqs jobs` and its type `AWS::SQS::Queue`.
#[derive(Debug, Clone, Copy)]
pub struct Check<'a> {
    /// The resource as users name it (`x-sqs jobs`).
    pub what: &'a str,
    /// The CloudFormation type.
    pub type_name: &'a str,
    /// Properties the caller writes itself (not required from the user): `Name` at the top
    /// level, `*.Name` at any depth.
    pub supplied: &'a [&'a str],
    /// False: only property names are checked (kinds, values and nested objects are not).
    pub deep: bool,
    /// Report unknown top-level properties (false: the caller reports them its own way).
    pub unknown: bool,
}

/// Checks the `Properties` mapping `props` (the key `Properties` at `at`) and reports into
/// `diags`; returns the names of the top-level keys the type has (unknown ones are reported and
/// left out). None when the type is not in the table (nothing is checked).
pub fn check<'n>(
    check: Check,
    props: &'n Map,
    at: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<&'n str>> {
    let shape = super::properties_of(check.type_name)?;
    let mut walker = Walker { check, diags };
    let known = walker.object(shape, props, at, "", true);
    if check.deep {
        super::classes::check_props(check.what, check.type_name, props, diags);
    }
    Some(known)
}

struct Walker<'a, 'd> {
    check: Check<'a>,
    diags: &'d mut Vec<Diagnostic>,
}

/// A mapping holding one intrinsic function (`Ref`, `Fn::*`, `Condition`).
pub fn is_intrinsic(node: &Node) -> bool {
    match &node.value {
        Value::Map(m) if m.entries.len() == 1 => {
            let key = m.entries[0].0.as_str();
            key == "Ref" || key == "Condition" || key.starts_with("Fn::")
        }
        _ => false,
    }
}

/// A string standing for another resource's value (`x-sqs::jobs::Arn`).
fn is_reference(node: &Node) -> bool {
    node.as_str()
        .is_some_and(|s| s.starts_with("x-") && s.contains("::"))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl Walker<'_, '_> {
    /// An error about the value at `path`.
    fn error(&self, code: &'static str, path: &str, message: String, span: Span) -> Diagnostic {
        let text = if path.is_empty() {
            format!("{}: {message}", self.check.what)
        } else {
            format!("{}: {path}: {message}", self.check.what)
        };
        Diagnostic::error(code, text, span)
    }

    /// Checks the object `map` against `shape`; `at` is where to report a missing property.
    fn object<'n>(
        &mut self,
        shape: &Shape,
        map: &'n Map,
        at: Span,
        path: &str,
        top: bool,
    ) -> Vec<&'n str> {
        let mut known = Vec::new();
        for (key, key_span, value) in &map.entries {
            let Some(prop) = shape.prop(key) else {
                if top && !self.check.unknown {
                    continue;
                }
                if shape.open {
                    known.push(key.as_str());
                    if self.check.deep && shape.values != super::NONE {
                        self.value(ty(shape.values), value, *key_span, &join(path, key));
                    }
                    continue;
                }
                let owner = if path.is_empty() {
                    self.check.type_name.to_string()
                } else {
                    path.to_string()
                };
                let names = shape.names();
                let help = match did_you_mean(key, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("its properties: {}", names.join(", ")),
                };
                let what = self.check.what;
                self.diags.push(
                    Diagnostic::error(
                        UNKNOWN_PROPERTY,
                        format!("{what}: {owner} has no property `{key}`"),
                        *key_span,
                    )
                    .with_help(help),
                );
                continue;
            };
            known.push(key.as_str());
            let here = join(path, key);
            if prop.status != 0 {
                let (word, help) = if prop.status == 1 {
                    (
                        "deprecated",
                        "CloudFormation may stop accepting it: remove it",
                    )
                } else {
                    ("a legacy property", "it still works, but is not recommended (see its documentation for what replaces it)")
                };
                self.diags.push(
                    Diagnostic::warning(
                        DEPRECATED,
                        format!("{}: {here} is {word}", self.check.what),
                        *key_span,
                    )
                    .with_help(help),
                );
            }
            if self.check.deep {
                self.value(ty(prop.ty), value, *key_span, &here);
            }
        }
        if self.check.deep {
            for prop in shape.props.iter().filter(|p| p.required) {
                // `Name` supplies a top-level property, `*.Name` that property at any depth.
                let supplied =
                    self.check.supplied.iter().any(|s| {
                        (top && *s == prop.name) || s.strip_prefix("*.") == Some(prop.name)
                    });
                if !supplied && map.get(prop.name).is_none() {
                    let owner = if path.is_empty() { "Properties" } else { path };
                    let d = self.error(
                        MISSING_REQUIRED,
                        "",
                        format!("{owner} needs `{}`", prop.name),
                        at,
                    );
                    let doc = ty(prop.ty).describe();
                    self.diags.push(d.with_help(format!(
                        "CloudFormation requires it ({doc}){}",
                        doc_suffix(prop.doc)
                    )));
                }
            }
        }
        known
    }

    /// Checks `node` against `t`; `at` is the key it sits under (for objects' missing keys).
    fn value(&mut self, t: &Ty, node: &Node, at: Span, path: &str) {
        if node.is_null() || is_intrinsic(node) || is_reference(node) {
            return;
        }
        let kinds = t.kinds;
        match &node.value {
            Value::Map(map) => {
                if kinds != 0 && kinds & kind::OBJECT == 0 {
                    return self.wrong(t, node, path);
                }
                if let Some(shape) = t.object() {
                    self.object(shape, map, at, path, false);
                }
            }
            Value::Seq(items) => {
                if kinds != 0 && kinds & kind::ARRAY == 0 {
                    return self.wrong(t, node, path);
                }
                self.length(t, items.len(), "items", node.span, path);
                if let Some(item) = t.item() {
                    for (i, n) in items.iter().enumerate() {
                        self.value(item, n, n.span, &format!("{path}[{i}]"));
                    }
                }
            }
            Value::Scalar(s) => {
                let text = s.text.as_str();
                let plain = s.style == ScalarStyle::Plain;
                let integer = text.trim().parse::<i64>().is_ok();
                let number = text.trim().parse::<f64>().is_ok_and(f64::is_finite);
                let boolean =
                    text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false");
                let fits = kinds == 0
                    || kinds & kind::STRING != 0
                    || (kinds & kind::INTEGER != 0 && integer)
                    || (kinds & kind::NUMBER != 0 && number)
                    || (kinds & kind::BOOLEAN != 0 && boolean);
                if !fits {
                    return self.wrong(t, node, path);
                }
                if !t.values.is_empty() && !t.values.contains(&text) {
                    return self.bad_enum(t, text, node.span, path);
                }
                if number && kinds & (kind::INTEGER | kind::NUMBER) != 0 {
                    let v: f64 = text.trim().parse().unwrap_or_default();
                    let below = t.min.is_some_and(|m| v < m);
                    let above = t.max.is_some_and(|m| v > m);
                    if below || above {
                        let range = range_text(t.min, t.max);
                        let d = self.error(
                            OUT_OF_RANGE,
                            path,
                            format!("{text} is out of range ({range})"),
                            node.span,
                        );
                        self.diags.push(d);
                        return;
                    }
                }
                if kinds & kind::STRING != 0 && (kinds == kind::STRING || !number || !plain) {
                    self.length(t, text.chars().count(), "characters", node.span, path);
                    self.form(t, text, node.span, path);
                }
            }
        }
    }

    fn wrong(&mut self, t: &Ty, node: &Node, path: &str) {
        let found = match &node.value {
            Value::Scalar(s) => format!("`{}`", s.text),
            _ => format!("a {}", node.kind_name()),
        };
        let expected = t.describe();
        let mut d = self.error(
            WRONG_TYPE,
            path,
            format!("must be {} {expected}, not {found}", article(&expected)),
            node.span,
        );
        if t.kinds & (kind::INTEGER | kind::NUMBER | kind::BOOLEAN) != 0
            && matches!(node.value, Value::Scalar(_))
        {
            let hint = if t.kinds & kind::BOOLEAN != 0 {
                "true or false"
            } else {
                "a number, e.g. 60"
            };
            d = d.with_help(format!("write {hint}"));
        }
        self.diags.push(d);
    }

    fn bad_enum(&mut self, t: &Ty, text: &str, span: Span, path: &str) {
        let mut allowed: Vec<&str> = t.values.to_vec();
        allowed.sort_by_key(|v| edit_distance(text, v));
        let shown = if allowed.len() > 12 {
            format!(
                "{}, ... ({} in all)",
                allowed[..12].join(", "),
                allowed.len()
            )
        } else {
            allowed.join(", ")
        };
        let help = match did_you_mean(text, t.values.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? allowed: {shown}"),
            None => format!("allowed: {shown}"),
        };
        let d = self.error(
            BAD_ENUM,
            path,
            format!("`{text}` is not an allowed value"),
            span,
        );
        self.diags.push(d.with_help(help));
    }

    fn length(&mut self, t: &Ty, len: usize, unit: &str, span: Span, path: &str) {
        let too_short = t.min_len.is_some_and(|m| len < m as usize);
        let too_long = t.max_len.is_some_and(|m| len > m as usize);
        if too_short || too_long {
            let range = range_text(t.min_len.map(f64::from), t.max_len.map(f64::from));
            let d = self.error(
                OUT_OF_RANGE,
                path,
                format!("{len} {unit}, allowed: {range}"),
                span,
            );
            self.diags.push(d);
        }
    }

    fn form(&mut self, t: &Ty, text: &str, span: Span, path: &str) {
        if t.formats != 0 && !kms_key_fits(t.formats, text) {
            let d = self.error(
                BAD_FORMAT,
                path,
                format!("`{text}` is not a KMS key ARN, key id or alias"),
                span,
            );
            self.diags.push(d.with_help(
                "write the key's ARN, its id, or an alias such as alias/aws/s3 (or x-kms::<key>)",
            ));
            return;
        }
        if !t.pattern.is_empty() && pattern::matches(t.pattern, text) == Some(false) {
            let d = self.error(
                BAD_FORMAT,
                path,
                format!("`{text}` does not have the form {}", t.pattern),
                span,
            );
            self.diags.push(d.with_help(
                "CloudFormation refuses values that do not match the property's pattern",
            ));
        }
    }
}

fn article(word: &str) -> &'static str {
    match word.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => "an",
        _ if word == "any value" => "",
        _ => "a",
    }
}

fn doc_suffix(doc: &str) -> String {
    if doc.is_empty() {
        String::new()
    } else {
        format!(": {doc}")
    }
}

fn range_text(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => String::new(),
    }
}

fn hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn alias_fits(s: &str, extra: &[u8]) -> bool {
    s.strip_prefix("alias/").is_some_and(|name| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_-".contains(&b) || extra.contains(&b))
    })
}

/// Whether `s` is one of the KMS key forms `formats` allows.
fn kms_key_fits(formats: u8, s: &str) -> bool {
    let arn = || {
        let parts: Vec<&str> = s.splitn(6, ':').collect();
        matches!(parts.as_slice(), ["arn", partition, "kms", region, account, rest]
            if partition.starts_with("aws") && !region.is_empty() && account.len() == 12
                && (rest.starts_with("key/") || rest.starts_with("alias/")))
    };
    let id = || {
        let uuid = {
            let groups: Vec<&str> = s.split('-').collect();
            groups.len() == 5 && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| hex(g, n))
        };
        uuid || s.strip_prefix("mrk-").is_some_and(|h| hex(h, 32)) || alias_fits(s, b"")
    };
    (formats & format::KMS_KEY_ARN != 0 && arn())
        || (formats & format::KMS_KEY_ID != 0 && id())
        || (formats & format::KMS_ALIAS != 0 && alias_fits(s, b":"))
}

//! Completion and hover for the playground's editor: what may be written at a place of a compose
//! file (compose keys, x-keys, an x-resource's keys, `Properties` names and their allowed
//! values, access levels) and what a key means. It reads the text line by line (indentation
//! gives the path), so it works on half-typed files that do not parse, and draws on the same
//! data as validation: the compose structure, the support table, the x-key names, the registry
//! and the CloudFormation schema table.

use serde::Serialize;

use crate::compose::support;
use crate::compose::validate::{compose_structure, ComposeShape};
use crate::modules::ModuleDef;
use crate::registry::REGISTRY;
use crate::schema::{self, kind, Shape, Ty};
use crate::xkeys::{self, Scope};

/// One completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completion {
    /// The text to insert.
    pub label: String,
    /// Short: the kind of value (`integer`, `AWS::SQS::Queue`, `access level`).
    pub detail: String,
    /// One line about it (may be empty).
    pub info: String,
}

/// What can be written at a place: the completions and where the word they replace starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completions {
    /// Byte offset where the partial word starts.
    pub from: usize,
    /// The candidates, those starting with the partial word first.
    pub options: Vec<Completion>,
}

/// What a key means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hover {
    /// Byte range of the key.
    pub from: usize,
    /// End of the key.
    pub to: usize,
    /// The text to show (a few lines, no links).
    pub text: String,
}

/// Where the path walks: a place in one of the three structures.
#[derive(Clone, Copy)]
enum Place {
    Top,
    Compose(ComposeShape),
    /// Free-form or unknown: nothing to offer.
    Free,
    /// The resources of an x-resource key (user-chosen names).
    Resources(&'static ModuleDef),
    /// One x-resource definition.
    Resource(&'static ModuleDef, &'static [&'static str]),
    /// An x-resource's `Services` (family names).
    Families(&'static ModuleDef),
    /// One family's link to an x-resource.
    Link(&'static ModuleDef),
    /// A CloudFormation object.
    Object(&'static Shape, &'static str),
    /// A CloudFormation value.
    Value(&'static Ty),
}

/// One line read for its key: indentation, list dash, key and where the key starts.
struct Line<'t> {
    dash: Option<usize>,
    key_col: usize,
    key: Option<&'t str>,
    /// The text after `key:` (trimmed).
    value: &'t str,
}

fn read_line(line: &str) -> Line<'_> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut rest = &line[indent..];
    let mut dash = None;
    let mut key_col = indent;
    if rest == "-" || rest.starts_with("- ") {
        dash = Some(indent);
        let after = rest[1..].trim_start_matches(' ');
        key_col = line.len() - after.len();
        rest = after;
    }
    let (key, value) = match rest.split_once(':') {
        Some((k, v))
            if !k.is_empty() && (v.is_empty() || v.starts_with(' ')) && !k.starts_with('#') =>
        {
            (Some(k.trim_matches(|c| c == '"' || c == '\'')), v.trim())
        }
        _ => (None, ""),
    };
    Line {
        dash,
        key_col,
        key,
        value,
    }
}

/// The keys (and `[]` for list items) leading to column `col` of line `row`, outermost first.
fn path_to<'t>(lines: &[&'t str], row: usize, col: usize, in_item: Option<usize>) -> Vec<&'t str> {
    let mut path: Vec<&'t str> = Vec::new();
    let mut target = col;
    let mut allow_equal = false;
    if let Some(dash) = in_item {
        path.push("[]");
        target = dash;
        allow_equal = true;
    }
    for line in lines[..row].iter().rev() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let l = read_line(line);
        let Some(key) = l.key else { continue };
        let parent = l.key_col < target
            || (allow_equal && l.key_col == target && l.dash.is_none() && l.value.is_empty());
        if !parent {
            // A sibling key that opened the current list item: the item's parent list is next.
            if let Some(dash) = l.dash {
                if l.key_col == target && !allow_equal {
                    path.push("[]");
                    target = dash;
                    allow_equal = true;
                }
            }
            continue;
        }
        path.push(key);
        allow_equal = false;
        target = l.key_col;
        if let Some(dash) = l.dash {
            path.push("[]");
            target = dash;
            allow_equal = true;
        }
        if target == 0 && !allow_equal {
            break;
        }
    }
    path.reverse();
    path
}

fn resource_def(key: &str) -> Option<&'static ModuleDef> {
    REGISTRY
        .iter()
        .filter(|e| e.key().scope == Scope::TopLevel && e.key().key == key)
        .find_map(|e| e.resource_module())
}

/// One step down from `place` by `key` (`[]`: into a list item).
fn step(place: Place, key: &str) -> Place {
    match place {
        Place::Top => {
            if let Some(def) = resource_def(key) {
                return Place::Resources(def);
            }
            compose_structure()
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, s)| Place::Compose(*s))
                .unwrap_or(Place::Free)
        }
        Place::Compose(shape) => match (shape, key) {
            (ComposeShape::List(item), "[]") => Place::Compose(*item),
            (ComposeShape::Dict(value), _) if key != "[]" => Place::Compose(*value),
            (ComposeShape::Object(fields), _) => fields
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, s)| Place::Compose(*s))
                .unwrap_or(Place::Free),
            (ComposeShape::OneOf(options), _) => options
                .iter()
                .map(|o| step(Place::Compose(*o), key))
                .find(|p| !matches!(p, Place::Free))
                .unwrap_or(Place::Free),
            _ => Place::Free,
        },
        Place::Resources(def) => match xkeys::find(Scope::TopLevel, def.key).map(|x| x.shape) {
            Some(xkeys::Shape::Resources(keys)) => Place::Resource(def, keys),
            _ => Place::Free,
        },
        Place::Resource(def, _) => match key {
            "Properties" => schema::resource(def.resource_type)
                .map(|r| Place::Object(schema::shape(r.shape), r.name))
                .unwrap_or(Place::Free),
            "Services" => Place::Families(def),
            _ => Place::Free,
        },
        Place::Families(def) => Place::Link(def),
        Place::Object(shape, _) => match shape.prop(key) {
            Some(p) => Place::Value(schema::ty(p.ty)),
            None if shape.values != schema::NONE => Place::Value(schema::ty(shape.values)),
            None => Place::Free,
        },
        Place::Value(t) => {
            if key == "[]" {
                t.item().map(Place::Value).unwrap_or(Place::Free)
            } else {
                t.object()
                    .map(|s| step(Place::Object(s, ""), key))
                    .unwrap_or(Place::Free)
            }
        }
        Place::Link(_) | Place::Free => Place::Free,
    }
}

fn walk(path: &[&str]) -> Place {
    path.iter().fold(Place::Top, |p, k| step(p, k))
}

/// The keys that may be written at `place`.
fn keys_at(place: Place) -> Vec<Completion> {
    let item = |label: &str, detail: &str, info: &str| Completion {
        label: label.to_string(),
        detail: detail.to_string(),
        info: info.to_string(),
    };
    match place {
        Place::Top => {
            let mut out: Vec<Completion> = compose_structure()
                .iter()
                .map(|(k, _)| item(k, "compose", &compose_note(&[k])))
                .collect();
            out.extend(
                xkeys::ALL
                    .iter()
                    .filter(|x| x.scope == Scope::TopLevel)
                    .map(|x| item(x.key, "x-key", &xkey_note(x))),
            );
            out
        }
        Place::Compose(ComposeShape::Object(fields)) => {
            fields.iter().map(|(k, _)| item(k, "compose", "")).collect()
        }
        Place::Compose(ComposeShape::OneOf(options)) => options
            .iter()
            .flat_map(|o| keys_at(Place::Compose(*o)))
            .collect(),
        Place::Resource(_, keys) => keys
            .iter()
            .map(|k| item(k, "x-resource", resource_key_note(k)))
            .collect(),
        Place::Link(_) => ["Access", "ReturnValues", "Scaling"]
            .iter()
            .map(|k| item(k, "service link", ""))
            .collect(),
        Place::Object(shape, _) => shape
            .props
            .iter()
            .map(|p| item(p.name, &schema::ty(p.ty).describe(), p.doc))
            .collect(),
        Place::Value(t) => t
            .object()
            .map(|s| keys_at(Place::Object(s, "")))
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The values that may follow `key:` at `place` (the place of the key's mapping).
fn values_at(place: Place, key: &str) -> Vec<Completion> {
    let item = |label: &str, detail: &str| Completion {
        label: label.to_string(),
        detail: detail.to_string(),
        info: String::new(),
    };
    match (place, key) {
        (Place::Link(def), "Access") => def
            .levels
            .iter()
            .filter(|l| !l.contains(':'))
            .map(|l| item(l, "access level"))
            .collect(),
        (_, _) => match step(place, key) {
            Place::Value(t) if !t.values.is_empty() => {
                t.values.iter().map(|v| item(v, "allowed value")).collect()
            }
            Place::Value(t) if t.kinds & kind::BOOLEAN != 0 => ["true", "false"]
                .iter()
                .map(|v| item(v, "boolean"))
                .collect(),
            _ => Vec::new(),
        },
    }
}

fn compose_note(path: &[&str]) -> String {
    support::rows_for(path)
        .last()
        .map(|r| format!("{} on ECS: {}", r.class.as_str(), r.note))
        .unwrap_or_default()
}

fn xkey_note(x: &xkeys::XKey) -> String {
    let what = match resource_def(x.key) {
        Some(def) => format!("creates {} resources", def.resource_type),
        None => "a composex extension".to_string(),
    };
    match x.support {
        xkeys::Support::Implemented => what,
        xkeys::Support::NotYet(thing) => format!("{thing}: not rendered by composex yet"),
        xkeys::Support::Equivalent(instead) => format!("refused: {instead}"),
    }
}

fn resource_key_note(key: &str) -> &'static str {
    match key {
        "Properties" => "the CloudFormation properties of the resource",
        "MacroParameters" | "Settings" => "composex settings of the resource",
        "Services" => "the services (task families) that use the resource, with their access level",
        "Lookup" => "use an existing resource instead of creating one",
        _ => "",
    }
}

fn line_bounds(text: &str, offset: usize) -> (usize, usize) {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (start, offset)
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')
}

/// What may be written at byte `offset` of `text` (a key, or the value after `key:`).
pub fn complete(text: &str, offset: usize) -> Completions {
    let offset = floor_char(text, offset);
    let (start, _) = line_bounds(text, offset);
    let before = &text[start..offset];
    let lines: Vec<&str> = text[..start].lines().collect();
    let row = lines.len();
    let word_len = before.len()
        - before
            .trim_end_matches(|c: char| is_word(c) && c != ':')
            .len();
    let from = offset - word_len;
    let partial = &text[from..offset];
    let l = read_line(before);
    let mut options = match l.key {
        // `key: partial` -> values
        Some(key) if before[l.key_col..].contains(": ") => {
            let path = path_to(&lines, row, l.key_col, l.dash);
            values_at(walk(&path), key)
        }
        _ => {
            let path = path_to(&lines, row, l.key_col, l.dash);
            keys_at(walk(&path))
        }
    };
    let lower = partial.to_ascii_lowercase();
    options.retain(|o| lower.is_empty() || o.label.to_ascii_lowercase().contains(&lower));
    options.sort_by_key(|o| !o.label.to_ascii_lowercase().starts_with(&lower));
    Completions { from, options }
}

/// What the key at byte `offset` of `text` means, if the offset is on a key we know.
pub fn hover(text: &str, offset: usize) -> Option<Hover> {
    let offset = floor_char(text, offset);
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[start..end];
    let l = read_line(line);
    let key = l.key?;
    let from = start + l.key_col;
    let to = from + key.len();
    if offset < from || offset > to {
        return None;
    }
    let lines: Vec<&str> = text[..start].lines().collect();
    let path = path_to(&lines, lines.len(), l.key_col, l.dash);
    let place = walk(&path);
    let text = match place {
        Place::Top => {
            if let Some(x) = xkeys::find(Scope::TopLevel, key) {
                format!("{key}: {}", xkey_note(x))
            } else {
                compose_structure().iter().find(|(k, _)| *k == key)?;
                format!("{key} (compose)\n{}", compose_note(&[key]))
            }
        }
        Place::Compose(_) => {
            let mut segments: Vec<&str> = path.iter().copied().filter(|s| *s != "[]").collect();
            segments.push(key);
            if let Some(x) = xkeys::find(Scope::Service, key)
                .filter(|_| segments.len() == 3 && segments[0] == "services")
            {
                return Some(Hover {
                    from,
                    to,
                    text: format!("{key}: {}", xkey_note(x)),
                });
            }
            let note = compose_note(&segments);
            if note.is_empty() {
                return None;
            }
            format!("{} (compose)\n{note}", segments.join("."))
        }
        Place::Resource(def, keys) => {
            keys.contains(&key).then_some(())?;
            format!(
                "{key} ({} {})\n{}",
                def.key,
                def.resource_type,
                resource_key_note(key)
            )
        }
        Place::Object(shape, owner) => {
            let p = shape.prop(key)?;
            let t = schema::ty(p.ty);
            let mut out = format!("{key}: {}", t.describe());
            if !owner.is_empty() {
                out.push_str(&format!(" ({owner})"));
            }
            if p.required {
                out.push_str(", required");
            }
            if !p.doc.is_empty() {
                out.push_str(&format!("\n{}", p.doc));
            }
            if !t.values.is_empty() {
                out.push_str(&format!("\nallowed: {}", t.values.join(", ")));
            }
            out
        }
        Place::Value(t) => return hover_object(t, key, from, to),
        Place::Link(def) => match key {
            "Access" => format!("Access: the access level ({})", def.levels.join("; ")),
            _ => return None,
        },
        _ => return None,
    };
    Some(Hover { from, to, text })
}

fn hover_object(t: &Ty, key: &str, from: usize, to: usize) -> Option<Hover> {
    let shape = t.object()?;
    let p = shape.prop(key)?;
    let ty = schema::ty(p.ty);
    let mut text = format!("{key}: {}", ty.describe());
    if p.required {
        text.push_str(", required");
    }
    if !p.doc.is_empty() {
        text.push_str(&format!("\n{}", p.doc));
    }
    if !ty.values.is_empty() {
        text.push_str(&format!("\nallowed: {}", ty.values.join(", ")));
    }
    Some(Hover { from, to, text })
}

fn floor_char(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<String> {
        complete(text, text.len())
            .options
            .into_iter()
            .map(|o| o.label)
            .collect()
    }

    #[test]
    fn top_level_keys_and_x_keys() {
        let got = labels("serv");
        assert_eq!(got.first().map(String::as_str), Some("services"));
        assert!(labels("x-s").iter().any(|l| l == "x-sqs"));
    }

    #[test]
    fn service_keys() {
        let got = labels("services:\n  app:\n    ima");
        assert_eq!(got, ["image"]);
    }

    #[test]
    fn resource_keys_properties_and_nested() {
        let text = "x-sqs:\n  jobs:\n    Prop";
        assert_eq!(labels(text), ["Properties"]);
        let text = "x-sqs:\n  jobs:\n    Properties:\n      Delay";
        assert_eq!(labels(text), ["DelaySeconds"]);
        let text = "x-s3:\n  b:\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSE";
        assert_eq!(labels(text), ["SSEAlgorithm"]);
        let text = "x-s3:\n  b:\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - BucketKeyEnabled: true\n            Server";
        assert_eq!(labels(text), ["ServerSideEncryptionByDefault"]);
    }

    #[test]
    fn enum_values_and_access_levels() {
        let text = "x-dynamodb:\n  t:\n    Properties:\n      BillingMode: PAY";
        let c = complete(text, text.len());
        assert_eq!(
            c.options
                .iter()
                .map(|o| o.label.as_str())
                .collect::<Vec<_>>(),
            ["PAY_PER_REQUEST"]
        );
        assert_eq!(c.from, text.len() - 3);
        let text = "x-sqs:\n  q:\n    Services:\n      app:\n        Access: ";
        assert!(labels(text).iter().any(|l| l == "SendOnly"));
    }

    #[test]
    fn hover_explains_properties_x_keys_and_compose_keys() {
        let text = "x-sqs:\n  jobs:\n    Properties:\n      DelaySeconds: 5\n";
        let h = hover(text, text.find("Delay").unwrap() + 2).unwrap();
        assert!(
            h.text
                .starts_with("DelaySeconds: integer (AWS::SQS::Queue)"),
            "{}",
            h.text
        );
        assert_eq!(&text[h.from..h.to], "DelaySeconds");
        let h = hover(text, 2).unwrap();
        assert!(h.text.contains("AWS::SQS::Queue"), "{}", h.text);
        let text = "services:\n  app:\n    image: nginx\n";
        let h = hover(text, text.find("image").unwrap()).unwrap();
        assert!(h.text.contains("ContainerDefinitions.Image"), "{}", h.text);
        assert!(hover(text, text.find("nginx").unwrap()).is_none());
    }
}

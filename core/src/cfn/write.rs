//! Template -> JSON value -> text. Key order is insertion order everywhere (serde_json's
//! `preserve_order`), so the same template always gives the same bytes.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Map, Value};

use super::{Output, Parameter, Resource, Template, FORMAT_VERSION};
use crate::yaml::write::{self as yaml, Style, Tree};

pub(super) fn template_value(t: &Template) -> Value {
    debug_assert!(t.frozen.is_none(), "frozen resources are text, not values");
    let mut root = Map::new();
    root.insert("AWSTemplateFormatVersion".into(), json!(FORMAT_VERSION));
    if let Some(d) = &t.description {
        root.insert("Description".into(), json!(d));
    }
    let mut section = |name: &str, entries: Map<String, Value>| {
        if !entries.is_empty() {
            root.insert(name.into(), Value::Object(entries));
        }
    };
    section(
        "Metadata",
        t.metadata
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    );
    section(
        "Parameters",
        t.parameters
            .iter()
            .map(|(k, p)| (k.clone(), parameter_value(p)))
            .collect(),
    );
    section(
        "Mappings",
        t.mappings
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    );
    section(
        "Conditions",
        t.conditions
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    );
    section(
        "Resources",
        t.resources
            .iter()
            .map(|(k, r)| (k.clone(), resource_value(r)))
            .collect(),
    );
    section(
        "Outputs",
        t.outputs
            .iter()
            .map(|(k, o)| (k.clone(), output_value(o)))
            .collect(),
    );
    Value::Object(root)
}

fn parameter_value(p: &Parameter) -> Value {
    let mut m = Map::new();
    m.insert("Type".into(), json!(p.type_));
    if let Some(d) = &p.default {
        m.insert("Default".into(), json!(d));
    }
    if let Some(d) = &p.description {
        m.insert("Description".into(), json!(d));
    }
    if !p.allowed_values.is_empty() {
        m.insert("AllowedValues".into(), json!(p.allowed_values));
    }
    if let Some(v) = &p.allowed_pattern {
        m.insert("AllowedPattern".into(), json!(v));
    }
    if let Some(v) = &p.constraint_description {
        m.insert("ConstraintDescription".into(), json!(v));
    }
    if let Some(v) = p.min_length {
        m.insert("MinLength".into(), json!(v));
    }
    if let Some(v) = p.max_length {
        m.insert("MaxLength".into(), json!(v));
    }
    if let Some(v) = p.min_value {
        m.insert("MinValue".into(), json!(v));
    }
    if let Some(v) = p.max_value {
        m.insert("MaxValue".into(), json!(v));
    }
    if p.no_echo {
        m.insert("NoEcho".into(), json!(true));
    }
    Value::Object(m)
}

fn resource_value(r: &Resource) -> Value {
    let mut m = Map::new();
    m.insert("Type".into(), json!(r.type_));
    if let Some(c) = &r.condition {
        m.insert("Condition".into(), json!(c));
    }
    match r.depends_on.as_slice() {
        [] => {}
        [one] => {
            m.insert("DependsOn".into(), json!(one));
        }
        many => {
            m.insert("DependsOn".into(), json!(many));
        }
    }
    if let Some(v) = &r.deletion_policy {
        m.insert("DeletionPolicy".into(), json!(v));
    }
    if let Some(v) = &r.update_replace_policy {
        m.insert("UpdateReplacePolicy".into(), json!(v));
    }
    if let Some(v) = &r.metadata {
        m.insert("Metadata".into(), v.clone());
    }
    if !r.properties.is_empty() {
        m.insert("Properties".into(), Value::Object(r.properties.clone()));
    }
    Value::Object(m)
}

fn output_value(o: &Output) -> Value {
    let mut m = Map::new();
    if let Some(d) = &o.description {
        m.insert("Description".into(), json!(d));
    }
    if let Some(c) = &o.condition {
        m.insert("Condition".into(), json!(c));
    }
    m.insert("Value".into(), o.value.clone());
    if let Some(e) = &o.export_name {
        m.insert("Export".into(), json!({ "Name": e }));
    }
    Value::Object(m)
}

/// The template as pretty JSON, written from the template itself: the same bytes as
/// [`to_json`] of [`template_value`], without first copying every property into a new value.
pub(super) fn template_json(t: &Template) -> String {
    let mut text = serde_json::to_string_pretty(&TemplateView(t)).unwrap_or_default();
    if let Some(frozen) = &t.frozen {
        debug_assert_eq!(frozen.format, crate::Format::Json, "frozen as YAML");
        // The section was written as a placeholder string, replaced here by the text: the only
        // `"Resources": "` at two spaces (a string's quotes are escaped, and every other key at
        // two spaces is another section's).
        let key = "\n  \"Resources\": ";
        let placeholder = format!("{key}\"{FROZEN}\"");
        let found = text.find(&placeholder);
        debug_assert!(found.is_some(), "TemplateView writes the placeholder");
        if let Some(at) = found {
            let mut entries = frozen.text.clone();
            resources_json(t.resources.iter().skip(frozen.count), &mut entries);
            let section = format!("{{\n{entries}\n  }}");
            text.replace_range(at + key.len()..at + placeholder.len(), &section);
        }
    }
    text.push('\n');
    text
}

/// What [`TemplateView`] writes in place of frozen resources, for [`template_json`] to replace.
const FROZEN: &str = "frozen resources";

/// The `Resources` section's entries for `resources` in `format`, after those in `out`.
pub(super) fn resources_text<'a>(
    resources: impl Iterator<Item = (&'a String, &'a Resource)>,
    format: crate::Format,
    out: &mut String,
) {
    match format {
        crate::Format::Yaml => resources_yaml(resources, out),
        crate::Format::Json => resources_json(resources, out),
    }
}

/// The JSON `Resources` entries for `resources` (`"id": {..}` at 4 spaces, joined by `,\n`),
/// after those in `out`: cut from serde_json's pretty text of `{"Resources": {..}}`, where
/// they sit at the same depth as in a template.
fn resources_json<'a>(
    resources: impl Iterator<Item = (&'a String, &'a Resource)>,
    out: &mut String,
) {
    let resources: Vec<(&String, &Resource)> = resources.collect();
    if resources.is_empty() {
        return;
    }
    let section = MapWith(|| resources.iter().map(|(k, r)| (*k, ResourceView(r))));
    let wrapped = MapWith(|| std::iter::once(("Resources", &section)));
    let text = serde_json::to_string_pretty(&wrapped).unwrap_or_default();
    let entries = text
        .strip_prefix("{\n  \"Resources\": {\n")
        .and_then(|t| t.strip_suffix("\n  }\n}"))
        .unwrap_or_default();
    if !out.is_empty() {
        out.push_str(",\n");
    }
    out.push_str(entries);
}

/// Serialises a template in [`template_value`]'s shape, borrowing its values.
struct TemplateView<'a>(&'a Template);

impl Serialize for TemplateView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let mut root = serializer.serialize_map(None)?;
        root.serialize_entry("AWSTemplateFormatVersion", FORMAT_VERSION)?;
        if let Some(d) = &t.description {
            root.serialize_entry("Description", d)?;
        }
        if !t.metadata.is_empty() {
            root.serialize_entry("Metadata", &t.metadata)?;
        }
        if !t.parameters.is_empty() {
            let parameters = MapWith(|| t.parameters.iter().map(|(k, p)| (k, parameter_value(p))));
            root.serialize_entry("Parameters", &parameters)?;
        }
        if !t.mappings.is_empty() {
            root.serialize_entry("Mappings", &t.mappings)?;
        }
        if !t.conditions.is_empty() {
            root.serialize_entry("Conditions", &t.conditions)?;
        }
        if t.frozen.is_some() && !t.resources.is_empty() {
            root.serialize_entry("Resources", FROZEN)?;
        } else if !t.resources.is_empty() {
            let resources = MapWith(|| t.resources.iter().map(|(k, r)| (k, ResourceView(r))));
            root.serialize_entry("Resources", &resources)?;
        }
        if !t.outputs.is_empty() {
            let outputs = MapWith(|| t.outputs.iter().map(|(k, o)| (k, output_value(o))));
            root.serialize_entry("Outputs", &outputs)?;
        }
        root.end()
    }
}

/// A mapping serialised from the entries its closure yields.
struct MapWith<F>(F);

impl<F, I, K, V> Serialize for MapWith<F>
where
    F: Fn() -> I,
    I: Iterator<Item = (K, V)>,
    K: Serialize,
    V: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map((self.0)())
    }
}

/// Serialises a resource in [`resource_value`]'s shape, borrowing its properties.
struct ResourceView<'a>(&'a Resource);

impl Serialize for ResourceView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("Type", &r.type_)?;
        if let Some(c) = &r.condition {
            m.serialize_entry("Condition", c)?;
        }
        match r.depends_on.as_slice() {
            [] => {}
            [one] => m.serialize_entry("DependsOn", one)?,
            many => m.serialize_entry("DependsOn", many)?,
        }
        if let Some(v) = &r.deletion_policy {
            m.serialize_entry("DeletionPolicy", v)?;
        }
        if let Some(v) = &r.update_replace_policy {
            m.serialize_entry("UpdateReplacePolicy", v)?;
        }
        if let Some(v) = &r.metadata {
            m.serialize_entry("Metadata", v)?;
        }
        if !r.properties.is_empty() {
            m.serialize_entry("Properties", &r.properties)?;
        }
        m.end()
    }
}

/// The template as YAML, written from the template itself: the same bytes as [`to_yaml`] of
/// [`template_value`], without first copying every property into a new value.
pub(super) fn template_yaml(t: &Template) -> String {
    let style = yaml_style();
    // Sized from the template (a few hundred bytes a resource) rather than grown by doubling;
    // trimmed to the text at the end, which is what the output keeps.
    let mut out = String::with_capacity(
        256 + 512 * t.resources.len() + 128 * (t.parameters.len() + t.outputs.len()),
    );
    string_entry(&mut out, 0, "AWSTemplateFormatVersion", FORMAT_VERSION);
    if let Some(d) = &t.description {
        string_entry(&mut out, 0, "Description", d);
    }
    let section =
        |out: &mut String, name: &str, entries: &mut dyn Iterator<Item = (&str, &Value)>| {
            let mut entries = entries.peekable();
            if entries.peek().is_some() {
                yaml::open_map(out, name, &style);
                for (key, value) in entries {
                    yaml::indent(out, 2);
                    yaml::write_entry(out, key, value, 2, &style);
                }
            }
        };
    section(
        &mut out,
        "Metadata",
        &mut t.metadata.iter().map(|(k, v)| (k.as_str(), v)),
    );
    if !t.parameters.is_empty() {
        yaml::open_map(&mut out, "Parameters", &style);
        for (key, p) in &t.parameters {
            yaml::indent(&mut out, 2);
            yaml::open_map(&mut out, key, &style);
            parameter_yaml(&mut out, p);
        }
    }
    section(
        &mut out,
        "Mappings",
        &mut t.mappings.iter().map(|(k, v)| (k.as_str(), v)),
    );
    section(
        &mut out,
        "Conditions",
        &mut t.conditions.iter().map(|(k, v)| (k.as_str(), v)),
    );
    if !t.resources.is_empty() {
        yaml::open_map(&mut out, "Resources", &style);
        let frozen = t.frozen.as_ref();
        debug_assert!(
            frozen.is_none_or(|f| f.format == crate::Format::Yaml),
            "frozen as JSON"
        );
        out.push_str(frozen.map_or("", |f| f.text.as_str()));
        let written = frozen.map_or(0, |f| f.count);
        resources_yaml(t.resources.iter().skip(written), &mut out);
    }
    if !t.outputs.is_empty() {
        yaml::open_map(&mut out, "Outputs", &style);
        for (key, o) in &t.outputs {
            yaml::indent(&mut out, 2);
            yaml::open_map(&mut out, key, &style);
            output_yaml(&mut out, o, &style);
        }
    }
    out.shrink_to_fit();
    out
}

/// The YAML `Resources` section's entries for `resources` (each id at 2 spaces).
fn resources_yaml<'a>(
    resources: impl Iterator<Item = (&'a String, &'a Resource)>,
    out: &mut String,
) {
    let style = yaml_style();
    for (key, r) in resources {
        yaml::indent(out, 2);
        yaml::open_map(out, key, &style);
        resource_yaml(out, r, &style);
    }
}

/// The fields of resource `r` at 4 spaces, in [`resource_value`]'s order.
fn resource_yaml(out: &mut String, r: &Resource, style: &Style) {
    const LEVEL: usize = 4;
    string_entry(out, LEVEL, "Type", &r.type_);
    if let Some(c) = &r.condition {
        string_entry(out, LEVEL, "Condition", c);
    }
    match r.depends_on.as_slice() {
        [] => {}
        [one] => string_entry(out, LEVEL, "DependsOn", one),
        many => {
            yaml::indent(out, LEVEL);
            yaml::open_map(out, "DependsOn", style);
            for id in many {
                yaml::indent(out, LEVEL);
                out.push_str("- ");
                write_string(out, id);
                out.push('\n');
            }
        }
    }
    if let Some(v) = &r.deletion_policy {
        string_entry(out, LEVEL, "DeletionPolicy", v);
    }
    if let Some(v) = &r.update_replace_policy {
        string_entry(out, LEVEL, "UpdateReplacePolicy", v);
    }
    if let Some(v) = &r.metadata {
        yaml::indent(out, LEVEL);
        yaml::write_entry(out, "Metadata", v, LEVEL, style);
    }
    if !r.properties.is_empty() {
        yaml::indent(out, LEVEL);
        yaml::open_map(out, "Properties", style);
        yaml::indent(out, LEVEL + 2);
        let entries = r.properties.iter().map(|(k, v)| (k.as_str(), v));
        yaml::write_map(out, entries, LEVEL + 2, style);
    }
}

/// The fields of parameter `p` at 4 spaces, in [`parameter_value`]'s order.
fn parameter_yaml(out: &mut String, p: &Parameter) {
    const LEVEL: usize = 4;
    string_entry(out, LEVEL, "Type", &p.type_);
    if let Some(d) = &p.default {
        string_entry(out, LEVEL, "Default", d);
    }
    if let Some(d) = &p.description {
        string_entry(out, LEVEL, "Description", d);
    }
    if !p.allowed_values.is_empty() {
        yaml::indent(out, LEVEL);
        out.push_str("AllowedValues:\n");
        for v in &p.allowed_values {
            yaml::indent(out, LEVEL);
            out.push_str("- ");
            write_string(out, v);
            out.push('\n');
        }
    }
    if let Some(v) = &p.allowed_pattern {
        string_entry(out, LEVEL, "AllowedPattern", v);
    }
    if let Some(v) = &p.constraint_description {
        string_entry(out, LEVEL, "ConstraintDescription", v);
    }
    let numbers = [
        ("MinLength", p.min_length.map(i128::from)),
        ("MaxLength", p.max_length.map(i128::from)),
        ("MinValue", p.min_value.map(i128::from)),
        ("MaxValue", p.max_value.map(i128::from)),
    ];
    for (key, number) in numbers {
        if let Some(n) = number {
            use std::fmt::Write as _;
            yaml::indent(out, LEVEL);
            let _ = writeln!(out, "{key}: {n}");
        }
    }
    if p.no_echo {
        yaml::indent(out, LEVEL);
        out.push_str("NoEcho: true\n");
    }
}

/// The fields of output `o` at 4 spaces, in [`output_value`]'s order.
fn output_yaml(out: &mut String, o: &Output, style: &Style) {
    const LEVEL: usize = 4;
    if let Some(d) = &o.description {
        string_entry(out, LEVEL, "Description", d);
    }
    if let Some(c) = &o.condition {
        string_entry(out, LEVEL, "Condition", c);
    }
    yaml::indent(out, LEVEL);
    yaml::write_entry(out, "Value", &o.value, LEVEL, style);
    if let Some(e) = &o.export_name {
        yaml::indent(out, LEVEL);
        out.push_str("Export:\n");
        yaml::indent(out, LEVEL + 2);
        yaml::write_entry(out, "Name", e, LEVEL + 2, style);
    }
}

/// `key: text` at `level` spaces, the string written as a template's strings are.
fn string_entry(out: &mut String, level: usize, key: &str, text: &str) {
    yaml::indent(out, level);
    write_string(out, key);
    out.push_str(": ");
    write_string(out, text);
    out.push('\n');
}

fn yaml_style() -> Style {
    Style {
        sequence_indent: 0,
        key: write_string,
    }
}

/// 2-space pretty JSON plus a trailing newline (the reference [`template_json`] is checked against).
#[cfg(test)]
fn to_json(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Block-style YAML with a trailing newline. A string is written plain only when every YAML 1.1
/// and 1.2 reader sees it as that same string (so `yes`, `0440`, `10`, `on`, `~` are quoted):
/// CloudFormation and cfn-lint read templates as YAML 1.1.
#[cfg(test)]
fn to_yaml(value: &Value) -> String {
    yaml::to_yaml(value, &yaml_style())
}

impl Tree for Value {
    fn entries(&self) -> Option<impl Iterator<Item = (&str, &Self)> + '_> {
        match self {
            Value::Object(m) if !m.is_empty() => Some(m.iter().map(|(k, v)| (k.as_str(), v))),
            _ => None,
        }
    }

    fn items(&self) -> Option<&[Self]> {
        match self {
            Value::Array(a) if !a.is_empty() => Some(a),
            _ => None,
        }
    }

    fn write_inline(&self, out: &mut String) {
        write_scalar(out, self);
    }
}

fn write_scalar(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            use std::fmt::Write as _;
            let _ = write!(out, "{n}");
        }
        Value::String(s) => write_string(out, s),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

fn write_string(out: &mut String, s: &str) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if single_quotable(s) {
        out.push('\'');
        // A quote inside is doubled; the runs between quotes are copied whole.
        let mut runs = s.split('\'');
        out.push_str(runs.next().unwrap_or_default());
        for run in runs {
            out.push_str("''");
            out.push_str(run);
        }
        out.push('\'');
    } else {
        yaml::write_double_quoted(out, s);
    }
}

/// True when `s` can be written single-quoted: no control, BOM or whitespace but the space.
fn single_quotable(s: &str) -> bool {
    if s.is_ascii() {
        // For ASCII that is exactly the printable range (every ASCII whitespace but the space
        // is a control).
        return s.bytes().all(|b| (b' '..=b'~').contains(&b));
    }
    s.chars()
        .all(|c| c == ' ' || !(c.is_control() || c == '\u{feff}' || c.is_whitespace()))
}

/// Words YAML 1.1 resolves to booleans or null.
#[cfg(test)]
const RESERVED: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
    "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", "=",
    "<<",
];

/// [`RESERVED`] as a `match` (compiled to length and byte tests, no string compares).
fn is_reserved(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
            | "null"
            | "Null"
            | "NULL"
            | "~"
            | "="
            | "<<"
    )
}

/// 1 for the bytes a plain string may hold, else 0: a table lookup per byte of every template
/// string.
const PLAIN_BYTES: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        let allowed = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'_' | b'.' | b'/' | b':' | b'-' | b'+' | b'=' | b' ' | b'$' | b'@'
            );
        table[b] = allowed as u8;
        b += 1;
    }
    table
};

/// True when every byte of `bytes` is in [`PLAIN_BYTES`]. Eight bytes are tested per branch
/// (the lookups of a chunk are and-ed): this runs over nearly every byte the writers emit.
fn all_plain_bytes(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let all = chunk
            .iter()
            .fold(1u8, |all, &b| all & PLAIN_BYTES[usize::from(b)]);
        if all == 0 {
            return false;
        }
    }
    chunks
        .remainder()
        .iter()
        .all(|&b| PLAIN_BYTES[usize::from(b)] == 1)
}

fn is_plain_safe(s: &str) -> bool {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    if !first.is_ascii_alphabetic() && !matches!(first, b'_' | b'/' | b'$') {
        return false; // digits, '.', '+', '-' could read as numbers, dates or indicators
    }
    if s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    // Every template string comes here: only the PLAIN_BYTES (a tight loop), and no ": " or "  "
    // (looked for only when there is a space). " #" and "${" (Sub templates stay visibly quoted)
    // fail on '#' and '{' already.
    if !all_plain_bytes(bytes) {
        return false;
    }
    if bytes.contains(&b' ')
        && bytes
            .windows(2)
            .any(|pair| pair[1] == b' ' && matches!(pair[0], b':' | b' '))
    {
        return false;
    }
    // The reserved words are at most five bytes long.
    s.len() > 5 || !is_reserved(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::*;

    fn sample() -> Template {
        let mut t = Template::new("sample");
        t.add_parameter("Env", Parameter::string().with_default("dev"));
        t.add_resource(
            "vpc",
            Resource::new(
                "AWS::EC2::VPC",
                json!({ "CidrBlock": "10.0.0.0/16", "Tags": tags([("Name", sub("${AWS::StackName}-vpc"))]) }),
            ),
        );
        t.add_resource(
            "subnet",
            Resource::new(
                "AWS::EC2::Subnet",
                json!({
                    "VpcId": ref_("Vpc"),
                    "AvailabilityZone": select(0, get_azs("")),
                    "CidrBlock": "10.0.0.0/24",
                    "Odd": ["yes", "0440", "10", "true", "", "a: b", "multi\nline"]
                }),
            ),
        );
        t.add_output("VpcId", Output::new(ref_("Vpc")));
        t
    }

    /// Every field the writers can meet, in every shape (one and many DependsOn, empty maps).
    fn full() -> Template {
        let mut t = sample();
        t.metadata
            .insert("Note".into(), json!({ "a": [1, 2.5, null, true] }));
        t.mappings
            .insert("Map".into(), json!({ "k": { "v": "x" } }));
        t.add_condition("IsProd", json!({ "Fn::Equals": [ref_("Env"), "prod"] }));
        let mut p = Parameter::new("Number").with_description("n");
        p.min_value = Some(-1);
        p.max_value = Some(9);
        p.min_length = Some(1);
        p.max_length = Some(3);
        p.allowed_pattern = Some("[0-9]+".into());
        p.constraint_description = Some("digits".into());
        p.no_echo = true;
        t.add_parameter("Count", p.with_allowed_values(["1", "2"]));
        let mut r = Resource::new("AWS::S3::Bucket", json!({ "Empty": {}, "List": [] }))
            .depends_on("vpc")
            .depends_on("subnet")
            .with_condition("IsProd");
        r.deletion_policy = Some("Retain".into());
        r.update_replace_policy = Some("Retain".into());
        r.metadata = Some(json!({ "cfn-lint": { "config": { "ignore_checks": ["W1"] } } }));
        t.add_resource("bucket", r);
        t.add_resource(
            "one",
            Resource::new("AWS::SNS::Topic", json!({})).depends_on("vpc"),
        );
        let mut o = Output::new(ref_("Vpc")).with_description("the VPC");
        o.condition = Some("IsProd".into());
        o.export_name = Some("vpc-id".into());
        t.add_output("Exported", o);
        t
    }

    #[test]
    fn reserved_words_fit_the_length_shortcut() {
        assert!(RESERVED.iter().all(|w| w.len() <= 5 && is_reserved(w)));
        assert!(!is_reserved("yess") && !is_reserved(""));
        assert!(!is_plain_safe("False") && !is_plain_safe("NULL") && is_plain_safe("Falsey"));
    }

    #[test]
    fn direct_writers_match_the_value_writers() {
        for t in [Template::new("empty"), sample(), full()] {
            let value = template_value(&t);
            assert_eq!(template_json(&t), to_json(&value));
            assert_eq!(template_yaml(&t), to_yaml(&value));
        }
        assert!(template_yaml(&full()).contains("DependsOn:\n    - vpc\n    - subnet\n"));
    }

    #[test]
    fn frozen_resources_are_written_as_before_with_later_ones_after() {
        let later = || Resource::new("AWS::SNS::Topic", json!({ "TopicName": "later" }));
        let mut unfrozen = full();
        unfrozen.add_resource("later", later());
        unfrozen.add_resource("last", later().depends_on("later"));
        for format in [crate::Format::Yaml, crate::Format::Json] {
            let mut frozen = full();
            frozen.freeze_resources(format);
            assert!(frozen.resources["Bucket"].properties.is_empty());
            assert_eq!(frozen.resources["Bucket"].type_, "AWS::S3::Bucket");
            frozen.add_resource("later", later());
            assert_eq!(frozen.resources.len(), 5);
            frozen.freeze_resources(format);
            frozen.add_resource("last", later().depends_on("later"));
            assert_eq!(frozen.render(format), unfrozen.render(format), "{format:?}");
        }
        // Frozen with no resource yet, then given some.
        let mut empty = Template::new("empty");
        empty.freeze_resources(crate::Format::Json);
        empty.add_resource("later", later());
        let mut expected = Template::new("empty");
        expected.add_resource("later", later());
        assert_eq!(empty.to_json(), expected.to_json());
    }

    #[test]
    fn json_is_pretty_with_trailing_newline() {
        let text = sample().to_json();
        assert!(text.starts_with(
            "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Description\": \"sample\",\n"
        ));
        assert!(text.ends_with("}\n"));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, sample().to_value());
    }

    #[test]
    fn yaml_round_trips_and_keeps_strings_strings() {
        let text = sample().to_yaml();
        assert!(text.contains("Ref: Vpc"), "{text}");
        assert!(text.contains("Fn::GetAZs:"), "{text}");
        // Every ambiguous scalar stays a string when read back (YAML 1.1 readers too: quoted).
        for quoted in [
            "- 'yes'",
            "- '0440'",
            "- '10'",
            "- 'true'",
            "- ''",
            "- 'a: b'",
            "- \"multi\\nline\"",
        ] {
            assert!(text.contains(quoted), "{quoted} in {text}");
        }
        assert!(text.contains("Fn::Sub: '${AWS::StackName}-vpc'"), "{text}");
        let back: Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back, sample().to_value());
        assert_eq!(text, sample().to_yaml());
    }

    #[test]
    fn awkward_strings_survive_yaml() {
        let strings = [
            "tab\there",
            "quote \" and \\ backslash",
            "nel\u{85}ls\u{2028}bom\u{feff}",
            "bell\u{7}",
            "crlf\r\n",
            "  leading",
            "trailing ",
            "- dash",
            "? q",
            "key: value",
            "# hash",
            "a #b",
            "été",
            "1:20",
            "1e3",
            ".5",
            "0x1F",
            "<<",
            "@at",
            "`tick",
            "!tag",
            "&anchor",
            "*alias",
            "%percent",
            "{brace",
            "[bracket",
            "|pipe",
            ">fold",
            "null",
            "Off",
        ];
        let value = json!({ "List": strings, "Key: odd": 1, "": "empty key" });
        let text = to_yaml(&value);
        let back: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back, value, "{text}");
        assert!(text.contains("\"nel\\u0085ls\\u2028bom\\uFEFF\""), "{text}");
    }

    #[test]
    fn sections_in_order_and_empty_ones_left_out() {
        let v = sample().to_value();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "AWSTemplateFormatVersion",
                "Description",
                "Parameters",
                "Resources",
                "Outputs"
            ]
        );
    }
}

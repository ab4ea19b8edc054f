//! Renaming references inside a template: `Ref`, `Fn::GetAtt`, `Fn::Sub` variables, conditions
//! and mappings; a `Ref` may also be replaced by an expression (an import).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::cfn::Template;

/// What a name becomes.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Replace {
    /// Another logical id / parameter name.
    Rename(String),
    /// An expression in place of `Ref: name` (imports).
    Expr(Value),
}

/// Renames and replacements to apply to one template's contents.
#[derive(Debug, Clone, Default)]
pub(super) struct Rewrites {
    pub(super) names: BTreeMap<String, Replace>,
    pub(super) conditions: BTreeMap<String, String>,
    pub(super) mappings: BTreeMap<String, String>,
}

pub(super) fn rewrite_template(t: &mut Template, rw: &Rewrites) {
    for resource in t.resources.values_mut() {
        let mut properties = Value::Object(std::mem::take(&mut resource.properties));
        rewrite(&mut properties, rw);
        if let Value::Object(m) = properties {
            resource.properties = m;
        }
        if let Some(metadata) = &mut resource.metadata {
            rewrite(metadata, rw);
        }
        for dep in &mut resource.depends_on {
            if let Some(Replace::Rename(n)) = rw.names.get(dep.as_str()) {
                *dep = n.clone();
            }
        }
        if let Some(c) = &mut resource.condition {
            if let Some(n) = rw.conditions.get(c.as_str()) {
                *c = n.clone();
            }
        }
    }
    for condition in t.conditions.values_mut() {
        rewrite(condition, rw);
    }
    for output in t.outputs.values_mut() {
        rewrite(&mut output.value, rw);
        if let Some(e) = &mut output.export_name {
            rewrite(e, rw);
        }
        if let Some(c) = &mut output.condition {
            if let Some(n) = rw.conditions.get(c.as_str()) {
                *c = n.clone();
            }
        }
    }
}

/// Applies `rw` to every reference inside `value`: `Ref`, `Fn::GetAtt`, `Fn::Sub` variables,
/// `Fn::If` and `Condition` names, `Fn::FindInMap` map names.
pub(super) fn rewrite(value: &mut Value, rw: &Rewrites) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, rw)),
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(replacement) = rewrite_intrinsic(map, rw) {
                    *value = replacement;
                    return;
                }
            }
            map.values_mut().for_each(|v| rewrite(v, rw));
        }
        _ => {}
    }
}

/// Handles a one-key object that is an intrinsic; returns a replacement for the whole object
/// (a `Ref` replaced by an expression), or rewrites in place and returns None.
fn rewrite_intrinsic(map: &mut Map<String, Value>, rw: &Rewrites) -> Option<Value> {
    let (key, arg) = map.iter_mut().next()?;
    match (key.as_str(), arg) {
        ("Ref", Value::String(name)) => match rw.names.get(name.as_str()) {
            Some(Replace::Rename(n)) => *name = n.clone(),
            Some(Replace::Expr(e)) => return Some(e.clone()),
            None => {}
        },
        ("Condition", Value::String(name)) => {
            if let Some(n) = rw.conditions.get(name.as_str()) {
                *name = n.clone();
            }
        }
        ("Fn::GetAtt", Value::Array(args)) => {
            if let Some(Value::String(name)) = args.first_mut() {
                if let Some(Replace::Rename(n)) = rw.names.get(name.as_str()) {
                    *name = n.clone();
                }
            }
            args.iter_mut().skip(1).for_each(|v| rewrite(v, rw));
        }
        ("Fn::GetAtt", Value::String(dotted)) => {
            if let Some((name, attribute)) = dotted.split_once('.') {
                if let Some(Replace::Rename(n)) = rw.names.get(name) {
                    *dotted = format!("{n}.{attribute}");
                }
            }
        }
        ("Fn::If", Value::Array(args)) => {
            if let Some(Value::String(name)) = args.first_mut() {
                if let Some(n) = rw.conditions.get(name.as_str()) {
                    *name = n.clone();
                }
            }
            args.iter_mut().skip(1).for_each(|v| rewrite(v, rw));
        }
        ("Fn::FindInMap", Value::Array(args)) => {
            if let Some(Value::String(name)) = args.first_mut() {
                if let Some(n) = rw.mappings.get(name.as_str()) {
                    *name = n.clone();
                }
            }
            args.iter_mut().skip(1).for_each(|v| rewrite(v, rw));
        }
        ("Fn::Sub", Value::String(text)) => {
            let mut variables = Map::new();
            let new_text = rewrite_sub(text, rw, &Map::new(), &mut variables);
            if variables.is_empty() {
                *text = new_text;
            } else {
                return Some(json!({ "Fn::Sub": [new_text, variables] }));
            }
        }
        ("Fn::Sub", Value::Array(args)) => {
            if let [Value::String(text), Value::Object(own)] = args.as_mut_slice() {
                own.values_mut().for_each(|v| rewrite(v, rw));
                let mut variables = Map::new();
                *text = rewrite_sub(text, rw, own, &mut variables);
                own.extend(variables);
            }
        }
        (_, arg) => rewrite(arg, rw),
    }
    None
}

/// Rewrites `${Name}` / `${Name.Attr}` in a `Fn::Sub` template (not `${!Literal}`, not names the
/// Sub defines itself). Names replaced by expressions become Sub variables, added to `variables`.
fn rewrite_sub(
    text: &str,
    rw: &Rewrites,
    own: &Map<String, Value>,
    variables: &mut Map<String, Value>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let (name, attribute) = match inner.split_once('.') {
            Some((n, a)) => (n, Some(a)),
            None => (inner, None),
        };
        let replaced = if inner.starts_with('!') || own.contains_key(name) {
            None
        } else {
            match rw.names.get(name) {
                Some(Replace::Rename(n)) => Some(match attribute {
                    Some(a) => format!("{n}.{a}"),
                    None => n.clone(),
                }),
                Some(Replace::Expr(e)) if attribute.is_none() => {
                    variables.insert(name.to_string(), e.clone());
                    None
                }
                _ => None,
            }
        };
        out.push_str("${");
        out.push_str(replaced.as_deref().unwrap_or(inner));
        out.push('}');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

//! `x-aws-cloudformation` (Docker's ECS integration): a CloudFormation fragment merged into the
//! finished templates, for what composex does not model. It runs after the layout and before
//! the quota checks, so an overlay that breaks a quota is caught like any template.
//!
//! Merging follows JSON Merge Patch (RFC 7386), which is Docker's deep merge plus a way to
//! remove: mappings merge key by key, lists and scalars replace, `null` removes the key. An
//! intrinsic function (`Ref: X`, `Fn::GetAtt: ...`) replaces the value it lands on whole.
//!
//! Resources are named by their single-layout logical ids (`WebTaskDefinition`), in both
//! layouts: in the nested one the overlay finds the stack that holds the resource, and a `Ref`
//! or `Fn::GetAtt` to another resource of that stack is renamed to its local id. A resource the
//! templates do not have is added to the root template when the overlay gives its `Type`;
//! without one it is a located error with the closest real id. Outputs are the root template's.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::layout::LaidStack;
use crate::cfn::{Output, Resource};
use crate::diagnostic::{Diagnostic, Span};
use crate::suggest::did_you_mean;
use crate::yaml::{to_json, Node};

/// The overlay has a shape composex cannot merge (not a mapping, a section it does not take, a
/// resource's `Type` changed, a reference across nested stacks).
pub const OVERLAY_INVALID: &str = "CX685";
/// The overlay names a resource or output the templates do not have, without defining it.
pub const OVERLAY_UNKNOWN: &str = "CX686";

const RESOURCE_KEYS: &[&str] = &[
    "Type",
    "Properties",
    "DependsOn",
    "Condition",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "Metadata",
];
const OUTPUT_KEYS: &[&str] = &["Value", "Description", "Export", "Condition"];

/// Where each resource lives: flat (single-layout) id -> (index in `laid`, local id).
type Index = BTreeMap<String, (usize, String)>;

/// Merges the overlay into `laid` (the root first).
pub fn apply(laid: &mut [LaidStack], overlay: &Node, diags: &mut Vec<Diagnostic>) {
    if overlay.is_null() || laid.is_empty() {
        return;
    }
    let Some(sections) = overlay.as_map() else {
        diags.push(
            Diagnostic::error(
                OVERLAY_INVALID,
                format!(
                    "x-aws-cloudformation must be a CloudFormation fragment (a mapping), not a {}",
                    overlay.kind_name()
                ),
                overlay.span,
            )
            .with_help("e.g. `x-aws-cloudformation: {Resources: {WebService: {Properties: {DesiredCount: 2}}}}`"),
        );
        return;
    };
    let index = index(laid);
    for (section, span, value) in &sections.entries {
        match section.as_str() {
            "Resources" => each_entry(section, value, diags, |id, span, entry, diags| {
                resource(laid, &index, id, span, entry, diags)
            }),
            "Outputs" => each_entry(section, value, diags, |id, span, entry, diags| {
                output(&mut laid[0], id, span, entry, diags)
            }),
            "Conditions" | "Mappings" | "Metadata" => {
                let root = &mut laid[0].template;
                let target = match section.as_str() {
                    "Conditions" => &mut root.conditions,
                    "Mappings" => &mut root.mappings,
                    _ => &mut root.metadata,
                };
                let Some(map) = mapping(section, value, diags) else {
                    continue;
                };
                for (name, _, entry) in &map.entries {
                    let patch = to_json(entry);
                    if patch.is_null() {
                        target.shift_remove(name);
                    } else {
                        merge(target.entry(name.clone()).or_insert(Value::Null), &patch);
                    }
                }
            }
            "Description" => match value.as_str() {
                Some(text) => laid[0].template.description = Some(text.to_string()),
                None => diags.push(Diagnostic::error(
                    OVERLAY_INVALID,
                    "x-aws-cloudformation.Description must be a string",
                    value.span,
                )),
            },
            "AWSTemplateFormatVersion" if value.as_str() == Some(crate::cfn::FORMAT_VERSION) => {}
            other => diags.push(
                Diagnostic::error(
                    OVERLAY_INVALID,
                    format!("x-aws-cloudformation.{other} cannot be overlaid"),
                    *span,
                )
                .with_help(match other {
                    "Parameters" => "stack parameters come from composex: give their values with `--param KEY=VALUE` or in the parameter files",
                    _ => "the overlay takes Resources, Outputs, Conditions, Mappings, Metadata and Description",
                }),
            ),
        }
    }
}

/// Flat id -> where the resource is, over every laid stack.
fn index(laid: &[LaidStack]) -> Index {
    let mut index = Index::new();
    for (i, stack) in laid.iter().enumerate() {
        for local in stack.template.resources.keys() {
            let flat = stack.flat_ids.get(local).unwrap_or(local);
            index.insert(flat.clone(), (i, local.clone()));
        }
    }
    index
}

fn mapping<'a>(
    what: &str,
    node: &'a Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'a crate::yaml::Map> {
    let map = node.as_map();
    if map.is_none() && !node.is_null() {
        diags.push(Diagnostic::error(
            OVERLAY_INVALID,
            format!(
                "x-aws-cloudformation.{what} must be a mapping, not a {}",
                node.kind_name()
            ),
            node.span,
        ));
    }
    map
}

fn each_entry(
    section: &str,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
    mut each: impl FnMut(&str, Span, &crate::yaml::Map, &mut Vec<Diagnostic>),
) {
    let Some(map) = mapping(section, node, diags) else {
        return;
    };
    let (allowed, kind) = if section == "Resources" {
        (RESOURCE_KEYS, "resource")
    } else {
        (OUTPUT_KEYS, "output")
    };
    for (id, span, entry) in &map.entries {
        let what = format!("{section}.{id}");
        if let Some(entry) = mapping(&what, entry, diags) {
            let unknown = entry
                .entries
                .iter()
                .find(|(k, _, _)| !allowed.contains(&k.as_str()));
            if let Some((key, key_span, _)) = unknown {
                let mut d = Diagnostic::error(
                    OVERLAY_INVALID,
                    format!("x-aws-cloudformation.{what}: `{key}` is not a key of a CloudFormation {kind}"),
                    *key_span,
                );
                d = match did_you_mean(key, allowed.iter().copied()) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(format!("the keys are {}", allowed.join(", "))),
                };
                diags.push(d);
                continue;
            }
            each(id, *span, entry, diags);
        }
    }
}

fn resource(
    laid: &mut [LaidStack],
    index: &Index,
    id: &str,
    span: Span,
    entry: &crate::yaml::Map,
    diags: &mut Vec<Diagnostic>,
) {
    let Some((at, local)) = index.get(id) else {
        let Some(type_) = entry.get("Type") else {
            let mut d = Diagnostic::error(
                OVERLAY_UNKNOWN,
                format!("x-aws-cloudformation: the templates have no resource `{id}`"),
                span,
            );
            d = match did_you_mean(id, index.keys().map(String::as_str)) {
                Some(s) => d.with_help(format!("did you mean `{s}`? (ids are those of the single layout, `composex render --single`)")),
                None => d.with_help("name a resource of the templates (the ids of `composex render --single`), or give `Type` to add a new one"),
            };
            diags.push(d);
            return;
        };
        // A new resource, in the root template (its id is the same in both layouts).
        let Some(type_) = type_.as_str() else {
            diags.push(Diagnostic::error(
                OVERLAY_INVALID,
                format!("x-aws-cloudformation.Resources.{id}.Type must be a resource type"),
                type_.span,
            ));
            return;
        };
        let root = &mut laid[0].template;
        if root.parameters.contains_key(id)
            || root.conditions.contains_key(id)
            || root.outputs.contains_key(id)
        {
            diags.push(Diagnostic::error(
                OVERLAY_INVALID,
                format!("x-aws-cloudformation: `{id}` is already a parameter, condition or output of the root template"),
                span,
            ).with_help("give the new resource another logical id"));
            return;
        }
        let mut new = Resource::new(type_, Value::Object(Map::new()));
        patch_resource(&mut new, entry, &BTreeMap::new(), index, 0, diags);
        root.resources.insert(id.to_string(), new);
        return;
    };
    let stack = &laid[*at];
    // Flat id -> local id of the resources in the same stack (for references in the patch).
    let local_ids: BTreeMap<String, String> = stack
        .flat_ids
        .iter()
        .map(|(local, flat)| (flat.clone(), local.clone()))
        .collect();
    let at = *at;
    let Some(existing) = laid[at].template.resources.get_mut(local) else {
        return;
    };
    if let Some(type_) = entry.get("Type") {
        if type_.as_str() != Some(existing.type_.as_str()) {
            diags.push(
                Diagnostic::error(
                    OVERLAY_INVALID,
                    format!(
                        "x-aws-cloudformation.Resources.{id}.Type: `{id}` is a {}; the overlay cannot change its type",
                        existing.type_
                    ),
                    type_.span,
                )
                .with_help("remove `Type`, or give the new resource another logical id"),
            );
            return;
        }
    }
    patch_resource(existing, entry, &local_ids, index, at, diags);
}

/// Applies one resource entry of the overlay to `resource`, which lives in laid stack `at`.
fn patch_resource(
    resource: &mut Resource,
    entry: &crate::yaml::Map,
    local_ids: &BTreeMap<String, String>,
    index: &Index,
    at: usize,
    diags: &mut Vec<Diagnostic>,
) {
    for (key, _, node) in &entry.entries {
        let mut patch = to_json(node);
        // DependsOn names resources as plain strings: checked and renamed as `Ref`s.
        if key == "DependsOn" {
            patch = as_refs(patch, true);
        }
        let ok = renamed(&mut patch, local_ids, index, at);
        if key == "DependsOn" {
            patch = as_refs(patch, false);
        }
        if !ok {
            diags.push(
                Diagnostic::error(
                    OVERLAY_INVALID,
                    format!("x-aws-cloudformation: `{key}` refers to a resource of another nested stack"),
                    node.span,
                )
                .with_help("in the nested layout a resource can only refer to its own stack's resources: render with `--single`, or refer to a stack output"),
            );
            continue;
        }
        let text = |v: &Value| v.as_str().map(str::to_string);
        match key.as_str() {
            "Type" => {}
            "Properties" => {
                let mut properties = Value::Object(std::mem::take(&mut resource.properties));
                merge(&mut properties, &patch);
                if let Value::Object(map) = properties {
                    resource.properties = map;
                }
            }
            "DependsOn" => {
                resource.depends_on = match patch {
                    Value::String(s) => vec![s],
                    Value::Array(items) => items.iter().filter_map(text).collect(),
                    _ => Vec::new(),
                }
            }
            "Condition" => resource.condition = text(&patch),
            "DeletionPolicy" => resource.deletion_policy = text(&patch),
            "UpdateReplacePolicy" => resource.update_replace_policy = text(&patch),
            _ => {
                let metadata = resource.metadata.get_or_insert(Value::Null);
                merge(metadata, &patch);
                if metadata.is_null() {
                    resource.metadata = None;
                }
            }
        }
    }
}

fn output(
    root: &mut LaidStack,
    id: &str,
    span: Span,
    entry: &crate::yaml::Map,
    diags: &mut Vec<Diagnostic>,
) {
    let outputs = &mut root.template.outputs;
    if !outputs.contains_key(id) {
        if entry.get("Value").is_none() {
            let mut d = Diagnostic::error(
                OVERLAY_UNKNOWN,
                format!("x-aws-cloudformation: the root template has no output `{id}`"),
                span,
            );
            d = match did_you_mean(id, outputs.keys().map(String::as_str)) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(
                    "name an output of the root template, or give `Value` to add a new one",
                ),
            };
            diags.push(d);
            return;
        }
        outputs.insert(id.to_string(), Output::new(Value::Null));
    }
    let Some(out) = outputs.get_mut(id) else {
        return;
    };
    for (key, _, node) in &entry.entries {
        let patch = to_json(node);
        match key.as_str() {
            "Value" => out.value = patch,
            "Description" => out.description = patch.as_str().map(str::to_string),
            "Condition" => out.condition = patch.as_str().map(str::to_string),
            _ => out.export_name = patch.get("Name").cloned(),
        }
    }
}

/// `DependsOn` strings wrapped as `{Ref: id}` (`wrap`), or unwrapped back.
fn as_refs(value: Value, wrap: bool) -> Value {
    match value {
        Value::String(s) if wrap => serde_json::json!({ "Ref": s }),
        Value::Object(mut m) if !wrap => m.remove("Ref").unwrap_or(Value::Null),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| as_refs(v, wrap)).collect()),
        other => other,
    }
}

/// JSON Merge Patch (RFC 7386), except that an intrinsic function replaces whole.
fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    let intrinsic = patch.len() == 1
        && patch
            .keys()
            .all(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"));
    if intrinsic || !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(target) = target {
        for (key, value) in patch {
            if value.is_null() {
                target.remove(key);
            } else {
                merge(target.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// Renames `Ref` / `Fn::GetAtt` targets that are flat ids of the stack's own resources to their
/// local ids; false when one names a resource of another nested stack.
fn renamed(
    value: &mut Value,
    local_ids: &BTreeMap<String, String>,
    index: &Index,
    at: usize,
) -> bool {
    let rename = |target: &mut String| -> bool {
        if let Some(local) = local_ids.get(target.as_str()) {
            *target = local.clone();
            return true;
        }
        index.get(target.as_str()).is_none_or(|(i, _)| *i == at)
    };
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("Ref") {
                return rename(target);
            }
            match map.get_mut("Fn::GetAtt") {
                Some(Value::Array(parts)) => {
                    if let Some(Value::String(target)) = parts.first_mut() {
                        return rename(target);
                    }
                }
                Some(Value::String(dotted)) => {
                    if let Some((target, attribute)) = dotted.split_once('.') {
                        let mut target = target.to_string();
                        let ok = rename(&mut target);
                        *dotted = format!("{target}.{attribute}");
                        return ok;
                    }
                }
                _ => {}
            }
            map.values_mut().all(|v| renamed(v, local_ids, index, at))
        }
        Value::Array(items) => items.iter_mut().all(|v| renamed(v, local_ids, index, at)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_merges_maps_replaces_lists_and_removes_nulls() {
        let mut target = json!({"A": {"B": 1, "C": [1, 2]}, "D": "x", "E": {"Ref": "Old"}});
        merge(
            &mut target,
            &json!({"A": {"C": [3], "F": true}, "D": null, "E": {"Fn::GetAtt": ["New", "Arn"]}}),
        );
        assert_eq!(
            target,
            json!({"A": {"B": 1, "C": [3], "F": true}, "E": {"Fn::GetAtt": ["New", "Arn"]}})
        );
    }

    #[test]
    fn references_to_the_own_stack_are_renamed_and_to_others_refused() {
        let mut index = Index::new();
        index.insert("WebTaskDefinition".into(), (1, "TaskDefinition".into()));
        index.insert("WorkerService".into(), (2, "Service".into()));
        let local: BTreeMap<String, String> = [(
            "WebTaskDefinition".to_string(),
            "TaskDefinition".to_string(),
        )]
        .into();
        let mut v = json!({"TaskDefinition": {"Ref": "WebTaskDefinition"}, "X": {"Fn::GetAtt": "WebTaskDefinition.Arn"}});
        assert!(renamed(&mut v, &local, &index, 1));
        assert_eq!(
            v,
            json!({"TaskDefinition": {"Ref": "TaskDefinition"}, "X": {"Fn::GetAtt": "TaskDefinition.Arn"}})
        );
        let mut other = json!([{"Ref": "WorkerService"}]);
        assert!(!renamed(&mut other, &local, &index, 1));
        let mut parameter = json!({"Ref": "AWS::Region"});
        assert!(renamed(&mut parameter, &local, &index, 1));
    }
}

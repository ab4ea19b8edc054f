//! Parameter files for every stack that has parameters a person fills: `<stack>.params.json`
//! (the AWS CLI's `[{ParameterKey, ParameterValue}]`) and `<stack>.config.json` (a CodePipeline
//! template configuration `{Parameters, Tags}`). Every value is a string; `NoEcho` parameters
//! are never written; parameters passed from one stack to another are not the user's to fill.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::layout::LaidStack;
use crate::diagnostic::{Diagnostic, Severity};
use crate::{Options, OutputFile};

/// `--param KEY=VALUE` names no parameter of the root stack.
pub const UNKNOWN_PARAM: &str = "CX390";

/// Values for the root parameters: `--param` first, then ids known from the input, then the
/// parameter's default; a required parameter with none of these gets `""` and its warning.
pub fn files(
    laid: &[LaidStack],
    options: &Options,
    known_values: &BTreeMap<String, String>,
    unfilled_warnings: &BTreeMap<String, Diagnostic>,
    tags: &[(String, String)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<OutputFile> {
    let Some(root) = laid.first() else {
        return Vec::new();
    };
    let mut root_values: BTreeMap<&str, String> = BTreeMap::new();
    for (name, parameter) in &root.template.parameters {
        let value = options
            .params
            .get(name)
            .or_else(|| known_values.get(name))
            .or(parameter.default.as_ref())
            .cloned();
        if value.is_none() {
            if let Some(w) = unfilled_warnings.get(name) {
                diagnostics.push(w.clone());
            }
        }
        root_values.insert(name, value.unwrap_or_default());
    }
    for name in options.params.keys() {
        if !root.template.parameters.contains_key(name) {
            let known: Vec<&str> = root
                .template
                .parameters
                .keys()
                .map(String::as_str)
                .collect();
            let mut d = Diagnostic::new(
                Severity::Warning,
                UNKNOWN_PARAM,
                format!("--param {name}: the root stack has no parameter {name}"),
            );
            d = match crate::suggest::did_you_mean(name, known.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean {s}?")),
                None if known.is_empty() => d.with_help("the root stack has no parameters"),
                None => d.with_help(format!("its parameters: {}", known.join(", "))),
            };
            diagnostics.push(d);
        }
    }
    let tag_map: Map<String, Value> = tags.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    let mut out = Vec::new();
    for (index, stack) in laid.iter().enumerate() {
        let mut values: Vec<(&str, String)> = Vec::new();
        for (name, parameter) in &stack.template.parameters {
            if parameter.no_echo {
                continue;
            }
            let value = if index == 0 {
                root_values.get(name.as_str()).cloned()
            } else {
                stack
                    .from_root
                    .get(name)
                    .and_then(|r| root_values.get(r.as_str()))
                    .cloned()
            };
            if let Some(value) = value {
                values.push((name, value));
            }
        }
        if values.is_empty() {
            continue;
        }
        let list: Vec<Value> = values
            .iter()
            .map(|(k, v)| json!({ "ParameterKey": k, "ParameterValue": v }))
            .collect();
        let parameters: Map<String, Value> = values
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let config = json!({ "Parameters": parameters, "Tags": tag_map });
        out.push(OutputFile {
            path: format!("{}.params.json", stack.name),
            text: pretty(&Value::Array(list)),
        });
        out.push(OutputFile {
            path: format!("{}.config.json", stack.name),
            text: pretty(&config),
        });
    }
    out
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

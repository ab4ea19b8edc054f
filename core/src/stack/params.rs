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
    let values = RootValues::of(
        root,
        options,
        known_values,
        unfilled_warnings,
        tags,
        diagnostics,
    );
    let mut out = Vec::new();
    for (index, stack) in laid.iter().enumerate() {
        values.files(index, stack, &mut out);
    }
    out
}

/// What every stack's parameter files are made of: the values of the root parameters (see
/// [`files`]) and the tags. Made once from the root, so each stack's files can be written while
/// its template is at hand (the pipeline writes them with its text, not in a later pass).
#[derive(Debug)]
pub struct RootValues<'a> {
    values: BTreeMap<&'a str, String>,
    tags: Map<String, Value>,
}

impl<'a> RootValues<'a> {
    /// The values of `root`'s parameters; the warnings of parameters left without a value, and
    /// of `--param` names the root does not have, go to `diagnostics`.
    pub fn of(
        root: &'a LaidStack,
        options: &Options,
        known_values: &BTreeMap<String, String>,
        unfilled_warnings: &BTreeMap<String, Diagnostic>,
        tags: &[(String, String)],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
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
        RootValues {
            values: root_values,
            tags: tags.iter().map(|(k, v)| (k.clone(), json!(v))).collect(),
        }
    }

    /// Pushes onto `out` the two parameter files of `stack`, the `index`-th laid stack (0 is
    /// the root), when it has parameters a person fills.
    pub fn files(&self, index: usize, stack: &LaidStack, out: &mut Vec<OutputFile>) {
        let root_values = &self.values;
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
            return;
        }
        let list: Vec<Value> = values
            .iter()
            .map(|(k, v)| json!({ "ParameterKey": k, "ParameterValue": v }))
            .collect();
        let parameters: Map<String, Value> = values
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let config = json!({ "Parameters": parameters, "Tags": self.tags });
        out.push(OutputFile {
            path: format!("{}.params.json", stack.name),
            text: pretty(&Value::Array(list)),
        });
        out.push(OutputFile {
            path: format!("{}.config.json", stack.name),
            text: pretty(&config),
        });
    }
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

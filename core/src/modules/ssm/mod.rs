//! x-ssm_parameter: SSM parameters (`AWS::SSM::Parameter`, `String` or `StringList`: CloudFormation
//! cannot create a `SecureString`). The value is `Properties.Value`, or the text of the file
//! `MacroParameters.FromFile` names (relative to the project directory), checked with
//! `ValidateJson` / `ValidateYaml` (unless `IgnoreInvalidJson` / `IgnoreInvalidYaml`),
//! compacted with `MinimizeJson`, turned into JSON with `RenderToJson`, and wrapped in
//! `Fn::Base64` with `EncodeToBase64`, as ComposeX does. Linked families get `RO`, `ROStrict`,
//! `RW`, `RWStrict` or SAM's `SSMParameterReadPolicy` on the parameter.

use serde_json::{json, Map, Value};

use super::common::{arn_resource, Ctx, Entry, Grant};
use super::{ModuleDef, ReturnValue, Statement, IGNORED};
use crate::cfn::{base64, ref_, sub_with, Resource};
use crate::compose::module_files;
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::{self, Limits, Node};

/// The value of an SSM parameter cannot be made: none given, content of its file that fails
/// its validation, a `SecureString`, or a value over the tier's size. (A file not given is
/// CX260, as for every named file.)
pub const VALUE: &str = "CX602";

/// The x-ssm_parameter module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-ssm_parameter",
    stack: "ssm",
    resource_type: "AWS::SSM::Parameter",
    return_values: &[
        ReturnValue {
            name: "ParameterName",
            attribute: None,
        },
        ReturnValue {
            name: "ParameterArn",
            attribute: None,
        },
    ],
    settings: SETTINGS,
    levels: LEVEL_NAMES,
    lookup_values,
    grants: no_grants,
    emit,
    access,
};

const SETTINGS: &[&str] = &[
    "FromFile",
    "ValidateJson",
    "MinimizeJson",
    "IgnoreInvalidJson",
    "ValidateYaml",
    "RenderToJson",
    "IgnoreInvalidYaml",
    "EncodeToBase64",
];

/// Level -> actions on the parameter's ARN.
pub const LEVELS: &[(&str, &[&str])] = &[
    (
        "RO",
        &[
            "ssm:GetParameter",
            "ssm:GetParameterHistory",
            "ssm:GetParameters",
            "ssm:GetParametersByPath",
        ],
    ),
    ("ROStrict", &["ssm:GetParameter", "ssm:GetParameterHistory"]),
    (
        "RW",
        &[
            "ssm:GetParameter",
            "ssm:GetParameterHistory",
            "ssm:GetParameters",
            "ssm:GetParametersByPath",
            "ssm:PutParameter",
        ],
    ),
    (
        "RWStrict",
        &[
            "ssm:GetParameter",
            "ssm:GetParameterHistory",
            "ssm:PutParameter",
        ],
    ),
    (
        "SSMParameterReadPolicy",
        &[
            "ssm:GetParameter",
            "ssm:GetParameters",
            "ssm:GetParametersByPath",
        ],
    ),
];

/// The level names.
pub const LEVEL_NAMES: &[&str] = &["RO", "ROStrict", "RW", "RWStrict", "SSMParameterReadPolicy"];

/// The largest value of a Standard parameter, and of an Advanced one (bytes).
const STANDARD_MAX: usize = 4096;
const ADVANCED_MAX: usize = 8192;

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

/// ParameterName and ParameterArn of an existing parameter from its ARN
/// (`...:parameter/a/b` is `/a/b`, `...:parameter/a` is `a`), or its name as `Identifier`.
fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    match arn {
        Some(arn) => {
            if let Some(rest) = arn_resource(arn).and_then(|r| r.strip_prefix("parameter/")) {
                let name = if rest.contains('/') {
                    format!("/{rest}")
                } else {
                    rest.to_string()
                };
                out.push(("ParameterName", name));
            }
            out.push(("ParameterArn", arn.to_string()));
        }
        None => {
            if let Some(name) = identifier {
                out.push(("ParameterName", name.to_string()));
            }
        }
    }
    out
}

fn access(ctx: &mut Ctx, entry: &Entry, family: &str, access: &Node) -> Option<Vec<Statement>> {
    let (level, actions) = ctx.level(entry, access, LEVELS)?;
    let arn = ctx.value_named(family, entry, "ParameterArn");
    Some(vec![Statement::allow(
        &format!("{level}{}", entry.id),
        actions,
        vec![arn],
    )])
}

fn error(entry: &Entry, span: Span, message: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        VALUE,
        format!("x-ssm_parameter {}: {message}", entry.name),
        span,
    )
}

fn flag(entry: &Entry, key: &str) -> bool {
    entry
        .setting(key)
        .and_then(Node::as_scalar)
        .is_some_and(|s| s.as_bool() == Some(true) || s.text == "true")
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    // Type and Value come from MacroParameters (FromFile) when not written.
    let mut props = ctx.properties_filled(entry, &["Type", "Value"]);
    if let Some(Value::String(t)) = props.get("Type") {
        if t == "SecureString" {
            let span = entry.property("Type").map_or(entry.span, |n| n.span);
            // This says more than the schema check's "not an allowed value" at the same place.
            ctx.diags.retain(|d| d.span != Some(span));
            ctx.diags.push(
                error(entry, span, "CloudFormation cannot create a SecureString parameter")
                    .with_help("use Type: String (or StringList), or keep secrets in Secrets Manager (secrets: with x-secrets)"),
            );
            return;
        }
    }
    props.entry("Type").or_insert(json!("String"));
    let from_file = file_value(ctx, entry);
    let value = match (props.get("Value").cloned(), from_file) {
        (Some(v), Some(_)) => {
            let span = entry.setting("FromFile").map_or(entry.span, |n| n.span);
            ctx.diags.push(
                Diagnostic::warning(
                    IGNORED,
                    format!(
                        "x-ssm_parameter {}: FromFile is ignored: Properties.Value is given",
                        entry.name
                    ),
                    span,
                )
                .with_help("ComposeX uses Properties.Value when both are given; remove one"),
            );
            v
        }
        (Some(v), None) => v,
        (None, Some(v)) => json!(v),
        (None, None) => {
            if entry.setting("FromFile").is_none() {
                ctx.diags.push(
                    error(entry, entry.span, "the parameter has no value")
                        .with_help("give Properties.Value, or MacroParameters.FromFile: <path>"),
                );
            }
            return;
        }
    };
    if let Value::Array(_) | Value::Bool(_) | Value::Null = &value {
        let span = entry.property("Value").map_or(entry.span, |n| n.span);
        ctx.diags.retain(|d| d.span != Some(span));
        ctx.diags.push(
            error(entry, span, "Value must be text")
                .with_help("a StringList is one text of comma-separated values: Value: a,b,c"),
        );
        return;
    }
    if let Value::String(text) = &value {
        let advanced = props.get("Tier").and_then(Value::as_str) == Some("Advanced");
        let max = if advanced { ADVANCED_MAX } else { STANDARD_MAX };
        if text.len() > max {
            let span = entry
                .property("Value")
                .or_else(|| entry.setting("FromFile"))
                .map_or(entry.span, |n| n.span);
            ctx.diags.push(
                error(
                    entry,
                    span,
                    format!(
                        "the value is {} bytes; a {} parameter holds at most {max}",
                        text.len(),
                        if advanced { "Advanced" } else { "Standard" }
                    ),
                )
                .with_help("set Properties.Tier: Advanced (up to 8 KB), or store it in S3"),
            );
            return;
        }
    }
    let value = if flag(entry, "EncodeToBase64") {
        base64(value)
    } else {
        value
    };
    props.insert("Value".into(), value);
    let name_has_slash = matches!(props.get("Name"), Some(Value::String(n)) if n.starts_with('/'));
    let stack = ctx.stacks.stack(MODULE.stack);
    stack.template.resources.insert(
        entry.id.clone(),
        match &entry.deletion_policy {
            Some(p) => Resource::new(MODULE.resource_type, Value::Object(props)).with_policies(p),
            None => Resource::new(MODULE.resource_type, Value::Object(props)),
        },
    );
    // A parameter's ARN holds its name after `parameter`, with a `/` unless the name has one.
    let spacer = if name_has_slash { "" } else { "/" };
    let mut vars = Map::new();
    vars.insert("Name".into(), ref_(&entry.id));
    let arn = sub_with(
        &format!("arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{spacer}${{Name}}"),
        vars,
    );
    for (rv, value) in [
        (MODULE.return_values[0], ref_(&entry.id)),
        (MODULE.return_values[1], arn),
    ] {
        let name = super::common::export_name(&MODULE, entry, &rv);
        let what = format!("x-ssm_parameter {}: {}", entry.name, rv.name);
        stack.export(&name, value, "String", &what);
    }
}

/// The value read from `MacroParameters.FromFile`, validated and transformed; None when there
/// is no file (or after reporting why it cannot be used).
fn file_value(ctx: &mut Ctx, entry: &Entry) -> Option<String> {
    let node = entry.setting("FromFile")?;
    let Some(path) = node.as_str().filter(|p| !p.is_empty()) else {
        ctx.diags
            .push(error(entry, node.span, "FromFile must be a file path"));
        return None;
    };
    let key = module_files::key(path);
    let Some(file) = ctx.project.module_files.get(&key) else {
        // The code of every named file that is not given: the playground offers to add it.
        ctx.diags.push(
            Diagnostic::error(
                crate::compose::files::FILE_NOT_FOUND,
                format!("x-ssm_parameter {}: FromFile `{key}` not found", entry.name),
                node.span,
            )
            .with_help("the path is relative to the directory of the first compose file (ComposeX read it relative to the working directory)"),
        );
        return None;
    };
    let text = file.text.clone();
    if flag(entry, "ValidateJson") {
        return match serde_json::from_str::<Value>(&text) {
            Ok(v) if flag(entry, "MinimizeJson") => Some(v.to_string()),
            Ok(_) => Some(text),
            Err(_) if flag(entry, "IgnoreInvalidJson") => Some(text),
            Err(e) => {
                let at = line_span(file.index, &text, e.line());
                ctx.diags.push(
                    error(entry, node.span, format!("`{key}` is not valid JSON: {e}"))
                        .with_label(at, "here")
                        .with_help(
                            "fix the file, or set IgnoreInvalidJson: true to store it as it is",
                        ),
                );
                None
            }
        };
    }
    if flag(entry, "ValidateYaml") {
        let (docs, problems) = yaml::parse(file.index, &text, &Limits::default());
        let bad = problems.iter().find(|d| d.is_error());
        return match bad {
            Some(_) if flag(entry, "IgnoreInvalidYaml") => Some(text),
            Some(d) => {
                let (message, span) = (d.message.clone(), d.span.unwrap_or(node.span));
                ctx.diags.push(
                    error(
                        entry,
                        node.span,
                        format!("`{key}` is not valid YAML: {message}"),
                    )
                    .with_label(span, "here")
                    .with_help("fix the file, or set IgnoreInvalidYaml: true to store it as it is"),
                );
                None
            }
            None if flag(entry, "RenderToJson") => {
                let doc = docs.first().map(yaml::to_json).unwrap_or(Value::Null);
                Some(doc.to_string())
            }
            None => Some(text),
        };
    }
    Some(text)
}

/// The span of line `line` (1-based) of file `index`.
fn line_span(index: u32, text: &str, line: usize) -> Span {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let len = text
        .get(start..)
        .and_then(|rest| rest.lines().next())
        .map_or(0, str::len);
    Span::new(index, start, start + len)
}

#[cfg(test)]
mod tests;

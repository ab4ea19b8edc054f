//! Composite alarm rules: `ALARM(alarm-01) and (OK(alarm-02) or INSUFFICIENT_DATA(alarm-02))`,
//! where each name is an x-alarms alarm, becomes `Fn::Sub` with the alarms' ARNs.

use serde_json::Value;

use super::MODULE;
use crate::cfn::sub;
use crate::diagnostic::Diagnostic;
use crate::modules::common::{Ctx, Entry};
use crate::modules::{BAD_REFERENCE, INVALID};
use crate::suggest::did_you_mean;
use crate::yaml::Node;

const STATES: &[&str] = &["ALARM", "OK", "INSUFFICIENT_DATA"];

/// `Fn::Sub` of the rule in `node` with every alarm named by its ARN; None after reporting.
pub fn alarm_rule(ctx: &mut Ctx, entry: &Entry, node: &Node) -> Option<Value> {
    let Some(text) = node.as_str().filter(|t| !t.trim().is_empty()) else {
        ctx.diags.push(Diagnostic::error(
            INVALID,
            format!(
                "x-alarms {}: the composite expression must be a non-empty string",
                entry.name
            ),
            node.span,
        ));
        return None;
    };
    let mut out = String::new();
    let mut rest = text;
    let mut ok = true;
    let mut names = 0;
    while !rest.is_empty() {
        let Some((at, state)) = next_state(rest) else {
            out.push_str(&escape(rest));
            break;
        };
        let open = at + state.len() + 1;
        out.push_str(&escape(&rest[..open]));
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            out.push_str(&escape(&rest[open..]));
            break;
        };
        let inner = rest[open..close].trim();
        let name = inner.trim_matches(|c| c == '"' || c == '\'');
        names += 1;
        if name.starts_with("arn:") {
            out.push_str(&format!("\"{}\"", escape(name)));
        } else {
            match ctx.catalog.find(MODULE.key, name) {
                Some(alarm) if alarm.name == entry.name => {
                    ctx.diags.push(Diagnostic::error(
                        BAD_REFERENCE,
                        format!(
                            "x-alarms {}: a composite alarm cannot watch itself",
                            entry.name
                        ),
                        node.span,
                    ));
                    ok = false;
                }
                Some(alarm) if alarm.lookup.is_none() => {
                    out.push_str(&format!("\"${{{}.Arn}}\"", alarm.id));
                }
                Some(alarm) => {
                    // An existing alarm: its ARN is a parameter.
                    let arn = ctx.value_named(MODULE.stack, alarm, "Arn");
                    let name = arn.get("Ref").and_then(Value::as_str).unwrap_or_default();
                    out.push_str(&format!("\"${{{name}}}\""));
                }
                None => {
                    let names = ctx.catalog.names(MODULE.key);
                    let mut d = Diagnostic::error(
                        BAD_REFERENCE,
                        format!("x-alarms {}: `{name}` in the composite expression is not an x-alarms alarm", entry.name),
                        node.span,
                    );
                    d = match did_you_mean(name, names.iter().copied()) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => d.with_help(format!("alarms: {}", names.join(", "))),
                    };
                    ctx.diags.push(d);
                    ok = false;
                }
            }
        }
        out.push(')');
        rest = &rest[close + 1..];
    }
    if names == 0 {
        ctx.diags.push(
            Diagnostic::error(
                INVALID,
                format!(
                    "x-alarms {}: the composite expression names no alarm",
                    entry.name
                ),
                node.span,
            )
            .with_help("e.g. ALARM(alarm-01) and OK(alarm-02)"),
        );
        return None;
    }
    ok.then(|| sub(&out))
}

/// The first `STATE(` in `text` that starts a word: (byte offset, state).
fn next_state(text: &str) -> Option<(usize, &'static str)> {
    let mut best: Option<(usize, &'static str)> = None;
    for state in STATES {
        let pattern = format!("{state}(");
        let mut from = 0;
        while let Some(found) = text[from..].find(&pattern) {
            let at = from + found;
            let starts_word = text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
            if starts_word {
                if best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, state));
                }
                break;
            }
            from = at + pattern.len();
        }
    }
    best
}

/// Literal text inside `Fn::Sub`: `${` must be written `${!`.
fn escape(text: &str) -> String {
    text.replace("${", "${!")
}

//! What OpenSearch accepts of a domain's instance types, as ECS ComposeX checks it before AWS
//! does (so the error is at the line, not a failed stack an hour later): the engine version each
//! instance family needs, the families without EBS (local NVMe) or that require it, the old
//! families that cannot encrypt at rest or run fine-grained access control, and no mix of
//! Graviton and x86 families in one domain.

use serde_json::Value;

use super::{INCOMPATIBLE, NO_ENCRYPTION};
use crate::diagnostic::{Diagnostic, Span};
use crate::modules::common::{Ctx, Entry};

/// One instance family's constraints.
struct Family {
    name: &'static str,
    /// Lowest (OpenSearch, Elasticsearch) version; (0, 0) means no constraint.
    min: (Version, Version),
    /// Instances with local storage only: `EBSOptions.EBSEnabled` must not be true.
    no_ebs: bool,
    /// `EBSOptions.EBSEnabled` must be true when EBSOptions is given.
    needs_ebs: bool,
    /// No encryption at rest and no fine-grained access control.
    old: bool,
}

const fn family(
    name: &'static str,
    min: (Version, Version),
    no_ebs: bool,
    needs_ebs: bool,
    old: bool,
) -> Family {
    Family {
        name,
        min,
        no_ebs,
        needs_ebs,
        old,
    }
}

const FAMILIES: &[Family] = &[
    family("c4", ((0, 0), (0, 0)), false, false, false),
    family("c5", ((1, 0), (5, 1)), false, false, false),
    family("c6g", ((1, 0), (7, 9)), false, true, false),
    family("i2", ((0, 0), (0, 0)), true, false, false),
    family("i3", ((1, 0), (5, 1)), true, false, false),
    family("m3", ((1, 0), (6, 5)), false, false, true),
    family("m4", ((0, 0), (0, 0)), false, false, false),
    family("m5", ((1, 0), (5, 1)), false, false, false),
    family("m6g", ((1, 0), (7, 9)), false, true, false),
    family("r3", ((1, 0), (6, 5)), false, false, true),
    family("r4", ((0, 0), (0, 0)), false, false, false),
    family("r5", ((1, 0), (5, 1)), false, false, false),
    family("r6g", ((1, 0), (7, 9)), false, true, false),
    family("r6gd", ((1, 0), (7, 9)), true, false, false),
    family("t2", ((1, 0), (6, 5)), false, false, true),
    family("t3", ((1, 0), (6, 5)), false, false, true),
];

/// Families that keep data on local disks: no EBS volume is added by default.
pub const LOCAL_STORAGE: &[&str] = &["i2", "i3", "i4g", "i4i", "im4gn", "r6gd"];

/// The family of an instance type (`r6gd.large.search` -> `r6gd`).
pub fn family_of(instance_type: &str) -> &str {
    instance_type.split('.').next().unwrap_or_default()
}

fn is_graviton(family: &str) -> bool {
    let bytes = family.as_bytes();
    bytes.len() >= 3
        && bytes[1].is_ascii_digit()
        && (family.ends_with('g') || family.ends_with("gd"))
}

/// A version as (major, minor): `2.11` is after `2.9`.
pub type Version = (u32, u32);

/// `(engine, version)` of `OpenSearch_2.11` / `Elasticsearch_7.10`.
pub fn engine_version(text: &str) -> Option<(&str, Version)> {
    let (engine, version) = text.split_once('_')?;
    if !matches!(engine, "OpenSearch" | "Elasticsearch") {
        return None;
    }
    let (major, minor) = version.split_once('.')?;
    let ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !ok(major) || !ok(minor) {
        return None;
    }
    Some((engine, (major.parse().ok()?, minor.parse().ok()?)))
}

fn shown((major, minor): Version) -> String {
    format!("{major}.{minor}")
}

/// Where `path` is in `entry`'s `Properties` (the deepest node found).
pub fn span_at(entry: &Entry, path: &[&str]) -> Span {
    let mut node = entry.get("Properties");
    let mut span = entry.span;
    for key in path {
        match node.and_then(|n| n.get(key)) {
            Some(next) => {
                span = next.span;
                node = Some(next);
            }
            None => break,
        }
    }
    span
}

/// `props[a][b]` as a boolean (`true`, `"true"`).
pub fn flag(props: &serde_json::Map<String, Value>, a: &str, b: &str) -> Option<bool> {
    match props.get(a)?.get(b)? {
        Value::Bool(v) => Some(*v),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Checks the instance types of `props` against the engine version and storage settings: whether
/// the domain's instance types can encrypt at rest, or None after reporting a combination
/// OpenSearch refuses.
pub fn check(ctx: &mut Ctx, entry: &Entry, props: &serde_json::Map<String, Value>) -> Option<bool> {
    let mut ok = true;
    let mut error = |ctx: &mut Ctx, span: Span, message: String, help: &str| {
        ok = false;
        ctx.diags.push(
            Diagnostic::error(
                INCOMPATIBLE,
                format!("x-opensearch {}: {message}", entry.name),
                span,
            )
            .with_help(help.to_string()),
        );
    };
    let version = match props.get("EngineVersion") {
        Some(Value::String(text)) => match engine_version(text) {
            Some(v) => Some(v),
            None => {
                error(
                    ctx,
                    span_at(entry, &["EngineVersion"]),
                    format!("EngineVersion `{text}` is not an engine version"),
                    "write OpenSearch_<major>.<minor> or Elasticsearch_<major>.<minor>, e.g. OpenSearch_2.19",
                );
                None
            }
        },
        _ => None,
    };
    let mut encrypts = true;
    let mut graviton: Option<(bool, &str)> = None;
    for key in ["InstanceType", "DedicatedMasterType", "WarmType"] {
        let Some(Value::String(instance_type)) =
            props.get("ClusterConfig").and_then(|c| c.get(key))
        else {
            continue;
        };
        let name = family_of(instance_type);
        let span = span_at(entry, &["ClusterConfig", key]);
        if key != "WarmType" {
            let arm = is_graviton(name);
            match graviton {
                Some((other, other_key)) if other != arm => error(
                    ctx,
                    span,
                    format!("{key} {instance_type} and {other_key} are not of the same architecture (Graviton and x86)"),
                    "use Graviton (…g) instance types for every node, or none",
                ),
                Some(_) => {}
                None => graviton = Some((arm, key)),
            }
        }
        let Some(rules) = FAMILIES.iter().find(|f| f.name == name) else {
            continue;
        };
        if let Some((engine, v)) = version {
            let min = if engine == "OpenSearch" {
                rules.min.0
            } else {
                rules.min.1
            };
            if v < min {
                let wanted = shown(min);
                error(
                    ctx,
                    span_at(entry, &["EngineVersion"]),
                    format!("EngineVersion {engine}_{} is not supported by {instance_type}: {name} needs {engine}_{wanted} or later", shown(v)),
                    "choose a newer EngineVersion or another instance type",
                );
            }
        }
        let ebs = flag(props, "EBSOptions", "EBSEnabled");
        if rules.no_ebs && ebs == Some(true) && key == "InstanceType" {
            error(
                ctx,
                span_at(entry, &["EBSOptions", "EBSEnabled"]),
                format!("EBSOptions.EBSEnabled is true, but {instance_type} keeps data on its own disks and takes no EBS volume"),
                "remove EBSOptions (or choose an instance type without local storage)",
            );
        }
        if rules.needs_ebs && ebs == Some(false) && key == "InstanceType" {
            error(
                ctx,
                span_at(entry, &["EBSOptions", "EBSEnabled"]),
                format!("{instance_type} needs EBS storage, but EBSOptions.EBSEnabled is false"),
                "set EBSEnabled: true with a VolumeSize",
            );
        }
        if rules.old && key != "WarmType" {
            encrypts = false;
            for (option, what) in [
                ("EncryptionAtRestOptions", "encryption at rest"),
                ("AdvancedSecurityOptions", "fine-grained access control"),
            ] {
                if flag(props, option, "Enabled") == Some(true) {
                    error(
                        ctx,
                        span_at(entry, &[option, "Enabled"]),
                        format!("{instance_type} does not support {what} ({option}.Enabled)"),
                        "choose a current instance type (m6g, r6g, c6g, ...)",
                    );
                }
            }
        }
    }
    if !encrypts && ok {
        let span = span_at(entry, &["ClusterConfig", "InstanceType"]);
        ctx.diags.push(
            Diagnostic::warning(
                NO_ENCRYPTION,
                format!("x-opensearch {}: this instance type cannot encrypt data at rest, so the domain is left unencrypted", entry.name),
                span,
            )
            .with_help("choose a current instance type (m6g, r6g, c6g, ...) to get encryption at rest by default"),
        );
    }
    ok.then_some(encrypts)
}

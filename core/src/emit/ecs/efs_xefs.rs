//! A named volume's `x-efs` (ECS ComposeX's syntax): `Properties` of the file system (they win
//! over `driver_opts` and composex's defaults), `MacroParameters.EnforceIamAuth` (a file system
//! policy refusing anonymous and unencrypted NFS clients), `MacroParameters.RootDirectoryCreateMode`
//! (the access point's root directory permissions), `Settings.Subnets` (where the mount targets
//! go) and `Lookup` (an existing file system, given as a parameter: no AWS call is made).

use serde_json::{Map, Value};

use crate::compose::model::Volume;
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::{APP_SUBNETS, STORAGE_SUBNETS};
use crate::suggest::with_suggestion;
use crate::yaml::{to_json, Node};

/// An `x-efs` setting that is malformed, unknown, or ignored (the message says which).
pub const XEFS: &str = "CX622";

/// Writable properties of `AWS::EFS::FileSystem`.
const PROPERTIES: &[&str] = &[
    "AvailabilityZoneName",
    "BackupPolicy",
    "BypassPolicyLockoutSafetyCheck",
    "Encrypted",
    "FileSystemPolicy",
    "FileSystemProtection",
    "FileSystemTags",
    "KmsKeyId",
    "LifecyclePolicies",
    "PerformanceMode",
    "ProvisionedThroughputInMibps",
    "ReplicationConfiguration",
    "ThroughputMode",
];
const KEYS: &[&str] = &["Properties", "MacroParameters", "Settings", "Lookup"];
const MACRO_PARAMETERS: &[&str] = &["EnforceIamAuth", "RootDirectoryCreateMode"];

/// What a volume's `x-efs` asks for.
#[derive(Debug, Default)]
pub struct XEfs {
    /// `AWS::EFS::FileSystem` properties written by the user.
    pub properties: Map<String, Value>,
    /// `EnforceIamAuth: true`.
    pub enforce_iam: bool,
    /// `RootDirectoryCreateMode` (octal) and where it is written.
    pub root_mode: Option<(String, Span)>,
    /// The subnet list the mount targets go in.
    pub subnets: &'static str,
    /// `Lookup`: an existing file system, with its id when `Arn`/`Identifier` give it.
    pub lookup: Option<Option<String>>,
}

/// Reads `volume`'s `x-efs` (defaults when there is none); None after an error.
pub fn read(volume: &Volume, diags: &mut Vec<Diagnostic>) -> Option<XEfs> {
    let mut out = XEfs {
        subnets: APP_SUBNETS,
        ..XEfs::default()
    };
    let Some(node) = volume.extensions.get("x-efs") else {
        return Some(out);
    };
    let name = &volume.name;
    let before = diags.iter().filter(|d| d.is_error()).count();
    let error = |diags: &mut Vec<Diagnostic>, span: Span, message: String, help: &str| {
        diags.push(
            Diagnostic::error(XEFS, format!("volumes.{name}.x-efs: {message}"), span)
                .with_help(help.to_string()),
        );
    };
    if node.is_null() {
        return Some(out);
    }
    let Some(map) = node.as_map() else {
        error(
            diags,
            node.span,
            format!("must be a mapping, not {}", node.kind_name()),
            "x-efs: {Properties: {}, MacroParameters: {EnforceIamAuth: true}}",
        );
        return None;
    };
    for (key, span, value) in &map.entries {
        match key.as_str() {
            "Properties" => properties(volume, value, &mut out, diags),
            "MacroParameters" => macro_parameters(volume, value, &mut out, diags),
            "Settings" => match value.get("Subnets").map(|s| (s, s.as_str())) {
                None if value.as_map().is_some_and(|m| m.entries.is_empty()) || value.is_null() => {
                }
                Some((_, Some(STORAGE_SUBNETS))) => out.subnets = STORAGE_SUBNETS,
                Some((_, Some(APP_SUBNETS))) => out.subnets = APP_SUBNETS,
                Some((s, _)) => error(
                    diags,
                    s.span,
                    "Settings.Subnets is AppSubnets (default) or StorageSubnets".into(),
                    "mount targets are never placed in the public subnets",
                ),
                None => error(
                    diags,
                    value.span,
                    "Settings has only Subnets".into(),
                    "Settings: {Subnets: StorageSubnets}",
                ),
            },
            "Lookup" => {
                let id = value
                    .get("Identifier")
                    .and_then(Node::as_str)
                    .or_else(|| {
                        value
                            .get("Arn")
                            .and_then(Node::as_str)
                            .and_then(|a| a.rsplit('/').next())
                    })
                    .map(str::to_string);
                match &id {
                    Some(id) if !id.starts_with("fs-") => error(diags, value.span, format!("`{id}` is not a file system id (fs-...)"), "Lookup: {Identifier: fs-0123456789abcdef0} or {Arn: arn:aws:elasticfilesystem:<region>:<account>:file-system/fs-...}"),
                    _ => out.lookup = Some(id),
                }
            }
            other => {
                let d = Diagnostic::error(
                    XEFS,
                    format!("volumes.{name}.x-efs: unknown key `{other}`"),
                    *span,
                );
                diags.push(with_suggestion(d, other, KEYS, Some("its keys")));
            }
        }
    }
    if out.lookup.is_some() {
        if let Some((key, span, _)) = map.entries.iter().find(|(k, _, _)| k == "Properties") {
            let _ = key;
            diags.push(
                Diagnostic::warning(XEFS, format!("volumes.{name}.x-efs: Properties are ignored: Lookup names an existing file system"), *span)
                    .with_help("composex does not change a file system it did not create"),
            );
            out.properties.clear();
        }
        if out.enforce_iam {
            if let Some(span) = map
                .get("MacroParameters")
                .and_then(|m| m.as_map())
                .and_then(|m| m.entries.iter().find(|(k, _, _)| k == "EnforceIamAuth"))
                .map(|(_, s, _)| *s)
            {
                diags.push(
                    Diagnostic::warning(XEFS, format!("volumes.{name}.x-efs: EnforceIamAuth does not change an existing file system's policy"), span)
                        .with_help("the tasks still mount with IAM authorization and TLS; set the policy on the file system itself"),
                );
            }
            out.enforce_iam = false;
        }
    }
    let after = diags.iter().filter(|d| d.is_error()).count();
    (after == before).then_some(out)
}

fn properties(volume: &Volume, node: &Node, out: &mut XEfs, diags: &mut Vec<Diagnostic>) {
    if node.is_null() {
        return;
    }
    let Some(map) = node.as_map() else {
        diags.push(Diagnostic::error(
            XEFS,
            format!("volumes.{}.x-efs.Properties must be a mapping", volume.name),
            node.span,
        ));
        return;
    };
    for (key, span, value) in &map.entries {
        if PROPERTIES.contains(&key.as_str()) {
            out.properties.insert(key.clone(), to_json(value));
        } else {
            let d = Diagnostic::error(
                XEFS,
                format!(
                    "volumes.{}.x-efs: AWS::EFS::FileSystem has no property `{key}`",
                    volume.name
                ),
                *span,
            );
            diags.push(with_suggestion(d, key, PROPERTIES, Some("its properties")));
        }
    }
}

fn macro_parameters(volume: &Volume, node: &Node, out: &mut XEfs, diags: &mut Vec<Diagnostic>) {
    let Some(map) = node.as_map() else {
        if !node.is_null() {
            diags.push(Diagnostic::error(
                XEFS,
                format!(
                    "volumes.{}.x-efs.MacroParameters must be a mapping",
                    volume.name
                ),
                node.span,
            ));
        }
        return;
    };
    for (key, span, value) in &map.entries {
        match key.as_str() {
            "EnforceIamAuth" => match value.boolean() {
                Some(b) => out.enforce_iam = b,
                None => diags.push(Diagnostic::error(
                    XEFS,
                    format!(
                        "volumes.{}.x-efs: EnforceIamAuth is true or false",
                        volume.name
                    ),
                    value.span,
                )),
            },
            "RootDirectoryCreateMode" => match value.as_str() {
                Some(mode) if mode.len() == 4 && mode.chars().all(|c| ('0'..='7').contains(&c)) => {
                    out.root_mode = Some((mode.to_string(), value.span));
                }
                _ => diags.push(
                    Diagnostic::error(
                        XEFS,
                        format!(
                            "volumes.{}.x-efs: RootDirectoryCreateMode is four octal digits",
                            volume.name
                        ),
                        value.span,
                    )
                    .with_help("quote it: RootDirectoryCreateMode: \"0775\""),
                ),
            },
            other => {
                let d = Diagnostic::error(
                    XEFS,
                    format!(
                        "volumes.{}.x-efs: MacroParameters has no `{other}`",
                        volume.name
                    ),
                    *span,
                );
                diags.push(with_suggestion(
                    d,
                    other,
                    MACRO_PARAMETERS,
                    Some("its keys"),
                ));
            }
        }
    }
}

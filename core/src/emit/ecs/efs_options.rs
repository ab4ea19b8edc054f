//! A named volume's `driver_opts` read the way Docker's ECS integration read them for EFS:
//! file system settings (`performance_mode`, `throughput_mode`, `provisioned_throughput`,
//! `lifecycle_policy`, `backup_policy`, `kms_key_id`) and access point settings (`uid`, `gid`,
//! `permissions`, `root_directory`). Options of Docker's `local` driver (`type`, `o`,
//! `device`) have no meaning on ECS: they are warned about at their key.

use serde_json::{json, Map, Value};

use crate::compose::model::Volume;
use crate::diagnostic::{Diagnostic, Span};

/// A `driver_opts` value EFS does not accept (e.g. `performance_mode: fast`).
pub const BAD_OPTION: &str = "CX242";
/// A `driver_opts` key or `driver` that has no meaning for an EFS file system (ignored).
pub const IGNORED_OPTION: &str = "CX243";

const PERFORMANCE_MODES: &[&str] = &["generalPurpose", "maxIO"];
const THROUGHPUT_MODES: &[&str] = &["bursting", "provisioned", "elastic"];
const LIFECYCLE: &[&str] = &[
    "AFTER_1_DAY",
    "AFTER_7_DAYS",
    "AFTER_14_DAYS",
    "AFTER_30_DAYS",
    "AFTER_60_DAYS",
    "AFTER_90_DAYS",
    "AFTER_180_DAYS",
    "AFTER_270_DAYS",
    "AFTER_365_DAYS",
];
const BACKUP: &[&str] = &["ENABLED", "DISABLED"];
/// Options of the file system itself.
const FILE_SYSTEM_OPTIONS: &[&str] = &[
    "performance_mode",
    "throughput_mode",
    "provisioned_throughput",
    "lifecycle_policy",
    "backup_policy",
    "kms_key_id",
];
/// Options of the access point.
const ACCESS_POINT_OPTIONS: &[&str] = &["uid", "gid", "permissions", "root_directory"];

fn known() -> impl Iterator<Item = &'static str> {
    FILE_SYSTEM_OPTIONS
        .iter()
        .chain(ACCESS_POINT_OPTIONS)
        .copied()
}
/// Drivers that mean "a volume of the platform": on ECS that is EFS.
const EFS_DRIVERS: &[&str] = &["local", "efs", "amazon-ecs-volume-plugin"];

/// What the options ask of the file system and its access point.
#[derive(Debug, Default, PartialEq)]
pub struct EfsOptions {
    /// `AWS::EFS::FileSystem` properties beyond the defaults (`Encrypted` is always true).
    pub file_system: Map<String, Value>,
    /// `AWS::EFS::AccessPoint` properties (`PosixUser`, `RootDirectory`).
    pub access_point: Map<String, Value>,
}

/// Reads `volume`'s driver and options; errors and warnings go to `diags`.
pub fn read(volume: &Volume, diags: &mut Vec<Diagnostic>) -> EfsOptions {
    let mut out = EfsOptions::default();
    if let Some(driver) = volume.driver.as_deref() {
        if !EFS_DRIVERS.contains(&driver) {
            let span = volume.driver_span.unwrap_or(volume.span);
            diags.push(
                Diagnostic::warning(
                    IGNORED_OPTION,
                    format!("volumes.{}: driver {driver} does not exist on ECS; the volume becomes an EFS file system", volume.name),
                    span,
                )
                .with_help("remove `driver:` (or write `driver: local`) to say so"),
            );
        }
    }
    let span_of = |key: &str| {
        volume
            .driver_opts_spans
            .get(key)
            .copied()
            .unwrap_or((volume.span, volume.span))
    };
    let bad = |key: &str, allowed: &str, diags: &mut Vec<Diagnostic>| {
        let value = volume.driver_opts.get(key).map_or("", String::as_str);
        diags.push(
            Diagnostic::error(
                BAD_OPTION,
                format!(
                    "volumes.{}.driver_opts.{key}: `{value}` is not a value EFS accepts",
                    volume.name
                ),
                span_of(key).1,
            )
            .with_help(format!("use {allowed}")),
        );
    };
    for (key, value) in &volume.driver_opts {
        let value = value.trim();
        let one_of = |allowed: &[&str]| allowed.contains(&value);
        let list = |allowed: &[&str]| format!("one of {}", allowed.join(", "));
        match key.as_str() {
            "performance_mode" if one_of(PERFORMANCE_MODES) => {
                out.file_system
                    .insert("PerformanceMode".into(), json!(value));
            }
            "performance_mode" => bad(key, &list(PERFORMANCE_MODES), diags),
            "throughput_mode" if one_of(THROUGHPUT_MODES) => {
                out.file_system
                    .insert("ThroughputMode".into(), json!(value));
            }
            "throughput_mode" => bad(key, &list(THROUGHPUT_MODES), diags),
            "provisioned_throughput" => match value.parse::<f64>() {
                Ok(mibps) if mibps >= 1.0 => {
                    out.file_system
                        .insert("ProvisionedThroughputInMibps".into(), json!(mibps));
                }
                _ => bad(key, "a number of MiB/s, at least 1", diags),
            },
            "lifecycle_policy" if one_of(LIFECYCLE) => {
                out.file_system.insert(
                    "LifecyclePolicies".into(),
                    json!([{ "TransitionToIA": value }]),
                );
            }
            "lifecycle_policy" => bad(key, &list(LIFECYCLE), diags),
            "backup_policy" if one_of(BACKUP) => {
                out.file_system
                    .insert("BackupPolicy".into(), json!({ "Status": value }));
            }
            "backup_policy" => bad(key, &list(BACKUP), diags),
            "kms_key_id" if !value.is_empty() => {
                out.file_system.insert("KmsKeyId".into(), json!(value));
            }
            "kms_key_id" => bad(key, "a KMS key id or ARN", diags),
            "uid" | "gid" if value.parse::<u32>().is_err() => {
                bad(key, "a numeric id (e.g. 999)", diags)
            }
            "permissions"
                if !(3..=4).contains(&value.len())
                    || !value.chars().all(|c| ('0'..='7').contains(&c)) =>
            {
                bad(key, "octal permissions such as 0755", diags)
            }
            "root_directory" if !value.starts_with('/') || value.len() > 100 => {
                bad(key, "an absolute path such as /data", diags)
            }
            "uid" | "gid" | "permissions" | "root_directory" => {}
            other => {
                let (key_span, _) = span_of(other);
                let mut d = Diagnostic::warning(
                    IGNORED_OPTION,
                    format!(
                        "volumes.{}.driver_opts.{other} has no meaning for an EFS file system and is ignored",
                        volume.name
                    ),
                    key_span,
                );
                d = match crate::suggest::did_you_mean(other, known()) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => {
                        let all: Vec<&str> = known().collect();
                        d.with_help(format!("EFS options: {}", all.join(", ")))
                    }
                };
                diags.push(d);
            }
        }
    }
    if volume.external && !out.file_system.is_empty() {
        // An existing file system keeps its settings: only the access point options apply.
        for key in FILE_SYSTEM_OPTIONS
            .iter()
            .filter(|k| volume.driver_opts.contains_key(**k))
        {
            diags.push(
                Diagnostic::warning(
                    IGNORED_OPTION,
                    format!("volumes.{}.driver_opts.{key} is ignored: the volume is external, an existing file system", volume.name),
                    span_of(key).0,
                )
                .with_help("uid, gid, root_directory and permissions still apply (to the access point)"),
            );
        }
        out.file_system.clear();
    }
    let provisioned = out.file_system.get("ThroughputMode") == Some(&json!("provisioned"));
    let throughput = out.file_system.contains_key("ProvisionedThroughputInMibps");
    if provisioned && !throughput {
        diags.push(
            Diagnostic::error(
                BAD_OPTION,
                format!(
                    "volumes.{}: throughput_mode provisioned needs provisioned_throughput",
                    volume.name
                ),
                span_of("throughput_mode").1,
            )
            .with_help("add `provisioned_throughput: <MiB/s>` to driver_opts"),
        );
    } else if throughput && !provisioned {
        diags.push(
            Diagnostic::error(
                BAD_OPTION,
                format!(
                    "volumes.{}: provisioned_throughput applies only with throughput_mode provisioned",
                    volume.name
                ),
                span_of("provisioned_throughput").0,
            )
            .with_help("add `throughput_mode: provisioned` to driver_opts"),
        );
    }
    access_point(volume, span_of, &mut out.access_point, diags);
    out
}

/// `PosixUser` from uid/gid, `RootDirectory` (created owned by uid/gid) from root_directory.
fn access_point(
    volume: &Volume,
    span_of: impl Fn(&str) -> (Span, Span),
    props: &mut Map<String, Value>,
    diags: &mut Vec<Diagnostic>,
) {
    let opt = |k: &str| volume.driver_opts.get(k).map(|v| v.trim().to_string());
    let (uid, gid) = (opt("uid"), opt("gid"));
    match (&uid, &gid) {
        (Some(uid), Some(gid)) => {
            props.insert("PosixUser".into(), json!({ "Uid": uid, "Gid": gid }));
        }
        (Some(_), None) | (None, Some(_)) => {
            let given = if uid.is_some() { "uid" } else { "gid" };
            diags.push(
                Diagnostic::error(
                    BAD_OPTION,
                    format!(
                        "volumes.{}.driver_opts: {given} needs its partner (uid and gid go together)",
                        volume.name
                    ),
                    span_of(given).0,
                )
                .with_help("give both, e.g. `uid: \"999\"` and `gid: \"999\"`"),
            );
        }
        (None, None) => {}
    }
    if let Some(path) = opt("root_directory") {
        let mut root = Map::new();
        root.insert("Path".into(), json!(path));
        if let (Some(uid), Some(gid)) = (&uid, &gid) {
            let permissions = opt("permissions").unwrap_or_else(|| "0755".into());
            root.insert(
                "CreationInfo".into(),
                json!({ "OwnerUid": uid, "OwnerGid": gid, "Permissions": permissions }),
            );
        } else {
            // Without an owner EFS cannot create the directory: the mount fails if it is missing.
            diags.push(
                Diagnostic::warning(
                    IGNORED_OPTION,
                    format!(
                        "volumes.{}.driver_opts.root_directory without uid/gid: EFS does not create it, so it must exist already",
                        volume.name
                    ),
                    span_of("root_directory").0,
                )
                .with_help("add `uid` and `gid` (the user the image runs as): EFS then creates the directory owned by them"),
            );
        }
        props.insert("RootDirectory".into(), Value::Object(root));
    } else if opt("permissions").is_some() {
        diags.push(
            Diagnostic::warning(
                IGNORED_OPTION,
                format!(
                    "volumes.{}.driver_opts.permissions applies to root_directory, which is not set; ignored",
                    volume.name
                ),
                span_of("permissions").0,
            )
            .with_help("add `root_directory: /data` (created with these permissions, owned by uid/gid)"),
        );
    }
}

//! Named volumes persist: each top-level volume a service mounts becomes an EFS file system
//! (encrypted, kept when the stack is deleted) with a mount target in every app subnet, a
//! security group for the mount targets and an access point, all in the `efs` stack. An
//! `external: true` volume is an existing file system, given as a root parameter; only its
//! access point is created.
//!
//! Each family mounting a volume gets, in its own stack: the task definition volume's
//! `EFSVolumeConfiguration` (TLS in transit, IAM authorization through the access point), a task
//! role policy allowing `elasticfilesystem:ClientMount` (and `ClientWrite` unless every mount
//! is read-only) on that file system through that access point only, and an ingress rule
//! letting its tasks' security group reach the mount targets on NFS (2049).
//!
//! [`plan`] runs before the family stacks are written (the file systems), [`wire`] as each
//! family is written (it extends its `TaskDefinition`, `TaskRole` and `Service`). Anonymous
//! volumes and tmpfs stay task storage.

use indexmap::IndexMap;
use serde_json::{json, Value};

use super::efs_options::{self, EfsOptions};
use super::efs_xefs::{self, XEfs};
use super::family::Plan;
use super::{SECURITY_GROUP, SERVICE, TASK_DEFINITION, TASK_ROLE};
use crate::cfn::{get_att, logical_id, ref_, select, sub_with, Parameter, Resource};
use crate::compose::model::{Service, ServiceVolume, Volume, VolumeKind};
use crate::compose::Project;
use crate::diagnostic::Diagnostic;
use crate::stack::{Stack, Stacks, VPC_ID};

/// The app subnets are parameters of unknown count: mount targets cover the first two.
pub const SUBNETS_UNKNOWN: &str = "CX244";
/// A database image keeps its data on EFS: a managed database would serve it better.
pub const DATABASE_ON_EFS: &str = "CX245";
/// An external file system: its mount targets' security groups are not ours to open.
pub const EXTERNAL_NETWORK: &str = "CX246";

/// Name of the stack holding the file systems.
pub const EFS_STACK: &str = "efs";
/// NFS, the port EFS mount targets listen on.
const NFS_PORT: u16 = 2049;

/// A service's mount of a top-level volume.
struct Mount<'a> {
    /// The family's stack name.
    family: String,
    service: &'a Service,
    volume: &'a ServiceVolume,
}

/// The named volumes each family mounts, planned before the families are written.
#[derive(Debug, Default)]
pub struct Wiring {
    /// Family (stack name) -> its volumes, in volume order.
    families: IndexMap<String, Vec<FamilyVolume>>,
}

/// One volume a family mounts.
#[derive(Debug)]
struct FamilyVolume {
    /// The volume's logical id (its exports' prefix).
    id: String,
    /// Every mount of it in the family is read-only.
    read_only: bool,
    /// An existing file system (no mount target security group of ours).
    external: bool,
    /// The volume's definition (the source map).
    span: crate::diagnostic::Span,
}

/// Emits the file systems of the named volumes `project`'s services mount; returns how each
/// family is to be wired to them ([`wire`]).
pub fn plan<'a>(
    project: &'a Project,
    plans: &[Plan<'a>],
    stacks: &mut Stacks,
    diags: &mut Vec<Diagnostic>,
) -> Wiring {
    let mut wiring = Wiring::default();
    let mounts = mounts(project, plans);
    if mounts.is_empty() {
        return wiring;
    }
    let stack_name = stacks.free_name(EFS_STACK);
    for (name, mounts) in &mounts {
        let Some(volume) = project.volumes.get(*name) else {
            continue;
        };
        let options = efs_options::read(volume, diags);
        let Some(xefs) = efs_xefs::read(volume, diags) else {
            continue;
        };
        let id = logical_id(name);
        let existing = volume.external || xefs.lookup.is_some();
        ignored_settings(volume, &options, &xefs, diags);
        let (fs, targets) = if existing {
            let given = xefs.lookup.clone().flatten().or_else(|| {
                volume
                    .external_name
                    .clone()
                    .filter(|n| n.starts_with("fs-"))
            });
            let fs = external_file_system(volume, &id, given, &stack_name, stacks, diags);
            (fs, Vec::new())
        } else {
            file_system(volume, &id, &options, &xefs, &stack_name, stacks, diags)
        };
        access_point(
            volume,
            &id,
            &options,
            xefs.root_mode.as_ref().map(|(m, _)| m.as_str()),
            fs,
            &targets,
            stacks.stack(&stack_name),
        );
        for (family, family_mounts) in by_family(mounts) {
            wiring
                .families
                .entry(family)
                .or_default()
                .push(FamilyVolume {
                    id: id.clone(),
                    read_only: family_mounts.iter().all(|m| m.volume.read_only),
                    external: existing,
                    span: volume.span,
                });
        }
        for mount in mounts {
            database_hint(mount, volume, diags);
        }
        // The source map: the file system comes from the volume's definition.
        stacks.note_origin(volume.span);
    }
    wiring
}

/// Wires family `family`'s stack to the file systems of the volumes it mounts ([`plan`]); each
/// volume's additions are mapped to its definition.
pub fn wire(wiring: &Wiring, family: &str, stacks: &mut Stacks) {
    for volume in wiring.families.get(family).into_iter().flatten() {
        wire_family(family, volume, stacks);
        stacks.note_origin(volume.span);
    }
}

/// Top-level volumes mounted by a service of an emitted family, in first-use order.
fn mounts<'a>(project: &'a Project, plans: &[Plan<'a>]) -> IndexMap<&'a str, Vec<Mount<'a>>> {
    let mut found: IndexMap<&str, Vec<Mount>> = IndexMap::new();
    for plan in plans {
        for service in plan.containers.iter().map(|c| c.service) {
            for volume in &service.volumes {
                let named = match (&volume.kind, &volume.source) {
                    (VolumeKind::Volume, Some(source)) => project.volumes.get_key_value(source),
                    _ => None,
                };
                if let Some((name, _)) = named {
                    found.entry(name.as_str()).or_default().push(Mount {
                        family: plan.name.clone(),
                        service,
                        volume,
                    });
                }
            }
        }
    }
    found
}

fn by_family<'m, 'a>(mounts: &'m [Mount<'a>]) -> IndexMap<String, Vec<&'m Mount<'a>>> {
    let mut families: IndexMap<String, Vec<&Mount>> = IndexMap::new();
    for mount in mounts {
        families
            .entry(mount.family.clone())
            .or_default()
            .push(mount);
    }
    families
}

/// Export names of volume `id`'s values.
fn export(id: &str, what: &str) -> String {
    format!("{id}{what}")
}

/// A new file system, its mount targets and their security group; returns `Ref` to the file
/// system and the mount targets' ids.
fn file_system(
    volume: &Volume,
    id: &str,
    options: &EfsOptions,
    xefs: &XEfs,
    stack_name: &str,
    stacks: &mut Stacks,
    diags: &mut Vec<Diagnostic>,
) -> (Value, Vec<String>) {
    let subnets = subnet_count(stacks, xefs.subnets);
    if subnets.is_none() {
        diags.push(
            Diagnostic::warning(
                SUBNETS_UNKNOWN,
                format!("volumes.{}: the number of {} is not known, so EFS mount targets are made in the first two", volume.name, xefs.subnets),
                volume.span,
            )
            .with_help(format!("give x-vpc's {} as subnet ids: one mount target is then made per subnet (tasks in an AZ without one cannot mount the volume)", xefs.subnets)),
        );
    }
    let project_name = stacks.root_name().to_string();
    let stack = stacks.stack(stack_name);
    let mut props = options.file_system.clone();
    props.insert("Encrypted".into(), json!(true));
    // `name:` names the volume as Docker would; its labels become tags.
    let shown = volume
        .external_name
        .clone()
        .unwrap_or_else(|| format!("{project_name}-{}", volume.name));
    let mut tags = vec![
        json!({ "Key": "Name", "Value": shown }),
        json!({ "Key": "com.docker.compose.volume", "Value": volume.name }),
    ];
    for (key, value) in &volume.labels {
        tags.push(json!({ "Key": key, "Value": value }));
    }
    // x-efs Properties win over driver_opts and the defaults; their tags come first.
    for (key, value) in &xefs.properties {
        match (key.as_str(), value) {
            ("FileSystemTags", Value::Array(theirs)) => {
                let mut all = theirs.clone();
                all.append(&mut tags);
                tags = all;
            }
            _ => {
                props.insert(key.clone(), value.clone());
            }
        }
    }
    props.insert("FileSystemTags".into(), Value::Array(tags));
    if xefs.enforce_iam && !props.contains_key("FileSystemPolicy") {
        props.insert("FileSystemPolicy".into(), enforce_iam_policy());
    }
    // The data outlives the stack, as a docker volume outlives `docker compose down`.
    let fs = stack.add_resource(
        &format!("{id}FileSystem"),
        Resource::new("AWS::EFS::FileSystem", json!(props)).with_policies("Retain"),
    );
    let vpc = stack.import(VPC_ID);
    let group = stack.add_resource(
        &format!("{id}MountTargetSecurityGroup"),
        Resource::new(
            "AWS::EC2::SecurityGroup",
            json!({
                "GroupDescription": format!("EFS mount targets of volume {} ({project_name})", volume.name),
                "VpcId": vpc,
            }),
        ),
    );
    let app_subnets = stack.import(xefs.subnets);
    let mut targets = Vec::new();
    for index in 0..subnets.unwrap_or(2) {
        let target = stack.add_resource(
            &format!("{id}MountTarget{}", index + 1),
            Resource::new(
                "AWS::EFS::MountTarget",
                json!({
                    "FileSystemId": ref_(&fs),
                    "SubnetId": select(index as u32, app_subnets.clone()),
                    "SecurityGroups": [get_att(&group, "GroupId")],
                }),
            ),
        );
        targets.push(target);
    }
    stack.export(
        &export(id, "FileSystemId"),
        ref_(&fs),
        "String",
        &format!("EFS file system of volume {}", volume.name),
    );
    stack.export(
        &export(id, "FileSystemArn"),
        get_att(&fs, "Arn"),
        "String",
        &format!("ARN of the EFS file system of volume {}", volume.name),
    );
    stack.export(
        &export(id, "MountTargetSecurityGroupId"),
        get_att(&group, "GroupId"),
        "AWS::EC2::SecurityGroup::Id",
        &format!("Security group of volume {}'s mount targets", volume.name),
    );
    (ref_(&fs), targets)
}

/// Warnings for settings an existing file system or a missing root directory makes moot.
fn ignored_settings(
    volume: &Volume,
    options: &EfsOptions,
    xefs: &XEfs,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some((_, span)) = &xefs.root_mode {
        let creates = options
            .access_point
            .get("RootDirectory")
            .and_then(|r| r.get("CreationInfo"))
            .is_some();
        if !creates {
            diags.push(
                Diagnostic::warning(
                    efs_xefs::XEFS,
                    format!("volumes.{}.x-efs: RootDirectoryCreateMode is ignored: no root directory is created", volume.name),
                    *span,
                )
                .with_help("add driver_opts root_directory, uid and gid: EFS then creates the directory with this mode"),
            );
        }
    }
    if xefs.lookup.is_some() && !volume.external && !options.file_system.is_empty() {
        diags.push(
            Diagnostic::warning(
                efs_xefs::XEFS,
                format!("volumes.{}: driver_opts for the file system are ignored: x-efs Lookup names an existing one", volume.name),
                volume.span,
            )
            .with_help("uid, gid, root_directory and permissions still apply (to the access point)"),
        );
    }
}

/// `EnforceIamAuth`: a file system policy under which only IAM-authorized clients over TLS may
/// mount (with a policy in place EFS treats clients without IAM as anonymous, and none is
/// allowed), and no client has root access.
fn enforce_iam_policy() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyWithoutTls",
                "Effect": "Deny",
                "Principal": { "AWS": "*" },
                "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"],
                "Condition": { "Bool": { "aws:SecureTransport": "false" } },
            },
            {
                "Sid": "DenyRootAccess",
                "Effect": "Deny",
                "Principal": { "AWS": "*" },
                "Action": ["elasticfilesystem:ClientRootAccess"],
            },
        ],
    })
}

/// How many subnets list `list` holds: the new VPC's zone count, or the ids given for an
/// existing VPC; None when an existing VPC's subnets are only known at deploy time.
fn subnet_count(stacks: &Stacks, list: &str) -> Option<usize> {
    let (_, export) = stacks.exporter(list)?;
    if export.parameter.is_none() {
        return Some(crate::emit::network::ZONES.len());
    }
    let root = crate::stack::logical_id_param(list);
    stacks
        .known_values
        .get(&root)
        .map(|ids| ids.split(',').filter(|s| !s.trim().is_empty()).count())
        .filter(|n| *n > 0)
}

/// An existing file system: its id is a parameter (known when `name:` is an `fs-` id);
/// returns `Ref` to it.
fn external_file_system(
    volume: &Volume,
    id: &str,
    given: Option<String>,
    stack_name: &str,
    stacks: &mut Stacks,
    diags: &mut Vec<Diagnostic>,
) -> Value {
    let parameter = format!("{id}FileSystemId");
    let declaration = Parameter::string().with_description(format!(
        "Id of the existing EFS file system of volume {} (fs-...)",
        volume.name
    ));
    let stack = stacks.stack(stack_name);
    let fs = stack.add_parameter(&parameter, declaration);
    let mut vars = serde_json::Map::new();
    vars.insert("FileSystemId".into(), fs.clone());
    let arn = sub_with(
        "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/${FileSystemId}",
        vars,
    );
    stack.export(
        &export(id, "FileSystemId"),
        fs.clone(),
        "String",
        &format!("EFS file system of volume {}", volume.name),
    );
    stack.export(
        &export(id, "FileSystemArn"),
        arn,
        "String",
        &format!("ARN of the EFS file system of volume {}", volume.name),
    );
    match given {
        Some(fs_id) => {
            stacks.known_values.insert(parameter.clone(), fs_id);
        }
        None => {
            let warning = Diagnostic::warning(
                crate::emit::network::VALUE_NEEDED,
                format!("volumes.{}: an external volume is an existing EFS file system; parameter {parameter} must be filled at deploy time", volume.name),
                volume.span,
            )
            .with_help(format!("write its id as the volume's name (`name: fs-0123456789abcdef0`), or pass `--param {parameter}=fs-...`"));
            stacks.unfilled_warnings.insert(parameter, warning);
        }
    }
    diags.push(
        Diagnostic::info(
            EXTERNAL_NETWORK,
            format!("volumes.{}: the existing file system's mount targets must let the tasks in on port {NFS_PORT}", volume.name),
            volume.span,
        )
        .with_help("composex does not change security groups it did not create: allow NFS from the services' security groups on the mount targets"),
    );
    fs
}

/// The access point the tasks mount through (after the mount targets, so a task never starts
/// before its file system can be reached).
fn access_point(
    volume: &Volume,
    id: &str,
    options: &EfsOptions,
    root_mode: Option<&str>,
    fs: Value,
    mount_targets: &[String],
    stack: &mut Stack,
) {
    let mut props = options.access_point.clone();
    if let (Some(mode), Some(Value::Object(root))) = (root_mode, props.get_mut("RootDirectory")) {
        if let Some(Value::Object(creation)) = root.get_mut("CreationInfo") {
            creation.insert("Permissions".into(), json!(mode));
        }
    }
    props.insert("FileSystemId".into(), fs);
    props.insert(
        "AccessPointTags".into(),
        json!([{ "Key": "com.docker.compose.volume", "Value": volume.name }]),
    );
    let mut resource = Resource::new("AWS::EFS::AccessPoint", json!(props));
    for target in mount_targets {
        resource = resource.depends_on(target);
    }
    let ap = stack.add_resource(&format!("{id}AccessPoint"), resource);
    stack.export(
        &export(id, "AccessPointId"),
        ref_(&ap),
        "String",
        &format!("EFS access point of volume {}", volume.name),
    );
    stack.export(
        &export(id, "AccessPointArn"),
        get_att(&ap, "Arn"),
        "String",
        &format!("ARN of the EFS access point of volume {}", volume.name),
    );
}

/// The family's task definition volume, task role policy and NFS ingress for volume `id`.
fn wire_family(family: &str, volume: &FamilyVolume, stacks: &mut Stacks) {
    let FamilyVolume {
        id,
        read_only,
        external,
        ..
    } = volume;
    let stack = stacks.stack(family);
    let fs = stack.import(&export(id, "FileSystemId"));
    let ap = stack.import(&export(id, "AccessPointId"));
    if let Some(task) = stack.template.resources.get_mut(TASK_DEFINITION) {
        if let Some(Value::Array(volumes)) = task.properties.get_mut("Volumes") {
            for entry in volumes
                .iter_mut()
                .filter(|v| v.get("Name") == Some(&json!(id)))
            {
                entry["EFSVolumeConfiguration"] = json!({
                    "FilesystemId": fs,
                    "TransitEncryption": "ENABLED",
                    "AuthorizationConfig": { "AccessPointId": ap, "IAM": "ENABLED" },
                });
            }
        }
    }
    let mut actions = vec!["elasticfilesystem:ClientMount"];
    if !read_only {
        actions.push("elasticfilesystem:ClientWrite");
    }
    let fs_arn = stack.import(&export(id, "FileSystemArn"));
    let ap_arn = stack.import(&export(id, "AccessPointArn"));
    let policy = json!({
        "PolicyName": format!("Efs{id}"),
        "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "MountThroughAccessPoint",
                "Effect": "Allow",
                "Action": actions,
                "Resource": fs_arn,
                "Condition": { "StringEquals": { "elasticfilesystem:AccessPointArn": ap_arn } },
            }],
        },
    });
    if let Some(role) = stack.template.resources.get_mut(TASK_ROLE) {
        let policies = role
            .properties
            .entry("Policies")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = policies {
            list.push(policy);
        }
    }
    if !external {
        let group = stack.import(&export(id, "MountTargetSecurityGroupId"));
        stack.add_resource(
            &format!("{id}NfsIngress"),
            Resource::new(
                "AWS::EC2::SecurityGroupIngress",
                json!({
                    "GroupId": group,
                    "SourceSecurityGroupId": get_att(SECURITY_GROUP, "GroupId"),
                    "IpProtocol": "tcp",
                    "FromPort": NFS_PORT,
                    "ToPort": NFS_PORT,
                    "Description": format!("NFS from the {family} tasks"),
                }),
            ),
        );
    }
    // Single layout: the service waits for the access point, which waits for the mount targets.
    stack.depends_on_export(SERVICE, &export(id, "AccessPointId"));
}

/// Images whose data a managed service keeps better than a network file system.
const DATABASES: &[(&str, &str)] = &[
    (
        "postgres",
        "x-rds (Aurora PostgreSQL or RDS for PostgreSQL)",
    ),
    (
        "postgresql",
        "x-rds (Aurora PostgreSQL or RDS for PostgreSQL)",
    ),
    ("mongodb", "x-docdb (DocumentDB) or x-rds"),
    ("postgis", "x-rds (RDS for PostgreSQL has PostGIS)"),
    ("mysql", "x-rds (Aurora MySQL or RDS for MySQL)"),
    ("mariadb", "x-rds (RDS for MariaDB)"),
    ("mongo", "x-docdb (DocumentDB) or x-rds"),
    (
        "redis",
        "x-rds for the data that must last, or Amazon ElastiCache for a cache",
    ),
    (
        "valkey",
        "Amazon ElastiCache for a cache, x-rds for the data that must last",
    ),
];

/// Info at the mount of a database image's data on EFS.
fn database_hint(mount: &Mount<'_>, volume: &Volume, diags: &mut Vec<Diagnostic>) {
    let Some(image) = &mount.service.image else {
        return;
    };
    let repository = image.value.rsplit('/').next().unwrap_or_default();
    let base = repository.split([':', '@']).next().unwrap_or_default();
    let Some((_, managed)) = DATABASES.iter().find(|(db, _)| base == *db) else {
        return;
    };
    diags.push(
        Diagnostic::info(
            DATABASE_ON_EFS,
            format!(
                "services.{}: {base} keeps its data on volume {}, an EFS file system: it persists, but a database on a network file system is slow and one task at a time",
                mount.service.name, volume.name
            ),
            mount.volume.span,
        )
        .with_help(if volume.driver_opts.contains_key("uid") {
            format!("for production, a managed database does it better: {managed}")
        } else {
            format!("for production, a managed database does it better: {managed}; on EFS, set the volume's driver_opts uid/gid to the user the image runs as (EFS maps root to nobody)")
        }),
    );
}

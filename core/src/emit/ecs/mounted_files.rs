//! Compose `configs` and file `secrets` as files in the containers, with plain ECS features: the
//! contents live in SSM Parameter Store (configs) or Secrets Manager (secrets); a small init
//! container of the task (`composex-files`, not essential) gets them as ECS `Secrets`, writes
//! each file with its mode and owner into a task volume, and exits; each service mounts its
//! volume read-only at the file's directory and waits for the init container (`COMPLETE`).
//!
//! Where the contents come from:
//! - a config with `file`, `content` or `environment`: an `AWS::SSM::Parameter` of the family
//!   stack named `/<stack name>/configs/<config>` (an empty config needs none);
//! - a config with `external: true`: a stack parameter holding the ARN of an existing SSM
//!   parameter;
//! - a secret with `x-secrets`: that Secrets Manager secret (given as a file only when the
//!   service's entry asks for one with `target`, `uid`, `gid` or `mode`; else an environment
//!   variable, as ComposeX does);
//! - any other secret (`file`, `environment`, `external`): a stack parameter holding the ARN of
//!   a Secrets Manager secret the user creates. A secret's value never enters a template or a
//!   parameter file.

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::container::{sidecar_log_configuration, Container};
use super::secrets::{arn_value, Catalog};
use crate::cfn::{logical_id, ref_, sub, Parameter, Resource};
use crate::compose::model::ServiceSecret;
use crate::compose::Project;
use crate::diagnostic::{Diagnostic, Span};
use crate::stack::Stack;

/// A file target that cannot be mounted (root or system directory, bad owner).
pub const FILE_TARGET: &str = "CX274";
/// A config larger than an SSM parameter holds.
pub const CONFIG_TOO_LARGE: &str = "CX276";
/// A parameter the user fills with the ARN of an existing secret or SSM parameter.
pub const VALUE_TO_GIVE: &str = "CX277";

/// The init container's name.
pub const CONTAINER: &str = "composex-files";
/// The image the init container runs unless its parameter says otherwise (a shell, printf,
/// chmod and chown are all it needs).
pub const DEFAULT_IMAGE: &str = "public.ecr.aws/docker/library/busybox:stable";
/// Where the init container mounts the task volumes.
const MOUNT_ROOT: &str = "/composex-files";
/// SSM Standard parameters hold 4 KB, Advanced ones 8 KB.
const STANDARD_MAX: usize = 4096;
const ADVANCED_MAX: usize = 8192;
/// Directories a volume must not hide (mounting one there would break the container).
const SYSTEM_DIRS: &[&str] = &[
    "/",
    "/bin",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/lib64",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/local",
    "/usr/local/bin",
    "/usr/sbin",
    "/var",
    "/var/lib",
];

/// What a project's configs and secrets offer as file sources.
#[derive(Debug, Default)]
pub struct Sources {
    configs: IndexMap<String, ConfigSource>,
    /// Secrets without `x-secrets`: their key span and how to create the Secrets Manager
    /// secret from them (None: `external`, it exists).
    file_secrets: IndexMap<String, (Span, Option<String>)>,
}

#[derive(Debug, Clone)]
enum ConfigSource {
    /// The contents, known when rendering; the span of their source.
    Content(String, Span),
    /// `external: true`, at the config's key.
    External(Span),
    /// Nothing to read (reported while loading).
    Missing,
}

impl Sources {
    /// True when secret `name` is given to containers only as a file.
    pub fn is_file_secret(&self, name: &str) -> bool {
        self.file_secrets.contains_key(name)
    }
}

/// Reads the configs and the secrets without `x-secrets` of `project`.
pub fn read(project: &Project) -> Sources {
    let mut sources = Sources::default();
    for (name, config) in &project.configs {
        let source = if config.external {
            ConfigSource::External(config.span)
        } else {
            match &config.content {
                Some(text) => ConfigSource::Content(text.clone(), config.source_span),
                None => ConfigSource::Missing,
            }
        };
        sources.configs.insert(name.clone(), source);
    }
    for (name, secret) in &project.secrets {
        if secret.x_secrets().is_none_or(|n| n.is_null()) {
            let value = match (&secret.file, &secret.environment) {
                _ if secret.external => None,
                (Some(file), _) => Some(format!("file://{file}")),
                (None, Some(variable)) => Some(format!("\"${variable}\"")),
                (None, None) => Some("<its value>".to_string()),
            };
            sources
                .file_secrets
                .insert(name.clone(), (secret.span, value));
        }
    }
    sources
}

/// Where one file's contents come from, as the init container reads them.
#[derive(Debug, Clone, PartialEq)]
enum Origin {
    /// An SSM parameter of the family stack (logical id).
    OwnParameter(String),
    /// A stack parameter holding an ARN: of an SSM parameter, or of a Secrets Manager secret.
    ArnParameter { parameter: String, secret: bool },
    /// A secret with `x-secrets` (ARN as ECS reads it, ARN IAM grants).
    Managed { arn: String, iam_arn: String },
    /// An empty file.
    Empty,
}

/// One file to write.
#[derive(Debug, Clone)]
struct File {
    /// The volume it goes into and its path below the volume.
    volume: String,
    relative: String,
    mode: u32,
    owner: Option<String>,
    origin: Origin,
}

/// The files of one task family.
#[derive(Debug, Clone, Default)]
pub struct FilesPlan {
    files: Vec<File>,
    volumes: Vec<String>,
    /// SSM parameters to create: (logical id, config name, contents).
    own_parameters: Vec<(String, String, String)>,
    /// Stack parameters the user fills: (name, declaration, warning when unfilled).
    arn_parameters: Vec<(String, Parameter, Diagnostic)>,
    image_parameter: String,
}

/// Plans the files of a family: adds the mounts and the dependency on the init container to
/// the containers that get files; None when no container gets one.
pub fn plan(
    family_id: &str,
    containers: &mut [Container<'_>],
    catalog: &Catalog,
    diags: &mut Vec<Diagnostic>,
) -> Option<FilesPlan> {
    let mut plan = FilesPlan {
        image_parameter: format!("{family_id}FilesImageUrl"),
        ..FilesPlan::default()
    };
    for container in containers.iter_mut() {
        let service = container.service;
        let configs = service.configs.iter().map(|c| (c, true));
        let secrets = service.secrets.iter().map(|s| (s, false));
        // (directory, volume) of this container, shortest directory first.
        let mut dirs: Vec<(String, String)> = Vec::new();
        let mut wanted: Vec<(&ServiceSecret, bool, Origin, String)> = Vec::new();
        for (entry, is_config) in configs.chain(secrets) {
            let Some(origin) = origin(entry, is_config, catalog, &mut plan, diags) else {
                continue;
            };
            let Some(dir) = directory(&service.name, entry, is_config, diags) else {
                continue;
            };
            wanted.push((entry, is_config, origin, dir));
        }
        wanted.sort_by_key(|(_, _, _, dir)| dir.len());
        let mut mounts = Vec::new();
        for (entry, _, origin, dir) in wanted {
            let owner = owner(&service.name, entry, diags);
            // A directory inside one already mounted is written into that volume.
            let found = dirs
                .iter()
                .find(|(d, _)| dir == *d || dir.starts_with(&format!("{d}/")));
            let (volume, relative) = match found {
                Some((d, v)) => (v.clone(), entry.target[d.len() + 1..].to_string()),
                None => {
                    let volume = format!("{}-files{}", container.name, dirs.len() + 1);
                    dirs.push((dir.clone(), volume.clone()));
                    mounts.push(
                        json!({ "SourceVolume": volume, "ContainerPath": dir, "ReadOnly": true }),
                    );
                    container.volumes.push(volume.clone());
                    plan.volumes.push(volume.clone());
                    (volume, entry.target[dir.len() + 1..].to_string())
                }
            };
            plan.files.push(File {
                volume,
                relative,
                mode: entry.mode.unwrap_or(0o444),
                owner,
                origin,
            });
        }
        if mounts.is_empty() {
            continue;
        }
        append(&mut container.definition, "MountPoints", mounts);
        let wait = json!({ "ContainerName": CONTAINER, "Condition": "COMPLETE" });
        append(&mut container.definition, "DependsOn", vec![wait]);
    }
    (!plan.files.is_empty()).then_some(plan)
}

/// Adds a file composex writes itself (not a compose config, e.g. FireLens's configuration):
/// `text` in an SSM parameter of the family stack named like config `name`, written to
/// `relative` in task volume `volume`; the caller mounts the volume.
pub fn add_generated(
    plan: &mut Option<FilesPlan>,
    family_id: &str,
    volume: &str,
    relative: &str,
    name: &str,
    text: &str,
) {
    let plan = plan.get_or_insert_with(|| FilesPlan {
        image_parameter: format!("{family_id}FilesImageUrl"),
        ..FilesPlan::default()
    });
    let id = format!("Config{}", logical_id(name));
    plan.own_parameters
        .push((id.clone(), name.to_string(), text.to_string()));
    if !plan.volumes.iter().any(|v| v == volume) {
        plan.volumes.push(volume.to_string());
    }
    plan.files.push(File {
        volume: volume.to_string(),
        relative: relative.to_string(),
        mode: 0o444,
        owner: None,
        origin: Origin::OwnParameter(id),
    });
}

fn append(def: &mut Map<String, Value>, key: &str, items: Vec<Value>) {
    match def.get_mut(key) {
        Some(Value::Array(existing)) => existing.extend(items),
        _ => {
            def.insert(key.into(), Value::Array(items));
        }
    }
}

/// Where the entry's contents come from; None when the entry is not a file (a secret with
/// `x-secrets` in short form is an environment variable) or cannot be read (reported elsewhere).
fn origin(
    entry: &ServiceSecret,
    is_config: bool,
    catalog: &Catalog,
    plan: &mut FilesPlan,
    diags: &mut Vec<Diagnostic>,
) -> Option<Origin> {
    let sources = catalog.files();
    if is_config {
        return match sources.configs.get(&entry.source)? {
            ConfigSource::Content(text, _) if text.is_empty() => Some(Origin::Empty),
            ConfigSource::Content(text, span) => {
                if text.len() > ADVANCED_MAX {
                    diags.push(
                        Diagnostic::error(
                            CONFIG_TOO_LARGE,
                            format!(
                                "config {} is {} bytes: an SSM parameter holds at most {ADVANCED_MAX}",
                                entry.source,
                                text.len()
                            ),
                            *span,
                        )
                        .with_help("bake a file this large into the image, or keep it in S3 and fetch it when the container starts"),
                    );
                    return None;
                }
                let id = format!("Config{}", logical_id(&entry.source));
                if !plan.own_parameters.iter().any(|(i, _, _)| *i == id) {
                    plan.own_parameters
                        .push((id.clone(), entry.source.clone(), text.clone()));
                }
                Some(Origin::OwnParameter(id))
            }
            ConfigSource::External(span) => Some(arn_parameter(&entry.source, None, *span, plan)),
            ConfigSource::Missing => None,
        };
    }
    if let Some((span, value)) = sources.file_secrets.get(&entry.source) {
        let secret = SecretValue(value.as_deref());
        return Some(arn_parameter(&entry.source, Some(secret), *span, plan));
    }
    let def = catalog.get(&entry.source)?;
    // A secret with x-secrets is an environment variable; a file too when the entry asks.
    entry.as_file.then(|| Origin::Managed {
        arn: def.arn.clone(),
        iam_arn: def.iam_arn.clone(),
    })
}

/// How a secret's Secrets Manager secret is created (`--secret-string` argument), None when it
/// exists (`external`).
#[derive(Clone, Copy)]
struct SecretValue<'a>(Option<&'a str>);

/// The stack parameter for an existing SSM parameter (config, `secret` None) or Secrets Manager
/// secret.
fn arn_parameter(
    name: &str,
    secret: Option<SecretValue<'_>>,
    span: Span,
    plan: &mut FilesPlan,
) -> Origin {
    let secret_value = secret;
    let secret = secret.is_some();
    let (kind, suffix, pattern, what) = if secret {
        (
            "secret",
            "SecretArn",
            "^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$",
            "Secrets Manager secret",
        )
    } else {
        (
            "config",
            "ConfigArn",
            "^arn:aws[a-z-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+$",
            "SSM parameter",
        )
    };
    let parameter = format!("{}{suffix}", logical_id(name));
    if !plan.arn_parameters.iter().any(|(p, _, _)| *p == parameter) {
        let mut declaration = Parameter::string().with_description(format!(
            "ARN of the {what} holding {kind} {name} (mounted as a file)"
        ));
        declaration.allowed_pattern = Some(pattern.into());
        declaration.constraint_description = Some(format!("the ARN of an existing {what}"));
        let help = if let Some(SecretValue(value)) = secret_value {
            let create = match value {
                Some(value) => format!("create the secret once, e.g. `aws secretsmanager create-secret --name {name} --secret-string {value}`, then pass its ARN"),
                None => "pass the ARN of the existing secret".to_string(),
            };
            format!(
                "{create}: `composex render --param {parameter}=<arn>` or in the parameter files; composex never writes a secret's value into a template or a parameter file"
            )
        } else {
            format!(
                "pass the ARN of the existing SSM parameter: `composex render --param {parameter}=<arn>` or in the parameter files"
            )
        };
        let warning = Diagnostic::warning(
            VALUE_TO_GIVE,
            format!(
                "{kind} {name} is read from an existing {what}: parameter {parameter} has no value"
            ),
            span,
        )
        .with_help(help);
        plan.arn_parameters
            .push((parameter.clone(), declaration, warning));
    }
    Origin::ArnParameter { parameter, secret }
}

/// The directory the entry's file is mounted in (a volume of its own), or an error.
fn directory(
    service: &str,
    entry: &ServiceSecret,
    is_config: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let key = if is_config { "configs" } else { "secrets" };
    let target = entry.target.as_str();
    let (dir, name) = target.rsplit_once('/').unwrap_or(("", target));
    let dir = if dir.is_empty() { "/" } else { dir };
    let odd = name.is_empty()
        || target
            .split('/')
            .skip(1)
            .any(|s| s.is_empty() || s == "." || s == "..");
    let problem = if odd {
        Some(format!("target `{target}` is not a file path"))
    } else if SYSTEM_DIRS.contains(&dir) {
        Some(format!(
            "target `{target}` is in {dir}: the file's directory becomes a volume, which would hide the image's {dir}"
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        diags.push(
            Diagnostic::error(FILE_TARGET, format!("services.{service}.{key}.{}: {problem}", entry.source), entry.target_span.unwrap_or(entry.span))
                .with_help(format!(
                    "ECS mounts these files through a task volume at their directory: give a target in a directory of its own, e.g. `target: /run/{key}/{}` (or `/etc/<app>/<file>`)",
                    entry.source
                )),
        );
        return None;
    }
    Some(dir.to_string())
}

/// `uid:gid` for chown (numbers only), or None to leave root as the owner.
fn owner(service: &str, entry: &ServiceSecret, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let mut numeric = |id: &Option<String>, what: &str| -> Option<String> {
        let id = id.as_deref()?.trim();
        if !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()) {
            return Some(id.to_string());
        }
        diags.push(Diagnostic::error(
            FILE_TARGET,
            format!(
                "services.{service}: {what} `{id}` of {} is not a number",
                entry.source
            ),
            entry.span,
        ));
        None
    };
    let uid = numeric(&entry.uid, "uid");
    let gid = numeric(&entry.gid, "gid");
    match (uid, gid) {
        (None, None) => None,
        (uid, gid) => Some(format!(
            "{}:{}",
            uid.unwrap_or_else(|| "0".into()),
            gid.unwrap_or_else(|| "0".into())
        )),
    }
}

/// Single-quoted for `sh`.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

impl FilesPlan {
    /// The task volumes the files are written into.
    pub fn volumes(&self) -> &[String] {
        &self.volumes
    }

    /// The init container's `ContainerDefinitions` entry.
    pub fn definition(&self) -> Value {
        let mut script = vec!["set -e".to_string()];
        let mut secrets = Vec::new();
        for file in &self.files {
            let path = format!("{MOUNT_ROOT}/{}/{}", file.volume, file.relative);
            // The volume's own directory exists: only subdirectories are made.
            if let Some((dir, _)) = file.relative.rsplit_once('/') {
                let dir = format!("{MOUNT_ROOT}/{}/{dir}", file.volume);
                script.push(format!("mkdir -p {}", quote(&dir)));
            }
            match &file.origin {
                Origin::Empty => script.push(format!(": > {}", quote(&path))),
                origin => {
                    let variable = format!("COMPOSEX_FILE_{}", secrets.len() + 1);
                    script.push(format!("printf '%s' \"${variable}\" > {}", quote(&path)));
                    secrets.push(json!({ "Name": variable, "ValueFrom": value_from(origin) }));
                }
            }
            script.push(format!("chmod {:o} {}", file.mode, quote(&path)));
            if let Some(owner) = &file.owner {
                script.push(format!("chown {owner} {}", quote(&path)));
            }
        }
        let mounts: Vec<Value> = self
            .volumes
            .iter()
            .map(|v| json!({ "SourceVolume": v, "ContainerPath": format!("{MOUNT_ROOT}/{v}"), "ReadOnly": false }))
            .collect();
        let mut def = json!({
            "Name": CONTAINER,
            "Image": ref_(&self.image_parameter),
            "Essential": false,
            "EntryPoint": ["sh", "-c"],
            "Command": [script.join("\n")],
            "MountPoints": mounts,
            "ReadonlyRootFilesystem": true,
            "LogConfiguration": sidecar_log_configuration(CONTAINER),
        });
        if !secrets.is_empty() {
            def["Secrets"] = Value::Array(secrets);
        }
        def
    }

    /// The execution role statements that let ECS read the contents (secrets in `granted` are
    /// readable already).
    pub fn statements(&self, granted: &[Value]) -> Vec<Value> {
        let mut parameters: Vec<Value> = Vec::new();
        let mut secrets: Vec<Value> = Vec::new();
        for file in &self.files {
            let (list, arn) = match &file.origin {
                Origin::OwnParameter(id) => (&mut parameters, ssm_arn(id)),
                Origin::ArnParameter { parameter, secret } => {
                    let list = if *secret {
                        &mut secrets
                    } else {
                        &mut parameters
                    };
                    (list, ref_(parameter))
                }
                Origin::Managed { iam_arn, .. } => (&mut secrets, arn_value(iam_arn)),
                Origin::Empty => continue,
            };
            if !list.contains(&arn) && !granted.contains(&arn) {
                list.push(arn);
            }
        }
        let mut statements = Vec::new();
        if !parameters.is_empty() {
            statements.push(json!({ "Sid": "ReadFileParameters", "Effect": "Allow", "Action": ["ssm:GetParameters"], "Resource": parameters }));
        }
        if !secrets.is_empty() {
            statements.push(json!({ "Sid": "ReadFileSecrets", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": secrets }));
        }
        statements
    }

    /// Declares the parameters and creates the SSM parameters in the family's stack; returns the
    /// warnings to give for parameters nobody fills.
    pub fn emit(&self, stack: &mut Stack) -> Vec<(String, Diagnostic)> {
        let image = Parameter::string()
            .with_default(DEFAULT_IMAGE)
            .with_description("Image of the init container that writes configs and secrets as files (needs sh, printf, chmod, chown)");
        stack.add_parameter(&self.image_parameter, image);
        let mut unfilled = Vec::new();
        for (name, declaration, warning) in &self.arn_parameters {
            stack.add_parameter(name, declaration.clone());
            unfilled.push((name.clone(), warning.clone()));
        }
        for (id, config, text) in &self.own_parameters {
            let tier = if text.len() > STANDARD_MAX {
                "Advanced"
            } else {
                "Standard"
            };
            stack.add_resource(
                id,
                Resource::new(
                    "AWS::SSM::Parameter",
                    json!({
                        "Name": sub(&format!("/${{AWS::StackName}}/configs/{config}")),
                        "Type": "String",
                        "Tier": tier,
                        "Value": text,
                        "Description": format!("Contents of config {config} (composex)"),
                    }),
                ),
            );
        }
        unfilled
    }
}

/// The ARN of an SSM parameter of the stack (its name starts with `/`).
fn ssm_arn(id: &str) -> Value {
    sub(&format!(
        "arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter${{{id}}}"
    ))
}

fn value_from(origin: &Origin) -> Value {
    match origin {
        Origin::OwnParameter(id) => ssm_arn(id),
        Origin::ArnParameter { parameter, .. } => ref_(parameter),
        Origin::Managed { arn, .. } => arn_value(arn),
        Origin::Empty => Value::Null,
    }
}

//! Compose secrets with ComposeX `x-secrets`: Secrets Manager secrets given to containers as
//! environment variables (ECS `Secrets`), readable by exactly the roles they link to.

use indexmap::IndexMap;
use serde_json::{json, Value};

use super::{unknown_keys, SECRETS};
use crate::cfn::sub;
use crate::compose::model::Service;
use crate::compose::Project;
use crate::diagnostic::Diagnostic;
use crate::yaml::Node;

const KEYS: &[&str] = &["Name", "VarName", "JsonKeys", "LinksTo", "Lookup"];

/// One deployable secret.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretDef {
    /// The compose secret's key.
    pub compose_name: String,
    /// The secret's ARN as ECS reads it (`ValueFrom`).
    pub arn: String,
    /// The ARN IAM policies grant (with `-*`, the random suffix Secrets Manager appends).
    pub iam_arn: String,
    /// Environment variable for the whole secret.
    pub var_name: String,
    /// `(json key, environment variable)` pairs read from a JSON secret.
    pub json_keys: Vec<(String, String)>,
    /// The task role reads it too (`LinksTo: [EcsTaskRole]`); the execution role always does,
    /// since ECS reads container secrets with it.
    pub task_role: bool,
}

impl SecretDef {
    /// The container `Secrets` entries.
    pub fn container_entries(&self) -> Vec<Value> {
        let mut entries = vec![json!({ "Name": self.var_name, "ValueFrom": arn_value(&self.arn) })];
        for (key, var) in &self.json_keys {
            entries.push(
                json!({ "Name": var, "ValueFrom": arn_value(&format!("{}:{key}::", self.arn)) }),
            );
        }
        entries
    }
}

/// `Fn::Sub` for an ARN built from pseudo parameters, the plain string for a literal ARN.
pub fn arn_value(arn: &str) -> Value {
    if arn.contains("${") {
        sub(arn)
    } else {
        json!(arn)
    }
}

/// Every deployable secret, by compose name.
#[derive(Debug, Default)]
pub struct Catalog {
    secrets: IndexMap<String, SecretDef>,
    undeployable: Vec<String>,
    files: super::mounted_files::Sources,
}

impl Catalog {
    /// The configs and file secrets containers may get as files.
    pub fn files(&self) -> &super::mounted_files::Sources {
        &self.files
    }

    /// The deployable secret `name`.
    pub fn get(&self, name: &str) -> Option<&SecretDef> {
        self.secrets.get(name)
    }

    /// The secrets `service` reads as environment variables (each once). Secrets without
    /// `x-secrets` are files only; secrets that do not exist are reported here.
    pub fn used_by(&self, service: &Service, diags: &mut Vec<Diagnostic>) -> Vec<&SecretDef> {
        let mut used: Vec<&SecretDef> = Vec::new();
        for s in &service.secrets {
            match self.secrets.get(&s.source) {
                Some(def) if !used.iter().any(|u| u.compose_name == def.compose_name) => {
                    used.push(def)
                }
                Some(_) => {}
                None if self.undeployable.contains(&s.source) => {}
                None if self.files.is_file_secret(&s.source) => {}
                None => diags.push(Diagnostic::error(
                    SECRETS,
                    format!(
                        "services.{}.secrets: secret {} is not defined under top-level `secrets:`",
                        service.name, s.source
                    ),
                    s.span,
                )),
            }
        }
        used
    }
}

/// A variable name for secret `name` (ComposeX uses the secret's name).
fn default_var(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Reads the top-level `secrets:`.
pub fn read(project: &Project, diags: &mut Vec<Diagnostic>) -> Catalog {
    let mut catalog = Catalog {
        files: super::mounted_files::read(project),
        ..Catalog::default()
    };
    for (name, secret) in &project.secrets {
        // Without x-secrets, a secret is a file read from a secret the user names (files).
        let Some(x) = secret.x_secrets().filter(|n| !n.is_null()) else {
            continue;
        };
        if x.as_map().is_none() {
            diags.push(Diagnostic::error(
                SECRETS,
                format!(
                    "secrets.{name}.x-secrets must be a mapping, not a {}",
                    x.kind_name()
                ),
                x.span,
            ));
            catalog.undeployable.push(name.clone());
            continue;
        }
        unknown_keys(x, KEYS, &format!("secrets.{name}.x-secrets"), diags);
        if let Some(lookup) = x.get("Lookup") {
            diags.push(
                Diagnostic::warning(SECRETS, format!("secrets.{name}.x-secrets.Lookup needs an AWS call; give `Name` instead"), lookup.span)
                    .with_help("composex renders without calling AWS: write the secret's name or ARN in `Name`"),
            );
        }
        let Some(secret_name) = x
            .get("Name")
            .and_then(Node::as_str)
            .map(str::trim)
            .filter(|n| !n.is_empty())
        else {
            diags.push(Diagnostic::error(SECRETS, format!("secrets.{name}.x-secrets needs `Name` (the Secrets Manager secret's name or ARN)"), x.span));
            catalog.undeployable.push(name.clone());
            continue;
        };
        let (arn, iam_arn) = if secret_name.starts_with("arn:") {
            (secret_name.to_string(), secret_name.to_string())
        } else if secret_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c))
        {
            let arn = format!("arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{secret_name}");
            (arn.clone(), format!("{arn}-*"))
        } else {
            diags.push(
                Diagnostic::error(
                    SECRETS,
                    format!(
                        "secrets.{name}.x-secrets.Name `{secret_name}` is not a valid secret name"
                    ),
                    x.span,
                )
                .with_help("secret names use letters, digits and /_+=.@-"),
            );
            catalog.undeployable.push(name.clone());
            continue;
        };
        let var_name = x
            .get("VarName")
            .and_then(Node::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| default_var(name));
        let mut json_keys = Vec::new();
        for key in x
            .get("JsonKeys")
            .and_then(|k| k.as_seq())
            .unwrap_or_default()
        {
            match key.get("SecretKey").and_then(Node::as_str) {
                Some(k) => {
                    let var = key
                        .get("VarName")
                        .and_then(Node::as_str)
                        .map(str::to_string)
                        .unwrap_or_else(|| default_var(k));
                    json_keys.push((k.to_string(), var));
                }
                None => diags.push(Diagnostic::error(
                    SECRETS,
                    "x-secrets.JsonKeys entries need `SecretKey`",
                    key.span,
                )),
            }
        }
        let mut task_role = false;
        for link in x
            .get("LinksTo")
            .and_then(|l| l.as_seq())
            .unwrap_or_default()
        {
            match link.as_str() {
                Some("EcsExecutionRole") => {}
                Some("EcsTaskRole") => task_role = true,
                _ => diags.push(Diagnostic::error(
                    SECRETS,
                    "x-secrets.LinksTo entries are EcsExecutionRole or EcsTaskRole",
                    link.span,
                )),
            }
        }
        catalog.secrets.insert(
            name.clone(),
            SecretDef {
                compose_name: name.clone(),
                arn,
                iam_arn,
                var_name,
                json_keys,
                task_role,
            },
        );
    }
    catalog
}

//! x-opensearch: OpenSearch Service domains (`AWS::OpenSearchService::Domain`) inside the VPC
//! (the storage subnets, or `Settings.Subnets: AppSubnets`; the user's own `VPCOptions` win),
//! behind a security group admitting exactly the linked services on HTTPS (443). Encryption at
//! rest, node-to-node encryption and HTTPS-only endpoints with TLS 1.2 are on unless the user's
//! `Properties` say otherwise. `MacroParameters` as ECS ComposeX reads them: log groups for the
//! domain's logs (`CreateLogGroups`, `RetentionInDays`, `CreateLogGroupsResourcePolicy`) and a
//! master user for fine-grained access control (`GenerateMasterUserSecret` or
//! `CreateMasterUserRole`). Linked task roles get `Http` (data) and `DBCluster` (describe)
//! access.

pub mod rules;

use serde_json::{json, Map, Value};

use super::common::{export_name, local_value, Ctx, Entry, Grant};
use super::rds::link::ingress;
use super::subnets::{is_true, subnets};
use super::{ModuleDef, ReturnValue, Statement, IGNORED, INVALID};
use crate::cfn::{get_att, ref_, select, sub_with, Resource};
use crate::diagnostic::Diagnostic;
use crate::stack::VPC_ID;
use crate::suggest::did_you_mean;
use crate::yaml::Node;

/// Settings OpenSearch refuses together (instance type and engine version, EBS on local-storage
/// instances, a master role and a master user at once, ...).
pub const INCOMPATIBLE: &str = "CX620";
/// An instance type that cannot encrypt at rest: the domain is left unencrypted.
pub const NO_ENCRYPTION: &str = "CX621";

/// The x-opensearch module.
pub const MODULE: ModuleDef = ModuleDef {
    scaling: None,
    default_env: true,
    key: "x-opensearch",
    stack: "opensearch",
    resource_type: "AWS::OpenSearchService::Domain",
    return_values: RETURN_VALUES,
    settings: &[
        "CreateLogGroups",
        "CreateLogGroupsResourcePolicy",
        "RetentionInDays",
        "GenerateMasterUserSecret",
        "CreateMasterUserRole",
        "MasterUserRolePermissionsBoundary",
        "Subnets",
    ],
    levels: &["Http: RO", "Http: RW", "DBCluster: RO"],
    lookup_values,
    grants: no_grants,
    emit,
    access,
};

/// HTTPS: the only port of a domain.
const PORT: u16 = 443;

const fn rv(name: &'static str, attribute: Option<&'static str>) -> ReturnValue {
    ReturnValue { name, attribute }
}

/// Values a domain offers (`DomainName`, its `Ref`, is the default env var).
const RETURN_VALUES: &[ReturnValue] = &[
    rv("DomainName", None),
    rv("Arn", Some("Arn")),
    rv("DomainEndpoint", Some("DomainEndpoint")),
    rv("GroupId", None),
];

/// `Http: RO`: reading and searching (a search is a GET or a POST).
pub const HTTP_RO: &[&str] = &["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost"];
/// `Http: RW`: every HTTP method.
pub const HTTP_RW: &[&str] = &[
    "es:ESHttpDelete",
    "es:ESHttpGet",
    "es:ESHttpHead",
    "es:ESHttpPatch",
    "es:ESHttpPost",
    "es:ESHttpPut",
];
/// `DBCluster: RO`: describing the domain.
pub const DESCRIBE: &[&str] = &[
    "es:DescribeDomain",
    "es:DescribeDomainConfig",
    "es:GetCompatibleVersions",
    "es:GetUpgradeHistory",
    "es:GetUpgradeStatus",
    "es:ListPackagesForDomain",
    "es:ListTags",
];

/// The log types a domain publishes (`AUDIT_LOGS` needs fine-grained access control).
const LOG_TYPES: &[&str] = &[
    "SEARCH_SLOW_LOGS",
    "ES_APPLICATION_LOGS",
    "INDEX_SLOW_LOGS",
    "AUDIT_LOGS",
];
/// The retention periods CloudWatch Logs accepts.
const RETENTION: &[i64] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

fn no_grants(_: &mut Ctx, _: &Entry) -> Vec<Grant> {
    Vec::new()
}

fn lookup_values(arn: Option<&str>, identifier: Option<&str>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(arn) = arn {
        if let Some((_, name)) = arn.split_once(":domain/") {
            out.push(("DomainName", name.to_string()));
        }
        out.push(("Arn", arn.to_string()));
    } else if let Some(name) = identifier {
        out.push(("DomainName", name.to_string()));
    }
    out
}

/// `{Http: RO|RW, DBCluster: RO}`; other kinds (ComposeX files write `IAM: RO`) are warned
/// about and ignored, as ComposeX ignores them.
fn access(ctx: &mut Ctx, entry: &Entry, family: &str, access: &Node) -> Option<Vec<Statement>> {
    let Some(map) = access.as_map() else {
        ctx.diags.push(
            Diagnostic::error(
                INVALID,
                format!(
                    "x-opensearch {}: Access is a mapping of access kinds to levels",
                    entry.name
                ),
                access.span,
            )
            .with_help("Access: {Http: RW, DBCluster: RO}"),
        );
        return None;
    };
    let mut out = Vec::new();
    for (key, span, level) in &map.entries {
        match key.as_str() {
            "Http" => {
                let (level, actions) =
                    ctx.level(entry, level, &[("RO", HTTP_RO), ("RW", HTTP_RW)])?;
                let arn = ctx.value_named(family, entry, "Arn");
                let mut vars = Map::new();
                vars.insert("Domain".into(), arn);
                out.push(Statement::allow(
                    &format!("Http{level}{}", entry.id),
                    actions,
                    vec![sub_with("${Domain}/*", vars)],
                ));
            }
            "DBCluster" => {
                let (level, ()) = ctx.level(entry, level, &[("RO", ())])?;
                let arn = ctx.value_named(family, entry, "Arn");
                out.push(Statement::allow(
                    &format!("{level}Describe{}", entry.id),
                    DESCRIBE,
                    vec![arn],
                ));
            }
            _ => {
                let mut d = Diagnostic::warning(
                    IGNORED,
                    format!(
                        "x-opensearch {}: access kind `{key}` is ignored",
                        entry.name
                    ),
                    *span,
                )
                .with_help("x-opensearch access kinds: Http (RO, RW) and DBCluster (RO)");
                if let Some(s) = did_you_mean(key, ["Http", "DBCluster"]) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                ctx.diags.push(d);
            }
        }
    }
    Some(out)
}

fn emit(ctx: &mut Ctx, entry: &Entry) {
    if let Some((_, span, _)) = entry
        .node
        .and_then(Node::as_map)
        .and_then(|m| m.entries.iter().find(|(k, _, _)| k == "Use"))
    {
        // Without a refusal the domain would be created anew, not the existing one used.
        ctx.diags.push(
            Diagnostic::error(
                INVALID,
                format!("x-opensearch {}: Use is not supported", entry.name),
                *span,
            )
            .with_help("name the existing domain with Lookup: {Arn: arn:aws:es:<region>:<account>:domain/<name>}"),
        );
        return;
    }
    let mut props = ctx.properties(entry);
    let subnet_list = subnets(ctx, entry);
    let Some(encrypts) = rules::check(ctx, entry, &props) else {
        return;
    };
    let Some(subnet_list) = subnet_list else {
        return;
    };
    let id = entry.id.clone();
    let role = entry
        .setting("CreateMasterUserRole")
        .filter(|n| is_true(Some(n)));
    let secret = entry
        .setting("GenerateMasterUserSecret")
        .filter(|n| is_true(Some(n)));
    if let (Some(_), Some(second)) = (role, secret) {
        ctx.diags.push(
            Diagnostic::error(
                INCOMPATIBLE,
                format!("x-opensearch {}: a domain has one master user: CreateMasterUserRole and GenerateMasterUserSecret cannot both be true", entry.name),
                second.span,
            )
            .with_help("keep CreateMasterUserRole (IAM) or GenerateMasterUserSecret (internal user database)"),
        );
        return;
    }
    defaults(&mut props, encrypts);
    storage(&mut props);
    if !master_user(ctx, entry, &mut props, role.is_some(), secret.is_some()) {
        return;
    }
    let fine_grained = rules::flag(&props, "AdvancedSecurityOptions", "Enabled") == Some(true);
    if fine_grained && !secure_enough(ctx, entry, &props) {
        return;
    }
    let Ok(logs_policy) = log_groups(ctx, entry, &mut props, fine_grained) else {
        return;
    };
    let group = vpc(ctx, entry, &mut props, subnet_list);
    // An index is data: keep it when the stack goes, as the other data stores do.
    let policy = entry.deletion_policy.as_deref().unwrap_or("Retain");
    let skips = checkov_skips(&props);
    let mut domain =
        Resource::new(MODULE.resource_type, Value::Object(props)).with_policies(policy);
    if !skips.is_empty() {
        domain.metadata = Some(json!({"checkov": {"skip": skips}}));
    }
    if let Some(logs_policy) = logs_policy {
        // OpenSearch checks that it may write to the log groups when the domain is created.
        domain = domain.depends_on(&logs_policy);
    }
    ctx.stacks
        .stack(MODULE.stack)
        .template
        .resources
        .insert(id.clone(), domain);
    let stack = ctx.stacks.stack(MODULE.stack);
    for rv in RETURN_VALUES {
        let value = match rv.name {
            "GroupId" => get_att(&group, "GroupId"),
            _ => local_value(&id, rv),
        };
        let name = export_name(&MODULE, entry, rv);
        stack.export(
            &name,
            value,
            "String",
            &format!("x-opensearch {}: {}", entry.name, rv.name),
        );
    }
    if let Some(services) = entry.get("Services").and_then(Node::as_map) {
        let mut done = std::collections::BTreeSet::new();
        for (target, _, _) in &services.entries {
            for (family, _) in ctx.families_of(target) {
                if done.insert(family.clone()) {
                    ingress(ctx, entry, &family, PORT);
                }
            }
        }
    }
}

/// Reasons for the checkov findings a domain without log publishing gets: publishing needs a
/// CloudWatch Logs resource policy (an account has at most 10), so it is the user's choice
/// (`CreateLogGroups`), and audit logs need fine-grained access control.
fn checkov_skips(props: &Map<String, Value>) -> Vec<Value> {
    let logs = props.get("LogPublishingOptions").and_then(Value::as_object);
    let mut skips = Vec::new();
    if logs.is_none_or(|l| l.is_empty()) {
        skips.push(json!({"id": "CKV_AWS_84", "comment": "log publishing is opt-in (MacroParameters.CreateLogGroups): it needs a CloudWatch Logs resource policy, of which an account has at most 10"}));
    }
    if !logs.is_some_and(|l| l.contains_key("AUDIT_LOGS")) {
        skips.push(json!({"id": "CKV_AWS_317", "comment": "audit logs need fine-grained access control (MacroParameters.GenerateMasterUserSecret or CreateMasterUserRole) and CreateLogGroups"}));
    }
    skips
}

/// `resource` with a checkov finding skipped, for the reason given.
fn checkov_skip(id: &str, comment: &str, mut resource: Resource) -> Resource {
    resource.metadata = Some(json!({"checkov": {"skip": [{"id": id, "comment": comment}]}}));
    resource
}

/// Sets `props[option][key] = value` unless the user set that key.
fn default_key(props: &mut Map<String, Value>, option: &str, key: &str, value: Value) {
    let slot = props.entry(option).or_insert_with(|| json!({}));
    if let Value::Object(map) = slot {
        map.entry(key).or_insert(value);
    }
}

/// Encryption at rest (where the instance type can), node-to-node encryption, HTTPS only with
/// TLS 1.2: each key the user did not write.
fn defaults(props: &mut Map<String, Value>, encrypts: bool) {
    if encrypts {
        default_key(props, "EncryptionAtRestOptions", "Enabled", json!(true));
    }
    default_key(props, "NodeToNodeEncryptionOptions", "Enabled", json!(true));
    default_key(props, "DomainEndpointOptions", "EnforceHTTPS", json!(true));
    default_key(
        props,
        "DomainEndpointOptions",
        "TLSSecurityPolicy",
        json!("Policy-Min-TLS-1-2-2019-07"),
    );
}

/// An EBS volume (gp3, 10 GiB) unless the user chose storage or the instances have local disks.
fn storage(props: &mut Map<String, Value>) {
    if props.contains_key("EBSOptions") {
        return;
    }
    let local = props
        .get("ClusterConfig")
        .and_then(|c| c.get("InstanceType"))
        .and_then(Value::as_str)
        .is_some_and(|t| rules::LOCAL_STORAGE.contains(&rules::family_of(t)));
    if !local {
        props.insert(
            "EBSOptions".into(),
            json!({"EBSEnabled": true, "VolumeSize": 10, "VolumeType": "gp3"}),
        );
    }
}

/// Fine-grained access control needs encryption at rest, node-to-node encryption and HTTPS.
fn secure_enough(ctx: &mut Ctx, entry: &Entry, props: &Map<String, Value>) -> bool {
    let mut ok = true;
    for (option, key) in [
        ("EncryptionAtRestOptions", "Enabled"),
        ("NodeToNodeEncryptionOptions", "Enabled"),
        ("DomainEndpointOptions", "EnforceHTTPS"),
    ] {
        if rules::flag(props, option, key) == Some(false) {
            ok = false;
            ctx.diags.push(
                Diagnostic::error(
                    INCOMPATIBLE,
                    format!("x-opensearch {}: fine-grained access control (AdvancedSecurityOptions) needs {option}.{key}: true", entry.name),
                    rules::span_at(entry, &[option, key]),
                )
                .with_help(format!("remove {option}.{key}: false")),
            );
        }
    }
    ok
}

/// `GenerateMasterUserSecret` (a generated user in the internal database, its credentials in a
/// Secrets Manager secret) or `CreateMasterUserRole` (an IAM role of the account as master):
/// fine-grained access control with that master user. False after an error.
fn master_user(
    ctx: &mut Ctx,
    entry: &Entry,
    props: &mut Map<String, Value>,
    role: bool,
    secret: bool,
) -> bool {
    if !role && !secret {
        if let Some(n) = entry.setting("MasterUserRolePermissionsBoundary") {
            ctx.diags.push(
                Diagnostic::warning(
                    IGNORED,
                    format!("x-opensearch {}: MasterUserRolePermissionsBoundary is ignored without CreateMasterUserRole: true", entry.name),
                    n.span,
                ),
            );
        }
        return true;
    }
    let internal_db = rules::flag(
        props,
        "AdvancedSecurityOptions",
        "InternalUserDatabaseEnabled",
    );
    if role && internal_db == Some(true) {
        ctx.diags.push(
            Diagnostic::error(
                INCOMPATIBLE,
                format!("x-opensearch {}: CreateMasterUserRole makes an IAM master user, but AdvancedSecurityOptions.InternalUserDatabaseEnabled is true", entry.name),
                rules::span_at(entry, &["AdvancedSecurityOptions", "InternalUserDatabaseEnabled"]),
            )
            .with_help("remove InternalUserDatabaseEnabled, or use GenerateMasterUserSecret for a user of the internal database"),
        );
        return false;
    }
    if secret && internal_db == Some(false) {
        ctx.diags.push(
            Diagnostic::error(
                INCOMPATIBLE,
                format!("x-opensearch {}: GenerateMasterUserSecret makes a user of the internal database, but AdvancedSecurityOptions.InternalUserDatabaseEnabled is false", entry.name),
                rules::span_at(entry, &["AdvancedSecurityOptions", "InternalUserDatabaseEnabled"]),
            )
            .with_help("remove InternalUserDatabaseEnabled: false"),
        );
        return false;
    }
    let id = entry.id.clone();
    let boundary = entry
        .setting("MasterUserRolePermissionsBoundary")
        .and_then(Node::as_str)
        .map(|b| {
            if b.starts_with("arn:") {
                json!(b)
            } else {
                crate::cfn::sub(&format!(
                    "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:policy/{b}"
                ))
            }
        });
    let stack = ctx.stacks.stack(MODULE.stack);
    let master = if secret {
        let secret = stack.add_resource(
            &format!("{id}MasterUserSecret"),
            checkov_skip(
                "CKV_AWS_149",
                "encrypted with the account's AWS managed key for Secrets Manager; a customer managed key is the user's choice",
                Resource::new(
                "AWS::SecretsManager::Secret",
                json!({
                    "Description": format!("x-opensearch {}: master user", entry.name),
                    "GenerateSecretString": {
                        "SecretStringTemplate": json!({"username": "admin"}).to_string(),
                        "GenerateStringKey": "password",
                        "PasswordLength": 32,
                        // OpenSearch wants an upper and lower case letter, a digit and a symbol.
                        "RequireEachIncludedType": true,
                        "ExcludeCharacters": "\"'@/\\:`",
                    },
                }),
            ),
            ),
        );
        let resolve = |key: &str| {
            crate::cfn::sub(&format!(
                "{{{{resolve:secretsmanager:${{{secret}}}:SecretString:{key}}}}}"
            ))
        };
        json!({"MasterUserName": resolve("username"), "MasterUserPassword": resolve("password")})
    } else {
        let mut role = json!({
            "Description": format!("x-opensearch {}: master user of the domain", entry.name),
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"AWS": crate::cfn::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")},
                    "Action": ["sts:AssumeRole"],
                    "Condition": {"Bool": {"aws:SecureTransport": "true"}},
                }],
            },
        });
        if let Some(b) = boundary {
            role["PermissionsBoundary"] = b;
        }
        let role = stack.add_resource(
            &format!("{id}MasterUserRole"),
            Resource::new("AWS::IAM::Role", role),
        );
        json!({"MasterUserARN": get_att(&role, "Arn")})
    };
    default_key(props, "AdvancedSecurityOptions", "Enabled", json!(true));
    default_key(
        props,
        "AdvancedSecurityOptions",
        "InternalUserDatabaseEnabled",
        json!(secret),
    );
    if let Some(Value::Object(options)) = props.get_mut("AdvancedSecurityOptions") {
        options.insert("MasterUserOptions".into(), master);
    }
    true
}

/// `CreateLogGroups: true | [log types]`: a log group per log type, published to by the
/// domain; `RetentionInDays` (30 by default); with `CreateLogGroupsResourcePolicy`, the
/// account's log resource policy letting OpenSearch write to exactly these groups.
fn log_groups(
    ctx: &mut Ctx,
    entry: &Entry,
    props: &mut Map<String, Value>,
    fine_grained: bool,
) -> Result<Option<String>, ()> {
    let Some(node) = entry.setting("CreateLogGroups") else {
        for key in ["RetentionInDays", "CreateLogGroupsResourcePolicy"] {
            if let Some(n) = entry.setting(key) {
                ctx.diags.push(Diagnostic::warning(
                    IGNORED,
                    format!(
                        "x-opensearch {}: {key} is ignored without CreateLogGroups",
                        entry.name
                    ),
                    n.span,
                ));
            }
        }
        return Ok(None);
    };
    let types: Vec<&str> = if let Some(items) = node.as_seq() {
        let mut out = Vec::new();
        for item in items {
            match item
                .as_str()
                .and_then(|t| LOG_TYPES.iter().find(|l| **l == t))
            {
                Some(t) if *t == "AUDIT_LOGS" && !fine_grained => {
                    ctx.diags.push(
                        Diagnostic::error(
                            INCOMPATIBLE,
                            format!("x-opensearch {}: AUDIT_LOGS needs fine-grained access control", entry.name),
                            item.span,
                        )
                        .with_help("enable AdvancedSecurityOptions (or GenerateMasterUserSecret / CreateMasterUserRole), or drop AUDIT_LOGS"),
                    );
                    return Err(());
                }
                Some(t) => out.push(*t),
                None => {
                    ctx.diags.push(
                        Diagnostic::error(
                            INVALID,
                            format!(
                                "x-opensearch {}: CreateLogGroups lists log types",
                                entry.name
                            ),
                            item.span,
                        )
                        .with_help(format!("log types: {}", LOG_TYPES.join(", "))),
                    );
                    return Err(());
                }
            }
        }
        out
    } else {
        match node.boolean() {
            Some(true) => LOG_TYPES
                .iter()
                .copied()
                .filter(|t| fine_grained || *t != "AUDIT_LOGS")
                .collect(),
            Some(false) => return Ok(None),
            None => {
                ctx.diags.push(
                    Diagnostic::error(INVALID, format!("x-opensearch {}: CreateLogGroups is true, false or a list of log types", entry.name), node.span)
                        .with_help(format!("log types: {}", LOG_TYPES.join(", "))),
                );
                return Err(());
            }
        }
    };
    let retention = match entry.setting("RetentionInDays") {
        None => 30,
        Some(n) => match n.integer().filter(|d| RETENTION.contains(d)) {
            Some(d) => d,
            None => {
                ctx.diags.push(
                    Diagnostic::error(INVALID, format!("x-opensearch {}: RetentionInDays is not a CloudWatch Logs retention period", entry.name), n.span)
                        .with_help("1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653"),
                );
                return Err(());
            }
        },
    };
    let id = entry.id.clone();
    let stack = ctx.stacks.stack(MODULE.stack);
    let mut options = match props.remove("LogPublishingOptions") {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut arns = Vec::new();
    for t in types {
        let name: String = t
            .split('_')
            .map(|w| {
                let mut c = w.to_ascii_lowercase();
                c[..1].make_ascii_uppercase();
                c
            })
            .collect();
        let group = stack.add_resource(
            &format!("{id}{name}LogGroup"),
            checkov_skip(
                "CKV_AWS_158",
                "CloudWatch Logs encrypts log data at rest; a customer managed key is the user's choice",
                Resource::new("AWS::Logs::LogGroup", json!({"RetentionInDays": retention})),
            ),
        );
        let mut vars = Map::new();
        vars.insert("Group".into(), ref_(&group));
        let arn = sub_with(
            "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Group}",
            vars,
        );
        arns.push(arn.clone());
        // The user's own setting for a log type wins.
        options
            .entry(t)
            .or_insert(json!({"Enabled": true, "CloudWatchLogsLogGroupArn": arn}));
    }
    props.insert("LogPublishingOptions".into(), Value::Object(options));
    if is_true(entry.setting("CreateLogGroupsResourcePolicy")) {
        // A string policy: `${Gn}` are the log group ARNs.
        let mut vars = Map::new();
        let mut resources = Vec::new();
        for (n, arn) in arns.into_iter().enumerate() {
            vars.insert(format!("G{n}"), arn);
            resources.push(format!("${{G{n}}}:*"));
        }
        let document = json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": format!("OpenSearch{id}Logs"),
                "Effect": "Allow",
                "Principal": {"Service": "es.amazonaws.com"},
                "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
                "Resource": resources,
            }],
        });
        let policy = stack.add_resource(
            &format!("{id}LogsResourcePolicy"),
            Resource::new(
                "AWS::Logs::ResourcePolicy",
                json!({
                    "PolicyName": crate::cfn::sub(&format!("${{AWS::StackName}}-{id}-opensearch-logs")),
                    "PolicyDocument": sub_with(&document.to_string(), vars),
                }),
            ),
        );
        return Ok(Some(policy));
    }
    Ok(None)
}

/// The domain's VPC options: the user's `VPCOptions` with our security group added, or the
/// first subnet(s) of `subnet_list` (one per availability zone the domain spans). Returns the
/// security group's logical id.
fn vpc(ctx: &mut Ctx, entry: &Entry, props: &mut Map<String, Value>, subnet_list: &str) -> String {
    let id = entry.id.clone();
    let zones = if rules::flag(props, "ClusterConfig", "ZoneAwarenessEnabled") == Some(true) {
        props
            .get("ClusterConfig")
            .and_then(|c| c.get("ZoneAwarenessConfig"))
            .and_then(|z| z.get("AvailabilityZoneCount"))
            .and_then(|n| {
                n.as_u64()
                    .or_else(|| n.as_str().and_then(|s| s.parse().ok()))
            })
            .unwrap_or(2)
            .clamp(1, 3) as u32
    } else {
        1
    };
    let stack = ctx.stacks.stack(MODULE.stack);
    let vpc_id = stack.import(VPC_ID);
    let group = stack.add_resource(
        &format!("{id}SecurityGroup"),
        Resource::new(
            "AWS::EC2::SecurityGroup",
            json!({"GroupDescription": format!("x-opensearch {}: domain access (HTTPS)", entry.name), "VpcId": vpc_id}),
        ),
    );
    let ours = get_att(&group, "GroupId");
    match props.get_mut("VPCOptions") {
        Some(Value::Object(options)) => {
            let groups = options
                .entry("SecurityGroupIds")
                .or_insert_with(|| json!([]));
            if let Value::Array(list) = groups {
                list.push(ours);
            }
            if !options.contains_key("SubnetIds") {
                let all = stack.import(subnet_list);
                options.insert(
                    "SubnetIds".into(),
                    Value::Array((0..zones).map(|i| select(i, all.clone())).collect()),
                );
            }
        }
        _ => {
            let all = stack.import(subnet_list);
            props.insert(
                "VPCOptions".into(),
                json!({
                    "SecurityGroupIds": [ours],
                    "SubnetIds": (0..zones).map(|i| select(i, all.clone())).collect::<Vec<_>>(),
                }),
            );
        }
    }
    group
}

#[cfg(test)]
mod tests;

//! x-kinesis access levels, explicit action lists on the stream's ARN. ComposeX's `Consumer`
//! lacks `kinesis:GetShardIterator` (no record can be read without it) and its `Producer` holds
//! the enhanced fan-out consumer actions; its `PowerUser` is `NotAction` create/delete. Here each
//! level is the actions its name says (the README lists the differences).
//!
//! `MacroParameters.SetupIAMForKCL: {<service or family>: true | {CloudWatchPutMetricData,
//! DynamoDB: true | {EnableCreateDeleteTables, TableNames}}}` adds what the Kinesis Client
//! Library needs: reading the stream with enhanced fan-out, its lease tables (only the tables
//! named: ComposeX's `dynamodb:*` on `*` is not granted), and publishing its metrics.

use serde_json::{json, Map, Value};

use crate::cfn::sub_with;
use crate::diagnostic::Diagnostic;
use crate::modules::common::{is_reference, Ctx, Entry};
use crate::modules::{kms, Statement, IGNORED, INVALID};
use crate::yaml::Node;

/// Level -> actions on the stream ARN.
pub const LEVELS: &[(&str, &[&str])] = &[
    (
        "Producer",
        &[
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:ListShards",
            "kinesis:PutRecord",
            "kinesis:PutRecords",
        ],
    ),
    (
        "Consumer",
        &[
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:ListShards",
        ],
    ),
    (
        "PowerUser",
        &[
            "kinesis:AddTagsToStream",
            "kinesis:DecreaseStreamRetentionPeriod",
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:DisableEnhancedMonitoring",
            "kinesis:EnableEnhancedMonitoring",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:IncreaseStreamRetentionPeriod",
            "kinesis:ListShards",
            "kinesis:ListStreamConsumers",
            "kinesis:ListTagsForStream",
            "kinesis:MergeShards",
            "kinesis:PutRecord",
            "kinesis:PutRecords",
            "kinesis:RemoveTagsFromStream",
            "kinesis:SplitShard",
            "kinesis:StartStreamEncryption",
            "kinesis:StopStreamEncryption",
            "kinesis:UpdateShardCount",
            "kinesis:UpdateStreamMode",
        ],
    ),
];

/// The level names.
pub const LEVEL_NAMES: &[&str] = &["Producer", "Consumer", "PowerUser"];

/// What a Firehose delivery stream reading a stream needs on it (its source role).
pub const FIREHOSE_SOURCE: &[&str] = &[
    "kinesis:DescribeStream",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
];

/// KCL on the stream (enhanced fan-out registers a consumer).
const KCL_STREAM: &[&str] = &[
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
    "kinesis:RegisterStreamConsumer",
];
/// KCL on the stream's consumers.
const KCL_CONSUMER: &[&str] = &["kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"];
/// KCL on its lease tables.
const KCL_TABLES: &[&str] = &[
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Scan",
    "dynamodb:UpdateItem",
];
/// KCL creating and deleting its lease tables (`EnableCreateDeleteTables`).
const KCL_TABLES_ADMIN: &[&str] = &["dynamodb:CreateTable", "dynamodb:DeleteTable"];

/// The statements `access` gives `family` on stream `entry`, with what the x-kms key
/// encrypting it needs and the KCL statements `SetupIAMForKCL` asks for.
pub fn statements(
    ctx: &mut Ctx,
    entry: &Entry,
    family: &str,
    access: &Node,
) -> Option<Vec<Statement>> {
    let (level, actions) = ctx.level(entry, access, LEVELS)?;
    if entry.lookup.is_some() && first_family(ctx, entry).as_deref() == Some(family) {
        check_kcl(ctx, entry);
    }
    let arn = ctx.value_named(family, entry, "Arn");
    let mut out = vec![Statement::allow(
        &format!("{level}{}", entry.id),
        actions,
        vec![arn.clone()],
    )];
    if let Some(key) = stream_key(ctx, entry, family) {
        let writes = actions.contains(&"kinesis:PutRecord");
        let reads = actions.contains(&"kinesis:GetRecords");
        // Kinesis SSE: producers need GenerateDataKey, consumers Decrypt.
        let mut key_actions = Vec::new();
        if writes {
            key_actions.push("kms:GenerateDataKey");
        }
        if reads {
            key_actions.push("kms:Decrypt");
        }
        if !key_actions.is_empty() {
            out.push(Statement::allow(
                &format!("StreamKey{}", entry.id),
                &key_actions,
                vec![key],
            ));
        }
    }
    out.extend(kcl(ctx, entry, family, &arn));
    Some(out)
}

/// The first family `Services` links (lookups report `SetupIAMForKCL` problems there, once).
fn first_family(ctx: &Ctx, entry: &Entry) -> Option<String> {
    let services = entry.get("Services")?.as_map()?;
    services
        .entries
        .iter()
        .flat_map(|(name, _, _)| ctx.families_of(name))
        .map(|(f, _)| f)
        .next()
}

/// The ARN of the x-kms key encrypting `entry`, in `family`'s terms.
fn stream_key(ctx: &mut Ctx, entry: &Entry, family: &str) -> Option<Value> {
    let text = entry.property("StreamEncryption")?.get("KeyId")?.as_str()?;
    if !is_reference(text) {
        return None;
    }
    let mut parts = text.split("::");
    if parts.next()? != kms::MODULE.key {
        return None;
    }
    let key = ctx.catalog.find(kms::MODULE.key, parts.next()?)?;
    Some(ctx.value_named(family, key, "Arn"))
}

/// One family's KCL settings.
#[derive(Default)]
struct Kcl {
    metrics: bool,
    create_delete: bool,
    tables: Vec<String>,
}

/// Reads one `SetupIAMForKCL` entry; `Err` holds the span and message of what is wrong.
fn read_kcl(node: &Node) -> Result<Kcl, (crate::diagnostic::Span, String)> {
    let flag = |n: &Node| n.as_scalar().and_then(|s| s.as_bool());
    if let Some(b) = flag(node) {
        return Ok(Kcl {
            metrics: b,
            create_delete: b,
            tables: Vec::new(),
        });
    }
    let Some(map) = node.as_map() else {
        return Err((node.span, "a KCL setting is true or a mapping".into()));
    };
    let mut out = Kcl::default();
    for (key, span, value) in &map.entries {
        match key.as_str() {
            "CloudWatchPutMetricData" => {
                out.metrics = flag(value).ok_or((
                    value.span,
                    "CloudWatchPutMetricData is true or false".to_string(),
                ))?;
            }
            "DynamoDB" => {
                if let Some(b) = flag(value) {
                    out.create_delete = b;
                    continue;
                }
                let Some(ddb) = value.as_map() else {
                    return Err((
                        value.span,
                        "DynamoDB is true or {EnableCreateDeleteTables, TableNames}".into(),
                    ));
                };
                for (k, s, v) in &ddb.entries {
                    match k.as_str() {
                        "EnableCreateDeleteTables" => {
                            out.create_delete = flag(v).ok_or((v.span, "EnableCreateDeleteTables is true or false".to_string()))?;
                        }
                        "TableNames" => {
                            let items = v.as_seq().ok_or((v.span, "TableNames is a list of table names".to_string()))?;
                            for item in items {
                                match item.as_str() {
                                    Some(t) if is_table_name(t) => out.tables.push(t.to_string()),
                                    _ => return Err((item.span, "not a DynamoDB table name (3 to 255 letters, digits, `_`, `-`, `.`)".into())),
                                }
                            }
                        }
                        _ => return Err((*s, format!("DynamoDB has no setting `{k}` (EnableCreateDeleteTables, TableNames)"))),
                    }
                }
            }
            _ => {
                return Err((
                    *span,
                    format!("no KCL setting `{key}` (CloudWatchPutMetricData, DynamoDB)"),
                ))
            }
        }
    }
    Ok(out)
}

fn is_table_name(name: &str) -> bool {
    (3..=255).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Reports malformed `SetupIAMForKCL` entries, entries naming no service or family linked under
/// `Services`, and lease tables that cannot be granted (none named).
pub fn check_kcl(ctx: &mut Ctx, entry: &Entry) {
    let Some(node) = entry.setting("SetupIAMForKCL") else {
        return;
    };
    let Some(map) = node.as_map() else {
        ctx.diags.push(
            Diagnostic::error(
                INVALID,
                format!(
                    "x-kinesis {}: SetupIAMForKCL maps services to their KCL settings",
                    entry.name
                ),
                node.span,
            )
            .with_help("SetupIAMForKCL: {app: {CloudWatchPutMetricData: true, DynamoDB: {TableNames: [my-kcl-app]}}}"),
        );
        return;
    };
    let linked: Vec<String> = entry
        .get("Services")
        .and_then(Node::as_map)
        .map(|m| m.entries.iter().map(|(k, _, _)| k.clone()).collect())
        .unwrap_or_default();
    for (name, span, value) in &map.entries {
        if !linked.contains(name) {
            ctx.diags.push(
                Diagnostic::warning(
                    IGNORED,
                    format!("x-kinesis {}: SetupIAMForKCL.{name} is ignored: `{name}` is not under Services", entry.name),
                    *span,
                )
                .with_help(format!("link it: Services: {{{name}: {{Access: Consumer}}}}")),
            );
            continue;
        }
        match read_kcl(value) {
            Err((span, msg)) => ctx.diags.push(
                Diagnostic::error(INVALID, format!("x-kinesis {}: {msg}", entry.name), span)
                    .with_help("SetupIAMForKCL: {app: {CloudWatchPutMetricData: true, DynamoDB: {EnableCreateDeleteTables: false, TableNames: [my-kcl-app]}}}"),
            ),
            Ok(kcl) if kcl.tables.is_empty() => ctx.diags.push(
                Diagnostic::warning(
                    IGNORED,
                    format!("x-kinesis {}: no DynamoDB permission is given to {name}'s KCL lease tables: none is named", entry.name),
                    value.span,
                )
                .with_help("the lease table is named like the KCL application: DynamoDB: {TableNames: [<application name>]} (ComposeX granted dynamodb:* on every table)"),
            ),
            Ok(_) => {}
        }
    }
}

/// The KCL statements for `family` (reported problems give none).
fn kcl(ctx: &mut Ctx, entry: &Entry, family: &str, arn: &Value) -> Vec<Statement> {
    let Some(map) = entry.setting("SetupIAMForKCL").and_then(Node::as_map) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, _, value) in &map.entries {
        if !ctx.families_of(name).iter().any(|(f, _)| f == family) {
            continue;
        }
        let Ok(kcl) = read_kcl(value) else { continue };
        let mut vars = Map::new();
        vars.insert("Stream".into(), arn.clone());
        out.push(Statement::allow(
            &format!("KclStream{}", entry.id),
            KCL_STREAM,
            vec![arn.clone()],
        ));
        out.push(Statement::allow(
            &format!("KclConsumers{}", entry.id),
            KCL_CONSUMER,
            vec![sub_with("${Stream}/consumer/*", vars)],
        ));
        if !kcl.tables.is_empty() {
            let mut actions = KCL_TABLES.to_vec();
            if kcl.create_delete {
                actions.extend_from_slice(KCL_TABLES_ADMIN);
                actions.sort_unstable();
            }
            let tables = kcl
                .tables
                .iter()
                .map(|t| {
                    crate::cfn::sub(&format!(
                        "arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{t}"
                    ))
                })
                .collect();
            out.push(Statement::allow(
                &format!("KclTables{}", entry.id),
                &actions,
                tables,
            ));
        }
        if kcl.metrics {
            // PutMetricData has no resource-level permission: IAM only accepts `*` here.
            out.push(Statement::allow(
                &format!("KclMetrics{}", entry.id),
                &["cloudwatch:PutMetricData"],
                vec![json!("*")],
            ));
        }
    }
    out
}

//! x-logging FireLens: the log router sidecar, the services' awsfirelens options, the extra
//! configuration file written by the init container, and the streams named by reference.

use composex_core::{render, Diagnostic, Format, Input, Layout, Options, Severity, SourceFile};
use serde_json::{json, Value};

const STREAMS: &str = include_str!("firelens/streams.yml");
const EXTRA: &str = include_str!("firelens/extra.conf");

fn render_web(compose: &str, extra: Option<&str>) -> (Option<Value>, Vec<Diagnostic>) {
    let mut input = Input {
        files: vec![SourceFile {
            name: "c.yml".into(),
            text: compose.into(),
        }],
        options: Options {
            format: Format::Json,
            layout: Layout::Nested,
            ..Options::default()
        },
        ..Input::default()
    };
    if let Some(text) = extra {
        input.extra_files.insert(
            "extra.conf".into(),
            SourceFile {
                name: "extra.conf".into(),
                text: text.into(),
            },
        );
    }
    let out = render(&input);
    let web = out
        .files
        .iter()
        .find(|f| f.path == "web.json")
        .map(|f| serde_json::from_str(&f.text).unwrap());
    (web, out.diagnostics)
}

fn errors(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

fn container<'a>(t: &'a Value, name: &str) -> &'a Value {
    t["Resources"]["TaskDefinition"]["Properties"]["ContainerDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["Name"] == name)
        .unwrap_or_else(|| panic!("container {name}"))
}

fn policy<'a>(t: &'a Value, name: &str) -> &'a Value {
    t["Resources"]["TaskRole"]["Properties"]["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["PolicyName"] == name)
        .unwrap_or_else(|| panic!("policy {name}"))
}

#[test]
fn a_delivery_stream_reference_becomes_the_stream_name_and_one_action_on_its_arn() {
    let (t, diags) = render_web(STREAMS, Some(EXTRA));
    assert!(errors(&diags).is_empty(), "{diags:#?}");
    let t = t.unwrap();
    let web = container(&t, "web");
    assert_eq!(
        web["LogConfiguration"],
        json!({
            "LogDriver": "awsfirelens",
            "Options": {
                "delivery_stream": {"Ref": "FirehoseLogsToS3DeliveryStreamId"},
                "Name": "kinesis_firehose",
                "region": {"Ref": "AWS::Region"},
            }
        })
    );
    assert!(web["DependsOn"]
        .as_array()
        .unwrap()
        .contains(&json!({"ContainerName": "log_router", "Condition": "START"})));
    let streams = &policy(&t, "FireLensStreams")["PolicyDocument"]["Statement"];
    assert_eq!(
        streams,
        &json!([
            {"Sid": "FireLensDeliveryStreams", "Effect": "Allow", "Action": ["firehose:PutRecordBatch"],
             "Resource": [{"Ref": "FirehoseLogsToS3Arn"}]},
            {"Sid": "FireLensStreams", "Effect": "Allow", "Action": ["kinesis:PutRecords"],
             "Resource": [{"Ref": "KinesisRawLogsArn"}]},
        ])
    );
}

#[test]
fn the_router_reads_the_extra_file_the_init_container_writes() {
    let (t, _) = render_web(STREAMS, Some(EXTRA));
    let t = t.unwrap();
    let router = container(&t, "log_router");
    assert_eq!(router["Essential"], true);
    assert_eq!(router["Image"], json!({"Ref": "FluentBitImage"}));
    assert_eq!(
        router["FirelensConfiguration"],
        json!({"Type": "fluentbit", "Options": {
            "enable-ecs-log-metadata": "true",
            "config-file-type": "file",
            "config-file-value": "/fluent-bit/composex/extra.conf",
        }})
    );
    assert_eq!(
        router["DependsOn"],
        json!([{"ContainerName": "composex-files", "Condition": "COMPLETE"}])
    );
    assert_eq!(
        router["MountPoints"][0]["SourceVolume"],
        "log_router-config"
    );
    assert_eq!(router["MountPoints"][0]["ReadOnly"], true);
    // Its own logs go to the family's log group.
    assert_eq!(router["LogConfiguration"]["LogDriver"], "awslogs");
    assert_eq!(
        router["LogConfiguration"]["Options"]["awslogs-group"],
        json!({"Ref": "LogGroup"})
    );
    let env = router["Environment"].as_array().unwrap();
    assert!(env.contains(
        &json!({"Name": "FIRELENS_RAW_LOGS", "Value": {"Ref": "KinesisRawLogsStreamId"}})
    ));
    let files = container(&t, "composex-files");
    assert!(files["Command"][0]
        .as_str()
        .unwrap()
        .contains("/composex-files/log_router-config/extra.conf"));
    let parameter = &t["Resources"]["ConfigFirelens"]["Properties"]["Value"];
    insta::assert_snapshot!("firelens_extra_conf", parameter.as_str().unwrap());
    let default = &t["Parameters"]["FluentBitImage"]["Default"];
    assert!(default
        .as_str()
        .unwrap()
        .starts_with("public.ecr.aws/aws-observability/aws-for-fluent-bit:"));
}

#[test]
fn cloudwatch_through_the_router_writes_to_the_family_log_group_and_the_router_counts_in_the_size()
{
    let (t, _) = render_web(STREAMS, Some(EXTRA));
    let t = t.unwrap();
    let worker = container(&t, "worker");
    assert_eq!(
        worker["LogConfiguration"]["Options"]["log_group_name"],
        json!({"Ref": "LogGroup"})
    );
    let logs = &policy(&t, "FireLens")["PolicyDocument"]["Statement"][0];
    assert_eq!(logs["Sid"], "WriteLogs");
    assert_eq!(
        logs["Resource"],
        json!([{"Fn::GetAtt": ["LogGroup", "Arn"]}])
    );
    // web 256 units + router 102 = 358: the next Fargate size is 512 CPU units.
    let td = &t["Resources"]["TaskDefinition"]["Properties"];
    assert_eq!(td["Cpu"], "512");
}

#[test]
fn replace_aws_logs_keeps_the_named_log_group() {
    let compose = "services:\n  web:\n    image: nginx\n    logging:\n      driver: awslogs\n      options:\n        awslogs-group: app-logs\n    x-logging:\n      FireLens:\n        Shorthands:\n          ReplaceAwsLogs: true\n";
    let (t, diags) = render_web(compose, None);
    assert!(errors(&diags).is_empty(), "{diags:#?}");
    let t = t.unwrap();
    let web = container(&t, "web");
    assert_eq!(web["LogConfiguration"]["LogDriver"], "awsfirelens");
    assert_eq!(
        web["LogConfiguration"]["Options"]["log_group_name"],
        json!({"Ref": "LogGroupAppLogs"})
    );
    // No extra file: the router needs no init container.
    let router = container(&t, "log_router");
    assert!(router.get("MountPoints").is_none());
    assert!(t["Resources"].get("ConfigFirelens").is_none());
}

fn located(compose: &str, code: &str, at: &str) {
    let (_, diags) = render_web(compose, None);
    let d = diags
        .iter()
        .find(|d| d.code == code && d.severity == Severity::Error)
        .unwrap_or_else(|| panic!("no {code} error: {diags:#?}"));
    let span = d.span.expect("located");
    assert_eq!(&compose[span.start as usize..span.end as usize], at);
}

#[test]
fn bad_firelens_settings_are_located_errors() {
    located(
        "services:\n  web:\n    image: nginx\n    x-logging:\n      FireLens:\n        Advanced:\n          ParserFiles: [p.conf]\n",
        "CX670",
        "ParserFiles",
    );
    located(
        "services:\n  web:\n    image: nginx\n    logging:\n      driver: awsfirelens\n      options:\n        retry_limit: five\n",
        "CX670",
        "five",
    );
    located(
        "services:\n  web:\n    image: nginx\n    x-logging:\n      FireLens:\n        Advanced:\n          SourceFile: missing.conf\n",
        "CX670",
        "missing.conf",
    );
    located(
        "services:\n  web:\n    image: nginx\n    x-logging:\n      FireLens:\n        Shorthands:\n          ReplaceAwsLogs: sometimes\n",
        "CX670",
        "sometimes",
    );
    located(
        "services:\n  web:\n    image: nginx\n    logging:\n      driver: awsfirelens\n      options:\n        stream: x-kinesis_firehose::nope\n",
        "CX363",
        "x-kinesis_firehose::nope",
    );
    located(
        "services:\n  web:\n    image: nginx\n    logging:\n      driver: awsfirelens\n      options:\n        delivery_stream: x-kinesis_firehose::nope\n",
        "CX363",
        "x-kinesis_firehose::nope",
    );
}

#[test]
fn a_windows_family_cannot_run_the_router() {
    let compose = "services:\n  web:\n    image: nginx\n    platform: windows/amd64\n    logging:\n      driver: awsfirelens\n      options:\n        Name: cloudwatch\n";
    let (t, diags) = render_web(compose, None);
    assert!(t.is_none());
    assert!(
        diags
            .iter()
            .any(|d| d.code == "CX670" && d.message.contains("runs Windows")),
        "{diags:#?}"
    );
}

#[test]
fn plain_stream_names_and_named_log_groups_get_their_own_arns() {
    let compose = "services:\n  web:\n    image: nginx\n    logging:\n      driver: awsfirelens\n      options:\n        Name: firehose\n        delivery_stream: existing-stream\n        role_arn: arn:aws:iam::123456789012:role/delivery\n  api:\n    image: nginx\n    deploy:\n      labels:\n        ecs.task.family: web\n    logging:\n      driver: awsfirelens\n      options:\n        log_group_name: shared-logs\n";
    let (t, diags) = render_web(compose, None);
    assert!(errors(&diags).is_empty(), "{diags:#?}");
    let t = t.unwrap();
    let statements = &policy(&t, "FireLens")["PolicyDocument"]["Statement"];
    let by_sid = |sid: &str| {
        statements
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["Sid"] == sid)
            .unwrap_or_else(|| panic!("{sid}: {statements:#}"))
            .clone()
    };
    assert_eq!(
        by_sid("PutToDeliveryStreams")["Resource"],
        json!([{"Fn::Sub": "arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/existing-stream"}])
    );
    assert_eq!(
        by_sid("PutToDeliveryStreams")["Action"],
        json!(["firehose:PutRecordBatch"])
    );
    assert_eq!(
        by_sid("AssumeDeliveryRoles")["Resource"],
        json!(["arn:aws:iam::123456789012:role/delivery"])
    );
    let group = json!({"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:shared-logs:*"});
    assert_eq!(by_sid("WriteLogs")["Resource"], json!([group]));
    assert_eq!(
        by_sid("CreateNamedLogGroups")["Action"],
        json!(["logs:CreateLogGroup"])
    );
    let api = container(&t, "api");
    assert_eq!(api["LogConfiguration"]["Options"]["Name"], "cloudwatch");
    assert_eq!(
        api["LogConfiguration"]["Options"]["auto_create_group"],
        "true"
    );
    // No statement on anything else: every action is listed, no wildcard.
    for s in statements.as_array().unwrap() {
        assert!(s["Action"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| !a.as_str().unwrap().contains('*')));
    }
}

#[test]
fn a_configuration_file_too_large_for_ssm_is_refused_at_advanced() {
    let compose = "services:\n  web:\n    image: nginx\n    x-logging:\n      FireLens:\n        Advanced:\n          SourceFile: extra.conf\n";
    let big = "# padding\n".repeat(900);
    let (t, diags) = render_web(compose, Some(&big));
    assert!(t.is_none());
    let d = diags.iter().find(|d| d.code == "CX670").expect("CX670");
    assert!(d.message.contains("at most 8192"), "{}", d.message);
    let span = d.span.unwrap();
    assert!(compose[span.start as usize..span.end as usize].starts_with("SourceFile"));
}

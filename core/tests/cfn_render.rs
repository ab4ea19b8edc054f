//! Network, cluster, tags, layouts and parameter files, rendered from our own fixtures
//! (tests/fixtures/cfn) through the whole pipeline (`composex_core::render`).

use std::collections::BTreeSet;

use composex_core::cfn::ref_;
use composex_core::compose::model;
use composex_core::pipeline;
use composex_core::stack::{layout, params, APP_SUBNETS, CLUSTER_NAME, PUBLIC_SUBNETS, VPC_ID};
use composex_core::{Diagnostic, Format, Input, Layout, Options, OutputFile, SourceFile};
use serde_json::Value;

fn fixture(name: &str) -> String {
    match name {
        "defaults.yml" => include_str!("../../tests/fixtures/cfn/defaults.yml"),
        "new-vpc.yml" => include_str!("../../tests/fixtures/cfn/new-vpc.yml"),
        "existing-vpc.yml" => include_str!("../../tests/fixtures/cfn/existing-vpc.yml"),
        "no-nat.yml" => include_str!("../../tests/fixtures/cfn/no-nat.yml"),
        other => panic!("no fixture {other}"),
    }
    .to_string()
}

fn input(text: &str, format: Format, layout: Layout) -> Input {
    Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        env: Default::default(),
        options: Options {
            project_name: "test".into(),
            format,
            layout,
            params: Default::default(),
            ..Options::default()
        },
        ..Input::default()
    }
}

/// The input's project as `compose::load` builds it (parse, interpolate, merge, validate); the
/// input must load with no error.
fn project(input: &Input) -> model::Project {
    let loaded = composex_core::compose::load(input);
    assert!(
        !loaded.diagnostics.iter().any(Diagnostic::is_error),
        "{:?}",
        loaded.diagnostics
    );
    loaded.project.expect("a loaded project")
}

/// The whole pipeline, as the CLI runs it.
fn render(input: &Input) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let output = composex_core::render(input);
    (output.files, output.diagnostics)
}

fn file<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} missing from {:?}", paths(files)))
        .text
}

/// Every one of `expected` is among the files (family stacks from services come on top).
fn has_files(files: &[OutputFile], expected: &[&str]) {
    let got = paths(files);
    for e in expected {
        assert!(got.contains(e), "{e} missing from {got:?}");
    }
}

fn paths(files: &[OutputFile]) -> Vec<&str> {
    files.iter().map(|f| f.path.as_str()).collect()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

fn types(template: &Value) -> Vec<String> {
    let mut t: Vec<String> = template["Resources"]
        .as_object()
        .map(|r| {
            r.values()
                .map(|v| v["Type"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    t.sort();
    t
}

fn count(types: &[String], t: &str) -> usize {
    types.iter().filter(|x| *x == t).count()
}

#[test]
fn default_network_and_cluster() {
    let (files, diagnostics) = render(&input(
        &fixture("defaults.yml"),
        Format::Json,
        Layout::Nested,
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    has_files(
        &files,
        &[
            "test.json",
            "vpc.json",
            "test.params.json",
            "test.config.json",
            "vpc.params.json",
            "vpc.config.json",
        ],
    );
    let vpc = json(file(&files, "vpc.json"));
    let t = types(&vpc);
    assert_eq!(count(&t, "AWS::EC2::VPC"), 1);
    assert_eq!(count(&t, "AWS::EC2::Subnet"), 6);
    assert_eq!(
        count(&t, "AWS::EC2::NatGateway"),
        1,
        "one NAT by default, as ComposeX"
    );
    assert_eq!(count(&t, "AWS::EC2::InternetGateway"), 1);
    assert_eq!(
        vpc["Resources"]["Vpc"]["Properties"]["CidrBlock"],
        "100.127.0.0/24"
    );
    assert_eq!(
        vpc["Resources"]["AppSubnetB"]["Properties"]["AvailabilityZone"],
        serde_json::json!({"Fn::Select": ["1", {"Fn::GetAZs": {"Ref": "AWS::Region"}}]})
    );
    // Both app route tables go through the one NAT.
    for zone in ["A", "B"] {
        assert_eq!(
            vpc["Resources"][format!("AppDefaultRoute{zone}")]["Properties"]["NatGatewayId"],
            ref_("NatGatewayA")
        );
    }
    let root = json(file(&files, "test.json"));
    let cluster = &root["Resources"]["Cluster"];
    assert_eq!(cluster["Type"], "AWS::ECS::Cluster");
    assert_eq!(
        cluster["Properties"]["CapacityProviders"],
        serde_json::json!(["FARGATE", "FARGATE_SPOT"])
    );
    assert_eq!(
        root["Resources"]["Vpc"]["Properties"]["TemplateURL"],
        "./vpc.json"
    );
    // x-tags list form: a parameter per tag, passed down to the vpc stack, on every taggable resource.
    assert_eq!(root["Parameters"]["EnvironmentTag"]["Default"], "test");
    assert_eq!(
        root["Resources"]["Vpc"]["Properties"]["Parameters"]["EnvironmentTag"],
        ref_("EnvironmentTag")
    );
    let vpc_tags = vpc["Resources"]["Vpc"]["Properties"]["Tags"]
        .as_array()
        .unwrap();
    assert!(vpc_tags
        .iter()
        .any(|t| t["Key"] == "environment" && t["Value"] == ref_("EnvironmentTag")));
    assert!(cluster["Properties"]["Tags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["Key"] == "environment"));
    // Route tables are tagged, associations (not taggable) are not.
    assert!(
        vpc["Resources"]["PublicSubnetARouteTableAssociation"]["Properties"]
            .get("Tags")
            .is_none()
    );
}

#[test]
fn custom_vpc_properties() {
    let (files, diagnostics) = render(&input(
        &fixture("new-vpc.yml"),
        Format::Yaml,
        Layout::Nested,
    ));
    // Only the note that the published port 80 is plain HTTP open to anyone (CX540).
    assert!(
        diagnostics.iter().all(|d| d.code == "CX540"),
        "{diagnostics:?}"
    );
    let vpc: Value = serde_yaml::from_str(file(&files, "vpc.yaml")).unwrap();
    let t = types(&vpc);
    assert_eq!(
        count(&t, "AWS::EC2::NatGateway"),
        2,
        "SingleNat: false gives one NAT per zone"
    );
    assert_eq!(count(&t, "AWS::EC2::DHCPOptions"), 1);
    assert_eq!(count(&t, "AWS::EC2::FlowLog"), 1);
    assert_eq!(
        vpc["Resources"]["AppDefaultRouteB"]["Properties"]["NatGatewayId"],
        ref_("NatGatewayB")
    );
    assert_eq!(
        vpc["Resources"]["AppSubnetA"]["Properties"]["CidrBlock"],
        "10.20.0.0/18"
    );
    assert_eq!(
        vpc["Resources"]["StorageSubnetB"]["Properties"]["CidrBlock"],
        "10.20.224.0/19"
    );
    let root: Value = serde_yaml::from_str(file(&files, "test.yaml")).unwrap();
    assert_eq!(
        root["Resources"]["Cluster"]["Properties"]["ClusterName"],
        "fixture-cluster"
    );
    let config = json(file(&files, "test.config.json"));
    assert_eq!(
        config["Tags"],
        serde_json::json!({"costcentre": "platform", "owner": "team-a"})
    );
}

#[test]
fn no_nat_and_exec_logging() {
    let text = fixture("no-nat.yml");
    let (files, diagnostics) = render(&input(&text, Format::Json, Layout::Nested));
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["CX339"],
        "an info says the app subnets have no way out"
    );
    let span = diagnostics[0].span.unwrap();
    assert_eq!(&text[span.start as usize..span.end as usize], "true");
    let vpc = json(file(&files, "vpc.json"));
    let t = types(&vpc);
    assert_eq!(
        count(&t, "AWS::EC2::NatGateway") + count(&t, "AWS::EC2::EIP"),
        0
    );
    assert_eq!(
        count(&t, "AWS::EC2::Route"),
        1,
        "only the public default route"
    );
    let root = json(file(&files, "test.json"));
    assert_eq!(
        root["Resources"]["ClusterExecLogGroup"]["Properties"]["RetentionInDays"],
        14
    );
    assert_eq!(
        root["Resources"]["Cluster"]["Properties"]["Configuration"]["ExecuteCommandConfiguration"]
            ["LogConfiguration"]["CloudWatchLogGroupName"],
        ref_("ClusterExecLogGroup")
    );
}

/// The stacks of `input` plus a family-like consumer stack that imports the network and cluster,
/// laid out; returns the files as `render_project` writes them.
fn with_consumer(input: &Input) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let project = project(input);
    let mut diagnostics = Vec::new();
    let (mut stacks, tags) =
        pipeline::build_stacks(input, &project, &mut diagnostics).expect("stacks");
    let family = stacks.stack("consumer");
    let vpc = family.import(VPC_ID);
    let subnets = family.import(APP_SUBNETS);
    let cluster = family.import(CLUSTER_NAME);
    family.add_resource(
        "consumer-sg",
        composex_core::cfn::Resource::new(
            "AWS::EC2::SecurityGroup",
            serde_json::json!({ "GroupDescription": "app01", "VpcId": vpc }),
        ),
    );
    family.add_output(
        "Subnets",
        composex_core::cfn::Output::new(composex_core::cfn::join_list(",", subnets)),
    );
    family.add_output("Cluster", composex_core::cfn::Output::new(cluster));
    let options = &input.options;
    let (laid, wiring) = layout::layout(&stacks, options.layout, options.format);
    diagnostics.extend(wiring);
    let mut files: Vec<OutputFile> = laid
        .iter()
        .map(|s| OutputFile {
            path: layout::file_name(&s.name, options.format),
            text: s.template.render(options.format),
        })
        .collect();
    files.extend(params::files(
        &laid,
        options,
        &stacks.known_values,
        &stacks.unfilled_warnings,
        &tags,
        &mut diagnostics,
    ));
    (files, diagnostics)
}

#[test]
fn existing_vpc_and_cluster_are_parameters() {
    let (files, diagnostics) = with_consumer(&input(
        &fixture("existing-vpc.yml"),
        Format::Json,
        Layout::Nested,
    ));
    // Only StorageSubnets / PublicSubnets lack literal ids, and nothing here uses them: no warning.
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    has_files(
        &files,
        &[
            "test.json",
            "consumer.json",
            "test.params.json",
            "test.config.json",
        ],
    );
    assert!(!paths(&files).contains(&"vpc.json"));
    for f in files.iter().filter(|f| {
        f.path.ends_with(".json") && !f.path.contains(".params") && !f.path.contains(".config")
    }) {
        let t = types(&json(&f.text));
        assert_eq!(
            count(&t, "AWS::EC2::VPC") + count(&t, "AWS::ECS::Cluster"),
            0,
            "{}",
            f.path
        );
    }
    let root = json(file(&files, "test.json"));
    assert_eq!(root["Parameters"]["VpcId"]["Type"], "AWS::EC2::VPC::Id");
    assert_eq!(
        root["Parameters"]["AppSubnets"]["Type"],
        "List<AWS::EC2::Subnet::Id>"
    );
    assert!(
        root["Parameters"].get("PublicSubnets").is_none(),
        "unused parameters are not declared"
    );
    let passed = &root["Resources"]["Consumer"]["Properties"]["Parameters"];
    assert_eq!(passed["VpcId"], ref_("VpcId"));
    assert_eq!(
        passed["AppSubnets"],
        serde_json::json!({"Fn::Join": [",", {"Ref": "AppSubnets"}]})
    );
    assert_eq!(passed["ClusterName"], ref_("ClusterName"));
    let list = json(file(&files, "test.params.json"));
    let pairs: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["ParameterKey"].as_str().unwrap(),
                p["ParameterValue"].as_str().unwrap(),
            )
        })
        .filter(|(k, _)| matches!(*k, "VpcId" | "AppSubnets" | "ClusterName"))
        .collect();
    assert_eq!(
        pairs,
        [
            ("VpcId", "vpc-0123456789abcdef0"),
            (
                "AppSubnets",
                "subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb"
            ),
            ("ClusterName", "production")
        ]
    );
    let config = json(file(&files, "test.config.json"));
    assert_eq!(config["Parameters"]["ClusterName"], "production");
}

#[test]
fn unfilled_lookup_warns_only_when_used() {
    let text = fixture("existing-vpc.yml").replace(
        "AppSubnets:\n      Identifier: [subnet-0aaaaaaaaaaaaaaaa, subnet-0bbbbbbbbbbbbbbbb]",
        "AppSubnets:\n      Tags:\n        a: b",
    );
    let (files, diagnostics) = with_consumer(&input(&text, Format::Json, Layout::Nested));
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["CX338"], "{diagnostics:?}");
    assert!(diagnostics[0].message.contains("AppSubnets"));
    let list = json(file(&files, "test.params.json"));
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["ParameterKey"] == "AppSubnets" && p["ParameterValue"] == ""));
    // --param fills it: no warning.
    let mut with_param = input(&text, Format::Json, Layout::Nested);
    with_param
        .options
        .params
        .insert("AppSubnets".into(), "subnet-1,subnet-2".into());
    let (files, diagnostics) = with_consumer(&with_param);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert!(file(&files, "test.params.json").contains("subnet-1,subnet-2"));
}

#[test]
fn single_layout_has_the_same_resources() {
    for fixture_name in ["defaults.yml", "new-vpc.yml", "existing-vpc.yml"] {
        let text = fixture(fixture_name);
        let (nested, d1) = with_consumer(&input(&text, Format::Json, Layout::Nested));
        let (single, d2) = with_consumer(&input(&text, Format::Json, Layout::Single));
        // Only the notes on published ports (CX540), the same in both layouts.
        assert!(
            d1 == d2 && d1.iter().all(|d| d.code == "CX540"),
            "{d1:?} {d2:?}"
        );
        assert_eq!(
            paths(&single)
                .iter()
                .filter(|p| !p.contains(".params") && !p.contains(".config"))
                .count(),
            1
        );
        let mut nested_types: Vec<String> = nested
            .iter()
            .filter(|f| !f.path.contains(".params") && !f.path.contains(".config"))
            .flat_map(|f| types(&json(&f.text)))
            .filter(|t| t != "AWS::CloudFormation::Stack")
            .collect();
        nested_types.sort();
        let flat = json(file(&single, "test.json"));
        assert_eq!(types(&flat), nested_types, "{fixture_name}");
        // Every Ref / GetAtt in the flat template names something it declares (or a pseudo parameter).
        let declared: BTreeSet<String> = flat["Resources"]
            .as_object()
            .unwrap()
            .keys()
            .chain(
                flat.get("Parameters")
                    .and_then(Value::as_object)
                    .map(|p| p.keys().collect::<Vec<_>>())
                    .unwrap_or_default(),
            )
            .cloned()
            .collect();
        let mut refs = Vec::new();
        collect_refs(&flat["Resources"], &mut refs);
        collect_refs(&flat["Outputs"], &mut refs);
        for r in refs {
            assert!(
                r.starts_with("AWS::") || declared.contains(&r),
                "{fixture_name}: dangling {r}"
            );
        }
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("Ref") {
                out.push(r.clone());
            }
            if let Some(Value::Array(a)) = m.get("Fn::GetAtt") {
                if let Some(Value::String(r)) = a.first() {
                    out.push(r.clone());
                }
            }
            m.values().for_each(|x| collect_refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

#[test]
fn single_layout_wires_imports_to_values() {
    let (files, _) = with_consumer(&input(
        &fixture("defaults.yml"),
        Format::Json,
        Layout::Single,
    ));
    let flat = json(file(&files, "test.json"));
    let sg = &flat["Resources"]["ConsumerSg"];
    assert_eq!(
        sg["Properties"]["VpcId"],
        ref_("Vpc"),
        "the import became the producer's value"
    );
    assert_eq!(
        flat["Outputs"]["ConsumerSubnets"]["Value"],
        serde_json::json!({"Fn::Join": [",", [{"Ref": "VpcAppSubnetA"}, {"Ref": "VpcAppSubnetB"}]]})
    );
    assert_eq!(flat["Outputs"]["ConsumerCluster"]["Value"], ref_("Cluster"));
    assert!(
        flat["Resources"].get("VpcPublicSubnetA").is_some(),
        "vpc stack names get the stack's prefix"
    );
    assert!(
        flat["Resources"].get("Vpc").is_some(),
        "names that already carry the prefix keep it once"
    );
}

#[test]
fn nested_layout_wires_outputs() {
    let (files, _) = with_consumer(&input(
        &fixture("defaults.yml"),
        Format::Json,
        Layout::Nested,
    ));
    let root = json(file(&files, "test.json"));
    let passed = &root["Resources"]["Consumer"]["Properties"]["Parameters"];
    assert_eq!(
        passed["VpcId"],
        serde_json::json!({"Fn::GetAtt": ["Vpc", "Outputs.VpcId"]})
    );
    assert_eq!(passed["ClusterName"], ref_("Cluster"));
    let vpc = json(file(&files, "vpc.json"));
    assert_eq!(
        vpc["Outputs"]["AppSubnets"]["Value"],
        serde_json::json!({"Fn::Join": [",", [{"Ref": "AppSubnetA"}, {"Ref": "AppSubnetB"}]]})
    );
    assert!(
        vpc["Outputs"].get("StorageSubnets").is_none(),
        "only imported values become outputs"
    );
    let app = json(file(&files, "consumer.json"));
    assert_eq!(
        app["Parameters"]["AppSubnets"]["Type"],
        "List<AWS::EC2::Subnet::Id>"
    );
    assert_eq!(
        app["Resources"]["ConsumerSg"]["Properties"]["VpcId"],
        ref_("VpcId")
    );
    let _ = PUBLIC_SUBNETS;
}

#[test]
fn rendering_twice_is_byte_identical() {
    for name in [
        "defaults.yml",
        "new-vpc.yml",
        "existing-vpc.yml",
        "no-nat.yml",
    ] {
        for format in [Format::Yaml, Format::Json] {
            for layout in [Layout::Nested, Layout::Single] {
                let i = input(&fixture(name), format, layout);
                assert_eq!(with_consumer(&i).0, with_consumer(&i).0, "{name}");
                assert_eq!(render(&i).0, render(&i).0, "{name}");
            }
        }
    }
}

#[test]
fn parameter_files_hold_strings_only() {
    for name in ["defaults.yml", "new-vpc.yml", "existing-vpc.yml"] {
        let (files, _) = with_consumer(&input(&fixture(name), Format::Yaml, Layout::Nested));
        for f in files.iter().filter(|f| f.path.ends_with(".params.json")) {
            for p in json(&f.text).as_array().unwrap() {
                assert_eq!(p.as_object().unwrap().len(), 2, "{}", f.path);
                assert!(
                    p["ParameterKey"].is_string() && p["ParameterValue"].is_string(),
                    "{}: {p}",
                    f.path
                );
            }
        }
        for f in files.iter().filter(|f| f.path.ends_with(".config.json")) {
            let c = json(&f.text);
            assert!(
                c["Parameters"]
                    .as_object()
                    .unwrap()
                    .values()
                    .all(Value::is_string),
                "{}",
                f.path
            );
            assert!(
                c["Tags"]
                    .as_object()
                    .unwrap()
                    .values()
                    .all(Value::is_string),
                "{}",
                f.path
            );
        }
    }
}

#[test]
fn x_vpc_mistakes_are_located() {
    let cases = [
        (
            "x-vpc:\n  Properties:\n    VpcCidr: 10.0.0.1/16\n",
            "CX335",
            "10.0.0.1/16",
        ),
        (
            "x-vpc:\n  Properties:\n    VpcCdir: 10.0.0.0/16\n",
            "CX334",
            "VpcCdir",
        ),
        (
            "x-vpc:\n  Properties:\n    SingleNat: true\n    DisableNat: true\n",
            "CX336",
            "true",
        ),
        // Reported by compose validation, before the emitters run.
        (
            "x-vpc:\n  Properties: {VpcCidr: 10.0.0.0/16}\n  Lookup: {VpcId: vpc-1}\n",
            "CX307",
            "Lookup",
        ),
        ("x-vpc: [1]\n", "CX302", "[1]"),
        (
            "x-cluster:\n  Lookup: {Cluster: x}\n",
            "CX310",
            "{Cluster: x}",
        ),
        ("x-tags: [a]\n", "CX315", "a"),
    ];
    for (extra, code, at) in cases {
        let text = format!("services:\n  a:\n    image: a\n{extra}");
        let (_, diagnostics) = render(&input(&text, Format::Yaml, Layout::Nested));
        let d = diagnostics
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("{code} for {extra}: {diagnostics:?}"));
        let span = d.span.expect("span");
        assert_eq!(&text[span.start as usize..span.end as usize], at, "{extra}");
    }
}

#[test]
fn render_entry_point() {
    for name in ["defaults.yml", "new-vpc.yml", "no-nat.yml"] {
        for format in [Format::Yaml, Format::Json] {
            for layout in [Layout::Nested, Layout::Single] {
                let i = input(&fixture(name), format, layout);
                let first = composex_core::render(&i);
                assert!(!first.has_errors(), "{name}: {:?}", first.diagnostics);
                assert_eq!(first, composex_core::render(&i), "{name}: byte-identical");
                let mut expected = render(&i).0;
                expected.sort_by(|a, b| a.path.cmp(&b.path));
                assert_eq!(
                    first.files, expected,
                    "{name}: render() = load + emit + layout + files"
                );
                let ext = if format == Format::Json {
                    "json"
                } else {
                    "yaml"
                };
                assert!(
                    first.files.iter().any(|f| f.path == format!("test.{ext}")),
                    "root named after the project"
                );
                let templates = first
                    .files
                    .iter()
                    .filter(|f| !f.path.contains(".params.") && !f.path.contains(".config."))
                    .count();
                if layout == Layout::Single {
                    assert_eq!(templates, 1, "{name}");
                } else {
                    assert!(templates >= 2, "{name}: root + vpc (+ families)");
                }
            }
        }
    }
}

#[test]
fn existing_vpc_with_nothing_to_run_renders_nothing() {
    // The fixture without its services: the VPC and cluster are only parameters.
    let text =
        fixture("existing-vpc.yml").replace("services:\n  web:\n    image: nginx:1.27\n", "");
    assert!(!text.contains("services"));
    let out = composex_core::render(&input(&text, Format::Yaml, Layout::Nested));
    assert!(out.files.is_empty());
    let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"CX391"), "{:?}", out.diagnostics);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
}

#[test]
fn unknown_param_is_a_warning_with_a_suggestion() {
    let mut i = input(&fixture("defaults.yml"), Format::Yaml, Layout::Nested);
    i.options
        .params
        .insert("EnvironmentTags".into(), "prod".into());
    i.options
        .params
        .insert("EnvironmentTag".into(), "prod".into());
    let (files, diagnostics) = render(&i);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code, "CX390");
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some("did you mean EnvironmentTag?")
    );
    let config = json(file(&files, "test.config.json"));
    assert_eq!(
        config["Parameters"]["EnvironmentTag"], "prod",
        "--param wins over the default"
    );
}

#[test]
fn odd_log_retention_is_rounded_up_with_an_info() {
    let text = "services:\n  a:\n    image: a\nx-cluster:\n  MacroParameters:\n    CreateExecLoggingLogGroup: true\n    LogGroupRetentionInDays: 21\n";
    let (files, diagnostics) = render(&input(text, Format::Json, Layout::Nested));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(
        (diagnostics[0].code, diagnostics[0].severity),
        ("CX314", composex_core::Severity::Info)
    );
    let span = diagnostics[0].span.unwrap();
    assert_eq!(&text[span.start as usize..span.end as usize], "21");
    let root = json(file(&files, "test.json"));
    assert_eq!(
        root["Resources"]["ClusterExecLogGroup"]["Properties"]["RetentionInDays"],
        30
    );
}

/// Golden: the network stack of `no-nat.yml` (a /24, no NAT). Read through by hand: six subnets
/// (app /26 x2 = first half, public and storage /27 x2), AZs by GetAZs index, one public route
/// through the internet gateway after the attachment, per-zone app route tables with no default
/// route, a storage table with none, and outputs only for what a family imports.
#[test]
fn golden_no_nat_network() {
    let (files, _) = render(&input(&fixture("no-nat.yml"), Format::Yaml, Layout::Nested));
    insta::assert_snapshot!("no_nat_vpc_yaml", file(&files, "vpc.yaml"));
}

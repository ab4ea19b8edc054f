//! The layout's rewriting of names and imports, on hand-built stacks.

use composex_core::cfn::{
    condition, equals, get_att, if_, no_value, ref_, sub, Output, Parameter, Resource,
};
use composex_core::stack::layout::layout;
use composex_core::stack::Stacks;
use composex_core::{Format, Layout};
use serde_json::{json, Value};

/// Root exports a queue URL and a subnet list; stack `app-01` uses them in Ref, Sub and Join,
/// with a condition and a parameter of its own.
fn stacks() -> Stacks {
    let mut stacks = Stacks::new("proj");
    let root = stacks.root();
    let queue = root.add_resource("queue", Resource::new("AWS::SQS::Queue", json!({})));
    root.export("QueueUrl", ref_(&queue), "String", "queue URL");
    root.export(
        "Subnets",
        json!(["subnet-1", "subnet-2"]),
        "CommaDelimitedList",
        "subnets",
    );
    let app = stacks.stack("app-01");
    let url = app.import("QueueUrl");
    let subnets = app.import("Subnets");
    app.add_parameter("Image", Parameter::string().with_default("nginx"));
    app.template.add_condition(
        "HasImage",
        composex_core::cfn::not(equals(ref_("Image"), json!(""))),
    );
    app.template
        .add_condition("AlsoHasImage", condition("HasImage"));
    let role = app.add_resource(
        "role",
        Resource::new("AWS::IAM::Role", json!({ "Path": "/" })),
    );
    app.add_resource(
        "task",
        Resource::new(
            "AWS::ECS::TaskDefinition",
            json!({
                "Url": url,
                "Both": sub("${QueueUrl} ${Role.Arn} ${!Literal} ${AWS::Region}"),
                "Own": { "Fn::Sub": ["${QueueUrl}-${X}", { "X": ref_("Image") }] },
                "RoleArn": get_att(&role, "Arn"),
                "Dotted": { "Fn::GetAtt": "Role.Arn" },
                "Subnets": subnets,
                "Maybe": if_("HasImage", ref_("Image"), no_value()),
            }),
        )
        .with_condition("AlsoHasImage")
        .depends_on(&role),
    );
    app.add_output("RoleArn", Output::new(get_att(&role, "Arn")));
    stacks
}

fn value(t: &composex_core::cfn::Template) -> Value {
    t.to_value()
}

#[test]
fn single_layout_renames_and_substitutes() {
    let (laid, diagnostics) = layout(&stacks(), Layout::Single, Format::Yaml);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(laid.len(), 1);
    let t = value(&laid[0].template);
    let task = &t["Resources"]["App01Task"];
    assert_eq!(task["Condition"], "App01AlsoHasImage");
    assert_eq!(task["DependsOn"], "App01Role");
    let p = &task["Properties"];
    assert_eq!(p["Url"], ref_("Queue"));
    assert_eq!(
        p["Both"],
        json!({ "Fn::Sub": ["${QueueUrl} ${App01Role.Arn} ${!Literal} ${AWS::Region}", { "QueueUrl": { "Ref": "Queue" } }] })
    );
    assert_eq!(
        p["Own"],
        json!({ "Fn::Sub": ["${QueueUrl}-${X}", { "X": { "Ref": "Image" }, "QueueUrl": { "Ref": "Queue" } }] })
    );
    assert_eq!(p["RoleArn"], get_att("App01Role", "Arn"));
    assert_eq!(p["Dotted"], json!({ "Fn::GetAtt": "App01Role.Arn" }));
    assert_eq!(
        p["Subnets"],
        json!(["subnet-1", "subnet-2"]),
        "a list import is the list itself"
    );
    assert_eq!(p["Maybe"], if_("App01HasImage", ref_("Image"), no_value()));
    assert_eq!(
        t["Conditions"]["App01AlsoHasImage"],
        condition("App01HasImage")
    );
    assert_eq!(
        t["Parameters"]["Image"]["Default"], "nginx",
        "hoisted under its own name"
    );
    assert_eq!(
        t["Outputs"]["App01RoleArn"]["Value"],
        get_att("App01Role", "Arn")
    );
}

#[test]
fn nested_layout_passes_values_down() {
    let (laid, diagnostics) = layout(&stacks(), Layout::Nested, Format::Json);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let names: Vec<&str> = laid.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["proj", "app-01"]);
    let root = value(&laid[0].template);
    let stack = &root["Resources"]["App01"];
    assert_eq!(stack["Type"], "AWS::CloudFormation::Stack");
    assert_eq!(stack["Properties"]["TemplateURL"], "./app-01.json");
    assert_eq!(
        stack["Properties"]["Parameters"],
        json!({
            "QueueUrl": { "Ref": "Queue" },
            "Subnets": { "Fn::Join": [",", ["subnet-1", "subnet-2"]] },
            "Image": { "Ref": "Image" },
        })
    );
    let app = value(&laid[1].template);
    assert_eq!(app["Parameters"]["QueueUrl"]["Type"], "String");
    assert_eq!(app["Parameters"]["Subnets"]["Type"], "CommaDelimitedList");
    assert_eq!(
        app["Resources"]["Task"]["Properties"]["Url"],
        ref_("QueueUrl"),
        "names stay as written"
    );
    assert_eq!(
        laid[1].from_root.get("Image").map(String::as_str),
        Some("Image")
    );
}

#[test]
fn missing_and_duplicate_exports_are_internal_errors() {
    let mut s = Stacks::new("proj");
    s.stack("a").import("Nowhere");
    s.stack("a")
        .add_resource("r", Resource::new("AWS::SQS::Queue", json!({})));
    s.stack("b").export("X", json!("1"), "String", "x");
    s.stack("b")
        .add_resource("q", Resource::new("AWS::SQS::Queue", json!({})));
    s.root().export("X", json!("2"), "String", "x");
    for l in [Layout::Nested, Layout::Single] {
        let (_, diagnostics) = layout(&s, l, Format::Yaml);
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["CX399", "CX399"], "{diagnostics:?}");
    }
}

#[test]
fn a_root_import_of_a_nested_output_uses_getatt() {
    let mut s = Stacks::new("proj");
    let net = s.stack("net");
    let a = net.add_resource("a", Resource::new("AWS::EC2::Subnet", json!({})));
    net.export(
        "Ids",
        json!([ref_(&a)]),
        "List<AWS::EC2::Subnet::Id>",
        "ids",
    );
    let ids = s.root().import("Ids");
    s.root().add_resource(
        "x",
        Resource::new("AWS::EC2::SecurityGroup", json!({ "Ids": ids })),
    );
    let (laid, _) = layout(&s, Layout::Nested, Format::Yaml);
    let root = value(&laid[0].template);
    assert_eq!(
        root["Resources"]["X"]["Properties"]["Ids"],
        json!({ "Fn::Split": [",", { "Fn::GetAtt": ["Net", "Outputs.Ids"] }] })
    );
    let net = value(&laid[1].template);
    assert_eq!(
        net["Outputs"]["Ids"]["Value"],
        json!({ "Fn::Join": [",", [{ "Ref": "A" }]] })
    );
}

#[test]
fn a_stack_with_nothing_in_it_is_dropped() {
    let mut s = stacks();
    s.stack("empty")
        .add_parameter("Unused", Parameter::string());
    let (laid, _) = layout(&s, Layout::Nested, Format::Yaml);
    assert!(laid.iter().all(|l| l.name != "empty"));
    assert!(laid[0].template.resources.get("Empty").is_none());
}

#[test]
fn stacks_importing_from_each_other_are_reported() {
    let mut s = Stacks::new("proj");
    for (name, exports, imports) in [
        ("a", "FromA", "FromB"),
        ("b", "FromB", "FromC"),
        ("c", "FromC", "FromA"),
    ] {
        let st = s.stack(name);
        let r = st.add_resource(
            "sg",
            Resource::new(
                "AWS::EC2::SecurityGroup",
                json!({ "GroupDescription": "x" }),
            ),
        );
        st.export(exports, get_att(&r, "GroupId"), "String", "sg");
        let v = st.import(imports);
        st.add_resource(
            "rule",
            Resource::new("AWS::EC2::SecurityGroupIngress", json!({ "GroupId": v })),
        );
    }
    let (_, diagnostics) = layout(&s, Layout::Nested, Format::Yaml);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0].message.contains("a -> b -> c -> a"),
        "{}",
        diagnostics[0].message
    );
    // Which circle is reported follows the stack names, not the order the stacks were made in.
    let mut reversed = Stacks::new("proj");
    for name in ["c", "b", "a"] {
        reversed.stack(name);
    }
    for stack in s.iter().filter(|st| st.name != "proj") {
        *reversed.stack(&stack.name) = stack.clone();
    }
    let (_, diagnostics) = layout(&reversed, Layout::Nested, Format::Yaml);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0].message.contains("a -> b -> c -> a"),
        "{}",
        diagnostics[0].message
    );
    // The single layout has no stack order to break.
    let (_, diagnostics) = layout(&s, Layout::Single, Format::Yaml);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    // A chain without a circle is fine.
    let mut s = stacks();
    s.stack("late").import("QueueUrl");
    assert!(layout(&s, Layout::Nested, Format::Yaml).1.is_empty());
}

#[test]
fn stack_names_are_safe_file_stems() {
    use composex_core::stack::file_stem;
    assert_eq!(
        file_stem("../../etc/passwd"),
        "-.-..-etc-passwd",
        "no separator survives"
    );
    assert_eq!(file_stem(".hidden"), "-hidden");
    assert_eq!(file_stem("app.v2"), "app.v2");
    assert_eq!(file_stem(""), "stack");
    let mut s = Stacks::new("my project/x");
    assert_eq!(s.root_name(), "my-project-x");
    assert_eq!(s.stack("a/b").name, "a-b");
    assert!(s.contains("a/b") && s.get("a-b").is_some());
    assert_eq!(s.free_name("a-b"), "a-b-2");
    assert_eq!(s.free_name("my project/x"), "my-project-x-2");
    assert_eq!(s.free_name("c"), "c");
}

/// A stack that imports its own export: its resources frozen after `resolve_own_imports` are
/// written as the nested layout writes them unfrozen (the value in place of the import).
#[test]
fn own_imports_resolved_before_freezing_match_the_nested_layout() {
    let build = || {
        let mut stacks = Stacks::new("proj");
        let app = stacks.stack("app");
        let group = app.add_resource(
            "group",
            Resource::new(
                "AWS::EC2::SecurityGroup",
                json!({ "GroupDescription": "g" }),
            ),
        );
        app.export(
            "AppGroupId",
            get_att(&group, "GroupId"),
            "String",
            "the group",
        );
        let own = app.import("AppGroupId");
        app.add_resource(
            "ingress",
            Resource::new(
                "AWS::EC2::SecurityGroupIngress",
                json!({ "GroupId": own, "SourceSecurityGroupId": own, "IpProtocol": "-1" }),
            ),
        );
        stacks
    };
    let text = |stacks: &Stacks| {
        let (laid, diagnostics) = layout(stacks, Layout::Nested, Format::Yaml);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let app = laid.iter().find(|s| s.name == "app").unwrap();
        app.template.to_yaml()
    };
    let unfrozen = text(&build());
    assert!(
        unfrozen.contains("GroupId:\n        Fn::GetAtt:"),
        "{unfrozen}"
    );
    assert!(!unfrozen.contains("Ref: AppGroupId"), "{unfrozen}");
    let mut stacks = build();
    let app = stacks.stack("app");
    composex_core::stack::layout::resolve_own_imports(app);
    app.template.freeze_resources(Format::Yaml);
    assert_eq!(text(&stacks), unfrozen);
}

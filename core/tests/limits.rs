//! Projects CloudFormation would refuse are refused here, at a place in the compose file, with no
//! file written; and shared compose networks cost rules in proportion to the families, not to
//! their pairs.

use composex_core::{render, Format, Input, Layout, Options, Output, Severity, SourceFile};
use serde_json::Value;

/// `n` services, each its own family, on the default network; with `ports`, each publishes one.
fn services(n: usize, ports: bool) -> String {
    let mut text = String::from("services:\n");
    for i in 0..n {
        text.push_str(&format!("  app{i:03}:\n    image: example/app:{i}\n"));
        if ports {
            text.push_str(&format!("    ports: ['{}']\n", 8000 + i));
        }
    }
    text
}

fn run(text: &str, layout: Layout) -> Output {
    render(&Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        env: Default::default(),
        options: Options {
            project_name: "big".into(),
            format: Format::Json,
            layout,
            params: Default::default(),
            ..Options::default()
        },
        ..Input::default()
    })
}

fn resources(output: &Output, path: &str) -> serde_json::Map<String, Value> {
    let file = output
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"));
    let template: Value = serde_json::from_str(&file.text).unwrap();
    template["Resources"].as_object().unwrap().clone()
}

fn errors(output: &Output) -> Vec<&composex_core::Diagnostic> {
    output.diagnostics.iter().filter(|d| d.is_error()).collect()
}

#[test]
fn families_on_one_network_cost_one_rule_per_port() {
    for n in [10, 40] {
        let output = run(&services(n, true), Layout::Nested);
        assert!(errors(&output).is_empty(), "{:#?}", output.diagnostics);
        let mut rules = 0;
        for i in 0..n {
            let family = resources(&output, &format!("app{i:03}.json"));
            rules += family
                .values()
                .filter(|r| r["Type"] == "AWS::EC2::SecurityGroupIngress")
                .count();
        }
        // Two rules per family: its one port from the default network's group (pairs would be
        // n * (n - 1)) and from the project's load balancer (the port is published).
        assert_eq!(rules, 2 * n, "{n} families");
        let networks = resources(&output, "ComposeNetworks.json");
        assert_eq!(networks.len(), 1);
        assert!(!output
            .files
            .iter()
            .any(|f| f.path == "ServicesNetworking.json"));
    }
}

#[test]
fn a_single_template_over_500_resources_is_refused_with_the_nested_layout_as_help() {
    let text = services(60, true);
    let single = run(&text, Layout::Single);
    let errors = errors(&single);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = errors[0];
    assert_eq!(e.code, "CX404");
    assert!(
        e.message.starts_with("big.json would declare") && e.message.contains("at most 500"),
        "{}",
        e.message
    );
    assert!(e.help.as_deref().unwrap().contains("without --single"));
    assert!(single.files.is_empty(), "no partial output");
    // The same project in nested stacks fits: the largest template is a family's.
    let nested = run(&text, Layout::Nested);
    assert!(nested.diagnostics.iter().all(|d| !d.is_error()));
    let root = resources(&nested, "big.json");
    assert!(root.len() < 100, "{}", root.len());
}

#[test]
fn a_root_with_more_than_500_nested_stacks_is_refused_at_a_service() {
    let text = services(510, false);
    let output = run(&text, Layout::Nested);
    // Each family is a nested stack in the root, and its image a root parameter: both quotas.
    let messages: Vec<&str> = errors(&output).iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "big.json would declare 510 parameters; CloudFormation takes at most 200 per template",
            "big.json would declare 512 resources; CloudFormation takes at most 500 per template",
        ]
    );
    for e in errors(&output) {
        assert_eq!(e.code, "CX404");
        assert!(e
            .help
            .as_deref()
            .unwrap()
            .contains("several compose projects"));
        // The root stands for the whole project: the diagnostic points at the first service.
        let span = e.span.expect("located");
        assert_eq!(&text[span.start as usize..span.end as usize], "app000");
    }
    assert!(output.files.is_empty());
}

#[test]
fn a_root_template_over_51200_bytes_is_told_to_go_through_s3() {
    let output = run(&services(30, true), Layout::Single);
    assert!(errors(&output).is_empty(), "{:#?}", output.diagnostics);
    let root = output.files.iter().find(|f| f.path == "big.json").unwrap();
    let size = root.text.len();
    assert!(size > 51_200, "{size}");
    let info = output
        .diagnostics
        .iter()
        .find(|d| d.code == "CX405")
        .expect("CX405");
    assert_eq!(info.severity, Severity::Info);
    assert!(info.message.contains(&size.to_string()), "{}", info.message);
    // A small root says nothing.
    let small = run(&services(2, true), Layout::Single);
    assert!(small.diagnostics.iter().all(|d| d.code != "CX405"));
}

#[test]
fn a_family_on_five_shared_networks_needs_too_many_security_groups() {
    let mut text = String::from(
        "services:\n  hub:\n    image: x\n    ports: ['80']\n    networks: [n1, n2, n3, n4, n5]\n",
    );
    for i in 1..=5 {
        text.push_str(&format!("  w{i}:\n    image: y\n    networks: [n{i}]\n"));
    }
    text.push_str("networks: {n1: {}, n2: {}, n3: {}, n4: {}, n5: {}}\n");
    let output = run(&text, Layout::Nested);
    let e = output
        .diagnostics
        .iter()
        .find(|d| d.code == "CX403")
        .expect("CX403");
    assert!(e.is_error());
    assert!(
        e.message.contains("`hub` is on 5 compose networks"),
        "{}",
        e.message
    );
    let span = e.span.expect("located");
    assert_eq!(&text[span.start as usize..span.end as usize], "hub");
    // Four shared networks fit (the family's own group and four).
    let four = text.replace("n1, n2, n3, n4, n5", "n1, n2, n3, n4");
    let output = run(&four, Layout::Nested);
    assert!(errors(&output).is_empty(), "{:#?}", output.diagnostics);
}

#[test]
fn a_logical_id_over_255_characters_is_refused() {
    let name = "q".repeat(300);
    let text = format!(
        "services:\n  app:\n    image: x\nx-sqs:\n  {name}:\n    Properties: {{}}\n    Services:\n      app:\n        Access: RWMessages\n"
    );
    let output = run(&text, Layout::Nested);
    let errors = errors(&output);
    assert!(!errors.is_empty());
    for e in &errors {
        assert_eq!(e.code, "CX404");
        assert!(
            e.message
                .contains("is 261 characters long; CloudFormation takes at most 255"),
            "{}",
            e.message
        );
    }
    // The queue's own stack points at its x-sqs entry.
    let sqs = errors
        .iter()
        .find(|e| e.message.starts_with("sqs.json"))
        .expect("sqs.json");
    let span = sqs.span.expect("located");
    assert!(text[span.start as usize..].starts_with(&name));
    assert!(output.files.is_empty());
}

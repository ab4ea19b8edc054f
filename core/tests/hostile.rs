//! Hostile inputs: each one is answered with diagnostics (or loads, when it is valid), never with a
//! panic, a hang or half a result. Inputs are generated in memory so the suite stays fast.

use composex_core::yaml::{parse, Limits, Node, Value};
use composex_core::{Diagnostic, Input, SourceFile};

fn yaml(text: &str) -> (Vec<Node>, Vec<Diagnostic>) {
    parse(0, text, &Limits::default())
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code).collect()
}

fn input(text: impl Into<String>) -> Input {
    Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        ..Input::default()
    }
}

/// `services:` with `n` services `s0..s{n-1}`, each with an image and a port.
fn services(n: usize) -> String {
    let mut text = String::with_capacity(n * 48 + 16);
    text.push_str("services:\n");
    for i in 0..n {
        text.push_str(&format!(
            "  s{i}:\n    image: nginx:1.27\n    ports: [\"80\"]\n"
        ));
    }
    text
}

fn only_doc(docs: &[Node]) -> &Node {
    assert_eq!(docs.len(), 1, "expected one document");
    &docs[0]
}

#[test]
fn alias_bomb_hits_the_node_budget() {
    // Billion laughs: each level doubles ten times, 10^9 nodes if expanded.
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        let items = [prev.as_str(); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{items}]\n"));
    }
    let (docs, diagnostics) = yaml(&text);
    assert!(docs.is_empty());
    assert_eq!(codes(&diagnostics), ["CX103"]);
    let span = diagnostics[0].span.expect("located");
    assert!(
        text[span.start as usize..].starts_with('*'),
        "points at an alias"
    );
}

#[test]
fn ten_megabyte_file_loads() {
    // One service with a 10 MB environment (10,240 variables of 1 KiB): under the 16 MiB limit,
    // so it is read in full. (Many small keys are covered by the duplicate-key and services tests.)
    let mut text = String::from("services:\n  app:\n    image: nginx\n    environment:\n");
    let value = "v".repeat(1000);
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!("      VAR_{i:05}: {value}\n"));
        i += 1;
    }
    let (docs, diagnostics) = yaml(&text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let env = only_doc(&docs)
        .get("services")
        .and_then(|s| s.get("app"))
        .and_then(|a| a.get("environment"))
        .and_then(Node::as_map)
        .expect("environment map");
    assert_eq!(env.len(), i);
}

#[test]
fn file_over_the_size_limit_is_rejected_before_parsing() {
    let text = "#".repeat(Limits::default().max_bytes + 1);
    let (docs, diagnostics) = yaml(&text);
    assert!(docs.is_empty());
    assert_eq!(codes(&diagnostics), ["CX101"]);
}

#[test]
fn ten_thousand_deep_flow_nesting_is_too_deep() {
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let text = format!("{}x{}", open.repeat(10_000), close.repeat(10_000));
        let (docs, diagnostics) = yaml(&text);
        assert!(docs.is_empty());
        assert_eq!(codes(&diagnostics), ["CX102"], "{open}");
    }
}

#[test]
fn ten_thousand_deep_block_nesting_is_too_deep() {
    // Compact block sequences: `- - - ... x`, one level per dash.
    let text = format!("{}x\n", "- ".repeat(10_000));
    let (docs, diagnostics) = yaml(&text);
    assert!(docs.is_empty());
    assert_eq!(codes(&diagnostics), ["CX102"]);

    // Indented block mappings as deep as the 16 MiB limit allows in a sane test (1,000 levels).
    let mut text = String::new();
    for depth in 0..1_000 {
        text.push_str(&" ".repeat(depth));
        text.push_str("k:\n");
    }
    let (docs, diagnostics) = yaml(&text);
    assert!(docs.is_empty());
    assert_eq!(codes(&diagnostics), ["CX102"]);
}

#[test]
fn nesting_just_under_the_limit_loads() {
    let depth = Limits::default().max_depth - 1;
    let text = format!("{}x{}", "[".repeat(depth), "]".repeat(depth));
    let (docs, diagnostics) = yaml(&text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(docs.len(), 1);
}

#[test]
fn fifty_thousand_services_parse() {
    let text = services(50_000);
    let (docs, diagnostics) = yaml(&text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let services = only_doc(&docs)
        .get("services")
        .and_then(Node::as_map)
        .expect("services map");
    assert_eq!(services.len(), 50_000);
}

#[test]
fn one_megabyte_single_line_loads() {
    let value = "x".repeat(1024 * 1024);
    let text = format!("services: {{app: {{image: nginx, command: \"{value}\"}}}}");
    assert!(!text.contains('\n'));
    let (docs, diagnostics) = yaml(&text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let command = only_doc(&docs)
        .get("services")
        .and_then(|s| s.get("app"))
        .and_then(|a| a.get("command"))
        .and_then(Node::as_str)
        .expect("command");
    assert_eq!(command.len(), 1024 * 1024);
}

#[test]
fn invalid_utf8_decoded_lossily_is_read_with_replacement_characters() {
    // The core takes &str: whoever reads the bytes decodes them. Decoded lossily, the bad bytes
    // become U+FFFD inside a scalar and the file still parses; spans stay byte offsets into the
    // decoded text. (The CLI's own handling of invalid UTF-8 is tested with the binary.)
    let bytes = b"services:\n  app:\n    image: ngi\xff\xfenx\n";
    let text = String::from_utf8_lossy(bytes);
    let (docs, diagnostics) = yaml(&text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let image = only_doc(&docs)
        .get("services")
        .and_then(|s| s.get("app"))
        .and_then(|a| a.get("image"))
        .expect("image");
    assert_eq!(image.as_str(), Some("ngi\u{FFFD}\u{FFFD}nx"));
    assert_eq!(
        &text[image.span.start as usize..image.span.end as usize],
        "ngi\u{FFFD}\u{FFFD}nx"
    );
}

#[test]
fn nul_bytes_are_a_syntax_error() {
    for text in [
        "services:\n  app:\n    image: ng\0inx\n",
        "\0",
        "services: {a: \"\0\"}",
    ] {
        let (docs, diagnostics) = yaml(text);
        assert!(docs.is_empty(), "{text:?}");
        assert_eq!(codes(&diagnostics), ["CX100"], "{text:?}");
        let span = diagnostics[0].span.expect("located");
        assert!(span.end as usize <= text.len());
    }
}

#[test]
fn crlf_line_ends_load_like_lf() {
    let lf = "services:\n  app:\n    image: nginx\n    ports:\n      - \"80:80\"\n";
    let crlf = lf.replace('\n', "\r\n");
    let (lf_docs, lf_diags) = yaml(lf);
    let (crlf_docs, crlf_diags) = yaml(&crlf);
    assert!(lf_diags.is_empty() && crlf_diags.is_empty());
    let image = |docs: &[Node]| {
        only_doc(docs)
            .get("services")
            .and_then(|s| s.get("app"))
            .and_then(|a| a.get("image"))
            .cloned()
            .expect("image")
    };
    assert_eq!(image(&lf_docs).as_str(), Some("nginx"));
    let crlf_image = image(&crlf_docs);
    assert_eq!(crlf_image.as_str(), Some("nginx"));
    // Spans count the \r bytes: they still slice out exactly the scalar.
    let s = crlf_image.span;
    assert_eq!(&crlf[s.start as usize..s.end as usize], "nginx");
}

#[test]
fn byte_order_mark_is_skipped_and_spans_stay_byte_offsets() {
    let text = "\u{FEFF}services:\n  app:\n    image: nginx\n";
    let (docs, diagnostics) = yaml(text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let doc = only_doc(&docs);
    let map = doc.as_map().expect("map");
    assert_eq!(map.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["services"]);
    let image = doc
        .get("services")
        .and_then(|s| s.get("app"))
        .and_then(|a| a.get("image"))
        .expect("image");
    assert_eq!(
        &text[image.span.start as usize..image.span.end as usize],
        "nginx"
    );
}

#[test]
fn json_document_loads_as_yaml() {
    let text = r#"{"services": {"app": {"image": "nginx", "ports": ["80:80"], "x-n": 1.5e3}}}"#;
    let (docs, diagnostics) = yaml(text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let app = only_doc(&docs)
        .get("services")
        .and_then(|s| s.get("app"))
        .expect("app");
    assert_eq!(app.get("image").and_then(Node::as_str), Some("nginx"));
    match &app.get("ports").expect("ports").value {
        Value::Seq(items) => assert_eq!(items.len(), 1),
        other => panic!("ports is {other:?}"),
    }
}

#[test]
fn empty_file_has_no_documents() {
    for text in ["", "\n\n", "# only a comment\n", "\u{FEFF}"] {
        let (docs, diagnostics) = yaml(text);
        assert!(docs.is_empty(), "{text:?}");
        assert!(diagnostics.is_empty(), "{text:?}: {diagnostics:?}");
    }
}

#[test]
fn validate_never_panics_on_the_hostile_inputs() {
    // The whole load path (parse, interpolate, merge, model, validate) on the same inputs.
    let inputs = [
        String::new(),
        "\0".to_string(),
        format!("{}x", "- ".repeat(10_000)),
        format!("{}x{}", "[".repeat(10_000), "]".repeat(10_000)),
        "\u{FEFF}services: {a: {image: nginx}}".to_string(),
        "services:\r\n  a:\r\n    image: nginx\r\n".to_string(),
        r#"{"services": {"a": {"image": "nginx"}}}"#.to_string(),
        services(5_000),
    ];
    for text in inputs {
        let input = input(text);
        // The load level: `validate` also renders, which 5,000 services make slow in a debug build.
        let diagnostics = composex_core::compose::load(&input).diagnostics;
        let output = composex_core::Output {
            files: Vec::new(),
            diagnostics,
            source_map: Default::default(),
        }
        .finish(&input);
        for d in &output.diagnostics {
            assert!(d.span.is_none() || d.location.is_some(), "{d:?}");
        }
    }
}

#[test]
fn many_duplicate_keys_are_each_reported_once_with_the_first_line() {
    // 20,000 keys, then the same 20,000 again: every second one is a duplicate (CX104), and each
    // message names the line of the first definition. This was quadratic before the key index.
    let n = 20_000;
    let mut text = String::new();
    for round in 0..2 {
        for i in 0..n {
            text.push_str(&format!("k{i}: {round}\n"));
        }
    }
    let (docs, diagnostics) = yaml(&text);
    assert_eq!(docs.len(), 1);
    assert_eq!(diagnostics.len(), n);
    assert!(diagnostics.iter().all(|d| d.code == "CX104"));
    let last = diagnostics.last().expect("one");
    assert_eq!(
        last.message,
        format!("mapping key \"k{}\" already defined at line {n}", n - 1)
    );
    // The first value wins.
    assert_eq!(only_doc(&docs).get("k7").and_then(Node::as_str), Some("0"));
}

/// The one place that guarantees "no partial output": `Output::finish` keeps the files when
/// the diagnostics are warnings, and drops every one of them on an error.
#[test]
fn finish_drops_the_files_on_an_error_only() {
    let input = input("services: {a: {image: x}}");
    let file = composex_core::OutputFile {
        path: "a.yaml".into(),
        text: "Resources: {}\n".into(),
    };
    let at = composex_core::Span::new(0, 0, 8);
    let with = |d: Diagnostic| {
        composex_core::Output {
            files: vec![file.clone()],
            diagnostics: vec![d],
            source_map: Default::default(),
        }
        .finish(&input)
    };
    let kept = with(Diagnostic::warning("CX327", "w", at)).files;
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0], file);
    assert!(with(Diagnostic::error("CX200", "e", at)).files.is_empty());
}

//! The wasm API as the playground calls it, run in headless Chromium by wasm-bindgen-test-runner:
//! inputs are built with `JSON.parse` like a page would, outputs are read back as plain JSON.
#![cfg(target_arch = "wasm32")]

use composex_wasm::{
    complete, default_options, hover, load_schema, merge, render, render_with_graph,
    render_with_graph_json, schema_loaded, validate, version, JsInput,
};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(value: Value) -> JsInput {
    js_sys::JSON::parse(&value.to_string())
        .expect("valid JSON")
        .unchecked_into()
}

fn plain(value: impl Into<JsValue>) -> Value {
    let text: String = js_sys::JSON::stringify(&value.into())
        .expect("serialisable")
        .into();
    serde_json::from_str(&text).expect("JSON")
}

fn input(text: &str) -> JsInput {
    js(json!({ "files": [{ "name": "docker-compose.yml", "text": text }] }))
}

/// The schema table file as `make wasm` puts it next to the module (`make wasm-test` writes it
/// first); the page fetches it, the tests embed it.
const SCHEMA_FILE: &str = include_str!("../../target/composex_schema.json");

/// Installs the schema table (once per wasm instance; the tests share one).
fn with_schema() {
    assert_eq!(load_schema(SCHEMA_FILE), None);
    assert!(schema_loaded());
}

const SMALL: &str = "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"80:80\"\n";

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn default_options_are_plain_objects_with_camel_case_keys() {
    let options = plain(default_options());
    assert_eq!(
        options,
        json!({ "projectName": "composex", "format": "yaml", "layout": "nested", "params": {}, "profiles": [], "sourceMap": false, "checkProperties": true })
    );
}

#[wasm_bindgen_test]
fn a_wrong_shaped_input_is_a_diagnostic_not_an_exception() {
    for bad in [
        json!(42),
        json!("text"),
        json!({ "files": "not a list" }),
        json!({ "files": [{ "name": 1 }] }),
    ] {
        for call in [render, validate, merge] {
            let out = plain(call(js(bad.clone())));
            assert_eq!(out["files"], json!([]), "{bad}");
            let diagnostics = out["diagnostics"].as_array().expect("list");
            assert_eq!(diagnostics.len(), 1, "{bad}: {diagnostics:?}");
            assert_eq!(diagnostics[0]["code"], "CX001");
            assert_eq!(diagnostics[0]["severity"], "error");
            assert!(diagnostics[0]["message"]
                .as_str()
                .unwrap()
                .contains("not a valid Input"));
        }
    }
}

#[wasm_bindgen_test]
fn options_and_env_may_be_left_out() {
    let out = plain(validate(input(SMALL)));
    // Only the notes that port 80 is public and plain HTTP, as the file asks (CX540).
    let codes: Vec<&str> = out["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(codes, ["CX540", "CX540"], "{out}");
}

#[wasm_bindgen_test]
fn a_yaml_error_is_located_with_line_and_utf16_column() {
    // Line 4 repeats the key `b` after an emoji: one char but two UTF-16 code units.
    let line4 = "x-a: {\"\u{1F600}\": 1, b: 2, b: 3}";
    let text = format!("services:\n  web:\n    image: nginx\n{line4}\n");
    let second_b = line4.rfind("b:").unwrap();
    let column = line4[..second_b].chars().count() + 1;
    let out = plain(validate(input(&text)));
    let diagnostics = out["diagnostics"].as_array().expect("list");
    let duplicate = diagnostics.iter().find(|d| d["code"] == "CX104");
    let duplicate = duplicate.unwrap_or_else(|| panic!("no duplicate-key diagnostic: {out}"));
    assert_eq!(duplicate["severity"], "error");
    let location = &duplicate["location"];
    assert_eq!(location["file"], "docker-compose.yml");
    assert_eq!(location["line"], 4, "{location}");
    assert_eq!(location["column"], column, "{location}");
    assert_eq!(location["column_utf16"], column + 1, "{location}");
}

#[wasm_bindgen_test]
fn merge_returns_the_merged_compose_file() {
    let two = js(json!({
        "files": [
            { "name": "base.yml", "text": SMALL },
            { "name": "override.yml", "text": "services:\n  web:\n    image: nginx:${TAG}\n" }
        ],
        "env": { "TAG": "1.28" }
    }));
    let out = plain(merge(two));
    assert_eq!(out["diagnostics"], json!([]), "{out}");
    let files = out["files"].as_array().expect("list");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["path"], "docker-compose.yml");
    let text = files[0]["text"].as_str().unwrap();
    assert!(text.contains("nginx:1.28"), "{text}");
    assert!(!text.contains("nginx:1.27"), "{text}");
}

#[wasm_bindgen_test]
fn render_writes_a_root_template_that_links_its_nested_stacks() {
    let with_options = js(json!({
        "files": [{ "name": "docker-compose.yml", "text": SMALL }],
        "options": { "projectName": "demo" }
    }));
    let out = plain(render(with_options));
    let errors = out["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    assert_eq!(errors, 0, "{out}");
    let files = out["files"].as_array().unwrap();
    let root = files.iter().find(|f| f["path"] == "demo.yaml");
    let root = root.unwrap_or_else(|| panic!("no demo.yaml: {out}"))["text"]
        .as_str()
        .unwrap();
    assert!(root.contains("AWSTemplateFormatVersion"), "{root}");
    let nested: Vec<&str> = files
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .filter(|p| p.ends_with(".yaml") && *p != "demo.yaml")
        .collect();
    assert!(!nested.is_empty(), "no nested stack: {out}");
    for path in nested {
        assert!(
            root.contains(&format!("./{path}")),
            "root does not link {path}: {root}"
        );
    }
}

#[wasm_bindgen_test]
fn render_in_json_format_writes_json_templates() {
    let as_json = js(json!({
        "files": [{ "name": "docker-compose.yml", "text": SMALL }],
        "options": { "projectName": "demo", "format": "json" }
    }));
    let out = plain(render(as_json));
    let root = out["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "demo.json");
    let root = root.unwrap_or_else(|| panic!("no demo.json: {out}"));
    let parsed: Value = serde_json::from_str(root["text"].as_str().unwrap()).expect("valid JSON");
    assert_eq!(parsed["AWSTemplateFormatVersion"], "2010-09-09", "{parsed}");
    assert!(
        parsed["Resources"]
            .as_object()
            .is_some_and(|r| !r.is_empty()),
        "{parsed}"
    );
}

#[wasm_bindgen_test]
fn render_with_graph_adds_the_source_map_and_the_graph() {
    let out = plain(render_with_graph(input(SMALL)));
    let nodes: Vec<&str> = out["graph"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(nodes.contains(&"service:web"), "{out}");
    let web = &out["graph"]["nodes"].as_array().unwrap()[2];
    assert_eq!(
        (web["id"].as_str(), web["line"].as_u64()),
        (Some("service:web"), Some(2))
    );
    let task = &out["source_map"]["web.yaml"]["resources"]["TaskDefinition"];
    assert_eq!(task["line"], 2, "{out}");
    assert_eq!(task["type"], "AWS::ECS::TaskDefinition");
    // A plain render carries neither.
    let plain_out = plain(render(input(SMALL)));
    assert!(plain_out.get("source_map").is_none() && plain_out.get("graph").is_none());
}

#[wasm_bindgen_test]
fn render_with_graph_json_is_the_text_of_render_with_graph() {
    // What the playground's worker posts to its page: the same answer, as one JSON text.
    let text = render_with_graph_json(input(SMALL));
    let parsed: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(parsed, plain(render_with_graph(input(SMALL))));
    assert!(
        parsed["files"].as_array().is_some_and(|f| !f.is_empty()),
        "{parsed}"
    );
    // A wrong-shaped input is still text the page can parse: the CX001 diagnostic, no graph.
    let bad: Value = serde_json::from_str(&render_with_graph_json(js(json!(42)))).expect("JSON");
    assert_eq!(bad["diagnostics"][0]["code"], "CX001");
    assert_eq!(bad["graph"], Value::Null);
}

#[wasm_bindgen_test]
fn a_diagnostic_without_a_place_has_a_null_span() {
    // As the TypeScript types say (`span: Span | null`): present and null, not left out.
    for call in [render, validate, merge] {
        let out = plain(call(js(json!(42))));
        let diagnostic = out["diagnostics"][0].as_object().expect("object").clone();
        assert_eq!(diagnostic.get("span"), Some(&Value::Null), "{out}");
    }
}

#[wasm_bindgen_test]
fn completion_offers_properties_and_values_in_utf16_offsets() {
    with_schema();
    // "é" is one UTF-16 unit and two bytes: offsets must come back in UTF-16 units.
    let text = "# café\nx-sqs:\n  jobs:\n    Properties:\n      Delay";
    let units = text.encode_utf16().count() as u32;
    let got = plain(complete(text, units));
    assert_eq!(got["from"], json!(units - 5));
    assert_eq!(got["options"][0]["label"], "DelaySeconds");
    assert_eq!(got["options"][0]["detail"], "integer");
    let text = "x-dynamodb:\n  t:\n    Properties:\n      BillingMode: PAY";
    let got = plain(complete(text, text.len() as u32));
    assert_eq!(
        got["options"],
        json!([{"label": "PAY_PER_REQUEST", "detail": "allowed value", "info": ""}])
    );
}

#[wasm_bindgen_test]
fn hover_explains_a_property_and_is_undefined_elsewhere() {
    with_schema();
    let text = "x-sqs:\n  jobs:\n    Properties:\n      DelaySeconds: 5\n";
    let at = text.find("Delay").unwrap() as u32;
    let got = plain(hover(text, at + 3));
    assert_eq!(got["from"], json!(at));
    assert_eq!(got["to"], json!(at + 12));
    assert!(got["text"]
        .as_str()
        .unwrap()
        .starts_with("DelaySeconds: integer (AWS::SQS::Queue)"));
    let value: JsValue = hover(text, text.len() as u32 - 2).into();
    assert!(value.is_undefined());
}

#[wasm_bindgen_test]
fn the_schema_file_is_checked_and_then_checks_properties() {
    // A file that is no table is refused with its reason and installs nothing.
    let refused = load_schema("{\"version\": 1}").expect("refused");
    assert!(refused.contains("resources"), "{refused}");
    with_schema();
    // The table arrived: Properties values and instance classes are checked at their lines.
    let text = "services:\n  app:\n    image: nginx\nx-sqs:\n  jobs:\n    Properties:\n      DelaySeconds: soon\nx-rds:\n  db:\n    MacroParameters:\n      Engine: aurora-postgresql\n      EngineVersion: \"14.6\"\n      Instances:\n        - DBInstanceClass: db.m5a.large\n";
    let out = plain(validate(input(text)));
    let found: Vec<(String, u64)> = out["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "CX500" || d["code"] == "CX506")
        .map(|d| {
            let code = d["code"].as_str().unwrap().to_string();
            (code, d["location"]["line"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(
        found,
        [("CX500".to_string(), 7), ("CX506".to_string(), 14)],
        "{out}"
    );
}

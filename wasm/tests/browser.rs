//! The wasm API as the playground calls it, run in headless Chromium by wasm-bindgen-test-runner:
//! inputs are built with `JSON.parse` like a page would, outputs are read back as plain JSON.
#![cfg(target_arch = "wasm32")]

use composex_wasm::{default_options, merge, render, validate, version, JsInput};
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
        json!({ "projectName": "composex", "format": "yaml", "layout": "nested", "params": {} })
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
    assert_eq!(out["diagnostics"], json!([]), "{out}");
}

#[wasm_bindgen_test]
fn a_yaml_error_is_located_with_line_and_utf16_column() {
    // Line 3 holds an emoji (two UTF-16 units) before the broken flow sequence.
    let text = "services:\n  web:\n    image: \"\u{1F600}\" [\n";
    let out = plain(validate(input(text)));
    let diagnostics = out["diagnostics"].as_array().expect("list");
    let first = diagnostics
        .first()
        .unwrap_or_else(|| panic!("no diagnostic: {out}"));
    assert_eq!(first["severity"], "error");
    assert!(
        first["code"].as_str().unwrap().starts_with("CX1"),
        "{first}"
    );
    let location = &first["location"];
    assert_eq!(location["file"], "docker-compose.yml");
    assert!(location["line"].as_u64().unwrap() >= 3, "{location}");
    if location["line"] == 3 && location["column"].as_u64().unwrap() > 12 {
        // Past the emoji the UTF-16 column is one more than the char column.
        assert_eq!(
            location["column_utf16"].as_u64(),
            location["column"].as_u64().map(|c| c + 1)
        );
    }
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
fn render_writes_templates_and_parameter_files() {
    let with_options = js(json!({
        "files": [{ "name": "docker-compose.yml", "text": SMALL }],
        "options": { "projectName": "demo" }
    }));
    let out = plain(render(with_options));
    assert_eq!(
        out["diagnostics"]
            .as_array()
            .map(|d| d.iter().filter(|d| d["severity"] == "error").count()),
        Some(0),
        "{out}"
    );
    let paths: Vec<&str> = out["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"demo.yaml"), "{paths:?}");
    assert!(
        paths.iter().any(|p| p.ends_with(".params.json")),
        "{paths:?}"
    );
    let root = out["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "demo.yaml")
        .unwrap();
    assert!(
        root["text"]
            .as_str()
            .unwrap()
            .contains("AWSTemplateFormatVersion"),
        "{root}"
    );
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
    assert!(parsed.get("Resources").is_some() || parsed.get("AWSTemplateFormatVersion").is_some());
}

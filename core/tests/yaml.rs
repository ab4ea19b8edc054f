//! The YAML layer: spans, anchors, merge keys, tags, duplicate keys, limits.

use composex_core::yaml::{parse, Limits, Node, ScalarStyle, Tag};
use composex_core::Diagnostic;

fn one(text: &str) -> Node {
    let (docs, diags) = parse(0, text, &Limits::default());
    assert!(diags.is_empty(), "unexpected diagnostics: {diags:#?}");
    assert_eq!(docs.len(), 1);
    docs.into_iter().next().unwrap()
}

fn errors(text: &str) -> Vec<Diagnostic> {
    parse(0, text, &Limits::default()).1
}

fn slice<'a>(text: &'a str, n: &Node) -> &'a str {
    &text[n.span.start as usize..n.span.end as usize]
}

#[test]
fn every_node_has_the_span_of_its_text() {
    let text = "services:\n  web:\n    image: nginx:1.25\n    ports:\n      - \"80:80\"\n";
    let doc = one(text);
    let web = doc.get("services").unwrap().get("web").unwrap();
    assert_eq!(slice(text, web.get("image").unwrap()), "nginx:1.25");
    let port = &web.get("ports").unwrap().as_seq().unwrap()[0];
    assert_eq!(slice(text, port), "\"80:80\"");
    assert_eq!(port.as_scalar().unwrap().style, ScalarStyle::Quoted);
    // a block mapping spans from its first key to its last value
    assert!(slice(text, web).starts_with("image") && slice(text, web).ends_with("\"80:80\""));
    // key spans are kept too
    let key = web.as_map().unwrap().key_span("ports").unwrap();
    assert_eq!(&text[key.start as usize..key.end as usize], "ports");
}

#[test]
fn spans_are_byte_offsets_after_non_ascii_text() {
    let text = "# café ☕\na: \"é\"\nb: x\n";
    let doc = one(text);
    assert_eq!(slice(text, doc.get("b").unwrap()), "x");
}

#[test]
fn anchors_and_aliases_copy_the_value_with_its_original_span() {
    let text = "x: &env {A: 1}\ny: *env\n";
    let doc = one(text);
    assert_eq!(doc.get("y").unwrap().get("A").unwrap().as_str(), Some("1"));
    assert_eq!(doc.get("y").unwrap().span, doc.get("x").unwrap().span);
}

#[test]
fn merge_keys_apply_and_explicit_keys_win() {
    let text = "base: &b {image: a, user: root}\nother: &o {image: z, tty: 'true'}\nsvc:\n  image: mine\n  <<: [*b, *o]\n";
    let svc = one(text).get("svc").unwrap().clone();
    let keys: Vec<_> = svc
        .as_map()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.to_owned(), v.as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        keys,
        [
            ("image".into(), "mine".into()),
            ("user".into(), "root".into()),
            ("tty".into(), "true".into())
        ]
    );
}

#[test]
fn merge_of_a_scalar_is_located_error() {
    let d = errors("a: &a 1\nb:\n  <<: *a\n");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "CX106");
    assert_eq!(d[0].message, "map merge requires map, found number");
}

#[test]
fn reset_and_override_tags_are_kept() {
    let doc = one("ports: !reset []\nenvironment: !override {A: b}\ncmd: !reset null\n");
    assert_eq!(doc.get("ports").unwrap().tag, Some(Tag::Reset));
    assert_eq!(doc.get("environment").unwrap().tag, Some(Tag::Override));
    assert_eq!(doc.get("cmd").unwrap().tag, Some(Tag::Reset));
    assert!(doc.get("cmd").unwrap().is_null());
}

#[test]
fn duplicate_keys_are_errors_that_point_at_both() {
    let text = "services:\n  a:\n    image: x\n    image: y\n";
    let d = errors(text);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "CX104");
    assert_eq!(
        d[0].message,
        "mapping key \"image\" already defined at line 3"
    );
    assert_eq!(
        d[0].span.unwrap().start as usize,
        text.rfind("image").unwrap()
    );
    assert_eq!(
        d[0].labels[0].span.start as usize,
        text.find("image").unwrap()
    );
}

#[test]
fn several_documents_give_several_nodes() {
    let (docs, d) = parse(0, "a: 1\n---\na: 2\n", &Limits::default());
    assert!(d.is_empty());
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1].get("a").unwrap().as_str(), Some("2"));
}

#[test]
fn yaml_1_2_scalars_stay_strings() {
    let doc = one("a: yes\nb: 22:22\nc: 0440\nd: on\ne: 1_000\nf: 12\n");
    for k in ["a", "b", "c", "d", "e"] {
        assert_eq!(doc.get(k).unwrap().kind_name(), "string", "{k}");
    }
    assert_eq!(
        doc.get("f").unwrap().as_scalar().unwrap().as_i64(),
        Some(12)
    );
    assert_eq!(doc.get("c").unwrap().as_str(), Some("0440"));
}

#[test]
fn bom_and_crlf_are_accepted() {
    let text = "\u{feff}a: 1\r\nb: two\r\n";
    let doc = one(text);
    assert_eq!(doc.get("b").unwrap().as_str(), Some("two"));
    assert_eq!(slice(text, doc.get("b").unwrap()), "two");
}

#[test]
fn empty_text_has_no_documents() {
    let (docs, d) = parse(0, "", &Limits::default());
    assert!(docs.is_empty() && d.is_empty());
    let (docs, _) = parse(0, "# only a comment\n", &Limits::default());
    assert!(docs.is_empty());
}

#[test]
fn a_tab_in_indentation_is_a_located_error_with_help() {
    let text = "services:\n\tweb:\n";
    let d = errors(text);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "CX100");
    assert!(d[0].help.as_deref().unwrap().contains("spaces"));
}

#[test]
fn non_scalar_keys_are_errors() {
    let d = errors("? [a, b]\n: 1\n");
    assert_eq!(d[0].code, "CX105");
}

#[test]
fn unknown_tags_warn() {
    let (docs, d) = parse(0, "a: !custom 1\n", &Limits::default());
    assert_eq!(docs.len(), 1);
    assert_eq!(
        (d[0].code, d[0].severity),
        ("CX107", composex_core::Severity::Warning)
    );
}

#[test]
fn alias_bomb_ends_in_a_diagnostic() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let (docs, d) = parse(0, &text, &Limits::default());
    assert!(docs.is_empty());
    assert_eq!(d.last().unwrap().code, "CX103");
}

#[test]
fn deep_nesting_ends_in_a_diagnostic() {
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let (docs, d) = parse(0, &text, &Limits::default());
    assert!(docs.is_empty());
    assert_eq!(d.last().unwrap().code, "CX102");
    let block: String = (0..10_000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let (docs, d) = parse(0, &block, &Limits::default());
    assert!(docs.is_empty());
    assert!(!d.is_empty());
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let limits = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    let (docs, d) = parse(0, "a: 123456789\n", &limits);
    assert!(docs.is_empty());
    assert_eq!(d[0].code, "CX101");
}

#[test]
fn unclosed_flow_sequence_is_a_syntax_error() {
    let d = errors("a: [1, 2\nb: 3\n");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "CX100");
}

#[test]
fn scalar_spans_exclude_anchors_tags_and_trailing_comments() {
    let text = "a: 'it''s' # c\nb: \"q\\\"x\"  # d\nc: &n plain\nd: !!str 12\n";
    let doc = one(text);
    assert_eq!(slice(text, doc.get("a").unwrap()), "'it''s'");
    assert_eq!(slice(text, doc.get("b").unwrap()), "\"q\\\"x\"");
    assert_eq!(slice(text, doc.get("c").unwrap()), "plain");
    assert_eq!(slice(text, doc.get("d").unwrap()), "12");
    assert_eq!(doc.get("d").unwrap().kind_name(), "string");
}

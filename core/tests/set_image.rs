//! set-image: a text edit that leaves everything else byte-identical.

use composex_core::set_image::{set_image, ImageUpdate};
use composex_core::SourceFile;

fn file(name: &str, text: &str) -> SourceFile {
    SourceFile {
        name: name.into(),
        text: text.into(),
    }
}

fn update(service: &str, image: &str) -> Vec<ImageUpdate> {
    vec![ImageUpdate {
        service: service.into(),
        image: image.into(),
    }]
}

const BASE: &str = "# the front end\r\nx-defaults: &defaults\r\n  restart: always  # keep it up\r\nservices:\r\n  app01:\r\n    <<: *defaults\r\n    image: 'registry/app01:old' # built by CI\r\n    ports: [\"5000:5000\"]\r\n  app02:\r\n    image: app02:1\r\n";

#[test]
fn changes_only_the_scalar_keeping_comments_anchors_quotes_and_crlf() {
    let out = set_image(
        &[file("c.yml", BASE)],
        &update("app01", "123.dkr.ecr.eu-west-1.amazonaws.com/app01:abc123"),
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let expected = BASE.replace(
        "'registry/app01:old'",
        "'123.dkr.ecr.eu-west-1.amazonaws.com/app01:abc123'",
    );
    assert_eq!(out.files.len(), 1);
    assert_eq!(out.files[0].text, expected);
}

#[test]
fn plain_scalars_stay_plain_and_unsafe_text_is_quoted() {
    let out = set_image(&[file("c.yml", BASE)], &update("app02", "app02:2"));
    assert_eq!(
        out.files[0].text,
        BASE.replace("image: app02:1", "image: app02:2")
    );
    let out = set_image(
        &[file("c.yml", BASE)],
        &update("app02", "${APP02_IMAGE:-app02:2}"),
    );
    assert_eq!(
        out.files[0].text,
        BASE.replace("image: app02:1", "image: \"${APP02_IMAGE:-app02:2}\"")
    );
}

#[test]
fn the_override_file_that_sets_the_image_is_the_one_edited() {
    let over = "services:\n  app02:\n    image: \"app02:override\"\n";
    let out = set_image(
        &[file("base.yml", BASE), file("prod.yml", over)],
        &update("app02", "app02:3"),
    );
    assert_eq!(out.files.len(), 1);
    assert_eq!(out.files[0].path, "prod.yml");
    assert_eq!(
        out.files[0].text,
        "services:\n  app02:\n    image: \"app02:3\"\n"
    );
}

#[test]
fn a_service_without_image_gets_a_line_with_its_indentation() {
    let text = "services:\n  web:\n    build: .\n    ports:\n      - 80\n";
    let out = set_image(&[file("c.yml", text)], &update("web", "web:1"));
    assert_eq!(
        out.files[0].text,
        "services:\n  web:\n    image: web:1\n    build: .\n    ports:\n      - 80\n"
    );
}

#[test]
fn an_unknown_service_is_a_located_error_with_a_suggestion_and_no_file() {
    let out = set_image(&[file("c.yml", BASE)], &update("app1", "x:1"));
    assert!(out.files.is_empty());
    let d = &out.diagnostics[0];
    assert_eq!(d.code, "CX250");
    assert_eq!(d.help.as_deref(), Some("did you mean `app01`?"));
    let span = d.span.unwrap();
    assert_eq!(&BASE[span.start as usize..span.end as usize], "services");
}

#[test]
fn an_invalid_reference_is_refused() {
    let out = set_image(&[file("c.yml", BASE)], &update("app01", "App01:latest"));
    assert!(out.files.is_empty());
    assert_eq!(out.diagnostics[0].code, "CX251");
}

#[test]
fn setting_the_same_image_changes_no_file() {
    let out = set_image(&[file("c.yml", BASE)], &update("app02", "app02:1"));
    assert!(out.files.is_empty() && out.diagnostics.is_empty());
}

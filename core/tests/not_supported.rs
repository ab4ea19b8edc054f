//! Known ComposeX keys that composex cannot render yet end in an error at the key (exit 1, no
//! files), never in a silent drop; unknown `x-*` keys stay warnings.

use composex_core::{render, Input, Severity, SourceFile};

fn run(text: &str) -> composex_core::Output {
    render(&Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        ..Input::default()
    })
}

/// `severity code line:col message (help: ...)` per diagnostic, with the text its span covers.
fn lines(text: &str, out: &composex_core::Output) -> Vec<String> {
    out.diagnostics
        .iter()
        .map(|d| {
            let span = d.span.expect("located");
            let before = &text[..span.start as usize];
            let line = before.matches('\n').count() + 1;
            let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            let at = &text[span.start as usize..span.end as usize];
            format!(
                "{:?} {} {line}:{col} [{at}] {} (help: {})",
                d.severity,
                d.code,
                d.message,
                d.help.as_deref().unwrap_or("")
            )
        })
        .collect()
}

const TOP_LEVEL: &[&str] = &["x-efs"];

const SERVICE_LEVEL: &[&str] = &["x-ecr", "x-docker_opts", "x-environment"];

#[test]
fn each_unimplemented_top_level_module_is_an_error_at_its_key() {
    for key in TOP_LEVEL {
        let text = format!(
            "services:\n  app:\n    image: nginx\n{key}:\n  thing:\n    Properties: {{}}\n"
        );
        let out = run(&text);
        assert!(out.files.is_empty(), "{key}: no partial output");
        let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{key}: {errors:#?}");
        let d = errors[0];
        assert_eq!(d.code, "CX374", "{key}");
        assert_eq!(d.message, format!("{key} is not supported yet"));
        let span = d.span.expect("located");
        assert_eq!(&text[span.start as usize..span.end as usize], *key);
        assert!(d.help.as_deref().is_some_and(|h| h.contains("remove")));
    }
}

#[test]
fn each_unimplemented_service_extension_is_an_error_at_its_key() {
    for key in SERVICE_LEVEL {
        let text = format!("services:\n  app:\n    image: nginx\n    {key}: {{}}\n");
        let out = run(&text);
        assert!(out.files.is_empty(), "{key}: no partial output");
        let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{key}: {errors:#?}");
        assert_eq!(errors[0].code, "CX374");
        assert_eq!(
            errors[0].message,
            format!("services.app.{key} is not supported yet")
        );
        let span = errors[0].span.expect("located");
        assert_eq!(&text[span.start as usize..span.end as usize], *key);
    }
}

#[test]
fn the_errors_read_well() {
    let text = "services:\n  app:\n    image: nginx\n    x-ecr:\n      InterpolateWithDigest: true\n    x-environment: {}\nx-efs:\n  shared: {}\n";
    let out = run(text);
    insta::assert_snapshot!(lines(text, &out).join("\n"));
}

#[test]
fn unknown_x_keys_stay_warnings() {
    let text = "services:\n  app:\n    image: nginx\n    x-made-up: 1\nx-kinesiss:\n  s: {}\n";
    let out = run(text);
    assert!(!out.files.is_empty(), "warnings do not stop the render");
    assert!(out
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Warning));
    assert_eq!(out.diagnostics.len(), 2, "{:#?}", out.diagnostics);
}

//! A big project's stacks are compacted once written (a plain render of 50 services or more),
//! a mapped render's are not: both must write the very same files.

use composex_core::{render, Format, Input, Layout, Options, SourceFile};

/// `n` services, each its own family, with the keys that make varied JSON: environment,
/// a healthcheck, limits, a published port every other service and a Cloud Map namespace.
fn services(n: usize) -> String {
    let mut text = String::from("services:\n");
    for i in 0..n {
        text.push_str(&format!(
            "  app{i:03}:\n    image: example/app:{i}\n    environment:\n      NAME: app{i:03}\n      \
             NEXT: app{next:03}\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n    deploy:\n      \
             resources:\n        limits:\n          cpus: \"0.25\"\n          memory: 512M\n",
            next = (i + 1) % n
        ));
        if i % 2 == 0 {
            text.push_str(&format!("    ports: ['{}:80']\n", 8000 + i));
        }
        if i % 10 == 0 {
            text.push_str("    x-network:\n      x-cloudmap: apps\n");
        }
    }
    text.push_str("x-cloudmap:\n  apps:\n    ZoneName: apps.local\n");
    text
}

fn files(text: &str, layout: Layout, format: Format, source_map: bool) -> Vec<(String, String)> {
    let output = render(&Input {
        files: vec![SourceFile {
            name: "docker-compose.yml".into(),
            text: text.into(),
        }],
        options: Options {
            project_name: "big".into(),
            format,
            layout,
            source_map,
            ..Options::default()
        },
        ..Input::default()
    });
    let errors: Vec<_> = output.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    output.files.into_iter().map(|f| (f.path, f.text)).collect()
}

#[test]
fn compacted_stacks_write_the_same_files() {
    // The threshold itself (pipeline's COMPACT_FROM_SERVICES), and few enough resources for
    // the single layout's one template.
    let text = services(50);
    for layout in [Layout::Nested, Layout::Single] {
        for format in [Format::Yaml, Format::Json] {
            let compacted = files(&text, layout, format, false);
            let as_built = files(&text, layout, format, true);
            assert!(!compacted.is_empty());
            assert_eq!(compacted, as_built, "{layout:?} {format:?}");
        }
    }
}

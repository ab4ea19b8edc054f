//! A big project's stacks are compacted once written (a plain render of 50 services or more),
//! and a plain nested YAML render finishes each family's stack as soon as it is complete
//! (tags, checkov decisions, its own imports, its resources written as text); a mapped
//! render does neither: both must write the very same files.

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

/// Everything that changes a family's stack after its own emitter: Service Connect (published
/// ports), a named volume on EFS, x-tags, a linked x-module, a load balancer.
const EXTRAS: &str = r#"services:
  web:
    image: example/web:1
    ports: ["8080:80"]
    volumes: [uploads:/data]
    environment:
      API: http://api:9000
  api:
    image: example/api:1
    ports: ["9000"]
    volumes:
      - type: volume
        source: uploads
        target: /uploads
        read_only: true
  worker:
    image: example/worker:1
volumes:
  uploads: {}
x-tags:
  costcentre: lambda
  owner: platform
x-sqs:
  jobs:
    Services:
      worker:
        Access: RWMessages
      api:
        Access: RO
"#;

#[test]
fn families_finished_early_write_the_same_files() {
    for text in [EXTRAS, &services(3)] {
        for format in [Format::Yaml, Format::Json] {
            let finished_early = files(text, Layout::Nested, format, false);
            let mapped = files(text, Layout::Nested, format, true);
            assert!(finished_early.len() > 4);
            assert_eq!(finished_early, mapped, "{format:?}");
        }
    }
    // What must have been applied to a family before its resources were frozen.
    let files = files(EXTRAS, Layout::Nested, Format::Yaml, false);
    let web = &files.iter().find(|(path, _)| path == "web.yaml").unwrap().1;
    for applied in [
        "ServiceConnectConfiguration:",
        "EFSVolumeConfiguration:",
        "Ref: CostcentreTag",
        "checkov:",
    ] {
        assert!(web.contains(applied), "{applied} missing:\n{web}");
    }
}

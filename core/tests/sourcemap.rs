//! The source map: every resource of every example (the repository's examples and every
//! registry entry's examples, so a new module is checked without editing this file) maps to a
//! place inside the compose file, in both layouts; asking for it changes no output file; a few
//! origins checked by hand against the seed.

// Reads the repository's examples.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeMap;
use std::path::Path;

use composex_core::registry::REGISTRY;
use composex_core::{render, Format, Input, Layout, Options, Output, SourceFile};
use serde_json::Value;

fn input(name: &str, text: &str, layout: Layout, source_map: bool) -> Input {
    Input {
        files: vec![SourceFile {
            name: name.into(),
            text: text.into(),
        }],
        options: Options {
            project_name: "test".into(),
            format: Format::Json,
            layout,
            source_map,
            ..Options::default()
        },
        ..Input::default()
    }
}

/// Template file -> its logical ids, read from the rendered JSON (not from the source map).
fn resources(out: &Output) -> BTreeMap<String, Vec<String>> {
    out.files
        .iter()
        .filter(|f| !f.path.contains(".params.") && !f.path.contains(".config."))
        .map(|f| {
            let t: Value = serde_json::from_str(&f.text).expect("JSON template");
            let ids = t["Resources"]
                .as_object()
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default();
            (f.path.clone(), ids)
        })
        .collect()
}

fn examples() -> Vec<(String, String)> {
    let mut found = Vec::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    for entry in std::fs::read_dir(&dir).expect("examples/").flatten() {
        let file = entry.path().join("docker-compose.yml");
        if let Ok(text) = std::fs::read_to_string(&file) {
            found.push((file.display().to_string(), text));
        }
    }
    for module in REGISTRY {
        for example in module.docs().examples {
            found.push((example.path.to_string(), example.text.to_string()));
        }
    }
    found.sort();
    found
}

#[test]
fn every_resource_of_every_example_maps_into_its_compose_file() {
    let mut checked = 0;
    for (name, text) in examples() {
        for layout in [Layout::Nested, Layout::Single] {
            let plain = render(&input(&name, &text, layout, false));
            if plain.files.is_empty() {
                continue; // examples of mistakes and refused keys render nothing
            }
            let mapped = render(&input(&name, &text, layout, true));
            assert_eq!(
                plain.files, mapped.files,
                "{name}: the source map changed the output"
            );
            assert!(
                plain.source_map.is_empty(),
                "{name}: a source map nobody asked for"
            );
            let lines = text.lines().count();
            for (file, ids) in resources(&mapped) {
                let map = mapped.source_map.get(&file);
                for id in ids {
                    let entry = map.and_then(|m| m.resources.get(&id));
                    let Some(entry) = entry else {
                        panic!("{name} ({layout:?}): {file} {id} has no source-map entry");
                    };
                    let at = &entry.location;
                    assert_eq!(at.file, name, "{file} {id}");
                    assert!(
                        at.line >= 1 && at.end_line <= lines + 1,
                        "{file} {id}: {at:?}"
                    );
                    assert!(
                        at.start <= at.end && at.end <= text.len(),
                        "{file} {id}: {at:?}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} resources checked");
}

/// The 1-based line of the first line of `text` that is `line` once trimmed, after line `after`.
fn line_of(text: &str, line: &str, after: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(after)
        .find(|(_, l)| l.trim() == line)
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("no line {line}"))
}

#[test]
fn the_seed_maps_to_the_lines_that_made_each_resource() {
    let text = include_str!("../../examples/seed/docker-compose.yml");
    let out = render(&input("docker-compose.yml", text, Layout::Nested, true));
    assert!(!out.has_errors(), "{:#?}", out.diagnostics);
    let line = |file: &str, id: &str| {
        let entry = &out.source_map[file].resources[id];
        (entry.type_.clone().unwrap_or_default(), entry.location.line)
    };
    let services = line_of(text, "services:", 0);
    let app01 = line_of(text, "app01:", services);
    let app02 = line_of(text, "app02:", services);
    let x_sqs = line_of(text, "x-sqs:", 0);
    let jobs = line_of(text, "jobs:", x_sqs);
    let dlq = line_of(text, "jobs-dlq:", x_sqs);
    let alb = line_of(text, "public-alb:", 0);
    let cloudmap = line_of(text, "x-cloudmap:", 0);
    let sg = "AWS::EC2::SecurityGroup".to_string();
    assert_eq!(line("app01.json", "SecurityGroup"), (sg.clone(), app01));
    assert_eq!(line("app02.json", "SecurityGroup"), (sg, app02));
    let task = "AWS::ECS::TaskDefinition".to_string();
    assert_eq!(line("app01.json", "TaskDefinition"), (task, app01));
    let queue = "AWS::SQS::Queue".to_string();
    let sqs = &out.source_map["sqs.json"].resources;
    let mut queues: Vec<usize> = sqs.values().map(|e| e.location.line).collect();
    queues.sort();
    assert_eq!(queues, vec![dlq, jobs]);
    assert!(sqs
        .values()
        .all(|e| e.type_.as_deref() == Some(queue.as_str())));
    let lb = "AWS::ElasticLoadBalancingV2::LoadBalancer".to_string();
    assert_eq!(line("elbv2.json", "PublicAlb"), (lb, alb));
    // The namespace: x-cloudmap's mapping starts on the line after the key.
    let (_, ns) = line("cloudmap.json", "MyappsLocal");
    assert_eq!(ns, cloudmap + 1);
    // Nested stacks: where their template's first resource came from.
    assert_eq!(line("test.json", "App01").1, app01);
    assert_eq!(line("test.json", "Sqs").1, jobs.min(dlq));
    // The default VPC: no key asked for it, so the whole file.
    let vpc = &out.source_map["vpc.json"].resources["Vpc"].location;
    assert_eq!((vpc.line, vpc.end), (1, text.len()));
}

//! The resource graph: the seed's nodes and edges checked by hand (app01 → jobs with its access
//! level, jobs → jobs-dlq redrive, app01 → app02, the load balancer → app01), each node's
//! resources read from the source map; every example's graph is well formed and places its
//! resources in nodes.

// Reads the repository's examples.
#![allow(clippy::disallowed_methods)]

use std::path::Path;

use composex_core::graph::Graph;
use composex_core::{render_with_graph, Input, Options, SourceFile};

fn graph(name: &str, text: &str) -> Graph {
    let input = Input {
        files: vec![SourceFile {
            name: name.into(),
            text: text.into(),
        }],
        options: Options {
            project_name: "test".into(),
            ..Options::default()
        },
        ..Input::default()
    };
    let (output, graph) = render_with_graph(&input);
    assert!(!output.has_errors(), "{name}: {:#?}", output.diagnostics);
    graph.expect("a graph")
}

fn edge(g: &Graph, from: &str, to: &str, kind: &str) -> String {
    let found: Vec<_> = g
        .edges_between(from, to)
        .filter(|e| e.kind == kind)
        .collect();
    assert_eq!(found.len(), 1, "{from} -{kind}-> {to} in {:#?}", g.edges);
    found[0].label.clone()
}

const SEED: &str = include_str!("../../examples/seed/docker-compose.yml");

#[test]
fn the_seed_graph_has_its_services_resources_and_links() {
    let g = graph("docker-compose.yml", SEED);
    let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "vpc",
            "cluster",
            "service:app01",
            "service:app02",
            "x-sqs:jobs-dlq",
            "x-sqs:jobs",
            "x-elbv2:public-alb",
            "x-cloudmap:myapps",
            "network:default"
        ]
    );
    assert_eq!(
        edge(&g, "service:app01", "x-sqs:jobs", "access"),
        "SendOnly"
    );
    assert_eq!(
        edge(&g, "x-sqs:jobs", "x-sqs:jobs-dlq", "redrive"),
        "after 5 receives"
    );
    assert_eq!(
        edge(&g, "service:app01", "service:app02", "network"),
        "5000/tcp"
    );
    assert_eq!(
        edge(&g, "service:app02", "service:app01", "network"),
        "5000/tcp"
    );
    assert_eq!(
        edge(&g, "service:app01", "service:app02", "names"),
        "APP02_URL"
    );
    assert_eq!(
        edge(&g, "x-elbv2:public-alb", "service:app01", "target"),
        "5000/HTTP"
    );
    assert_eq!(
        edge(&g, "service:app02", "x-cloudmap:myapps", "registers"),
        ""
    );
    assert_eq!(edge(&g, "service:app01", "network:default", "member"), "");
    assert_eq!(g.edges.len(), 9, "{:#?}", g.edges);

    // Locations: app01's definition runs from its key to the end of its block.
    let app01 = g.node("service:app01").unwrap();
    let at = app01.location.as_ref().unwrap();
    let key_line = SEED.lines().position(|l| l == "  app01:").unwrap() + 1;
    let next_line = SEED.lines().position(|l| l == "  app02:").unwrap() + 1;
    assert_eq!((at.line, at.column), (key_line, 3));
    assert!(
        at.end_line < next_line && at.end_line > key_line + 20,
        "{at:?}"
    );
    assert!(g.node("vpc").unwrap().location.is_none());

    // Resources, from the source map.
    let has = |id: &str, file: &str, logical: &str| {
        let node = g.node(id).unwrap();
        node.resources
            .iter()
            .any(|r| r.file == file && r.id == logical)
    };
    assert!(has("service:app01", "app01.yaml", "SecurityGroup"));
    assert!(has("service:app01", "app01.yaml", "TaskDefinition"));
    assert!(has("service:app01", "test.yaml", "App01"));
    assert!(!has("service:app01", "app02.yaml", "TaskDefinition"));
    assert!(has("service:app02", "app02.yaml", "TaskDefinition"));
    assert!(has("x-elbv2:public-alb", "elbv2.yaml", "PublicAlb"));
    assert!(has("vpc", "vpc.yaml", "Vpc"));
    assert!(has("cluster", "test.yaml", "Cluster"));
    let queues = |id: &str| {
        g.node(id)
            .unwrap()
            .resources
            .iter()
            .filter(|r| r.type_ == "AWS::SQS::Queue")
            .count()
    };
    assert_eq!((queues("x-sqs:jobs"), queues("x-sqs:jobs-dlq")), (1, 1));
}

#[test]
fn every_example_graph_is_well_formed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("examples/").flatten() {
        let file = entry.path().join("docker-compose.yml");
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if entry.file_name() == "mistakes" {
            continue;
        }
        let name = file.display().to_string();
        let g = graph(&name, &text);
        let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
        for e in &g.edges {
            assert!(
                ids.contains(&e.from.as_str()) && ids.contains(&e.to.as_str()),
                "{name}: {e:?}"
            );
        }
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{name}: duplicate node ids");
        // Every service stands for its task definition.
        for node in g.nodes.iter().filter(|n| n.kind == "service") {
            assert!(node.location.is_some(), "{name}: {}", node.id);
            assert!(
                !node.resources.is_empty(),
                "{name}: {} stands for nothing",
                node.id
            );
        }
        checked += 1;
    }
    assert!(checked >= 5, "{checked}");
}

#[test]
fn a_crowded_network_is_a_hub_instead_of_an_edge_per_pair() {
    let services: String = (0..11)
        .map(|i| format!("  web{i}:\n    image: nginx:1.27\n    expose: [\"80\"]\n"))
        .collect();
    let g = graph("docker-compose.yml", &format!("services:\n{services}"));
    let network: Vec<_> = g.edges.iter().filter(|e| e.kind == "network").collect();
    assert_eq!(network.len(), 11, "{network:#?}");
    assert!(network.iter().all(|e| e.from == "network:default"
        && e.to.starts_with("service:web")
        && e.label == "80/tcp"));
    // Ten services still get an edge per ordered pair.
    let services: String = (0..10)
        .map(|i| format!("  web{i}:\n    image: nginx:1.27\n    expose: [\"80\"]\n"))
        .collect();
    let g = graph("docker-compose.yml", &format!("services:\n{services}"));
    let pairs = g.edges.iter().filter(|e| e.kind == "network").count();
    assert_eq!(pairs, 10 * 9);
}

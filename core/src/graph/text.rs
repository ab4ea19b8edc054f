//! The graph as Graphviz DOT and as a Mermaid flowchart (both accepted by their own tools:
//! tests run `dot` and the mermaid parser over them).

use std::fmt::Write;

use super::Graph;

/// A colour per node kind, shared by both formats (the playground uses the same palette).
fn colour(kind: &str) -> &'static str {
    match kind {
        "service" => "#dbeafe",
        "x-resource" => "#fef3c7",
        "load-balancer" => "#dcfce7",
        "network" => "#f3e8ff",
        "volume" => "#ffe4e6",
        "namespace" => "#e0f2fe",
        _ => "#e5e7eb",
    }
}

/// What a node shows: its name and what it is.
fn caption(node: &super::Node) -> (String, String) {
    let what = node.module.clone().unwrap_or_else(|| node.kind.to_string());
    (node.name.clone(), what)
}

/// `text` as a DOT double-quoted string.
fn dot_quote(text: &str) -> String {
    format!("\"{}\"", dot_escape(text))
}

/// `text` escaped for inside a DOT double-quoted string.
fn dot_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The graph as a Graphviz `digraph`.
pub fn dot(graph: &Graph) -> String {
    let mut out = String::from("digraph composex {\n  rankdir=LR;\n");
    out.push_str("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for node in &graph.nodes {
        let (name, what) = caption(node);
        let label = format!("\"{}\\n{}\"", dot_escape(&name), dot_escape(&what));
        let _ = writeln!(
            out,
            "  {} [label={}, fillcolor=\"{}\"];",
            dot_quote(&node.id),
            label,
            colour(node.kind)
        );
    }
    for edge in &graph.edges {
        let style = if edge.kind == "member" {
            ", style=dashed"
        } else {
            ""
        };
        let label = if edge.label.is_empty() {
            edge.kind.to_string()
        } else {
            format!("{}: {}", edge.kind, edge.label)
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}{style}];",
            dot_quote(&edge.from),
            dot_quote(&edge.to),
            dot_quote(&label)
        );
    }
    out.push_str("}\n");
    out
}

/// `text` inside a Mermaid quoted label: its markup characters as entity codes.
fn mermaid_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The graph as a Mermaid `flowchart` (nodes are `n0`, `n1`, ... in node order).
pub fn mermaid(graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    let index = |id: &str| graph.nodes.iter().position(|n| n.id == id);
    for (i, node) in graph.nodes.iter().enumerate() {
        let (name, what) = caption(node);
        let _ = writeln!(
            out,
            "  n{i}[{}]",
            mermaid_quote(&format!("{name} ({what})"))
        );
    }
    for edge in &graph.edges {
        let (Some(from), Some(to)) = (index(&edge.from), index(&edge.to)) else {
            continue;
        };
        let arrow = if edge.kind == "member" { "-.->" } else { "-->" };
        let label = if edge.label.is_empty() {
            edge.kind.to_string()
        } else {
            format!("{}: {}", edge.kind, edge.label)
        };
        let _ = writeln!(out, "  n{from} {arrow}|{}| n{to}", mermaid_quote(&label));
    }
    let mut kinds: Vec<&str> = graph.nodes.iter().map(|n| n.kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let class = kind.replace('-', "_");
        let _ = writeln!(out, "  classDef {class} fill:{}", colour(kind));
        let members: Vec<String> = graph
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == kind)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        let _ = writeln!(out, "  class {} {class}", members.join(","));
    }
    out
}

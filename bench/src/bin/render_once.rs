//! One render for profiling under callgrind: `render_once seed` or `render_once workers|web N`.
//! `RENDERS=K` renders K times: the difference between K and 1 renders, divided by K - 1, is
//! the cost of a render in a warm process (what criterion measures), without process start and
//! the tables built once.

#![allow(clippy::disallowed_methods)]

use composex_bench::{seed_input, synthetic_input, Series};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let input = match args.first().map(String::as_str) {
        Some("web") | Some("workers") => {
            let series = if args[0] == "web" {
                Series::Web
            } else {
                Series::Workers
            };
            let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100);
            synthetic_input(series, n).input
        }
        _ => seed_input().expect("examples/seed exists").input,
    };
    let renders: usize = std::env::var("RENDERS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    // GRAPH=1: what the playground asks for (the source map and the graph too).
    let graph = std::env::var("GRAPH").is_ok_and(|g| g == "1");
    let render_one = |input: &composex_core::Input| {
        if graph {
            composex_core::render_with_graph(input).0
        } else {
            composex_core::render(input)
        }
    };
    for _ in 1..renders {
        drop(std::hint::black_box(render_one(&input)));
    }
    let output = render_one(&input);
    let bytes: usize = output.files.iter().map(|f| f.text.len()).sum();
    println!("{} files, {bytes} bytes", output.files.len());
    for d in output.diagnostics.iter().filter(|d| d.is_error()) {
        println!("{d:?}");
    }
}

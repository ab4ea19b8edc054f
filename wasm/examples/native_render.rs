//! Native twin of the wasm `render` for `make bench-wasm`: the same core call on the same input,
//! timed natively without process start-up or file IO in the loop.
//!
//! `native_render RUNS NAME FILE...` prints `{"runs":N,"first_ms":T,"median_ms":M,"files":F}`.

// A host-side tool: it reads files and the clock, which only the core may not do.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::hint::black_box;
use std::time::Instant;

use composex_core::{render, Input, Options, SourceFile};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(runs), Some(name)) = (
        args.first().and_then(|r| r.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: native_render RUNS NAME FILE...");
        std::process::exit(2);
    };
    let files = args[2..]
        .iter()
        .map(|path| SourceFile {
            name: path.rsplit('/').next().unwrap_or(path).to_string(),
            text: std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}")),
        })
        .collect();
    let options = Options {
        project_name: name.clone(),
        ..Options::default()
    };
    let input = Input {
        files,
        env: Default::default(),
        options,
        ..Input::default()
    };
    // The first call is reported on its own: it pays for any lazily built tables.
    let start = Instant::now();
    black_box(render(black_box(&input)));
    let first = start.elapsed().as_secs_f64() * 1000.0;
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            black_box(render(black_box(&input)));
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let files = render(&input).files.len();
    let runs = times.len();
    println!(
        "{{\"runs\":{runs},\"first_ms\":{first:.4},\"median_ms\":{median:.4},\"files\":{files}}}"
    );
}

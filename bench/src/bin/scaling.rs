//! t(1,000)/t(100) side by side: the `workers` render and two workloads that are linear by
//! construction ([`composex_bench::linear_work`], sized like the render's output and like its
//! peak), timed in interleaved rounds so that the machine's state falls on all of them alike.
//!
//! `scaling [ROUNDS] [JSON]`: each round times 10 runs at 100 services (their median) and one
//! at 1,000, for each workload; the medians over the rounds are printed, and written to JSON
//! when a path is given (`make bench` reads it into the README table).

// A benchmark reads the clock: the no-clock rule of clippy.toml is for the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::time::Instant;

use composex_bench::{
    linear_work, synthetic_input, Series, OUTPUT_BYTES_PER_SERVICE, PEAK_BYTES_PER_SERVICE,
};

/// One workload at `services`, timed in milliseconds.
type Run<'a> = Box<dyn Fn(usize) -> f64 + 'a>;

fn timed(work: impl FnOnce()) -> f64 {
    let start = Instant::now();
    work();
    start.elapsed().as_secs_f64() * 1e3
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(30);
    let json_path = args.get(1);
    let small = synthetic_input(Series::Workers, 100).input;
    let big = synthetic_input(Series::Workers, 1_000).input;
    let render: Run = Box::new(|n| {
        let input = if n == 100 { &small } else { &big };
        timed(|| drop(std::hint::black_box(composex_core::render(input))))
    });
    let linear = |bytes: usize| -> Run {
        Box::new(move |n| {
            timed(|| {
                std::hint::black_box(linear_work(n, bytes));
            })
        })
    };
    let linear_what =
        |what: &str, bytes: usize| format!("linear work, {what} ({} KiB a service)", bytes / 1024);
    let workloads: [(&str, String, Run); 3] = [
        ("render", "the `workers` render".to_string(), render),
        (
            "linear_output",
            linear_what("the output's size", OUTPUT_BYTES_PER_SERVICE),
            linear(OUTPUT_BYTES_PER_SERVICE),
        ),
        (
            "linear_peak",
            linear_what("the render's peak", PEAK_BYTES_PER_SERVICE),
            linear(PEAK_BYTES_PER_SERVICE),
        ),
    ];
    // Warm up: the allocator's pages, the code, the tables built once.
    for (_, _, run) in &workloads {
        for _ in 0..3 {
            run(100);
            run(1_000);
        }
    }
    let mut times = vec![(Vec::new(), Vec::new()); workloads.len()];
    for _ in 0..rounds {
        for ((_, _, run), (at_100, at_1000)) in workloads.iter().zip(&mut times) {
            at_100.push(median((0..10).map(|_| run(100)).collect()));
            at_1000.push(run(1_000));
        }
    }
    let mut json = serde_json::Map::new();
    json.insert("rounds".into(), rounds.into());
    println!("t(1,000)/t(100), medians of {rounds} interleaved rounds:");
    for ((key, what, _), (at_100, at_1000)) in workloads.iter().zip(times) {
        let (t100, t1000) = (median(at_100), median(at_1000));
        let ratio = t1000 / t100;
        println!("  {what:<52} {t100:>8.3} ms {t1000:>9.3} ms  ratio {ratio:.2}");
        let figures = serde_json::json!({
            "what": what, "t100_ms": t100, "t1000_ms": t1000, "ratio": ratio,
        });
        json.insert(key.to_string(), figures);
    }
    if let Some(path) = json_path {
        let text = serde_json::to_string_pretty(&json).expect("figures are plain numbers");
        std::fs::write(path, text + "\n").expect("write the JSON figures");
    }
}

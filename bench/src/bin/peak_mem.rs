//! Peak memory of one render: `peak_mem [workers|web] N` renders a synthetic project of N
//! services once and prints the process's peak resident set (VmHWM, Linux) before and after,
//! with the CLI's allocator.

#![allow(clippy::disallowed_methods)]

use composex_bench::{synthetic_input, Series};

/// Peak resident set size of this process so far, in KiB (Linux `/proc/self/status`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let series = match args.first().map(String::as_str) {
        Some("web") => Series::Web,
        _ => Series::Workers,
    };
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let named = synthetic_input(series, n);
    let input_bytes: usize = named.input.files.iter().map(|f| f.text.len()).sum();
    let before = peak_rss_kib();
    let output = composex_core::render(&named.input);
    let after = peak_rss_kib();
    let output_bytes: usize = output.files.iter().map(|f| f.text.len()).sum();
    let errors = output.diagnostics.iter().filter(|d| d.is_error()).count();
    let show = |k: Option<u64>| {
        k.map_or("unknown".to_string(), |k| {
            format!("{:.1} MiB", k as f64 / 1024.0)
        })
    };
    println!(
        "peak memory: {} {n} services: input {:.1} MiB, output {} files / {:.1} MiB, {errors} errors; \
         peak RSS before render {}, after {}",
        series.group(),
        input_bytes as f64 / 1048576.0,
        output.files.len(),
        output_bytes as f64 / 1048576.0,
        show(before),
        show(after),
    );
}

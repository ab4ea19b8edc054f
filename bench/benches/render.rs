//! Native render time: every corpus case, the seed example, and synthetic projects of 10 to 5,000
//! services. `make bench` runs this and then `bench/table.py` prints the tables from criterion's
//! estimates. Nothing here asserts a time.

use std::time::Duration;

use composex_bench::{corpus_inputs, seed_input, synthetic_input, Named, Series};
use criterion::{BenchmarkGroup, Criterion};

fn bench_all(c: &mut Criterion, group_name: &str, inputs: &[Named]) {
    let mut group = c.benchmark_group(group_name);
    tune(&mut group, inputs);
    for named in inputs {
        group.bench_function(&named.name, |b| {
            b.iter(|| composex_core::render(std::hint::black_box(&named.input)))
        });
    }
    group.finish();
}

/// Few samples and a short measurement: 130 corpus cases must fit in a few minutes on a shared
/// 2-core machine. The largest synthetic inputs take seconds per render, so they get the minimum.
fn tune(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, inputs: &[Named]) {
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(300));
    let biggest = inputs
        .iter()
        .map(|n| n.input.files.iter().map(|f| f.text.len()).sum::<usize>());
    let slow = biggest.max().unwrap_or(0) > 200_000;
    group.measurement_time(Duration::from_millis(if slow { 2_000 } else { 1_000 }));
}

/// What a synthetic render ends with: the whole pipeline runs either way, but past CloudFormation's
/// quotas (about 195 families) the last check refuses the project and no file is kept.
fn outcome(group: &str, named: &Named) {
    let output = composex_core::render(&named.input);
    let errors: Vec<&str> = output
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    if errors.is_empty() {
        println!("{group}/{}: {} files", named.name, output.files.len());
    } else {
        println!("{group}/{}: refused ({})", named.name, errors.join(", "));
    }
}

/// Render time with and without the source map (`Options::source_map`), and with the graph too
/// (what the playground asks for): `table.py` prints the ratios.
fn bench_source_map(c: &mut Criterion, inputs: &[Named]) {
    let mut group = c.benchmark_group("sourcemap");
    tune(&mut group, inputs);
    for named in inputs {
        let mut mapped = named.input.clone();
        mapped.options.source_map = true;
        group.bench_function(format!("{}/plain", named.name), |b| {
            b.iter(|| composex_core::render(std::hint::black_box(&named.input)))
        });
        group.bench_function(format!("{}/mapped", named.name), |b| {
            b.iter(|| composex_core::render(std::hint::black_box(&mapped)))
        });
        group.bench_function(format!("{}/graph", named.name), |b| {
            b.iter(|| composex_core::render_with_graph(std::hint::black_box(&named.input)))
        });
    }
    group.finish();
}

/// `validate` of the seed with the Properties schema checks on and off (names only): what the
/// checks against the CloudFormation schemas cost (bench/table.py prints the ratio).
fn bench_schema_checks(c: &mut Criterion, seed: &Named) {
    let mut group = c.benchmark_group("seed-validate");
    tune(&mut group, std::slice::from_ref(seed));
    for (name, on) in [("schema checks on", true), ("schema checks off", false)] {
        let mut input = seed.input.clone();
        input.options.check_properties = on;
        group.bench_function(name, |b| {
            b.iter(|| composex_core::validate(std::hint::black_box(&input)))
        });
    }
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();

    let mut mapped_inputs: Vec<Named> = seed_input().into_iter().collect();
    for (series, n) in [(Series::Workers, 100), (Series::Web, 100)] {
        let mut named = synthetic_input(series, n);
        named.name = format!("{}-{n}", series.group());
        mapped_inputs.push(named);
    }
    bench_source_map(&mut c, &mapped_inputs);

    match seed_input() {
        Some(seed) => {
            bench_all(&mut c, "seed", std::slice::from_ref(&seed));
            bench_schema_checks(&mut c, &seed);
        }
        None => println!("seed: skipped (examples/seed/docker-compose.yml not present)"),
    }

    match corpus_inputs() {
        Some(cases) => bench_all(&mut c, "corpus", &cases),
        None => println!("corpus: skipped (not present)"),
    }

    for series in [Series::Workers, Series::Web] {
        let inputs: Vec<Named> = series
            .sizes()
            .iter()
            .map(|&n| synthetic_input(series, n))
            .collect();
        for named in &inputs {
            outcome(series.group(), named);
        }
        bench_all(&mut c, series.group(), &inputs);
    }

    c.final_summary();
}

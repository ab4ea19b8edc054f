//! Validation time with the Properties checks against the CloudFormation schemas on and off
//! (`Options::check_properties`): the seed example and the examples whose x-modules carry the
//! most `Properties`. `make bench-schema` runs this, then `bench/schema_ratio.py` prints each
//! input's on/off ratio from criterion's estimates. Nothing here asserts a time.

use std::time::Duration;

use composex_bench::{input_from_files, seed_input, Named};
use composex_tests::corpus::workspace_root;
use criterion::Criterion;

/// Examples with many module Properties, next to the seed.
const EXAMPLES: &[&str] = &[
    "data-and-messaging",
    "database-and-schedule",
    "cache-and-streams",
];

fn inputs() -> Vec<Named> {
    let mut inputs: Vec<Named> = seed_input().into_iter().collect();
    for name in EXAMPLES {
        let path = workspace_root().join(format!("examples/{name}/docker-compose.yml"));
        if let Ok(input) = input_from_files(&[path], name) {
            inputs.push(Named {
                name: name.to_string(),
                input,
            });
        }
    }
    inputs
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("schema");
    group.sample_size(20);
    group.warm_up_time(Duration::from_millis(300));
    group.measurement_time(Duration::from_millis(1_500));
    for named in inputs() {
        let mut off = named.input.clone();
        off.options.check_properties = false;
        // The same diagnostics apart from the checks themselves: both runs do all the other work.
        let (with, without) = (
            composex_core::validate(&named.input).diagnostics.len(),
            composex_core::validate(&off).diagnostics.len(),
        );
        println!(
            "schema/{}: {with} diagnostics with the checks, {without} without",
            named.name
        );
        group.bench_function(format!("{}/on", named.name), |b| {
            b.iter(|| composex_core::validate(std::hint::black_box(&named.input)))
        });
        group.bench_function(format!("{}/off", named.name), |b| {
            b.iter(|| composex_core::validate(std::hint::black_box(&off)))
        });
    }
    group.finish();
    c.final_summary();
}

//! Inputs for the benchmarks: ECS ComposeX's corpus cases (read by path, never copied), the seed
//! example, and synthetic compose files of any number of services.

// Benchmarks read files: the no-IO rule of clippy.toml is for the core.
#![allow(clippy::disallowed_methods)]

use std::path::Path;

// The CLI's allocator (mimalloc) in every benchmark, linked for its `#[global_allocator]` (a
// crate nothing names is not linked: `extern crate` names it).
extern crate composex_alloc;

use composex_core::{Input, SourceFile};
use composex_tests::corpus;

/// One benchmark input with a name for the tables.
pub struct Named {
    /// Case slug, `seed`, or the number of services of a synthetic project.
    pub name: String,
    /// What the core renders.
    pub input: Input,
}

/// The input for a list of compose files, named as given (the CLI does the same).
pub fn input_from_files(files: &[impl AsRef<Path>], project: &str) -> std::io::Result<Input> {
    let mut input = Input::default();
    for path in files {
        let path = path.as_ref();
        input.files.push(SourceFile {
            name: path.display().to_string(),
            text: std::fs::read_to_string(path)?,
        });
    }
    input.options.project_name = project.into();
    Ok(input)
}

/// Every corpus case as an input, in `cases.tsv` order; `None` when the corpus is not present.
/// Cases whose files cannot be read as UTF-8 text are left out.
pub fn corpus_inputs() -> Option<Vec<Named>> {
    let dir = corpus::corpus_dir()?;
    let inputs = corpus::cases(&dir)
        .into_iter()
        .filter_map(|case| {
            let input = input_from_files(&case.files, "test").ok()?;
            Some(Named {
                name: case.slug,
                input,
            })
        })
        .collect();
    Some(inputs)
}

/// The seed example (`examples/seed/docker-compose.yml`), if it exists.
pub fn seed_input() -> Option<Named> {
    let path = corpus::workspace_root().join("examples/seed/docker-compose.yml");
    let input = input_from_files(&[path], "seed").ok()?;
    Some(Named {
        name: "seed".into(),
        input,
    })
}

/// The two synthetic shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    /// Services that publish no port (queue workers, batch jobs): nothing links one family to
    /// another, so the work should grow linearly with the number of services.
    Workers,
    /// Services that each publish a port on the default network: every family may reach every
    /// other one, so ServicesNetworking gets an ingress rule per ordered pair (n·(n-1)).
    Web,
}

impl Series {
    /// The criterion group name.
    pub fn group(self) -> &'static str {
        match self {
            Series::Workers => "workers",
            Series::Web => "web",
        }
    }

    /// Project sizes measured. Web stops at 100: its output grows with the square of n (1,000
    /// services wrote 325 MB in 3 minutes with 7.7 GB of memory when measured).
    pub fn sizes(self) -> &'static [usize] {
        match self {
            Series::Workers => &[10, 100, 1_000, 5_000],
            Series::Web => &[10, 100, 1_000],
        }
    }
}

/// A compose file with `n` services of the kind a real project has: an image, a few environment
/// variables, CPU and memory limits, a health check (and for [`Series::Web`] a published port);
/// every tenth service registers in CloudMap, so the x-cloudmap path is on.
pub fn synthetic_services(series: Series, n: usize) -> String {
    let mut text = String::with_capacity(n * 420 + 128);
    text.push_str("services:\n");
    for i in 0..n {
        let port = 8000 + (i % 1000);
        text.push_str(&format!(
            "  app{i:05}:
    image: 012345678912.dkr.ecr.eu-west-1.amazonaws.com/app{i:05}:1.0.{i}
    environment:
      APP_NAME: app{i:05}
      LOG_LEVEL: info
      UPSTREAM: http://app{next:05}.apps.local:8080
    healthcheck:
      test: [\"CMD-SHELL\", \"curl -fs http://localhost:{port}/health || exit 1\"]
      interval: 30s
    deploy:
      resources:
        limits:
          cpus: \"0.25\"
          memory: 512M
",
            next = (i + 1) % n,
        ));
        if series == Series::Web {
            text.push_str(&format!("    ports:\n      - \"{port}:{port}\"\n"));
        }
        if i % 10 == 0 {
            text.push_str("    x-network:\n      x-cloudmap: apps\n");
        }
    }
    text.push_str("x-cloudmap:\n  apps:\n    ZoneName: apps.local\n");
    text
}

/// [`synthetic_services`] as a render input, named `<n>` (the group names the series).
pub fn synthetic_input(series: Series, n: usize) -> Named {
    let mut input = Input::default();
    input.files.push(SourceFile {
        name: format!("{}-{n}.yml", series.group()),
        text: synthetic_services(series, n),
    });
    input.options.project_name = "scale".into();
    Named {
        name: n.to_string(),
        input,
    }
}

/// Heap bytes a render of `workers` holds per service at 1,000 services: the README table's
/// peak RSS (29.7 MiB) less the process before it (3.4 MiB), per service (`peak_mem`,
/// 2026-12-07; 28.7 MiB since the services map is sized exactly).
pub const PEAK_BYTES_PER_SERVICE: usize = 26 * 1024;

/// Bytes of output a render writes per service (`workers`, 100 services: 0.5 MiB in 305 files).
pub const OUTPUT_BYTES_PER_SERVICE: usize = 4 * 1024;

/// Work that is linear by construction, to calibrate the machine: for each of `services`, heap
/// strings of 100 bytes adding up to about `bytes_per_service`, written, then read twice, then
/// freed, which is the shape of a render (model built, read by later stages, dropped). Its
/// t(1,000)/t(100) is what this machine's caches give a linear program of that footprint: the
/// render's own ratio is read against it. Returns a checksum so that nothing is optimised away.
pub fn linear_work(services: usize, bytes_per_service: usize) -> usize {
    const TEXT: usize = 100;
    // A String's own 24 bytes sit in its service's vector.
    let per_service = (bytes_per_service / (TEXT + 24)).max(1);
    let mut all: Vec<Vec<String>> = Vec::with_capacity(services);
    for service in 0..services {
        let mut items = Vec::with_capacity(per_service);
        for item in 0..per_service {
            let mut text = String::with_capacity(TEXT);
            text.push_str(&format!("{service:05}-{item:04}-"));
            while text.len() < TEXT {
                text.push(char::from(b'a' + (text.len() % 26) as u8));
            }
            items.push(text);
        }
        all.push(items);
    }
    let mut checksum = 0usize;
    for pass in 0..2 {
        for items in &all {
            for text in items {
                checksum = checksum.wrapping_add(usize::from(text.as_bytes()[pass * 50 + 7]));
            }
        }
    }
    checksum
}

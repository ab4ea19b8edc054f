//! Native twin of the wasm `render` for `make bench-wasm` and the browser test: the same core call
//! on the same input, timed natively, or written to a folder to compare with the page's zip.
//!
//! `native_render bench RUNS NAME FILE...` prints `{"runs":N,"median_ms":M,"files":F}`.
//! `native_render write DIR NAME FILE...` writes the rendered files into DIR.

use std::time::Instant;

use composex_core::{render, Input, Options, SourceFile};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(mode), Some(arg), Some(name)) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("usage: native_render bench RUNS NAME FILE... | native_render write DIR NAME FILE...");
        std::process::exit(2);
    };
    let files = args[3..]
        .iter()
        .map(|path| SourceFile {
            name: path.rsplit('/').next().unwrap_or(path).to_string(),
            text: std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}")),
        })
        .collect();
    let options = Options { project_name: name.clone(), ..Options::default() };
    let input = Input { files, env: Default::default(), options };
    match mode.as_str() {
        "bench" => {
            let runs: usize = arg.parse().expect("RUNS is a number");
            let mut times: Vec<f64> = (0..runs.max(1))
                .map(|_| {
                    let start = Instant::now();
                    std::hint::black_box(render(std::hint::black_box(&input)));
                    start.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            times.sort_by(f64::total_cmp);
            let files = render(&input).files.len();
            println!("{{\"runs\":{},\"median_ms\":{:.4},\"files\":{files}}}", times.len(), times[times.len() / 2]);
        }
        "write" => {
            let out = render(&input);
            for d in &out.diagnostics {
                eprintln!("{}: {} {}", d.severity.as_str(), d.code, d.message);
            }
            for f in &out.files {
                let path = std::path::Path::new(arg).join(&f.path);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).expect("create output folder");
                }
                std::fs::write(&path, &f.text).expect("write output file");
            }
        }
        _ => {
            eprintln!("unknown mode {mode}");
            std::process::exit(2);
        }
    }
}

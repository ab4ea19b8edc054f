//! `composex`: the command-line front end. Parses arguments, reads files and the environment,
//! calls the core, prints diagnostics and writes files. Exit codes: 0 ok, 1 the input has errors,
//! 2 usage or IO error.

mod diff;
mod explain;
mod io;

use std::path::Path;
use std::process::ExitCode;

// The native allocator (mimalloc), linked for its `#[global_allocator]` (a crate nothing
// names is not linked: `extern crate` names it).
extern crate composex_alloc;

use clap::Parser;
use composex::report;
use composex_core::set_image::{set_image, ImageUpdate};
use composex_core::{Diagnostic, Format, Input, Layout, Options, Output};

use composex::args::{Cli, Command, GraphFormat, MessageFormat, RenderArgs, TemplateFormat};

/// Exit code when the input has errors.
const EXIT_INPUT: u8 = 1;
/// Exit code for usage and IO errors.
const EXIT_IO: u8 = 2;
/// The file `render --source-map` writes beside the templates.
const SOURCE_MAP_FILE: &str = "sourcemap.json";

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("composex: {e}");
            ExitCode::from(EXIT_IO)
        }
    }
}

fn run(cli: Cli) -> Result<u8, String> {
    let color = report::use_color(cli.color);
    match cli.command {
        Command::Validate {
            input,
            message_format,
        } => {
            let (input, loaded) = io::read_input(&input, color)?;
            // `validate` is a render without its files.
            let mut out = composex_core::render_loaded(&input, loaded);
            out.files.clear();
            Ok(report_diagnostics(
                &out,
                &input,
                message_format,
                true,
                color,
            ))
        }
        Command::Render(args) => render(&args, color),
        Command::SetImage {
            updates,
            files,
            dry_run,
        } => {
            let sources = files
                .iter()
                .map(|p| io::read_source(p))
                .collect::<Result<Vec<_>, _>>()?;
            let updates: Vec<ImageUpdate> = updates
                .into_iter()
                .map(|(service, image)| ImageUpdate { service, image })
                .collect();
            let out = set_image(&sources, &updates);
            let input = Input {
                files: sources,
                ..Input::default()
            };
            let out = out.finish(&input);
            let code = report_diagnostics(&out, &input, MessageFormat::Human, false, color);
            if code != 0 {
                return Ok(code);
            }
            for changed in &out.files {
                let old = input
                    .files
                    .iter()
                    .find(|f| f.name == changed.path)
                    .map_or("", |f| f.text.as_str());
                if dry_run {
                    print!("{}", diff::unified(&changed.path, Some(old), &changed.text));
                } else {
                    io::replace_file(Path::new(&changed.path), &changed.text)?;
                    eprintln!("updated {}", changed.path);
                }
            }
            if out.files.is_empty() {
                eprintln!("nothing to change: the image is already set");
            }
            Ok(0)
        }
        Command::Explain { code, list } => explain::run(code.as_deref(), list),
        Command::Graph {
            input,
            name,
            format,
            output,
        } => {
            let (mut input, _) = io::read_input(&input, color)?;
            input.options.project_name = io::project_name(name.as_deref());
            let (out, graph) = composex_core::render_with_graph(&input);
            let code = report_diagnostics(&out, &input, MessageFormat::Human, false, color);
            let Some(graph) = graph.filter(|_| code == 0) else {
                return Ok(EXIT_INPUT);
            };
            let text = match format {
                GraphFormat::Json => {
                    let json = serde_json::to_string_pretty(&graph).map_err(|e| e.to_string())?;
                    json + "\n"
                }
                GraphFormat::Dot => composex_core::graph::text::dot(&graph),
                GraphFormat::Mermaid => composex_core::graph::text::mermaid(&graph),
            };
            io::write_or_print(output.as_deref(), &text)?;
            Ok(0)
        }
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "composex", &mut std::io::stdout());
            Ok(0)
        }
        Command::Schema { output } => {
            io::write_or_print(output.as_deref(), &composex_core::json_schema::text())?;
            Ok(0)
        }
        Command::Merge { input, output } => {
            let (input, _) = io::read_input(&input, color)?;
            let out = composex_core::merge(&input);
            let code = report_diagnostics(&out, &input, MessageFormat::Human, false, color);
            if code == 0 {
                let text = out
                    .files
                    .first()
                    .map(|f| f.text.as_str())
                    .unwrap_or_default();
                io::write_or_print(output.as_deref(), text)?;
            }
            Ok(code)
        }
    }
}

fn render(args: &RenderArgs, color: bool) -> Result<u8, String> {
    // Loading reads only the files and the profiles: the options set here leave it valid.
    let (mut input, loaded) = io::read_input(&args.input, color)?;
    input.options = Options {
        project_name: io::project_name(args.name.as_deref()),
        format: match args.format {
            TemplateFormat::Yaml => Format::Yaml,
            TemplateFormat::Json => Format::Json,
        },
        layout: if args.single {
            Layout::Single
        } else {
            Layout::Nested
        },
        params: args.params.iter().cloned().collect(),
        profiles: std::mem::take(&mut input.options.profiles),
        source_map: args.source_map,
        ..Options::default()
    };
    let mut out = composex_core::render_loaded(&input, loaded);
    if args.source_map && !out.has_errors() {
        let text = serde_json::to_string_pretty(&out.source_map).map_err(|e| e.to_string())?;
        out.files.push(composex_core::OutputFile {
            path: SOURCE_MAP_FILE.into(),
            text: text + "\n",
        });
    }
    let code = report_diagnostics(&out, &input, args.message_format, false, color);
    if code != 0 {
        return Ok(code);
    }
    let dir = &args.output_dir;
    if args.check {
        let changed = io::changed_files(dir, &out.files)?;
        if changed.is_empty() {
            eprintln!(
                "{} is up to date ({} files)",
                dir.display(),
                out.files.len()
            );
            return Ok(0);
        }
        for (path, old) in &changed {
            let new = out
                .files
                .iter()
                .find(|f| &f.path == path)
                .map_or("", |f| f.text.as_str());
            eprint!("{}", diff::unified(path, old.as_deref(), new));
        }
        eprintln!(
            "{} of {} files would change in {}",
            changed.len(),
            out.files.len(),
            dir.display()
        );
        return Ok(EXIT_INPUT);
    }
    let written = io::write_all(dir, &out.files)?;
    let unchanged = out.files.len() - written;
    // One write to stderr (eprintln! writes each piece of its format on its own).
    let summary = if unchanged == 0 {
        format!("wrote {written} files to {}\n", dir.display())
    } else {
        format!(
            "wrote {written} files to {} ({unchanged} already up to date)\n",
            dir.display()
        )
    };
    eprint!("{summary}");
    Ok(0)
}

/// Prints diagnostics to stderr (human) or stdout (json); returns the exit code they imply.
fn report_diagnostics(
    out: &Output,
    input: &Input,
    format: MessageFormat,
    summary: bool,
    color: bool,
) -> u8 {
    match format {
        MessageFormat::Json => print!("{}", report::json(&out.diagnostics)),
        MessageFormat::Human => {
            eprint!(
                "{}",
                report::text(&out.diagnostics, &input.source_files(), color)
            );
            if summary && !out.diagnostics.is_empty() {
                eprintln!("{}", report::summary(&out.diagnostics));
            }
        }
    }
    if out.diagnostics.iter().any(Diagnostic::is_error) {
        EXIT_INPUT
    } else {
        0
    }
}

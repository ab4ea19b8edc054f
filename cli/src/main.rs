//! `composex`: the command-line front end. Parses arguments, reads files and the environment,
//! calls the core, prints diagnostics and writes files. Exit codes: 0 ok, 1 the input has errors,
//! 2 usage or IO error.

mod args;
mod io;

use std::process::ExitCode;

use clap::Parser;
use composex_core::{report, Diagnostic, Input, Output};

use args::{Cli, Command, MessageFormat};

/// Exit code when the input has errors.
const EXIT_INPUT: u8 = 1;
/// Exit code for usage and IO errors.
const EXIT_IO: u8 = 2;

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
    match cli.command {
        Command::Validate { input, message_format } => {
            let input = io::read_input(&input)?;
            let out = composex_core::validate(&input);
            Ok(report_diagnostics(&out, &input, message_format, true))
        }
        Command::Merge { input, output } => {
            let input = io::read_input(&input)?;
            let out = composex_core::merge(&input);
            let code = report_diagnostics(&out, &input, MessageFormat::Human, false);
            if code == 0 {
                let text = out.files.first().map(|f| f.text.as_str()).unwrap_or_default();
                io::write_or_print(output.as_deref(), text)?;
            }
            Ok(code)
        }
    }
}

/// Prints diagnostics to stderr (human) or stdout (json); returns the exit code they imply.
fn report_diagnostics(out: &Output, input: &Input, format: MessageFormat, summary: bool) -> u8 {
    match format {
        MessageFormat::Json => print!("{}", report::json(&out.diagnostics)),
        MessageFormat::Human => {
            eprint!("{}", report::text(&out.diagnostics, &input.files));
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

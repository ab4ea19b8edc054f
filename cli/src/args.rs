//! Command-line arguments. `-n`, `-f`, `-d` and `--format` match `ecs-compose-x render`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Render docker-compose files with x-* AWS extensions into CloudFormation templates.
#[derive(Debug, Parser)]
#[command(name = "composex", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check compose files and report every problem (exit 1 on errors).
    Validate {
        #[command(flatten)]
        input: InputArgs,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
    },
    /// Print the merged, interpolated, normalised compose file (like `docker compose config`).
    Merge {
        #[command(flatten)]
        input: InputArgs,
        /// Write to this file instead of stdout.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
}

/// Where the compose input comes from.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Compose file; repeat to add override files, merged in order. `-` reads stdin.
    #[arg(short = 'f', long = "docker-compose-file", visible_alias = "file", required = true)]
    pub files: Vec<PathBuf>,
    /// Read variables from this file instead of `.env` next to the first compose file (repeatable).
    #[arg(long)]
    pub env_file: Vec<PathBuf>,
}

/// Diagnostic output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// rustc-style text with source snippets, on stderr.
    Human,
    /// A JSON array of diagnostics, on stdout.
    Json,
}

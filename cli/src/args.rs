//! Command-line arguments. `-n`, `-f`, `-d` and `--format` match `ecs-compose-x render`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Render docker-compose files with x-* AWS extensions into CloudFormation templates.
#[derive(Debug, Parser)]
#[command(
    name = "composex",
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("COMPOSEX_GIT_COMMIT"), ")"),
    about,
    propagate_version = true
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Colour diagnostics: `auto` colours when stderr is a terminal (NO_COLOR turns it off,
    /// CLICOLOR_FORCE on).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
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
    /// Render CloudFormation templates and parameter files into a directory.
    Render(RenderArgs),
    /// Set the image of one or more services in the compose file(s), in place.
    SetImage {
        /// `SERVICE=IMAGE`, e.g. `app01=123456789012.dkr.ecr.eu-west-1.amazonaws.com/app01:3f2a1b`.
        #[arg(required = true, value_name = "SERVICE=IMAGE", value_parser = parse_key_value)]
        updates: Vec<(String, String)>,
        /// Compose file(s); the last one that sets the service's image is edited.
        #[arg(
            short = 'f',
            long = "docker-compose-file",
            visible_alias = "file",
            required = true
        )]
        files: Vec<PathBuf>,
        /// Print the change as a diff instead of writing it.
        #[arg(long)]
        dry_run: bool,
    },
    /// Explain a diagnostic code: what it means, a compose file that gets it and its fix.
    Explain {
        /// The code, e.g. `CX104`.
        #[arg(required_unless_present = "list", conflicts_with = "list")]
        code: Option<String>,
        /// List every code with its severity and title.
        #[arg(long)]
        list: bool,
    },
    /// Print the resource graph: services, x-resources, load balancers, networks, volumes and
    /// what connects them, each node with its compose location and generated resources.
    Graph {
        #[command(flatten)]
        input: InputArgs,
        /// Project (root stack) name, as for `render`.
        #[arg(
            short = 'n',
            long = "name",
            visible_short_alias = 'p',
            visible_alias = "project-name"
        )]
        name: Option<String>,
        /// `json` (the stable format documented in the README), `dot` (Graphviz) or `mermaid`.
        #[arg(long, value_enum, default_value_t = GraphFormat::Json)]
        format: GraphFormat,
        /// Write to this file instead of stdout.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
    /// Print a JSON Schema of compose files with composex's x-extensions, for editors
    /// (yaml-language-server: `# yaml-language-server: $schema=composex.schema.json`).
    Schema {
        /// Write to this file instead of stdout.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
    /// Print a completion script for a shell, e.g. `composex completions bash > /etc/bash_completion.d/composex`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
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

/// Arguments of `render` (names as in `ecs-compose-x render`).
#[derive(Debug, Clone, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Project (root stack) name: names the root template file. Default: `COMPOSE_PROJECT_NAME`,
    /// else the compose file's top-level `name:`, else `composex`. `-p` as in docker compose.
    #[arg(
        short = 'n',
        long = "name",
        visible_short_alias = 'p',
        visible_alias = "project-name"
    )]
    pub name: Option<String>,
    /// Directory to write the templates and parameter files into.
    #[arg(short = 'd', long = "output-dir", default_value = "outputs")]
    pub output_dir: PathBuf,
    /// Template format.
    #[arg(long, value_enum, default_value_t = TemplateFormat::Yaml)]
    pub format: TemplateFormat,
    /// One flat template instead of a root stack with nested stacks.
    #[arg(long)]
    pub single: bool,
    /// A value for a stack parameter, written into the parameter files (repeatable).
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub params: Vec<(String, String)>,
    /// Write nothing; exit 1 and print a unified diff of each file that would change (for
    /// repositories that commit rendered templates).
    #[arg(long)]
    pub check: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// Also write `sourcemap.json`: per output file, each logical id's compose file, line and
    /// column.
    #[arg(long)]
    pub source_map: bool,
}

/// Output format of `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// `{"nodes": [...], "edges": [...]}`.
    Json,
    /// A Graphviz digraph.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

/// Template file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    /// YAML templates.
    Yaml,
    /// JSON templates.
    Json,
}

/// Parses `KEY=VALUE`.
pub fn parse_key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("expected KEY=VALUE, got `{s}`")),
    }
}

/// Where the compose input comes from.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Compose file; repeat to add override files, merged in order. `-` reads stdin. Without
    /// it, as docker compose: the files in `COMPOSE_FILE`, else `compose.yaml` (or
    /// `compose.yml`, `docker-compose.yaml`, `docker-compose.yml`) in this directory or the
    /// nearest parent that has one, with its `*.override.*` file when present.
    #[arg(short = 'f', long = "docker-compose-file", visible_alias = "file")]
    pub files: Vec<PathBuf>,
    /// Read variables from this file instead of `.env` next to the first compose file (repeatable).
    #[arg(long)]
    pub env_file: Vec<PathBuf>,
    /// Activate a compose profile (repeatable; `*` activates all). Without it, the
    /// `COMPOSE_PROFILES` variable (comma-separated) is used, as docker compose does.
    #[arg(long = "profile", value_name = "NAME")]
    pub profiles: Vec<String>,
}

/// Diagnostic output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// rustc-style text with source snippets, on stderr.
    Human,
    /// A JSON array of diagnostics, on stdout.
    Json,
}

/// When to colour diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stderr is a terminal, unless NO_COLOR is set (CLICOLOR_FORCE forces colour).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

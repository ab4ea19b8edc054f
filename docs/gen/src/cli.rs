//! The CLI reference, generated from the CLI's own clap definition (`composex --help` and the
//! help of every subcommand), so it cannot drift from the binary.

use clap::CommandFactory;
use composex::args::Cli;

use crate::Page;

/// The long help of `command` and of each of its subcommands, depth first.
fn sections(command: &mut clap::Command, path: &str, out: &mut String) {
    let help = command.render_long_help().to_string();
    out.push_str(&format!(
        "## `{path}`\n\n```text\n{}\n```\n\n",
        help.trim_end()
    ));
    let names: Vec<String> = command
        .get_subcommands()
        .filter(|s| s.get_name() != "help")
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        if let Some(sub) = command.find_subcommand_mut(&name) {
            sections(sub, &format!("{path} {name}"), out);
        }
    }
}

/// The CLI reference page.
pub fn page() -> Page {
    let mut command = Cli::command();
    command.build();
    let mut text = String::from(
        "# CLI reference\n\nGenerated from the CLI's own argument definitions: this is what \
         `composex --help` and `composex <command> --help` print.\n\n",
    );
    sections(&mut command, "composex", &mut text);
    Page::new("cli.md", "CLI reference", text)
}

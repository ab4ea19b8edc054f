//! Assembles the docs site (mdBook) from two sources: the hand-written pages in `docs/src/`
//! and pages generated from the code's own tables, so they cannot drift from it:
//!
//! - the CLI reference, from the CLI's clap definition ([`cli`]);
//! - the compose-key support table, from the validator's table ([`support`]);
//! - the diagnostics reference, from the code registry, the text `composex explain` prints
//!   ([`reference`]);
//! - one page per registry entry, from its module folder's README, definition and examples
//!   ([`modules`]).
//!
//! `docs/src/SUMMARY.md` places the generated pages with `<!-- generated: NAME -->` lines;
//! a hand-written page pulls a repository file in with `<!-- include: PATH -->`. Fenced blocks
//! marked `compose` become live examples ([`live`]).

pub mod access;
pub mod cli;
pub mod live;
pub mod modules;
pub mod reference;
pub mod support;

use std::fs;
use std::path::{Path, PathBuf};

/// One page of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Path under the book's `src/`, e.g. `modules/x-sqs.md`.
    pub path: String,
    /// Its title in the table of contents.
    pub title: String,
    /// Its markdown.
    pub text: String,
}

impl Page {
    /// A page.
    pub fn new(path: &str, title: &str, text: String) -> Self {
        Page {
            path: path.to_owned(),
            title: title.to_owned(),
            text,
        }
    }
}

/// The generated pages by the name `SUMMARY.md` places them with; the first page of a group
/// is its parent entry, the others are nested under it.
pub fn generated() -> Vec<(&'static str, Vec<Page>)> {
    vec![
        ("cli", vec![cli::page()]),
        ("support", vec![support::page()]),
        ("modules", modules::pages()),
        ("reference", reference::pages()),
    ]
}

/// `SUMMARY.md` with each `<!-- generated: NAME -->` line replaced by its group's entries.
fn summary(template: &str, groups: &[(&str, Vec<Page>)]) -> Result<String, String> {
    let mut out = String::new();
    let mut placed = Vec::new();
    for line in template.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let Some(name) = trimmed
            .strip_prefix("<!-- generated: ")
            .and_then(|r| r.strip_suffix(" -->"))
        else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let (_, pages) = groups
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| format!("SUMMARY.md: no generated group `{name}`"))?;
        for (i, page) in pages.iter().enumerate() {
            let nest = if i == 0 { "" } else { "  " };
            out.push_str(&format!(
                "{indent}{nest}- [{}]({})\n",
                page.title.replace(['[', ']'], ""),
                page.path
            ));
        }
        placed.push(name);
    }
    for (name, _) in groups {
        if !placed.contains(name) {
            return Err(format!("SUMMARY.md: no `<!-- generated: {name} -->` line"));
        }
    }
    Ok(out)
}

/// Replaces each `<!-- include: PATH -->` line with the repository file at PATH in a fenced
/// block (its language from the extension), and each `<!-- live: PATH ATTRIBUTES -->` line
/// with that compose file as a live example.
fn includes(
    page: &Page,
    read_repo: &dyn Fn(&str) -> Result<String, String>,
) -> Result<String, String> {
    let mut out = String::new();
    for line in page.text.lines() {
        match line
            .trim()
            .strip_prefix("<!-- include: ")
            .and_then(|r| r.strip_suffix(" -->"))
        {
            Some(path) => {
                let text = read_repo(path).map_err(|e| format!("{}: {e}", page.path))?;
                let lang = match path.rsplit('.').next() {
                    Some("yml" | "yaml") => "yaml",
                    Some("json") => "json",
                    Some("sh") => "sh",
                    _ => "text",
                };
                out.push_str(&format!("`{path}`:\n\n```{lang}\n{}```\n", text));
            }
            None => match line
                .trim()
                .strip_prefix("<!-- live: ")
                .and_then(|r| r.strip_suffix(" -->"))
            {
                Some(rest) => {
                    let (path, attributes) = rest.split_once(' ').unwrap_or((rest, ""));
                    let text = read_repo(path).map_err(|e| format!("{}: {e}", page.path))?;
                    out.push_str(&format!(
                        "`{path}`:\n\n```compose {attributes}\n{text}```\n"
                    ));
                }
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
            },
        }
    }
    Ok(out)
}

/// Every page's markdown as the book holds it, before live examples become embed markup:
/// the hand-written pages (includes resolved), the generated ones and `SUMMARY.md`.
/// `hand` must hold `SUMMARY.md`; `read_repo` reads a file by its path in the repository.
pub fn sources(
    hand: Vec<Page>,
    read_repo: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Vec<Page>, String> {
    let groups = generated();
    let mut pages = Vec::new();
    let mut template = None;
    for page in hand {
        if page.path == "SUMMARY.md" {
            template = Some(page.text);
            continue;
        }
        let text = includes(&page, read_repo)?;
        pages.push(Page { text, ..page });
    }
    let template = template.ok_or("docs/src has no SUMMARY.md")?;
    let summary = summary(&template, &groups)?;
    for (_, group) in groups {
        for page in group {
            if pages.iter().any(|p| p.path == page.path) {
                return Err(format!("{}: both written and generated", page.path));
            }
            pages.push(page);
        }
    }
    pages.push(Page::new("SUMMARY.md", "Summary", summary));
    Ok(pages)
}

/// The book's pages as mdBook reads them: live examples turned into embed markup.
pub fn to_book(pages: Vec<Page>) -> Result<Vec<Page>, String> {
    pages
        .into_iter()
        .map(|p| {
            let text = live::to_html(&p.path, &p.text)?;
            Ok(Page { text, ..p })
        })
        .collect()
}

/// Every live example of the pages.
pub fn live_examples(pages: &[Page]) -> Result<Vec<live::LiveExample>, String> {
    let mut out = Vec::new();
    for page in pages {
        out.extend(live::examples(&page.path, &page.text)?);
    }
    Ok(out)
}

/// The hand-written pages: every markdown file under `dir` (`docs/src`), with its path
/// relative to it and its first `# ` heading as its title.
pub fn read_pages(dir: &Path) -> Result<Vec<Page>, String> {
    let mut out = Vec::new();
    read_tree(dir, dir, &mut out)?;
    Ok(out)
}

/// The markdown files under `dir`, as pages with their path relative to `base`.
fn read_tree(base: &Path, dir: &Path, out: &mut Vec<Page>) -> Result<(), String> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_tree(base, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let relative = path.strip_prefix(base).unwrap_or(&path);
            let title = text
                .lines()
                .find_map(|l| l.strip_prefix("# "))
                .unwrap_or_default()
                .to_owned();
            out.push(Page {
                path: relative.to_string_lossy().into_owned(),
                title,
                text,
            });
        }
    }
    Ok(())
}

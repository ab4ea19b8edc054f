//! The docs site against the code: every live example renders as its page says, every
//! registry entry and every diagnostic code has its page, the reference says what
//! `composex explain` says, and the pipeline page walks through `examples/pipeline/`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use composex_core::codes::{self, Example};
use composex_core::registry::{self, Proof};
use composex_docs::live::{self, Check};
use composex_docs::{modules, read_pages, reference, sources, to_book, Page};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The book's pages before live examples become markup (as `composex-docs` assembles them).
fn book() -> Vec<Page> {
    let root = repo();
    let hand = read_pages(&root.join("docs/src")).expect("docs/src");
    let read = |path: &str| fs::read_to_string(root.join(path)).map_err(|e| e.to_string());
    sources(hand, &read).expect("the book assembles")
}

fn page<'a>(pages: &'a [Page], path: &str) -> &'a Page {
    pages
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("no page {path}"))
}

#[test]
fn every_live_example_renders_as_its_page_says() {
    let pages = book();
    let examples = composex_docs::live_examples(&pages).expect("fences parse");
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|e| live::verify(e).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} live examples:\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
    // Hand-written pages have live examples, not only the generated ones.
    assert!(examples
        .iter()
        .any(|e| e.page.starts_with("compose/") && matches!(e.check, Check::Exact(_))));
}

#[test]
fn live_examples_become_embed_markup() {
    let pages = to_book(book()).expect("markup");
    let all: String = pages.iter().map(|p| p.text.as_str()).collect();
    assert!(
        !all.contains("```compose"),
        "a live fence was left as it is"
    );
    let markup = all.matches("<pre class=\"composex\" data-project=").count();
    assert_eq!(markup, composex_docs::live_examples(&book()).unwrap().len());
    // HTML in a compose file is escaped, not read as markup.
    let one = live::to_html("t.md", "```compose\nx-a: \"<b>&\"\n```\n").unwrap();
    assert!(one.contains("x-a: &quot;&lt;b&gt;&amp;&quot;"), "{one}");
}

#[test]
fn every_registry_entry_has_its_page_and_nothing_else_does() {
    let pages = book();
    let summary = &page(&pages, "SUMMARY.md").text;
    let mut expected = BTreeSet::new();
    for entry in registry::REGISTRY {
        let path = modules::page_path(*entry);
        let text = &page(&pages, &path).text;
        assert!(
            text.starts_with(&format!("# `{}`", entry.key().key)),
            "{path}"
        );
        assert!(
            summary.contains(&format!("]({path})")),
            "{path} not in SUMMARY.md"
        );
        // Its examples are on the page, live, proving what the registry says they prove.
        for example in entry.docs().examples {
            let proves = match example.proves {
                Proof::Resource(t) | Proof::Text(t) => t,
            };
            assert!(text.contains(example.text), "{path}: {}", example.path);
            let quote = if proves.contains('"') { '\'' } else { '"' };
            assert!(
                text.contains(&format!("```compose proves={quote}{proves}{quote}")),
                "{path}: {}",
                example.path
            );
        }
        if let Some(readme) = entry.docs().readme {
            let second = readme.lines().nth(2).unwrap_or_default();
            assert!(text.contains(second), "{path}: README not on the page");
        }
        assert!(expected.insert(path), "two entries share a page");
    }
    let module_pages: BTreeSet<String> = pages
        .iter()
        .filter(|p| p.path.starts_with("modules/") && p.path != "modules/index.md")
        .map(|p| p.path.clone())
        .collect();
    assert_eq!(module_pages, expected);
}

/// Text with markdown markup and whitespace differences removed.
fn plain(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("```") && !l.starts_with("## "))
        .collect::<Vec<_>>()
        .join(" ")
        .replace("**", "")
        .replace("&lt;", "<")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_code_has_a_reference_entry_with_the_explain_text() {
    let pages = book();
    let index = &page(&pages, "reference/index.md").text;
    let mut live_codes = 0;
    for info in codes::all() {
        let text = &page(&pages, &reference::page_of(info.code)).text;
        let heading = format!("## {} {{#{}}}\n", info.code, info.code.to_lowercase());
        let start = text
            .find(&heading)
            .unwrap_or_else(|| panic!("{}: no entry", info.code));
        let section = &text[start..];
        let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 4)];
        // `composex explain CODE` prints `long_text()`: the page says the same words.
        assert_eq!(plain(section), plain(&info.long_text()), "{}", info.code);
        assert!(index.contains(&format!("[{}](", info.code)));
        if let Example::Compose { .. } = info.example {
            if section.contains(&format!("```compose has={}", info.code)) {
                assert!(section.contains(&format!("```compose lacks={}", info.code)));
                live_codes += 1;
            }
        }
    }
    // Most codes have a one-file example, and those are live.
    assert!(live_codes * 2 > codes::all().len(), "{live_codes} live");
}

#[test]
fn the_cli_reference_covers_every_subcommand() {
    let pages = book();
    let text = &page(&pages, "cli.md").text;
    for command in ["validate", "render", "set-image", "explain", "merge"] {
        assert!(
            text.contains(&format!("## `composex {command}`")),
            "{command}"
        );
    }
    assert!(text.contains("--output-dir"));
}

#[test]
fn the_pipeline_page_walks_through_examples_pipeline() {
    let pages = book();
    let text = &page(&pages, "pipeline.md").text;
    for entry in fs::read_dir(repo().join("examples/pipeline")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name == "README.md" {
            continue;
        }
        let body = fs::read_to_string(repo().join("examples/pipeline").join(&name)).unwrap();
        assert!(text.contains(&body), "pipeline.md does not show {name}");
    }
    // The seed itself is on the page, live.
    let seed = fs::read_to_string(repo().join("examples/seed/docker-compose.yml")).unwrap();
    assert!(text.contains(&format!("project=myapps\n{seed}")));
}

#[test]
fn summary_lists_every_page_once() {
    let pages = book();
    let summary = &page(&pages, "SUMMARY.md").text;
    for p in pages.iter().filter(|p| p.path != "SUMMARY.md") {
        assert_eq!(
            summary.matches(&format!("]({})", p.path)).count(),
            1,
            "{} in SUMMARY.md",
            p.path
        );
    }
}

/// The guide's key table says "not read" exactly for the keys composex does not know; when a
/// key becomes known (or refused), its row must be rewritten.
#[test]
fn the_docker_ecs_guide_says_what_the_code_does_with_each_key() {
    let pages = book();
    let text = &page(&pages, "migration/docker-ecs.md").text;
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("| `x-aws-"))
        .collect();
    assert!(rows.len() >= 11, "{rows:?}");
    for row in rows {
        let key = row.split('`').nth(1).unwrap();
        let known = composex_core::xkeys::ALL.iter().find(|k| k.key == key);
        let says_unread = row.contains("not read");
        match known.map(|k| k.support) {
            None => assert!(
                says_unread,
                "{key} is unknown to composex: its row must say `not read`"
            ),
            Some(composex_core::xkeys::Support::Implemented) => {
                assert!(!says_unread, "{key} is rendered now: rewrite its row")
            }
            Some(composex_core::xkeys::Support::Equivalent(_)) => assert!(
                row.contains("CX680"),
                "{key} is refused for our equivalent: its row must say CX680"
            ),
            Some(_) => assert!(
                row.contains("CX374"),
                "{key} is refused: its row must say CX374"
            ),
        }
    }
}

#[test]
fn the_docker_ecs_guide_lists_every_x_aws_key() {
    let pages = book();
    let text = &page(&pages, "migration/docker-ecs.md").text;
    for key in composex_core::xkeys::ALL
        .iter()
        .filter(|k| k.key.starts_with("x-aws-"))
    {
        assert!(text.contains(&format!("`{}`", key.key)), "{}", key.key);
    }
}

#[test]
fn module_pages_list_the_iam_actions_of_every_access_level() {
    let pages = book();
    let sqs = &page(&pages, "modules/x-sqs.md").text;
    // Publish is the sending itself (ComposeX's was NotAction sqs:SendMessage).
    assert!(
        sqs.contains("| `Publish` | `sqs:GetQueueUrl`, `sqs:SendMessage` |"),
        "{sqs}"
    );
    for entry in registry::REGISTRY {
        let Some(def) = entry.resource_module() else {
            continue;
        };
        let levels = composex_docs::access::table(def);
        let text = &page(&pages, &modules::page_path(*entry)).text;
        if def.levels == ["NA"] {
            assert!(levels.iter().all(|(_, a)| a.is_none()), "{}", def.key);
            continue;
        }
        for (level, actions) in levels {
            let actions = actions.unwrap_or_else(|| panic!("{} {level}: no actions", def.key));
            // Least privilege: named actions only.
            assert!(
                actions.iter().all(|a| !a.contains('*')),
                "{} {level}: {actions:?}",
                def.key
            );
            assert!(
                text.contains(&format!("| `{level}` | `{}`", actions[0])),
                "{} {level}",
                def.key
            );
        }
    }
}

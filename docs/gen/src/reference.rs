//! The diagnostics reference: one page per hundred of codes, each entry made from the text
//! `composex explain CODE` prints ([`CodeInfo::long_text`]), so the two cannot differ: its
//! paragraphs become markdown paragraphs, its bad and fixed files live examples (or plain code
//! blocks when they need a command-line option or more than one file, which the embed does not
//! take).

use composex_core::codes::{self, CodeInfo, Example};

use crate::Page;

/// The ranges, as in ARCHITECTURE.md: (page stem, title).
pub const RANGES: &[(&str, &str)] = &[
    ("cx0", "CX0xx: the playground API"),
    ("cx1", "CX1xx: YAML"),
    ("cx2", "CX2xx: compose files"),
    ("cx3", "CX3xx: x-keys and ECS"),
    ("cx4", "CX4xx: AWS limits"),
    ("cx5", "CX5xx: Properties, secure defaults, source maps"),
    ("cx6", "CX6xx: later x-modules and Docker's x-aws keys"),
];

/// The page (path in the book) holding `code`'s entry.
pub fn page_of(code: &str) -> String {
    format!("reference/cx{}.md", &code[2..3])
}

/// Whether the embed can show the example: one compose file, rendered with no option.
fn live(example: &Example) -> bool {
    let plain = |text: &str| {
        !text.starts_with("# composex ")
            && !text.starts_with("# file: ")
            && !text.contains("\n# file: ")
            && !text.starts_with("# other file: ")
            && !text.contains("\n# other file: ")
    };
    matches!(example, Example::Compose { bad, fixed } if plain(bad) && plain(fixed))
}

/// `<` outside backtick spans written as `&lt;`, so markdown does not read it as HTML.
fn escape_html(paragraph: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for c in paragraph.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            _ => out.push(c),
        }
    }
    out
}

/// The markdown of one entry, made from its `composex explain` text.
pub fn entry(info: &CodeInfo) -> String {
    let text = info.long_text();
    let mut lines = text.lines();
    let head = lines.next().unwrap_or_default();
    let mut out = format!(
        "## {code} {{#{id}}}\n\n**{head}**\n\n",
        code = info.code,
        id = info.code.to_lowercase()
    );
    let live = live(&info.example);
    let fence_lang = match info.example {
        Example::DotEnv { .. } => "sh",
        _ => "yaml",
    };
    let mut blocks_seen = 0;
    let mut paragraph: Vec<&str> = Vec::new();
    let mut code: Vec<&str> = Vec::new();
    let lines: Vec<&str> = lines.collect();
    let flush_paragraph = |paragraph: &mut Vec<&str>, out: &mut String| {
        if !paragraph.is_empty() {
            out.push_str(&escape_html(&paragraph.join(" ")));
            out.push_str("\n\n");
            paragraph.clear();
        }
    };
    let mut flush_code = |code: &mut Vec<&str>, out: &mut String| {
        while code.last().is_some_and(|l| l.is_empty()) {
            code.pop();
        }
        if code.is_empty() {
            return;
        }
        blocks_seen += 1;
        let fence = match (live, blocks_seen) {
            (true, 1) => format!("```compose has={} project=reference", info.code),
            (true, _) => format!("```compose lacks={} project=reference", info.code),
            (false, _) => format!("```{fence_lang}"),
        };
        out.push_str(&fence);
        out.push('\n');
        for line in code.drain(..) {
            out.push_str(line.strip_prefix("    ").unwrap_or(line));
            out.push('\n');
        }
        out.push_str("```\n\n");
    };
    for (i, line) in lines.iter().enumerate() {
        let in_code = !code.is_empty();
        if line.starts_with("    ") {
            flush_paragraph(&mut paragraph, &mut out);
            code.push(line);
        } else if line.is_empty() {
            // A blank line inside a code block continues it when the block goes on after it.
            let continues = lines[i + 1..]
                .iter()
                .find(|l| !l.is_empty())
                .is_some_and(|l| l.starts_with("    "));
            if in_code && continues {
                code.push(line);
            } else {
                flush_code(&mut code, &mut out);
                flush_paragraph(&mut paragraph, &mut out);
            }
        } else {
            flush_code(&mut code, &mut out);
            paragraph.push(line);
        }
    }
    flush_code(&mut code, &mut out);
    flush_paragraph(&mut paragraph, &mut out);
    out
}

/// The reference pages: an index of every code and one page per range.
pub fn pages() -> Vec<Page> {
    let mut index = String::from(
        "# Diagnostics reference\n\nEvery code composex gives, with its usual severity. Each entry \
         is the text `composex explain CODE` prints; where the example is one compose file, the bad \
         and the fixed file are live: edit them and watch the diagnostics change.\n\n\
         | code | severity | title |\n|---|---|---|\n",
    );
    for info in codes::all() {
        index.push_str(&format!(
            "| [{code}](cx{range}.md#{id}) | {severity} | {title} |\n",
            code = info.code,
            range = &info.code[2..3],
            id = info.code.to_lowercase(),
            severity = info.severity().as_str(),
            title = escape_html(info.title).replace('|', "\\|"),
        ));
    }
    let mut pages = vec![Page::new(
        "reference/index.md",
        "Diagnostics reference",
        index,
    )];
    for (stem, title) in RANGES {
        let mut text = format!("# {title}\n\n");
        let in_range: Vec<_> = codes::all()
            .iter()
            .filter(|c| page_of(c.code).contains(stem))
            .collect();
        if in_range.is_empty() {
            continue;
        }
        for info in in_range {
            text.push_str(&entry(info));
        }
        pages.push(Page::new(&format!("reference/{stem}.md"), title, text));
    }
    pages
}

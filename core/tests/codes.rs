//! The code registry (`composex_core::codes`) against the source and against the core itself:
//! every `"CXnnn"` in the non-test source is one `const`, each code is defined once and has one
//! table entry (and each entry is used), the severities the source visibly emits are in the
//! table, and every example does what it says: the bad one gets its code, the fixed one renders
//! without it and without errors.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use composex_core::codes::{self, CodeInfo, Example};
use composex_core::compose::dotenv;
use composex_core::set_image::{set_image, ImageUpdate};
use composex_core::{Diagnostic, Input, Options, Output, Severity, SourceFile};

/// The files of an example: `docker-compose.yml`, then one more compose file per `# file: NAME`
/// line, and the files the compose files name (`env_file`, `include`, `extends.file`), each
/// after an `# other file: NAME` line.
fn example_files(text: &str) -> (Vec<SourceFile>, BTreeMap<String, SourceFile>) {
    let mut files = vec![SourceFile {
        name: "docker-compose.yml".into(),
        text: String::new(),
    }];
    let mut others: Vec<SourceFile> = Vec::new();
    let mut current_is_other = false;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("# file: ") {
            files.push(SourceFile {
                name: name.into(),
                text: String::new(),
            });
            current_is_other = false;
        } else if let Some(name) = line.strip_prefix("# other file: ") {
            others.push(SourceFile {
                name: name.into(),
                text: String::new(),
            });
            current_is_other = true;
        } else {
            let file = match current_is_other {
                true => others.last_mut(),
                false => files.last_mut(),
            };
            let file = file.expect("a file");
            file.text.push_str(line);
            file.text.push('\n');
        }
    }
    let others = others.into_iter().map(|f| (f.name.clone(), f)).collect();
    (files, others)
}

/// The compose files of an example (see [`example_files`]).
fn compose_files(text: &str) -> Vec<SourceFile> {
    example_files(text).0
}

/// Runs an example the way its first-line comment says (`# composex render --param K=V`,
/// `# composex render --profile P`, `# composex set-image svc=image`; plain `render` without
/// one).
fn run_compose(text: &str) -> Output {
    let command = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# composex "));
    let words: Vec<&str> = command
        .map(|c| c.split_whitespace().collect())
        .unwrap_or_default();
    match words.as_slice() {
        ["set-image", updates @ ..] => {
            let updates: Vec<ImageUpdate> = updates
                .iter()
                .map(|u| {
                    let (service, image) = u.split_once('=').expect("svc=image");
                    ImageUpdate {
                        service: service.into(),
                        image: image.into(),
                    }
                })
                .collect();
            set_image(&compose_files(text), &updates)
        }
        [] | ["render", ..] => {
            let mut options = Options::default();
            let mut rest = words.iter().skip(1);
            while let Some(word) = rest.next() {
                match *word {
                    "--param" => {
                        let (k, v) = rest.next().and_then(|p| p.split_once('=')).expect("K=V");
                        options.params.insert(k.into(), v.into());
                    }
                    "--profile" => options
                        .profiles
                        .push(rest.next().expect("a profile").to_string()),
                    _ => panic!("unknown option in an example: {text}"),
                }
            }
            let (files, extra_files) = example_files(text);
            composex_core::render(&Input {
                files,
                extra_files,
                env: BTreeMap::new(),
                options,
            })
        }
        other => panic!("unknown command {other:?} in an example"),
    }
}

fn diagnostics_of(example: &Example) -> Option<(Vec<Diagnostic>, Vec<Diagnostic>)> {
    match *example {
        Example::Compose { bad, fixed } => {
            Some((run_compose(bad).diagnostics, run_compose(fixed).diagnostics))
        }
        Example::DotEnv { bad, fixed } => {
            let env = BTreeMap::new();
            Some((
                dotenv::parse(bad, 0, &env).diagnostics,
                dotenv::parse(fixed, 0, &env).diagnostics,
            ))
        }
        Example::None(_) => None,
    }
}

fn summary(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| format!("{} {} {}", d.severity.as_str(), d.code, d.message))
        .collect()
}

#[test]
#[allow(clippy::print_stdout)] // the count of codes without an example is worth seeing
fn every_example_does_what_it_says() {
    let mut failures = Vec::new();
    let mut without_example = Vec::new();
    for info in codes::all() {
        let Some((bad, fixed)) = diagnostics_of(&info.example) else {
            without_example.push(info.code);
            continue;
        };
        match bad.iter().find(|d| d.code == info.code) {
            None => failures.push(format!(
                "{}: the bad example does not get it: {:?}",
                info.code,
                summary(&bad)
            )),
            Some(d) if !info.severities.contains(&d.severity) => failures.push(format!(
                "{}: the bad example gets it as {}, the table says {:?}",
                info.code,
                d.severity.as_str(),
                info.severities
            )),
            Some(_) => {}
        }
        if fixed.iter().any(|d| d.code == info.code || d.is_error()) {
            failures.push(format!(
                "{}: the fixed example still has: {:?}",
                info.code,
                summary(&fixed)
            ));
        }
    }
    println!(
        "{} codes, {} with examples, {} without (skipped): {}",
        codes::all().len(),
        codes::all().len() - without_example.len(),
        without_example.len(),
        without_example.join(", ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn explain_finds_codes_in_any_spelling() {
    assert_eq!(codes::explain("CX104").map(|c| c.code), Some("CX104"));
    assert_eq!(codes::explain("cx104").map(|c| c.code), Some("CX104"));
    assert_eq!(codes::explain("104").map(|c| c.code), Some("CX104"));
    assert!(codes::explain("CX999").is_none());
    assert!(codes::explain("").is_none());
    let text = codes::explain("CX104").unwrap().long_text();
    assert!(text.starts_with("CX104 (error): "), "{text}");
    assert!(text.contains("Fixed:"), "{text}");
}

#[test]
fn table_is_sorted_and_complete_per_entry() {
    let all = codes::all();
    let mut seen = BTreeSet::new();
    for info in all {
        assert!(
            seen.insert(info.code),
            "{} is twice in the table",
            info.code
        );
        let digits = info.code.strip_prefix("CX").unwrap_or("");
        assert!(
            digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
            "{}",
            info.code
        );
        assert!(!info.severities.is_empty(), "{}", info.code);
        assert!(
            !info.title.is_empty() && !info.title.contains('\n'),
            "{}",
            info.code
        );
        assert!(
            info.explanation.trim().len() > 40,
            "{}: explanation too short",
            info.code
        );
    }
    assert!(all.windows(2).all(|w| w[0].code < w[1].code));
}

// ---- the source scan ----

/// Non-test Rust source of the core and the wasm crate (the registry itself excluded), with any
/// `#[cfg(test)]` module cut off.
#[allow(clippy::disallowed_methods)] // tests read the source; the core never does IO
fn sources() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack = vec![root.join("src"), root.join("../wasm/src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("source dir") {
            let path = entry.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let registry = path.parent() == Some(&root.join("src")) && name == "codes.rs";
            if path.is_dir() {
                if path != root.join("src/codes") && name != "tests" {
                    stack.push(path);
                }
            } else if name.ends_with(".rs")
                && !registry
                && !matches!(name, "tests.rs" | "testing.rs")
            {
                let text = std::fs::read_to_string(&path).expect("source file");
                let text = match text.find("#[cfg(test)]\nmod ") {
                    Some(at) => text[..at].to_owned(),
                    None => text,
                };
                out.push((path, text));
            }
        }
    }
    out.sort();
    out
}

/// `(name, code)` of every `const NAME: &str = "CXnnn";` in `text`, and the codes written
/// anywhere else as a literal.
fn consts_and_stray_literals(text: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut consts = Vec::new();
    let mut stray = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        while let Some(at) = rest.find("\"CX") {
            let code = &rest[at + 1..];
            let end = code.find('"').unwrap_or(code.len());
            let code = &code[..end];
            if code.len() == 5 && code[2..].bytes().all(|b| b.is_ascii_digit()) {
                let before = rest[..at].trim_end();
                let name = before
                    .strip_suffix("&str =")
                    .and_then(|b| b.trim_end().strip_suffix(':'))
                    .and_then(|b| b.trim_end().rsplit_once("const "))
                    .map(|(_, n)| n.trim().to_owned());
                match name {
                    Some(name) if !name.is_empty() => consts.push((name, code.to_owned())),
                    _ => stray.push(code.to_owned()),
                }
            }
            rest = &rest[at + 3..];
        }
    }
    (consts, stray)
}

struct Source {
    path: PathBuf,
    text: String,
    consts: Vec<(String, String)>,
}

fn scanned() -> Vec<Source> {
    sources()
        .into_iter()
        .map(|(path, text)| {
            let (consts, stray) = consts_and_stray_literals(&text);
            assert!(
                stray.is_empty(),
                "{}: write {stray:?} as a named const",
                path.display()
            );
            Source { path, text, consts }
        })
        .collect()
}

#[test]
fn each_code_is_one_const_and_one_table_entry() {
    let sources = scanned();
    let mut defined: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in &sources {
        for (name, code) in &s.consts {
            defined
                .entry(code.clone())
                .or_default()
                .push(format!("{}::{name}", s.path.display()));
        }
    }
    let twice: Vec<_> = defined.iter().filter(|(_, at)| at.len() > 1).collect();
    assert!(twice.is_empty(), "codes defined more than once: {twice:#?}");
    let table: BTreeSet<&str> = codes::all().iter().map(|c| c.code).collect();
    let missing: Vec<&String> = defined
        .keys()
        .filter(|c| !table.contains(c.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a table entry: {missing:?}"
    );
    let unused: Vec<&&str> = table
        .iter()
        .filter(|c| !defined.contains_key(**c))
        .collect();
    assert!(
        unused.is_empty(),
        "table entries no source defines: {unused:?}"
    );
}

/// Resolves a const name used at `path` the way Rust scoping usually goes in this crate: the
/// file itself, then each enclosing folder's `mod.rs`, `codes.rs` and same-named `.rs` file;
/// failing that, a qualified `module::NAME` names the file `module.rs`.
fn resolve(sources: &[Source], path: &Path, used: &str) -> Option<String> {
    let (qualifier, name) = match used.rsplit_once("::") {
        Some((q, n)) => (q.rsplit("::").next(), n),
        None => (None, used),
    };
    let in_file = |p: &Path| {
        sources
            .iter()
            .find(|s| s.path == p)
            .and_then(|s| s.consts.iter().find(|(n, _)| n == name))
            .map(|(_, c)| c.clone())
    };
    if let Some(code) = in_file(path) {
        return Some(code);
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        let named = d.with_extension("rs");
        for candidate in [d.join("mod.rs"), d.join("codes.rs"), named] {
            if candidate != path {
                if let Some(code) = in_file(&candidate) {
                    return Some(code);
                }
            }
        }
        if d.ends_with("src") {
            break;
        }
        dir = d.parent();
    }
    let q = qualifier?;
    sources
        .iter()
        .filter(|s| s.path.file_stem().and_then(|f| f.to_str()) == Some(q))
        .find_map(|s| {
            s.consts
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, c)| c.clone())
        })
}

#[test]
#[allow(clippy::print_stdout)]
fn visible_severities_are_in_the_table() {
    let sources = scanned();
    let table: BTreeMap<&str, &CodeInfo> = codes::all().iter().map(|c| (c.code, c)).collect();
    let (mut checked, mut unresolved) = (0, 0);
    let mut wrong = Vec::new();
    for s in &sources {
        for (severity, marker) in [
            (Severity::Error, "Diagnostic::error("),
            (Severity::Warning, "Diagnostic::warning("),
            (Severity::Info, "Diagnostic::info("),
            (Severity::Error, "Diagnostic::new("),
        ] {
            for (at, _) in s.text.match_indices(marker) {
                let rest = s.text[at + marker.len()..].trim_start();
                // `Diagnostic::new(Severity::X, CODE, ...)` names its severity first.
                let (severity, rest) = match rest.split_once(',') {
                    Some((first, after)) if marker.ends_with("new(") => {
                        match first.trim().rsplit("::").next() {
                            Some("Error") => (Severity::Error, after.trim_start()),
                            Some("Warning") => (Severity::Warning, after.trim_start()),
                            Some("Info") => (Severity::Info, after.trim_start()),
                            _ => {
                                unresolved += 1;
                                continue;
                            }
                        }
                    }
                    _ => (severity, rest),
                };
                let used: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                match resolve(&sources, &s.path, &used) {
                    Some(code) => {
                        checked += 1;
                        let listed = table
                            .get(code.as_str())
                            .map(|c| c.severities)
                            .unwrap_or(&[]);
                        if !listed.contains(&severity) {
                            wrong.push(format!(
                                "{} emits {code} as {}",
                                s.path.display(),
                                severity.as_str()
                            ));
                        }
                    }
                    None => unresolved += 1,
                }
            }
        }
    }
    println!("{checked} emitting sites checked, {unresolved} not statically visible (a code in a variable)");
    assert!(checked > 200, "the scan found only {checked} sites");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_scan_tells_consts_from_stray_literals() {
    let text = "/// Doc.\npub const BAD_NAME: &str = \"CX295\";\nconst X: &str = \"CX1\";\n\
                let d = Diagnostic::error(\"CX100\", \"m\", span);\nlet s = \"CX20\";\n";
    let (consts, stray) = consts_and_stray_literals(text);
    assert_eq!(consts, [("BAD_NAME".to_owned(), "CX295".to_owned())]);
    assert_eq!(stray, ["CX100"]);
}

//! `composex-docs REPO OUT`: writes the mdBook source of the docs site into OUT (`book.toml`
//! and `src/`): the hand-written pages of REPO/docs/src plus the generated ones. `make docs`
//! runs it, then `mdbook build OUT`.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use composex_docs::{read_pages, sources, to_book};

fn run(repo: &Path, out: &Path) -> Result<usize, String> {
    let docs = repo.join("docs");
    let hand = read_pages(&docs.join("src"))?;
    let read_repo = |path: &str| {
        fs::read_to_string(repo.join(path)).map_err(|e| format!("cannot include {path}: {e}"))
    };
    let pages = to_book(sources(hand, &read_repo)?)?;
    let src = out.join("src");
    if src.exists() {
        fs::remove_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    }
    for page in &pages {
        let path = src.join(&page.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        fs::write(&path, &page.text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    fs::copy(docs.join("book.toml"), out.join("book.toml"))
        .map_err(|e| format!("book.toml: {e}"))?;
    Ok(pages.len())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [repo, out] = args.as_slice() else {
        eprintln!("usage: composex-docs REPO_ROOT OUT_DIR");
        return ExitCode::from(2);
    };
    match run(Path::new(repo), Path::new(out)) {
        Ok(n) => {
            println!("docs: {n} pages written to {out}/src");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("composex-docs: {e}");
            ExitCode::FAILURE
        }
    }
}

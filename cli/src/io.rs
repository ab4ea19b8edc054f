//! All file and environment IO of the CLI.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use composex_core::{Input, OutputFile, SourceFile};

use crate::args::InputArgs;

/// Reads the compose files and the environment into a core [`Input`].
pub fn read_input(args: &InputArgs, color: bool) -> Result<Input, String> {
    let mut files = Vec::new();
    for path in &args.files {
        files.push(read_source(path)?);
    }
    let env = read_env(args, color)?;
    Ok(Input {
        files,
        env,
        ..Input::default()
    })
}

pub fn read_source(path: &Path) -> Result<SourceFile, String> {
    let (name, bytes) = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        ("<stdin>".to_owned(), buf)
    } else {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        (path.display().to_string(), bytes)
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = &e.as_bytes()[..at];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        format!("{name}:{line}:{col}: the file is not valid UTF-8 (byte {at}); save it as UTF-8")
    })?;
    Ok(SourceFile { name, text })
}

/// The process environment, plus `.env` next to the first file (or the `--env-file`s) for
/// variables the environment does not set, as docker compose does.
fn read_env(args: &InputArgs, color: bool) -> Result<BTreeMap<String, String>, String> {
    let mut env: BTreeMap<String, String> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let env_files: Vec<PathBuf> = if args.env_file.is_empty() {
        let first = args.files.first().filter(|p| *p != Path::new("-"));
        let dir = first
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let dot_env = dir.join(".env");
        if dot_env.is_file() {
            vec![dot_env]
        } else {
            Vec::new()
        }
    } else {
        args.env_file.clone()
    };
    for path in env_files {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let dot_env = composex_core::compose::dotenv::parse(&text, 0, &env);
        if !dot_env.diagnostics.is_empty() {
            let source = [SourceFile {
                name: path.display().to_string(),
                text,
            }];
            let mut diagnostics = dot_env.diagnostics;
            for d in &mut diagnostics {
                d.locate(&source);
            }
            eprint!("{}", crate::report::text(&diagnostics, &source, color));
            if diagnostics.iter().any(composex_core::Diagnostic::is_error) {
                return Err(format!("{} has errors", path.display()));
            }
        }
        for (k, v) in dot_env.vars {
            env.entry(k).or_insert(v);
        }
    }
    Ok(env)
}

/// Writes `text` to `path`, or to stdout when there is no path.
pub fn write_or_print(path: Option<&Path>, text: &str) -> Result<(), String> {
    match path {
        Some(p) => {
            std::fs::write(p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
        }
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write to stdout: {e}")),
    }
}

/// Replaces a file's content atomically (write a sibling temp file, then rename over).
pub fn replace_file(path: &Path, text: &str) -> Result<(), String> {
    let tmp = temp_sibling(path);
    std::fs::write(&tmp, text).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot replace {}: {e}", path.display())
    })
}

fn temp_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.composex-tmp"))
}

/// Writes every file into `dir`: all temp files first, then the renames, so an IO failure half
/// way never leaves a mix of old and new templates.
pub fn write_all(dir: &Path, files: &[OutputFile]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut staged = Vec::new();
    for f in files {
        let path = dir.join(&f.path);
        let tmp = temp_sibling(&path);
        if let Err(e) = std::fs::write(&tmp, &f.text) {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            let _ = std::fs::remove_file(&tmp);
            return Err(format!("cannot write {}: {e}", tmp.display()));
        }
        staged.push((tmp, path));
    }
    for (tmp, path) in staged {
        std::fs::rename(&tmp, &path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The files whose content in `dir` differs from `files`: (path, old text or None if missing).
pub fn changed_files(
    dir: &Path,
    files: &[OutputFile],
) -> Result<Vec<(String, Option<String>)>, String> {
    let mut changed = Vec::new();
    for f in files {
        match std::fs::read_to_string(dir.join(&f.path)) {
            Ok(old) if old == f.text => {}
            Ok(old) => changed.push((f.path.clone(), Some(old))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                changed.push((f.path.clone(), None))
            }
            Err(e) => return Err(format!("cannot read {}: {e}", dir.join(&f.path).display())),
        }
    }
    Ok(changed)
}

//! All file and environment IO of the CLI.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use composex_core::compose::Loaded;
use composex_core::{Input, OutputFile, SourceFile};

use composex::args::InputArgs;

/// Reads the compose files, the environment, the active profiles and the files the compose
/// files name (`env_file`, `include`, `extends.file`) into a core [`Input`], with the core's
/// load of that input (reading the named files needs it: render from it, not from a new load).
pub fn read_input(args: &InputArgs, color: bool) -> Result<(Input, Loaded), String> {
    let mut args = args.clone();
    if args.files.is_empty() {
        args.files = default_files()?;
    }
    let args = &args;
    let mut files = Vec::new();
    for path in &args.files {
        files.push(read_source(path)?);
    }
    let env = read_env(args, color)?;
    let profiles = if args.profiles.is_empty() {
        env.get("COMPOSE_PROFILES")
            .map(|p| {
                p.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    } else {
        args.profiles.clone()
    };
    let mut input = Input {
        files,
        env,
        ..Input::default()
    };
    input.options.profiles = profiles;
    let loaded = read_extra_files(&mut input, &project_dir(args))?;
    Ok((input, loaded))
}

/// The project name: `-n`/`-p`, else `COMPOSE_PROJECT_NAME` (as docker compose reads it), else
/// empty (the core then takes the file's `name:`, else `composex`).
pub fn project_name(given: Option<&str>) -> String {
    given
        .map(str::to_string)
        .or_else(|| std::env::var("COMPOSE_PROJECT_NAME").ok())
        .filter(|n| !n.trim().is_empty())
        // Empty: the core takes the file's top-level `name:`, else `composex`.
        .unwrap_or_default()
}

/// The names docker compose looks for, in its order of preference.
const DEFAULT_NAMES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// The compose files when no `-f` is given, as docker compose finds them: `COMPOSE_FILE` (split
/// on `COMPOSE_PATH_SEPARATOR`, default `:`), else the first default name in the current
/// directory or its nearest parent that has one, followed by its override file if present.
fn default_files() -> Result<Vec<PathBuf>, String> {
    if let Some(list) = std::env::var("COMPOSE_FILE").ok().filter(|l| !l.is_empty()) {
        let separator = std::env::var("COMPOSE_PATH_SEPARATOR").unwrap_or_else(|_| ":".into());
        return Ok(list
            .split(separator.as_str())
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .collect());
    }
    let cwd = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
    for dir in cwd.ancestors() {
        let Some(found) = DEFAULT_NAMES
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
        else {
            continue;
        };
        // In the current directory, a relative name: diagnostics then say `compose.yaml:3:5`.
        let shown = |path: PathBuf| match path.strip_prefix(&cwd) {
            Ok(relative) => relative.to_path_buf(),
            Err(_) => path,
        };
        let mut files = vec![shown(found.clone())];
        let stem = found
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let overrides = [
            dir.join(format!("{stem}.override.yaml")),
            dir.join(format!("{stem}.override.yml")),
        ];
        files.extend(overrides.into_iter().find(|p| p.is_file()).map(shown));
        return Ok(files);
    }
    Err(format!(
        "no compose file: give one with -f, set COMPOSE_FILE, or add {} to this directory (or a parent)",
        DEFAULT_NAMES.join(", ")
    ))
}

/// The directory relative paths in the compose files are relative to: the first file's.
fn project_dir(args: &InputArgs) -> PathBuf {
    args.files
        .first()
        .filter(|p| *p != Path::new("-"))
        .and_then(|p| p.parent())
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Reads the files loading asks for, relative to the project directory, until loading asks for
/// nothing new (an included file can name more files). Missing files are left out: the core
/// reports each at the entry that names it. Returns the last load, which is the load of `input`
/// as it ends.
fn read_extra_files(input: &mut Input, project_dir: &Path) -> Result<Loaded, String> {
    let mut tried = BTreeSet::new();
    // Each round reads at least one new file; the bound only guards against a runaway loop.
    for _ in 0..256 {
        let loaded = composex_core::compose::load(input);
        let mut read_any = false;
        for key in &loaded.wanted_files {
            if !tried.insert(key.clone()) {
                continue;
            }
            let path = disk_path(project_dir, key);
            if !path.is_file() {
                continue;
            }
            let bytes =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let name = path.display().to_string();
            let text = utf8(&name, bytes)?;
            input
                .extra_files
                .insert(key.clone(), SourceFile { name, text });
            read_any = true;
        }
        if !read_any {
            return Ok(loaded);
        }
    }
    Ok(composex_core::compose::load(input))
}

/// Where a key of `Input::extra_files` is on disk.
fn disk_path(project_dir: &Path, key: &str) -> PathBuf {
    if let Some(rest) = key.strip_prefix('~') {
        if let Some(home) = std::env::var_os("HOME") {
            return PathBuf::from(home).join(rest.trim_start_matches('/'));
        }
    }
    if Path::new(key).is_absolute() {
        PathBuf::from(key)
    } else {
        project_dir.join(key)
    }
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
    let text = utf8(&name, bytes)?;
    Ok(SourceFile { name, text })
}

/// The text of a file, or an error pointing at the first byte that is not UTF-8.
fn utf8(name: &str, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = &e.as_bytes()[..at];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        format!("{name}:{line}:{col}: the file is not valid UTF-8 (byte {at}); save it as UTF-8")
    })
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
            eprint!("{}", composex::report::text(&diagnostics, &source, color));
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

/// Writes every file of `files` whose content in `dir` differs: all temp files first, then the
/// renames, so an IO failure half way never leaves a mix of old and new templates. A file that
/// already holds its text is left alone (its modification time too): replacing it would cost a
/// write, a rename and the old file's release for nothing, which on a re-render of a big
/// project was most of the run. A folder that does not exist yet appears whole, with every
/// file, or not at all (see [`write_new_folder`]). Returns how many files were written.
pub fn write_all(dir: &Path, files: &[OutputFile]) -> Result<usize, String> {
    // Nothing at all at `dir`: a file or a dangling link there is the per-file path's error.
    if std::fs::symlink_metadata(dir).is_err() {
        if let Some(written) = write_new_folder(dir, files)? {
            return Ok(written);
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut staged = Vec::with_capacity(files.len());
    for f in files {
        let path = dir.join(&f.path);
        if std::fs::read(&path).is_ok_and(|old| old == f.text.as_bytes()) {
            continue;
        }
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
    let written = staged.len();
    for (tmp, path) in staged {
        std::fs::rename(&tmp, &path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(written)
}

/// A new output folder (a first render, a CI checkout): the files are written into a hidden
/// sibling folder, which is then renamed to `dir`. Nobody sees a folder with some of the files,
/// and it takes one rename instead of one per file. None when `dir` has no name of its own to
/// take (`a/..`) or was made by someone else meanwhile: the caller writes file by file.
fn write_new_folder(dir: &Path, files: &[OutputFile]) -> Result<Option<usize>, String> {
    let Some(name) = dir.file_name() else {
        return Ok(None);
    };
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(parent) = parent {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let staging = dir.with_file_name(format!(
        ".{}.composex-tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::create_dir(&staging).and_then(|()| {
        for f in files {
            let path = staging.join(&f.path);
            if let Some(sub) = path.parent().filter(|p| *p != staging) {
                std::fs::create_dir_all(sub)?;
            }
            std::fs::write(path, &f.text)?;
        }
        Ok(files.len())
    });
    let renamed = written.and_then(|n| std::fs::rename(&staging, dir).map(|()| n));
    match renamed {
        Ok(n) => Ok(Some(n)),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            // Made by another process between our look and the rename: merge into it instead.
            if dir.is_dir() {
                return Ok(None);
            }
            Err(format!("cannot write {}: {e}", dir.display()))
        }
    }
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

//! Files the compose files name (`env_file`, `include`, `extends.file`): their paths resolved
//! lexically against the directory they are relative to, and looked up in
//! [`crate::Input::extra_files`].
//!
//! Every path becomes a *key* relative to the project directory (the first compose file's
//! directory): `./web.env` in the project file is `web.env`, `../common/db.env` named by
//! `sub/compose.yaml` is `common/db.env`. The core never touches a file system: the CLI reads the
//! files [`Files::wanted`] lists, the playground shows them as tabs.
//!
//! | code  | severity | when |
//! |-------|----------|------|
//! | CX260 | error    | a file named by `env_file` (required), `include` or `extends.file` is not given |
//! | CX272 | error    | a remote `include` or `extends.file` (`https://`, `git@`, `oci://`): not fetched |

use std::collections::{BTreeMap, BTreeSet};

use crate::compose::merge;
use crate::diagnostic::{Diagnostic, Span};
use crate::yaml::{self, Limits, Node, Value};
use crate::{Input, SourceFile};

/// Code of a named file that is not among the input files.
pub const FILE_NOT_FOUND: &str = "CX260";
/// Code of a remote file reference, which the core does not fetch.
pub const REMOTE_FILE: &str = "CX272";

/// The key of `path` written in a file whose paths are relative to `base_dir` (itself a key;
/// `""` is the project directory): joined and normalised (`.` and `..` resolved, no `./`).
/// Absolute paths (`/...`) and home paths (`~...`) are kept absolute.
pub fn key(base_dir: &str, path: &str) -> String {
    let absolute = path.starts_with('/') || path.starts_with('~');
    let joined = if absolute || base_dir.is_empty() {
        path.to_string()
    } else {
        format!("{base_dir}/{path}")
    };
    normalise(&joined)
}

/// `a/./b/../c` is `a/c`; leading `..` of a relative path are kept.
fn normalise(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if rooted {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The directory of a key (`sub/compose.yaml` → `sub`, `compose.yaml` → ``).
pub fn dir_of(key: &str) -> String {
    match key.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) => key.get(..i).unwrap_or("").to_string(),
        None => String::new(),
    }
}

/// `path`, relative to `base_dir`, written relative to the project directory as compose writes a
/// local path (`./sub/web.env`, `../x`, `/abs`): what an included or extended file's paths
/// become in the project. Remote references (`https://...`, `git@...`) are kept.
pub fn rebase(base_dir: &str, path: &str) -> String {
    if base_dir.is_empty() || is_remote(path) {
        return path.to_string();
    }
    let k = key(base_dir, path);
    if k.starts_with('/') || k.starts_with('~') || k.starts_with("..") {
        k
    } else if k.is_empty() {
        ".".to_string()
    } else {
        format!("./{k}")
    }
}

/// True for a remote reference (a URL, a git address) rather than a local path.
pub fn is_remote(path: &str) -> bool {
    path.contains("://") || path.starts_with("git@") || path.starts_with("github.com/")
}

/// The extra files of an input, with what loading looked for and the files already parsed.
pub struct Files<'a> {
    input: &'a Input,
    wanted: BTreeSet<String>,
    parsed: BTreeMap<String, Vec<Node>>,
}

impl<'a> Files<'a> {
    /// The extra files of `input`.
    pub fn new(input: &'a Input) -> Self {
        Files {
            input,
            wanted: BTreeSet::new(),
            parsed: BTreeMap::new(),
        }
    }

    /// Every key looked up so far, found or not (the CLI reads these).
    pub fn wanted(&self) -> &BTreeSet<String> {
        &self.wanted
    }

    /// The file at `key` and its span index, remembering that it was looked for. A key naming
    /// one of the compose files (`extends: {file: docker-compose.yml, ...}`) is that file.
    pub fn get(&mut self, key: &str) -> Option<(u32, &'a SourceFile)> {
        let input = self.input;
        if let Some(i) = (0..input.files.len()).find(|&i| top_key(input, i) == key) {
            return Some((u32::try_from(i).ok()?, input.files.get(i)?));
        }
        self.wanted.insert(key.to_string());
        let position = input.extra_files.keys().position(|k| k == key)?;
        let index = u32::try_from(input.files.len() + position).ok()?;
        input.extra_files.get(key).map(|f| (index, f))
    }

    /// The file at `key`, or a located [`FILE_NOT_FOUND`] error at `named_at` (`what` says which
    /// key named it: "env file", "included file", ...).
    pub fn require(
        &mut self,
        key: &str,
        what: &str,
        named_at: Span,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<(u32, &'a SourceFile)> {
        let found = self.get(key);
        if found.is_none() {
            diagnostics.push(not_found(key, what, named_at));
        }
        found
    }

    /// The non-null, mapping documents of the file at `key` (parsed once; parse problems and
    /// `version` warnings are reported the first time).
    pub fn documents(
        &mut self,
        key: &str,
        index: u32,
        text: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<Node> {
        if let Some(docs) = self.parsed.get(key) {
            return docs.clone();
        }
        let (parsed, problems) = yaml::parse(index, text, &Limits::default());
        diagnostics.extend(problems);
        let docs: Vec<Node> = parsed
            .into_iter()
            .filter(|d| !d.is_null())
            .filter_map(|d| merge::check_document(d, diagnostics))
            .collect();
        self.parsed.insert(key.to_string(), docs.clone());
        docs
    }
}

/// The key of compose file `index` of the input: its name relative to the first file's
/// directory.
pub fn top_key(input: &Input, index: usize) -> String {
    let name = input.files.get(index).map_or("", |f| f.name.as_str());
    let project = input
        .files
        .first()
        .map(|f| dir_of(&f.name))
        .unwrap_or_default();
    match name.strip_prefix(&format!("{project}/")) {
        Some(rest) if !project.is_empty() => key("", rest),
        _ => key("", name),
    }
}

/// The error for a remote `include` / `extends.file` (`what` says which).
pub fn remote_refused(what: &str, at: Span) -> Diagnostic {
    Diagnostic::error(
        REMOTE_FILE,
        format!("remote {what} files are not supported"),
        at,
    )
    .with_help("composex reads local files only (builds are reproducible and offline): download the file next to the compose file and name it by its path")
}

/// The error for a named file that is not given.
pub fn not_found(key: &str, what: &str, at: Span) -> Diagnostic {
    Diagnostic::error(FILE_NOT_FOUND, format!("{what} `{key}` not found"), at).with_help(format!(
        "the path is relative to the directory of the file that names it; create `{key}` (relative to the project directory), or fix the path"
    ))
}

/// Rewrites the relative paths of a loaded tree (included or extended from a file in
/// `base_dir`) so they are relative to the project directory, as compose-go makes them
/// absolute: `env_file`, `label_file`, `build` contexts, bind-mount sources, `extends.file`,
/// `configs`/`secrets` files, `include` entries. Every later stage then reads paths relative to
/// the project directory.
pub fn rebase_tree(tree: &mut Node, base_dir: &str) {
    if base_dir.is_empty() {
        return;
    }
    if let Some(Value::Map(services)) = get_mut(tree, "services") {
        for (_, _, service) in &mut services.entries {
            rebase_service(service, base_dir);
        }
    }
    if let Some(Value::Seq(entries)) = get_mut(tree, "include") {
        for entry in entries {
            match &mut entry.value {
                Value::Scalar(_) => rebase_scalar(entry, base_dir),
                Value::Map(_) => {
                    for key in ["path", "project_directory", "env_file"] {
                        if let Some(node) = entry_mut(entry, key) {
                            rebase_one_or_many(node, base_dir);
                        }
                    }
                }
                Value::Seq(_) => {}
            }
        }
    }
    for section in ["configs", "secrets"] {
        if let Some(Value::Map(entries)) = get_mut(tree, section) {
            for (_, _, entry) in &mut entries.entries {
                if let Some(file) = entry_mut(entry, "file") {
                    rebase_scalar(file, base_dir);
                }
            }
        }
    }
}

/// [`rebase_tree`] for one service definition.
pub fn rebase_service(service: &mut Node, base_dir: &str) {
    if base_dir.is_empty() {
        return;
    }
    for key in ["env_file", "label_file"] {
        if let Some(node) = entry_mut(service, key) {
            match &mut node.value {
                Value::Scalar(_) => rebase_scalar(node, base_dir),
                Value::Seq(items) => {
                    for item in items {
                        match &mut item.value {
                            Value::Scalar(_) => rebase_scalar(item, base_dir),
                            Value::Map(_) => {
                                if let Some(p) = entry_mut(item, "path") {
                                    rebase_scalar(p, base_dir);
                                }
                            }
                            Value::Seq(_) => {}
                        }
                    }
                }
                Value::Map(_) => {}
            }
        }
    }
    if let Some(build) = entry_mut(service, "build") {
        match &mut build.value {
            Value::Scalar(_) => rebase_scalar(build, base_dir),
            Value::Map(_) => {
                if let Some(context) = entry_mut(build, "context") {
                    rebase_scalar(context, base_dir);
                }
            }
            Value::Seq(_) => {}
        }
    }
    if let Some(extends) = entry_mut(service, "extends") {
        if let Some(file) = entry_mut(extends, "file") {
            rebase_scalar(file, base_dir);
        }
    }
    if let Some(Value::Seq(volumes)) = entry_mut(service, "volumes").map(|v| &mut v.value) {
        for volume in volumes {
            rebase_volume(volume, base_dir);
        }
    }
}

/// A bind mount's host path: short syntax `./data:/data` (a source starting with `.`, `/` or
/// `~` is a path, anything else a volume name) or long syntax `type: bind`.
fn rebase_volume(volume: &mut Node, base_dir: &str) {
    if let Value::Scalar(s) = &mut volume.value {
        if s.text.starts_with('.') {
            if let Some((source, rest)) = s.text.split_once(':') {
                s.text = format!("{}:{rest}", rebase(base_dir, source));
            }
        }
        return;
    }
    let is_bind = volume.get("type").and_then(Node::as_str) == Some("bind");
    if is_bind {
        if let Some(source) = entry_mut(volume, "source") {
            rebase_scalar(source, base_dir);
        }
    }
}

fn rebase_one_or_many(node: &mut Node, base_dir: &str) {
    match &mut node.value {
        Value::Seq(items) => {
            for item in items {
                rebase_scalar(item, base_dir);
            }
        }
        _ => rebase_scalar(node, base_dir),
    }
}

fn rebase_scalar(node: &mut Node, base_dir: &str) {
    if let Value::Scalar(s) = &mut node.value {
        if !s.is_null() && !s.text.is_empty() {
            s.text = rebase(base_dir, &s.text);
        }
    }
}

fn entry_mut<'n>(node: &'n mut Node, key: &str) -> Option<&'n mut Node> {
    match &mut node.value {
        Value::Map(map) => map.get_mut(key),
        _ => None,
    }
}

fn get_mut<'n>(node: &'n mut Node, key: &str) -> Option<&'n mut Value> {
    entry_mut(node, key).map(|n| &mut n.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_normalised_relative_to_the_base() {
        assert_eq!(key("", "./web.env"), "web.env");
        assert_eq!(key("", "web.env"), "web.env");
        assert_eq!(key("sub", "./a/../b.env"), "sub/b.env");
        assert_eq!(key("sub", "../common/db.env"), "common/db.env");
        assert_eq!(key("", "../up.yml"), "../up.yml");
        assert_eq!(key("../x", "../y/z"), "../y/z");
        assert_eq!(key("sub", "/etc/app.env"), "/etc/app.env");
        assert_eq!(key("", "/a/../../b"), "/b");
    }

    #[test]
    fn directories_of_keys() {
        assert_eq!(dir_of("sub/compose.yaml"), "sub");
        assert_eq!(dir_of("compose.yaml"), "");
        assert_eq!(dir_of("/compose.yaml"), "/");
        assert_eq!(dir_of("../a/b.yml"), "../a");
    }

    #[test]
    fn rebased_paths_stay_local_paths() {
        assert_eq!(rebase("", "./web.env"), "./web.env");
        assert_eq!(rebase("sub", "./web.env"), "./sub/web.env");
        assert_eq!(rebase("sub", "."), "./sub");
        assert_eq!(rebase("sub", ".."), ".");
        assert_eq!(rebase("sub", "../../x"), "../x");
        assert_eq!(rebase("sub", "/abs"), "/abs");
        assert_eq!(
            rebase("sub", "https://github.com/a/b.git"),
            "https://github.com/a/b.git"
        );
    }
}
